// The roofline area through the JS API and the CLI, on the built WASM module.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { assertInputError, cli, cliJson } from './helpers.js';

const api = await loadLlmSpacetime();

test('hardware presets carry their ids, sources, and capacity in GB and GiB', () => {
  const presets = api.hardwarePresets();
  const ids = presets.map((row) => row.id);
  for (const id of ['a100-40gb', 'a100-80gb', 'h100-sxm', 'h100-pcie', 'h200', 'b200', 'l4', 'l40s', 'rtx-4090',
    'rtx-3090', 'mi300x', 'tpu-v4', 'tpu-v5e', 'm2-ultra', 'ddr5-desktop']) assert.ok(ids.includes(id), id);
  for (const row of presets) assert.ok(row.source.length > 20, row.id);
  const h100 = presets.find((row) => row.id === 'h100-sxm');
  assert.equal(h100.memory_gib, 80);
  assert.equal(h100.memory_gb, 80 * 2 ** 30 / 1e9);
});

test('plan: Llama-2-70B fp16 batch 1 on H100 SXM is ~3.35e12 / 137.95e9 = 24.3 tokens/s', () => {
  const plan = api.plan({ model: 'llama-2-70b', hardware: 'h100-sxm', context: 1 });
  assert.equal(plan.total_params, 68976648192);
  assert.ok(Math.abs(plan.decode.tokens_per_s - 3.35e12 / 137.95e9) / 24.28 < 0.005, String(plan.decode.tokens_per_s));
  assert.ok(Math.abs(plan.ridge_flops_per_byte - 989.4 / 3.35) < 1e-9);
  assert.equal(plan.fits, false);
  assert.equal(plan.min_gpus, 2);
});

test('plan: the batch curve marks the memory limit and throughput grows until it', () => {
  const plan = api.plan({ model: 'llama-2-70b', hardware: 'h100-sxm', gpus: 4, context: 4096 });
  // 4 x 80 GiB - 137.95e9 B of weights, over KV of 4096 tokens x 327,680 B per token (split 4 ways by heads).
  const expected = Math.floor((4 * 80 * 2 ** 30 - 68976648192 * 2) / (4096 * 327680));
  assert.equal(plan.max_batch, expected);
  const fitting = plan.curve.filter((point) => point.fits);
  assert.ok(fitting.length >= 3);
  for (let i = 1; i < fitting.length; i++) assert.ok(fitting[i].total_tokens_per_s >= fitting[i - 1].total_tokens_per_s);
  assert.ok(plan.curve.some((point) => !point.fits));
});

test('roofline: more batch moves every decode GEMM right', () => {
  const one = api.roofline({ model: 'llama-2-7b', batch: 1 });
  const many = api.roofline({ model: 'llama-2-7b', batch: 32 });
  const q = (result) => result.operators.find((op) => op.phase === 'decode' && op.name === 'q_proj');
  assert.ok(q(many).intensity > 20 * q(one).intensity);
  assert.equal(one.operators.filter((op) => op.phase === 'prefill').length, one.operators.filter((op) => op.phase === 'decode').length);
});

test('custom hardware and bad input name the field', () => {
  const faster = api.plan({ hardware: { base: 'h100-sxm', memory_gb_per_s: 6700 }, context: 1 });
  const base = api.plan({ hardware: 'h100-sxm', context: 1 });
  assert.ok(faster.decode.step_s < base.decode.step_s);
  assertInputError(() => api.plan({ hardware: { base: 'h100-sxm', memory_gb_per_s: 0 } }), 'hardware.memory_gb_per_s', /must be greater than 0/);
  assertInputError(() => api.plan({ hardware: { base: 'h100-sxm', memory_gb_per_s: NaN } }), 'hardware.memory_gb_per_s', /NaN/);
  assertInputError(() => api.plan({ hardware: 'h100' }), 'hardware', /not known/);
  assertInputError(() => api.plan({ batch: '8' }), 'batch', /must be a number/);
  assertInputError(() => api.plan({ batch: -1 }), 'batch', /at least 1/);
  assertInputError(() => api.plan({ turbo: true }), 'turbo', /unknown/);
  assertInputError(() => api.plan({ model: { n_kv_heads: 5 } }), 'n_kv_heads', /must divide/);
});

