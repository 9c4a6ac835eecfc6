// Embedding: the custom elements on a foreign page (another origin), attribute
// changes, the gallery under the CSP, and the iframe snippet in a sandboxed iframe.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPage, startServer } from './harness.js';

let browser;
let lab;
before(async () => {
  browser = await launchBrowser();
  lab = await startServer({ basePath: '/course/llm/' });
});
after(async () => {
  await browser?.close();
  await lab?.close();
});

async function foreignPage(body) {
  const foreign = await startServer({ extraRoutes: { '/page.html': { body: `<!doctype html><html><body>${body}</body></html>` } } });
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${foreign.origin}/page.html`);
  return { page, problems, close: async () => { await context.close(); await foreign.close(); } };
}

test('an element embedded in a foreign page renders and follows its attributes', async () => {
  const { page, problems, close } = await foreignPage(
    `<h1>Course notes</h1><script type="module" src="${lab.url}embed.js"></script>` +
    '<llm-model id="embedded" preset="llama-3-8b" context="8192"></llm-model>');
  try {
    const total = page.locator('#embedded #model-total-params');
    // Llama-3-8B: 8,030,261,248 parameters (Meta's HF checkpoint).
    await page.waitForFunction(() => document.querySelector('#embedded')?.shadowRoot?.querySelector('#model-total-params'));
    assert.equal(await total.textContent(), '8,030,261,248');
    assert.equal(await page.locator('#embedded #model-context').inputValue(), '8192');
    await page.evaluate(() => document.querySelector('#embedded').setAttribute('preset', 'llama-2-7b'));
    await page.waitForFunction(() => document.querySelector('#embedded').shadowRoot.querySelector('#model-total-params').textContent === '6,738,415,616');
    await page.evaluate(() => document.querySelector('#embedded').setAttribute('n-layers', '16'));
    // Half the layers of Llama-2-7B: 2 * 131,072,000 embeddings + 4,096 final norm + 16 layers * 202,383,360.
    const expected = (2 * 131072000 + 4096 + 16 * 202383360).toLocaleString('en-US');
    await page.waitForFunction((text) => document.querySelector('#embedded').shadowRoot.querySelector('#model-total-params').textContent === text, expected);
    assert.ok(!page.url().includes('model.'), 'an embedded element never writes the host page URL');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('the embed gallery shows every element under the CSP', async () => {
  const { page, context, problems, cspViolations } = await openPage(browser, `${lab.url}embed.html`);
  await page.waitForFunction(() => document.querySelector('llm-model')?.shadowRoot?.querySelector('#model-total-params'));
  assert.ok(await page.locator('.gallery-item').count() >= 1);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the iframe snippet reproduces the view inside a sandboxed iframe', async () => {
  const { page, context } = await openPage(browser, `${lab.url}?panel=model&model.preset=llama-2-13b`);
  await page.click('#show-embed');
  const snippet = await page.locator('#embed-iframe').inputValue();
  assert.match(snippet, /embed=1/);
  assert.match(snippet, /model\.preset=llama-2-13b/);
  const element = await page.locator('#embed-element').inputValue();
  assert.match(element, /<llm-model preset="llama-2-13b"><\/llm-model>/);
  await context.close();

  const sandboxed = snippet.replace('<iframe ', '<iframe id="frame" sandbox="allow-scripts" ');
  const { page: host, problems, close } = await foreignPage(sandboxed);
  try {
    const frame = host.frameLocator('#frame');
    // Llama-2-13B: 13,015,864,320 parameters (40 layers, d_model 5120, d_ff 13824, vocab 32000).
    await frame.locator('#model-total-params').waitFor({ timeout: 30000 });
    assert.equal(await frame.locator('#model-total-params').textContent(), '13,015,864,320');
    assert.equal(await frame.locator('header.app-header').isVisible(), false, 'embed=1 hides the page chrome');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
