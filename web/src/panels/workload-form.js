// The workload controls the Roofline and Plan panels share: model preset,
// hardware, dtypes, batch, context, efficiencies (and, for the plan, devices).
// Each panel keeps its own copy in the URL under its own prefix.
import { html } from 'lit';

import { checkField, numberField, selectField } from '../components/fields.js';

const dtypeOptions = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'].map((value) => ({ value, label: value }));
const computeOptions = ['fp32', 'fp16', 'bf16', 'fp8', 'int8'].map((value) => ({ value, label: value }));

/**
 * Weights options: the plain dtypes, then every quant format (api.quantFormats()):
 * fixed blocks at the core's bits per weight, grouped formats with the group and
 * scale dtype below.
 */
export function weightOptions(formats) {
  const plain = new Set(dtypeOptions.map((o) => o.value));
  const rest = formats.filter((f) => !plain.has(f.id) && f.id !== 'fp32' && f.id !== 'fp16' && f.id !== 'bf16')
    .map((f) => ({ value: f.id, label: f.block_size > 0 ? `${f.label} (${Number(f.bits_per_weight.toFixed(4))} bits)`
      : `${f.label} (groups, scales below)` }));
  return [...dtypeOptions, ...rest];
}

// Components a deployment may keep in bf16 while the rest takes the weights format.
export const keepParts = [
  { part: 'embedding', label: 'Embedding' }, { part: 'attention', label: 'Attention' },
  { part: 'router', label: 'MoE routers' }, { part: 'lm_head', label: 'LM head' },
];
const scaleOptions = ['fp16', 'bf16', 'fp32'].map((value) => ({ value, label: value }));

/** The defaults for `model`: a checkpoint that ships in its own format (quantization_config) starts in it. */
export function modelDefaults(defaults, models, modelId) {
  const model = models.find((m) => m.id === modelId);
  if (!model?.weights_format) return defaults;
  return { ...defaults, weights_dtype: model.weights_format, weights_keep: model.weights_keep ?? '' };
}

export const numberInputs = [
  { key: 'batch', label: 'Batch (sequences)', min: 1 },
  { key: 'context', label: 'Context (tokens)', min: 1, help: 'Prompt length at prefill; tokens attended to at decode' },
  { key: 'images', label: 'Images per prompt', min: 0, help: 'Vision models: each runs the vision tower at prefill; count its tokens in the context' },
  { key: 'flop_efficiency', label: 'FLOP efficiency (0–1]', step: 'any', help: 'Fraction of peak FLOP/s reached; 1 is the ideal roofline' },
  { key: 'bandwidth_efficiency', label: 'Bandwidth efficiency (0–1]', step: 'any', help: 'Fraction of peak bandwidth reached; ~0.7–0.9 in practice' },
];
// Overrides the Weights choice: a grouped format's bits (INT4 with an fp16 scale per 128 is 4.125),
// or a mixed-precision average from the Quantization panel.
export const weightsBitsInput = { key: 'weights_bits', label: 'Bits per weight (0: from Weights)', step: 'any', min: 0,
  help: 'Overrides the format for every component, scales included (e.g. a mixed-precision average from the Quantization panel)' };
export const weightsGroupInput = { key: 'weights_group', label: 'Group size (0: the format’s usual)', min: 0,
  help: 'Grouped formats: INT4/INT8 128 (GPTQ, AWQ), NF4 64 (QLoRA)' };
export const planInputs = [
  { key: 'gpus', label: 'Devices', min: 1 },
  { key: 'offload_layers', label: 'Layers offloaded to CPU', min: 0, help: 'Weights kept in host memory, streamed over PCIe every pass (1 device)' },
];
// Shown with tensor × pipeline parallelism only.
const stagesInput = { key: 'pipeline_stages', label: 'Pipeline stages', min: 1, help: 'Each stage is devices ÷ stages-way tensor parallel; the stages divide the devices' };
export const parallelismOptions = [
  { value: 'tensor', label: 'tensor (split every layer)' },
  { value: 'pipeline', label: 'pipeline (split the layers)' },
  { value: 'tensor_pipeline', label: 'tensor × pipeline (stages of tensor-parallel groups)' },
];

// A custom chip's fields (hardware = 'custom'), seeded from the preset chosen before.
export const customFields = [
  { key: 'fp16_tflops', label: 'fp16/bf16 TFLOPS (dense)' },
  { key: 'fp8_tflops', label: 'fp8 TFLOPS (0: none)' },
  { key: 'int8_tops', label: 'int8 TOPS (0: none)' },
  { key: 'fp32_tflops', label: 'fp32/TF32 TFLOPS' },
  { key: 'memory_gb_per_s', label: 'Memory bandwidth (GB/s)' },
  { key: 'memory_gib', label: 'Memory (GiB)', field: 'memory_bytes' },
  { key: 'interconnect_gb_per_s', label: 'Device link (GB/s per direction)' },
  { key: 'host_link_gb_per_s', label: 'Host link, PCIe (GB/s)' },
];

