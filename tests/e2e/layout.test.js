// Layout for reading, in Chromium: at 1366×900 the key columns of every table
// sit inside their box (no sideways scroll), the rest folded behind "More
// columns"; at 390 px each explain formula wraps so its final value shows; a
// value in the link that a field cannot use is reported beside that field.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

// A page embedding elements with attributes they cannot use (the same notices as links).
const embedPage = '<!doctype html><html><body><script type="module" src="/embed.js"></script>' +
  '<llm-model id="bad-model" model="nonexistent"></llm-model><llm-roofline id="bad-roofline" hardware="tpu-v9"></llm-roofline></body></html>';
const lab = useBrowserAndServer({ extraRoutes: { '/bad-embed.html': { body: embedPage } } });
const desktop = { width: 1366, height: 900 };
const phone = { width: 390, height: 844 };
const panelElements = { model: 'llm-model-panel', attention: 'llm-attention-panel', kv: 'llm-kv-cache-panel',
  quant: 'llm-quant-panel', roofline: 'llm-roofline-panel', plan: 'llm-plan-panel', serve: 'llm-serve-panel', search: 'llm-search-panel' };

// Every <llm-result-table> of a panel: its key cells against its scroll box and the viewport.
function tableLayout(page, panel) {
  return page.evaluate((tag) => {
    const panelElement = document.querySelector(tag);
    const tables = [...panelElement.shadowRoot.querySelectorAll('llm-result-table')];
    return tables.map((table) => {
      const root = table.shadowRoot;
      const scroller = root.querySelector('.scroll');
      const box = scroller.getBoundingClientRect();
      const right = box.left + scroller.clientWidth;
      // A key column's pinned values may fold (its ratio stays); the cells shown must fit.
      const keyCells = [...root.querySelectorAll('th.key:not(.folded), td.key:not(.folded)')];
      const outside = keyCells.filter((cell) => {
        const rect = cell.getBoundingClientRect();
        return rect.width === 0 || rect.left < box.left - 1 || rect.right > right + 1 || rect.right > window.innerWidth;
      }).map((cell) => cell.dataset.key ?? cell.textContent.trim());
      return {
        id: table.id, shown: box.width > 0, scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth,
        keyCells: keyCells.length, outside,
        keyHeaders: [...root.querySelectorAll('th.key')].map((th) => th.textContent.trim()),
        folded: [...root.querySelectorAll('th.folded')].map((th) => th.textContent.trim()),
      };
    });
  }, panelElements[panel]);
}

function assertFits(tables, expectedIds) {
  const shown = tables.filter((table) => table.shown);
  for (const id of expectedIds) assert.ok(shown.some((table) => table.id === id), `${id} is on screen: ${shown.map((t) => t.id)}`);
  for (const table of shown) {
    assert.ok(table.scrollWidth <= table.clientWidth + 1, `${table.id} needs no sideways scroll: ${JSON.stringify(table)}`);
    assert.ok(table.keyCells > 0, `${table.id} has key cells`);
    assert.deepEqual(table.outside, [], `${table.id}: key cells inside the box`);
  }
  return Object.fromEntries(shown.map((table) => [table.id, table]));
}

// One cell's box against its table's scroll box (decode error/cosine, roofline Bound, GEMV output error, training total and the rest).
async function cellInside(page, tableId, key) {
  return page.locator(`#${tableId}`).evaluate((table, dataKey) => {
    const scroller = table.shadowRoot.querySelector('.scroll');
    const cell = table.shadowRoot.querySelector(`tbody td[data-key="${dataKey}"]`);
    if (!cell) return `no ${dataKey} cell`;
    const box = scroller.getBoundingClientRect();
    const rect = cell.getBoundingClientRect();
    const ok = rect.width > 0 && rect.left >= box.left - 1 && rect.right <= box.left + scroller.clientWidth + 1 && rect.right <= window.innerWidth;
    return ok ? 'inside' : `${dataKey}: ${JSON.stringify(rect)} vs box ${box.left}+${scroller.clientWidth}`;
  }, key);
}

