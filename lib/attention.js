// Measured attention: prefill kernels, decode with a KV strategy, the seed
// experiment. Defaults come from C++ (one source of truth); inputs are plain
// objects with snake_case fields, results are plain objects.
import { InputError, mergeChecked, plainInput, toPlain, unwrap, withVector } from './convert.js';
import { memoryApi } from './memory.js';

/**
 * The KV-calculator input (kvCache, one layer, one sequence) that describes
 * what a decode run keeps: heads, its resolved kv_heads and head_dim (the
 * core's, from the run result), tokens = prompt + generated; fp32 for full/window/sinks/recompute,
 * int8/int4 with the run's group and fp32 scales (as the kernel keeps them);
 * the window and sinks the strategy uses. Null when the strategy keeps no K/V
 * (none; recompute with cache_tokens 0).
 */
function decodeKvInput({ input, kv_heads: kvHeads, head_dim: headDim }) {
  const { strategy } = input;
  const keepsNone = strategy === 'none' || strategy === 'seed' || (strategy === 'recompute' && input.cache_tokens === 0);
  if (keepsNone) return null;
  const quantized = strategy === 'int8' || strategy === 'int4';
  return {
    n_layers: 1, n_heads: input.heads, n_kv_heads: kvHeads || input.heads,
    head_dim: headDim, d_model: input.d_model,
    batch: 1, prompt_tokens: input.prompt_tokens, generated_tokens: input.generated_tokens,
    kv_dtype: quantized ? strategy : 'fp32',
    quant_group: quantized ? input.kv_group : 0, quant_asymmetric: false, quant_scale_dtype: 'fp32',
    window: strategy === 'full' || quantized ? 0 : input.cache_tokens,
    sinks: strategy === 'sinks' ? input.sinks : 0,
    global_every: 0, attention_layers: 0, kv_lora_rank: 0, qk_rope_head_dim: 0, block_size: 0,
  };
}

// What the kernel keeps that the KV formula does not model, in words.
function unmodelledNote(result) {
  const { input } = result;
  const tokens = input.prompt_tokens + input.generated_tokens;
  const notes = [];
  if (result.hidden_bytes > 0) {
    const hidden = `the hidden states of all ${tokens} tokens (${result.hidden_bytes.toLocaleString('en-US')} B)`;
    if (input.strategy === 'seed') {
      notes.push(`keeps no K/V: the hidden states of the last ${Math.min(tokens, input.cache_tokens + 1)} tokens ` +
        `(${result.hidden_bytes.toLocaleString('en-US')} B) are kept and their K/V projected again every step; the KV formula does not count them`);
    } else {
      notes.push(input.strategy === 'none'
        ? `keeps no K/V: ${hidden} are kept and every K/V is recomputed from them; the KV formula does not count them`
        : `${hidden} are kept to recompute evicted K/V; the KV formula does not count them`);
    }
  }
  if ((input.strategy === 'int8' || input.strategy === 'int4') && input.kv_layout === 'per_channel') {
    notes.push('per_channel: the formula groups along head_dim (per token); the kernel keeps one fp32 scale per ' +
      `channel per ${input.kv_group} tokens and the not-yet-full group of up to ${input.kv_group} tokens in fp32`);
  }
  if (input.strategy === 'int4' && result.head_dim % 2 === 1) {
    notes.push('int4 with an odd head_dim: the kernel packs two codes per byte across a token\'s whole K row, ' +
      'the formula rounds up per head vector');
  }
  return notes.join('; ');
}

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
  const memory = memoryApi(Module);
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
    runAttention: (input) => unwrap(Module.runAttention(mergeChecked(defaults.attention(), input, 'attention input'))),

    /** Autoregressive decode with one KV-cache strategy, measured against the full fp32 cache. */
    runDecode: (input) => unwrap(Module.runDecode(mergeChecked(defaults.decode(), input, 'decode input'))),

    /**
     * The KV bytes the closed form (kvCache, one layer) predicts for a decode
     * result, beside the bytes the kernel kept, with a note on what the
     * kernel stores that the formula does not model.
     */
    decodeKvClosedForm: (given) => {
      const result = checkedDecodeResult(given, defaults.decode());
      const kvInput = decodeKvInput(result);
      const predicted = kvInput ? memory.kvCache(kvInput).bytes : 0;
      return {
        kv_input: kvInput,
        predicted_bytes: predicted,
        measured_bytes: result.kv_bytes,
        difference_bytes: result.kv_bytes - predicted,
        note: unmodelledNote(result),
      };
    },

    /**
     * The seed experiment: caches n, 4√n, 8; per row the seed's algorithm, the
     * window with its output, recompute-on-evict and none.
     */
    seedExperiment: (input) => {
      const merged = mergeChecked(defaults.seed(), input, 'seed experiment input');
      return withVector(Module.VectorDouble, merged.sequence_lengths, (vector) =>
        unwrap(Module.seedExperiment({ ...merged, sequence_lengths: vector })));
    },
  };
}
