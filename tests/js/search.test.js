// The deployment search through the JS API and the CLI (docs/search.md):
// the front fits, meets the SLOs and is not dominated; the cost formula by
// hand; a point re-run through plan() gives the same latency; progress;
// unpriced chips named; errors naming the field. Prices are given here: the
// presets' own prices may change.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { assertInputError, cli, cliJson } from './helpers.js';

const api = await loadLlmSpacetime();
const input = {
  model: 'llama-3-8b', prompt_tokens: 1024, output_tokens: 256, slo_ttft_s: 2, slo_tpot_s: 0.05,
  hardware: ['h100-sxm', 'a100-80gb', 'l4'], max_gpus: 4, prices: { 'h100-sxm': 4, 'a100-80gb': 2.5, l4: 0.8 }, max_points: 1e6,
};
const pointFields = ['hardware', 'gpus', 'tp', 'pp', 'weights', 'kv_dtype', 'batch', 'context', 'ttft_s', 'tpot_s', 'tokens_per_s',
  'usd_per_hour', 'usd_per_million_tokens', 'joules_per_token', 'fits'];

test('search: every front point fits, meets the SLOs and is dominated by no feasible point', () => {
  const r = api.search(input);
  assert.ok(r.evaluated > 0 && r.feasible === r.points.length && r.pareto.length >= 2, JSON.stringify({ ...r, points: r.points.length }));
  for (const p of r.pareto) {
    for (const field of pointFields) assert.ok(field in p, field);
    assert.equal(p.fits, true);
    assert.ok(p.ttft_s <= input.slo_ttft_s && p.tpot_s <= input.slo_tpot_s);
    assert.equal(p.context, 1024 + 256);
    for (const q of r.points) {
      const dominates = q.tpot_s <= p.tpot_s && q.usd_per_million_tokens <= p.usd_per_million_tokens &&
        (q.tpot_s < p.tpot_s || q.usd_per_million_tokens < p.usd_per_million_tokens);
      assert.ok(!dominates, `${JSON.stringify(q)} dominates ${JSON.stringify(p)}`);
    }
  }
  for (let i = 1; i < r.pareto.length; i++) assert.ok(r.pareto[i].tpot_s > r.pareto[i - 1].tpot_s);
  assert.deepEqual(r.cheapest, r.pareto.at(-1));
  assert.deepEqual(r.skipped_unpriced, []);
});

test('search: the cost of a point by hand, and its latency re-run through plan()', () => {
  const r = api.search({ ...input, hardware: ['h100-sxm'], prices: { 'h100-sxm': 3.5 }, weights: ['int4'], kv_dtype: ['fp8'], batches: [32] });
  assert.ok(r.points.length >= 1);
  for (const p of r.points) {
    // 32 sequences x 256 tokens over one cycle: the prefill, then 256 decode steps.
    const tokensPerS = 32 * 256 / (p.ttft_s + 256 * p.tpot_s);
    assert.ok(Math.abs(p.tokens_per_s - tokensPerS) <= 1e-12 * tokensPerS);
    assert.equal(p.usd_per_hour, 3.5 * p.gpus);
    const usdPerMillion = 3.5 * p.gpus / (3600 * tokensPerS) * 1e6;
    assert.ok(Math.abs(p.usd_per_million_tokens - usdPerMillion) <= 1e-12 * usdPerMillion);
    const workload = { model: 'llama-3-8b', hardware: p.hardware, weights_dtype: p.weights, kv_dtype: p.kv_dtype,
      compute_dtype: p.compute_dtype, batch: p.batch, gpus: p.gpus, parallelism: p.parallelism,
      ...(p.parallelism === 'tensor_pipeline' && { pipeline_stages: p.pp }) };
    const atEnd = api.plan({ ...workload, context: p.context });
    assert.equal(atEnd.decode.step_s, p.tpot_s);
    assert.equal(atEnd.fits, true);
    assert.equal(api.plan({ ...workload, context: 1024 }).prefill.ttft_s, p.ttft_s);
  }
  // Mixed splits are searched too: 4 GPUs as 2 stages of 2-way tensor parallelism.
  assert.ok(r.points.some((p) => p.parallelism === 'tensor_pipeline' && p.tp === 2 && p.pp === 2));
});

test('search: progress rises to 1; an error thrown in onProgress is rethrown after the search', () => {
  const seen = [];
  api.search(input, (fraction) => seen.push(fraction));
  assert.ok(seen.length >= 3);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1]);
  assert.equal(seen.at(-1), 1);
  assert.throws(() => api.search(input, () => { throw new Error('stop'); }), /stop/);
});

test('search: chips without a price are skipped and named, never free', () => {
  const unpriced = api.hardwarePresets().find((h) => (h.kind === 'gpu' || h.kind === 'tpu') && !(h.usd_per_hour > 0));
  const r = api.search({ ...input, hardware: ['h100-sxm', ...(unpriced ? [unpriced.id] : [])], prices: { 'h100-sxm': 4 } });
  if (unpriced) assert.deepEqual(r.skipped_unpriced, [unpriced.id]);
  for (const p of r.points) assert.ok(p.usd_per_hour > 0 && p.hardware === 'h100-sxm');
});

