// Quantization panel: how big a model is under a format (mixed precision
// too), and how wrong and how fast quantized weights are, measured in WASM.
import { css, html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import '../components/plot-figure.js';
import '../components/result-table.js';
import { LazyExplanations, explained } from '../components/explain-view.js';
import { checkField, numberField, selectField } from '../components/fields.js';
import { PanelElement, attempt } from '../components/panel-element.js';
import { panelStyles } from '../components/panel-styles.js';
import { RunController, runStatusStyles } from '../components/run-controller.js';
import { plotDefaults } from '../components/plot-figure.js';
import { formatBytes, formatCount, formatPercent } from '../format.js';
import { ERROR_BARS, noiseNote, ratioText, timingText } from '../timing-view.js';
import { importedId } from '../model-choices.js';
import { readParam } from '../url-state.js';
import { getFormsApi } from '../wasm.js';
import { defaultWorkers } from '../worker-pool.js';
import { parallelNotes } from '../parallel-view.js';
import { quantReferenceErrors } from '../../../lib/quant.js';

const defaults = {
  preset: 'llama-2-7b', format: 'int4', layout: 'group', group: 128, scale: 'fp16', dq: false,
  keep16: true, attn: '', ffn: '', dist: 'normal', n: 262144, seed: 1, workers: defaultWorkers(), compare: false,
};
const layouts = [
  { value: 'group', label: 'groups of g weights' },
  { value: 'channel', label: 'per channel (one scale per row of d_model)' },
  { value: 'tensor', label: 'per tensor (one scale)' },
];
const scaleDtypes = ['fp32', 'fp16', 'bf16'].map((value) => ({ value, label: value }));
// k-quants: how each 256-weight super-block is cut up (ggml-common.h).
const kquantLayouts = {
  q2_k: '16 sub-blocks of 16: 2-bit codes, 4-bit scales and mins',
  q3_k: '16 sub-blocks of 16: 3-bit codes, 6-bit signed scales',
  q4_k: '8 sub-blocks of 32: 4-bit codes, 6-bit scales and mins',
  q5_k: '8 sub-blocks of 32: 5-bit codes, 6-bit scales and mins',
  q6_k: '16 sub-blocks of 16: 6-bit codes, 8-bit signed scales',
};
// Today's checkpoint block formats: what one block holds (quant/microscaling.hpp).
const checkpointBlocks = {
  mxfp4: 'OCP MX (gpt-oss): 32 FP4 (E2M1) values share one E8M0 scale, a power of two.',
  nvfp4: 'NVIDIA NVFP4: 16 FP4 (E2M1) values share one FP8 (E4M3) scale; one fp32 scale per tensor on top.',
  fp8_block: 'DeepSeek-V3: FP8 (E4M3) values, one fp32 scale per 128 × 128 tile; the lab reads its tensor as rows of d_model.',
};
const dists = [
  { value: 'normal', label: 'N(0, 1)' },
  { value: 'laplace', label: 'Laplace (unit variance)' },
  { value: 'llm', label: 'LLM-like: 0.5 % of channels ×20' },
];

const parseNumber = (text) => (text !== null && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined);
const percent = (value) => (Number.isFinite(value) ? `${(value * 100).toFixed(3)} %` : '—');
// A 32-bit output hash (lib/parallel.js compares runs by them) as 8 hex digits.
const hex = (hash) => hash.toString(16).padStart(8, '0');

export class QuantPanel extends PanelElement {
  static panelId = 'quant';
  static stateKeys = Object.keys(defaults);
  static properties = {
    state: { state: true },
    size: { state: true },
    pinnedSize: { state: true },
    pinnedError: { state: true },
    lab: { state: true },
    reference: { state: true },
    gemv: { state: true },
    error: { state: true },
  };

  static styles = [panelStyles, runStatusStyles, css`
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; margin: 0.5rem 0; }
    .two { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
    @media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
  `];

  constructor() {
    super();
    this.state = { ...defaults };
    this.error = null;
    this.explain = new LazyExplanations((input) => this.api.explainQuant(input));
    // Lab runs follow the inputs: one started while another runs waits for it (queue).
    this.labRuns = new RunController(this, { id: 'quant-lab', queue: true });
    this.referenceRuns = new RunController(this, { id: 'quant-reference' });
    this.gemvRuns = new RunController(this, { id: 'quant-gemv' });
    // Every panel is created at start-up, hidden but one: measure only when shown.
    this.visibility = new MutationObserver(() => { if (!this.hidden && this.labPending) this.#runLab(); });
  }

  async connectedCallback() {
    super.connectedCallback();
    this.visibility.observe(this, { attributes: true, attributeFilter: ['hidden'] });
    this.api = await getFormsApi();
    this.formats = this.api.quantFormats();
    this.decisions = this.api.quantDecisionMatrix();
    this.stateChanged();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.visibility.disconnect();
  }

  #format(id) {
    return this.formats.find((format) => format.id === id);
  }

  // Inputs from the URL (or, embedded, attributes), parsed defensively.
  stateChanged() {
    if (!this.api) return;
    this.state = this.parseState((key) => this.readState(key));
    this.#computeSize();
    // Compare: the pinned format (e.g. fp16 against int4), sized the same way; the lab runs stay current-only.
    ({ value: this.pinnedSize, error: this.pinnedError } = this.attemptPinned((state) => this.#sizeOf(state)));
    this.#runLab();
  }

  /** Typed inputs read through `read` (readState, or pinnedRead for the pinned configuration). */
  parseState(read) {
    const known = (id) => (this.#format(id) ? id : undefined);
    const text = (name) => read(name);
    const flag = (name) => ({ 1: true, 0: false })[text(name)];
    return {
      preset: this.presets.some((p) => p.id === text('preset')) ? text('preset') : defaults.preset,
      format: known(text('format')) ?? defaults.format,
      layout: layouts.some((l) => l.value === text('layout')) ? text('layout') : defaults.layout,
      group: parseNumber(text('group')) ?? defaults.group,
      scale: scaleDtypes.some((s) => s.value === text('scale')) ? text('scale') : defaults.scale,
      dq: flag('dq') ?? defaults.dq,
      keep16: flag('keep16') ?? defaults.keep16,
      attn: known(text('attn')) ?? '',
      ffn: known(text('ffn')) ?? '',
      dist: dists.some((d) => d.value === text('dist')) ? text('dist') : defaults.dist,
      n: parseNumber(text('n')) ?? defaults.n,
      seed: parseNumber(text('seed')) ?? defaults.seed,
      workers: parseNumber(text('workers')) ?? defaults.workers,
      compare: flag('compare') ?? defaults.compare,
    };
  }

  stateLabel(key) {
    return { preset: 'Model', format: 'Format', layout: 'Layout', group: 'Group size', scale: 'Scale type', dq: 'Double quantization',
      keep16: 'Embeddings and LM head at fp16', attn: 'Attention format', ffn: 'FFN format', workers: 'Workers',
      compare: 'Time one worker too' }[key] ?? super.stateLabel(key);
  }

  #params() {
    const params = {};
    for (const [key, value] of Object.entries(this.state)) {
      params[key] = value === defaults[key] ? null : typeof value === 'boolean' ? (value ? '1' : '0') : value;
    }
    return params;
  }

  #writeUrl() {
    this.writeState(this.#params());
  }

  snapshotState() {
    return Object.fromEntries(Object.entries(this.#params()).filter(([, value]) => value !== null && value !== undefined && value !== ''));
  }

  #set(changes, { commit = true, measure = true } = {}) {
    this.state = { ...this.state, ...changes };
    this.#computeSize();
    if (measure) this.#runLab();
    if (commit) this.#writeUrl();
  }

  // Rows (channels) are d_model long: the input width of most weight matrices.
  #spec(state = this.state) {
    const { preset, format, layout, group, scale, dq } = state;
    const channel_size = this.presets.find((p) => p.id === preset)?.config.d_model ?? 4096;
    return { format, layout, group_size: group, channel_size, scale_dtype: scale, double_quant: dq };
  }

  /** The quantSize input for `state`. */
  #sizeInput(state) {
    const { preset, keep16, attn, ffn } = state;
    return {
      config: this.presets.find((p) => p.id === preset).config,
      ...this.#spec(state),
      embedding_format: keep16 ? 'fp16' : '',
      lm_head_format: keep16 ? 'fp16' : '',
      attention_format: attn,
      ffn_format: ffn,
    };
  }

  /** The size of the weights under `state` (throws InputError). */
  #sizeOf(state) {
    return this.api.quantSize(this.#sizeInput(state));
  }

  // On an InputError the last good size stays on screen beside the error.
  #computeSize() {
    const input = this.#sizeInput(this.state);
    const { value, error } = attempt(() => this.api.quantSize(input));
    this.error = error;
    if (error) return;
    this.size = value;
    this.explain.set(input);
  }

  // The lab follows the inputs; a result for inputs since changed is
  // replaced by the run queued behind it.
  #runLab() {
    this.labPending = this.hidden;
    if (this.hidden) return;
    const format = this.#format(this.state.format);
    if (!format?.measured) {
      this.lab = { unavailable: `${format?.label ?? this.state.format} has sizes only: the lab has no kernel for it.` };
      return;
    }
    const { dist, n, seed } = this.state;
    this.labRuns.start({
      label: 'the lab', calls: [{ method: 'quantLab', input: { ...this.#spec(), dist, n, seed }, ...this.#split() }],
      follow: false,
      onResult: (lab) => {
        this.lab = lab;
        if (['n', 'seed', 'dist', 'workers'].includes(this.error?.field)) this.error = null;
      },
      onDone: () => null,  // the result is the message
      onError: (error) => {  // shown at its field
        this.lab = null;
        this.error = error;
        return null;
      },
    });
  }

  #runReference() {
    const inputs = quantReferenceErrors.map((row) => ({
      format: row.format, group_size: row.group_size, scale_dtype: 'fp32', dist: 'normal', n: 1 << 20, seed: 1,
    }));
    const results = [];
    this.referenceRuns.start({
      label: 'the reference table', calls: inputs.map((input) => ({ method: 'quantLab', input })),
      onResult: (result) => { results.push(result); this.reference = results.slice(); },
      onDone: (all) => `Done: ${all.length} settings measured in a Web Worker.`,
    });
  }

  // The lab and GEMV split across the Workers (lib/parallel.js: by chunks of
  // 65,536 values, by rows); `compare`: each also timed on one worker.
  #split() {
    return { workers: this.state.workers, compare: this.state.compare };
  }

  #runGemv() {
    this.gemvRuns.start({
      label: 'GEMV', calls: [{ method: 'quantGemv', input: { rows: 2048, cols: 2048, group_size: 128, min_time_s: 0.05 }, ...this.#split() }],
      onResult: (gemv) => { this.gemv = gemv; },
      onDone: () => 'Done: five kernels measured in a Web Worker.',
    });
  }

  #fieldError(field) {
    return this.error?.field === field ? this.error.message : null;
  }

  render() {
    if (!this.formats) return html`<p class="note" role="status">Loading…</p>`;
    return html`
      <h2>Quantization</h2>
      <p class="intro">Quantization stores each weight in fewer bits plus a few shared scales. The size table shows
        what a chosen format costs for a whole model, overheads included; the lab below quantizes a random tensor
        right here in WebAssembly and measures how far the restored values land from the originals, and how fast a
        quantized matrix–vector product (the decode hot loop) runs.</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Quantization settings">${this.#renderInputs()}</form>
        <section aria-live="polite">${this.renderPinControls()}${this.#renderResults()}</section>
      </div>`;
  }

  #renderInputs() {
    const s = this.state;
    const format = this.#format(s.format);
    const formatOptions = this.formats.map((f) => ({ value: f.id, label: f.label }));
    const overrideOptions = [{ value: '', label: 'same as format' }, ...formatOptions];
    return html`
      <fieldset>
        <legend>Format</legend>
        ${selectField({ id: 'quant-format', label: 'Format', value: s.format, options: formatOptions, requested: this.readState('format'),
          error: this.#fieldError('format'), onCommit: (value) => this.#set({ format: value }) })}
        ${format?.grouped ? html`
          ${selectField({ id: 'quant-layout', label: 'Layout', value: s.layout, options: layouts, requested: this.readState('layout'),
            error: this.#fieldError('layout'), onCommit: (value) => this.#set({ layout: value }) })}
          ${s.layout === 'group' ? numberField({ id: 'quant-group', label: 'Group size (weights per scale)', value: s.group, min: 1, step: 1, requested: this.readState('group'),
            error: this.#fieldError('group_size'),
            onInput: (value) => this.#set({ group: value }, { commit: false, measure: false }),
            onCommit: (value) => this.#set({ group: value }) }) : nothing}
          ${selectField({ id: 'quant-scale', label: 'Scale dtype', value: s.scale, options: scaleDtypes, requested: this.readState('scale'),
            error: this.#fieldError('scale_dtype'), onCommit: (value) => this.#set({ scale: value }) })}
          ${checkField({ id: 'quant-dq', label: 'Double-quantize scales (QLoRA)', checked: s.dq, requested: this.readState('dq'), onCommit: (value) => this.#set({ dq: value }) })}`
        : html`<p class="note" id="quant-block-note">${format?.block_size > 0 ? `Fixed blocks of ${format.block_size} weights, ${format.block_bytes} bytes each.` : 'A plain cast: no scales.'}
            ${checkpointBlocks[format?.id] ?? ''}
            ${kquantLayouts[format?.id] ? `Super-block of ${kquantLayouts[format.id]}, one fp16 scale${format.zero_point ? ' and min scale' : ''} per block; the lab runs ggml's reference quantizer (a searched fit per sub-block).` : ''}</p>`}
      </fieldset>
      <fieldset>
        <legend>Model and mixed precision</legend>
        ${selectField({ id: 'quant-preset', label: 'Model', value: s.preset, requested: this.readState('preset'),
          options: this.presets.map((p) => ({ value: p.id, label: p.label })), onCommit: (value) => this.#set({ preset: value }, { measure: false }) })}
        ${checkField({ id: 'quant-keep16', label: 'Embeddings and LM head in fp16', checked: s.keep16, requested: this.readState('keep16'),
          onCommit: (value) => this.#set({ keep16: value }, { measure: false }) })}
        ${selectField({ id: 'quant-attn', label: 'Attention format', value: s.attn, options: overrideOptions, requested: this.readState('attn'),
          error: this.#fieldError('attention_format'), onCommit: (value) => this.#set({ attn: value }, { measure: false }) })}
        ${selectField({ id: 'quant-ffn', label: 'FFN format', value: s.ffn, options: overrideOptions, requested: this.readState('ffn'),
          error: this.#fieldError('ffn_format'), onCommit: (value) => this.#set({ ffn: value }, { measure: false }) })}
        <p class="note">Norm weights stay fp32, as llama.cpp stores them.</p>
      </fieldset>
      <fieldset>
        <legend>Lab tensor</legend>
        ${selectField({ id: 'quant-dist', label: 'Distribution', value: s.dist, options: dists, requested: this.readState('dist'),
          onCommit: (value) => this.#set({ dist: value }) })}
        ${numberField({ id: 'quant-n', label: 'Elements', value: s.n, min: 1, step: 1, error: this.#fieldError('n'), requested: this.readState('n'),
          onCommit: (value) => this.#set({ n: value }) })}
        ${numberField({ id: 'quant-seed', label: 'Seed', value: s.seed, min: 0, step: 1, error: this.#fieldError('seed'), requested: this.readState('seed'),
          onCommit: (value) => this.#set({ seed: value }) })}
      </fieldset>
      <fieldset>
        <legend>Workers</legend>
        ${numberField({ id: 'quant-workers', label: 'Workers', value: s.workers, min: 1, step: 1, error: this.#fieldError('workers'),
          requested: this.readState('workers'), onCommit: (value) => this.#set({ workers: value }),
          help: `Web Workers the lab and GEMV are split across, each with its own module: the lab by chunks of 65,536 values (one worker when a scale spans the tensor: per-tensor, NVFP4, double quantization), GEMV by rows; this machine reports ${defaultWorkers()} cores` })}
        ${checkField({ id: 'quant-compare', label: 'Time one worker too (speedup)', checked: s.compare, requested: this.readState('compare'),
          onCommit: (value) => this.#set({ compare: value }),
          help: 'Runs the lab and GEMV on one worker and on all, once untimed and then five times each, to measure the speedup: about 9× the work with 2 workers' })}
      </fieldset>`;
  }

  #renderResults() {
    const size = this.size;
    return html`
      ${this.error ? html`<p class="error-banner" role="alert" id="quant-error">${this.error.message}</p>` : nothing}
      ${this.pinnedError ? html`<p class="error-banner" role="alert" id="quant-pin-invalid">The pinned configuration is
        invalid (${this.pinnedError.message}); pin again to compare.</p>` : nothing}
      ${size ? this.#renderSize(size) : nothing}
      ${this.#renderLab()}
      ${this.#renderReference()}
      ${this.#renderGemv()}
      ${this.#renderDecisions()}`;
  }

  #renderSize(size) {
    return html`
      <div class="headline">
        <div><div class="value" id="quant-bits">${explained(this.explain.get('quant.bits_per_weight'), size.bits.bits_per_weight.toFixed(4))}</div><div class="label">bits per weight (${size.bits.formula})</div></div>
        <div><div class="value" id="quant-total-bytes">${explained(this.explain.get('quant.bytes'), formatBytes(size.bytes, 'GB'))}</div><div class="label">weights (${formatBytes(size.bytes, 'GiB')})</div></div>
        <div><div class="value" id="quant-saving">${explained(this.explain.get('quant.saving_vs_fp16'), formatPercent(size.saving_vs_fp16))}</div><div class="label">saved vs fp16 (${formatBytes(size.fp16_bytes, 'GB')})</div></div>
      </div>
      <llm-result-table id="quant-size-table" filename="quant-sizes" caption="Weights by component"
        .columns=${[
          { key: 'component', label: 'Component' },
          { key: 'format', label: 'Format' },
          { key: 'params', label: 'Parameters', numeric: true, format: formatCount },
          { key: 'bits_per_weight', label: 'Bits/weight', numeric: true, format: (v) => v.toFixed(4) },
          { key: 'gb', label: 'GB', numeric: true, value: (row) => row.bytes / 1e9, format: (v) => v.toFixed(3) },
          { key: 'gib', label: 'GiB', numeric: true, value: (row) => row.bytes / 2 ** 30, format: (v) => v.toFixed(3) },
          { key: 'share', label: 'Share', numeric: true, format: (v) => formatPercent(v) },
        ]}
        .rows=${sizeRows(size)} .compare=${this.pinnedSize ? sizeRows(this.pinnedSize) : null}
        .rowKey=${(row) => row.component}></llm-result-table>
      <p class="note"><a id="quant-plan-link" href=${planHref(this.state.preset, size.bits_per_weight)}>Plan a deployment
        with these weights</a>: the Plan panel with this model at ${size.bits_per_weight.toFixed(4)} bits per weight
        (the average above), for fit, latency and throughput on real hardware.</p>`;
  }

  #renderLab() {
    const lab = this.lab;
    return html`
      <h3>Measured error (this tensor, in your browser)</h3>
      ${this.labRuns.renderStatus()}
      ${lab?.unavailable ? html`<p class="note">${lab.unavailable}</p>` : nothing}
      ${lab && !lab.unavailable ? html`
        <div class="headline">
          <div><div class="value" id="quant-rel-rmse">${percent(lab.rel_rmse)}</div><div class="label">relative RMSE</div></div>
          <div><div class="value" id="quant-snr">${Number.isFinite(lab.snr_db) ? `${lab.snr_db.toFixed(2)} dB` : 'exact'}</div><div class="label">SNR</div></div>
          <div><div class="value">${lab.cosine.toFixed(6)}</div><div class="label">cosine</div></div>
          <div><div class="value">${lab.max_abs_error.toPrecision(3)}</div><div class="label">max |error|</div></div>
        </div>
        <p class="note">${lab.format}, ${formatCount(lab.n)} values of ${lab.dist}, ${lab.kernel} kernel,
          <span id="quant-lab-time">${timingText(lab.quantize_time)} per quantize → dequantize pass (median of
          ${lab.quantize_time.runs}, q1–q3)</span>. Non-finite inputs: ${lab.nonfinite_behaviour}.</p>
        <p class="note">Restored values, a hash per chunk of 65,536: <span id="quant-lab-hashes">${lab.chunk_hashes.map(hex).join(' ')}</span>.</p>
        ${parallelNotes([lab], { id: 'quant-lab-parallel', label: () => 'the lab',
          table: 'the pass time is the slowest worker\'s; the metrics are the whole tensor\'s, merged bit for bit; the histogram is re-binned from each worker\'s bins (a count may land one bin off)' })}
        ${noiseNote({ id: 'quant-lab-noise', timings: [[`the ${lab.format} pass`, lab.quantize_time]],
          onRunAgain: () => this.#runLab(), disabled: this.labRuns.busy })}
        <llm-plot id="quant-histogram" filename="quant-error-histogram" caption="Error x̂ − x: how the restored values miss"
          .build=${() => histogramPlot(lab)}></llm-plot>` : nothing}`;
  }

  #renderReference() {
    const mine = this.lab && !this.lab.unavailable ? this.lab : null;
    const rows = quantReferenceErrors.map((row, i) => ({
      setting: `${row.format} g${row.group_size}`, expected: row.rel_rmse, measured: this.reference?.[i]?.rel_rmse,
    }));
    if (mine) rows.push({ setting: `your choice: ${mine.format}${mine.group_size ? ` g${mine.group_size}` : ''} (${mine.dist})`, expected: undefined, measured: mine.rel_rmse, emphasis: true });
    return html`
      <h3>Reference errors on N(0, 1)</h3>
      <div class="actions">
        <button type="button" class="action secondary" id="quant-run-reference" @click=${() => this.#runReference()}
          ?disabled=${this.referenceRuns.busy}>Measure the reference table</button>
      </div>
      ${this.referenceRuns.renderStatus()}
      <llm-result-table id="quant-reference-table" filename="quant-reference" caption="Relative RMSE, round to nearest, fp32 scales, 2^20 values, seed 1"
        .columns=${[
          { key: 'setting', label: 'Format' },
          { key: 'expected', label: 'Reference', numeric: true, format: (v) => (v === undefined ? '—' : percent(v)) },
          { key: 'measured', label: 'Measured here', numeric: true, format: (v) => (v === undefined ? '—' : percent(v)) },
        ]}
        .rows=${rows}></llm-result-table>`;
  }

  #renderGemv() {
    const gemv = this.gemv;
    const f32 = gemv?.kernels.find((k) => k.kernel === 'f32');
    return html`
      <h3>Decode trade-off: bytes moved vs dequantization work</h3>
      <p class="note">Decoding one token multiplies every weight matrix by one vector, so it streams all the weights.
        Fewer bits move fewer bytes, but each weight must be unpacked and scaled first. Here: a 2048 × 2048 matrix, group 128.
        f32, int8 and int4 turn every weight into a float and multiply by the fp32 vector; int8x8 and int4x8 first
        quantize the vector to int8 per group and multiply integers (llama.cpp's Q8_0 × Q8_0 and Q4_0 × Q8_0 paths).</p>
      <div class="actions">
        <button type="button" class="action secondary" id="quant-run-gemv" @click=${() => this.#runGemv()} ?disabled=${this.gemvRuns.busy}>Measure GEMV</button>
      </div>
      ${this.gemvRuns.renderStatus()}
      ${gemv ? html`
        <llm-result-table id="quant-gemv-table" filename="quant-gemv"
          caption=${`Matrix–vector product, ${gemv.kernel} kernels: the median of ${f32.time.runs} timed samples per call (first to third quartile); speed vs f32 gives a ratio only where the two ranges do not overlap`}
          .columns=${[
            { key: 'kernel', label: 'Weights' },
            { key: 'bits_per_weight', label: 'Bits/weight', numeric: true, format: (v) => v.toFixed(2) },
            { key: 'weight_bytes', label: 'MB streamed', numeric: true, format: (v) => (v / 1e6).toFixed(2) },
            { key: 'seconds_per_call', label: 'Time per call: median (q1–q3)', numeric: true, format: (v, row) => timingText(row.time) },
            { key: 'vs_f32', label: 'Speed vs f32', value: (row) => (row === f32 ? '—' : ratioText(row.time, f32.time)), priority: 'key' },
            { key: 'gb_per_s', label: 'GB/s of weights (median)', numeric: true, format: (v) => v.toFixed(2) },
            { key: 'rel_rmse', label: 'Output error', numeric: true, format: percent, priority: 'key' },
            { key: 'output_hash', label: 'Output hash', format: hex },
          ]}
          .rows=${gemv.kernels}></llm-result-table>
        ${parallelNotes([gemv], { id: 'quant-gemv-parallel', label: () => 'GEMV',
          table: 'time per call is the slowest worker\'s rows; each worker times its rows for as long as one worker times all of them, so the whole run barely shortens: the per-call speedup is the kernels\'',
          extra: (p) => (p.kernel_speedups ? html` Time per call, one worker ÷ ${p.workers}:
            <span class="kernel-speedups">${Object.entries(p.kernel_speedups).map(([kernel, ratio]) => `${kernel} ${ratio.toFixed(2)}×`).join(', ')}</span>.` : nothing) })}
        ${noiseNote({ id: 'quant-gemv-noise', timings: gemv.kernels.map((k) => [k.kernel, k.time]),
          onRunAgain: () => this.#runGemv(), disabled: this.gemvRuns.busy })}
        <llm-plot id="quant-gemv-plot" filename="quant-gemv" caption=${`Time per call vs bytes of weights streamed; ${ERROR_BARS}`}
          .build=${() => gemvPlot(gemv)}></llm-plot>` : nothing}`;
  }

  #renderDecisions() {
    return html`
      <h3>Decision matrix</h3>
      <llm-result-table id="quant-decision-table" filename="quant-decisions" caption="Each row's quality claim is checked by the lab run named on the right"
        .columns=${[
          { key: 'technique', label: 'Technique' },
          { key: 'memory_saved', label: 'Memory saved vs fp16', numeric: true, format: (v) => formatPercent(v) },
          { key: 'compute_overhead', label: 'Compute overhead' },
          { key: 'quality', label: 'Quality (claim)' },
          { key: 'measure', label: 'Checked by' },
        ]}
        .rows=${this.decisions}></llm-result-table>
      <div class="actions">
        ${this.decisions.map((row) => html`<button type="button" class="action secondary"
          @click=${() => this.#set({ format: row.format, ...(row.group_size ? { group: row.group_size } : {}), scale: 'fp32', dist: 'normal' })}>
          Lab: ${row.technique}</button>`)}
      </div>`;
  }
}

function histogramPlot(lab) {
  const bins = lab.histogram_counts.map((count, i) => ({ x1: lab.histogram_edges[i], x2: lab.histogram_edges[i + 1], count }));
  return Plot.plot({
    ...plotDefaults,
    width: 640, height: 240, marginLeft: 60,
    x: { label: 'error x̂ − x' },
    y: { label: 'values', grid: true },
    marks: [Plot.rectY(bins, { x1: 'x1', x2: 'x2', y: 'count', fill: '#3b82f6', tip: true }), Plot.ruleY([0])],
  });
}

function gemvPlot(gemv) {
  const points = gemv.kernels.map((k) => ({ kernel: k.kernel, mb: k.weight_bytes / 1e6, us: k.seconds_per_call * 1e6,
    q1: k.time.q1_s * 1e6, q3: k.time.q3_s * 1e6 }));
  return Plot.plot({
    ...plotDefaults,
    width: 640, height: 260, marginLeft: 60,
    x: { label: 'MB of weights streamed per call', zero: true, grid: true },
    y: { label: 'µs per call', zero: true, grid: true },
    marks: [
      Plot.ruleX(points, { x: 'mb', y1: 'q1', y2: 'q3', stroke: '#1e3a8a', strokeWidth: 2, ariaDescription: 'error bar' }),
      Plot.dot(points, { x: 'mb', y: 'us', r: 5, fill: '#3b82f6', tip: true }),
      Plot.text(points, { x: 'mb', y: 'us', text: 'kernel', dy: -10 }),
    ],
  });
}

/** The Plan panel's address for a model at an average bits per weight (its weights_bits override). */
function planHref(preset, bitsPerWeight) {
  const params = new URLSearchParams({ panel: 'plan', 'plan.model': preset, 'plan.weights_bits': String(bitsPerWeight) });
  const imported = readParam('hf');  // an imported model travels with the link
  if (preset === importedId && imported !== null) params.set('hf', imported);
  return `?${params}`;
}

/** The size table's rows; the pinned rows match by component (the format column differs by design). */
function sizeRows(size) {
  return [...size.components, { component: 'Total', format: '', params: size.total_params,
    bits_per_weight: size.bits_per_weight, bytes: size.bytes, share: 1, emphasis: true }];
}

customElements.define('llm-quant-panel', QuantPanel);
