// The Serve panel's figures, drawn with Observable Plot: latency CDFs, the
// run's time series, and the throughput–latency curve over arrival rates.
// Each takes the API's results as they are (current and, when pinned, the
// pinned configuration's) and draws; nothing here recomputes a figure.
import * as Plot from '@observablehq/plot';

import { plotDefaults } from '../components/plot-figure.js';

const colors = { current: '#3b82f6', pinned: '#9a6700' };
const dash = { current: null, pinned: '5,3' };

/** The empirical CDF of one latency array: points (value, share of requests at or below it). */
function cdfPoints(values, config) {
  const sorted = [...values].filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.map((value, index) => ({ value, share: (index + 1) / sorted.length, config }));
}

/** One latency's CDF (`metric`: 'ttft_s' | 'tpot_s' | 'e2e_s'), current and pinned, with the SLO as a rule. */
export function cdfPlot({ metric, label, current, pinned, slo }) {
  const data = [...cdfPoints(current.requests[metric], 'current'), ...(pinned ? cdfPoints(pinned.requests[metric], 'pinned') : [])]
    .map((point) => ({ ...point, ms: point.value * 1e3 }));
  const marks = [
    Plot.line(data, { x: 'ms', y: 'share', z: 'config', stroke: (d) => colors[d.config], strokeDasharray: (d) => dash[d.config],
      curve: 'step-after', strokeWidth: 2, className: `cdf-${metric}` }),
    Plot.ruleY([0, 1], { strokeOpacity: 0.2 }),
  ];
  if (slo > 0) {
    marks.push(Plot.ruleX([slo * 1e3], { stroke: '#d1242f', strokeDasharray: '4,3' }));
    marks.push(Plot.text([{ x: slo * 1e3 }], { x: 'x', frameAnchor: 'bottom', text: () => 'SLO', dx: 4, dy: -4, textAnchor: 'start', fill: '#d1242f' }));
  }
  return Plot.plot({
    ...plotDefaults, width: 340, height: 220, marginLeft: 44,
    x: { label: `${label} (ms) →`, grid: true, type: data.some((d) => d.ms > 0) ? 'log' : 'linear' },
    y: { label: '↑ share of requests', domain: [0, 1], grid: true },
    marks,
  });
}

/** KV-cache utilisation over the run (0–1), current and pinned. */
export function kvSeriesPlot(current, pinned) {
  const rows = (result, config) => result.series.time_s.map((t, i) => ({ t, value: result.series.kv_utilization[i], config }));
  const data = [...rows(current, 'current'), ...(pinned ? rows(pinned, 'pinned') : [])];
  return Plot.plot({
    ...plotDefaults, width: 680, height: 200, marginLeft: 50,
    x: { label: 'time (s) →', grid: true },
    y: { label: '↑ KV cache in use', domain: [0, 1], grid: true, tickFormat: '%' },
    marks: [
      Plot.line(data, { x: 't', y: 'value', z: 'config', stroke: (d) => colors[d.config], strokeDasharray: (d) => dash[d.config], className: 'series-kv' }),
      Plot.ruleY([0]),
    ],
  });
}

/** Requests running, waiting, and the batch (sequences in the iteration) over the run, of the current configuration. */
export function queueSeriesPlot(current) {
  const { time_s: time, running, waiting, batch } = current.series;
  const data = [['running', running], ['waiting', waiting], ['batch', batch]]
    .flatMap(([series, values]) => time.map((t, i) => ({ t, value: values[i], series })));
  return Plot.plot({
    ...plotDefaults, width: 680, height: 220, marginLeft: 50,
    x: { label: 'time (s) →', grid: true },
    y: { label: '↑ requests', grid: true },
    color: { legend: true, domain: ['running', 'waiting', 'batch'], range: ['#3b82f6', '#d1242f', '#1a7f37'] },
    marks: [Plot.line(data, { x: 't', y: 'value', stroke: 'series', className: 'series-queue' }), Plot.ruleY([0])],
  });
}

/** Sweep points as rows: one per rate and configuration. */
export function sweepRows(points, config) {
  return points.map((point) => ({
    config, rate: point.rate, output_tokens_per_s: point.throughput.output_tokens_per_s,
    goodput: point.goodput_requests_per_s, requests_per_s: point.throughput.requests_per_s,
    ttft_p50: point.ttft_s.p50, ttft_p99: point.ttft_s.p99, tpot_p50: point.tpot_s.p50, tpot_p99: point.tpot_s.p99,
  }));
}

