// Benchmark (a script, not a test): measured attention prefill split by heads,
// decode split by KV heads, GEMV by rows and the quant lab by chunks of 65,536
// values across N worker threads (lib/parallel.js), each
// with its own module, against one worker in the same run: the speedup (one-worker ÷ N-worker whole-run
// wall time, medians of `runs` interleaved pairs after a warm-up pair), the
// parallel efficiency (speedup ÷ N), the spread of the per-pair speedups, and
// whether the outputs are the one-worker run's bit for bit.
// Usage: npm run bench -- parallel   (needs: npm run build:wasm)
//   BENCH_WORKERS=2,4  worker counts (default 2, and the cores when more)
//   BENCH_N=4096 BENCH_HEADS=8 (attention) BENCH_GEMV_ROWS=4096 (GEMV, square) BENCH_LAB_N=4194304 (quant lab)
//   BENCH_RUNS=5 BENCH_CASES=attention,decode,gemv,quant-lab
import { availableParallelism, loadavg } from 'node:os';

import { createNodePool } from '../lib/node-pool.js';
import { runParallel } from '../lib/parallel.js';
import { compareTimings, formatTiming, timingStats } from '../lib/timing.js';

const cores = availableParallelism();
const counts = process.env.BENCH_WORKERS ? process.env.BENCH_WORKERS.split(',').map(Number)
  : [2, ...(cores > 2 ? [cores] : [])];
const runs = Number(process.env.BENCH_RUNS ?? 5);
const attentionInput = { n: Number(process.env.BENCH_N ?? 4096), d: 64, heads: Number(process.env.BENCH_HEADS ?? 8),
  variant: 'tiled', check_rows: 8, runs };
// Decode with the full cache, GQA (12 heads, 4 KV heads): every worker runs the
// whole token loop over its KV heads (projections, cache, attention).
const decodeInput = { strategy: 'full', prompt_tokens: 1024, generated_tokens: 64, sample_steps: 16, d_model: 768,
  heads: 12, kv_heads: 4, runs };
// GEMV: each worker times its rows in batches sized to min_time_s, so the
// whole run barely shortens; the per-call speedup is in kernel_speedups.
const gemvSize = Number(process.env.BENCH_GEMV_ROWS ?? 4096);
const gemvInput = { rows: gemvSize, cols: gemvSize, group_size: 128, min_time_s: 0.1, runs };
const labInput = { format: 'int4', group_size: 128, scale_dtype: 'fp16', dist: 'normal',
  n: Number(process.env.BENCH_LAB_N ?? 4194304), runs };
const cases = (process.env.BENCH_CASES ?? 'attention,decode,gemv,quant-lab').split(',').map((name) => ({
  attention: { name: 'attention', method: 'runAttention', input: attentionInput,
    title: `attention prefill split by heads, tiled, n = ${attentionInput.n}, d = 64, heads = ${attentionInput.heads}` },
  decode: { name: 'decode', method: 'runDecode', input: decodeInput,
    title: `decode split by KV heads, full cache, ${decodeInput.prompt_tokens} prompt + ${decodeInput.generated_tokens} ` +
      `generated tokens (${decodeInput.sample_steps} measured), d_model 768, 12 heads, 4 KV heads` },
  gemv: { name: 'gemv', method: 'quantGemv', input: gemvInput,
    title: `GEMV split by rows, ${gemvSize} × ${gemvSize}, group 128, min_time_s 0.1 (five kernels)` },
  'quant-lab': { name: 'quant-lab', method: 'quantLab', input: labInput,
    title: `quant lab split by chunks of 65,536 values, int4 g128 fp16 scales, n = ${labInput.n}` },
})[name]);

function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  for (const row of rows) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  '));
}

export async function run() {
  const results = [];
  const loadBefore = loadavg()[0];
  for (const workers of counts) {
    const pool = await createNodePool(workers);
    try {
      for (const { name, method, input } of cases) {
        console.error(`parallel: ${name}, ${workers} workers…`);
        const result = await runParallel(pool, method, input, { workers });
        results.push({ case: name, workers, parallel: result.parallel });
      }
    } finally {
      await pool.close();
    }
  }
  const loadAfter = loadavg()[0];
  console.log(`\none worker vs N in the same run (whole-run wall time, dispatch to last result; median (q1–q3) of ${runs} ` +
    `interleaved pairs after a warm-up pair); ${cores} cores, load average ${loadBefore.toFixed(2)} before, ` +
    `${loadAfter.toFixed(2)} after`);
  for (const { name, title } of cases) {
    console.log(`\n${title}:`);
    const rows = [['workers', 'one worker', 'N workers', 'speedup', 'per pair: median (min–max)', 'efficiency', 'outputs', 'verdict']];
    for (const { workers, parallel: p } of results.filter((r) => r.case === name)) {
      const pairs = timingStats(p.pair_speedups);
      rows.push([p.workers, formatTiming(p.single_time), formatTiming(p.time), `${p.speedup.toFixed(2)}×`,
        `${pairs.median_s.toFixed(2)}× (${pairs.min_s.toFixed(2)}–${pairs.max_s.toFixed(2)})`,
        `${(100 * p.efficiency).toFixed(0)} %`, p.identical_outputs ? 'bit-identical' : 'DIFFER',
        compareTimings(p.time, p.single_time, `${workers} workers`, 'one').text]);
    }
    printTable(rows);
    for (const { workers, parallel: p } of results.filter((r) => r.case === name && r.parallel.kernel_speedups)) {
      console.log(`  time per call, one worker ÷ ${workers} (median of the pairs): ` +
        Object.entries(p.kernel_speedups).map(([kernel, ratio]) => `${kernel} ${ratio.toFixed(2)}×`).join(', '));
    }
  }
  const two = results.find((r) => r.case === 'attention' && r.workers === 2);
  if (two) {
    console.log('\ntarget (issue 16 item 2):');
    console.log(`  ${two.parallel.speedup >= 1.6 ? 'met    ' : 'NOT met'}  attention speedup ≥ 1.6× with 2 workers on a 2-core machine: ` +
      `${two.parallel.speedup.toFixed(2)}×${cores > 2 ? ` (this machine has ${cores} cores)` : ''}` +
      (loadBefore > cores / 2 ? ` (the machine was under load: load average ${loadBefore.toFixed(2)} on ${cores} cores)` : ''));
  }
  console.log(JSON.stringify({ parallel_bench: { inputs: Object.fromEntries(cases.map((c) => [c.name, c.input])), cores,
    load_average: [loadBefore, loadAfter], results } }));
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