test('training memory and calibration', () => {
  const training = api.trainingMemory({ model: 'llama-2-7b', sequence: 4096, checkpointing: 'full' });
  assert.equal(training.weights_bytes + training.gradients_bytes + training.optimizer_bytes, 16 * 6738415616);
  assertInputError(() => api.trainingMemory({ checkpointing: 'half' }), 'checkpointing', /must be one of/);
  const points = api.calibration();
  assert.ok(points.length >= 4);
  for (const point of points) assert.ok(point.ratio > 0 && point.ratio <= 1, point.id);
});

test('trainingMemory: Korthikanti eq. 1 per layer, ZeRO-3 sharding and fp32 logits through the JS API', () => {
  // GPT-3 175B's layer (a = 96, h = 12288, 4h GELU MLP), s = 2048, b = 1, dropout, unfused attention:
  // sbh(34 + 5as/h) = 34 sbh + 5 a s^2 b bytes.
  const gpt3 = { d_model: 12288, n_layers: 96, n_heads: 96, n_kv_heads: 96, d_ff: 49152, ffn: 'plain', norm: 'layer', vocab_size: 51200 };
  const sbh = 2048 * 12288;
  const r = api.trainingMemory({ model: gpt3, sequence: 2048, dropout: true, fused_attention: false });
  assert.equal(r.activation_per_layer_bytes, 34 * sbh + 5 * 96 * 2048 * 2048);
  assert.equal(r.selective_per_layer_bytes, 34 * sbh);
  assert.equal(r.layers.length, 1);
  assert.equal(r.layers[0].ffn_hidden_bytes, 16 * sbh);
  assert.equal(r.logits_bytes, 4 * 2048 * 51200);
  // Tensor + sequence parallel with selective recomputation: 34 sbh / t per layer.
  const sp = api.trainingMemory({ model: gpt3, sequence: 2048, dropout: true, fused_attention: false, tensor_parallel: 8,
    sequence_parallel: true, checkpointing: 'selective' });
  assert.equal(sp.activation_bytes, 96 * 34 * sbh / 8);
  // ZeRO-3 over 64 replicas: (2 + 2 + 12) / 64 bytes per parameter on each device.
  const zero = api.trainingMemory({ model: 'llama-2-7b', zero_stage: 3, data_parallel: 64 });
  assert.equal(zero.weights_bytes + zero.gradients_bytes + zero.optimizer_bytes, 16 * 6738415616 / 64);
  assert.equal(api.trainingMemory({ model: 'llama-2-7b', fp32_gradients: true }).bytes_per_param, 18);
  assert.equal(api.defaultTrainingInput().vocab_chunks, 1);
  assertInputError(() => api.trainingMemory({ zero_stage: 4 }), 'zero_stage', /too large/);
  assertInputError(() => api.trainingMemory({ tensor_paralel: 2 }), 'tensor_paralel', /unknown|not a/);
});

test('CLI training: every new flag reaches the core; JSON fields are snake_case', () => {
  const base = ['training', '--d-model', '12288', '--layers', '96', '--heads', '96', '--d-ff', '49152', '--ffn', 'plain',
    '--vocab', '51200', '--sequence', '2048', '--batch', '1'];
  const json = cliJson(...base, '--dropout', '--unfused', '--recompute', 'selective', '--tp', '8', '--sp', '--pp', '8',
    '--zero', '1', '--dp', '64', '--fp32-grads', '--fused-swiglu', '--vocab-chunks', '4');
  assert.deepEqual(json.settings, {
    batch: 1, sequence: 2048, fused_attention: false, dropout: true, fused_swiglu: true, vocab_chunks: 4, zero_stage: 1,
    data_parallel: 64, tensor_parallel: 8, pipeline_parallel: 8, sequence_parallel: true, fp32_gradients: true,
  });
  assert.equal(json.results.length, 1);
  const r = json.results[0];
  assert.equal(r.checkpointing, 'selective');
  const sbh = 2048 * 12288;
  assert.equal(r.selective_per_layer_bytes, 34 * sbh / 8);
  assert.equal(r.activation_bytes, 96 * 34 * sbh / 8);  // the first of 8 stages: 8 micro-batches x 12 layers
  assert.equal(r.bytes_per_param, 18);
  assert.equal(r.loss_bytes, 2 * 4 * 2048 * 51200 / 8 / 4);
  for (const field of ['params_per_device', 'embedding_activation_bytes', 'head_activation_bytes', 'logits_bytes',
    'first_stage_bytes', 'last_stage_bytes', 'layers']) assert.ok(field in r, field);
  const text = cli(...base, '--tp', '8', '--sp').stdout;
  assert.match(text, /t = 8 with sequence parallelism, p = 1, N_d = 1, ZeRO-0/);
  assert.match(text, /^selective /m);
  const bad = cli(...base, '--zero', '4');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--zero = 4 is too large \(limit 3\)/);
  assert.match(cli(...base, '--pp', '97').stderr, /--pp = 97 is too large \(limit 96\)/);
  assert.match(cli(...base, '--recompute', 'half').stderr, /--recompute = "half" must be one of none, selective, full, sqrt/);
});

