// Issue 16 item 2: measured runs split across workers (lib/parallel.js), each
// with its own module instance. The split run's outputs must be the
// one-worker run's bit for bit, and `parallel` must say what was measured.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { createNodePool } from '../../lib/node-pool.js';
import { checkWorkers, parallelWorkFactor, runParallel, splitRange } from '../../lib/parallel.js';
import { assertInputError, cliAsync } from './helpers.js';

const api = await loadLlmSpacetime();

test('splitRange: contiguous ranges covering every item once, sizes within 1, never empty', () => {
  assert.deepEqual(splitRange(8, 2), [[0, 4], [4, 8]]);
  assert.deepEqual(splitRange(5, 3), [[0, 2], [2, 4], [4, 5]]);
  assert.deepEqual(splitRange(2, 4), [[0, 1], [1, 2]]);  // at most one worker per item
  assert.deepEqual(splitRange(1, 16), [[0, 1]]);
});

test('checkWorkers: a whole number from 1 to 256, else an InputError naming workers', () => {
  assert.equal(checkWorkers(3), 3);
  for (const bad of [0, -1, 1.5, NaN, 257, '2']) assertInputError(() => checkWorkers(bad), 'workers', /workers = .* must be a whole number from 1 to 256/);
});

test('parallelWorkFactor: (runs + 1)(1 + 1/N) ordinary runs with the comparison, else 1', () => {
  const input = { n: 64, d: 8, heads: 4 };
  assert.equal(parallelWorkFactor(api, 'runAttention', input, { workers: 2, compare: true }), 6 * 1.5);  // default runs 5
  assert.equal(parallelWorkFactor(api, 'runAttention', { ...input, runs: 7 }, { workers: 3, compare: true }), 8 * (1 + 1 / 3));
  assert.equal(parallelWorkFactor(api, 'runAttention', { ...input, heads: 1 }, { workers: 2, compare: true }), 1);  // one worker used
  assert.equal(parallelWorkFactor(api, 'runAttention', input, { workers: 2, compare: false }), 1);
  assert.equal(parallelWorkFactor(api, 'runDecode', {}, { workers: 2, compare: true }), 1);
});

test('runParallel over 3 worker threads: the in-process run\'s outputs bit for bit, with the speedup measured', async () => {
  const input = { n: 67, d: 8, heads: 5, check_rows: 67 };
  const whole = api.runAttention(input);
  const pool = await createNodePool(3);
  try {
    const split = await runParallel(pool, 'runAttention', input);
    assert.equal(split.parallel.workers, 3);
    assert.equal(split.parallel.identical_outputs, true);
    assert.equal(split.heads_run, 5);
    assert.equal(split.flops, whole.flops);
    assert.equal(split.input_bytes, whole.input_bytes);
    for (const [i, variant] of split.variants.entries()) {
      assert.deepEqual(variant.head_output_hashes, whole.variants[i].head_output_hashes);
      assert.equal(variant.max_abs_error, whole.variants[i].max_abs_error);
    }
    const { speedup, efficiency, time, single_time: single } = split.parallel;
    assert.equal(time.runs, 5);
    assert.equal(single.runs, 5);
    assert.equal(speedup, single.median_s / time.median_s);
    assert.equal(efficiency, speedup / 3);
    assert.equal(split.parallel.pair_speedups.length, 5);
    for (const ratio of split.parallel.pair_speedups) assert.ok(ratio > 0);
    // a bad input is the core's InputError, from the first worker, before anything is split
    await assert.rejects(runParallel(pool, 'runAttention', { ...input, heads: 0 }), (error) => error.field === 'heads');
  } finally {
    await pool.close();
  }
});

test('attention --workers 2 gives the --workers 1 outputs bit for bit, and the parallel fields', async () => {
  const args = ['attention', '--n', '130', '--d', '16', '--heads', '4', '--json'];
  const [one, two, bad] = await Promise.all([cliAsync(...args, '--workers', '1'), cliAsync(...args, '--workers', '2'),
    cliAsync(...args, '--workers', '0')]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  const [a, b] = [JSON.parse(one.stdout), JSON.parse(two.stdout)];
  assert.deepEqual(a.parallel, { workers: 1, speedup: 1, efficiency: 1, time: null, single_time: null, identical_outputs: true,
    pair_speedups: [] });
  assert.equal(b.parallel.workers, 2);
  assert.equal(b.parallel.identical_outputs, true);
  assert.ok(b.parallel.speedup > 0);
  assert.equal(b.parallel.efficiency, b.parallel.speedup / 2);
  for (const [i, variant] of b.variants.entries()) {
    assert.equal(variant.head_output_hashes.length, 4);
    assert.deepEqual(variant.head_output_hashes, a.variants[i].head_output_hashes);
    assert.equal(variant.max_abs_error, a.variants[i].max_abs_error);
  }
  assert.equal(b.flops, a.flops);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /workers = 0 must be a whole number from 1 to 256/);
});
