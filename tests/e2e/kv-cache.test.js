// The KV cache panel in Chromium: edit a field, read the table, see the plots,
// see an error next to a bad field, and the URL round trip.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, startServer, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

const cell = (page, table, row, column) =>
  page.locator(`${table} tbody tr`).nth(row).locator('td').nth(column).textContent();

async function waitForText(locator, text, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await locator.textContent();
    if (last === text) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  assert.equal(last, text);
}

async function setField(page, id, value) {
  const input = page.locator(`#${id}`);
  await input.fill(value);
  await input.press('Tab');  // commits the value (change event)
}

test('editing KV heads updates the table; plots render; no CSP violations', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=kv`);
  await page.locator('#kv-table').waitFor();
  // Default preset Llama-3-8B: 32 layers, 8 KV heads, head_dim 128, fp16: 2 · 32 · 8 · 128 · 2 = 131,072 B per token.
  assert.equal(await cell(page, '#kv-table', 0, 1), '131,072');
  await setField(page, 'kv-kv_heads', '32');
  // MHA: 2 · 32 · 32 · 128 · 2 = 524,288.
  await waitForText(page.locator('#kv-table tbody tr').first().locator('td').nth(1), '524,288');
  // 8192 tokens · 524,288 B = 4 GiB per sequence.
  assert.equal(await cell(page, '#kv-table', 1, 3), '4');
  assert.match(page.url(), /kv\.kv_heads=32/);

  for (const plot of ['#kv-plot', '#kv-sim-plot', '#kv-attn-plot']) {
    assert.ok(await page.locator(`${plot} svg path`).count() >= 1, `${plot} has marks`);
  }
  assert.equal(await page.locator('#kv-sim-table tbody tr').count(), 3);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('choosing a preset and a variant updates the table', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=kv`);
  await page.locator('#kv-table').waitFor();
  await page.locator('#kv-preset').selectOption('llama-2-7b');
  // Llama-2-7B: 2 · 32 · 32 · 128 · 2 B = 524,288.
  await waitForText(page.locator('#kv-table tbody tr').first().locator('td').nth(1), '524,288');
  assert.equal(await page.locator('#kv-kv_heads').inputValue(), '32');
  await page.locator('#kv-variant').selectOption('mqa');
  // MQA: 2 · 32 · 1 · 128 · 2 = 16,384.
  await waitForText(page.locator('#kv-table tbody tr').first().locator('td').nth(1), '16,384');
  await page.locator('#kv-variant').selectOption('mla');
  // MLA with DeepSeek's 512 + 64 latent over 32 layers: 32 · 576 · 2 = 36,864.
  await waitForText(page.locator('#kv-table tbody tr').first().locator('td').nth(1), '36,864');
  assert.match(page.url(), /kv\.preset=llama-2-7b/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a bad value shows an error next to its field', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=kv`);
  await page.locator('#kv-table').waitFor();
  await setField(page, 'kv-batch', '-1');
  const error = page.locator('#kv-batch-error');
  await error.waitFor();
  assert.match(await error.textContent(), /batch = -1 must be at least 1/);
  assert.equal(await page.locator('#kv-batch').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#kv-batch').getAttribute('aria-describedby'), 'kv-batch-error');
  await setField(page, 'kv-kv_heads', '5');
  await setField(page, 'kv-batch', '2');
  assert.match(await page.locator('#kv-kv_heads-error').textContent(), /n_kv_heads = 5 must divide n_heads = 32/);
  assert.equal(await page.locator('#kv-batch-error').count(), 0);
  await setField(page, 'kv-seed', '1.5');
  await setField(page, 'kv-kv_heads', '8');
  assert.match(await page.locator('#kv-seed-error').textContent(), /seed = 1.5 must be a whole number/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the URL restores the view; hostile parameters stay inert', async () => {
  const hostile = encodeURIComponent('<img src=x onerror=alert(1)>');
  const { page, context, problems, cspViolations } = await openPage(lab.browser,
    `${lab.server.url}?panel=kv&kv.window=4096&kv.prompt=32768&kv.seed=3&kv.batch=${hostile}&kv.dist=${hostile}`);
  await page.locator('#kv-table').waitFor();
  // Window 4096 of 32768 tokens: 4096 · 131,072 B = 0.5 GiB per sequence.
  assert.equal(await cell(page, '#kv-table', 1, 3), '0.5');
  assert.equal(await page.locator('#kv-batch').inputValue(), '1');
  assert.equal(await page.locator('img').count(), 0);
  const summary = await page.locator('#kv-sim-summary').textContent();
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator('#kv-sim-summary').waitFor();
  // Same seed, same simulation (timing text aside).
  const strip = (text) => text.replace(/Computed in .* ms\./, '');
  assert.equal(strip(await page.locator('#kv-sim-summary').textContent()), strip(summary));
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('<llm-kv-cache> embedded in a foreign page follows its attributes', async () => {
  const foreign = await startServer({ extraRoutes: { '/page.html': { body:
    `<!doctype html><html><body><script type="module" src="${lab.server.url}embed.js"></script>` +
    '<llm-kv-cache id="kv" preset="llama-3-8b" context="32768"></llm-kv-cache></body></html>' } } });
  const context = await lab.browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    await page.goto(`${foreign.origin}/page.html`);
    const perSequence = page.locator('#kv #kv-table tbody tr').nth(1).locator('td').nth(3);
    await perSequence.waitFor({ timeout: 30000 });
    // Llama-3-8B at 32,768 tokens: 32768 · 131,072 B = 4 GiB per sequence.
    await waitForText(perSequence, '4');
    await page.evaluate(() => document.querySelector('#kv').setAttribute('window', '4096'));
    // A 4096-token window: 4096 · 131,072 B = 0.5 GiB.
    await waitForText(perSequence, '0.5');
    assert.ok(!page.url().includes('kv.'), 'an embedded element never writes the host page URL');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await foreign.close();
  }
});
