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
