// KV cache panel: closed-form KV sizes (GQA/MQA/MLA, windows, sinks,
// interleaving, quantized, paged), one layer of the configuration measured in
// WASM beside the formula, a seeded paging simulation, and attention working
// memory and HBM traffic. Every number comes from the WASM core; inputs live
// in the URL as kv.<key>. This element keeps the state, the URL and the
// calculations; each section renders from its own module (kv-closed-form.js,
// kv-measured-view.js, kv-paging.js, kv-attention-memory.js).
import { css, html, nothing } from 'lit';

import '../components/plot-figure.js';
import '../components/result-table.js';
import { LazyExplanations } from '../components/explain-view.js';
import { numberField, selectField } from '../components/fields.js';
import { PanelElement, attempt } from '../components/panel-element.js';
import { panelStyles } from '../components/panel-styles.js';
import { RunController, runStatusStyles } from '../components/run-controller.js';
import { getFormsApi } from '../wasm.js';
import { kvAttentionMemorySection } from './kv-attention-memory.js';
import { kvClosedForm } from './kv-closed-form.js';
import { measuredRuns } from './kv-measured.js';
import { kvMeasuredSection } from './kv-measured-view.js';
import { kvPagingSection, panelMaxRequests } from './kv-paging.js';

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
  { key: 'indexer_dim', label: 'Sparse-attention indexer key dim (0 = none)', api: 'indexer_head_dim',
    help: 'DeepSeek-V3.2: 128, cached as 128 fp8 values + one fp32 scale (132 B) whatever the KV dtype' },
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
  indexer_dim: 0, batch: 1, prompt: 8192, generated: 0, group: 0, window: 0, sinks: 0, global_every: 0, attention_layers: 0,
  local_layers: 0, chunk: 0, chunked_layers: 0,
  block_size: 16, budget_gb: 40, max_tokens: 4096, mean: 1024, std: 1024, seed: 1, sram_kib: 192,
  measure_tokens: 4096, measure_steps: 8,
};

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
    this.api = await getFormsApi();
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
      nope_dim: shape.qk_nope_head_dim, v_dim: shape.v_head_dim, indexer_dim: shape.indexer_head_dim };
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
    if (v.variant !== 'mla') {
      input.kv_lora_rank = input.qk_rope_head_dim = input.qk_nope_head_dim = input.v_head_dim = input.indexer_head_dim = 0;
    }
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
    return kvClosedForm({ kv, compare, kvStale, pinned: this.pinnedResult, explain: this.explain, units: this.units,
      pinControls: this.renderPinControls() });
  }

  #measureError(key) {
    const message = this.runs.message;
    return message?.key === key ? message.text : null;
  }

  // One layer of the current configuration, decoded in the worker: each run is
  // one strategy or attention variant (see kv-measured.js).
  #runMeasured() {
    const plan = measuredRuns(this.values, this.result?.kv?.head_dim);
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
    return kvMeasuredSection({ controls: measureFields.map((f) => this.#number(f)), values: this.values,
      measured: this.measured, api: this.api, busy: this.runs.busy, onRun: () => this.#runMeasured(),
      status: this.runs.renderStatus({ text: (shown) => (shown.key ? `Not run: ${shown.text} (shown at its field above).` : shown.text) }) });
  }

  #renderSim() {
    const { sim, simMs, simStale } = this.result;
    const controls = html`${simFields.slice(0, 2).map((f) => this.#number(f))}
      ${this.#select('dist', 'Length distribution', distOptions)}
      ${simFields.slice(2).map((f) => this.#number(f))}
      ${this.#select('snapshot', 'Snapshot', snapshotOptions)}`;
    return kvPagingSection({ controls, sim, simMs, simStale, pinnedSim: this.pinnedResult?.sim, maxTokens: this.values.max_tokens });
  }

  #renderAttention() {
    const { attention, attentionStale, kv } = this.result;
    const controls = this.#number({ key: 'sram_kib', label: 'SRAM per SM (KiB)', help: 'A100: 192 KiB of L1/shared memory per SM' });
    return kvAttentionMemorySection({ controls, attention, attentionStale, pinnedAttention: this.pinnedResult?.attention, kv });
  }
}

customElements.define('llm-kv-cache-panel', KvCachePanel);
