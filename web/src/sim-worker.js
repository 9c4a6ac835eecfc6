// A Web Worker holding its own instance of the lab module (loaded on the first
// measured run, see worker-api.js), so measured runs never block the page.
// Exposed with Comlink: run one API call, or a batch with a progress callback
// between calls.
import * as Comlink from 'comlink';

import { workerApiFor } from './worker-api.js';

// Errors cross postMessage as plain objects; InputError's field must survive.
function describe(error) {
  return { name: error.name, message: error.message, field: error.field ?? null };
}

const worker = {
  async run(method, input) {
    const api = await workerApiFor(method);
    if (typeof api[method] !== 'function') throw new Error(`unknown API method "${method}"`);
    try {
      return { ok: true, result: api[method](input) };
    } catch (error) {
      return { ok: false, error: describe(error) };
    }
  },
  // One call of a method that reports its own progress, api[method](input, onProgress(fraction))
  // (search): each fraction is posted to the page while the call runs (Comlink proxies post at once).
  async runWithProgress(method, input, onProgress) {
    const api = await workerApiFor(method);
    if (typeof api[method] !== 'function') throw new Error(`unknown API method "${method}"`);
    try {
      return { ok: true, result: api[method](input, (fraction) => { onProgress?.(fraction); }) };
    } catch (error) {
      return { ok: false, error: describe(error) };
    }
  },
  async runBatch(method, inputs, onProgress) {
    const results = [];
    for (let i = 0; i < inputs.length; i++) {
      const outcome = await worker.run(method, inputs[i]);
      if (!outcome.ok) return { ...outcome, results };
      results.push(outcome.result);
      await onProgress?.({ done: i + 1, total: inputs.length, result: outcome.result });
    }
    return { ok: true, results };
  },
};

Comlink.expose(worker);
