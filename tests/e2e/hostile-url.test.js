// Hostile and broken URL parameters: script payloads, huge and negative
// numbers, wrong types and unknown keys are ignored or reported in the page;
// nothing from the URL runs or is inserted as HTML, and the page keeps working.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPage, startServer } from './harness.js';

const payloads = [
  '<img src=x onerror="window.__xss=1">',
  '"><script>window.__xss=1</script>',
  "'><svg onload=window.__xss=1>",
  'javascript:window.__xss=1',
  '1e308', '-1', 'NaN', '99999999999999999999', '0x10', '{"a":1}', '',
];

let browser;
let server;
let panels;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
  const { page, context } = await openPage(browser, server.url);
  panels = await page.evaluate(() => [...document.querySelectorAll('#panels > [data-panel]')]
    .map((element) => ({ id: element.dataset.panel, keys: element.constructor.stateKeys ?? [] })));
  await context.close();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('every panel declares the inputs it reads from the URL', () => {
  for (const panel of panels) assert.ok(panel.keys.length > 0, `panel ${panel.id} has stateKeys`);
});

// Each round gives every parameter a payload, shifted by one per key and per
// round, so over the rounds each key sees several payloads and each payload
// lands in several keys, at one page load per panel per round.
const rounds = 4;
for (let round = 0; round < rounds; round++) {
  test(`round ${round + 1}/${rounds}: payloads in every parameter of every panel stay inert`, async () => {
    const payloadFor = (index) => payloads[(index + round * 3) % payloads.length];
    for (const panel of panels) {
      const url = new URL(server.url);
      url.searchParams.set('panel', panel.id);
      url.searchParams.set('units', payloadFor(0));
      url.searchParams.set('embed', payloadFor(1));
      url.searchParams.set(`${panel.id}.${payloadFor(2)}`, payloadFor(3));  // unknown key
      panel.keys.forEach((key, index) => url.searchParams.set(`${panel.id}.${key}`, payloadFor(index + 4)));
      const { page, context, problems, cspViolations } = await openPage(browser, url.href);
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => window.__xss), undefined, `panel ${panel.id}: a payload ran`);
      assert.deepEqual(await cspViolations(), [], `panel ${panel.id}: something tried to run inline`);
      assert.deepEqual(problems, [], `panel ${panel.id}: page errors`);
      // No element or attribute from the payload made it into any shadow root.
      const injected = await page.evaluate(() => {
        const roots = [document];
        const found = [];
        while (roots.length) {
          const root = roots.pop();
          for (const element of root.querySelectorAll('*')) {
            if (element.shadowRoot) roots.push(element.shadowRoot);
            if (element.hasAttribute('onerror') || element.hasAttribute('onload')) found.push(element.tagName);
          }
        }
        return found;
      });
      assert.deepEqual(injected, [], `panel ${panel.id}`);
      await context.close();
    }
  });
}
