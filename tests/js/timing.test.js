// Every measured time carries its spread: {runs, median_s, q1_s, q3_s, min_s,
// max_s} beside the existing fields, in the JS API and the CLI's JSON; and the
// rule for stating a comparison (lib/timing.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { compareTimings, formatSeconds, formatTiming, isNoisy, relativeSpread, timingStats } from '../../lib/timing.js';
import { assertInputError, cliAsync } from './helpers.js';

const api = await loadLlmSpacetime();

/** Asserts `time` is a TimingStats of at least `runs` finite, ordered timings. */
function assertTiming(time, what, runs = 5) {
  assert.deepEqual(Object.keys(time).sort(), ['max_s', 'median_s', 'min_s', 'q1_s', 'q3_s', 'runs'], what);
  for (const [key, value] of Object.entries(time)) assert.ok(Number.isFinite(value), `${what}.${key} = ${value}`);
  assert.ok(time.runs >= runs, `${what}.runs = ${time.runs}`);
  assert.ok(time.min_s > 0, `${what}.min_s = ${time.min_s}`);
  assert.ok(time.min_s <= time.q1_s && time.q1_s <= time.median_s && time.median_s <= time.q3_s &&
    time.q3_s <= time.max_s, `${what}: ${JSON.stringify(time)}`);
}

const timing = (median, q1, q3) => ({ runs: 5, median_s: median, q1_s: q1, q3_s: q3, min_s: q1, max_s: q3 });

test('compareTimings states a ratio only where the q1–q3 ranges do not overlap', () => {
  const fast = timing(1e-3, 0.95e-3, 1.05e-3);
  const slow = timing(2.4e-3, 2.3e-3, 2.5e-3);
  assert.deepEqual(compareTimings(fast, slow, 'GQA', 'MHA'),
    { verdict: 'faster', ratio: 2.4, text: 'GQA is 2.40× faster than MHA' });
  assert.equal(compareTimings(slow, fast, 'MHA', 'GQA').text, 'MHA is 2.40× slower than GQA');
  // Medians 1.5× apart, but the ranges touch: within noise, no ratio claimed.
  const wide = timing(1.5e-3, 1.05e-3, 2e-3);
  const verdict = compareTimings(fast, wide, 'window', 'full');
  assert.equal(verdict.verdict, 'within noise');
  assert.match(verdict.text, /^window and full: within noise/);
  assert.doesNotMatch(verdict.text, /×/);
  // A time of 0 (below the clock's resolution) is never compared.
  assert.equal(compareTimings(timing(0, 0, 0), slow).verdict, 'within noise');
});

test('timingStats: the C++ quartiles (type 7) for timings taken in JS', () => {
  assert.deepEqual(timingStats([5, 1, 4, 2, 3]), { runs: 5, median_s: 3, q1_s: 2, q3_s: 4, min_s: 1, max_s: 5 });
  assert.deepEqual(timingStats([4, 3, 2, 1]), { runs: 4, median_s: 2.5, q1_s: 1.75, q3_s: 3.25, min_s: 1, max_s: 4 });
  assert.equal(timingStats([]).runs, 0);
});

test('isNoisy: the interquartile range over 10 % of the median; formatTiming shows median (q1–q3)', () => {
  assert.equal(isNoisy(timing(1, 0.96, 1.05)), false);  // 9 %
  assert.equal(isNoisy(timing(1, 0.9, 1.11)), true);  // 21 %
  assert.ok(Math.abs(relativeSpread(timing(2, 1.9, 2.1)) - 0.1) < 1e-12);
  assert.equal(formatTiming(timing(1.234e-3, 1.2e-3, 1.31e-3)), '1.23 ms (1.2–1.31)');
  assert.equal(formatSeconds(812e-6), '812 µs');
  assert.equal(formatSeconds(2.414), '2.41 s');
});

