#!/usr/bin/env node
// The serving simulator against real engines (issue 13, item 3). Published
// measurements (docs/data/serve-measurements.json) are split by a fixed rule
// into a fit half and a held-out half; the efficiency factors
// (compute_efficiency, memory_efficiency, iteration_overhead_s) are chosen on
// the fit half from a fixed grid by the least mean squared log error, and the
// held-out half is predicted with them. --write keeps the result in
// docs/data/serve-validation.json (the page's table) and the markdown table in
// docs/serve-validation.md; tests/js/serve-validation.test.js recomputes both.
// Usage: node scripts/serve-validation.js [--write]   (after npm run build:wasm)
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { loadLlmSpacetime } from '../lib/node.js';

export const measurementsPath = new URL('../docs/data/serve-measurements.json', import.meta.url);
export const dataPath = new URL('../docs/data/serve-validation.json', import.meta.url);
export const docsPath = new URL('../docs/serve-validation.md', import.meta.url);

// The grid the factors are chosen from (fixed before any prediction was made).
export const grid = {
  compute_efficiency: [0.25, 0.5, 0.75, 1],
  memory_efficiency: [0.25, 0.4, 0.55, 0.7, 0.85, 1],
  iteration_overhead_s: [0, 0.002, 0.004],
};
export const ideal = { compute_efficiency: 1, memory_efficiency: 1, iteration_overhead_s: 0 };

export function loadMeasurements() {
  return JSON.parse(readFileSync(measurementsPath, 'utf8'));
}

/** The split rule of the data file: sorted by id, even positions fit, odd positions held out. */
export function splitHalves(measurements) {
  const sorted = [...measurements].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { fit: sorted.filter((_, i) => i % 2 === 0), heldOut: sorted.filter((_, i) => i % 2 === 1) };
}

/** The api.serve() input of one measurement with these factors. */
export function serveInput(measurement, factors) {
  const { workload: w, assumed } = measurement;
  const input = {
    model: measurement.model, hardware: measurement.hardware, gpus: measurement.gpus, parallelism: measurement.parallelism,
    weights: measurement.weights, kv_dtype: measurement.kv_dtype,
    requests: w.requests, prompt_tokens: w.prompt_tokens, output_tokens: w.output_tokens,
    prompt_dist: w.prompt_dist, output_dist: w.output_dist,
    scheduler: 'chunked', chunk_tokens: assumed.chunk_tokens, max_batch: assumed.max_batch, seed: 1,
    ...factors,
  };
  if (measurement.gpu_memory_utilization) input.gpu_memory_utilization = measurement.gpu_memory_utilization;
  // Every request queued at once (an offline benchmark): a closed loop with as many users as requests.
  if (w.arrival === 'burst') Object.assign(input, { arrival: 'closed', users: w.requests });
  else Object.assign(input, { arrival: w.arrival, rate: w.rate });
  return input;
}

/** The simulated value of a measurement's metric. */
export function metricOf(result, metric) {
  if (metric === 'output_tokens_per_s') return result.throughput.output_tokens_per_s;
  if (metric === 'tpot_p50_s') return result.tpot_s.p50;
  if (metric === 'ttft_p50_s') return result.ttft_s.p50;
  throw new Error(`unknown metric ${metric}`);
}

export function predict(api, measurement, factors) {
  return metricOf(api.serve(serveInput(measurement, factors)), measurement.metric);
}

const squaredLogError = (predicted, measured) => Math.log(predicted / measured) ** 2;

/** The mean squared log error of `factors` over `rows`. */
export function meanSquaredLogError(api, rows, factors) {
  return rows.reduce((sum, row) => sum + squaredLogError(predict(api, row, factors), row.measured), 0) / rows.length;
}

