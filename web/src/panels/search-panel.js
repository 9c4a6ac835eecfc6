// Search panel: which deployments of a model fit, meet the latency targets,
// and what an output token costs on each. api.search (the C++ core) costs
// every chip × GPU count × TP/PP split × weights format × KV dtype × batch with
// the plan the Plan panel shows, in the run worker with progress and Cancel;
// the panel shows the cheapest point, the Pareto front of cost against TPOT
// (a scatter and a sortable table), and opens any point in the Plan panel.
import { css, html, nothing } from 'lit';

import '../components/explain-view.js';
import '../components/plot-figure.js';
import '../components/result-table.js';
import { explained } from '../components/explain-view.js';
import { PanelElement } from '../components/panel-element.js';
import { panelStyles } from '../components/panel-styles.js';
import { RunController, runStatusStyles } from '../components/run-controller.js';
import { downloadJson } from '../export.js';
import { formatCount } from '../format.js';
import { getApi } from '../wasm.js';
import { formatSeconds } from './roofline-panel.js';
import { weightOptions } from './workload-form.js';
import { explainer, searchExplanations } from './search-explain.js';
import { searchInputs } from './search-inputs.js';
import { costLatencyPlot } from './search-plots.js';
import {
  applyParams, defaultHardware, deploymentLabel, gridSize, parseSearchState, planParams, searchDefaults, searchParams,
  servingRows, setPrice, stateKeys, stateLabel, tableRows, toSearchInput, toggleHardware,
} from './search-state.js';

/** $ amounts: cents and below with 3 significant digits. */
export const formatUsd = (usd) => (!Number.isFinite(usd) ? '—' : usd >= 100 ? `$${formatCount(usd)}` : usd >= 1 ? `$${usd.toFixed(2)}`
  : `$${usd.toPrecision(3)}`);
const formatJoules = (joules) => (!Number.isFinite(joules) ? '—' : joules === 0 ? 'not known' : `${joules.toPrecision(3)} J`);
const formatTime = (s) => (Number.isFinite(s) ? formatSeconds(s) : '—');

export class SearchPanel extends PanelElement {
  /** The WASM module it runs on (web/src/wasm.js): the calculator (getApi), which holds the simulators. */
  static wasmModule = 'calculator';

  static panelId = 'search';
  static stateKeys = stateKeys;
  static properties = {
    state: { state: true }, result: { state: true }, pinnedResult: { state: true }, error: { state: true }, pinnedError: { state: true },
    view: { state: true },
  };

  static styles = [panelStyles, runStatusStyles, css`
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; margin: 0.5rem 0; }
    .chip-actions { display: flex; gap: 0.4rem; flex-wrap: wrap; margin: 0.25rem 0 0.5rem; }
    .chip-actions button.action { padding: 0.15rem 0.6rem; font-size: 0.85rem; }
    .chips { display: grid; gap: 0.15rem; max-height: 22rem; overflow-y: auto; padding-right: 0.25rem; }
    .chip { display: grid; grid-template-columns: auto 1fr 5.5rem; gap: 0 0.4rem; align-items: center; font-size: 0.85rem; }
    .chip label { font-size: 0.85rem; }
    .chip .price-note { grid-column: 2 / -1; color: var(--muted, #57606a); font-size: 0.75rem; margin: 0 0 0.2rem; }
    .chip .field-error { grid-column: 1 / -1; }
    .check-group .choices { display: flex; flex-wrap: wrap; gap: 0 0.75rem; }
    .check-group .choices .field.check { margin: 0.1rem 0; }
    .check-group .label { font-size: 0.9rem; }
    ul.sources { font-size: 0.8rem; padding-left: 1.1rem; margin: 0.25rem 0; overflow-wrap: anywhere; }
    .view-toggle { display: flex; gap: 0.4rem; flex-wrap: wrap; align-items: center; margin: 0.75rem 0 0; }
    .view-toggle button[aria-pressed="true"] { background: var(--accent, #0b5cad); color: var(--on-accent, #fff); }
    .cheapest { margin: 0 0 0.5rem; }
    .headline .value.config { font-size: 1.05rem; }
    td button.open-plan { font: inherit; font-size: 0.8rem; padding: 0.1rem 0.4rem; cursor: pointer; white-space: nowrap;
      border: 1px solid var(--accent, #0b5cad); border-radius: 4px; background: transparent; color: var(--accent, #0b5cad); }
    .explains llm-explain { border-top: 1px solid var(--border, #d0d7de); padding-top: 0.5rem; margin-top: 0.75rem; }
  `];

