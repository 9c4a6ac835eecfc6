// Benchmark (a script, not a test): the attention kernels five ways in one run —
// WASM SIMD, WASM scalar (built without -msimd128), native (bench/bench_attention,
// -march=native), native SSE4.1 (128-bit, no FMA: WASM SIMD's own width, the fair
// baseline; bench/native-builds.js builds it on demand), and the same algorithms in plain JS (timed by tinybench) — each cell the median
// of `runs` samples with its quartiles, reported as ratios of medians, with the README's targets;
// then decode with window vs recompute when the cache holds every token (issue 19).
// Usage: npm run bench -- attention   (needs: npm run build:wasm, bash scripts/build-wasm.sh scalar,
//        bash scripts/build-native.sh)
import { execFileSync } from 'node:child_process';

import { createLabApi } from '../lib/api.js';
import { loadModule } from '../lib/node.js';
import { compareTimings } from '../lib/timing.js';
import * as js from './js-kernels.js';
import { timeJs } from './js-timing.js';
import { nativeDriver } from './native-builds.js';
// Each cell: a warm-up, then `runs` timed samples lasting minSeconds together;
// the median per call with its first to third quartile (TimingStats).
const minSeconds = Number(process.env.BENCH_MIN_SECONDS ?? 0.25);
const runs = Number(process.env.BENCH_RUNS ?? 5);

// Kernel, sizes, and the throughput unit each is reported in.
const cases = [
  { kernel: 'dot', n: 4096, d: 64, unit: 'GFLOP/s' },      // one query × 64 keys of d = 64 (a score tile row)
  { kernel: 'softmax', n: 4096, d: 64, unit: 'Melem/s' },  // max, exp-sum, scale over 4096 scores
  { kernel: 'exp', n: 4096, d: 64, unit: 'Melem/s' },
  { kernel: 'round', n: 4096, d: 64, unit: 'Melem/s' },    // float → int32, round half to even
  { kernel: 'tiled', n: 4096, d: 64, unit: 'GFLOP/s' },
  { kernel: 'naive', n: 4096, d: 64, unit: 'GFLOP/s' },
];

// Work of one call, in the case's unit (FLOPs or elements), as src/sim/kernel_bench.cpp counts it.
function work(c) {
  if (c.kernel === 'dot') return 2 * 64 * c.d;
  if (c.unit === 'Melem/s') return c.n;
  return (4 * c.d * c.n * (c.n + 1)) / 2;
}
// Throughput at a time per call (GFLOP/s or Melem/s).
const rate = (c, seconds) => work(c) / seconds / (c.unit === 'GFLOP/s' ? 1e9 : 1e6);

function wasmBench(Module, c, seconds) {
  const result = Module.benchKernel({ kernel: c.kernel, n: c.n, d: c.d, min_seconds: seconds, scalar_twin: false, runs });
  if (!result.status.ok) throw new Error(result.status.message);
  return result.time;
}

// which: 'native' (-march=native) or 'sse41' (build/native-sse41).
function nativeBench(c, which) {
  const driver = nativeDriver(which, 'bench_attention');
  if (!driver) return null;
  const out = execFileSync(driver, [c.kernel, String(c.n), String(c.d), String(minSeconds)], { encoding: 'utf8' });
  return JSON.parse(out).time;
}

function randomArray(count, seed) {
  // xorshift32 → roughly N(0,1) by summing uniforms; JS data need not match C++'s bit for bit.
  let state = seed >>> 0 || 1;
  const next = () => { state ^= state << 13; state ^= state >>> 17; state ^= state << 5; return (state >>> 0) / 2 ** 32; };
  const array = new Float32Array(count);
  for (let i = 0; i < count; i++) array[i] = next() + next() + next() - 1.5;
  return array;
}

