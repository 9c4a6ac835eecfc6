// Measured attention: prefill kernels, decode with a KV strategy, the seed
// experiment (lab module), and the closed form beside a decode run (calculator
// module). Defaults come from C++ (one source of truth); inputs are plain
// objects with snake_case fields, results are plain objects.
import { InputError, mergeChecked, plainInput, toPlain, unwrap, withVector } from './convert.js';

// decodeKvClosedForm's argument checked as the API checks inputs: a runDecode
// result (its input, kv_heads and the bytes it kept), or an InputError naming the field.
function checkedDecodeResult(given, decodeDefaults) {
  const result = plainInput(given, 'result (a runDecode result)', 'result');
  if (result.input === undefined) throw new InputError('result.input', 'result.input is missing: pass what runDecode returned');
  const input = mergeChecked(decodeDefaults, result.input, 'decode input', 'result.input.');
  for (const field of ['kv_heads', 'head_dim', 'kv_bytes', 'hidden_bytes']) {
    if (typeof result[field] !== 'number') {
      throw new InputError(`result.${field}`, `result.${field} must be a number (pass what runDecode returned)`);
    }
  }
  return { ...result, input };
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

    /**
     * The KV bytes the closed form (kvCache, one layer) predicts for a decode
     * result, beside the bytes the kernel kept, with a note on what the
     * kernel stores that the formula does not model.
     */
    decodeKvClosedForm: (given) => {
      const { input, kv_heads, head_dim, kv_bytes, hidden_bytes } = checkedDecodeResult(given, defaults.decode());
      // The join is the core's (sim/decode_kv): what the kernel stores, as a kvCache input, and its bytes.
      const joined = unwrap(Module.decodeKvClosedForm({ input, kv_heads, head_dim, kv_bytes, hidden_bytes }));
      return {
        kv_input: joined.keeps_kv ? joined.kv_input : null,
        predicted_bytes: joined.predicted_bytes,
        measured_bytes: joined.measured_bytes,
        difference_bytes: joined.difference_bytes,
        note: joined.note,
      };
    },
  };
}

/** The measured runs, in the lab module: `lab()` returns it (loading it on first use). */
export function attentionLabApi(lab) {
  return {
    /** Prefill attention, naive vs tiled (causal, fp32), measured in this module. */
    runAttention: (input) => {
      const Lab = lab();
      return unwrap(Lab.runAttention(mergeChecked(toPlain(Lab.attentionRunDefaults()), input, 'attention input')));
    },

    /** Autoregressive decode with one KV-cache strategy, measured against the full fp32 cache. */
    runDecode: (input) => {
      const Lab = lab();
      return unwrap(Lab.runDecode(mergeChecked(toPlain(Lab.decodeDefaults()), input, 'decode input')));
    },

    /**
     * The seed experiment: caches n, 4√n, 8; per row the seed's algorithm, the
     * window with its output, recompute-on-evict and none.
     */
    seedExperiment: (input) => {
      const Lab = lab();
      const merged = mergeChecked(toPlain(Lab.seedExperimentDefaults()), input, 'seed experiment input');
      return withVector(Lab.VectorDouble, merged.sequence_lengths, (vector) =>
        unwrap(Lab.seedExperiment({ ...merged, sequence_lengths: vector })));
    },
  };
}
