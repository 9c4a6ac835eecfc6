// Explain views in Chromium: a key figure opens its formula (KaTeX) with the
// same numbers as the figure, under the page's strict CSP; Escape closes it
// and focus returns to the figure.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openPage, useBrowserAndServer } from './harness.js';

const lab = useBrowserAndServer();

test('Model panel: total parameters open their formula with the numbers plugged in', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=model&model.preset=llama-2-7b`);
  const figure = page.locator('#model-total-params button.figure');
  assert.equal(await figure.getAttribute('aria-haspopup'), 'dialog');
  // The button's label is the figure itself (slotted text).
  assert.equal(await page.locator('#model-total-params llm-explain-figure').textContent(), '6,738,415,616');
  await figure.click();

  const dialog = page.locator('#model-total-params dialog');
  await dialog.waitFor({ state: 'visible' });
  // KaTeX rendered DOM (not an HTML string) for the formula and the substitution.
  assert.ok(await dialog.locator('.formula .katex').count() > 0, 'the formula renders with KaTeX');
  assert.ok(await dialog.locator('.substituted .katex').count() > 0, 'the substitution renders with KaTeX');
  // The substitution carries the figure's digits (KaTeX's MathML copy holds the
  // TeX source's numbers; thin spaces become separate nodes, so compare digits).
  const digits = (text) => text.replace(/[^0-9]/g, '');
  const substituted = await dialog.locator('.substituted annotation').textContent();
  assert.ok(digits(substituted).endsWith('6738415616'), substituted);
  // Embedding V·d = 32000 · 4096 = 131,072,000 appears among the plugged-in numbers.
  assert.ok(substituted.includes('131\\,072\\,000'), substituted);
  assert.match(await dialog.locator('.sources').textContent(), /Vaswani/);
  // KaTeX glyphs are laid out (heights set through CSSOM, its CSS adopted): non-zero size.
  const box = await dialog.locator('.formula .katex').first().boundingBox();
  assert.ok(box && box.width > 50 && box.height > 5, JSON.stringify(box));

  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  const focused = await page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.className;
  });
  assert.equal(focused, 'figure', 'focus returns to the figure');
  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Model panel: table totals and the crossover explain themselves, keyboard only', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=model&model.preset=llama-2-7b`);
  // The decode total of the FLOPs table: 15,361,638,400 FLOPs per token at 4096
  // (projections 4,294,967,296 + scores 2,147,483,648 + FFN 8,657,043,456 + LM head 262,144,000).
  const decode = page.locator('#model-flops-table tr.emphasis td[data-key="decode"] button.figure');
  await decode.focus();
  await page.keyboard.press('Enter');
  const decodeDialog = page.locator('#model-flops-table tr.emphasis td[data-key="decode"] dialog');
  await decodeDialog.waitFor({ state: 'visible' });
  const decodeTex = await decodeDialog.locator('.substituted annotation').textContent();
  assert.ok(decodeTex.includes('15\\,361\\,638\\,400'), decodeTex);
  await page.keyboard.press('Escape');
  await decodeDialog.waitFor({ state: 'hidden' });

  // Crossover: (8,657,043,456 - 4,294,967,296) / (4 * 32 * 32 * 128) = 8,320 tokens.
  const crossover = page.locator('#model-crossover button.figure');
  assert.equal(await page.locator('#model-crossover llm-explain-figure').textContent(), '8,320');
  await crossover.click();
  const crossoverDialog = page.locator('#model-crossover dialog');
  await crossoverDialog.waitFor({ state: 'visible' });
  assert.ok((await crossoverDialog.locator('.substituted annotation').textContent()).includes('= 8\\,320'));
  assert.ok(await crossoverDialog.locator('td.symbol .katex').count() > 0, 'term symbols render with KaTeX');
  await crossoverDialog.locator('button.close').click();
  await crossoverDialog.waitFor({ state: 'hidden' });

  // The explanation follows the inputs: 8 KV heads change the total.
  await page.fill('#model-n_kv_heads', '8');
  await page.press('#model-n_kv_heads', 'Enter');
  const total = page.locator('#model-total-params button.figure');
  await page.waitForFunction(() => document.querySelector('llm-model-panel')?.shadowRoot
    ?.querySelector('#model-total-params')?.textContent.trim() !== '6,738,415,616');
  const shown = (await page.locator('#model-total-params llm-explain-figure').textContent()).replace(/[^0-9]/g, '');
  await total.click();
  const dialog = page.locator('#model-total-params dialog');
  await dialog.waitFor({ state: 'visible' });
  const tex = (await dialog.locator('.substituted annotation').textContent()).replace(/[^0-9]/g, '');
  assert.ok(tex.endsWith(shown), `${tex} ends with ${shown}`);
  await page.keyboard.press('Escape');

  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

