// The Search panel in Chromium: a link's search runs in the worker and its
// front, cheapest point and numbers are api.search's in Node on the same
// input; the scatter draws every feasible point and the front; the table
// sorts; a long search can be cancelled (focus back on Run); "Open in Plan"
// puts the Plan panel on the point with the same TPOT; the inputs round-trip
// through the link (also pinned); a bad field shows the core's error beside it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { openPage, useBrowserAndServer } from './harness.js';

const embedPage = '<!doctype html><html><body><script type="module" src="/embed.js"></script>' +
  '<llm-search id="embedded" model="llama-3-8b" hardware="h100-sxm,l4" max-gpus="2" batches="1,16"></llm-search></body></html>';
const lab = useBrowserAndServer({ extraRoutes: { '/search-embed.html': { body: embedPage }, '/favicon.ico': { body: '', type: 'image/x-icon' } } });
const api = await loadLlmSpacetime();
const panel = 'llm-search-panel';

// A small grid (2 chips, up to 2 GPUs): a fraction of a second. Prices given, so the test does not follow the presets'.
const smallInput = {
  model: 'llama-3-8b', prompt_tokens: 1024, output_tokens: 256, slo_ttft_s: 2, slo_tpot_s: 0.05, hardware: ['h100-sxm', 'l4'],
  max_gpus: 2, prices: { 'h100-sxm': 2.5, l4: 0.8 }, batches: [1, 8, 64, 256],
};
const small = 'panel=search&search.model=llama-3-8b&search.slo_ttft_s=2&search.slo_tpot_ms=50&search.hardware=h100-sxm,l4'
  + '&search.max_gpus=2&search.prices=h100-sxm%3D2.5,l4%3D0.8&search.batches=1,8,64,256';

async function waitForSearch(page) {
  await page.locator(`${panel} #search-table tbody tr`).first().waitFor({ timeout: 60000 });
  await page.waitForFunction((tag) => !document.querySelector(tag).runs.busy, panel, { timeout: 60000 });
}

const tableRows = (page) => page.locator(`${panel} #search-table`).evaluate((table) => table.sortedRows.map((row) => ({
  id: row.id, usd: row.usd_per_million_tokens, tpot: row.tpot_s })));
const idOf = (p) => [p.hardware, p.gpus, p.tp, p.pp, p.weights, p.kv_dtype, p.batch].join('|');