/**
 * The throughput–latency curve: each arrival rate a point at (output tokens/s,
 * TPOT), p50 and p99, with the TPOT SLO; `maxRate` marks the highest rate that meets the SLO.
 */
export function throughputLatencyPlot({ current, pinned, slo, maxRate }) {
  const rows = [...sweepRows(current, 'current'), ...(pinned ? sweepRows(pinned, 'pinned') : [])];
  const data = rows.flatMap((row) => [
    { ...row, quantile: 'p50', ms: row.tpot_p50 * 1e3 }, { ...row, quantile: 'p99', ms: row.tpot_p99 * 1e3 },
  ]);
  const marks = [
    Plot.line(data, { x: 'output_tokens_per_s', y: 'ms', z: (d) => `${d.config} ${d.quantile}`, stroke: (d) => colors[d.config],
      strokeDasharray: (d) => (d.quantile === 'p99' ? '2,2' : dash[d.config]), className: 'sweep-line' }),
    Plot.dot(data, { x: 'output_tokens_per_s', y: 'ms', stroke: (d) => colors[d.config], fill: (d) => (d.quantile === 'p50' ? colors[d.config] : 'white'),
      r: 3.5, title: (d) => `${d.config}: ${d.rate} req/s → ${d.output_tokens_per_s.toFixed(0)} tok/s, TPOT ${d.quantile} ${d.ms.toFixed(1)} ms`, className: 'sweep-dot' }),
    Plot.text(data.filter((d) => d.quantile === 'p50'), { x: 'output_tokens_per_s', y: 'ms', text: (d) => `${d.rate}/s`, dy: -9, fontSize: 9, fill: (d) => colors[d.config] }),
  ];
  if (slo > 0) marks.push(Plot.ruleY([slo * 1e3], { stroke: '#d1242f', strokeDasharray: '4,3' }));
  if (maxRate?.met) {
    const point = maxRate.result.throughput.output_tokens_per_s;
    marks.push(Plot.ruleX([point], { stroke: '#1a7f37', strokeDasharray: '4,3' }));
    marks.push(Plot.text([{ x: point }], { x: 'x', frameAnchor: 'top', text: () => `meets the SLO up to ${maxRate.rate.toPrecision(3)} req/s`,
      dx: 4, textAnchor: 'start', fill: '#1a7f37' }));
  }
  return Plot.plot({
    ...plotDefaults, width: 680, height: 320, marginLeft: 56,
    x: { label: 'output tokens/s (throughput) →', grid: true },
    y: { type: 'log', label: '↑ TPOT (ms): filled p50, open p99', grid: true },
    marks,
  });
}

/** TTFT p50 and p99 against the arrival rate, with the TTFT SLO and the highest rate meeting the SLO. */
export function ttftRatePlot({ current, pinned, slo, maxRate }) {
  const rows = [...sweepRows(current, 'current'), ...(pinned ? sweepRows(pinned, 'pinned') : [])];
  const data = rows.flatMap((row) => [{ ...row, quantile: 'p50', ms: row.ttft_p50 * 1e3 }, { ...row, quantile: 'p99', ms: row.ttft_p99 * 1e3 }]);
  const marks = [
    Plot.line(data, { x: 'rate', y: 'ms', z: (d) => `${d.config} ${d.quantile}`, stroke: (d) => colors[d.config],
      strokeDasharray: (d) => (d.quantile === 'p99' ? '2,2' : dash[d.config]) }),
    Plot.dot(data, { x: 'rate', y: 'ms', stroke: (d) => colors[d.config], fill: (d) => (d.quantile === 'p50' ? colors[d.config] : 'white'), r: 3.5,
      title: (d) => `${d.config}: ${d.rate} req/s, TTFT ${d.quantile} ${d.ms.toFixed(1)} ms` }),
  ];
  if (slo > 0) marks.push(Plot.ruleY([slo * 1e3], { stroke: '#d1242f', strokeDasharray: '4,3' }));
  if (maxRate?.met) marks.push(Plot.ruleX([maxRate.rate], { stroke: '#1a7f37', strokeDasharray: '4,3' }));
  return Plot.plot({
    ...plotDefaults, width: 680, height: 260, marginLeft: 56,
    x: { type: 'log', label: 'arrival rate (requests/s) →', grid: true },
    y: { type: 'log', label: '↑ TTFT (ms): filled p50, open p99', grid: true },
    marks,
  });
}
