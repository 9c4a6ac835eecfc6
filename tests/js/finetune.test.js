// Fine-tuning (LoRA, QLoRA) through the JS API and the CLI, on the built WASM module.
// Expected counts are PEFT's printed ones (sources in tests/cpp/test_finetune.cpp) or derived by hand here.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { assertInputError, cli, cliJson } from './helpers.js';

const api = await loadLlmSpacetime();

test('trainingMemory: LoRA r = 8 on q and v of Llama-2-7B trains 4,194,304 parameters (PEFT); parts sum to the total', () => {
  const r = api.trainingMemory({ model: 'llama-2-7b', method: 'lora', lora_rank: 8, lora_targets: 'q_proj,v_proj', sequence: 4096 });
  assert.equal(r.trainable_params, 32 * 8 * 16384);
  assert.equal(r.params + r.trainable_params, 6742609920);
  assert.equal(r.base_weights_bytes, 2 * 6738415616);
  assert.equal(r.adapter_weights_bytes, 4 * 4194304);
  assert.equal(r.optimizer_bytes, 8 * 4194304);
  assert.deepEqual(r.parts.map((part) => part.id),
    ['base_weights', 'adapter_weights', 'adapter_gradients', 'optimizer', 'activations', 'adapter_activations', 'logits_loss']);
  const sum = r.parts.reduce((total, part) => total + part.bytes, 0);
  assert.ok(Math.abs(sum - r.total_bytes) / r.total_bytes < 1e-12);
  // Full fine-tuning: every parameter trains; its parts are the states, activations and loss.
  const full = api.trainingMemory({ model: 'llama-2-7b', sequence: 4096 });
  assert.equal(full.method, 'full');
  assert.equal(full.trainable_params, full.params);
  assert.deepEqual(full.parts.map((part) => part.id), ['weights', 'gradients', 'optimizer', 'activations', 'logits_loss']);
});

test('trainingMemory: QLoRA stores the base at 4 + 8/64 + 32/(256·64) bits and dequantizes one matrix', () => {
  const r = api.trainingMemory({ model: 'llama-2-7b', method: 'qlora', lora_rank: 64, lora_targets: 'all-linear' });
  assert.ok(Math.abs(r.base_bits_per_weight - (4 + 8 / 64 + 32 / (256 * 64))) < 1e-12);
  assert.equal(r.dequantized_bytes, 2 * 4096 * 11008);
  assert.equal(r.trainable_params, 159907840);
  const paged = api.trainingMemory({ model: 'llama-2-7b', method: 'qlora', lora_rank: 64, lora_targets: 'all-linear', paged_optimizer: true });
  assert.equal(paged.offloaded_bytes, 8 * 159907840);
  assert.ok(Math.abs(paged.total_bytes - (r.total_bytes - paged.offloaded_bytes)) < 1);
});

test('trainingFit: Llama-2-7B full fine-tuning does not fit an H100; QLoRA fits a 24 GB card with a largest batch', () => {
  const full = api.trainingFit({ model: 'llama-2-7b', hardware: 'h100-sxm' });
  assert.equal(full.fits, false);
  assert.equal(full.max_batch, 0);
  const qlora = api.trainingFit({ model: 'llama-2-7b', method: 'qlora', checkpointing: 'full', sequence: 2048, hardware: 'rtx-4090' });
  assert.equal(qlora.fits, true);
  assert.equal(qlora.capacity_bytes, 24 * 2 ** 30);
  const at = (batch) => api.trainingMemory({ model: 'llama-2-7b', method: 'qlora', checkpointing: 'full', sequence: 2048, batch }).total_bytes;
  assert.ok(at(qlora.max_batch) <= qlora.capacity_bytes);
  assert.ok(at(qlora.max_batch + 1) > qlora.capacity_bytes);
  // A custom device: the same spec with less memory.
  const small = api.trainingFit({ model: 'llama-2-7b', method: 'qlora', checkpointing: 'full', sequence: 2048,
    hardware: { base: 'rtx-4090', memory_bytes: 8 * 2 ** 30 } });
  assert.ok(small.max_batch < qlora.max_batch);
});

