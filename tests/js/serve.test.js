// The serving simulator through the JS API and the CLI (docs/serve.md):
// result shape, the planner's numbers at low load, Little's law both sides,
// sweeps, the rate search, work estimates, and errors naming the field or line.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { assertInputError, cli, cliJson } from './helpers.js';

const api = await loadLlmSpacetime();
const small = { model: 'llama-3.2-1b', hardware: 'h100-sxm', requests: 300, rate: 5, prompt_tokens: 512, output_tokens: 64, seed: 3 };
const { rate: _rate, requests: _requests, ...traced } = small;  // a trace gives the arrivals and the request count
const dir = mkdtempSync(join(tmpdir(), 'llmst-serve-'));

const close = (a, b, tolerance, label) => assert.ok(Math.abs(a - b) <= tolerance * Math.abs(b), `${label}: ${a} vs ${b}`);

test('serve: the result carries every documented field', () => {
  const r = api.serve(small);
  for (const name of ['ttft_s', 'tpot_s', 'e2e_s']) {
    assert.deepEqual(Object.keys(r[name]).sort(), ['mean', 'p50', 'p90', 'p99']);
    assert.ok(r[name].p50 <= r[name].p90 && r[name].p90 <= r[name].p99, name);
  }
  assert.deepEqual(Object.keys(r.throughput).sort(), ['input_tokens_per_s', 'output_tokens_per_s', 'requests_per_s']);
  assert.equal(typeof r.goodput_requests_per_s, 'number');
  for (const key of ['peak_utilization', 'preemptions', 'recomputed_tokens']) assert.equal(typeof r.kv[key], 'number', key);
  assert.equal(typeof r.prefix_cache.hit_rate, 'number');
  assert.equal(typeof r.spec.mean_tokens_per_step, 'number');
  assert.equal(typeof r.spec.acceptance_rate, 'number');
  for (const key of ['time_s', 'kv_utilization', 'running', 'waiting', 'batch']) {
    assert.ok(Array.isArray(r.series[key]) && r.series[key].length > 0 && r.series[key].length <= 500, key);
  }
  assert.equal(r.requests.e2e_s.length, 300);
  assert.equal(r.completed, 300);
  assert.equal(r.rejected, 0);
  // No SLO given: every request meets it.
  assert.equal(r.goodput_requests_per_s, r.throughput.requests_per_s);
  // Little's law, both sides: L (time average) = λ W.
  const l = r.littles_law;
  close(l.mean_in_system, l.arrival_rate * l.mean_time_in_system, 1e-9, "Little's law");
  close(l.mean_time_in_system, r.e2e_s.mean, 1e-12, 'W is the mean end-to-end latency');
  assert.equal(r.status, undefined);
});

test('serve: at low load TTFT is the planner\'s prefill time', () => {
  const r = api.serve({ ...small, rate: 0.01, requests: 10 });
  const plan = api.plan({ model: 'llama-3.2-1b', hardware: 'h100-sxm', batch: 1, context: 512 });
  close(r.ttft_s.mean, plan.prefill.ttft_s, 1e-9, 'TTFT');
  close(r.unloaded_ttft_s, plan.prefill.ttft_s, 1e-9, 'unloaded TTFT');
  // Tensor x pipeline: 2 stages of 2-way tensor parallelism, costed as the plan costs them.
  const hybrid = { gpus: 4, parallelism: 'tensor_pipeline', pipeline_stages: 2 };
  const staged = api.serve({ ...small, ...hybrid, rate: 0.01, requests: 10 });
  const stagedPlan = api.plan({ model: 'llama-3.2-1b', hardware: 'h100-sxm', batch: 1, context: 512, ...hybrid });
  close(staged.unloaded_ttft_s, stagedPlan.prefill.ttft_s, 1e-9, 'unloaded TTFT, tensor x pipeline');
  close(staged.ttft_s.mean, stagedPlan.prefill.ttft_s, 1e-9, 'TTFT, tensor x pipeline');
  // The overhead adds to every iteration.
  const slower = api.serve({ ...small, rate: 0.01, requests: 10, iteration_overhead_s: 0.001 });
  close(slower.ttft_s.mean, plan.prefill.ttft_s + 0.001, 1e-9, 'TTFT with overhead');
  // Half the bandwidth: a memory-bound decode step takes about twice as long.
  const half = api.serve({ ...small, rate: 0.01, requests: 10, memory_efficiency: 0.5 });
  assert.ok(half.tpot_s.mean > 1.8 * r.tpot_s.mean, `${half.tpot_s.mean} vs ${r.tpot_s.mean}`);
});

