// Photos: the photo control (previews, captions, order, removal before saving) and the lightbox.
// Both work without this file: components/photo_picker.html is then a plain file input with
// caption fields, and components/gallery.html links each thumbnail to its large version.
(function () {
  "use strict";

  function makeButton(label, name, onClick, className) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.textContent = label;
    if (name) button.setAttribute("aria-label", name);
    button.addEventListener("click", onClick);
    return button;
  }

  // The photo control: new photos are previewed from object URLs; the file input always holds
  // them in the order shown, and each row's hidden input says where it goes (new<i>, or a
  // stored photo's id), as the form reads them (core.forms.KeepsPhotosForm).
  function setUpPicker(picker) {
    const input = picker.querySelector("input[type=file][data-photo-input]");
    const button = picker.querySelector(".photo-picker__button");
    const list = picker.querySelector("[data-photo-list]");
    const status = picker.querySelector("[data-photo-status]");
    if (!input || !button || !list || typeof DataTransfer === "undefined") return;
    const text = picker.dataset;
    const multiple = picker.hasAttribute("data-multiple");
    const limit = parseInt(input.dataset.maxSize, 10) || Infinity;
    const newFiles = new Map(); // row → File, for the photos not sent yet
    let dragged = null;

    function rows() {
      return Array.from(list.querySelectorAll("[data-photo-item]")).filter(function (row) { return !row.hidden; });
    }

    function sync() {
      const transfer = new DataTransfer();
      list.querySelectorAll("[data-photo-item]").forEach(function (row) {
        const file = newFiles.get(row);
        if (!file) return;
        const key = "new" + transfer.items.length;
        transfer.items.add(file);
        const order = row.querySelector("input[type=hidden]");
        if (order) order.value = key;
        const caption = row.querySelector("input[type=text]");
        if (caption) caption.name = text.captionName + key;
      });
      input.files = transfer.files;
      const shown = rows();
      shown.forEach(function (row, index) {
        row.querySelector(".photo-picker__up").disabled = index === 0;
        row.querySelector(".photo-picker__down").disabled = index === shown.length - 1;
      });
      list.classList.toggle("is-single", shown.length < 2);
    }

    function move(row, offset) {
      const shown = rows();
      const target = shown[shown.indexOf(row) + offset];
      if (!target) return;
      list.insertBefore(row, offset < 0 ? target : target.nextSibling);
      sync();
    }

    function remove(row) {
      const file = newFiles.get(row);
      if (file) {
        URL.revokeObjectURL(row.querySelector("img").src);
        newFiles.delete(row);
        row.remove();
      } else {
        // A stored photo is removed on saving, through its box.
        const box = row.querySelector(".photo-picker__remove input");
        if (box) box.checked = true;
        row.hidden = true;
      }
      sync();
    }

    function addControls(row) {
      const controls = document.createElement("div");
      controls.className = "photo-picker__controls";
      const up = makeButton("↑", text.textUp, function () { move(row, -1); up.focus(); }, "photo-picker__up");
      const down = makeButton("↓", text.textDown, function () { move(row, 1); down.focus(); }, "photo-picker__down");
      const removal = makeButton("✕ " + text.textRemove, null, function () { remove(row); button.focus(); }, "photo-picker__delete");
      controls.append(up, down, removal);
      row.appendChild(controls);
      const box = row.querySelector(".photo-picker__remove");
      if (box) {
        box.hidden = true;
        if (box.querySelector("input").checked) row.hidden = true;
      }
      // The thumbnail is the handle to drag the photo elsewhere (desktop).
      const thumb = row.querySelector("img");
      if (thumb) {
        thumb.draggable = false;
        thumb.addEventListener("pointerdown", function () { row.draggable = true; });
      }
    }

    function addFile(file) {
      const row = document.createElement("li");
      row.className = "photo-picker__item photo-picker__item--new";
      row.setAttribute("data-photo-item", "");
      const thumb = document.createElement("img");
      thumb.className = "photo-picker__thumb";
      thumb.alt = "";
      thumb.src = URL.createObjectURL(file);
      // A format the browser cannot show (HEIC outside Safari): the name stands in for it.
      thumb.addEventListener("error", function () { thumb.classList.add("is-unreadable"); });
      row.appendChild(thumb);
      if (text.orderName) {
        const order = document.createElement("input");
        order.type = "hidden";
        order.name = text.orderName;
        row.appendChild(order);
      }
      const fields = document.createElement("div");
      fields.className = "photo-picker__fields";
      const name = document.createElement("p");
      name.className = "muted photo-picker__name";
      name.textContent = file.name;
      fields.appendChild(name);
      if (text.captionName) {
        const label = document.createElement("label");
        label.className = "photo-picker__caption";
        label.textContent = text.textCaption + " ";
        const caption = document.createElement("input");
        caption.type = "text";
        caption.maxLength = 255;
        caption.placeholder = text.textCaptionHint;
        label.appendChild(caption);
        fields.appendChild(label);
      }
      row.appendChild(fields);
      list.appendChild(row);
      newFiles.set(row, file);
      addControls(row);
    }

    picker.classList.add("is-enhanced");
    input.classList.add("visually-hidden");
    button.hidden = false;
    list.querySelectorAll("[data-photo-item]").forEach(addControls);

    input.addEventListener("change", function () {
      // The input now holds only what was just chosen; the rows hold the earlier choices.
      const chosen = Array.from(input.files);
      if (!chosen.length) { sync(); return; }
      if (!multiple) list.querySelectorAll("[data-photo-item]").forEach(remove);
      const tooLarge = chosen.filter(function (file) { return file.size > limit; });
      chosen.filter(function (file) { return file.size <= limit; })
        .slice(0, multiple ? undefined : 1)
        .forEach(addFile);
      status.textContent = tooLarge.length
        ? input.dataset.maxSizeMessage + " " + tooLarge.map(function (file) { return file.name; }).join(", ")
        : "";
      status.classList.toggle("message", tooLarge.length > 0);
      status.classList.toggle("message--error", tooLarge.length > 0);
      sync();
    });

    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("[data-photo-item]");
      if (dragged) event.dataTransfer.effectAllowed = "move";
    });
    list.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      const over = event.target.closest("[data-photo-item]");
      if (!over || over === dragged) return;
      const box = over.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    });
    list.addEventListener("drop", function (event) { if (dragged) event.preventDefault(); });
    list.addEventListener("dragend", function () {
      if (dragged) dragged.draggable = false;
      dragged = null;
      sync();
    });
    sync();
  }

  // The lightbox: a thumbnail opens its large version in a modal dialog (focus stays inside,
  // Esc or the button closes it), ←/→ or a swipe goes to the next photo of the same gallery.
  function setUpLightbox() {
    let dialog = null;
    let links = [];
    let index = 0;
    let opener = null;
    let texts = {};
    const parts = {};

    function build() {
      dialog = document.createElement("dialog");
      dialog.className = "lightbox";
      parts.close = makeButton("✕", null, function () { dialog.close(); }, "lightbox__close");
      parts.previous = makeButton("‹", null, function () { show(index - 1); }, "lightbox__previous");
      parts.next = makeButton("›", null, function () { show(index + 1); }, "lightbox__next");
      const figure = document.createElement("figure");
      figure.className = "lightbox__figure";
      parts.image = document.createElement("img");
      parts.image.className = "lightbox__image";
      parts.caption = document.createElement("figcaption");
      parts.caption.className = "lightbox__caption";
      parts.position = document.createElement("p");
      parts.position.className = "lightbox__position";
      parts.position.setAttribute("aria-live", "polite");
      figure.append(parts.image, parts.caption);
      dialog.append(parts.close, figure, parts.position, parts.previous, parts.next);
      document.body.appendChild(dialog);
      dialog.addEventListener("close", function () {
        parts.image.removeAttribute("src");
        if (opener) opener.focus();
      });
      dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
      dialog.addEventListener("keydown", function (event) {
        if (event.key === "ArrowLeft") { event.preventDefault(); show(index - 1); }
        if (event.key === "ArrowRight") { event.preventDefault(); show(index + 1); }
        if (event.key === "Tab") {
          // Round the dialog's buttons: the page behind is out of reach while it is open.
          const buttons = [parts.close, parts.previous, parts.next].filter(function (button) {
            return !button.hidden && !button.disabled;
          });
          const edge = event.shiftKey ? buttons[0] : buttons[buttons.length - 1];
          if (document.activeElement === edge || !dialog.contains(document.activeElement)) {
            event.preventDefault();
            (event.shiftKey ? buttons[buttons.length - 1] : buttons[0]).focus();
          }
        }
      });
      let startX = null;
      dialog.addEventListener("pointerdown", function (event) { startX = event.clientX; });
      dialog.addEventListener("pointerup", function (event) {
        if (startX === null) return;
        const distance = event.clientX - startX;
        startX = null;
        if (Math.abs(distance) > 50) show(index + (distance < 0 ? 1 : -1));
      });
    }

    function show(newIndex) {
      if (newIndex < 0 || newIndex >= links.length) return;
      index = newIndex;
      const link = links[index];
      const thumbnail = link.querySelector("img");
      parts.image.src = link.getAttribute("href");
      parts.image.alt = thumbnail ? thumbnail.alt : "";
      if (link.dataset.width) { parts.image.width = link.dataset.width; parts.image.height = link.dataset.height; }
      parts.caption.textContent = link.dataset.caption || "";
      parts.caption.hidden = !link.dataset.caption;
      parts.position.textContent = texts.textPosition.replace("{n}", index + 1).replace("{total}", links.length);
      parts.position.hidden = links.length < 2;
      parts.previous.hidden = parts.next.hidden = links.length < 2;
      parts.previous.disabled = index === 0;
      parts.next.disabled = index === links.length - 1;
      opener = link;
      // A disabled button loses focus: keep it in the dialog.
      if (dialog.contains(document.activeElement) && document.activeElement.disabled) parts.close.focus();
    }

    document.addEventListener("click", function (event) {
      const link = event.target.closest("a[data-lightbox]");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      const gallery = link.closest("[data-gallery]");
      if (!gallery || typeof HTMLDialogElement === "undefined") return;
      event.preventDefault();
      if (!dialog) build();
      texts = gallery.dataset;
      dialog.setAttribute("aria-label", texts.textDialog);
      parts.close.setAttribute("aria-label", texts.textClose);
      parts.previous.setAttribute("aria-label", texts.textPrevious);
      parts.next.setAttribute("aria-label", texts.textNext);
      links = Array.from(gallery.querySelectorAll("a[data-lightbox]"));
      show(links.indexOf(link));
      dialog.showModal();
      parts.close.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-photo-picker]").forEach(setUpPicker);
    setUpLightbox();
  });
})();
