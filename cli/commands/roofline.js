// plan, roofline and hardware: the roofline area over the same WASM as the page.
import { explainOption, withExplanations } from '../explain.js';
import { InputError } from '../../lib/api.js';
import { choiceFlag, numberFlag, typedMessage, UsageError } from '../flags.js';
import { assumedLines, flagsOfFields, modelOptions, modelSourceUsage, modelTitle, resolveModel, withModelFlag } from '../model-source.js';
import { formatBytes, formatCount, formatTable } from '../table.js';
import { limitWork, maxSecondsOption, maxSecondsUsage } from '../work-limit.js';

const dtypes = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'];
// Weights may be any quant format (nf4, q4_k, mxfp4, fp8_block, ...), sized as the Quantization panel sizes it.
const weightFormats = (api) => [...new Set([...dtypes, ...api.quantFormats().map((f) => f.id)])];

// The flags that override the model's fields (as the model command names them).
const modelOverrides = ['vocab', 'd-model', 'layers', 'heads', 'kv-heads', 'head-dim', 'd-ff', 'experts', 'top-k', 'window', 'ffn', 'tied'];
// Workload number flags and their fields.
const workloadFlags = {
  batch: 'batch', context: 'context', images: 'images', gpus: 'gpus', 'pipeline-stages': 'pipeline_stages', 'weights-bits': 'weights_bits', group: 'weights_group',
  'offload-layers': 'offload_layers',
  'flop-efficiency': 'flop_efficiency', 'bandwidth-efficiency': 'bandwidth_efficiency',
};
// Hardware overrides on top of --hardware (a custom chip).
const hardwareFlags = {
  'fp16-tflops': 'fp16_tflops', 'bandwidth-gbs': 'memory_gb_per_s', 'interconnect-gbs': 'interconnect_gb_per_s',
};
const flagOfField = {
  ...flagsOfFields(modelOverrides),
  ...Object.fromEntries([...Object.entries(workloadFlags),
    ...Object.entries(hardwareFlags).map(([flag, field]) => [flag, `hardware.${field}`]),
    ['weights', 'weights_dtype'], ['scale-dtype', 'weights_scale_dtype'], ['keep', 'weights_keep'], ['kv-dtype', 'kv_dtype'],
    ['compute-dtype', 'compute_dtype'],
    ['parallel', 'parallelism'], ['sequence', 'sequence']].map(([flag, field]) => [field, flag])),
  'hardware.memory_bytes': { flag: 'memory-gib', scale: 2 ** 30 },
};
// training's number flags and their TrainingInput fields.
const trainingFlags = {
  batch: 'batch', sequence: 'sequence', 'vocab-chunks': 'vocab_chunks', zero: 'zero_stage',
  dp: 'data_parallel', tp: 'tensor_parallel', pp: 'pipeline_parallel',
};
// training's switches and the fields they set to true.
const trainingSwitches = {
  dropout: 'dropout', 'fused-swiglu': 'fused_swiglu', sp: 'sequence_parallel', 'fp32-grads': 'fp32_gradients',
  'lora-dropout': 'lora_dropout', 'paged-optimizer': 'paged_optimizer',
};
// Fine-tuning flags: numbers and strings, and their fields.
const fineTuningFlags = { 'lora-rank': 'lora_rank' };
const fineTuningStrings = { method: 'method', 'lora-targets': 'lora_targets', 'adapter-dtype': 'adapter_dtype' };
const trainingFlagOfField = {
  ...flagOfField,
  ...Object.fromEntries([...Object.entries(trainingFlags), ...Object.entries(fineTuningFlags), ...Object.entries(fineTuningStrings),
    ['frozen-experts', 'lora_experts']].map(([flag, field]) => [field, flag])),
  checkpointing: 'recompute',
};
const schedules = ['none', 'selective', 'full', 'sqrt'];
// Workload flags only plan reads (devices, their links and capacity).
const planOnlyFlags = ['gpus', 'parallel', 'pipeline-stages', 'offload-layers', 'interconnect-gbs', 'memory-gib'];

