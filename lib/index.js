export { loadLlmSpacetime, loadModule } from './node.js';
export { createApi, createFirstApi, createFormsApi, InputError } from './api.js';
export { quantReferenceErrors } from './quant.js';
export { canRunParallel, checkWorkers, parallelWorkFactor, runParallel, splitRange, workersUsed } from './parallel.js';
export { createNodePool, defaultWorkers } from './node-pool.js';
export { compareTimings, formatSeconds, formatTiming, isNoisy, NOISY_SPREAD, relativeSpread, scaleTiming, timingStats } from './timing.js';
