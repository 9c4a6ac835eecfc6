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

  // Keys naming a resolved model or hardware (equal keys: equal values), checked as resolveModel and
  // resolveHardware check them; a preset id is checked once, an object resolved each time.
  const modelPresetKeys = new Map(), hardwarePresetKeys = new Map();
  function modelKey(model = {}) {
    if (typeof model !== 'string') return valueKey(resolveModel(model));
    let key = modelPresetKeys.get(model);
    if (key === undefined) {
      resolveModel(model);
      modelPresetKeys.set(model, key = `preset ${JSON.stringify(model)}`);
    }
    return key;
  }
  function hardwareKey(hardware = 'h100-sxm') {
    if (typeof hardware !== 'string') return valueKey(resolveHardware(hardware));
    let key = hardwarePresetKeys.get(hardware);
    if (key === undefined) {
      resolveHardware(hardware);
      hardwarePresetKeys.set(hardware, key = `preset ${JSON.stringify(hardware)}`);
    }
    return key;
  }

  return { fieldDefaults, resolveModel, resolveHardware, modelKey, hardwareKey, hardwarePresets: presets };
}

// A plain value as text, distinct for distinct values: JSON, with -0, NaN and the infinities
// kept apart (JSON writes them 0 and null; a field holds one type, so "#…" cannot meet a string).
const numberKey = (value) => (Object.is(value, -0) ? '#-0' : Number.isFinite(value) ? value : `#${value}`);
const valueKey = (value) => JSON.stringify(value, (key, item) => (typeof item === 'number' ? numberKey(item) : item));

// The workload fields a plan point varies (the rest is set once per workload in the module's PlanSeries).
const pointFields = ['batch', 'context', 'gpus', 'offload_layers', 'collective_latency_s', 'fused_attention'];
const sweepFields = ['batch', 'context', 'gpus'];

// planLayout() as readPlan reads it: each result is built as an object literal (one shape, no keyed
// stores: a generic reader over the layout took 10 µs a plan), so the session checks the module's
// layout against this one once.
const planLayout = ['n ridge_flops_per_byte', 'n peak_flops_per_s', 'n bandwidth_bytes_per_s', 'n bytes_per_weight',
  'n total_params', 'n active_params', 'n weights_params', 'n weight_bytes', 'w weight_components', 'n kv_bytes_per_token',
  'n kv_bytes', 'n memory_per_device_bytes', 'n memory_capacity_bytes', 'n weights_per_device_bytes', 'n kv_per_device_bytes',
  'n offloaded_bytes', 'b fits', 'n max_batch', 'n max_context', 'b max_context_unbounded', 'n min_gpus', 'n decode.step_s',
  'n decode.memory_floor_s', 'n decode.compute_floor_s', 'n decode.tokens_per_s', 'n decode.total_tokens_per_s',
  'n decode.flops', 'n decode.bytes', 'n decode.weight_bytes_read', 'n decode.kv_bytes_read', 'n decode.intensity',
  's decode.bound', 'n decode.communication_s', 'n decode.offload_s', 'n decode.experts_touched', 'n prefill.ttft_s',
  'n prefill.tokens_per_s', 'n prefill.flops', 'n prefill.bytes', 'n prefill.intensity', 's prefill.bound',
  'n prefill.communication_s', 'n prefill.offload_s', 'c curve'];

// Per module (two APIs over one module share its one PlanSeries): the workload last set.
const planSessions = new WeakMap();
function planSession(Module) {
  let session = planSessions.get(Module);
  if (!session) {
    const layout = toPlain(Module.planLayout());
    if (layout.join('|') !== planLayout.join('|')) {
      throw new Error(`the module's planLayout() is not the one lib/roofline.js reads: ${layout.join(', ')}`);
    }
    session = { model: undefined, hardware: undefined, modelKey: null, hardwareKey: null, fields: null, components: null };
    planSessions.set(Module, session);
  }
  return session;
}

// A bound as planPoint encodes it (time_pass() writes one of the two).
function bound(value) {
  if (value === 1) return 'compute';
  if (value === 0) return 'memory';
  throw new Error(`plan: a bound encoded ${value} is neither compute nor memory`);
}

/**
 * One plan from planPoint's or planSweep's `values` at `start` (the status, then planLayout's order) as
 * the object Module.plan's value_object gives: the same keys in the same order. `whole`: plan()'s
 * object, weight_components (null, for the caller) and the curve included; else a sweep point's,
 * without them. Returns { result, end }, or null when the status failed (the caller asks Module.plan).
 */