function jsBench(c, seconds) {
  const { n, d } = c;
  let run;
  if (c.kernel === 'dot') {
    const x = randomArray(d, 1), rows = randomArray(64 * d, 2), out = new Float32Array(64);
    run = () => js.dotRows(x, rows, d, 64, d, out);
  } else if (c.kernel === 'softmax') {
    const x = randomArray(n, 3), out = new Float32Array(n);
    run = () => js.softmax(x, out, n);  // out of place, as the WASM kernels are benchmarked
  } else if (c.kernel === 'round') {
    const x = randomArray(n, 8), out = new Int32Array(n);
    run = () => { for (let i = 0; i < n; i++) { const r = Math.round(x[i]); out[i] = (r - x[i] === 0.5 && r % 2 !== 0) ? r - 1 : r; } };
  } else if (c.kernel === 'exp') {
    const x = randomArray(n, 4), out = new Float32Array(n);
    run = () => js.exp(x, out, n);
  } else {
    const q = randomArray(n * d, 5), k = randomArray(n * d, 6), v = randomArray(n * d, 7), out = new Float32Array(n * d);
    const scores = c.kernel === 'naive' ? new Float32Array(n * n) : null;
    run = c.kernel === 'naive' ? () => js.attentionNaive(q, k, v, out, scores, n, d) : () => js.attentionTiled(q, k, v, out, n, d);
  }
  // Blocks of calls per sample for the tiny kernels, as the C++ batches them.
  return timeJs(`js ${c.kernel}`, run, { runs, minSeconds: seconds });
}

// Decode, issue 19: with a cache that holds the whole sequence, recompute
// evicts nothing, so its step should cost what window's does (plus storing one
// hidden state). The CLI runs: d_model 768, 12 heads, 1024 prompt +
// 1024 generated tokens, cache 2048, 16 measured steps.
const decodeCase = { d_model: 768, heads: 12, prompt_tokens: 1024, generated_tokens: 1024, cache_tokens: 2048, sample_steps: 16 };
const decodeRuns = Number(process.env.BENCH_DECODE_RUNS ?? 7);

export function decodeBench(api, decodeRunsCount = decodeRuns) {
  // Each measured step runs decodeRunsCount times in a row (runDecode's `runs`);
  // the two strategies are compared by their medians, and only where their
  // q1–q3 ranges do not overlap (lib/timing.js).
  const results = Object.fromEntries(['window', 'recompute'].map((strategy) =>
    [strategy, api.runDecode({ ...decodeCase, strategy, runs: decodeRunsCount })]));
  const { window, recompute } = results;
  const medianRatio = window.time.median_s / recompute.time.median_s;  // tokens/s recompute / window
  const verdict = compareTimings(recompute.time, window.time, 'recompute', 'window');
  const perStep = (r, part) => ((r.time_split_s[part] / r.measured_steps) * 1e3).toFixed(3);
  console.log(`\ndecode, cache ≥ sequence (window ${decodeCase.cache_tokens}, d_model ${decodeCase.d_model}, ${decodeCase.heads} heads, ` +
    `${decodeCase.prompt_tokens} + ${decodeCase.generated_tokens} tokens, ${decodeCase.sample_steps} steps measured; ` +
    `tokens/s: median of ${decodeRunsCount} runs (q3–q1 runs); ms per step of the median run)`);
  const header = ['strategy', 'tokens/s median', 'q1–q3', 'recomputed FLOPs', 'projection', 'store', 'recompute', 'dequantize', 'attend'];
  const table = [header, ...['window', 'recompute'].map((strategy) => {
    const r = results[strategy];
    const tps = (seconds) => (r.measured_steps / seconds).toFixed(1);
    return [strategy, tps(r.time.median_s), `${tps(r.time.q3_s)}–${tps(r.time.q1_s)}`, String(r.recomputed_flops),
      ...['projection', 'store', 'recompute', 'dequantize', 'attend'].map((part) => perStep(r, part))];
  })];
  printTable(table);
  console.log('\ntarget (issue 19):');
  console.log(`  ${Math.abs(medianRatio - 1) <= 0.15 || verdict.verdict === 'within noise' ? 'met    ' : 'NOT met'}  recompute within 15 % of window ` +
    `when nothing is evicted: tokens/s recompute/window = ${medianRatio.toFixed(2)} (medians); ${verdict.text}`);
  return { input: decodeCase, runs: decodeRunsCount, window: { time: window.time, time_split_s: window.time_split_s },
    recompute: { time: recompute.time, time_split_s: recompute.time_split_s }, median_ratio: medianRatio, verdict: verdict.verdict };
}

