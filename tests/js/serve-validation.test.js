// The serving simulator against published measurements of real engines
// (docs/serve-validation.md): the fit and every prediction are recomputed
// here, and the page's JSON and the docs' table must equal them, so neither
// can go stale. No threshold is set on the held-out error: it is reported,
// whatever it is. What is asserted could fail: the split follows its rule,
// and the fitted factors beat the ideal roofline on the fit half.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import {
  dataPath, docsPath, grid, ideal, loadMeasurements, meanSquaredLogError, splitHalves, validate, validationTable,
} from '../../scripts/serve-validation.js';

const api = await loadLlmSpacetime();
const data = loadMeasurements();
const validation = validate(api);

test('the measurements: at least 8, each with its source, and a split by the stated rule', () => {
  const { measurements, sources } = data;
  assert.ok(measurements.length >= 8, `${measurements.length} measurements`);
  for (const m of measurements) {
    assert.ok(sources[m.source]?.commit && sources[m.source]?.url, `${m.id}: a source with a commit and an address`);
    assert.ok(m.measured > 0, `${m.id}: a measured value`);
    assert.ok(api.modelPresets().some((preset) => preset.id === m.model), `${m.id}: ${m.model} is a preset`);
    assert.ok(api.hardwarePresets().some((chip) => chip.id === m.hardware), `${m.id}: ${m.hardware} is a preset`);
  }
  assert.equal(new Set(measurements.map((m) => m.id)).size, measurements.length, 'ids are unique');
  // The rule, derived here independently: sorted ids, alternate.
  const ids = measurements.map((m) => m.id).sort();
  const { fit, heldOut } = splitHalves(measurements);
  assert.deepEqual(fit.map((m) => m.id), ids.filter((_, i) => i % 2 === 0));
  assert.deepEqual(heldOut.map((m) => m.id), ids.filter((_, i) => i % 2 === 1));
  assert.ok(heldOut.length >= 4, 'a held-out half to test on');
});

test('the fit improves on the ideal roofline (every factor at 1) for the fit half', () => {
  const { fit } = splitHalves(data.measurements);
  const fitted = meanSquaredLogError(api, fit, validation.fitted);
  const idealError = meanSquaredLogError(api, fit, ideal);
  assert.ok(fitted < idealError, `fitted ${fitted} < ideal ${idealError}`);
  for (const [key, values] of Object.entries(grid)) assert.ok(values.includes(validation.fitted[key]), `${key} from the grid`);
});

test('docs/data/serve-validation.json (the page\'s table) is what the code computes now', () => {
  assert.deepEqual(JSON.parse(readFileSync(dataPath, 'utf8')), validation);
});

test('docs/serve-validation.md carries the table scripts/serve-validation.js prints, every held-out row in it', () => {
  const text = readFileSync(docsPath, 'utf8');
  const start = text.indexOf('<!-- serve-validation-table:start -->');
  const end = text.indexOf('<!-- serve-validation-table:end -->');
  assert.ok(start >= 0 && end > start, 'the table markers');
  const table = text.slice(start, end).split('\n').slice(1).join('\n').trim();
  assert.equal(table, validationTable(validation));
  const heldOut = validation.rows.filter((row) => row.half === 'held-out');
  assert.equal(heldOut.length, splitHalves(data.measurements).heldOut.length);
  for (const row of heldOut) {
    assert.ok(Number.isFinite(row.error_pct), `${row.id}: an error, whatever it is`);
    assert.ok(table.includes(`| ${row.label} |`), `${row.id} in the table`);
  }
});