test('measureMachine measures, and refuses arrays over its budget before allocating', () => {
  const result = api.measureMachine({ bytes: 2 ** 22, repeats: 2, min_seconds: 0.005 });
  assert.ok(result.simd.bandwidth_bytes_per_s > 1e8);
  assert.ok(result.simd.flops_per_s > 1e8);
  assert.equal(result.simd_lanes, 4);
  assertInputError(() => api.measureMachine({ bytes: 2 ** 32 }), 'bytes', /4294967296/);
});

const timingKeys = ['runs', 'median_s', 'q1_s', 'q3_s', 'min_s', 'max_s'];
const assertTiming = (t, runs, label) => {
  assert.deepEqual(Object.keys(t).sort(), [...timingKeys].sort(), label);
  assert.equal(t.runs, runs, label);
  assert.ok(t.min_s > 0 && t.min_s <= t.q1_s && t.q1_s <= t.median_s && t.median_s <= t.q3_s && t.q3_s <= t.max_s, label);
};

test('measureCacheSweep: every size with its timing spread, ceilings as best of the blocks, plateaus over the points', () => {
  const sweep = api.measureCacheSweep({ min_bytes: 16384, max_bytes: 4 * 2 ** 20, points_per_octave: 1, repeats: 5, min_block_seconds: 0.001 });
  assert.deepEqual(sweep.points.map((p) => p.bytes), [16, 32, 64, 128, 256, 512, 1024, 2048, 4096].map((k) => k * 1024));
  for (const p of sweep.points) {
    // 5 blocks, or (a set timed chunk by chunk) at least 5 chunks.
    assertTiming(p.simd_time, p.simd_passes >= 1 ? 5 : p.simd_time.runs, `${p.bytes}`);
    assert.ok(p.simd_time.runs >= 5);
    // The ceiling is the fastest block; the median rate is at most that.
    assert.ok(Math.abs(p.simd_bytes_per_s - p.bytes * p.simd_passes / p.simd_time.min_s) <= 1e-6 * p.simd_bytes_per_s);
    assert.ok(p.simd_median_bytes_per_s <= p.simd_bytes_per_s && p.scalar_median_bytes_per_s <= p.scalar_bytes_per_s);
  }
  for (const plateau of sweep.plateaus) {
    assert.match(plateau.level, /^(L[12]|L3[a-z]?|LLC|DRAM)$/);
    assert.ok(plateau.bytes_from <= plateau.bytes_to && plateau.points >= 3);
  }
  assert.equal(sweep.simd_lanes, 4);
  // The ceiling of a working set: the curve at that size, between its neighbours on log axes.
  const [a, b] = sweep.points;
  const mid = api.sweepCeiling(sweep, Math.sqrt(a.bytes * b.bytes));
  assert.ok(Math.abs(mid - Math.sqrt(a.simd_bytes_per_s * b.simd_bytes_per_s)) < 1e-6 * mid);
  assert.equal(api.sweepCeiling(sweep, 1), a.simd_bytes_per_s);
  assert.equal(api.sweepCeiling(sweep, 2 ** 40, 'scalar'), sweep.points.at(-1).scalar_bytes_per_s);
  assertInputError(() => api.sweepCeiling(sweep, -1), 'bytes', /-1/);
});

