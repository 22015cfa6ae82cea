// Peer Mentoring's service worker: keeps the web app's own files, so that the app starts on a
// phone with no network. Its data is not here: the app keeps that in IndexedDB and syncs it.
//
// - Installing keeps the page and every file it names (the bundle's names carry a content hash),
//   plus the manifest and icons.
// - Opening the app asks the network for the page first (a new version arrives when online) and
//   falls back to the kept page when offline.
// - The bundle's files come from what is kept, else from the network (and are then kept).
// - Nothing else is touched: the server's API and the sync socket always go to the network.

const FILES = "peer-mentoring-files";
const PAGE = "./";
const ALWAYS = ["./manifest.webmanifest", "./icon-192.png", "./icon-512.png", "./icon.svg"];

/** The files a page names: `./app-….js`, `./app-…_bg.wasm`, `./style-….css`. */
function named(html) {
  return [...new Set(html.match(/\.\/[A-Za-z0-9_-]+\.(?:js|wasm|css)/g) || [])];
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const files = await caches.open(FILES);
    const page = await fetch(PAGE, { cache: "no-store" });
    if (!page.ok) throw new Error(`the page answered ${page.status}`);
    await files.put(PAGE, page.clone());
    await files.addAll([...ALWAYS, ...named(await page.text())]);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

/** Keeps only the page, the fixed files and what the current page names. */
async function tidy(files, html) {
  const wanted = new Set([PAGE, ...ALWAYS, ...named(html)].map((f) => new URL(f, self.registration.scope).href));
  for (const request of await files.keys()) {
    if (!wanted.has(request.url)) await files.delete(request);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (request.method !== "GET" || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith((async () => {
      const files = await caches.open(FILES);
      try {
        const page = await fetch(request, { cache: "no-store" });
        if (page.ok) {
          await files.put(PAGE, page.clone());
          event.waitUntil(page.clone().text().then((html) => tidy(files, html)));
        }
        return page;
      } catch (offline) {
        return (await files.match(PAGE)) || Response.error();
      }
    })());
    return;
  }
  event.respondWith((async () => {
    const files = await caches.open(FILES);
    const kept = await files.match(request, { ignoreSearch: true });
    if (kept) return kept;
    const answer = await fetch(request);
    if (answer.ok) await files.put(request, answer.clone());
    return answer;
  })());
});
