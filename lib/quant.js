// Quantization: formats and bits per weight, model sizes with mixed
// precision, and the measured lab (quantize → dequantize, quantized GEMV).
import { toPlain, unwrap } from './convert.js';

// Spec fields shared by quantBitsPerWeight, quantSize (flattened in its input).
const specFields = ['format', 'layout', 'group_size', 'channel_size', 'scale_dtype', 'double_quant'];
const overrideFields = ['embedding_format', 'attention_format', 'ffn_format', 'norms_format', 'lm_head_format'];

function pick(source, fields) {
  const picked = {};
  for (const field of fields) if (source[field] !== undefined) picked[field] = source[field];
  return picked;
}

export function quantApi(Module) {
  const specDefaults = () => toPlain(Module.quantSpecDefaults());
  return {
    /** Every format with its code bits, family, ggml block layout and whether the lab measures it. */
    quantFormats: () => toPlain(Module.quantFormats()),

    /** Bits per weight of a format and layout, overheads included. */
    quantBitsPerWeight: (spec = {}) =>
      unwrap(Module.quantBitsPerWeight({ ...specDefaults(), ...pick(spec, specFields) })),

    /**
     * Weight bytes of a model split into components, each in its format.
     * input: { params: {embedding, attention, ffn, norms, lm_head}, format, group_size, ...,
     *          embedding_format, attention_format, ffn_format, norms_format, lm_head_format }
     */
    quantSize(input = {}) {
      const defaults = toPlain(Module.quantSizeDefaults());
      return unwrap(Module.quantSize({
        ...defaults,
        ...pick(input, overrideFields),
        params: { ...defaults.params, ...(input.params ?? {}) },
        spec: { ...defaults.spec, ...pick(input, specFields) },
      }));
    },

    /** The decision matrix (technique, memory saved, compute overhead, quality, what the lab measures). */
    quantDecisionMatrix: () => toPlain(Module.quantDecisionMatrix()),

    /** Quantize → dequantize a seeded synthetic tensor: rel_rmse, snr_db, cosine, max error, histogram. */
    quantLab: (input = {}) => unwrap(Module.quantLab({ ...toPlain(Module.quantLabDefaults()), ...input })),

    /** Measured matrix–vector products with fp32, int8, int4 and int8×int8 weights: GB/s and error. */
    quantGemv: (input = {}) => unwrap(Module.quantGemv({ ...toPlain(Module.quantGemvDefaults()), ...input })),

    /** Default inputs of quantLab, quantGemv and quantSize. */
    quantDefaults: () => ({
      lab: toPlain(Module.quantLabDefaults()),
      gemv: toPlain(Module.quantGemvDefaults()),
      size: toPlain(Module.quantSizeDefaults()),
    }),
  };
}

/** The reference table: relative RMSE on N(0,1), round to nearest, fp32 scales. */
export const quantReferenceErrors = Object.freeze([
  { format: 'int8', group_size: 32, rel_rmse: 0.00535 },
  { format: 'int8', group_size: 128, rel_rmse: 0.00646 },
  { format: 'int4', group_size: 32, rel_rmse: 0.0970 },
  { format: 'int4', group_size: 64, rel_rmse: 0.1076 },
  { format: 'int4', group_size: 128, rel_rmse: 0.1173 },
  { format: 'int4_asym', group_size: 32, rel_rmse: 0.0782 },
  { format: 'nf4', group_size: 64, rel_rmse: 0.0919 },
  { format: 'q4_0', group_size: 32, rel_rmse: 0.0859 },
]);

/**
 * Parameter counts per component from the model area's count (whatever the
 * api names it): fields embedding, attention, ffn, norms (or norm), lm_head.
 */
export function paramsFromModel(api, config) {
  const count = api.countParams ?? api.modelParams ?? api.params;
  if (typeof count !== 'function') throw new Error('the model area has no parameter count in this build');
  const counts = count(config);
  const source = counts.params ?? counts;
  const value = (...names) => {
    for (const name of names) {
      const item = source[name];
      if (typeof item === 'number') return item;
      if (item && typeof item.total === 'number') return item.total;
    }
    return 0;
  };
  return {
    embedding: value('embedding', 'embeddings'),
    attention: value('attention'),
    ffn: value('ffn', 'mlp'),
    norms: value('norms', 'norm'),
    lm_head: value('lm_head'),
  };
}
