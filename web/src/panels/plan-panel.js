// Plan panel: what a deployment will do — latency, throughput, whether it
// fits, parallelism and offload, training memory, published measurements, and
// this machine's own measured roofline.
import { html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import '../components/plot-figure.js';
import '../components/result-table.js';
import { LazyExplanations, explained } from '../components/explain-view.js';
import { numberField } from '../components/fields.js';
import { PanelElement, attempt } from '../components/panel-element.js';
import { panelStyles } from '../components/panel-styles.js';
import { plotDefaults } from '../components/plot-figure.js';
import { formatBytes, formatCount, formatSI } from '../format.js';
import { runInWorker } from '../sim-client.js';
import { getApi } from '../wasm.js';
import { formatSeconds } from './roofline-panel.js';
import { readWorkload, setWorkload, toInput, weightOptions, workloadInputs, workloadKeys, workloadParams } from './workload-form.js';

const defaults = {
  model: 'llama-2-70b', hardware: 'h100-sxm', weights_dtype: 'fp16', weights_group: 0, weights_scale_dtype: 'fp16', weights_keep: '', weights_bits: 0, kv_dtype: 'fp16', compute_dtype: 'fp16',
  batch: 16, context: 4096, flop_efficiency: 1, bandwidth_efficiency: 1, fused_attention: true,
  gpus: 2, parallelism: 'tensor', offload_layers: 0,
};
const trainingDefaults = { batch: 1, sequence: 4096 };
const bothUnits = (bytes) => `${formatBytes(bytes, 'GB')} / ${formatBytes(bytes, 'GiB')}`;

export class PlanPanel extends PanelElement {
  static panelId = 'plan';
  static stateKeys = [...workloadKeys(defaults), 'train_batch', 'train_sequence'];
  static properties = {
    state: { state: true }, result: { state: true }, error: { state: true },
    pinnedResult: { state: true }, pinnedError: { state: true },
    training: { state: true }, trainingError: { state: true },
    machine: { state: true }, machineStatus: { state: true },
    /** Measured kernels other panels may add: [{ label, intensity, flops_per_s }] (plotted on this machine's roofline). */
    measuredPoints: { attribute: false },
  };
  static styles = panelStyles;

  constructor() {
    super();
    this.error = null;
    this.explain = new LazyExplanations((input) => this.api.explainPlan(input));
    this.trainingInput = { ...trainingDefaults };
    this.machine = null;
    this.machineStatus = '';
    this.measuredPoints = [];
  }

  async connectedCallback() {
    super.connectedCallback();
    this.api = await getApi();
    this.hardware = this.api.hardwarePresets();
    this.weightOptions = weightOptions(this.api.quantFormats());
    this.calibration = this.api.calibration();
    this.stateChanged();
  }

  /** The workload and training inputs read through `read` (readState, or pinnedRead for the pinned configuration). */
  parseState(read) {
    const state = readWorkload(read, defaults, { models: this.presets, hardware: this.hardware, weights: this.weightOptions });
    for (const key of Object.keys(trainingDefaults)) {
      const text = read(`train_${key}`);
      state[`train_${key}`] = text !== null && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : trainingDefaults[key];
    }
    return state;
  }

  stateLabel(key) {
    return { model: 'Model', hardware: 'Hardware', weights_dtype: 'Weights', weights_bits: 'Bits per weight', kv_dtype: 'KV cache', compute_dtype: 'Compute',
      fused_attention: 'Fused attention', gpus: 'Devices', train_batch: 'Training sequences', train_sequence: 'Training tokens' }[key]
      ?? super.stateLabel(key);
  }

  snapshotState() {
    return Object.fromEntries(Object.entries(this.#params()).filter(([, value]) => value !== null && value !== undefined));
  }

  stateChanged() {
    if (!this.api) return;
    const { train_batch: batch, train_sequence: sequence, ...state } = this.parseState((key) => this.readState(key));
    this.state = state;
    this.trainingInput = { batch, sequence };
    this.#compute();
    // Compare: the pinned deployment (e.g. A100 against H100), computed the same way.
    ({ value: this.pinnedResult, error: this.pinnedError } = this.attemptPinned((pinned) => {
      const { train_batch: batch, train_sequence: sequence, ...state } = pinned;
      return { state, plan: this.api.plan(toInput(state, this.presets)), training: trainingRows(this.api, toInput(state, this.presets).model, { batch, sequence }) };
    }));
  }

  // On an InputError the last good result stays on screen beside the error.
  #compute() {
    const input = toInput(this.state, this.presets);
    const plan = attempt(() => this.api.plan(input));
    this.error = plan.error;
    if (!plan.error) {
      this.result = plan.value;
      this.explain.set(input);
    }
    const training = attempt(() => trainingRows(this.api, toInput(this.state, this.presets).model, this.trainingInput));
    this.trainingError = training.error;
    if (!training.error) this.training = training.value;
  }

  #set(key, value, commit) {
    this.state = setWorkload(this.state, key, value, defaults, this.presets);
    this.#compute();
    if (commit) this.#writeUrl();
  }

  #setTraining(key, value, commit) {
    this.trainingInput = { ...this.trainingInput, [key]: value };
    this.#compute();
    this.requestUpdate();
    if (commit) this.#writeUrl();
  }

  #params() {
    const params = workloadParams(this.state, defaults, this.presets);
    for (const [key, value] of Object.entries(this.trainingInput)) params[`train_${key}`] = value === trainingDefaults[key] ? null : value;
    return params;
  }

  #writeUrl() {
    this.writeState(this.#params());
  }

  async #measure() {
    this.machineStatus = 'Measuring (streaming 64 MiB and a multiply–add loop, SIMD then scalar)…';
    try {
      this.machine = await runInWorker('measureMachine', { bytes: 64 * 2 ** 20, repeats: 5, min_seconds: 0.05 });
      this.machineStatus = 'Measuring the lab kernels on it (attention, quantized GEMV)…';
      this.measuredPoints = await measureLabKernels();
      this.machineStatus = '';
    } catch (error) {
      this.machineStatus = `Measurement failed: ${error.message}`;
    }
  }

  render() {
    if (!this.state) return html`<p class="note" role="status">Loading…</p>`;
    return html`
      <h2>Plan</h2>
      <p class="intro">Before buying or renting hardware: will the model fit, how long until the first token, how fast
        does each sequence generate, and how much total throughput does batching buy before the KV cache runs out of
        memory? Every figure is a roofline bound — the fastest the chip could possibly go — scaled by the efficiency
        factors you set; the published measurements at the bottom show how far real systems land below it.</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Deployment">
          ${workloadInputs({ prefix: 'plan', state: this.state, error: this.error, presets: this.presets, weights: this.weightOptions, hardware: this.hardware,
            plan: true, set: (key, value, commit) => this.#set(key, value, commit) })}
        </form>
        <section aria-live="polite">${this.renderPinControls()}${this.#renderPlan()}</section>
      </div>
      ${this.#renderTraining()}
      ${this.#renderCalibration()}
      ${this.#renderMachine()}`;
  }

  #renderPlan() {
    const r = this.result;
    if (!r) return html`<p class="error-banner" role="alert">${this.error?.message}</p>`;
    const d = r.decode;
    const p = r.prefill;
    // `explain` (a function: JSON export leaves it out, and it is no column) opens the figure's explanation.
    const rows = planRows(r, this.state, (id) => this.explain.get(id));
    const pinned = this.pinnedResult;
    return html`
      ${this.pinnedError ? html`<p class="error-banner" role="alert" id="plan-pin-invalid">The pinned configuration is
        invalid (${this.pinnedError.message}); pin again to compare.</p>` : nothing}
      ${this.error ? html`<p class="error-banner" role="alert" id="plan-error">${this.error.message}
        <br /><span class="note">Showing the last valid result.</span></p>` : nothing}
      <div class=${this.error ? 'stale' : ''}>
        <div class="headline">
          <div><div class="value" id="plan-fits">${explained(this.explain.get('plan.memory_per_device'), r.fits ? 'fits' : 'does not fit')}</div><div class="label">on ${formatCount(this.state.gpus)} device(s)</div></div>
          <div><div class="value" id="plan-tokens-per-s">${explained(this.explain.get('plan.tokens_per_s'), d.tokens_per_s.toFixed(1))}</div><div class="label">tokens/s per sequence</div></div>
          <div><div class="value" id="plan-total-tokens-per-s">${explained(this.explain.get('plan.total_tokens_per_s'), d.total_tokens_per_s.toFixed(0))}</div><div class="label">tokens/s total</div></div>
          <div><div class="value" id="plan-ttft">${explained(this.explain.get('plan.ttft'), formatSeconds(p.ttft_s))}</div><div class="label">time to first token</div></div>
        </div>
        <div class="headline">
          <div><div class="value" id="plan-max-batch">${explained(this.explain.get('plan.max_batch'), formatCount(r.max_batch))}</div><div class="label">max batch at ${formatCount(this.state.context)} tokens</div></div>
          <div><div class="value" id="plan-max-context">${r.max_context_unbounded ? 'unbounded' : formatCount(r.max_context)}</div><div class="label">max context at batch ${formatCount(this.state.batch)}</div></div>
          <div><div class="value" id="plan-min-gpus">${r.min_gpus ? formatCount(r.min_gpus) : '> 4096'}</div><div class="label">fewest devices (${this.state.parallelism})</div></div>
        </div>
        <llm-result-table id="plan-table" filename="plan" caption="Latency, throughput and memory"
          .columns=${[{ key: 'item', label: 'Quantity' }, { key: 'value', label: 'Value', numeric: true, format: (v, row) => explained(row.explain, row.format(v)) }]}
          .rows=${rows} .compare=${pinned ? planRows(pinned.plan, pinned.state) : null}></llm-result-table>
        <h3>Batch vs throughput</h3>
        <llm-plot id="plan-curve-plot" filename="batch-throughput"
          caption="Total decode tokens/s as the batch grows (filled: fits in memory; hollow: does not); the red rule is the memory limit"
          .build=${() => curvePlot(r)}></llm-plot>
        <p class="note">Decode reads every weight once per step whatever the batch, so total throughput grows almost
          linearly with batch until the KV cache (${bothUnits(r.kv_bytes_per_token)} per token per sequence) or compute
          catches up. Tensor parallelism divides the weights read per device and adds
          2 all-reduces per layer, each 2(p−1)/p × batch × d_model × bytes over the link; pipeline parallelism splits
          memory but every round still reads all the weights.</p>
      </div>`;
  }

  #renderTraining() {
    const rows = this.training ?? [];
    return html`<h3>Training memory (mixed-precision Adam)</h3>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Training">
          <fieldset><legend>Training step</legend>
            ${numberField({ id: 'plan-train_batch', label: 'Sequences per step', value: this.trainingInput.batch, min: 1, step: 1,
              error: this.trainingError?.field === 'batch' ? this.trainingError.message : null,
              onInput: (v) => this.#setTraining('batch', v, false), onCommit: (v) => this.#setTraining('batch', v, true) })}
            ${numberField({ id: 'plan-train_sequence', label: 'Tokens per sequence', value: this.trainingInput.sequence, min: 1, step: 1,
              error: this.trainingError?.field === 'sequence' ? this.trainingError.message : null,
              onInput: (v) => this.#setTraining('sequence', v, false), onCommit: (v) => this.#setTraining('sequence', v, true) })}
          </fieldset>
        </form>
        <section>
          <llm-result-table id="plan-training-table" filename="training-memory"
            caption="bf16 weights 2 B + gradients 2 B + fp32 master 4 B + Adam moments 8 B = 16 B per parameter, plus activations"
            .columns=${[
              { key: 'checkpointing', label: 'Checkpointing' },
              { key: 'weights_bytes', label: 'Weights', numeric: true, format: (v) => formatBytes(v, this.units) },
              { key: 'gradients_bytes', label: 'Gradients', numeric: true, format: (v) => formatBytes(v, this.units) },
              { key: 'optimizer_bytes', label: 'Adam (master + moments)', numeric: true, format: (v) => formatBytes(v, this.units) },
              { key: 'activation_bytes', label: 'Activations', numeric: true, format: (v) => formatBytes(v, this.units) },
              { key: 'total_bytes', label: 'Total', numeric: true, format: (v) => bothUnits(v) },
              { key: 'extra_compute_fraction', label: 'Extra compute', numeric: true, format: (v) => `${(v * 100).toFixed(0)} %` },
            ]} .rows=${rows} .compare=${this.pinnedResult?.training ?? null}></llm-result-table>
          <p class="note">“full” keeps every layer's input and recomputes one layer at a time; “sqrt” keeps a checkpoint
            every ⌈√L⌉ layers and recomputes a whole segment — the classic √n schedule. Both cost one extra forward pass
            (+33 %). In a transformer a layer's internals are ~15–20× its input, so per-layer checkpoints usually need
            less memory than √L segments: the √n trick pays off when a segment's state is small, not here.</p>
        </section>
      </div>`;
  }

  #renderCalibration() {
    const points = this.calibration ?? [];
    return html`<h3>Calibration: published measurements vs this model</h3>
      <llm-plot id="plan-calibration-plot" filename="calibration"
        caption="Measured decode tokens/s (batch 1) against the ideal-roofline prediction; the line is measured = predicted"
        .build=${() => calibrationPlot(points)}></llm-plot>
      <llm-result-table id="plan-calibration-table" filename="calibration" caption="Sources"
        .columns=${[
          { key: 'label', label: 'Measurement' },
          { key: 'measured_tokens_per_s', label: 'Measured tok/s', numeric: true },
          { key: 'predicted_tokens_per_s', label: 'Predicted tok/s', numeric: true, format: (v) => v.toFixed(1) },
          { key: 'ratio', label: 'Measured / predicted', numeric: true, format: (v) => v.toFixed(2) },
          { key: 'source', label: 'Source' },
        ]} .rows=${points}></llm-result-table>
      <p class="note">The ratio is the bandwidth efficiency a real engine reached; put a typical value into
        “Bandwidth efficiency” above to turn the ideal bound into an estimate.</p>`;
  }

  #renderMachine() {
    const m = this.machine;
    const rows = m ? ['simd', 'scalar'].map((kind) => ({
      kind: kind === 'simd' ? `WASM SIMD (${m.simd_lanes} lanes)` : 'scalar',
      bandwidth: m[kind].bandwidth_bytes_per_s, flops: m[kind].flops_per_s, ridge: m[kind].ridge_flops_per_byte,
    })) : [];
    return html`<h3>This machine</h3>
      <p class="note">Measure this browser's own roofline: a streaming read over a 64 MiB array (bandwidth) and a
        multiply–add loop with eight independent accumulators in registers (FLOP/s). WASM SIMD has no fused
        multiply–add here, so one core peaks at 8 FLOP per cycle (4 lanes × mul + add). Runs in a worker on one core.</p>
      <button type="button" class="action" id="plan-measure" @click=${() => this.#measure()}>Measure this machine</button>
      <p class="note" role="status" id="plan-measure-status">${this.machineStatus}</p>
      ${m ? html`
        <llm-result-table id="plan-machine-table" filename="this-machine" caption="Measured on this machine"
          .columns=${[
            { key: 'kind', label: 'Kernels' },
            { key: 'bandwidth', label: 'Bandwidth', numeric: true, format: (v) => formatSI(v, 'B/s') },
            { key: 'flops', label: 'FLOP/s', numeric: true, format: (v) => formatSI(v, 'FLOP/s') },
            { key: 'ridge', label: 'Ridge (FLOP/byte)', numeric: true, format: (v) => v.toFixed(2) },
          ]} .rows=${rows}></llm-result-table>
        <llm-plot id="plan-machine-plot" filename="this-machine-roofline" caption="This machine's measured rooflines (SIMD and scalar) with any measured kernels"
          .build=${() => machinePlot(m, this.measuredPoints)}></llm-plot>
        ${this.measuredPoints.length ? html`<llm-result-table id="plan-machine-kernels" filename="lab-kernels"
          caption="The lab's kernels measured here (green points): FLOPs over the bytes each must move at least"
          .columns=${[
            { key: 'label', label: 'Kernel' },
            { key: 'intensity', label: 'FLOP/byte', numeric: true, format: (v) => v.toFixed(2) },
            { key: 'flops_per_s', label: 'FLOP/s', numeric: true, format: (v) => formatSI(v, 'FLOP/s') },
            { key: 'share', label: 'of the SIMD roof', numeric: true, format: (v) => `${(v * 100).toFixed(0)} %` },
          ]} .rows=${this.measuredPoints.map((point) => ({ ...point,
            share: point.flops_per_s / Math.min(m.simd.flops_per_s, point.intensity * m.simd.bandwidth_bytes_per_s) }))}></llm-result-table>` : nothing}` : nothing}`;
  }
}