const strings = (names) => Object.fromEntries(names.map((name) => [name, { type: 'string' }]));
const workloadOptions = {
  ...modelOptions(modelOverrides),
  ...strings(['hardware', 'weights', 'scale-dtype', 'keep', 'kv-dtype', 'compute-dtype', 'parallel', 'memory-gib',
    ...Object.keys(workloadFlags), ...Object.keys(hardwareFlags)]),
  unfused: { type: 'boolean' },
};

const workloadUsage = `${modelSourceUsage} [--hardware ID (default h100-sxm)] [--weights fp16|int4|nf4|q4_k|mxfp4|…]
    [--group G] [--scale-dtype fp16|bf16|fp32] [--images N] [--keep embedding,attention,router,lm_head] [--weights-bits B]
    [--kv-dtype fp16] [--compute-dtype fp16] [--batch B] [--context N] [--gpus G]
    [--parallel tensor|pipeline|tensor_pipeline] [--pipeline-stages P] [--offload-layers L] [--flop-efficiency F] [--bandwidth-efficiency F]
    [--unfused] custom model: [--d-model N] [--layers N] [--heads N] [--kv-heads N] [--head-dim N]
    [--d-ff N] [--ffn gated|plain] [--vocab N] [--experts N] [--top-k N] [--window N] [--tied]
    custom chip: [--fp16-tflops T] [--bandwidth-gbs G] [--memory-gib G] [--interconnect-gbs G] [--json]
  Without --weights, a model whose config.json has a quantization_config (DeepSeek fp8_block, gpt-oss mxfp4)
  is sized in that format with the components it keeps in bf16; --keep overrides the kept list. Else fp16.`;

/**
 * The weights format: --weights, else the checkpoint's (config.json quantization_config, with the
 * components it keeps in bf16), else fp16. --keep overrides the kept components. --weights-bits
 * overrides any format (source "bits"), so the checkpoint's is not taken under it.
 */
function weightsFrom(api, values, model) {
  const bits = numberFlag(values, 'weights-bits');
  const flagged = values.weights === undefined ? undefined : choiceFlag(values, 'weights', weightFormats(api));
  let weights;
  if (bits > 0) weights = { dtype: flagged ?? 'fp16', keep: '', source: 'bits', bits };
  else if (flagged) weights = { dtype: flagged, keep: '', source: 'flag' };
  else if (model.weights_format) weights = { dtype: model.weights_format, keep: model.weights_keep ?? '', source: 'config' };
  else weights = { dtype: 'fp16', keep: '', source: 'default' };
  if (values.keep !== undefined) weights.keep = values.keep;
  return weights;
}

/** The workload the flags describe: a model (preset, config.json or flags) and a hardware preset, then overrides. */
function workloadFromFlags(api, values) {
  const model = resolveModel(api, values, { overrides: modelOverrides, headsImplyMha: true });

  const hardwareIds = api.hardwarePresets().map((row) => row.id);
  const hardwareId = choiceFlag(values, 'hardware', hardwareIds, 'h100-sxm');
  let hardware = hardwareId;
  const overrides = {};
  for (const [flag, field] of Object.entries(hardwareFlags)) {
    const value = numberFlag(values, flag);
    if (value !== undefined) overrides[field] = value;
  }
  if (values['memory-gib'] !== undefined) overrides.memory_bytes = numberFlag(values, 'memory-gib') * 2 ** 30;
  if (Object.keys(overrides).length) hardware = { base: hardwareId, id: 'custom', label: `custom (from ${hardwareId})`, ...overrides };

  const input = { model: model.config, hardware };
  for (const [flag, field] of Object.entries(workloadFlags)) {
    const value = numberFlag(values, flag);
    if (value !== undefined) input[field] = value;
  }
  const weights = weightsFrom(api, values, model);
  input.weights_dtype = weights.dtype;
  if (weights.keep) input.weights_keep = weights.keep;
  if (values['scale-dtype'] !== undefined) input.weights_scale_dtype = choiceFlag(values, 'scale-dtype', ['fp16', 'bf16', 'fp32']);
  input.kv_dtype = choiceFlag(values, 'kv-dtype', dtypes, 'fp16');
  input.compute_dtype = choiceFlag(values, 'compute-dtype', ['fp32', 'fp16', 'bf16', 'fp8', 'int8'], 'fp16');
  input.parallelism = choiceFlag(values, 'parallel', ['tensor', 'pipeline', 'tensor_pipeline'], 'tensor');
  if (values.unfused) input.fused_attention = false;
  return { input, hardwareId, model, weights };
}

