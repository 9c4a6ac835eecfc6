// Plain-JS timings for the benchmarks, taken by tinybench: a warm-up call,
// then `runs` samples, each a block of calls long enough to time (at least
// minSeconds / runs, found by doubling the block). Returns the TimingStats per
// call that every WASM and native timing also reports (lib/timing.js).
import { Bench } from 'tinybench';

import { timingStats } from '../lib/timing.js';

export function timeJs(name, fn, { runs = 5, minSeconds = 0 } = {}) {
  const minSample = (minSeconds / runs) * 1e3;  // ms
  const start = performance.now();
  fn();  // warm-up; a call this long needs no block
  let block = 1;
  if (performance.now() - start < minSample) {
    for (;;) {
      const blockStart = performance.now();
      for (let i = 0; i < block; i++) fn();
      if (performance.now() - blockStart >= minSample || block >= 2 ** 30) break;
      block *= 2;
    }
  }
  const bench = new Bench({ iterations: runs, time: 0, warmupIterations: 0, warmupTime: 0, retainSamples: true });
  bench.add(name, block === 1 ? fn : () => { for (let i = 0; i < block; i++) fn(); });
  bench.runSync();
  const { latency } = bench.tasks[0].result;  // ms per sample
  return timingStats(latency.samples.map((ms) => ms / 1e3 / block));
}
