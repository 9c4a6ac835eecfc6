// Explain views over the built WASM module: each explanation's value is the
// area function's figure, its TeX parses in KaTeX, and bad input is refused
// with the area's InputError. Hand derivations are written beside the numbers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import katex from 'katex';

import { InputError } from '../../lib/api.js';
import { findExplanation } from '../../lib/explain.js';
import { loadLlmSpacetime } from '../../lib/node.js';

const api = await loadLlmSpacetime();
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function cli(...args) {
  const result = spawnSync(process.execPath, [join(root, 'cli', 'llm-spacetime.js'), ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

function get(list, id) {
  const found = findExplanation(list, id);
  assert.ok(found, `explanation ${id} missing (have ${list.map((e) => e.id).join(', ')})`);
  return found;
}

// Every explanation is complete, its TeX parses (KaTeX throws on bad TeX),
// and the substitution ends with the figure.
function assertWellFormed(list) {
  assert.ok(list.length > 0);
  for (const e of list) {
    for (const field of ['id', 'title', 'formula_tex', 'substituted_tex', 'unit', 'note']) {
      assert.equal(typeof e[field], 'string', `${e.id}.${field}`);
    }
    assert.ok(Array.isArray(e.terms) && e.terms.length > 0, e.id);
    assert.ok(Array.isArray(e.sources) && e.sources.length > 0, e.id);
    for (const tex of [e.formula_tex, e.substituted_tex]) {
      assert.doesNotThrow(() => katex.renderToString(tex, { throwOnError: true, displayMode: true }), `${e.id}: ${tex}`);
    }
    for (const term of e.terms) {
      assert.doesNotThrow(() => katex.renderToString(term.symbol, { throwOnError: true }), `${e.id} term ${term.symbol}`);
    }
  }
}

function assertInputError(fn, field) {
  assert.throws(fn, (error) => error instanceof InputError && error.field === field);
}

test('explainModel: values are modelReport figures, numbers plugged in', () => {
  const config = api.modelPreset('llama-2-7b').config;
  const report = api.modelReport(config, { context_tokens: 4096 });
  const list = api.explainModel(config, { context_tokens: 4096 });
  assertWellFormed(list);
  assert.equal(get(list, 'params.total').value, report.params.total);
  assert.equal(get(list, 'params.attention').value, report.params.attention);
  assert.equal(get(list, 'params.ffn').value, report.params.ffn);
  assert.equal(get(list, 'params.lm_head').value, report.params.lm_head);
  for (const row of report.weights_memory) assert.equal(get(list, `weights.${row.dtype}`).value, row.bytes);
  assert.equal(get(list, 'flops.decode').value, report.flops.decode_per_token);
  assert.equal(get(list, 'flops.prefill').value, report.flops.prefill);
  assert.equal(get(list, 'flops.crossover').value, report.crossover_context_tokens);
  // Published total 6,738,415,616; crossover (8,657,043,456 - 4,294,967,296) / (4 * 32 * 32 * 128) = 8,320.
  assert.match(get(list, 'params.total').substituted_tex, /= 6\\,738\\,415\\,616$/);
  assert.equal(get(list, 'flops.crossover').value, 8320);
});

test('explainModel: partial configs and options as modelReport takes them; bad input names the field', () => {
  const list = api.explainModel({ n_kv_heads: 8 }, { context_tokens: 128 });
  // K and V with 8 KV heads: 2 * 4096 * 8 * 128.
  assert.ok(get(list, 'params.attention').substituted_tex.includes('2 \\cdot 4\\,096 \\cdot 8 \\cdot 128'));
  assert.equal(get(list, 'flops.decode').value, api.modelReport({ n_kv_heads: 8 }, { context_tokens: 128 }).flops.decode_per_token);
  assertInputError(() => api.explainModel({ n_kv_heads: 5 }), 'n_kv_heads');
  assertInputError(() => api.explainModel({}, { context_tokens: 0 }), 'context_tokens');
  assertInputError(() => api.explainModel({ heads: 8 }), 'heads');  // unknown field
});

test('explainKv: values are kvCache figures', () => {
  const input = { n_kv_heads: 8, kv_dtype: 'int4', quant_group: 32, batch: 4, prompt_tokens: 8000 };
  const result = api.kvCache(input);
  const list = api.explainKv(input);
  assertWellFormed(list);
  for (const [id, field] of [['kv.vector_bytes', 'vector_bytes'], ['kv.bytes_per_token', 'bytes_per_token'],
    ['kv.bytes_per_sequence', 'bytes_per_sequence'], ['kv.bytes', 'bytes'], ['kv.paged_bytes', 'paged_bytes']]) {
    assert.equal(get(list, id).value, result[field], id);
  }
  // int4: 128 * 4 / 8 = 64 data bytes + 128 / 32 = 4 fp16 scales (8 bytes) = 72 bytes per vector.
  assert.equal(get(list, 'kv.vector_bytes').value, 72);
  assertInputError(() => api.explainKv({ sinks: 4 }), 'sinks');
});

test('explainPlan: values are plan figures, the spec sheet is cited', () => {
  const input = { hardware: 'h100-sxm', batch: 8, context: 2048 };
  const result = api.plan(input);
  const list = api.explainPlan(input);
  assertWellFormed(list);
  assert.equal(get(list, 'plan.ridge').value, result.ridge_flops_per_byte);
  assert.equal(get(list, 'plan.max_batch').value, result.max_batch);
  assert.equal(get(list, 'plan.decode_step').value, result.decode.step_s);
  assert.equal(get(list, 'plan.tokens_per_s').value, result.decode.tokens_per_s);
  assert.equal(get(list, 'plan.total_tokens_per_s').value, result.decode.total_tokens_per_s);
  assert.equal(get(list, 'plan.ttft').value, result.prefill.ttft_s);
  assert.equal(get(list, 'plan.memory_per_device').value, result.memory_per_device_bytes);
  // 989.4 TFLOPS / 3.35 TB/s (H100 SXM datasheet) = 295.3 FLOP/byte.
  assert.ok(Math.abs(get(list, 'plan.ridge').value - 989.4e12 / 3.35e12) < 1e-9);
  assert.match(get(list, 'plan.ridge').sources[0], /H100 datasheet/);
  assertInputError(() => api.explainPlan({ hardware: 'h900' }), 'hardware');
});

test('explainQuant: values are quantSize figures', () => {
  const input = { config: api.modelPreset('llama-2-7b').config, format: 'int4', group_size: 32, scale_dtype: 'fp16' };
  const result = api.quantSize(input);
  const list = api.explainQuant(input);
  assertWellFormed(list);
  // 4 + 16/32 = 4.5 bits per weight.
  assert.equal(get(list, 'quant.bits_per_weight').value, 4.5);
  assert.equal(get(list, 'quant.bits_per_weight').value, result.bits.bits_per_weight);
  assert.equal(get(list, 'quant.bytes').value, result.bytes);
  assert.equal(get(list, 'quant.average_bits').value, result.bits_per_weight);
  assert.equal(get(list, 'quant.saving_vs_fp16').value, result.saving_vs_fp16);
  assert.throws(() => api.explainQuant({ ...input, format: 'int3' }), InputError);
});

test('CLI --explain: the same explanations under "explain" in --json, and as text', () => {
  const model = JSON.parse(cli('model', '--preset', 'llama-2-7b', '--explain', '--json'));
  assert.equal(get(model.explain, 'params.total').value, model.params.total);
  assert.deepEqual(model.explain, api.explainModel(api.modelPreset('llama-2-7b').config, { context_tokens: 4096 }));
  const kv = JSON.parse(cli('kv', '--preset', 'llama-3-8b', '--explain', '--json'));
  assert.equal(get(kv.explain, 'kv.bytes').value, kv.kv_cache.bytes);
  const plan = JSON.parse(cli('plan', '--preset', 'llama-2-7b', '--batch', '4', '--explain', '--json'));
  assert.equal(get(plan.explain, 'plan.decode_step').value, plan.decode.step_s);
  const quant = JSON.parse(cli('quant', '--preset', 'llama-2-7b', '--format', 'int4', '--group', '128', '--explain', '--json'));
  assert.equal(get(quant.explain, 'quant.bits_per_weight').value, quant.bits_per_weight);
  // Without the flag, no explain field: the area's JSON is unchanged.
  assert.equal(JSON.parse(cli('model', '--json')).explain, undefined);
  const text = cli('model', '--explain');
  // Crossover of Llama-2-7B: 8,320 tokens (docs/model.md).
  assert.match(text, /Decode crossover context \[flops\.crossover\] = 8,320 tokens/);
  assert.match(text, /formula: N = N_\\text\{emb\}/);
  assert.match(text, /source: Vaswani/);
});

test('every preset and variant yields complete explanations whose TeX parses', () => {
  for (const preset of api.modelPresets()) {
    const list = api.explainModel(preset.config, { context_tokens: 100000 });
    assertWellFormed(list);
    const report = api.modelReport(preset.config, { context_tokens: 100000 });
    assert.equal(get(list, 'params.total').value, report.params.total, preset.id);
    assert.equal(get(list, 'flops.prefill').value, report.flops.prefill, preset.id);
  }
  for (const input of [
    { kv_lora_rank: 512, qk_rope_head_dim: 64 },  // MLA (DeepSeek-V2)
    { window: 4096, sinks: 4, global_every: 6, prompt_tokens: 32768 },
    { kv_dtype: 'int8', quant_asymmetric: true, block_size: 0 },
  ]) {
    const list = api.explainKv(input);
    assertWellFormed(list);
    assert.equal(get(list, 'kv.bytes').value, api.kvCache(input).bytes);
  }
  for (const input of [
    { model: 'llama-2-70b', hardware: 'h100-sxm', gpus: 4, parallelism: 'tensor', batch: 16 },
    { model: 'llama-2-70b', hardware: 'a100-80gb', gpus: 4, parallelism: 'pipeline' },
    { model: 'llama-2-7b', hardware: 'h100-sxm', offload_layers: 4 },
    { model: 'llama-3.1-405b', hardware: 'h100-sxm' },  // does not fit: max batch 0
  ].filter((input) => api.hardwarePresets().some((h) => h.id === input.hardware))) {
    const list = api.explainPlan(input);
    assertWellFormed(list);
    assert.equal(get(list, 'plan.decode_step').value, api.plan(input).decode.step_s);
  }
  for (const spec of [{ format: 'q4_k' }, { format: 'int4', layout: 'tensor' }, { format: 'int8', layout: 'channel' }, { format: 'fp8_e4m3' }]) {
    const input = { config: {}, ...spec };
    if (!api.quantFormats().some((f) => f.id === spec.format)) continue;
    const list = api.explainQuant(input);
    assertWellFormed(list);
    assert.equal(get(list, 'quant.bytes').value, api.quantSize(input).bytes);
  }
});

test('explainTraining: the adapters, the states and the total of trainingMemory', () => {
  const input = { model: 'llama-2-7b', method: 'qlora', lora_rank: 16, paged_optimizer: true };
  const memory = api.trainingMemory(input);
  const list = api.explainTraining(input);
  // Llama-2-7B, r = 16 on q, k, v, o, gate, up, down: 32 x 16 x (4 x 8192 + 3 x 15104) = 39,976,960.
  assert.equal(list.find((e) => e.id === 'train.trainable_params').value, 39976960);
  assert.equal(list.find((e) => e.id === 'train.total').value, memory.total_bytes);
  assert.match(list.find((e) => e.id === 'train.states').note, /host memory/);
});
