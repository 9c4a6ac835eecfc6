// Today's models in Chromium: a pasted DeepSeek-V3 config.json becomes the
// model of every panel (MLA bytes in the KV panel, fp8 on 8 x H200 in the Plan
// panel), and the link reproduces it after a reload.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { openPage, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();
const fixture = (id) => readFileSync(new URL(`../fixtures/hf/${id}.json`, import.meta.url), 'utf8');
const api = await loadLlmSpacetime();
const count = (value) => value.toLocaleString('en-US');

async function waitFor(read, expected, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await read();
    if (last === expected) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  assert.equal(last, expected);
}

/** Pastes a config.json into the Model panel's import box and imports it. */
async function paste(page, text) {
  await page.locator('#model-hf-config').fill(text);
  await page.locator('#model-hf-import').click();
}

const totalOf = (page) => page.locator('#model-total-params').textContent().then((t) => t.trim());

async function setField(page, id, value) {
  await page.locator(`#${id}`).fill(value);
  await page.locator(`#${id}`).press('Tab');
}

test('a pasted DeepSeek-V3 config is the model of every panel, and the link keeps it', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  await paste(page, fixture('deepseek-v3'));
  // The checkpoint: 671,026,419,200 (main model) + 13,463,426,304 (MTP layer with its
  // stored embedding and head copies), derived by hand in tests/cpp/test_presets.cpp.
  await waitFor(() => totalOf(page), count(684489845504));
  assert.match(await page.locator('#model-hf-result').textContent(), /deepseek_v3/);
  // 3 dense layers, then 58 MoE layers.
  const kinds = page.locator('#model-layers-table tbody tr');
  assert.equal(await kinds.count(), 2);
  assert.match(await kinds.nth(0).textContent(), /dense · MLA · full\s*3/);
  assert.match(await kinds.nth(1).textContent(), /MoE · MLA · full\s*58/);
  assert.match(page.url(), /[?&]hf=/);

  // KV panel: the MLA latent, (512 + 64) values x 2 B x 61 layers = 70,272 B per token,
  // and what an engine that does not absorb holds: 61 x 128 x (192 + 128) x 2 = 4,997,120.
  await page.locator('#tab-kv').click();
  assert.equal(await page.locator('#kv-preset').inputValue(), 'imported');
  const firstRow = page.locator('#kv-table tbody tr').first().locator('td').nth(1);
  await waitFor(() => firstRow.textContent(), count(61 * 576 * 2));
  assert.match(await page.locator('#kv-table tbody').textContent(), /does not absorb MLA[^]*4,997,120/);

  // Plan panel: the config's own format (fp8 in 128 x 128 blocks) on 8 x H200 at 32K.
  await page.locator('#tab-plan').click();
  assert.equal(await page.locator('#plan-model').inputValue(), 'imported');
  assert.equal(await page.locator('#plan-weights_dtype').inputValue(), 'fp8_block');
  await page.locator('#plan-hardware').selectOption('h200');
  await setField(page, 'plan-gpus', '8');
  await setField(page, 'plan-context', '32768');
  await setField(page, 'plan-batch', '1');
  const expected = api.plan({ model: api.importHfConfig(fixture('deepseek-v3')).config, hardware: 'h200', gpus: 8, context: 32768,
    batch: 1, weights_dtype: 'fp8_block', weights_keep: 'embedding,lm_head,router' });
  assert.equal(expected.fits, true);
  await waitFor(() => page.locator('#plan-fits').textContent().then((t) => t.trim()), 'fits');
  const tokens = await page.locator('#plan-tokens-per-s').textContent();
  assert.match(tokens, new RegExp(expected.decode.tokens_per_s.toFixed(1)));

  // The link reproduces the imported model, in a new page.
  const link = page.url();
  const again = await openPage(lab.browser, link);
  assert.equal(await again.page.locator('#plan-model').inputValue(), 'imported');
  await waitFor(() => again.page.locator('#plan-fits').textContent().then((t) => t.trim()), 'fits');
  assert.deepEqual(again.problems, []);
  await again.context.close();

  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a pasted DeepSeek-V3.2 config: the indexer in every layer, its keys in the KV panel, a sparse decode in the Plan panel', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  await paste(page, fixture('deepseek-v3.2'));
  // 685,355,329,792: V3's count plus 62 indexers of 13,959,424 (tests/cpp/test_presets.cpp, by hand).
  await waitFor(() => totalOf(page), count(685355329792));
  assert.match(await page.locator('#model-layers-table tbody').textContent(), /MoE · MLA · full · sparse top 2048\s*58/);
  // KV: per layer the latent (576 x 2 B) and the indexer key (128 fp8 + a 4 B scale): 61 x 1,284 = 78,324.
  await page.locator('#tab-kv').click();
  const firstRow = page.locator('#kv-table tbody tr').first().locator('td').nth(1);
  await waitFor(() => firstRow.textContent(), count(61 * 1284));
  assert.match(await page.locator('#kv-table tbody').textContent(), /indexer keys[^]*8,052/);
  // Plan on 8 x H200 at 128K: the page shows the API's decode rate (2,048 latents and every indexer key read).
  await page.locator('#tab-plan').click();
  await page.locator('#plan-hardware').selectOption('h200');
  await setField(page, 'plan-gpus', '8');
  await setField(page, 'plan-context', '131072');
  await setField(page, 'plan-batch', '1');
  const expected = api.plan({ model: api.importHfConfig(fixture('deepseek-v3.2')).config, hardware: 'h200', gpus: 8,
    context: 131072, batch: 1, weights_dtype: 'fp8_block', weights_keep: 'embedding,lm_head,router' });
  await waitFor(() => page.locator('#plan-fits').textContent().then((t) => t.trim()), expected.fits ? 'fits' : 'does not fit');
  await waitFor(async () => (await page.locator('#plan-tokens-per-s').textContent()).includes(expected.decode.tokens_per_s.toFixed(1)),
    true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a refused config names its keys beside the import box', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  await paste(page, JSON.stringify({ model_type: 'new_moe', vocab_size: 1000, hidden_size: 64,
    num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128, num_experts: 8 }));
  await page.locator('#model-hf-error').waitFor();
  assert.match(await page.locator('#model-hf-error').textContent(), /num_experts/);
  assert.doesNotMatch(page.url(), /[?&]hf=/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a pasted Kimi K2 config (model_type kimi_k2) reads as the DeepSeek-V3 its architectures names, and says so', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  await paste(page, fixture('kimi-k2-instruct'));
  // 1,026,408,232,448: the hand count in tests/cpp/test_presets.cpp.
  await waitFor(() => totalOf(page), count(1026408232448));
  assert.match(await page.locator('#model-hf-result').textContent(), /kimi_k2/);
  assert.match(await page.locator('.assumed').textContent(), /read as deepseek_v3, the type DeepseekV3ForCausalLM/);
  assert.match(await page.locator('#model-layers-table tbody').textContent(), /MoE · MLA · full\s*60/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('pasted MiniMax-M2 and Qwen3-VL configs count as their published totals; phi-2 is refused for its FFN', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  // MiniMax-M2.7: 228,703,644,928 published, less its 13,880,064 fp8 block scales (tests/cpp/test_presets.cpp).
  await paste(page, fixture('minimax-m2'));
  await waitFor(() => totalOf(page), count(228689764864));
  assert.match(await page.locator('.assumed').textContent(), /num_mtp_modules: not counted/);
  // Qwen3-VL-8B: 8,767,123,696 with its vision encoder and mergers.
  await paste(page, fixture('qwen3-vl-8b'));
  await waitFor(() => totalOf(page), count(8767123696));
  // phi-2's two-matrix FFN and LayerNorm: refused, naming both, not read llama-style.
  await paste(page, JSON.stringify({ model_type: 'phi', hidden_act: 'gelu_new', hidden_size: 2560,
    intermediate_size: 10240, layer_norm_eps: 1e-5, num_attention_heads: 32, num_hidden_layers: 32, vocab_size: 51200 }));
  await page.locator('#model-hf-error').waitFor();
  assert.match(await page.locator('#model-hf-error').textContent(), /hidden_act = "gelu_new" \(not SiLU.*layer_norm_eps \(LayerNorm/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('presets of today: gpt-oss-120b in the KV panel keeps 18 sliding layers of 128 tokens', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=kv&kv.preset=gpt-oss-120b&kv.prompt=32768`);
  // 2 x 8 KV heads x 64 x 2 B = 2,048 B per layer per token; 18 full layers x 32,768 + 18 x 128.
  const sequence = page.locator('#kv-table tbody tr').nth(1).locator('td').nth(1);
  await waitFor(() => sequence.textContent(), count(2048 * (18 * 32768 + 18 * 128)));
  assert.equal(await page.locator('#kv-local_layers').inputValue(), '18');
  assert.deepEqual(problems, []);
  await context.close();
});
