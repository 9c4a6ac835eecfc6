// Measured attention: prefill kernels, decode with a KV strategy, the seed
// experiment. Defaults come from C++ (one source of truth); inputs are plain
// objects with snake_case fields, results are plain objects.
import { toPlain, unwrap, withVector } from './convert.js';

/**
 * Merges `input` over the C++ defaults, keeping only known fields and giving
 * each the default's type (a non-numeric string becomes NaN, which the core
 * rejects by name), so Embind never sees a wrong type.
 */
function withDefaults(defaults, input = {}) {
  const merged = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const value = input?.[key];
    if (value === undefined || value === null) continue;
    if (typeof defaults[key] === 'number') merged[key] = typeof value === 'number' ? value : Number(value);
    else if (typeof defaults[key] === 'string') merged[key] = String(value);
    else merged[key] = value;
  }
  return merged;
}

export function attentionApi(Module) {
  const defaults = {
    attention: () => toPlain(Module.attentionRunDefaults()),
    decode: () => toPlain(Module.decodeDefaults()),
    seed: () => toPlain(Module.seedExperimentDefaults()),
  };
  return {
    /** Default inputs of runAttention, runDecode and seedExperiment. */
    attentionDefaults: () => ({
      attention: defaults.attention(),
      decode: defaults.decode(),
      seed: defaults.seed(),
    }),

    /** Prefill attention, naive vs tiled (causal, fp32), measured in this module. */
    runAttention: (input) => unwrap(Module.runAttention(withDefaults(defaults.attention(), input))),

    /** Autoregressive decode with one KV-cache strategy, measured against the full fp32 cache. */
    runDecode: (input) => unwrap(Module.runDecode(withDefaults(defaults.decode(), input))),

    /** The seed experiment: caches n, 4√n, 8 with window vs recompute-on-evict. */
    seedExperiment: (input) => {
      const merged = withDefaults(defaults.seed(), input);
      const lengths = (Array.isArray(merged.sequence_lengths) ? merged.sequence_lengths : []).map(Number);
      return withVector(Module.VectorDouble, lengths, (vector) =>
        unwrap(Module.seedExperiment({ ...merged, sequence_lengths: vector })));
    },
  };
}
