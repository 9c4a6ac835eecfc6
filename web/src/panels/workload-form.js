// The workload controls the Roofline and Plan panels share: model preset,
// hardware, dtypes, batch, context, efficiencies (and, for the plan, devices).
// Each panel keeps its own copy in the URL under its own prefix.
import { html } from 'lit';

import { checkField, numberField, selectField } from '../components/fields.js';

const dtypeOptions = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'].map((value) => ({ value, label: value }));
const computeOptions = ['fp32', 'fp16', 'bf16', 'fp8', 'int8'].map((value) => ({ value, label: value }));

/** Weights options: the plain dtypes, then ggml's block formats at their real bits per weight (api.quantFormats()). */
export function weightOptions(formats) {
  const blocks = formats.filter((f) => f.family === 'ggml')
    .map((f) => ({ value: f.id, label: `${f.label} (${Number((f.block_bytes * 8 / f.block_size).toFixed(4))} bits)` }));
  return [...dtypeOptions, ...blocks];
}

export const numberInputs = [
  { key: 'batch', label: 'Batch (sequences)', min: 1 },
  { key: 'context', label: 'Context (tokens)', min: 1, help: 'Prompt length at prefill; tokens attended to at decode' },
  { key: 'flop_efficiency', label: 'FLOP efficiency (0–1]', step: 'any', help: 'Fraction of peak FLOP/s reached; 1 is the ideal roofline' },
  { key: 'bandwidth_efficiency', label: 'Bandwidth efficiency (0–1]', step: 'any', help: 'Fraction of peak bandwidth reached; ~0.7–0.9 in practice' },
];
export const planInputs = [
  { key: 'gpus', label: 'Devices', min: 1 },
  { key: 'offload_layers', label: 'Layers offloaded to CPU', min: 0, help: 'Weights kept in host memory, streamed over PCIe every pass (1 device)' },
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

/** Reads the workload through `read(key)` (raw text or null), keeping defaults for anything unparsable. */
export function readWorkload(read, defaults, { modelIds, hardware, weights = dtypeOptions }) {
  const hardwareIds = hardware.map((row) => row.id);
  const text = (key) => read(key);
  const number = (key) => {
    const value = Number(text(key));
    return text(key) !== null && text(key).trim() !== '' && Number.isFinite(value) ? value : defaults[key];
  };
  const choice = (key, allowed) => (allowed.includes(text(key)) ? text(key) : defaults[key]);
  const state = { ...defaults };
  state.model = choice('model', modelIds);
  state.hardware = choice('hardware', [...hardwareIds, 'custom']);
  if (state.hardware === 'custom') {
    state.custom = customFromPreset(hardware.find((row) => row.id === defaults.hardware));
    for (const { key } of customFields) {
      const value = Number(text(`hw_${key}`));
      if (text(`hw_${key}`) !== null && Number.isFinite(value)) state.custom[key] = value;
    }
  }
  state.weights_dtype = choice('weights_dtype', weights.map((o) => o.value));
  state.kv_dtype = choice('kv_dtype', dtypeOptions.map((o) => o.value));
  state.compute_dtype = choice('compute_dtype', computeOptions.map((o) => o.value));
  if ('parallelism' in defaults) state.parallelism = choice('parallelism', ['tensor', 'pipeline']);
  for (const { key } of [...numberInputs, ...planInputs]) if (key in defaults) state[key] = number(key);
  const fused = text('fused_attention');
  state.fused_attention = fused === '0' ? false : fused === '1' ? true : defaults.fused_attention;
  return state;
}

/** State values to store: only what differs from the defaults. */
export function workloadParams(state, defaults) {
  const params = {};
  for (const [key, value] of Object.entries(state)) {
    if (key === 'custom') continue;
    const shown = typeof value === 'boolean' ? (value ? '1' : '0') : value;
    params[key] = value === defaults[key] ? null : shown;
  }
  for (const { key } of customFields) params[`hw_${key}`] = state.hardware === 'custom' ? state.custom?.[key] : null;
  return params;
}

/** The workload input the API takes. */
export function toInput(state) {
  const { model, hardware, custom, ...rest } = state;
  if (hardware !== 'custom') return { model, hardware, ...rest };
  const { memory_gib, ...spec } = custom;
  return { model, hardware: { ...spec, id: 'custom', label: 'Custom chip', source: 'entered by the user', memory_bytes: memory_gib * 2 ** 30 }, ...rest };
}

/** The controls; `set(key, value, commit)` updates the panel. */
export function workloadInputs({ prefix, state, error, presets, hardware, weights = dtypeOptions, plan = false, set }) {
  const fieldError = (key) => (error?.field === key ? error.message : null);
  const custom = state.hardware === 'custom';
  const hardwareError = !custom && error?.field?.startsWith('hardware') ? error.message : null;
  const modelError = error && !(error.field in state) && !error.field.startsWith('hardware') ? error.message : null;
  const number = ({ key, label, min, step = 1, help }) => numberField({ id: `${prefix}-${key}`, label, help, value: state[key], min, step,
    error: fieldError(key), onInput: (value) => set(key, value, false), onCommit: (value) => set(key, value, true) });
  return html`
    <fieldset>
      <legend>Model and chip</legend>
      ${selectField({ id: `${prefix}-model`, label: 'Model', value: state.model, error: modelError,
        options: presets.map((preset) => ({ value: preset.id, label: preset.label })), onCommit: (value) => set('model', value, true) })}
      ${selectField({ id: `${prefix}-hardware`, label: 'Hardware', value: state.hardware, error: hardwareError,
        options: [...hardware.map((row) => ({ value: row.id, label: row.label })), { value: 'custom', label: 'Custom chip…' }],
        onCommit: (value) => {
          // A custom chip starts from the preset on screen.
          const current = hardware.find((row) => row.id === state.hardware);
          if (value === 'custom' && current) set('custom', customFromPreset(current), false);
          set('hardware', value, true);
        } })}
      ${custom ? customFields.map(({ key, label, field }) => numberField({ id: `${prefix}-hw_${key}`, label, value: state.custom[key], min: 0,
        error: error?.field === `hardware.${field ?? key}` ? error.message : null,
        onInput: (value) => set('custom', { ...state.custom, [key]: value }, false),
        onCommit: (value) => set('custom', { ...state.custom, [key]: value }, true) })) : ''}
    </fieldset>
    <fieldset>
      <legend>Precision</legend>
      ${selectField({ id: `${prefix}-weights_dtype`, label: 'Weights', value: state.weights_dtype, options: weights,
        help: 'A plain dtype counts its bits only; a ggml block format counts its scales too',
        error: fieldError('weights_dtype'), onCommit: (value) => set('weights_dtype', value, true) })}
      ${selectField({ id: `${prefix}-kv_dtype`, label: 'KV cache', value: state.kv_dtype, options: dtypeOptions,
        error: fieldError('kv_dtype'), onCommit: (value) => set('kv_dtype', value, true) })}
      ${selectField({ id: `${prefix}-compute_dtype`, label: 'Compute (matmul peak)', value: state.compute_dtype, options: computeOptions,
        error: fieldError('compute_dtype'), onCommit: (value) => set('compute_dtype', value, true) })}
    </fieldset>
    <fieldset>
      <legend>Workload</legend>
      ${numberInputs.map(number)}
      ${checkField({ id: `${prefix}-fused_attention`, label: 'Fused (Flash) attention', checked: state.fused_attention,
        onCommit: (value) => set('fused_attention', value, true) })}
    </fieldset>
    ${plan ? html`<fieldset>
      <legend>Devices</legend>
      ${planInputs.map(number)}
      ${selectField({ id: `${prefix}-parallelism`, label: 'Parallelism', value: state.parallelism,
        options: [{ value: 'tensor', label: 'tensor (split every layer)' }, { value: 'pipeline', label: 'pipeline (split the layers)' }],
        error: fieldError('parallelism'), onCommit: (value) => set('parallelism', value, true) })}
    </fieldset>` : ''}`;
}
