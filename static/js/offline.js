// A journal entry saved without network waits in this browser's outbox (IndexedDB) and is sent
// when the network returns, from whichever Carnet page is open (docs/projects.md, "Work is never
// lost"). Each entry carries a key of its own, so the server makes one entry of it however many
// times it arrives. Also registers the service worker (/sw.js) that reopens form pages offline.
(function () {
  "use strict";

  const PAGES_CACHE = "carnet-pages";
  // "Sent" said again after the form page reloads itself empty.
  const SENT_FLASH = "carnet-outbox-sent";
  const RETRY_MILLISECONDS = 30000;
  const outbox = document.getElementById("outbox");
  if (!outbox || !window.CarnetDrafts || !window.crypto.randomUUID) return;
  const store = window.CarnetDrafts.store;
  const texts = outbox.dataset;

  function queued() {
    return store("outbox", "readonly", function (s) { return s.getAll(); }).then(function (items) {
      return items.filter(function (item) { return item.user === texts.user; });
    });
  }

  function say(kind, words, label, link, linkText) {
    const line = document.createElement("p");
    line.className = "message message--" + kind;
    const strong = document.createElement("strong");
    strong.textContent = words;
    line.appendChild(strong);
    if (label) line.append(" · " + label);
    if (link) {
      const anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = linkText;
      line.append(" ");
      line.appendChild(anchor);
    }
    outbox.appendChild(line);
    outbox.hidden = false;
    return line;
  }

  function showQueue() {
    return queued().then(function (items) {
      outbox.querySelectorAll("[data-waiting]").forEach(function (line) { line.remove(); });
      items.forEach(function (item) {
        say("info", texts.waiting, item.label).dataset.waiting = item.key;
      });
      outbox.hidden = !outbox.children.length;
    }).catch(function () {});
  }

  function labelOf(form) {
    const title = form.elements.title ? form.elements.title.value.trim() : "";
    const body = form.elements.body ? form.elements.body.value.trim() : "";
    return (title || body).slice(0, 60);
  }

  function queue(form) {
    const entries = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof File && !value.name && !value.size) return; // no photo chosen
      entries.push([name, value]);
    });
    return store("outbox", "readwrite", function (s) {
      return s.put({
        key: form.elements.submission_key.value,
        user: texts.user,
        url: new URL(form.action, location.href).href,
        path: pathOf(form),
        label: labelOf(form),
        entries: entries,
      });
    });
  }

  function pathOf(form) { return new URL(form.action, location.href).pathname; }

  function setUpQueue(form) {
    const key = document.createElement("input");
    key.type = "hidden";
    key.name = "submission_key";
    key.value = crypto.randomUUID();
    form.appendChild(key);
    // The form reopened while its entry waits (drafts.js restored it): saving it again sends
    // that same entry, not a second one.
    queued().then(function (items) {
      items.filter(function (item) { return item.path === pathOf(form); }).forEach(function (item) {
        key.value = item.key;
        form.dataset.draftState = "queued";
      });
    }).catch(function () {});
    // Changed by the member after it was queued: a new entry, so that neither version is lost.
    form.addEventListener("input", function (event) {
      if (!event.isTrusted || form.dataset.draftState !== "queued") return;
      form.dataset.draftState = "";
      key.value = crypto.randomUUID();
    });
    form.addEventListener("submit", function (event) {
      if (navigator.onLine || event.defaultPrevented) return;
      event.preventDefault();
      queue(form).then(function () {
        form.dataset.draftState = "queued";
        return showQueue();
      }).then(function () {
        outbox.scrollIntoView({ block: "nearest" });
      }).catch(function () { /* no IndexedDB: the draft still holds the text */ });
    });
  }

  function isLogin(url) { return new URL(url).pathname === texts.loginPath; }

  // "sent" (with the entry's address), "later" (no network, server unavailable), "login", or
  // "problem" (the form refused it: the draft is there to correct it).
  async function send(item) {
    // A token of the member's current session: the one in the queued form may be outdated.
    const page = await fetch(item.url, { credentials: "same-origin" });
    if (page.redirected && isLogin(page.url)) return { outcome: "login" };
    if (!page.ok) return { outcome: page.status >= 500 ? "later" : "problem" };
    const html = new DOMParser().parseFromString(await page.text(), "text/html");
    const token = html.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token) return { outcome: "problem" };
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token.value);
    item.entries.forEach(function (entry) { body.append(entry[0], entry[1]); });
    const response = await fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value },
    });
    if (response.redirected && isLogin(response.url)) return { outcome: "login" };
    if (response.ok && response.redirected) return { outcome: "sent", url: response.url };
    return { outcome: response.status >= 500 ? "later" : "problem" };
  }

  function remove(item) {
    return store("outbox", "readwrite", function (s) { return s.delete(item.key); });
  }

  // The form showing a sent entry, unchanged since it was queued (a change gives it a new key),
  // reloads empty and says "sent".
  function clearSentForm(sent) {
    const form = document.querySelector("form[data-offline-queue]");
    if (!form || form.elements.submission_key.value !== sent.key) return false;
    sessionStorage.setItem(SENT_FLASH, JSON.stringify(sent));
    form.dispatchEvent(new Event("carnet:saved"));
    return true;
  }
  // Another page of the member's sent it.
  const pages = window.BroadcastChannel ? new BroadcastChannel("carnet-outbox") : null;
  if (pages) pages.onmessage = function (event) { clearSentForm(event.data); };

  async function settle(item, result) {
    if (result.outcome === "sent") {
      await remove(item);
      const sent = { key: item.key, label: item.label, url: result.url };
      if (pages) pages.postMessage(sent);
      if (clearSentForm(sent)) throw "reloading";
      // Its draft, unless this page holds a newer version of the form.
      const form = document.querySelector("form[data-offline-queue]");
      if (!form || pathOf(form) !== item.path) await window.CarnetDrafts.forget(item.path);
      say("success", texts.sent, item.label, result.url, texts.seeEntry);
      return;
    }
    if (result.outcome === "problem") {
      await remove(item);
      // On screen, it is a draft again: saving it shows the form's reasons.
      const form = document.querySelector("form[data-offline-queue]");
      if (form && form.elements.submission_key.value === item.key) form.dataset.draftState = "";
      say("error", texts.notSent, item.label, item.url, texts.openForm);
      return;
    }
    if (result.outcome === "login") say("error", texts.logIn, item.label, texts.loginPath, texts.logInLink);
    throw result.outcome;
  }

  let retry = null;
  async function sendAll() {
    const items = await queued();
    for (const item of items) {
      let result;
      try { result = await send(item); } catch (error) { result = { outcome: "later" }; }
      await settle(item, result);
    }
  }
  let sending = false;
  function flush() {
    if (!navigator.onLine || sending) return;
    sending = true;
    clearTimeout(retry);
    // One page of the member's at a time sends; the key makes a second send harmless anyway.
    const run = function () { return sendAll(); };
    const done = navigator.locks ? navigator.locks.request("carnet-outbox", run) : run();
    done.catch(function (outcome) {
      if (outcome === "later") retry = setTimeout(flush, RETRY_MILLISECONDS);
    }).finally(function () {
      sending = false;
      showQueue();
    });
  }

  // Form pages the member opens are kept, so that one reopens without network with its draft.
  function keepForOffline() {
    if (!window.caches || !document.querySelector("form[data-draft]")) return;
    caches.open(PAGES_CACHE).then(function (cache) { return cache.add(location.href); }).catch(function () {});
  }

  // Someone else may use this browser next: the kept pages go with the member.
  function forgetOnLogout(form) {
    form.addEventListener("submit", function (event) {
      if (!window.caches) return;
      event.preventDefault();
      caches.delete(PAGES_CACHE).finally(function () { form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(texts.serviceWorker).catch(function () {});
    }
    document.querySelectorAll("form[data-offline-queue]").forEach(setUpQueue);
    document.querySelectorAll("form[data-forget-offline]").forEach(forgetOnLogout);
    if (navigator.onLine) keepForOffline();
    const sent = JSON.parse(sessionStorage.getItem(SENT_FLASH) || "null");
    if (sent) {
      sessionStorage.removeItem(SENT_FLASH);
      say("success", texts.sent, sent.label, sent.url, texts.seeEntry);
    }
    showQueue();
    flush();
    window.addEventListener("online", flush);
  });
})();
