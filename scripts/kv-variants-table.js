#!/usr/bin/env node
// Prints the MHA / GQA / MQA table of docs/memory.md ("Measured in WASM"): one
// attention layer of Llama-3-8B's shape (32 heads × 128) decoded with a full
// fp32 cache at several contexts, measured KV bytes beside the closed form and
// tokens/s as ratios to MHA within one run — what the KV cache panel measures.
// Usage: node scripts/kv-variants-table.js [contexts, default 1024,4096]   (after npm run build:wasm)
import { loadLlmSpacetime } from '../lib/node.js';

const api = await loadLlmSpacetime();
const contexts = (process.argv[2] ?? '1024,4096').split(',').map(Number);
const variants = [['MHA', 32], ['GQA', 8], ['MQA', 1]];
const generated = 32;
// The panel's run: projections read a 64-wide synthetic hidden state; 8 of the last 32 steps timed.
const run = (tokens, kvHeads) => api.runDecode({ strategy: 'full', prompt_tokens: tokens - generated,
  generated_tokens: generated, d_model: 32 * 128, heads: 32, kv_heads: kvHeads, hidden_dim: 64, sample_steps: 8 });

console.log('| context | variant | measured KV bytes / layer | closed form | tokens/s | speed vs MHA |');
console.log('|---:|---|---:|---:|---:|---:|');
for (const tokens of contexts) {
  const results = variants.map(([, kvHeads]) => run(tokens, kvHeads));
  results.forEach((result, i) => {
    const closed = api.decodeKvClosedForm(result);
    console.log(`| ${tokens} | ${variants[i][0]} (${variants[i][1]}) | ${result.kv_bytes.toLocaleString('en-US')} | ` +
      `${closed.predicted_bytes.toLocaleString('en-US')} | ${result.tokens_per_s.toFixed(1)} | ` +
      `${(result.tokens_per_s / results[0].tokens_per_s).toFixed(2)}× |`);
  });
}
