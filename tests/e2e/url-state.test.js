// Share and reproduce: for every panel, inputs set through the URL show up in
// the controls and survive a reload; the units toggle is part of the URL; and
// after the first visit the page works offline (service worker).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

// For a panel: up to three number inputs (value doubled, which keeps divisibility
// rules such as heads % kv_heads intact) and one select (its last option), found by
// the id convention `${panel}-${key}`.
async function pickChanges(page, id) {
  return page.evaluate((panelId) => {
    const element = document.querySelector(`#panels > [data-panel="${panelId}"]`);
    const changes = {};
    let numbers = 0;
    let selects = 0;
    for (const key of element.constructor.stateKeys) {
      const input = element.shadowRoot.querySelector(`#${panelId}-${key}`);
      if (!input) continue;
      if (input.tagName === 'INPUT' && input.type === 'number' && numbers < 3 && Number(input.value) > 0) {
        changes[key] = String(Number(input.value) * 2);
        numbers++;
      } else if (input.tagName === 'SELECT' && selects < 1 && input.options.length > 1) {
        const last = input.options[input.options.length - 1].value;
        if (last && last !== input.value) {
          changes[key] = last;
          selects++;
        }
      }
    }
    return changes;
  }, id);
}

async function readControls(page, id, keys) {
  return page.evaluate(({ panelId, names }) => {
    const root = document.querySelector(`#panels > [data-panel="${panelId}"]`).shadowRoot;
    return Object.fromEntries(names.map((key) => [key, root.querySelector(`#${panelId}-${key}`)?.value]));
  }, { panelId: id, names: keys });
}

test('every panel restores its inputs from the URL, also after a reload', async () => {
  const probe = await openPage(lab.browser, lab.server.url);
  // Every tab (a panel's element is created when its tab is first shown).
  const ids = await probe.page.evaluate(() => [...document.querySelectorAll('nav.tabs button[data-panel]')].map((e) => e.dataset.panel));
  await probe.context.close();
  assert.equal(ids.length, 8);
  for (const id of ids) {
    const first = await openPage(lab.browser, `${lab.server.url}?panel=${id}`);
    const changes = await pickChanges(first.page, id);
    await first.context.close();
    assert.ok(Object.keys(changes).length >= 2, `panel ${id}: inputs found for ${JSON.stringify(changes)}`);
    const url = new URL(lab.server.url);
    url.searchParams.set('panel', id);
    for (const [key, value] of Object.entries(changes)) url.searchParams.set(`${id}.${key}`, value);
    const { page, context, problems } = await openPage(lab.browser, url.href);
    assert.deepEqual(await readControls(page, id, Object.keys(changes)), changes, `panel ${id} from the URL`);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.deepEqual(await readControls(page, id, Object.keys(changes)), changes, `panel ${id} after reload`);
    assert.deepEqual(problems, [], `panel ${id}`);
    await context.close();
  }
});

test('the GB/GiB toggle changes the figures and is part of the URL', async () => {
  const { page, context } = await openPage(lab.browser, `${lab.server.url}?panel=model`);
  // Llama-2-7B fp16 weights: 13,476,831,232 B = 13.48 GB = 12.55 GiB.
  assert.match(await page.locator('#model-weights-fp16').textContent(), /13\.48 GB/);
  await page.selectOption('#units-select', 'GiB');
  await page.waitForFunction(() => location.search.includes('units=GiB'));
  assert.match(await page.locator('#model-weights-fp16').textContent(), /12\.55 GiB/);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.locator('#model-weights-fp16').textContent(), /12\.55 GiB/);
  await context.close();
});
