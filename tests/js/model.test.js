// Model area over the built WASM module: the JS API and the CLI.
// Expected numbers are published counts or hand derivations written here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { assertInputError, cli, cliJson, root } from './helpers.js';

const fixture = (name) => join(root, 'tests', 'fixtures', 'hf', name);
const api = await loadLlmSpacetime();

test('presets: ids, sources, published totals', () => {
  const presets = api.modelPresets();
  const ids = presets.map((preset) => preset.id);
  for (const id of ['gpt2', 'llama-2-7b', 'llama-2-13b', 'llama-2-70b', 'llama-3-8b', 'llama-3-70b',
    'llama-3.1-405b', 'mistral-7b', 'mixtral-8x7b', 'qwen2-7b', 'gemma-7b', 'falcon-7b', 'phi-3-mini']) {
    assert.ok(ids.includes(id), id);
  }
  for (const preset of presets) assert.match(preset.source, /^https:\/\//);
  const total = (id) => api.countParams(api.modelPreset(id).config).total;
  assert.equal(total('llama-2-7b'), 6_738_415_616);
  assert.equal(total('llama-3-8b'), 8_030_261_248);
  assert.equal(total('mixtral-8x7b'), 46_702_792_704);
  assert.equal(total('gpt2'), 124_439_808);
});

test('modelReport: Llama-2-7B split, FLOPs at 4096 and the exact crossover', () => {
  const report = api.modelReport(api.modelPreset('llama-2-7b').config, { context_tokens: 4096 });
  // Attention 32 * 4 * 4096^2 and FFN 32 * 3 * 4096 * 11008 over the whole model.
  assert.equal(report.params.attention, 32 * 4 * 4096 ** 2);
  assert.equal(report.params.ffn, 32 * 3 * 4096 * 11008);
  assert.equal(report.params.attention_percent.toFixed(1), '31.9');
  assert.equal(report.params.ffn_percent.toFixed(1), '64.2');
  assert.equal(report.config.head_dim, 128);
  // Decode at n = 4096: 2 * (attention + FFN + LM head matrices) + 4 n d per layer.
  const perToken = 2 * (32 * 4 * 4096 ** 2 + 32 * 3 * 4096 * 11008 + 4096 * 32000) + 32 * 4 * 4096 * 4096;
  assert.equal(report.flops.decode_per_token, perToken);
  // Prefill: n times the matrices, scores over n(n+1)/2 pairs.
  const prefill = 4096 * 2 * (32 * 4 * 4096 ** 2 + 32 * 3 * 4096 * 11008 + 4096 * 32000) +
    32 * 4 * 4096 * (4096 * 4097) / 2;
  assert.equal(report.flops.prefill, prefill);
  // (2 * 3 * 4096 * 11008 - 2 * 4 * 4096^2) / (4 * 4096) = 8320.
  assert.equal(report.crossover_context_tokens, 8320);
  const curve = report.attention_share_curve;
  assert.equal(curve[0].context_tokens, 1);
  assert.ok(curve.length > 40);
  assert.ok(curve.every((p, i) => i === 0 || p.context_tokens > curve[i - 1].context_tokens));
  // fp16 weights: 2 bytes each.
  assert.equal(report.weights_memory.find((row) => row.dtype === 'fp16').bytes, 2 * 6_738_415_616);
});

test('partial configs merge over the defaults; MoE active params', () => {
  const defaults = api.defaultModelConfig();
  assert.equal(api.validateModel({}).d_model, defaults.d_model);
  const mixtral = api.countParams({ ...api.modelPreset('mixtral-8x7b').config });
  // 6 of 8 experts idle per layer: 32 * 6 * 3 * 4096 * 14336 fewer.
  assert.equal(mixtral.active, 46_702_792_704 - 32 * 6 * 3 * 4096 * 14336);
  // A tiny plain model by hand: vocab 10, d 4, 1 layer, 2 heads, d_ff 8, tied, RMSNorm:
  // 40 + attention 4 * 16 + FFN 2 * 4 * 8 + norms 2 * 4 + final 4 = 180.
  assert.equal(api.countParams({ vocab_size: 10, d_model: 4, n_layers: 1, n_heads: 2, n_kv_heads: 2,
    d_ff: 8, ffn: 'plain', tied_embeddings: true }).total, 180);
});

test('bad input: named InputErrors, never NaN', () => {
  assertInputError(() => api.modelReport({ d_model: '4096' }), 'd_model', /must be a number \(got string "4096"\)/);
  assertInputError(() => api.modelReport({ n_layers: -1 }), 'n_layers', /n_layers = -1 must be at least 1/);
  assertInputError(() => api.modelReport({ n_layers: 0 }), 'n_layers');
  assertInputError(() => api.modelReport({ n_heads: NaN }), 'n_heads', /NaN/);
  assertInputError(() => api.modelReport({ d_ff: 100.5 }), 'd_ff', /whole number/);
  assertInputError(() => api.modelReport({ n_kv_heads: 5 }), 'n_kv_heads', /must divide n_heads = 32/);
  assertInputError(() => api.modelReport({ d_model: 4100 }), 'd_model', /not divisible by n_heads = 32/);
  // Layers are listed one by one (per-layer kinds), so their count has its own limit;
  // a model within it but over 1e15 parameters is refused for its size.
  assertInputError(() => api.modelReport({ n_layers: 1e9 }), 'n_layers', /limit 1000000/);
  assertInputError(() => api.modelReport({ n_layers: 1e6, d_model: 16384, n_heads: 64, n_kv_heads: 64, d_ff: 65536 }),
    'n_layers', /limit 1e\+15/);
  assertInputError(() => api.modelReport({ ffn: 'swiglu' }), 'ffn');
  assertInputError(() => api.modelReport({ tied_embeddings: 'yes' }), 'tied_embeddings', /boolean/);
  assertInputError(() => api.modelReport({ heads: 32 }), 'heads', /unknown model field/);
  assertInputError(() => api.modelReport({}, { context_tokens: '4096' }), 'context_tokens');
  assertInputError(() => api.modelReport({}, { context_tokens: 0 }), 'context_tokens');
  assertInputError(() => api.modelPreset('llama-9'), 'preset');
  assertInputError(() => api.importHfConfig(42), 'config_json');
});

test('importHfConfig on real config.json fields', () => {
  const llama = api.importHfConfig(readFileSync(fixture('llama-2-7b.json'), 'utf8'));
  assert.equal(llama.model_type, 'llama');
  assert.equal(api.countParams(llama.config).total, 6_738_415_616);
  const gpt2 = api.importHfConfig(readFileSync(fixture('gpt2.json'), 'utf8'));
  assert.equal(gpt2.config.d_ff, 4 * 768);  // n_inner absent => 4 * n_embd
  assert.ok(gpt2.assumed.includes('tie_word_embeddings: true (default)'));
  const unknown = api.importHfConfig(readFileSync(fixture('unknown-type.json'), 'utf8'));
  assert.ok(unknown.assumed.some((line) => line.includes('"olmo" is not known')));
  // MiniMax-M2: Q/K norms over the whole projections, 256 experts (hand count and published figure in test_presets.cpp).
  const minimax = api.importHfConfig(readFileSync(fixture('minimax-m2.json'), 'utf8'));
  assert.equal(minimax.config.qk_norm_full_width, true);
  assert.equal(api.countParams(minimax.config).total, 228_689_764_864);
  assert.equal(minimax.weights_format, 'fp8_block');
  // Mistral Small 3.1: Mistral's layers, the Pixtral encoder, the patch-merging projector (hand count in test_presets.cpp).
  const mistral3 = api.importHfConfig(readFileSync(fixture('mistral-small-3.1.json'), 'utf8'));
  assert.equal(api.countParams(mistral3.config).total, 24_011_361_280);
  assert.equal(mistral3.config.image_tokens, 3080);
  // Qwen3-VL-8B: Qwen3-8B's language model, the vision encoder and four mergers (hand count in test_presets.cpp).
  const qwen3vl = api.importHfConfig(readFileSync(fixture('qwen3-vl-8b.json'), 'utf8'));
  assert.equal(api.countParams(qwen3vl.config).total, 8_767_123_696);
  // DeepSeek-V3.2: V3 plus the lightning indexer in 61 layers and the MTP layer, 13,959,424 each
  // (1536 x 8192 + 7168 x 128 + 7168 x 64 + 256); the attention reads 2048 keys, the indexer all.
  const v32 = api.importHfConfig(readFileSync(fixture('deepseek-v3.2.json'), 'utf8'));
  assert.deepEqual([v32.config.indexer_heads, v32.config.indexer_head_dim, v32.config.indexer_topk], [64, 128, 2048]);
  const v32Params = api.countParams(v32.config);
  assert.equal(v32Params.attention_indexer, 61 * 13_959_424);
  assert.equal(v32Params.total, 685_355_329_792);
  const kv = api.kvCache({ ...api.kvShapeFromModel(v32.config), kv_dtype: 'bf16', prompt_tokens: 32768 });
  assert.equal(kv.indexer_bytes_per_token_per_layer, 132);
  assert.equal(kv.bytes_per_token, 61 * (1152 + 132));
  const report = api.modelReport(v32.config, { context_tokens: 32768 });
  assert.equal(report.decode.attended_tokens, 2048);
  assert.equal(report.decode.split.attention_scores, 61 * (128 * 2176 * 2048 + (2 * 64 * 128 + 2 * 64) * 32768));
  // GLM-5: DeepSeek-V3's layers at its own sizes with V3.2's indexer; its MTP layer stores no embedding or head copy.
  const glm5 = api.importHfConfig(readFileSync(fixture('glm-5.json'), 'utf8'));
  assert.equal(glm5.config.mtp_embedding_copies, false);
  assert.equal(api.countParams(glm5.config).total, 753_864_139_008);  // HF's total of zai-org/GLM-5
  // A deepseek_v3 file with the indexer's keys is V3.2's, misnamed: refused rather than read without them.
  const misnamed = { ...JSON.parse(readFileSync(fixture('deepseek-v3.2.json'), 'utf8')), model_type: 'deepseek_v3',
    architectures: ['DeepseekV3ForCausalLM'] };
  assertInputError(() => api.importHfConfig(JSON.stringify(misnamed)), 'index_topk', /deepseek_v32/);
  // phi-2 (fc1/fc2, LayerNorm) read llama-style would count 3.62e9 instead of 2.78e9: refused, naming why.
  const phi2 = { model_type: 'phi', hidden_act: 'gelu_new', hidden_size: 2560, intermediate_size: 10240,
    layer_norm_eps: 1e-5, num_attention_heads: 32, num_hidden_layers: 32, vocab_size: 51200 };
  assertInputError(() => api.importHfConfig(JSON.stringify(phi2)), 'model_type',
    /hidden_act = "gelu_new" \(not SiLU: the FFN may not be gated\), layer_norm_eps \(LayerNorm, not RMSNorm\)/);
  // Kimi K2: model_type "kimi_k2" runs DeepseekV3ForCausalLM, and is read as DeepSeek-V3 (hand count in test_presets.cpp).
  const kimi = api.importHfConfig(readFileSync(fixture('kimi-k2-instruct.json'), 'utf8'));
  assert.equal(kimi.model_type, 'kimi_k2');
  assert.ok(kimi.assumed.some((line) => line.startsWith('architecture: read as deepseek_v3, the type DeepseekV3ForCausalLM')));
  assert.equal(api.countParams(kimi.config).total, 1_026_408_232_448);
  assert.equal(kimi.weights_format, 'fp8_block');
  // GLM-4.5-Air: published 110,468,824,832 (HF total, its MTP layer included; hand count in test_presets.cpp).
  const air = api.importHfConfig(readFileSync(fixture('glm-4.5-air.json'), 'utf8'));
  assert.equal(air.model_type, 'glm4_moe');
  assert.equal(api.countParams(air.config).total, 110_468_824_832);
  assertInputError(() => api.importHfConfig(readFileSync(fixture('broken.json'), 'utf8')), 'config_json', /not valid JSON/);
  assertInputError(() => api.importHfConfig(readFileSync(fixture('ill-typed.json'), 'utf8')), 'hidden_size', /string/);
});

test('CLI model --preset --json carries the public fields', () => {
  const json = cliJson('model', '--preset', 'llama-2-7b');
  assert.equal(json.params.total, 6_738_415_616);
  assert.equal(json.params.active, 6_738_415_616);
  assert.equal(typeof json.flops.decode_per_token, 'number');
  assert.equal(typeof json.flops.prefill, 'number');
  assert.equal(json.flops.context_tokens, 4096);
  assert.equal(json.crossover_context_tokens, 8320);
  assert.equal(json.preset, 'llama-2-7b');
  // Overrides on a preset: 40 layers add 8 * 202,383,360.
  const deeper = cliJson('model', '--preset', 'llama-2-7b', '--layers', '40', '--context', '8K');
  assert.equal(deeper.params.total, 6_738_415_616 + 8 * 202_383_360);
  assert.equal(deeper.flops.context_tokens, 8192);
  const mixtral = cliJson('model', '--preset', 'mixtral-8x7b');
  assert.equal(mixtral.params.total, 46_702_792_704);
  assert.equal(mixtral.params.active, 12_879_925_248);
});

test('CLI custom flags and --hf-config', () => {
  // GPT-2 from flags alone.
  const gpt2 = cliJson('model', '--vocab', '50257', '--d-model', '768', '--layers', '12', '--heads', '12',
    '--kv-heads', '12', '--d-ff', '3072', '--ffn', 'plain', '--norm', 'layer', '--tied', '--positions', '1024');
  // Without the MLP and out-projection biases GPT-2 has, 12 * (768 + 3072 + 768) fewer:
  // and without the qkv bias another 12 * 2304.
  assert.equal(gpt2.params.total, 124_439_808 - 12 * (768 + 3072 + 768) - 12 * 2304);
  const falcon = cliJson('model', '--hf-config', fixture('falcon-7b.json'));
  assert.equal(falcon.params.total, api.countParams(api.modelPreset('falcon-7b').config).total);
  assert.equal(falcon.model_type, 'falcon');
  const gemma = cliJson('model', '--hf-config', fixture('gemma-7b.json'));
  assert.equal(gemma.params.total, 8_537_680_896);
  const mixtral = cliJson('model', '--hf-config', fixture('mixtral-8x7b.json'), '--top-k', '1');
  assert.equal(mixtral.params.active, 12_879_925_248 - 32 * 3 * 4096 * 14336);
});

test('CLI readable table and presets', () => {
  const table = cli('model', '--preset', 'llama-2-7b');
  assert.equal(table.code, 0);
  assert.match(table.stdout, /6,738,415,616/);
  assert.match(table.stdout, /13\.48 GB \/ 12\.55 GiB/);  // 2 * 6,738,415,616 bytes
  assert.match(table.stdout, /context 8,320/);
  const presets = cli('presets');
  assert.equal(presets.code, 0);
  assert.match(presets.stdout, /mixtral-8x7b\s+Mixtral 8x7B\s+46,702,792,704/);
});

test('CLI errors: usage and exit 2, messages name the field', () => {
  const unknownFlag = cli('model', '--bogus');
  assert.equal(unknownFlag.code, 2);
  assert.match(unknownFlag.stderr, /usage: llm-spacetime model/);
  const negative = cli('model', '--d-model=-3');
  assert.equal(negative.code, 2);
  assert.match(negative.stderr, /--d-model = -3 must be at least 1$/m);
  const notNumber = cli('model', '--layers', 'many');
  assert.equal(notNumber.code, 2);
  assert.match(notNumber.stderr, /--layers = "many" is not a number/);
  const gqa = cli('model', '--kv-heads', '5', '--json');
  assert.equal(gqa.code, 2);
  assert.equal(JSON.parse(gqa.stdout).error.field, 'n_kv_heads');
  const fraction = cli('model', '--context', '1.5');
  assert.equal(fraction.code, 2);
  assert.match(fraction.stderr, /--context = 1.5 must be a whole number/);
  const choice = cli('model', '--ffn', 'swiglu');
  assert.equal(choice.code, 2);
  assert.match(choice.stderr, /--ffn = "swiglu" must be one of gated, plain/);
  const absurd = cli('model', '--layers', '1e12');
  assert.equal(absurd.code, 2);
  assert.match(absurd.stderr, /--layers = 1e12 is too large \(limit 1000000\)/);
  const broken = cli('model', '--hf-config', fixture('broken.json'));
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /not valid JSON/);
  const missing = cli('model', '--hf-config', fixture('does-not-exist.json'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot be read \(ENOENT\)/);
  assert.equal(cli('model', '--preset', 'gpt2', '--hf-config', fixture('gpt2.json')).code, 2);
});
