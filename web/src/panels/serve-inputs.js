// The Serve panel's inputs: their defaults, how each is read from the URL (or
// an attribute) as text, what goes back into the link, the form controls, and
// the input object api.serve() takes. Parsing is defensive: text a field
// cannot use keeps the default and the field says so (fields.js).
import { html, nothing } from 'lit';

import { numberField, selectField } from '../components/fields.js';

// Choices of the text inputs, as the core names them (lib/serve.d.ts).
export const choices = {
  parallelism: ['tensor', 'pipeline', 'tensor_pipeline'],
  kv_dtype: ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'],
  arrival: ['poisson', 'gamma', 'closed', 'trace'],
  prompt_dist: ['fixed', 'uniform', 'exponential', 'lognormal'],
  output_dist: ['fixed', 'uniform', 'exponential', 'lognormal'],
  scheduler: ['continuous', 'chunked', 'static'],
  preemption: ['recompute', 'swap'],
  spec_mode: ['none', 'draft', 'mtp'],
};

const labels = {
  model: 'Model', hardware: 'Hardware', gpus: 'GPUs', parallelism: 'Parallelism', pipeline_stages: 'Pipeline stages', weights: 'Weights', kv_dtype: 'KV cache',
  rate: 'Arrival rate (requests/s)', requests: 'Requests', prompt_tokens: 'Prompt tokens (mean)', prompt_dist: 'Prompt lengths',
  output_tokens: 'Output tokens (mean)', output_dist: 'Output lengths', arrival: 'Arrivals', arrival_cv: 'Arrival CV (gamma)',
  users: 'Users (closed loop)', ramp_s: 'Users join over (s)', trace: 'Trace (CSV)', scheduler: 'Scheduler', chunk_tokens: 'Chunk tokens (chunked prefill)',
  max_batch: 'Max batch (sequences)', block_size: 'KV block (tokens)', watermark: 'Free-block watermark (0–1)',
  preemption: 'On preemption', prefix_share: 'Requests sharing a prefix (0–1)', prefix_tokens: 'Shared prefix (tokens)',
  spec_mode: 'Speculative decoding', spec_draft: 'Draft model', spec_gamma: 'Draft tokens γ', spec_accept: 'Acceptance α (0–1)',
  slo_ttft_s: 'SLO: TTFT (s)', slo_tpot_s: 'SLO: TPOT (s)', slo_attainment: 'SLO: share of requests (0–1]', seed: 'Seed',
  gpu_memory_utilization: 'Memory for weights + KV (0–1]',
  compute_efficiency: 'Compute efficiency (0–1]', memory_efficiency: 'Memory efficiency (0–1]', iteration_overhead_s: 'Overhead per iteration (s)',
  sweep_rates: 'Sweep rates (requests/s)',
};

export const defaults = {
  model: 'llama-3.1-8b', hardware: 'h100-sxm', gpus: 1, parallelism: 'tensor', pipeline_stages: 1, weights: 'bf16', kv_dtype: 'bf16',
  rate: 8, requests: 400, prompt_tokens: 512, prompt_dist: 'exponential', output_tokens: 256, output_dist: 'exponential',
  arrival: 'poisson', arrival_cv: 2, users: 32, ramp_s: 0, trace: '',
  scheduler: 'continuous', chunk_tokens: 2048, max_batch: 256, block_size: 16, watermark: 0.01, preemption: 'recompute',
  prefix_share: 0, prefix_tokens: 0,
  gpu_memory_utilization: 0.9,
  spec_mode: 'none', spec_draft: 'llama-3.2-1b', spec_gamma: 4, spec_accept: 0.7,
  slo_ttft_s: 1, slo_tpot_s: 0.05, slo_attainment: 0.9, seed: 1,
  compute_efficiency: 1, memory_efficiency: 1, iteration_overhead_s: 0,
  sweep_rates: '1,2,4,8,16,32,64',
};

/** The longest trace kept in the link; a longer one stays in the page only (said beside the field). */
export const maxTraceInLink = 2000;

export const stateKeys = Object.keys(defaults);

export const stateLabel = (key) => labels[key];

/** Sweep rates from text ("1, 2, 4"): positive finite numbers, sorted, at most 24; null when unusable. */
export function parseRates(text) {
  if (typeof text !== 'string') return null;
  const rates = text.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (rates.length === 0 || rates.length > 24 || !rates.every((rate) => Number.isFinite(rate) && rate > 0)) return null;
  return [...new Set(rates)].sort((a, b) => a - b);
}

/** Typed inputs read through `read(key)` (raw text or null); `options` holds the model, hardware and weights choices. */
export function parseServeState(read, { models, hardware, weights }) {
  const state = {};
  const allowed = {
    ...choices, model: models.map((m) => m.id), hardware: hardware.map((h) => h.id), weights: weights.map((w) => w.value),
    spec_draft: models.map((m) => m.id),
  };
  for (const [key, fallback] of Object.entries(defaults)) {
    const text = read(key);
    if (key === 'trace') state.trace = typeof text === 'string' ? text : fallback;
    else if (key === 'sweep_rates') state.sweep_rates = text !== null && parseRates(text) ? text.trim() : fallback;
    else if (typeof fallback === 'number') {
      const value = text === null || text.trim() === '' ? NaN : Number(text);
      state[key] = Number.isFinite(value) ? value : fallback;
    } else state[key] = text !== null && allowed[key]?.includes(text) ? text : fallback;
  }
  return state;
}