/** The custom fields of a preset row. */
export function customFromPreset(row) {
  const custom = {};
  for (const { key } of customFields) custom[key] = key === 'memory_gib' ? row.memory_bytes / 2 ** 30 : row[key];
  return custom;
}

/** The state keys a panel with these defaults reads (URL parameters or attributes). */
export function workloadKeys(defaults) {
  return [...Object.keys(defaults), ...customFields.map(({ key }) => `hw_${key}`)];
}

/** `state` with `key` set; a new model brings its own weights format unless the weights were chosen by hand. */
export function setWorkload(state, key, value, panelDefaults, models) {
  if (key !== 'model') return { ...state, [key]: value };
  const before = modelDefaults(panelDefaults, models, state.model);
  const after = modelDefaults(panelDefaults, models, value);
  const next = { ...state, model: value };
  for (const field of ['weights_dtype', 'weights_keep']) if (field in state && state[field] === before[field]) next[field] = after[field];
  return next;
}

/** Reads the workload through `read(key)` (raw text or null), keeping defaults for anything unparsable. */
export function readWorkload(read, panelDefaults, { models, hardware, weights = dtypeOptions }) {
  const hardwareIds = hardware.map((row) => row.id);
  const text = (key) => read(key);
  const model = models.some((m) => m.id === text('model')) ? text('model') : panelDefaults.model;
  const defaults = modelDefaults(panelDefaults, models, model);
  const number = (key) => {
    const value = Number(text(key));
    return text(key) !== null && text(key).trim() !== '' && Number.isFinite(value) ? value : defaults[key];
  };
  const choice = (key, allowed) => (allowed.includes(text(key)) ? text(key) : defaults[key]);
  const state = { ...defaults };
  state.model = model;
  state.hardware = choice('hardware', [...hardwareIds, 'custom']);
  if (state.hardware === 'custom') {
    state.custom = customFromPreset(hardware.find((row) => row.id === defaults.hardware));
    for (const { key } of customFields) {
      const value = Number(text(`hw_${key}`));
      if (text(`hw_${key}`) !== null && Number.isFinite(value)) state.custom[key] = value;
    }
  }
  state.weights_dtype = choice('weights_dtype', weights.map((o) => o.value));
  if ('weights_scale_dtype' in defaults) state.weights_scale_dtype = choice('weights_scale_dtype', scaleOptions.map((o) => o.value));
  if ('weights_keep' in defaults) {
    const keep = text('weights_keep');
    const parts = keep === null ? null : keep.split(',').filter((part) => part !== '');
    state.weights_keep = parts && parts.every((part) => keepParts.some((k) => k.part === part)) ? parts.join(',') : defaults.weights_keep;
  }
  state.kv_dtype = choice('kv_dtype', dtypeOptions.map((o) => o.value));
  state.compute_dtype = choice('compute_dtype', computeOptions.map((o) => o.value));
  if ('parallelism' in defaults) state.parallelism = choice('parallelism', parallelismOptions.map((o) => o.value));
  for (const { key } of [...numberInputs, ...planInputs, stagesInput, weightsBitsInput, weightsGroupInput]) if (key in defaults) state[key] = number(key);
  const fused = text('fused_attention');
  state.fused_attention = fused === '0' ? false : fused === '1' ? true : defaults.fused_attention;
  return state;
}

/** State values to store: only what differs from the defaults (of the chosen model). */
export function workloadParams(state, panelDefaults, models) {
  const defaults = modelDefaults(panelDefaults, models, state.model);
  const params = {};
  for (const [key, value] of Object.entries(state)) {
    if (key === 'custom') continue;
    const shown = typeof value === 'boolean' ? (value ? '1' : '0') : value;
    params[key] = value === defaults[key] ? null : shown;
  }
  for (const { key } of customFields) params[`hw_${key}`] = state.hardware === 'custom' ? state.custom?.[key] : null;
  return params;
}

/** The workload input the API takes; the model is the chosen preset's or the imported config. */
export function toInput(state, models) {
  const { model: id, hardware, custom, ...rest } = state;
  if (rest.parallelism !== 'tensor_pipeline') delete rest.pipeline_stages;  // the core reads it with tensor_pipeline only
  const model = models.find((m) => m.id === id)?.config ?? id;
  if (hardware !== 'custom') return { model, hardware, ...rest };
  const { memory_gib, ...spec } = custom;
  return { model, hardware: { ...spec, id: 'custom', label: 'Custom chip', source: 'entered by the user', memory_bytes: memory_gib * 2 ** 30 }, ...rest };
}

