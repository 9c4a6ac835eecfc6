// Exports in Chromium: for every panel, each table's CSV and JSON buttons and
// each plot's SVG and PNG buttons download a file that parses and matches what
// the page shows. Also: every table and plot of a panel is one of the shared,
// exportable elements (<llm-result-table>, <llm-plot>), and the print layout
// hides the page's buttons.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; i += 1;
    } else field += c;
  }
  assert.equal(field + row.join(''), '', 'the CSV ends with CRLF');
  return rows;
}

// Headless Chromium drops a download now and then once a page has started ten
// in a few seconds (seen on the KV panel's 11th file: the same click a moment
// later downloads): a click that brings no file within 10 s is tried once more.
async function download(page, button) {
  for (let attempt = 1; ; attempt += 1) {
    const [file] = await Promise.all([
      page.waitForEvent('download', { timeout: 10000 }).catch((error) => { if (attempt >= 2) throw error; return null; }),
      button.click(),
    ]);
    if (file) return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
  }
}

/** Clicks every export button of the open panel and checks the files. Returns how many tables and plots it checked. */
async function checkExports(page, panelId) {
  const panel = page.locator(`#panel-${panelId}`);
  const tables = panel.locator('llm-result-table');
  const plots = panel.locator('llm-plot');
  let tablesChecked = 0;
  let plotsChecked = 0;
  for (let i = 0; i < await tables.count(); i += 1) {
    const table = tables.nth(i);
    if (!await table.isVisible()) continue;
    const headers = await table.locator('thead th').allTextContents();
    const shownRows = await table.locator('tbody tr').count();
    const csv = await download(page, table.getByRole('button', { name: /as CSV$/ }));
    assert.match(csv.name, /\.csv$/);
    const rows = parseCsv(csv.bytes.toString('utf8'));
    assert.deepEqual(rows[0], headers, `${csv.name}: the CSV header is the table's`);
    assert.equal(rows.length - 1, shownRows, `${csv.name}: one CSV row per table row`);
    for (const row of rows) assert.equal(row.length, headers.length, `${csv.name}: every row has every column`);
    // Numeric columns export raw numbers, not formatted text ("6,738,415,616", "13.5 T").
    const numeric = await table.locator('thead th').evaluateAll((ths) => ths.map((th) => th.classList.contains('numeric')));
    for (const row of rows.slice(1)) {
      row.forEach((value, column) => {
        if (numeric[column] && value !== '') assert.ok(Number.isFinite(Number(value)), `${csv.name}: "${value}" is a number`);
      });
    }
    const json = await download(page, table.getByRole('button', { name: /as JSON$/ }));
    assert.match(json.name, /\.json$/);
    const data = JSON.parse(json.bytes.toString('utf8'));
    assert.ok(Array.isArray(data), `${json.name} is an array of rows`);
    assert.equal(data.length, shownRows, `${json.name}: one object per table row`);
    for (const object of data) assert.equal(typeof object, 'object');
    tablesChecked += 1;
  }
  for (let i = 0; i < await plots.count(); i += 1) {
    const plot = plots.nth(i);
    if (!await plot.isVisible()) continue;
    // A plot whose data arrives after the table (e.g. a simulation) may still be drawing.
    await plot.locator('.plot-host svg').first().waitFor({ timeout: 30000 });
    // The plot on screen: the widest svg in the element (a legend's swatches are svgs too).
    const shownWidth = await plot.evaluate((element) => Math.max(...[...element.shadowRoot.querySelectorAll('svg')]
      .map((svg) => Number(svg.getAttribute('width')) || 0)));
    const svg = await download(page, plot.getByRole('button', { name: /as SVG$/ }));
    assert.match(svg.name, /\.svg$/);
    // Parsed by the browser's XML parser (a strict one: any error gives <parsererror>), in a
    // blank page: the app's CSP would (rightly) report the file's <style> element.
    const blank = await page.context().newPage();
    const parsed = await blank.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: doc.getElementsByTagName('parsererror').length > 0,
        root: root.localName, namespace: root.namespaceURI, width: Number(root.getAttribute('width')),
        marks: root.querySelectorAll('path, circle, rect, line, polyline, text').length,
      };
    }, svg.bytes.toString('utf8'));
    await blank.close();
    assert.equal(parsed.error, false, `${svg.name} parses as XML`);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.namespace, 'http://www.w3.org/2000/svg');
    assert.equal(parsed.width, shownWidth, `${svg.name} is the plot on screen, not a legend swatch`);
    assert.ok(parsed.marks > 10, `${svg.name} has marks (${parsed.marks})`);
    const png = await download(page, plot.getByRole('button', { name: /as PNG$/ }));
    assert.match(png.name, /\.png$/);
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    // IHDR: width and height, big-endian, at bytes 16 and 20; rendered at 2×.
    assert.equal(png.bytes.readUInt32BE(16), 2 * shownWidth, `${png.name} is 2× the plot's width`);
    assert.ok(png.bytes.length > 5000, `${png.name} is not blank (${png.bytes.length} bytes)`);
    plotsChecked += 1;
  }
  return { tablesChecked, plotsChecked };
}

/** Tables and plots a panel draws itself, outside the shared exportable elements. */
const ownTablesAndPlots = (page, panelId) => page.locator(`#panel-${panelId}`).evaluate((element) => ({
  tables: element.shadowRoot.querySelectorAll('table').length,
  svgs: [...element.shadowRoot.querySelectorAll('svg')].filter((svg) => svg.getAttribute('width') > 100).length,
}));

