// The Model panel in Chromium: presets, editing a field, errors next to the
// field, the plot, config.json import, and the URL round trip.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

const totalParams = (page) => page.locator('#model-total-params').textContent();

test('a preset shows its published parameter count, and a plot renders', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  // Llama-2-7B: 6,738,415,616 (Touvron et al. 2023 / the HF checkpoint).
  assert.equal(await totalParams(page), '6,738,415,616');
  await page.selectOption('#model-preset', 'llama-3-8b');
  assert.equal(await totalParams(page), '8,030,261,248');
  // Mixtral-8x7B: 46,702,792,704 total (Mistral AI).
  await page.selectOption('#model-preset', 'mixtral-8x7b');
  assert.equal(await totalParams(page), '46,702,792,704');
  const plotPaths = page.locator('#model-share-plot svg path');
  assert.ok(await plotPaths.count() > 0, 'the attention-share plot has a line');
  const rows = page.locator('#model-params-table tbody tr');
  assert.ok(await rows.count() >= 6, 'the parameter table lists the parts');
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('editing a field recomputes, and a bad value shows an error next to it', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=model&model.preset=llama-2-7b`);
  // Llama-2-7B with 8 KV heads instead of 32: K and V shrink by 3/4 each:
  // 32 layers * 2 * (4096*4096 - 4096*1024) = 805,306,368 fewer parameters.
  await page.fill('#model-n_kv_heads', '8');
  assert.equal(await totalParams(page), (6738415616 - 805306368).toLocaleString('en-US'));
  await page.fill('#model-n_kv_heads', '5');
  const error = page.locator('#model-n_kv_heads-error');
  await error.waitFor();
  assert.match(await error.textContent(), /5/);
  assert.equal(await page.locator('#model-n_kv_heads').getAttribute('aria-invalid'), 'true');
  await page.fill('#model-d_model', '-4096');
  assert.match(await page.locator('#model-d_model-error').textContent(), /-4096/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a pasted config.json is imported, and broken JSON gives a clear error', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  // GPT-2 small: 124,439,808 parameters (the HF checkpoint; tied LM head).
  const gpt2 = { model_type: 'gpt2', vocab_size: 50257, n_positions: 1024, n_embd: 768, n_layer: 12, n_head: 12, n_inner: null };
  await page.fill('#model-hf-config', JSON.stringify(gpt2));
  await page.click('#model-hf-import');
  assert.equal(await totalParams(page), '124,439,808');
  // The import is a model of its own, offered by every panel.
  assert.equal(await page.locator('#model-preset').inputValue(), 'imported');
  const params = new URL(page.url()).searchParams;
  for (const key of ['kv.preset', 'plan.model', 'roofline.model', 'quant.preset', 'search.model', 'serve.model']) {
    assert.equal(params.get(key), 'imported', key);
  }
  // The Serve panel offers it and has it selected.
  await page.getByRole('tab', { name: 'Serve' }).click();
  await page.locator('#serve-model').waitFor();
  assert.equal(await page.locator('#serve-model').inputValue(), 'imported');
  await page.getByRole('tab', { name: 'Model' }).click();
  await page.fill('#model-hf-config', '{"model_type": "llama", "hidden_size": ');
  await page.click('#model-hf-import');
  assert.match(await page.locator('#model-hf-error').textContent(), /JSON/i);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the URL restores the view on reload, and back walks through changes', async () => {
  const { page, context } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  await page.selectOption('#model-preset', 'llama-2-13b');
  await page.fill('#model-context', '8192');
  await page.locator('#model-context').dispatchEvent('change');
  const url = page.url();
  assert.match(url, /model\.preset=llama-2-13b/);
  assert.match(url, /model\.context=8192/);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('#model-preset').inputValue(), 'llama-2-13b');
  assert.equal(await page.locator('#model-context').inputValue(), '8192');
  await page.goBack();
  await page.waitForFunction(() => !location.search.includes('model.context=8192'));
  assert.equal(await page.locator('#model-context').inputValue(), '4096');
  assert.equal(await page.locator('#model-preset').inputValue(), 'llama-2-13b');
  await context.close();
});
