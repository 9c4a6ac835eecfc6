// A pool of worker_threads for the CLI and scripts, each with its own module
// instance (lib/node-pool-worker.js): the Node side of lib/parallel.js.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import { InputError } from './convert.js';

/** The default worker count: the cores Node may use (os.availableParallelism()). */
export const defaultWorkers = () => availableParallelism();

/**
 * Starts `size` workers, each loading the module (`variant` 'simd' or
 * 'scalar'); resolves when all are ready. `run(index, method, input)` calls
 * api[method](input) in worker `index`; `close()` terminates them all.
 */
export async function createNodePool(size, { variant = 'simd' } = {}) {
  const workers = Array.from({ length: size }, () =>
    new Worker(new URL('./node-pool-worker.js', import.meta.url), { workerData: { variant } }));
  const pending = new Map();  // id → { resolve, reject }
  let nextId = 0;
  const fail = (error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  await Promise.all(workers.map((worker) => new Promise((resolve, reject) => {
    worker.once('message', (message) => (message.ready ? resolve() : reject(new Error(message.error))));
    worker.once('error', reject);
  })));
  for (const worker of workers) {
    worker.on('message', ({ id, ok, result, error }) => {
      const call = pending.get(id);
      if (!call) return;
      pending.delete(id);
      if (ok) call.resolve(result);
      else call.reject(error.name === 'InputError' ? new InputError(error.field, error.message)
        : Object.assign(new Error(error.message), { name: error.name }));
    });
    worker.on('error', fail);
  }
  return {
    size,
    run(index, method, input) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[index].postMessage({ id, method, input });
      });
    },
    async close() {
      fail(new Error('the worker pool was closed'));
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