test('search: bad input is an InputError naming the field and value', () => {
  assertInputError(() => api.search({ prompt_tokens: -1 }), 'prompt_tokens', /-1/);
  assertInputError(() => api.search({ slo_ttft_s: NaN }), 'slo_ttft_s', /NaN/);
  assertInputError(() => api.search({ max_gpus: 0 }), 'max_gpus', /0/);
  assertInputError(() => api.search({ max_gpus: 1e9 }), 'max_gpus');
  assertInputError(() => api.search({ hardware: ['h100-sxm', 'h999'] }), 'hardware', /"h999" is not a hardware preset/);
  assertInputError(() => api.search({ weights: ['int3'] }), 'weights', /int3/);
  assertInputError(() => api.search({ kv_dtype: ['fp9'] }), 'kv_dtype', /fp9/);
  assertInputError(() => api.search({ prices: { 'h100-sxm': -2 } }), 'prices', /h100-sxm/);
  assertInputError(() => api.search({ prices: { 'h100-sxm': '2' } }), 'prices.h100-sxm', /must be a number/);
  assertInputError(() => api.search({ batches: [8, 0] }), 'batches', /"0"/);
});

test('CLI search --json: evaluated, feasible, pareto with the documented fields; the same numbers as api.search', () => {
  const json = cliJson('search', '--preset', 'llama-3-8b', '--prompt-tokens', '1024', '--output-tokens', '256', '--slo-ttft', '2',
    '--slo-tpot', '0.05', '--hardware', 'h100-sxm,a100-80gb,l4', '--max-gpus', '4', '--price', 'h100-sxm=4', '--price', 'a100-80gb=2.5',
    '--price', 'l4=0.8');
  const { max_points: _ignored, ...sameInput } = input;
  const r = api.search(sameInput);
  for (const key of ['evaluated', 'feasible', 'pareto', 'cheapest', 'skipped_unpriced']) assert.ok(key in json, key);
  assert.equal(json.evaluated, r.evaluated);
  assert.equal(json.feasible, r.feasible);
  assert.deepEqual(json.pareto, r.pareto);
  for (const p of json.pareto) for (const field of pointFields) assert.ok(field in p, field);
  const text = cli('search', '--preset', 'llama-3-8b', '--hardware', 'h100-sxm', '--max-gpus', '2', '--price', 'h100-sxm=4');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Pareto front/);
});

test('CLI search: a malformed --price, an unknown chip and a NaN SLO exit 2 naming the flag', () => {
  for (const [args, pattern] of [[['--price', 'h100-sxm'], /--price/], [['--price', 'h100-sxm=abc'], /--price/],
    [['--hardware', 'h999'], /h999/], [['--slo-tpot', 'nan'], /slo-tpot|slo_tpot_s/], [['--max-gpus', '0'], /max-gpus/]]) {
    const result = cli('search', '--preset', 'llama-3-8b', ...args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}`);
    assert.match(result.stderr, pattern, args.join(' '));
  }
});

test('CLI search --chunk-tokens: serving {points, pareto, cheapest} as api.search gives them; the text shows the simulated front; a bad budget names the flag', () => {
  const args = ['search', '--preset', 'llama-3-8b', '--hardware', 'h100-sxm', '--max-gpus', '1', '--price', 'h100-sxm=4', '--weights', 'bf16',
    '--kv-dtype', 'bf16', '--batches', '1,16', '--slo-tpot', '0.05', '--chunk-tokens', '0,512'];
  const json = cliJson(...args);
  const r = api.search({ model: 'llama-3-8b', hardware: ['h100-sxm'], max_gpus: 1, prices: { 'h100-sxm': 4 }, weights: ['bf16'],
    kv_dtype: ['bf16'], batches: [1, 16], slo_tpot_s: 0.05, chunk_tokens: [0, 512] });
  assert.deepEqual(json.serving, r.serving);
  assert.equal(json.serving.simulations, json.serving.configurations * 2);
  for (const field of ['hardware', 'gpus', 'tp', 'pp', 'weights', 'kv_dtype', 'batch', 'chunk_tokens', 'scheduler', 'ttft_s', 'tpot_s',
    'tokens_per_s', 'usd_per_hour', 'usd_per_million_tokens', 'joules_per_token', 'slo_attainment', 'meets_slo']) assert.ok(field in json.serving.points[0], field);
  const text = cli(...args.filter((arg) => arg !== '--json'));
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Chunked prefill, simulated: \d+ candidates x 2 budgets \(whole, 512\)/);
  assert.match(text.stdout, /cheapest served: /);
  // Without budgets there is no simulation.
  assert.equal(cliJson('search', '--preset', 'llama-3-8b', '--hardware', 'h100-sxm', '--max-gpus', '1', '--price', 'h100-sxm=4').serving, null);
  const bad = cli('search', '--preset', 'llama-3-8b', '--hardware', 'h100-sxm', '--price', 'h100-sxm=4', '--chunk-tokens', '512,x');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--chunk-tokens|chunk_tokens/);
  assert.match(bad.stderr, /"x" is not a whole number/);
});