test('serveSweep: one run per rate, progress after each; queueing grows with the rate', () => {
  const seen = [];
  const points = api.serveSweep({ ...traced, requests: 200 }, [1, 20, 200], (progress) => seen.push(progress));
  assert.deepEqual(seen, [{ done: 1, total: 3 }, { done: 2, total: 3 }, { done: 3, total: 3 }]);
  assert.deepEqual(points.map((p) => p.rate), [1, 20, 200]);
  for (const key of ['ttft_s', 'tpot_s', 'e2e_s', 'throughput', 'goodput_requests_per_s']) assert.ok(key in points[0], key);
  assert.ok(points[2].e2e_s.mean > points[0].e2e_s.mean);
  assert.ok(points[2].throughput.requests_per_s > points[0].throughput.requests_per_s);
  assertInputError(() => api.serveSweep(traced, [1, -2]), 'rates[1]', /rates\[1\]: rate = -2 must be at least 0/);
  assertInputError(() => api.serveSweep(traced, []), 'rates', /non-empty/);
});

test('serveMaxRate: the highest rate meeting the SLO, and a run just above it misses', () => {
  const input = { ...small, requests: 300, slo_ttft_s: 0.1, slo_tpot_s: 0.01 };
  const found = api.serveMaxRate(input);
  assert.equal(found.met, true);
  assert.ok(found.rate > 0);
  assert.ok(found.result.slo_attainment >= 0.9);
  assert.equal(found.result.status, undefined);
  assert.ok(api.serve({ ...input, rate: found.rate * 1.05 }).slo_attainment < 0.9);
  assertInputError(() => api.serveMaxRate({ ...small }), 'slo_ttft_s', /needs an SLO bound/);
  assertInputError(() => api.serveMaxRate({ ...traced, arrival: 'closed', slo_ttft_s: 1 }), 'arrival', /rate search/);
});

test('serve: a trace, prefix caching and speculative decoding through the API', () => {
  const fromTrace = api.serve({ ...traced, arrival: 'trace', trace: 'arrival_s,prompt_tokens,output_tokens\n0,100,10\n0.2,300,5\n' });
  assert.equal(fromTrace.completed, 2);
  assert.equal(fromTrace.output_tokens, 15);
  const cached = api.serve({ ...small, requests: 1000, rate: 20, prefix_share: 0.5, prefix_tokens: 256 });
  close(cached.prefix_cache.hit_rate, 0.5 * 256 / 512, 0.1, 'hit rate');
  const spec = api.serve({ ...small, model: 'llama-3-8b', spec_draft: 'llama-3.2-1b', spec_gamma: 3, spec_accept: 0.6 });
  close(spec.spec.expected_tokens_per_step, (1 - 0.6 ** 4) / 0.4, 1e-12, 'expected tokens per step');
  close(spec.spec.mean_tokens_per_step, spec.spec.expected_tokens_per_step, 0.05, 'measured tokens per step');
});

