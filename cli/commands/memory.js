// kv, kv-paging and attention-memory: the KV-cache calculator, the paging
// simulation and attention working memory, over the same WASM as the page.
import { explainOption, withExplanations } from '../explain.js';
import { aliasFlags, budgetFlag, budgetFlagOf, budgetOptions, choiceFlag, numberFlag, UsageError } from '../flags.js';
import { assumedLines, modelSourceOptions, modelSourceUsage, modelTitle, resolveModel, withModelFlag } from '../model-source.js';
import { formatBytes, formatCount, formatTable } from '../table.js';

const dtypes = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'];

// KV-input fields the shape flags set: they override the model's KV shape
// (not its config), so `--layers 30` on DeepSeek-V3 means 30 MLA layers.
const shapeFlags = { layers: 'n_layers', heads: 'n_heads', 'kv-heads': 'n_kv_heads', 'head-dim': 'head_dim', 'd-model': 'd_model', window: 'window' };
const shapeOptions = {
  ...modelSourceOptions,
  ...Object.fromEntries(Object.keys(shapeFlags).map((flag) => [flag, { type: 'string' }])),
};
// Every KV-input field a kv flag sets, for error messages.
const kvFlagOfField = {
  ...Object.fromEntries(Object.entries(shapeFlags).map(([flag, field]) => [field, flag])),
  batch: 'batch', prompt_tokens: 'prompt', generated_tokens: 'generated', kv_dtype: 'kv-dtype', quant_group: 'quant-group',
  quant_scale_dtype: 'scale-dtype', sinks: 'sinks', global_every: 'global-every', attention_layers: 'attention-layers',
  kv_lora_rank: 'kv-lora-rank', qk_rope_head_dim: 'rope-dim', block_size: 'block-size',
};

// kv's flags by field, prompt_tokens named after the flag typed (--context or --prompt).
const kvFlags = (values) => ({
  ...kvFlagOfField, prompt_tokens: values.prompt === undefined && values.context !== undefined ? 'context' : 'prompt',
});

// kv-paging's flags by field (the budget's, --budget or --budget-gb, by budgetFlagOf).
const pagingFlagOfField = {
  bytes_per_token: 'bytes-per-token', max_tokens: 'max-tokens',
  distribution: 'dist', mean_tokens: 'mean', std_tokens: 'std', block_size: 'block-size', snapshot: 'snapshot', seed: 'seed',
  max_requests: 'max-requests',
};

// The KV shape of the model (--preset / --hf-config, through the core's
// kvShapeFromModel: MLA, sliding and chunked layers), then the shape flags.
function resolveShape(api, values) {
  const model = resolveModel(api, values);
  let shape = {};
  if (model.from) {
    try {
      shape = api.kvShapeFromModel(model.config);
    } catch (error) {
      throw withModelFlag(error, model);
    }
  }
  for (const [flag, field] of Object.entries(shapeFlags)) {
    const value = numberFlag(values, flag, undefined);
    if (value !== undefined) shape[field] = value;
  }
  // --heads alone implies MHA unless --kv-heads or a model says otherwise.
  if (values.heads !== undefined && values['kv-heads'] === undefined && !model.from) shape.n_kv_heads = shape.n_heads;
  return { shape, model };
}

function tokensFrom(values) {
  const context = numberFlag(values, 'context', undefined);
  const prompt = numberFlag(values, 'prompt', undefined);
  const generated = numberFlag(values, 'generated', 0);
  if (context !== undefined && prompt !== undefined && prompt + generated !== context) {
    throw new UsageError(`--context = ${context} differs from --prompt + --generated = ${prompt + generated}`, 'context');
  }
  if (context !== undefined && prompt === undefined && values.generated !== undefined && generated > context) {
    throw new UsageError(`--generated = ${values.generated} is more than --context = ${values.context}`, 'generated');
  }
  if (context === undefined && prompt === undefined) return { generated_tokens: generated };
  return { prompt_tokens: prompt ?? context - generated, generated_tokens: generated };
}

// Small sizes in kB / KiB, large ones in GB / GiB.
const formatSize = (bytes) => (bytes < 1e7
  ? `${(bytes / 1e3).toFixed(2)} kB / ${(bytes / 1024).toFixed(2)} KiB` : formatBytes(bytes));

