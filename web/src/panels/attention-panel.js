// Attention panel: real kernels measured in this browser, in a Web Worker.
// Prefill (naive n×n scores vs tiled online softmax), decode with each KV
// strategy, and the seed experiment — time, memory and error side by side,
// next to what the formulas predict.
import { html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import '../components/plot-figure.js';
import '../components/result-table.js';
import { checkField, numberField, selectField, textField } from '../components/fields.js';
import { PanelElement } from '../components/panel-element.js';
import { panelStyles } from '../components/panel-styles.js';
import { plotDefaults } from '../components/plot-figure.js';
import { RunController, runStatusStyles } from '../components/run-controller.js';
import { formatBytes, formatCount, formatSI } from '../format.js';
import { compareTimings, ERROR_BARS, noiseNote, ratioText, rateText, timingText } from '../timing-view.js';
import { getFormsApi } from '../wasm.js';
import { defaultWorkers } from '../worker-pool.js';
import { parallelNotes } from '../parallel-view.js';

const strategies = ['full', 'window', 'sinks', 'recompute', 'none', 'int8', 'int4'];
const defaults = {
  n: 2048, d: 64, heads: 1, workers: defaultWorkers(), compare: 0,
  prompt: 256, generated: 64, d_model: 768, decode_heads: 12, decode_kv_heads: 0, window: 64, sinks: 4,
  kv_layout: 'per_token', kv_group: 64, sample_steps: 16,
  seed_lengths: '512', seed_steps: 8,
};
// Fields kept in the URL as attention.<key>, with how to parse them.
const urlKeys = Object.keys(defaults);

function parseUrl(key, text) {
  if (text === null) return undefined;
  if (key === 'compare') return ['0', '1'].includes(text) ? Number(text) : undefined;
  if (key === 'kv_layout') return ['per_token', 'per_channel'].includes(text) ? text : undefined;
  if (key === 'seed_lengths') return /^\s*\d+(\s*,\s*\d+)*\s*$/.test(text) ? text : undefined;
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : undefined;
}

// Powers of two from 256 up to n (and n itself): a sweep whose progress shows.
function prefillSweep(n) {
  const sizes = [];
  for (let size = 256; size < n; size *= 2) sizes.push(size);
  sizes.push(n);
  return sizes;
}

const bytes = (value) => formatBytes(value, 'GiB');
// Tokens/s of a decode run: median run (slowest to fastest quartile). Browsers
// coarsen timers (Chromium: 5–100 µs); a tiny model's steps can sum to 0.
const tokensPerSecond = (value, row) => rateText(row.time, row.measured_steps);
// Tokens/s of a run's measured steps at a time t (for plots).
const rateAt = (row, seconds) => (seconds > 0 ? row.measured_steps / seconds : NaN);
const error = (value) => (value === 0 ? '0 (exact)' : value.toExponential(2));
// A decode step's time by part (time_split_s sums the measured steps; the parts add up to seconds).
const splitParts = [['projection', 'Projection'], ['store', 'Store'], ['recompute', 'Recompute'],
  ['dequantize', 'Dequantize'], ['attend', 'Attend']];
const splitColumns = splitParts.map(([part, label]) => ({
  key: `split_${part}`, label: `${label} (ms/step)`, numeric: true,
  value: (row) => (row.time_split_s[part] / row.measured_steps) * 1e3,
  format: (value) => value.toFixed(3),
}));


export class AttentionPanel extends PanelElement {
  static panelId = 'attention';
  static stateKeys = urlKeys;
  static properties = {
    values: { state: true },
    prefill: { state: true },
    decode: { state: true },
    seed: { state: true },
    timeSplit: { state: true },  // the decode table shows each step's time by part
  };

  static styles = [panelStyles, runStatusStyles];

  constructor() {
    super();
    this.values = { ...defaults };
    this.runs = new RunController(this, { id: 'attention' });
    this.prefill = null;
    this.decode = null;
    this.seed = null;
    this.timeSplit = false;
  }

  connectedCallback() {
    super.connectedCallback();
    this.stateChanged();
  }

  stateChanged() {
    const values = { ...defaults };
    for (const key of urlKeys) values[key] = parseUrl(key, this.readState(key)) ?? values[key];
    this.values = values;
  }

  #set(key, value, commit) {
    this.values = { ...this.values, [key]: value };
    if (commit) this.writeState({ [key]: Number.isNaN(value) ? null : value });
  }

  #fieldError(field) {
    const message = this.runs.message;
    return message?.field === field ? message.text : null;
  }

  // One experiment's runs, one call each, through the panel's run controller;
  // `store` keeps the results so far (a cancelled sweep keeps its rows).
  // `workers` above 1: each call split across that many workers (by heads).
  #start(kind, method, inputs, store, parallel = {}) {
    const partial = [];
    this.runs.start({
      label: kind, calls: inputs.map((input) => ({ method, input, ...parallel })),
      onResult: (result) => { partial.push(result); store(partial.slice()); },
      onDone: (results) => `Done: ${results.length} run${results.length === 1 ? '' : 's'} measured in a Web Worker.`,
    });
  }

  #runPrefill() {
    const { n, d, heads, workers, compare } = this.values;
    const sizes = Number.isFinite(n) && n >= 1 ? prefillSweep(n) : [n];
    this.#start('prefill', 'runAttention', sizes.map((size) => ({ n: size, d, heads, variant: 'both', check_rows: 16 })),
      (results) => { this.prefill = results; }, { workers, compare: compare === 1 });
  }

  async #runDecode() {
    // The closed form beside each row is computed here, on the main thread (microseconds).
    this.api ??= await getFormsApi();
    const v = this.values;
    const base = { prompt_tokens: v.prompt, generated_tokens: v.generated, d_model: v.d_model, heads: v.decode_heads,
      kv_heads: v.decode_kv_heads,
      cache_tokens: v.window, sinks: v.sinks, kv_layout: v.kv_layout, kv_group: v.kv_group, sample_steps: v.sample_steps };
    this.#start('decode', 'runDecode', strategies.map((strategy) => ({ ...base, strategy })),
      (results) => { this.decode = results; }, { workers: v.workers, compare: v.compare === 1 });
  }

  #runSeed() {
    const lengths = String(this.values.seed_lengths).split(',').map((text) => Number(text.trim()));
    this.#start('seed', 'seedExperiment', lengths.map((length) => ({ sequence_lengths: [length], sample_steps: this.values.seed_steps })),
      (results) => { this.seed = results; });
  }

  render() {
    return html`
      <h2>Attention</h2>
      <p class="intro">These numbers are measured, not calculated: real attention kernels, compiled to WebAssembly
        SIMD, run on random data in a background worker of this page. Compare standard attention, which stores an
        n×n table of scores, with the tiled (FlashAttention) kernel that never does; then decode a sequence with
        each way of keeping — or dropping — the KV cache, and see what each costs in time, memory and accuracy.</p>
      ${this.#renderRunStatus()}
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Attention experiments">
          ${this.#renderPrefillInputs()}
          ${this.#renderDecodeInputs()}
          ${this.#renderSeedInputs()}
        </form>
        <section aria-live="polite">
          ${this.#renderPrefill()}
          ${this.#renderDecode()}
          ${this.#renderSeed()}
        </section>
      </div>`;
  }

  #renderRunStatus() {
    return this.runs.renderStatus();
  }

  #number(key, label, options = {}) {
    const field = options.field ?? key;
    return numberField({ id: `attention-${key.replaceAll('_', '-')}`, label, value: this.values[key], min: options.min ?? 1, step: 1,
      help: options.help, error: this.#fieldError(field), requested: this.readState(key),
      onInput: (value) => this.#set(key, value, false), onCommit: (value) => this.#set(key, value, true) });
  }

  #renderPrefillInputs() {
    return html`<fieldset>
      <legend>Prefill: naive vs tiled</legend>
      ${this.#number('n', 'Sequence length n (sweep 256…n)')}
      ${this.#number('d', 'Head dimension d')}
      ${this.#number('heads', 'Heads')}
      ${this.#number('workers', 'Workers', { help: `Web Workers a run is split across, each with its own module: prefill by heads, decode by KV heads with their query heads (one worker per head at most); this machine reports ${defaultWorkers()} cores` })}
      ${checkField({ id: 'attention-compare', label: 'Time one worker too (speedup)', checked: this.values.compare === 1,
        requested: this.readState('compare'), onCommit: (checked) => this.#set('compare', checked ? 1 : 0, true),
        help: 'Runs each size on one worker and on all, once untimed and then five times each, to measure the speedup: about 9× the work with 2 workers' })}
      <button type="button" class="action" id="attention-run-prefill" ?disabled=${this.runs.busy}
        @click=${() => this.#runPrefill()}>Run prefill</button>
    </fieldset>`;
  }

  #renderDecodeInputs() {
    return html`<fieldset>
      <legend>Decode: KV-cache strategies</legend>
      ${this.#number('prompt', 'Prompt tokens', { min: 0, field: 'prompt_tokens' })}
      ${this.#number('generated', 'Generated tokens', { field: 'generated_tokens' })}
      ${this.#number('d_model', 'd_model')}
      ${this.#number('decode_heads', 'Heads', { field: 'heads' })}
      ${this.#number('decode_kv_heads', 'KV heads (0 = heads)', { min: 0, field: 'kv_heads', help: 'GQA: fewer KV heads than heads, shared by groups of query heads; 1: MQA' })}
      ${this.#number('window', 'Window / kept tokens', { min: 0, field: 'cache_tokens', help: 'window and sinks attend to these; recompute keeps their K/V and recomputes the rest' })}
      ${this.#number('sinks', 'Sink tokens', { min: 0 })}
      ${selectField({ id: 'attention-kv-layout', label: 'Quantized KV scales', value: this.values.kv_layout, requested: this.readState('kv_layout'),
        options: [{ value: 'per_token', label: 'per token (groups of channels)' }, { value: 'per_channel', label: 'per channel (groups of tokens)' }],
        error: this.#fieldError('kv_layout'), onCommit: (value) => this.#set('kv_layout', value, true) })}
      ${this.#number('kv_group', 'Quantization group')}
      ${this.#number('sample_steps', 'Steps measured (0 = all)', { min: 0 })}
      <p class="note">Split by KV heads across the Workers set under Prefill (with “Time one worker too”, the speedup).</p>
      <button type="button" class="action" id="attention-run-decode" ?disabled=${this.runs.busy}
        @click=${() => this.#runDecode()}>Run all strategies</button>
    </fieldset>`;
  }

  #renderSeedInputs() {
    return html`<fieldset>
      <legend>The seed experiment</legend>
      ${textField({ id: 'attention-seed-lengths', label: 'Sequence lengths (comma-separated)', value: this.values.seed_lengths,
        error: this.#fieldError('sequence_lengths'), requested: this.readState('seed_lengths'),
        onCommit: (value) => this.#set('seed_lengths', value, true) })}
      ${this.#number('seed_steps', 'Steps measured per run', { min: 0, field: 'sample_steps' })}
      <p class="note">Hidden 768, 12 heads × 64, half prompt and half generated, caches n, 4√n and 8 (as in the seed).
        Four runs per cache: the seed's algorithm, the window with its output, recompute and none (one run per n).
        512 takes seconds; 2048 with recompute and none takes much longer — that cost is the point.</p>
      <button type="button" class="action" id="attention-run-seed" ?disabled=${this.runs.busy}
        @click=${() => this.#runSeed()}>Run seed experiment</button>
    </fieldset>`;
  }

  #renderPrefill() {
    const results = this.prefill;
    if (!results?.length) return html`<h3>Prefill</h3><p class="note">Run the prefill sweep to measure both kernels.</p>`;
    const rows = results.flatMap((result) => result.variants.map((variant) => ({
      n: result.input.n, d: result.input.d, heads: result.input.heads, flops: result.flops, ...variant,
    })));
    const measured = rows.filter((row) => !row.refused);
    return html`<h3>Prefill: naive vs tiled (causal, fp32)</h3>
      <llm-result-table id="attention-prefill-table" filename="attention-prefill"
        caption="Measured in this browser; planned bytes come from the formula (inputs + workspace), peak from tracked allocations"
        .columns=${[
          { key: 'n', label: 'n', numeric: true, format: formatCount },
          { key: 'variant', label: 'Kernel' },
          { key: 'seconds', label: 'Time: median (q1–q3)', numeric: true, format: (v, row) => (row.refused ? 'refused' : timingText(row.time)) },
          { key: 'gflop_per_s', label: 'GFLOP/s', numeric: true, format: (v, row) => (row.refused ? '—' : v.toFixed(2)) },
          { key: 'bytes_needed', label: 'Planned (formula)', numeric: true, format: bytes },
          { key: 'peak_bytes', label: 'Peak (measured)', numeric: true, format: (v, row) => (row.refused ? '—' : bytes(v)) },
          { key: 'max_abs_error', label: 'max |Δ| vs fp64', numeric: true, format: (v, row) => (row.refused ? '—' : error(v)) },
          { key: 'head_output_hashes', label: 'Output hash per head (FNV-1a)', priority: 'secondary',
            format: (v, row) => (row.refused ? '—' : v.map((hash) => hash.toString(16).padStart(8, '0')).join(' ')) },
        ]}
        .rows=${rows}></llm-result-table>
      ${rows.some((row) => row.refused) ? html`<p class="note">${rows.find((row) => row.refused).refusal}</p>` : nothing}
      <ul class="note" id="attention-prefill-verdicts" aria-label="Tiled against naive">
        ${results.filter((result) => result.variants.every((v) => !v.refused) && result.variants.length === 2).map((result) => {
          const [naive, tiled] = result.variants;
          return html`<li>n = ${formatCount(result.input.n)}: ${compareTimings(tiled.time, naive.time, 'tiled', 'naive').text}.</li>`;
        })}</ul>
      ${parallelNotes(results, { id: 'attention-prefill-parallel', label: ({ input }) => `n = ${formatCount(input.n)}`,
        table: 'time and GFLOP/s in the table are the slowest worker\'s, peak bytes all workers\' together' })}
      ${noiseNote({ id: 'attention-prefill-noise', timings: measured.map((row) => [`${row.variant} at n = ${row.n}`, row.time]),
        onRunAgain: () => this.#runPrefill(), disabled: this.runs.busy })}
      <llm-plot id="attention-prefill-time-plot" filename="attention-prefill-time" caption=${`Time vs sequence length (log–log); ${ERROR_BARS}`}
        .build=${() => Plot.plot({ ...plotDefaults, x: { type: 'log', label: 'n (tokens)' }, y: { type: 'log', label: 'seconds' },
          color: { legend: true }, marks: [
            Plot.ruleX(measured, { x: 'n', y1: (row) => row.time.q1_s, y2: (row) => row.time.q3_s, stroke: 'variant', strokeWidth: 3, ariaDescription: 'error bar' }),
            Plot.line(measured, { x: 'n', y: 'seconds', stroke: 'variant', marker: 'circle' })] })}></llm-plot>
      <llm-plot id="attention-prefill-memory-plot" filename="attention-prefill-memory"
        caption="Peak bytes allocated (measured) vs n; dashed: the formula, inputs + n²·4 B for naive"
        .build=${() => Plot.plot({ ...plotDefaults, x: { type: 'log', label: 'n (tokens)' }, y: { type: 'log', label: 'bytes' },
          color: { legend: true }, marks: [
            Plot.line(rows, { x: 'n', y: 'bytes_needed', stroke: 'variant', strokeDasharray: '4 3' }),
            Plot.dot(measured, { x: 'n', y: 'peak_bytes', stroke: 'variant' })] })}></llm-plot>`;
  }

  #renderDecode() {
    const results = this.decode;
    if (!results?.length) return html`<h3>Decode</h3><p class="note">Run all strategies to decode the same synthetic sequence seven ways.</p>`;
    const rows = results.map((result) => {
      const closed = this.api?.decodeKvClosedForm(result);
      return { strategy: result.input.strategy, ...result, kv_predicted: closed?.predicted_bytes,
        kv_difference: closed?.difference_bytes, kv_note: closed?.note ?? '' };
    });
    const first = results[0];
    const full = results.find((result) => result.input.strategy === 'full');
    return html`<h3>Decode: one sequence, seven KV strategies</h3>
      ${checkField({ id: 'attention-decode-split', label: 'Time split per step: projection, store, recompute, dequantize, attend',
        checked: this.timeSplit, onCommit: (checked) => { this.timeSplit = checked; },
        help: 'The clock is read at every boundary between the parts of a measured step, so the parts add up to its time' })}
      <llm-result-table id="attention-decode-table" filename="attention-decode"
        caption=${`${first.input.prompt_tokens} prompt + ${first.input.generated_tokens} generated tokens, d_model ${first.input.d_model}, ${first.input.heads} heads, ${first.kv_heads} KV heads; error vs the full fp32 cache; closed form: the KV calculator for one layer`}
        .columns=${[
          { key: 'strategy', label: 'Strategy' },
          { key: 'tokens_per_s', label: 'Tokens/s: median (q1–q3)', numeric: true, format: tokensPerSecond, priority: 'key' },
          { key: 'vs_full', label: 'Speed vs full', value: (row) => (full && row !== full ? ratioText(row.time, full.time) : '—'), priority: 'key' },
          { key: 'attended_tokens', label: 'Keys attended', numeric: true, format: formatCount },
          { key: 'kv_bytes', label: 'KV bytes (measured)', numeric: true, format: formatCount },
          { key: 'kv_predicted', label: 'KV bytes (closed form)', numeric: true, format: (v) => (v === undefined ? '—' : formatCount(v)), priority: 'secondary' },
          { key: 'kv_difference', label: 'Measured − closed form', numeric: true, priority: 'secondary',
            format: (v, row) => (v === undefined ? '—' : `${formatCount(v)}${row.kv_note ? ' *' : ''}`) },
          { key: 'hidden_bytes', label: 'Hidden states', numeric: true, format: bytes },
          { key: 'recomputed_flops', label: 'Recomputed FLOPs', numeric: true, format: (v) => formatSI(v) },
          { key: 'max_abs_error', label: 'max |Δ|', numeric: true, format: error, priority: 'key' },
          { key: 'min_cosine', label: 'min cosine', numeric: true, format: (v) => v.toFixed(6), priority: 'key' },
          { key: 'kv_head_output_hashes', label: 'Output hash per KV head (FNV-1a)', priority: 'secondary',
            format: (v) => v.map((hash) => hash.toString(16).padStart(8, '0')).join(' ') },
          ...(this.timeSplit ? splitColumns : []),
        ]}
        .rows=${rows}></llm-result-table>
      ${rows.some((row) => row.kv_note) ? html`<ul class="note" id="attention-decode-notes" aria-label="What the closed form does not model">
        ${rows.filter((row) => row.kv_note).map((row) => html`<li>* ${row.strategy}: ${row.kv_note}.</li>`)}</ul>` : nothing}
      <p class="note">The closed form is the KV calculator of the KV cache panel for one layer: 2 · KV heads · head dim ·
        bytes per value for each token kept (fp32 here; int8/int4 with this run's groups and the kernel's fp32 scales).</p>
      ${parallelNotes(results, { id: 'attention-decode-parallel', label: ({ input }) => input.strategy,
        table: 'tokens/s and the time split in the table are the slowest worker\'s; KV, hidden-state and FLOP figures all workers\' together (each worker keeps the hidden states it projects from), peak bytes all workers\' together' })}
      ${noiseNote({ id: 'attention-decode-noise', timings: rows.map((row) => [row.strategy, row.time]),
        onRunAgain: () => this.#runDecode(), disabled: this.runs.busy })}
      <p class="note" id="attention-decode-rule">Speed vs full gives a ratio only where the two strategies' middle halves
        of ${first.time.runs} runs (q1–q3) do not overlap; otherwise the difference is within noise.</p>
      <llm-plot id="attention-decode-plot" filename="attention-decode-speed" caption=${`Tokens per second (measured, median run); ${ERROR_BARS}`}
        .build=${() => decodePlot(rows, 'tokens_per_s', 'tokens/s', true)}></llm-plot>
      <llm-plot id="attention-decode-memory-plot" filename="attention-decode-memory" caption="KV-cache bytes kept"
        .build=${() => decodePlot(rows.map((row) => ({ ...row, kv_mib: row.kv_bytes / 2 ** 20 })), 'kv_mib', 'MiB')}></llm-plot>
      <llm-plot id="attention-decode-error-plot" filename="attention-decode-error" caption="Output error vs the full fp32 cache (max |Δ|)"
        .build=${() => decodePlot(rows, 'max_abs_error', 'max |Δ|')}></llm-plot>`;
  }

  #renderSeed() {
    const results = this.seed;
    const lengths = String(this.values.seed_lengths).split(',').map((text) => Number(text.trim())).filter((n) => n >= 2);
    if (!results?.length) return html`<h3>The seed experiment</h3>${seedExplanation(lengths, null)}
      <p class="note">Run it to measure where the speed came from on this machine.</p>`;
    const rows = seedRows(results);
    const reading = seedReading(results);
    const flops = (value) => formatSI(value);
    return html`<h3>The seed experiment, like for like</h3>
      ${seedExplanation(lengths, results)}
      <llm-result-table id="attention-seed-table" filename="attention-seed"
        caption="Hidden 768, 12 heads × 64, every step ending with Wo as the seed's does; half prompt, half generated; a cache of W: the seed attends to the last W tokens plus the current one. Tokens/s: the measured steps of the median run, with the first to third quartile of the runs; vs the seed: a ratio only where the two spreads do not overlap; none is one run per n, shown on each of its rows. Error vs the full fp32 cache."
        .columns=${[
          { key: 'n', label: 'n', numeric: true },
          { key: 'cache', label: 'Cache W', priority: 'key' },
          { key: 'label', label: 'Strategy', priority: 'key' },
          { key: 'tokens_per_s', label: 'Tokens/s: median (q1–q3)', numeric: true, format: tokensPerSecond, priority: 'key' },
          { key: 'vs_seed', label: 'Speed vs the seed', priority: 'key' },
          { key: 'kv_bytes', label: 'KV bytes', numeric: true, format: bytes },
          { key: 'hidden_bytes', label: 'Hidden bytes', numeric: true, format: bytes },
          { key: 'flops_per_step', label: 'FLOPs/step', numeric: true, format: flops },
          { key: 'flops_q', label: 'Q', numeric: true, format: flops, priority: 'secondary' },
          { key: 'flops_kv', label: 'K/V projected', numeric: true, format: flops, priority: 'secondary' },
          { key: 'flops_attention', label: 'Attention', numeric: true, format: flops, priority: 'secondary' },
          { key: 'flops_output', label: 'Output (Wo)', numeric: true, format: flops, priority: 'secondary' },
          { key: 'max_abs_error', label: 'max |Δ| vs full', numeric: true, format: error, priority: 'key' },
          { key: 'min_cosine', label: 'min cosine', numeric: true, format: (v) => v.toFixed(6), priority: 'key' },
          { key: 'readme', label: 'Seed README tok/s (its machine)', priority: 'secondary' },
        ]}
        .rows=${rows}></llm-result-table>
      <p class="note" id="attention-seed-readme-note">The README column quotes the seed program's own figures at n = 2048 on
        its author's machine (Full 1.3–1.4, √n 7.8–12.3, O(1) 190–220 tokens/s), beside its algorithm's row; this
        browser's numbers differ in scale, the ratios are what carry over.</p>
      ${noiseNote({ id: 'attention-seed-noise', timings: rows.map((row) => [`${row.label}, n ${row.n}, cache ${row.cache}`, row.time]),
        onRunAgain: () => this.#runSeed(), disabled: this.runs.busy })}
      <llm-plot id="attention-seed-plot" filename="attention-seed-speed"
        caption=${`Tokens/s (log scale) by cache, one panel per n: the seed's algorithm, the window with its output, and the exact strategies; ${ERROR_BARS}`}
        .build=${() => seedPlot(rows.filter((row) => row.tokens_per_s > 0), { y: 'tokens_per_s', label: 'tokens/s (log)', type: 'log',
          bars: (row) => [rateAt(row, row.time.q3_s), rateAt(row, row.time.q1_s)] })}></llm-plot>
      <llm-plot id="attention-seed-error-plot" filename="attention-seed-error"
        caption="Worst cosine of the output vs the full cache: the seed and its window change the output; recompute and none do not"
        .build=${() => seedPlot(rows, { y: 'min_cosine', label: 'min cosine', type: 'linear' })}></llm-plot>
      <div class="note" id="attention-seed-reading">
        <p>Reading: the seed program keeps no K/V cache. Each step it projects K and V again for the last W tokens plus
          the current one, so its cost is set by how many tokens it re-projects; a small cache is faster because it
          re-projects fewer tokens, not because caching is cheap. The window below gives the same output from K/V
          projected once; recompute and none give the full cache's output exactly, and pay for it.</p>
        <ul>${reading.map((line) => html`<li>${line}</li>`)}</ul>
      </div>`;
  }
}

const seedStrategies = [['seed', 'seed (its algorithm)'], ['window', 'window W+1 (cached K/V)'],
  ['recompute', 'recompute W+1 (exact)'], ['none', 'none (exact; the seed\'s Full)']];
const cacheOrder = ['n', '4√n', '8'];

// One table row per (n, cache, strategy), n ascending as numbers.
function seedRows(results) {
  const all = results.flatMap((result) => result.rows)
    .sort((a, b) => a.sequence_length - b.sequence_length || cacheOrder.indexOf(a.cache_label) - cacheOrder.indexOf(b.cache_label));
  return all.flatMap((row) => seedStrategies.map(([key, label]) => {
    const run = row[key];
    return {
      ...run, n: row.sequence_length, cache: `${row.cache_label} = ${row.cache_tokens}`, cache_label: row.cache_label,
      strategy: key, label, vs_seed: key === 'seed' ? '—' : ratioText(run.time, row.seed.time),
      flops_q: run.flops_by_part.q_projection, flops_kv: run.flops_by_part.kv_projection,
      flops_attention: run.flops_by_part.attention, flops_output: run.flops_by_part.output,
      readme: key === 'seed' && row.readme_tokens_per_s_max > 0
        ? `${row.readme_tokens_per_s_min}–${row.readme_tokens_per_s_max}` : '',
    };
  }));
}

const percent = (part, whole) => `${((100 * part) / whole).toFixed(1)} %`;

// The seed's shapes (hidden 768 = 12 heads × 64) and its caches for a length n:
// n, ⌊4√n⌋ and 8 tokens, each attended plus the current one.
const seedHidden = 768;
const seedCaches = (n) => [['n', n], ['4√n', Math.floor(4 * Math.sqrt(n))], ['8', 8]];

// For someone who has not read the seed: what it did, why its small caches
// were faster, and what the like-for-like comparison shows. Before a run the
// counts come from the formulas; after it, the comparisons are measured and
// worded by the noise rule (compareTimings).
function seedExplanation(lengths, results) {
  const n = lengths.length ? Math.max(...lengths) : 2048;
  const caches = seedCaches(n);
  const perToken = 4 * seedHidden * seedHidden;  // K and V of one token: two 768×768 products, 2 FLOPs per multiply–add
  const attended = caches.map(([label, w]) => `${formatCount(Math.min(w + 1, n))} (${label})`).join(', ');
  const measured = results ? seedMeasuredSentences(results) : [];
  return html`<div class="note" id="attention-seed-explained">
    <p><strong>What the seed did.</strong> The project began from a small program (the "seed") that decoded with hidden
      size ${seedHidden} and 12 heads and compared three "KV cache" sizes — n, 4√n and 8 tokens — at n = 512, 1024 and
      2048. It reported that the smaller caches were much faster. But it kept no K and V at all: each step it took
      the stored hidden states of the last W tokens plus the current one, projected them to K and V again, and
      attended to them.</p>
    <p><strong>Why smaller looked faster.</strong> With a cache of W the seed attends to W + 1 tokens — at n =
      ${formatCount(n)}: ${attended} — and re-projects every one of them, ${formatSI(perToken)} FLOPs per token. Fewer
      tokens attended means less work, so the step is faster; it also means a different answer: attention over the last
      W + 1 tokens only (a sliding window), not over the whole sequence, which is why its cosine against the full cache
      falls below 1. The speed came from attending to fewer tokens, not from the cache being small.</p>
    <p><strong>The honest comparison</strong> holds the tokens attended fixed. For the same W + 1 tokens, the window
      strategy keeps their K and V cached and projects only the new token: the same output as the seed, without the
      re-projection. For the full answer, a cache of every token (the window with W = n) against the seed's "Full",
      which re-projects all n tokens every step (none). Recompute gives the exact answer from a small cache, and pays
      by re-projecting what it evicted.</p>
    ${measured.length ? html`<p><strong>Measured here</strong> (a ratio only where the q1–q3 ranges of the runs do not
      overlap):</p><ul id="attention-seed-verdicts">${measured.map((line) => html`<li>${line}</li>`)}</ul>` : nothing}
  </div>`;
}

// Per n: the seed's own claim (cache 8 against cache n), the same drop in
// tokens with K/V cached, and same-tokens comparisons.
function seedMeasuredSentences(results) {
  const all = results.flatMap((result) => result.rows);
  const lengths = [...new Set(all.map((row) => row.sequence_length))].sort((a, b) => a - b);
  return lengths.flatMap((n) => {
    const byCache = Object.fromEntries(all.filter((row) => row.sequence_length === n).map((row) => [row.cache_label, row]));
    const big = byCache.n, small = byCache['8'];
    if (!big || !small) return [];
    const tokens = (row) => formatCount(row.seed.attended_tokens);
    return [
      `n = ${formatCount(n)}, the seed's claim: ${compareTimings(small.seed.time, big.seed.time, `cache 8 (${tokens(small)} tokens attended)`,
        `cache n (${tokens(big)} tokens)`).text}.`,
      `n = ${formatCount(n)}, the same change with K/V cached: ${compareTimings(small.window.time, big.window.time,
        `window ${tokens(small)}`, `the full cache (${tokens(big)})`).text} — what is left is attending to fewer tokens.`,
      `n = ${formatCount(n)}, same tokens attended: ${compareTimings(small.window.time, small.seed.time, 'the window (cached K/V)',
        'the seed at cache 8').text}; ${compareTimings(big.window.time, big.none.time, 'the full cache', 'the seed\'s Full (none)').text}.`,
    ];
  });
}

// One sentence per (n, cache) from the measured FLOP split and speeds.
function seedReading(results) {
  const all = results.flatMap((result) => result.rows)
    .sort((a, b) => a.sequence_length - b.sequence_length || cacheOrder.indexOf(a.cache_label) - cacheOrder.indexOf(b.cache_label));
  return all.map((row) => {
    const { seed, window } = row;
    const reprojected = seed.flops_by_part.kv_projection;
    return `n = ${row.sequence_length}, cache ${row.cache_label} = ${row.cache_tokens}: the seed re-projects ` +
      `${formatCount(seed.attended_tokens)} tokens' K/V each step, ${formatSI(reprojected)} of its ` +
      `${formatSI(seed.flops_per_step)} FLOPs (${percent(reprojected, seed.flops_per_step)}); the window gives the same ` +
      `output (cosine ${window.min_cosine.toFixed(4)} vs the full cache) at ${formatSI(window.flops_per_step)} FLOPs: ` +
      `${compareTimings(window.time, seed.time, 'the window', 'the seed').text}. Exactness: recompute ` +
      `${formatSI(row.recompute.flops_per_step)} FLOPs (${compareTimings(row.recompute.time, seed.time, 'recompute', 'the seed').text}); ` +
      `none ${formatSI(row.none.flops_per_step)} FLOPs (${compareTimings(row.none.time, seed.time, 'none', 'the seed').text}).`;
  });
}

