// The model a command works on: --preset ID or --hf-config FILE (never both),
// then the override flags that command takes. Every command that takes a model
// (model, kv, kv-paging, attention-memory, quant, plan, roofline, training)
// resolves it here, so every command reads a model, and names its flags, alike.
import { readFileSync } from 'node:fs';

import { InputError } from '../lib/api.js';
import { choiceFlag, numberFlag, typedMessage, UsageError } from './flags.js';

/** The two source flags, as parseArgs options. */
export const modelSourceOptions = { preset: { type: 'string' }, 'hf-config': { type: 'string' } };

/** How usage texts write them. */
export const modelSourceUsage = '[--preset ID | --hf-config FILE]';

// Flags that override one ModelConfig field of the model. A command names the
// ones it takes; `--window` is the sliding window of the model's sliding layers.
const overrideFlags = {
  vocab: { field: 'vocab_size' },
  'd-model': { field: 'd_model' },
  layers: { field: 'n_layers' },
  heads: { field: 'n_heads' },
  'kv-heads': { field: 'n_kv_heads' },
  'head-dim': { field: 'head_dim' },
  'd-ff': { field: 'd_ff' },
  experts: { field: 'n_experts' },
  'top-k': { field: 'experts_top_k' },
  window: { field: 'sliding_window' },
  positions: { field: 'learned_position_embeddings' },
  ffn: { field: 'ffn', choices: ['gated', 'plain'] },
  norm: { field: 'norm', choices: ['rms', 'layer'] },
  tied: { field: 'tied_embeddings', set: true },
  untied: { field: 'tied_embeddings', set: false },
  'qkv-bias': { field: 'qkv_bias', set: true },
};

/** parseArgs options for the source flags and the override flags named. */
export function modelOptions(overrides = []) {
  const options = { ...modelSourceOptions };
  for (const flag of overrides) options[flag] = { type: overrideFlags[flag].set === undefined ? 'string' : 'boolean' };
  return options;
}

/** { field: flag } of the override flags named, for error messages. */
export function flagsOfFields(overrides = []) {
  return Object.fromEntries(overrides.map((flag) => [overrideFlags[flag].field, flag]));
}

function readPreset(api, id) {
  const presets = api.modelPresets();
  const preset = presets.find((candidate) => candidate.id === id);
  if (!preset) {
    throw new InputError('preset', `--preset = "${id}" is not a preset (known: ${presets.map((p) => p.id).join(', ')})`);
  }
  return preset;
}

function readHfConfig(api, file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--hf-config = "${file}" cannot be read (${error.code ?? error.message})`, 'hf-config');
  }
  try {
    return api.importHfConfig(text);
  } catch (error) {
    // The core's message names the config.json key; the field stays the key.
    if (error instanceof InputError) throw new InputError(error.field, `--hf-config ${file}: ${error.message}`);
    throw error;
  }
}

/**
 * The model the flags describe: { config, origin: {preset, source, model_type, assumed},
 * weights_format, weights_keep, from }. `config` is a partial ModelConfig (the API fills
 * the defaults); `from` is the source flag as typed ("--preset deepseek-v3") or null;
 * weights_format / weights_keep are the checkpoint's (config.json quantization_config), or null.
 * With `headsImplyMha`, --heads without --kv-heads and without a source means MHA.
 */
export function resolveModel(api, values, { overrides = [], headsImplyMha = false } = {}) {
  const preset = values.preset;
  const file = values['hf-config'];
  if (preset !== undefined && file !== undefined) throw new UsageError('give --preset or --hf-config, not both', 'preset');
  let config = {};
  let origin = { preset: null, source: null, model_type: null, assumed: [] };
  let weights = { format: '', keep: '' };
  let from = null;
  if (preset !== undefined) {
    const row = readPreset(api, preset);
    config = { ...row.config };
    origin = { ...origin, preset: row.id, source: row.source };
    weights = { format: row.weights_format, keep: row.weights_keep };
    from = `--preset ${preset}`;
  } else if (file !== undefined) {
    const imported = readHfConfig(api, file);
    config = { ...imported.config };
    origin = { ...origin, source: file, model_type: imported.model_type, assumed: imported.assumed };
    weights = { format: imported.weights_format, keep: imported.weights_keep };
    from = `--hf-config ${file}`;
  }
  if (values.tied && values.untied) throw new UsageError('give --tied or --untied, not both', 'tied');
  for (const flag of overrides) {
    const { field, choices, set } = overrideFlags[flag];
    if (set !== undefined) {
      if (values[flag]) config[field] = set;
    } else {
      const value = choices ? choiceFlag(values, flag, choices) : numberFlag(values, flag);
      if (value !== undefined) config[field] = value;
    }
  }
  if (headsImplyMha && from === null && values.heads !== undefined && values['kv-heads'] === undefined) {
    config.n_kv_heads = config.n_heads;
  }
  return { config, origin, weights_format: weights.format || null, weights_keep: weights.keep || null, from };
}

/**
 * An InputError in the user's terms. When a flag set the field and `values` holds what was typed, the
 * message names the flag and the value as typed ("--budget-gb = -1 must be at least 0"); otherwise it
 * gains the flag behind its field, "(--layers)", or the source the field came from,
 * "(mlp_layer_types from --preset deepseek-v3)". `flagOfField` maps a field to a flag name, or to
 * { flag, scale } when the CLI scaled the value (--budget-gb: 1e9), or to { flag, derived } when it
 * derived the field from the flag (decode --n: "half prompt, half generated").
 */
export function withModelFlag(error, model, flagOfField = {}, values = undefined) {
  if (!(error instanceof InputError) || /\(--[\w-]+\)$/.test(error.message) || error.message.startsWith('--')) return error;
  const entry = flagOfField[error.field];
  const { flag, scale = 1, derived } = typeof entry === 'string' ? { flag: entry } : entry ?? {};
  // A field the command derives from a flag (decode --n sets both token counts): the flag as typed, then how.
  if (derived && typeof values?.[flag] === 'string') {
    return new InputError(error.field, `--${flag} = ${values[flag]} (${derived}): ${error.message}`);
  }
  if (flag && values?.[flag] !== undefined && typeof values[flag] === 'string') {
    const typed = typedMessage(error.message, error.field, flag, values[flag], scale);
    if (typed) return new InputError(error.field, typed);
  }
  if (flag) return new InputError(error.field, `${error.message} (--${flag})`);
  if (model?.from && error.field in model.config) {
    return new InputError(error.field, `${error.message} (${error.field} from ${model.from})`);
  }
  return error;
}

/** `run()`, with an InputError restated in the user's terms (withModelFlag, no model). */
export function inFlagTerms(flagOfField, values, run) {
  try {
    return run();
  } catch (error) {
    throw withModelFlag(error, null, flagOfField, values);
  }
}

/** A short name of the model for text output. */
export function modelTitle(model) {
  if (model.origin.preset) return model.origin.preset;
  if (model.origin.source) return `${model.config.name} (${model.origin.source})`;
  return 'custom model';
}

/** The import's assumptions, one text line each. */
export const assumedLines = (model) => model.origin.assumed.map((line) => `assumed: ${line}`);