const fixed = (digits) => (value) => value.toFixed(digits);

/** The plan as rows of raw numbers, each with its own format (and explanation); `id` matches rows of a pinned plan. */
function planRows(r, state, explain = () => undefined) {
  const d = r.decode;
  const p = r.prefill;
  const explainOf = { step: 'plan.decode_step', tokens_per_s: 'plan.tokens_per_s', total_tokens_per_s: 'plan.total_tokens_per_s',
    ttft: 'plan.ttft', weight_bytes: 'plan.weight_bytes', kv_bytes: 'plan.kv_bytes', memory_per_device_bytes: 'plan.memory_per_device' };
  const row = (id, item, value, format) => ({ id, item, value, format, explain: explainOf[id] ? explain(explainOf[id]) : undefined });
  return [
    row('step', 'Decode step (TPOT)', d.step_s, formatSeconds),
    row('memory_floor', '  floor: (weights read + batch × KV) / bandwidth', d.memory_floor_s, formatSeconds),
    row('compute_floor', '  floor: FLOPs / peak', d.compute_floor_s, formatSeconds),
    row('communication', '  communication (all-reduces or pipeline hops)', d.communication_s, formatSeconds),
    row('offload', '  offloaded weights over PCIe', d.offload_s, formatSeconds),
    row('tokens_per_s', 'Tokens/s per sequence', d.tokens_per_s, fixed(2)),
    row('total_tokens_per_s', 'Tokens/s total', d.total_tokens_per_s, fixed(1)),
    row('decode_intensity', `Decode intensity, FLOP/byte (${d.bound} bound)`, d.intensity, fixed(2)),
    row('experts_touched', 'Experts touched per layer per step', d.experts_touched, fixed(2)),
    row('ttft', `TTFT (prefill of ${formatCount(state.batch)} × ${formatCount(state.context)} tokens)`, p.ttft_s, formatSeconds),
    row('prefill_intensity', `Prefill intensity, FLOP/byte (${p.bound} bound)`, p.intensity, fixed(1)),
    row('total_params', 'Parameters (total)', r.total_params, (v) => formatSI(v)),
    row('active_params', 'Parameters (active per token)', r.active_params, (v) => formatSI(v)),
    row('weight_bytes', 'Weights (all devices)', r.weight_bytes, bothUnits),
    row('kv_bytes', 'KV cache (batch × context)', r.kv_bytes, bothUnits),
    row('memory_per_device_bytes', 'Needed per device', r.memory_per_device_bytes, bothUnits),
    row('memory_capacity_bytes', 'Capacity per device', r.memory_capacity_bytes, bothUnits),
  ];
}

