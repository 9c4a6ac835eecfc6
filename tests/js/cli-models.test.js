// Every CLI command that takes a model, given it as --preset ID or as
// --hf-config FILE (real config.json files in tests/fixtures/hf/). Expected
// numbers are derived here by hand from the config.json keys, which the tests
// read back from the fixtures so each derivation visibly rests on them.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { commands, parseFlags } from '../../cli/commands/index.js';
import { cliAsync, root } from './helpers.js';

const fixture = (id) => join(root, 'tests', 'fixtures', 'hf', `${id}.json`);
const hf = (id) => JSON.parse(readFileSync(fixture(id), 'utf8'));

/**
 * `llm-spacetime ...args`, run in this process: { json, text }, what the binary prints with and without
 * --json (the same flag parsing and command; the last test checks the binary prints the same).
 */
async function both(name, ...args) {
  const command = commands.find((candidate) => candidate.name === name);
  const { json, text } = await command.run(api, parseFlags(command, args));
  return { json: JSON.parse(JSON.stringify(json)), text };
}

/** Runs `tasks` (functions returning promises) at most `limit` at a time. */
async function pool(tasks, limit = 4) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

const bf16 = 2;  // bytes per value
const api = await loadLlmSpacetime();

test('kv --hf-config: MLA, sliding and chunked layers come from config.json (hand counts)', async () => {
  // DeepSeek-V3: each of 61 layers caches one latent of kv_lora_rank 512 plus a RoPE key of 64.
  const ds = hf('deepseek-v3');
  assert.deepEqual([ds.num_hidden_layers, ds.kv_lora_rank, ds.qk_rope_head_dim], [61, 512, 64]);
  const deepseek = await both('kv', '--hf-config', fixture('deepseek-v3'), '--context', '32768', '--kv-dtype', 'bf16');
  assert.equal(deepseek.json.kv_cache.bytes_per_token, 61 * (512 + 64) * bf16);  // 70,272
  assert.equal(deepseek.json.kv_cache.bytes_per_token, 70_272);
  assert.equal(deepseek.json.kv_cache.bytes, 70_272 * 32768);
  // Without absorption: per-head K (nope 128 + rope 64) and V (128) for 128 heads, 61 layers.
  assert.deepEqual([ds.num_attention_heads, ds.qk_nope_head_dim, ds.v_head_dim], [128, 128, 128]);
  const unabsorbed = 61 * 128 * (128 + 64 + 128) * bf16;  // 4,997,120
  assert.equal(deepseek.json.kv_cache.unabsorbed_bytes_per_token, unabsorbed);
  assert.match(deepseek.text, /does not absorb/);
  assert.match(deepseek.text, /4,997,120 B per token/);
  assert.match(deepseek.text, /kv_lora_rank 512 \+ RoPE key 64/);
  assert.equal(deepseek.json.origin.model_type, 'deepseek_v3');
  assert.equal(deepseek.json.preset, null);

  // gpt-oss-120b: 8 KV heads of 64: 8 · 64 · 2 (K and V) · 2 B = 2048 B per layer per token;
  // layer_types alternate sliding (window 128) and full: 18 of each.
  const oss = hf('gpt-oss-120b');
  assert.deepEqual([oss.num_key_value_heads, oss.head_dim, oss.sliding_window], [8, 64, 128]);
  assert.equal(oss.layer_types.filter((type) => type === 'sliding_attention').length, 18);
  assert.equal(oss.layer_types.filter((type) => type === 'full_attention').length, 18);
  const gptOss = await both('kv', '--hf-config', fixture('gpt-oss-120b'), '--context', '32768', '--kv-dtype', 'bf16');
  const perLayer = 8 * 64 * 2 * bf16;
  assert.equal(perLayer, 2048);
  assert.equal(gptOss.json.kv_cache.bytes_per_token, 36 * perLayer);
  assert.equal(gptOss.json.kv_cache.bytes, perLayer * (18 * 32768 + 18 * 128));  // 1,212,678,144
  assert.equal(gptOss.json.kv_cache.local_layers, 18);
  assert.match(gptOss.text, /18 global, 18 sliding \(window 128\)/);

  // Llama 4 Scout: 48 layers, every 4th full (NoPE), the other 36 chunked at attention_chunk_size 8192;
  // 8 KV heads of 128: 4096 B per layer per token.
  const scout = hf('llama-4-scout').text_config;
  assert.deepEqual([scout.num_hidden_layers, scout.num_key_value_heads, scout.head_dim, scout.attention_chunk_size], [48, 8, 128, 8192]);
  const llama4 = await both('kv', '--hf-config', fixture('llama-4-scout'), '--context', '32768', '--kv-dtype', 'bf16');
  const scoutLayer = 8 * 128 * 2 * bf16;
  assert.equal(scoutLayer, 4096);
  assert.equal(llama4.json.kv_cache.chunked_layers, 36);
  assert.equal(llama4.json.kv_cache.bytes, scoutLayer * (12 * 32768 + 36 * 8192));  // 2,818,572,288
  assert.match(llama4.text, /12 global, 36 chunked \(chunk 8,192\)/);

  // Gemma 3 27B: 62 layers, one global every 6 (sliding_window_pattern 6: floor(62 / 6) = 10), the other 52
  // sliding at 1024; 16 KV heads of 128: 8192 B per layer per token.
  const gemma = await both('kv', '--hf-config', fixture('gemma-3-27b'), '--context', '32768', '--kv-dtype', 'bf16');
  assert.equal(gemma.json.kv_cache.bytes, 16 * 128 * 2 * bf16 * (10 * 32768 + 52 * 1024));  // 3,120,562,176

  // Shape flags after a model override its KV shape: 30 MLA layers.
  const fewer = await both('kv', '--preset', 'deepseek-v3', '--layers', '30', '--kv-dtype', 'bf16');
  assert.equal(fewer.json.kv_cache.bytes_per_token, 30 * (512 + 64) * bf16);
});

