// Drafts of long forms, kept in this browser while the member types (docs/projects.md, "Work is
// never lost"): what is typed or ticked goes to localStorage, chosen photos to IndexedDB, keyed
// by the member and the form's address. A draft comes back when the form is opened again, until
// the server confirms the save; leaving the page with unsaved changes asks first.
(function () {
  "use strict";

  const PREFIX = "carnet-draft:";
  const SENT_MARK = "carnet-draft-sent";
  const SAVE_DELAY_MILLISECONDS = 300;
  // A draft untouched this long is an abandoned one: it does not come back months later.
  const KEEP_MILLISECONDS = 30 * 24 * 3600 * 1000;
  // Never kept: hidden fields (the server's token, signed ids, the photos' order, which the page
  // writes itself), passwords, and buttons.
  const NOT_KEPT_TYPES = ["hidden", "file", "password", "submit", "button", "reset"];

  // One small IndexedDB database: the photos of drafts, and the outbox of offline.js.
  const DATABASE = "carnet";
  let database = null;
  function openDatabase() {
    if (!database) {
      database = new Promise(function (resolve, reject) {
        const request = indexedDB.open(DATABASE, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("draft-files");
          request.result.createObjectStore("outbox", { keyPath: "key" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return database;
  }
  // `store("outbox", "readwrite", (s) => s.put(item))`: the request's result, once committed.
  function store(name, mode, operation) {
    return openDatabase().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(name, mode);
        const request = operation(transaction.objectStore(name));
        transaction.oncomplete = function () { resolve(request.result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function texts() { return document.getElementById("outbox").dataset; }

  function keyFor(path) { return PREFIX + texts().user + ":" + path; }
  function formKey(form) { return keyFor(new URL(form.action, location.href).pathname); }

  function keptFields(form) {
    return Array.from(form.elements).filter(function (field) {
      return field.name && !field.disabled && !NOT_KEPT_TYPES.includes(field.type);
    });
  }
  function fileInputs(form) {
    return Array.from(form.querySelectorAll("input[type=file][name]"));
  }

  // {name: [values]}: one list per name covers text, radio buttons, checkboxes and selects.
  function valuesOf(form) {
    const values = {};
    keptFields(form).forEach(function (field) {
      const list = values[field.name] || (values[field.name] = []);
      if (field.type === "radio" || field.type === "checkbox") {
        if (field.checked) list.push(field.value);
      } else if (field.type === "select-multiple") {
        Array.from(field.selectedOptions).forEach(function (option) { list.push(option.value); });
      } else {
        list.push(field.value);
      }
    });
    return values;
  }
  function snapshot(form) { return JSON.stringify(valuesOf(form)); }

  function applyValues(form, values) {
    const seen = {};
    keptFields(form).forEach(function (field) {
      const list = values[field.name];
      if (!list) return;
      const before = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value;
      if (field.type === "radio" || field.type === "checkbox") {
        field.checked = list.includes(field.value);
      } else if (field.type === "select-multiple") {
        Array.from(field.options).forEach(function (option) { option.selected = list.includes(option.value); });
      } else {
        const index = seen[field.name] || 0;
        seen[field.name] = index + 1;
        if (index < list.length) field.value = list[index];
      }
      const after = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value;
      if (after !== before) field.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function filesKey(form, input) { return formKey(form) + "|" + input.name; }
  function saveFiles(form, input) {
    const files = Array.from(input.files);
    return store("draft-files", "readwrite", function (s) {
      return files.length ? s.put(files, filesKey(form, input)) : s.delete(filesKey(form, input));
    }).catch(function () { /* private browsing without IndexedDB: the text is still kept */ });
  }
  function restoreFiles(form) {
    return Promise.all(fileInputs(form).map(function (input) {
      if (input.files.length) return false;
      return store("draft-files", "readonly", function (s) { return s.get(filesKey(form, input)); })
        .then(function (files) {
          if (!files || !files.length) return false;
          const transfer = new DataTransfer();
          files.forEach(function (file) { transfer.items.add(file); });
          input.files = transfer.files;
          input.dispatchEvent(new Event("change", { bubbles: true }));
          return true;
        })
        .catch(function () { return false; });
    })).then(function (restored) { return restored.includes(true); });
  }

  // Forgets the draft of the form at `path` (text and photos); offline.js calls it once a queued
  // entry is in the journal, from any page.
  function forget(path) {
    const key = keyFor(path);
    localStorage.removeItem(key);
    return store("draft-files", "readwrite", function (s) {
      return s.delete(IDBKeyRange.bound(key + "|", key + "|\uffff"));
    }).catch(function () {});
  }

  function setUpDraft(form) {
    const key = formKey(form);
    const path = new URL(form.action, location.href).pathname;
    const initial = snapshot(form);
    let filesChanged = false;
    let leaving = false;
    let discarded = false;
    let timer = null;

    function isDirty() {
      return !leaving && form.dataset.draftState !== "queued"
        && (filesChanged || snapshot(form) !== initial);
    }
    function save() {
      clearTimeout(timer);
      if (discarded) return;
      if (snapshot(form) === initial && !filesChanged) { localStorage.removeItem(key); return; }
      try {
        localStorage.setItem(key, JSON.stringify({ values: valuesOf(form), savedAt: Date.now() }));
      } catch (error) { /* storage full: the page itself still holds the text */ }
    }

    // The draft forgotten, the form comes back as the server sends it (with whatever the photo
    // control and the preview show).
    function discard() {
      leaving = true;
      discarded = true;
      clearTimeout(timer);
      forget(path).then(function () { location.reload(); });
    }
    // Saved another way (offline.js sent it from the outbox).
    form.addEventListener("carnet:saved", discard);

    function showNote() {
      const note = document.createElement("p");
      note.className = "draft-note";
      note.setAttribute("role", "status");
      note.textContent = texts().draftRestored + " ";
      const clear = document.createElement("button");
      clear.type = "button";
      clear.className = "link-button";
      clear.textContent = texts().draftClear;
      clear.addEventListener("click", discard);
      note.appendChild(clear);
      form.insertBefore(note, form.firstChild);
    }

    let draft = null;
    try {
      draft = JSON.parse(localStorage.getItem(key) || "null");
    } catch (error) { localStorage.removeItem(key); }
    if (draft) applyValues(form, draft.values);
    const restoredText = snapshot(form) !== initial;
    restoreFiles(form).then(function (restoredPhotos) {
      if (restoredPhotos) {
        filesChanged = true;
        // The photos' own fields (their captions) exist now.
        if (draft) applyValues(form, draft.values);
      }
      if (restoredText || restoredPhotos) showNote();
    });

    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, SAVE_DELAY_MILLISECONDS); });
    form.addEventListener("change", function (event) {
      if (event.target.type === "file") {
        if (event.target.files.length) filesChanged = true;
        saveFiles(form, event.target);
      }
      save();
    });
    // Saved at once when the page is hidden: a phone may drop it without another word.
    window.addEventListener("pagehide", save);
    document.addEventListener("visibilitychange", function () { if (document.hidden) save(); });

    // After the form's own handlers (carnet.js's confirmation, offline.js's queue): a submit
    // that goes ahead leaves without a warning, and the next page says whether it was saved.
    document.addEventListener("submit", function (event) {
      if (event.target !== form || event.defaultPrevented) return;
      save();
      leaving = true;
      sessionStorage.setItem(SENT_MARK, JSON.stringify({ path: path }));
    });
    window.addEventListener("pageshow", function (event) {
      // Back on the form after a failed send (the network was cut): nothing was saved.
      if (event.persisted) sessionStorage.removeItem(SENT_MARK);
      leaving = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (isDirty()) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  // The page after a submit: a success message from the server means the draft was saved.
  function forgetSavedDraft() {
    const mark = JSON.parse(sessionStorage.getItem(SENT_MARK) || "null");
    if (!mark) return;
    sessionStorage.removeItem(SENT_MARK);
    const saved = document.querySelector(".messages .message--success") && !document.querySelector(".form-errors");
    if (saved && location.pathname !== mark.path) forget(mark.path);
  }

  function forgetAbandonedDrafts() {
    const mine = keyFor("");
    Object.keys(localStorage).filter(function (key) { return key.startsWith(mine); }).forEach(function (key) {
      try {
        if (Date.now() - JSON.parse(localStorage.getItem(key)).savedAt < KEEP_MILLISECONDS) return;
      } catch (error) { /* unreadable: forgotten too */ }
      forget(key.slice(mine.length));
    });
  }

  window.CarnetDrafts = { forget: forget, store: store };

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.getElementById("outbox")) return;
    forgetSavedDraft();
    forgetAbandonedDrafts();
    document.querySelectorAll("form[data-draft]").forEach(setUpDraft);
  });
})();