// The figure as shown ("524.29 kB", "4.586 ms", "4.2500", "33") → a number.
function parseFigure(text) {
  const match = text.trim().match(/^([-\d.,]+)\s*(\S*)/);
  const scales = { kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 1024, MiB: 2 ** 20, GiB: 2 ** 30, s: 1, ms: 1e-3, 'µs': 1e-6, '%': 0.01, '': 1 };
  assert.ok(match && match[2] in scales, `figure "${text}"`);
  return Number(match[1].replace(/,/g, '')) * scales[match[2]];
}

// The value a substitution ends with ("= 524\,288\ \text{bytes}", "= 4.586 \times 10^{-3}") → a number.
function parseTexValue(tex) {
  const last = tex.slice(tex.lastIndexOf('=') + 1).replace(/\\,/g, '').replace(/\\ \\text\{[^}]*\}/g, '').trim();
  const match = last.match(/^(-?[\d.]+)(?:\s*\\times\s*10\^\{(-?\d+)\})?/);
  assert.ok(match, `TeX value in "${tex}"`);
  return Number(match[1]) * 10 ** Number(match[2] ?? 0);
}

// Opens the figure in `selector`, checks KaTeX rendered and that the TeX ends
// with the figure's value (to the figure's shown precision), then closes it with Escape.
async function checkFigure(page, selector, tolerance) {
  const shown = await page.locator(`${selector} llm-explain-figure`).textContent();
  await page.locator(`${selector} button.figure`).click();
  const dialog = page.locator(`${selector} dialog`);
  await dialog.waitFor({ state: 'visible' });
  assert.ok(await dialog.locator('.formula .katex').count() > 0, `${selector}: formula renders`);
  const tex = await dialog.locator('.substituted annotation').textContent();
  const value = parseTexValue(tex);
  const figure = parseFigure(shown);
  assert.ok(Math.abs(value - figure) <= tolerance * Math.abs(value), `${selector}: figure ${shown} vs TeX ${tex}`);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
}

test('KV cache, plan, roofline and quantization panels: key figures explain themselves', async () => {
  const { page, context, problems, cspViolations } = await openPage(lab.browser, `${lab.server.url}?panel=kv`);
  // Shown with 2 decimals in kB/MB/GB: within 0.5 % of the exact bytes.
  await checkFigure(page, '#kv-per-token', 5e-3);
  await checkFigure(page, '#kv-per-sequence', 5e-3);
  await checkFigure(page, '#kv-total', 5e-3);

  await page.goto(`${lab.server.url}?panel=plan`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator('#plan-tokens-per-s llm-explain-figure').waitFor();
  await checkFigure(page, '#plan-tokens-per-s', 1e-3);
  await checkFigure(page, '#plan-ttft', 1e-3);
  await checkFigure(page, '#plan-max-batch', 0);
  // The plan table's rows too: the decode step (shown in ms with 3 decimals).
  const stepCell = page.locator('#plan-table tr', { hasText: 'Decode step (TPOT)' }).locator('td[data-key="value"]');
  await stepCell.locator('button.figure').click();
  await stepCell.locator('dialog').waitFor({ state: 'visible' });
  const stepTex = await stepCell.locator('dialog .substituted annotation').textContent();
  const stepShown = parseFigure(await stepCell.locator('llm-explain-figure').textContent());
  assert.ok(Math.abs(parseTexValue(stepTex) - stepShown) <= 1e-3 * stepShown, `${stepShown} vs ${stepTex}`);
  await page.keyboard.press('Escape');

  await page.goto(`${lab.server.url}?panel=roofline`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator('#roofline-ridge llm-explain-figure').waitFor();
  await checkFigure(page, '#roofline-ridge', 1e-3);

  await page.goto(`${lab.server.url}?panel=quant`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator('#quant-bits llm-explain-figure').waitFor();
  await checkFigure(page, '#quant-bits', 1e-4);
  await checkFigure(page, '#quant-total-bytes', 5e-3);

  assert.deepEqual(await cspViolations(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Plan fine-tuning: the adapters and the memory per device explain themselves', async () => {
  const { page, context, problems } = await openPage(lab.browser, `${lab.server.url}?panel=plan&plan.model=llama-2-7b` +
    '&plan.train_method=qlora&plan.train_lora_rank=16');
  await page.locator('#plan-train-trainable llm-explain-figure').waitFor();
  // 32 layers x 16 x (4 (4096 + 4096) + 3 (4096 + 11008)) = 39,976,960.
  assert.equal(await page.locator('#plan-train-trainable llm-explain-figure').textContent(), '39,976,960');
  await checkFigure(page, '#plan-train-trainable', 0);
  await checkFigure(page, '#plan-train-total', 0.005);
  assert.deepEqual(problems, []);
  await context.close();
});