test('measureCacheSweep and measureMachine refuse over-large work by field before measuring', () => {
  assertInputError(() => api.measureCacheSweep({ max_bytes: 2 ** 31 }), 'max_bytes', /1073741824/);
  assertInputError(() => api.measureCacheSweep({ repeats: 1000 }), 'repeats', /1000/);
  assertInputError(() => api.measureCacheSweep({ points_per_octave: 100 }), 'points_per_octave', /100/);
  assertInputError(() => api.measureCacheSweep({ min_bytes: 2 ** 20, max_bytes: 2 ** 16 }), 'min_bytes', /larger than max_bytes/);
  assertInputError(() => api.measureMachine({ repeats: 1000 }), 'repeats', /1000/);
  assertInputError(() => api.measureMachine({ min_seconds: 10 }), 'min_seconds', /10/);
  assertInputError(() => api.checkCacheSweepInput({ max_bytes: 2 ** 31 }), 'max_bytes', /1073741824/);
});

test('CLI machine --json: probe with timing spread, peak GFLOP/s, plateaus and the sweep points', () => {
  const json = cliJson('machine', '--bytes', '1M', '--repeats', '3', '--sweep-max', '1M', '--points-per-octave', '1', '--sweep-repeats', '5');
  // The fields it always had:
  for (const kind of ['simd', 'scalar']) {
    for (const field of ['bandwidth_bytes_per_s', 'flops_per_s', 'ridge_flops_per_byte', 'checksum']) assert.ok(field in json[kind], field);
    assertTiming(json[kind].stream_time, 3, `${kind} stream`);
    assertTiming(json[kind].flops_time, 3, `${kind} flops`);
    assert.ok(Math.abs(json[kind].bandwidth_bytes_per_s - json.bytes / json[kind].stream_time.min_s) < 1e-6 * json[kind].bandwidth_bytes_per_s);
  }
  assert.equal(json.bytes, 2 ** 20);
  assert.equal(json.peak_gflop_per_s.simd, json.simd.flops_per_s / 1e9);
  assert.equal(json.sweep.points.length, 7);  // 16 KiB … 1 MiB, one per octave
  assert.equal(json.sweep.input.max_bytes, 2 ** 20);
  for (const p of json.sweep.points) assertTiming(p.scalar_time, p.scalar_time.runs, String(p.bytes));
  assert.ok(Array.isArray(json.plateaus));
  for (const p of json.plateaus) {
    for (const field of ['level', 'bytes_from', 'bytes_to', 'simd_gb_per_s', 'scalar_gb_per_s']) assert.ok(field in p, field);
  }
});

test('CLI machine refuses over-large sweeps and repeats by flag, before measuring anything', () => {
  const started = Date.now();
  for (const [args, pattern] of [
    [['--bytes', '1M', '--repeats', '30'], /--repeats = 30 is too large \(limit 21\)/],
    [['--sweep-max', '2G'], /--sweep-max = 2G needs 2147483648 bytes .*limit is 1073741824/],
    [['--sweep-repeats', '100'], /--sweep-repeats = 100 is too large \(limit 21\)/],
    [['--points-per-octave', '0.5'], /--points-per-octave = 0.5/],
    [['--no-sweep', '--sweep-max', '1M'], /--sweep-max = 1M sets the sweep, and --no-sweep skips it/],
  ]) {
    const run = cli('machine', ...args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, pattern);
  }
  assert.ok(Date.now() - started < 20000, 'refusals measure nothing');
});

test('CLI plan --json has the documented fields', () => {
  const json = cliJson('plan', '--preset', 'llama-2-70b', '--hardware', 'h100-sxm', '--weights', 'fp16', '--kv-dtype', 'fp16',
    '--batch', '1', '--context', '1', '--gpus', '2');
  for (const field of ['ridge_flops_per_byte', 'fits', 'max_batch']) assert.ok(field in json, field);
  assert.ok(json.decode.tokens_per_s > 0 && json.decode.step_s > 0 && json.prefill.ttft_s > 0);
  assert.equal(json.fits, true);
  // Two GPUs: half the weights each, plus 2 x 80 layers of all-reduce.
  assert.ok(json.decode.tokens_per_s > 40 && json.decode.tokens_per_s < 2 * 24.4);
  assert.equal(json.hardware, 'h100-sxm');
});

