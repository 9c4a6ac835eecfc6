// The quantization API and CLI over the built WASM module.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { InputError } from '../../lib/api.js';
import { loadLlmSpacetime } from '../../lib/node.js';
import { quantReferenceErrors } from '../../lib/quant.js';
import { published, referenceErrors } from '../../scripts/quant-reference-errors.js';

const api = await loadLlmSpacetime();
const run = promisify(execFile);
const cli = new URL('../../cli/llm-spacetime.js', import.meta.url).pathname;

// Llama-2-7B split by hand: vocab 32000 × d 4096; 32 layers of 4·4096² attention
// and 3·4096·11008 FFN; 2 norms of 4096 per layer + the final one.
const llama2 = {
  embedding: 32000 * 4096, attention: 32 * 4 * 4096 ** 2, ffn: 32 * 3 * 4096 * 11008,
  norms: 32 * 2 * 4096 + 4096, lm_head: 32000 * 4096,
};

test('formats include the ggml blocks at their published bits per weight', () => {
  const formats = api.quantFormats();
  const byId = Object.fromEntries(formats.map((format) => [format.id, format]));
  assert.equal(byId.q4_0.block_bytes * 8 / byId.q4_0.block_size, 4.5);
  assert.equal(api.quantBitsPerWeight({ format: 'q6_k' }).bits_per_weight, 6.5625);
  assert.equal(api.quantBitsPerWeight({ format: 'int4', group_size: 128, scale_dtype: 'fp16' }).bits_per_weight, 4 + 16 / 128);
  for (const id of ['q2_k', 'q3_k', 'q4_k', 'q5_k', 'q6_k']) assert.equal(byId[id].measured, true);
});

test('quantSize: mixed precision totals by hand', () => {
  const result = api.quantSize({
    params: llama2, format: 'int4', group_size: 128, scale_dtype: 'fp16',
    embedding_format: 'fp16', lm_head_format: 'fp16',
  });
  assert.equal(result.total_params, 6738415616);
  const expected = (llama2.attention + llama2.ffn) * 4.125 / 8 + 2 * llama2.embedding * 2 + llama2.norms * 4;
  assert.ok(Math.abs(result.bytes - expected) < 1);
  assert.deepEqual(result.components.map((c) => c.format), ['fp16', 'int4', 'int4', 'fp32', 'fp16']);
});

test('bad inputs throw InputError naming the field', () => {
  assert.throws(() => api.quantSize({ params: { ...llama2, ffn: -5 } }), (error) => error instanceof InputError && error.field === 'ffn_params');
  assert.throws(() => api.quantLab({ format: 'int4', group_size: 0 }), (error) => error.field === 'group_size');
  assert.throws(() => api.quantLab({ n: 1e9 }), (error) => error.field === 'n' && /bytes/.test(error.message));
  assert.throws(() => api.quantLab({ dist: 'cauchy' }), (error) => error.field === 'dist');
  assert.throws(() => api.quantGemv({ rows: 8, cols: 100, group_size: 32 }), (error) => error.field === 'cols');
});

test('quantReferenceErrors are the derivation of scripts/quant-reference-errors.js', () => {
  // Coarser grids than the script's defaults, so agreement to the published four digits
  // (±5e-4 relative): the 1-D integrals converge to 1e-15 well before; the zero-point row's
  // 2-D rule is 2e-4 high at 200 steps (see the script).
  const derived = referenceErrors({ steps: 300, zeroPointSteps: 200 });
  assert.deepEqual(quantReferenceErrors.map(({ format, group_size }) => ({ format, group_size })),
    derived.map(({ format, group_size }) => ({ format, group_size })));
  quantReferenceErrors.forEach((row, i) => {
    assert.ok(Math.abs(row.rel_rmse / derived[i].rel_rmse - 1) < 5e-4, `${row.format} g${row.group_size}`);
    assert.equal(row.rel_rmse, published(row.rel_rmse));  // four significant digits
  });
  // Sanity by the uniform-rounding model: int8 g32 rounds 31 of 32 values to steps of
  // absmax/127, and √E[absmax²] of 32 normals ≈ 2.39, so RMSE ≈ √(31/32)·2.39/(127·√12) ≈ 0.534 %.
  assert.ok(Math.abs(quantReferenceErrors[0].rel_rmse / (Math.sqrt(31 / 32) * 2.39 / (127 * Math.sqrt(12))) - 1) < 0.01);
});

