{% load static %}/* anjian field-form service worker (served at /inspections/sw.js; scope /inspections/).
 *
 * The field form must reload without a network (ARCHITECTURE.md rule 10): its pages are kept
 * network-first with a cached fallback, and the static files they need are kept too. Everything
 * else (the API, other pages, every POST) passes through untouched. The draft itself is not here:
 * field.js keeps it in IndexedDB.
 */
"use strict";
var VERSION = "anjian-field-2026.4";
var STATIC_CACHE = "anjian-static-" + VERSION;
var PAGE_CACHE = "anjian-pages-v1";
var STATIC_URL = "{% get_static_prefix %}";
var PRECACHE = [
  "{% static 'vendor/bootstrap/css/bootstrap.min.css' %}",
  "{% static 'vendor/bootstrap/js/bootstrap.bundle.min.js' %}",
  "{% static 'vendor/bootstrap-icons/font/bootstrap-icons.min.css' %}",
  "{% static 'django_htmx/htmx-2.min.js' %}",
  "{% static 'anjian/app.css' %}",
  "{% static 'anjian/app.js' %}",
  "{% static 'anjian/field.css' %}",
  "{% static 'anjian/field.js' %}",
  "{% static 'anjian/favicon.svg' %}"
];
// The pages that must open offline: a new inspection of a unit, and an inspection's field form.
var FIELD_PAGE = /^\/inspections\/(new\/\d+|\d+\/field)\/$/;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) {
      // One missing file must not stop the rest from being cached.
      return Promise.all(PRECACHE.map(function (url) { return cache.add(url).catch(function () {}); }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k.indexOf("anjian-static-") === 0 && k !== STATIC_CACHE;
      }).map(function (k) { return caches.delete(k); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function networkFirst(request, cacheName, key) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(cacheName).then(function (cache) { cache.put(key || request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(key || request, { ignoreSearch: true }).then(function (hit) {
      return hit || new Response(
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'><title>离线</title>" +
        "<p>当前没有网络，且本机没有这个页面的离线副本。请联网后重新打开。</p>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
      );
    });
  });
}

function cacheFirst(request) {
  return caches.match(request).then(function (hit) {
    if (hit) return hit;
    return fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(STATIC_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Logging out clears the cached pages: they hold one officer's inspection.
    if (request.method === "POST" && url.pathname === "/logout/") {
      event.waitUntil(caches.delete(PAGE_CACHE));
    }
    return;
  }
  if (url.pathname.indexOf(STATIC_URL) === 0) {
    // Vendor files never change under one name; our own scripts may: network first for those.
    if (url.pathname.indexOf(STATIC_URL + "vendor/") === 0 || url.pathname.indexOf(STATIC_URL + "django_htmx/") === 0) {
      event.respondWith(cacheFirst(request));
    } else {
      event.respondWith(networkFirst(request, STATIC_CACHE));
    }
    return;
  }
  if (request.mode === "navigate" && FIELD_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request, PAGE_CACHE, url.origin + url.pathname));
  }
});