test('a link\'s search runs in the worker: its front and cheapest point are api.search\'s on the same input', async () => {
  const expected = api.search(smallInput);
  assert.ok(expected.pareto.length >= 2 && expected.cheapest, 'the grid has a front');
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?${small}`);
  await waitForSearch(page);
  assert.deepEqual(await tableRows(page), expected.pareto.map((p) => ({ id: idOf(p), usd: p.usd_per_million_tokens, tpot: p.tpot_s })));
  const shown = await page.evaluate((tag) => {
    const element = document.querySelector(tag);
    return { evaluated: element.result.evaluated, feasible: element.result.feasible, cheapest: element.result.cheapest };
  }, panel);
  assert.deepEqual(shown, { evaluated: expected.evaluated, feasible: expected.feasible, cheapest: expected.cheapest });
  const c = expected.cheapest;
  const headline = await page.locator(`${panel} #search-cheapest`).textContent();
  assert.match(headline, new RegExp(`${c.hardware} × ${c.gpus}`));
  assert.match(headline, new RegExp(`${c.weights} weights, ${c.kv_dtype} KV`));
  assert.match(await page.locator(`${panel} #search-cheapest-usd`).textContent(), new RegExp(`\\$${c.usd_per_million_tokens.toPrecision(3)}`));
  assert.equal(await page.locator(`${panel} #search-evaluated`).textContent(), expected.evaluated.toLocaleString('en-US'));
  // The scatter: every feasible point, the front as a line and larger marks.
  const marks = await page.locator(`${panel} #search-scatter`).evaluate((plot) => ({
    points: plot.svg.querySelectorAll('.search-points circle').length,
    front: plot.svg.querySelectorAll('.search-front-dots circle').length,
    line: (plot.svg.querySelector('.search-front-line path')?.getAttribute('d') ?? '').length,
  }));
  assert.deepEqual({ points: marks.points, front: marks.front }, { points: expected.points.length, front: expected.pareto.length });
  assert.ok(marks.line > 10, 'the front line is drawn');
  // All feasible points: the table switches, the front's rows in bold.
  await page.click(`${panel} #search-view-all`);
  assert.equal(await page.locator(`${panel} #search-table tbody tr`).count(), expected.points.length);
  assert.equal(await page.locator(`${panel} #search-table tbody tr.emphasis`).count(), expected.pareto.length);
  // Sort by $/M tokens, then the other way: the cheapest first, then last.
  await page.locator(`${panel} #search-table th button[data-sort="usd_per_million_tokens"]`).click();
  let rows = await tableRows(page);
  assert.equal(rows[0].id, idOf(c));
  assert.ok(rows.every((row, i) => i === 0 || rows[i - 1].usd <= row.usd));
  assert.equal(await page.locator(`${panel} #search-table th[aria-sort="ascending"]`).count(), 1);
  await page.locator(`${panel} #search-table th button[data-sort="usd_per_million_tokens"]`).click();
  rows = await tableRows(page);
  assert.equal(rows.at(-1).id, idOf(c));
  assert.equal(await page.locator(`${panel} #search-table th[aria-sort="descending"]`).count(), 1);
  // The CSV follows the order shown and carries each row's Plan link.
  const csv = await page.locator(`${panel} #search-table`).evaluate((table) => table.csv());
  assert.match(csv.split('\n')[0], /Hardware,Open in Plan,GPUs.*TPOT.*\$\/M tokens/);
  assert.match(csv.trimEnd().split('\n').at(-1), /^[^,]+,\?panel=plan&plan\.model=llama-3-8b/);
  // The explain section shows the formulas with the cheapest point's numbers.
  assert.ok(await page.locator(`${panel} #search-explains llm-explain`).count() >= 3);
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('chunk budgets: the candidates are simulated in the worker; the simulated table and cheapest are api.search\'s', async () => {
  const expected = api.search({ ...smallInput, chunk_tokens: [0, 512] });
  assert.ok(expected.serving.simulations >= 4 && expected.serving.cheapest, 'the candidates are simulated and one meets the SLOs');
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?${small}&search.chunk_tokens=0,512`);
  await waitForSearch(page);
  await page.locator(`${panel} #search-serving-table tbody tr`).first().waitFor({ timeout: 60000 });
  const rows = await page.locator(`${panel} #search-serving-table`).evaluate((table) => table.sortedRows.map((row) => ({
    id: row.id, chunk: row.chunk_tokens, tpot: row.tpot_s, ttft: row.ttft_s, usd: row.usd_per_million_tokens, front: row.on_front })));
  const front = new Set(expected.serving.pareto.map((p) => `${idOf(p)}|${p.chunk_tokens}`));
  assert.deepEqual(rows, expected.serving.points.map((p) => ({ id: `${idOf(p)}|${p.chunk_tokens}`, chunk: p.chunk_tokens, tpot: p.tpot_s,
    ttft: p.ttft_s, usd: p.usd_per_million_tokens, front: front.has(`${idOf(p)}|${p.chunk_tokens}`) })));
  assert.equal(await page.locator(`${panel} #search-serving-table tbody tr.emphasis`).count(), expected.serving.pareto.length);
  const c = expected.serving.cheapest;
  const cheapest = await page.locator(`${panel} #search-serving-cheapest`).textContent();
  assert.match(cheapest, new RegExp(`${c.hardware} × ${c.gpus}`));
  assert.match(cheapest, new RegExp(`chunk ${c.chunk_tokens > 0 ? c.chunk_tokens : 'whole prompts'}`));
  assert.match(await page.locator(`${panel} #search-serving-note`).textContent(),
    new RegExp(`${expected.serving.configurations}\\s+candidates`));
  // A budget listed twice: the core's error beside the field, the last result kept.
  await page.fill(`${panel} #search-chunk_tokens`, '512,512');
  await page.locator(`${panel} #search-chunk_tokens`).dispatchEvent('change');
  assert.match(page.url(), /search\.chunk_tokens=512%2C512/);
  await page.locator(`${panel} #search-run`).click();
  await page.locator(`${panel} #search-chunk_tokens-error`).waitFor({ timeout: 60000 });
  assert.match(await page.locator(`${panel} #search-chunk_tokens-error`).textContent(), /chunk_tokens = "512,512": "512" is listed twice/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Run searches again with progress; a long search is cancelled, keeps the last result, and focus returns to Run', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?${small}`);
  await waitForSearch(page);
  const evaluated = await page.evaluate((tag) => document.querySelector(tag).result.evaluated, panel);
  // Run: focus comes back to the button when it is done.
  await page.locator(`${panel} #search-run`).focus();
  await page.keyboard.press('Enter');
  await page.locator(`${panel} #search-run-message`).waitFor({ timeout: 60000 });
  await page.waitForFunction((tag) => !document.querySelector(tag).runs.busy, panel);
  assert.match(await page.locator(`${panel} #search-run-message`).textContent(), /Searched .* configurations in the worker/);
  assert.equal(await page.evaluate((tag) => document.querySelector(tag).shadowRoot.activeElement?.id, panel), 'search-run');
  // A long one: Llama 3.1 405B (128 heads, 126 layers: 133 splits up to 1024 GPUs) on every chip, 64 batches.
  await page.selectOption(`${panel} #search-model`, 'llama-3.1-405b');
  await page.click(`${panel} #search-hardware-all`);
  for (const [field, value] of [['max_gpus', '1024'], ['batches', Array.from({ length: 64 }, (_, i) => i + 1).join(',')]]) {
    await page.fill(`${panel} #search-${field}`, value);
    await page.locator(`${panel} #search-${field}`).dispatchEvent('change');
  }
  assert.match(await page.locator(`${panel} #search-grid`).textContent(), /Up to [\d,]{9,} configurations/);
  await page.locator(`${panel} #search-run`).click();
  await page.locator(`${panel} #search-run-progress`).waitFor({ timeout: 30000 });
  // The worker reports fractions: the bar moves within the one call.
  await page.waitForFunction((tag) => {
    const progress = document.querySelector(tag).shadowRoot.querySelector('#search-run-progress');
    return progress && progress.value > 0 && progress.value < 1;
  }, panel, { timeout: 60000 });
  assert.match(await page.locator(`${panel} label[for="search-run-progress"]`).textContent(), /Running the search: \d+ %/);
  await page.locator(`${panel} #search-run-cancel`).click();
  assert.match(await page.locator(`${panel} #search-run-message`).textContent(), /Cancelled/);
  assert.equal(await page.locator(`${panel} #search-run`).isDisabled(), false, 'ready to run again');
  await page.waitForFunction((tag) => document.querySelector(tag).shadowRoot.activeElement?.id === 'search-run', panel);
  await page.waitForTimeout(1500);
  assert.equal(await page.evaluate((tag) => document.querySelector(tag).result.evaluated, panel), evaluated, 'no late result');
  assert.match(await page.locator(`${panel} #search-stale`).textContent(), /inputs changed/);
  assert.deepEqual(problems, []);
  await context.close();
});

// The Plan panel after "Open in Plan": shown, and its first plan computed (a page opened on
// Search fetched the calculator alone; the Plan panel's closed forms load on this first open).
async function waitForPlan(page) {
  await page.locator('#panel-plan').waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('llm-plan-panel')?.result?.decode !== undefined, null, { timeout: 30000 });
}

test('Open in Plan: the Plan tab on the point, the same TPOT, and no contradicting Plan key left', async () => {
  const { page, context, problems } = await openPage(lab.browser,
    `${lab.server.url}?${small}&plan.weights_group=32&plan.offload_layers=2&plan.images=1&plan.weights_bits=4.5&plan.fused_attention=0`);
  await waitForSearch(page);
  await page.click(`${panel} #search-view-all`);
  const rows = await page.locator(`${panel} #search-table`).evaluate((table) => table.sortedRows);
  // The cheapest, a pipeline point and an fp8 point (fp8 matmuls on the H100).
  const picks = [rows[0], rows.find((row) => row.pp > 1), rows.find((row) => row.compute_dtype === 'fp8')];
  assert.ok(picks.every(Boolean), JSON.stringify(picks.map((row) => row?.id)));
  for (const pick of picks) {
    await page.goto(`${lab.server.url}?${small}`);
    await page.waitForSelector('body[data-ready="true"]');
    await waitForSearch(page);
    await page.click(`${panel} #search-view-all`);
    const index = await page.locator(`${panel} #search-table`).evaluate((table, id) => table.sortedRows.findIndex((row) => row.id === id), pick.id);
    const row = page.locator(`${panel} #search-table tbody tr`).nth(index);
    const tpotText = (await row.locator('td[data-key="tpot_s"]').textContent()).trim();
    await row.getByRole('button', { name: /Open in Plan/ }).click();
    await waitForPlan(page);
    assert.equal(await page.locator('#tab-plan').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#panel-search').isVisible(), false);
    const url = new URL(page.url());
    for (const key of ['weights_group', 'offload_layers', 'images', 'weights_bits', 'fused_attention']) {
      assert.equal(url.searchParams.get(`plan.${key}`), null, `plan.${key} cleared`);
    }
    assert.equal(url.searchParams.get('plan.context'), '1280');
    const plan = await page.evaluate(() => {
      const element = document.querySelector('llm-plan-panel');
      return { state: element.state, step: element.result.decode.step_s, fits: element.result.fits };
    });
    assert.deepEqual([plan.state.hardware, plan.state.gpus, plan.state.parallelism, plan.state.weights_dtype, plan.state.kv_dtype,
      plan.state.compute_dtype, plan.state.batch, plan.state.context],
    [pick.hardware, pick.gpus, pick.parallelism ?? (pick.pp > 1 ? 'pipeline' : 'tensor'), pick.weights, pick.kv_dtype, pick.compute_dtype, pick.batch, 1280]);
    assert.equal(plan.step, pick.tpot_s, `${pick.id}: Plan's decode step is the search's TPOT`);
    assert.equal(plan.fits, true);
    const planTpot = (await page.locator('#plan-table tbody tr', { hasText: 'Decode step (TPOT)' }).locator('td[data-key="value"]').textContent()).trim();
    assert.equal(planTpot, tpotText, `${pick.id}: the same TPOT on screen`);
    // Back returns to the search.
    await page.goBack();
    await page.locator('#panel-search').waitFor({ state: 'visible' });
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('a pasted config.json is the Search panel\'s model too; its points open in Plan with the same TPOT (parts kept in bf16 cleared)', async () => {
  const text = readFileSync(new URL('../fixtures/hf/deepseek-v3.json', import.meta.url), 'utf8');
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  await page.locator('#model-hf-config').fill(text);
  await page.locator('#model-hf-import').click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('search.model') === 'imported');
  // DeepSeek-V3 (its own format keeps the embedding, LM head and routers in bf16) on two chips, up to 8 GPUs.
  const url = new URL(page.url());
  url.searchParams.set('panel', 'search');
  url.searchParams.set('search.hardware', 'h200,b200');
  await page.goto(url.href);
  await page.waitForSelector('body[data-ready="true"]');
  await waitForSearch(page);
  assert.equal(await page.locator(`${panel} #search-model`).inputValue(), 'imported');
  const expected = api.search({ model: api.importHfConfig(text).config, hardware: ['h200', 'b200'] });
  assert.ok(expected.cheapest);
  assert.deepEqual(await page.evaluate((tag) => document.querySelector(tag).result.cheapest, panel), expected.cheapest);
  const row = page.locator(`${panel} #search-table tbody tr`).last();
  await row.getByRole('button', { name: /Open in Plan/ }).click();
  await waitForPlan(page);
  const plan = await page.evaluate(() => {
    const element = document.querySelector('llm-plan-panel');
    return { model: element.state.model, keep: element.state.weights_keep, step: element.result.decode.step_s };
  });
  assert.deepEqual(plan, { model: 'imported', keep: '', step: expected.cheapest.tpot_s });
  assert.equal(new URL(page.url()).searchParams.get('plan.weights_keep'), '');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the inputs round-trip through the link, also pinned; a bad field shows the core\'s error beside it', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?${small}`);
  await waitForSearch(page);
  await page.locator(`${panel} #search-pin`).click();
  await page.fill(`${panel} #search-prompt_tokens`, '4096');
  await page.locator(`${panel} #search-prompt_tokens`).dispatchEvent('change');
  await page.uncheck(`${panel} #search-weights-int4`);
  await page.check(`${panel} #search-kv_dtype-int8`);
  await page.fill(`${panel} #search-price-l4`, '0.6');
  await page.locator(`${panel} #search-price-l4`).dispatchEvent('change');
  await page.fill(`${panel} #search-slo_tpot_ms`, '30');
  await page.locator(`${panel} #search-slo_tpot_ms`).dispatchEvent('change');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('search.prompt_tokens'), '4096');
  assert.equal(url.searchParams.get('search.weights'), 'bf16,fp8');
  assert.equal(url.searchParams.get('search.kv_dtype'), 'bf16,fp8,int8');
  assert.equal(url.searchParams.get('search.prices'), 'h100-sxm=2.5,l4=0.6');
  assert.equal(url.searchParams.get('search.slo_tpot_ms'), '30');
  assert.ok(url.searchParams.get('search.pin'), 'pinned');
  await page.locator(`${panel} #search-run`).click();
  await page.waitForFunction((tag) => {
    const element = document.querySelector(tag);
    return !element.runs.busy && element.pinnedResult && element.result.cheapest.tpot_s <= 0.03;
  }, panel, { timeout: 60000 });
  assert.match(await page.locator(`${panel} #search-pin-status`).textContent(), /Prompt tokens.*1024.*4096/s);
  const headers = await page.locator(`${panel} #search-summary`).evaluate((table) => [...table.shadowRoot.querySelectorAll('th')].map((th) => th.textContent));
  assert.ok(headers.some((text) => /pinned/.test(text)), `pinned columns: ${headers}`);
  assert.equal(await page.locator(`${panel} #search-scatter`).evaluate((plot) => plot.svg.querySelectorAll('.search-pinned-front path').length), 1);
  // Reload: the same controls, the search runs again, and the comparison is back.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await waitForSearch(page);
  assert.equal(await page.locator(`${panel} #search-prompt_tokens`).inputValue(), '4096');
  assert.equal(await page.locator(`${panel} #search-slo_tpot_ms`).inputValue(), '30');
  assert.equal(await page.locator(`${panel} #search-price-l4`).inputValue(), '0.6');
  assert.equal(await page.locator(`${panel} #search-weights-int4`).isChecked(), false);
  assert.equal(await page.locator(`${panel} #search-kv_dtype-int8`).isChecked(), true);
  assert.equal(await page.locator(`${panel} #search-hw-a100-80gb`).isChecked(), false);
  await page.waitForFunction((tag) => document.querySelector(tag).pinnedResult, panel, { timeout: 60000 });
  // Errors: the core names the field, the panel shows it there.
  for (const [field, value, errorId, pattern] of [
    ['max_gpus', '0', 'search-max_gpus-error', /max_gpus/],
    ['slo_tpot_ms', '-5', 'search-slo_tpot_ms-error', /slo_tpot_s/],
    ['price-l4', '-1', 'search-price-l4-error', /l4/],
    ['batches', '8,0', 'search-batches-error', /batches/],
  ]) {
    await page.goto(`${lab.server.url}?${small}`);
    await page.waitForSelector('body[data-ready="true"]');
    await waitForSearch(page);
    await page.fill(`${panel} #search-${field}`, value);
    await page.locator(`${panel} #search-${field}`).dispatchEvent('change');
    await page.locator(`${panel} #search-run`).click();
    const error = page.locator(`${panel} #${errorId}`);
    await error.waitFor({ timeout: 30000 });
    assert.match(await error.textContent(), pattern, field);
    assert.match(await page.locator(`${panel} #search-error`).textContent(), /Showing the last search/);
    assert.equal(await page.locator(`${panel} #search-run`).isDisabled(), false);
  }
  // No chip: said beside the chips, Run disabled.
  await page.click(`${panel} #search-hardware-none`);
  assert.match(await page.locator(`${panel} #search-hardware-empty`).textContent(), /at least one chip/);
  assert.equal(await page.locator(`${panel} #search-run`).isDisabled(), true);
  // Link text a field cannot use is said beside it.
  await page.goto(`${lab.server.url}?panel=search&search.hardware=tpu-v9&search.weights=int3,int4&search.batches=lots&search.max_gpus=many`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.locator(`${panel} #search-hardware-notice`).textContent(), /'tpu-v9' is not among the choices; showing every GPU and TPU/);
  assert.match(await page.locator(`${panel} #search-weights-notice`).textContent(), /'int3' is not among the choices; showing int4/);
  assert.match(await page.locator(`${panel} #search-batches-notice`).textContent(), /'lots' is not valid here/);
  assert.match(await page.locator(`${panel} #search-max_gpus-notice`).textContent(), /'many' is not a finite number; showing 8/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('390 px and 1366×900: the tables fit, key columns (hardware, TPOT, $/M tokens, Open in Plan; chunk) in view, also when comparing', async () => {
  const cases = [
    { viewport: { width: 390, height: 844 }, pinned: false, keys: ['hardware', 'tpot_s', 'usd_per_million_tokens', 'plan'] },
    // Comparing on a phone: the ratios take Open in Plan's room (it folds behind "More columns").
    { viewport: { width: 390, height: 844 }, pinned: true, keys: ['hardware', 'tpot_s', 'usd_per_million_tokens'] },
    { viewport: { width: 1366, height: 900 }, pinned: true, keys: ['hardware', 'tpot_s', 'usd_per_million_tokens', 'plan'] },
  ];
  for (const { viewport, pinned, keys } of cases) {
    const { page, context, problems } = await openPage(lab.browser,
      `${lab.server.url}?${small}&search.chunk_tokens=0,512${pinned ? `&search.pin=${encodeURIComponent('max_gpus=1&chunk_tokens=0,512')}` : ''}`,
      { viewport });
    await waitForSearch(page);
    if (pinned) await page.waitForFunction((tag) => document.querySelector(tag).pinnedResult, panel, { timeout: 60000 });
    await page.click(`${panel} #search-view-all`);
    await page.waitForTimeout(300);  // the tables fold on the next frame
    const tables = await page.evaluate((tag) => [...document.querySelector(tag).shadowRoot.querySelectorAll('llm-result-table')].map((table) => {
      const scroller = table.shadowRoot.querySelector('.scroll');
      const box = scroller.getBoundingClientRect();
      const keys = [...table.shadowRoot.querySelectorAll('td.key:not(.folded)')];
      const outside = keys.filter((cell) => {
        const rect = cell.getBoundingClientRect();
        return rect.right > box.left + scroller.clientWidth + 1 || rect.right > window.innerWidth;
      }).length;
      const shown = [...table.shadowRoot.querySelectorAll('td:not(.folded)')].filter((cell) => {
        const rect = cell.getBoundingClientRect();
        return rect.width > 0 && rect.right <= box.left + scroller.clientWidth + 1;
      });
      return { id: table.id, scroll: scroller.scrollWidth - scroller.clientWidth, outside,
        keys: [...new Set(shown.map((cell) => cell.dataset.key))] };
    }), panel);
    assert.deepEqual(tables.map((t) => t.id).sort(), ['search-serving-table', 'search-summary', 'search-table']);
    const name = `${viewport.width}${pinned ? ', pinned' : ''}`;
    for (const table of tables) {
      assert.ok(table.scroll <= 1, `${name}: ${table.id}: no sideways scroll (${table.scroll} px; ${table.keys})`);
      assert.equal(table.outside, 0, `${name}: ${table.id}: key cells inside`);
    }
    const main = tables.find((t) => t.id === 'search-table');
    for (const key of keys) assert.ok(main.keys.includes(key), `${name}: ${key} shown (${main.keys})`);
    const served = tables.find((t) => t.id === 'search-serving-table');
    // The first column names the chip and the chunk budget, so a row is named when the Chunk column folds.
    for (const key of ['hardware', 'tpot_s', 'usd_per_million_tokens']) assert.ok(served.keys.includes(key), `${name}: simulated ${key} shown (${served.keys})`);
    assert.match(await page.locator(`${panel} #search-serving-table tbody tr td[data-key="hardware"]`).first().textContent(),
      /^\s*[\w.-]+,\s*(whole|512)\s*$/);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('<llm-search> embeds with its inputs as attributes', async () => {
  const context = await lab.browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  await page.goto(`${lab.server.origin}/search-embed.html`);
  await page.waitForFunction(() => document.querySelector('#embedded')?.result?.pareto?.length > 0, null, { timeout: 60000 });
  const expected = api.search({ model: 'llama-3-8b', hardware: ['h100-sxm', 'l4'], max_gpus: 2, batches: [1, 16] });
  assert.deepEqual(await page.evaluate(() => document.querySelector('#embedded').result.cheapest), expected.cheapest);
  // No Plan tab in a foreign page: no Open in Plan column.
  assert.equal(await page.evaluate(() => document.querySelector('#embedded').shadowRoot.querySelector('#search-table')
    .columns.some((column) => column.key === 'plan')), false);
  // An attribute change searches again.
  await page.evaluate(() => document.querySelector('#embedded').setAttribute('max-gpus', '1'));
  await page.waitForFunction(() => document.querySelector('#embedded').result.pareto.every((p) => p.gpus === 1) && !document.querySelector('#embedded').runs.busy,
    null, { timeout: 60000 });
  assert.ok(!page.url().includes('search.'), 'an embedded element never writes the host page URL');
  assert.deepEqual(problems, []);
  await context.close();
});
