#!/usr/bin/env node
// The seed-experiment table of docs/attention.md: per (n, cache) the seed's
// algorithm, the window with its output, recompute and none — tokens/s, the
// ratio to the seed's, bytes, FLOPs per step by part, error vs the full cache
// and the seed README's own figures. Timings change run to run, so --write
// keeps the run it formatted in docs/data/seed-experiment.json beside the
// table; tests/js/docs-tables.test.js checks that the docs carry exactly
// seedTable(that run) and that its untimed figures are what the code computes.
// Runs made since runs exist carry a spread: tokens/s then shows the quartile
// runs and "× seed" says "within noise" where the spreads overlap.
// Usage: node scripts/seed-table.js [--lengths 512,1024,2048] [--sample-steps 8] [--write]   (after npm run build:wasm)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { loadLlmSpacetime } from '../lib/node.js';
import { compareTimings } from '../lib/timing.js';

export const seedRuns = [['seed', 'seed (its algorithm)'], ['window', 'window W+1'], ['recompute', 'recompute W+1'],
  ['none', 'none (its Full)']];
const mib = (bytes) => (bytes / 2 ** 20).toFixed(2);
const mflops = (flops) => (flops / 1e6).toFixed(1);
// tokens/s of the median run, and with runs (a `time` spread, since runs
// exist) the slowest to fastest quartile run: "42.3 (40.1–44.0)".
function tokensPerSecond(run) {
  if (!run.time) return run.tokens_per_s.toFixed(1);
  const rate = (seconds) => (run.measured_steps / seconds).toFixed(1);
  return `${run.tokens_per_s.toFixed(1)} (${rate(run.time.q3_s)}–${rate(run.time.q1_s)})`;
}
// × the seed's speed; with runs, only where the two spreads do not overlap.
function versusSeed(run, seed, ratio) {
  if (run.time && seed.time && compareTimings(run.time, seed.time).verdict === 'within noise') return 'within noise';
  return ratio.toFixed(2);
}

/** The markdown table for a seedExperiment result. */
export function seedTable(result) {
  const lines = [
    '| n | cache W | strategy | tokens/s | × seed | KV MiB | hidden MiB | MFLOP/step | Q | K/V | attention | output | max \\|Δ\\| vs full | min cosine | seed README tok/s |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of result.rows) {
    const readme = row.readme_tokens_per_s_max > 0 ? `${row.readme_tokens_per_s_min}–${row.readme_tokens_per_s_max}` : '';
    for (const [key, label] of seedRuns) {
      const run = row[key];
      const parts = run.flops_by_part;
      const ratio = key === 'seed' ? '1' : versusSeed(run, row.seed, row[`${key}_vs_seed`]);
      lines.push(`| ${row.sequence_length} | ${row.cache_label} = ${row.cache_tokens} | ${label} | ${tokensPerSecond(run)} ` +
        `| ${ratio} | ${mib(run.kv_bytes)} | ${mib(run.hidden_bytes)} | ${mflops(run.flops_per_step)} | ${mflops(parts.q_projection)} ` +
        `| ${mflops(parts.kv_projection)} | ${mflops(parts.attention)} | ${mflops(parts.output)} ` +
        `| ${run.max_abs_error === 0 ? '0' : run.max_abs_error.toExponential(2)} | ${run.min_cosine.toFixed(6)} ` +
        `| ${key === 'seed' ? readme : ''} |`);
    }
  }
  return lines.join('\n');
}

export const docsPath = new URL('../docs/attention.md', import.meta.url);
export const dataPath = new URL('../docs/data/seed-experiment.json', import.meta.url);

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { lengths: { type: 'string', default: '512,1024,2048' },
    'sample-steps': { type: 'string', default: '8' }, write: { type: 'boolean', default: false } } });
  const api = await loadLlmSpacetime();
  const result = api.seedExperiment({ sequence_lengths: values.lengths.split(',').map(Number),
    sample_steps: Number(values['sample-steps']) });
  const table = seedTable(result);
  if (!values.write) {
    console.log(table);
  } else {
    writeFileSync(dataPath, `${JSON.stringify(result, null, 1)}\n`);
    const docs = readFileSync(docsPath, 'utf8');
    const start = docs.indexOf('<!-- seed-table:start -->'), end = docs.indexOf('<!-- seed-table:end -->');
    if (start < 0 || end < start) throw new Error('docs/attention.md has no seed-table markers');
    writeFileSync(docsPath, `${docs.slice(0, start)}<!-- seed-table:start -->\n${table}\n${docs.slice(end)}`);
    console.log(`wrote ${table.split('\n').length - 2} rows to docs/attention.md and the run to docs/data/seed-experiment.json`);
  }
}
