// Runs API calls in a Web Worker with progress and cancellation. Cancelling
// terminates the worker (a WASM call cannot be interrupted from outside) and
// the next run starts a fresh one. Every panel shares the worker, so stopping
// it also rejects the calls other panels had waiting in it, with a
// WorkerRestartError: their RunController starts them again in the new worker.
import * as Comlink from 'comlink';

import { InputError } from '../../lib/api.js';
import { canRunParallel, checkWorkers, runParallel } from '../../lib/parallel.js';
import { spawnSimWorker, stopPool, workerPool } from './worker-pool.js';

let current = null;  // { worker, remote, pending: Set<reject> }

function connect() {
  if (!current) {
    const { worker, remote } = spawnSimWorker((message) =>
      stopWorker(null, new Error(`the worker could not start (${message})`)));
    current = { worker, remote, pending: new Set() };
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

/**
 * Runs `api[method](input)` in the worker. With `workers` above 1 and a method
 * that splits (lib/parallel.js), it runs split across that many pool workers
 * instead, and the result carries `parallel` ({workers, speedup, efficiency,
 * ...}; `compare`: also time one worker, for the speedup); Cancel (`signal`)
 * then terminates every pool worker.
 */
export async function runInWorker(method, input, { signal, workers = 1, compare = false } = {}) {
  if (checkWorkers(workers) > 1 && canRunParallel(method)) return runSplit(method, input, { workers, compare }, signal);
  const outcome = await call((remote) => remote.run(method, input), signal);
  if (!outcome.ok) throw toError(outcome.error);
  return outcome.result;
}

async function runSplit(method, input, options, signal) {
  if (signal?.aborted) throw abortError();
  const onAbort = () => stopPool(abortError());
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await runParallel(workerPool(options.workers), method, input, options);
  } catch (error) {
    throw error.name === 'InputError' ? toError(error) : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Runs `api[method](input, onProgress)` once in the worker, for a method that reports its own progress
 * (api.search): `onProgress(fraction)` is called on the page as the worker reports it.
 */
export async function runWithProgressInWorker(method, input, { onProgress, signal } = {}) {
  const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
  const outcome = await call((remote) => remote.runWithProgress(method, input, progress), signal);
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