const percent = (fraction) => `${(100 * fraction).toFixed(2)} %`;

/** Readable lines on the model's spans and, for MLA, what a non-absorbing engine holds. */
function kvShapeLines(kv, input) {
  const spans = [`${formatCount(kv.global_layers)} global`];
  if (kv.local_layers > 0) spans.push(`${formatCount(kv.local_layers)} sliding (window ${formatCount(input.window)}${input.sinks ? ` + ${formatCount(input.sinks)} sinks` : ''})`);
  if (kv.chunked_layers > 0) spans.push(`${formatCount(kv.chunked_layers)} chunked (chunk ${formatCount(input.chunk)})`);
  const lines = [`${formatCount(kv.kv_layers)} KV layers (${spans.join(', ')}), ${kv.layout}`];
  if (input.kv_lora_rank > 0) {
    lines.push(`MLA: each layer caches one latent of kv_lora_rank ${formatCount(input.kv_lora_rank)} + RoPE key ` +
      `${formatCount(input.qk_rope_head_dim)} per token (the up-projections absorbed into the queries and output).`);
    if (kv.indexer_bytes_per_token_per_layer > 0) {
      lines.push(`Sparse attention: each layer also caches its indexer key of ${formatCount(input.indexer_head_dim)} ` +
        `values, ${formatCount(kv.indexer_bytes_per_token_per_layer)} B per token (fp8 + one fp32 scale per 128, whatever ` +
        'the KV dtype; kv_cache.indexer_bytes_per_token_per_layer).');
    }
    if (kv.unabsorbed_bytes_per_token > 0) {
      lines.push(`An engine that does not absorb them caches per-head K (${formatCount(input.qk_nope_head_dim)} + ` +
        `${formatCount(input.qk_rope_head_dim)}) and V (${formatCount(input.v_head_dim)}) for ${formatCount(input.n_heads)} heads: ` +
        `${formatCount(kv.unabsorbed_bytes_per_token)} B per token, ${(kv.unabsorbed_bytes_per_token / kv.bytes_per_token).toFixed(2)}× the latent ` +
        '(kv_cache.unabsorbed_bytes_per_token).');
    }
  }
  return lines;
}

const kvCommand = {
  name: 'kv',
  summary: 'KV-cache size: per token, per sequence, total; GQA/MQA/MLA, windows, chunks, sinks, quantized, paged',
  usage: `[--preset ID | --hf-config FILE | --layers L --heads H --kv-heads K --head-dim D [--d-model M]] [--batch B]
    [--context N | --prompt P [--generated G]] [--kv-dtype fp32|fp16|bf16|fp8|int8|int4] [--quant-group G] [--asymmetric]
    [--scale-dtype fp16|bf16|fp32] [--window W] [--sinks S] [--global-every G] [--attention-layers A]
    [--kv-lora-rank R --rope-dim D] [--block-size K] [--explain] [--json]
  A preset or config.json gives the KV shape: MLA latents, sliding-window and chunked layers by count.
  Shape flags after it override that shape (--layers, --heads, --kv-heads, --head-dim, --d-model, --window).`,
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
    const { shape, model } = resolveShape(api, values);
    const flags = {
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
    // An absent flag must not erase the model's value (DeepSeek's kv_lora_rank).
    const input = { ...shape, ...Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined)) };
    let kv;
    let compare;
    try {
      kv = api.kvCache(input);
      compare = api.kvCompare(input);
    } catch (error) {
      throw withModelFlag(error, null, kvFlags(values), values);
    }
    const filled = { ...api.kvCacheDefaults(), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    const json = {
      preset: model.origin.preset,
      origin: model.origin,
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
    const [shapeLine, ...mlaLines] = kvShapeLines(kv, filled);
    const text = [
      `KV cache${model.from ? ` of ${modelTitle(model)}` : ''}: ${shapeLine}`, ...assumedLines(model), ...mlaLines,
      '', formatTable(rows), '', formatTable(variantRows), '', formatTable(strategyRows),
    ].join('\n');
    return withExplanations({ json, text }, values, () => api.explainKv(input));
  },
};

