// Model panel: parameters, weights memory and FLOPs of an architecture, from a
// preset, typed fields, or a pasted/dropped Hugging Face config.json.
import { html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import '../components/plot-figure.js';
import { formatRatio } from '../components/result-table.js';
import { explained } from '../components/explain-view.js';
import { checkField, log2RangeField, numberField, selectField } from '../components/fields.js';
import { PanelElement, attempt } from '../components/panel-element.js';
import { panelStyles } from '../components/panel-styles.js';
import { plotDefaults } from '../components/plot-figure.js';
import { formatBytes, formatCount, formatPercent, formatSI } from '../format.js';
import { importedId, importedModel, setImportedModel } from '../model-choices.js';
import { getFirstApi, getFormsApi } from '../wasm.js';

const defaults = { preset: 'llama-2-7b', context: 4096 };

// Every architecture knob, in form order. Numbers, choices and flags.
const numberFields = [
  { key: 'vocab_size', label: 'Vocabulary size' },
  { key: 'd_model', label: 'd_model (hidden size)' },
  { key: 'n_layers', label: 'Layers' },
  { key: 'n_heads', label: 'Attention heads' },
  { key: 'n_kv_heads', label: 'KV heads', help: 'Equal to heads: MHA; 1: MQA; in between: GQA' },
  { key: 'head_dim', label: 'Head dim (0 = d_model / heads)' },
  { key: 'd_ff', label: 'FFN width (dense layers)', help: 'Also the experts’ width when the expert width is 0 (Mixtral)' },
  { key: 'n_experts', label: 'Routed experts (1 = dense)' },
  { key: 'experts_top_k', label: 'Experts per token (top-k)' },
  { key: 'moe_d_ff', label: 'Expert width (0 = FFN width)', help: 'DeepSeek-V3: 2048; Qwen3-30B-A3B: 768' },
  { key: 'shared_experts', label: 'Shared experts', help: 'Run for every token (DeepSeek: 1, Llama 4: 1)' },
  { key: 'learned_position_embeddings', label: 'Learned positions (0 = RoPE)' },
  { key: 'sliding_window', label: 'Sliding window (0 = full)' },
];
const choiceFields = [
  { key: 'ffn', label: 'FFN', options: [{ value: 'gated', label: 'gated (SwiGLU/GeGLU, 3 matrices)' }, { value: 'plain', label: 'plain (2 matrices)' }] },
  { key: 'norm', label: 'Norm', options: [{ value: 'rms', label: 'RMSNorm (weight)' }, { value: 'layer', label: 'LayerNorm (weight + bias)' }] },
];
const flagFields = [
  { key: 'tied_embeddings', label: 'Tied input/output embeddings' },
  { key: 'qkv_bias', label: 'Q, K, V biases' },
  { key: 'attn_out_bias', label: 'Attention output bias' },
  { key: 'mlp_bias', label: 'MLP biases' },
  { key: 'parallel_attn_mlp', label: 'Parallel attention + MLP' },
  { key: 'parallel_shared_norm', label: 'Parallel block shares one norm' },
];

// URL text → typed value; anything unparsable is dropped (the preset value stays).
function parseUrlValue(kind, text, options) {
  if (text === null) return undefined;
  if (kind === 'number') {
    const value = Number(text);
    return text.trim() !== '' && Number.isFinite(value) ? value : undefined;
  }
  if (kind === 'flag') return text === '1' ? true : text === '0' ? false : undefined;
  return options.some((option) => option.value === text) ? text : undefined;
}

export class ModelPanel extends PanelElement {
  static panelId = 'model';
  /** The WASM module it runs on (web/src/wasm.js): the first-load module (getFirstApi). */
  static wasmModule = 'first';
  static stateKeys = ['preset', 'context', ...[...numberFields, ...choiceFields, ...flagFields].map((field) => field.key)];
  static properties = {
    config: { state: true },
    presetId: { state: true },
    context: { state: true },
    report: { state: true },
    error: { state: true },
    pinnedReport: { state: true },
    pinnedError: { state: true },
    importNote: { state: true },
    hfText: { state: true },
  };

  static styles = panelStyles;

  constructor() {
    super();
    this.presetId = defaults.preset;
    this.context = defaults.context;
    this.error = null;
    this.importNote = null;
    this.hfText = '';
  }

  async connectedCallback() {
    super.connectedCallback();
    // The first-load module answers everything this panel shows; the explain
    // views are the closed-forms module's, loaded when a figure is first opened.
    this.api = await getFirstApi();
    this.stateChanged();
  }

  #baseConfig(presetId) {
    return this.presets.find((preset) => preset.id === presetId)?.config ?? this.api.defaultModelConfig();
  }

  /** Typed inputs read through `read` (this.readState, or this.pinnedRead for the pinned configuration). */
  parseState(read) {
    const presetParam = read('preset');
    const preset = presetParam === 'custom' || this.presets.some((p) => p.id === presetParam) ? presetParam : defaults.preset;
    const config = { ...this.#baseConfig(preset) };
    for (const { key } of numberFields) config[key] = parseUrlValue('number', read(key)) ?? config[key];
    for (const { key, options } of choiceFields) config[key] = parseUrlValue('choice', read(key), options) ?? config[key];
    for (const { key } of flagFields) config[key] = parseUrlValue('flag', read(key)) ?? config[key];
    return { preset, context: parseUrlValue('number', read('context')) ?? defaults.context, ...config };
  }

  stateLabel(key) {
    const field = [...numberFields, ...choiceFields, ...flagFields].find((candidate) => candidate.key === key);
    return field?.label ?? { preset: 'Preset', context: 'Context' }[key] ?? key;
  }

  stateChanged() {
    if (!this.api) return;
    const { preset, context, ...config } = this.parseState((key) => this.readState(key));
    this.presetId = preset;
    this.config = config;
    this.context = context;
    const imported = importedModel(this.api);
    this.importNote = preset === importedId && imported && !imported.error
      ? { model_type: imported.model_type, assumed: imported.assumed, error: null }
      : imported?.error ? { error: imported.error } : null;
    this.#compute();
    this.#computePinned();
  }

  // Only what differs from the preset goes into the URL, so links stay short.
  #stateParams() {
    const base = this.#baseConfig(this.presetId);
    const params = { preset: this.presetId, context: this.context };
    for (const { key } of [...numberFields, ...choiceFields, ...flagFields]) {
      const value = this.config[key];
      const differs = value !== base[key] && !(Number.isNaN(value) && Number.isNaN(base[key]));
      params[key] = differs ? (typeof value === 'boolean' ? (value ? '1' : '0') : value) : null;
    }
    return params;
  }

  #writeUrl() {
    this.writeState(this.#stateParams());
  }

  /** Pins what is on screen, including an edit not yet committed. */
  snapshotState() {
    return Object.fromEntries(Object.entries(this.#stateParams()).filter(([, value]) => value !== null && !Number.isNaN(value)));
  }

  // The pinned configuration's report (null when nothing is pinned); its error is shown, not thrown.
  #computePinned() {
    // the preset is already folded into config
    ({ value: this.pinnedReport, error: this.pinnedError } = this.attemptPinned(({ preset, context, ...config }) =>
      this.api.modelReport(config, { context_tokens: context })));
  }

  // On an InputError the last good report stays on screen beside the error.
  #compute() {
    const { value, error } = attempt(() => this.api.modelReport(this.config, { context_tokens: this.context }));
    this.error = error;
    if (error) return;
    this.report = value;
    // Explanations of this report are computed when a figure is first opened.
    this.explainInput = { config: this.config, context: this.context };
    this.explanations = null;
  }

  #setField(key, value, commit) {
    this.config = { ...this.config, [key]: value };
    this.#compute();
    if (commit) this.#writeUrl();
  }

  #setContext(value, commit) {
    this.context = value;
    this.#compute();
    if (commit) this.#writeUrl();
  }

  #choosePreset(presetId) {
    this.presetId = presetId;
    this.config = { ...this.#baseConfig(presetId) };
    this.importNote = null;
    this.#compute();
    this.#writeUrl();
  }

  // The imported config becomes the model of every panel (and travels in the link).
  #importHf(text) {
    const { error } = attempt(() => setImportedModel(this.api, text));
    if (error) this.importNote = { error: error.message };
  }

  async #onDrop(event) {
    event.preventDefault();
    const file = event.dataTransfer?.files?.[0];
    if (!file) return;
    this.hfText = await file.text();
    this.#importHf(this.hfText);
  }

  /**
   * A function giving the explanation `id` of the shown report (for explained()):
   * a promise, since the explain views live in the closed-forms module, which the
   * first opened figure loads.
   */
  #explain(id) {
    return async () => {
      const input = this.explainInput;
      const calculator = await getFormsApi();
      // The report may have changed while the closed forms loaded: explain the one on screen.
      if (this.explanations?.input !== this.explainInput) {
        const { config, context } = this.explainInput;
        this.explanations = { input: this.explainInput, list: calculator.explainModel(config, { context_tokens: context }) };
      }
      return input === this.explainInput ? this.explanations.list.find((explanation) => explanation.id === id) : null;
    };
  }

  // Rows of the parameter table that have an explanation: parts by id, and the totals.
  #partExplanation(row) {
    const ids = { embedding: 'params.embedding', ffn: 'params.ffn', lm_head: 'params.lm_head' };
    if (row.id in ids) return this.#explain(ids[row.id]);
    if (row.label === 'Total') return this.#explain('params.total');
    if (row.count === this.report.params.active && row.label.startsWith('Active')) return this.#explain('params.active');
    return null;
  }

  #fieldError(key) {
    return this.error?.field === key ? this.error.message : null;
  }

  render() {
    if (!this.config) return html`<p class="note" role="status">Loading…</p>`;
    return html`
      <h2>Model</h2>
      <p class="intro">Where do a transformer's parameters live, how much memory do its weights take, and how
        much arithmetic does one token cost? Pick a published model or change any dimension: every number below is
        computed exactly from the architecture, and the plot shows how attention's share of the work grows with the
        context length. Click a figure with a dotted underline to see its formula with the numbers plugged in.</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Model architecture">
          ${this.#renderInputs()}
        </form>
        <section aria-live="polite">${this.renderPinControls()}${this.#renderResults()}</section>
      </div>`;
  }

  #renderInputs() {
    const presetOptions = [
      ...this.presets.map((preset) => ({ value: preset.id, label: preset.label })),
      { value: 'custom', label: 'Custom' },
    ];
    return html`
      <fieldset>
        <legend>Model</legend>
        ${selectField({ id: 'model-preset', label: 'Preset', value: this.presetId, options: presetOptions, requested: this.readState('preset'),
          onCommit: (value) => this.#choosePreset(value) })}
        ${numberField({ id: 'model-context', label: 'Context (tokens)', value: this.context, min: 1, step: 1, requested: this.readState('context'),
          error: this.#fieldError('context_tokens'),
          onInput: (value) => this.#setContext(value, false), onCommit: (value) => this.#setContext(value, true) })}
        ${log2RangeField({ id: 'model-context-slider', label: 'Context slider (powers of two)', value: this.context,
          minExponent: 0, maxExponent: 20,
          onInput: (value) => this.#setContext(value, false), onCommit: (value) => this.#setContext(value, true) })}
      </fieldset>
      <fieldset>
        <legend>Architecture</legend>
        ${numberFields.map(({ key, label, help }) => numberField({ id: `model-${key}`, label, help, value: this.config[key],
          min: 0, step: 1, error: this.#fieldError(key), requested: this.readState(key),
          onInput: (value) => this.#setField(key, value, false), onCommit: (value) => this.#setField(key, value, true) }))}
        ${choiceFields.map(({ key, label, options }) => selectField({ id: `model-${key}`, label, value: this.config[key], options, requested: this.readState(key),
          error: this.#fieldError(key), onCommit: (value) => this.#setField(key, value, true) }))}
        ${flagFields.map(({ key, label }) => checkField({ id: `model-${key}`, label, checked: this.config[key], requested: this.readState(key),
          onCommit: (value) => this.#setField(key, value, true) }))}
      </fieldset>
      <fieldset @dragover=${(event) => event.preventDefault()} @drop=${(event) => this.#onDrop(event)}>
        <legend>Hugging Face config.json</legend>
        <div class="field wide">
          <label for="model-hf-config">Paste or drop a config.json</label>
          <textarea id="model-hf-config" rows="5" spellcheck="false" .value=${this.hfText}
            @input=${(event) => { this.hfText = event.target.value; }}></textarea>
        </div>
        <div class="field wide">
          <label for="model-hf-file">…or choose a file</label>
          <input id="model-hf-file" type="file" accept=".json,application/json"
            @change=${async (event) => { const file = event.target.files[0]; if (file) { this.hfText = await file.text(); this.#importHf(this.hfText); } }} />
        </div>
        <button type="button" class="action" id="model-hf-import" @click=${() => this.#importHf(this.hfText)}>Import config.json</button>
        ${this.#renderImportNote()}
      </fieldset>`;
  }

  #renderImportNote() {
    const note = this.importNote;
    if (!note) return nothing;
    if (note.error) return html`<p class="field-error" role="alert" id="model-hf-error">${note.error}</p>`;
    return html`<p class="note" id="model-hf-result">Imported model_type "${note.model_type || 'unknown'}": now the model of
      every panel, and part of the link.
      ${note.assumed.length ? 'Assumed (not in the file):' : 'Every field was read from the file.'}</p>
      ${note.assumed.length ? html`<ul class="assumed">${note.assumed.map((item) => html`<li>${item}</li>`)}</ul>` : nothing}`;
  }

  #renderResults() {
    const report = this.report;
    if (!report) return html`<p class="error-banner" role="alert">${this.error?.message}</p>`;
    const { params, flops } = report;
    const crossover = report.crossover_context_tokens;
    const pinned = this.pinnedReport;
    return html`
      ${this.pinnedError ? html`<p class="error-banner" role="alert" id="model-pin-invalid">The pinned configuration is invalid
        (${this.pinnedError.message}); comparing is off until you pin again.</p>` : nothing}
      ${this.error ? html`<p class="error-banner" role="alert" id="model-error">${this.error.message}
        <br /><span class="note">Showing the last valid result.</span></p>` : nothing}
      <div class=${this.error ? 'stale' : ''}>
        <div class="headline">
          <div><div class="value" id="model-total-params">${explained(this.#explain('params.total'), formatCount(params.total))}</div><div class="label">parameters (${formatSI(params.total)})</div>
            ${pinned ? html`<div class="label" id="model-total-params-pinned">pinned ${formatCount(pinned.params.total)}: ${formatRatio(params.total / pinned.params.total)}</div>` : nothing}</div>
          ${params.active !== params.total ? html`<div><div class="value" id="model-active-params">${explained(this.#explain('params.active'), formatCount(params.active))}</div><div class="label">active per token</div></div>` : nothing}
          <div><div class="value" id="model-weights-fp16">${explained(this.#explain('weights.fp16'), formatBytes(report.weights_memory.find((row) => row.dtype === 'fp16')?.bytes, this.units))}</div><div class="label">weights at fp16</div></div>
          <div><div class="value" id="model-crossover">${explained(this.#explain('flops.crossover'), crossover === null ? 'none' : formatCount(crossover))}</div><div class="label">crossover context (tokens)</div></div>
        </div>
        <h3>Parameters</h3>
        <llm-result-table id="model-params-table" filename="parameters" caption="Parameters by part"
          .columns=${[
            { key: 'label', label: 'Part' },
            { key: 'per_layer', label: 'Per layer', numeric: true, format: (v) => (v ? formatCount(v) : '—') },
            { key: 'count', label: 'Total', numeric: true, format: (v, row, cell) => (cell?.pinned ? formatCount(v) : explained(this.#partExplanation(row), formatCount(v))) },
            { key: 'percent', label: 'Share', numeric: true, format: (v) => `${v.toFixed(2)} %` },
          ]}
          .rows=${paramRows(report)} .compare=${pinned ? paramRows(pinned) : null}></llm-result-table>
        ${params.layer_kinds.length > 1 || params.layer_kinds[0]?.kind.startsWith('MoE') ? html`
        <h3>Layers by kind</h3>
        <llm-result-table id="model-layers-table" filename="layer-kinds" caption="Each kind of layer: attention (MHA/GQA/MQA or MLA) and its span, dense or MoE FFN"
          .columns=${[
            { key: 'kind', label: 'Layer kind' },
            { key: 'count', label: 'Layers', numeric: true, ratio: false },
            { key: 'per_layer', label: 'Parameters per layer', numeric: true, format: formatCount },
            { key: 'per_layer_active', label: 'Active per layer', numeric: true, format: formatCount },
            { key: 'total', label: 'All layers of the kind', numeric: true, format: formatCount },
          ]}
          .rows=${params.layer_kinds}></llm-result-table>` : nothing}
        <h3>Weights memory</h3>
        <llm-result-table id="model-memory-table" filename="weights-memory" caption="Weights at plain storage types (no quantization scales)"
          .columns=${[
            { key: 'label', label: 'Type' },
            { key: 'bits', label: 'Bits', numeric: true, ratio: false },
            { key: 'bytes', label: 'Bytes', numeric: true, format: (v, row, cell) => (cell?.pinned ? formatCount(v) : explained(this.#explain(`weights.${row.dtype}`), formatCount(v))) },
            { key: 'gb', label: 'GB', numeric: true, value: (row) => row.bytes / 1e9, format: (v) => v.toFixed(2) },
            { key: 'gib', label: 'GiB', numeric: true, value: (row) => row.bytes / 2 ** 30, format: (v) => v.toFixed(2) },
          ]}
          .rows=${report.weights_memory} .compare=${pinned ? pinned.weights_memory : null}></llm-result-table>
        <h3>FLOPs per token</h3>
        <llm-result-table id="model-flops-table" filename="flops"
          caption=${`Decode one token at context ${formatCount(flops.context_tokens)}; causal prefill of ${formatCount(flops.context_tokens)} tokens`
            + (pinned && pinned.flops.context_tokens !== flops.context_tokens ? ` (pinned: context ${formatCount(pinned.flops.context_tokens)})` : '')}
          .columns=${[
            { key: 'part', label: 'Part' },
            { key: 'decode', label: 'Decode (FLOPs/token)', numeric: true, format: (v, row, cell) => (row.emphasis && !cell?.pinned ? explained(this.#explain('flops.decode'), formatSI(v)) : formatSI(v)) },
            { key: 'decode_share', label: 'Share', numeric: true, format: (v) => formatPercent(v) },
            { key: 'prefill', label: 'Prefill (FLOPs)', numeric: true, format: (v, row, cell) => (row.emphasis && !cell?.pinned ? explained(this.#explain('flops.prefill'), formatSI(v)) : formatSI(v)) },
            { key: 'prefill_share', label: 'Share', numeric: true, format: (v) => formatPercent(v) },
          ]}
          .rows=${flopRows(flops.decode_split, flops.prefill_split)}
          .compare=${pinned ? flopRows(pinned.flops.decode_split, pinned.flops.prefill_split) : null}></llm-result-table>
        <h3>Attention share of decode FLOPs vs context</h3>
        <llm-plot id="model-share-plot" filename="attention-share" caption=${`Attention (projections + scores) as a fraction of decode FLOPs per token; the rule marks where attention equals the FFN${pinned ? '; dashed grey: the pinned configuration' : ''}`}
          .build=${() => sharePlot(report, pinned)} .buildKey=${JSON.stringify([report.config, pinned?.config ?? null])}
          .decorate=${(figure) => decorateSharePlot(figure, report)}></llm-plot>
        <p class="note">Crossover: decode attention FLOPs (Q, K, V, O projections plus QKᵀ and AV over the context)
          equal FFN FLOPs at ${crossover === null ? 'no context (a sliding window caps attention below the FFN)' : html`<strong>${formatCount(crossover)}</strong> tokens`}.
          Prefill counts the n(n+1)/2 query–key pairs of a causal mask.</p>
      </div>`;
  }
}

function paramRows(report) {
  const { params } = report;
  return [...params.parts, { label: 'Total', per_layer: params.per_layer, count: params.total, percent: 100, emphasis: true },
    ...(params.active !== params.total ? [{ label: 'Active per token (top-k experts)', per_layer: params.per_layer_active, count: params.active, percent: (params.active / params.total) * 100 }] : [])];
}

function flopRows(decode, prefill) {
  const parts = [
    ['Attention projections (Q, K, V, O)', 'attention_projections'],
    ['Attention scores (QKᵀ, AV)', 'attention_scores'],
    ['FFN (active experts + router)', 'ffn'],
    ['LM head', 'lm_head'],
  ];
  const rows = parts.map(([part, key]) => ({
    part, decode: decode[key], decode_share: decode[key] / decode.total,
    prefill: prefill[key], prefill_share: prefill[key] / prefill.total,
  }));
  rows.push({ part: 'Total', decode: decode.total, decode_share: 1, prefill: prefill.total, prefill_share: 1, emphasis: true });
  return rows;
}

// The curve depends on the architecture only, so it is built once per config
// (and pinned config); the current context is a dot moved by decorateSharePlot
// (a slider stays fast). A pinned report's curve is drawn dashed and grey.
function sharePlot(report, pinned) {
  const curve = report.attention_share_curve;
  const marks = [
    ...(pinned ? [Plot.line(pinned.attention_share_curve, { x: 'context_tokens', y: 'attention_share', stroke: '#8b949e',
      strokeWidth: 2, strokeDasharray: '5,4', className: 'pinned-curve' })] : []),
    Plot.line(curve, { x: 'context_tokens', y: 'attention_share', stroke: '#3b82f6', strokeWidth: 2, tip: true }),
    Plot.ruleY([0.5], { strokeOpacity: 0.2 }),
  ];
  if (report.crossover_context_tokens >= 1) {
    marks.push(Plot.ruleX([report.crossover_context_tokens], { stroke: '#d1242f', strokeDasharray: '4,3' }));
  }
  return Plot.plot({
    ...plotDefaults,
    width: 640, height: 300, marginLeft: 50,
    x: { type: 'log', label: 'context (tokens)', grid: true },
    y: { label: 'attention share', domain: [0, 1], tickFormat: '.0%', grid: true },
    marks,
  });
}

function decorateSharePlot(figure, report) {
  const svg = figure.tagName.toLowerCase() === 'svg' ? figure : figure.querySelector('svg');
  if (!svg || typeof figure.scale !== 'function') return;
  let dot = svg.querySelector('circle.current-context');
  if (!dot) {
    dot = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
    dot.setAttribute('class', 'current-context');
    dot.setAttribute('r', '4');
    dot.setAttribute('fill', 'currentColor');
    svg.append(dot);
  }
  const { decode_split: split, context_tokens: context } = report.flops;
  const [low, high] = figure.scale('x').domain;
  const x = figure.scale('x').apply(Math.min(high, Math.max(low, context)));
  const y = figure.scale('y').apply(split.attention / split.total);
  dot.setAttribute('cx', String(x));
  dot.setAttribute('cy', String(y));
}

customElements.define('llm-model-panel', ModelPanel);
