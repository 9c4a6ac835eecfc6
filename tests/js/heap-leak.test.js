// No error path leaks WASM heap (issue 17, item 6): one refusal per exported
// function that takes input — a bad field, refused in the core where the
// function reaches it — is called 10,000 times, and the module's malloc'd
// bytes (heapStats().used_bytes, mallinfo's uordblks) and its memory size do
// not grow. Before the JS boundary policy, quantSize({format: 5}) leaked
// ~232 B per Embind BindingError and a deeply nested config.json 439 KiB per call.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createApi, InputError } from '../../lib/api.js';
import { loadModule } from '../../lib/node.js';

const Module = await loadModule();
const api = createApi(Module);
const calls = 10_000;
const boundBytes = 1024;  // < 0.11 B per call: a leak of one allocation per call shows

// config.json nested 64 levels deep (the import refuses more than 32 before parsing).
const deepConfig = `${'{"text_config":'.repeat(64)}{}${'}'.repeat(64)}`;
const decodeResult = api.runDecode({ strategy: 'full', prompt_tokens: 4, generated_tokens: 2, d_model: 16, heads: 2 });

const refusals = {
  modelPreset: () => api.modelPreset('no-such-model'),
  validateModel: () => api.validateModel({ n_layers: -1 }),
  countParams: () => api.countParams({ d_model: 0 }),
  modelReport: () => api.modelReport({}, { context_tokens: -1 }),
  importHfConfig: () => api.importHfConfig(deepConfig),
  kvCache: () => api.kvCache({ prompt_tokens: -1 }),
  kvCompare: () => api.kvCompare({ n_layers: 0 }),
  kvShapeFromModel: () => api.kvShapeFromModel({ n_heads: 0 }),
  attentionMemory: () => api.attentionMemory({ n: -1 }),
  simulatePaging: () => api.simulatePaging({ budget_bytes: -1 }),
  runAttention: () => api.runAttention({ n: 0 }),
  runDecode: () => api.runDecode({ heads: 7 }),
  decodeKvClosedForm: () => api.decodeKvClosedForm({ ...decodeResult, kv_bytes: '1' }),
  seedExperiment: () => api.seedExperiment({ sequence_lengths: [512, 1] }),
  quantBitsPerWeight: () => api.quantBitsPerWeight({ format: 'int3' }),
  // Embind used to throw BindingError here ("Cannot pass non-string to std::string").
  quantSize: () => api.quantSize({ params: { ffn: 1e9 }, format: 5 }),
  quantParamGroups: () => api.quantParamGroups({ d_model: -1 }),
  quantLab: () => api.quantLab({ n: -1 }),
  quantGemv: () => api.quantGemv({ rows: -1 }),
  quantLabChunks: () => api.quantLabChunks({ chunks: 2 }),  // an unknown field (the core refuses nothing here)
  quantBench: () => api.quantBench({ kernel: 'no_such_kernel' }),
  roofline: () => api.roofline({ batch: -1 }),
  plan: () => api.plan({ gpus: 0 }),
  // Refused by the core, after the points were copied into a WASM vector and the workload set.
  planSweep: () => api.planSweep({ model: 'llama-3-8b' }, [{ batch: 1 }, { gpus: 0 }]),
  trainingMemory: () => api.trainingMemory({ batch: -1 }),
  trainingFit: () => api.trainingFit({ hardware: 'h100-sxm', batch: -1 }),
  measureMachine: () => api.measureMachine({ bytes: 1 }),
  checkMachineInput: () => api.checkMachineInput({ bytes: 1 }),
  checkCacheSweepInput: () => api.checkCacheSweepInput({ min_bytes: -1 }),
  measureCacheSweep: () => api.measureCacheSweep({ min_bytes: -1 }),
  sweepCeiling: () => api.sweepCeiling({ points: [] }, 1e6),
  // Refused by the core, after the sweep's sizes and rates were copied into WASM vectors.
  kernelRoof: () => api.kernelRoof({ points: [{ bytes: 1e3, simd_bytes_per_s: 1e10, scalar_bytes_per_s: 1e9 },
    { bytes: 1e7, simd_bytes_per_s: 1e9, scalar_bytes_per_s: 1e8 }] },
  { intensity: -1, flops_per_s: 1e9, working_set_bytes: 1e6 }, 1e11),
  estimateRun: () => api.estimateRun('runDecode', { prompt_tokens: -1 }),
  explainModel: () => api.explainModel({ n_layers: -1 }),
  explainKv: () => api.explainKv({ prompt_tokens: -1 }),
  explainPlan: () => api.explainPlan({ batch: -1 }),
  explainTraining: () => api.explainTraining({ batch: -1 }),
  explainQuant: () => api.explainQuant({ format: 'int3' }),
  serve: () => api.serve({ rate: -1 }),
  serveSweep: () => api.serveSweep({ requests: 10 }, [-1]),
  serveMaxRate: () => api.serveMaxRate({ arrival: 'closed' }),
  search: () => api.search({ max_gpus: 0 }),
};

// A string in WASM (quantSize's format, which the core refuses) as well as the JS-side refusal above.
const coreStringRefusal = () => api.quantSize({ params: { ffn: 1e9 }, format: 'int3' });

function growth(fn) {
  for (let i = 0; i < 50; i++) fn();  // first calls may allocate once (Embind type caches)
  const before = Module.heapStats();
  const heapLength = Module.HEAP8.length;
  for (let i = 0; i < calls; i++) fn();
  return { used: Module.heapStats().used_bytes - before.used_bytes, grew: Module.HEAP8.length - heapLength };
}

const refused = (fn) => () => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError && error.field) return;
    throw error;
  }
  throw new Error('not refused');
};

test('the instrument sees a leak: an Embind vector never deleted, 10,000 times', () => {
  const { used } = growth(() => new Module.VectorDouble().push_back(1));
  assert.ok(used >= calls * 8, `${used} B`);
});

test('every refusal (one per function taking input), 10,000 times: the WASM heap does not grow', () => {
  const noInput = ['plainDtypes', 'modelPresets', 'defaultModelConfig', 'kvCacheDefaults', 'attentionMemoryDefaults',
    'pagingSimDefaults', 'attentionDefaults', 'quantFormats', 'quantDecisionMatrix', 'quantDefaults', 'quantRunDefaults',
    'hardwarePresets', 'defaultWorkload', 'defaultTrainingInput', 'calibration', 'defaultCacheSweepInput', 'estimatedRuns', 'serveDefaults',
    'defaultSearchInput'];
  assert.deepEqual(Object.keys(api).filter((name) => !noInput.includes(name) && !(name in refusals)), []);
  for (const [name, fn] of [...Object.entries(refusals), ['quantSize (format in WASM)', coreStringRefusal]]) {
    const { used, grew } = growth(refused(fn));
    assert.ok(used <= boundBytes, `${name}: malloc'd bytes grew by ${used} over ${calls} refusals`);
    assert.equal(grew, 0, `${name}: the module's memory grew`);
  }
});
