// Embeds where course platforms put them. Two hosts of the built site: one
// that sends Access-Control-Allow-Origin: * (like GitHub Pages) and a plain
// static host that sends no CORS header (like `npx vite preview` or a
// university web server). The course page is another site (localhost vs
// 127.0.0.1, another port). Each case either works (a figure computed by the
// WASM module shows, and a measured run finishes in the worker) or, where the
// browser must refuse (sandbox="allow-scripts" alone on a plain host), says
// within 5 s which sandbox token or header the host must allow.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, startServer } from './harness.js';

let browser;
let corsHost;
let plainHost;
let course;
const pages = {};
before(async () => {
  browser = await launchBrowser();
  corsHost = await startServer({ basePath: '/course/llm/' });
  plainHost = await startServer({ basePath: '/course/llm/', cors: false });
  const extraRoutes = {};
  for (const [name, body] of Object.entries(pages)) extraRoutes[`/${name}.html`] = { body: `<!doctype html><html><body>${body()}</body></html>` };
  course = await startServer({ extraRoutes });
});
after(async () => {
  await browser?.close();
  for (const server of [corsHost, plainHost, course]) await server?.close();
});

// The course page is on "localhost", the lab on "127.0.0.1": another site, not only another origin.
const coursePage = (name) => `${course.origin.replace('127.0.0.1', 'localhost')}/${name}.html`;
const appUrl = (host) => `${host.url}?embed=1&panel=model&model.preset=llama-2-13b`;
const iframe = (src, sandbox) => `<iframe id="frame" ${sandbox === null ? '' : `sandbox="${sandbox}" `}src="${src}" width="1200" height="900"></iframe>`;
pages.plainNoSandbox = () => iframe(appUrl(plainHost), null);
pages.plainSameOrigin = () => iframe(appUrl(plainHost), 'allow-scripts allow-same-origin');
pages.corsScriptsOnly = () => iframe(appUrl(corsHost), 'allow-scripts');
pages.plainScriptsOnly = () => iframe(appUrl(plainHost), 'allow-scripts');
pages.plainGalleryScriptsOnly = () => iframe(`${plainHost.url}embed.html`, 'allow-scripts');
pages.noScripts = () => iframe(appUrl(corsHost), '');
const elements = (quote) => [`<llm-model model=${quote}llama-2-13b${quote}></llm-model>`,
  `<llm-attention n=${quote}256${quote} d=${quote}32${quote} heads=${quote}1${quote}></llm-attention>`].join('');
pages.element = () => `<script type="module" src="${corsHost.url}embed.js"></script>${elements('"')}`;
// A platform that puts the author's HTML into a sandboxed iframe of its own.
pages.elementInSandbox = () => `<iframe id="frame" sandbox="allow-scripts" srcdoc="<script type='module' src='${corsHost.url}embed.js'></script>${elements("'")}" width="1200" height="900"></iframe>`;

async function open(name) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  const started = Date.now();
  await page.goto(coursePage(name));
  return { page, problems, started, close: () => context.close() };
}

// Llama-2-13B: 13,015,864,320 parameters.
async function assertComputes(frame) {
  const total = frame.locator('#model-total-params').first();
  await total.waitFor({ timeout: 30000 });
  assert.equal(await total.textContent(), '13,015,864,320');
}

// A measured run in the frame's worker: the Attention panel's prefill at n = 256
// (the frame shows one panel without tabs, so point it at the Attention panel).
async function assertMeasures(page, host) {
  await page.locator('#frame').evaluate((element, src) => { element.src = src; },
    `${host.url}?embed=1&panel=attention&attention.n=256&attention.d=32&attention.heads=1`);
  const frame = page.frameLocator('#frame');
  await frame.locator('#attention-run-prefill').click({ timeout: 30000 });
  await frame.locator('#attention-message:has-text("Done")').waitFor({ timeout: 60000 });
  assert.equal(await frame.locator('#attention-prefill-table tbody tr').count(), 2);
}

for (const [name, what] of [['plainNoSandbox', 'a plain iframe'], ['plainSameOrigin', 'sandbox="allow-scripts allow-same-origin"']]) {
  test(`from a plain static host (no CORS header), ${what} on another site works, measured runs too`, async () => {
    const { page, problems, close } = await open(name);
    try {
      const frame = page.frameLocator('#frame');
      await assertComputes(frame);
      await assertMeasures(page, plainHost);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

test('sandbox="allow-scripts" alone works from a host that sends Access-Control-Allow-Origin, measured runs too', async () => {
  const { page, problems, close } = await open('corsScriptsOnly');
  try {
    const frame = page.frameLocator('#frame');
    await assertComputes(frame);
    assert.equal(await frame.locator('#load-problem').count(), 0);
    await assertMeasures(page, corsHost);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

for (const name of ['plainScriptsOnly', 'plainGalleryScriptsOnly']) {
  test(`sandbox="allow-scripts" alone on a plain host (${name === 'plainScriptsOnly' ? 'the app' : 'embed.html'}): within 5 s, a message naming what to allow`, async () => {
    const { page, started, close } = await open(name);
    try {
      const message = page.frameLocator('#frame').locator('#load-problem');
      await message.waitFor({ timeout: 5000 });
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 5000, `shown after ${elapsed} ms`);
      const text = await message.textContent();
      assert.match(text, /sandbox="allow-scripts allow-same-origin"/);
      assert.match(text, /Access-Control-Allow-Origin: \*/);
      assert.equal(await page.frameLocator('#frame').locator('text=Loading the WebAssembly module').count(), 0, 'no endless "Loading…"');
    } finally {
      await close();
    }
  });
}

test('an iframe without allow-scripts says the sandbox must include allow-scripts', async () => {
  const { page, close } = await open('noScripts');
  try {
    // Playwright's text search skips <noscript>: read the paragraph and check it is laid out.
    const note = page.frameLocator('#frame').locator('main noscript p');
    assert.match(await note.textContent({ timeout: 5000 }), /the sandbox attribute must include allow-scripts/);
    assert.ok((await note.boundingBox())?.height > 0, 'the <noscript> note is shown');
  } finally {
    await close();
  }
});

test('the element snippet works on another site, and inside a sandbox="allow-scripts" iframe of the platform, measured runs too', async () => {
  for (const [name, root] of [['element', (page) => page], ['elementInSandbox', (page) => page.frameLocator('#frame')]]) {
    const { page, problems, close } = await open(name);
    try {
      await assertComputes(root(page));
      // The worker of an element on another site starts from a blob (and from an opaque origin in the sandbox).
      await root(page).locator('#attention-run-prefill').click({ timeout: 30000 });
      await root(page).locator('#attention-message:has-text("Done")').waitFor({ timeout: 60000 });
      assert.equal(await root(page).locator('#attention-prefill-table tbody tr').count(), 2, name);
      assert.deepEqual(problems, [], name);
    } finally {
      await close();
    }
  }
});

test('on a plain static host itself (no CORS header) the app and the embed gallery work', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    await page.goto(`${plainHost.url}?panel=model&model.preset=llama-2-13b`);
    await assertComputes(page);
    await page.goto(`${plainHost.url}embed.html`);
    await page.locator('llm-model #model-total-params').first().waitFor({ timeout: 30000 });
    assert.equal(await page.locator('#load-problem').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
