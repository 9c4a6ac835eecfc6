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
  assert.equal(parallelWorkFactor(api, 'seedExperiment', {}, { workers: 2, compare: true }), 1);  // not split
  // decode: by KV heads (default 12 heads, kv_heads 0 = 12); one worker with output_projection
  assert.equal(parallelWorkFactor(api, 'runDecode', {}, { workers: 2, compare: true }), 6 * 1.5);
  assert.equal(parallelWorkFactor(api, 'runDecode', { output_projection: true }, { workers: 2, compare: true }), 1);
  assert.equal(parallelWorkFactor(api, 'runDecode', { kv_heads: 1 }, { workers: 2, compare: true }), 1);  // MQA: one group
});

test('runDecode split by KV heads over 2 worker threads: every strategy\'s outputs and errors bit for bit', async () => {
  const base = { prompt_tokens: 24, generated_tokens: 12, d_model: 48, heads: 6, kv_heads: 3, hidden_dim: 13,
    cache_tokens: 8, sinks: 2, kv_group: 4, sample_steps: 4 };
  const pool = await createNodePool(2);
  try {
    for (const strategy of ['full', 'window', 'sinks', 'recompute', 'none', 'seed', 'int8', 'int4']) {
      const input = { ...base, strategy };
      const whole = api.runDecode(input);
      const split = await runParallel(pool, 'runDecode', input);
      const message = `strategy ${strategy}`;
      assert.equal(split.parallel.workers, 2, message);
      assert.equal(split.parallel.identical_outputs, true, message);
      assert.equal(split.kv_heads_run, 3, message);
      assert.deepEqual(split.kv_head_output_hashes, whole.kv_head_output_hashes, message);
      for (const field of ['max_abs_error', 'mask_check_max_abs', 'min_cosine', 'mean_cosine', 'recomputed_tokens',
        'attended_tokens', 'measured_steps']) assert.equal(split[field], whole[field], `${message}: ${field}`);
      for (const field of ['kv_bytes', 'weights_bytes', 'flops_per_step', 'recomputed_flops']) {
        assert.ok(Math.abs(split[field] - whole[field]) <= 1e-9 * Math.abs(whole[field]), `${message}: ${field}`);
      }
      assert.deepEqual(split.cosine_terms, []);
      const { speedup, efficiency, time, single_time: single } = split.parallel;
      assert.equal(speedup, single.median_s / time.median_s);
      assert.equal(efficiency, speedup / 2);
    }
    // different KV heads draw different data: no two hashes alike
    const hashes = api.runDecode({ ...base, strategy: 'full' }).kv_head_output_hashes;
    assert.equal(new Set(hashes).size, 3);
    // Wo mixes every head: one worker, the ordinary run
    const projected = await runParallel(pool, 'runDecode', { ...base, output_projection: true });
    assert.equal(projected.parallel.workers, 1);
    // a bad slice is the core's InputError by name
    assert.throws(() => api.runDecode({ ...base, kv_head_begin: 1, kv_head_end: 1 }), (error) => error.field === 'kv_head_end');
    assert.throws(() => api.runDecode({ ...base, kv_head_end: 2, output_projection: true }),
      (error) => error.field === 'output_projection' && /mixes every head/.test(error.message));
  } finally {
    await pool.close();
  }
});