function printTable(table) {
  const widths = table[0].map((_, i) => Math.max(...table.map((line) => String(line[i]).length)));
  for (const line of table) console.log(line.map((cell, i) => String(cell).padStart(widths[i])).join('  '));
}

// A cell: the throughput at the median, then at the third and first quartile
// of time (slowest to fastest): "25.5 (24.9–26.0)".
function cell(c, time) {
  if (!time) return 'n/a';
  const f = (seconds) => { const v = rate(c, seconds); return v >= 100 ? v.toFixed(0) : v.toFixed(2); };
  return `${f(time.median_s)} (${f(time.q3_s)}–${f(time.q1_s)})`;
}
// How many times faster a is than b, from the medians; "≈ (noise)" where their q1–q3 ranges overlap.
function ratio(a, b, digits = 1) {
  if (!a || !b) return 'n/a';
  const verdict = compareTimings(a, b);
  const value = b.median_s / a.median_s;
  return verdict.verdict === 'within noise' ? `${value.toFixed(digits)}× (noise)` : `${value.toFixed(digits)}×`;
}

export async function run() {
  const simd = await loadModule({ module: 'lab' });
  let scalar = null;
  try {
    scalar = await loadModule({ variant: 'scalar', module: 'lab' });
  } catch (error) {
    console.warn(`attention bench: no scalar module (${error.message.split(':')[0]}); run "bash scripts/build-wasm.sh scalar"`);
  }
  if (!nativeDriver('native', 'bench_attention')) console.warn('attention bench: no native driver; run "bash scripts/build-native.sh"');

  const columns = ['wasm_simd', 'wasm_scalar', 'native', 'native_sse41', 'js'];
  const rows = cases.map((c) => ({ ...c }));
  for (const row of rows) {
    row.wasm_simd = wasmBench(simd, row, minSeconds);
    row.wasm_scalar = scalar ? wasmBench(scalar, row, minSeconds) : null;
    row.native = nativeBench(row, 'native');
    row.native_sse41 = nativeBench(row, 'sse41');
    row.js = jsBench(row, minSeconds);
    console.error(`  ${row.kernel} measured`);
  }

  console.log(`\nattention kernels, n = 4096, d = 64, one thread (median (slowest–fastest quartile) of ${runs} timed samples ` +
    `over ≥ ${minSeconds} s per cell; higher is better; ratios of medians, "(noise)" where the quartile ranges overlap)`);
  const header = ['kernel', 'unit', 'WASM SIMD', 'WASM scalar', 'native', 'native SSE4.1', 'plain JS', 'SIMD/scalar', 'SIMD/JS',
    'native/SIMD', 'SIMD/SSE4.1'];
  printTable([header, ...rows.map((r) => [r.kernel, r.unit, cell(r, r.wasm_simd), cell(r, r.wasm_scalar), cell(r, r.native),
    cell(r, r.native_sse41), cell(r, r.js), ratio(r.wasm_simd, r.wasm_scalar), ratio(r.wasm_simd, r.js), ratio(r.native, r.wasm_simd),
    ratio(r.wasm_simd, r.native_sse41, 2)])]);
  console.log('native: -march=native (this host: AVX-512 and FMA); native SSE4.1: -msse4.1 -mno-avx -mno-fma (xsimd sse4_1); ' +
    'SIMD/SSE4.1: WASM SIMD throughput ÷ native SSE4.1 throughput');
  const fmt = (value) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
  const medianRate = (r, column) => (r[column] ? rate(r, r[column].median_s) : NaN);
  for (const row of rows) for (const column of columns) row[`${column}_median`] = medianRate(row, column);

  // Memory: the measured peak of each variant at n = 4096, d = 64 (tracked allocations).
  const api = createLabApi(simd);
  const prefill = api.runAttention({ n: 4096, d: 64, variant: 'both', check_rows: 8 });
  const [naive, tiled] = prefill.variants;
  const byKernel = Object.fromEntries(rows.map((r) => [r.kernel, r]));
  const medians = (kernel, a, b) => byKernel[kernel][`${a}_median`] / byKernel[kernel][`${b}_median`];
  const checks = [
    ['dot: WASM SIMD ≥ 4× WASM scalar', medians('dot', 'wasm_simd', 'wasm_scalar'), 4],
    ['softmax: WASM SIMD ≥ 4× WASM scalar', medians('softmax', 'wasm_simd', 'wasm_scalar'), 4],
    ['exp: WASM SIMD faster than WASM scalar (the wasm_simd128 path)', medians('exp', 'wasm_simd', 'wasm_scalar'), 1],
    ['round: WASM SIMD faster than WASM scalar (i32x4.trunc_sat)', medians('round', 'wasm_simd', 'wasm_scalar'), 1],
    ['dot: WASM SIMD ≥ 10× plain JS', medians('dot', 'wasm_simd', 'js'), 10],
    ['softmax: WASM SIMD ≥ 10× plain JS', medians('softmax', 'wasm_simd', 'js'), 10],
    ['tiled attention ≥ 10 GFLOP/s in WASM', byKernel.tiled.wasm_simd_median, 10],
    ['dot: WASM SIMD ≥ 0.7× native SSE4.1 (issue 16)', medians('dot', 'wasm_simd', 'native_sse41'), 0.7],
    ['tiled attention: WASM SIMD ≥ 0.7× native SSE4.1 (issue 16)', medians('tiled', 'wasm_simd', 'native_sse41'), 0.7],
  ];
  const timeRatio = byKernel.tiled.wasm_simd.median_s / byKernel.naive.wasm_simd.median_s;  // t_tiled / t_naive
  const memoryRatio = naive.peak_bytes / tiled.peak_bytes;
  console.log('\ntargets (issue 3):');
  for (const [label, value, target] of checks) console.log(`  ${value >= target ? 'met    ' : 'NOT met'}  ${label}: ${fmt(value)}`);
  console.log(`  ${Math.abs(timeRatio - 1) <= 0.15 ? 'met    ' : 'NOT met'}  tiled time within ±15 % of naive: t_tiled/t_naive = ${fmt(timeRatio)}` +
    ` (medians; ${compareTimings(byKernel.tiled.wasm_simd, byKernel.naive.wasm_simd, 'tiled', 'naive').text})` +
    (timeRatio < 0.85 ? ' (outside on the fast side: tiled is faster)' : ''));
  console.log(`  ${memoryRatio >= 15 ? 'met    ' : 'NOT met'}  tiled peak ≤ 1/15 of naive: ${(naive.peak_bytes / 2 ** 20).toFixed(2)} MiB vs ` +
    `${(tiled.peak_bytes / 2 ** 20).toFixed(2)} MiB (${fmt(memoryRatio)}×; workspace ${naive.workspace_bytes} B vs ${tiled.workspace_bytes} B)`);
  const decode = decodeBench(api);
  console.log(JSON.stringify({ attention_bench: rows, prefill_memory: { naive_peak_bytes: naive.peak_bytes, tiled_peak_bytes: tiled.peak_bytes },
    decode_cache_holds_all: decode }));
}