test('serve: bad values are InputErrors naming the field or the line', () => {
  assertInputError(() => api.serve({ ...small, gpus: 4, parallelism: 'tensor_pipeline', pipeline_stages: 3 }), 'pipeline_stages',
    /pipeline_stages = 3 must divide gpus = 4/);
  assertInputError(() => api.serve({ ...small, gpus: 4, parallelism: 'tensor_pipeline', pipeline_stages: 2, spec_draft: 'llama-3.2-1b' }),
    'parallelism', /speculative decoding is simulated with tensor parallelism only/);
  assertInputError(() => api.serve({ ...small, rate: -1 }), 'rate', /rate = -1 must be at least 0/);
  assertInputError(() => api.serve({ ...traced, arrival: 'trace', trace: '' }), 'trace', /no request lines/);
  assertInputError(() => api.serve({ ...traced, arrival: 'trace', trace: 'arrival_s,prompt_tokens,output_tokens\n0,10,5\n1,x,5\n' }),
    'trace', /^trace line 3: prompt_tokens = "x" is not a number$/);
  assertInputError(() => api.serve({ ...traced, arrival: 'trace', trace: '0,10\n' }), 'trace', /^trace line 1: .* has 2 fields/);
  // A field the settings would not read is refused, not ignored.
  assertInputError(() => api.serve({ ...small, arrival: 'trace', trace: '0,10,5\n' }), 'rate', /applies only with arrival = poisson or gamma/);
  assertInputError(() => api.serve({ ...small, users: 4 }), 'users', /users = 4 applies only with arrival = closed/);
  assertInputError(() => api.serve({ ...small, ramp_s: 2 }), 'ramp_s', /ramp_s = 2 applies only with arrival = closed/);
  assertInputError(() => api.serve({ ...small, arrival_cv: 3 }), 'arrival_cv', /arrival = gamma/);
  assertInputError(() => api.serve({ ...small, scheduler: 'static', chunk_tokens: 512 }), 'chunk_tokens', /continuous or chunked/);
  assertInputError(() => api.serve({ ...small, spec_gamma: 3 }), 'spec_gamma', /speculative decoding/);
  assertInputError(() => api.serve({ ...small, prefix_tokens: 64 }), 'prefix_tokens', /prefix_share > 0/);
  assertInputError(() => api.serveSweep(small, [1, 2]), 'rate', /a sweep takes its rates from `rates`/);
  assertInputError(() => api.serveSweep({ ...traced, arrival: 'closed' }, [1, 2]), 'arrival', /needs arrivals at a rate/);
  assertInputError(() => api.serve({ ...small, spec_draft: 'llama-2-7b' }), 'spec_draft', /vocab_size = 32000 differs/);
  assertInputError(() => api.serve({ ...small, spec_draft: { n_layers: -1 } }), 'spec_draft.n_layers', /spec_draft/);
  assertInputError(() => api.serve({ ...small, spec_draft: 'nope' }), 'spec_draft', /not a known preset/);
  assertInputError(() => api.serve({ ...small, weights: 'int3' }), 'weights', /weights/);
  assertInputError(() => api.serve({ ...small, scheduler: 'fifo' }), 'scheduler', /static, continuous, chunked/);
  assertInputError(() => api.serve({ ...small, batch: 8 }), 'batch', /unknown serve input field/);
  assertInputError(() => api.serve({ ...small, model: 'llama-3-70b' }), 'gpu_memory_utilization', /leave no KV memory/);
  assertInputError(() => api.serve(small, 'not a function'), 'onProgress', /must be a function/);
});

test('estimateRun: serve, serveSweep (per rate) and serveMaxRate', () => {
  const one = api.estimateRun('serve', small);
  assert.ok(one.seconds > 0);
  close(api.estimateRun('serveSweep', { ...traced, requests: 300, rates: [1, 2, 3, 4] }).seconds, 4 * one.seconds, 1e-9, 'sweep estimate');
  assert.ok(api.estimateRun('serveMaxRate', small).seconds > one.seconds);
  assert.ok(api.estimatedRuns().includes('serveSweep'));
  assertInputError(() => api.estimateRun('serve', { ...small, requests: -1 }), 'requests');
  assertInputError(() => api.estimateRun('serveSweep', traced), 'rates');
});