test('kv-paging and attention-memory take their sizes from the model', async () => {
  const paging = await both('kv-paging', '--hf-config', fixture('deepseek-v3'), '--kv-dtype', 'bf16');
  assert.equal(paging.json.input.bytes_per_token, 61 * (512 + 64) * bf16);

  // DeepSeek-V3 prefill: 128 heads, d = qk_nope_head_dim 128 + qk_rope_head_dim 64 = 192; fp32 scores
  // of 4096 × 4096 per head.
  const mla = await both('attention-memory', '--hf-config', fixture('deepseek-v3'), '--n', '4096');
  assert.equal(mla.json.input.heads, 128);
  assert.equal(mla.json.input.head_dim, 128 + 64);
  assert.equal(mla.json.standard_scores_bytes, 128 * 4096 * 4096 * 4);
  assert.equal(mla.json.model_dims.attention, 'mla');
  assert.match(mla.text, /qk_nope_head_dim 128 \+ qk_rope_head_dim 64 = 192/);
  assert.match(mla.text, /v_head_dim 128/);
  // gpt-oss-120b: 64 heads of 64; its sliding layers are named; --heads overrides the model's.
  const oss = await both('attention-memory', '--preset', 'gpt-oss-120b', '--n', '4096', '--heads', '1');
  assert.deepEqual([oss.json.input.heads, oss.json.input.head_dim], [1, 64]);
  assert.equal(oss.json.standard_scores_bytes, 4096 * 4096 * 4);
  assert.match(oss.text, /18 of 36 layers attend within a window of 128/);
});

// Qwen3-30B-A3B by hand from its config.json: hidden 2048, 48 layers, 32 heads and 4 KV heads of 128,
// 128 experts of width 768 (8 active), untied vocab 151,936, q/k RMSNorm of 128.
const qwen = (() => {
  const c = hf('qwen3-30b-a3b');
  assert.deepEqual([c.hidden_size, c.num_hidden_layers, c.num_attention_heads, c.num_key_value_heads, c.head_dim,
    c.num_experts, c.num_experts_per_tok, c.moe_intermediate_size, c.vocab_size, c.tie_word_embeddings],
  [2048, 48, 32, 4, 128, 128, 8, 768, 151936, false]);
  const attention = 2048 * 32 * 128 * 2 + 2048 * 4 * 128 * 2;  // Q and O, K and V
  const expert = 3 * 2048 * 768;                               // gate, up, down
  const norms = 48 * (2 * 2048 + 2 * 128) + 2048;              // 2 per layer, q/k norms, final
  const layerCommon = attention + 2048 * 128 + 2 * 128 + 2 * 2048;  // + router + q/k norms + norms
  const embeddings = 2 * 151936 * 2048;                        // embedding and LM head
  return {
    total: 48 * (layerCommon + 128 * expert) + embeddings + 2048,
    active: 48 * (layerCommon + 8 * expert) + embeddings + 2048,
    norms,
  };
})();

