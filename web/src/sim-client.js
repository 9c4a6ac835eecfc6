// Runs API calls in a Web Worker with progress and cancellation. Cancelling
// terminates the worker (a WASM call cannot be interrupted from outside) and
// the next run starts a fresh one. Every panel shares the worker, so stopping
// it also rejects the calls other panels had waiting in it, with a
// WorkerRestartError: their RunController starts them again in the new worker.
import * as Comlink from 'comlink';

import { InputError } from '../../lib/api.js';
import workerUrl from './sim-worker.js?worker&url';

let current = null;  // { worker, remote, pending: Set<reject> }

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
    current = { worker, remote: Comlink.wrap(worker), pending: new Set() };
    // A worker script that fails to load never answers: fail its calls instead of waiting forever.
    worker.addEventListener('error', (event) => {
      event.preventDefault?.();
      stopWorker(null, new Error(`the worker could not start (${event.message || 'its script did not load'})`));
    });
  }
  return current;
}

function abortError() {
  return new DOMException('The run was cancelled', 'AbortError');
}

/** A call stopped because another run's Cancel stopped the shared worker: start it again. */
export class WorkerRestartError extends Error {
  constructor() {
    super('the worker was restarted by another run\'s Cancel');
    this.name = 'WorkerRestartError';
  }
}

/**
 * Stops the worker now: every call waiting in it rejects, with AbortError for
 * `cancelled`, else `failure`, else WorkerRestartError.
 */
function stopWorker(cancelled, failure) {
  if (!current) return;
  const { worker, pending } = current;
  current = null;
  worker.terminate();
  for (const reject of pending) reject(reject === cancelled ? abortError() : failure ?? new WorkerRestartError());
}

function toError(error) {
  if (error.name === 'InputError') return new InputError(error.field, error.message);
  return Object.assign(new Error(error.message), { name: error.name });
}

// Calls `start(remote)` in the worker; resolves with its outcome, or rejects
// with AbortError (and stops the worker) when `signal` aborts.
function call(start, signal) {
  if (signal?.aborted) return Promise.reject(abortError());
  const connection = connect();
  return new Promise((resolve, reject) => {
    const settle = (fn) => (value) => {
      connection.pending.delete(reject);
      signal?.removeEventListener('abort', onAbort);
      fn(value);
    };
    const onAbort = () => stopWorker(reject);
    connection.pending.add(reject);
    signal?.addEventListener('abort', onAbort, { once: true });
    start(connection.remote).then(settle(resolve), settle(reject));
  });
}

/** Runs `api[method](input)` in the worker. */
export async function runInWorker(method, input, { signal } = {}) {
  const outcome = await call((remote) => remote.run(method, input), signal);
  if (!outcome.ok) throw toError(outcome.error);
  return outcome.result;
}

/**
 * Runs `api[method](input)` for each input in turn; `onProgress({done, total, result})`
 * is called after each. Resolves with the results array.
 */
export async function runBatchInWorker(method, inputs, { onProgress, signal } = {}) {
  const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
  const outcome = await call((remote) => remote.runBatch(method, inputs, progress), signal);
  if (!outcome.ok) throw toError(outcome.error);
  return outcome.results;
}
