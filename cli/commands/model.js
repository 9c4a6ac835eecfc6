// `llm-spacetime model` and `llm-spacetime presets`.
import { explainOption, withExplanations } from '../explain.js';
import { numberFlag } from '../flags.js';
import { assumedLines, flagsOfFields, modelOptions, modelSourceUsage, resolveModel, withModelFlag } from '../model-source.js';
import { formatBytes, formatCount, formatTable } from '../table.js';

// The flags that override the model's fields.
const overrides = ['vocab', 'd-model', 'layers', 'heads', 'kv-heads', 'head-dim', 'd-ff', 'experts', 'top-k', 'window',
  'positions', 'ffn', 'norm', 'tied', 'untied', 'qkv-bias'];

const options = {
  ...modelOptions(overrides),
  context: { type: 'string' },
  ...explainOption,
};

const usage = `${modelSourceUsage} [--vocab N] [--d-model N] [--layers N]
    [--heads N] [--kv-heads N] [--head-dim N] [--d-ff N] [--ffn gated|plain]
    [--norm rms|layer] [--tied | --untied] [--qkv-bias] [--experts N] [--top-k N]
    [--window N] [--positions N] [--context N (default 4096)] [--explain] [--json]
  Flags after a preset or config.json override its values. Sizes accept 4096, 1e6, 32K.
  --explain adds each figure's formula, the numbers plugged in and sources (JSON: "explain").`;

/** Adds the flag that sets a field to the core's message ("d_model = -1 ... (--d-model)"). */
function withFlag(error, model, values) {
  return withModelFlag(error, model, { ...flagsOfFields(overrides), context_tokens: 'context' }, values);
}

const percent = (value) => `${value.toFixed(1)} %`;
const flops = (value) => (value >= 1e12 ? `${(value / 1e12).toFixed(3)} TFLOP`
  : `${(value / 1e9).toFixed(3)} GFLOP`);

function text(report, origin, model) {
  const { config, params, flops: f } = report;
  const lines = [];
  const title = origin.preset ?? config.name;
  lines.push(`${title}: ${formatCount(params.total)} parameters` +
    (params.active !== params.total ? ` (${formatCount(params.active)} active per token)` : ''));
  if (origin.source) lines.push(`source: ${origin.source}`);
  lines.push(...assumedLines(model));
  // A config.json import says this among its assumptions; a preset says it here.
  if (origin.preset && model.weights_format) {
    lines.push(`checkpoint weights: ${model.weights_format}${model.weights_keep ? `, kept in bf16: ${model.weights_keep}` : ''}`);
  }
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
      let model;
      try {
        model = resolveModel(api, values, { overrides });
        const { config, origin } = model;
        const context_tokens = numberFlag(values, 'context', 4096);
        const report = api.modelReport(config, { context_tokens });
        const json = { ...origin, weights_format: model.weights_format, weights_keep: model.weights_keep, ...report };
        return withExplanations({ json, text: text(report, origin, model) }, values,
          () => api.explainModel(config, { context_tokens }));
      } catch (error) {
        throw withFlag(error, model, values);
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