/** Training memory with each checkpointing schedule. */
function trainingRows(api, model, trainingInput) {
  return ['none', 'full', 'sqrt'].map((checkpointing) => ({
    checkpointing, ...api.trainingMemory({ model, ...trainingInput, checkpointing }),
  }));
}

function curvePlot(r) {
  const curve = r.curve.map((point) => ({ ...point, memory: point.fits ? 'fits' : 'out of memory' }));
  const marks = [
    Plot.line(curve, { x: 'batch', y: 'total_tokens_per_s', stroke: '#3b82f6', strokeWidth: 2 }),
    Plot.dot(curve, { x: 'batch', y: 'total_tokens_per_s', stroke: '#3b82f6', fill: (p) => (p.fits ? '#3b82f6' : 'white'), r: 4,
      title: (p) => `batch ${p.batch}: ${p.total_tokens_per_s.toFixed(0)} tok/s total, ${p.tokens_per_s.toFixed(1)} per sequence, ${p.memory}` }),
  ];
  if (r.max_batch >= 1) {
    marks.push(Plot.ruleX([r.max_batch], { stroke: '#d1242f', strokeDasharray: '4,3' }));
    marks.push(Plot.text([{ x: r.max_batch }], { x: 'x', frameAnchor: 'top', text: () => `memory limit: batch ${formatCount(r.max_batch)}`, dx: 4, textAnchor: 'start', fill: '#d1242f' }));
  }
  return Plot.plot({
    ...plotDefaults, width: 680, height: 320, marginLeft: 60,
    x: { type: 'log', label: 'batch (sequences) →', grid: true },
    y: { type: 'log', label: '↑ total tokens/s', grid: true },
    marks,
  });
}