function readPlan(v, start, whole) {
  if (v[start] !== 1) return null;
  let i = start + 1;
  const head = [v[i++], v[i++], v[i++], v[i++], v[i++], v[i++], v[i++], v[i++]];
  const memory = [v[i++], v[i++], v[i++], v[i++], v[i++], v[i++], v[i++], v[i++] !== 0, v[i++], v[i++], v[i++] !== 0, v[i++]];
  const decode = { step_s: v[i++], memory_floor_s: v[i++], compute_floor_s: v[i++], tokens_per_s: v[i++],
    total_tokens_per_s: v[i++], flops: v[i++], bytes: v[i++], weight_bytes_read: v[i++], kv_bytes_read: v[i++],
    intensity: v[i++], bound: bound(v[i++]), communication_s: v[i++], offload_s: v[i++], experts_touched: v[i++] };
  const prefill = { ttft_s: v[i++], tokens_per_s: v[i++], flops: v[i++], bytes: v[i++], intensity: v[i++],
    bound: bound(v[i++]), communication_s: v[i++], offload_s: v[i++] };
  const count = v[i++];
  if (!whole) {
    return { end: i + 6 * count, result: { ridge_flops_per_byte: head[0], peak_flops_per_s: head[1],
      bandwidth_bytes_per_s: head[2], bytes_per_weight: head[3], total_params: head[4], active_params: head[5],
      weights_params: head[6], weight_bytes: head[7], kv_bytes_per_token: memory[0], kv_bytes: memory[1],
      memory_per_device_bytes: memory[2], memory_capacity_bytes: memory[3], weights_per_device_bytes: memory[4],
      kv_per_device_bytes: memory[5], offloaded_bytes: memory[6], fits: memory[7], max_batch: memory[8],
      max_context: memory[9], max_context_unbounded: memory[10], min_gpus: memory[11], decode, prefill } };
  }
  const curve = new Array(count);
  for (let k = 0; k < count; k++, i += 6) {
    curve[k] = { batch: v[i], step_s: v[i + 1], tokens_per_s: v[i + 2], total_tokens_per_s: v[i + 3],
      memory_bytes: v[i + 4], fits: v[i + 5] !== 0 };
  }
  return { end: i, result: { ridge_flops_per_byte: head[0], peak_flops_per_s: head[1], bandwidth_bytes_per_s: head[2],
    bytes_per_weight: head[3], total_params: head[4], active_params: head[5], weights_params: head[6],
    weight_bytes: head[7], weight_components: null, kv_bytes_per_token: memory[0], kv_bytes: memory[1],
    memory_per_device_bytes: memory[2], memory_capacity_bytes: memory[3], weights_per_device_bytes: memory[4],
    kv_per_device_bytes: memory[5], offloaded_bytes: memory[6], fits: memory[7], max_batch: memory[8],
    max_context: memory[9], max_context_unbounded: memory[10], min_gpus: memory[11], decode, prefill, curve } };
}