// Dots joined per strategy across caches n, 4√n, 8; one panel per n in
// numeric order; room left for the axis labels and the legend.
function seedPlot(rows, { y, label, type, bars }) {
  const lengths = [...new Set(rows.map((row) => row.n))].sort((a, b) => a - b);
  return Plot.plot({ ...plotDefaults, marginLeft: 70, marginBottom: 45, marginRight: 20, height: 300,
    color: { legend: true, domain: seedStrategies.map(([, name]) => name) },
    fx: { domain: lengths, label: 'n (tokens)' },
    x: { domain: cacheOrder, label: 'cache W', inset: 12 },
    y: { type, label, grid: true, ...(type === 'linear' ? { domain: [Math.min(0, ...rows.map((row) => row[y])), 1] } : {}) },
    marks: [
      ...(bars ? [Plot.ruleX(rows, { fx: 'n', x: 'cache_label', y1: (row) => bars(row)[0], y2: (row) => bars(row)[1],
        stroke: 'label', strokeWidth: 3, ariaDescription: 'error bar' })] : []),
      Plot.line(rows, { fx: 'n', x: 'cache_label', y, stroke: 'label', z: 'label' }),
      Plot.dot(rows, { fx: 'n', x: 'cache_label', y, fill: 'label', r: 4, tip: true,
        title: (row) => `${row.label}, n ${row.n}, cache ${row.cache}: ${row[y]}` }),
    ] });
}

// One small bar chart per metric: their scales differ by orders of magnitude.
// With `bars`, a black rule over each bar from the slowest to the fastest quartile run (tokens/s).
function decodePlot(rows, key, label, bars = false) {
  return Plot.plot({ ...plotDefaults, marginLeft: 70, height: 200, x: { label, grid: true },
    y: { label: null, domain: rows.map((row) => row.strategy) },
    marks: [Plot.barX(rows, { x: key, y: 'strategy', fill: 'strategy', tip: true }), Plot.ruleX([0]),
      ...(bars ? [Plot.ruleY(rows.filter((row) => row.time.q1_s > 0), { y: 'strategy', x1: (row) => rateAt(row, row.time.q3_s),
        x2: (row) => rateAt(row, row.time.q1_s), stroke: 'black', strokeWidth: 2, ariaDescription: 'error bar' })] : [])] });
}

customElements.define('llm-attention-panel', AttentionPanel);