/**
 * The JSON fields plan and roofline add: the model's preset and origin, the hardware, and the weights
 * format with its source: "flag" (--weights), "config" (the checkpoint's quantization_config),
 * "bits" (--weights-bits overrides any format) or "default" (fp16).
 */
const workloadJson = ({ model, hardwareId, weights }) => ({
  model: model.origin.preset, origin: model.origin, hardware: hardwareId,
  weights_dtype: weights.dtype, weights_keep: weights.keep, weights_source: weights.source,
});

/** "tensor", "pipeline" or "tensor_pipeline: 2 stages x 4-way tensor". */
function parallelText({ parallelism, gpus = 1, pipeline_stages: stages = 1 }) {
  return parallelism === 'tensor_pipeline' ? `${parallelism}: ${stages} stages x ${gpus / stages}-way tensor` : parallelism;
}

/** "weights fp8_block (the checkpoint's quantization_config; kept in bf16: embedding,lm_head,router)". */
function weightsText({ weights }) {
  if (weights.source === 'bits') return `weights ${weights.bits} bits each (--weights-bits)`;
  const notes = [];
  if (weights.source === 'config') notes.push("the checkpoint's quantization_config");
  if (weights.keep) notes.push(`kept in bf16: ${weights.keep}`);
  return `weights ${weights.dtype}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

function run(fn, model, flags, values) {
  try {
    return fn();
  } catch (error) {
    throw withModelFlag(error, model, flags, values);
  }
}

// machine's number flags: which input (probe or sweep) and field each sets.
const machineFlags = {
  bytes: ['probe', 'bytes'], repeats: ['probe', 'repeats'], 'sweep-min': ['sweep', 'min_bytes'], 'sweep-max': ['sweep', 'max_bytes'],
  'points-per-octave': ['sweep', 'points_per_octave'], 'sweep-repeats': ['sweep', 'repeats'],
};
// Working sets in binary units, as caches are sized: 16 KiB, 1.5 MiB, 256 MiB.
const binary = (bytes) => {
  const [unit, scale] = bytes >= 2 ** 30 ? ['GiB', 2 ** 30] : bytes >= 2 ** 20 ? ['MiB', 2 ** 20] : ['KiB', 2 ** 10];
  return `${Number((bytes / scale).toPrecision(3))} ${unit}`;
};
// "±3.1 %": the interquartile range of a timing over its median.
const spread = (t) => `±${((t.q3_s - t.q1_s) / 2 / t.median_s * 100).toFixed(1)} %`;

const seconds = (s) => (s >= 1 ? `${s.toFixed(3)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(3)} ms` : `${(s * 1e6).toFixed(2)} us`);
const rate = (value, unit) => `${value >= 1e12 ? (value / 1e12).toFixed(2) + ' T' : value >= 1e9 ? (value / 1e9).toFixed(2) + ' G' : value.toFixed(2) + ' '}${unit}`;

function planText(result, context) {
  const { hardwareId, input } = context;
  const d = result.decode;
  const p = result.prefill;
  const lines = [
    `${modelTitle(context.model)} on ${input.gpus ?? 1} x ${hardwareId} (${parallelText(input)}), ${weightsText(context)}` +
      `, KV ${input.kv_dtype}, batch ${input.batch ?? 1}, context ${formatCount(input.context ?? 4096)}`,
    ...assumedLines(context.model),
    `ridge: ${result.ridge_flops_per_byte.toFixed(1)} FLOP/byte (${rate(result.peak_flops_per_s, 'FLOP/s')} / ${rate(result.bandwidth_bytes_per_s, 'B/s')})`,
    '',
    formatTable([
      ['', 'value'],
      ['decode step (TPOT)', seconds(d.step_s)],
      ['  floor (weights + batch x KV) / bandwidth', seconds(d.memory_floor_s)],
      ['  communication', seconds(d.communication_s)],
      ['  offload over host link', seconds(d.offload_s)],
      ['tokens/s per sequence', d.tokens_per_s.toFixed(2)],
      ['tokens/s total', d.total_tokens_per_s.toFixed(1)],
      ['decode bound', `${d.bound} (${d.intensity.toFixed(2)} FLOP/byte)`],
      ['TTFT (prefill of the batch)', seconds(p.ttft_s)],
      ['prefill bound', `${p.bound} (${p.intensity.toFixed(1)} FLOP/byte)`],
    ]),
    '',
    formatTable([
      ['memory', 'size'],
      ['weights (all devices)', formatBytes(result.weight_bytes)],
      ['KV cache (batch x context)', formatBytes(result.kv_bytes)],
      ['per device needed', formatBytes(result.memory_per_device_bytes)],
      ['per device capacity', formatBytes(result.memory_capacity_bytes)],
    ]),
    '',
    `fits: ${result.fits ? 'yes' : 'no'}; max batch at this context: ${formatCount(result.max_batch)}; ` +
      `max context at this batch: ${result.max_context_unbounded ? 'unbounded (sliding window)' : formatCount(result.max_context)}; ` +
      `min devices: ${result.min_gpus || 'more than 4096'}`,
  ];
  return lines.join('\n');
}

function rooflineText(result, context) {
  const rows = [['phase', 'operator', 'x', 'GFLOP', 'MB', 'FLOP/B', 'time', 'bound']];
  for (const op of result.operators) {
    rows.push([op.phase, op.name, String(op.count), (op.flops / 1e9).toFixed(3), (op.bytes / 1e6).toFixed(3),
      op.bytes === 0 && op.flops > 0 ? '-' : op.intensity.toFixed(2), seconds(op.time_s),
      op.bytes === 0 && op.flops > 0 ? 'no memory traffic (fused)' : op.bound]);
  }
  return [`${modelTitle(context.model)} on ${context.hardwareId}, ${weightsText(context)}`, ...assumedLines(context.model),
    `ridge ${result.ridge_flops_per_byte.toFixed(1)} FLOP/byte; weights-only decode intensity ` +
    `${result.decode_weight_intensity.toFixed(2)} FLOP/byte; batch to reach the ridge ${result.batch_to_ridge.toFixed(1)}`,
  '', formatTable(rows), '',
  `prefill: ${seconds(result.prefill.time_s)} (${result.prefill.bound} bound); decode step: ${seconds(result.decode.time_s)} (${result.decode.bound} bound)`].join('\n');
}

export const rooflineCommands = [
  {
    name: 'plan',
    summary: 'latency, throughput and fit of a deployment (roofline bounds on named hardware)',
    usage: `${workloadUsage} [--explain]`,
    options: { ...workloadOptions, ...explainOption },
    run(api, values) {
      const context = workloadFromFlags(api, values);
      const result = run(() => api.plan(context.input), context.model, flagOfField, values);
      return withExplanations({
        json: { ...workloadJson(context), ...result },
        text: planText(result, context),
      }, values, () => run(() => api.explainPlan(context.input), context.model, flagOfField, values));
    },
  },
  {
    name: 'roofline',
    summary: 'FLOPs, bytes, intensity and bound of every operator at prefill and decode',
    usage: workloadUsage,
    options: workloadOptions,
    run(api, values) {
      // roofline() models one device and no capacity: these would be read and ignored.
      for (const flag of planOnlyFlags) {
        if (values[flag] !== undefined) {
          throw new UsageError(`--${flag} = ${values[flag]} is a plan flag: roofline models one device (see llm-spacetime plan)`, flag);
        }
      }
      const context = workloadFromFlags(api, values);
      const result = run(() => api.roofline(context.input), context.model, flagOfField, values);
      return { json: { ...workloadJson(context), ...result }, text: rooflineText(result, context) };
    },
  },
  {
    name: 'hardware',
    summary: 'the hardware presets: peaks per dtype, bandwidth, capacity, links, sources',
    usage: '[--json]',
    options: {},
    run(api) {
      const rows = api.hardwarePresets();
      const orDash = (value) => (value ? String(value) : '-');
      const table = formatTable([
        ['id', 'fp16 TFLOPS', 'fp8', 'fp4', 'int8 TOPS', 'GB/s', 'memory', 'ridge FLOP/B', 'link GB/s', 'TDP W', '$/h'],
        ...rows.map((row) => [row.id, String(row.fp16_tflops), orDash(row.fp8_tflops), orDash(row.fp4_tflops),
          orDash(row.int8_tops), String(Math.round(row.memory_gb_per_s * 10) / 10),
          `${row.memory_gb.toFixed(1)} GB / ${row.memory_gib.toFixed(0)} GiB`,
          (row.fp16_tflops * 1e3 / row.memory_gb_per_s).toFixed(1), orDash(row.interconnect_gb_per_s),
          orDash(row.tdp_watts), row.usd_per_hour ? row.usd_per_hour.toFixed(2) : '-']),
      ]);
      return {
        json: rows,
        text: `${table}\n\nlink GB/s is per direction; $/h is one device on demand ('-': no price read).\n` +
          'sources and the date of each price: llm-spacetime hardware --json',
      };
    },
  },
  {
    name: 'machine',
    summary: "this machine's measured roofline: a cache sweep (bandwidth per working set, plateaus) and the probe kernels",
    usage: `[--bytes N (default 64M, at most 1G)] [--repeats R (1-21)] [--sweep-min N (default 16K)] [--sweep-max N (default 256M, at most 1G)]
    [--points-per-octave P (1-8, default 3)] [--sweep-repeats R (5-21, default 5)] [--long] [--no-sweep] ${maxSecondsUsage} [--json]
  --long sweeps to 1G with 4 sizes per octave (about 3x the time; --max-seconds 180 unless given); --no-sweep runs the probe kernels only.`,
    options: {
      ...strings(Object.keys(machineFlags)), long: { type: 'boolean' }, 'no-sweep': { type: 'boolean' }, ...maxSecondsOption,
    },
    run(api, values) {
      const inputs = { probe: {}, sweep: values.long ? { max_bytes: 2 ** 30, points_per_octave: 4 } : {} };
      for (const [flag, [part, field]] of Object.entries(machineFlags)) {
        const value = numberFlag(values, flag);
        if (value !== undefined) inputs[part][field] = value;
      }
      if (values['no-sweep']) {
        const given = Object.keys(machineFlags).find((flag) => machineFlags[flag][0] === 'sweep' && values[flag] !== undefined);
        if (given) throw new UsageError(`--${given} = ${values[given]} sets the sweep, and --no-sweep skips it`, given);
      }
      // Every bound is checked before anything runs: a refused flag costs no measuring time.
      const asFlag = (fn, part) => {
        try {
          return fn();
        } catch (error) {
          const flag = Object.keys(machineFlags).find((f) => machineFlags[f][0] === part && machineFlags[f][1] === error.field);
          if (!(error instanceof InputError) || !flag || values[flag] === undefined) throw error;
          throw new UsageError(typedMessage(error.message, error.field, flag, values[flag]) ?? `${error.message} (--${flag})`, flag);
        }
      };
      // --long asks for the longer sweep: its own limit unless --max-seconds is given (about 70 s at the estimate's slow rates).
      const limits = values.long && values['max-seconds'] === undefined ? { ...values, 'max-seconds': '180' } : values;
      limitWork(api, [['measureMachine', inputs.probe], ...(values['no-sweep'] ? [] : [['measureCacheSweep', inputs.sweep]])], null, limits);
      asFlag(() => api.checkMachineInput(inputs.probe), 'probe');
      if (!values['no-sweep']) asFlag(() => api.checkCacheSweepInput(inputs.sweep), 'sweep');
      const sweep = values['no-sweep'] ? null : api.measureCacheSweep(inputs.sweep);
      const result = api.measureMachine(inputs.probe);
      const gb = (v) => (v / 1e9).toFixed(2);
      const rows = ['simd', 'scalar'].map((kind) => [kind === 'simd' ? `SIMD (${result.simd_lanes} lanes)` : 'scalar',
        gb(result[kind].bandwidth_bytes_per_s), (result[kind].flops_per_s / 1e9).toFixed(2),
        result[kind].ridge_flops_per_byte.toFixed(2), spread(result[kind].stream_time)]);
      const lines = [`probe: ${binary(result.bytes)} streamed, best of ${result.simd.stream_time.runs} passes; ` +
        `multiply-add loop, best of ${result.simd.flops_time.runs} runs (SIMD and scalar alternating)`,
      formatTable([['kernels', 'GB/s', 'GFLOP/s', 'ridge FLOP/B', 'pass spread'], ...rows])];
      const json = {
        ...result,
        peak_gflop_per_s: { simd: result.simd.flops_per_s / 1e9, scalar: result.scalar.flops_per_s / 1e9 },
      };
      if (sweep) {
        json.plateaus = sweep.plateaus.map((p) => ({ ...p, simd_gb_per_s: p.simd_bytes_per_s / 1e9, scalar_gb_per_s: p.scalar_bytes_per_s / 1e9 }));
        json.sweep = { input: { ...api.defaultCacheSweepInput(), ...inputs.sweep }, seconds: sweep.seconds, points: sweep.points };
        lines.push('', `cache sweep: ${sweep.points.length} working sets from ${binary(sweep.points[0].bytes)} to ` +
          `${binary(sweep.points.at(-1).bytes)} in ${sweep.seconds.toFixed(1)} s (best of ${sweep.points[0].simd_time.runs} timed blocks each)`,
        formatTable([['level', 'working sets', 'SIMD GB/s', 'scalar GB/s'],
          ...sweep.plateaus.map((p) => [p.level, `${binary(p.bytes_from)} - ${binary(p.bytes_to)}`,
            gb(p.simd_bytes_per_s), gb(p.scalar_bytes_per_s)])]));
        if (sweep.plateaus.length === 3) {
          lines.push('(three plateaus: the last is the last-level cache, or DRAM on a machine without L3; --long sweeps to 1G)');
        }
      }
      return { json, text: lines.join('\n') };
    },
  },
  {
    name: 'training',
    summary: 'training and fine-tuning memory per device: full (Adam under ZeRO and TP/PP), LoRA and QLoRA; fit on a device',
    usage: `${modelSourceUsage} [--batch B] [--sequence N] [--recompute none|selective|full|sqrt]
    [--dropout] [--unfused] [--fused-swiglu] [--vocab-chunks N] [--zero 0|1|2|3] [--dp N] [--tp N] [--pp N] [--sp]
    [--fp32-grads] [--method full|lora|qlora] [--lora-rank R] [--lora-targets q,k,v,o,gate,up,down|all-linear]
    [--frozen-experts] [--lora-dropout] [--adapter-dtype fp32|bf16] [--paged-optimizer] [--hardware ID [--memory-gib G]]
    custom model flags as for plan [--json]
  Without --recompute every schedule is a row. Activations follow Korthikanti et al. 2022 (eq. 1 with --dropout --unfused);
  full: 16 bytes per parameter (18 with --fp32-grads), split over --tp x --pp and sharded by --zero over --dp.
  lora: the base frozen in bf16, adapters A (d_in x r) and B (r x d_out) on each targeted module (Hu et al. 2021);
  qlora: the base in NF4 with double quantization (Dettmers et al. 2023). --hardware adds fits and the largest batch
  and sequence. Training keeps bf16 (or NF4) weights whatever format the checkpoint ships in.`,
    options: {
      ...modelOptions(modelOverrides), ...strings([...Object.keys(trainingFlags), 'recompute',
        ...Object.keys(fineTuningFlags), ...Object.keys(fineTuningStrings), 'hardware', 'memory-gib']),
      unfused: { type: 'boolean' }, 'frozen-experts': { type: 'boolean' },
      ...Object.fromEntries(Object.keys(trainingSwitches).map((flag) => [flag, { type: 'boolean' }])),
    },
    run(api, values) {
      const model = resolveModel(api, values, { overrides: modelOverrides, headsImplyMha: true });
      const fields = { model: model.config, fused_attention: !values.unfused };
      for (const [flag, field] of Object.entries({ ...trainingFlags, ...fineTuningFlags })) {
        const value = numberFlag(values, flag);
        if (value !== undefined) fields[field] = value;
      }
      for (const [flag, field] of Object.entries(trainingSwitches)) fields[field] = Boolean(values[flag]);
      if (values.method !== undefined) fields.method = choiceFlag(values, 'method', ['full', 'lora', 'qlora']);
      // Adapter flags under full fine-tuning would be read and ignored: refused, naming the flag.
      if ((fields.method ?? 'full') === 'full') {
        const adapterFlag = ['lora-rank', 'lora-targets', 'adapter-dtype', 'lora-dropout', 'paged-optimizer', 'frozen-experts']
          .find((flag) => values[flag] !== undefined);
        if (adapterFlag) {
          const typed = typeof values[adapterFlag] === 'string' ? ` = ${values[adapterFlag]}` : '';
          throw new UsageError(`--${adapterFlag}${typed} applies only with --method lora or qlora (the method is full)`, adapterFlag);
        }
      }
      if (values['adapter-dtype'] !== undefined) fields.adapter_dtype = choiceFlag(values, 'adapter-dtype', ['fp32', 'bf16']);
      if (values['lora-targets'] !== undefined) fields.lora_targets = values['lora-targets'];
      fields.lora_experts = !values['frozen-experts'];
      const only = choiceFlag(values, 'recompute', schedules);
      const results = run(() => (only ? [only] : schedules).map((checkpointing) => {
        const r = api.trainingMemory({ ...fields, checkpointing });
        return { checkpointing, ...r, by_part: Object.fromEntries(r.parts.map((part) => [part.id, part.bytes])) };
      }), model, trainingFlagOfField, values);
      const r0 = results[0];
      const lora = r0.method !== 'full';
      const table = lora
        ? formatTable([
          ['recompute', ...r0.parts.map((part) => part.label), 'total', 'extra compute'],
          ...results.map((r) => [r.checkpointing, ...r.parts.map((part) => formatBytes(part.bytes)), formatBytes(r.total_bytes),
            `${(r.extra_compute_fraction * 100).toFixed(1)} %`]),
        ])
        : formatTable([
          ['recompute', 'weights', 'gradients', 'Adam', 'activations', 'logits + loss', 'total', 'extra compute'],
          ...results.map((r) => [r.checkpointing, formatBytes(r.weights_bytes), formatBytes(r.gradients_bytes), formatBytes(r.optimizer_bytes),
            formatBytes(r.activation_bytes + r.embedding_activation_bytes + r.head_activation_bytes), formatBytes(r.loss_bytes),
            formatBytes(r.total_bytes), `${(r.extra_compute_fraction * 100).toFixed(1)} %`]),
        ]);
      // The inputs every row shares, defaults filled in (checkpointing is per row); the fine-tuning ones apart,
      // so `settings` keeps the fields it always had.
      const all = { ...api.defaultTrainingInput(), ...fields };
      const fineTuningKeys = ['method', 'lora_rank', 'lora_targets', 'lora_experts', 'lora_dropout', 'adapter_dtype', 'paged_optimizer'];
      const settings = Object.fromEntries(Object.entries(all)
        .filter(([key]) => key !== 'model' && key !== 'checkpointing' && !fineTuningKeys.includes(key)));
      const fineTuning = Object.fromEntries(fineTuningKeys.map((key) => [key, all[key]]));
      const parallel = `t = ${settings.tensor_parallel}${settings.sequence_parallel ? ' with sequence parallelism' : ''}, ` +
        `p = ${settings.pipeline_parallel}, N_d = ${settings.data_parallel}, ZeRO-${settings.zero_stage}`;
      const lines = [
        lora
          ? `${modelTitle(model)}: ${formatCount(r0.params)} frozen parameters (${r0.method === 'qlora' ? `NF4 + double quant, ${r0.base_bits_per_weight.toFixed(3)} bits` : 'bf16'}); ` +
            `trainable params: ${formatCount(r0.trainable_params)} (${r0.trainable_percent.toFixed(4)} %; LoRA r = ${fineTuning.lora_rank} on ${fineTuning.lora_targets}` +
            `${fineTuning.lora_experts ? '' : ', experts frozen'}), ${r0.adapter_bytes_per_param} bytes each with Adam; per device (${parallel})`
          : `${modelTitle(model)}: ${formatCount(r0.params)} parameters, ${r0.bytes_per_param} bytes each with Adam; per device (${parallel}): ` +
            `${formatCount(r0.params_per_device)}`,
        `micro-batch ${settings.batch} x ${formatCount(settings.sequence)} tokens; fp32 logits ${formatBytes(r0.logits_bytes)}` +
          `${settings.vocab_chunks > 1 ? ` (cross-entropy in ${settings.vocab_chunks} chunks)` : ''}; ` +
          `${settings.dropout ? 'dropout masks kept' : 'no dropout'}; attention ${settings.fused_attention ? 'fused' : 'unfused (s x s scores kept)'}`,
        ...assumedLines(model),
      ];
      if (fineTuning.paged_optimizer) lines.push(`optimizer states paged to host memory (${formatBytes(r0.offloaded_bytes)}), not in the device totals`);
      if (settings.pipeline_parallel > 1) lines.push('activations: the first stage (p micro-batches in flight); total: the larger of the first and last stage');
      // The checkpoint's format does not change training memory: say so rather than leave it implied.
      if (model.weights_format) {
        lines.push(`(the checkpoint ships ${model.weights_format} weights; training holds ${lora ? (r0.method === 'qlora' ? 'an NF4' : 'a bf16') + ' base' : 'bf16 weights and gradients and fp32 Adam state'})`);
      }
      // The top-level figures: the --recompute schedule, else the first row.
      const json = {
        model: model.origin.preset, origin: model.origin, checkpoint_weights_format: model.weights_format, settings, results,
        fine_tuning: fineTuning, method: r0.method, trainable_params: r0.trainable_params, trainable_percent: r0.trainable_percent,
        memory: { checkpointing: r0.checkpointing, total_bytes: r0.total_bytes, offloaded_bytes: r0.offloaded_bytes, by_part: r0.by_part },
      };
      if (values.hardware !== undefined || values['memory-gib'] !== undefined) {
        const hardwareId = choiceFlag(values, 'hardware', api.hardwarePresets().map((row) => row.id), 'h100-sxm');
        const hardware = values['memory-gib'] === undefined ? hardwareId
          : { base: hardwareId, id: 'custom', label: `custom (from ${hardwareId})`, memory_bytes: numberFlag(values, 'memory-gib') * 2 ** 30 };
        const fit = run(() => api.trainingFit({ ...fields, checkpointing: r0.checkpointing, hardware }), model, trainingFlagOfField, values);
        Object.assign(json, { hardware: hardwareId, capacity_bytes: fit.capacity_bytes, fits: fit.fits, max_batch: fit.max_batch,
          max_sequence: fit.max_sequence });
        lines.push(`on ${hardwareId} (${formatBytes(fit.capacity_bytes)}), recompute ${r0.checkpointing}: ${fit.fits ? 'fits' : 'does not fit'}; ` +
          `largest micro-batch at ${formatCount(settings.sequence)} tokens: ${formatCount(fit.max_batch)}; ` +
          `longest sequence at batch ${settings.batch}: ${formatCount(fit.max_sequence)}`);
      }
      return { json, text: `${lines.join('\n')}\n\n${table}` };
    },
  },
];
