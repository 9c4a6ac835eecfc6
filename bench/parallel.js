// Benchmark (a script, not a test): measured attention prefill split by heads
// across N worker threads (lib/parallel.js), each with its own module, against
// one worker in the same run: the speedup (one-worker ÷ N-worker whole-run
// wall time, medians of `runs` interleaved pairs after a warm-up pair), the
// parallel efficiency (speedup ÷ N), the spread of the per-pair speedups, and
// whether the outputs are the one-worker run's bit for bit.
// Usage: npm run bench -- parallel   (needs: npm run build:wasm)
//   BENCH_WORKERS=2,4  worker counts (default 2, and the cores when more)
//   BENCH_N=4096 BENCH_HEADS=8 BENCH_RUNS=5
import { availableParallelism, loadavg } from 'node:os';

import { createNodePool } from '../lib/node-pool.js';
import { runParallel } from '../lib/parallel.js';
import { compareTimings, formatTiming, timingStats } from '../lib/timing.js';

const cores = availableParallelism();
const counts = process.env.BENCH_WORKERS ? process.env.BENCH_WORKERS.split(',').map(Number)
  : [2, ...(cores > 2 ? [cores] : [])];
const input = { n: Number(process.env.BENCH_N ?? 4096), d: 64, heads: Number(process.env.BENCH_HEADS ?? 8),
  variant: 'tiled', check_rows: 8, runs: Number(process.env.BENCH_RUNS ?? 5) };

function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  for (const row of rows) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  '));
}

export async function run() {
  const results = [];
  const loadBefore = loadavg()[0];
  for (const workers of counts) {
    console.error(`parallel: ${workers} workers…`);
    const pool = await createNodePool(workers);
    try {
      const result = await runParallel(pool, 'runAttention', input, { workers });
      results.push({ workers, parallel: result.parallel, gflop_per_s: result.variants[0].gflop_per_s });
    } finally {
      await pool.close();
    }
  }
  const loadAfter = loadavg()[0];
  console.log(`\nattention prefill split by heads, tiled, n = ${input.n}, d = 64, heads = ${input.heads}: ` +
    `one worker vs N in the same run (whole-run wall time, dispatch to last result; median (q1–q3) of ${input.runs} ` +
    `interleaved pairs after a warm-up pair); ${cores} cores, load average ${loadBefore.toFixed(2)} before, ` +
    `${loadAfter.toFixed(2)} after`);
  const rows = [['workers', 'one worker', 'N workers', 'speedup', 'per pair: median (min–max)', 'efficiency', 'outputs', 'verdict']];
  for (const { workers, parallel: p } of results) {
    const pairs = timingStats(p.pair_speedups);
    rows.push([workers, formatTiming(p.single_time), formatTiming(p.time), `${p.speedup.toFixed(2)}×`,
      `${pairs.median_s.toFixed(2)}× (${pairs.min_s.toFixed(2)}–${pairs.max_s.toFixed(2)})`,
      `${(100 * p.efficiency).toFixed(0)} %`, p.identical_outputs ? 'bit-identical' : 'DIFFER',
      compareTimings(p.time, p.single_time, 'N workers', 'one').text]);
  }
  printTable(rows);
  const two = results.find((r) => r.workers === 2);
  if (two) {
    console.log('\ntarget (issue 16 item 2):');
    console.log(`  ${two.parallel.speedup >= 1.6 ? 'met    ' : 'NOT met'}  speedup ≥ 1.6× with 2 workers on a 2-core machine: ` +
      `${two.parallel.speedup.toFixed(2)}×${cores > 2 ? ` (this machine has ${cores} cores)` : ''}` +
      (loadBefore > cores / 2 ? ` (the machine was under load: load average ${loadBefore.toFixed(2)} on ${cores} cores)` : ''));
  }
  console.log(JSON.stringify({ parallel_bench: { input, cores, load_average: [loadBefore, loadAfter], results } }));
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