/** `wholeWorkload`: plan() always through Module.plan (explain records the workload it passes). */
export function rooflineApi(Module, { wholeWorkload = false } = {}) {
  const { fieldDefaults, resolveModel, resolveHardware, modelKey, hardwareKey, hardwarePresets: presets } =
    workloadResolvers(Module);
  const trainingDefaults = Object.freeze(toPlain(Module.defaultTrainingInput()));
  const probeDefaults = Object.freeze(toPlain(Module.defaultProbeInput()));
  const sweepDefaults = Object.freeze(toPlain(Module.defaultCacheSweepInput()));

  function toWorkload(input = {}) {
    const { model, hardware, ...fields } = plainInput(input, 'workload', 'input');
    return { ...merge(fieldDefaults, fields, 'workload'), model: resolveModel(model), hardware: resolveHardware(hardware) };
  }

  // plan() without crossing the whole workload each call (issue 16): the workload but its point is
  // set in the module's PlanSeries when it differs from the one last set (checked as toWorkload
  // checks it, in its order), then only the point crosses, and the result returns as numbers.
  // Any failure takes Module.plan, whose status names the field.
  const keyFields = Object.keys(fieldDefaults).filter((field) => !pointFields.includes(field));
  function setWorkload(input) {
    const { model, hardware, ...fields } = plainInput(input, 'workload', 'input');
    const merged = merge(fieldDefaults, fields, 'workload');
    const session = planSession(Module);
    // The same preset ids as last time need no key; anything else is keyed by value.
    const sameModel = typeof model === 'string' && model === session.model;
    const sameHardware = typeof hardware === 'string' && hardware === session.hardware;
    const currentModelKey = sameModel ? session.modelKey : modelKey(model);
    const currentHardwareKey = sameHardware ? session.hardwareKey : hardwareKey(hardware);
    let same = session.fields !== null && currentModelKey === session.modelKey && currentHardwareKey === session.hardwareKey;
    for (let k = 0; same && k < keyFields.length; k++) same = Object.is(merged[keyFields[k]], session.fields[keyFields[k]]);
    const workload = () => ({ ...merged, model: resolveModel(model), hardware: resolveHardware(hardware) });
    if (!same) {
      session.fields = null;  // unset while planSet runs
      Module.planSet(workload());
      Object.assign(session, { model, hardware, modelKey: currentModelKey, hardwareKey: currentHardwareKey,
        fields: merged, components: null });
    }
    return { session, merged, workload };
  }

  function plan(input) {
    if (wholeWorkload) return unwrap(Module.plan(toWorkload(input)));
    const { session, merged, workload } = setWorkload(input);
    const values = Module.planPoint(merged.batch, merged.context, merged.gpus, merged.offload_layers,
      merged.collective_latency_s, merged.fused_attention);
    const read = readPlan(values, 0, true);  // read before the next call into the module
    if (!read) return unwrap(Module.plan(workload()));
    session.components ??= toPlain(Module.planWeightComponents());
    read.result.weight_components = session.components.map((component) => ({ ...component }));
    return read.result;
  }

  function planSweep(input, points) {
    if (!Array.isArray(points)) throw new InputError('points', `points must be an array of {${sweepFields.join(', ')}} (got ${describe(points)})`);
    const { merged, workload } = setWorkload(input);
    const flat = new Float64Array(3 * points.length);
    points.forEach((point, i) => {
      const given = plainInput(point, `points[${i}]`);
      for (const field of Object.keys(given)) {
        if (!sweepFields.includes(field)) {
          throw new InputError(`points[${i}].${field}`, `unknown sweep point field "${field}" (known: ${sweepFields.join(', ')})`);
        }
      }
      sweepFields.forEach((field, k) => {
        const value = given[field] === undefined ? merged[field] : given[field];  // undefined: not given, as mergeChecked
        if (typeof value !== 'number') throw new InputError(`points[${i}].${field}`, `points[${i}].${field} must be a number (got ${describe(value)})`);
        flat[3 * i + k] = value;
      });
    });
    const results = new Array(points.length);
    let failed = -1;
    const values = Module.planSweep(flat, merged.offload_layers, merged.collective_latency_s, merged.fused_attention);
    for (let i = 0, offset = 0; i < points.length; i++) {  // read before the next call into the module
      const read = readPlan(values, offset, false);
      if (!read) {
        failed = i;
        break;
      }
      results[i] = read.result;
      offset = read.end;
    }
    if (failed >= 0) {
      const [batch, context, gpus] = flat.slice(3 * failed, 3 * failed + 3);
      try {
        unwrap(Module.plan({ ...workload(), batch, context, gpus }));
      } catch (error) {
        if (error instanceof InputError && sweepFields.includes(error.field)) {
          throw new InputError(`points[${failed}].${error.field}`, `points[${failed}]: ${error.message}`);
        }
        throw error;
      }
      throw new Error(`planSweep: point ${failed} failed in the sweep but not in plan()`);
    }
    return results;
  }

  return {
    /** Accelerators with dense peaks per dtype, bandwidth, capacity (bytes, GB and GiB) and a source per row. */
    hardwarePresets: () => presets.map((row) => ({ ...row })),

    /** The defaults every workload field takes (model: Llama-2-7B's shape; hardware: H100 SXM). */
    defaultWorkload: () => ({ ...toWorkload({}) }),

    /** Every operator of one layer (+ embedding, final norm, LM head) at prefill and decode. */
    roofline: (input) => unwrap(Module.roofline(toWorkload(input))),

    /** Latency, throughput, fit, parallelism and the batch-throughput curve of a deployment. */
    plan,

    /**
     * plan() of `input` at each of `points` ({batch, context, gpus}, each defaulting to the input's), prepared
     * once and evaluated in one call into the module: each result is plan()'s without weight_components and curve.
     */
    planSweep,

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
