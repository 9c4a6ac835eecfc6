// Calculator speed (a script, not a test): one full plan evaluation — Llama 3
// 70B on 2 × H100 SXM, tensor parallel, batch 8, context 4096 — and plan
// evaluations per second over a sweep of 9 batches × 9 contexts, four ways:
//   api.plan(input)         the JS API: input checks, the workload set once, the point in, numbers out;
//   api.planSweep(input, points)  the sweep in one call (prepared once, no curves);
//   Module.plan(workload)   the whole workload and result through Embind's value_objects (workload resolved once);
//   native C++              plan() in bench/bench_calculator (build/native, -march=native);
//   native plan_at          the sweep validated once, then plan_at() per point (what the search does);
// and api.plan / api.planSweep on the closed-forms module (createFormsApi: what
// the page's Plan panel runs on, -Oz but the plan's own path).
// The deployment search runs twice: api.search on the main thread, and in a
// worker thread with onProgress (as the page runs it), timed inside the worker.
// Each cell: median per evaluation with q1–q3 of `runs` samples (tinybench for JS).
// Usage: npm run bench -- calculator   (needs npm run build:wasm, bash scripts/build-native.sh)
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';

import { createApi, createFormsApi } from '../lib/api.js';
import { toPlain, unwrap } from '../lib/convert.js';
import { loadModule } from '../lib/node.js';
import { nativeDriver } from './native-builds.js';
import { timeJs } from './js-timing.js';
import { timingStats } from '../lib/timing.js';

const minSeconds = Number(process.env.BENCH_MIN_SECONDS ?? 0.25);
const runs = Number(process.env.BENCH_RUNS ?? 5);
export const batches = [1, 2, 4, 8, 16, 32, 64, 128, 256];
export const contexts = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];
const input = { model: 'llama-3-70b', hardware: 'h100-sxm', gpus: 2, parallelism: 'tensor', batch: 8, context: 4096 };

/**
 * The search grid: Llama 3 70B, 1024 + 256 tokens, every gpu and tpu preset (its own price, else $1/h so
 * none is skipped), up to 16 GPUs, bf16/fp8/int4 weights × bf16/fp8 KV × batches 1–32: > 100,000 configurations.
 */
export function searchGrid(api) {
  const prices = Object.fromEntries(api.hardwarePresets().filter((h) => (h.kind === 'gpu' || h.kind === 'tpu') && !(h.usd_per_hour > 0))
    .map((h) => [h.id, 1]));
  return { model: 'llama-3-70b', prompt_tokens: 1024, output_tokens: 256, max_gpus: 16, prices,
    batches: Array.from({ length: 32 }, (_, i) => i + 1) };
}

/**
 * The chunk-size search (docs/search.md, "Chunk size"): the question — Llama 3 70B, 2048 in / 256 out,
 * TTFT ≤ 2 s, TPOT ≤ 50 ms, H100 or H200, up to 8 GPUs — with four chunk budgets simulated per candidate.
 */
export const chunkedSearch = { model: 'llama-3-70b', prompt_tokens: 2048, output_tokens: 256, slo_ttft_s: 2, slo_tpot_s: 0.05,
  hardware: ['h100-sxm', 'h200'], prices: { 'h100-sxm': 2.5, h200: 3.5 }, chunk_tokens: [0, 512, 2048, 8192] };