/** What goes into the link: every value that differs from its default (a trace only while it is short). */
export function serveParams(state) {
  const params = {};
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = state[key];
    if (key === 'trace') params.trace = value && value.length <= maxTraceInLink ? value : null;
    else params[key] = value === fallback ? null : value;
  }
  return params;
}

/**
 * The input api.serve() takes: only the fields the chosen settings read (the
 * API refuses the others by name). `models` resolves an imported config.json
 * (its id is not a preset).
 */
export function toServeInput(state, models) {
  const config = (id) => models.find((m) => m.id === id)?.config ?? id;
  const input = {
    model: config(state.model), hardware: state.hardware, gpus: state.gpus, parallelism: state.parallelism,
    weights: state.weights, kv_dtype: state.kv_dtype, arrival: state.arrival, scheduler: state.scheduler,
    max_batch: state.max_batch, block_size: state.block_size, gpu_memory_utilization: state.gpu_memory_utilization,
    prefix_share: state.prefix_share, slo_ttft_s: state.slo_ttft_s, slo_tpot_s: state.slo_tpot_s,
    slo_attainment: state.slo_attainment, seed: state.seed, compute_efficiency: state.compute_efficiency,
    memory_efficiency: state.memory_efficiency, iteration_overhead_s: state.iteration_overhead_s,
  };
  if (state.parallelism === 'tensor_pipeline') input.pipeline_stages = state.pipeline_stages;
  if (state.arrival === 'poisson' || state.arrival === 'gamma') input.rate = state.rate;
  if (state.arrival === 'gamma') input.arrival_cv = state.arrival_cv;
  if (state.arrival === 'closed') Object.assign(input, { users: state.users, ramp_s: state.ramp_s });
  if (state.arrival === 'trace') input.trace = state.trace;
  else Object.assign(input, { requests: state.requests, prompt_tokens: state.prompt_tokens, prompt_dist: state.prompt_dist,
    output_tokens: state.output_tokens, output_dist: state.output_dist });
  if (state.scheduler !== 'static') Object.assign(input, { chunk_tokens: state.chunk_tokens, watermark: state.watermark, preemption: state.preemption });
  if (state.prefix_share > 0 || state.arrival === 'trace') input.prefix_tokens = state.prefix_tokens;
  if (state.spec_mode === 'draft') input.spec_draft = config(state.spec_draft);
  if (state.spec_mode === 'mtp') input.spec_mtp = true;
  if (state.spec_mode !== 'none') Object.assign(input, { spec_gamma: state.spec_gamma, spec_accept: state.spec_accept });
  return input;
}

const option = (value, label = value) => ({ value, label });
const choiceLabels = {
  parallelism: { tensor: 'tensor (split every layer)', pipeline: 'pipeline (split the layers)',
    tensor_pipeline: 'tensor × pipeline (stages of tensor-parallel groups)' },
  arrival: { poisson: 'Poisson (open loop)', gamma: 'gamma (bursty, CV below)', closed: 'closed loop (users)', trace: 'trace (CSV below)' },
  scheduler: { continuous: 'continuous batching', chunked: 'continuous + chunked prefill', static: 'static batches' },
  preemption: { recompute: 'recompute the prompt', swap: 'swap KV to host' },
  spec_mode: { none: 'off', draft: 'draft model', mtp: 'the model\'s MTP heads (DeepSeek-V3)' },
};

/**
 * The form. `set(key, value, commit)` updates the panel; `read(key)` is the raw
 * text it read (a field reports text it could not use); `error` an InputError
 * from the core, shown at its field.
 */
