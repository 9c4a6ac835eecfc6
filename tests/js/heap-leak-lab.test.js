// The measured runs' refusals do not leak the lab module's heap (issue 17,
// item 6, after the split into two modules, issue 16): heap-leak.test.js
// measures the calculator's heap, where the runs no longer allocate, so each
// run's refusal is repeated here against the lab module's own heap.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createApi, createLabApi, InputError, labAnswers, labMethods } from '../../lib/api.js';
import { loadModule } from '../../lib/node.js';

const Lab = await loadModule({ module: 'lab' });
const api = createLabApi(Lab);
const calls = 10_000;
const boundBytes = 1024;

// One refusal per measured run, each a bad field the core (or the input policy) refuses.
const refusals = {
  runAttention: () => api.runAttention({ n: 0 }),
  runDecode: () => api.runDecode({ heads: 7 }),
  seedExperiment: () => api.seedExperiment({ sequence_lengths: [512, 1] }),
  quantLab: () => api.quantLab({ n: -1 }),
  quantGemv: () => api.quantGemv({ rows: -1 }),
  quantBench: () => api.quantBench({ kernel: 'no_such_kernel' }),
  measureMachine: () => api.measureMachine({ bytes: 1 }),
  measureCacheSweep: () => api.measureCacheSweep({ min_bytes: -1 }),
};

function growth(fn) {
  for (let i = 0; i < 50; i++) fn();
  const before = Lab.heapStats();
  const heapLength = Lab.HEAP8.length;
  for (let i = 0; i < calls; i++) fn();
  return { used: Lab.heapStats().used_bytes - before.used_bytes, grew: Lab.HEAP8.length - heapLength };
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

test('the instrument sees a leak in the lab module', () => {
  const { used } = growth(() => new Lab.VectorDouble().push_back(1));
  assert.ok(used >= calls * 8, `${used} B`);
});

test('every measured run\'s refusal, 10,000 times: the lab module\'s heap does not grow', () => {
  assert.deepEqual(Object.keys(api).sort(), [...labAnswers].sort());
  assert.deepEqual(Object.keys(refusals).sort(), [...labMethods].sort());
  for (const [name, fn] of Object.entries(refusals)) {
    const { used, grew } = growth(refused(fn));
    assert.ok(used <= boundBytes, `${name}: malloc'd bytes grew by ${used} over ${calls} refusals`);
    assert.equal(grew, 0, `${name}: the lab module's memory grew`);
  }
});

test('the lab answers attentionDefaults exactly as the calculator does', async () => {
  const calculatorApi = createApi(await loadModule());
  assert.deepEqual(api.attentionDefaults(), calculatorApi.attentionDefaults());
});
