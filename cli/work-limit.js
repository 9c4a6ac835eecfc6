// --max-seconds: every measured command estimates its run before starting it
// (api.estimateRun, src/sim/work_estimate.hpp) and refuses one whose estimate
// is over the limit, so a large input is an immediate message, not a hang.
import { InputError } from '../lib/api.js';
import { describeSeconds } from '../lib/work.js';
import { UsageError, numberFlag } from './flags.js';

export const defaultMaxSeconds = 60;
export const maxSecondsOption = { 'max-seconds': { type: 'string' } };
export const maxSecondsUsage = `[--max-seconds S (default ${defaultMaxSeconds})]`;

/**
 * Throws an InputError naming --max-seconds when `api[method](input)` is
 * estimated to take longer than the limit; the message carries the estimate.
 * An input the estimate cannot cost (NaN, negative, out of the run's bounds)
 * is left to the run, which refuses it with its own message. `method` may
 * also be a list of [method, input] pairs run one after the other (their
 * estimates add up); `input` is then unused.
 */
export function limitWork(api, method, input, values) {
  const limit = numberFlag(values, 'max-seconds', defaultMaxSeconds);
  if (!(limit > 0) || !Number.isFinite(limit)) {
    throw new UsageError(`--max-seconds = ${values['max-seconds']} must be a number of seconds above 0`, 'max-seconds');
  }
  const calls = Array.isArray(method) ? method : [[method, input]];
  let estimate;
  try {
    const parts = calls.map(([name, given]) => api.estimateRun(name, given));
    const sum = (key) => parts.reduce((total, part) => total + part[key], 0);
    estimate = parts.length === 1 ? parts[0] : {
      seconds: sum('seconds'), flops: sum('flops'), bytes: sum('bytes'), fixed_seconds: sum('fixed_seconds'),
      flops_per_second: parts[0].flops_per_second, bytes_per_second: parts[0].bytes_per_second,
      text: `${describeSeconds(sum('seconds'))} in all: ${parts.map((part) => part.text).join('; then ')}`,
    };
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
  if (estimate.seconds > limit) {
    const raise = Number(Math.ceil(estimate.seconds * 1.1).toPrecision(2));
    throw Object.assign(new InputError('max-seconds', `refused: this run is estimated to take ${estimate.text}, ` +
      `over --max-seconds = ${values['max-seconds'] ?? defaultMaxSeconds}. Make it smaller, or allow it with ` +
      `--max-seconds ${raise} (the estimate assumes a slow machine; this one may be faster)`), { estimate });
  }
  return estimate;
}
