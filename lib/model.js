// Model area: presets, validation, parameter counts, FLOPs, config.json import.
import { describe, InputError, mergeChecked, toPlain, unwrap } from './convert.js';

export function modelApi(Module) {
  // One source of truth for defaults: the C++ ModelConfig{}.
  const defaults = Object.freeze(toPlain(Module.defaultModelConfig()));

  /** A partial config merged over the defaults; a wrong JS type names its field. */
  const toModelConfig = (partial = {}) => mergeChecked(defaults, partial, 'model');

  const contextOf = (options) => mergeChecked({ context_tokens: 4096 }, options, 'options').context_tokens;

  function modelPresets() {
    return toPlain(Module.modelPresets());
  }

  return {
    /** The built-in architectures, each with the config.json or paper it comes from. */
    modelPresets,

    /** One preset by id ("llama-2-7b"); InputError naming `preset` when unknown. */
    modelPreset(id) {
      if (typeof id !== 'string') throw new InputError('preset', `preset must be a preset id string (got ${describe(id)})`);
      const preset = modelPresets().find((candidate) => candidate.id === id);
      if (!preset) throw new InputError('preset', `preset = "${id}" is not known (see modelPresets())`);
      return preset;
    },

    /** The default ModelConfig (Llama-2-7B's shape); partial configs merge over it. */
    defaultModelConfig: () => ({ ...defaults }),

    /** The config with defaults filled and head_dim resolved, or InputError. */
    validateModel(config) {
      return unwrap(Module.validateModel(toModelConfig(config))).config;
    },

    /** Exact parameter counts by part. */
    countParams(config) {
      const params = unwrap(Module.countParams(toModelConfig(config)));
      delete params.config;
      return params;
    },

    /** Everything the Model panel shows, for a decode at / a prefill of `context_tokens`. */
    modelReport(config, options) {
      const report = unwrap(Module.modelReport(toModelConfig(config), contextOf(options)));
      const { params, decode, prefill, crossover } = report;
      delete params.config;
      return {
        config: report.config,
        params,
        weights_memory: report.weights_memory,
        flops: {
          context_tokens: decode.context_tokens,
          decode_per_token: decode.split.total,
          prefill: prefill.split.total,
          decode_split: decode.split,
          prefill_split: prefill.split,
          decode_attended_tokens: decode.attended_tokens,
          prefill_attended_pairs: prefill.attended_pairs,
          prefill_lm_head_last_token: prefill.lm_head_last_token,
        },
        crossover_context_tokens: crossover.exists ? crossover.context_tokens : null,
        attention_share_curve: report.attention_share_curve,
        // The same figures as the core's structs, for views that show one split at a time.
        decode,
        prefill,
        crossover,
      };
    },

    /** Reads a Hugging Face config.json text: {config, assumed, model_type, weights_format, weights_format_exceptions}, or InputError. */
    importHfConfig(text) {
      if (typeof text !== 'string') {
        throw new InputError('config_json', `config.json must be given as text (got ${describe(text)})`);
      }
      return unwrap(Module.importHfConfig(text));
    },
  };
}
