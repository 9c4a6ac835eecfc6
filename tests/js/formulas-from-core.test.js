// Issue 14, "Formulas are redone in JS": figures the page labels come from the
// core, not from a JS copy of the formula, and the page text stays the same.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { weightOptions } from '../../web/src/panels/workload-form.js';

const api = await loadLlmSpacetime();

test('weights labels show the core\'s bits per weight (quantFormats().bits_per_weight), text unchanged', () => {
  const formats = api.quantFormats();
  const blocks = formats.filter((f) => f.block_size > 0);
  assert.ok(blocks.length >= 13);
  for (const f of blocks) {
    assert.equal(f.bits_per_weight, api.quantBitsPerWeight({ format: f.id }).bits_per_weight, f.id);
  }
  for (const f of formats.filter((f) => !(f.block_size > 0))) assert.equal(f.bits_per_weight, null, f.id);
  // The labels read the core's figure: without the block sizes they are unchanged.
  const labels = weightOptions(formats).map((o) => o.label);
  const withoutBlockBytes = weightOptions(formats.map(({ block_bytes, ...f }) => ({ ...f, block_bytes: NaN }))).map((o) => o.label);
  assert.deepEqual(withoutBlockBytes, labels);
  // The text as the page showed it (block bytes × 8 / block size, 4 decimals).
  const byValue = Object.fromEntries(weightOptions(formats).map((o) => [o.value, o.label]));
  assert.equal(byValue.q4_k, 'Q4_K (4.5 bits)'.replace('Q4_K', formats.find((f) => f.id === 'q4_k').label));
  assert.equal(byValue.fp8_block, `${formats.find((f) => f.id === 'fp8_block').label} (8.002 bits)`);
  for (const f of blocks) assert.equal(byValue[f.id], `${f.label} (${Number((f.block_bytes * 8 / f.block_size).toFixed(4))} bits)`);
});

// The rule cli/explain.js used to apply itself: whole numbers with separators, else 4 significant digits.
const oldText = (value) => (Number.isInteger(value) ? value.toLocaleString('en-US') : String(Number(value.toPrecision(4))));

test('explain numbers are written by the core (value_text): the CLI text formats none itself', async () => {
  const { explainText } = await import('../../cli/explain.js');
  const lists = [api.explainModel(api.modelPreset('llama-2-7b').config), api.explainKv({}),
    api.explainPlan({ model: 'llama-2-7b', batch: 4 }), api.explainQuant({ params: { ffn: 1e9 }, format: 'int4' })];
  let plain = 0;
  for (const list of lists) {
    const text = explainText(list);
    for (const e of list) {
      assert.equal(typeof e.value_text, 'string', e.id);
      assert.ok(text.includes(`[${e.id}] = ${e.value_text}`), e.id);
      for (const t of e.terms) assert.equal(typeof t.value_text, 'string', `${e.id} ${t.symbol}`);
      // Where the old JS rule did not switch to scientific form, the text is unchanged.
      const magnitude = Math.abs(e.value);
      if (Number.isInteger(e.value) || (magnitude >= 1e-3 && magnitude < 1e6)) {
        assert.equal(e.value_text, oldText(e.value), e.id);
        plain++;
      }
    }
  }
  assert.ok(plain > 10);
  // Large non-integers in the core's plain scientific form (3.352e12, as src/core/explain.hpp documents).
  const scientific = lists.flat().find((e) => !Number.isInteger(e.value) && Math.abs(e.value) >= 1e6);
  if (scientific) assert.match(scientific.value_text, /^-?\d(\.\d+)?e\d+$/);
});
