// Carnet's small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Live Markdown preview under each textarea marked data-markdown-preview.
  function setUpPreview(textarea) {
    const preview = document.querySelector('[data-preview-for="' + textarea.id + '"]');
    if (!preview) return;
    const output = preview.querySelector(".prose");
    // The server's reason when it cannot preview (too long, too many previews, logged out).
    const notice = document.createElement("p");
    notice.className = "message message--error";
    notice.hidden = true;
    preview.insertBefore(notice, output);
    let timer = null;
    let lastSent = null;
    async function refresh() {
      const text = textarea.value;
      if (text === lastSent) return;
      lastSent = text;
      if (!text.trim()) { preview.hidden = true; return; }
      const body = new URLSearchParams({ text: text });
      try {
        const response = await fetch("/markdown/preview/", {
          method: "POST",
          headers: { "X-CSRFToken": csrfToken() },
          body: body,
          credentials: "same-origin",
        });
        const answer = await response.text();
        if (response.ok) {
          output.innerHTML = answer; // sanitised by the server
          notice.hidden = true;
        } else {
          // Shown as text; the textarea is never touched, and the next change asks again.
          const plain = (response.headers.get("Content-Type") || "").startsWith("text/plain");
          notice.textContent = plain ? answer : response.status + " " + response.statusText;
          notice.hidden = false;
          lastSent = null;
        }
        preview.hidden = false;
      } catch (error) { lastSent = null; /* offline: the preview simply waits */ }
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 500);
    });
    refresh();
  }

  // Refuse files over the limit before sending, so nothing typed is lost.
  function setUpSizeCheck(input) {
    const limit = parseInt(input.dataset.maxSize, 10);
    input.addEventListener("change", function () {
      const tooBig = Array.from(input.files).filter(function (file) { return file.size > limit; });
      const message = tooBig.length
        ? input.dataset.maxSizeMessage + " " + tooBig.map(function (f) { return f.name; }).join(", ")
        : "";
      input.setCustomValidity(message);
      if (message) { input.reportValidity(); input.value = ""; input.setCustomValidity(""); }
    });
  }

  // Confirm destructive actions.
  function setUpConfirm(form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  // Filters apply as soon as a value changes.
  function setUpAutosubmit(form) {
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { form.submit(); });
    });
  }

  // Suggestions under a search box while typing (titles the reader may see).
  function setUpAutocomplete(input) {
    const list = document.createElement("ul");
    list.className = "autocomplete";
    list.id = input.id + "-suggestions";
    list.hidden = true;
    // A list of links reached with ↓, not an ARIA combobox: so no aria-expanded on the box.
    input.setAttribute("aria-controls", list.id);
    input.parentNode.appendChild(list);
    let timer = null;
    let controller = null;
    function close() { list.hidden = true; }
    async function suggest() {
      const query = input.value.trim();
      if (query.length < 2) { close(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const url = input.dataset.autocomplete + "?q=" + encodeURIComponent(query);
        const response = await fetch(url, { signal: controller.signal, credentials: "same-origin" });
        if (!response.ok) return;
        const data = await response.json();
        list.replaceChildren(...data.results.map(function (result) {
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = result.url;
          link.textContent = result.title;
          const kind = document.createElement("small");
          kind.textContent = result.kind;
          link.appendChild(kind);
          item.appendChild(link);
          return item;
        }));
        list.hidden = data.results.length === 0;
      } catch (error) { /* aborted or offline: no suggestions */ }
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(suggest, 200); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !list.hidden) { event.preventDefault(); list.querySelector("a").focus(); }
      if (event.key === "Escape") close();
    });
    list.addEventListener("keydown", function (event) {
      const links = Array.from(list.querySelectorAll("a"));
      const index = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && index < links.length - 1) { event.preventDefault(); links[index + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (index > 0 ? links[index - 1] : input).focus(); }
      if (event.key === "Escape") { close(); input.focus(); }
    });
    document.addEventListener("click", function (event) { if (!input.parentNode.contains(event.target)) close(); });
  }

  // On phones the style sheet folds the main menu from the first paint; the ☰ link that
  // unfolds it without JavaScript becomes a toggle button here (nothing moves on the page).
  function setUpMenu(toggle) {
    const menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    toggle.setAttribute("role", "button");
    toggle.setAttribute("aria-expanded", String(menu.classList.contains("is-open")));
    function flip(event) {
      event.preventDefault();
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    }
    toggle.addEventListener("click", flip);
    // A link answers Enter only; a button answers Space too.
    toggle.addEventListener("keydown", function (event) { if (event.key === " ") flip(event); });
  }

  // Live fragments (the kiosk, the job banner): server-sent events when the server streams,
  // else polling of the same fragment. The server sends HTML it rendered and escaped itself.
  const POLL_MILLISECONDS = 2000;
  function setUpLive(element) {
    const show = function (html) {
      if (element.innerHTML !== html) { element.innerHTML = html; tickCountdowns(); }
    };
    let polling = false;
    const poll = function () {
      if (polling) return;
      polling = true;
      const step = async function () {
        try {
          const response = await fetch(element.dataset.livePoll, { headers: { "Accept": "text/html" }, credentials: "same-origin" });
          if (response.ok) show(await response.text());
        } catch (error) { /* offline for a moment: try again */ }
        setTimeout(step, POLL_MILLISECONDS);
      };
      step();
    };
    if (!window.EventSource || !element.dataset.liveStream) { poll(); return; }
    const source = new EventSource(element.dataset.liveStream);
    source.onmessage = function (event) { show(event.data); };
    source.onerror = function () {
      // CLOSED: the server will not stream (204, or an error); CONNECTING: it reconnects itself.
      if (source.readyState === EventSource.CLOSED) poll();
    };
  }

  // Countdowns count down to data-countdown-to, or up from data-elapsed-from, every second.
  function formatDuration(seconds) {
    seconds = Math.max(0, Math.round(seconds));
    const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    const two = function (n) { return String(n).padStart(2, "0"); };
    return (h ? h + ":" + two(m) : m) + ":" + two(s);
  }
  function tickCountdowns() {
    const now = Date.now();
    document.querySelectorAll("[data-countdown-to]").forEach(function (element) {
      element.textContent = formatDuration((Date.parse(element.dataset.countdownTo) - now) / 1000);
    });
    document.querySelectorAll("[data-elapsed-from]").forEach(function (element) {
      element.textContent = formatDuration((now - Date.parse(element.dataset.elapsedFrom)) / 1000);
    });
    document.querySelectorAll("[data-clock]").forEach(function (element) {
      element.textContent = new Date(now).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live]").forEach(setUpLive);
    tickCountdowns();
    setInterval(tickCountdowns, 1000);
    document.querySelectorAll(".menu-toggle[aria-controls]").forEach(setUpMenu);
    document.querySelectorAll("input[data-autocomplete]").forEach(setUpAutocomplete);
    document.querySelectorAll("textarea[data-markdown-preview]").forEach(setUpPreview);
    // photos.js checks the photo control's files one by one, keeping the others.
    document.querySelectorAll("input[type=file][data-max-size]:not([data-photo-input])").forEach(setUpSizeCheck);
    document.querySelectorAll("form[data-confirm]").forEach(setUpConfirm);
    document.querySelectorAll("form[data-autosubmit]").forEach(setUpAutosubmit);
    // Wide screens already show the search filters as a column: say so to assistive tech too.
    if (window.matchMedia("(min-width: 60rem)").matches) {
      document.querySelectorAll("details.search-filters").forEach(function (details) { details.open = true; });
    }
  });
})();
