// Compare in Chromium: pin a configuration, change another, and every table
// shows current, pinned and the ratio; the pin lives in the URL (reload and a
// pasted link keep it), Unpin removes it, and a hostile pin stays inert.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

// Llama-2-7B has 6,738,415,616 parameters (Touvron et al. 2023 / the HF checkpoint).
// With 8 KV heads instead of 32, K and V each lose 4096 × (4096 − 1024) weights per
// layer: 32 layers × 2 × 4096 × 3072 = 805,306,368 fewer, so 5,933,109,248 in total,
// and 5,933,109,248 / 6,738,415,616 = 0.8805 → "0.88×".
const mhaTotal = 6738415616;
const gqaTotal = mhaTotal - 32 * 2 * 4096 * (4096 - 1024);
const fmt = (n) => n.toLocaleString('en-US');

const cell = (page, table, key) => page.locator(`#${table} tbody tr.emphasis td[data-key="${key}"]`).first().textContent();

async function expectComparison(page) {
  assert.equal(await cell(page, 'model-params-table', 'count'), fmt(gqaTotal));
  assert.equal(await cell(page, 'model-params-table', 'count.pinned'), fmt(mhaTotal));
  assert.equal(await cell(page, 'model-params-table', 'count.ratio'), '0.88×');
  const headers = await page.locator('#model-params-table thead th').allTextContents();
  // The ratio header shows "× vs pinned"; its hidden column name is read out by screen readers.
  assert.deepEqual(headers.slice(4, 7), ['Total', 'Total (pinned)', 'Total × vs pinned']);
  const hiddenWidth = await page.locator('#model-params-table th.ratio .visually-hidden').nth(1).evaluate((span) => span.getBoundingClientRect().width);
  assert.ok(hiddenWidth <= 1, `the column name in the ratio header is visually hidden (${hiddenWidth} px)`);
  // Every table compares: weights memory (fp16 bytes scale like the parameters) and FLOPs.
  const fp16 = page.locator('#model-memory-table tbody tr', { hasText: 'fp16' }).first();
  assert.equal(await fp16.locator('td[data-key="bytes"]').textContent(), fmt(2 * gqaTotal));
  assert.equal(await fp16.locator('td[data-key="bytes.pinned"]').textContent(), fmt(2 * mhaTotal));
  assert.equal(await fp16.locator('td[data-key="bytes.ratio"]').textContent(), '0.88×');
  assert.ok(await page.locator('#model-flops-table td[data-key="decode.ratio"]').count() >= 5);
  assert.match(await page.locator('#model-pin-status').textContent(), /KV heads\s*32 pinned → 8 now/);
  assert.match(await page.locator('#model-total-params-pinned').textContent(), /6,738,415,616: 0\.88×/);
}

