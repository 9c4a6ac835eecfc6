// WASM SIMD vs native SSE4.1 on the 4096² GEMVs (streamed from memory),
// timed back to back in alternating rounds: on a shared machine the memory
// bandwidth changes from minute to minute, so columns timed minutes apart (as
// in bench/quant.js) can differ by 2× for that reason alone.
// Usage: npm run bench -- gemv-alternate   (needs npm run build:wasm; builds build/native-sse41 on demand)
import { execFileSync } from 'node:child_process';

import { loadLlmSpacetime } from '../lib/node.js';
import { nativeDriver } from './native-builds.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const size = 4096;

export async function run() {
  const driver = nativeDriver('sse41', 'bench_quant');
  if (!driver) return;
  const api = await loadLlmSpacetime();
  const ratios = {};
  console.log(`\nGEMV ${size}², group 128, fp32 vector: WASM SIMD ms / native SSE4.1 ms = WASM ÷ SSE4.1 speed, ${rounds} alternating rounds`);
  for (let round = 0; round < rounds; round++) {
    const wasm = api.quantGemv({ rows: size, cols: size, group_size: 128, min_time_s: 0.05, simd: true, runs: 5 });
    const native = JSON.parse(execFileSync(driver, ['0.02', 'simd', String(size), String(size)], { encoding: 'utf8' }));
    const cells = wasm.kernels.map((k) => {
      const s = native.gemv.kernels.find((row) => row.kernel === k.kernel);
      const ratio = s.time.median_s / k.time.median_s;
      (ratios[k.kernel] ??= []).push(ratio);
      return `${k.kernel} ${(k.time.median_s * 1e3).toFixed(2)}/${(s.time.median_s * 1e3).toFixed(2)} = ${ratio.toFixed(2)}×`;
    });
    console.log(`  round ${round + 1}: ${cells.join('  ')}`);
  }
  const median = (values) => { const v = [...values].sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
  console.log(`  median over rounds: ${Object.entries(ratios).map(([k, v]) => `${k} ${median(v).toFixed(2)}×`).join('  ')}`);
  console.log(JSON.stringify({ gemv_alternate: { size, rounds, wasm_over_sse41: ratios } }));
}
