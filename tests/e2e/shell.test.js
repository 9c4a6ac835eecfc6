// The app shell: loads the WASM module under the strict CSP, from the root
// and from a sub-path, with no console errors.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPage, startServer } from './harness.js';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

for (const basePath of ['/', '/course/llm/']) {
  test(`page loads under ${basePath} with no errors or CSP violations`, async () => {
    const server = await startServer({ basePath });
    try {
      const { page, context, problems, cspViolations } = await openPage(browser, server.url);
      assert.ok(await page.locator('nav.tabs button').count() >= 1);
      assert.deepEqual(await cspViolations(), []);
      assert.deepEqual(problems, []);
      await context.close();
    } finally {
      await server.close();
    }
  });
}
