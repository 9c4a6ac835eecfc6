// How a measured time appears on the page: median with its spread, the
// noise warning with Run again, and the comparison wording. The rules live in
// lib/timing.js (shared with the CLI); this file only renders them.
import { html, nothing } from 'lit';

import { compareTimings, formatTiming, isNoisy, relativeSpread, scaleTiming } from '../../lib/timing.js';

export { compareTimings, formatTiming, isNoisy, scaleTiming };

/** A table cell: "1.23 ms (1.20–1.31)", or why there is no time. */
export function timingText(time) {
  if (!time || !(time.runs > 0)) return '—';
  if (!(time.median_s > 0)) return 'below timer resolution';
  return `${formatTiming(time)}${isNoisy(time) ? ' noisy' : ''}`;
}

/** Tokens/s of `steps` steps taking `time`, with its spread: "412 (398–431)" (q3 → slowest, q1 → fastest). */
export function rateText(time, steps) {
  if (!time || !(time.median_s > 0) || !(time.q1_s > 0)) return 'below timer resolution';
  const rate = (seconds) => Number((steps / seconds).toPrecision(3));
  return `${rate(time.median_s)} (${rate(time.q3_s)}–${rate(time.q1_s)})`;
}

/** "1.23× faster" / "within noise" of `time` against `reference` (both TimingStats), for a table cell. */
export function ratioText(time, reference) {
  const compared = compareTimings(time, reference);
  if (compared.verdict === 'within noise') return 'within noise';
  const times = compared.ratio < 10 ? compared.ratio.toFixed(2) : compared.ratio.toPrecision(3);
  return `${times}× ${compared.verdict}`;
}

/**
 * Beside a result: which timings are noisy ((q3 − q1) / median > 10 %), with a
 * Run again button; nothing when none is. `timings` is [label, TimingStats][].
 */
export function noiseNote({ id, timings, onRunAgain, disabled }) {
  const noisy = timings.filter(([, time]) => time && time.median_s > 0 && isNoisy(time));
  if (!noisy.length) return nothing;
  const list = noisy.map(([label, time]) => `${label} (${Math.round(100 * relativeSpread(time))} %)`).join(', ');
  return html`<p class="note noisy" id=${id} role="status">
    Noisy: the middle half of the runs spans more than 10 % of the median for ${list} — this machine was busy
    while it ran, so differences of that size mean nothing.
    <button type="button" class="action secondary" id=${`${id}-again`} ?disabled=${disabled} @click=${onRunAgain}>Run again</button>
  </p>`;
}

/** The caption sentence every error-bar plot carries. */
export const ERROR_BARS = 'bars: first to third quartile of the timed runs, dot: the median';
