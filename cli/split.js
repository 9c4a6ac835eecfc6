// Measured runs split across worker threads from the command line
// (lib/parallel.js): the --workers flag, the run, and its speedup lines.
// Shared by attention, decode, quant-gemv and quant-lab.
import { numberFlag } from './flags.js';
import { inFlagTerms, withModelFlag } from './model-source.js';
import { limitWork } from './work-limit.js';
import { formatTiming, isNoisy } from '../lib/timing.js';
import { checkWorkers, parallelMethods, runParallel, workersUsed } from '../lib/parallel.js';
import { createNodePool, defaultWorkers } from '../lib/node-pool.js';

export const workersOption = { workers: { type: 'string' } };
export const workersUsage = '[--workers N (default: the cores)]';

/** --workers, checked (a whole number from 1 to MAX_WORKERS), or the cores. */
export const workersFlag = (values) => inFlagTerms({ workers: 'workers' }, values,
  () => checkWorkers(numberFlag(values, 'workers', defaultWorkers())));

/** A note for each noisy timing: the spread is over 10 % of the median. */
export function noisyNotes(timings) {
  return timings.filter(([, time]) => isNoisy(time))
    .map(([label, time]) => `note: ${label} is noisy (q1–q3 spans ${(100 * (time.q3_s - time.q1_s) / time.median_s).toFixed(0)} % ` +
      'of the median): run again on a quieter machine');
}

/** The speedup over one worker, when the run was split (`what`: the units split, plural). */
export function parallelLines(parallel, what = 'heads') {
  if (parallel.workers === 1) return [`workers: 1 (one per ${what.replace(/s$/, '')} at most; --workers N splits the ${what})`];
  const { workers, speedup, efficiency, time, single_time: single, kernel_speedups: kernels } = parallel;
  return [`workers: ${workers}, whole run ${formatTiming(time)} vs ${formatTiming(single)} on one worker: ` +
    `speedup ${speedup.toFixed(2)}×, parallel efficiency ${(100 * efficiency).toFixed(0)} % ` +
    `(medians of ${time.runs} runs each, after a warm-up; time above: the slowest worker's)`,
  ...(kernels ? [`time per call, one worker ÷ ${workers} (median of the pairs): ` +
    Object.entries(kernels).map(([kernel, ratio]) => `${kernel} ${ratio.toFixed(2)}×`).join(', ')] : []),
  `outputs ${parallel.identical_outputs ? 'bit-identical to' : 'DIFFER from'} the one-worker run's`,
  ...noisyNotes([['the whole run', time], ['the one-worker run', single]])];
}

/**
 * api[method](input) split across `workers` worker threads (lib/parallel.js);
 * in this process when one worker is used (one unit, or --workers 1).
 * `flags`: the command's flags by field; `sliceOf(input, used)`: an input of
 * one worker's share's size, for the estimate (null: the whole input's).
 */
export async function runSplitCommand(api, method, input, workers, values, flags, sliceOf = null) {
  const used = inFlagTerms(flags, values, () => workersUsed(api, method, input, workers));
  if (used === 1) {
    const result = inFlagTerms(flags, values, () => {
      limitWork(api, method, input, values);
      return api[method](input);
    });
    return { ...result, parallel: { workers: 1, speedup: 1, efficiency: 1, time: null, single_time: null,
      identical_outputs: true, pair_speedups: [] } };
  }
  // One worker and all, each (runs + 1) times: the estimate of that wall time.
  const runs = input.runs ?? parallelMethods[method].defaultsOf(api).runs;
  const slice = sliceOf ? sliceOf(input, used) : input;
  const calls = Array.from({ length: Number.isFinite(runs) ? runs + 1 : 1 }, () => [[method, input],
    [method, slice]]).flat();
  inFlagTerms(flags, values, () => limitWork(api, calls, null, values));
  const pool = await createNodePool(used);
  try {
    return await runParallel(pool, method, input, { workers: used });
  } catch (error) {
    throw withModelFlag(error, null, flags, values);
  } finally {
    await pool.close();
  }
}
