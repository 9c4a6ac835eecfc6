// Quantization: formats and bits per weight, model sizes with mixed
// precision (calculator module), and the measured lab (quantize → dequantize,
// quantized GEMV; lab module).
import { checkKeys, mergeChecked, toPlain, unwrap } from './convert.js';

// Spec fields shared by quantBitsPerWeight, quantSize (flattened in its input).
const specFields = ['format', 'layout', 'group_size', 'channel_size', 'scale_dtype', 'double_quant'];
const overrideFields = ['embedding_format', 'attention_format', 'ffn_format', 'router_format', 'norms_format', 'lm_head_format'];

function pick(source, fields) {
  const picked = {};
  for (const field of fields) if (source[field] !== undefined) picked[field] = source[field];
  return picked;
}

// quantSize takes a flat input: the spec's fields, the per-component formats,
// and the counts as `params` or a model `config`.
const sizeFields = [...specFields, ...overrideFields, 'params', 'config'];

export function quantApi(Module) {
  const specDefaults = () => toPlain(Module.quantSpecDefaults());
  // A (partial) model config over the C++ defaults → counts per component.
  const modelDefaults = toPlain(Module.defaultModelConfig());
  const quantParamGroups = (config) => unwrap(Module.quantParamGroups(mergeChecked(modelDefaults, config, 'model config', 'config.')));
  return {
    /** Every format with its code bits, family, ggml block layout and whether the lab measures it. */
    quantFormats: () => toPlain(Module.quantFormats()).map((format) => ({
      ...format,
      // the core's bits for a fixed block (labels show it; JS does not redo the formula)
      bits_per_weight: format.block_size > 0
        ? unwrap(Module.quantBitsPerWeight(mergeChecked(specDefaults(), { format: format.id }, 'quant spec'))).bits_per_weight : null,
    })),

    /** Bits per weight of a format and layout, overheads included. */
    quantBitsPerWeight: (spec = {}) => unwrap(Module.quantBitsPerWeight(mergeChecked(specDefaults(), spec, 'quant spec'))),

    /**
     * Weight bytes of a model split into components, each in its format.
     * input: { params: {embedding, attention, ffn, router, norms, lm_head} or config: ModelConfig, format, group_size, ...,
     *          embedding_format, attention_format, ffn_format, router_format, norms_format, lm_head_format }
     */
    quantSize(input = {}) {
      const defaults = toPlain(Module.quantSizeDefaults());
      checkKeys(input, sizeFields, 'quant size input');
      const params = input.config !== undefined ? quantParamGroups(input.config).params : input.params;
      const result = unwrap(Module.quantSize({
        ...mergeChecked(pick(defaults, overrideFields), pick(input, overrideFields), 'quant size input'),
        params: mergeChecked(defaults.params, params, 'params', 'params.'),
        spec: mergeChecked(defaults.spec, pick(input, specFields), 'quant spec'),
      }));
      delete result.bits.status;  // ok: the outer status covers it
      return result;
    },

    /** Parameter counts grouped as quantSize takes them, from a model config (model area's counts). */
    quantParamGroups,

    /** The decision matrix (technique, memory saved, compute overhead, quality, what the lab measures). */
    quantDecisionMatrix: () => toPlain(Module.quantDecisionMatrix()),

    /** Default inputs of quantLab, quantGemv and quantSize. */
    quantDefaults: () => ({
      lab: toPlain(Module.quantLabDefaults()),
      gemv: toPlain(Module.quantGemvDefaults()),
      size: toPlain(Module.quantSizeDefaults()),
    }),
  };
}

/** The measured lab, in the lab module: `lab()` returns it (loading it on first use). */
export function quantLabApi(lab) {
  const run = (name, defaults, what) => (input = {}) => {
    const Lab = lab();
    return unwrap(Lab[name](mergeChecked(toPlain(Lab[defaults]()), input, what)));
  };
  return {
    /** Quantize → dequantize a seeded synthetic tensor: rel_rmse, snr_db, cosine, max error, histogram. */
    quantLab: run('quantLab', 'quantLabDefaults', 'quant lab input'),

    /** Measured matrix–vector products with fp32, int8, int4 and int8×int8 weights: GB/s and error. */
    quantGemv: run('quantGemv', 'quantGemvDefaults', 'GEMV input'),

    /** One quant kernel timed alone (benchmarks): quantize_int8, quantize_int4, quantize_int8_asym, quantize_int4_asym, quantize_nf4, quantize_q4_1, dequantize_int8, dequantize_nf4. */
    quantBench: run('quantBench', 'quantBenchDefaults', 'quant bench input'),
  };
}

/**
 * What a worker splitting a quantLab or quantGemv run asks its lab module
 * (lib/parallel.js), besides the runs: `lab()` returns the module.
 */
export function quantSplitApi(lab) {
  return {
    /** Default inputs of quantLab and quantGemv, from the lab module (a worker splitting a run asks for them). */
    quantRunDefaults() {
      const Lab = lab();
      return { lab: toPlain(Lab.quantLabDefaults()), gemv: toPlain(Lab.quantGemvDefaults()) };
    },

    /** Chunks a quantLab run of `input` can be split into across workers (1: a scale reaches across chunks). */
    quantLabChunks(input = {}) {
      const Lab = lab();
      return Lab.quantLabChunks(mergeChecked(toPlain(Lab.quantLabDefaults()), input, 'quant lab input'));
    },

  };
}

/**
 * Expected relative RMSE of each quantizer on i.i.d. N(0,1) weights (exact real
 * scales, round to nearest), derived by numerical integration over the
 * distribution of each group's extremes, not sampled: scripts/quant-reference-errors.js
 * prints these rows (four significant digits) and tests/js/quant.test.js checks them.
 */
export const quantReferenceErrors = Object.freeze([
  { format: 'int8', group_size: 32, rel_rmse: 0.005346 },
  { format: 'int8', group_size: 128, rel_rmse: 0.006463 },
  { format: 'int4', group_size: 32, rel_rmse: 0.09700 },
  { format: 'int4', group_size: 64, rel_rmse: 0.1076 },
  { format: 'int4', group_size: 128, rel_rmse: 0.1173 },
  { format: 'int4_asym', group_size: 32, rel_rmse: 0.08075 },
  { format: 'nf4', group_size: 64, rel_rmse: 0.09198 },
  { format: 'q4_0', group_size: 32, rel_rmse: 0.08589 },
]);

