// The first load fetches the calculator module only (issue 16, item 1): the
// Model panel and an embed show their numbers with no lab module fetched; the
// lab (kernels, measured runs) is fetched by the run worker when a measured
// run starts, never by the page's main thread. With the service worker on, the
// lab arrives only through the offline precache, which starts after the page
// has loaded (sw.js is registered once the calculator answered).
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
const isCalculator = (path) => /\/llm_spacetime[-.][^/]*\.wasm$/.test(path) && !isLab(path);

let browser;
let server;
let requests = [];
before(async () => {
  assert.ok(assets.some((name) => /^llm_spacetime_lab-.*\.wasm$/.test(name)), 'dist/ has the lab module');
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

test('the Model panel\'s first load fetches only the calculator; a measured run fetches the lab in the worker', async () => {
  // Service workers off: what the page and its worker fetch, with no precache.
  const { context, page, problems } = await open(`${server.url}?panel=model`, { serviceWorkers: 'block' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  assert.equal(await page.locator('#model-total-params').textContent(), '6,738,415,616');
  // Idle a while: nothing fetches the lab behind the page's back.
  await page.waitForTimeout(1500);
  const firstLoad = wasmRequests();
  assert.equal(firstLoad.length, 1, `one WASM module on the first load: ${firstLoad.join(' ')}`);
  assert.ok(isCalculator(firstLoad[0]), `the calculator module: ${firstLoad[0]}`);
  const bytes = wasmBytes(firstLoad);
  assert.ok(bytes <= firstLoadWasmBytes, `first load fetched ${bytes} bytes of WASM (budget ${firstLoadWasmBytes})`);

  // A measured run: the worker fetches the lab module, the page does not.
  await page.goto(`${server.url}?panel=attention&attention.n=256&attention.d=32&attention.heads=1`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  assert.ok(!wasmRequests().some(isLab), 'the Attention panel opens without the lab');
  await page.click('#attention-run-prefill');
  await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 60000 });
  assert.equal(wasmRequests().filter(isLab).length, 1, `the run fetched the lab once: ${wasmRequests().join(' ')}`);
  assert.deepEqual((await pageWasm(page)).filter(isLab), [], 'the page\'s main thread never fetched the lab');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an embed loads only the calculator module; in the gallery the quant element\'s lab run fetches the lab in the worker', async () => {
  let { context, page, problems } = await open(`${server.url}model-embed.html`, { serviceWorkers: 'block' });
  await page.waitForFunction(() => document.querySelector('llm-model')?.shadowRoot?.querySelector('#model-total-params'),
    null, { timeout: 30000 });
  await page.waitForTimeout(1000);
  const wasm = wasmRequests();
  assert.ok(wasm.length === 1 && isCalculator(wasm[0]), `the calculator alone: ${wasm.join(' ')}`);
  assert.ok(wasmBytes(wasm) <= firstLoadWasmBytes);

  assert.deepEqual(problems, []);
  await context.close();

  // The gallery holds every element; the quant element measures its lab as soon as it shows.
  ({ context, page, problems } = await open(`${server.url}embed.html`, { serviceWorkers: 'block' }));
  await page.waitForFunction(() => document.querySelector('llm-quant')?.shadowRoot?.querySelector('#quant-lab-time'),
    null, { timeout: 60000 });
  const gallery = wasmRequests();
  assert.ok(isCalculator(gallery[0]), `the calculator first: ${gallery.join(' ')}`);
  assert.equal(gallery.filter(isLab).length, 1, `the lab run fetched the lab: ${gallery.join(' ')}`);
  assert.deepEqual((await pageWasm(page)).filter(isLab), [], 'the page\'s main thread never fetched the lab');
  assert.deepEqual(problems, []);
  await context.close();
});

test('with the service worker, the lab comes only from the offline precache, after the page loaded', async () => {
  const { context, page, problems } = await open(`${server.url}?panel=model`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const order = requests.filter((path) => path.endsWith('.wasm') || /\/sw\.js$/.test(path));
  const registered = order.findIndex((path) => /\/sw\.js$/.test(path));
  assert.ok(registered > 0, `sw.js registered after the first module: ${order.join(' ')}`);
  const beforeWorker = order.slice(0, registered);
  assert.ok(beforeWorker.every(isCalculator), `before the service worker, only the calculator: ${beforeWorker.join(' ')}`);
  assert.ok(wasmBytes(beforeWorker) <= firstLoadWasmBytes);
  assert.ok(order.slice(registered).some(isLab), 'the precache fetched the lab (offline measured runs)');
  assert.deepEqual((await pageWasm(page)).filter(isLab), [], 'the page never fetched the lab itself');
  assert.deepEqual(problems, []);
  await context.close();
});
