// bench/calculator.js's measurement (the calculator-speed benchmark, issue 16):
// every timing it returns is finite, positive and ordered, for one plan and for the sweep.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { batches, contexts, measureCalculator, measureFormsPlan, measureSearchInWorker } from '../../bench/calculator.js';
import { loadModule } from '../../lib/node.js';

test('measureCalculator times api.plan and Module.plan, one plan and a sweep, as finite positive TimingStats', async () => {
  const result = measureCalculator(await loadModule(), { seconds: 0.01, samples: 5 });
  assert.equal(result.sweep_plans, batches.length * contexts.length);
  for (const [path, what] of [['api', 'plan'], ['api', 'sweep'], ['api', 'plan_sweep'], ['module', 'plan'], ['module', 'sweep']]) {
    const time = result[path][what];
    assert.equal(time.runs, 5, `${path}.${what}.runs`);
    for (const key of ['median_s', 'q1_s', 'q3_s', 'min_s', 'max_s']) {
      assert.ok(Number.isFinite(time[key]) && time[key] > 0, `${path}.${what}.${key} = ${time[key]}`);
    }
    assert.ok(time.min_s <= time.q1_s && time.q1_s <= time.median_s && time.median_s <= time.q3_s && time.q3_s <= time.max_s,
      `${path}.${what}: ${JSON.stringify(time)}`);
  }
});

test('measureFormsPlan times api.plan and api.planSweep on the closed-forms module (the page\'s Plan panel)', async () => {
  const result = measureFormsPlan(await loadModule({ module: 'forms' }), { seconds: 0.01, samples: 5 });
  for (const what of ['plan', 'plan_sweep']) {
    const time = result[what];
    assert.equal(time.runs, 5, what);
    assert.ok(time.min_s > 0 && time.min_s <= time.median_s && time.median_s <= time.max_s && Number.isFinite(time.max_s), JSON.stringify(time));
  }
});

test('measureSearchInWorker: api.search in a worker thread, timed there, with its progress calls counted', async () => {
  const input = { model: 'llama-3-8b', hardware: ['h100-sxm', 'l4'], prices: { 'h100-sxm': 3, l4: 0.8 }, max_gpus: 2, batches: [1, 8] };
  const result = await measureSearchInWorker(input, { samples: 3 });
  assert.equal(result.search.runs, 3);
  assert.ok(result.search.median_s > 0 && Number.isFinite(result.search.median_s), JSON.stringify(result.search));
  // 2 chips x 3 formats x 2 KV dtypes, one call per block and one at the end; the last says done.
  assert.equal(result.progress_calls, 2 * 3 * 2 + 1);
  assert.equal(result.last_fraction, 1);
  assert.ok(result.evaluated > 0);
});
