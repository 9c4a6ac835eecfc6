// The KV cache panel: closed-form KV sizes (variants, windows, sinks, MLA,
// quantized, paged), a seeded paging simulation, and attention working memory
// and HBM traffic. Every number comes from the WASM core; inputs live in the
// URL as kv.<field>.
import { LitElement, css, html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import { getApi } from '../wasm.js';
import { readParam, writeParams } from '../url-state.js';

const dtypes = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'];

// Controls in display groups. `key` is the URL name (kv.<key>) and the element id.
const groups = [
  { title: 'Model', fields: [
    { key: 'preset', label: 'Preset', kind: 'preset' },
    { key: 'layers', label: 'Layers', api: 'n_layers' },
    { key: 'heads', label: 'Query heads', api: 'n_heads' },
    { key: 'kv_heads', label: 'KV heads', api: 'n_kv_heads' },
    { key: 'head_dim', label: 'Head dim (0: d_model / heads)', api: 'head_dim' },
    { key: 'd_model', label: 'd_model', api: 'd_model' },
    { key: 'variant', label: 'Attention variant', kind: 'select',
      options: [['model', 'As the model (KV heads above)'], ['mha', 'MHA (KV heads = heads)'], ['mqa', 'MQA (1 KV head)'], ['mla', 'MLA (latent)']] },
    { key: 'kv_lora_rank', label: 'MLA latent rank', api: 'kv_lora_rank' },
    { key: 'rope_dim', label: 'MLA RoPE dim', api: 'qk_rope_head_dim' },
  ] },
  { title: 'Workload', fields: [
    { key: 'batch', label: 'Batch', api: 'batch' },
    { key: 'prompt', label: 'Prompt tokens', api: 'prompt_tokens' },
    { key: 'generated', label: 'Generated tokens', api: 'generated_tokens' },
  ] },
  { title: 'Storage and strategy', fields: [
    { key: 'kv_dtype', label: 'KV dtype', api: 'kv_dtype', kind: 'select', options: dtypes.map((d) => [d, d]) },
    { key: 'group', label: 'Quant group (0: per head vector)', api: 'quant_group' },
    { key: 'asymmetric', label: 'Zero point (asymmetric)', api: 'quant_asymmetric', kind: 'select', options: [['false', 'no'], ['true', 'yes']] },
    { key: 'window', label: 'Sliding window (0: none)', api: 'window' },
    { key: 'sinks', label: 'Attention sinks', api: 'sinks' },
    { key: 'global_every', label: 'Global layer every (0: none)', api: 'global_every' },
    { key: 'attention_layers', label: 'Layers with KV (0: all)', api: 'attention_layers' },
    { key: 'block_size', label: 'Page block size (tokens)', api: 'block_size' },
  ] },
];

const simFields = [
  { key: 'budget_gb', label: 'KV memory budget (GB)', api: 'budget_bytes' },
  { key: 'max_tokens', label: 'Naive reserves (tokens)', api: 'max_tokens' },
  { key: 'dist', label: 'Length distribution', api: 'distribution', kind: 'select',
    options: [['lognormal', 'lognormal (long tail)'], ['normal', 'normal'], ['uniform', 'uniform'], ['fixed', 'fixed']] },
  { key: 'mean', label: 'Mean length (tokens)', api: 'mean_tokens' },
  { key: 'std', label: 'Std of length (tokens)', api: 'std_tokens' },
  { key: 'snapshot', label: 'Snapshot', api: 'snapshot', kind: 'select',
    options: [['final', 'every sequence complete'], ['in_flight', 'mid-generation']] },
  { key: 'seed', label: 'Seed', api: 'seed' },
];

const attentionFields = [
  { key: 'sram_kib', label: 'SRAM per SM (KiB)', api: 'sram_bytes' },
];

const defaults = {
  preset: 'custom', layers: '32', heads: '32', kv_heads: '8', head_dim: '128', d_model: '4096', variant: 'model',
  kv_lora_rank: '0', rope_dim: '0', batch: '1', prompt: '8192', generated: '0', kv_dtype: 'fp16', group: '0',
  asymmetric: 'false', window: '0', sinks: '0', global_every: '0', attention_layers: '0', block_size: '16',
  budget_gb: '40', max_tokens: '4096', dist: 'lognormal', mean: '1024', std: '1024', snapshot: 'final', seed: '1',
  sram_kib: '192',
};

const allFields = [...groups.flatMap((g) => g.fields), ...simFields, ...attentionFields];

// Numbers: thousands separators; sizes in decimal GB and binary GiB.
const count = (x) => Math.round(x).toLocaleString('en-US');
const gb = (bytes) => (bytes / 1e9).toLocaleString('en-US', { maximumSignificantDigits: 4 });
const gib = (bytes) => (bytes / 2 ** 30).toLocaleString('en-US', { maximumSignificantDigits: 4 });
const pct = (fraction) => `${(100 * fraction).toFixed(2)} %`;

// Plot adds a <style> element to each SVG, which a strict CSP blocks; the same
// rules live in this element's static styles, so drop it before insertion.
function cspSafe(node) {
  for (const style of node.querySelectorAll('style')) style.remove();
  return node;
}

class KvCachePanel extends LitElement {
  static properties = {
    values: { state: true },
    errors: { state: true },
    presets: { state: true },
  };

  static styles = css`
    :host { display: block; }
    .intro { max-width: 60rem; }
    form { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0.5rem 1.5rem; }
    fieldset { border: 1px solid #8884; border-radius: 6px; padding: 0.5rem 0.75rem; }
    .field { display: grid; gap: 0.15rem; margin: 0.35rem 0; }
    label { font-size: 0.9rem; }
    input, select { font: inherit; padding: 0.2rem 0.3rem; max-width: 100%; }
    input[aria-invalid='true'], select[aria-invalid='true'] { border: 2px solid #b00020; }
    .error { color: #b00020; font-size: 0.85rem; }
    table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.2rem 0.6rem; border-bottom: 1px solid #8884; text-align: right; }
    th:first-child, td:first-child { text-align: left; }
    .plot svg { display: block; height: auto; max-width: 100%; }
    .plot text, .plot tspan { white-space: pre; }
    .plot figure { margin: 0; }
    .plot h2 { font-size: 1rem; margin: 0.5rem 0 0.25rem; }
    /* Plot's own legend rules (dropped with its <style>, see cspSafe). */
    .plot-d6a7b5-swatches { font-family: system-ui, sans-serif; font-size: 10px; margin-bottom: 0.5em; }
    .plot-d6a7b5-swatch > svg { margin-right: 0.5em; overflow: visible; }
    .plot-d6a7b5-swatches-wrap { display: flex; align-items: center; min-height: 33px; flex-wrap: wrap; }
    .plot-d6a7b5-swatches-wrap .plot-d6a7b5-swatch { display: inline-flex; align-items: center; margin-right: 1em; }
    .note { font-size: 0.9rem; max-width: 60rem; }
    section { margin-top: 1.5rem; }
    @media (prefers-color-scheme: dark) {
      .error { color: #ff8a80; }
      input[aria-invalid='true'], select[aria-invalid='true'] { border-color: #ff8a80; }
    }
  `;

  constructor() {
    super();
    this.values = { ...defaults };
    this.errors = {};
    this.presets = [];
    this.result = null;
    this.onPopState = () => { this.readUrl(); this.compute(); };
  }

  async connectedCallback() {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    this.api = await getApi();
    this.presets = typeof this.api.modelPresets === 'function' ? this.api.modelPresets() : [];
    this.readUrl();
    this.compute();
  }

  disconnectedCallback() {
    window.removeEventListener('popstate', this.onPopState);
    super.disconnectedCallback();
  }

  // URL values are text; keep only those that look like their field (numbers,
  // or one of the options), so nothing odd reaches the inputs.
  readUrl() {
    const values = { ...defaults };
    for (const field of allFields) {
      const text = readParam(`kv.${field.key}`);
      if (text === null || text.length > 40) continue;
      if (field.kind === 'select') {
        if (field.options.some(([value]) => value === text)) values[field.key] = text;
      } else if (field.kind === 'preset') {
        values.preset = text;
      } else if (/^[-+0-9.eE]+$/.test(text) || /^nan$/i.test(text)) {
        values[field.key] = text;
      }
    }
    this.values = values;
  }

  onInput(key, value) {
    const values = { ...this.values, [key]: value };
    if (key === 'preset') Object.assign(values, this.presetValues(value));
    this.values = values;
    const params = {};
    for (const field of allFields) params[`kv.${field.key}`] = values[field.key] === defaults[field.key] ? null : values[field.key];
    writeParams(params);
    this.compute();
  }

  presetValues(id) {
    const preset = this.presets.find((p) => p.id === id);
    if (!preset) return {};
    const shape = this.api.kvShapeFromModel(preset.config);
    return {
      layers: String(shape.n_layers), heads: String(shape.n_heads), kv_heads: String(shape.n_kv_heads),
      head_dim: String(shape.head_dim), d_model: String(shape.d_model), window: String(shape.window),
    };
  }

  kvInput() {
    const v = this.values;
    const input = {};
    for (const field of groups.flatMap((g) => g.fields)) if (field.api) input[field.api] = v[field.key];
    if (v.variant === 'mha') input.n_kv_heads = v.heads;
    if (v.variant === 'mqa') input.n_kv_heads = '1';
    if (v.variant !== 'mla') { input.kv_lora_rank = '0'; input.qk_rope_head_dim = '0'; }
    input.quant_asymmetric = v.asymmetric === 'true';
    return input;
  }

  // Runs every calculation; an InputError lands next to the control it names.
  compute() {
    if (!this.api) return;
    const errors = {};
    const attempt = (fn, fieldToKey) => {
      try {
        return fn();
      } catch (error) {
        if (error.name !== 'InputError') throw error;
        const key = fieldToKey[error.field] ?? 'general';
        errors[key] = error.message;
        return null;
      }
    };
    const kvKeys = Object.fromEntries(groups.flatMap((g) => g.fields).filter((f) => f.api).map((f) => [f.api, f.key]));
    if (this.values.variant === 'mha') kvKeys.n_kv_heads = 'variant';
    const input = this.kvInput();
    const kv = attempt(() => this.api.kvCache(input), kvKeys);
    const compare = kv && attempt(() => this.api.kvCompare(input), kvKeys);

    let sim = null;
    let simMs = 0;
    if (kv) {
      const simKeys = { ...Object.fromEntries(simFields.map((f) => [f.api, f.key])), block_size: 'block_size' };
      const v = this.values;
      const budget = Number(v.budget_gb) * 1e9;
      const start = performance.now();
      sim = attempt(() => this.api.simulatePaging({
        budget_bytes: Number.isFinite(budget) && v.budget_gb.trim() !== '' ? budget : NaN, bytes_per_token: kv.bytes_per_token,
        max_tokens: v.max_tokens, distribution: v.dist, mean_tokens: v.mean, std_tokens: v.std, snapshot: v.snapshot,
        seed: v.seed, block_size: input.block_size === '0' ? 1 : input.block_size,
      }), simKeys);
      simMs = performance.now() - start;
    }
    const sram = Number(this.values.sram_kib) * 1024;
    const attention = kv && attempt(() => this.api.attentionMemory({
      n: kv.tokens, head_dim: kv.head_dim, heads: input.n_heads, batch: input.batch,
      sram_bytes: this.values.sram_kib.trim() === '' ? NaN : sram,
      series_max_n: Math.max(2 ** 20, 2 ** Math.ceil(Math.log2(Math.max(256, kv.tokens)))),
    }), { sram_bytes: 'sram_kib', n: 'prompt', head_dim: 'head_dim', heads: 'heads', batch: 'batch' });

    this.errors = errors;
    this.result = { kv, compare, sim, simMs, attention };
    this.requestUpdate();
  }

  renderField(field) {
    const id = `kv-${field.key}`;
    const error = this.errors[field.key];
    const value = this.values[field.key];
    const common = { id, invalid: error ? 'true' : 'false', describedby: error ? `${id}-error` : nothing };
    let control;
    if (field.kind === 'preset') {
      control = html`<select id=${id} aria-invalid=${common.invalid} aria-describedby=${common.describedby}
        @change=${(e) => this.onInput(field.key, e.target.value)}>
        <option value="custom" ?selected=${value === 'custom'}>custom</option>
        ${this.presets.map((p) => html`<option value=${p.id} ?selected=${value === p.id}>${p.label ?? p.id}</option>`)}
      </select>`;
    } else if (field.kind === 'select') {
      control = html`<select id=${id} aria-invalid=${common.invalid} aria-describedby=${common.describedby}
        @change=${(e) => this.onInput(field.key, e.target.value)}>
        ${field.options.map(([v, text]) => html`<option value=${v} ?selected=${value === v}>${text}</option>`)}
      </select>`;
    } else {
      control = html`<input id=${id} type="text" inputmode="decimal" .value=${value}
        aria-invalid=${common.invalid} aria-describedby=${common.describedby}
        @change=${(e) => this.onInput(field.key, e.target.value)} />`;
    }
    return html`<div class="field">
      <label for=${id}>${field.label}</label>
      ${control}
      ${error ? html`<span class="error" id=${`${id}-error`} role="alert">${error}</span>` : nothing}
    </div>`;
  }

  renderKvTables() {
    const { kv, compare } = this.result ?? {};
    if (!kv) return nothing;
    const batch = Number(this.values.batch);
    const row = (label, bytes) => html`<tr><td>${label}</td><td>${count(bytes)}</td><td>${gb(bytes)}</td><td>${gib(bytes)}</td></tr>`;
    return html`
      <p class="note">${count(kv.kv_layers)} layers keep KV: ${count(kv.global_layers)} global (all
        ${count(kv.global_cached_tokens)} tokens), ${count(kv.local_layers)} local (${count(kv.local_cached_tokens)} tokens).
        Storage: ${kv.layout}; ${kv.effective_bits_per_value.toFixed(3)} bits per value.</p>
      <table id="kv-table" aria-label="KV cache size">
        <thead><tr><th>KV cache</th><th>bytes</th><th>GB</th><th>GiB</th></tr></thead>
        <tbody>
          ${row('Per token (every KV layer)', kv.bytes_per_token)}
          ${row(`Per sequence (${count(kv.tokens)} tokens)`, kv.bytes_per_sequence)}
          ${row(`Total (batch ${count(batch)})`, kv.bytes)}
          ${kv.block_size > 0 ? row(`Paged, blocks of ${count(kv.block_size)} (waste ${pct(kv.paged_waste_fraction)})`, kv.paged_bytes) : nothing}
          ${kv.bytes !== kv.full_attention_bytes ? row('Same model, full attention', kv.full_attention_bytes) : nothing}
        </tbody>
      </table>
      ${compare ? html`
        <table id="kv-variants" aria-label="MHA, GQA, MQA comparison">
          <thead><tr><th>Variant (same layers, head dim)</th><th>bytes / token</th><th>total GB</th><th>vs MHA</th></tr></thead>
          <tbody>${compare.variants.map((v) => html`<tr><td>${v.label}</td><td>${count(v.bytes_per_token)}</td>
            <td>${gb(v.bytes)}</td><td>${v.ratio_to_first.toFixed(4)}×</td></tr>`)}</tbody>
        </table>
        <table id="kv-strategies" aria-label="Token-keeping strategies">
          <thead><tr><th>Strategy</th><th>per sequence GB</th><th>total GB</th><th>vs full</th></tr></thead>
          <tbody>${compare.strategies.map((s) => html`<tr><td>${s.label}</td><td>${gb(s.bytes_per_sequence)}</td>
            <td>${gb(s.bytes)}</td><td>${s.ratio_to_first.toFixed(4)}×</td></tr>`)}</tbody>
        </table>` : nothing}`;
  }

  renderSim() {
    const { sim, simMs } = this.result ?? {};
    return html`
      <section aria-labelledby="kv-sim-title">
        <h3 id="kv-sim-title">Paging simulation</h3>
        <p class="note">Requests with seeded random lengths are admitted first come, first served until the budget is full.
          Naive serving reserves the full context for each; paging (vLLM) hands out blocks as tokens arrive, so only the
          last block of a sequence is partly empty.</p>
        <form @submit=${(e) => e.preventDefault()}>
          <fieldset><legend>Request mix</legend>${simFields.map((f) => this.renderField(f))}</fieldset>
        </form>
        ${sim ? html`
          <p class="note" id="kv-sim-summary">${count(sim.requests_drawn)} requests drawn, mean ${sim.mean_length_tokens.toFixed(1)} tokens
            (std ${sim.std_length_tokens.toFixed(1)}, ${pct(sim.clipped_fraction)} clipped). Paged fits
            <strong>${sim.paged_vs_naive_sequences.toFixed(2)}×</strong> the sequences of naive preallocation
            ${sim.hit_request_limit ? '(stopped at the request limit)' : ''} — computed in ${simMs.toFixed(1)} ms.</p>
          <table id="kv-sim-table" aria-label="Paging simulation">
            <thead><tr><th>Scheme</th><th>sequences</th><th>reserved GB</th><th>used GB</th><th>waste</th></tr></thead>
            <tbody>${sim.schemes.map((s) => html`<tr><td>${s.label}</td><td>${count(s.sequences)}</td>
              <td>${gb(s.reserved_bytes)}</td><td>${gb(s.used_bytes)}</td><td>${pct(s.waste_fraction)}</td></tr>`)}</tbody>
          </table>
          <div class="plot" id="kv-sim-plot"></div>` : nothing}
      </section>`;
  }

  renderAttention() {
    const { attention } = this.result ?? {};
    return html`
      <section aria-labelledby="kv-attn-title">
        <h3 id="kv-attn-title">Attention working memory and HBM traffic</h3>
        <p class="note">Standard attention writes the N×N score matrix (fp32) to memory for every head; FlashAttention keeps
          tiles in on-chip SRAM and stores only a running max and sum per row. Traffic follows Dao et al. 2022 (Algorithm 0
          vs Algorithm 1): 4Nd + 4N² elements against 2Nd + T<sub>c</sub>(3Nd + 4N), with T<sub>c</sub> = N / ⌈M / 4d⌉.</p>
        <form @submit=${(e) => e.preventDefault()}>
          <fieldset><legend>Chip</legend>${attentionFields.map((f) => this.renderField(f))}</fieldset>
        </form>
        ${attention ? html`
          <table id="kv-attn-table" aria-label="Attention memory">
            <thead><tr><th>At N = ${count(this.result.kv.tokens)} (all heads, batch)</th><th>standard GB</th><th>FlashAttention GB</th></tr></thead>
            <tbody>
              <tr><td>Working memory beyond Q, K, V, O</td><td>${gb(attention.standard_scores_bytes)}</td><td>${gb(attention.flash_extra_bytes)}</td></tr>
              <tr><td>HBM traffic (fp16 elements)</td><td>${gb(attention.standard_hbm_bytes)}</td><td>${gb(attention.flash_hbm_bytes)}</td></tr>
            </tbody>
          </table>
          <p class="note">Blocks B<sub>c</sub> = ${count(attention.block_cols)}, B<sub>r</sub> = ${count(attention.block_rows)},
            T<sub>c</sub> = ${count(attention.column_blocks)} passes; standard moves ${attention.hbm_ratio.toFixed(2)}× the bytes.</p>
          <div class="plot" id="kv-attn-plot"></div>` : nothing}
      </section>`;
  }

  render() {
    return html`
      <h2>KV cache</h2>
      <p class="intro">While a model generates, it keeps the keys and values of every earlier token for every layer, so it
        need not recompute them: the KV cache. Its size is 2 · layers · KV heads · head dim · bytes per value · tokens ·
        batch, and it often outgrows the weights. Change the model, the context or the storage below and see how GQA,
        windows, sinks, MLA, quantization and paging change what must be held.</p>
      ${this.errors.general ? html`<p class="error" role="alert">${this.errors.general}</p>` : nothing}
      <form @submit=${(e) => e.preventDefault()}>
        ${groups.map((g) => html`<fieldset><legend>${g.title}</legend>${g.fields.map((f) => this.renderField(f))}</fieldset>`)}
      </form>
      ${this.renderKvTables()}
      <div class="plot" id="kv-plot"></div>
      ${this.renderSim()}
      ${this.renderAttention()}`;
  }

  updated() {
    const { kv, compare, sim, attention } = this.result ?? {};
    const root = this.renderRoot;
    const place = (id, make) => {
      const host = root.getElementById(id);
      if (host) host.replaceChildren(cspSafe(make()));
    };
    const width = Math.min(760, Math.max(320, this.clientWidth - 16));
    if (kv && compare) {
      place('kv-plot', () => Plot.plot({
        width, height: 320, marginLeft: 60,
        title: 'KV bytes per sequence vs context',
        x: { type: 'log', label: 'context (tokens)' },
        y: { type: 'log', label: 'KV bytes per sequence', grid: true },
        color: { legend: true },
        marks: [
          Plot.line(compare.series, { x: 'context', y: 'bytes_per_sequence', stroke: 'strategy', strokeWidth: 2 }),
          Plot.ruleX([kv.tokens], { strokeDasharray: '4 3' }),
        ],
      }));
    }
    if (sim) {
      place('kv-sim-plot', () => Plot.plot({
        width, height: 240, marginLeft: 60,
        title: 'Drawn request lengths',
        x: { label: 'tokens' },
        y: { label: 'requests', grid: true },
        marks: [
          Plot.rectY(sim.histogram, { x1: 'low', x2: 'high', y: 'count', fill: 'steelblue', inset: 0.5 }),
          Plot.ruleX([Number(this.values.max_tokens)], { stroke: 'currentColor', strokeDasharray: '4 3' }),
          Plot.ruleY([0]),
        ],
      }));
    }
    if (attention) {
      const rows = attention.series.flatMap((p) => [
        { n: p.n, bytes: p.standard_scores_bytes, what: 'standard: N×N scores' },
        { n: p.n, bytes: p.flash_extra_bytes, what: 'flash: row max + sum' },
        { n: p.n, bytes: p.standard_hbm_bytes, what: 'standard: HBM traffic' },
        { n: p.n, bytes: p.flash_hbm_bytes, what: 'flash: HBM traffic' },
      ]);
      place('kv-attn-plot', () => Plot.plot({
        width, height: 320, marginLeft: 60,
        title: 'Per head: working memory and HBM traffic vs N',
        x: { type: 'log', label: 'N (tokens)' },
        y: { type: 'log', label: 'bytes', grid: true },
        color: { legend: true },
        marks: [Plot.line(rows, { x: 'n', y: 'bytes', stroke: 'what', strokeWidth: 2 })],
      }));
    }
  }
}

customElements.define('llm-kv-cache-panel', KvCachePanel);