const pagingCommand = {
  name: 'kv-paging',
  summary: 'Seeded simulation: naive max-length preallocation vs paged KV in a memory budget',
  usage: '[--preset ID | --hf-config FILE | shape flags as for kv] [--kv-dtype D] [--bytes-per-token B] [--budget-gb G | --budget BYTES] [--max-tokens N] ' +
    '[--dist fixed|uniform|normal|lognormal] [--mean N] [--std N] [--block-size K] [--snapshot final|in_flight] ' +
    '[--seed S] [--max-requests R] [--json]',
  options: {
    ...shapeOptions,
    'kv-dtype': { type: 'string' },
    'bytes-per-token': { type: 'string' },
    ...budgetOptions,
    'max-tokens': { type: 'string' },
    dist: { type: 'string' }, distribution: { type: 'string' },
    mean: { type: 'string' },
    std: { type: 'string' },
    'block-size': { type: 'string' },
    snapshot: { type: 'string' },
    seed: { type: 'string' },
    'max-requests': { type: 'string' },
  },
  run(api, typed) {
    const values = aliasFlags(typed, { distribution: 'dist' });
    let bytesPerToken = numberFlag(values, 'bytes-per-token', undefined);
    let model = null;
    const hasShape = Object.keys(shapeOptions).some((flag) => values[flag] !== undefined) || values['kv-dtype'] !== undefined;
    if (bytesPerToken !== undefined && hasShape) {
      const shapeFlag = [...Object.keys(shapeOptions), 'kv-dtype'].find((flag) => values[flag] !== undefined);
      throw new UsageError(`--${shapeFlag} = ${values[shapeFlag]} would be ignored: --bytes-per-token gives the KV bytes ` +
        'of a token; give it or a model shape, not both', shapeFlag);
    }
    if (bytesPerToken === undefined && hasShape) {
      let shape;
      ({ shape, model } = resolveShape(api, values));
      // Bytes per token do not depend on windows or chunks: every KV layer holds the newest token.
      try {
        bytesPerToken = api.kvCache({ ...shape, kv_dtype: choiceFlag(values, 'kv-dtype', dtypes, undefined) }).bytes_per_token;
      } catch (error) {
        throw withModelFlag(error, null, kvFlags(values), values);
      }
    }
    const input = {
      bytes_per_token: bytesPerToken,
      budget_bytes: budgetFlag(values),
      max_tokens: numberFlag(values, 'max-tokens', undefined),
      distribution: choiceFlag(values, 'dist', ['fixed', 'uniform', 'normal', 'lognormal'], undefined),
      mean_tokens: numberFlag(values, 'mean', undefined),
      std_tokens: numberFlag(values, 'std', undefined),
      block_size: numberFlag(values, 'block-size', undefined),
      snapshot: choiceFlag(values, 'snapshot', ['final', 'in_flight'], undefined),
      seed: numberFlag(values, 'seed', undefined),
      max_requests: numberFlag(values, 'max-requests', undefined),
    };
    let result;
    try {
      result = api.simulatePaging(input);
    } catch (error) {
      throw withModelFlag(error, null, { ...pagingFlagOfField, budget_bytes: budgetFlagOf(values) }, values);
    }
    const filled = { ...api.pagingSimDefaults(), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    const rows = [['scheme', 'sequences', 'reserved', 'waste'],
      ...result.schemes.map((s) => [s.label, formatCount(s.sequences), formatBytes(s.reserved_bytes), percent(s.waste_fraction)])];
    const text = [
      ...(model?.from ? [`${modelTitle(model)}: ${formatCount(bytesPerToken)} KV bytes per token`] : []),
      `${formatCount(result.requests_drawn)} requests drawn (${filled.distribution}), mean ${result.mean_length_tokens.toFixed(1)} ` +
        `tokens, std ${result.std_length_tokens.toFixed(1)}, ${percent(result.clipped_fraction)} clipped to [1, ${formatCount(filled.max_tokens)}]`,
      '', formatTable(rows), '',
      `paged fits ${result.paged_vs_naive_sequences.toFixed(2)}× the sequences of naive preallocation` +
        (result.hit_request_limit ? ' (stopped at --max-requests before the budget ran out)' : ''),
    ].join('\n');
    const json = { input: filled, ...result };
    if (model?.from) json.origin = model.origin;
    return { json, text };
  },
};

// The heads and head_dim attention-memory takes from a model, and in words which dims they are.
function attentionDims(api, values) {
  const model = resolveModel(api, values);
  if (!model.from) return { model, dims: null };
  let shape;
  try {
    shape = api.kvShapeFromModel(model.config);
  } catch (error) {
    throw withModelFlag(error, model);
  }
  const dims = { heads: shape.n_heads, head_dim: shape.head_dim, attention: shape.kv_lora_rank > 0 ? 'mla' : 'gqa', note: '' };
  if (dims.attention === 'mla') {
    dims.note = `MLA: d = qk_nope_head_dim ${shape.qk_nope_head_dim} + qk_rope_head_dim ${shape.qk_rope_head_dim} = ${shape.head_dim}, ` +
      `the query/key width of each of the ${shape.n_heads} heads when the up-projections are applied (prefill); values have ` +
      `v_head_dim ${shape.v_head_dim}. Absorbed decode instead attends over the latent (kv_lora_rank ${shape.kv_lora_rank} + ` +
      `RoPE ${shape.qk_rope_head_dim}).`;
  }
  const spans = [];
  if (shape.local_layers > 0) spans.push(`${shape.local_layers} of ${shape.n_layers} layers attend within a window of ${formatCount(shape.window)}`);
  if (shape.chunked_layers > 0) spans.push(`${shape.chunked_layers} of ${shape.n_layers} layers within chunks of ${formatCount(shape.chunk)}`);
  if (spans.length) dims.note = `${dims.note ? `${dims.note} ` : ''}${spans.join('; ')}: these figures are for a full-attention layer.`;
  return { model, dims };
}

const attentionMemoryCommand = {
  name: 'attention-memory',
  summary: 'Attention working memory and HBM traffic: standard (N×N scores) vs FlashAttention',
  usage: `--n N ${modelSourceUsage} [--d D] [--heads H] [--batch B] [--sram-kib K] [--element-bytes E] [--json]
  A preset or config.json gives the heads and d (head_dim; MLA: qk_nope_head_dim + qk_rope_head_dim); --heads and --d override them.`,
  options: {
    ...modelSourceOptions,
    n: { type: 'string' },
    d: { type: 'string' },
    heads: { type: 'string' },
    batch: { type: 'string' },
    'sram-kib': { type: 'string' },
    'element-bytes': { type: 'string' },
  },
  run(api, values) {
    const { model, dims } = attentionDims(api, values);
    const sramKib = numberFlag(values, 'sram-kib', undefined);
    const input = {
      n: numberFlag(values, 'n', undefined),
      head_dim: numberFlag(values, 'd', dims?.head_dim),
      heads: numberFlag(values, 'heads', dims?.heads),
      batch: numberFlag(values, 'batch', undefined),
      sram_bytes: sramKib === undefined ? undefined : sramKib * 1024,
      element_bytes: numberFlag(values, 'element-bytes', undefined),
    };
    let result;
    try {
      result = api.attentionMemory(input);
    } catch (error) {
      throw withModelFlag(error, null, { n: 'n', head_dim: 'd', heads: 'heads', batch: 'batch',
        sram_bytes: { flag: 'sram-kib', scale: 1024 }, element_bytes: 'element-bytes' }, values);
    }
    const filled = { ...api.attentionMemoryDefaults(), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    const { series, ...summary } = result;
    const rows = [['', 'standard', 'FlashAttention'],
      ['working memory (all heads)', formatBytes(result.standard_scores_bytes), formatSize(result.flash_extra_bytes)],
      ['HBM traffic (all heads)', formatBytes(result.standard_hbm_bytes), formatBytes(result.flash_hbm_bytes)]];
    const text = [`${model.from ? `${modelTitle(model)}: ` : ''}N = ${formatCount(filled.n)}, d = ${filled.head_dim}, ${filled.heads} heads, ` +
      `SRAM ${formatCount(filled.sram_bytes)} B (B_c = ${result.block_cols}, T_c = ${formatCount(result.column_blocks)})`,
    ...(dims?.note ? [dims.note] : []),
    '', formatTable(rows), '',
    `standard moves ${result.hbm_ratio.toFixed(2)}× the bytes of FlashAttention`].join('\n');
    const json = { input: filled, ...summary, series };
    if (model.from) Object.assign(json, { origin: model.origin, model_dims: dims });
    return { json, text };
  },
};

export const memoryCommands = [kvCommand, pagingCommand, attentionMemoryCommand];
