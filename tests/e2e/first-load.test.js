// The first load fetches the first-load module only (issue 16, item 1): the
// Model panel and an llm-model element show their numbers with neither the
// closed forms (every other closed form, the explain views), the calculator
// (the simulators) nor the lab fetched. The closed forms are fetched when
// another calculating panel opens or a figure's explanation is first asked
// for; the calculator when the Serve or Search panel opens; the lab (kernels,
// measured runs) by the run worker when a measured run starts, never by the
// page's main thread. With the service worker
// on, the rest arrives only through the offline precache, which starts after
// the page has loaded (sw.js is registered once the first-load module answered).
// The server counts what it sends, so nothing can hide in a cache.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { launchBrowser, startServer } from './harness.js';
import { firstLoadWasmBytes } from '../wasm-budget.js';

const distDir = resolve(process.env.LLMST_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url)));
const sizeOf = (path) => statSync(join(distDir, path)).size;
const assets = readdirSync(join(distDir, 'assets'));
const isLab = (path) => /\/llm_spacetime_lab[-.][^/]*\.wasm$/.test(path);
const isCalculator = (path) => /\/llm_spacetime_calculator[-.][^/]*\.wasm$/.test(path);
const isForms = (path) => /\/llm_spacetime_forms[-.][^/]*\.wasm$/.test(path);
const isFirst = (path) => /\/llm_spacetime[-.][^/]*\.wasm$/.test(path);

