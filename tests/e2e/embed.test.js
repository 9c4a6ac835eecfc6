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
    '<llm-model id="embedded" model="llama-3-8b" context="8192"></llm-model>');
  try {
    const total = page.locator('#embedded #model-total-params');
    // Llama-3-8B: 8,030,261,248 parameters (Meta's HF checkpoint).
    await page.waitForFunction(() => document.querySelector('#embedded')?.shadowRoot?.querySelector('#model-total-params'));
    assert.equal(await total.textContent(), '8,030,261,248');
    assert.equal(await page.locator('#embedded #model-context').inputValue(), '8192');
    await page.evaluate(() => document.querySelector('#embedded').setAttribute('model', 'llama-2-7b'));
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
  assert.match(element, /<llm-model model="llama-2-13b"><\/llm-model>/);
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

test('every element takes the model as `model`, and `preset` (the old name) as an alias; `model` wins over it', async () => {
  // The model <select> inside each element (panels call it 'preset' or 'model' inside).
  const selects = { 'llm-model': '#model-preset', 'llm-kv-cache': '#kv-preset', 'llm-quant': '#quant-preset',
    'llm-roofline': '#roofline-model', 'llm-plan': '#plan-model', 'llm-search': '#search-model' };
  const elements = Object.keys(selects);
  const row = (className, attributes) => elements.map((name) => `<${name} class="${className}" ${attributes}></${name}>`).join('');
  const { page, problems, close } = await foreignPage(`<script type="module" src="${lab.url}embed.js"></script>` +
    row('model', 'model="llama-2-13b"') + row('preset', 'preset="qwen2-7b"') + row('both', 'model="llama-3-8b" preset="qwen2-7b"'));
  const selected = (className) => page.evaluate(([cls, map]) => [...document.querySelectorAll(`.${cls}`)]
    .map((element) => [element.localName, element.shadowRoot?.querySelector(map[element.localName])?.value ?? null]), [className, selects]);
  const expect = (model) => elements.map((name) => [name, model]);
  try {
    await page.waitForFunction((map) => Object.entries(map).every(([name, select]) =>
      [...document.querySelectorAll(name)].every((element) => element.shadowRoot?.querySelector(select))), selects, { timeout: 30000 });
    assert.deepEqual(await selected('model'), expect('llama-2-13b'));
    assert.deepEqual(await selected('preset'), expect('qwen2-7b'));
    assert.deepEqual(await selected('both'), expect('llama-3-8b'));
    // Changing either name recomputes: the alias on the Plan element, the new name on the Model element.
    await page.evaluate(() => {
      document.querySelector('llm-plan.preset').setAttribute('preset', 'llama-2-7b');
      document.querySelector('llm-model.preset').setAttribute('model', 'llama-2-7b');
    });
    await page.waitForFunction(() => document.querySelector('llm-plan.preset').shadowRoot.querySelector('#plan-model').value === 'llama-2-7b');
    await page.waitForFunction(() => document.querySelector('llm-model.preset').shadowRoot.querySelector('#model-total-params').textContent === '6,738,415,616');
    for (const name of elements) {
      const observed = await page.evaluate((tag) => customElements.get(tag).observedAttributes, name);
      assert.ok(observed.includes('model') && observed.includes('preset'), `${name} observes model and preset`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