  constructor() {
    super();
    this.error = null;
    this.pinnedError = null;
    this.result = null;
    this.pinnedResult = null;
    this.view = 'front';
    // A run asked for while another runs waits for it (a link changed mid-run).
    this.runs = new RunController(this, { id: 'search-run', queue: true });
    // Every panel is created at start-up, hidden but one: a link's search runs when the panel is shown.
    this.visibility = new MutationObserver(() => { if (!this.hidden && this.pending) this.#follow(); });
    this.pending = false;
  }

  async connectedCallback() {
    super.connectedCallback();
    this.visibility.observe(this, { attributes: true, attributeFilter: ['hidden'] });
    this.api = await getApi();
    this.chips = this.api.hardwarePresets();
    this.weights = weightOptions(this.api.quantFormats());
    this.defaults = searchDefaults(this.api.defaultSearchInput());
    this.stateChanged();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.visibility.disconnect();
  }

  // Rows, columns, explanations and plots derived from a result are made once per
  // result: the panel re-renders on every progress report of a run, and new arrays
  // would refit the tables, rebuild the plot and re-typeset the formulas each time.
  #memo = new Map();
  #cached(name, deps, compute) {
    const hit = this.#memo.get(name);
    if (hit && hit.deps.length === deps.length && hit.deps.every((dep, i) => dep === deps[i])) return hit.value;
    const value = compute();
    this.#memo.set(name, { deps, value });
    return value;
  }

  get #options() {
    return { models: this.presets, hardware: this.chips, weights: this.weights, defaults: this.defaults };
  }

  parseState(read) {
    return parseSearchState(read, this.#options);
  }

  stateLabel(key) {
    return stateLabel(key) ?? super.stateLabel(key);
  }

  snapshotState() {
    return Object.fromEntries(Object.entries(searchParams(this.state, this.defaults, this.chips)).filter(([, value]) => value !== null));
  }

  /** The chips searched: the chosen ones, or the core's default list. */
  get chosenChips() {
    return this.state.hardware ?? defaultHardware(this.chips);
  }

  // Inputs from outside (a link, Back/Forward, an attribute): the shown result follows them.
  stateChanged() {
    if (!this.api) return;
    this.state = this.parseState((key) => this.readState(key));
    this.pinned = this.pinnedRead ? this.parseState(this.pinnedRead) : null;
    this.#follow();
  }

  // Pinning the inputs of the result on screen pins that result too (no second search of the same inputs).
  pinChanged() {
    this.pinnedError = null;
    this.pinnedResult = this.pinnedRead && this.result && !this.#stale() ? this.result : null;
    super.pinChanged();
  }

  // The inputs differ from those of the result on screen.
  #stale() {
    return Boolean(this.result) && JSON.stringify(this.resultInput) !== JSON.stringify(this.#input());
  }

  #input(state = this.state) {
    return toSearchInput(state, this.presets);
  }

