// kv, kv-paging and attention-memory: the KV-cache calculator, the paging
// simulation and attention working memory, over the same WASM as the page.
import { explainOption, withExplanations } from '../explain.js';
import { choiceFlag, numberFlag, UsageError } from '../flags.js';
import { formatBytes, formatCount, formatTable } from '../table.js';

const dtypes = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'];

const shapeOptions = {
  preset: { type: 'string' },
  layers: { type: 'string' },
  heads: { type: 'string' },
  'kv-heads': { type: 'string' },
  'head-dim': { type: 'string' },
  'd-model': { type: 'string' },
  window: { type: 'string' },
};

// Model shape from --preset (through the model area's api.modelPresets) and
// custom flags, which override the preset's fields.
function resolveShape(api, values) {
  let shape = {};
  let presetId = null;
  if (values.preset !== undefined) {
    if (typeof api.modelPresets !== 'function') {
      throw new UsageError('--preset needs the model presets (api.modelPresets), which this build does not have yet; ' +
        'give the shape with --layers --heads --kv-heads --head-dim instead', 'preset');
    }
    const presets = api.modelPresets();
    const preset = presets.find((candidate) => candidate.id === values.preset);
    if (!preset) {
      throw new UsageError(`--preset = "${values.preset}" is not a preset (known: ${presets.map((p) => p.id).join(', ')})`, 'preset');
    }
    presetId = preset.id;
    shape = api.kvShapeFromModel(preset.config);
  }
  const flags = { layers: 'n_layers', heads: 'n_heads', 'kv-heads': 'n_kv_heads', 'head-dim': 'head_dim', 'd-model': 'd_model', window: 'window' };
  for (const [flag, field] of Object.entries(flags)) {
    const value = numberFlag(values, flag, undefined);
    if (value !== undefined) shape[field] = value;
  }
  // --heads alone implies MHA unless --kv-heads or a preset says otherwise.
  if (values.heads !== undefined && values['kv-heads'] === undefined && presetId === null) shape.n_kv_heads = shape.n_heads;
  return { shape, presetId };
}

function tokensFrom(values) {
  const context = numberFlag(values, 'context', undefined);
  const prompt = numberFlag(values, 'prompt', undefined);
  const generated = numberFlag(values, 'generated', 0);
  if (context !== undefined && prompt !== undefined && prompt + generated !== context) {
    throw new UsageError(`--context = ${context} differs from --prompt + --generated = ${prompt + generated}`, 'context');
  }
  if (context === undefined && prompt === undefined) return { generated_tokens: generated };
  return { prompt_tokens: prompt ?? context - generated, generated_tokens: generated };
}

// Small sizes in kB / KiB, large ones in GB / GiB.
const formatSize = (bytes) => (bytes < 1e7
  ? `${(bytes / 1e3).toFixed(2)} kB / ${(bytes / 1024).toFixed(2)} KiB` : formatBytes(bytes));

const percent = (fraction) => `${(100 * fraction).toFixed(2)} %`;

