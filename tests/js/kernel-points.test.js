// The roofline coordinates of measured kernels come from the core; checked
// here against hand calculations (issue 14: JS computes no formulas).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';

const api = await loadLlmSpacetime();
const close = (actual, expected, what) => assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.abs(expected),
  `${what}: ${actual} vs ${expected}`);

test('quantGemv 2048² f32: flops 2·2048², intensity 2·2048² / (4·2048²) = 0.5, flops_per_s = flops / seconds_per_call', () => {
  const result = api.quantGemv({ rows: 2048, cols: 2048, group_size: 128, min_time_s: 0 });
  const f32 = result.kernels.find((kernel) => kernel.kernel === 'f32');
  assert.equal(f32.weight_bytes, 4 * 2048 * 2048);
  assert.equal(f32.flops, 2 * 2048 * 2048);
  assert.equal(f32.intensity, 0.5);
  close(f32.flops_per_s, 2 * 2048 * 2048 / f32.seconds_per_call, 'f32 flops_per_s');
  for (const kernel of result.kernels) {
    assert.equal(kernel.flops, 2 * 2048 * 2048, kernel.kernel);
    close(kernel.intensity, 2 * 2048 * 2048 / kernel.weight_bytes, `${kernel.kernel} intensity`);
    assert.ok(kernel.intensity > 0.5 || kernel.kernel === 'f32', `${kernel.kernel} streams fewer bytes than f32`);
  }
});

test('runAttention n 1024, d 64: intensity (4·64·1024·1025/2) / (16·1024·64) = 128.125, flops_per_s = gflop_per_s·1e9', () => {
  const result = api.runAttention({ n: 1024, d: 64, heads: 1, variant: 'both', check_rows: 4, runs: 5 });
  assert.equal(result.intensity, 1025 / 8);
  for (const variant of result.variants) {
    close(variant.flops_per_s, (4 * 64 * 1024 * 1025) / 2 / variant.seconds, `${variant.variant} flops_per_s`);
    close(variant.flops_per_s, variant.gflop_per_s * 1e9, `${variant.variant} gflop_per_s`);
  }
});

test('kernelRoof: roof = min(peak, intensity × ceiling at the working set), share = flops_per_s / roof', () => {
  const sweep = { points: [{ bytes: 1e3, simd_bytes_per_s: 1e11 }, { bytes: 1e6, simd_bytes_per_s: 1e10 }] };
  // GEMV f32 streaming 1 MB: 0.5 FLOP/byte × 10 GB/s = 5 GFLOP/s under a 100 GFLOP/s peak.
  const gemv = api.kernelRoof(sweep, { intensity: 0.5, flops_per_s: 4e9, working_set_bytes: 1e6 }, 1e11);
  assert.deepEqual(gemv, { ceiling: 1e10, roof: 5e9, share: 0.8, bound: 'bandwidth' });
  // 100 FLOP/byte × 10 GB/s = 1 TFLOP/s: the 100 GFLOP/s peak is the roof.
  const dense = api.kernelRoof(sweep, { intensity: 100, flops_per_s: 5e10, working_set_bytes: 1e9 }, 1e11);
  assert.deepEqual(dense, { ceiling: 1e10, roof: 1e11, share: 0.5, bound: 'compute' });
  // Half way on a log axis between the two sizes: the geometric mean of their bandwidths.
  const mid = api.kernelRoof(sweep, { intensity: 1, flops_per_s: 1e9, working_set_bytes: Math.sqrt(1e9) }, 1e12);
  close(mid.ceiling, Math.sqrt(1e21), 'interpolated ceiling');
  close(mid.ceiling, api.sweepCeiling(sweep, Math.sqrt(1e9)), 'sweepCeiling');
  close(mid.share, 1e9 / Math.sqrt(1e21), 'share');
});

test('kernelRoof names the bad field', () => {
  const sweep = { points: [{ bytes: 1e3, simd_bytes_per_s: 1e11 }] };
  const point = { intensity: 0.5, flops_per_s: 4e9, working_set_bytes: 1e6 };
  assert.throws(() => api.kernelRoof(sweep, { ...point, intensity: 'x' }, 1e11), (error) => error.field === 'intensity');
  assert.throws(() => api.kernelRoof(sweep, { ...point, intensity: 0 }, 1e11), (error) => error.field === 'intensity');
  assert.throws(() => api.kernelRoof(sweep, { ...point, working_set_bytes: -1 }, 1e11), (error) => error.field === 'working_set_bytes');
  assert.throws(() => api.kernelRoof(sweep, point, 0), (error) => error.field === 'peak_flops_per_s');
  assert.throws(() => api.kernelRoof({ points: [] }, point, 1e11), (error) => error.field === 'sweep');
});

test('runDecode carries the core\'s head_dim (d_model / heads); decodeKvClosedForm reads it, odd int4 rows noted', () => {
  const odd = api.runDecode({ strategy: 'int4', prompt_tokens: 4, generated_tokens: 2, d_model: 6, heads: 2, kv_group: 3 });
  assert.equal(odd.head_dim, 6 / 2);
  const oddForm = api.decodeKvClosedForm(odd);
  assert.equal(oddForm.kv_input.head_dim, 3);
  assert.match(oddForm.note, /int4 with an odd head_dim/);
  const even = api.runDecode({ strategy: 'int4', prompt_tokens: 4, generated_tokens: 2, d_model: 8, heads: 2, kv_group: 4 });
  assert.equal(even.head_dim, 4);
  assert.doesNotMatch(api.decodeKvClosedForm(even).note, /odd head_dim/);
  assert.throws(() => api.decodeKvClosedForm({ ...even, head_dim: 'x' }), (error) => error.field === 'result.head_dim');
});
