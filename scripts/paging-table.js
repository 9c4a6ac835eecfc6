#!/usr/bin/env node
// Prints the paging-simulation table of docs/memory.md: waste of naive
// max-length preallocation, exact-length reservation and paged blocks, and how
// many more sequences paging fits, over seeds 1–5, for a few request mixes.
// Usage: node scripts/paging-table.js   (after npm run build:wasm)
import { loadLlmSpacetime } from '../lib/node.js';

const api = await loadLlmSpacetime();
// Llama-3-8B: 2 · 32 layers · 8 KV heads · 128 · 2 B = 131,072 B per token.
const bytesPerToken = api.kvCache({ n_layers: 32, n_heads: 32, n_kv_heads: 8, head_dim: 128 }).bytes_per_token;
const budgetBytes = 40e9;
const blockSize = 16;
const seeds = [1, 2, 3, 4, 5];
const mixes = [
  ['lognormal, mean 1024, std 1024, max 4096', { distribution: 'lognormal', mean_tokens: 1024, std_tokens: 1024, max_tokens: 4096 }],
  ['lognormal, mean 500, std 400, max 2048 (ShareGPT-like)', { distribution: 'lognormal', mean_tokens: 500, std_tokens: 400, max_tokens: 2048 }],
  ['lognormal, mean 80, std 60, max 2048 (Alpaca-like)', { distribution: 'lognormal', mean_tokens: 80, std_tokens: 60, max_tokens: 2048 }],
  ['uniform, mean 2048, std 1000, max 4096', { distribution: 'uniform', mean_tokens: 2048, std_tokens: 1000, max_tokens: 4096 }],
  ['fixed 4096 = max', { distribution: 'fixed', mean_tokens: 4096, std_tokens: 0, max_tokens: 4096 }],
];

const span = (values, format) => {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? format(low) : `${format(low)}–${format(high)}`;
};
const percent = (x) => `${(100 * x).toFixed(1)} %`;

console.log(`Llama-3-8B fp16 (${bytesPerToken} B/token), budget ${budgetBytes / 1e9} GB, blocks of ${blockSize}, seeds ${seeds.join(', ')}\n`);
console.log('| snapshot | request lengths | naive waste | exact-length waste | paged waste | paged / naive sequences | naive sequences |');
console.log('|---|---|---|---|---|---|---|');
for (const snapshot of ['final', 'in_flight']) {
  for (const [name, mix] of mixes) {
    const runs = seeds.map((seed) => api.simulatePaging({
      ...mix, snapshot, seed, bytes_per_token: bytesPerToken, budget_bytes: budgetBytes, block_size: blockSize,
    }));
    const waste = (i) => span(runs.map((r) => r.schemes[i].waste_fraction), percent);
    console.log(`| ${snapshot} | ${name} | ${waste(0)} | ${waste(1)} | ${waste(2)} | ` +
      `${span(runs.map((r) => r.paged_vs_naive_sequences), (x) => `${x.toFixed(2)}×`)} | ${span(runs.map((r) => r.schemes[0].sequences), String)} |`);
  }
}
