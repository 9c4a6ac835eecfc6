// WASM SIMD vs native SSE4.1 on the GEMVs, timed back to back in alternating
// rounds: on a shared machine the memory bandwidth and the CPU share change
// from minute to minute, so columns timed minutes apart (as in bench/quant.js)
// can differ by 2× for that reason alone. Each round prints the ratio of the
// median samples and of the fastest samples (the least disturbed on a loaded
// machine).
// Usage: npm run bench -- gemv-alternate   (needs npm run build:wasm; builds build/native-sse41 on demand)
//   BENCH_GEMV_SIZE=1024 for the in-cache size (default 4096², streamed from memory),
//   BENCH_GEMV_RUNS=41 for more, shorter samples (default 5), BENCH_ROUNDS (default 5).
import { execFileSync } from 'node:child_process';

import { loadLlmSpacetime } from '../lib/node.js';
import { nativeDriver } from './native-builds.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const size = Number(process.env.BENCH_GEMV_SIZE ?? 4096);
const runs = Number(process.env.BENCH_GEMV_RUNS ?? 5);

export async function run() {
  const driver = nativeDriver('sse41', 'bench_quant');
  if (!driver) return;
  const api = await loadLlmSpacetime();
  const ratios = {}, minRatios = {};
  const minTime = runs > 5 ? 0 : 0.05;  // many runs: the shortest samples (2 ms each)
  console.log(`\nGEMV ${size}², group 128, fp32 vector: WASM SIMD ms / native SSE4.1 ms = WASM ÷ SSE4.1 speed, ${rounds} alternating rounds`
    + ` of ${runs} samples (medians; [fastest samples])`);
  for (let round = 0; round < rounds; round++) {
    const wasm = api.quantGemv({ rows: size, cols: size, group_size: 128, min_time_s: minTime, simd: true, runs });
    const native = JSON.parse(execFileSync(driver, [String(runs > 5 ? 0.001 : 0.02), 'simd', String(size), String(size), String(runs)],
      { encoding: 'utf8' }));
    const cells = wasm.kernels.map((k) => {
      const s = native.gemv.kernels.find((row) => row.kernel === k.kernel);
      const ratio = s.time.median_s / k.time.median_s, minRatio = s.time.min_s / k.time.min_s;
      (ratios[k.kernel] ??= []).push(ratio);
      (minRatios[k.kernel] ??= []).push(minRatio);
      return `${k.kernel} ${(k.time.median_s * 1e3).toFixed(3)}/${(s.time.median_s * 1e3).toFixed(3)} = ${ratio.toFixed(2)}× [${minRatio.toFixed(2)}×]`;
    });
    console.log(`  round ${round + 1}: ${cells.join('  ')}`);
  }
  const median = (values) => { const v = [...values].sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
  console.log(`  median over rounds: ${Object.entries(ratios).map(([k, v]) => `${k} ${median(v).toFixed(2)}× [${median(minRatios[k]).toFixed(2)}×]`).join('  ')}`);
  console.log(JSON.stringify({ gemv_alternate: { size, rounds, runs, wasm_over_sse41: ratios, wasm_over_sse41_fastest: minRatios } }));
}
