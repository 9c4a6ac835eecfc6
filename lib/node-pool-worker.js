// One worker of lib/node-pool.js: its own module instance, answering
// { id, method, input } with { id, ok, result | error }.
import { parentPort, workerData } from 'node:worker_threads';

import { loadLlmSpacetime } from './node.js';

try {
  const api = await loadLlmSpacetime({ variant: workerData.variant });
  parentPort.on('message', ({ id, method, input }) => {
    try {
      if (typeof api[method] !== 'function') throw new Error(`unknown API method "${method}"`);
      parentPort.postMessage({ id, ok: true, result: api[method](input) });
    } catch (error) {
      parentPort.postMessage({ id, ok: false, error: { name: error.name, message: error.message, field: error.field ?? null } });
    }
  });
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, error: error.message });
}
