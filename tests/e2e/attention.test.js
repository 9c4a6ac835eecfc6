// The Attention panel in Chromium: a measured run in the worker with progress,
// results and plots; a cancelled run; the page stays responsive; errors by field.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

test('prefill run: progress, results table, plots, page responsive meanwhile', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser,
    `${lab.server.url}?panel=attention&attention.n=4096&attention.d=64&attention.heads=2`);
  await page.click('#attention-run-prefill');
  await page.waitForSelector('#attention-progress', { timeout: 10000 });
  // The main thread stays free while the worker computes: timers keep firing.
  // The last call alone (n = 4096, 2 heads, both kernels: 2 · 2 · 4·64·4096·4097/2
  // ≈ 8.6 GFLOP per pass) would block the main thread for seconds; 1 s allows for a
  // loaded machine descheduling the renderer and for drawing the plots.
  const longestGapMs = await page.evaluate(() => new Promise((resolve) => {
    let last = performance.now();
    let longest = 0;
    const start = last;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (now - start < 3000) setTimeout(tick, 10); else resolve(longest);
    };
    setTimeout(tick, 10);
  }));
  assert.ok(longestGapMs < 1000, `the main thread was blocked for ${longestGapMs} ms`);
  assert.equal(await page.locator('#attention-n').isEditable(), true);
  await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 120000 });
  // sweep 256, 512, 1024, 2048, 4096 × naive and tiled
  const rows = page.locator('#attention-prefill-table tbody tr');
  assert.equal(await rows.count(), 10);
  const errors = await page.locator('#attention-prefill-table td[data-key="max_abs_error"]').allTextContents();
  for (const text of errors) assert.ok(Number(text) < 1e-5, `error ${text}`);
  assert.ok(await page.locator('#attention-prefill-time-plot svg path').count() >= 2);
  assert.ok(await page.locator('#attention-prefill-memory-plot svg circle').count() >= 10);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a long run can be cancelled; the next run works in a fresh worker', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser,
    `${lab.server.url}?panel=attention&attention.seed_lengths=2048,2048&attention.seed_steps=64` +
    '&attention.prompt=64&attention.generated=8&attention.d_model=64&attention.decode_heads=4&attention.decode_kv_heads=2' +
    '&attention.window=8&attention.kv_group=16');
  await page.click('#attention-run-seed');
  // Estimated at many minutes: the page asks first (run-lifecycle.test.js tests the question itself).
  await page.click('#attention-confirm-run', { timeout: 10000 });
  await page.waitForSelector('#attention-cancel', { timeout: 10000 });
  await page.click('#attention-cancel');
  await page.waitForSelector('#attention-message:has-text("Cancelled")', { timeout: 10000 });
  assert.equal(await page.locator('#attention-progress').count(), 0);
  await page.click('#attention-run-decode');
  await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 60000 });
  const strategies = await page.locator('#attention-decode-table td[data-key="strategy"]').allTextContents();
  assert.deepEqual(strategies, ['full', 'window', 'sinks', 'recompute', 'none', 'int8', 'int4']);
  const errors = await page.locator('#attention-decode-table td[data-key="max_abs_error"]').allTextContents();
  assert.equal(errors[0], '0 (exact)');  // full vs itself
  assert.equal(errors[3], '0 (exact)');  // recompute-on-evict
  assert.notEqual(errors[1], '0 (exact)');  // a window of 8 of 72 tokens changes the output
  assert.ok(await page.locator('#attention-decode-plot svg rect').count() >= 7);
  // Closed form beside measured (GQA, 2 KV heads × head_dim 16 = 32 values per K row):
  // full 2 · 72 tokens · 32 · 4 B = 18,432 B; window 2 · 8 · 32 · 4 = 2,048 B.
  const measured = await page.locator('#attention-decode-table td[data-key="kv_bytes"]').allTextContents();
  const predicted = await page.locator('#attention-decode-table td[data-key="kv_predicted"]').allTextContents();
  assert.equal(measured[0], '18,432');
  assert.equal(predicted[0], '18,432');
  assert.equal(predicted[1], '2,048');
  for (const i of [0, 1, 2, 5, 6]) assert.equal(predicted[i], measured[i], `row ${i}`);
  assert.match(await page.locator('#attention-decode-notes').textContent(), /recompute: .*hidden states/);
  // The time split toggle adds each step's parts; a part a strategy does not do is exactly 0.
  assert.equal(await page.locator('#attention-decode-table td[data-key="split_attend"]').count(), 0);
  await page.check('#attention-decode-split');
  const split = async (part) => page.locator(`#attention-decode-table td[data-key="split_${part}"]`).allTextContents();
  for (const part of ['projection', 'store', 'recompute', 'dequantize', 'attend']) {
    const cells = await split(part);
    assert.equal(cells.length, 7, part);
    assert.ok(cells.every((cell) => /^\d+\.\d{3}$/.test(cell)), `${part}: ${cells}`);
  }
  const recompute = await split('recompute'), dequantize = await split('dequantize');
  for (const i of [0, 1, 2, 5, 6]) assert.equal(recompute[i], '0.000', `recompute, row ${i}`);
  for (const i of [0, 1, 2, 3, 4]) assert.equal(dequantize[i], '0.000', `dequantize, row ${i}`);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a bad value is reported next to its field', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=attention`);
  await page.fill('#attention-d', '0');
  await page.locator('#attention-d').dispatchEvent('change');
  await page.click('#attention-run-prefill');
  const message = page.locator('#attention-d-error');
  await message.waitFor({ timeout: 30000 });
  assert.match(await message.textContent(), /d = 0 must be at least 1/);
  assert.equal(await page.locator('#attention-d').getAttribute('aria-invalid'), 'true');
  assert.deepEqual(problems, []);
  await context.close();
});

