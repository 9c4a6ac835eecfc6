// Work estimates: how long a measured run would take, before it starts
// (src/sim/work_estimate.hpp). The input is checked and merged over the run's
// own defaults, so the estimate costs exactly the run the same input starts.
import { InputError, describe, mergeChecked, plainInput, toPlain, unwrap, withVector } from './convert.js';
import { estimateServe, serveInputs, serveRuns } from './serve.js';

/** Seconds in words as the core's estimates say them ("about 12 s", "about 3.4 minutes"), for sums of estimates. */
export function describeSeconds(seconds) {
  if (seconds < 1) return 'under a second';
  if (seconds < 120) return `about ${seconds < 10 ? seconds.toFixed(1) : seconds.toFixed(0)} s`;
  if (seconds < 7200) return `about ${(seconds / 60).toFixed(1)} minutes`;
  if (seconds < 172800) return `about ${(seconds / 3600).toFixed(1)} hours`;
  return `about ${(seconds / 86400).toFixed(1)} days`;
}

export function workApi(Module) {
  // method → [its defaults, its estimate, what the input is called in errors]
  const runs = {
    runAttention: [() => Module.attentionRunDefaults(), (input) => Module.estimateAttentionRun(input), 'attention input'],
    runDecode: [() => Module.decodeDefaults(), (input) => Module.estimateDecodeRun(input), 'decode input'],
    seedExperiment: [() => Module.seedExperimentDefaults(), null, 'seed experiment input'],
    quantLab: [() => Module.quantLabDefaults(), (input) => Module.estimateQuantLab(input), 'quant lab input'],
    quantGemv: [() => Module.quantGemvDefaults(), (input) => Module.estimateQuantGemv(input), 'GEMV input'],
    measureMachine: [() => Module.defaultProbeInput(), (input) => Module.estimateMachineProbe(input), 'probe input'],
    measureCacheSweep: [() => Module.defaultCacheSweepInput(), (input) => Module.estimateCacheSweep(input), 'cache sweep input'],
  };

  // The seed experiment's one list field crosses as a std::vector.
  function estimateSeed(input, what) {
    const { sequence_lengths: lengths, ...rest } = plainInput(input, what);
    const { sequence_lengths: defaultLengths, ...defaults } = toPlain(Module.seedExperimentDefaults());
    const merged = mergeChecked(defaults, rest, what);
    const list = lengths === undefined ? defaultLengths : lengths;
    if (!Array.isArray(list) || list.some((length) => typeof length !== 'number')) {
      throw new InputError('sequence_lengths', `sequence_lengths must be an array of numbers (got ${describe(list)})`);
    }
    return withVector(Module.VectorDouble, list, (vector) =>
      unwrap(Module.estimateSeedExperiment({ ...merged, sequence_lengths: vector })));
  }

  // The serving simulations convert their flat input (model and hardware by preset) on first use.
  let serve = null;

  return {
    /** Measured-run methods that estimateRun knows. */
    estimatedRuns: () => [...Object.keys(runs), ...Object.keys(serveRuns)],

    /**
     * How long `api[method](input)` would take, at the deliberately low rates
     * of the core (4 GFLOP/s, 2 GB/s): {seconds, flops, bytes, fixed_seconds,
     * flops_per_second, bytes_per_second, text}. Throws InputError for an
     * unknown method or an input the estimate cannot cost.
     */
    estimateRun(method, input) {
      if (typeof method === 'string' && Object.hasOwn(serveRuns, method)) {
        serve ??= serveInputs(Module);
        return estimateServe(Module, serve, method, input);
      }
      const run = Object.hasOwn(runs, method) ? runs[method] : null;
      if (!run) {
        throw new InputError('method', `method ${describe(method)} is not a measured run (known: ${[...Object.keys(runs), ...Object.keys(serveRuns)].join(', ')})`);
      }
      const [defaults, estimate, what] = run;
      if (method === 'seedExperiment') return estimateSeed(input, what);
      return unwrap(estimate(mergeChecked(toPlain(defaults()), input, what)));
    },
  };
}
