// "This machine": the cache sweep (read bandwidth against working set, the
// plateaus found in it) and the lab's kernels, each under the roof of its own
// working set. Pure helpers the Plan panel renders (docs/roofline.md).
import * as Plot from '@observablehq/plot';

import { plotDefaults } from '../components/plot-figure.js';

/** The sweep the page runs: 16 KiB to 256 MiB, 3 sizes per octave (the C++ defaults). */
export const pageSweepInput = { min_bytes: 16384, max_bytes: 256 * 2 ** 20, points_per_octave: 3, repeats: 5, min_block_seconds: 0.002 };

/** Working sets in binary units, as caches are sized: 16 KiB, 1.5 MiB, 256 MiB. */
export function formatWorkingSet(bytes) {
  const [unit, scale] = bytes >= 2 ** 30 ? ['GiB', 2 ** 30] : bytes >= 2 ** 20 ? ['MiB', 2 ** 20] : ['KiB', 2 ** 10];
  return `${Number((bytes / scale).toPrecision(3))} ${unit}`;
}

const gb = (bytesPerS) => `${(bytesPerS / 1e9).toFixed(1)} GB/s`;

/** The sweep point nearest to `bytes` on a log axis (its spread explains a roof). */
function nearestPoint(sweep, bytes) {
  return sweep.points.reduce((best, p) => (Math.abs(Math.log(p.bytes / bytes)) < Math.abs(Math.log(best.bytes / bytes)) ? p : best));
}

/** The plateau holding `bytes`, or the transition between two. */
export function levelAt(sweep, bytes) {
  const on = sweep.plateaus.find((p) => bytes >= p.bytes_from && bytes <= p.bytes_to);
  if (on) return on.level;
  const below = sweep.plateaus.filter((p) => p.bytes_to < bytes).at(-1);
  const above = sweep.plateaus.find((p) => p.bytes_from > bytes);
  if (below && above) return `${below.level}–${above.level}`;
  return below ? `past ${below.level}` : above ? `below ${above.level}` : 'no plateau';
}

/** Relative spread of a timing: (q3 − q1) / median. */
const spreadOf = (t) => (t.median_s > 0 ? (t.q3_s - t.q1_s) / t.median_s : 0);

/**
 * Each kernel point ({label, intensity, flops_per_s, working_set_bytes, integer?}) with
 * its own roof: min(SIMD peak, intensity × the sweep's SIMD ceiling at its
 * working set). A point above its roof gets an explanation: which roof (the
 * bandwidth at its working set, or the multiply–add peak) and how much that
 * measurement spread, since other work only ever lowers a measured roof.
 */
export function kernelRoofs(points, machine, sweep, api) {
  return points.map((given) => {
    // A point without its working set is held to the largest size swept (the DRAM roof).
    const point = { ...given, working_set_bytes: given.working_set_bytes ?? sweep.points.at(-1).bytes };
    const { ceiling, roof, share, bound } = api.kernelRoof(sweep, point, machine.simd.flops_per_s);
    let explanation = '';
    if (share > 1) {
      const over = `${((share - 1) * 100).toFixed(0)} % above its roof`;
      explanation = point.integer && bound === 'compute'
        ? `${over}: integer multiply–adds, not f32 ones; i32x4.dot_i16x8_s does 8 in one instruction, and the probe's peak ` +
          'is the f32 multiply–add loop (no integer peak is measured)'
        : bound === 'bandwidth'
        ? `${over}: the sweep's ${gb(ceiling)} at ${formatWorkingSet(point.working_set_bytes)} is a best-of-5 whose blocks ` +
          `spread ±${(spreadOf(nearestPoint(sweep, point.working_set_bytes).simd_time) * 50).toFixed(0)} %; other work on the machine ` +
          'slowed every block of that size (measure again when it is quiet)'
        : `${over}: the multiply–add peak (runs spread ±${(spreadOf(machine.simd.flops_time) * 50).toFixed(0)} %) was measured ` +
          'while other work held the core; a quiet machine measures a higher peak';
    }
    return { ...point, level: levelAt(sweep, point.working_set_bytes), ceiling, roof, share, bound, explanation };
  });
}