test('pin Llama-2-7B (MHA), change KV heads to 8: tables show both and the ratio; the URL keeps the pin', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=model&model.preset=llama-2-7b`);
  assert.equal(await page.locator('#model-params-table th', { hasText: '(pinned)' }).count(), 0);
  await page.click('#model-pin');
  await page.fill('#model-n_kv_heads', '8');
  await page.locator('#model-n_kv_heads').dispatchEvent('change');
  await expectComparison(page);

  // The URL carries the pinned inputs (preset, context: the MHA original) and the current change.
  const url = new URL(page.url());
  const pinned = new URLSearchParams(url.searchParams.get('model.pin'));
  assert.equal(pinned.get('preset'), 'llama-2-7b');
  assert.equal(pinned.get('n_kv_heads'), null);
  assert.equal(url.searchParams.get('model.n_kv_heads'), '8');
  // The custom-element snippet carries the pin too (as HTML-escaped attribute text).
  assert.match(await page.locator('#embed-element').inputValue(), / pin="preset=llama-2-7b&amp;context=4096"/);

  // CSV export of the compared table: both values and the ratio, raw numbers.
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.locator('#model-params-table').getByRole('button', { name: /CSV/ }).click()]);
  const csv = (await readFile(await download.path(), 'utf8')).trim().split('\r\n').map((line) => line.split(','));
  assert.deepEqual(csv[0], ['Part', 'Per layer', 'Per layer (pinned)', 'Per layer × vs pinned', 'Total', 'Total (pinned)',
    'Total × vs pinned', 'Share', 'Share (pinned)', 'Share × vs pinned']);
  const total = csv.find((row) => row[0] === 'Total');
  assert.equal(Number(total[4]), gqaTotal);
  assert.equal(Number(total[5]), mhaTotal);
  assert.ok(Math.abs(Number(total[6]) - gqaTotal / mhaTotal) < 1e-12);

  // Reload keeps it, and so does the link pasted into a fresh page.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await expectComparison(page);
  const shared = await openPage(lab.browser, url.href);
  await expectComparison(shared.page);
  await shared.context.close();

  // Back undoes the KV-heads change: pinned and current are the same again (ratio 1).
  await page.goBack();
  await page.waitForFunction(() => !location.search.includes('model.n_kv_heads'));
  assert.equal(await cell(page, 'model-params-table', 'count.ratio'), '1.00×');

  await page.click('#model-unpin');
  assert.equal(new URL(page.url()).searchParams.get('model.pin'), null);
  assert.equal(await page.locator('#model-params-table th', { hasText: '(pinned)' }).count(), 0);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a hostile pin is reported as text and never runs', async () => {
  const pin = new URLSearchParams([['<img src=x onerror=alert(1)>', '1'], ['n_kv_heads', '<script>alert(2)</script>'],
    ['context', '1e400']]).toString();
  const { page, context, problems, cspViolations } = await openPage(lab.browser,
    `${lab.server.url}?panel=model&model.preset=llama-2-7b&model.n_kv_heads=8&model.pin=${encodeURIComponent(pin)}`);
  let dialogs = 0;
  page.on('dialog', (dialog) => { dialogs += 1; dialog.dismiss(); });
  const report = page.locator('#model-pin-error');
  assert.match(await report.textContent(), /unknown key "<img src=x onerror=alert\(1\)>" ignored/);
  // Junk values fall back to the preset's (the same parser as the page's own URL): the pin is plain Llama-2-7B.
  assert.equal(await cell(page, 'model-params-table', 'count.pinned'), fmt(mhaTotal));
  const injected = await page.evaluate(() => {
    const root = document.querySelector('llm-model-panel').shadowRoot;
    return root.querySelectorAll('img, script').length;
  });
  assert.equal(injected, 0);
  assert.equal(dialogs, 0);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an embedded element compares through its pin attribute', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}embed.html`);
  await page.evaluate(() => {
    const element = document.createElement('llm-model');
    element.id = 'pinned-element';
    element.setAttribute('preset', 'llama-2-7b');
    element.setAttribute('n-kv-heads', '8');
    element.setAttribute('pin', 'preset=llama-2-7b');
    document.body.append(element);
  });
  const ratio = page.locator('#pinned-element #model-params-table tbody tr.emphasis td[data-key="count.ratio"]');
  assert.equal(await ratio.textContent(), '0.88×');
  // Removing the attribute ends the comparison.
  await page.evaluate(() => document.getElementById('pinned-element').removeAttribute('pin'));
  await page.locator('#pinned-element #model-params-table td[data-key="count.ratio"]').waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});

// The same row of a compared table: [current, pinned, ratio] texts of one column.
async function compared(row, key) {
  return Promise.all([key, `${key}.pinned`, `${key}.ratio`].map((k) => row.locator(`td[data-key="${k}"]`).first().textContent()));
}

