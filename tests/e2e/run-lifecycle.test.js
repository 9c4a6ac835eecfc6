// The run lifecycle in Chromium, in every panel that runs measured work:
// Cancel at 0, 50, 200, 500, 1000 and 2000 ms after Run always leaves the
// panel ready to run (no progress left over, Run enabled, nothing "Running"
// beside "Cancelled"), and the next run completes; focus returns to Run;
// progress stays in view; a run estimated over a minute asks first.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

const delaysMs = [0, 50, 200, 500, 1000, 2000];

// One page per panel: its sections' runs kept small.
const attentionUrl = '?panel=attention&attention.n=512&attention.d=32' +
  '&attention.prompt=64&attention.generated=8&attention.d_model=64&attention.decode_heads=4' +
  '&attention.window=8&attention.kv_group=16&attention.sample_steps=4&attention.seed_lengths=64&attention.seed_steps=2';

// Every panel section that runs work, kept small: its URL, Run button and run-controller id.
const sections = [
  { name: 'attention prefill', url: attentionUrl, run: 'attention-run-prefill', id: 'attention' },
  { name: 'attention decode', url: attentionUrl, run: 'attention-run-decode', id: 'attention' },
  { name: 'attention seed experiment', url: attentionUrl, run: 'attention-run-seed', id: 'attention' },
  { name: 'KV cache measured', url: '?panel=kv&kv.measure_tokens=256&kv.measure_steps=2', run: 'kv-measure-run', id: 'kv-measure' },
  { name: 'quantization reference table', url: '?panel=quant', run: 'quant-run-reference', id: 'quant-reference' },
  { name: 'quantization GEMV', url: '?panel=quant', run: 'quant-run-gemv', id: 'quant-gemv' },
  { name: 'machine probe', url: '?panel=plan', run: 'plan-measure', id: 'plan-machine' },
];

// Clicks Run, waits `delay` ms in the page, clicks Cancel if it is there; returns whether it was.
// (In the page: elements are found by id through every open shadow root.)
function runThenCancel(page, { run, id }, delay) {
  return page.evaluate(async ({ runId, cancelId, wait }) => {
    const find = (elementId, root = document) => {
      const found = root.querySelector(`#${elementId}`);
      if (found) return found;
      for (const element of root.querySelectorAll('*')) {
        const inner = element.shadowRoot && find(elementId, element.shadowRoot);
        if (inner) return inner;
      }
      return null;
    };
    find(runId).click();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    else await Promise.resolve();
    const cancel = find(cancelId);
    cancel?.click();
    return Boolean(cancel);
  }, { runId: run, cancelId: `${id}-cancel`, wait: delay });
}

// The panel is idle and ready: no progress, no Cancel, Run enabled, no "Running" text.
async function assertReady(page, { run, id }, context) {
  await page.waitForFunction(({ runId, prefix }) => {
    const find = (elementId, root = document) => {
      const found = root.querySelector(`#${elementId}`);
      if (found) return found;
      for (const element of root.querySelectorAll('*')) {
        const inner = element.shadowRoot && find(elementId, element.shadowRoot);
        if (inner) return inner;
      }
      return null;
    };
    const button = find(runId);
    return !find(`${prefix}-progress`) && !find(`${prefix}-cancel`) && button && !button.disabled;
  }, { runId: run, prefix: id }, { timeout: 5000 }).catch(() => { throw new Error(`${context}: the panel did not return to ready`); });
  const status = await page.locator(`#${id}-status`).textContent();
  assert.doesNotMatch(status, /Running/, `${context}: ${status}`);
}

// Sections of one panel share its page (opening a page costs seconds on a busy machine).
const pages = new Map();
async function pageFor(url) {
  if (!pages.has(url)) pages.set(url, await openPage(lab.browser, `${lab.server.url}${url}`));
  return pages.get(url);
}
after(async () => {
  for (const { context } of pages.values()) await context.close();
});

for (const section of sections) {
  test(`${section.name}: Cancel at any moment leaves Run working, and the next run completes`, async () => {
    const { page, problems } = await pageFor(section.url);
    await page.locator(`#${section.run}`).waitFor();
    for (const delay of delaysMs) {
      const cancelled = await runThenCancel(page, section, delay);
      await assertReady(page, section, `cancel at ${delay} ms`);
      const message = await page.locator(`#${section.id}-message`).textContent();
      // A run that finished before the Cancel says Done; otherwise Cancelled, and only that.
      assert.match(message, cancelled ? /Cancelled/ : /Done/, `cancel at ${delay} ms: ${message}`);
    }
    await page.click(`#${section.run}`);
    await page.waitForSelector(`#${section.id}-message:has-text("Done")`, { timeout: 120000 });
    await assertReady(page, section, 'after the completed run');
    // Focus is back on the Run button that started the run.
    const focused = await page.evaluate(() => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element?.id;
    });
    assert.equal(focused, section.run);
    assert.deepEqual(problems, []);
  });
}

