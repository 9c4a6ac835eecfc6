// The measured attention API and CLI over the built WASM module.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { InputError } from '../../lib/api.js';
import { loadLlmSpacetime } from '../../lib/node.js';

const api = await loadLlmSpacetime();
const run = promisify(execFile);
const cli = new URL('../../cli/llm-spacetime.js', import.meta.url).pathname;

test('runAttention: naive and tiled agree with fp64, naive holds the n×n scores', () => {
  const result = api.runAttention({ n: 130, d: 64, heads: 2 });
  assert.equal(result.isa, 'simd');
  assert.deepEqual(result.variants.map((v) => v.variant), ['naive', 'tiled']);
  for (const variant of result.variants) {
    assert.equal(variant.refused, false);
    assert.ok(variant.max_abs_error < 1e-5, `${variant.variant}: ${variant.max_abs_error}`);
    assert.ok(variant.seconds > 0);
  }
  assert.equal(result.variants[0].workspace_bytes, 130 * 130 * 4);
  // causal: 4·d·n(n+1)/2 per head
  assert.equal(result.flops, 2 * 4 * 64 * 130 * 131 / 2);
});

test('runAttention refuses naive attention over the budget, naming the bytes', () => {
  // 32768² · 4 B of scores + 4 · 32768 · 64 · 4 B of q, k, v, out
  assert.throws(() => api.runAttention({ n: 32768, d: 64, variant: 'naive' }),
    (error) => error instanceof InputError && error.field === 'memory_budget_bytes' &&
      error.message.includes('4328521728 bytes'));
});

test('runAttention and runDecode reject bad input by field', () => {
  assert.throws(() => api.runAttention({ n: -5 }), (error) => error.field === 'n');
  assert.throws(() => api.runAttention({ d: 'abc' }), (error) => error.field === 'd');
  assert.throws(() => api.runAttention({ variant: 'flash' }), (error) => error.field === 'variant');
  assert.throws(() => api.runDecode({ strategy: 'bogus' }), (error) => error.field === 'strategy');
  assert.throws(() => api.runDecode({ d_model: 768, heads: 7 }), (error) => error.field === 'heads');
});

test('runDecode: recompute-on-evict is exact, a window is not', () => {
  const base = { prompt_tokens: 48, generated_tokens: 16, d_model: 64, heads: 4, cache_tokens: 8 };
  const recompute = api.runDecode({ ...base, strategy: 'recompute' });
  const window = api.runDecode({ ...base, strategy: 'window' });
  assert.equal(recompute.max_abs_error, 0);
  assert.ok(recompute.recomputed_flops > 0);
  assert.ok(window.max_abs_error > 1e-3);
  assert.equal(window.attended_tokens, 8);
  assert.ok(window.mask_check_max_abs < 1e-5);
  assert.equal(window.kv_bytes, 2 * 8 * 64 * 4);
});

test('runDecode time_split_s: the parts add up to seconds, each where its work is', () => {
  const base = { prompt_tokens: 48, generated_tokens: 16, d_model: 64, heads: 4, cache_tokens: 8, kv_group: 16 };
  const parts = ['projection', 'store', 'recompute', 'dequantize', 'attend', 'output'];
  for (const strategy of ['window', 'recompute', 'none', 'seed', 'int8']) {
    const start = performance.now();
    const result = api.runDecode({ ...base, strategy });
    const wallSeconds = (performance.now() - start) / 1e3;
    const split = result.time_split_s;
    assert.deepEqual(Object.keys(split).sort(), [...parts].sort(), strategy);
    const sum = parts.reduce((total, part) => total + split[part], 0);
    // seconds is the sum of the parts in clock ticks (one clock read at each
    // boundary between parts): equal up to converting ticks to seconds.
    assert.ok(result.seconds > 0, strategy);
    assert.ok(Math.abs(sum - result.seconds) <= 1e-12 * result.seconds, `${strategy}: ${sum} vs ${result.seconds}`);
    assert.ok(result.seconds <= wallSeconds, `${strategy}: ${result.seconds} s measured inside a ${wallSeconds} s call`);
    assert.equal(split.recompute > 0, ['recompute', 'none', 'seed'].includes(strategy), strategy);
    assert.equal(split.dequantize > 0, strategy === 'int8', strategy);
    assert.equal(split.output, 0, strategy);  // no output_projection
  }
  const projected = api.runDecode({ ...base, strategy: 'seed', output_projection: true });
  assert.ok(projected.time_split_s.output > 0);
  assert.throws(() => api.runDecode({ ...base, output_projection: 'yes' }), { name: 'InputError', field: 'output_projection' });
});

