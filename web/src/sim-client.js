// Runs API calls in a Web Worker with progress and cancellation. Cancelling
// terminates the worker (a WASM call cannot be interrupted from outside) and
// the next run starts a fresh one.
import * as Comlink from 'comlink';

import { InputError } from '../../lib/api.js';
import workerUrl from './sim-worker.js?worker&url';

let current = null;  // { worker, remote }

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

function connect() {
  if (!current) {
    // `?worker&url`: Vite bundles the worker (with its imports) and gives its
    // URL; a bare new URL('./sim-worker.js') is copied raw or inlined as data:.
    const url = new URL(workerUrl, import.meta.url);
    // Embedded on another site, the script is cross-origin and a Worker must be
    // same-origin: start it from a blob that imports the script (CORS-loaded).
    // self.origin, not location.origin: a sandboxed iframe has an opaque ("null") origin.
    const sameOrigin = url.origin === self.origin;
    const source = sameOrigin ? url : URL.createObjectURL(new Blob([importerSource(url.href)], { type: 'text/javascript' }));
    const worker = new Worker(source, { type: sameOrigin ? 'module' : 'classic' });
    current = { worker, remote: Comlink.wrap(worker) };
  }
  return current;
}

function abortError() {
  return new DOMException('The run was cancelled', 'AbortError');
}

function toError(error) {
  if (error.name === 'InputError') return new InputError(error.field, error.message);
  return Object.assign(new Error(error.message), { name: error.name });
}

// Resolves with `promise`, or rejects with AbortError (and kills the worker) when `signal` aborts.
function cancellable(promise, signal) {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      current?.worker.terminate();
      current = null;
      reject(abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Runs `api[method](input)` in the worker. */
export async function runInWorker(method, input, { signal } = {}) {
  const { remote } = connect();
  const outcome = await cancellable(remote.run(method, input), signal);
  if (!outcome.ok) throw toError(outcome.error);
  return outcome.result;
}

/**
 * Runs `api[method](input)` for each input in turn; `onProgress({done, total, result})`
 * is called after each. Resolves with the results array.
 */
export async function runBatchInWorker(method, inputs, { onProgress, signal } = {}) {
  const { remote } = connect();
  const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
  const outcome = await cancellable(remote.runBatch(method, inputs, progress), signal);
  if (!outcome.ok) throw toError(outcome.error);
  return outcome.results;
}
