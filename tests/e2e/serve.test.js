// The Serve panel in Chromium: a simulation runs in the worker and shows its
// table, latency CDFs and time series; changing the scheduler re-runs it and
// goes into the link; a pinned configuration is compared; a long sweep can be
// cancelled and a short one draws the throughput–latency curve; the
// validation table against real engines is on the page.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

// A page of another kind holding the element, served beside the lab.
const embedPage = '<!doctype html><html><body><script type="module" src="/embed.js"></script>' +
  '<llm-serve id="embedded" model="llama-3.1-8b" requests="50" rate="2" scheduler="chunked"></llm-serve></body></html>';
const lab = useBrowserAndServer({ extraRoutes: { '/serve-embed.html': { body: embedPage }, '/favicon.ico': { body: '', type: 'image/x-icon' } } });
const validation = JSON.parse(readFileSync(new URL('../../docs/data/serve-validation.json', import.meta.url), 'utf8'));
const small = 'panel=serve&serve.requests=120&serve.rate=4&serve.prompt_tokens=256&serve.output_tokens=64';
const panel = 'llm-serve-panel';

const tableValue = (page, tableId, rowId) => page.locator(`${panel} #${tableId}`).evaluate((table, id) => {
  const row = table.rows.find((r) => r.id === id);
  return row ? row.value : null;
}, rowId);

// A plot rendered: an svg with at least one drawn path of the given class (or any path).
const plotDrawn = (page, plotId, markClass) => page.locator(`${panel} #${plotId}`).evaluate((plot, cls) => {
  const svg = plot.svg;
  if (!svg) return false;
  const paths = cls ? svg.querySelectorAll(`.${cls} path`) : svg.querySelectorAll('path');
  return [...paths].some((path) => (path.getAttribute('d') ?? '').length > 10);
}, markClass);

async function waitForRun(page) {
  await page.locator(`${panel} #serve-table tbody tr`).first().waitFor({ timeout: 60000 });
  await page.waitForFunction((tag) => !document.querySelector(tag).runs.busy, panel, { timeout: 60000 });
}

