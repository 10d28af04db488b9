{% load i18n %}/* Palabre's service worker (ADR 0065): the evening's screens without network.

   Pages: always asked of the network first. The pages the server marks as kept (the capture and
   check-in screens, "My workshops") are stored in a cache named after the day, so a page opened
   today opens again without network; yesterday's cache is deleted. Static files: from a cache
   filled at installation. Entries sent while offline are not the worker's business: the page
   keeps them (offline.js). Sign-out clears everything (Clear-Site-Data). */
"use strict";

const STATIC_CACHE = "palabre-static-{{ version }}";
const ASSETS = {{ assets|safe }};
const PAGES_PREFIX = "palabre-pages-";
const KEEP_HEADER = "X-Palabre-Offline";
const SLOW_NETWORK_MS = 6000;
const OFFLINE_PAGE = {{ offline_page|safe }};

function today() {
  const now = new Date();
  const pad = (number) => String(number).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

async function dropOldCaches() {
  const keep = new Set([STATIC_CACHE, PAGES_PREFIX + today()]);
  for (const name of await caches.keys()) {
    if (name.startsWith("palabre-") && !keep.has(name)) await caches.delete(name);
  }
}

// Each file on its own: one that fails to load on a bad network does not stop the worker from
// installing; it is kept the first time a page uses it.
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => Promise.allSettled(ASSETS.map((asset) => cache.add(asset))))
      .then(() => self.skipWaiting()),
  );
});

async function asset(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOldCaches().then(() => self.clients.claim()));
});

async function kept(request) {
  const cache = await caches.open(PAGES_PREFIX + today());
  return cache.match(request, { ignoreVary: true });
}

async function fromNetwork(request) {
  const response = await fetch(request);
  if (response.ok && response.headers.get(KEEP_HEADER) === "keep") {
    const copy = response.clone();
    const cache = await caches.open(PAGES_PREFIX + today());
    await cache.put(request.url, copy);
  }
  return response;
}

async function page(request) {
  await dropOldCaches();
  const network = fromNetwork(request);
  network.catch(() => {}); // answered below; a late failure after a kept copy is no error
  // A network that does not answer (bad Wi-Fi) is not better than none: after a few seconds a
  // kept copy is shown; the network's answer still refreshes the cache when it comes.
  const slow = new Promise((resolve) => setTimeout(resolve, SLOW_NETWORK_MS));
  try {
    const first = await Promise.race([network, slow.then(() => kept(request))]);
    if (first) return first;
    return await network;
  } catch (error) {
    const copy = await kept(request);
    if (copy) return copy;
    return new Response(OFFLINE_PAGE, {
      status: 503,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(asset(request));
  } else if (request.mode === "navigate" || request.destination === "manifest") {
    event.respondWith(page(request));
  }
});

// "My workshops" asks for tonight's screens to be kept: fetched one after the other (a slow
// network is not asked for everything at once), in the language of the page that asked.
self.addEventListener("message", (event) => {
  const asked = event.data || {};
  if (Array.isArray(asked.keep)) event.waitUntil(keep(asked.keep, String(asked.language || "")));
});

async function keep(urls, language) {
  for (const url of urls) {
    if (new URL(url, self.location.href).origin !== self.location.origin) continue;
    const headers = language ? { "Accept-Language": language } : {};
    try {
      await fromNetwork(new Request(url, { credentials: "same-origin", headers }));
    } catch (error) {
      // no network now: the page is kept when it is opened
    }
  }
}
