// Shared set-up for the Chromium tests: a static server over the built dist/
// (optionally under a sub-path, as a course site would host it) and Debian's
// Chromium driven by playwright-core.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { after, before } from 'node:test';

import { chromium } from 'playwright-core';

// LLMST_DIST: serve another build (one engineer's private vite --outDir) instead of the shared dist/.
const distDir = resolve(process.env.LLMST_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url)));
const contentTypes = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff',
  '.ttf': 'font/ttf', '.webmanifest': 'application/manifest+json',
};

/**
 * Serves dist/ on 127.0.0.1 at a free port under `basePath` ("/" or "/course/llm/").
 * `extraRoutes` maps a path to { body, type } for test-only pages (e.g. a foreign embed page).
 * `cors: false` serves dist/ like a plain static host (no Access-Control-Allow-Origin);
 * `onRequest(pathname)` sees every request (e.g. to prove a page loaded from the cache).
 */
export async function startServer({ basePath = '/', extraRoutes = {}, cors = true, onRequest } = {}) {
  if (!existsSync(join(distDir, 'index.html'))) throw new Error('dist/ is missing: run "npm run build" first');
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    onRequest?.(url.pathname);
    const route = extraRoutes[url.pathname];
    if (route) {
      response.writeHead(200, { 'content-type': route.type ?? 'text/html; charset=utf-8', ...(route.headers ?? {}) });
      response.end(route.body);
      return;
    }
    if (!url.pathname.startsWith(basePath)) {
      response.writeHead(404).end('not found');
      return;
    }
    let relative = decodeURIComponent(url.pathname.slice(basePath.length));
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const file = normalize(join(distDir, relative));
    if (!file.startsWith(distDir) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    // Like GitHub Pages: CORS open, so other sites can load embed.js and the module.
    response.writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      ...(cors ? { 'access-control-allow-origin': '*' } : {}),
    });
    createReadStream(file).pipe(response);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, url: origin + basePath, close: () => new Promise((done) => server.close(done)) };
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Opens `url` in a fresh page and collects console errors, page errors and
 * CSP violations, so every test can assert there were none.
 */
export async function openPage(browser, url, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  const cspViolations = () => page.evaluate(() => window.__cspViolations);
  return { page, context, problems, cspViolations };
}

/**
 * Registers node:test before/after hooks that start one Chromium and one
 * server for a test file; returns { browser, server }, filled in by `before`.
 */
export function useBrowserAndServer(serverOptions) {
  const shared = { browser: null, server: null };
  before(async () => {
    shared.browser = await launchBrowser();
    shared.server = await startServer(serverOptions);
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}