/** Bandwidth against working set, SIMD and scalar: each point's ceiling (best block) and a rule down to its median rate; plateaus as bands. */
export function sweepPlot(sweep) {
  const rows = sweep.points.flatMap((p) => [
    { kernels: 'SIMD', bytes: p.bytes, best: p.simd_bytes_per_s / 1e9, median: p.simd_median_bytes_per_s / 1e9 },
    { kernels: 'scalar', bytes: p.bytes, best: p.scalar_bytes_per_s / 1e9, median: p.scalar_median_bytes_per_s / 1e9 },
  ]);
  const plateaus = sweep.plateaus.map((p) => ({ ...p, gb: p.simd_bytes_per_s / 1e9, mid: Math.sqrt(p.bytes_from * p.bytes_to) }));
  return Plot.plot({
    ...plotDefaults, width: 640, height: 340, marginLeft: 56, marginBottom: 40,
    x: { type: 'log', label: 'working set (bytes) →', grid: true, tickFormat: (v) => formatWorkingSet(v) },
    y: { type: 'log', label: '↑ read bandwidth (GB/s)', grid: true },
    color: { legend: true, domain: ['SIMD', 'scalar'], range: ['#3b82f6', '#e36209'] },
    marks: [
      Plot.rect(plateaus, { x1: 'bytes_from', x2: 'bytes_to', y1: (p) => p.gb / 1.15, y2: (p) => p.gb * 1.15, fill: '#2da44e', fillOpacity: 0.12,
        className: 'plateau-bands' }),
      Plot.ruleY(plateaus, { x1: 'bytes_from', x2: 'bytes_to', y: 'gb', stroke: '#2da44e', strokeWidth: 2 }),
      Plot.text(plateaus, { x: 'mid', y: (p) => p.gb * 1.15, text: (p) => `${p.level} ${p.gb.toFixed(1)}`, dy: -6, fill: '#1a7f37', fontSize: 11,
        className: 'plateau-labels' }),
      Plot.ruleX(rows, { x: 'bytes', y1: 'median', y2: 'best', stroke: 'kernels', strokeOpacity: 0.5 }),
      Plot.line(rows, { x: 'bytes', y: 'best', stroke: 'kernels', strokeWidth: 1.5 }),
      Plot.dot(rows, { x: 'bytes', y: 'best', fill: 'kernels', r: 2.5, className: 'sweep-points',
        title: (d) => `${d.kernels}, ${formatWorkingSet(d.bytes)}: ${d.best.toFixed(1)} GB/s best, ${d.median.toFixed(1)} median` }),
    ],
  });
}

/**
 * The roofline of this machine: the SIMD peak with one bandwidth roof per
 * plateau (L1 … DRAM), and the kernels as points coloured by name (a legend,
 * no labels to overlap), each under its own working set's roof.
 */
export function machinePlot(machine, sweep, kernels) {
  const peak = machine.simd.flops_per_s;
  const xs = [0.01, 1000, ...kernels.map((k) => k.intensity)];
  const lo = Math.min(...xs) / 2;
  const hi = Math.max(...xs) * 2;
  const roofs = [];
  for (const p of sweep.plateaus) {
    for (const ridge of [lo, peak / p.simd_bytes_per_s, hi]) {
      const x = Math.min(hi, Math.max(lo, ridge));
      roofs.push({ roof: p.level, x, y: Math.min(peak, x * p.simd_bytes_per_s) });
    }
  }
  return Plot.plot({
    ...plotDefaults, width: 640, height: 380, marginLeft: 60,
    x: { type: 'log', label: 'arithmetic intensity (FLOP/byte) →', grid: true, domain: [lo, hi] },
    y: { type: 'log', label: '↑ FLOP/s', grid: true },
    color: { legend: true, domain: kernels.map((k) => k.label) },
    marks: [
      Plot.line(roofs, { x: 'x', y: 'y', z: 'roof', stroke: '#57606a', strokeWidth: 1.5, strokeOpacity: 0.7 }),
      Plot.text(sweep.plateaus, { x: () => lo, y: (p) => Math.min(peak, lo * p.simd_bytes_per_s), text: (p) => p.level, textAnchor: 'start', dy: -6, fontSize: 10,
        fill: '#57606a' }),
      Plot.ruleY([peak], { stroke: '#57606a', strokeDasharray: '4,3' }),
      Plot.dot(kernels, { x: 'intensity', y: 'flops_per_s', fill: 'label', r: 5, stroke: 'white', className: 'measured-points',
        title: (k) => `${k.label}\n${(k.share * 100).toFixed(0)} % of its roof (${k.level}, ${formatWorkingSet(k.working_set_bytes)})` }),
    ],
  });
}
