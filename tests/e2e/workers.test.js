// Issue 16 item 2 in Chromium: the attention panel's prefill split by heads
// and decode by KV heads across N Web Workers (web/src/worker-pool.js). It works with 1 and with 2
// workers, gives the one-worker outputs bit for bit, shows the speedup, and
// Cancel terminates every worker of the pool.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

// A page that frames the lab in sandbox="allow-scripts" (an opaque origin):
// workers start there from a classic blob that imports the worker script.
const sandboxedLab = () => `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><script>
const frame = document.createElement('iframe');
frame.id = 'frame';
frame.setAttribute('sandbox', 'allow-scripts');
frame.width = 1200;
frame.height = 900;
frame.src = location.origin + '/?' + location.search.slice(1);
document.body.append(frame);
</script></body></html>`;
const lab = useBrowserAndServer({ extraRoutes: { '/sandboxed.html': { body: sandboxedLab() } } });
const prefill = (extra) => `${lab.server.url}?panel=attention&attention.n=1024&attention.d=32&attention.heads=4${extra}`;
const hashes = (page) => page.locator('#attention-prefill-table td[data-key="head_output_hashes"]').allTextContents();

async function runPrefill(page) {
  await page.click('#attention-run-prefill');
  await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 180000 });
}

test('Workers = 1 and Workers = 2 give the same outputs bit for bit; the split run shows speedup and efficiency', async () => {
  const one = await openPage(lab.browser, prefill('&attention.workers=1'));
  let most = 0;
  one.page.on('worker', () => { most = Math.max(most, one.page.workers().length); });
  await runPrefill(one.page);
  assert.equal(most, 1, 'one worker: the shared worker only');
  const single = await hashes(one.page);
  assert.equal(single.length, 6);  // n = 256, 512, 1024 × naive, tiled
  for (const text of single) assert.match(text, /^([0-9a-f]{8} ){3}[0-9a-f]{8}$/);  // four heads
  assert.equal(await one.page.locator('#attention-prefill-parallel').count(), 0);
  assert.deepEqual(one.problems, []);
  await one.context.close();

  const two = await openPage(lab.browser, prefill('&attention.workers=2&attention.compare=1'));
  const started = [];
  two.page.on('worker', (worker) => started.push(worker));
  await runPrefill(two.page);
  assert.equal(started.length, 2, 'two pool workers, each with its own module');
  assert.deepEqual(await hashes(two.page), single);
  const notes = two.page.locator('#attention-prefill-parallel li');
  assert.equal(await notes.count(), 3);
  for (const note of await notes.all()) {
    assert.match(await note.textContent(), /2 workers,\s+whole run .* on one worker: speedup/);
    assert.match(await note.locator('.speedup').textContent(), /^\d+\.\d\d×$/);
    assert.match(await note.locator('.efficiency').textContent(), /^\d+ %$/);
    assert.equal(await note.locator('.identical').textContent(), 'bit-identical to');
  }
  // Without the comparison: one split run per size, the same outputs, no speedup claimed.
  await two.page.locator('#attention-compare').uncheck();
  await runPrefill(two.page);
  assert.deepEqual(await hashes(two.page), single);
  assert.match(await notes.first().textContent(), /2 workers, whole run .*tick “Time one\s+worker too”/);
  assert.deepEqual(two.problems, []);
  assert.deepEqual(await two.cspViolations(), []);
  await two.context.close();
});

