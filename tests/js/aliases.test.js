// One name per flag and field (issue 14, "One flag, several names"): the older
// names stay accepted as aliases and give the same result; both at once is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { assertInputError, cliAsync } from './helpers.js';

const api = await loadLlmSpacetime();

test('API: each alias gives the same result as its field', () => {
  assert.deepEqual(api.simulatePaging({ dist: 'uniform', max_requests: 2000 }),
    api.simulatePaging({ distribution: 'uniform', max_requests: 2000 }));
  assert.notDeepEqual(api.simulatePaging({ dist: 'uniform', max_requests: 2000 }), api.simulatePaging({ max_requests: 2000 }));
  assert.deepEqual(api.kvCache({ kv_dtype: 'int4', scale_dtype: 'fp32' }), api.kvCache({ kv_dtype: 'int4', quant_scale_dtype: 'fp32' }));
  assert.notEqual(api.kvCache({ kv_dtype: 'int4', scale_dtype: 'fp32' }).bytes, api.kvCache({ kv_dtype: 'int4' }).bytes);
  const lab = (input) => api.quantLab({ format: 'int8', n: 4096, ...input });
  const { seconds: _a, time: _b, ...byDist } = lab({ distribution: 'laplace' });
  const { seconds: _c, time: _d, ...byField } = lab({ dist: 'laplace' });
  assert.deepEqual(byDist.rel_rmse, byField.rel_rmse);
  assert.equal(byDist.input?.dist ?? 'laplace', 'laplace');
  const decode = (input) => api.runDecode({ strategy: 'window', prompt_tokens: 8, generated_tokens: 4, d_model: 16, heads: 2, ...input });
  assert.equal(decode({ window: 3 }).input.cache_tokens, 3);
  assert.equal(decode({ window: 3 }).max_abs_error, decode({ cache_tokens: 3 }).max_abs_error);
  assert.equal(api.estimateRun('runDecode', { window: 3 }).seconds, api.estimateRun('runDecode', { cache_tokens: 3 }).seconds);
  // min_seconds (the probe's and benchmarks' name) sets the GEMV's min_time_s: the estimate counts the timed time
  const gemv = (input) => api.estimateRun('quantGemv', input).seconds;
  assert.equal(gemv({ min_seconds: 5 }), gemv({ min_time_s: 5 }));
  assert.notEqual(gemv({ min_seconds: 5 }), gemv({}));
});

test('API: an alias beside its field is an InputError naming the alias', () => {
  assertInputError(() => api.simulatePaging({ dist: 'fixed', distribution: 'uniform' }), 'dist', /another name for distribution/);
  assertInputError(() => api.kvCache({ scale_dtype: 'fp32', quant_scale_dtype: 'fp16' }), 'scale_dtype', /another name/);
  assertInputError(() => api.runDecode({ window: 3, cache_tokens: 4 }), 'window', /another name for cache_tokens/);
  assertInputError(() => api.quantGemv({ min_seconds: 0.1, min_time_s: 0.2 }), 'min_seconds', /another name for min_time_s/);
  // A struct's own field is never renamed: the KV calculator's window stays its window.
  assert.equal(api.kvCache({ window: 512 }).input?.window ?? 512, 512);
});

test('CLI: --budget and --budget-gb everywhere a budget is taken, --distribution for --dist, --min-seconds for --min-time', async () => {
  const [bytes, gb, both, dist, distribution, attentionGb] = await Promise.all([
    cliAsync('kv-paging', '--bytes-per-token', '1000', '--budget', '4e10', '--json'),
    cliAsync('kv-paging', '--bytes-per-token', '1000', '--budget-gb', '40', '--json'),
    cliAsync('kv-paging', '--bytes-per-token', '1000', '--budget', '4e10', '--budget-gb', '40'),
    cliAsync('kv-paging', '--bytes-per-token', '1000', '--dist', 'uniform', '--json'),
    cliAsync('kv-paging', '--bytes-per-token', '1000', '--distribution', 'uniform', '--json'),
    cliAsync('attention', '--n', '4096', '--variant', 'naive', '--budget-gb', '0.001'),
  ]);
  assert.equal(bytes.code, 0, bytes.stderr);
  assert.deepEqual(JSON.parse(bytes.stdout), JSON.parse(gb.stdout));
  assert.equal(both.code, 2);
  assert.match(both.stderr, /give --budget \(bytes\) or --budget-gb \(GB\), not both/);
  assert.deepEqual(JSON.parse(dist.stdout), JSON.parse(distribution.stdout));
  assert.equal(attentionGb.code, 2);
  assert.match(attentionGb.stderr, /more than the budget of 1000000 bytes/);
  const [gemvTime, gemvSeconds, gemvBoth] = await Promise.all([
    cliAsync('quant-gemv', '--rows', '128', '--cols', '128', '--min-time', '0.02', '--json'),
    cliAsync('quant-gemv', '--rows', '128', '--cols', '128', '--min-seconds', '0.02', '--json'),
    cliAsync('quant-gemv', '--min-time', '0.1', '--min-seconds', '0.1'),
  ]);
  assert.equal(gemvTime.code, 0, gemvTime.stderr);
  assert.equal(gemvSeconds.code, 0, gemvSeconds.stderr);
  assert.deepEqual(Object.keys(JSON.parse(gemvSeconds.stdout)), Object.keys(JSON.parse(gemvTime.stdout)));
  assert.equal(gemvBoth.code, 2);
  assert.match(gemvBoth.stderr, /--min-seconds is another name for --min-time/);
});
