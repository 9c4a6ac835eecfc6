// serve: the serving simulator (src/serve, docs/serve.md) over the same WASM as the page.
import { readFileSync } from 'node:fs';

import { InputError } from '../../lib/api.js';
import { choiceFlag, numberFlag, UsageError } from '../flags.js';
import { assumedLines, modelOptions, modelSourceUsage, modelTitle, resolveModel, withModelFlag } from '../model-source.js';
import { formatTable } from '../table.js';
import { limitWork, maxSecondsOption, maxSecondsUsage } from '../work-limit.js';

const dtypes = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'];
const dists = ['fixed', 'uniform', 'exponential', 'lognormal'];

// Number flags and the serve input fields they set.
const numberFlags = {
  gpus: 'gpus', 'pipeline-stages': 'pipeline_stages', rate: 'rate', requests: 'requests', 'prompt-tokens': 'prompt_tokens', 'output-tokens': 'output_tokens',
  'arrival-cv': 'arrival_cv', users: 'users', ramp: 'ramp_s', 'chunk-tokens': 'chunk_tokens', 'max-batch': 'max_batch', 'block-size': 'block_size',
  watermark: 'watermark', 'gpu-memory-utilization': 'gpu_memory_utilization', 'prefix-share': 'prefix_share',
  'prefix-tokens': 'prefix_tokens', 'spec-gamma': 'spec_gamma', 'spec-accept': 'spec_accept', 'slo-ttft': 'slo_ttft_s',
  'slo-tpot': 'slo_tpot_s', 'slo-attainment': 'slo_attainment', seed: 'seed', 'compute-efficiency': 'compute_efficiency',
  'memory-efficiency': 'memory_efficiency', 'iteration-overhead': 'iteration_overhead_s',
};
// Choice flags: [field, choices].
const choiceFlags = {
  'prompt-dist': ['prompt_dist', dists], 'output-dist': ['output_dist', dists],
  arrival: ['arrival', ['poisson', 'gamma', 'closed', 'trace']], scheduler: ['scheduler', ['static', 'continuous', 'chunked']],
  preemption: ['preemption', ['recompute', 'swap']], parallel: ['parallelism', ['tensor', 'pipeline', 'tensor_pipeline']],
  'kv-dtype': ['kv_dtype', dtypes],
};
const flagOfField = Object.fromEntries([
  ...Object.entries(numberFlags), ...Object.entries(choiceFlags).map(([flag, [field]]) => [flag, field]),
  ['weights', 'weights'], ['hardware', 'hardware'], ['spec-draft', 'spec_draft'], ['spec-mtp', 'spec_mtp'],
].map(([flag, field]) => [field, flag]));

const strings = (names) => Object.fromEntries(names.map((name) => [name, { type: 'string' }]));

const seconds = (s) => (s >= 1 ? `${s.toFixed(3)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} us`);

/** The serve input the flags describe, and what the text output names. */
function inputFromFlags(api, values) {
  const model = resolveModel(api, values);
  const hardware = choiceFlag(values, 'hardware', api.hardwarePresets().map((row) => row.id), 'h100-sxm');
  const input = { model: model.config, hardware };
  for (const [flag, field] of Object.entries(numberFlags)) {
    const value = numberFlag(values, flag);
    if (value !== undefined) input[field] = value;
  }
  for (const [flag, [field, choices]] of Object.entries(choiceFlags)) {
    const value = choiceFlag(values, flag, choices);
    if (value !== undefined) input[field] = value;
  }
  // The weights: --weights, else the checkpoint's format (config.json quantization_config), else fp16.
  const weights = values.weights ?? model.weights_format ?? undefined;
  if (weights !== undefined) input.weights = weights;
  if (values.trace !== undefined) {
    if (values.arrival !== undefined && values.arrival !== 'trace') {
      throw new UsageError(`--trace gives the arrivals; --arrival = ${values.arrival} would be ignored`, 'trace');
    }
    try {
      input.trace = readFileSync(values.trace, 'utf8');
    } catch (error) {
      throw new UsageError(`--trace = "${values.trace}" cannot be read (${error.code ?? error.message})`, 'trace');
    }
    input.arrival = 'trace';
  }
  if (values['spec-draft'] !== undefined) {
    const presets = api.modelPresets();
    if (!presets.some((p) => p.id === values['spec-draft'])) {
      throw new InputError('spec_draft', `--spec-draft = "${values['spec-draft']}" is not a preset (known: ${presets.map((p) => p.id).join(', ')})`);
    }
    input.spec_draft = values['spec-draft'];
  }
  if (values['spec-mtp']) input.spec_mtp = true;
  return { input, model, hardware, weights: weights ?? 'fp16' };
}

// The core's message in the user's terms: the flag as typed, a trace line with its file.
function inFlagTerms(error, model, values) {
  if (error instanceof InputError && error.field === 'trace' && values.trace !== undefined) {
    return new InputError('trace', error.message.replace(/^trace /, `--trace ${values.trace}: `));
  }
  return withModelFlag(error, model, flagOfField, values);
}

