// api.plan's fast path (issue 16: the workload set once in the module's
// PlanSeries, only the point crossing per call, the result read back as
// numbers) against the whole-workload path it replaced, Module.plan through
// Embind's value_objects, which stays in the module: the same result, key
// for key in the same order, -0 and NaN kept, over a few hundred workloads
// that change model, hardware, formats and point in an order that both hits
// and misses the set workload; the same InputError (field and message) for
// bad points and bad workloads; planSweep equal to plan() point by point.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createApi, InputError } from '../../lib/api.js';
import { unwrap } from '../../lib/convert.js';
import { loadModule } from '../../lib/node.js';
import { workloadResolvers } from '../../lib/roofline.js';

const Module = await loadModule();
const api = createApi(Module);
const { fieldDefaults, resolveModel, resolveHardware } = workloadResolvers(Module);

// The path api.plan took before the fast path: the whole workload into Module.plan, the result out.
function slowPlan(input) {
  const { model, hardware, ...fields } = input;
  return unwrap(Module.plan({ ...fieldDefaults, ...fields, model: resolveModel(model), hardware: resolveHardware(hardware) }));
}

// JSON that tells -0, NaN and the infinities apart (plain JSON.stringify would not).
const exact = (value) => JSON.stringify(value, (key, item) => (typeof item === 'number' && (!Number.isFinite(item) || Object.is(item, -0))
  ? `#${Object.is(item, -0) ? '-0' : item}` : item));

function outcome(fn) {
  try {
    return { ok: exact(fn()) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { field: error.field, message: error.message };
  }
}

// A deterministic spread of workloads: a small LCG picks every field.
function workloads(count) {
  let state = 12345;
  const pick = (items) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return items[state % items.length];
  };
  const models = ['llama-3-8b', 'llama-3-70b', 'mixtral-8x7b', 'deepseek-v3', 'gemma-2-9b', 'gpt-oss-120b', 'llama-4-scout', 'gemma-3-4b',
    { d_model: 2048, n_layers: 16, n_heads: 16, n_kv_heads: 4, d_ff: 5632, vocab_size: 32000 }];
  const hardware = ['h100-sxm', 'a100-80gb', 'l4', 'mi300x', { base: 'h100-sxm', memory_gb_per_s: 4000 },
    { base: 'a100-80gb', interconnect_gb_per_s: 0 }];
  const list = [];
  for (let i = 0; i < count; i++) {
    const input = {
      model: pick(models), hardware: pick(hardware),
      weights_dtype: pick(['fp16', 'bf16', 'fp8', 'int4', 'nf4', 'q4_k']), kv_dtype: pick(['fp16', 'fp8', 'int8']),
      compute_dtype: pick(['fp16', 'bf16', 'fp8']),
      batch: pick([1, 3, 8, 64, 256, 0, 1.5]), context: pick([1, 512, 4096, 32768, 131072, 1e9, -0]),
      gpus: pick([1, 1, 2, 4, 8, 3, 200]), parallelism: pick(['tensor', 'tensor', 'pipeline', 'tensor_pipeline']),
      pipeline_stages: pick([1, 2, 2, 4]),
      offload_layers: pick([0, 0, 0, 0, 2]), fused_attention: pick([true, true, false]),
      flop_efficiency: pick([1, 1, 0.6]), collective_latency_s: pick([5e-6, 0, 2e-5]),
    };
    // Runs of the same workload at other points (the fast path's hits), then a new one.
    list.push(input);
    const repeats = pick([0, 1, 3]);
    for (let r = 0; r < repeats; r++) list.push({ ...input, batch: pick([1, 2, 16, 128]), context: pick([256, 2048, 8192]) });
  }
  return list;
}

test('api.plan equals Module.plan (the whole-workload path) over varied workloads, errors included', () => {
  const inputs = workloads(220);
  let ok = 0, failed = 0;
  for (const input of inputs) {
    const fast = outcome(() => api.plan(input)), slow = outcome(() => slowPlan(input));
    assert.deepEqual(fast, slow, `workload ${JSON.stringify(input)}`);
    if (fast.ok) ok += 1;
    else failed += 1;
  }
  // Both kinds were compared, enough of each to mean something.
  assert.ok(inputs.length >= 300 && ok >= 100 && failed >= 30, `${inputs.length} workloads: ${ok} planned, ${failed} refused`);
});

test('api.plan results are fresh objects: changing one changes no later result', () => {
  const input = { model: 'llama-3-8b', hardware: 'h100-sxm', batch: 4 };
  const first = api.plan(input);
  first.weight_components[0].bytes = -1;
  first.curve.length = 0;
  first.decode.step_s = -1;
  assert.equal(exact(api.plan(input)), exact(slowPlan(input)));
});

test('two APIs over one module: each plan is its own workload\'s', () => {
  const other = createApi(Module);
  const a = { model: 'llama-3-8b', hardware: 'l4', batch: 2 }, b = { model: 'llama-3-70b', hardware: 'h100-sxm', gpus: 4 };
  api.plan(a);
  other.plan(b);
  assert.equal(exact(api.plan(a)), exact(slowPlan(a)));
  assert.equal(exact(other.plan(b)), exact(slowPlan(b)));
});

test('a workload changed in place is planned as changed (keys are the values, not the objects)', () => {
  const model = { d_model: 2048, n_layers: 16, n_heads: 16, n_kv_heads: 4, d_ff: 5632, vocab_size: 32000 };
  const input = { model, hardware: { base: 'h100-sxm' } };
  const before = api.plan(input);
  model.n_layers = 32;
  input.hardware.memory_gb_per_s = 1000;
  const after = api.plan(input);
  assert.notEqual(exact(after), exact(before));
  assert.equal(exact(after), exact(slowPlan(input)));
});

test('planSweep: each point is plan() of the input at that point, without weight_components and curve', () => {
  const input = { model: 'llama-3-70b', hardware: 'h100-sxm', gpus: 2, weights_dtype: 'fp8', kv_dtype: 'fp8' };
  const points = [{ batch: 1, context: 512 }, { batch: 64 }, { context: 131072, gpus: 8 }, {}, { batch: 256, context: 1e6, gpus: 1 }];
  const sweep = api.planSweep(input, points);
  assert.equal(sweep.length, points.length);
  points.forEach((point, i) => {
    const { weight_components, curve, ...expected } = slowPlan({ ...input, ...point });
    assert.equal(exact(sweep[i]), exact(expected), `point ${i}`);
  });
  assert.deepEqual(api.planSweep(input, []), []);
});

test('planSweep names a bad point by its index, and bad points and inputs by field', () => {
  const input = { model: 'llama-3-8b', hardware: 'h100-sxm' };
  assert.throws(() => api.planSweep(input, [{ batch: 1 }, { batch: 0 }]),
    (error) => error instanceof InputError && error.field === 'points[1].batch' && /batch = 0/.test(error.message));
  assert.throws(() => api.planSweep(input, [{ gpus: 3, batch: 'x' }]),
    (error) => error instanceof InputError && error.field === 'points[0].batch');
  assert.throws(() => api.planSweep(input, [{ kv_dtype: 'fp8' }]),
    (error) => error instanceof InputError && error.field === 'points[0].kv_dtype');
  assert.throws(() => api.planSweep(input, 'all'), (error) => error instanceof InputError && error.field === 'points');
  assert.throws(() => api.planSweep({ ...input, kv_dtype: 'fp7' }, [{}]), (error) => error instanceof InputError && error.field === 'kv_dtype');
});