test('model, quant and training --hf-config count Qwen3-30B-A3B as derived by hand', async () => {
  assert.equal(qwen.total, 30_532_122_624);  // "30.5B" on the model card
  const model = await both('model', '--hf-config', fixture('qwen3-30b-a3b'));
  assert.equal(model.json.params.total, qwen.total);
  assert.equal(model.json.params.active, qwen.active);  // "3.3B activated"
  assert.equal(model.json.model_type, 'qwen3_moe');
  assert.equal(model.json.source, fixture('qwen3-30b-a3b'));

  // NF4 in groups of 64 with fp32 scales: 4 + 32 / 64 = 4.5 bits; norms stay fp32.
  const quant = await both('quant', '--hf-config', fixture('qwen3-30b-a3b'), '--format', 'nf4', '--group', '64', '--scale-dtype', 'fp32');
  assert.equal(quant.json.weights.params, qwen.total);
  assert.ok(Math.abs(quant.json.weights.bytes - ((qwen.total - qwen.norms) * 4.5 / 8 + qwen.norms * 4)) < 1);
  assert.equal(quant.json.weights.components.find((c) => c.component === 'router').params, 48 * 2048 * 128);

  // Mixed-precision Adam: bf16 weights and gradients (2 B each), fp32 master, m and v (12 B).
  const training = await both('training', '--hf-config', fixture('qwen3-30b-a3b'), '--sequence', '4096');
  const none = training.json.results[0];
  assert.equal(none.params, qwen.total);
  assert.equal(none.weights_bytes, 2 * qwen.total);
  assert.equal(none.optimizer_bytes, 12 * qwen.total);
  assert.equal(training.json.checkpoint_weights_format, null);
  // A checkpoint in fp8 blocks does not change training memory; the text says so.
  const deepseek = await both('training', '--preset', 'deepseek-v3');
  assert.equal(deepseek.json.checkpoint_weights_format, 'fp8_block');
  assert.match(deepseek.text, /ships fp8_block weights/);
});

test('kv and plan --hf-config on DeepSeek-V3.2: the indexer key costs memory, sparse attention saves decode time', async () => {
  const v32 = hf('deepseek-v3.2');
  assert.deepEqual([v32.index_n_heads, v32.index_head_dim, v32.index_topk], [64, 128, 2048]);
  // Each of 61 layers caches the latent (512 + 64) and the indexer's 128 fp8 keys with one fp32 scale.
  const kv = await both('kv', '--hf-config', fixture('deepseek-v3.2'), '--context', '131072', '--kv-dtype', 'bf16');
  assert.equal(kv.json.kv_cache.indexer_bytes_per_token_per_layer, 128 + 4);
  assert.equal(kv.json.kv_cache.bytes_per_token, 61 * ((512 + 64) * bf16 + 132));  // 78,324
  assert.match(kv.text, /indexer key of 128 values, 132 B per token/);
  // At 128K on 8 x H200, batch 8: V3.2 holds more KV than V3 (78,324 against 70,272 B per token) but
  // each decode step reads 2,048 latents and every 132 B indexer key per layer instead of all 131,072
  // latents: the step is faster.
  const args = ['--gpus', '8', '--hardware', 'h200', '--context', '131072', '--batch', '8', '--kv-dtype', 'bf16'];
  const sparse = await both('plan', '--hf-config', fixture('deepseek-v3.2'), ...args);
  const dense = await both('plan', '--hf-config', fixture('deepseek-v3'), ...args);
  assert.equal(sparse.json.kv_bytes, 8 * 131072 * 78_324);
  assert.ok(sparse.json.kv_bytes > dense.json.kv_bytes);
  assert.ok(sparse.json.decode.tokens_per_s > 1.5 * dense.json.decode.tokens_per_s,
    `${sparse.json.decode.tokens_per_s} vs ${dense.json.decode.tokens_per_s} tokens/s`);
});

