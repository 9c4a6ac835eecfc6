export { loadLlmSpacetime, loadModule } from './node.js';
export { createApi, InputError } from './api.js';
export { quantReferenceErrors } from './quant.js';
export { compareTimings, formatSeconds, formatTiming, isNoisy, NOISY_SPREAD, relativeSpread, scaleTiming, timingStats } from './timing.js';
