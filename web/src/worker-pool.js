// Workers of the page: the one shared worker of sim-client.js and the pool
// that runs a measured run split across N workers (lib/parallel.js), each a
// sim-worker.js with its own module instance. No SharedArrayBuffer: plain
// postMessage, so it works on any static host and in sandboxed embeds (the
// classic blob importer below). Cancel terminates every worker of the pool.
import * as Comlink from 'comlink';

import workerUrl from './sim-worker.js?worker&url';

// A classic worker that import()s the module worker: Chromium refuses module
// workers from blob: URLs of an opaque origin (iframe sandbox="allow-scripts").
// Messages that arrive before the import is done are held and replayed, so
// Comlink's first call is not lost.
const importerSource = (href) => `const held = [];
const hold = (event) => held.push(event.data);
self.addEventListener('message', hold);
import(${JSON.stringify(href)}).then(() => {
  self.removeEventListener('message', hold);
  for (const data of held) self.dispatchEvent(new MessageEvent('message', { data }));
}, (error) => setTimeout(() => { throw error; }));
`;

/**
 * A new sim-worker.js: { worker, remote } (remote: its Comlink proxy).
 * `onError(message)` is called when its script fails to load.
 */
export function spawnSimWorker(onError) {
  // `?worker&url`: Vite bundles the worker (with its imports) and gives its
  // URL; a bare new URL('./sim-worker.js') is copied raw or inlined as data:.
  const url = new URL(workerUrl, import.meta.url);
  // Embedded on another site, the script is cross-origin and a Worker must be
  // same-origin: start it from a blob that imports the script (CORS-loaded).
  // self.origin, not location.origin: a sandboxed iframe has an opaque ("null") origin.
  const sameOrigin = url.origin === self.origin;
  const source = sameOrigin ? url : URL.createObjectURL(new Blob([importerSource(url.href)], { type: 'text/javascript' }));
  const worker = new Worker(source, { type: sameOrigin ? 'module' : 'classic' });
  // A worker script that fails to load never answers: fail its calls instead of waiting forever.
  worker.addEventListener('error', (event) => {
    event.preventDefault?.();
    onError(event.message || 'its script did not load');
  });
  return { worker, remote: Comlink.wrap(worker) };
}

/** The default worker count: the logical cores the browser reports (at least 1). */
export const defaultWorkers = () => Math.max(1, globalThis.navigator?.hardwareConcurrency || 1);

let pool = null;  // { workers: [{ worker, remote }], pending: Set<reject> }

function describeError(error) {
  return Object.assign(new Error(error.message), { name: error.name, field: error.field });
}

/**
 * The pool with at least `size` workers (started on first use, kept between
 * runs so a module loads once per worker): { size, run(index, method, input) }.
 */
export function workerPool(size) {
  pool ??= { workers: [], pending: new Set() };
  const own = pool;
  while (own.workers.length < size) {
    own.workers.push(spawnSimWorker((message) => {
      if (pool === own) stopPool(new Error(`a pool worker could not start (${message})`));
    }));
  }
  return {
    size: own.workers.length,
    run(index, method, input) {
      if (pool !== own) return Promise.reject(new DOMException('The run was cancelled', 'AbortError'));
      return new Promise((resolve, reject) => {
        own.pending.add(reject);
        own.workers[index].remote.run(method, input).then((outcome) => {
          own.pending.delete(reject);
          if (outcome.ok) resolve(outcome.result);
          else reject(describeError(outcome.error));
        }, (error) => {
          own.pending.delete(reject);
          reject(error);
        });
      });
    },
  };
}

/** Terminates every pool worker now; their waiting calls reject with `reason`. */
export function stopPool(reason = new DOMException('The run was cancelled', 'AbortError')) {
  if (!pool) return;
  const { workers, pending } = pool;
  pool = null;
  for (const { worker } of workers) worker.terminate();
  for (const reject of pending) reject(reason);
}

/** Workers of the pool alive now (0 after a Cancel). */
export const livePoolWorkers = () => pool?.workers.length ?? 0;
