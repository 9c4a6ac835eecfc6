// bench/calculator.js's measurement (the calculator-speed benchmark, issue 16):
// every timing it returns is finite, positive and ordered, for one plan and for the sweep.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { batches, contexts, measureCalculator } from '../../bench/calculator.js';
import { loadModule } from '../../lib/node.js';

test('measureCalculator times api.plan and Module.plan, one plan and a sweep, as finite positive TimingStats', async () => {
  const result = measureCalculator(await loadModule(), { seconds: 0.01, samples: 5 });
  assert.equal(result.sweep_plans, batches.length * contexts.length);
  for (const path of ['api', 'module']) {
    for (const what of ['plan', 'sweep']) {
      const time = result[path][what];
      assert.equal(time.runs, 5, `${path}.${what}.runs`);
      for (const key of ['median_s', 'q1_s', 'q3_s', 'min_s', 'max_s']) {
        assert.ok(Number.isFinite(time[key]) && time[key] > 0, `${path}.${what}.${key} = ${time[key]}`);
      }
      assert.ok(time.min_s <= time.q1_s && time.q1_s <= time.median_s && time.median_s <= time.q3_s && time.q3_s <= time.max_s,
        `${path}.${what}: ${JSON.stringify(time)}`);
    }
  }
});