// Each panel: the URL that opens it, and how many tables and plots it shows before any measured run.
const panels = [
  // Mixtral is MoE: its layers-by-kind table shows too.
  { id: 'model', query: 'model.preset=mixtral-8x7b', tables: 4, plots: 1 },
  { id: 'kv', query: 'kv.preset=llama-3-8b&kv.window=4096', tables: 5, plots: 3 },
  // The roofline plot has a legend: Plot wraps it in a <figure> with small swatch svgs.
  { id: 'roofline', query: 'roofline.batch=8', tables: 1, plots: 1 },
  // tables: plan, training, training per tensor, calibration; plots: batch curve, fine-tuning memory by part, calibration
  { id: 'plan', query: 'plan.batch=4', tables: 4, plots: 3 },
  // The error histogram appears once the lab run (in the worker) is done.
  { id: 'quant', query: 'quant.format=nf4', tables: 3, plots: 1,
    prepare: (page) => page.locator('#quant-histogram svg').first().waitFor({ timeout: 120000 }) },
  // tables: the search's summary and its front; plot: cost against TPOT (after the search in the worker).
  { id: 'search', query: 'search.model=llama-3-8b&search.hardware=h100-sxm,a100-80gb&search.max_gpus=2', tables: 2, plots: 1,
    prepare: (page) => page.locator('#search-table tbody tr').first().waitFor({ timeout: 120000 }) },
  // Measured: tables and plots appear after a run (a small prefill sweep, then the decode strategies).
  { id: 'attention', query: 'attention.n=512&attention.d=32&attention.heads=2', tables: 2, plots: 5,
    async prepare(page) {
      await page.click('#attention-run-prefill');
      await page.locator('#attention-prefill-table').waitFor({ timeout: 120000 });
      await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 120000 });
      await page.click('#attention-run-decode');
      await page.locator('#attention-decode-table').waitFor({ timeout: 120000 });
      await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 120000 });
    } },
];

for (const { id, query, tables, plots, prepare } of panels) {
  test(`${id} panel: every table exports CSV and JSON, every plot SVG and PNG`, async () => {
    const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=${id}&${query}`);
    await prepare?.(page);
    await page.locator(`#panel-${id} llm-result-table`).first().waitFor();
    assert.deepEqual(await ownTablesAndPlots(page, id), { tables: 0, svgs: 0 });
    const checked = await checkExports(page, id);
    assert.deepEqual(checked, { tablesChecked: tables, plotsChecked: plots });
    assert.deepEqual(await cspViolations(), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('compared tables export current, pinned and the ratio (JSON)', async () => {
  const pin = encodeURIComponent('preset=llama-2-7b&context=4096');
  const { page, context, problems } = await openPage(lab.browser,
    `${lab.server.url}?panel=model&model.preset=llama-2-7b&model.context=8192&model.pin=${pin}`);
  const table = page.locator('#model-flops-table');
  const rows = JSON.parse((await download(page, table.getByRole('button', { name: /as JSON$/ }))).bytes.toString('utf8'));
  const total = rows.find((row) => row.part === 'Total');
  // Prefill FLOPs at 8192 vs 4096 tokens: more than 2× (the n(n+1)/2 causal pairs grow 4×), decode more than 1×.
  assert.equal(total.pinned.part, 'Total');
  assert.ok(Math.abs(total.ratio.prefill - total.prefill / total.pinned.prefill) < 1e-12);
  assert.ok(total.ratio.prefill > 2 && total.ratio.prefill < 4, String(total.ratio.prefill));
  assert.ok(total.ratio.decode > 1, String(total.ratio.decode));
  assert.equal(total.emphasis, undefined, 'presentation flags stay out of exports');
  await checkExports(page, 'model');
  assert.deepEqual(problems, []);
  await context.close();
});

test('print layout: only the open panel, no buttons, no tabs', async () => {
  const { page, context } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  await page.locator('#model-params-table').waitFor();
  await page.emulateMedia({ media: 'print' });
  const visible = async (selector) => page.locator(selector).first().isVisible();
  assert.equal(await visible('nav.tabs'), false, 'tabs hidden');
  assert.equal(await visible('.toolbar'), false, 'page tools hidden');
  assert.equal(await visible('#model-pin'), false, 'pin button hidden');
  assert.equal(await visible('#model-params-table button'), false, 'table export buttons hidden');
  assert.equal(await visible('#model-share-plot button'), false, 'plot export buttons hidden');
  assert.equal(await visible('#model-params-table'), true, 'tables shown');
  assert.equal(await visible('#model-share-plot svg'), true, 'plots shown');
  assert.equal(await visible('#panel-kv'), false, 'closed panels stay hidden');
  // Plots scale to the page width; tables are not cut: nothing wider than an A4 page's printable width.
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  await page.setViewportSize({ width: 700, height: 900 });  // ≈ A4's printable width in CSS px
  const overflow = await page.evaluate(() => {
    const panel = document.querySelector('#panel-model');
    const tables = [...panel.shadowRoot.querySelectorAll('llm-result-table')];
    return tables.map((t) => t.scrollWidth - t.clientWidth).concat(
      [...panel.shadowRoot.querySelectorAll('llm-plot')].map((p) => p.svg.getBoundingClientRect().width - p.clientWidth));
  });
  for (const pixels of overflow) assert.ok(pixels <= 1, `nothing overflows the page (${overflow})`);
  // The widest table there is: the roofline operators compared with a pinned chip (3 columns per number).
  await page.goto(`${lab.server.url}?panel=roofline&roofline.pin=${encodeURIComponent('hardware=a100-80gb')}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator('#roofline-table td[data-key="time_s.ratio"]').first().waitFor();
  const wide = await page.locator('#roofline-table').evaluate((table) => table.scrollWidth - table.clientWidth);
  assert.ok(wide <= 1, `the compared roofline table fits the page width (${wide} px over)`);
  await context.close();
});