/** Times one plan and the sweep through the JS API and through Module.plan; TimingStats per evaluation. */
export function measureCalculator(Module, { seconds = minSeconds, samples = runs } = {}) {
  const api = createApi(Module);
  const model = toPlain(Module.modelPresets()).find((row) => row.id === input.model).config;
  const hardware = api.hardwarePresets().find((row) => row.id === input.hardware);
  const { memory_gb, memory_gib, ...hardwareSpec } = hardware;
  const workload = { ...api.defaultWorkload(), model, hardware: hardwareSpec, gpus: 2, parallelism: 'tensor', batch: 8, context: 4096 };
  // The two paths must agree before either is timed.
  const viaApi = api.plan(input), viaModule = unwrap(Module.plan(workload));
  if (viaApi.decode.step_s !== viaModule.decode.step_s) throw new Error('api.plan and Module.plan disagree');
  let sink = 0;
  // Warm-up: V8 first runs WASM in its baseline compiler (Liftoff) and moves hot
  // functions to TurboFan later; without this the first cell timed baseline code.
  const warmUntil = performance.now() + 1000 * Math.max(0.2, seconds);
  while (performance.now() < warmUntil) sink += api.plan({ ...input, batch: 1 + (sink % 7 > 3 ? 1 : 0) }).decode.step_s;
  const apiOne = timeJs('api.plan', () => { sink += api.plan(input).decode.step_s; }, { runs: samples, minSeconds: seconds });
  const moduleOne = timeJs('Module.plan', () => { sink += unwrap(Module.plan(workload)).decode.step_s; }, { runs: samples, minSeconds: seconds });
  const sweep = (fn) => () => { for (const batch of batches) for (const context of contexts) sink += fn(batch, context); };
  const plans = batches.length * contexts.length;
  const perPlan = (t) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, k === 'runs' ? v : v / plans]));
  const apiSweep = perPlan(timeJs('api sweep', sweep((batch, context) => api.plan({ ...input, batch, context }).decode.step_s),
    { runs: samples, minSeconds: seconds }));
  const moduleSweep = perPlan(timeJs('Module sweep', sweep((batch, context) => unwrap(Module.plan({ ...workload, batch, context })).decode.step_s),
    { runs: samples, minSeconds: seconds }));
  const points = batches.flatMap((batch) => contexts.map((context) => ({ batch, context })));
  const planSweep = perPlan(timeJs('api.planSweep', () => { for (const r of api.planSweep(input, points)) sink += r.decode.step_s; },
    { runs: samples, minSeconds: seconds }));
  if (!Number.isFinite(sink)) throw new Error('non-finite plan');
  // The deployment search, one call into WASM: every configuration a plan_at() (bench_calculator.cpp runs the same grid).
  let evaluated = 0;
  const searchInput = searchGrid(api);
  const search = timeJs('api.search', () => { evaluated = api.search(searchInput).evaluated; }, { runs: samples, minSeconds: seconds });
  let simulations = 0;
  const chunked = timeJs('api.search, chunk budgets', () => { simulations = api.search(chunkedSearch).serving.simulations; },
    { runs: samples, minSeconds: seconds });
  return { input, sweep_plans: plans, api: { plan: apiOne, sweep: apiSweep, plan_sweep: planSweep, search, chunked_search: chunked },
    module: { plan: moduleOne, sweep: moduleSweep }, search_evaluated: evaluated, chunked_simulations: simulations };
}

/** One api.plan and the planSweep per plan on the closed-forms module (the page's Plan panel): TimingStats. */
export function measureFormsPlan(FormsModule, { seconds = minSeconds, samples = runs } = {}) {
  const api = createFormsApi(FormsModule);
  let sink = 0;
  const warmUntil = performance.now() + 1000 * Math.max(0.2, seconds);
  while (performance.now() < warmUntil) sink += api.plan({ ...input, batch: 1 + (sink % 7 > 3 ? 1 : 0) }).decode.step_s;
  const one = timeJs('forms api.plan', () => { sink += api.plan(input).decode.step_s; }, { runs: samples, minSeconds: seconds });
  const points = batches.flatMap((batch) => contexts.map((context) => ({ batch, context })));
  const sweep = timeJs('forms api.planSweep', () => { for (const r of api.planSweep(input, points)) sink += r.decode.step_s; },
    { runs: samples, minSeconds: seconds });
  if (!Number.isFinite(sink)) throw new Error('non-finite plan');
  const plans = points.length;
  return { plan: one, plan_sweep: Object.fromEntries(Object.entries(sweep).map(([k, v]) => [k, k === 'runs' ? v : v / plans])) };
}

