// What people notice: accessibility (axe-core: labels, names, WCAG AA contrast)
// in light and dark mode, a layout that works 375 px wide, a keyboard-only
// walk, and a screenshot of every panel (saved under test-results/, not committed).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';

import { launchBrowser, openPage, startServer } from './harness.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const screenshotDir = new URL('../../test-results/screenshots/', import.meta.url);
mkdirSync(screenshotDir, { recursive: true });

let browser;
let server;
let panelIds;
before(async () => {
  browser = await launchBrowser();
  server = await startServer();
  const { page, context } = await openPage(browser, server.url);
  panelIds = await page.evaluate(() => [...document.querySelectorAll('#panels > [data-panel]')].map((element) => element.dataset.panel));
  await context.close();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// axe runs through the DevTools protocol, so the page's CSP stays strict.
async function axeViolations(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ` +
      violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | '));
  });
}

for (const colorScheme of ['light', 'dark']) {
  test(`every panel passes axe WCAG 2.1 AA checks in ${colorScheme} mode`, async () => {
    for (const id of panelIds) {
      const { page, context, problems, cspViolations } = await openPage(browser, `${server.url}?panel=${id}`);
      await page.emulateMedia({ colorScheme });
      await page.waitForTimeout(300);
      assert.deepEqual(await axeViolations(page), [], `panel ${id}`);
      await page.screenshot({ path: new URL(`${id}-${colorScheme}.png`, screenshotDir).pathname, fullPage: true });
      assert.deepEqual(problems, [], `panel ${id}`);
      assert.deepEqual(await cspViolations(), [], `panel ${id}`);
      await context.close();
    }
  });
}

test('every panel fits a 375 px wide screen without sideways scrolling of the page', async () => {
  for (const id of panelIds) {
    const { page, context } = await openPage(browser, `${server.url}?panel=${id}`, { viewport: { width: 375, height: 800 } });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.screenshot({ path: new URL(`${id}-375px.png`, screenshotDir).pathname, fullPage: true });
    assert.ok(overflow <= 1, `panel ${id} overflows by ${overflow} px`);
    await context.close();
  }
});

// The focused element, looking through open shadow roots.
const activeId = (page) => page.evaluate(() => {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element?.id ?? element?.tagName;
});

test('keyboard only: reach the tabs, switch panels with arrows, edit a Model field', async () => {
  const { page, context } = await openPage(browser, `${server.url}?panel=model`);
  for (let i = 0; i < 12 && !(await activeId(page)).startsWith('tab-'); i++) await page.keyboard.press('Tab');
  assert.equal(await activeId(page), 'tab-model');
  await page.keyboard.press('ArrowRight');
  assert.notEqual(await activeId(page), 'tab-model');
  assert.doesNotMatch(page.url(), /panel=model/);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await activeId(page), 'tab-model');
  assert.match(page.url(), /panel=model/);
  // Into the panel: preset, context, slider, then the architecture fields.
  for (let i = 0; i < 20 && (await activeId(page)) !== 'model-n_layers'; i++) await page.keyboard.press('Tab');
  assert.equal(await activeId(page), 'model-n_layers');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('16');
  await page.keyboard.press('Tab');
  // Llama-2-7B with 16 layers: 2 * 131,072,000 + 4,096 + 16 * 202,383,360.
  assert.equal(await page.locator('#model-total-params').textContent(), (2 * 131072000 + 4096 + 16 * 202383360).toLocaleString('en-US'));
  assert.match(page.url(), /model\.n_layers=16/);
  await context.close();
});

test('the KV panel after a measured run: axe passes and the page fits 375 px', async () => {
  const { page, context, cspViolations } = await openPage(browser,
    `${server.url}?panel=kv&kv.kv_dtype=int8&kv.window=64&kv.measure_tokens=128&kv.measure_steps=2`,
    { viewport: { width: 375, height: 800 } });
  await page.click('#kv-measure-run');
  await page.waitForSelector('#kv-measure-message:has-text("Done")', { timeout: 60000 });
  assert.equal(await page.locator('#kv-measured-table tbody tr').count(), 3);  // full, window, int8
  assert.deepEqual(await axeViolations(page), []);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the measured tables overflow the page by ${overflow} px`);
  assert.deepEqual(await cspViolations(), []);
  await context.close();
});
