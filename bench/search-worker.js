// bench/calculator.js's search row in a worker thread, as the page runs the
// search (web/src/worker-api.js): the calculator loaded in the worker,
// api.search(input, onProgress) timed there `runs` times after one warm-up,
// the progress calls counted. Posts { seconds, evaluated, progress_calls, last_fraction }.
import { parentPort, workerData } from 'node:worker_threads';

import { loadLlmSpacetime } from '../lib/node.js';

const api = await loadLlmSpacetime();
const { input, runs } = workerData;
const seconds = [];
let evaluated = 0, progressCalls = 0, lastFraction = 0;
for (let run = 0; run <= runs; run++) {
  let calls = 0;
  const start = performance.now();
  const result = api.search(input, (fraction) => {
    calls += 1;
    lastFraction = fraction;
  });
  const elapsed = (performance.now() - start) / 1e3;
  if (run === 0) continue;  // warm-up: V8 compiles the WASM's hot functions with TurboFan meanwhile
  seconds.push(elapsed);
  evaluated = result.evaluated;
  progressCalls = calls;
}
parentPort.postMessage({ seconds, evaluated, progress_calls: progressCalls, last_fraction: lastFraction });