  // Searches when the inputs differ from the shown result's (and the panel is shown).
  #follow() {
    if (this.hidden) {
      this.pending = true;
      return;
    }
    this.pending = false;
    const same = this.result && !this.#stale() && Boolean(this.pinned) === Boolean(this.pinnedResult || this.pinnedError);
    if (!same && this.chosenChips.length) this.#search({ follow: false });
  }

  // Form edits: kept in the link at once; the search runs on Run.
  #set(key, value, commit) {
    this.state = { ...this.state, [key]: value };
    if (commit) this.writeState(searchParams(this.state, this.defaults, this.chips));
  }

  #chips(which) {
    const ids = which === 'none' ? [] : which === 'all' ? defaultHardware(this.chips)
      : this.chips.filter((row) => row.usd_per_hour > 0 || Object.hasOwn(this.state.prices, row.id)).map((row) => row.id);
    this.#set('hardware', ids, true);
  }

  /** Runs the search of the inputs (and of the pinned inputs) in the worker. */
  #search({ follow = true } = {}) {
    if (this.chosenChips.length === 0) return;
    const calls = [{ method: 'search', input: this.#input(), progress: true, state: this.state }];
    if (this.pinned) calls.push({ method: 'search', input: this.#input(this.pinned), progress: true, state: this.pinned });
    let searched = false;
    this.runs.start({
      label: 'the search', follow,
      calls: calls.map(({ state, ...call }) => call),
      onResult: (result, index) => {
        if (index === 0) {
          searched = true;
          this.result = result;
          this.resultInput = calls[0].input;
          this.resultState = calls[0].state;
          this.error = null;
          this.pinnedResult = null;
          this.pinnedError = null;
        } else this.pinnedResult = result;
      },
      onDone: () => `Searched ${formatCount(this.result.evaluated)} configurations in the worker: ${formatCount(this.result.feasible)} feasible, `
        + `${this.result.pareto.length} on the Pareto front${this.pinned ? ', and the pinned search' : ''}.`,
      onError: (error) => {
        if (searched) {
          this.pinnedError = error;
          return { text: `The pinned inputs could not be searched: ${error.message}` };
        }
        this.error = error;
        return { text: `Not searched: ${error.message} (shown at its field).`, atField: true };
      },
    });
  }

  /** Switches to the Plan tab on `point`, as searched (model, workload and efficiencies of the shown result). */
  openInPlan(point) {
    const params = this.planParams(point);
    const query = applyParams(window.location.search, params);
    window.history.pushState(null, '', `${window.location.pathname}?${query}${window.location.hash}`);
    // Every panel and the tabs re-read the link, as on Back/Forward.
    window.dispatchEvent(new PopStateEvent('popstate'));
    document.getElementById('tab-plan')?.focus();
  }

  /** The Plan panel's URL values for a point of the shown result. */
  planParams(point) {
    const state = this.resultState;
    const model = this.presets.find((choice) => choice.id === state.model);
    return planParams(point, { model: state.model, modelKeep: model?.weights_keep ?? '', flop_efficiency: state.flop_efficiency,
      bandwidth_efficiency: state.bandwidth_efficiency, planKeys: customElements.get('llm-plan-panel')?.stateKeys ?? [] });
  }

  render() {
    if (!this.state) return html`<p class="note" role="status">Loading…</p>`;
    const size = gridSize(this.state, this.chips);
    const stale = this.#stale();
    return html`
      <h2>Search</h2>
      <p class="intro">Which deployments of a model fit, meet your latency targets, and what does an output token cost on
        each? Every chip × GPU count × tensor or pipeline split × weights format × KV dtype × batch is costed by the plan
        the Plan panel shows (TTFT at the prompt; TPOT and the fit at prompt + output tokens), priced per device-hour, and
        the cheapest configurations for each TPOT form the Pareto front. Roofline times: ideal unless you lower the
        efficiencies. The search runs in a Web Worker.</p>
      <div class="layout">
        <form @submit=${(event) => { event.preventDefault(); this.#search(); }} aria-label="Deployment search">
          ${searchInputs({ state: this.state, error: this.error, presets: this.presets, chips: this.chips, chosenChips: this.chosenChips,
            weights: this.weights, read: (key) => this.readState(key), set: (key, value, commit) => this.#set(key, value, commit),
            onToggleChip: (id, checked) => this.#set('hardware', toggleHardware(this.state.hardware, id, checked, this.chips), true),
            onPrice: (id, usd) => this.#set('prices', setPrice(this.state.prices, id, usd, this.chips.find((row) => row.id === id)?.usd_per_hour), true),
            onChips: (which) => this.#chips(which) })}
        </form>
        <section aria-live="polite">
          ${this.renderPinControls()}
          <div class="actions">
            <button type="button" class="action" id="search-run" ?disabled=${this.runs.busy || this.chosenChips.length === 0}
              @click=${() => this.#search()}>Run search</button>
            <span class="note" id="search-grid">${size > 0 ? `Up to ${formatCount(size)} configurations.` : ''}</span>
          </div>
          ${this.runs.renderStatus()}
          ${stale && !this.runs.busy ? html`<p class="note" id="search-stale">The inputs changed since this search: Run search to update it.</p>` : nothing}
          ${this.#renderResult()}
        </section>
      </div>
      ${this.#renderExplain()}`;
  }

  #renderResult() {
    const r = this.result;
    const banner = this.error ? html`<p class="error-banner" role="alert" id="search-error">${this.error.message}
      ${r ? html`<br /><span class="note">Showing the last search.</span>` : nothing}</p>` : nothing;
    if (!r) return banner;
    const input = this.resultInput;
    const c = r.cheapest;
    const explain = explainer(this.#explanations());
    const pinned = this.pinnedResult && this.pinned ? this.pinnedResult : null;
    return html`
      ${banner}
      ${this.pinnedError ? html`<p class="error-banner" role="alert" id="search-pin-invalid">The pinned inputs could not be
        searched (${this.pinnedError.message}); pin again to compare.</p>` : nothing}
      <div class=${this.error ? 'stale' : ''}>
        <div class="headline">
          <div><div class="value" id="search-evaluated">${formatCount(r.evaluated)}</div><div class="label">configurations costed</div></div>
          <div><div class="value" id="search-fitting">${formatCount(r.fitting)}</div><div class="label">fit in memory</div></div>
          <div><div class="value" id="search-feasible">${formatCount(r.feasible)}</div><div class="label">fit and meet both SLOs</div></div>
        </div>
        ${c ? html`
          <p class="cheapest" id="search-cheapest">Cheapest: <strong>${deploymentLabel(c)}</strong>, ${c.weights} weights, ${c.kv_dtype} KV
            cache, batch ${formatCount(c.batch)} (${c.compute_dtype} matmuls).</p>
          <div class="headline">
            <div><div class="value" id="search-cheapest-usd">${explained(explain('search.usd_per_million'), formatUsd(c.usd_per_million_tokens))}</div><div class="label">per million output tokens</div></div>
            <div><div class="value" id="search-cheapest-tpot">${formatTime(c.tpot_s)}</div><div class="label">TPOT</div></div>
            <div><div class="value" id="search-cheapest-ttft">${formatTime(c.ttft_s)}</div><div class="label">TTFT</div></div>
            <div><div class="value" id="search-cheapest-tokens">${explained(explain('search.tokens_per_s'), formatCount(c.tokens_per_s))}</div><div class="label">output tokens/s</div></div>
            <div><div class="value" id="search-cheapest-joules">${explained(explain('search.joules_per_token'), formatJoules(c.joules_per_token))}</div><div class="label">per output token</div></div>
          </div>`
          : html`<p class="note" id="search-none">No configuration fits and meets both SLOs: raise the SLOs, allow more GPUs,
            narrower formats or other chips.</p>`}
        ${r.skipped_unpriced.length ? html`<p class="note" id="search-unpriced">Not searched, no price: <strong>${r.skipped_unpriced.join(', ')}</strong>.
          A chip with no price is never treated as free; type its $/hour beside it to include it.</p>` : nothing}
        <p class="note" id="search-skipped">${formatCount(r.skipped_configurations)} grid cells no plan models were skipped (a tensor-parallel
          degree that does not divide the heads, more stages than layers, several devices with no link).
          ${r.points_truncated ? `Only the ${formatCount(r.points.length)} cheapest feasible points are listed; the front and the cheapest are over all ${formatCount(r.feasible)}.` : ''}</p>
        <llm-result-table id="search-summary" filename="search-summary" caption="The search"
          .columns=${[{ key: 'item', label: 'Quantity' }, { key: 'value', label: 'Value', numeric: true, format: (v, row) => row.format(v) }]}
          .rows=${this.#cached('summary', [r], () => summaryRows(r))}
          .compare=${pinned ? this.#cached('pinnedSummary', [pinned], () => summaryRows(pinned)) : null}></llm-result-table>
        ${r.points.length ? html`<llm-plot id="search-scatter" filename="search-cost-tpot"
          caption=${`$ per million output tokens against TPOT, the feasible points by chip; the line and large marks: the Pareto front${pinned ? '; dashed brown: the pinned search\'s front' : ''}`}
          .buildKey=${this.#cached('plot', [r, pinned], () => ({}))}
          .build=${() => costLatencyPlot({ result: r, pinned })}></llm-plot>` : nothing}
        ${this.#renderTable(r, pinned)}
        ${r.serving ? this.#renderServing(r.serving, pinned?.serving ?? null) : nothing}
        <div class="actions">
          <button type="button" class="action secondary" id="search-export-json"
            @click=${() => downloadJson('search.json', { input: this.#exportInput(input), result: r })}>Download the whole result (JSON)</button>
        </div>
      </div>`;
  }

  // The input as sent, with an imported model named instead of its whole config.
  #exportInput(input) {
    return typeof input.model === 'string' ? input : { ...input, model: { imported: this.resultState.model, ...input.model } };
  }

  #renderTable(r, pinned) {
    const view = this.view;
    const columns = this.#cached('columns', [Boolean(pinned)], () => this.#columns(Boolean(pinned)));
    const rows = this.#cached('rows', [r, view], () => tableRows(r, view));
    const pinnedRows = pinned ? this.#cached('pinnedRows', [pinned, view], () => tableRows(pinned, view).map((row) => ({ ...row, from_pinned: true }))) : null;
    return html`
      <div class="view-toggle" role="group" aria-label="Rows of the table">
        <button type="button" class="action secondary" id="search-view-front" aria-pressed=${view === 'front' ? 'true' : 'false'}
          @click=${() => { this.view = 'front'; }}>Pareto front (${formatCount(r.pareto.length)})</button>
        <button type="button" class="action secondary" id="search-view-all" aria-pressed=${view === 'all' ? 'true' : 'false'}
          @click=${() => { this.view = 'all'; }}>All feasible (${formatCount(r.points.length)})</button>
      </div>
      <llm-result-table id="search-table" filename=${view === 'all' ? 'search-feasible' : 'search-front'} sortable
        caption=${view === 'all' ? 'Every feasible configuration, cheapest first (bold: on the front)' : 'The Pareto front: each is the cheapest at its TPOT or faster'}
        .columns=${columns} .rows=${rows} .rowKey=${rowId} .compare=${pinnedRows}></llm-result-table>
      <p class="note">Open in Plan shows a configuration in the Plan panel at context = prompt + output tokens: the same fit
        and TPOT as here. Plan's TTFT there is the prefill of the whole context; the search's TTFT is the prefill of the prompt.</p>`;
  }

  // The simulated points (chunk budgets): the cheapest that meets the SLOs, and every point, the front in bold.
  #renderServing(serving, pinnedServing) {
    const c = serving.cheapest;
    const budget = (tokens) => (tokens > 0 ? formatCount(tokens) : 'whole prompts');
    const attainment = `${formatCount((this.resultInput.slo_attainment ?? 0.9) * 100)} %`;
    const columns = this.#cached('servingColumns', [], () => servingColumns());
    return html`
      <h3 id="search-serving-title">Chunked prefill, simulated</h3>
      <p class="note" id="search-serving-note">${formatCount(serving.configurations)} candidates (the front of the configurations that fit
        and meet the TPOT bound) × ${serving.chunk_tokens.length} budgets (${serving.chunk_tokens.map(budget).join(', ')}): each a closed
        loop of <em>batch</em> users in the serving simulator, TTFT and TPOT the p90 of the steady requests. A point meets the SLOs
        when ${attainment} of its requests do.${serving.skipped_configurations ? ` ${formatCount(serving.skipped_configurations)} candidates
        with a batch above 2,500 were left out.` : ''}</p>
      ${c ? html`<p class="cheapest" id="search-serving-cheapest">Cheapest served: <strong>${deploymentLabel(c)}</strong>, ${c.weights}
          weights, ${c.kv_dtype} KV, ${formatCount(c.batch)} users, chunk ${budget(c.chunk_tokens)}:
          <strong>${formatUsd(c.usd_per_million_tokens)}</strong> per million output tokens, TPOT p90 ${formatTime(c.tpot_s)},
          TTFT p90 ${formatTime(c.ttft_s)}.</p>`
        : html`<p class="note" id="search-serving-none">No simulated point meets the SLOs for ${attainment} of its requests.</p>`}
      <llm-result-table id="search-serving-table" filename="search-chunked" sortable
        caption="Every simulated point, by candidate then budget; TTFT and TPOT are p90s (bold: the front of the points that meet the SLOs)"
        .columns=${columns} .rows=${this.#cached('servingRows', [serving], () => servingRows(serving))} .rowKey=${rowId}
        .compare=${pinnedServing ? this.#cached('pinnedServingRows', [pinnedServing], () => servingRows(pinnedServing)) : null}></llm-result-table>`;
  }

  // The table's columns: the point's configuration, its latencies, cost and energy, and (in the app) Open in
  // Plan beside the chip. When comparing it may fold on a phone (the ratios of TPOT and cost take its room); as
  // the leftmost unmarked column it is the last of those to fold.
  #columns(comparing) {
    const columns = [
      { key: 'hardware', label: 'Hardware' },
      { key: 'gpus', label: 'GPUs', numeric: true, format: formatCount, ratio: false },
      { key: 'tp', label: 'TP', numeric: true, format: formatCount, priority: 'secondary', ratio: false },
      { key: 'pp', label: 'PP', numeric: true, format: formatCount, priority: 'secondary', ratio: false },
      { key: 'weights', label: 'Weights' },
      { key: 'kv_dtype', label: 'KV dtype', priority: 'secondary' },
      { key: 'batch', label: 'Batch', numeric: true, format: formatCount, ratio: false },
      { key: 'ttft_s', label: 'TTFT', numeric: true, format: formatTime, priority: 'secondary' },
      { key: 'tpot_s', label: 'TPOT', numeric: true, format: formatTime, priority: 'key' },
      { key: 'tokens_per_s', label: 'Output tok/s', numeric: true, format: formatCount, priority: 'secondary' },
      { key: 'usd_per_hour', label: '$/hour', numeric: true, format: formatUsd, priority: 'secondary' },
      { key: 'usd_per_million_tokens', label: '$/M tokens', numeric: true, format: formatUsd, priority: 'key' },
      { key: 'joules_per_token', label: 'J/token', numeric: true, format: formatJoules, priority: 'secondary' },
    ];
    if (!this.embedded) {
      // The export carries the Plan link of each row (the point's own keys, not the rest of the page's link).
      columns.splice(1, 0, { key: 'plan', label: 'Open in Plan', priority: comparing ? 'normal' : 'key', sortable: false,
        value: (row) => `?${applyParams('', Object.fromEntries(Object.entries(this.planParams(row)).filter(([, v]) => v !== null)))}`,
        format: (value, row, { pinned: isPinned } = {}) => (isPinned || row.from_pinned ? '' : html`<button type="button" class="open-plan"
          title="Open in Plan" aria-label=${`Open in Plan: ${deploymentLabel(row)}, ${row.weights}, ${row.kv_dtype} KV, batch ${row.batch}`}
          @click=${() => this.openInPlan(row)}>Open</button>`) });
    }
    return columns;
  }

  // The explanations of the shown result's cheapest point (made once per result).
  #explanations() {
    const r = this.result;
    return this.#cached('explanations', [r], () => {
      const point = r?.cheapest;
      if (!point) return [];
      const chip = this.chips.find((row) => row.id === point.hardware);
      return searchExplanations({ p: point, input: this.resultInput, chip, usdPerDevice: point.usd_per_hour / point.gpus });
    });
  }

  #renderExplain() {
    const list = this.#explanations();
    return html`<h3>How a configuration is costed</h3>
      <p class="note">Each configuration is one plan (docs/search.md). Its output tokens per second are those of a static
        batch run to the end, B × O / (TTFT + O × TPOT); its $/hour is the devices × the price per device-hour; $ per
        million output tokens = $/hour ÷ (3600 × tokens/s) × 10⁶. Energy per output token counts every device's draw
        during the prefill and the decode steps, J/token = g (W<sub>prefill</sub> TTFT + W<sub>decode</sub> O TPOT) / (B O),
        with a device's draw W = TDP × (idle + compute share × compute utilisation + memory share × memory utilisation):
        idle ${this.state.idle_power_fraction} and memory ${this.state.memory_power_fraction} of TDP by default, so
        memory-bound decode draws about 40 % of TDP (as measured on an H200) and compute-bound prefill near its TDP. A chip
        with no listed TDP gets no energy figure; host CPUs, networking and cooling are not counted.
        ${list.length ? 'Below: the formulas with the cheapest configuration\'s numbers.' : 'Run a search to see them with its numbers.'}</p>
      <div class="explains" id="search-explains">${list.map((explanation) => html`<llm-explain .explanation=${explanation}></llm-explain>`)}</div>`;
  }
}

