// `llm-spacetime model` and `llm-spacetime presets`.
import { readFileSync } from 'node:fs';

import { InputError } from '../../lib/api.js';
import { explainOption, withExplanations } from '../explain.js';
import { choiceFlag, numberFlag, UsageError } from '../flags.js';
import { formatBytes, formatCount, formatTable } from '../table.js';

// Numeric flags and the ModelConfig field each sets.
const sizeFlags = {
  vocab: 'vocab_size',
  'd-model': 'd_model',
  layers: 'n_layers',
  heads: 'n_heads',
  'kv-heads': 'n_kv_heads',
  'head-dim': 'head_dim',
  'd-ff': 'd_ff',
  experts: 'n_experts',
  'top-k': 'experts_top_k',
  window: 'sliding_window',
  positions: 'learned_position_embeddings',
};
const flagOfField = Object.fromEntries(Object.entries(sizeFlags).map(([flag, field]) => [field, flag]));

const options = {
  preset: { type: 'string' },
  'hf-config': { type: 'string' },
  ...Object.fromEntries(Object.keys(sizeFlags).map((flag) => [flag, { type: 'string' }])),
  ffn: { type: 'string' },
  norm: { type: 'string' },
  tied: { type: 'boolean' },
  untied: { type: 'boolean' },
  'qkv-bias': { type: 'boolean' },
  context: { type: 'string' },
  ...explainOption,
};

const usage = `[--preset ID | --hf-config FILE] [--vocab N] [--d-model N] [--layers N]
    [--heads N] [--kv-heads N] [--head-dim N] [--d-ff N] [--ffn gated|plain]
    [--norm rms|layer] [--tied | --untied] [--qkv-bias] [--experts N] [--top-k N]
    [--window N] [--positions N] [--context N (default 4096)] [--explain] [--json]
  Flags after a preset or config.json override its values. Sizes accept 4096, 1e6, 32K.
  --explain adds each figure's formula, the numbers plugged in and sources (JSON: "explain").`;

/** The config the flags describe: a preset or a config.json, then overrides. */
function configFromFlags(api, values) {
  if (values.preset !== undefined && values['hf-config'] !== undefined) {
    throw new UsageError('give --preset or --hf-config, not both', 'preset');
  }
  let config = {};
  let origin = { preset: null, source: null, model_type: null, assumed: [] };
  if (values.preset !== undefined) {
    const preset = api.modelPreset(values.preset);
    config = { ...preset.config };
    origin = { ...origin, preset: preset.id, source: preset.source };
  } else if (values['hf-config'] !== undefined) {
    let text;
    try {
      text = readFileSync(values['hf-config'], 'utf8');
    } catch (error) {
      throw new UsageError(`--hf-config = "${values['hf-config']}" cannot be read (${error.code ?? error.message})`, 'hf-config');
    }
    const imported = api.importHfConfig(text);
    config = { ...imported.config };
    origin = { ...origin, source: values['hf-config'], model_type: imported.model_type, assumed: imported.assumed };
  }
  for (const [flag, field] of Object.entries(sizeFlags)) {
    const value = numberFlag(values, flag);
    if (value !== undefined) config[field] = value;
  }
  const ffn = choiceFlag(values, 'ffn', ['gated', 'plain']);
  if (ffn) config.ffn = ffn;
  const norm = choiceFlag(values, 'norm', ['rms', 'layer']);
  if (norm) config.norm = norm;
  if (values.tied && values.untied) throw new UsageError('give --tied or --untied, not both', 'tied');
  if (values.tied) config.tied_embeddings = true;
  if (values.untied) config.tied_embeddings = false;
  if (values['qkv-bias']) config.qkv_bias = true;
  return { config, origin };
}

/** Adds the flag that sets a field to the core's message ("d_model = -1 ... (--d-model)"). */
function withFlag(error) {
  if (error instanceof InputError && flagOfField[error.field]) {
    return new InputError(error.field, `${error.message} (--${flagOfField[error.field]})`);
  }
  if (error instanceof InputError && error.field === 'context_tokens') {
    return new InputError(error.field, `${error.message} (--context)`);
  }
  return error;
}

const percent = (value) => `${value.toFixed(1)} %`;
const flops = (value) => (value >= 1e12 ? `${(value / 1e12).toFixed(3)} TFLOP`
  : `${(value / 1e9).toFixed(3)} GFLOP`);

function text(report, origin) {
  const { config, params, flops: f } = report;
  const lines = [];
  const title = origin.preset ?? config.name;
  lines.push(`${title}: ${formatCount(params.total)} parameters` +
    (params.active !== params.total ? ` (${formatCount(params.active)} active per token)` : ''));
  if (origin.source) lines.push(`source: ${origin.source}`);
  for (const line of origin.assumed) lines.push(`assumed: ${line}`);
  lines.push('', formatTable([
    ['part', 'per layer', 'total', 'share'],
    ...params.parts.map((part) => [part.label, part.per_layer ? formatCount(part.per_layer) : '',
      formatCount(part.count), percent(part.percent)]),
    ['Total', formatCount(params.per_layer), formatCount(params.total), '100.0 %'],
  ]));
  lines.push('', formatTable([
    ['weights', 'bits', 'size'],
    ...report.weights_memory.map((row) => [row.label, String(row.bits), formatBytes(row.bytes)]),
  ]));
  const row = (label, split) => [label, flops(split.attention_projections), flops(split.attention_scores),
    flops(split.ffn), flops(split.lm_head), flops(split.total)];
  lines.push('', formatTable([
    ['FLOPs', 'attn proj', 'attn scores', 'FFN', 'LM head', 'total'],
    row(`decode, 1 token at ${formatCount(f.context_tokens)}`, f.decode_split),
    row(`prefill, ${formatCount(f.context_tokens)} tokens`, f.prefill_split),
  ]));
  lines.push('', report.crossover_context_tokens === null
    ? `attention never reaches FFN FLOPs at decode (sliding window ${formatCount(config.sliding_window)})`
    : `decode attention FLOPs equal FFN FLOPs at context ${formatCount(report.crossover_context_tokens)}` +
      (Number.isInteger(report.crossover_context_tokens) ? '' : ` (${report.crossover_context_tokens.toFixed(2)})`));
  return lines.join('\n');
}

export const modelCommands = [
  {
    name: 'model',
    summary: 'parameters, weights memory and FLOPs of a model (preset, config.json or flags)',
    usage,
    options,
    run(api, values) {
      try {
        const { config, origin } = configFromFlags(api, values);
        const context_tokens = numberFlag(values, 'context', 4096);
        const report = api.modelReport(config, { context_tokens });
        return withExplanations({ json: { ...origin, ...report }, text: text(report, origin) }, values,
          () => api.explainModel(config, { context_tokens }));
      } catch (error) {
        throw withFlag(error);
      }
    },
  },
  {
    name: 'presets',
    summary: 'list the model presets with their sources',
    usage: '[--json]',
    options: {},
    run(api) {
      const presets = api.modelPresets().map((preset) => ({
        ...preset, params_total: api.countParams(preset.config).total,
      }));
      return {
        json: presets,
        text: formatTable([
          ['id', 'model', 'parameters', 'source'],
          ...presets.map((p) => [p.id, p.label, formatCount(p.params_total), p.source]),
        ]),
      };
    },
  },
];