test('every measured JS API function returns timing objects of ≥ 5 ordered runs', () => {
  const prefill = api.runAttention({ n: 96, d: 16 });
  for (const v of prefill.variants) {
    assertTiming(v.time, `runAttention ${v.variant}`);
    assert.equal(v.seconds, v.time.median_s);
  }
  assertTiming(api.runAttention({ n: 64, d: 8, runs: 7 }).variants[0].time, 'runAttention runs 7', 7);

  const decode = api.runDecode({ prompt_tokens: 16, generated_tokens: 8, d_model: 32, heads: 2, sample_steps: 4 });
  assertTiming(decode.time, 'runDecode time');
  assert.equal(decode.time.runs, 5);
  assert.equal(decode.seconds, decode.time.median_s);
  assertTiming(decode.step_time, 'runDecode step_time', 4);

  const seed = api.seedExperiment({ sequence_lengths: [24], d_model: 32, heads: 2, sample_steps: 2 });
  for (const row of seed.rows) {
    for (const key of ['seed', 'window', 'recompute', 'none']) assertTiming(row[key].time, `seedExperiment ${key}`);
  }

  const gemv = api.quantGemv({ rows: 32, cols: 256, min_time_s: 0 });
  for (const k of gemv.kernels) {
    assertTiming(k.time, `quantGemv ${k.kernel}`);
    assert.equal(k.seconds_per_call, k.time.median_s);
  }
  const lab = api.quantLab({ format: 'int4', n: 4096 });
  assertTiming(lab.quantize_time, 'quantLab');
  assert.equal(lab.quantize_s, lab.quantize_time.median_s);
  const bench = api.quantBench({ n: 4096, min_time_s: 0 });
  assertTiming(bench.time, 'quantBench');
  assert.equal(bench.seconds, bench.time.median_s);
});

test('runs is bounded (5–100) and refused by name', () => {
  assertInputError(() => api.runAttention({ n: 64, d: 8, runs: 4 }), 'runs', /runs = 4/);
  assertInputError(() => api.runDecode({ runs: 101 }), 'runs', /runs = 101/);
  assertInputError(() => api.seedExperiment({ sequence_lengths: [16], runs: 2.5 }), 'runs');
  assertInputError(() => api.quantGemv({ rows: 32, cols: 256, runs: 0 }), 'runs');
  assertInputError(() => api.quantBench({ runs: 1000 }), 'runs');
  assertInputError(() => api.quantLab({ n: 4096, runs: 4 }), 'runs');
});

test('every measured CLI command with --json returns the timing objects', async () => {
  const [attention, decode, seed, gemv, bad, lab] = await Promise.all([
    cliAsync('attention', '--n', '64', '--d', '16', '--json'),
    cliAsync('decode', '--strategy', 'window', '--n', '32', '--d-model', '32', '--heads', '2', '--window', '8',
      '--sample-steps', '4', '--runs', '6', '--json'),
    cliAsync('seed-experiment', '--lengths', '24', '--d-model', '32', '--heads', '2', '--sample-steps', '2', '--json'),
    cliAsync('quant-gemv', '--rows', '32', '--cols', '256', '--min-time', '0', '--json'),
    cliAsync('attention', '--n', '64', '--d', '16', '--runs', '3'),
    cliAsync('quant-lab', '--format', 'nf4', '--n', '4096', '--runs', '7', '--json'),
  ]);
  assert.equal(lab.code, 0, lab.stderr);
  assertTiming(JSON.parse(lab.stdout).quantize_time, 'quant-lab', 7);
  for (const result of [attention, decode, seed, gemv]) assert.equal(result.code, 0, result.stderr);
  for (const v of JSON.parse(attention.stdout).variants) assertTiming(v.time, `attention ${v.variant}`);
  const decoded = JSON.parse(decode.stdout);
  assertTiming(decoded.time, 'decode', 6);
  assert.equal(decoded.input.runs, 6);
  for (const row of JSON.parse(seed.stdout).rows) {
    for (const key of ['seed', 'window', 'recompute', 'none']) assertTiming(row[key].time, `seed-experiment ${key}`);
  }
  for (const k of JSON.parse(gemv.stdout).kernels) assertTiming(k.time, `quant-gemv ${k.kernel}`);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /runs = 3/);
});