test('quantLab reproduces the reference table in WASM (±3 % relative)', () => {
  for (const row of quantReferenceErrors) {
    const result = api.quantLab({ format: row.format, group_size: row.group_size, n: 1 << 20, seed: 1 });
    const ratio = result.rel_rmse / row.rel_rmse;
    assert.ok(ratio > 0.97 && ratio < 1.03, `${row.format} g${row.group_size}: ${result.rel_rmse} vs ${row.rel_rmse}`);
  }
});

test('quantLab: SIMD and scalar twins agree; histogram counts every finite value', () => {
  const simd = api.quantLab({ format: 'int8', group_size: 64, n: 10000, simd: true });
  const scalar = api.quantLab({ format: 'int8', group_size: 64, n: 10000, simd: false });
  assert.equal(simd.kernel, 'simd');
  assert.equal(simd.rel_rmse, scalar.rel_rmse);
  const odd = api.quantLab({ format: 'int4', group_size: 32, n: 1001, inject_nonfinite: true, histogram_bins: 21 });
  assert.equal(odd.nonfinite_inputs, 3);
  assert.equal(odd.histogram_counts.reduce((a, b) => a + b, 0), 1001 - 3);
  assert.equal(odd.histogram_edges.length, 22);
});

test('quantLab measures the k-quants: super-blocks of 256, scalar, error between the plain grids', () => {
  const lab = (format, extra = {}) => api.quantLab({ format, n: 65536, seed: 1, ...extra });
  const q4k = lab('q4_k');
  assert.equal(q4k.group_size, 256);
  assert.equal(q4k.kernel, 'scalar');
  assert.equal(q4k.bits_per_weight, 144 * 8 / 256);  // block_q4_K: d, dmin, scales[12], qs[128]
  // Q4_K starts from Q4_1's 4-bit min-max grid per 32 and searches for a lower
  // weighted error; the uniform rounding model of that grid is E[range of 32
  // N(0,1)] / 15 / √12 = 4.139 / 15 / √12 = 7.97 %.
  assert.ok(q4k.rel_rmse < lab('q4_1').rel_rmse, `q4_k ${q4k.rel_rmse}`);
  assert.ok(q4k.rel_rmse < 0.0797);
  assert.ok(Math.abs(q4k.snr_db + 20 * Math.log10(q4k.rel_rmse)) < 1e-9);
  assert.ok(Math.abs(q4k.cosine - (1 - q4k.rel_rmse ** 2 / 2)) < 1e-3);
  const errors = ['q2_k', 'q3_k', 'q4_k', 'q5_k', 'q6_k'].map((format) => lab(format).rel_rmse);
  for (let i = 1; i < errors.length; i++) assert.ok(errors[i] < errors[i - 1], `ordering ${errors}`);
  // n not a multiple of 256, and NaN/±Inf: defined and reported.
  const odd = lab('q6_k', { n: 257, inject_nonfinite: true });
  assert.equal(odd.n, 257);
  assert.equal(odd.nonfinite_inputs, 3);
  assert.ok(Number.isFinite(odd.rel_rmse));
  assert.match(odd.nonfinite_behaviour, /NaN/);
  assert.throws(() => api.quantLab({ format: 'q4_k', n: 5e8 }), (error) => error.field === 'n' && /bytes/.test(error.message));
});