/**
 * api.search(input, onProgress) in a worker thread (bench/search-worker.js), `samples` timed runs after a
 * warm-up: TimingStats per search, configurations evaluated, progress calls in one search and the last fraction.
 */
export function measureSearchInWorker(input, { samples = runs } = {}) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./search-worker.js', import.meta.url), { workerData: { input, runs: samples } });
    worker.once('message', (message) => {
      resolve({ search: timingStats(message.seconds), evaluated: message.evaluated, progress_calls: message.progress_calls,
        last_fraction: message.last_fraction });
      worker.terminate();
    });
    worker.once('error', reject);
  });
}

function nativeCalculator() {
  const driver = nativeDriver('native', 'bench_calculator');
  if (!driver) return null;
  const json = JSON.parse(execFileSync(driver, [String(minSeconds), String(runs)], { encoding: 'utf8' }));
  const perPlan = (t) => ({ ...t, ...Object.fromEntries(['median_s', 'q1_s', 'q3_s', 'min_s', 'max_s'].map((k) => [k, t[k] / json.sweep_plans])) });
  const perConfig = (t) => ({ ...t, ...Object.fromEntries(['median_s', 'q1_s', 'q3_s', 'min_s', 'max_s'].map((k) => [k, t[k] / json.search_evaluated])) });
  return { plan: json.plan, sweep: perPlan(json.sweep), prepared_sweep: perPlan(json.prepared_sweep), search: json.search,
    search_per_config: perConfig(json.search), search_evaluated: json.search_evaluated };
}

const us = (t) => (t ? `${(t.median_s * 1e6).toFixed(2)} (${(t.q1_s * 1e6).toFixed(2)}–${(t.q3_s * 1e6).toFixed(2)})` : 'n/a');
const perSecond = (t) => (t ? `${Math.round(1 / t.median_s).toLocaleString('en-US')} (${Math.round(1 / t.q3_s).toLocaleString('en-US')}–${Math.round(1 / t.q1_s).toLocaleString('en-US')})` : 'n/a');

