// The Plan panel's fine-tuning section in Chromium: method, rank, targets,
// checkpointing and GPU from the URL; trainable parameters as PEFT prints them;
// the stacked bar of memory by part; the fit; pin and compare; the link restores it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, startServer, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

const text = async (page, selector) => (await page.locator(selector).textContent()).trim();

test('Plan fine-tuning: QLoRA r = 64 on Llama-2-7B fits a 24 GB card; LoRA r = 8 on q, v trains 4,194,304; pin, compare and the link', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=plan&plan.model=llama-2-7b` +
    '&plan.train_method=qlora&plan.train_lora_rank=64&plan.train_lora_targets=all-linear&plan.train_sequence=2048&plan.train_hardware=rtx-4090');
  await page.locator('#plan-train-trainable').waitFor();
  // 32 layers x 64 x (4 (4096 + 4096) + 3 (4096 + 11008)) = 159,907,840 (PEFT prints the same).
  assert.equal(await text(page, '#plan-train-trainable'), '159,907,840');
  assert.equal(await text(page, '#plan-train-fits'), 'fits');
  assert.ok(Number((await text(page, '#plan-train-max-batch')).replaceAll(',', '')) >= 1);
  // One stacked bar per schedule, one segment per part (QLoRA: 8 parts).
  const bars = page.locator('#plan-train-parts-plot g.part-bars rect');
  await bars.first().waitFor();
  assert.equal(await bars.count(), 4 * 8);
  assert.equal(await page.locator('#plan-train-parts-plot .llm-plot-swatch', { hasText: 'Base weights (NF4 + double quant)' }).count(), 1);

  // LoRA r = 8 on q and v: Hu et al.'s setting, PEFT's 4,194,304.
  await page.click('#plan-pin');
  await page.selectOption('#plan-train_method', 'lora');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('plan.train_method') === 'lora');
  await page.fill('#plan-train_lora_rank', '8');
  await page.locator('#plan-train_lora_rank').dispatchEvent('change');
  await page.selectOption('#plan-train_lora_targets', 'q,v');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('plan.train_lora_targets') === 'q,v');
  assert.equal(await text(page, '#plan-train-trainable'), '4,194,304');
  // The pinned QLoRA configuration is drawn beside the current one.
  await page.locator('#plan-train-parts-plot text', { hasText: 'pinned · full' }).first().waitFor();
  assert.match(await page.locator('#plan-pin-status').textContent(), /Fine-tuning method\s*qlora pinned → lora now/);
  // A bad rank names its field.
  await page.fill('#plan-train_lora_rank', '0');
  await page.locator('#plan-train_lora_rank').dispatchEvent('input');
  assert.match(await page.locator('#plan-training-error').textContent(), /lora_rank/);
  await page.fill('#plan-train_lora_rank', '8');
  await page.locator('#plan-train_lora_rank').dispatchEvent('change');

  // The link restores every fine-tuning control and the pin.
  const url = new URL(page.url());
  const again = await context.newPage();
  await again.goto(url.href);
  await again.locator('#plan-train-trainable').waitFor();
  assert.equal(await again.locator('#plan-train_method').inputValue(), 'lora');
  assert.equal(await again.locator('#plan-train_lora_rank').inputValue(), '8');
  assert.equal(await again.locator('#plan-train_lora_targets').inputValue(), 'q,v');
  assert.equal(await again.locator('#plan-train_hardware').inputValue(), 'rtx-4090');
  assert.equal(await text(again, '#plan-train-trainable'), '4,194,304');
  await again.locator('#plan-train-parts-plot text', { hasText: 'pinned · full' }).first().waitFor();
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('<llm-plan> embedded on another page takes the fine-tuning inputs as attributes (train-method, train-lora-rank, ...)', async () => {
  const foreign = await startServer({ extraRoutes: { '/page.html': { body: '<!doctype html><html><body>' +
    `<script type="module" src="${lab.server.url}embed.js"></script>` +
    '<llm-plan id="embedded" model="llama-2-7b" train-method="qlora" train-lora-rank="64" train-lora-targets="all-linear"></llm-plan>' +
    '</body></html>' } } });
  const context = await lab.browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${foreign.origin}/page.html`);
    const trainable = page.locator('#embedded #plan-train-trainable');
    await trainable.waitFor();
    assert.equal((await trainable.textContent()).trim(), '159,907,840');
    await page.evaluate(() => document.querySelector('#embedded').setAttribute('train-lora-rank', '8'));
    await page.waitForFunction(() => document.querySelector('#embedded').shadowRoot.querySelector('#plan-train-trainable').textContent.trim() === '19,988,480');
  } finally {
    await context.close();
    await foreign.close();
  }
});