test('decode split by KV heads: Workers = 1 and 2 give the same outputs and errors bit for bit, with the speedup', async () => {
  const decode = (extra) => `${lab.server.url}?panel=attention&attention.prompt=48&attention.generated=16` +
    `&attention.d_model=64&attention.decode_heads=4&attention.decode_kv_heads=2&attention.window=16&attention.kv_group=8&attention.sample_steps=4${extra}`;
  const columns = ['kv_head_output_hashes', 'max_abs_error', 'min_cosine'];
  const read = (page) => Promise.all(columns.map((key) =>
    page.locator(`#attention-decode-table td[data-key="${key}"]`).allTextContents()));
  const runDecode = async (page) => {
    await page.click('#attention-run-decode');
    await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 180000 });
  };
  const one = await openPage(lab.browser, decode('&attention.workers=1'));
  await runDecode(one.page);
  const single = await read(one.page);
  assert.equal(single[0].length, 7);  // every strategy
  for (const text of single[0]) assert.match(text, /^[0-9a-f]{8} [0-9a-f]{8}$/);  // two KV heads
  assert.equal(await one.page.locator('#attention-decode-parallel').count(), 0);
  assert.deepEqual(one.problems, []);
  await one.context.close();

  const two = await openPage(lab.browser, decode('&attention.workers=2&attention.compare=1'));
  const started = [];
  two.page.on('worker', (worker) => started.push(worker));
  await runDecode(two.page);
  assert.equal(started.length, 2, 'two pool workers, each with its own module');
  assert.deepEqual(await read(two.page), single);
  const notes = two.page.locator('#attention-decode-parallel li');
  assert.equal(await notes.count(), 7);
  for (const note of await notes.all()) {
    assert.match(await note.locator('.speedup').textContent(), /^\d+\.\d\d×$/);
    assert.equal(await note.locator('.identical').textContent(), 'bit-identical to');
  }
  assert.deepEqual(two.problems, []);
  await two.context.close();
});

test('Cancel during a multi-worker run terminates every pool worker; the next run works', async () => {
  const { page, context, problems } = await openPage(lab.browser,
    `${lab.server.url}?panel=attention&attention.n=8192&attention.d=64&attention.heads=4&attention.workers=2&attention.compare=1`);
  const closed = [];
  page.on('worker', (worker) => worker.on('close', () => closed.push(worker)));
  await page.click('#attention-run-prefill');
  // A long run: the page may ask first.
  for (let i = 0; i < 150 && page.workers().length < 2; i++) {
    if (await page.locator('#attention-confirm-run').count()) await page.click('#attention-confirm-run');
    await page.waitForTimeout(100);
  }
  assert.equal(page.workers().length, 2, 'both pool workers running');
  await page.waitForTimeout(1500);  // mid-run: the workers are computing
  await page.click('#attention-cancel');
  await page.waitForSelector('#attention-message:has-text("Cancelled")', { timeout: 10000 });
  for (let i = 0; i < 50 && page.workers().length > 0; i++) await page.waitForTimeout(100);
  assert.equal(page.workers().length, 0, 'no worker keeps running after Cancel');
  assert.equal(closed.length, 2);
  // The next split run starts fresh workers and completes.
  await page.fill('#attention-n', '512');
  await page.locator('#attention-n').press('Enter');
  await runPrefill(page);
  assert.equal(await page.locator('#attention-prefill-parallel li').count(), 2);  // n = 256, 512
  assert.deepEqual(problems, []);
  await context.close();
});

test('in a sandboxed iframe (opaque origin) the split run works too, with the same outputs', async () => {
  const query = 'embed=1&panel=attention&attention.n=256&attention.d=32&attention.heads=4';
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?${query}&attention.workers=1`);
  await runPrefill(page);
  const single = await hashes(page);
  await page.goto(`${lab.server.origin}/sandboxed.html?${query}&attention.workers=2&attention.compare=1`);
  const frame = page.frameLocator('#frame');
  await frame.locator('#attention-run-prefill').click({ timeout: 30000 });
  await frame.locator('#attention-message:has-text("Done")').waitFor({ timeout: 120000 });
  assert.deepEqual(await frame.locator('#attention-prefill-table td[data-key="head_output_hashes"]').allTextContents(), single);
  assert.equal(await frame.locator('#attention-prefill-parallel .identical').textContent(), 'bit-identical to');
  assert.deepEqual(problems, []);
  await context.close();
});
