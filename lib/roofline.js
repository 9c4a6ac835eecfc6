// Roofline area: hardware presets, per-operator roofline, deployment plan,
// training memory, calibration points, and this machine's measured roofline.
import { describe, InputError, mergeChecked, plainInput, toPlain, unwrap, withVector } from './convert.js';

const merge = mergeChecked;

const withUnits = (hardware) => ({
  ...hardware,
  memory_gb: hardware.memory_bytes / 1e9,
  memory_gib: hardware.memory_bytes / 2 ** 30,
});

// A sweep's curve (sizes and `kind` bandwidths) as two temporary std::vectors for the core.
function withCurve(Module, sweep, kind, fn) {
  const rate = (p) => p[`${kind}_bytes_per_s`];
  const points = plainInput(sweep, 'sweep (a measureCacheSweep result)', 'sweep').points;
  if (!Array.isArray(points) || !points.length ||
    points.some((p) => typeof p?.bytes !== 'number' || typeof rate(p) !== 'number')) {
    throw new InputError('sweep', 'sweep has no points with bytes and bandwidths (pass the result of measureCacheSweep)');
  }
  return withVector(Module.VectorDouble, points.map((p) => p.bytes), (sizes) =>
    withVector(Module.VectorDouble, points.map(rate), (rates) => fn(sizes, rates)));
}

/**
 * How a workload's model and hardware are given (a preset id, or an object over the defaults),
 * shared by the roofline and serve areas: { fieldDefaults, resolveModel, resolveHardware, hardwarePresets }.
 */
export function workloadResolvers(Module) {
  // One source of truth for defaults: the C++ structs' initializers.
  const workloadDefaults = Object.freeze(toPlain(Module.defaultWorkload()));
  const { model: modelDefaults, hardware: hardwareDefaults, ...fieldDefaults } = workloadDefaults;
  const presets = Object.freeze(toPlain(Module.hardwarePresets()).map((row) => Object.freeze(withUnits(row))));

  function resolveHardware(hardware = 'h100-sxm') {
    if (typeof hardware === 'string') {
      const preset = presets.find((row) => row.id === hardware);
      if (!preset) {
        throw new InputError('hardware', `hardware = "${hardware}" is not known (one of ${presets.map((row) => row.id).join(', ')})`);
      }
      const { memory_gb, memory_gib, ...spec } = preset;
      return spec;
    }
    // A custom spec, optionally starting from a preset: { base: 'h100-sxm', memory_gb_per_s: 4000 }.
    if (hardware === null || typeof hardware !== 'object') {
      throw new InputError('hardware', `hardware must be a preset id or a spec object (got ${describe(hardware)})`);
    }
    const { base, ...fields } = plainInput(hardware, 'hardware');
    const start = base === undefined ? { ...hardwareDefaults } : resolveHardware(base);
    return merge(start, fields, 'hardware', 'hardware.');
  }

  // Model presets are fixed at build time: copied out of WASM once, on first use
  // (copying all of them, config.json texts included, took most of a plan call).
  let modelPresetList = null;
  function resolveModel(model = {}, field = 'model') {
    if (typeof model === 'string') {
      modelPresetList ??= toPlain(Module.modelPresets());
      const preset = modelPresetList.find((row) => row.id === model);
      if (!preset) throw new InputError(field, `${field} = "${model}" is not a known preset`);
      return structuredClone(preset.config);  // a copy: callers may change it
    }
    return merge(modelDefaults, plainInput(model, `${field} (a preset id or a config object)`, field), 'model config',
      field === 'model' ? '' : `${field}.`);
  }

  return { fieldDefaults, resolveModel, resolveHardware, hardwarePresets: presets };
}