/** The controls; `set(key, value, commit)` updates the panel; `read(key)`, the text it read, lets a field report a value it could not use. */
export function workloadInputs({ prefix, state, error, presets, hardware, weights = dtypeOptions, plan = false, set, read = () => null }) {
  const fieldError = (key) => (error?.field === key ? error.message : null);
  const custom = state.hardware === 'custom';
  const hardwareError = !custom && error?.field?.startsWith('hardware') ? error.message : null;
  const modelError = error && !(error.field in state) && !error.field.startsWith('hardware') ? error.message : null;
  const number = ({ key, label, min, step = 1, help }) => numberField({ id: `${prefix}-${key}`, label, help, value: state[key], min, step, requested: read(key),
    error: fieldError(key), onInput: (value) => set(key, value, false), onCommit: (value) => set(key, value, true) });
  return html`
    <fieldset>
      <legend>Model and chip</legend>
      ${selectField({ id: `${prefix}-model`, label: 'Model', value: state.model, error: modelError, requested: read('model'),
        options: presets.map((preset) => ({ value: preset.id, label: preset.label })), onCommit: (value) => set('model', value, true) })}
      ${selectField({ id: `${prefix}-hardware`, label: 'Hardware', value: state.hardware, error: hardwareError, requested: read('hardware'),
        options: [...hardware.map((row) => ({ value: row.id, label: row.label })), { value: 'custom', label: 'Custom chip…' }],
        onCommit: (value) => {
          // A custom chip starts from the preset on screen.
          const current = hardware.find((row) => row.id === state.hardware);
          if (value === 'custom' && current) set('custom', customFromPreset(current), false);
          set('hardware', value, true);
        } })}
      ${custom ? customFields.map(({ key, label, field }) => numberField({ id: `${prefix}-hw_${key}`, label, value: state.custom[key], min: 0, requested: read(`hw_${key}`),
        error: error?.field === `hardware.${field ?? key}` ? error.message : null,
        onInput: (value) => set('custom', { ...state.custom, [key]: value }, false),
        onCommit: (value) => set('custom', { ...state.custom, [key]: value }, true) })) : ''}
    </fieldset>
    <fieldset>
      <legend>Precision</legend>
      ${selectField({ id: `${prefix}-weights_dtype`, label: 'Weights', value: state.weights_dtype, options: weights, requested: read('weights_dtype'),
        help: 'Sized as the Quantization panel sizes it, scales included; norms stay at 16 bits under narrower formats',
        error: fieldError('weights_dtype'), onCommit: (value) => set('weights_dtype', value, true) })}
      ${'weights_group' in state ? number(weightsGroupInput) : ''}
      ${'weights_scale_dtype' in state ? selectField({ id: `${prefix}-weights_scale_dtype`, label: 'Scales of grouped formats',
        value: state.weights_scale_dtype, options: scaleOptions, error: fieldError('weights_scale_dtype'), requested: read('weights_scale_dtype'),
        onCommit: (value) => set('weights_scale_dtype', value, true) }) : ''}
      ${'weights_keep' in state ? html`<div class="field" role="group" aria-label="Kept in bf16">
        <span class="label">Kept in bf16</span>
        ${keepParts.map(({ part, label }) => checkField({ id: `${prefix}-keep-${part}`, label,
          checked: state.weights_keep.split(',').includes(part),
          onCommit: (checked) => set('weights_keep', keepParts.map((k) => k.part)
            .filter((p) => (p === part ? checked : state.weights_keep.split(',').includes(p))).join(','), true) }))}
        ${fieldError('weights_keep') ? html`<p class="field-error" role="alert">${fieldError('weights_keep')}</p>` : ''}
      </div>` : ''}
      ${'weights_bits' in state ? number(weightsBitsInput) : ''}
      ${selectField({ id: `${prefix}-kv_dtype`, label: 'KV cache', value: state.kv_dtype, options: dtypeOptions, requested: read('kv_dtype'),
        error: fieldError('kv_dtype'), onCommit: (value) => set('kv_dtype', value, true) })}
      ${selectField({ id: `${prefix}-compute_dtype`, label: 'Compute (matmul peak)', value: state.compute_dtype, options: computeOptions, requested: read('compute_dtype'),
        error: fieldError('compute_dtype'), onCommit: (value) => set('compute_dtype', value, true) })}
    </fieldset>
    <fieldset>
      <legend>Workload</legend>
      ${numberInputs.map(number)}
      ${checkField({ id: `${prefix}-fused_attention`, label: 'Fused (Flash) attention', checked: state.fused_attention, requested: read('fused_attention'),
        onCommit: (value) => set('fused_attention', value, true) })}
    </fieldset>
    ${plan ? html`<fieldset>
      <legend>Devices</legend>
      ${planInputs.map(number)}
      ${selectField({ id: `${prefix}-parallelism`, label: 'Parallelism', value: state.parallelism, requested: read('parallelism'),
        options: parallelismOptions, error: fieldError('parallelism'), onCommit: (value) => set('parallelism', value, true) })}
      ${state.parallelism === 'tensor_pipeline' ? number(stagesInput) : ''}
    </fieldset>` : ''}`;
}
