// Closed form beside measured: the KV calculator (kvCache, one layer) against
// the bytes the decode kernel actually keeps, for MHA, GQA and MQA.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { assertInputError, cliJson } from './helpers.js';

const api = await loadLlmSpacetime();

// d_model 64 = 8 heads × head_dim 8; 40 prompt + 8 generated = 48 tokens; window 16, 3 sinks.
const base = { prompt_tokens: 40, generated_tokens: 8, d_model: 64, heads: 8, cache_tokens: 16, sinks: 3,
  kv_layout: 'per_token', kv_group: 4, sample_steps: 2 };
const architectures = [['MHA', 8], ['GQA', 2], ['MQA', 1]];

test('measured KV bytes equal the closed form for full, window, sinks and per-token int8/int4', () => {
  for (const [name, kvHeads] of architectures) {
    for (const strategy of ['full', 'window', 'sinks', 'int8', 'int4']) {
      const result = api.runDecode({ ...base, kv_heads: kvHeads, strategy });
      assert.equal(result.kv_heads, kvHeads);
      const closed = api.decodeKvClosedForm(result);
      assert.equal(closed.measured_bytes, result.kv_bytes);
      assert.equal(closed.predicted_bytes, result.kv_bytes, `${name} ${strategy}: measured ${result.kv_bytes}, formula ${closed.predicted_bytes}`);
      assert.equal(closed.difference_bytes, 0);
      assert.equal(closed.note, '');
    }
  }
});

test('the shared numbers, by hand', () => {
  // GQA, 2 KV heads × head_dim 8 = 16 values per K row.
  const kv = (strategy) => api.runDecode({ ...base, kv_heads: 2, strategy }).kv_bytes;
  assert.equal(kv('full'), 2 * 48 * 16 * 4);     // K and V, 48 tokens, fp32
  assert.equal(kv('window'), 2 * 16 * 16 * 4);   // the last 16 tokens
  assert.equal(kv('sinks'), 2 * 19 * 16 * 4);    // 3 sinks + 16
  // int4 groups of 4 along head_dim: 16 values → 8 B of codes + 4 fp32 scales (16 B) per K row
  assert.equal(kv('int4'), 2 * 48 * (8 + 16));
  // MQA full: one K row of 8 values per token
  assert.equal(api.runDecode({ ...base, kv_heads: 1, strategy: 'full' }).kv_bytes, 2 * 48 * 8 * 4);
});

test('what the formula does not model is named, with its bytes', () => {
  const recompute = api.runDecode({ ...base, kv_heads: 2, strategy: 'recompute' });
  const closed = api.decodeKvClosedForm(recompute);
  // K/V of the 16 kept tokens are the formula's window; the 48 hidden states (64 wide) are not K/V
  assert.equal(closed.difference_bytes, 0);
  assert.equal(recompute.hidden_bytes, 48 * 64 * 4);
  assert.match(closed.note, /hidden states of all 48 tokens \(12,288 B\)/);

  const none = api.decodeKvClosedForm(api.runDecode({ ...base, strategy: 'none' }));
  assert.equal(none.kv_input, null);
  assert.equal(none.predicted_bytes, 0);
  assert.match(none.note, /^keeps no K\/V/);

  // per_channel, GQA, group 4 tokens: codes 48 × 16 B, scales ⌈48/4⌉ = 12 blocks × 16 channels × 4 B,
  // and an fp32 residual block of 4 tokens × 16 × 4 B, for K and V = 2 · (768 + 768 + 256) = 3584.
  // The formula (per token, groups of 4 along head_dim): 2 · 48 · (16 + 4 scales × 4 B) = 3072.
  const channel = api.runDecode({ ...base, kv_heads: 2, strategy: 'int8', kv_layout: 'per_channel' });
  assert.equal(channel.kv_bytes, 3584);
  const channelClosed = api.decodeKvClosedForm(channel);
  assert.equal(channelClosed.predicted_bytes, 3072);
  assert.equal(channelClosed.difference_bytes, 512);
  assert.match(channelClosed.note, /per_channel/);
});

test('kv_heads: named errors through the API and the CLI flag', () => {
  assertInputError(() => api.runDecode({ d_model: 768, heads: 12, kv_heads: 5 }), 'kv_heads', /kv_heads = 5 must divide heads = 12/);
  assertInputError(() => api.runDecode({ kv_heads: -1 }), 'kv_heads');
  assertInputError(() => api.runDecode({ kv_heads: 'abc' }), 'kv_heads');
  assertInputError(() => api.runDecode({ hidden_dim: 0.5 }), 'hidden_dim');
  const json = cliJson('decode', '--strategy', 'full', '--prompt', '24', '--generated', '8', '--d-model', '64',
    '--heads', '8', '--kv-heads', '2', '--hidden-dim', '16', '--sample-steps', '2');
  assert.equal(json.kv_heads, 2);
  assert.equal(json.hidden_dim, 16);
  assert.equal(json.kv_bytes, 2 * 32 * 16 * 4);
  assert.equal(json.weights_bytes, (64 + 2 * 16) * 16 * 4);
});

test('kvCache: quant_scale_dtype', () => {
  const int8 = (scale) => api.kvCache({ n_layers: 1, n_heads: 1, n_kv_heads: 1, head_dim: 64, prompt_tokens: 1,
    kv_dtype: 'int8', quant_group: 32, ...(scale ? { quant_scale_dtype: scale } : {}) }).vector_bytes;
  assert.equal(int8(), 64 + 2 * 2);        // fp16 scales by default
  assert.equal(int8('fp32'), 64 + 2 * 4);
  assertInputError(() => int8('fp8'), 'quant_scale_dtype');
  const json = cliJson('kv', '--layers', '1', '--heads', '1', '--kv-heads', '1', '--head-dim', '64', '--context', '1',
    '--kv-dtype', 'int8', '--quant-group', '32', '--scale-dtype', 'fp32');
  assert.equal(json.kv_cache.bytes_per_token, 2 * (64 + 8));
});