export function rooflineApi(Module) {
  const { fieldDefaults, resolveModel, resolveHardware, hardwarePresets: presets } = workloadResolvers(Module);
  const trainingDefaults = Object.freeze(toPlain(Module.defaultTrainingInput()));
  const probeDefaults = Object.freeze(toPlain(Module.defaultProbeInput()));
  const sweepDefaults = Object.freeze(toPlain(Module.defaultCacheSweepInput()));

  function toWorkload(input = {}) {
    const { model, hardware, ...fields } = plainInput(input, 'workload', 'input');
    return { ...merge(fieldDefaults, fields, 'workload'), model: resolveModel(model), hardware: resolveHardware(hardware) };
  }

  return {
    /** Accelerators with dense peaks per dtype, bandwidth, capacity (bytes, GB and GiB) and a source per row. */
    hardwarePresets: () => presets.map((row) => ({ ...row })),

    /** The defaults every workload field takes (model: Llama-2-7B's shape; hardware: H100 SXM). */
    defaultWorkload: () => ({ ...toWorkload({}) }),

    /** Every operator of one layer (+ embedding, final norm, LM head) at prefill and decode. */
    roofline: (input) => unwrap(Module.roofline(toWorkload(input))),

    /** Latency, throughput, fit, parallelism and the batch-throughput curve of a deployment. */
    plan: (input) => unwrap(Module.plan(toWorkload(input))),

    /** The defaults of every training input but the model (micro-batch 1 x 2048 tokens, no parallelism, ZeRO-0). */
    defaultTrainingInput() {
      const { model, ...fields } = trainingDefaults;
      return { ...fields };
    },

    /** Training memory per device: mixed-precision Adam under ZeRO and t/p sharding, activations per tensor, logits and loss. */
    trainingMemory(input) {
      const { model, ...fields } = plainInput(input, 'training input', 'input');
      return unwrap(Module.trainingMemory({ ...merge(trainingDefaults, fields, 'training input'), model: resolveModel(model) }));
    },

    /** Whether the training step fits one device of `hardware` (preset id or spec), the largest micro-batch and sequence that do. */
    trainingFit(input) {
      const { model, hardware, ...fields } = plainInput(input, 'training input', 'input');
      if (hardware === undefined) throw new InputError('hardware', 'hardware is required (a preset id or a spec)');
      return unwrap(Module.trainingFit({ ...merge(trainingDefaults, fields, 'training input'), model: resolveModel(model) },
        resolveHardware(hardware)));
    },

    /** Published decode measurements (with sources) against the ideal-roofline prediction. */
    calibration: () => unwrap(Module.calibration()).points,

    /** Throws the InputError measureMachine would throw, without measuring (e.g. before a long run). */
    checkMachineInput(input = {}) {
      unwrap({ status: Module.validateProbeInput(merge(probeDefaults, input, 'probe input')) });
    },

    /** Throws the InputError measureCacheSweep would throw, without measuring. */
    checkCacheSweepInput(input = {}) {
      unwrap({ status: Module.validateCacheSweepInput(merge(sweepDefaults, input, 'cache sweep input')) });
    },

    /** The defaults of the cache sweep (16 KiB to 256 MiB, 3 sizes per octave, 5 timed blocks per size). */
    defaultCacheSweepInput: () => ({ ...sweepDefaults }),

    /**
     * The bandwidth ceiling of a working set of `bytes` on a measured sweep: the curve's median bandwidth,
     * interpolated between the two nearest sizes on log axes (clamped at the ends). `kind`: 'simd' or 'scalar'.
     */
    sweepCeiling(sweep, bytes, kind = 'simd') {
      if (typeof bytes !== 'number' || !(bytes > 0) || !Number.isFinite(bytes)) {
        throw new InputError('bytes', `bytes must be a positive number (got ${typeof bytes === 'number' ? bytes : describe(bytes)})`);
      }
      if (kind !== 'simd' && kind !== 'scalar') throw new InputError('kind', `kind must be simd or scalar (got ${describe(kind)})`);
      return withCurve(Module, sweep, kind, (sizes, rates) => Module.sweepCeiling(sizes, rates, bytes));
    },

    /**
     * A measured kernel ({intensity, flops_per_s, working_set_bytes}) under its own roof on a sweep:
     * {ceiling, roof, share, bound} from the core (roofline/probe): roof = min(peak, intensity × ceiling).
     */
    kernelRoof(sweep, point, peakFlopsPerS) {
      const given = plainInput(point, 'point ({intensity, flops_per_s, working_set_bytes})', 'point');
      for (const [field, value] of [['intensity', given.intensity], ['flops_per_s', given.flops_per_s],
        ['working_set_bytes', given.working_set_bytes], ['peak_flops_per_s', peakFlopsPerS]]) {
        if (typeof value !== 'number') throw new InputError(field, `${field} must be a number (got ${describe(value)})`);
      }
      return withCurve(Module, sweep, 'simd', (sizes, rates) => unwrap(Module.kernelRoof(sizes, rates, peakFlopsPerS,
        given.intensity, given.flops_per_s, given.working_set_bytes)));
    },
  };
}

/** This machine measured, in the lab module: `lab()` returns it (loading it on first use). */
export function rooflineLabApi(lab) {
  return {
    /** Measures this machine: streaming read bandwidth and multiply-add FLOP/s, SIMD and scalar. */
    measureMachine: (input = {}) => {
      const Lab = lab();
      return unwrap(Lab.measureMachine(merge(toPlain(Lab.defaultProbeInput()), input, 'probe input')));
    },

    /** Read bandwidth over working sets (SIMD and scalar, median and spread per size) and the cache plateaus found in it. */
    measureCacheSweep: (input = {}) => {
      const Lab = lab();
      return unwrap(Lab.measureCacheSweep(merge(toPlain(Lab.defaultCacheSweepInput()), input, 'cache sweep input')));
    },
  };
}
