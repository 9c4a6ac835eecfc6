// Reading measured times: every measured result carries a TimingStats
// ({runs, median_s, q1_s, q3_s, min_s, max_s}). These pure functions are the
// one place that says how a timing is printed, when it is noisy, and when one
// is faster than another — shared by the page and the CLI.

/** Above this relative spread ((q3 − q1) / median) a timing is called noisy. */
export const NOISY_SPREAD = 0.1;

/** Seconds in a readable unit: "812 µs", "1.23 ms", "2.41 s". */
export function formatSeconds(seconds) {
  if (!Number.isFinite(seconds)) return String(seconds);
  const magnitude = Math.abs(seconds);
  if (magnitude >= 1) return `${seconds.toPrecision(3)} s`;
  if (magnitude >= 1e-3) return `${(seconds * 1e3).toPrecision(3)} ms`;
  return `${(seconds * 1e6).toPrecision(3)} µs`;
}

/**
 * The TimingStats of timings in seconds, as src/sim/timing_stats.hpp computes
 * it for the C++ (quartiles by linear interpolation between order statistics,
 * type 7): for timings taken in JS (bench/, tinybench samples). Empty: zeros.
 */
export function timingStats(seconds) {
  const sorted = [...seconds].sort((a, b) => a - b);
  if (!sorted.length) return { runs: 0, median_s: 0, q1_s: 0, q3_s: 0, min_s: 0, max_s: 0 };
  const quantile = (p) => {
    const position = p * (sorted.length - 1), below = Math.floor(position), above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  };
  return { runs: sorted.length, median_s: quantile(0.5), q1_s: quantile(0.25), q3_s: quantile(0.75),
    min_s: sorted[0], max_s: sorted[sorted.length - 1] };
}

/** (q3 − q1) / median: the interquartile range relative to the median (Infinity when the median is 0). */
export function relativeSpread(time) {
  const iqr = time.q3_s - time.q1_s;
  return time.median_s > 0 ? iqr / time.median_s : iqr > 0 ? Infinity : 0;
}

/** True when the interquartile range is more than NOISY_SPREAD of the median. */
export function isNoisy(time, threshold = NOISY_SPREAD) {
  return relativeSpread(time) > threshold;
}

/** "1.23 ms (1.20–1.31)": the median, then the first to third quartile in the median's unit. */
export function formatTiming(time) {
  const median = formatSeconds(time.median_s);
  const unit = median.slice(median.lastIndexOf(' ') + 1);
  const scale = { s: 1, ms: 1e-3, 'µs': 1e-6 }[unit] ?? 1;
  const digits = (value) => Number((value / scale).toPrecision(3));
  return `${median} (${digits(time.q1_s)}–${digits(time.q3_s)})`;
}

/**
 * Whether timing a is faster or slower than timing b, stated only when their
 * q1–q3 ranges do not overlap. Returns { verdict: 'faster' | 'slower' |
 * 'within noise', ratio, text }: ratio is the slower median over the faster
 * one (≥ 1; NaN when a median is 0), text reads "A is 2.4× faster than B" or
 * "A and B: within noise (their q1–q3 ranges overlap)".
 */
export function compareTimings(a, b, labelA = 'A', labelB = 'B') {
  const separate = a.q3_s < b.q1_s || b.q3_s < a.q1_s;
  const positive = a.median_s > 0 && b.median_s > 0;
  if (!separate || !positive) {
    const why = positive ? 'their q1–q3 ranges overlap' : 'a time is below the timer\'s resolution';
    return { verdict: 'within noise', ratio: positive ? Math.max(a.median_s, b.median_s) / Math.min(a.median_s, b.median_s) : NaN,
      text: `${labelA} and ${labelB}: within noise (${why})` };
  }
  const faster = a.median_s < b.median_s;
  const ratio = faster ? b.median_s / a.median_s : a.median_s / b.median_s;
  const times = ratio < 10 ? ratio.toFixed(2) : ratio.toPrecision(3);
  return { verdict: faster ? 'faster' : 'slower', ratio,
    text: `${labelA} is ${times}× ${faster ? 'faster' : 'slower'} than ${labelB}` };
}

/** A TimingStats scaled by k (e.g. per call → per token); order is kept for k > 0. */
export function scaleTiming(time, k) {
  return { runs: time.runs, median_s: time.median_s * k, q1_s: time.q1_s * k, q3_s: time.q3_s * k,
    min_s: time.min_s * k, max_s: time.max_s * k };
}