test('CLI serve --json: the documented fields', () => {
  const out = cliJson('serve', '--preset', 'llama-3.2-1b', '--requests', '200', '--rate', '5', '--slo-ttft', '0.5', '--slo-tpot', '0.05');
  for (const name of ['ttft_s', 'tpot_s', 'e2e_s']) assert.deepEqual(Object.keys(out[name]).sort(), ['mean', 'p50', 'p90', 'p99']);
  assert.deepEqual(Object.keys(out.throughput).sort(), ['input_tokens_per_s', 'output_tokens_per_s', 'requests_per_s']);
  assert.equal(typeof out.goodput_requests_per_s, 'number');
  for (const key of ['peak_utilization', 'preemptions', 'recomputed_tokens']) assert.equal(typeof out.kv[key], 'number');
  assert.equal(typeof out.prefix_cache.hit_rate, 'number');
  for (const key of ['mean_tokens_per_step', 'acceptance_rate']) assert.equal(typeof out.spec[key], 'number');
  for (const key of ['mean_in_system', 'arrival_rate', 'mean_time_in_system']) assert.equal(typeof out.littles_law[key], 'number');
  assert.equal(out.completed, 200);
  assert.equal(out.model, 'llama-3.2-1b');
  // The CLI and the API give the same numbers for the same input.
  const same = api.serve({ model: 'llama-3.2-1b', requests: 200, rate: 5, slo_ttft_s: 0.5, slo_tpot_s: 0.05 });
  assert.equal(out.e2e_s.p99, same.e2e_s.p99);
});

test('CLI serve: text table, --max-rate, a trace file', () => {
  const text = cli('serve', '--preset', 'llama-3.2-1b', '--requests', '100', '--scheduler', 'chunked', '--chunk-tokens', '256');
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /TTFT/);
  assert.match(text.stdout, /Little's law: L = /);
  const found = cliJson('serve', '--preset', 'llama-3.2-1b', '--requests', '200', '--slo-ttft', '0.1', '--max-rate');
  assert.equal(found.met, true);
  assert.ok(found.max_rate_meeting_slo > 0);
  const file = join(dir, 'trace.csv');
  writeFileSync(file, 'arrival_s,prompt_tokens,output_tokens,prefix_id\n0,128,16,1\n0.5,128,16,1\n');
  const traced = cliJson('serve', '--preset', 'llama-3.2-1b', '--trace', file, '--prefix-tokens', '64');
  assert.equal(traced.completed, 2);
});

test('CLI serve: bad values exit 2 naming the flag or the line', () => {
  let r = cli('serve', '--preset', 'llama-3.2-1b', '--rate=-1');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--rate = -1 must be at least 0/);
  r = cli('serve', '--preset', 'llama-3.2-1b', '--rate', '0');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--rate = 0 must be greater than 0/);
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'arrival_s,prompt_tokens,output_tokens\n0,128,16\n1,128,sixteen\n');
  r = cli('serve', '--preset', 'llama-3.2-1b', '--trace', bad);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`--trace ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 3: output_tokens = "sixteen" is not a number`));
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, '\n');
  r = cli('serve', '--preset', 'llama-3.2-1b', '--trace', empty);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no request lines/);
  r = cli('serve', '--preset', 'llama-3.2-1b', '--spec-draft', 'llama-2-7b');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /vocab_size = 32000 differs from the model's 128256/);
  r = cli('serve', '--preset', 'llama-3.2-1b', '--users', '4');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--users = 4 applies only with arrival = closed/);
  r = cli('serve', '--preset', 'llama-3.2-1b', '--scheduler', 'fifo');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--scheduler = "fifo" must be one of static, continuous, chunked/);
  r = cli('serve', '--preset', 'llama-3.2-1b', '--requests', '1000000', '--output-tokens', '4096', '--max-seconds', '1');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /over --max-seconds/);
});