test('a simulation shows its table, the three latency CDFs and the time series', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?${small}`);
  await waitForRun(page);
  const completed = await tableValue(page, 'serve-table', 'completed');
  assert.equal(completed, 120, 'every request completed');
  const throughput = await tableValue(page, 'serve-table', 'throughput.requests');
  assert.ok(throughput > 0 && throughput < 10, `throughput ${throughput} req/s at 4 req/s offered`);
  // Little's law, both sides from the run: L and λW agree within 20 % on a 120-request run.
  const L = await tableValue(page, 'serve-table', 'little.L');
  const lambdaW = await tableValue(page, 'serve-table', 'little.lambdaW');
  assert.ok(Math.abs(L - lambdaW) <= 0.2 * Math.max(L, lambdaW), `L = ${L}, λW = ${lambdaW}`);
  for (const metric of ['ttft_s', 'tpot_s', 'e2e_s']) {
    assert.ok(await plotDrawn(page, `serve-cdf-${metric.replace('_s', '')}`, `cdf-${metric}`), `${metric} CDF drawn`);
  }
  assert.ok(await plotDrawn(page, 'serve-series-kv', 'series-kv'), 'KV series drawn');
  assert.ok(await plotDrawn(page, 'serve-series-queue', 'series-queue'), 'queue series drawn');
  // An explained figure opens its formula.
  await page.locator(`${panel} #serve-tpot llm-explain-figure button.figure`).click();
  await page.locator(`${panel} #serve-tpot llm-explain .formula .katex`).waitFor();
  await page.keyboard.press('Escape');
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('pin continuous batching, switch to static: the table compares both and the link keeps both', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?${small}`);
  await waitForRun(page);
  await page.locator(`${panel} #serve-pin`).click();
  await page.selectOption(`${panel} #serve-scheduler`, 'static');
  await page.waitForFunction((tag) => {
    const element = document.querySelector(tag);
    return element.pinnedResult && !element.runs.busy && element.state.scheduler === 'static';
  }, panel, { timeout: 60000 });
  assert.match(page.url(), /serve\.scheduler=static/);
  assert.match(page.url(), /serve\.pin=/);
  assert.match(await page.locator(`${panel} #serve-pin-status`).textContent(), /Scheduler.*continuous.*static/s);
  const headers = await page.locator(`${panel} #serve-table`).evaluate((table) => [...table.shadowRoot.querySelectorAll('th')].map((th) => th.textContent));
  assert.ok(headers.some((text) => /pinned/.test(text)), `pinned column: ${headers}`);
  // Static batches wait for a whole batch: its median TTFT differs from continuous batching's.
  const [current, pinned] = await page.evaluate((tag) => {
    const element = document.querySelector(tag);
    return [element.result.ttft_s.p50, element.pinnedResult.ttft_s.p50];
  }, panel);
  assert.notEqual(current, pinned);
  // The link restores the comparison.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await waitForRun(page);
  assert.equal(await page.locator(`${panel} #serve-scheduler`).inputValue(), 'static');
  await page.waitForFunction((tag) => document.querySelector(tag).pinnedResult, panel, { timeout: 60000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a long sweep can be cancelled; a short one draws the throughput–latency curve with the SLO rate', async () => {
  const { page, context, problems } = await openPage(lab.browser,
    `${lab.server.url}?panel=serve&serve.requests=60&serve.prompt_tokens=128&serve.output_tokens=32`);
  await waitForRun(page);
  // Long: many requests at many rates.
  await page.fill(`${panel} #serve-requests`, '20000');
  await page.locator(`${panel} #serve-requests`).dispatchEvent('change');
  await waitForRun(page);
  await page.fill(`${panel} #serve-sweep_rates`, '1,2,3,4,5,6,7,8,9,10,11,12');
  await page.locator(`${panel} #serve-sweep_rates`).dispatchEvent('change');
  await page.locator(`${panel} #serve-run-sweep`).click();
  // Cancel as soon as the sweep shows its progress (a click from the page: the button must not move first).
  await page.locator(`${panel} #serve-sweep-progress`).waitFor({ timeout: 30000 });
  const done = await page.evaluate((tag) => {
    const root = document.querySelector(tag).shadowRoot;
    const progress = root.querySelector('#serve-sweep-progress');
    root.querySelector('#serve-sweep-cancel').click();
    return progress.value;
  }, panel);
  assert.ok(done < 12, `cancelled while running (${done} of 12 rates done)`);
  assert.match(await page.locator(`${panel} #serve-sweep-message`).textContent(), /Cancelled/);
  assert.equal(await page.locator(`${panel} #serve-run-sweep`).isDisabled(), false, 'ready to run again');
  // Short: 60 requests at three rates, then the highest rate within the SLO.
  await page.fill(`${panel} #serve-requests`, '60');
  await page.locator(`${panel} #serve-requests`).dispatchEvent('change');
  await waitForRun(page);
  await page.fill(`${panel} #serve-sweep_rates`, '1,4,16');
  await page.locator(`${panel} #serve-sweep_rates`).dispatchEvent('change');
  await page.locator(`${panel} #serve-run-sweep`).click();
  await page.locator(`${panel} #serve-max-rate`).waitFor({ timeout: 120000 });
  assert.ok(await plotDrawn(page, 'serve-sweep-plot', 'sweep-line'), 'throughput–latency curve drawn');
  const rates = await page.locator(`${panel} #serve-sweep-table`).evaluate((table) => table.rows.map((row) => row.rate));
  assert.deepEqual(rates, [1, 4, 16]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the validation table against real engines is on the page, its held-out rows as the JSON has them', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?${small}`);
  await page.locator(`${panel} #serve-validation-table tbody tr`).first().waitFor({ timeout: 30000 });
  const heldOut = validation.rows.filter((row) => row.half === 'held-out');
  assert.equal(await page.locator(`${panel} #serve-validation-table tbody tr`).count(), heldOut.length);
  const text = await page.locator(`${panel} #serve-validation-table`).evaluate((table) => table.shadowRoot.textContent);
  for (const row of heldOut) assert.ok(text.includes(row.engine), `${row.id} shown`);
  assert.equal(await page.locator(`${panel} #serve-fitted-memory`).textContent(), String(validation.fitted.memory_efficiency));
  // "Use the fitted factors" puts them into the inputs and the link.
  await page.locator(`${panel} #serve-use-fitted`).click();
  assert.equal(Number(await page.locator(`${panel} #serve-memory_efficiency`).inputValue()), validation.fitted.memory_efficiency);
  if (validation.fitted.memory_efficiency !== 1) assert.match(page.url(), /serve\.memory_efficiency=/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('390 px: every table of the panel fits its box (key columns in view, the rest folded)', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?${small}&serve.pin=scheduler%3Dstatic`,
    { viewport: { width: 390, height: 844 } });
  await waitForRun(page);
  await page.waitForFunction((tag) => document.querySelector(tag).pinnedResult, panel, { timeout: 60000 });
  await page.fill(`${panel} #serve-sweep_rates`, '2,8');
  await page.locator(`${panel} #serve-sweep_rates`).dispatchEvent('change');
  await page.locator(`${panel} #serve-run-sweep`).click();
  await page.locator(`${panel} #serve-sweep-table tbody tr`).first().waitFor({ timeout: 120000 });
  await page.waitForTimeout(300);  // the tables fold on the next frame
  const tables = await page.evaluate((tag) => [...document.querySelector(tag).shadowRoot.querySelectorAll('llm-result-table')].map((table) => {
    const scroller = table.shadowRoot.querySelector('.scroll');
    const box = scroller.getBoundingClientRect();
    const outside = [...table.shadowRoot.querySelectorAll('td.key:not(.folded)')].filter((cell) => {
      const rect = cell.getBoundingClientRect();
      return rect.right > box.left + scroller.clientWidth + 1 || rect.right > window.innerWidth;
    }).length;
    return { id: table.id, scroll: scroller.scrollWidth - scroller.clientWidth, outside };
  }), panel);
  assert.deepEqual(tables.map((t) => t.id).sort(),
    ['serve-sweep-table', 'serve-table', 'serve-validation-fit-table', 'serve-validation-table']);
  for (const table of tables) {
    assert.ok(table.scroll <= 1, `${table.id}: no sideways scroll (${table.scroll} px)`);
    assert.equal(table.outside, 0, `${table.id}: key cells inside`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('<llm-serve> embeds with its inputs as attributes', async () => {
  const context = await lab.browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  await page.goto(`${lab.server.origin}/serve-embed.html`);
  await page.waitForFunction(() => document.querySelector('#embedded')?.result?.completed === 50, null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => document.querySelector('#embedded').shadowRoot.querySelector('#serve-scheduler').value), 'chunked');
  assert.deepEqual(problems, []);
  await context.close();
});
