// The memory area through the built WASM module and the CLI. Expected numbers
// are hand counts from the models' published shapes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { InputError } from '../../lib/api.js';
import { loadLlmSpacetime } from '../../lib/node.js';

const api = await loadLlmSpacetime();
const cli = new URL('../../cli/llm-spacetime.js', import.meta.url).pathname;
const run = promisify(execFile);

async function runCli(...args) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

// Llama-3-8B: 32 layers, 32 heads, 8 KV heads, head_dim 128.
const llama3 = { n_layers: 32, n_heads: 32, n_kv_heads: 8, head_dim: 128 };

test('kvCache: Llama-2-7B and Llama-3-8B bytes per token', () => {
  // 2 · 32 · 32 · 128 · 2 B = 524,288 (the defaults are Llama-2-7B's shape, stated in the .d.ts).
  assert.equal(api.kvCache({ n_layers: 32, n_heads: 32, n_kv_heads: 32, head_dim: 128 }).bytes_per_token, 524288);
  // 2 · 32 · 8 · 128 · 2 = 131,072; batch 4 at 8192 tokens: 4 · 8192 · 131,072 = 4 GiB.
  const r = api.kvCache({ ...llama3, prompt_tokens: 8000, generated_tokens: 192, batch: 4 });
  assert.equal(r.bytes_per_token, 131072);
  assert.equal(r.bytes, 4 * 2 ** 30);
  assert.equal(r.status, undefined);
});

test('kvCompare returns MHA, GQA, MQA and a context series per strategy', () => {
  const c = api.kvCompare({ ...llama3, window: 4096 });
  assert.deepEqual(c.variants.map((v) => v.id), ['mha', 'gqa', 'mqa']);
  assert.deepEqual(c.variants.map((v) => v.bytes_per_token), [524288, 131072, 16384]);
  const window = c.series.filter((p) => p.strategy === 'window');
  // Flat beyond the window: 4096 · 131,072 B.
  assert.equal(window.at(-1).bytes_per_sequence, 4096 * 131072);
  assert.ok(Array.isArray(c.series) && c.series.length > 10);
});

test('attentionMemory: 1M tokens of fp32 scores is 4 TB per head', () => {
  const r = api.attentionMemory({ n: 1e6, heads: 1 });
  assert.equal(r.standard_scores_bytes_per_head, 4e12);
  assert.ok(r.hbm_ratio > 1);
  assert.ok(r.series.every((p) => p.standard_hbm_bytes > p.flash_hbm_bytes));
});

test('simulatePaging: deterministic per seed; fixed lengths follow the hand count', () => {
  const a = api.simulatePaging({ seed: 7 });
  const b = api.simulatePaging({ seed: 7 });
  assert.deepEqual(a, b);
  // 1000-token requests, naive reserves 4096: a budget of 10 naive sequences
  // holds floor(40960 / 1008) = 40 paged ones.
  const fixed = api.simulatePaging({ distribution: 'fixed', mean_tokens: 1000, max_tokens: 4096, bytes_per_token: 1, budget_bytes: 40960 });
  assert.deepEqual(fixed.schemes.map((s) => s.sequences), [10, 40, 40]);
  assert.equal(fixed.paged_vs_naive_sequences, 4);
});

test('bad inputs throw InputError naming the field', () => {
  assert.throws(() => api.kvCache({ n_kv_heads: 5 }), (e) => e instanceof InputError && e.field === 'n_kv_heads');
  assert.throws(() => api.kvCache({ batch: -1 }), (e) => e.field === 'batch' && /batch = -1/.test(e.message));
  assert.throws(() => api.kvCache({ batch: 'many' }), (e) => e.field === 'batch');
  assert.throws(() => api.kvCache({ kv_dtype: 'fp64' }), (e) => e.field === 'kv_dtype');
  assert.throws(() => api.kvCache({ windw: 10 }), (e) => e.field === 'windw');
  assert.throws(() => api.simulatePaging({ distribution: 'zipf' }), (e) => e.field === 'distribution');
  assert.throws(() => api.attentionMemory({ n: 2.5 }), (e) => e.field === 'n');
});

test('CLI kv --json reports kv_cache.bytes and bytes_per_token', async () => {
  const { code, stdout } = await runCli('kv', '--layers', '32', '--heads', '32', '--kv-heads', '8', '--head-dim', '128',
    '--context', '32768', '--batch', '2', '--window', '4096', '--block-size', '16', '--json');
  assert.equal(code, 0);
  const json = JSON.parse(stdout);
  assert.equal(json.kv_cache.bytes_per_token, 131072);
  // Window 4096 of 32768: 2 sequences · 4096 · 131,072 B = 1 GiB.
  assert.equal(json.kv_cache.bytes, 2 ** 30);
});

test('CLI kv: bad values and flags exit 2 naming the field', async () => {
  const bad = await runCli('kv', '--kv-heads', '5', '--json');
  assert.equal(bad.code, 2);
  assert.equal(JSON.parse(bad.stdout).error.field, 'n_kv_heads');
  const unknown = await runCli('kv', '--kv-dtype', 'fp64');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--kv-dtype = "fp64"/);
  assert.equal((await runCli('kv', '--bogus')).code, 2);
});

test('CLI kv --preset resolves through the model presets', async () => {
  const result = await runCli('kv', '--preset', 'llama-2-7b', '--context', '4096', '--json');
  assert.equal(result.code, 0);
  // 2 · 32 · 32 · 128 · 2 B.
  assert.equal(JSON.parse(result.stdout).kv_cache.bytes_per_token, 524288);
  const missing = await runCli('kv', '--preset', 'no-such-model');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no-such-model/);
});

test('CLI kv-paging and attention-memory', async () => {
  const paging = await runCli('kv-paging', '--dist', 'fixed', '--mean', '1000', '--max-tokens', '4096',
    '--bytes-per-token', '1', '--budget-gb', '0.00004096', '--json');
  assert.equal(paging.code, 0);
  assert.deepEqual(JSON.parse(paging.stdout).schemes.map((s) => s.sequences), [10, 40, 40]);
  const attention = await runCli('attention-memory', '--n', '1000000', '--heads', '1', '--json');
  assert.equal(JSON.parse(attention.stdout).standard_scores_bytes_per_head, 4e12);
});

test('CLI kv: --context, --prompt and --generated agree or fail by name; --heads alone means MHA', async () => {
  const mismatch = await runCli('kv', '--context', '100', '--prompt', '90', '--generated', '5');
  assert.equal(mismatch.code, 2);
  assert.match(mismatch.stderr, /--context = 100 differs from --prompt \+ --generated = 95/);
  // --context 100 with 30 generated: prompt 70, tokens 100.
  const split = JSON.parse((await runCli('kv', '--context', '100', '--generated', '30', '--json')).stdout);
  assert.equal(split.input.prompt_tokens, 70);
  assert.equal(split.kv_cache.tokens, 100);
  // 12 layers, 12 heads of 64 (GPT-2 small) without --kv-heads: MHA, 2 · 12 · 12 · 64 · 2 = 36,864 B.
  const gpt2 = JSON.parse((await runCli('kv', '--layers', '12', '--heads', '12', '--head-dim', '64', '--json')).stdout);
  assert.equal(gpt2.kv_cache.bytes_per_token, 36864);
});
