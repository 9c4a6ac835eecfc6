#!/usr/bin/env node
// Derives quantReferenceErrors (lib/quant.js): the expected relative RMSE of
// each quantizer on i.i.d. N(0,1) weights, by numerical integration, with no
// sampling. Usage: node scripts/quant-reference-errors.js (prints the rows)
//
// A group of g values is quantized from its extremes, so the error is an
// expectation over the distribution of those extremes (order statistics of g
// normals), of the rounding error of the other values, which given the
// extremes are i.i.d. normals truncated to the range between them:
// - absmax formats (int8/int4 symmetric, NF4, ggml Q4_0): M = max |x_i| has
//   density g·2φ(m)·(2Φ(m) − 1)^(g−1); the value at ±M is restored exactly
//   (it sets the scale), the other g − 1 lie in [−M, M] with density
//   φ/(2Φ(M) − 1);
// - min–max formats (int4 asymmetric, integer zero point): (a, b) = (min, max) has density
//   g(g−1)·φ(a)φ(b)·(Φ(b) − Φ(a))^(g−2); the other g − 2 lie in [a, b].
// E[x²] = 1, so the relative RMSE is √(E[squared error per value]).
// Scales are exact reals here (the lab stores them as fp16 by default: a
// relative change of at most 2^−11 in the step). Ties have probability 0.
import { fileURLToPath } from 'node:url';

const phi = (x) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);

// erf by the Chebyshev fit of erfc in Numerical Recipes (3rd ed., §6.2.2): ~1e-16 relative.
const erfcCoefficients = [-1.3026537197817094, 0.6419697923564902, 1.9476473204185836e-2, -9.561514786808631e-3,
  -9.46595344482036e-4, 3.66839497852761e-4, 4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6,
  1.303655835580e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9, 5.059343495e-9, -9.91364156e-10,
  -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13, 3.81e-16,
  7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17];
function erf(x) {
  const z = Math.abs(x);
  const t = 2 / (2 + z);
  const ty = 4 * t - 2;
  let d = 0;
  let dd = 0;
  for (let j = erfcCoefficients.length - 1; j > 0; j--) {
    const previous = d;
    d = ty * d - dd + erfcCoefficients[j];
    dd = previous;
  }
  const erfc = t * Math.exp(-z * z + 0.5 * (erfcCoefficients[0] + ty * d) - dd);
  return x >= 0 ? 1 - erfc : erfc - 1;
}
const Phi = (x) => 0.5 * (1 + erf(x / Math.SQRT2));

// 8-point Gauss–Legendre nodes and weights.
const gauss = [[-0.9602898564975363, 0.1012285362903763], [-0.7966664774136267, 0.2223810344533745],
  [-0.525532409916329, 0.3137066458778873], [-0.1834346424956498, 0.362683783378362],
  [0.1834346424956498, 0.362683783378362], [0.525532409916329, 0.3137066458778873],
  [0.7966664774136267, 0.2223810344533745], [0.9602898564975363, 0.1012285362903763]];

// ∫ over [low, high] of (x − Q(x))²·φ(x) dx, Q = the nearest point of the sorted grid:
// one Gauss–Legendre rule per stretch of at most `width` inside each point's cell.
function squaredError(grid, low, high, width = 0.05) {
  let total = 0;
  for (let k = 0; k < grid.length; k++) {
    const from = Math.max(low, k === 0 ? -Infinity : (grid[k - 1] + grid[k]) / 2);
    const to = Math.min(high, k === grid.length - 1 ? Infinity : (grid[k] + grid[k + 1]) / 2);
    if (!(to > from)) continue;
    const pieces = Math.max(1, Math.ceil((to - from) / width));
    const step = (to - from) / pieces;
    for (let p = 0; p < pieces; p++) {
      const half = step / 2;
      const center = from + (p + 0.5) * step;
      for (const [node, weight] of gauss) {
        const x = center + half * node;
        total += weight * half * (x - grid[k]) ** 2 * phi(x);
      }
    }
  }
  return total;
}

