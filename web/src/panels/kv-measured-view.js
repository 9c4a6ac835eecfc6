// The measured section's page: one layer of the configuration decoded in WASM,
// its KV bytes and speed beside the closed form. Pure helpers the KV cache
// panel renders; the runs and the rows come from kv-measured.js.
import { html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import { plotDefaults } from '../components/plot-figure.js';
import { formatCount } from '../format.js';
import { ERROR_BARS, noiseNote, rateText } from '../timing-view.js';
import { ratio } from './kv-common.js';
import { measuredRuns, measuredRows, measureHiddenDim } from './kv-measured.js';

// Measured decode speed per row: a bar at the median run's tokens/s, a black
// rule from the slowest to the fastest quartile run.
function measuredSpeedPlot(rows) {
  const timed = rows.filter((row) => row.time?.q1_s > 0);
  const rate = (row, seconds) => row.measured_steps / seconds;
  return Plot.plot({ ...plotDefaults, marginLeft: 190, height: 40 + 28 * timed.length, x: { label: 'tokens/s', grid: true },
    y: { label: null, domain: timed.map((row) => row.label) },
    marks: [Plot.barX(timed, { x: (row) => rate(row, row.time.median_s), y: 'label', fill: '#9ecae1' }), Plot.ruleX([0]),
      Plot.ruleY(timed, { y: 'label', x1: (row) => rate(row, row.time.q3_s), x2: (row) => rate(row, row.time.q1_s),
        stroke: 'black', strokeWidth: 2, ariaDescription: 'error bar' })] });
}

/**
 * The section: `controls` the panel's run fields, `values` its inputs, `measured`
 * the last run ({ runs, results, tokens, dtype }), `api` the WASM API, `status` the
 * run controller's status, `busy` whether a run is on, `onRun` starts one.
 */
export function kvMeasuredSection({ controls, values, measured, api, status, busy, onRun }) {
  const tables = measured?.results.length ? measuredRows(api, measured) : null;
  return html`
      <h3 id="kv-measure-title">Measured in WASM</h3>
      <p class="intro">Everything above is calculated. Here one attention layer of this configuration — its heads, KV
        heads and head dim — decodes a synthetic sequence in a background worker, in WebAssembly SIMD, and the bytes its
        KV cache really holds stand beside the formula's. Fewer KV heads keep fewer bytes, and at long context every
        decoding step reads all of them, so MQA and GQA also decode faster than MHA.</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Measured run inputs">
          <fieldset>
            <legend>Run</legend>
            ${controls}
            <button type="button" class="action" id="kv-measure-run" ?disabled=${busy}
              @click=${onRun}>Measure one layer</button>
          </fieldset>
        </form>
        <div aria-live="polite">
          <p class="note">The run decodes min(prompt + generated, ${formatCount(values.measure_tokens)}) =
            <strong id="kv-measure-tokens">${formatCount(measuredRuns(values).tokens)}</strong> tokens; the last
            ${formatCount(Math.min(32, measuredRuns(values).tokens))} are generated and ${formatCount(values.measure_steps)} of
            them are timed. The projections read a ${measureHiddenDim}-wide synthetic hidden state instead of d_model, so the
            time goes to the KV cache and attention, which this section measures.${values.variant === 'mla'
              ? html` <strong>MLA is not measured:</strong> the lab has no latent-attention kernel (it would cache one
                ${formatCount(values.kv_lora_rank)}-value latent per token and absorb the K/V up-projections into the
                query and output); the rows below measure MHA, GQA and MQA of the same heads and head dim.` : nothing}</p>
          ${status}
          ${tables ? html`
            ${tables.strategies.length ? html`<llm-result-table id="kv-measured-table" filename="kv-measured"
              caption=${tables.caption}
              .columns=${[{ key: 'label', label: 'Strategy' },
                { key: 'stored', label: 'Kernel stores' },
                { key: 'measured_bytes', label: 'Measured (B)', numeric: true, format: formatCount, priority: 'key' },
                { key: 'predicted_bytes', label: 'Closed form (B)', numeric: true, format: formatCount },
                { key: 'shown_bytes', label: `Closed form at ${measured.dtype} (B)`, numeric: true,
                  format: (x) => (Number.isFinite(x) ? formatCount(x) : '—') },
                { key: 'tokens_per_s', label: 'Tokens/s: median (q1–q3)', numeric: true, format: (x, row) => rateText(row.time, row.measured_steps) },
                { key: 'max_abs_error', label: 'max |Δ| vs full fp32', numeric: true, format: (x) => (x === 0 ? '0 (exact)' : x.toExponential(2)), priority: 'key' }]}
              .rows=${tables.strategies}></llm-result-table>` : nothing}
            ${tables.notes.length ? html`<ul class="note" id="kv-measured-notes">${tables.notes.map((note) => html`<li>${note}</li>`)}</ul>` : nothing}
            ${tables.variants.length ? html`<llm-result-table id="kv-measured-variants" filename="kv-measured-variants"
              caption="MHA, GQA and MQA of the same heads and head dim: KV bytes per layer (full fp32 cache) and decode speed, measured side by side"
              .columns=${[{ key: 'label', label: 'Variant' },
                { key: 'measured_bytes', label: 'Measured (B)', numeric: true, format: formatCount },
                { key: 'predicted_bytes', label: 'Closed form (B)', numeric: true, format: formatCount },
                { key: 'bytes_vs_first', label: 'KV vs MHA', numeric: true, format: ratio, priority: 'key' },
                { key: 'tokens_per_s', label: 'Tokens/s: median (q1–q3)', numeric: true, format: (x, row) => rateText(row.time, row.measured_steps) },
                { key: 'speed_vs_first_text', label: 'Speed vs MHA', priority: 'key' }]}
              .rows=${tables.variants}></llm-result-table>
              <p class="note" id="kv-measured-rule">Tokens/s: the median of ${tables.variants[0].time.runs} runs of the timed
                steps, with the first to third quartile; speed vs MHA gives a ratio only where the two ranges do not
                overlap, otherwise the difference is within noise.</p>
              <llm-plot id="kv-measured-speed-plot" filename="kv-measured-speed" caption=${`Decode tokens/s by variant and strategy (median run); ${ERROR_BARS}`}
                .build=${() => measuredSpeedPlot([...tables.strategies, ...tables.variants])}></llm-plot>` : nothing}
            ${noiseNote({ id: 'kv-measured-noise', timings: [...tables.strategies, ...tables.variants].map((row) => [row.label, row.time]),
              onRunAgain: onRun, disabled: busy })}` : nothing}
        </div>
      </div>`;
}