test('CLI quant-lab --format q4_k --json has rel_rmse, snr_db, cosine', async () => {
  const { stdout } = await run('node', [cli, 'quant-lab', '--format', 'q4_k', '--n', '65536', '--seed', '1', '--json']);
  const json = JSON.parse(stdout);
  assert.equal(json.format, 'q4_k');
  assert.equal(json.group_size, 256);
  assert.ok(json.rel_rmse > 0 && json.rel_rmse < 0.0797);  // below the rounding model of Q4_1's grid (test above)
  assert.ok(Math.abs(json.snr_db + 20 * Math.log10(json.rel_rmse)) < 1e-9);
  assert.ok(json.cosine > 0.99 && json.cosine < 1);
});

test('quantGemv: output error tracks the weight format', () => {
  const result = api.quantGemv({ rows: 64, cols: 256, group_size: 64, min_time_s: 0 });
  const byKernel = Object.fromEntries(result.kernels.map((k) => [k.kernel, k]));
  assert.ok(byKernel.f32.rel_rmse < 1e-5);
  assert.ok(byKernel.int8.rel_rmse < 0.02);
  assert.ok(byKernel.int4.rel_rmse > 0.05 && byKernel.int4.rel_rmse < 0.2);
  assert.equal(byKernel.int4.weight_bytes, 64 * 256 / 2 + 64 * 256 / 64 * 4);
  assert.ok(byKernel.f32.gb_per_s > 0);
});

test('CLI quant-lab --json has rel_rmse, snr_db, cosine', async () => {
  const { stdout } = await run('node', [cli, 'quant-lab', '--format', 'nf4', '--group', '64', '--dist', 'normal', '--n', '1048576', '--seed', '1', '--json']);
  const json = JSON.parse(stdout);
  assert.ok(Math.abs(json.rel_rmse / 0.0919 - 1) < 0.03);
  assert.ok(Math.abs(json.snr_db + 20 * Math.log10(json.rel_rmse)) < 1e-9);
  assert.ok(json.cosine > 0.99 && json.cosine < 1);
  assert.equal(json.histogram.counts.length, 41);
});

test('CLI quant --json has bits_per_weight and weights.bytes; bad flags exit 2', async () => {
  const args = ['quant', '--format', 'int4', '--group', '128', '--scale-dtype', 'fp16', '--json',
    '--embedding-params', String(llama2.embedding), '--attention-params', String(llama2.attention),
    '--ffn-params', String(llama2.ffn), '--norms-params', String(llama2.norms), '--lm-head-params', String(llama2.lm_head)];
  const { stdout } = await run('node', [cli, ...args]);
  const json = JSON.parse(stdout);
  assert.equal(json.bits_per_weight, 4.125);
  // norms stay fp32 by default; everything else int4 g128 with fp16 scales
  assert.ok(Math.abs(json.weights.bytes - ((6738415616 - llama2.norms) * 4.125 / 8 + llama2.norms * 4)) < 1);
  await assert.rejects(run('node', [cli, 'quant-lab', '--format', 'int3']), (error) => error.code === 2 && /format/.test(error.stderr));
  await assert.rejects(run('node', [cli, 'quant-lab', '--scale-dtype', 'fp64']), (error) => error.code === 2);
});

test('CLI quant --preset resolves through the model area', async () => {
  const { stdout } = await run('node', [cli, 'quant', '--preset', 'llama-2-7b', '--format', 'q4_0', '--json']);
  const json = JSON.parse(stdout);
  assert.equal(json.weights.params, 6738415616);
  // everything Q4_0 (4.5 bits) except the fp32 norms (266,240 by hand)
  assert.ok(Math.abs(json.weights.bytes - ((6738415616 - 266240) * 4.5 / 8 + 266240 * 4)) < 1);
  assert.equal(json.bits.status, undefined);
  await assert.rejects(run('node', [cli, 'quant', '--preset', 'nope']), (error) => error.code === 2 && /preset/.test(error.stderr));
});
