// The API's one input policy (lib/convert.js mergeChecked): every area refuses
// unknown fields and values of the wrong kind with an InputError naming the
// field — never a TypeError, an Embind BindingError, or a silently dropped key.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { InputError } from '../../lib/api.js';
import { loadLlmSpacetime } from '../../lib/node.js';
import { assertInputError } from './helpers.js';

const api = await loadLlmSpacetime();

test('quant: unknown fields and wrong kinds are named', () => {
  assertInputError(() => api.quantSize({ params: { ffn: 1e9 }, format: 5 }), 'format', /must be a string/);
  assertInputError(() => api.quantSize({ params: { ffn: 1e9 }, fromat: 'int4' }), 'fromat', /unknown/);
  assertInputError(() => api.quantSize({ params: { ffn: 2n } }), 'params.ffn', /must be a number/);
  assertInputError(() => api.quantSize({ params: { heads: 1 } }), 'params.heads', /unknown/);
  assertInputError(() => api.quantSize({ config: { n_layers: Symbol('x') } }), 'config.n_layers', /must be a number/);
  assertInputError(() => api.quantBitsPerWeight(null), 'quant spec', /must be an object/);
  assertInputError(() => api.quantBitsPerWeight({ group_size: 10n }), 'group_size', /must be a number/);
  assertInputError(() => api.quantLab({ n: '1e6' }), 'n', /must be a number/);
  assertInputError(() => api.quantLab({ sample: 3 }), 'sample', /unknown/);
  assertInputError(() => api.quantGemv({ rows: null }), 'rows', /must be a number/);
});

test('memory: unknown fields and wrong kinds are named', () => {
  assertInputError(() => api.kvCache({ prompt: 1 }), 'prompt', /unknown/);
  assertInputError(() => api.kvCache({ prompt_tokens: '4096' }), 'prompt_tokens', /must be a number/);
  assertInputError(() => api.kvCache({ quant_asymmetric: 'yes' }), 'quant_asymmetric', /must be a boolean/);
  assertInputError(() => api.kvCache(5), 'input', /must be an object/);
  assertInputError(() => api.kvShapeFromModel({ layers: 3 }), 'layers', /unknown/);
});

test('model and roofline: nested fields are named with their parent', () => {
  assertInputError(() => api.plan({ model: { n_layers: [1] } }), 'n_layers', /must be a number/);
  assertInputError(() => api.plan({ hardware: { base: 'h100-sxm', memory_gb_per_s: '3350' } }), 'hardware.memory_gb_per_s', /must be a number/);
  // A per-layer list may be given as an array of words.
  assertInputError(() => api.modelReport({ n_layers: 2, layer_types: ['full', 'global'] }), 'layer_types', /global/);
});

// Issue 17 item 6, every exported function: a value of the wrong kind — BigInt,
// Symbol, null, a function, an array or a non-plain object where an object is
// due, text where a number is due — is an InputError naming the field, never a
// TypeError, an Embind BindingError, or a run with the defaults.
const notObjects = [5n, Symbol('s'), null, () => ({}), [1], 'text', 5, true, new Map([['n', 1]]), new Date(0)];
const notNumbers = [5n, Symbol('s'), null, () => 5, [5], '5', {}, true];
const notStrings = [5, 5n, Symbol('s'), null, () => 'x', ['x'], {}, false];
const notBooleans = ['yes', 1, 5n, Symbol('s'), null, [true], {}];
const notArrays = [512, '512', 5n, Symbol('s'), null, {}];
const ofKind = { object: notObjects, number: notNumbers, string: notStrings, boolean: notBooleans, array: notArrays };

// A runDecode result to hand to decodeKvClosedForm with one part replaced.
const decodeResult = api.runDecode({ strategy: 'full', prompt_tokens: 4, generated_tokens: 2, d_model: 16, heads: 2 });

// A measured kernel, for kernelRoof.
const kernelPoint = { intensity: 0.5, flops_per_s: 4e9, working_set_bytes: 1e6 };
// A measured cache sweep's shape, for sweepCeiling.
const sweep = { points: [{ bytes: 1e3, simd_bytes_per_s: 1e10, scalar_bytes_per_s: 1e9 },
  { bytes: 1e7, simd_bytes_per_s: 1e9, scalar_bytes_per_s: 1e8 }] };

