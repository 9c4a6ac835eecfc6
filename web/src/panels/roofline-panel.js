// Roofline panel: every operator of a decoder layer placed against a chip's
// roofline, for the prefill of a prompt and for one decode step.
import { html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import '../components/plot-figure.js';
import { formatRatio } from '../components/result-table.js';
import { ratio } from '../compare.js';
import { LazyExplanations, explained } from '../components/explain-view.js';
import { PanelElement, attempt } from '../components/panel-element.js';
import { panelStyles } from '../components/panel-styles.js';
import { plotDefaults } from '../components/plot-figure.js';
import { formatBytes, formatCount, formatSI } from '../format.js';
import { getFormsApi } from '../wasm.js';
import { readWorkload, setWorkload, toInput, weightOptions, workloadInputs, workloadKeys, workloadParams } from './workload-form.js';

const defaults = {
  model: 'llama-2-7b', hardware: 'h100-sxm', weights_dtype: 'fp16', weights_group: 0, weights_scale_dtype: 'fp16', weights_keep: '', weights_bits: 0, kv_dtype: 'fp16', compute_dtype: 'fp16',
  batch: 1, context: 4096, images: 0, flop_efficiency: 1, bandwidth_efficiency: 1, fused_attention: true,
};

export const formatSeconds = (s) => (!Number.isFinite(s) ? String(s) : s >= 1 ? `${s.toFixed(3)} s`
  : s >= 1e-3 ? `${(s * 1e3).toFixed(3)} ms` : `${(s * 1e6).toFixed(2)} µs`);

export class RooflinePanel extends PanelElement {
  static panelId = 'roofline';
  static stateKeys = workloadKeys(defaults);
  static properties = { state: { state: true }, result: { state: true }, error: { state: true },
    pinnedResult: { state: true }, pinnedError: { state: true } };
  static styles = panelStyles;

  constructor() {
    super();
    this.error = null;
    // The ridge is the plan's too: explained from the same workload.
    this.explain = new LazyExplanations((input) => this.api.explainPlan(input));
  }

  async connectedCallback() {
    super.connectedCallback();
    this.api = await getFormsApi();
    this.hardware = this.api.hardwarePresets();
    this.weightOptions = weightOptions(this.api.quantFormats());
    this.stateChanged();
  }

  /** The workload read through `read` (readState, or pinnedRead for the pinned configuration). */
  parseState(read) {
    return readWorkload(read, defaults, { models: this.presets, hardware: this.hardware, weights: this.weightOptions });
  }

  stateLabel(key) {
    return { model: 'Model', hardware: 'Hardware', weights_dtype: 'Weights', weights_bits: 'Bits per weight', kv_dtype: 'KV cache', compute_dtype: 'Compute',
      fused_attention: 'Fused attention' }[key] ?? super.stateLabel(key);
  }

  snapshotState() {
    return Object.fromEntries(Object.entries(workloadParams(this.state, defaults, this.presets)).filter(([, value]) => value !== null && value !== undefined));
  }

  stateChanged() {
    if (!this.api) return;
    this.state = this.parseState((key) => this.readState(key));
    this.#compute();
    // Compare: the pinned workload (e.g. A100 against H100), computed the same way.
    ({ value: this.pinnedResult, error: this.pinnedError } = this.attemptPinned((state) => this.api.roofline(toInput(state, this.presets))));
  }

  // On an InputError the last good result stays on screen beside the error.
  #compute() {
    const input = toInput(this.state, this.presets);
    const { value, error } = attempt(() => this.api.roofline(input));
    this.error = error;
    if (error) return;
    this.result = value;
    this.explain.set(input);
  }

  #set(key, value, commit) {
    this.state = setWorkload(this.state, key, value, defaults, this.presets);
    this.#compute();
    if (commit) this.writeState(workloadParams(this.state, defaults, this.presets));
  }

  render() {
    if (!this.state) return html`<p class="note" role="status">Loading…</p>`;
    return html`
      <h2>Roofline</h2>
      <p class="intro">A chip can do at most its peak FLOP/s, and can feed at most its memory bandwidth in bytes per
        second. An operator's arithmetic intensity (FLOPs per byte it moves) decides which limit it hits: left of the
        ridge it waits for memory, right of it for arithmetic. Each point is one operator of one layer; decode at small
        batch sits far left because every weight is read to do 2 FLOPs per sequence — raise the batch and watch it move right.</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Roofline workload">
          ${workloadInputs({ prefix: 'roofline', state: this.state, error: this.error, presets: this.presets, weights: this.weightOptions,
            hardware: this.hardware, set: (key, value, commit) => this.#set(key, value, commit), read: (key) => this.readState(key) })}
        </form>
        <section aria-live="polite">${this.renderPinControls()}${this.#renderResults()}</section>
      </div>`;
  }

  #renderResults() {
    const r = this.result;
    if (!r) return html`<p class="error-banner" role="alert">${this.error?.message}</p>`;
    const chip = this.hardware.find((row) => row.id === this.state.hardware) ?? { label: 'Custom chip' };
    const pinned = this.pinnedResult;
    const vsPinned = (id, value, pinnedValue, format) => (pinned
      ? html`<div class="label" id=${id}>pinned ${format(pinnedValue)}: ${formatRatio(ratio(value, pinnedValue))}</div>` : nothing);
    return html`
      ${this.pinnedError ? html`<p class="error-banner" role="alert" id="roofline-pin-invalid">The pinned configuration is
        invalid (${this.pinnedError.message}); pin again to compare.</p>` : nothing}
      ${this.error ? html`<p class="error-banner" role="alert" id="roofline-error">${this.error.message}
        <br /><span class="note">Showing the last valid result.</span></p>` : nothing}
      <div class=${this.error ? 'stale' : ''}>
        <div class="headline">
          <div><div class="value" id="roofline-ridge">${explained(this.explain.get('plan.ridge'), r.ridge_flops_per_byte.toFixed(1))}</div><div class="label">ridge (FLOP/byte)</div></div>
          <div><div class="value" id="roofline-decode-intensity">${r.decode.intensity.toFixed(2)}</div><div class="label">decode intensity (FLOP/byte)</div></div>
          <div><div class="value" id="roofline-batch-to-ridge">${r.batch_to_ridge.toFixed(0)}</div><div class="label">batch to reach the ridge (weights only)</div></div>
          <div><div class="value" id="roofline-decode-time">${formatSeconds(r.decode.time_s)}</div><div class="label">decode step (${r.decode.bound} bound)</div>
            ${vsPinned('roofline-decode-time-pinned', r.decode.time_s, pinned?.decode.time_s, formatSeconds)}</div>
          <div><div class="value" id="roofline-prefill-time">${formatSeconds(r.prefill.time_s)}</div><div class="label">prefill (${r.prefill.bound} bound)</div>
            ${vsPinned('roofline-prefill-time-pinned', r.prefill.time_s, pinned?.prefill.time_s, formatSeconds)}</div>
        </div>
        <llm-plot id="roofline-plot" filename="roofline"
          caption=${`${chip?.label}: ${formatSI(r.peak_flops_per_s, 'FLOP/s')} peak, ${formatSI(r.bandwidth_bytes_per_s, 'B/s')}; circles prefill, triangles decode (one layer's operators + LM head)`}
          .build=${() => rooflinePlot(r)}></llm-plot>
        <p class="note">A decode GEMV does 2 FLOPs per weight per sequence, so with ${r.bytes_per_weight}-byte weights its
          intensity is 2 × batch / ${r.bytes_per_weight} = ${r.decode_weight_intensity.toFixed(2)} FLOP/byte, and it reaches the
          ridge at batch ≈ ridge × bytes per weight / 2 = ${r.batch_to_ridge.toFixed(1)}. (The often-quoted “≈2 FLOP/byte at
          batch 1” and “batch ≈148 on an H100” are the one-byte-per-weight figures: choose fp8 or int8 weights.)
          Attention at decode stays near 1 FLOP/byte at any batch: every sequence reads its own KV cache.</p>
        <h3>Operators</h3>
        <llm-result-table id="roofline-table" filename="roofline-operators"
          caption=${`Per instance (× count per pass); batch ${formatCount(this.state.batch)}, context ${formatCount(this.state.context)}`}
          .columns=${[
            { key: 'phase', label: 'Phase' },
            { key: 'name', label: 'Operator', priority: 'key' },
            { key: 'count', label: '×', numeric: true, priority: 'secondary' },
            { key: 'flops', label: 'FLOPs', numeric: true, format: (v) => formatSI(v) },
            { key: 'weight_bytes', label: 'Weights', numeric: true, format: (v) => formatBytes(v, this.units) },
            { key: 'kv_bytes', label: 'KV', numeric: true, format: (v) => formatBytes(v, this.units) },
            { key: 'activation_bytes', label: 'Activations', numeric: true, format: (v) => formatBytes(v, this.units) },
            { key: 'intensity', label: 'FLOP/byte', numeric: true, format: (v, op) => (noTraffic(op) ? '–' : v.toFixed(2)), priority: 'key' },
            { key: 'attainable_flops_per_s', label: 'Attainable', numeric: true, format: (v) => formatSI(v, 'FLOP/s'), priority: 'secondary' },
            { key: 'time_s', label: 'Time', numeric: true, format: formatSeconds, priority: 'key' },
            { key: 'bound', label: 'Bound', priority: 'key', format: (v, op) => (noTraffic(op) ? 'no memory traffic (fused)' : v) },
          ]}
          .rows=${r.operators} .compare=${pinned ? pinned.operators : null}
          .rowKey=${(op) => `${op.phase} ${op.name}`}></llm-result-table>
      </div>`;
  }
}

// An operator that moves no bytes (softmax fused into attention) has no intensity and no bound:
// its time is its FLOPs alone, and calling it compute bound would rank it against a roof it never meets.
const noTraffic = (op) => op.bytes === 0 && op.flops > 0;

/** The roof and the operators as points (operators with no FLOPs or no bytes cannot sit on a log-log plot). */
export function rooflinePlot(r, extraPoints = []) {
  const peak = r.effective_peak_flops_per_s;
  const bandwidth = r.effective_bandwidth_bytes_per_s;
  const points = r.operators.filter((op) => op.flops > 0 && op.bytes > 0)
    .map((op) => ({ ...op, label: `${op.phase} ${op.name}`, y: op.attainable_flops_per_s }));
  const xs = points.map((p) => p.intensity).concat(r.ridge_flops_per_byte);
  const low = Math.min(...xs) / 3;
  const high = Math.max(...xs) * 3;
  const roof = [low, Math.min(Math.max(r.ridge_flops_per_byte, low), high), high].map((x) => ({ x, y: Math.min(peak, x * bandwidth) }));
  return Plot.plot({
    ...plotDefaults,
    width: 700, height: 420, marginLeft: 60,
    x: { type: 'log', label: 'arithmetic intensity (FLOP/byte) →', grid: true },
    y: { type: 'log', label: '↑ attainable FLOP/s', grid: true },
    symbol: { legend: true, domain: ['prefill', 'decode'], range: ['circle', 'triangle'] },
    marks: [
      Plot.line(roof, { x: 'x', y: 'y', stroke: 'currentColor', strokeWidth: 2 }),
      Plot.ruleX([r.ridge_flops_per_byte], { stroke: '#d1242f', strokeDasharray: '4,3' }),
      Plot.dot(points.filter((p) => p.phase === 'prefill'), { x: 'intensity', y: 'y', symbol: 'phase', fill: '#3b82f6', r: 4,
        className: 'prefill-points', title: (p) => `${p.label}\n${p.intensity.toFixed(2)} FLOP/byte, ${p.bound} bound` }),
      Plot.dot(points.filter((p) => p.phase === 'decode'), { x: 'intensity', y: 'y', symbol: 'phase', stroke: '#e36209', strokeWidth: 2, r: 5,
        className: 'decode-points', title: (p) => `${p.label}\n${p.intensity.toFixed(2)} FLOP/byte, ${p.bound} bound` }),
      Plot.dot(extraPoints, { x: 'intensity', y: 'flops_per_s', fill: '#2da44e', r: 5, symbol: 'square', className: 'measured-points', title: 'label' }),
    ],
  });
}

customElements.define('llm-roofline-panel', RooflinePanel);
