// Docs tables printed by a script are checked here, so they cannot drift
// from what the code computes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { hardwareTable } from '../../scripts/hardware-table.js';
import { presetsTable } from '../../scripts/presets-table.js';
import { dataPath, seedRuns, seedTable } from '../../scripts/seed-table.js';

const api = await loadLlmSpacetime();
const docs = (name) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
const between = (text, marker) => {
  const start = text.indexOf(`<!-- ${marker}:start -->`);
  const end = text.indexOf(`<!-- ${marker}:end -->`);
  assert.ok(start >= 0 && end > start, `docs have the ${marker} markers`);
  return text.slice(start, end).split('\n').slice(1).join('\n').trim();
};

test('docs/model.md carries the presets table that scripts/presets-table.js prints', () => {
  assert.equal(between(docs('model.md'), 'presets-table'), presetsTable(api));
});

test('docs/roofline.md carries the hardware table that scripts/hardware-table.js prints', () => {
  assert.equal(between(docs('roofline.md'), 'hardware-table'), hardwareTable(api));
});

test('docs/attention.md carries the seed table that scripts/seed-table.js printed, from a run the code reproduces', () => {
  // Timings change run to run: the script keeps the run it formatted beside the docs.
  const run = JSON.parse(readFileSync(dataPath, 'utf8'));
  const table = between(docs('attention.md'), 'seed-table');
  assert.equal(table, seedTable(run));
  // its shape: n = 512, 1024, 2048 × caches n, 4√n, 8 × four strategies
  assert.deepEqual(run.rows.map((row) => `${row.sequence_length} ${row.cache_label} = ${row.cache_tokens}`),
    ['512 n = 512', '512 4√n = 90', '512 8 = 8', '1024 n = 1024', '1024 4√n = 128', '1024 8 = 8',
      '2048 n = 2048', '2048 4√n = 181', '2048 8 = 8']);
  assert.equal(table.split('\n').length, 2 + 9 * 4);
  // Its untimed figures are what the code computes now (n = 512, same inputs): bytes and FLOPs exactly,
  // errors to float rounding.
  const fresh = api.seedExperiment({ ...run.input, sequence_lengths: [512] });
  fresh.rows.forEach((row, i) => {
    for (const [key] of seedRuns) {
      const kept = run.rows[i][key];
      const now = row[key];
      for (const field of ['kv_bytes', 'hidden_bytes', 'flops_per_step', 'attended_tokens']) {
        assert.equal(kept[field], now[field], `${row.cache_label} ${key}.${field}`);
      }
      assert.deepEqual(kept.flops_by_part, now.flops_by_part, `${row.cache_label} ${key}`);
      assert.ok(Math.abs(kept.max_abs_error - now.max_abs_error) <= 1e-6, `${row.cache_label} ${key}.max_abs_error`);
      assert.ok(Math.abs(kept.min_cosine - now.min_cosine) <= 1e-6, `${row.cache_label} ${key}.min_cosine`);
    }
  });
});