// [function, call with the bad value in one slot, the field named, kind of the slot]
const slots = [
  ['modelPreset', (v) => api.modelPreset(v), 'preset', 'string'],
  ['validateModel', (v) => api.validateModel(v), 'model', 'object'],
  ['validateModel', (v) => api.validateModel({ n_layers: v }), 'n_layers', 'number'],
  ['countParams', (v) => api.countParams(v), 'model', 'object'],
  ['countParams', (v) => api.countParams({ norm: v }), 'norm', 'string'],
  ['modelReport', (v) => api.modelReport(v), 'model', 'object'],
  ['modelReport', (v) => api.modelReport({}, v), 'options', 'object'],
  ['modelReport', (v) => api.modelReport({}, { context_tokens: v }), 'context_tokens', 'number'],
  ['modelReport', (v) => api.modelReport({ tied_embeddings: v }), 'tied_embeddings', 'boolean'],
  ['importHfConfig', (v) => api.importHfConfig(v), 'config_json', 'string'],
  ['kvCache', (v) => api.kvCache(v), 'input', 'object'],
  ['kvCache', (v) => api.kvCache({ prompt_tokens: v }), 'prompt_tokens', 'number'],
  ['kvCache', (v) => api.kvCache({ kv_dtype: v }), 'kv_dtype', 'string'],
  ['kvCache', (v) => api.kvCache({ quant_asymmetric: v }), 'quant_asymmetric', 'boolean'],
  ['kvCompare', (v) => api.kvCompare(v), 'input', 'object'],
  ['kvCompare', (v) => api.kvCompare({ n_layers: v }), 'n_layers', 'number'],
  ['kvShapeFromModel', (v) => api.kvShapeFromModel(v), 'model config', 'object'],
  ['kvShapeFromModel', (v) => api.kvShapeFromModel({ n_heads: v }), 'n_heads', 'number'],
  ['attentionMemory', (v) => api.attentionMemory(v), 'input', 'object'],
  ['attentionMemory', (v) => api.attentionMemory({ sram_bytes: v }), 'sram_bytes', 'number'],
  ['simulatePaging', (v) => api.simulatePaging(v), 'input', 'object'],
  ['simulatePaging', (v) => api.simulatePaging({ budget_bytes: v }), 'budget_bytes', 'number'],
  ['simulatePaging', (v) => api.simulatePaging({ distribution: v }), 'distribution', 'string'],
  ['runAttention', (v) => api.runAttention(v), 'attention input', 'object'],
  ['runAttention', (v) => api.runAttention({ n: v }), 'n', 'number'],
  ['runAttention', (v) => api.runAttention({ variant: v }), 'variant', 'string'],
  ['runDecode', (v) => api.runDecode(v), 'decode input', 'object'],
  ['runDecode', (v) => api.runDecode({ cache_tokens: v }), 'cache_tokens', 'number'],
  ['runDecode', (v) => api.runDecode({ strategy: v }), 'strategy', 'string'],
  ['runDecode', (v) => api.runDecode({ output_projection: v }), 'output_projection', 'boolean'],
  ['decodeKvClosedForm', (v) => api.decodeKvClosedForm(v), 'result', 'object'],
  ['decodeKvClosedForm', (v) => api.decodeKvClosedForm({ ...decodeResult, input: v }), 'result.input', 'object'],
  ['decodeKvClosedForm', (v) => api.decodeKvClosedForm({ ...decodeResult, input: { ...decodeResult.input, heads: v } }),
    'result.input.heads', 'number'],
  ['decodeKvClosedForm', (v) => api.decodeKvClosedForm({ ...decodeResult, kv_bytes: v }), 'result.kv_bytes', 'number'],
  ['seedExperiment', (v) => api.seedExperiment(v), 'seed experiment input', 'object'],
  ['seedExperiment', (v) => api.seedExperiment({ sequence_lengths: v }), 'sequence_lengths', 'array'],
  ['seedExperiment', (v) => api.seedExperiment({ sequence_lengths: [512, v] }), 'sequence_lengths[1]', 'number'],
  ['seedExperiment', (v) => api.seedExperiment({ d_model: v }), 'd_model', 'number'],
  ['quantBitsPerWeight', (v) => api.quantBitsPerWeight(v), 'quant spec', 'object'],
  ['quantBitsPerWeight', (v) => api.quantBitsPerWeight({ group_size: v }), 'group_size', 'number'],
  ['quantBitsPerWeight', (v) => api.quantBitsPerWeight({ format: v }), 'format', 'string'],
  ['quantBitsPerWeight', (v) => api.quantBitsPerWeight({ double_quant: v }), 'double_quant', 'boolean'],
  ['quantSize', (v) => api.quantSize(v), 'quant size input', 'object'],
  ['quantSize', (v) => api.quantSize({ params: v }), 'params', 'object'],
  ['quantSize', (v) => api.quantSize({ params: { ffn: v } }), 'params.ffn', 'number'],
  ['quantSize', (v) => api.quantSize({ config: v }), 'config', 'object'],
  ['quantSize', (v) => api.quantSize({ format: v }), 'format', 'string'],
  ['quantSize', (v) => api.quantSize({ ffn_format: v }), 'ffn_format', 'string'],
  ['quantParamGroups', (v) => api.quantParamGroups(v), 'config', 'object'],
  ['quantParamGroups', (v) => api.quantParamGroups({ d_model: v }), 'config.d_model', 'number'],
  ['quantLab', (v) => api.quantLab(v), 'quant lab input', 'object'],
  ['quantLab', (v) => api.quantLab({ n: v }), 'n', 'number'],
  ['quantGemv', (v) => api.quantGemv(v), 'GEMV input', 'object'],
  ['quantGemv', (v) => api.quantGemv({ rows: v }), 'rows', 'number'],
  ['quantLabChunks', (v) => api.quantLabChunks(v), 'quant lab input', 'object'],
  ['quantLabChunks', (v) => api.quantLabChunks({ n: v }), 'n', 'number'],
  ['quantGemv', (v) => api.quantGemv({ row_end: v }), 'row_end', 'number'],
  ['quantBench', (v) => api.quantBench(v), 'quant bench input', 'object'],
  ['quantBench', (v) => api.quantBench({ kernel: v }), 'kernel', 'string'],
  ['roofline', (v) => api.roofline(v), 'input', 'object'],
  ['roofline', (v) => api.roofline({ batch: v }), 'batch', 'number'],
  ['roofline', (v) => api.roofline({ model: { n_heads: v } }), 'n_heads', 'number'],
  ['plan', (v) => api.plan(v), 'input', 'object'],
  ['plan', (v) => api.plan({ model: v }), 'model', 'object'],
  ['plan', (v) => api.plan({ hardware: v }), 'hardware', 'object'],
  ['plan', (v) => api.plan({ hardware: { base: 'h100-sxm', memory_gb_per_s: v } }), 'hardware.memory_gb_per_s', 'number'],
  ['plan', (v) => api.plan({ parallelism: v }), 'parallelism', 'string'],
  ['planSweep', (v) => api.planSweep(v, [{}]), 'input', 'object'],
  ['planSweep', (v) => api.planSweep({ model: v }, [{}]), 'model', 'object'],
  ['planSweep', (v) => api.planSweep({}, v), 'points', 'array'],
  ['planSweep', (v) => api.planSweep({}, [{}, v]), 'points[1]', 'object'],
  ['planSweep', (v) => api.planSweep({}, [{ batch: v }]), 'points[0].batch', 'number'],
  ['trainingMemory', (v) => api.trainingMemory(v), 'input', 'object'],
  ['trainingMemory', (v) => api.trainingMemory({ batch: v }), 'batch', 'number'],
  ['trainingFit', (v) => api.trainingFit(v), 'input', 'object'],
  ['trainingFit', (v) => api.trainingFit({ hardware: v }), 'hardware', 'object'],
  ['measureMachine', (v) => api.measureMachine(v), 'probe input', 'object'],
  ['measureMachine', (v) => api.measureMachine({ bytes: v }), 'bytes', 'number'],
  ['checkMachineInput', (v) => api.checkMachineInput(v), 'probe input', 'object'],
  ['checkMachineInput', (v) => api.checkMachineInput({ repeats: v }), 'repeats', 'number'],
  ['checkCacheSweepInput', (v) => api.checkCacheSweepInput(v), 'cache sweep input', 'object'],
  ['measureCacheSweep', (v) => api.measureCacheSweep(v), 'cache sweep input', 'object'],
  ['measureCacheSweep', (v) => api.measureCacheSweep({ min_bytes: v }), 'min_bytes', 'number'],
  ['sweepCeiling', (v) => api.sweepCeiling(v, 1e6), 'sweep', 'object'],
  ['sweepCeiling', (v) => api.sweepCeiling({ points: [{ bytes: 1e3, simd_bytes_per_s: v }] }, 1e6), 'sweep', 'number'],
  ['sweepCeiling', (v) => api.sweepCeiling(sweep, v), 'bytes', 'number'],
  ['sweepCeiling', (v) => api.sweepCeiling(sweep, 1e6, v), 'kind', 'string'],
  ['kernelRoof', (v) => api.kernelRoof(v, kernelPoint, 1e11), 'sweep', 'object'],
  ['kernelRoof', (v) => api.kernelRoof(sweep, v, 1e11), 'point', 'object'],
  ['kernelRoof', (v) => api.kernelRoof(sweep, { ...kernelPoint, intensity: v }, 1e11), 'intensity', 'number'],
  ['kernelRoof', (v) => api.kernelRoof(sweep, kernelPoint, v), 'peak_flops_per_s', 'number'],
  ['estimateRun', (v) => api.estimateRun(v, {}), 'method', 'string'],
  ['estimateRun', (v) => api.estimateRun('runAttention', v), 'attention input', 'object'],
  ['estimateRun', (v) => api.estimateRun('seedExperiment', v), 'seed experiment input', 'object'],
  ['estimateRun', (v) => api.estimateRun('runDecode', { prompt_tokens: v }), 'prompt_tokens', 'number'],
  ['explainModel', (v) => api.explainModel(v), 'model', 'object'],
  ['explainKv', (v) => api.explainKv(v), 'input', 'object'],
  ['explainPlan', (v) => api.explainPlan(v), 'input', 'object'],
  ['explainTraining', (v) => api.explainTraining(v), 'input', 'object'],
  ['explainQuant', (v) => api.explainQuant(v), 'quant size input', 'object'],
  ['serve', (v) => api.serve(v), 'input', 'object'],
  ['serve', (v) => api.serve({ model: v }), 'model', 'object'],
  ['serve', (v) => api.serve({ hardware: v }), 'hardware', 'object'],
  ['serve', (v) => api.serve({ rate: v }), 'rate', 'number'],
  ['serve', (v) => api.serve({ scheduler: v }), 'scheduler', 'string'],
  ['serve', (v) => api.serve({ trace: v }), 'trace', 'string'],
  ['serve', (v) => api.serve({ spec_mtp: v }), 'spec_mtp', 'boolean'],
  ['serve', (v) => api.serve({ spec_draft: { n_heads: v } }), 'spec_draft.n_heads', 'number'],
  ['serveSweep', (v) => api.serveSweep(v, [1]), 'input', 'object'],
  ['serveSweep', (v) => api.serveSweep({}, v), 'rates', 'array'],
  ['serveSweep', (v) => api.serveSweep({}, [1, v]), 'rates[1]', 'number'],
  ['serveMaxRate', (v) => api.serveMaxRate(v), 'input', 'object'],
  ['serveMaxRate', (v) => api.serveMaxRate({ slo_ttft_s: v }), 'slo_ttft_s', 'number'],
  ['estimateRun', (v) => api.estimateRun('serve', v), 'input', 'object'],
  ['estimateRun', (v) => api.estimateRun('serveSweep', { rates: v }), 'rates', 'array'],
  ['search', (v) => api.search(v), 'input', 'object'],
  ['search', (v) => api.search({ model: v }), 'model', 'object'],
  ['search', (v) => api.search({ prompt_tokens: v }), 'prompt_tokens', 'number'],
  ['search', (v) => api.search({ slo_tpot_s: v }), 'slo_tpot_s', 'number'],
  ['search', (v) => api.search({ hardware: v }), 'hardware', 'array'],
  ['search', (v) => api.search({ weights: [v] }), 'weights', 'string'],
  ['search', (v) => api.search({ batches: [v] }), 'batches', 'number'],
  ['search', (v) => api.search({ prices: v }), 'prices', 'object'],
];
// Functions without input: extra arguments are not read.
const noInput = ['plainDtypes', 'modelPresets', 'defaultModelConfig', 'kvCacheDefaults', 'attentionMemoryDefaults',
  'pagingSimDefaults', 'attentionDefaults', 'quantFormats', 'quantDecisionMatrix', 'quantDefaults', 'quantRunDefaults',
  'hardwarePresets', 'defaultWorkload', 'defaultTrainingInput', 'calibration', 'defaultCacheSweepInput', 'estimatedRuns', 'serveDefaults',
  'defaultSearchInput'];

test('every exported function is in the table (a new one must be added here)', () => {
  const covered = new Set([...slots.map(([name]) => name), ...noInput]);
  assert.deepEqual(Object.keys(api).filter((name) => !covered.has(name)), []);
});

test('every exported function: a value of the wrong kind is an InputError naming the field', () => {
  let cases = 0;
  for (const [name, call, field, kind] of slots) {
    for (const value of ofKind[kind]) {
      const label = `${name}: ${field} = ${typeof value === 'symbol' ? 'Symbol' : typeof value === 'bigint' ? `${value}n`
        : typeof value === 'function' ? 'a function' : JSON.stringify(value) ?? String(value)}`;
      assert.throws(() => call(value), (error) => {
        assert.ok(error instanceof InputError, `${label}: expected InputError, got ${error?.name}: ${error?.message}`);
        assert.equal(error.field, field, `${label}: ${error.message}`);
        assert.doesNotMatch(error.message, /unknown/, `${label}: the table must name a real field`);
        return true;
      }, label);
      cases++;
    }
  }
  assert.ok(cases > 400, `${cases} cases`);
});