test('decode --workers 2 gives the --workers 1 outputs bit for bit, and the parallel fields', async () => {
  const args = ['decode', '--strategy', 'window', '--n', '64', '--d-model', '32', '--heads', '4', '--kv-heads', '2',
    '--window', '16', '--sample-steps', '4', '--json'];
  const [one, two, projected] = await Promise.all([cliAsync(...args, '--workers', '1'), cliAsync(...args, '--workers', '2'),
    cliAsync(...args, '--workers', '2', '--output-projection')]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  const [a, b] = [JSON.parse(one.stdout), JSON.parse(two.stdout)];
  assert.equal(a.parallel.workers, 1);
  assert.equal(b.parallel.workers, 2);
  assert.equal(b.parallel.identical_outputs, true);
  assert.ok(b.parallel.speedup > 0);
  assert.equal(b.parallel.efficiency, b.parallel.speedup / 2);
  assert.deepEqual(b.kv_head_output_hashes, a.kv_head_output_hashes);
  assert.equal(b.min_cosine, a.min_cosine);
  assert.equal(projected.code, 0, projected.stderr);
  assert.equal(JSON.parse(projected.stdout).parallel.workers, 1);
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

test('quantGemv by rows over 2 worker threads: the in-process run\'s figures bit for bit, kernel speedups measured', async () => {
  const input = { rows: 45, cols: 128, group_size: 64, min_time_s: 0 };
  const whole = api.quantGemv(input);
  assert.equal(parallelWorkFactor(api, 'quantGemv', input, { workers: 2, compare: true }), 6 * 1.5);
  const pool = await createNodePool(2);
  try {
    const split = await runParallel(pool, 'quantGemv', input);
    assert.equal(split.parallel.workers, 2);
    assert.equal(split.parallel.identical_outputs, true);
    assert.equal(split.rows_run, 45);
    assert.equal(split.bytes_needed > 0, true);
    for (const [k, kernel] of split.kernels.entries()) {
      const expected = whole.kernels[k];
      for (const field of ['output_hash', 'max_abs_error', 'rel_rmse', 'cosine', 'weight_bytes', 'bits_per_weight', 'flops']) {
        assert.equal(kernel[field], expected[field], `${expected.kernel} ${field}`);
      }
      assert.deepEqual(kernel.error_terms, []);
      assert.ok(split.parallel.kernel_speedups[kernel.kernel] > 0);
    }
    assert.equal(split.parallel.pair_speedups.length, 5);
    // a bad input is the core's InputError naming its field
    await assert.rejects(runParallel(pool, 'quantGemv', { ...input, cols: 100 }), (error) => error.field === 'cols');
    await assert.rejects(runParallel(pool, 'quantGemv', { ...input, rows: NaN }), (error) => error.field === 'rows');
  } finally {
    await pool.close();
  }
});

test('quantLab by chunks over 2 worker threads: restored values and metrics bit for bit; unsplittable formats stay whole', async () => {
  const input = { format: 'int4', group_size: 128, dist: 'llm', n: 3 * 65536 + 999, inject_nonfinite: true };
  const whole = api.quantLab(input);
  assert.equal(api.quantLabChunks(input), 4);
  assert.equal(api.quantLabChunks({ ...input, double_quant: true }), 1);
  assert.equal(api.quantLabChunks({ ...input, format: 'nvfp4' }), 1);
  const pool = await createNodePool(2);
  try {
    const split = await runParallel(pool, 'quantLab', input);
    assert.equal(split.parallel.workers, 2);
    assert.equal(split.parallel.identical_outputs, true);
    assert.equal(split.chunks_run, 4);
    assert.deepEqual(split.chunk_hashes, whole.chunk_hashes);
    for (const field of ['rel_rmse', 'snr_db', 'cosine', 'rmse', 'max_abs_error', 'mean_abs_error', 'nonfinite_inputs']) {
      assert.equal(split[field], whole[field], field);
    }
    assert.deepEqual(split.histogram_edges, whole.histogram_edges);  // the same edges; counts re-binned
    assert.equal(split.histogram_counts.reduce((a, b) => a + b, 0), whole.histogram_counts.reduce((a, b) => a + b, 0));
    const kept = await runParallel(pool, 'quantLab', { ...input, double_quant: true });
    assert.equal(kept.parallel.workers, 1);
    await assert.rejects(runParallel(pool, 'quantLab', { ...input, dist: 'cauchy' }), (error) => error.field === 'dist');
    await assert.rejects(runParallel(pool, 'quantLab', { ...input, chunk_end: 9 }), (error) => error.field === 'chunk_end');
  } finally {
    await pool.close();
  }
});

test('quant-gemv and quant-lab --workers 2 give the --workers 1 figures bit for bit, and the parallel fields', async () => {
  const gemv = ['quant-gemv', '--rows', '64', '--cols', '128', '--group', '64', '--min-time', '0', '--json'];
  const lab = ['quant-lab', '--format', 'q4_0', '--n', '200000', '--json'];
  const [gemvOne, gemvTwo, labOne, labTwo, bad] = await Promise.all([cliAsync(...gemv, '--workers', '1'),
    cliAsync(...gemv, '--workers', '2'), cliAsync(...lab, '--workers', '1'), cliAsync(...lab, '--workers', '2'),
    cliAsync(...lab, '--workers', 'NaN')]);
  for (const run of [gemvOne, gemvTwo, labOne, labTwo]) assert.equal(run.code, 0, run.stderr);
  const [g1, g2, l1, l2] = [gemvOne, gemvTwo, labOne, labTwo].map((run) => JSON.parse(run.stdout));
  assert.deepEqual(g1.parallel, { workers: 1, speedup: 1, efficiency: 1, time: null, single_time: null, identical_outputs: true,
    pair_speedups: [] });
  for (const result of [g2, l2]) {
    assert.equal(result.parallel.workers, 2);
    assert.equal(result.parallel.identical_outputs, true);
    assert.equal(result.parallel.efficiency, result.parallel.speedup / 2);
  }
  assert.deepEqual(g2.kernels.map((k) => [k.output_hash, k.rel_rmse, k.cosine, k.max_abs_error]),
    g1.kernels.map((k) => [k.output_hash, k.rel_rmse, k.cosine, k.max_abs_error]));
  assert.deepEqual(l2.chunk_hashes, l1.chunk_hashes);
  assert.equal(l2.rel_rmse, l1.rel_rmse);
  assert.equal(l2.snr_db, l1.snr_db);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /workers = NaN must be a whole number from 1 to 256/);
});