const runDone = (page, buttonId) => page.waitForFunction((id) => {
  const button = document.querySelector('llm-attention-panel').shadowRoot.querySelector(`#${id}`);
  return button && !button.disabled;
}, buttonId, { timeout: 120000 });

test('1366×900: the Attention tables keep strategy, tokens/s, error and cosine in view; the rest folds behind "More columns"', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=attention&attention.n=256&attention.prompt=32` +
    '&attention.generated=8&attention.d_model=64&attention.decode_heads=2&attention.window=8&attention.kv_group=16&attention.seed_lengths=64&attention.seed_steps=2',
  { viewport: desktop });
  for (const run of ['prefill', 'decode', 'seed']) {
    await page.click(`#attention-run-${run}`);
    await page.locator(`#attention-${run}-table tbody tr`).first().waitFor({ timeout: 120000 });
    await runDone(page, `attention-run-${run}`);
  }
  // All seven strategies ran (int8 and int4 included): the widest the decode table gets.
  assert.equal(await page.locator('#attention-decode-table tbody tr').count(), 7);
  const tables = assertFits(await tableLayout(page, 'attention'), ['attention-prefill-table', 'attention-decode-table', 'attention-seed-table']);
  assert.equal(await cellInside(page, 'attention-decode-table', 'max_abs_error'), 'inside');
  assert.equal(await cellInside(page, 'attention-decode-table', 'min_cosine'), 'inside');
  assert.equal(await cellInside(page, 'attention-seed-table', 'min_cosine'), 'inside');
  // The decode table is wider than its box: something folded, and the toggle says so.
  const decode = tables['attention-decode-table'];
  assert.ok(decode.folded.length > 0, JSON.stringify(decode));
  const more = page.locator('#attention-decode-table button.more');
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  assert.match(await more.textContent(), new RegExp(`More columns \\(${decode.folded.length}\\)`));
  assert.match(await page.locator('#attention-decode-table #folded-note').textContent(), new RegExp(decode.folded[0].replace(/[()|]/g, '.')));
  const foldedCell = page.locator(`#attention-decode-table th.folded`).first();
  assert.equal(await foldedCell.isVisible(), false);
  await more.click();
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  assert.equal(await page.locator('#attention-decode-table th.folded').count(), 0, 'every column shown');
  assert.equal(await page.locator('#attention-decode-table th', { hasText: decode.folded[0] }).first().isVisible(), true);
  await more.click();
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#attention-decode-table th.folded').count(), decode.folded.length);
  // Five more columns (the time split per step): more fold, the key ones stay.
  await page.check('#attention-decode-split');
  await page.locator('#attention-decode-table th', { hasText: 'Attend (ms/step)' }).waitFor({ state: 'attached' });
  const split = assertFits(await tableLayout(page, 'attention'), ['attention-decode-table'])['attention-decode-table'];
  assert.ok(split.folded.length > decode.folded.length, JSON.stringify(split));
  assert.equal(await cellInside(page, 'attention-decode-table', 'min_cosine'), 'inside');
  await page.uncheck('#attention-decode-split');
  // Exports keep every column, folded or not.
  const csvHeader = (await page.locator('#attention-decode-table').evaluate((table) => table.csv())).split('\n')[0];
  for (const label of decode.folded) assert.ok(csvHeader.includes(label), `${label} in ${csvHeader}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('1366×900: Quantization (GEMV output error), KV cache (measured) and Model tables fit with their key columns', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=quant`, { viewport: desktop });
  await page.click('#quant-run-gemv');
  await page.locator('#quant-gemv-table tbody tr').first().waitFor({ timeout: 120000 });
  assertFits(await tableLayout(page, 'quant'), ['quant-size-table', 'quant-reference-table', 'quant-gemv-table', 'quant-decision-table']);
  assert.equal(await cellInside(page, 'quant-gemv-table', 'rel_rmse'), 'inside');

  await page.goto(`${lab.server.url}?panel=kv&kv.measure_tokens=64&kv.measure_steps=2`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#kv-measure-run');
  await page.locator('#kv-measured-table tbody tr').first().waitFor({ timeout: 120000 });
  await page.locator('#kv-measured-variants tbody tr').first().waitFor({ timeout: 120000 });
  assertFits(await tableLayout(page, 'kv'), ['kv-table', 'kv-variants', 'kv-strategies', 'kv-measured-table', 'kv-sim-table', 'kv-attn-table']);
  assert.equal(await cellInside(page, 'kv-measured-table', 'max_abs_error'), 'inside');

  await page.goto(`${lab.server.url}?panel=model&model.preset=mixtral-8x7b`);
  await page.waitForSelector('body[data-ready="true"]');
  assertFits(await tableLayout(page, 'model'), ['model-params-table', 'model-layers-table', 'model-memory-table', 'model-flops-table']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('1366×900: roofline Bound and the training total stay in view, also when comparing with a pinned configuration', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=roofline`, { viewport: desktop });
  const tables = assertFits(await tableLayout(page, 'roofline'), ['roofline-table']);
  assert.ok(tables['roofline-table'].keyHeaders.includes('Bound'), JSON.stringify(tables['roofline-table']));
  assert.equal(await cellInside(page, 'roofline-table', 'bound'), 'inside');
  // Pinned: every numeric column becomes three, and Bound still shows.
  await page.click('#roofline-pin');
  await page.fill('#roofline-batch', '64');
  await page.press('#roofline-batch', 'Enter');
  await page.locator('#roofline-table td[data-key="time_s.ratio"]').first().waitFor({ state: 'attached' });
  const compared = assertFits(await tableLayout(page, 'roofline'), ['roofline-table'])['roofline-table'];
  assert.ok(compared.folded.length > tables['roofline-table'].folded.length, JSON.stringify(compared));
  assert.equal(await cellInside(page, 'roofline-table', 'bound'), 'inside');
  assert.equal(await cellInside(page, 'roofline-table', 'time_s.ratio'), 'inside');

  await page.goto(`${lab.server.url}?panel=plan`);
  await page.waitForSelector('body[data-ready="true"]');
  assertFits(await tableLayout(page, 'plan'), ['plan-table', 'plan-training-table', 'plan-training-layer-table']);
  assert.equal(await cellInside(page, 'plan-training-table', 'total_bytes'), 'inside');
  assert.deepEqual(problems, []);
  await context.close();
});

test('1366×900 with a pinned configuration: every compared table keeps its key columns in view', async () => {
  const pin = (text) => encodeURIComponent(text);
  const links = [
    { panel: 'model', query: `model.preset=llama-2-7b&model.n_kv_heads=8&model.pin=${pin('preset=llama-2-7b&context=4096')}`,
      tables: ['model-params-table', 'model-memory-table', 'model-flops-table'] },
    { panel: 'kv', query: `kv.preset=llama-3-8b&kv.pin=${pin('preset=llama-2-7b')}`,
      tables: ['kv-table', 'kv-variants', 'kv-strategies', 'kv-sim-table', 'kv-attn-table'] },
    { panel: 'quant', query: `quant.format=nf4&quant.pin=${pin('format=int8')}`, tables: ['quant-size-table'] },
    { panel: 'plan', query: `plan.batch=64&plan.pin=${pin('batch=16')}`, tables: ['plan-table', 'plan-training-table'] },
  ];
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=model`, { viewport: desktop });
  for (const { panel, query, tables } of links) {
    await page.goto(`${lab.server.url}?panel=${panel}&${query}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator(`#${tables[0]} th.pinned`).first().waitFor({ state: 'attached' });
    assertFits(await tableLayout(page, panel), tables);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('390 px: every explain formula wraps so its final value shows inside the dialog', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=model`, { viewport: phone });
  let checked = 0;
  // Search explains its figures once its search (in the worker) is done.
  const runs = { search: 'search.model=llama-3-8b&search.hardware=h100-sxm&search.max_gpus=2', serve: 'serve.requests=100' };
  for (const panel of ['model', 'kv', 'quant', 'roofline', 'plan', 'search', 'serve']) {
    await page.goto(`${lab.server.url}?panel=${panel}${runs[panel] ? `&${runs[panel]}` : ''}`);
    await page.waitForSelector('body[data-ready="true"]');
    if (runs[panel]) await page.locator(`${panelElements[panel]} llm-explain-figure`).first().waitFor({ timeout: 60000 });
    // Show folded columns too: their cells hold explained figures.
    const more = page.locator(`${panelElements[panel]} llm-result-table button.more[aria-expanded="false"]`);
    while (await more.count()) await more.first().click();
    const figures = page.locator(`${panelElements[panel]} llm-explain-figure`);
    const count = await figures.count();
    assert.ok(count > 0, `${panel} has explained figures`);
    for (let i = 0; i < count; i++) {
      const figure = figures.nth(i);
      await figure.locator('button.figure').click();
      await figure.locator('dialog').waitFor({ state: 'visible' });
      // KaTeX's fonts widen the glyphs when they load; the view refits then.
      await page.evaluate(() => document.fonts.ready.then(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))));
      const layout = await figure.evaluate((element) => {
        const explain = element.shadowRoot.querySelector('llm-explain');
        const dialog = element.shadowRoot.querySelector('dialog').getBoundingClientRect();
        const substituted = explain.shadowRoot.querySelector('.substituted');
        const box = substituted.getBoundingClientRect();
        // KaTeX's unbreakable pieces; the last holds the final value.
        const pieces = substituted.querySelectorAll('.katex-html > .katex-base, .katex-html > .base');
        const last = pieces[pieces.length - 1].getBoundingClientRect();
        return {
          id: explain.explanation.id, pieces: pieces.length, text: pieces[pieces.length - 1].textContent,
          // The whole formula fits too (a wide fraction is scaled down rather than cut).
          overflow: [...explain.shadowRoot.querySelectorAll('.formula, .substituted')].map((block) => block.scrollWidth - block.clientWidth),
          inside: last.width > 0 && last.left >= box.left - 1 && last.right <= box.right + 1 && last.right <= dialog.right
            && last.right <= window.innerWidth && last.top >= box.top - 1 && last.bottom <= box.bottom + 1,
          last: [last.left, last.right], box: [box.left, box.right],
        };
      });
      assert.ok(layout.inside, `${panel} ${layout.id}: the final value shows: ${JSON.stringify(layout)}`);
      assert.ok(layout.overflow.every((excess) => excess <= 1), `${panel} ${layout.id}: no formula cut off: ${JSON.stringify(layout)}`);
      checked += 1;
      await page.keyboard.press('Escape');
      await figure.locator('dialog').waitFor({ state: 'hidden' });
    }
  }
  assert.ok(checked >= 20, `checked ${checked} formulas`);
  assert.deepEqual(problems, []);
  await context.close();
});

// For each panel with choices: a link value none of the options has, the field it belongs to, and the text shown instead.
const unknownValues = [
  { panel: 'model', query: 'model.preset=nonexistent', field: 'model-preset', text: /Preset 'nonexistent' is not one of the choices; showing Llama 2 7B/ },
  { panel: 'model', query: 'model.context=lots', field: 'model-context', text: /Context \(tokens\) 'lots' is not a finite number; showing 4096/ },
  { panel: 'attention', query: 'attention.kv_layout=diagonal', field: 'attention-kv-layout', text: /'diagonal' is not one of the choices; showing per token/ },
  { panel: 'attention', query: 'attention.seed_lengths=512;96', field: 'attention-seed-lengths', text: /'512;96' is not valid here; showing 512/ },
  { panel: 'kv', query: 'kv.preset=nonexistent', field: 'kv-preset', text: /Preset 'nonexistent' is not one of the choices; showing / },
  { panel: 'kv', query: 'kv.kv_dtype=fp7', field: 'kv-kv_dtype', text: /KV dtype 'fp7' is not one of the choices; showing / },
  { panel: 'quant', query: 'quant.format=int3', field: 'quant-format', text: /Format 'int3' is not one of the choices; showing / },
  { panel: 'quant', query: 'quant.dq=maybe', field: 'quant-dq', text: /'maybe' is not 1 or 0; showing off/ },
  { panel: 'roofline', query: 'roofline.hardware=tpu-v9', field: 'roofline-hardware', text: /Hardware 'tpu-v9' is not one of the choices; showing / },
  { panel: 'plan', query: 'plan.model=nonexistent', field: 'plan-model', text: /Model 'nonexistent' is not one of the choices; showing Llama 2 70B/ },
  { panel: 'plan', query: 'plan.train_method=dpo', field: 'plan-train_method', text: /Method 'dpo' is not one of the choices; showing Full/ },
  { panel: 'search', query: 'search.model=nonexistent', field: 'search-model', text: /Model 'nonexistent' is not one of the choices; showing Llama 3 8B/ },
  { panel: 'search', query: 'search.max_gpus=lots', field: 'search-max_gpus', text: /Max GPUs 'lots' is not a finite number; showing 8/ },
  { panel: 'search', query: 'search.weights=int3', field: 'search-weights', text: /Weights formats 'int3': 'int3' is not among the choices; showing bf16, fp8, int4/ },
];

test('an unknown value in the link is reported beside its field, not replaced silently', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=model`, { viewport: desktop });
  for (const { panel, query, field, text } of unknownValues) {
    await page.goto(`${lab.server.url}?panel=${panel}&${query}`);
    await page.waitForSelector('body[data-ready="true"]');
    const notice = page.locator(`#${field}-notice`);
    await notice.waitFor({ timeout: 10000 });
    assert.match(await notice.textContent(), text, query);
    assert.equal(await notice.isVisible(), true, query);
    // Beside the field: in the same .field block, and the control is described by it.
    const sameField = await page.locator(`#${field}`).evaluate((control, id) => control.closest('.field').querySelector(`#${id}`) !== null, `${field}-notice`);
    assert.equal(sameField, true, query);
    assert.match(await page.locator(`#${field}`).getAttribute('aria-describedby'), new RegExp(`${field}-notice`));
  }
  // Choosing a value clears it (the link then holds a known value).
  await page.goto(`${lab.server.url}?panel=plan&plan.model=nonexistent`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator('#plan-model-notice').waitFor();
  await page.selectOption('#plan-model', 'llama-3-8b');
  await page.locator('#plan-model-notice').waitFor({ state: 'detached' });
  assert.match(page.url(), /plan\.model=llama-3-8b/);
  // A pinned link's values go through the same parser: one it cannot use is said by the Pin button.
  await page.goto(`${lab.server.url}?panel=plan&plan.pin=${encodeURIComponent('model=nonexistent&batch=lots&gpus=4')}`);
  await page.waitForSelector('body[data-ready="true"]');
  const pinReport = await page.locator('#plan-pin-error').textContent();
  assert.match(pinReport, /Model 'nonexistent' is not a value it takes; llama-2-70b used/);
  assert.match(pinReport, /batch 'lots' is not a value it takes; 16 used/i);
  assert.doesNotMatch(pinReport, /gpus|Devices/);
  // A known value shows no notice anywhere.
  await page.goto(`${lab.server.url}?panel=plan&plan.model=llama-3-8b&plan.hardware=a100-80gb`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('llm-plan-panel .field-notice').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an embedded element reports an attribute value it cannot use beside its field', async () => {
  // A fresh context that never opened the app: its service worker would answer this page's navigation with the app.
  const context = await lab.browser.newContext({ viewport: desktop });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${lab.server.origin}/bad-embed.html`);
  const model = page.locator('#bad-model #model-preset-notice');
  await model.waitFor({ timeout: 30000 });
  assert.match(await model.textContent(), /Preset 'nonexistent' is not one of the choices; showing Llama 2 7B/);
  const hardware = page.locator('#bad-roofline #roofline-hardware-notice');
  await hardware.waitFor({ timeout: 30000 });
  assert.match(await hardware.textContent(), /Hardware 'tpu-v9' is not one of the choices; showing /);
  // A new attribute value the element knows clears the notice.
  await page.evaluate(() => document.querySelector('#bad-model').setAttribute('model', 'llama-3-8b'));
  await model.waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});
