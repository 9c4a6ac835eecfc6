// The KV cache panel's "Measured in WASM" section in Chromium: one layer of
// the configuration decoded in the worker, progress, the closed form beside
// the measured bytes, MHA/GQA/MQA side by side, and a cancelled run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

const column = (page, table, key) => page.locator(`${table} td[data-key="${key}"]`).allTextContents();

test('measure one layer: progress, then measured = closed form for the fp32 full cache', async () => {
  // Llama-3-8B shape (32 heads, 8 KV heads, head_dim 128), fp16 KV, capped at 512 tokens.
  const { page, context, problems, cspViolations } = await openPage(lab.browser,
    `${lab.server.url}?panel=kv&kv.measure_tokens=512&kv.measure_steps=4`);
  await page.locator('#kv-table').waitFor();
  assert.equal(await page.locator('#kv-measure-tokens').textContent(), '512');
  await page.click('#kv-measure-run');
  await page.waitForSelector('#kv-measure-progress', { timeout: 10000 });
  await page.waitForSelector('#kv-measure-message:has-text("Done")', { timeout: 120000 });

  // Full cache, GQA 8 KV heads: 2 · 512 tokens · 8 · 128 · 4 B = 4,194,304 B per layer;
  // the same at fp16 is half, 2,097,152 B.
  const measured = await column(page, '#kv-measured-table', 'measured_bytes');
  const predicted = await column(page, '#kv-measured-table', 'predicted_bytes');
  const shown = await column(page, '#kv-measured-table', 'shown_bytes');
  assert.equal(measured[0], '4,194,304');
  assert.equal(predicted[0], measured[0]);
  assert.equal(shown[0], '2,097,152');
  assert.equal((await column(page, '#kv-measured-table', 'max_abs_error'))[0], '0 (exact)');
  assert.match(await page.locator('#kv-measured-notes').textContent(), /kernel keeps fp32/);

  // MHA, GQA, MQA: 32, 8, 1 KV heads → 16,777,216, 4,194,304 and 524,288 B, measured and formula alike.
  assert.deepEqual(await column(page, '#kv-measured-variants', 'label'),
    ['MHA (32 KV heads)', 'GQA (8 KV heads)', 'MQA (1 KV head)']);
  const variantBytes = await column(page, '#kv-measured-variants', 'measured_bytes');
  assert.deepEqual(variantBytes, ['16,777,216', '4,194,304', '524,288']);
  assert.deepEqual(await column(page, '#kv-measured-variants', 'predicted_bytes'), variantBytes);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a measured run can be cancelled; the URL keeps the new inputs', async () => {
  const { page, context, problems } = await openPage(lab.browser,
    `${lab.server.url}?panel=kv&kv.prompt=65536&kv.measure_tokens=8192&kv.measure_steps=32`);
  await page.locator('#kv-table').waitFor();
  await page.click('#kv-measure-run');
  // A run this long is estimated over a minute: the panel asks first.
  await page.click('#kv-measure-confirm-run', { timeout: 10000 });
  await page.waitForSelector('#kv-measure-cancel', { timeout: 10000 });
  await page.click('#kv-measure-cancel');
  await page.waitForSelector('#kv-measure-message:has-text("Cancelled")', { timeout: 10000 });
  assert.equal(await page.locator('#kv-measure-progress').count(), 0);
  assert.match(page.url(), /kv\.measure_tokens=8192/);
  assert.equal(await page.locator('#kv-measure-run').isDisabled(), false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a bad quantization group is reported next to its field', async () => {
  // int8 groups of 48 do not divide head_dim 128: the kernel refuses, naming kv_group.
  const { page, context, problems } = await openPage(lab.browser,
    `${lab.server.url}?panel=kv&kv.kv_dtype=int8&kv.group=48&kv.measure_tokens=64`);
  await page.locator('#kv-table').waitFor();
  await page.click('#kv-measure-run');
  const message = page.locator('#kv-group-error');
  await message.waitFor({ timeout: 30000 });
  assert.match(await message.textContent(), /kv_group = 48 must divide head_dim = 128/);
  assert.equal(await page.locator('#kv-group').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(problems, []);
  await context.close();
});