test('quantization lab: runs the inputs start can be cancelled too, and the next one completes', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=quant`);
  await page.locator('#quant-rel-rmse').waitFor({ timeout: 60000 });
  for (const [index, delay] of delaysMs.entries()) {
    await page.fill('#quant-n', String(2 ** 20 + index));
    await page.locator('#quant-n').dispatchEvent('change');
    await page.waitForTimeout(delay);
    // Cancel if the run is still going (clicked in the page: it may end at any moment).
    await page.evaluate(() => document.querySelector('llm-quant-panel').shadowRoot.querySelector('#quant-lab-cancel')?.click());
    await page.waitForFunction(() => !document.querySelector('llm-quant-panel').shadowRoot.querySelector('#quant-lab-progress'),
      null, { timeout: 5000 });
    assert.doesNotMatch(await page.locator('#quant-lab-status').textContent(), /Running/, `cancel at ${delay} ms`);
  }
  await page.fill('#quant-n', '65536');
  await page.locator('#quant-n').dispatchEvent('change');
  await page.waitForFunction(() => {
    const panel = document.querySelector('llm-quant-panel');
    return panel?.shadowRoot?.querySelector('#quant-rel-rmse') && !panel.shadowRoot.querySelector('#quant-lab-progress') &&
      panel.lab?.n === 65536;
  }, null, { timeout: 60000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a Cancel in one panel section does not lose another section\'s run in the shared worker', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=quant`);
  await page.click('#quant-run-gemv');
  await page.click('#quant-run-reference');
  await page.waitForTimeout(300);
  await page.click('#quant-reference-cancel');
  await page.waitForSelector('#quant-reference-message:has-text("Cancelled")');
  // GEMV's call was in the stopped worker: it starts again in the new one and completes.
  await page.waitForSelector('#quant-gemv-message:has-text("Done")', { timeout: 60000 });
  assert.equal(await page.locator('#quant-gemv-table tbody tr').count(), 5);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a lower experiment\'s progress and Cancel are in view while it runs', async () => {
  const { page, context, problems } = await openPage(lab.browser,
    `${lab.server.url}?panel=attention&attention.seed_lengths=256&attention.seed_steps=4`, { viewport: { width: 1366, height: 600 } });
  await page.locator('#attention-run-seed').scrollIntoViewIfNeeded();
  await page.click('#attention-run-seed');
  const cancel = page.locator('#attention-cancel');
  await cancel.waitFor();
  const box = await cancel.boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 600, `Cancel at ${JSON.stringify(box)} in a 600 px viewport`);
  const progress = await page.locator('#attention-progress').boundingBox();
  assert.ok(progress && progress.y >= 0 && progress.y + progress.height <= 600, `progress at ${JSON.stringify(progress)}`);
  await cancel.click();
  await page.waitForSelector('#attention-message:has-text("Cancelled")');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a run estimated over a minute asks first; Don\'t run and Cancel both leave Run working', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=attention&attention.n=65536&attention.d=64`);
  await page.click('#attention-run-prefill');
  const confirm = page.locator('#attention-confirm');
  await confirm.waitFor();
  assert.match(await confirm.textContent(), /estimated to take about [\d.]+ (minutes|hours)/);
  assert.equal(await page.locator('#attention-progress').count(), 0);  // nothing runs before the answer
  assert.equal(await page.locator('#attention-run-prefill').isDisabled(), true);
  await page.click('#attention-confirm-cancel');
  await page.waitForSelector('#attention-message:has-text("Not run")');
  assert.equal(await page.locator('#attention-run-prefill').isDisabled(), false);
  assert.equal(await page.locator('#attention-prefill-table').count(), 0);
  // Asked again, run anyway: it runs with progress and Cancel.
  await page.click('#attention-run-prefill');
  await page.click('#attention-confirm-run');
  await page.waitForSelector('#attention-progress');
  await page.click('#attention-cancel');
  await page.waitForSelector('#attention-message:has-text("Cancelled")');
  assert.equal(await page.locator('#attention-run-prefill').isDisabled(), false);
  // A small run afterwards needs no confirmation and completes.
  await page.fill('#attention-n', '512');
  await page.locator('#attention-n').dispatchEvent('change');
  await page.click('#attention-run-prefill');
  await page.waitForSelector('#attention-message:has-text("Done")', { timeout: 60000 });
  assert.equal(await page.locator('#attention-confirm').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