function resultText(result, context, values) {
  const { input, model, hardware, weights } = context;
  const lat = (name, s) => [name, seconds(s.mean), seconds(s.p50), seconds(s.p90), seconds(s.p99)];
  const l = result.littles_law;
  const lines = [
    `${modelTitle(model)} on ${input.gpus ?? 1} x ${hardware}, weights ${weights}, ${input.scheduler ?? 'continuous'} batching, ` +
      `${input.arrival === 'trace' ? `trace ${values.trace}` : `${input.arrival ?? 'poisson'} arrivals at ${input.rate ?? 1} req/s`}`,
    ...assumedLines(model),
    `${result.completed} requests completed, ${result.rejected} rejected (never fit), in ${result.duration_s.toFixed(2)} s ` +
      `(${result.iterations} iterations); alone: TTFT ${seconds(result.unloaded_ttft_s)}, TPOT ${seconds(result.unloaded_tpot_s)}`,
    '',
    formatTable([['latency', 'mean', 'p50', 'p90', 'p99'], lat('TTFT', result.ttft_s), lat('TPOT', result.tpot_s),
      lat('end to end', result.e2e_s)]),
    '',
    formatTable([
      ['', 'value'],
      ['requests/s', result.throughput.requests_per_s.toFixed(3)],
      ['input tokens/s', result.throughput.input_tokens_per_s.toFixed(1)],
      ['output tokens/s', result.throughput.output_tokens_per_s.toFixed(1)],
      ['goodput (requests/s meeting the SLO)', `${result.goodput_requests_per_s.toFixed(3)} (${(result.slo_attainment * 100).toFixed(1)} % of requests)`],
      ['KV blocks', `${result.kv.total_blocks} of ${input.block_size ?? 16} tokens; peak ${(result.kv.peak_utilization * 100).toFixed(1)} %, ` +
        `mean ${(result.kv.mean_utilization * 100).toFixed(1)} %`],
      ['preemptions', `${result.kv.preemptions} (${result.kv.recomputed_tokens} tokens recomputed, ${result.kv.swapped_blocks} blocks swapped)`],
      ['prefix cache hit rate', `${(result.prefix_cache.hit_rate * 100).toFixed(1)} %`],
      ['speculation: tokens per step', `${result.spec.mean_tokens_per_step.toFixed(3)} (theory ${result.spec.expected_tokens_per_step.toFixed(3)}; ` +
        `acceptance ${(result.spec.acceptance_rate * 100).toFixed(1)} %)`],
    ]),
    '',
    `Little's law: L = ${l.mean_in_system.toFixed(4)} requests in the system (time average); ` +
      `λ W = ${l.arrival_rate.toFixed(4)} req/s x ${l.mean_time_in_system.toFixed(4)} s = ${l.rate_times_time.toFixed(4)}`,
  ];
  return lines.join('\n');
}

export const serveCommands = [
  {
    name: 'serve',
    summary: 'a seeded serving simulation: TTFT, TPOT, throughput, goodput, KV use, preemptions (static, continuous, chunked)',
    usage: `${modelSourceUsage} [--hardware ID (default h100-sxm)] [--gpus G] [--parallel tensor|pipeline|tensor_pipeline] [--pipeline-stages P] [--weights FORMAT]
    [--kv-dtype fp16] [--rate R (requests/s)] [--requests N] [--prompt-tokens N] [--prompt-dist fixed|uniform|exponential|lognormal]
    [--output-tokens N] [--output-dist …] [--arrival poisson|gamma|closed] [--arrival-cv CV] [--users N] [--ramp SECONDS] [--trace FILE.csv]
    [--scheduler static|continuous|chunked] [--chunk-tokens N] [--max-batch N] [--block-size N] [--watermark F]
    [--gpu-memory-utilization F] [--preemption recompute|swap] [--prefix-share F] [--prefix-tokens N]
    [--spec-draft PRESET | --spec-mtp] [--spec-gamma G] [--spec-accept A] [--slo-ttft S] [--slo-tpot S] [--slo-attainment F]
    [--max-rate] [--seed S] [--compute-efficiency F] [--memory-efficiency F] [--iteration-overhead S] ${maxSecondsUsage} [--json]
  --trace: CSV lines arrival_s,prompt_tokens,output_tokens[,prefix_id] (a header line allowed). --max-rate searches the
  highest rate whose run has --slo-attainment (0.9) of its requests within --slo-ttft and --slo-tpot. Rules: docs/serve.md.`,
    options: {
      ...modelOptions(),
      ...strings(['hardware', 'weights', 'trace', 'spec-draft', ...Object.keys(numberFlags), ...Object.keys(choiceFlags)]),
      'spec-mtp': { type: 'boolean' }, 'max-rate': { type: 'boolean' }, ...maxSecondsOption,
    },
    run(api, values) {
      const context = inputFromFlags(api, values);
      const { input, model } = context;
      limitWork(api, values['max-rate'] ? 'serveMaxRate' : 'serve', input, values);
      const call = (fn) => {
        try {
          return fn();
        } catch (error) {
          throw inFlagTerms(error, model, values);
        }
      };
      const origin = { model: model.origin.preset, origin: model.origin, hardware: context.hardware, weights: context.weights };
      if (values['max-rate']) {
        const found = call(() => api.serveMaxRate(input));
        const { requests, ...result } = found.result;
        const head = found.met
          ? `highest rate meeting the SLO: ${found.rate.toPrecision(4)} requests/s (${found.evaluations} simulations)`
          : `no rate tried meets the SLO (the lowest, ${found.result.throughput.requests_per_s.toPrecision(3)} req/s, is shown)`;
        return {
          json: { ...origin, max_rate_meeting_slo: found.rate, met: found.met, evaluations: found.evaluations, ...result },
          text: `${head}\n\n${resultText(result, { ...context, input: { ...input, rate: found.rate.toPrecision(4) } }, values)}`,
        };
      }
      const { requests, ...result } = call(() => api.serve(input));
      return { json: { ...origin, ...result }, text: resultText(result, context, values) };
    },
  },
];
