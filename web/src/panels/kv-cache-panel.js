// KV cache panel: closed-form KV sizes (GQA/MQA/MLA, windows, sinks,
// interleaving, quantized, paged), one layer of the configuration measured in
// WASM beside the formula, a seeded paging simulation, and attention working
// memory and HBM traffic. Every number comes from the WASM core; inputs live
// in the URL as kv.<key>.
import { css, html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import '../components/plot-figure.js';
import '../components/result-table.js';
import { LazyExplanations, explained } from '../components/explain-view.js';
import { numberField, selectField } from '../components/fields.js';
import { PanelElement, attempt } from '../components/panel-element.js';
import { panelStyles } from '../components/panel-styles.js';
import { RunController, runStatusStyles } from '../components/run-controller.js';
import { plotDefaults } from '../components/plot-figure.js';
import { formatBytes, formatCount, formatPercent } from '../format.js';
import { getApi } from '../wasm.js';
import { measuredRuns, measuredRows, measureHiddenDim } from './kv-measured.js';
import { ERROR_BARS, noiseNote, rateText } from '../timing-view.js';

const option = (value, label = value) => ({ value, label });

// Controls. `key` names the URL parameter (kv.<key>) and the element id (kv-<key>);
// `api` the input field the core reports errors against.
const modelFields = [
  { key: 'layers', label: 'Layers', api: 'n_layers' },
  { key: 'heads', label: 'Query heads', api: 'n_heads' },
  { key: 'kv_heads', label: 'KV heads', api: 'n_kv_heads', help: 'Equal to heads: MHA; 1: MQA; in between: GQA' },
  { key: 'head_dim', label: 'Head dim (0 = d_model / heads)', api: 'head_dim' },
  { key: 'd_model', label: 'd_model', api: 'd_model' },
];
const variantOptions = [option('model', 'As the model (KV heads)'), option('mha', 'MHA (KV heads = heads)'),
  option('mqa', 'MQA (1 KV head)'), option('mla', 'MLA latent (DeepSeek)')];
const mlaFields = [
  { key: 'kv_lora_rank', label: 'MLA latent rank', api: 'kv_lora_rank', help: 'DeepSeek-V2/V3: 512' },
  { key: 'rope_dim', label: 'MLA RoPE key dim', api: 'qk_rope_head_dim', help: 'DeepSeek-V2/V3: 64' },
  { key: 'nope_dim', label: 'MLA non-RoPE head dim', api: 'qk_nope_head_dim', help: 'DeepSeek-V3: 128 (for what an engine that does not absorb caches)' },
  { key: 'v_dim', label: 'MLA value head dim', api: 'v_head_dim', help: 'DeepSeek-V3: 128' },
];
const workloadFields = [
  { key: 'batch', label: 'Batch (sequences)', api: 'batch' },
  { key: 'prompt', label: 'Prompt tokens', api: 'prompt_tokens' },
  { key: 'generated', label: 'Generated tokens', api: 'generated_tokens' },
];
const dtypeOptions = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'].map((d) => option(d));
const storageFields = [
  { key: 'group', label: 'Quant group (0 = per head vector)', api: 'quant_group', help: 'int8/int4: values sharing one fp16 scale along head_dim' },
];
const strategyFields = [
  { key: 'window', label: 'Sliding window (0 = none)', api: 'window', help: 'Mistral-7B v0.1: 4096' },
  { key: 'sinks', label: 'Attention sinks', api: 'sinks', help: 'StreamingLLM: 4 first tokens kept besides the window' },
  { key: 'global_every', label: 'Global layer every (0 = none)', api: 'global_every', help: 'Gemma-2: 2 (alternating); Gemma-3: 6' },
  { key: 'local_layers', label: 'Sliding layers (0 = from the above)', api: 'local_layers', help: 'Exactly this many layers keep the window (gpt-oss-120b: 18 of 36)' },
  { key: 'chunk', label: 'Attention chunk (0 = none)', api: 'chunk', help: 'Llama 4: 8192; a chunked layer keeps at most one chunk' },
  { key: 'chunked_layers', label: 'Chunked layers', api: 'chunked_layers', help: 'Llama 4 Scout: 36 of 48 (every 4th layer is global)' },
  { key: 'attention_layers', label: 'Layers with KV (0 = all)', api: 'attention_layers', help: 'Hybrid models, e.g. Jamba: 4 of 32' },
  { key: 'block_size', label: 'Page block (tokens)', api: 'block_size', help: 'vLLM default: 16' },
];
const simFields = [
  { key: 'budget_gb', label: 'KV memory budget (GB)', api: 'budget_bytes' },
  { key: 'max_tokens', label: 'Naive reserves (tokens)', api: 'max_tokens', help: 'The context a pre-paging server reserves for every sequence' },
  { key: 'mean', label: 'Mean length (tokens)', api: 'mean_tokens' },
  { key: 'std', label: 'Std of length (tokens)', api: 'std_tokens' },
  { key: 'seed', label: 'Seed', api: 'seed' },
];
const measureFields = [
  { key: 'measure_tokens', label: 'Measured tokens (cap)', api: 'measure_tokens', help: 'The run decodes min(prompt + generated, this) tokens' },
  { key: 'measure_steps', label: 'Steps timed', api: 'sample_steps', help: 'Of the last 32 generated steps, this many are timed (evenly spaced)' },
];
const distOptions = [option('lognormal', 'lognormal (long tail)'), option('normal'), option('uniform'), option('fixed')];
const snapshotOptions = [option('final', 'every sequence complete'), option('in_flight', 'mid-generation')];
const numberKeys = [...modelFields, ...mlaFields, ...workloadFields, ...storageFields, ...strategyFields, ...simFields,
  ...measureFields, { key: 'sram_kib' }].map((f) => f.key);
const choiceKeys = { variant: variantOptions, kv_dtype: dtypeOptions, asymmetric: [option('no'), option('yes')],
  dist: distOptions, snapshot: snapshotOptions };

const defaults = {
  preset: 'llama-3-8b', variant: 'model', kv_dtype: 'fp16', asymmetric: 'no', dist: 'lognormal', snapshot: 'final',
  layers: 32, heads: 32, kv_heads: 8, head_dim: 128, d_model: 4096, kv_lora_rank: 0, rope_dim: 0, nope_dim: 0, v_dim: 0,
  batch: 1, prompt: 8192, generated: 0, group: 0, window: 0, sinks: 0, global_every: 0, attention_layers: 0,
  local_layers: 0, chunk: 0, chunked_layers: 0,
  block_size: 16, budget_gb: 40, max_tokens: 4096, mean: 1024, std: 1024, seed: 1, sram_kib: 192,
  measure_tokens: 4096, measure_steps: 8,
};

const panelMaxRequests = 20000;

const gb = (bytes) => (bytes / 1e9).toLocaleString('en-US', { maximumSignificantDigits: 4 });

const ratio = (value) => `${value.toFixed(4)}×`;
// GB and GiB are the same bytes, shown and exported in those units.
const bytesColumns = [
  { key: 'bytes', label: 'Bytes', numeric: true, format: formatCount },
  { key: 'gb', label: 'GB', numeric: true, value: (row) => row.bytes / 1e9, format: (v) => v.toLocaleString('en-US', { maximumSignificantDigits: 4 }) },
  { key: 'gib', label: 'GiB', numeric: true, value: (row) => row.bytes / 2 ** 30, format: (v) => v.toLocaleString('en-US', { maximumSignificantDigits: 4 }) },
];

/** The KV size rows; `id` matches the rows of a pinned configuration whatever their labels say. */
function kvRows(kv) {
  const rows = [
    { id: 'token', what: 'Per token (every KV layer)', bytes: kv.bytes_per_token },
    { id: 'sequence', what: `Per sequence (${formatCount(kv.tokens)} tokens)`, bytes: kv.bytes_per_sequence },
    { id: 'total', what: `Total (batch ${formatCount(kv.bytes / kv.bytes_per_sequence)})`, bytes: kv.bytes, emphasis: true },
  ];
  if (kv.block_size > 0) {
    rows.push({ id: 'paged', what: `Paged in blocks of ${formatCount(kv.block_size)} (waste ${formatPercent(kv.paged_waste_fraction, 2)})`, bytes: kv.paged_bytes });
  }
  if (kv.full_attention_bytes !== kv.bytes) rows.push({ id: 'full', what: 'The same model with full attention', bytes: kv.full_attention_bytes });
  if (kv.unabsorbed_bytes_per_token > 0) {
    rows.push({ id: 'unabsorbed', what: 'Per token in an engine that does not absorb MLA (per-head K and V, e.g. transformers)',
      bytes: kv.unabsorbed_bytes_per_token });
  }
  return rows;
}

function attentionRows(attention) {
  return [
    { what: 'Working memory beyond Q, K, V, O', standard: attention.standard_scores_bytes, flash: attention.flash_extra_bytes },
    { what: 'HBM traffic (fp16 elements)', standard: attention.standard_hbm_bytes, flash: attention.flash_hbm_bytes },
  ];
}

export class KvCachePanel extends PanelElement {
  static panelId = 'kv';
  // 'context' is an alias for embedding (<llm-kv-cache context="32768">): prompt = context − generated.
  static stateKeys = ['preset', 'context', ...numberKeys, ...Object.keys(choiceKeys)];
  static properties = {
    values: { state: true },
    result: { state: true },
    pinnedResult: { state: true },
    measured: { state: true },        // { runs, results, tokens } of the last run
  };

  static styles = [panelStyles, runStatusStyles, css`
    section.part { margin-top: 1.5rem; border-top: 1px solid var(--border, #d0d7de); padding-top: 0.5rem; }
    ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0.5rem 0 0; font-size: 0.85rem; }
    ul.legend li { display: inline-flex; align-items: center; gap: 0.35rem; }
    .swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 2px; }
    .swatch-0 { background: #4269d0; } .swatch-1 { background: #efb118; } .swatch-2 { background: #ff725c; }
    .swatch-3 { background: #3ca951; } .swatch-4 { background: #a463f2; } .swatch-5 { background: #9c6b4e; }
  `];

  constructor() {
    super();
    this.values = null;
    this.result = null;
    this.explain = new LazyExplanations((input) => this.api.explainKv(input));
    this.measured = null;
    this.runs = new RunController(this, { id: 'kv-measure' });
  }

  async connectedCallback() {
    super.connectedCallback();
    this.api = await getApi();
    this.stateChanged();
  }

  // The defaults with a model's KV shape (computed by the core from its layers) laid over them.
  #base(presetId) {
    const preset = this.presets.find((p) => p.id === presetId);
    if (!preset) return { ...defaults };
    const shape = this.api.kvShapeFromModel(preset.config);
    return { ...defaults, preset: presetId, variant: shape.kv_lora_rank > 0 ? 'mla' : 'model', layers: shape.n_layers,
      heads: shape.n_heads, kv_heads: shape.n_kv_heads, head_dim: shape.head_dim, d_model: shape.d_model, window: shape.window,
      sinks: shape.sinks, global_every: shape.global_every, attention_layers: shape.attention_layers, local_layers: shape.local_layers,
      chunk: shape.chunk, chunked_layers: shape.chunked_layers, kv_lora_rank: shape.kv_lora_rank, rope_dim: shape.qk_rope_head_dim,
      nope_dim: shape.qk_nope_head_dim, v_dim: shape.v_head_dim };
  }

  // State text (URL or attributes) is parsed, never inserted: numbers must be
  // finite, choices must be options.
  stateChanged() {
    if (!this.api) return;
    this.values = this.parseState((key) => this.readState(key));
    this.#compute();
    // Compare: the pinned inputs (e.g. MHA against GQA), computed the same way.
    const pinned = this.pinnedRead ? this.parseState(this.pinnedRead) : null;
    this.pinnedResult = pinned ? this.#evaluate(pinned, {}) : null;
  }

  /** Typed inputs read through `read` (readState, or pinnedRead for the pinned configuration). */
  parseState(read) {
    const presetParam = read('preset');
    const presetId = presetParam === 'custom' || this.presets.some((p) => p.id === presetParam) ? presetParam : defaults.preset;
    const values = { ...this.#base(presetId), preset: presetId };
    const number = (key) => {
      const text = read(key);
      const value = Number(text);
      return text !== null && text.trim() !== '' && Number.isFinite(value) ? value : undefined;
    };
    for (const key of numberKeys) values[key] = number(key) ?? values[key];
    if (number('context') !== undefined && number('prompt') === undefined) values.prompt = number('context') - values.generated;
    for (const [key, options] of Object.entries(choiceKeys)) {
      const text = read(key);
      if (options.some((o) => o.value === text)) values[key] = text;
    }
    return values;
  }

  stateLabel(key) {
    const field = [...modelFields, ...mlaFields, ...workloadFields, ...storageFields, ...strategyFields, ...simFields, ...measureFields]
      .find((candidate) => candidate.key === key);
    return field?.label ?? { preset: 'Preset', variant: 'Attention variant', kv_dtype: 'KV dtype', sram_kib: 'SRAM per SM (KiB)' }[key]
      ?? super.stateLabel(key);
  }

  snapshotState() {
    return Object.fromEntries(Object.entries(this.#params()).filter(([, value]) => value !== null && value !== undefined));
  }

  // Only what differs from the preset (or the defaults) is stored, so links stay short.
  #writeUrl() {
    this.writeState(this.#params());
  }

  #params() {
    const base = this.#base(this.values.preset);
    const params = { preset: this.values.preset === defaults.preset ? null : this.values.preset, context: null };
    for (const key of [...numberKeys, ...Object.keys(choiceKeys)]) {
      const value = this.values[key];
      params[key] = value === base[key] || (Number.isNaN(value) && Number.isNaN(base[key])) ? null : value;
    }
    return params;
  }

  #set(key, value, commit) {
    if (key === 'variant' && value === 'mla' && !(this.values.kv_lora_rank > 0)) {
      // DeepSeek-V2/V3's latent (512) and RoPE key (64) as a starting point.
      this.values = { ...this.values, variant: value, kv_lora_rank: 512, rope_dim: 64 };
    } else if (key !== 'preset') this.values = { ...this.values, [key]: value };
    else if (value === 'custom') this.values = { ...this.values, preset: value };  // keep the shape, free to edit
    else this.values = { ...this.#base(value), preset: value };
    this.#compute();
    if (commit) this.#writeUrl();
  }

  #kvInput(v) {
    const input = {};
    for (const f of [...modelFields, ...mlaFields, ...workloadFields, ...storageFields, ...strategyFields]) input[f.api] = v[f.key];
    input.kv_dtype = v.kv_dtype;
    input.quant_asymmetric = v.asymmetric === 'yes';
    if (v.variant === 'mha') input.n_kv_heads = v.heads;
    if (v.variant === 'mqa') input.n_kv_heads = 1;
    if (v.variant !== 'mla') input.kv_lora_rank = input.qk_rope_head_dim = input.qk_nope_head_dim = input.v_head_dim = 0;
    return input;
  }

  #compute() {
    this.result = this.#evaluate(this.values, this.result ?? {});
  }

  // Runs every calculation on inputs `v`. An InputError is kept with the control it names;
  // a part that fails keeps showing its last good result (from `previous`), dimmed.
  #evaluate(v, previous) {
    const errors = {};
    // The value, or null with the error filed under the control `keyOf` names.
    const tryPart = (fn, keyOf) => {
      const { value, error } = attempt(fn);
      if (error) errors[keyOf(error.field) ?? 'general'] = error.message;
      return value;
    };
    const kvKey = (field) => {
      if (field === 'n_kv_heads' && v.variant !== 'model') return 'variant';
      return [...modelFields, ...mlaFields, ...workloadFields, ...storageFields, ...strategyFields].find((f) => f.api === field)?.key;
    };
    const input = this.#kvInput(v);
    const kv = tryPart(() => this.api.kvCache(input), kvKey);
    if (kv) this.explain.set(input);
    const compare = kv && tryPart(() => this.api.kvCompare(input), kvKey);

    let sim = null;
    let simMs = 0;
    if (kv) {
      const start = performance.now();
      sim = tryPart(() => this.api.simulatePaging({
        budget_bytes: v.budget_gb * 1e9, bytes_per_token: kv.bytes_per_token, max_tokens: v.max_tokens,
        distribution: v.dist, mean_tokens: v.mean, std_tokens: v.std, snapshot: v.snapshot, seed: v.seed,
        block_size: Math.max(1, v.block_size),
        // Keeps the main thread under ~12 ms (100k requests take ~60 ms), so no worker is needed.
        max_requests: panelMaxRequests,
      }), (field) => (field === 'block_size' ? 'block_size' : simFields.find((f) => f.api === field)?.key));
      simMs = performance.now() - start;
    }
    const attention = kv && tryPart(() => this.api.attentionMemory({
      n: kv.tokens, head_dim: kv.head_dim, heads: v.heads, batch: v.batch, sram_bytes: v.sram_kib * 1024,
      series_max_n: Math.max(2 ** 20, 2 ** Math.ceil(Math.log2(Math.max(256, kv.tokens)))),
    }), (field) => ({ sram_bytes: 'sram_kib', n: 'prompt', head_dim: 'head_dim', heads: 'heads', batch: 'batch' })[field]);

    return {
      errors,
      kv: kv ?? previous.kv, compare: compare ?? previous.compare, kvStale: !kv || !compare,
      sim: sim ?? previous.sim, simMs, simStale: !sim,
      attention: attention ?? previous.attention, attentionStale: !attention,
    };
  }

  #number(field) {
    return numberField({ id: `kv-${field.key}`, label: field.label, help: field.help, value: this.values[field.key],
      min: 0, step: 'any', error: this.result?.errors[field.key] ?? this.#measureError(field.key), requested: this.readState(field.key),
      onInput: (value) => this.#set(field.key, value, false), onCommit: (value) => this.#set(field.key, value, true) });
  }

  #select(key, label, options) {
    return selectField({ id: `kv-${key}`, label, value: this.values[key], options, requested: this.readState(key),
      error: this.result?.errors[key] ?? this.#measureError(key),
      onCommit: (value) => this.#set(key, value, true) });
  }

  render() {
    if (!this.values) return html`<p class="note" role="status">Loading…</p>`;
    const { errors } = this.result;
    return html`
      <h2>KV cache</h2>
      <p class="intro">While a model generates, it keeps the keys and values of every earlier token in every layer so it
        need not recompute them: the KV cache. It takes 2 · layers · KV heads · head dim · bytes per value for each token
        of each sequence, and at long contexts or large batches it outgrows the weights. Change the model, the context or
        the storage and see what GQA, windows, sinks, MLA, quantization and paging save.</p>
      ${errors.general ? html`<p class="error-banner" role="alert">${errors.general}</p>` : nothing}
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="KV cache inputs">${this.#renderInputs()}</form>
        <section aria-live="polite">${this.#renderKv()}</section>
      </div>
      <section class="part" aria-labelledby="kv-measure-title">${this.#renderMeasured()}</section>
      <section class="part" aria-labelledby="kv-sim-title">${this.#renderSim()}</section>
      <section class="part" aria-labelledby="kv-attn-title">${this.#renderAttention()}</section>`;
  }

  #renderInputs() {
    const presetOptions = [...this.presets.map((p) => option(p.id, p.label ?? p.id)), option('custom', 'Custom')];
    return html`
      <fieldset>
        <legend>Model</legend>
        ${this.#select('preset', 'Preset', presetOptions)}
        ${modelFields.map((f) => this.#number(f))}
        ${this.#select('variant', 'Attention variant', variantOptions)}
        ${this.values.variant === 'mla' ? mlaFields.map((f) => this.#number(f)) : nothing}
      </fieldset>
      <fieldset>
        <legend>Workload</legend>
        ${workloadFields.map((f) => this.#number(f))}
      </fieldset>
      <fieldset>
        <legend>Storage</legend>
        ${this.#select('kv_dtype', 'KV dtype', dtypeOptions)}
        ${storageFields.map((f) => this.#number(f))}
        ${this.#select('asymmetric', 'Zero point (asymmetric)', choiceKeys.asymmetric)}
      </fieldset>
      <fieldset>
        <legend>Which tokens each layer keeps</legend>
        ${strategyFields.map((f) => this.#number(f))}
      </fieldset>`;
  }

  #renderKv() {
    const { kv, compare, kvStale } = this.result;
    if (!kv) return nothing;
    const curves = compare ? strategyCurves(compare) : null;
    const pinned = this.pinnedResult;
    const pinnedErrors = Object.values(pinned?.errors ?? {});
    return html`${this.renderPinControls()}
      ${pinnedErrors.length ? html`<p class="error-banner" role="alert" id="kv-pin-invalid">The pinned configuration is
        invalid (${pinnedErrors.join('; ')}); pin again to compare.</p>` : nothing}
      <div class=${kvStale ? 'stale' : ''}>
      <div class="headline">
        <div><div class="value" id="kv-per-token">${explained(this.explain.get('kv.bytes_per_token'), formatBytes(kv.bytes_per_token, this.units))}</div><div class="label">per token</div></div>
        <div><div class="value" id="kv-per-sequence">${explained(this.explain.get('kv.bytes_per_sequence'), formatBytes(kv.bytes_per_sequence, this.units))}</div><div class="label">per sequence</div></div>
        <div><div class="value" id="kv-total">${explained(this.explain.get('kv.bytes'), formatBytes(kv.bytes, this.units))}</div><div class="label">total</div></div>
        <div><div class="value">${kv.effective_bits_per_value.toFixed(3)}</div><div class="label">bits per value</div></div>
      </div>
      <p class="note">${formatCount(kv.kv_layers)} layers keep KV: ${formatCount(kv.global_layers)} global (all
        ${formatCount(kv.global_cached_tokens)} tokens), ${formatCount(kv.local_layers)} local
        (${formatCount(kv.local_cached_tokens)} tokens). Storage: ${kv.layout}.</p>
      <llm-result-table id="kv-table" filename="kv-cache" caption="KV cache size"
        .columns=${[{ key: 'what', label: 'KV cache' }, ...bytesColumns]} .rows=${kvRows(kv)}
        .compare=${pinned?.kv ? kvRows(pinned.kv) : null}></llm-result-table>
      ${compare ? html`
        <llm-result-table id="kv-variants" filename="kv-variants" caption="Attention variants (same layers, head dim, tokens)"
          .columns=${[{ key: 'label', label: 'Variant' },
            { key: 'bytes_per_token', label: 'Bytes / token', numeric: true, format: formatCount },
            { key: 'bytes', label: 'Total GB', numeric: true, format: gb },
            { key: 'ratio_to_first', label: 'vs MHA', numeric: true, format: ratio }]}
          .rows=${compare.variants} .compare=${pinned?.compare?.variants ?? null}></llm-result-table>
        <llm-result-table id="kv-strategies" filename="kv-strategies" caption="Which tokens are kept (same model)"
          .columns=${[{ key: 'label', label: 'Strategy' },
            { key: 'bytes_per_sequence', label: 'Per sequence GB', numeric: true, format: gb },
            { key: 'bytes', label: 'Total GB', numeric: true, format: gb },
            { key: 'ratio_to_first', label: 'vs full', numeric: true, format: ratio }]}
          .rows=${compare.strategies} .compare=${pinned?.compare?.strategies ?? null}></llm-result-table>
        ${legend('kv-plot-legend', curves.names)}
        <llm-plot id="kv-plot" filename="kv-vs-context"
          caption="KV bytes per sequence vs context (log–log); the dashed rule is the current context"
          .build=${() => contextPlot(kv, curves)}></llm-plot>` : nothing}
    </div>`;
  }

  #measureError(key) {
    const message = this.runs.message;
    return message?.key === key ? message.text : null;
  }

  // One layer of the current configuration, decoded in the worker: each run is
  // one strategy or attention variant (see kv-measured.js).
  #runMeasured() {
    const plan = measuredRuns(this.values);
    const partial = [];
    this.runs.start({
      label: 'decode', calls: plan.runs.map((run) => ({ method: 'runDecode', input: run.input })),
      onResult: (result) => {
        partial.push(result);
        this.measured = { ...plan, results: partial.slice() };
      },
      onDone: (results) => `Done: ${results.length} decode runs measured in a Web Worker.`,
      onError: (failure) => ({ text: failure.message, key: plan.keyOf(failure.field), atField: Boolean(plan.keyOf(failure.field)) }),
    });
  }

  #renderMeasured() {
    const tables = this.measured?.results.length ? measuredRows(this.api, this.measured) : null;
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
            ${measureFields.map((f) => this.#number(f))}
            <button type="button" class="action" id="kv-measure-run" ?disabled=${this.runs.busy}
              @click=${() => this.#runMeasured()}>Measure one layer</button>
          </fieldset>
        </form>
        <div aria-live="polite">
          <p class="note">The run decodes min(prompt + generated, ${formatCount(this.values.measure_tokens)}) =
            <strong id="kv-measure-tokens">${formatCount(measuredRuns(this.values).tokens)}</strong> tokens; the last
            ${formatCount(Math.min(32, measuredRuns(this.values).tokens))} are generated and ${formatCount(this.values.measure_steps)} of
            them are timed. The projections read a ${measureHiddenDim}-wide synthetic hidden state instead of d_model, so the
            time goes to the KV cache and attention, which this section measures.${this.values.variant === 'mla'
              ? html` <strong>MLA is not measured:</strong> the lab has no latent-attention kernel (it would cache one
                ${formatCount(this.values.kv_lora_rank)}-value latent per token and absorb the K/V up-projections into the
                query and output); the rows below measure MHA, GQA and MQA of the same heads and head dim.` : nothing}</p>
          ${this.runs.renderStatus({ text: (shown) => (shown.key ? `Not run: ${shown.text} (shown at its field above).` : shown.text) })}
          ${tables ? html`
            ${tables.strategies.length ? html`<llm-result-table id="kv-measured-table" filename="kv-measured"
              caption=${tables.caption}
              .columns=${[{ key: 'label', label: 'Strategy' },
                { key: 'stored', label: 'Kernel stores' },
                { key: 'measured_bytes', label: 'Measured (B)', numeric: true, format: formatCount, priority: 'key' },
                { key: 'predicted_bytes', label: 'Closed form (B)', numeric: true, format: formatCount },
                { key: 'shown_bytes', label: `Closed form at ${this.measured.dtype} (B)`, numeric: true,
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
              onRunAgain: () => this.#runMeasured(), disabled: this.runs.busy })}` : nothing}
        </div>
      </div>`;
  }

  #renderSim() {
    const { sim, simMs, simStale } = this.result;
    return html`
      <h3 id="kv-sim-title">Paging simulation</h3>
      <p class="intro">Requests with seeded random lengths are admitted first come, first served until the budget is full.
        A server without paging reserves the whole context for each one; paged allocation (vLLM) hands out blocks as tokens
        arrive, so only each sequence's last block is partly empty.</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Paging simulation inputs">
          <fieldset>
            <legend>Request mix</legend>
            ${simFields.slice(0, 2).map((f) => this.#number(f))}
            ${this.#select('dist', 'Length distribution', distOptions)}
            ${simFields.slice(2).map((f) => this.#number(f))}
            ${this.#select('snapshot', 'Snapshot', snapshotOptions)}
          </fieldset>
        </form>
        ${sim ? html`<div class=${simStale ? 'stale' : ''}>
          <p class="note" id="kv-sim-summary">${formatCount(sim.requests_drawn)} requests drawn, mean
            ${sim.mean_length_tokens.toFixed(1)} tokens (std ${sim.std_length_tokens.toFixed(1)},
            ${formatPercent(sim.clipped_fraction, 2)} clipped). Paged fits
            <strong>${sim.paged_vs_naive_sequences.toFixed(2)}×</strong> the sequences of naive preallocation${sim.hit_request_limit ? ` (admission stopped at the page's limit of ${formatCount(panelMaxRequests)} requests, before the budget was full; the CLI allows up to 10 million)` : ''}.
            <span class="timing">Computed in ${simMs.toFixed(1)} ms.</span></p>
          <llm-result-table id="kv-sim-table" filename="kv-paging" caption="Sequences in the budget and reserved memory that holds no token"
            .columns=${[{ key: 'label', label: 'Scheme' },
              { key: 'sequences', label: 'Sequences', numeric: true, format: formatCount },
              { key: 'reserved_bytes', label: 'Reserved GB', numeric: true, format: gb },
              { key: 'used_bytes', label: 'Used GB', numeric: true, format: gb },
              { key: 'waste_fraction', label: 'Waste', numeric: true, format: (x) => formatPercent(x, 2) }]}
            .rows=${sim.schemes} .compare=${this.pinnedResult?.sim?.schemes ?? null}></llm-result-table>
          <llm-plot id="kv-sim-plot" filename="kv-paging-lengths" caption="Drawn request lengths; the dashed rule is what naive serving reserves"
            .build=${() => lengthPlot(sim, this.values.max_tokens)}></llm-plot>
        </div>` : nothing}
      </div>`;
  }

  #renderAttention() {
    const { attention, attentionStale, kv } = this.result;
    return html`
      <h3 id="kv-attn-title">Attention working memory and HBM traffic</h3>
      <p class="intro">Standard attention writes the N×N score matrix (fp32) for every head; FlashAttention keeps tiles in
        on-chip SRAM and stores only a running max and sum per row. Traffic follows Dao et al. 2022: 4Nd + 4N² elements
        (Algorithm 0) against 2Nd + T<sub>c</sub>(3Nd + 4N) with T<sub>c</sub> = N / ⌈M / 4d⌉ (Algorithm 1).</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Attention memory inputs">
          <fieldset>
            <legend>Chip</legend>
            ${this.#number({ key: 'sram_kib', label: 'SRAM per SM (KiB)', help: 'A100: 192 KiB of L1/shared memory per SM' })}
          </fieldset>
        </form>
        ${attention ? html`<div class=${attentionStale ? 'stale' : ''}>
          <llm-result-table id="kv-attn-table" filename="attention-memory"
            caption=${`N = ${formatCount(kv.tokens)}, d = ${formatCount(kv.head_dim)}, all heads and sequences`}
            .columns=${[{ key: 'what', label: 'Quantity' },
              { key: 'standard', label: 'Standard GB', numeric: true, format: gb },
              { key: 'flash', label: 'FlashAttention GB', numeric: true, format: gb }]}
            .rows=${attentionRows(attention)}
            .compare=${this.pinnedResult?.attention ? attentionRows(this.pinnedResult.attention) : null}></llm-result-table>
          <p class="note">Blocks B<sub>c</sub> = ${formatCount(attention.block_cols)}, B<sub>r</sub> = ${formatCount(attention.block_rows)};
            T<sub>c</sub> = ${formatCount(attention.column_blocks)} passes over Q and O; standard attention moves
            <strong id="kv-attn-ratio">${attention.hbm_ratio.toFixed(2)}×</strong> the bytes.</p>
          ${legend('kv-attn-legend', attentionSeries)}
          <llm-plot id="kv-attn-plot" filename="attention-memory" caption="Per head: working memory and HBM traffic vs N (log–log)"
            .build=${() => attentionPlot(attention)}></llm-plot>
        </div>` : nothing}
      </div>`;
  }
}

// Line colours (Observable's categorical scheme). The legend is HTML in this
// panel, styled by class, since Plot's own legend needs a <style> the CSP blocks.
const palette = ['#4269d0', '#efb118', '#ff725c', '#3ca951', '#a463f2', '#9c6b4e'];

function legend(id, names) {
  return html`<ul class="legend" id=${id} aria-label="Legend">
    ${names.map((name, i) => html`<li><span class=${`swatch swatch-${i}`} aria-hidden="true"></span>${name}</li>`)}</ul>`;
}

function lines(data, { x, y, z }) {
  return [Plot.line(data, { x, y, stroke: z, strokeWidth: 2 })];
}

// Strategies with the same curve share one line and one legend entry ("A = B").
function strategyCurves(compare) {
  const byId = new Map();
  for (const p of compare.series) {
    if (!byId.has(p.strategy)) byId.set(p.strategy, []);
    byId.get(p.strategy).push(p.bytes_per_sequence);
  }
  const names = [];
  const keep = new Map();  // id → merged label
  for (const row of compare.strategies) {
    const curve = byId.get(row.id).join(',');
    const twin = [...keep.keys()].find((id) => byId.get(id).join(',') === curve);
    if (twin) keep.set(twin, `${keep.get(twin)} = ${row.label.toLowerCase()}`);
    else keep.set(row.id, row.label);
  }
  for (const label of keep.values()) names.push(label);
  const data = compare.series.filter((p) => keep.has(p.strategy)).map((p) => ({ ...p, strategy: keep.get(p.strategy) }));
  return { names, data };
}

function contextPlot(kv, curves) {
  return Plot.plot({
    ...plotDefaults,
    width: 680, height: 320, marginLeft: 60,
    x: { type: 'log', label: 'context (tokens)', grid: true },
    y: { type: 'log', label: 'KV bytes per sequence', grid: true },
    color: { domain: curves.names, range: palette },
    marks: [...lines(curves.data, { x: 'context', y: 'bytes_per_sequence', z: 'strategy' }),
      Plot.ruleX([kv.tokens], { strokeDasharray: '4,3' })],
  });
}

function lengthPlot(sim, maxTokens) {
  return Plot.plot({
    ...plotDefaults,
    width: 640, height: 240, marginLeft: 50,
    x: { label: 'request length (tokens)' },
    y: { label: 'requests', grid: true },
    marks: [
      Plot.rectY(sim.histogram, { x1: 'low', x2: 'high', y: 'count', fill: '#3b82f6', inset: 0.5 }),
      Plot.ruleX([maxTokens], { stroke: '#d1242f', strokeDasharray: '4,3' }),
      Plot.ruleY([0]),
    ],
  });
}

const attentionSeries = ['standard: N×N scores', 'flash: row max + sum', 'standard: HBM traffic', 'flash: HBM traffic'];

function attentionPlot(attention) {
  const rows = attention.series.flatMap((p) => [
    { n: p.n, bytes: p.standard_scores_bytes, what: 'standard: N×N scores' },
    { n: p.n, bytes: p.flash_extra_bytes, what: 'flash: row max + sum' },
    { n: p.n, bytes: p.standard_hbm_bytes, what: 'standard: HBM traffic' },
    { n: p.n, bytes: p.flash_hbm_bytes, what: 'flash: HBM traffic' },
  ]);
  return Plot.plot({
    ...plotDefaults,
    width: 680, height: 320, marginLeft: 60,
    x: { type: 'log', label: 'N (tokens)', grid: true },
    y: { type: 'log', label: 'bytes per head', grid: true },
    color: { domain: attentionSeries, range: palette },
    marks: lines(rows, { x: 'n', y: 'bytes', z: 'what' }),
  });
}

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

customElements.define('llm-kv-cache-panel', KvCachePanel);
