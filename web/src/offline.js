// Offline after one visit: registers the Workbox service worker that
// vite-plugin-pwa generates (dist/sw.js, see vite.config.js); it precaches the
// whole site at install. Registered from this module, not an inline script,
// so the strict CSP holds. Not in the dev server (no sw.js there), not from
// file:, and not in a sandboxed iframe without allow-same-origin, where even
// reading navigator.serviceWorker throws: the page then runs without it.
import { Workbox } from 'workbox-window';

export function registerOfflineCache() {
  if (import.meta.env.DEV || window.location.protocol === 'file:' || self.origin === 'null') return;
  try {
    if (!('serviceWorker' in navigator)) return;
    new Workbox(new URL('sw.js', document.baseURI).href).register().catch(() => {});
  } catch {
    // no service workers here
  }
}