test('KV cache: pin MHA, switch to GQA (8 KV heads): the cache is a quarter', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=kv&kv.preset=llama-3-8b&kv.variant=mha`);
  await page.locator('#kv-table').waitFor();
  await page.click('#kv-pin');
  await page.selectOption('#kv-variant', 'model');
  // Llama-3-8B: 32 layers, 32 query heads, 8 KV heads, head dim 128, fp16.
  // Per token: 2 (K, V) × 32 layers × KV heads × 128 × 2 bytes = 131,072 B with 8 KV heads, 524,288 B with 32 (MHA).
  const perToken = page.locator('#kv-table tbody tr').first();
  assert.deepEqual(await compared(perToken, 'bytes'), ['131,072', '524,288', '0.25×']);
  const total = page.locator('#kv-table tbody tr.emphasis');
  assert.equal((await compared(total, 'gib'))[2], '0.25×');
  assert.match(await page.locator('#kv-pin-status').textContent(), /Attention variant\s*mha pinned → model now/);
  assert.equal(new URLSearchParams(new URL(page.url()).searchParams.get('kv.pin')).get('variant'), 'mha');
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Roofline and Plan: pin an A100, switch to an H100: memory-bound times scale with bandwidth', async () => {
  // Spec sheets: A100 80GB SXM 2,039 GB/s, 312 dense fp16 TFLOP/s; H100 SXM 3,350 GB/s, 989.4 TFLOP/s.
  // A memory-bound operator takes bytes / bandwidth: 2039 / 3350 = 0.6087 → "0.61×";
  // a compute-bound one FLOPs / peak: 312 / 989.4 = 0.3153 → "0.32×".
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=roofline&roofline.hardware=a100-80gb`);
  await page.locator('#roofline-table').waitFor();
  await page.click('#roofline-pin');
  await page.selectOption('#roofline-hardware', 'h100-sxm');
  const rows = await page.locator('#roofline-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    phase: tr.querySelector('td[data-key="phase"]').textContent, bound: tr.querySelector('td[data-key="bound"]').textContent,
    ratio: tr.querySelector('td[data-key="time_s.ratio"]').textContent })));
  // At batch 1 every decode operator that moves bytes is memory-bound on both chips.
  const decodeMemory = rows.filter((row) => row.phase === 'decode' && row.bound === 'memory');
  assert.ok(decodeMemory.length >= 10);
  for (const row of decodeMemory) assert.equal(row.ratio, '0.61×');
  // Prefill GEMMs (and the fused softmax, which moves no bytes) are compute-bound.
  for (const row of rows.filter((r) => r.bound === 'compute')) assert.equal(row.ratio, '0.32×');
  assert.ok(rows.filter((row) => row.phase === 'prefill' && row.bound === 'compute').length >= 6);
  assert.match(await page.locator('#roofline-decode-time-pinned').textContent(), /0\.61×/);

  await page.goto(`${lab.server.url}?panel=plan&plan.hardware=a100-80gb`);
  await page.locator('#plan-table').waitFor();
  await page.click('#plan-pin');
  await page.selectOption('#plan-hardware', 'h100-sxm');
  const floor = page.locator('#plan-table tbody tr', { hasText: 'floor: (weights read' });
  assert.equal((await compared(floor, 'value'))[2], '0.61×');
  const kv = page.locator('#plan-table tbody tr', { hasText: 'KV cache (batch' });
  assert.equal((await compared(kv, 'value'))[2], '1.00×', 'the same model and batch keep the same KV cache');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Quantization: pin fp16, switch to int4: weights shrink to about a quarter', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=quant&quant.preset=llama-2-7b&quant.format=fp16`);
  await page.locator('#quant-size-table').waitFor();
  await page.click('#quant-pin');
  await page.selectOption('#quant-format', 'int4');
  // int4 in groups of 128 with one fp16 scale each: 4 + 16/128 = 4.125 bits per weight, against 16: 0.2578 → "0.26×".
  const attention = page.locator('#quant-size-table tbody tr', { hasText: 'attention' });
  assert.deepEqual(await compared(attention, 'bits_per_weight'), ['4.1250', '16.0000', '0.26×']);
  // Llama-2-7B: embedding and LM head 32000 × 4096 = 131,072,000 each, kept at fp16 (2 B); norms 266,240 at fp32 (4 B);
  // the other 6,738,415,616 − 2 × 131,072,000 − 266,240 = 6,476,005,376 weights at 4.125 or 16 bits.
  const blocks = 6738415616 - 2 * 131072000 - 266240;
  const fixedBytes = 2 * 131072000 * 2 + 266240 * 4;
  const int4 = fixedBytes + (blocks * 4.125) / 8;
  const fp16 = fixedBytes + blocks * 2;
  const total = page.locator('#quant-size-table tbody tr.emphasis');
  assert.equal((await compared(total, 'gb'))[2], `${(int4 / fp16).toFixed(2)}×`);
  assert.match(await page.locator('#quant-pin-status').textContent(), /Format\s*fp16 pinned → int4 now/);
  assert.deepEqual(problems, []);
  await context.close();
});