let browser;
let server;
let requests = [];
before(async () => {
  for (const name of ['llm_spacetime', 'llm_spacetime_forms', 'llm_spacetime_calculator', 'llm_spacetime_lab']) {
    assert.ok(assets.some((asset) => new RegExp(`^${name}-.*\\.wasm$`).test(asset)), `dist/ has ${name}.wasm`);
  }
  browser = await launchBrowser();
  server = await startServer({
    onRequest: (path) => requests.push(path),
    // A course page with one embedded element that calculates (no measured run).
    extraRoutes: { '/model-embed.html': { body: '<!doctype html><link rel="icon" href="data:,"><title>Notes</title>' +
      '<script type="module" src="/embed.js"></script><llm-model model="llama-2-7b"></llm-model>' } },
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const wasmRequests = () => requests.filter((path) => path.endsWith('.wasm'));
const wasmBytes = (paths) => paths.reduce((sum, path) => sum + sizeOf(path.slice(1)), 0);
// What the page's own (main-thread) resource timing saw: a worker's fetches are not in it.
const pageWasm = (page) => page.evaluate(() => performance.getEntriesByType('resource')
  .map((entry) => new URL(entry.name).pathname).filter((path) => path.endsWith('.wasm')));

async function open(url, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  requests = [];
  await page.goto(url);
  return { context, page, problems };
}

test('the Model panel\'s first load fetches only the first-load module; an explanation or another panel the closed forms; a measured run the lab in the worker', async (t) => {
  // Service workers off: what the page and its worker fetch, with no precache.
  const { context, page, problems } = await open(`${server.url}?panel=model`, { serviceWorkers: 'block' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  assert.equal(await page.locator('#model-total-params').textContent(), '6,738,415,616');
  // Idle a while: nothing fetches the closed forms, the calculator or the lab behind the page's back.
  await page.waitForTimeout(1500);
  const firstLoad = wasmRequests();
  assert.equal(firstLoad.length, 1, `one WASM module on the first load: ${firstLoad.join(' ')}`);
  assert.ok(isFirst(firstLoad[0]), `the first-load module: ${firstLoad[0]}`);
  const bytes = wasmBytes(firstLoad);
  t.diagnostic(`the Model panel's first load fetched ${bytes} bytes of WASM (budget ${firstLoadWasmBytes})`);
  assert.ok(bytes <= firstLoadWasmBytes, `first load fetched ${bytes} bytes of WASM (budget ${firstLoadWasmBytes})`);

  // A figure's explanation: the explain views are the closed forms', fetched on this first click.
  await page.locator('#model-total-params button.figure').click();
  const dialog = page.locator('#model-total-params dialog');
  await dialog.waitFor({ state: 'visible', timeout: 30000 });
  assert.match(await dialog.locator('.title').textContent(), /param/i);
  assert.equal(wasmRequests().filter(isForms).length, 1, `the explanation fetched the closed forms: ${wasmRequests().join(' ')}`);
  await page.keyboard.press('Escape');

  // Another panel's tab: it runs on the closed forms, already here; the Model panel keeps its state.
  await page.click('#tab-kv');
  await page.waitForFunction(() => document.querySelector('llm-kv-cache-panel')?.shadowRoot?.querySelector('#kv-total'),
    null, { timeout: 30000 });
  assert.equal(wasmRequests().filter(isForms).length, 1, 'the closed forms are fetched once');
  assert.ok(!wasmRequests().some(isCalculator), `no simulator or plan asked for, no calculator: ${wasmRequests().join(' ')}`);
  // The Plan panel runs on the closed forms too (its plan's own files at -O3): nothing more to fetch.
  await page.click('#tab-plan');
  await page.waitForFunction(() => document.querySelector('llm-plan-panel')?.shadowRoot?.querySelector('#plan-ttft'),
    null, { timeout: 30000 });
  assert.equal(wasmRequests().filter(isForms).length, 1, `the Plan panel fetched nothing more: ${wasmRequests().join(' ')}`);
  assert.ok(!wasmRequests().some(isCalculator), `the Plan panel fetched no calculator: ${wasmRequests().join(' ')}`);

  // A measured run: the worker fetches the lab module, the page does not.
  const attentionOpened = wasmRequests().length;
  await page.goto(`${server.url}?panel=attention&attention.n=256&attention.d=32&attention.heads=1`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  assert.ok(!wasmRequests().some(isLab), 'the Attention panel opens without the lab');
  await page.click('#attention-run-prefill');
  await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 60000 });
  assert.equal(wasmRequests().filter(isLab).length, 1, `the run fetched the lab once: ${wasmRequests().join(' ')}`);
  assert.deepEqual((await pageWasm(page)).filter(isLab), [], 'the page\'s main thread never fetched the lab');
  // The run's estimate came from the closed forms: no calculator since the Attention panel opened.
  assert.ok(!wasmRequests().slice(attentionOpened).some(isCalculator), `a measured run fetched no calculator: ${wasmRequests().join(' ')}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('another panel opened first fetches its own module alone: the closed forms (the Serve panel the calculator), not the first-load module or the lab', async (t) => {
  const { context, page, problems } = await open(`${server.url}?panel=kv`, { serviceWorkers: 'block' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('llm-kv-cache-panel')?.shadowRoot?.querySelector('#kv-total'), null, { timeout: 30000 });
  await page.waitForTimeout(1000);
  const wasm = wasmRequests();
  // The Model panel's module is not fetched for a page that does not show it.
  assert.equal(wasm.filter(isFirst).length, 0, wasm.join(' '));
  assert.equal(wasm.filter(isForms).length, 1, wasm.join(' '));
  t.diagnostic(`the KV panel's first load fetched ${wasmBytes(wasm)} bytes of WASM`);
  assert.equal(wasm.filter(isCalculator).length, 0, wasm.join(' '));
  assert.equal(wasm.filter(isLab).length, 0, wasm.join(' '));
  // The other panels' elements are created when their tab is first shown.
  assert.equal(await page.locator('llm-plan-panel').count(), 0);
  // The Model tab then runs on the closed forms already here: no first-load module on top.
  await page.click('#tab-model');
  await page.locator('#model-total-params:has-text("6,738,415,616")').waitFor({ timeout: 30000 });
  assert.equal(wasmRequests().filter(isFirst).length, 0, `the Model panel fetched nothing more: ${wasmRequests().join(' ')}`);
  assert.deepEqual(problems, []);
  await context.close();

  // The Serve panel runs on the calculator (the serving simulator), without the closed forms
  // (its run worker loads a calculator of its own for the simulation).
  const serve = await open(`${server.url}?panel=serve`, { serviceWorkers: 'block' });
  await serve.page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await serve.page.waitForTimeout(1000);
  const serveWasm = wasmRequests();
  assert.equal(serveWasm.filter(isFirst).length, 0, serveWasm.join(' '));
  assert.equal((await pageWasm(serve.page)).filter(isCalculator).length, 1, serveWasm.join(' '));
  assert.equal(serveWasm.filter(isForms).length, 0, serveWasm.join(' '));
  assert.equal(serveWasm.filter(isLab).length, 0, serveWasm.join(' '));
  assert.deepEqual(serve.problems, []);
  await serve.context.close();
});

test('an llm-model embed loads only the first-load module; in the gallery the quant element\'s lab run fetches the lab in its workers', async () => {
  let { context, page, problems } = await open(`${server.url}model-embed.html`, { serviceWorkers: 'block' });
  await page.waitForFunction(() => document.querySelector('llm-model')?.shadowRoot?.querySelector('#model-total-params'),
    null, { timeout: 30000 });
  await page.waitForTimeout(1000);
  const wasm = wasmRequests();
  assert.ok(wasm.length === 1 && isFirst(wasm[0]), `the first-load module alone: ${wasm.join(' ')}`);
  assert.ok(wasmBytes(wasm) <= firstLoadWasmBytes);

  assert.deepEqual(problems, []);
  await context.close();

  // The gallery holds every element; the quant element measures its lab as soon as it shows.
  ({ context, page, problems } = await open(`${server.url}embed.html`, { serviceWorkers: 'block' }));
  await page.waitForFunction(() => document.querySelector('llm-quant')?.shadowRoot?.querySelector('#quant-lab-time'),
    null, { timeout: 60000 });
  const gallery = wasmRequests();
  // The gallery's other elements need the closed forms and (Serve, Search) the calculator too
  // (the main thread loads each once; a run worker may load its own calculator).
  assert.equal(gallery.filter(isFirst).length, 1, `the first-load module once: ${gallery.join(' ')}`);
  assert.equal((await pageWasm(page)).filter(isForms).length, 1, `the page loaded the closed forms once: ${gallery.join(' ')}`);
  assert.equal((await pageWasm(page)).filter(isCalculator).length, 1, `the page loaded the calculator once: ${gallery.join(' ')}`);
  // The run splits across the pool's workers (navigator.hardwareConcurrency by default), each with its own lab.
  const workers = await page.evaluate(() => navigator.hardwareConcurrency || 1);
  const labs = gallery.filter(isLab).length;
  assert.ok(labs >= 1 && labs <= workers, `the lab run fetched the lab once per worker (${workers} at most): ${gallery.join(' ')}`);
  assert.deepEqual((await pageWasm(page)).filter(isLab), [], 'the page\'s main thread never fetched the lab');
  assert.deepEqual(problems, []);
  await context.close();
});

test('with the service worker, the closed forms, the calculator and the lab come only from the offline precache, after the page loaded', async () => {
  const { context, page, problems } = await open(`${server.url}?panel=model`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const order = requests.filter((path) => path.endsWith('.wasm') || /\/sw\.js$/.test(path));
  const registered = order.findIndex((path) => /\/sw\.js$/.test(path));
  assert.ok(registered > 0, `sw.js registered after the first module: ${order.join(' ')}`);
  const beforeWorker = order.slice(0, registered);
  assert.ok(beforeWorker.every(isFirst), `before the service worker, only the first-load module: ${beforeWorker.join(' ')}`);
  assert.ok(wasmBytes(beforeWorker) <= firstLoadWasmBytes);
  assert.ok(order.slice(registered).some(isLab), 'the precache fetched the lab (offline measured runs)');
  assert.ok(order.slice(registered).some(isCalculator), 'the precache fetched the calculator (offline Serve and Search panels)');
  assert.ok(order.slice(registered).some(isForms), 'the precache fetched the closed forms (offline panels)');
  assert.deepEqual((await pageWasm(page)).filter(isLab), [], 'the page never fetched the lab itself');
  assert.deepEqual(problems, []);
  await context.close();
});