const kvCommand = {
  name: 'kv',
  summary: 'KV-cache size: per token, per sequence, total; GQA/MQA/MLA, windows, sinks, quantized, paged',
  usage: '[--preset NAME | --layers L --heads H --kv-heads K --head-dim D [--d-model M]] [--batch B] ' +
    '[--context N | --prompt P [--generated G]] [--kv-dtype fp32|fp16|bf16|fp8|int8|int4] [--quant-group G] [--asymmetric] [--scale-dtype fp16|bf16|fp32] ' +
    '[--window W] [--sinks S] [--global-every G] [--attention-layers A] [--kv-lora-rank R --rope-dim D] [--block-size K] [--explain] [--json]',
  options: {
    ...shapeOptions,
    batch: { type: 'string' },
    context: { type: 'string' },
    prompt: { type: 'string' },
    generated: { type: 'string' },
    'kv-dtype': { type: 'string' },
    'quant-group': { type: 'string' },
    asymmetric: { type: 'boolean' },
    'scale-dtype': { type: 'string' },
    sinks: { type: 'string' },
    'global-every': { type: 'string' },
    'attention-layers': { type: 'string' },
    'kv-lora-rank': { type: 'string' },
    'rope-dim': { type: 'string' },
    'block-size': { type: 'string' },
    ...explainOption,
  },
  run(api, values) {
    const { shape, presetId } = resolveShape(api, values);
    const input = {
      ...shape,
      ...tokensFrom(values),
      kv_dtype: choiceFlag(values, 'kv-dtype', dtypes, undefined),
      batch: numberFlag(values, 'batch', undefined),
      quant_group: numberFlag(values, 'quant-group', undefined),
      quant_asymmetric: values.asymmetric,
      quant_scale_dtype: choiceFlag(values, 'scale-dtype', ['fp16', 'bf16', 'fp32'], undefined),
      sinks: numberFlag(values, 'sinks', undefined),
      global_every: numberFlag(values, 'global-every', undefined),
      attention_layers: numberFlag(values, 'attention-layers', undefined),
      kv_lora_rank: numberFlag(values, 'kv-lora-rank', undefined),
      qk_rope_head_dim: numberFlag(values, 'rope-dim', undefined),
      block_size: numberFlag(values, 'block-size', undefined),
    };
    const kv = api.kvCache(input);
    const compare = api.kvCompare(input);
    const filled = { ...api.kvCacheDefaults(), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    const json = {
      preset: presetId,
      input: filled,
      kv_cache: kv,
      variants: compare.variants,
      strategies: compare.strategies,
    };
    const rows = [
      ['', 'bytes', 'GB / GiB'],
      ['per token (every KV layer)', formatCount(kv.bytes_per_token), formatSize(kv.bytes_per_token)],
      [`per sequence (${formatCount(kv.tokens)} tokens)`, formatCount(kv.bytes_per_sequence), formatBytes(kv.bytes_per_sequence)],
      [`total (batch ${formatCount(filled.batch)})`, formatCount(kv.bytes), formatBytes(kv.bytes)],
    ];
    if (kv.block_size > 0) {
      rows.push([`paged, blocks of ${formatCount(kv.block_size)} (waste ${percent(kv.paged_waste_fraction)})`,
        formatCount(kv.paged_bytes), formatBytes(kv.paged_bytes)]);
    }
    const variantRows = [['variant', 'bytes/token', 'total', 'vs first'],
      ...compare.variants.map((v) => [v.label, formatCount(v.bytes_per_token), formatBytes(v.bytes), `${v.ratio_to_first.toFixed(4)}×`])];
    const strategyRows = [['strategy', 'per sequence', 'vs full'],
      ...compare.strategies.map((s) => [s.label, formatBytes(s.bytes_per_sequence), `${s.ratio_to_first.toFixed(4)}×`])];
    const text = [
      `KV cache${presetId ? ` of ${presetId}` : ''}: ${formatCount(kv.kv_layers)} KV layers (${formatCount(kv.global_layers)} global, ` +
        `${formatCount(kv.local_layers)} local), ${kv.layout}`,
      '', formatTable(rows), '', formatTable(variantRows), '', formatTable(strategyRows),
    ].join('\n');
    return withExplanations({ json, text }, values, () => api.explainKv(input));
  },
};

const pagingCommand = {
  name: 'kv-paging',
  summary: 'Seeded simulation: naive max-length preallocation vs paged KV in a memory budget',
  usage: '[--preset NAME | shape flags] [--kv-dtype D] [--bytes-per-token B] [--budget-gb G] [--max-tokens N] ' +
    '[--dist fixed|uniform|normal|lognormal] [--mean N] [--std N] [--block-size K] [--snapshot final|in_flight] ' +
    '[--seed S] [--max-requests R] [--json]',
  options: {
    ...shapeOptions,
    'kv-dtype': { type: 'string' },
    'bytes-per-token': { type: 'string' },
    'budget-gb': { type: 'string' },
    'max-tokens': { type: 'string' },
    dist: { type: 'string' },
    mean: { type: 'string' },
    std: { type: 'string' },
    'block-size': { type: 'string' },
    snapshot: { type: 'string' },
    seed: { type: 'string' },
    'max-requests': { type: 'string' },
  },
  run(api, values) {
    let bytesPerToken = numberFlag(values, 'bytes-per-token', undefined);
    const hasShape = Object.keys(shapeOptions).some((flag) => values[flag] !== undefined) || values['kv-dtype'] !== undefined;
    if (bytesPerToken === undefined && hasShape) {
      const { shape } = resolveShape(api, values);
      bytesPerToken = api.kvCache({ ...shape, kv_dtype: choiceFlag(values, 'kv-dtype', dtypes, undefined), window: 0 }).bytes_per_token;
    }
    const budgetGb = numberFlag(values, 'budget-gb', undefined);
    const input = {
      bytes_per_token: bytesPerToken,
      budget_bytes: budgetGb === undefined ? undefined : budgetGb * 1e9,
      max_tokens: numberFlag(values, 'max-tokens', undefined),
      distribution: choiceFlag(values, 'dist', ['fixed', 'uniform', 'normal', 'lognormal'], undefined),
      mean_tokens: numberFlag(values, 'mean', undefined),
      std_tokens: numberFlag(values, 'std', undefined),
      block_size: numberFlag(values, 'block-size', undefined),
      snapshot: choiceFlag(values, 'snapshot', ['final', 'in_flight'], undefined),
      seed: numberFlag(values, 'seed', undefined),
      max_requests: numberFlag(values, 'max-requests', undefined),
    };
    const result = api.simulatePaging(input);
    const filled = { ...api.pagingSimDefaults(), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    const rows = [['scheme', 'sequences', 'reserved', 'waste'],
      ...result.schemes.map((s) => [s.label, formatCount(s.sequences), formatBytes(s.reserved_bytes), percent(s.waste_fraction)])];
    const text = [
      `${formatCount(result.requests_drawn)} requests drawn (${filled.distribution}), mean ${result.mean_length_tokens.toFixed(1)} ` +
        `tokens, std ${result.std_length_tokens.toFixed(1)}, ${percent(result.clipped_fraction)} clipped to [1, ${formatCount(filled.max_tokens)}]`,
      '', formatTable(rows), '',
      `paged fits ${result.paged_vs_naive_sequences.toFixed(2)}× the sequences of naive preallocation` +
        (result.hit_request_limit ? ' (stopped at --max-requests before the budget ran out)' : ''),
    ].join('\n');
    return { json: { input: filled, ...result }, text };
  },
};

const attentionMemoryCommand = {
  name: 'attention-memory',
  summary: 'Attention working memory and HBM traffic: standard (N×N scores) vs FlashAttention',
  usage: '--n N [--d D] [--heads H] [--batch B] [--sram-kib K] [--element-bytes E] [--json]',
  options: {
    n: { type: 'string' },
    d: { type: 'string' },
    heads: { type: 'string' },
    batch: { type: 'string' },
    'sram-kib': { type: 'string' },
    'element-bytes': { type: 'string' },
  },
  run(api, values) {
    const sramKib = numberFlag(values, 'sram-kib', undefined);
    const input = {
      n: numberFlag(values, 'n', undefined),
      head_dim: numberFlag(values, 'd', undefined),
      heads: numberFlag(values, 'heads', undefined),
      batch: numberFlag(values, 'batch', undefined),
      sram_bytes: sramKib === undefined ? undefined : sramKib * 1024,
      element_bytes: numberFlag(values, 'element-bytes', undefined),
    };
    const result = api.attentionMemory(input);
    const filled = { ...api.attentionMemoryDefaults(), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    const { series, ...summary } = result;
    const rows = [['', 'standard', 'FlashAttention'],
      ['working memory (all heads)', formatBytes(result.standard_scores_bytes), formatSize(result.flash_extra_bytes)],
      ['HBM traffic (all heads)', formatBytes(result.standard_hbm_bytes), formatBytes(result.flash_hbm_bytes)]];
    const text = [`N = ${formatCount(filled.n)}, d = ${filled.head_dim}, ${filled.heads} heads, SRAM ${formatCount(filled.sram_bytes)} B ` +
      `(B_c = ${result.block_cols}, T_c = ${formatCount(result.column_blocks)})`, '', formatTable(rows), '',
      `standard moves ${result.hbm_ratio.toFixed(2)}× the bytes of FlashAttention`].join('\n');
    return { json: { input: filled, ...summary, series }, text };
  },
};

export const memoryCommands = [kvCommand, pagingCommand, attentionMemoryCommand];
