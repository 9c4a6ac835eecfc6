// The KV cache panel's "Measured in WASM" section: the decode runs that
// measure one layer of the panel's configuration, and the rows that set each
// measured figure beside the closed form. Plain values in, plain objects out.
import { attempt } from '../components/panel-element.js';
import { ratioText } from '../timing-view.js';

// The projections read a narrow synthetic hidden state, so a long context of
// a real head shape (e.g. 32 × 128) decodes in seconds: the time goes to the
// KV cache and attention, which this section is about.
export const measureHiddenDim = 64;
const generatedTokens = 32;
const floatDtypes = ['fp32', 'fp16', 'bf16', 'fp8'];

const sameInput = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The runs for panel values `v`: strategies of the configured variant (full
 * fp32 always; window or sinks when set; int8/int4 when that is the dtype),
 * then MHA, GQA (the model's KV heads, when in between) and MQA with a full
 * fp32 cache. MLA has no kernel: only the three dense variants run.
 * `headDim` is the one the KV calculator resolved (kv.head_dim): the rule for
 * an unset head_dim lives in the core.
 */
export function measuredRuns(v, headDim) {
  const tokens = Math.min(v.prompt + v.generated, v.measure_tokens);
  const generated = Math.min(generatedTokens, tokens);
  const kvHeads = v.variant === 'mha' ? v.heads : v.variant === 'mqa' ? 1 : v.kv_heads;
  const base = {
    prompt_tokens: tokens - generated, generated_tokens: generated, d_model: v.heads * headDim, heads: v.heads,
    hidden_dim: measureHiddenDim, cache_tokens: v.window, sinks: v.sinks, kv_layout: 'per_token',
    kv_group: v.group > 0 ? v.group : headDim, sample_steps: v.measure_steps,
  };
  const runs = [];
  const add = (run) => {
    const index = runs.findIndex((other) => sameInput(other.input, run.input));
    if (index >= 0) return index;
    runs.push(run);
    return runs.length - 1;
  };
  const strategies = [];
  if (v.variant !== 'mla') {
    const ids = ['full'];
    if (v.window > 0) ids.push(v.sinks > 0 ? 'sinks' : 'window');
    if (v.kv_dtype === 'int8' || v.kv_dtype === 'int4') ids.push(v.kv_dtype);
    for (const id of ids) strategies.push({ id, index: add({ input: { ...base, kv_heads: kvHeads, strategy: id } }) });
  }
  const variants = [];
  const dense = [['MHA', v.heads], ...(v.kv_heads > 1 && v.kv_heads < v.heads ? [['GQA', v.kv_heads]] : []), ['MQA', 1]];
  for (const [name, heads] of dense) {
    if (variants.some((other) => other.kv_heads === heads)) continue;  // heads = 1: MHA is MQA
    variants.push({ name, kv_heads: heads, index: add({ input: { ...base, kv_heads: heads, strategy: 'full' } }) });
  }
  const keys = { heads: 'heads', kv_heads: v.variant === 'model' ? 'kv_heads' : 'variant', d_model: 'head_dim',
    cache_tokens: 'window', sinks: 'sinks', kv_group: 'group', prompt_tokens: 'measure_tokens',
    generated_tokens: 'measure_tokens', memory_budget_bytes: 'measure_tokens', sample_steps: 'measure_steps' };
  return {
    runs, strategies, variants, tokens, headDim, kvHeads, values: v,
    dtype: v.kv_dtype,
    /** The panel control a decode error's field belongs to. */
    keyOf: (field) => keys[field],
  };
}

function strategyLabel(id, v, group) {
  if (id === 'full') return 'Full cache';
  if (id === 'window') return `Window ${v.window}`;
  if (id === 'sinks') return `${v.sinks} sinks + window ${v.window}`;
  return `${id} per token, groups of ${group}`;
}

/**
 * Table rows for `measured` (measuredRuns(...) plus `results`, possibly
 * partial): strategies with the closed form as the kernel stores it and at
 * the panel's dtype; the dense variants side by side; notes in words.
 */
export function measuredRows(api, measured) {
  const { results, values: v } = measured;
  const notes = new Set();
  const strategies = measured.strategies.filter((s) => results[s.index]).map((s) => {
    const result = results[s.index];
    const closed = api.decodeKvClosedForm(result);
    const quantized = s.id === 'int8' || s.id === 'int4';
    if (closed.note) notes.add(`${s.id}: ${closed.note}.`);
    // The formula for the storage the panel shows: its dtype (fp16, bf16, fp8 scale the
    // fp32 bytes), or its int8/int4 layout with fp16 scales and zero points as configured.
    const shown = attempt(() => api.kvCache({
      ...closed.kv_input,
      kv_dtype: quantized ? v.kv_dtype : floatDtypes.includes(v.kv_dtype) ? v.kv_dtype : 'fp32',
      quant_group: v.group, quant_asymmetric: v.asymmetric === 'yes', quant_scale_dtype: 'fp16',
    }).bytes).value ?? NaN;  // NaN (shown as n/a) when the panel's layout is invalid
    return {
      id: s.id, label: strategyLabel(s.id, v, result.input.kv_group),
      stored: quantized ? `${s.id} codes, fp32 scales` : 'fp32',
      measured_bytes: closed.measured_bytes, predicted_bytes: closed.predicted_bytes, shown_bytes: shown,
      tokens_per_s: result.tokens_per_s, seconds: result.seconds, time: result.time, measured_steps: result.measured_steps,
      max_abs_error: result.max_abs_error,
    };
  });
  if (strategies.length && ['fp16', 'bf16', 'fp8'].includes(v.kv_dtype)) {
    notes.add(`The kernel keeps fp32; the column at ${v.kv_dtype} is the formula for the dtype shown above ` +
      `(${v.kv_dtype === 'fp8' ? 'a quarter' : 'half'} of the fp32 bytes).`);
  }
  if (strategies.length && (v.kv_dtype === 'int8' || v.kv_dtype === 'int4')) {
    notes.add(`The kernel quantizes symmetrically with fp32 scales; the column at ${v.kv_dtype} uses this panel's ` +
      `layout (fp16 scales${v.asymmetric === 'yes' ? ' and zero points' : ''})` +
      `${v.window > 0 ? ', and the quantized run keeps every token (the kernel does not combine quantization with a window)' : ''}.`);
  }
  const variants = measured.variants.filter((variant) => results[variant.index]).map((variant) => {
    const result = results[variant.index];
    return {
      id: variant.name.toLowerCase(), label: `${variant.name} (${variant.kv_heads} KV head${variant.kv_heads === 1 ? '' : 's'})`,
      kv_heads: variant.kv_heads, measured_bytes: result.kv_bytes,
      predicted_bytes: api.decodeKvClosedForm(result).predicted_bytes,
      tokens_per_s: result.tokens_per_s, seconds: result.seconds, time: result.time, measured_steps: result.measured_steps,
    };
  });
  const first = variants[0];
  for (const row of variants) {
    row.bytes_vs_first = row.measured_bytes / first.measured_bytes;
    row.speed_vs_first = first.seconds > 0 && row.seconds > 0 ? row.tokens_per_s / first.tokens_per_s : NaN;
    // Worded by the noise rule: a ratio only where the runs' q1–q3 ranges do not overlap.
    row.speed_vs_first_text = row === first ? '—' : ratioText(row.time, first.time);
  }
  const caption = `KV bytes of one layer: ${v.heads} heads, ${measured.kvHeads} KV heads × head dim ${measured.headDim}, ` +
    `${measured.tokens} tokens; error vs the full fp32 cache`;
  return { strategies, variants, notes: [...notes], caption };
}