test('plan sizes weights in any quant format, as the Quantization panel does', () => {
  // Llama-3-70B: 70,553,706,496 parameters (published); Q4_K stores 144 B per 256 weights
  // (ggml-common.h). The norms, 80 x 2 x 8192 + 8192 = 1,318,912 weights, stay at 2 bytes.
  const norms = 80 * 2 * 8192 + 8192;
  const rest = 70553706496 - norms;
  const json = cliJson('plan', '--preset', 'llama-3-70b', '--weights', 'q4_k', '--gpus', '2', '--context', '32768');
  assert.equal(json.weight_bytes, rest * 144 / 256 + norms * 2);
  assert.equal(json.bytes_per_weight, 144 / 256);
  assert.equal(api.plan({ model: 'llama-3-70b', weights_dtype: 'q8_0' }).weight_bytes, rest * 34 / 32 + norms * 2);
  // int4 = GPTQ/AWQ groups of 128 with an fp16 scale: 4.125 bits, the Quantization panel's int4 bytes.
  const int4 = api.plan({ model: 'llama-3-70b', weights_dtype: 'int4' }).weight_bytes;
  assert.equal(int4, rest * 4.125 / 8 + norms * 2);
  const panel = api.quantSize({ config: api.modelPreset('llama-3-70b').config, format: 'int4', group_size: 128,
    scale_dtype: 'fp16', norms_format: 'bf16' });
  assert.equal(panel.bytes, int4);
  // NF4 in blocks of 64 with double-quantized scales (QLoRA): plan --weights nf4 --group 64.
  const nf4 = cliJson('plan', '--preset', 'llama-3-70b', '--weights', 'nf4', '--group', '64');
  assert.ok(Math.abs(nf4.weight_bytes - (rest * (4 + 8 / 64 + 32 / (256 * 64)) / 8 + norms * 2)) < 1);
  assertInputError(() => api.plan({ model: 'llama-3-70b', weights_dtype: 'int5' }), 'weights_dtype', /q4_k/);
  const refused = cli('plan', '--weights', 'int5');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /q4_k/);
});

test('CLI errors exit 2 naming the flag; hardware and roofline list', () => {
  const bad = cli('plan', '--bandwidth-gbs', '0', '--json');
  assert.equal(bad.code, 2);
  assert.equal(JSON.parse(bad.stdout).error.field, 'hardware.memory_gb_per_s');
  assert.match(bad.stderr, /--bandwidth-gbs/);
  const unknown = cli('plan', '--hardware', 'h100');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--hardware = "h100" must be one of/);
  const listed = cliJson('hardware');
  assert.equal(listed.length, api.hardwarePresets().length);
  assert.ok(listed.length >= 30);
  assert.match(cli('hardware').stdout, /TDP W +\$\/h/);
  const roofline = cliJson('roofline', '--preset', 'llama-2-7b', '--batch', '4');
  assert.ok(roofline.operators.some((op) => op.name === 'lm_head'));
  assert.match(cli('plan', '--preset', 'llama-2-7b').stdout, /tokens\/s per sequence/);
  const machine = cliJson('machine', '--bytes', '1M', '--repeats', '2', '--no-sweep');
  assert.ok(machine.simd.bandwidth_bytes_per_s > 0 && machine.scalar.flops_per_s > 0);
  const training = cliJson('training', '--preset', 'llama-2-7b', '--sequence', '4096');
  assert.deepEqual(training.results.map((r) => r.checkpointing), ['none', 'selective', 'full', 'sqrt']);
  assert.equal(training.results[0].optimizer_bytes, 12 * 6738415616);
  assert.match(cli('training', '--sequence', '0').stderr, /--sequence = 0 must be at least 1/);
  const refused = cli('machine', '--bytes', '2G');
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /limit is 1073741824/);
});