test('runDecode seed: the seed program\'s step, FLOPs by part adding up to the step', () => {
  // d_model 64: W = 8 ⇒ 9 tokens re-projected: K/V 9·4·64² = 147,456; Q and Wo 2·64² = 8,192 each; attention 4·9·64 = 2,304
  const result = api.runDecode({ prompt_tokens: 32, generated_tokens: 4, d_model: 64, heads: 4, cache_tokens: 8,
    strategy: 'seed', output_projection: true });
  assert.deepEqual(result.flops_by_part, { q_projection: 8192, kv_projection: 147456, attention: 2304, output: 8192 });
  assert.equal(result.flops_per_step, 8192 + 147456 + 2304 + 8192);
  assert.equal(result.kv_bytes, 0);
  assert.equal(result.hidden_bytes, 9 * 64 * 4);
  const window = api.runDecode({ prompt_tokens: 32, generated_tokens: 4, d_model: 64, heads: 4, cache_tokens: 9,
    strategy: 'window', output_projection: true });
  assert.ok(Math.abs(window.max_abs_error - result.max_abs_error) <= 1e-5);  // same output, from cached K/V
  assert.equal(window.flops_by_part.kv_projection, 4 * 64 * 64);
});

test('seedExperiment returns caches n, 4√n, 8 per length', () => {
  const result = api.seedExperiment({ sequence_lengths: [64], d_model: 32, heads: 4, sample_steps: 4 });
  assert.deepEqual(result.rows.map((row) => row.cache_tokens), [64, 32, 8]);
  assert.deepEqual(result.rows.map((row) => row.recompute.max_abs_error), [0, 0, 0]);
  assert.deepEqual(result.rows.map((row) => row.none.max_abs_error), [0, 0, 0]);
  for (const row of result.rows) {
    for (const key of ['seed', 'window', 'recompute', 'none']) {
      for (const field of ['tokens_per_s', 'flops_per_step', 'max_abs_error', 'min_cosine']) {
        assert.equal(typeof row[key][field], 'number', `${key}.${field}`);
      }
      assert.deepEqual(Object.keys(row[key].flops_by_part), ['q_projection', 'kv_projection', 'attention', 'output']);
    }
    // the same rows by the same arithmetic; once window's ring wraps it reads its slots rotated: sums in another order
    assert.ok(Math.abs(row.seed.max_abs_error - row.window.max_abs_error) <= 1e-5, row.cache_label);
    assert.equal(row.seed.attended_tokens, Math.min(64, row.cache_tokens + 1));
  }
});

test('CLI attention --json and decode --json', async () => {
  const attention = JSON.parse((await run('node', [cli, 'attention', '--n', '96', '--d', '16', '--json'])).stdout);
  assert.equal(attention.variants.length, 2);
  assert.ok(attention.variants.every((v) => v.max_abs_error < 1e-5));
  const decode = JSON.parse((await run('node', [cli, 'decode', '--strategy', 'sinks', '--n', '64', '--d-model', '32',
    '--heads', '4', '--window', '8', '--sinks', '2', '--json'])).stdout);
  assert.equal(decode.input.prompt_tokens, 32);
  assert.equal(decode.input.generated_tokens, 32);
  assert.equal(decode.attended_tokens, 10);
  const text = (await run('node', [cli, 'decode', '--strategy', 'recompute', '--n', '64', '--d-model', '32',
    '--heads', '4', '--window', '8'])).stdout;
  assert.match(text, /time of the 32 measured steps, .*: projection .*, store .*, recompute .*, dequantize .*, attend /);
});

test('CLI: bad flags exit 2 with the field named', async () => {
  await assert.rejects(run('node', [cli, 'attention', '--variant', 'flash']),
    (error) => error.code === 2 && /--variant/.test(error.stderr));
  await assert.rejects(run('node', [cli, 'decode', '--strategy', 'window', '--window', '0', '--json']),
    (error) => error.code === 2 && JSON.parse(error.stdout).error.field === 'cache_tokens');
});