export function serveInputs({ state, error, presets, hardware, weights, set, read, traceNote, onTraceFile }) {
  const fieldError = (key) => (error?.field === key || error?.field?.startsWith(`${key}.`) ? error.message : null);
  const id = (key) => `serve-${key}`;
  const number = (key, { min, step = 'any', help } = {}) => numberField({ id: id(key), label: labels[key], value: state[key], min, step, help,
    requested: read(key), error: fieldError(key), onInput: (value) => set(key, value, false), onCommit: (value) => set(key, value, true) });
  const select = (key, options, help) => selectField({ id: id(key), label: labels[key], value: state[key], options, help,
    requested: read(key), error: fieldError(key), onCommit: (value) => set(key, value, true) });
  const pick = (key, help) => select(key, choices[key].map((value) => option(value, choiceLabels[key]?.[value] ?? value)), help);
  const known = new Set(['model', 'hardware', 'gpus', 'parallelism', 'weights', 'kv_dtype', ...Object.keys(defaults)]);
  const modelError = error && !known.has(error.field?.split('.')[0]) ? error.message : fieldError('model');
  return html`
    <fieldset>
      <legend>Model and hardware</legend>
      ${selectField({ id: id('model'), label: labels.model, value: state.model, requested: read('model'), error: modelError,
        options: presets.map((preset) => option(preset.id, preset.label)), onCommit: (value) => set('model', value, true) })}
      ${select('hardware', hardware.map((row) => option(row.id, row.label)))}
      ${number('gpus', { min: 1, step: 1 })}
      ${pick('parallelism')}
      ${state.parallelism === 'tensor_pipeline'
        ? number('pipeline_stages', { min: 1, step: 1, help: 'Each stage is GPUs ÷ stages-way tensor parallel; the stages divide the GPUs' }) : nothing}
      ${select('weights', weights, 'Sized as the Quantization panel sizes it')}
      ${pick('kv_dtype')}
    </fieldset>
    <fieldset>
      <legend>Workload</legend>
      ${pick('arrival')}
      ${state.arrival === 'closed' ? html`${number('users', { min: 1, step: 1, help: 'Each user sends its next request when the last one finishes' })}
        ${number('ramp_s', { min: 0, help: 'User i sends its first request at i × this ÷ users seconds; 0: all at once (with fixed lengths they then move in lock-step)' })}`
        : state.arrival === 'trace' ? nothing : number('rate', { min: 0, help: 'Mean requests per second (open loop)' })}
      ${state.arrival === 'gamma' ? number('arrival_cv', { min: 0, help: 'Coefficient of variation of the gaps: 1 is Poisson, above 1 bursty' }) : nothing}
      ${state.arrival === 'trace' ? html`<div class="field wide">
        <label for="serve-trace">${labels.trace}</label>
        <textarea id="serve-trace" rows="4" placeholder="arrival_s,prompt_tokens,output_tokens" .value=${state.trace}
          aria-invalid=${fieldError('trace') ? 'true' : 'false'} aria-describedby=${fieldError('trace') ? 'serve-trace-error' : nothing}
          @change=${(event) => set('trace', event.target.value, true)}></textarea>
        <input id="serve-trace-file" type="file" accept=".csv,text/csv,text/plain" aria-label="Load a trace CSV"
          @change=${(event) => onTraceFile(event.target.files?.[0])} />
        ${fieldError('trace') ? html`<p class="field-error" id="serve-trace-error" role="alert">${fieldError('trace')}</p>` : nothing}
        ${traceNote ? html`<p class="note" id="serve-trace-note">${traceNote}</p>` : nothing}
      </div>` : nothing}
      ${state.arrival === 'trace' ? nothing : html`
        ${number('requests', { min: 1, step: 1 })}
        ${number('prompt_tokens', { min: 1, step: 1 })}
        ${pick('prompt_dist')}
        ${number('output_tokens', { min: 1, step: 1 })}
        ${pick('output_dist')}`}
      ${number('seed', { min: 0, step: 1, help: 'Arrivals and lengths are drawn from this seed: the same seed, the same run' })}
    </fieldset>
    <fieldset>
      <legend>Scheduler and KV cache</legend>
      ${pick('scheduler')}
      ${state.scheduler === 'static' ? nothing : number('chunk_tokens', { min: 1, step: 1,
        help: 'Chunked: tokens per iteration; continuous: prompt tokens per prefill iteration' })}
      ${number('max_batch', { min: 1, step: 1 })}
      ${number('block_size', { min: 1, step: 1, help: 'Paged KV: tokens per block' })}
      ${number('gpu_memory_utilization', { min: 0, help: 'Share of device memory for weights and KV cache (vLLM: 0.9); the rest holds activations' })}
      ${state.scheduler === 'static' ? nothing : html`
        ${number('watermark', { min: 0, help: 'Blocks kept free before admitting a request' })}
        ${pick('preemption')}`}
      ${number('prefix_share', { min: 0, help: 'Share of requests that start with the same prefix (prefix caching)' })}
      ${state.prefix_share > 0 || state.arrival === 'trace' ? number('prefix_tokens', { min: 0, step: 1 }) : nothing}
    </fieldset>
    <fieldset>
      <legend>Speculative decoding</legend>
      ${pick('spec_mode')}
      ${state.spec_mode === 'draft' ? html`
        ${select('spec_draft', presets.map((preset) => option(preset.id, preset.label)), 'Its vocabulary must be the model\'s')}` : nothing}
      ${state.spec_mode === 'none' ? nothing : html`
        ${number('spec_gamma', { min: 1, step: 1 })}
        ${number('spec_accept', { min: 0, help: 'Chance each drafted token is accepted' })}`}
    </fieldset>
    <fieldset>
      <legend>SLO and efficiency</legend>
      ${number('slo_ttft_s', { min: 0 })}
      ${number('slo_tpot_s', { min: 0 })}
      ${number('slo_attainment', { min: 0, help: 'The highest rate found is the one where this share of requests meets both bounds' })}
      ${number('compute_efficiency', { min: 0, help: 'Fraction of peak FLOP/s an iteration reaches' })}
      ${number('memory_efficiency', { min: 0, help: 'Fraction of peak memory bandwidth an iteration reaches' })}
      ${number('iteration_overhead_s', { min: 0, help: 'Fixed cost of every iteration (scheduling, kernel launches)' })}
    </fieldset>`;
}