/** The grid point with the least mean squared log error over `rows` (ties: the first in grid order). */
export function fitFactors(api, rows, onPoint) {
  let best = null;
  for (const compute_efficiency of grid.compute_efficiency) {
    for (const memory_efficiency of grid.memory_efficiency) {
      for (const iteration_overhead_s of grid.iteration_overhead_s) {
        const factors = { compute_efficiency, memory_efficiency, iteration_overhead_s };
        const error = meanSquaredLogError(api, rows, factors);
        onPoint?.(factors, error);
        if (best === null || error < best.error) best = { factors, error };
      }
    }
  }
  return best;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (value, digits) => Number(value.toPrecision(digits));

/** The whole validation: fit, predictions of both halves, errors. Deterministic (seeded runs, fixed grid). */
export function validate(api, { onPoint } = {}) {
  const data = loadMeasurements();
  const { fit, heldOut } = splitHalves(data.measurements);
  const best = fitFactors(api, fit, onPoint);
  const row = (measurement, half) => {
    const predicted = predict(api, measurement, best.factors);
    const predictedIdeal = predict(api, measurement, ideal);
    const source = data.sources[measurement.source];
    return {
      id: measurement.id, half, engine: measurement.engine, label: measurement.table, metric: measurement.metric,
      measured: measurement.measured, predicted: round(predicted, 4), predicted_ideal: round(predictedIdeal, 4),
      error_pct: round((predicted / measurement.measured - 1) * 100, 3),
      ideal_error_pct: round((predictedIdeal / measurement.measured - 1) * 100, 3),
      source: `${source.repository}:${source.path}@${source.commit.slice(0, 8)}`,
    };
  };
  const rows = [...fit.map((m) => row(m, 'fit')), ...heldOut.map((m) => row(m, 'held-out'))];
  const abs = (half, key) => rows.filter((r) => r.half === half).map((r) => Math.abs(r[key]));
  return {
    generated_by: 'scripts/serve-validation.js',
    split_rule: data.split_rule,
    grid,
    fitted: best.factors,
    summary: {
      fit_count: fit.length, held_out_count: heldOut.length,
      fit_msle: round(best.error, 4), fit_msle_ideal: round(meanSquaredLogError(api, fit, ideal), 4),
      held_out_msle: round(meanSquaredLogError(api, heldOut, best.factors), 4),
      held_out_median_abs_error_pct: round(median(abs('held-out', 'error_pct')), 3),
      held_out_max_abs_error_pct: round(Math.max(...abs('held-out', 'error_pct')), 3),
      held_out_ideal_median_abs_error_pct: round(median(abs('held-out', 'ideal_error_pct')), 3),
    },
    rows,
  };
}

const show = (value) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3));
const signed = (value) => `${value > 0 ? '+' : ''}${value.toFixed(1)} %`;

/** The markdown tables of a validation: held-out first (the test), then the fit half. */
export function validationTable(validation) {
  const { fitted, summary } = validation;
  const lines = [
    `Fitted on ${summary.fit_count} measurements: compute_efficiency = ${fitted.compute_efficiency}, ` +
      `memory_efficiency = ${fitted.memory_efficiency}, iteration_overhead_s = ${fitted.iteration_overhead_s} ` +
      `(mean squared log error ${summary.fit_msle}; ${summary.fit_msle_ideal} with every factor at 1).`,
    '',
    `Held out (${summary.held_out_count}): median absolute error ${summary.held_out_median_abs_error_pct.toFixed(1)} %, ` +
      `worst ${summary.held_out_max_abs_error_pct.toFixed(1)} % (with every factor at 1: median ` +
      `${summary.held_out_ideal_median_abs_error_pct.toFixed(1)} %).`,
    '',
  ];
  for (const half of ['held-out', 'fit']) {
    lines.push(`| ${half} | engine | metric | measured | predicted | error | predicted, factors 1 | error, factors 1 | source |`);
    lines.push('|---|---|---|---:|---:|---:|---:|---:|---|');
    for (const r of validation.rows.filter((row) => row.half === half)) {
      lines.push(`| ${r.label} | ${r.engine} | ${r.metric} | ${show(r.measured)} | ${show(r.predicted)} | ${signed(r.error_pct)} ` +
        `| ${show(r.predicted_ideal)} | ${signed(r.ideal_error_pct)} | ${r.source} |`);
    }
    lines.push('');
  }
  return lines.join('\n').trim();
}

/** `text` with the part between `<!-- marker:start -->` and `<!-- marker:end -->` replaced. */
export function replaceBetween(text, marker, body) {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`missing ${marker} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { write: { type: 'boolean', default: false } } });
  const api = await loadLlmSpacetime();
  const started = Date.now();
  let points = 0;
  const validation = validate(api, { onPoint: () => { points++; if (points % 40 === 0) process.stderr.write(`${points} grid points\n`); } });
  process.stderr.write(`${points} grid points in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const table = validationTable(validation);
  console.log(table);
  if (values.write) {
    writeFileSync(dataPath, `${JSON.stringify(validation, null, 2)}\n`);
    writeFileSync(docsPath, replaceBetween(readFileSync(docsPath, 'utf8'), 'serve-validation-table', table));
  }
}
