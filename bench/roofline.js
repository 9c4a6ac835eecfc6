// This machine's roofline from the WASM probe kernels: streaming read bandwidth
// and in-register multiply-add FLOP/s, SIMD against the scalar twins, in one run.
// Usage: npm run bench -- roofline   (or node bench/roofline.js)
import { pathToFileURL } from 'node:url';

import { loadLlmSpacetime } from '../lib/node.js';

export async function run() {
  const api = await loadLlmSpacetime();
  const m = api.measureMachine({ bytes: 256 * 2 ** 20, repeats: 7, min_seconds: 0.2 });
  const gb = (v) => (v / 1e9).toFixed(2);
  console.log(`roofline probe (WASM, one core, ${m.bytes / 2 ** 20} MiB streamed, best of 7)`);
  console.log('kernels            GB/s    GFLOP/s   ridge FLOP/B');
  for (const kind of ['simd', 'scalar']) {
    const r = m[kind];
    console.log(`${(kind === 'simd' ? `SIMD (${m.simd_lanes} lanes)` : 'scalar').padEnd(17)} ${gb(r.bandwidth_bytes_per_s).padStart(6)}  ${gb(r.flops_per_s).padStart(9)}  ${r.ridge_flops_per_byte.toFixed(2).padStart(12)}`);
  }
  console.log(`ratios SIMD / scalar: bandwidth ${(m.simd.bandwidth_bytes_per_s / m.scalar.bandwidth_bytes_per_s).toFixed(2)}x, ` +
    `FLOP/s ${(m.simd.flops_per_s / m.scalar.flops_per_s).toFixed(2)}x (ideal FLOP/s ratio: ${m.simd_lanes}x)`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
