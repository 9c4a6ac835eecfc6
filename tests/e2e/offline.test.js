// Offline after one visit: the Workbox service worker precaches the whole site
// at install, so after a single online visit the app reloads, runs a measured
// prefill in its worker (worker script + WASM from the cache) and shows
// embed.html with the network gone. The server counts requests: offline, none
// but the browser's update check of sw.js may reach it (so a cache miss cannot
// hide behind a live server).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPage, startServer } from './harness.js';

let browser;
let server;
let requests = [];
before(async () => {
  browser = await launchBrowser();
  server = await startServer({
    basePath: '/course/llm/',
    onRequest: (path) => requests.push(path),
    // A course's own page beside the lab, in the service worker's scope.
    extraRoutes: { '/course/llm/notes.html': { body: '<!doctype html><link rel="icon" href="data:,"><title>Notes</title><h1 id="notes">Course notes</h1>' } },
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('one visit, then offline: reload, a measured prefill run and embed.html all work', async () => {
  const { page, context, problems, cspViolations } = await openPage(browser,
    `${server.url}?panel=attention&attention.n=512&attention.d=32&attention.heads=1`);
  // Installed means precached: the install step fetches every file of the site.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const precached = await page.evaluate(async () => {
    const urls = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  // The four WASM modules: the first load, the closed forms (the other calculating panels, explain views),
  // the calculator (the Serve and Search panels) and the lab (measured runs).
  for (const pattern of [/\/index\.html$/, /\/embed\.html$/, /\/embed\.js$/, /sim-worker-.*\.js$/, /\.css$/,
    /\/llm_spacetime-[^/]*\.wasm$/, /\/llm_spacetime_forms-[^/]*\.wasm$/, /\/llm_spacetime_calculator-[^/]*\.wasm$/,
    /\/llm_spacetime_lab-[^/]*\.wasm$/]) {
    assert.ok(precached.some((url) => pattern.test(url)), `precached: ${pattern} in ${precached.join(' ')}`);
  }

  // Online, a page of the course in the same folder is still the course's own
  // page: the worker precaches the lab's files but does not answer every
  // navigation with the app.
  await page.goto(`${server.url}notes.html`);
  assert.equal(await page.locator('#notes').textContent(), 'Course notes');
  await page.goto(`${server.url}?panel=attention&attention.n=512&attention.d=32&attention.heads=1`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });

  await context.setOffline(true);
  requests = [];
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.click('#attention-run-prefill');
  await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 60000 });
  // n = 512: the sweep 256, 512 × naive and tiled.
  assert.equal(await page.locator('#attention-prefill-table tbody tr').count(), 4);
  const errors = await page.locator('#attention-prefill-table td[data-key="max_abs_error"]').allTextContents();
  for (const text of errors) assert.ok(Number(text) < 1e-5, `error ${text}`);

  await page.goto(`${server.url}embed.html`);
  await page.waitForFunction(() => document.querySelector('llm-model')?.shadowRoot?.querySelector('#model-total-params'),
    null, { timeout: 30000 });
  // The browser's own update check of the service worker script may still get
  // through Playwright's offline emulation; everything else must come from the cache.
  const updateCheck = /\/(sw|workbox-[\w-]+)\.js$/;
  assert.deepEqual(requests.filter((path) => !updateCheck.test(path)), [], 'offline, nothing reached the server');
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems.filter((text) => !/ERR_INTERNET_DISCONNECTED/.test(text)), []);
  await context.close();
});