const rowId = (row) => row.id;

const formatBudget = (tokens) => (tokens > 0 ? formatCount(tokens) : 'whole');
const formatShare = (share) => (Number.isFinite(share) ? `${(share * 100).toFixed(0)} %` : '—');

/** The simulated points' columns. */
function servingColumns() {
  return [
    // The chip with the chunk budget: a row's name even when the Chunk column folds on a phone.
    { key: 'hardware', label: 'Chip, chunk', format: (value, row) => html`${value},<br />${formatBudget(row.chunk_tokens)}` },
    { key: 'gpus', label: 'GPUs', numeric: true, format: formatCount, ratio: false },
    { key: 'tp', label: 'TP', numeric: true, format: formatCount, priority: 'secondary', ratio: false },
    { key: 'pp', label: 'PP', numeric: true, format: formatCount, priority: 'secondary', ratio: false },
    { key: 'weights', label: 'Weights' },
    { key: 'kv_dtype', label: 'KV dtype', priority: 'secondary' },
    { key: 'batch', label: 'Users', numeric: true, format: formatCount, ratio: false },
    { key: 'chunk_tokens', label: 'Chunk', numeric: true, format: formatBudget, ratio: false },
    { key: 'ttft_s', label: 'TTFT', numeric: true, format: formatTime },
    { key: 'tpot_s', label: 'TPOT', numeric: true, format: formatTime, priority: 'key' },
    { key: 'tokens_per_s', label: 'Output tok/s', numeric: true, format: formatCount, priority: 'secondary' },
    { key: 'usd_per_million_tokens', label: '$/M tokens', numeric: true, format: formatUsd, priority: 'key' },
    { key: 'joules_per_token', label: 'J/token', numeric: true, format: formatJoules, priority: 'secondary' },
    { key: 'slo_attainment', label: 'Meet SLOs', numeric: true, format: formatShare, priority: 'secondary', ratio: false },
    { key: 'preemptions', label: 'Preemptions', numeric: true, format: formatCount, priority: 'secondary', ratio: false },
    { key: 'error', label: 'Refused', priority: 'secondary' },
  ];
}

