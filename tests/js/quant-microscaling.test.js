// MXFP4, NVFP4 and FP8 block through the JS API and the CLI, on the built WASM module.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { loadLlmSpacetime } from '../../lib/node.js';

const api = await loadLlmSpacetime();
const run = promisify(execFile);
const cli = new URL('../../cli/llm-spacetime.js', import.meta.url).pathname;

// Relative RMSE on N(0,1) of an independent model (tests/cpp/microscaling_reference.py:
// Python doubles, random.gauss, 2^18 values); the lab's tensor is another sample.
const reference = { mxfp4: 0.1151, nvfp4: 0.0953, fp8_block: 0.0265 };
const near = (value, expected, tolerance = 0.03) => Math.abs(value / expected - 1) < tolerance;

test('quantBitsPerWeight: the block bytes by hand', () => {
  // MXFP4: 1 E8M0 byte + 32 nibbles = 17 bytes per 32; NVFP4: 1 E4M3 byte + 16 nibbles = 9 bytes per 16;
  // FP8 block: one fp32 per 128 × 128 weights.
  assert.equal(api.quantBitsPerWeight({ format: 'mxfp4' }).bits_per_weight, 4 + 8 / 32);
  assert.equal(api.quantBitsPerWeight({ format: 'nvfp4' }).bits_per_weight, 4 + 8 / 16);
  assert.equal(api.quantBitsPerWeight({ format: 'fp8_block' }).bits_per_weight, 8 + 32 / (128 * 128));
  // layout, group and scale dtype do not apply to fixed blocks
  assert.equal(api.quantBitsPerWeight({ format: 'mxfp4', group_size: 7, layout: 'channel' }).bits_per_weight, 4.25);
  const byId = Object.fromEntries(api.quantFormats().map((format) => [format.id, format]));
  assert.equal(byId.mxfp4.family, 'microscaling');
  assert.equal(byId.nvfp4.family, 'microscaling');
  assert.equal(byId.fp8_block.family, 'block_fp8');
  assert.deepEqual([byId.mxfp4.block_size, byId.mxfp4.block_bytes], [32, 17]);
  assert.deepEqual([byId.nvfp4.block_size, byId.nvfp4.block_bytes], [16, 9]);
  assert.deepEqual([byId.fp8_block.block_size, byId.fp8_block.block_bytes], [16384, 16388]);
  for (const id of ['mxfp4', 'nvfp4', 'fp8_block']) {
    assert.equal(byId[id].measured, true);
    assert.ok(byId[id].source.length > 20);
  }
  assert.match(byId.mxfp4.source, /OCP/);
  assert.match(byId.nvfp4.source, /NVIDIA/);
  assert.match(byId.fp8_block.source, /DeepSeek-V3/);
});

test('quantLab measures the three formats in WASM: error, SIMD = scalar, non-finite inputs', () => {
  const results = {};
  for (const format of Object.keys(reference)) {
    const result = api.quantLab({ format, n: 1 << 20, seed: 1 });
    results[format] = result;
    assert.ok(near(result.rel_rmse, reference[format]), `${format}: ${result.rel_rmse} vs ${reference[format]}`);
    assert.ok(Math.abs(result.snr_db + 20 * Math.log10(result.rel_rmse)) < 1e-9);
  }
  assert.equal(results.mxfp4.group_size, 32);
  assert.equal(results.nvfp4.group_size, 16);
  assert.equal(results.fp8_block.group_size, 128 * 128);
  assert.equal(results.mxfp4.kernel, 'simd');
  assert.equal(results.fp8_block.kernel, 'scalar');
  assert.ok(results.nvfp4.rel_rmse < results.mxfp4.rel_rmse);
  for (const format of ['mxfp4', 'nvfp4']) {
    const simd = api.quantLab({ format, n: 100003, simd: true });
    const scalar = api.quantLab({ format, n: 100003, simd: false });
    assert.equal(scalar.kernel, 'scalar');
    assert.equal(simd.rel_rmse, scalar.rel_rmse, format);
    assert.equal(simd.max_abs_error, scalar.max_abs_error, format);
  }
  for (const format of Object.keys(reference)) {
    const odd = api.quantLab({ format, n: 77, channel_size: 10, inject_nonfinite: true });
    assert.equal(odd.nonfinite_inputs, 3);
    assert.ok(Number.isFinite(odd.rel_rmse));
    assert.match(odd.nonfinite_behaviour, /NaN/);
  }
});

test('CLI quant-lab --format mxfp4 --json keeps the stable fields', async () => {
  const { stdout } = await run('node', [cli, 'quant-lab', '--format', 'mxfp4', '--n', '1048576', '--seed', '1', '--json']);
  const json = JSON.parse(stdout);
  for (const field of ['format', 'dist', 'n', 'group_size', 'bits_per_weight', 'rel_rmse', 'snr_db', 'cosine', 'rmse',
    'max_abs_error', 'mean_abs_error', 'nonfinite_inputs', 'nonfinite_behaviour', 'quantize_s', 'bytes_needed', 'kernel', 'histogram']) {
    assert.ok(field in json, field);
  }
  assert.equal(json.format, 'mxfp4');
  assert.equal(json.bits_per_weight, 4.25);
  assert.equal(json.group_size, 32);
  assert.ok(near(json.rel_rmse, reference.mxfp4), `${json.rel_rmse}`);
  // x and x̂ as floats plus 17 bytes per block of 32
  assert.equal(json.bytes_needed, 1048576 * 8 + (1048576 / 32) * 17);
});

test('CLI quant --format nvfp4 sizes a model at 4.5 bits, norms fp32', async () => {
  const params = { embedding: 32000 * 4096, attention: 32 * 4 * 4096 ** 2, ffn: 32 * 3 * 4096 * 11008, norms: 32 * 2 * 4096 + 4096, lm_head: 32000 * 4096 };
  const args = ['quant', '--format', 'nvfp4', '--json', '--embedding-params', String(params.embedding),
    '--attention-params', String(params.attention), '--ffn-params', String(params.ffn),
    '--norms-params', String(params.norms), '--lm-head-params', String(params.lm_head)];
  const { stdout } = await run('node', [cli, ...args]);
  const json = JSON.parse(stdout);
  assert.equal(json.format, 'nvfp4');
  assert.equal(json.bits_per_weight, 4.5);
  assert.equal(json.bits.weights_per_scale, 16);
  assert.match(json.bits.formula, /per tensor/);
  const total = params.embedding + params.attention + params.ffn + params.norms + params.lm_head;
  assert.ok(Math.abs(json.weights.bytes - ((total - params.norms) * 4.5 / 8 + params.norms * 4)) < 1);
  const block = await run('node', [cli, 'quant', '--format', 'fp8_block', '--attention-params', String(16384 * 1000), '--json']);
  assert.equal(JSON.parse(block.stdout).weights.bytes, 1000 * (16384 + 4));
});