test('fine-tuning inputs: a bad method, rank, target or precision is an InputError naming the field', () => {
  assertInputError(() => api.trainingMemory({ model: 'llama-2-7b', method: 'dora' }), 'method', /full, lora, qlora/);
  assertInputError(() => api.trainingMemory({ model: 'llama-2-7b', method: 'lora', lora_rank: 0 }), 'lora_rank');
  assertInputError(() => api.trainingMemory({ model: 'llama-2-7b', method: 'lora', lora_targets: 'qkv' }), 'lora_targets', /qkv/);
  assertInputError(() => api.trainingMemory({ model: 'llama-2-7b', method: 'lora', adapter_dtype: 'fp16' }), 'adapter_dtype');
  assertInputError(() => api.trainingMemory({ model: 'llama-2-7b', lora_rank: 'eight' }), 'lora_rank');
  assertInputError(() => api.trainingFit({ model: 'llama-2-7b' }), 'hardware');
  assertInputError(() => api.trainingFit({ model: 'llama-2-7b', hardware: 'tpu-v9' }), 'hardware');
});

test('CLI training --method lora: trainable_params, memory.total_bytes and memory.by_part; fits and max_batch with --hardware', () => {
  const json = cliJson('training', '--preset', 'llama-2-7b', '--method', 'lora', '--lora-rank', '8', '--lora-targets', 'q,v',
    '--recompute', 'full', '--sequence', '4096', '--hardware', 'h100-sxm');
  assert.equal(json.trainable_params, 4194304);
  assert.equal(json.method, 'lora');
  assert.equal(json.memory.checkpointing, 'full');
  const sum = Object.values(json.memory.by_part).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - json.memory.total_bytes) / json.memory.total_bytes < 1e-12);
  assert.equal(json.memory.by_part.base_weights, 2 * 6738415616);
  assert.equal(json.memory.total_bytes, json.results[0].total_bytes);
  assert.equal(json.fits, true);
  assert.ok(json.max_batch >= 1);
  assert.ok(json.max_sequence >= 4096);
  assert.equal(json.fine_tuning.lora_rank, 8);
  // The fields every training result had stay, and settings keeps its keys.
  for (const key of ['params', 'weights_bytes', 'gradients_bytes', 'optimizer_bytes', 'activation_bytes', 'loss_bytes', 'total_bytes', 'layers']) {
    assert.ok(key in json.results[0], key);
  }
  assert.ok(!('method' in json.settings));
  // No --hardware: no fit fields.
  const plain = cliJson('training', '--preset', 'llama-2-7b', '--method', 'qlora', '--recompute', 'full');
  assert.ok(!('fits' in plain));
  assert.equal(plain.memory.by_part.dequantized, 2 * 4096 * 11008);
});

test('CLI training: the QLoRA paper setting for a 65B model stays under 48 GB with the paged optimizer', () => {
  // LLaMA-65B's shape; qlora.py's finetune_guanaco_65b.sh settings (see tests/cpp/test_finetune.cpp).
  const json = cliJson('training', '--d-model', '8192', '--layers', '80', '--heads', '64', '--d-ff', '22016', '--vocab', '32000',
    '--method', 'qlora', '--lora-rank', '64', '--lora-targets', 'all-linear', '--lora-dropout', '--adapter-dtype', 'bf16',
    '--paged-optimizer', '--recompute', 'full', '--unfused', '--batch', '4', '--sequence', '528', '--hardware', 'l40s');
  assert.equal(json.trainable_params, 80 * 64 * 156160);
  assert.ok(json.memory.total_bytes < 48e9, String(json.memory.total_bytes));
  assert.equal(json.memory.offloaded_bytes, 8 * 80 * 64 * 156160);
  assert.equal(json.fits, true);
});

test('CLI training: bad fine-tuning flags are named', () => {
  const method = cli('training', '--preset', 'llama-2-7b', '--method', 'dora');
  assert.equal(method.code, 2);
  assert.match(method.stderr, /--method/);
  const targets = cli('training', '--preset', 'llama-2-7b', '--method', 'lora', '--lora-targets', 'qkv');
  assert.equal(targets.code, 2);
  assert.match(targets.stderr, /--lora-targets/);
  const rank = cli('training', '--preset', 'llama-2-7b', '--method', 'lora', '--lora-rank', '0');
  assert.equal(rank.code, 2);
  assert.match(rank.stderr, /--lora-rank/);
});
