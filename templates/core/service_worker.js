{% autoescape off %}// Carnet's service worker (docs/projects.md, "Work is never lost"). When the network is away,
// the form pages a member opened (kept by static/js/offline.js) and Carnet's own styles and
// scripts still open, so a draft or a queued journal entry can be seen again. Everything else
// goes to the network as if this worker were not there; queued entries are sent by the pages.
"use strict";

const ASSETS_CACHE = "carnet-assets-{{ version }}";
const PAGES_CACHE = "carnet-pages";
const STATIC_URL = {{ static_url }};
const ADMIN_URL = {{ admin_url }};
const ASSETS = {{ assets }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(ASSETS_CACHE)
      .then(function (cache) { return cache.addAll(ASSETS); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  // Assets of an older deployment go; the pages kept for offline use stay.
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.startsWith("carnet-assets-") && name !== ASSETS_CACHE;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function kept(cacheName, request) {
  // Pages vary on the cookie and the language, which a kept copy cannot match: its address does.
  return caches.open(cacheName)
    .then(function (cache) { return cache.match(request, { ignoreVary: true }); })
    .then(function (response) { return response || Response.error(); });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && !url.pathname.startsWith(ADMIN_URL)) {
    // The network first, always: a kept page is only for when there is none.
    event.respondWith(fetch(request).catch(function () { return kept(PAGES_CACHE, request); }));
  } else if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(
      fetch(request)
        .then(function (response) {
          if (response.ok) {
            const copy = response.clone();
            caches.open(ASSETS_CACHE).then(function (cache) { cache.put(request, copy); });
          }
          return response;
        })
        .catch(function () { return kept(ASSETS_CACHE, request); })
    );
  }
});
{% endautoescape %}