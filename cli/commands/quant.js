// quant: weight bytes of a model under a format (mixed precision too);
// quant-lab: measured quantize → dequantize error; quant-gemv: measured GEMV.
import { explainOption, withExplanations } from '../explain.js';
import { aliasFlags, choiceFlag, numberFlag, UsageError } from '../flags.js';
import { assumedLines, modelSourceOptions, modelTitle, resolveModel, withModelFlag } from '../model-source.js';
import { formatBytes, formatCount, formatTable } from '../table.js';
import { maxSecondsOption, maxSecondsUsage } from '../work-limit.js';
import { formatTiming } from '../../lib/timing.js';
import { parallelLines, runSplitCommand, workersFlag, workersOption, workersUsage } from '../split.js';

const specOptions = {
  format: { type: 'string' },
  group: { type: 'string' },
  layout: { type: 'string' },
  'channel-size': { type: 'string' },
  'scale-dtype': { type: 'string' },
  'double-quant': { type: 'boolean' },
};

const components = ['embedding', 'attention', 'ffn', 'router', 'norms', 'lm_head'];
const flagOf = (component) => component.replace('_', '-');
// The flag behind each quantSize field, for error messages.
const flagOfField = {
  format: 'format', layout: 'layout', group_size: 'group', channel_size: 'channel-size', scale_dtype: 'scale-dtype',
  ...Object.fromEntries(components.map((c) => [`${c}_format`, `${flagOf(c)}-format`])),
  ...Object.fromEntries(components.map((c) => [`${c}_params`, `${flagOf(c)}-params`])),
};

function specFrom(values, defaults) {
  const layout = choiceFlag(values, 'layout', ['tensor', 'channel', 'group'], defaults.layout);
  // Each size applies to one layout only: refuse it under another rather than read and ignore it.
  for (const [flag, needs] of [['group', 'group'], ['channel-size', 'channel']]) {
    if (values[flag] !== undefined && layout !== needs) {
      throw new UsageError(`--${flag} = ${values[flag]} applies only with --layout ${needs} (the layout is ${layout})`, flag);
    }
  }
  return {
    format: values.format ?? defaults.format,
    layout: choiceFlag(values, 'layout', ['tensor', 'channel', 'group'], defaults.layout),
    group_size: numberFlag(values, 'group', defaults.group_size),
    channel_size: numberFlag(values, 'channel-size', defaults.channel_size),
    scale_dtype: choiceFlag(values, 'scale-dtype', ['fp32', 'fp16', 'bf16'], defaults.scale_dtype),
    double_quant: Boolean(values['double-quant']),
  };
}

// The model to size: a preset's or config.json's config (quantSize counts its
// components), or the parameter counts given by flag.
function resolveParams(api, values) {
  const model = resolveModel(api, values);
  if (model.from) return { model, name: model.origin.preset ?? model.config.name, sized: { config: model.config } };
  const params = {};
  for (const component of components) params[component] = numberFlag(values, `${flagOf(component)}-params`, 0);
  if (components.every((component) => params[component] === 0)) {
    throw new UsageError('give --preset ID, --hf-config FILE or the parameter counts (--embedding-params, --attention-params, ' +
      '--ffn-params, --router-params, --norms-params, --lm-head-params)', 'preset');
  }
  return { model, name: 'custom', sized: { params } };
}

const percent = (value) => `${(value * 100).toFixed(3)} %`;
// "12.3 (12.1–12.9)": a per-call time in µs, median (q1–q3).
const spreadMicroseconds = (t) => `${(t.median_s * 1e6).toFixed(1)} (${(t.q1_s * 1e6).toFixed(1)}–${(t.q3_s * 1e6).toFixed(1)})`;