// Absmax formats: E over M of ((g − 1)/g)·∫ error² φ / (2Φ(M) − 1), midpoint rule on [0, 8].
function absmaxError(g, gridOf, steps) {
  const h = 8 / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const m = (i + 0.5) * h;
    const inside = 2 * Phi(m) - 1;
    const density = g * 2 * phi(m) * inside ** (g - 1);
    if (density < 1e-300) continue;
    sum += density * ((g - 1) / g) * squaredError(gridOf(m), -m, m) / inside * h;
  }
  return Math.sqrt(sum);
}

// Min–max formats with an integer zero point (AutoGPTQ's Quantizer.find_params,
// AWQ's pseudo_quantize_tensor): the range is widened to hold 0, s = (b − a)/(levels − 1),
// z = round(−a/s), values s·(k − z) for k = 0 … levels − 1. The extremes are not
// restored exactly, so their own error counts too. Midpoint rule over a < b in [−6, 6]².
function zeroPointError(g, levels, steps) {
  const h = 12 / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const a = -6 + (i + 0.5) * h;
    for (let j = i + 1; j < steps; j++) {
      const b = -6 + (j + 0.5) * h;
      const inside = Phi(b) - Phi(a);
      const density = g * (g - 1) * phi(a) * phi(b) * inside ** (g - 2);
      if (density < 1e-300) continue;
      const low = Math.min(a, 0);
      const step = (Math.max(b, 0) - low) / (levels - 1);
      const zero = Math.round(-low / step);
      const grid = Array.from({ length: levels }, (_, k) => (k - zero) * step);
      const nearest = (x) => grid.reduce((best, v) => (Math.abs(v - x) < Math.abs(best - x) ? v : best));
      const extremes = (a - nearest(a)) ** 2 + (b - nearest(b)) ** 2;
      sum += density * (extremes / g + ((g - 2) / g) * squaredError(grid, a, b, 1) / inside) * h * h;
    }
  }
  return Math.sqrt(sum);
}

const NF4_LEVELS = [-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
  -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634,
  0.33791524171829224, 0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0];
const symmetric = (qmax) => (m) => Array.from({ length: 2 * qmax + 1 }, (_, k) => ((k - qmax) * m) / qmax);
const nf4 = (m) => NF4_LEVELS.map((level) => level * m);
// Q4_0 (ggml quantize_row_q4_0_ref): d = signed max / −8, codes (x/d + 8.5) floored and
// capped at 15: with the max positive, the values are (8 − c)·M/8, i.e. −7M/8 … M.
const q4_0 = (m) => Array.from({ length: 16 }, (_, c) => ((c - 7) * m) / 8);

/** The rows of quantReferenceErrors, derived; `steps` sets the integration grids. */
// The zero point jumps across (a, b), so that 2-D midpoint rule converges slowly: 0.080770 at
// 200 steps, 0.080758 at 360, 0.080754 at 600 (the default), against ~1e-15 for the 1-D ones.
export function referenceErrors({ steps = 2000, zeroPointSteps = 600 } = {}) {
  return [
    { format: 'int8', group_size: 32, rel_rmse: absmaxError(32, symmetric(127), steps) },
    { format: 'int8', group_size: 128, rel_rmse: absmaxError(128, symmetric(127), steps) },
    { format: 'int4', group_size: 32, rel_rmse: absmaxError(32, symmetric(7), steps) },
    { format: 'int4', group_size: 64, rel_rmse: absmaxError(64, symmetric(7), steps) },
    { format: 'int4', group_size: 128, rel_rmse: absmaxError(128, symmetric(7), steps) },
    { format: 'int4_asym', group_size: 32, rel_rmse: zeroPointError(32, 16, zeroPointSteps) },
    { format: 'nf4', group_size: 64, rel_rmse: absmaxError(64, nf4, steps) },
    { format: 'q4_0', group_size: 32, rel_rmse: absmaxError(32, q4_0, steps) },
  ];
}

/** Four significant digits, as lib/quant.js publishes them. */
export const published = (x) => Number(x.toPrecision(4));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of referenceErrors()) {
    console.log(`  { format: '${row.format}', group_size: ${row.group_size}, rel_rmse: ${published(row.rel_rmse)} },`);
  }
}