test('seed experiment: the seed\'s algorithm beside its window and the exact strategies, log axis, n in numeric order', async () => {
  // 512 before 96 in the URL and as text; the page orders n as numbers
  const { page, context, problems } = await openPage(lab.browser,
    `${lab.server.url}?panel=attention&attention.seed_lengths=512,96&attention.seed_steps=2`);
  await page.click('#attention-run-seed');
  await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 120000 });
  const table = '#attention-seed-table';
  const column = (key) => page.locator(`${table} td[data-key="${key}"]`).allTextContents();
  const lengths = await column('n');
  assert.equal(lengths.length, 2 * 3 * 4);  // n × caches × strategies
  assert.deepEqual([...new Set(lengths)], ['96', '512']);
  assert.deepEqual((await column('label')).slice(0, 4),
    ['seed (its algorithm)', 'window W+1 (cached K/V)', 'recompute W+1 (exact)', 'none (exact; the seed\'s Full)']);
  assert.deepEqual((await column('cache')).filter((_, i) => i % 4 === 0),
    ['n = 96', '4√n = 39', '8 = 8', 'n = 512', '4√n = 90', '8 = 8']);
  const errors = await column('max_abs_error');
  const cosines = await column('min_cosine');
  for (let i = 0; i < lengths.length; i += 4) {
    assert.equal(errors[i + 2], '0 (exact)');  // recompute
    assert.equal(errors[i + 3], '0 (exact)');  // none
    // the seed and its window: the same output (float rounding apart)
    assert.equal(Number(cosines[i]).toFixed(4), Number(cosines[i + 1]).toFixed(4), `row ${i}`);
  }
  // FLOPs by part: cache 8 re-projects 9 tokens, 9 · 4 · 768² = 21.2 M of the seed's step
  const kv = await column('flops_kv');
  assert.match(kv[8], /^21\.2\s?M/);
  assert.match(await column('readme').then((cells) => cells.join('|')), /^\|*$/);  // README numbers: n = 2048 only
  const reading = await page.locator('#attention-seed-reading').textContent();
  assert.match(reading, /re-projects fewer tokens/);
  assert.match(reading, /n = 512, cache 8 = 8: the seed re-projects 9 tokens' K\/V each step/);
  // A ratio only where the runs' spreads do not overlap (tests/e2e/timing.test.js checks the rule itself).
  assert.match(reading, /the window (is \d+(\.\d+)?× (faster|slower) than the seed|and the seed: within noise)/);
  assert.match(await page.locator('#attention-seed-explained').textContent(), /What the seed did/);
  // The speed plot: a log y axis, one panel per n in numeric order, no text outside the svg
  const figure = page.locator('#attention-seed-plot .plot-host > *');
  const scales = await figure.evaluate((node) => ({ y: node.scale('y').type, fx: node.scale('fx').domain }));
  assert.deepEqual(scales, { y: 'log', fx: [96, 512] });
  const clipped = await figure.evaluate((node) => {
    const svg = node.tagName.toLowerCase() === 'svg' ? node : [...node.querySelectorAll('svg')].at(-1);
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].filter((text) => {
      const r = text.getBoundingClientRect();
      return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1);
    }).map((text) => text.textContent);
  });
  assert.deepEqual(clipped, []);
  assert.deepEqual(problems, []);
  await context.close();
});