test('plan and roofline default to the checkpoint weights format of config.json; --weights and --keep override', async () => {
  // DeepSeek-V3's quantization_config: fp8 in 128 × 128 blocks, embedding, LM head and routers kept in bf16.
  assert.deepEqual(hf('deepseek-v3').quantization_config.weight_block_size, [128, 128]);
  const plan = await both('plan', '--hf-config', fixture('deepseek-v3'), '--gpus', '8', '--context', '32768');
  assert.equal(plan.json.weights_dtype, 'fp8_block');
  assert.equal(plan.json.weights_keep, 'embedding,lm_head,router');
  assert.equal(plan.json.weights_source, 'config');
  assert.match(plan.text, /weights fp8_block \(the checkpoint's quantization_config; kept in bf16: embedding,lm_head,router\)/);
  // KV from the MLA latent: fp16 (the plan's default) is 2 B, as bf16.
  assert.equal(plan.json.kv_bytes_per_token, 70_272);
  assert.equal(plan.json.kv_bytes, 70_272 * 32768);
  // Keeping embedding, LM head (129,280 × 7168 each) and the 58 MoE layers' routers (256 × 7168 + 256
  // score biases) in bf16 instead of fp8 blocks (8 + 32 / (128 · 128) bits) adds their count · (2 − 1.000244140625) B.
  const unkept = await both('plan', '--hf-config', fixture('deepseek-v3'), '--gpus', '8', '--context', '32768',
    '--weights', 'fp8_block', '--keep', '');
  assert.equal(unkept.json.weights_source, 'flag');
  assert.equal(unkept.json.weights_keep, '');
  const kept = 2 * 129280 * 7168 + 58 * (256 * 7168 + 256);
  assert.ok(Math.abs(plan.json.weight_bytes - unkept.json.weight_bytes - kept * (2 - (8 + 32 / (128 * 128)) / 8)) < 1);
  // The same figures as naming the format and the kept list by flag.
  const named = await both('plan', '--hf-config', fixture('deepseek-v3'), '--gpus', '8', '--context', '32768',
    '--weights', 'fp8_block', '--keep', 'embedding,lm_head,router');
  assert.equal(named.json.weight_bytes, plan.json.weight_bytes);

  // gpt-oss-120b: MXFP4 with attention, routers, embedding and LM head kept; --keep replaces the kept list.
  const oss = await both('plan', '--preset', 'gpt-oss-120b');
  assert.deepEqual([oss.json.weights_dtype, oss.json.weights_keep, oss.json.weights_source],
    ['mxfp4', 'attention,router,embedding,lm_head', 'config']);
  const ossKeep = await both('plan', '--preset', 'gpt-oss-120b', '--keep', 'embedding');
  assert.deepEqual([ossKeep.json.weights_dtype, ossKeep.json.weights_keep], ['mxfp4', 'embedding']);
  assert.ok(ossKeep.json.weight_bytes < oss.json.weight_bytes);
  const ossInt4 = await both('plan', '--preset', 'gpt-oss-120b', '--weights', 'int4');
  assert.deepEqual([ossInt4.json.weights_dtype, ossInt4.json.weights_keep, ossInt4.json.weights_source], ['int4', '', 'flag']);
  // --weights-bits overrides any format, so the checkpoint's is not claimed.
  const bits = await both('plan', '--preset', 'gpt-oss-120b', '--weights-bits', '4');
  assert.equal(bits.json.weights_source, 'bits');
  // A config.json without quantization_config: fp16, as before.
  const qwenPlan = await both('plan', '--hf-config', fixture('qwen3-30b-a3b'));
  assert.deepEqual([qwenPlan.json.weights_dtype, qwenPlan.json.weights_source], ['fp16', 'default']);
  assert.equal(qwenPlan.json.total_params, qwen.total);

  // roofline: the same default; the decode step reads the 4096 cached latents and writes one more.
  const roofline = await both('roofline', '--hf-config', fixture('deepseek-v3'));
  assert.deepEqual([roofline.json.weights_dtype, roofline.json.weights_source], ['fp8_block', 'config']);
  assert.equal(roofline.json.head_dim, 192);
  assert.equal(roofline.json.decode.kv_bytes, 70_272 * 4097);
  assert.match(roofline.text, /weights fp8_block \(the checkpoint's quantization_config/);
});

// The JSON without the fields that name where the model came from.
function withoutOrigin(value) {
  if (Array.isArray(value)) return value.map(withoutOrigin);
  if (value === null || typeof value !== 'object') return value;
  const origin = new Set(['origin', 'preset', 'source', 'model_type', 'assumed', 'name', 'model']);
  return Object.fromEntries(Object.entries(value).filter(([key]) => !origin.has(key)).map(([key, item]) => [key, withoutOrigin(item)]));
}

test('--preset X and --hf-config X.json give the same JSON for every command', async () => {
  const commands = [
    ['model', '--context', '32768'],
    ['kv', '--context', '32768', '--kv-dtype', 'bf16'],
    ['kv-paging', '--kv-dtype', 'bf16', '--dist', 'fixed', '--mean', '1000'],
    ['attention-memory', '--n', '8192'],
    ['quant', '--format', 'q4_k'],
    ['plan', '--gpus', '8', '--context', '32768'],
    ['roofline', '--batch', '4'],
    ['training', '--sequence', '4096'],
  ];
  const ids = ['deepseek-v3', 'gpt-oss-120b', 'gemma-3-27b', 'llama-4-scout', 'qwen3-30b-a3b'];
  const pairs = ids.flatMap((id) => commands.map(([name, ...rest]) => ({ id, name, rest })));
  for (const { id, name, rest } of pairs) {
    const preset = (await both(name, '--preset', id, ...rest)).json;
    const imported = (await both(name, '--hf-config', fixture(id), ...rest)).json;
    assert.deepEqual(withoutOrigin(imported), withoutOrigin(preset), `${name} ${id}`);
    assert.equal(preset.origin?.preset ?? preset.preset, id, `${name} ${id}`);
  }
});

test('the binary prints what the in-process runs above return', async () => {
  for (const args of [['plan', '--hf-config', fixture('gpt-oss-120b')], ['kv', '--preset', 'deepseek-v3', '--kv-dtype', 'bf16'],
    ['attention-memory', '--hf-config', fixture('deepseek-v3')]]) {
    const [printed, printedText, direct] = await Promise.all([cliAsync(...args, '--json'), cliAsync(...args), both(...args)]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.deepEqual(JSON.parse(printed.stdout), direct.json);
    assert.equal(printedText.stdout, `${direct.text}\n`);
  }
});

test('every model command: an unknown MoE config.json exits 2 naming its keys; source errors name the flag', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmst-hf-'));
  try {
    const unknown = join(dir, 'config.json');
    writeFileSync(unknown, JSON.stringify({
      model_type: 'tiny_moe', hidden_size: 512, num_attention_heads: 8, num_hidden_layers: 4, intermediate_size: 1024,
      vocab_size: 1000, num_local_experts: 8, num_experts_per_tok: 2,
    }));
    const commands = ['model', 'kv', 'kv-paging', 'attention-memory', 'quant', 'plan', 'roofline', 'training'];
    const runs = await pool(commands.flatMap((name) => [
      () => cliAsync(name, '--hf-config', unknown, '--json'),
      () => cliAsync(name, '--hf-config', join(dir, 'missing.json')),
      () => cliAsync(name, '--preset', 'nope'),
      () => cliAsync(name, '--preset', 'gpt2', '--hf-config', fixture('gpt2')),
    ]));
    commands.forEach((name, i) => {
      const [refused, missing, nope, bothFlags] = runs.slice(4 * i, 4 * i + 4);
      assert.equal(refused.code, 2, name);
      const { error } = JSON.parse(refused.stdout);
      assert.equal(error.field, 'model_type', name);
      assert.ok(error.message.startsWith(`--hf-config ${unknown}: `), `${name}: ${error.message}`);
      assert.match(error.message, /"tiny_moe", which is not known, and keys that change the counts \(/, name);
      assert.match(error.message, /num_local_experts/, name);
      assert.match(error.message, /num_experts_per_tok/, name);
      assert.equal(missing.code, 2, name);
      assert.match(missing.stderr, /--hf-config = ".*missing\.json" cannot be read \(ENOENT\)/, name);
      assert.equal(nope.code, 2, name);
      assert.match(nope.stderr, /--preset = "nope" is not a preset/, name);
      assert.equal(bothFlags.code, 2, name);
      assert.match(bothFlags.stderr, /give --preset or --hf-config, not both/, name);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('errors name the flag as typed, or the source a field came from; a repeated flag is refused', async () => {
  const [layers, lists, keep, kvHeads, repeated] = await Promise.all([
    cliAsync('plan', '--hf-config', fixture('qwen3-30b-a3b'), '--layers', '0'),
    cliAsync('model', '--preset', 'deepseek-v3', '--layers', '30'),
    cliAsync('plan', '--preset', 'gpt-oss-120b', '--keep', 'everything'),
    cliAsync('kv', '--kv-heads', '5', '--json'),
    cliAsync('kv', '--preset', 'llama-2-7b', '--preset', 'deepseek-v3', '--kv-dtype', 'bf16', '--json'),
  ]);
  assert.match(layers.stderr, /--layers = 0 must be at least 1$/m);
  // --layers changes n_layers only; the per-layer list still has DeepSeek-V3's 61 entries.
  assert.match(lists.stderr, /mlp_layer_types lists 61 layers but n_layers = 30 \(mlp_layer_types from --preset deepseek-v3\)/);
  assert.match(keep.stderr, /\(--keep\)/);
  assert.equal(JSON.parse(kvHeads.stdout).error.field, 'n_kv_heads');
  // The value's sentence leads with the flag as typed (the rest names the core's other field).
  assert.equal(JSON.parse(kvHeads.stdout).error.message, '--kv-heads = 5 must divide n_heads = 32');
  assert.equal(repeated.code, 2);
  assert.match(repeated.stderr, /--preset is given twice \(--preset llama-2-7b, then --preset deepseek-v3\)/);
});