export async function run() {
  const Module = await loadModule();
  const js = measureCalculator(Module);
  const forms = measureFormsPlan(await loadModule({ module: 'forms' }));
  const inWorker = await measureSearchInWorker(searchGrid(createApi(Module)));
  const native = nativeCalculator();
  if (!native) console.warn('calculator bench: no native driver; run "bash scripts/build-native.sh"');
  console.log(`\ncalculator: plan(), ${input.model} on ${input.gpus} × ${input.hardware}, ${input.parallelism} parallel; one plan at batch 8, ` +
    `context 4096; sweep of ${batches.length} batches × ${contexts.length} contexts (${js.sweep_plans} plans). Median (q1–q3) of ${runs} samples.`);
  const rows = [['path', 'µs per plan', 'sweep µs per plan', 'sweep plans/s'],
    ['api.plan (JS API)', us(js.api.plan), us(js.api.sweep), perSecond(js.api.sweep)],
    ['api.planSweep (JS API, one call)', 'n/a', us(js.api.plan_sweep), perSecond(js.api.plan_sweep)],
    ['api.plan, closed forms (the page)', us(forms.plan), 'n/a', 'n/a'],
    ['api.planSweep, closed forms (the page)', 'n/a', us(forms.plan_sweep), perSecond(forms.plan_sweep)],
    ['Module.plan (Embind alone)', us(js.module.plan), us(js.module.sweep), perSecond(js.module.sweep)],
    ['native C++ plan()', us(native?.plan), us(native?.sweep), perSecond(native?.sweep)],
    ['native C++ plan_at (prepared once, no curve)', 'n/a', us(native?.prepared_sweep), perSecond(native?.prepared_sweep)]];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  '));
  const searchPer = (t, n) => ({ ...t, ...Object.fromEntries(['median_s', 'q1_s', 'q3_s', 'min_s', 'max_s'].map((k) => [k, t[k] / n])) });
  const ms = (t) => (t ? `${(t.median_s * 1e3).toFixed(0)} (${(t.q1_s * 1e3).toFixed(0)}–${(t.q3_s * 1e3).toFixed(0)})` : 'n/a');
  console.log(`\nsearch: ${js.search_evaluated.toLocaleString('en-US')} configurations (Llama 3 70B, every gpu/tpu preset, ≤ 16 GPUs, ` +
    '3 weights × 2 KV × batches 1–32), one call. Median (q1–q3).');
  const searchRows = [['path', 'ms per search', 'µs per configuration', 'configurations/s'],
    ['api.search (WASM, one call)', ms(js.api.search), us(searchPer(js.api.search, js.search_evaluated)), perSecond(searchPer(js.api.search, js.search_evaluated))],
    [`api.search in a worker, onProgress (${inWorker.progress_calls} calls)`, ms(inWorker.search),
      us(searchPer(inWorker.search, inWorker.evaluated)), perSecond(searchPer(inWorker.search, inWorker.evaluated))],
    ['native C++ search()', ms(native?.search), us(native?.search_per_config), perSecond(native?.search_per_config)]];
  searchRows.push([`api.search, ${chunkedSearch.chunk_tokens.length} chunk budgets: ${js.chunked_simulations} simulations (${chunkedSearch.model}, ` +
    `${chunkedSearch.hardware.join('/')}, ≤ 8 GPUs)`, ms(js.api.chunked_search), 'n/a', 'n/a']);
  const searchWidths = searchRows[0].map((_, i) => Math.max(...searchRows.map((r) => r[i].length)));
  for (const r of searchRows) console.log(r.map((c, i) => (i ? c.padStart(searchWidths[i]) : c.padEnd(searchWidths[i]))).join('  '));
  const one = js.api.plan.median_s * 1e6, rate = 1 / Math.min(js.api.sweep.median_s, js.api.plan_sweep.median_s);
  console.log('\ntargets (issue 16):');
  console.log(`  ${one <= 50 ? 'met    ' : 'NOT met'}  one plan evaluation through the JS API ≤ 50 µs: ${one.toFixed(2)} µs`);
  const pageOne = forms.plan.median_s * 1e6;
  console.log(`  ${pageOne <= 50 ? 'met    ' : 'NOT met'}  one plan evaluation on the closed forms (the page's Plan panel) ≤ 50 µs: ${pageOne.toFixed(2)} µs`);
  console.log(`  ${rate >= 1e5 ? 'met    ' : 'NOT met'}  ≥ 100,000 plan evaluations/s in a sweep through the JS API: ${Math.round(rate).toLocaleString('en-US')}/s`);
  const searchS = inWorker.search.median_s, searchRate = inWorker.evaluated / searchS;
  console.log(`  ${inWorker.evaluated >= 1e5 && searchS <= 1 ? 'met    ' : 'NOT met'}  a search of ≥ 100,000 configurations in ≤ 1 s in WASM, ` +
    `in a worker, with progress: ${inWorker.evaluated.toLocaleString('en-US')} in ${searchS.toFixed(3)} s ` +
    `(${Math.round(searchRate).toLocaleString('en-US')} configurations/s, ${inWorker.progress_calls} progress calls, last ${inWorker.last_fraction})`);
  if (native) {
    const crossing = js.module.plan.median_s - native.plan.median_s;
    console.log(`  share of one api.plan outside native C++ plan() (input checks, Embind crossing, copy out, WASM vs native): ` +
      `${((1 - native.plan.median_s / js.api.plan.median_s) * 100).toFixed(0)} %; Module.plan − native = ${(crossing * 1e6).toFixed(2)} µs`);
  }
  console.log(JSON.stringify({ calculator_bench: { ...js, forms, search_in_worker: inWorker, native } }));
}