/** The search as rows of raw numbers with their formats; `id` pairs rows with a pinned search's. */
export function summaryRows(r) {
  const c = r.cheapest;
  const fastest = r.pareto[0];
  const row = (id, item, value, format) => ({ id, item, value, format });
  return [
    row('evaluated', 'Configurations costed', r.evaluated, formatCount),
    row('fitting', 'Fit in memory', r.fitting, formatCount),
    row('feasible', 'Fit and meet both SLOs', r.feasible, formatCount),
    row('front', 'On the Pareto front', r.pareto.length, formatCount),
    row('cheapest.usd', `Cheapest: $ per million output tokens${c ? ` (${deploymentLabel(c)})` : ''}`, c?.usd_per_million_tokens, formatUsd),
    row('cheapest.tpot', 'Cheapest: TPOT', c?.tpot_s, formatTime),
    row('cheapest.ttft', 'Cheapest: TTFT', c?.ttft_s, formatTime),
    row('cheapest.joules', 'Cheapest: energy per output token', c?.joules_per_token, formatJoules),
    row('fastest.tpot', `Fastest feasible TPOT${fastest ? ` (${deploymentLabel(fastest)})` : ''}`, fastest?.tpot_s, formatTime),
    row('fastest.usd', 'Fastest: $ per million output tokens', fastest?.usd_per_million_tokens, formatUsd),
    ...(r.serving ? servingSummaryRows(r.serving, row) : []),
  ];
}

function servingSummaryRows(serving, row) {
  const c = serving.cheapest;
  return [
    row('serving.simulations', 'Simulations (candidates × chunk budgets)', serving.simulations, formatCount),
    row('serving.front', 'Simulated: on the front', serving.pareto.length, formatCount),
    row('serving.cheapest.usd', `Cheapest served: $ per million output tokens${c ? ` (${deploymentLabel(c)}, chunk ${formatBudget(c.chunk_tokens)})` : ''}`,
      c?.usd_per_million_tokens, formatUsd),
    row('serving.cheapest.tpot', 'Cheapest served: TPOT p90', c?.tpot_s, formatTime),
    row('serving.cheapest.ttft', 'Cheapest served: TTFT p90', c?.ttft_s, formatTime),
  ];
}

customElements.define('llm-search-panel', SearchPanel);
