// The Serve panel's validation against real engines: published measurements
// (docs/data/serve-measurements.json), the efficiency factors fitted on half of
// them, and the prediction error on the other half — the table
// scripts/serve-validation.js writes (docs/data/serve-validation.json, also in
// docs/serve-validation.md; tests/js/serve-validation.test.js recomputes both).
import { html } from 'lit';

import '../components/result-table.js';
import validation from '../../../docs/data/serve-validation.json';

const metricLabels = { output_tokens_per_s: 'output tokens/s', tpot_p50_s: 'TPOT p50 (s)', ttft_p50_s: 'TTFT p50 (s)' };
const number = (value) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3));
const percent = (value) => `${value > 0 ? '+' : ''}${value.toFixed(1)} %`;

/** The fitted factors, as the panel's inputs take them. */
export function fittedFactors() {
  return { ...validation.fitted };
}

/** The rows of one half ('fit' or 'held-out'), as the table shows them. */
export function validationRows(half) {
  return validation.rows.filter((row) => row.half === half).map((row) => ({
    id: row.id, label: `${row.label} (${row.engine})`, metric: metricLabels[row.metric] ?? row.metric,
    measured: row.measured, predicted: row.predicted, error_pct: row.error_pct, source: row.source,
  }));
}

const columns = [
  { key: 'label', label: 'Measurement' },
  { key: 'metric', label: 'Metric', priority: 'secondary' },
  { key: 'measured', label: 'Measured', numeric: true, format: number, priority: 'key' },
  { key: 'predicted', label: 'Predicted', numeric: true, format: number, priority: 'key' },
  { key: 'error_pct', label: 'Error', numeric: true, format: percent, priority: 'key' },
  { key: 'source', label: 'Source', priority: 'secondary' },
];

/** The section: fitted factors, the held-out table (the test of the simulator), then the fit half. `onUse` sets the factors as inputs. */
export function validationView({ onUse }) {
  const { fitted, summary } = validation;
  return html`<h3>Against real engines</h3>
    <p class="note">${validation.rows.length} published measurements (TensorRT-LLM, SGLang, vLLM; sources in
      docs/serve-validation.md). The factors were fitted on half of them (${summary.fit_count}, chosen by a rule fixed
      before any prediction: ${validation.split_rule}) by minimising the mean squared log error; the other half
      (${summary.held_out_count}) was predicted with those factors and is the test. Fitted: compute efficiency
      <strong id="serve-fitted-compute">${fitted.compute_efficiency}</strong>, memory efficiency
      <strong id="serve-fitted-memory">${fitted.memory_efficiency}</strong>, overhead per iteration
      <strong id="serve-fitted-overhead">${fitted.iteration_overhead_s} s</strong>. Held-out error: median
      ${summary.held_out_median_abs_error_pct.toFixed(1)} %, worst ${summary.held_out_max_abs_error_pct.toFixed(1)} %
      (with every factor at 1: median ${summary.held_out_ideal_median_abs_error_pct.toFixed(1)} %).</p>
    <button type="button" class="action secondary" id="serve-use-fitted" @click=${onUse}>Use the fitted factors</button>
    <llm-result-table id="serve-validation-table" filename="serve-validation-held-out"
      caption="Held-out measurements: predicted with the fitted factors" .columns=${columns} .rows=${validationRows('held-out')}></llm-result-table>
    <llm-result-table id="serve-validation-fit-table" filename="serve-validation-fit"
      caption="Fit half: the measurements the factors were fitted on" .columns=${columns} .rows=${validationRows('fit')}></llm-result-table>`;
}
