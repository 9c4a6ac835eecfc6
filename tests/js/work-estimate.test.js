// Work estimates: the CLI refuses a measured run estimated over --max-seconds
// (default 60) at once, with the estimate; --max-seconds lets a run through;
// the JS API's estimateRun costs exactly the input a run would take.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { assertInputError, cli, cliJson } from './helpers.js';

const api = await loadLlmSpacetime();

// The inputs issue 17 found running for over a minute with no output.
const hanging = [
  ['attention', '--n', '1e6', '--d', '64'],
  ['attention', '--n', '2e5', '--variant', 'tiled'],
  ['seed-experiment', '--lengths', '65536'],
  ['machine', '--sweep-max', '1G', '--points-per-octave', '8', '--sweep-repeats', '21'],
  ['decode', '--strategy', 'none', '--n', '2e4'],
  ['quant-gemv', '--min-time', '20'],
];

for (const args of hanging) {
  test(`${args.join(' ')} is refused within seconds, with its estimate`, () => {
    const start = performance.now();
    const result = cli(...args);
    const seconds = (performance.now() - start) / 1e3;
    assert.equal(result.code, 2, result.stderr);
    assert.ok(seconds < 10, `took ${seconds.toFixed(1)} s`);  // node start-up and module load, not the run
    assert.match(result.stderr, /estimated to take about [\d.]+ (s|minutes|hours|days)\b.*GFLOP\/s.*GB\/s/);
    assert.match(result.stderr, /over --max-seconds = 60/);
    assert.match(result.stderr, /--max-seconds \d+/);  // says how to allow it
    assert.equal(result.stdout, '');
  });
}

test('machine --bytes 1e9 --repeats 1000 (over the probe\'s bounds) is refused at once by its flag', () => {
  const start = performance.now();
  const result = cli('machine', '--bytes', '1e9', '--repeats', '1000');
  assert.ok(performance.now() - start < 10000);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--repeats = 1000 is too large/);
});

test('a run the memory cap refuses is refused for its memory, not its time', () => {
  const result = cli('attention', '--n', '30000', '--variant', 'naive', '--budget', '1e12');
  assert.equal(result.code, 2);
  assert.match(result.stderr, /more than this WASM module can allocate/);
  assert.doesNotMatch(result.stderr, /max-seconds/);
});

test('--json: the refusal names max-seconds and carries the estimate object', () => {
  const result = cli('attention', '--n', '2e5', '--variant', 'tiled', '--json');
  assert.equal(result.code, 2);
  const { error } = JSON.parse(result.stdout);
  assert.equal(error.field, 'max-seconds');
  assert.ok(error.estimate.seconds > 60);
  // The estimate's parts add up to its seconds.
  const { flops, bytes, fixed_seconds: fixed, flops_per_second: flopRate, bytes_per_second: byteRate } = error.estimate;
  assert.ok(Math.abs(flops / flopRate + bytes / byteRate + fixed - error.estimate.seconds) < 1e-9 * error.estimate.seconds);
});

test('--max-seconds lowers and raises the limit', () => {
  // attention n = 4096 tiled: its estimate (about 2 s) is over 0.5 s and under 60 s.
  const estimate = api.estimateRun('runAttention', { n: 4096, d: 64, variant: 'tiled' });
  assert.ok(estimate.seconds > 0.5 && estimate.seconds < 60, estimate.text);
  const refused = cli('attention', '--n', '4096', '--d', '64', '--variant', 'tiled', '--max-seconds', '0.5');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /over --max-seconds = 0\.5/);
  const ran = cliJson('attention', '--n', '4096', '--d', '64', '--variant', 'tiled', '--max-seconds', '120');
  assert.equal(ran.variants[0].variant, 'tiled');
  assert.ok(ran.variants[0].seconds > 0);
  // A run under the default limit needs no flag.
  assert.equal(cliJson('quant-lab', '--format', 'int8', '--n', '4096').n, 4096);
});

test('--max-seconds must be a number of seconds above 0', () => {
  for (const value of ['0', '-5', 'NaN', 'soon']) {
    const result = cli('machine', '--max-seconds', value);
    assert.equal(result.code, 2, value);
    assert.match(result.stderr, /--max-seconds/, value);
  }
});

test('estimateRun merges the run\'s defaults and names bad fields as the run does', () => {
  const defaults = api.estimateRun('runDecode', {});
  const explicit = api.estimateRun('runDecode', api.attentionDefaults().decode);
  assert.equal(defaults.seconds, explicit.seconds);
  assert.ok(Number.isFinite(defaults.seconds) && defaults.seconds > 0);
  assertInputError(() => api.estimateRun('runAttention', { n: NaN }), 'n', /n = NaN/);
  assertInputError(() => api.estimateRun('runAttention', { n: '5' }), 'n');
  assertInputError(() => api.estimateRun('runAttention', { bogus: 1 }), 'bogus');
  assertInputError(() => api.estimateRun('seedExperiment', { sequence_lengths: [512, NaN] }), 'sequence_lengths');
  assertInputError(() => api.estimateRun('seedExperiment', { sequence_lengths: 'long' }), 'sequence_lengths');
  assertInputError(() => api.estimateRun('plan', {}), 'method');
  assert.deepEqual(api.estimatedRuns().sort(),
    ['measureCacheSweep', 'measureMachine', 'quantGemv', 'quantLab', 'runAttention', 'runDecode', 'seedExperiment', 'serve',
      'serveMaxRate', 'serveSweep']);
  // Twice the sequence, at least twice the estimate (attention is quadratic in n).
  const short = api.estimateRun('runAttention', { n: 8192, variant: 'tiled' }).seconds;
  const long = api.estimateRun('runAttention', { n: 16384, variant: 'tiled' }).seconds;
  assert.ok(long > 2 * short, `${short} → ${long}`);
});
