// Docs tables printed by a script are checked here, so they cannot drift
// from what the code computes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { presetsTable } from '../../scripts/presets-table.js';

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