export const quantCommands = [
  {
    name: 'quant',
    summary: 'weights bytes of a model under a quantization format (mixed precision too)',
    usage: `--preset ID | --hf-config FILE | --attention-params N --ffn-params N ... (also --embedding-, --router-,
    --norms-, --lm-head-params) --format int4 [--group 128] [--layout group|channel|tensor] [--scale-dtype fp32|fp16|bf16]
    [--double-quant] [--embedding-format fp16] [--lm-head-format fp16] [--attention-format F] [--ffn-format F]
    [--router-format F] [--norms-format F] [--explain] [--json]
  A preset or config.json is sized by its components (experts, routers, MLA, shared experts, MTP, vision included).`,
    options: {
      ...modelSourceOptions,
      ...specOptions,
      ...explainOption,
      ...Object.fromEntries(components.map((c) => [`${flagOf(c)}-params`, { type: 'string' }])),
      ...Object.fromEntries(components.map((c) => [`${flagOf(c)}-format`, { type: 'string' }])),
    },
    run(api, values) {
      const { model, name, sized } = resolveParams(api, values);
      const defaults = api.quantDefaults().size;
      const input = { ...sized, ...specFrom(values, defaults.spec) };
      for (const component of components) {
        const flag = `${flagOf(component)}-format`;
        if (values[flag] !== undefined) input[`${component}_format`] = values[flag];
      }
      let result;
      try {
        result = api.quantSize(input);
      } catch (error) {
        throw withModelFlag(error, model, flagOfField, values);
      }
      const json = {
        model: name,
        origin: model.origin,
        format: input.format,
        bits_per_weight: result.bits.bits_per_weight,
        bits: result.bits,
        weights: {
          bytes: result.bytes,
          gb: result.bytes / 1e9,
          gib: result.bytes / 2 ** 30,
          params: result.total_params,
          bits_per_weight: result.bits_per_weight,
          fp16_bytes: result.fp16_bytes,
          saving_vs_fp16: result.saving_vs_fp16,
          components: result.components,
        },
      };
      const rows = [['component', 'format', 'params', 'bits/weight', 'bytes', 'share']];
      for (const c of result.components) {
        rows.push([c.component, c.format, formatCount(c.params), c.bits_per_weight.toFixed(4), formatBytes(c.bytes), percent(c.share)]);
      }
      rows.push(['total', '', formatCount(result.total_params), result.bits_per_weight.toFixed(4), formatBytes(result.bytes), '']);
      const title = model.from ? modelTitle(model) : name;
      const text = `${title}: ${input.format} = ${result.bits.formula} bits per weight\n` +
        `${assumedLines(model).map((line) => `${line}\n`).join('')}\n${formatTable(rows)}\n\n` +
        `fp16: ${formatBytes(result.fp16_bytes)}; saved ${percent(result.saving_vs_fp16)}`;
      return withExplanations({ json, text }, values, () => api.explainQuant(input));
    },
  },
  {
    name: 'quant-lab',
    summary: 'measured quantize → dequantize error on a seeded synthetic tensor',
    usage: '--format nf4 [--group 64] [--layout group|channel|tensor] [--scale-dtype fp32] [--double-quant] [--dist|--distribution normal|laplace|llm] [--n 1048576] [--seed 1] [--channel-size 4096] [--bins 41] [--runs 5] [--scalar] ' + `${workersUsage} ${maxSecondsUsage} [--json]`,
    options: {
      ...specOptions,
      dist: { type: 'string' }, distribution: { type: 'string' },
      n: { type: 'string' },
      seed: { type: 'string' },
      bins: { type: 'string' },
      runs: { type: 'string' },
      scalar: { type: 'boolean' },
      ...workersOption,
      ...maxSecondsOption,
    },
    async run(api, typed) {
      const values = aliasFlags(typed, { distribution: 'dist' });
      const workers = workersFlag(values);
      const defaults = api.quantDefaults().lab;
      const input = {
        ...specFrom(values, defaults),
        dist: choiceFlag(values, 'dist', ['normal', 'laplace', 'llm'], defaults.dist),
        n: numberFlag(values, 'n', defaults.n),
        seed: numberFlag(values, 'seed', defaults.seed),
        histogram_bins: numberFlag(values, 'bins', defaults.histogram_bins),
        runs: numberFlag(values, 'runs', defaults.runs),
        simd: !values.scalar,
      };
      const labFlags = { ...flagOfField, dist: 'dist', n: 'n', seed: 'seed', histogram_bins: 'bins', runs: 'runs' };
      // Split by chunks of 65,536 values across --workers threads (one when a scale reaches across chunks).
      const result = await runSplitCommand(api, 'quantLab', input, workers, values, labFlags,
        (whole, used) => ({ ...whole, n: Math.ceil(whole.n / used) }));
      const { histogram_edges: edges, histogram_counts: counts, ...rest } = result;
      const json = { ...rest, snr_db: Number.isFinite(rest.snr_db) ? rest.snr_db : null, histogram: { edges, counts } };
      const text = formatTable([
        ['metric', 'value'],
        ['format', `${result.format} (group ${result.group_size || 'tensor'}, ${result.bits_per_weight.toFixed(4)} bits/weight)`],
        ['data', `${result.dist}, n = ${formatCount(result.n)}, seed ${input.seed}`],
        ['relative RMSE', percent(result.rel_rmse)],
        ['SNR', `${result.snr_db.toFixed(2)} dB`],
        ['cosine', result.cosine.toFixed(6)],
        ['max |error|', result.max_abs_error.toPrecision(4)],
        ['kernel', `${result.kernel}, ${formatTiming(result.quantize_time)} per pass (median (q1–q3) of ${result.quantize_time.runs})`],
      ]);
      return { json, text: [text, ...parallelLines(result.parallel, 'chunks of 65,536 values')].join('\n') };
    },
  },
  {
    name: 'quant-gemv',
    summary: 'measured matrix-vector product with fp32, int8, int4 and int8×int8 weights',
    usage: `[--rows 4096] [--cols 4096] [--group 128] [--seed 1] [--min-time|--min-seconds 0.1] [--runs 5] [--scalar] ${workersUsage} ${maxSecondsUsage} [--json]`,
    options: {
      rows: { type: 'string' },
      cols: { type: 'string' },
      group: { type: 'string' },
      seed: { type: 'string' },
      'min-time': { type: 'string' }, 'min-seconds': { type: 'string' },
      runs: { type: 'string' },
      scalar: { type: 'boolean' },
      ...workersOption,
      ...maxSecondsOption,
    },
    async run(api, typed) {
      const values = aliasFlags(typed, { 'min-seconds': 'min-time' });
      const workers = workersFlag(values);
      const defaults = api.quantDefaults().gemv;
      const input = {
        rows: numberFlag(values, 'rows', defaults.rows),
        cols: numberFlag(values, 'cols', defaults.cols),
        group_size: numberFlag(values, 'group', defaults.group_size),
        seed: numberFlag(values, 'seed', defaults.seed),
        min_time_s: numberFlag(values, 'min-time', defaults.min_time_s),
        runs: numberFlag(values, 'runs', defaults.runs),
        simd: !values.scalar,
      };
      const gemvFlags = { rows: 'rows', cols: 'cols', group_size: 'group', seed: 'seed', min_time_s: 'min-time', runs: 'runs' };
      // Split by rows across --workers threads.
      const result = await runSplitCommand(api, 'quantGemv', input, workers, values, gemvFlags,
        (whole, used) => ({ ...whole, rows: Math.ceil(whole.rows / used) }));
      const rows = [['weights', 'bits/weight', 'MB streamed', 'µs/call: median (q1–q3)', 'GB/s', 'rel. error', 'max |Δ|']];
      for (const k of result.kernels) {
        rows.push([k.kernel, k.bits_per_weight.toFixed(3), (k.weight_bytes / 1e6).toFixed(2),
          spreadMicroseconds(k.time), k.gb_per_s.toFixed(2), percent(k.rel_rmse), k.max_abs_error.toPrecision(3)]);
      }
      return { json: result, text: [`${result.rows} × ${result.cols}, group ${result.group_size}, ${result.kernel}\n`,
        formatTable(rows), ...parallelLines(result.parallel, 'rows')].join('\n') };
    },
  },
];