function calibrationPlot(points) {
  const values = points.flatMap((p) => [p.measured_tokens_per_s, p.predicted_tokens_per_s]);
  const lo = Math.min(...values) / 1.5;
  const hi = Math.max(...values) * 1.5;
  return Plot.plot({
    ...plotDefaults, width: 520, height: 360, marginLeft: 60,
    x: { type: 'log', label: 'predicted tokens/s (ideal roofline) →', domain: [lo, hi], grid: true },
    y: { type: 'log', label: '↑ measured tokens/s', domain: [lo, hi], grid: true },
    color: { legend: true },
    marks: [
      Plot.line([{ v: lo }, { v: hi }], { x: 'v', y: 'v', strokeDasharray: '4,3', strokeOpacity: 0.5 }),
      Plot.dot(points, { x: 'predicted_tokens_per_s', y: 'measured_tokens_per_s', fill: 'hardware_id', r: 5, title: 'label' }),
      Plot.text(points, { x: 'predicted_tokens_per_s', y: 'measured_tokens_per_s', text: 'model_name', dy: -10, fontSize: 10 }),
    ],
  });
}

// The lab's own kernels as points on this machine's roofline: FLOPs and the
// bytes each kernel must at least move (attention: Q, K, V in and O out once;
// GEMV: the weight matrix once), measured in the same worker.
async function measureLabKernels() {
  const attention = await runInWorker('runAttention', { n: 1024, d: 64, heads: 1, variant: 'both', check_rows: 4 });
  const points = attention.variants.filter((variant) => !variant.refused && variant.seconds > 0).map((variant) => ({
    label: `attention ${variant.variant}, n = 1024, d = 64`,
    intensity: attention.flops / attention.input_bytes,
    flops_per_s: variant.gflop_per_s * 1e9,
  }));
  const gemv = await runInWorker('quantGemv', { rows: 2048, cols: 2048, group_size: 128, min_time_s: 0.05 });
  const flops = 2 * gemv.rows * gemv.cols;
  for (const kernel of gemv.kernels) {
    if (!(kernel.seconds_per_call > 0)) continue;
    points.push({ label: `GEMV ${kernel.kernel}, 2048²`, intensity: flops / kernel.weight_bytes, flops_per_s: flops / kernel.seconds_per_call });
  }
  return points;
}

function machinePlot(m, extraPoints) {
  const roofs = [];
  for (const kind of ['simd', 'scalar']) {
    const { bandwidth_bytes_per_s: bw, flops_per_s: peak } = m[kind];
    for (const x of [0.01, peak / bw, 1000]) roofs.push({ kind, x, y: Math.min(peak, x * bw) });
  }
  return Plot.plot({
    ...plotDefaults, width: 560, height: 340, marginLeft: 60,
    x: { type: 'log', label: 'arithmetic intensity (FLOP/byte) →', grid: true },
    y: { type: 'log', label: '↑ FLOP/s', grid: true },
    color: { legend: true },
    marks: [
      Plot.line(roofs, { x: 'x', y: 'y', stroke: 'kind', strokeWidth: 2 }),
      Plot.dot(extraPoints, { x: 'intensity', y: 'flops_per_s', fill: '#2da44e', r: 5, title: 'label' }),
      Plot.text(extraPoints, { x: 'intensity', y: 'flops_per_s', text: 'label', dy: -9, fontSize: 9 }),
    ],
  });
}

customElements.define('llm-plan-panel', PlanPanel);
