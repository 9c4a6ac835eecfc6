#!/usr/bin/env node
// Prints the presets table of docs/model.md from the presets themselves:
// total and active parameters, layer kinds, KV bytes per token (bf16) and the
// checkpoint's own weights format. tests/js/docs-tables.test.js checks that
// the docs carry exactly this table.
// Usage: node scripts/presets-table.js   (after npm run build:wasm)
import { loadLlmSpacetime } from '../lib/node.js';

export function presetsTable(api) {
  const count = (value) => value.toLocaleString('en-US');
  const lines = [
    '| id | model | total | active | layer kinds | KV B/token (bf16) | own format |',
    '|---|---|---:|---:|---|---:|---|',
  ];
  for (const preset of api.modelPresets()) {
    const { params } = api.modelReport(preset.config, { context_tokens: 1 });
    const kv = api.kvCache({ ...api.kvShapeFromModel(preset.config), kv_dtype: 'bf16', prompt_tokens: 1 });
    const kinds = params.layer_kinds.map((kind) => `${kind.count} × ${kind.kind}`).join('; ');
    const own = preset.weights_format ? `${preset.weights_format}${preset.weights_keep ? ` (bf16: ${preset.weights_keep})` : ''}` : '';
    lines.push(`| ${preset.id} | ${preset.label} | ${count(params.total)} | ${params.active === params.total ? '' : count(params.active)} ` +
      `| ${kinds} | ${count(kv.bytes_per_token)} | ${own} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(presetsTable(await loadLlmSpacetime()));
}
