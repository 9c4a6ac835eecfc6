// Serve panel: what a deployment does under load. A discrete-event simulation
// of an inference server (api.serve, in the C++ core) runs in the worker:
// requests arrive, the scheduler batches them, every iteration costs its
// roofline time, the paged KV cache fills and preempts. The panel shows the
// latency distributions, the run over time, the throughput–latency curve over
// arrival rates with the SLO, the formulas behind them, and how the simulator
// compares with published measurements of real engines.
import { css, html, nothing } from 'lit';

import '../components/plot-figure.js';
import '../components/result-table.js';
import { explained } from '../components/explain-view.js';
import { PanelElement } from '../components/panel-element.js';
import { panelStyles } from '../components/panel-styles.js';
import { RunController, runStatusStyles } from '../components/run-controller.js';
import { formatCount, formatPercent } from '../format.js';
import { getApi } from '../wasm.js';
import { formatSeconds } from './roofline-panel.js';
import { weightOptions } from './workload-form.js';
import { serveExplanations } from './serve-explain.js';
import { defaults, maxTraceInLink, parseRates, parseServeState, serveInputs, serveParams, stateKeys, stateLabel, toServeInput } from './serve-inputs.js';
import { cdfPlot, kvSeriesPlot, queueSeriesPlot, sweepRows, throughputLatencyPlot, ttftRatePlot } from './serve-plots.js';
import { fittedFactors, validationView } from './serve-validation-view.js';

const latencies = [['ttft_s', 'TTFT'], ['tpot_s', 'TPOT'], ['e2e_s', 'End-to-end']];

export class ServePanel extends PanelElement {
  /** The WASM module it runs on (web/src/wasm.js): the calculator (getApi), which holds the simulators. */
  static wasmModule = 'calculator';

  static panelId = 'serve';
  static stateKeys = stateKeys;
  static properties = {
    state: { state: true }, result: { state: true }, pinnedResult: { state: true }, error: { state: true },
    sweep: { state: true }, pinnedSweep: { state: true }, maxRate: { state: true }, traceNote: { state: true },
  };

  static styles = [panelStyles, runStatusStyles, css`
    .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; margin: 0.5rem 0; }
    .cdfs { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 0 1rem; }
    .legend-note { font-size: 0.85rem; color: var(--muted, #57606a); margin: 0; }
  `];

  constructor() {
    super();
    this.error = null;
    this.result = null;
    this.pinnedResult = null;
    this.sweep = null;
    this.pinnedSweep = null;
    this.maxRate = null;
    // Simulations follow the inputs: one asked for while another runs waits for it (queue).
    this.runs = new RunController(this, { id: 'serve-run', queue: true });
    this.sweepRuns = new RunController(this, { id: 'serve-sweep' });
    // Every panel is created at start-up, hidden but one: simulate only when shown.
    this.visibility = new MutationObserver(() => { if (!this.hidden && this.pending) this.#simulate(); });
    this.pending = false;
  }

  async connectedCallback() {
    super.connectedCallback();
    this.visibility.observe(this, { attributes: true, attributeFilter: ['hidden'] });
    this.api = await getApi();
    this.hardware = this.api.hardwarePresets();
    this.weights = weightOptions(this.api.quantFormats());
    this.stateChanged();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.visibility.disconnect();
  }

  get #options() {
    return { models: this.presets, hardware: this.hardware, weights: this.weights };
  }

  parseState(read) {
    return parseServeState(read, this.#options);
  }

  stateLabel(key) {
    return stateLabel(key) ?? super.stateLabel(key);
  }

  snapshotState() {
    return Object.fromEntries(Object.entries(serveParams(this.state)).filter(([, value]) => value !== null && value !== undefined));
  }

  stateChanged() {
    if (!this.api) return;
    // A trace too long for the link stays as typed (the link keeps none).
    const kept = this.state?.trace?.length > maxTraceInLink ? this.state.trace : null;
    this.state = this.parseState((key) => this.readState(key));
    if (kept !== null && !this.state.trace) this.state = { ...this.state, trace: kept };
    this.pinned = this.pinnedRead ? this.parseState(this.pinnedRead) : null;
    this.#simulate();
  }

  pinChanged() {
    this.sweep = null;
    this.pinnedSweep = null;
    this.maxRate = null;
    super.pinChanged();
  }

  #set(key, value, commit) {
    this.state = { ...this.state, [key]: value };
    if (key === 'trace') this.traceNote = value.length > maxTraceInLink
      ? `The trace is ${formatCount(value.length)} characters: it runs here, but the link keeps only traces up to ${formatCount(maxTraceInLink)}.` : null;
    if (commit) {
      this.writeState(serveParams(this.state));
      this.#simulate();
    }
  }

  async #loadTrace(file) {
    if (!file) return;
    this.#set('trace', await file.text(), true);
  }

  #useFitted() {
    const factors = fittedFactors();
    for (const [key, value] of Object.entries(factors)) this.state = { ...this.state, [key]: value };
    this.writeState(serveParams(this.state));
    this.#simulate();
  }

  #input(state = this.state) {
    return toServeInput(state, this.presets);
  }

  // One simulation of the inputs (and of the pinned inputs) in the worker.
  #simulate() {
    if (this.hidden) {
      this.pending = true;
      return;
    }
    this.pending = false;
    const calls = [{ method: 'serve', input: this.#input() }];
    if (this.pinned) calls.push({ method: 'serve', input: this.#input(this.pinned) });
    this.runs.start({
      label: 'the simulation', calls, follow: false,
      onResult: (result, index) => {
        if (index === 0) {
          this.result = result;
          this.resultInput = calls[0].input;
          this.error = null;
        } else this.pinnedResult = result;
      },
      onDone: () => `Simulated ${formatCount(this.result.completed)} requests${this.pinned ? ', and the pinned configuration' : ''} in the worker.`,
      onError: (error) => {
        this.error = error;
        return { text: `Not simulated: ${error.message} (shown at its field).`, atField: true };
      },
    });
  }

  // The arrival-rate sweep: one simulation per rate (and per rate of the pinned
  // configuration), then the highest rate that meets the SLO; progress per call, one Cancel.
  #sweep() {
    const rates = parseRates(this.state.sweep_rates);
    if (!rates) return;
    const input = this.#input();
    const calls = rates.map((rate) => ({ method: 'serve', input: { ...input, rate }, config: 'current' }));
    if (this.pinned && ['poisson', 'gamma'].includes(this.pinned.arrival)) {
      const pinnedInput = this.#input(this.pinned);
      calls.push(...rates.map((rate) => ({ method: 'serve', input: { ...pinnedInput, rate }, config: 'pinned' })));
    }
    calls.push({ method: 'serveMaxRate', input, config: 'max' });
    const current = [];
    const pinned = [];
    this.sweep = null;
    this.pinnedSweep = null;
    this.maxRate = null;
    this.sweepRuns.start({
      label: 'the rate sweep', calls,
      onResult: (result, index) => {
        const { config, input: { rate } } = calls[index];
        if (config === 'max') {
          this.maxRate = result;
          return;
        }
        const point = { rate, ttft_s: result.ttft_s, tpot_s: result.tpot_s, e2e_s: result.e2e_s,
          throughput: result.throughput, goodput_requests_per_s: result.goodput_requests_per_s };
        (config === 'pinned' ? pinned : current).push(point);
        if (config === 'pinned') this.pinnedSweep = [...pinned];
        else this.sweep = [...current];
      },
      onDone: () => (this.maxRate?.met
        ? `Swept ${rates.length} rates; the highest rate meeting the SLO is ${this.maxRate.rate.toPrecision(3)} requests/s.`
        : `Swept ${rates.length} rates; no rate tried meets the SLO.`),
    });
  }

  render() {
    if (!this.state) return html`<p class="note" role="status">Loading…</p>`;
    const open = ['poisson', 'gamma'].includes(this.state.arrival);
    return html`
      <h2>Serve</h2>
      <p class="intro">What happens when requests arrive: a simulated inference server takes them in, batches them
        (continuously, with chunked prefill, or in static batches), pages their KV cache and preempts when it runs out,
        and every iteration costs the roofline time of the tokens it holds, scaled by the efficiencies below. The run
        is seeded and happens in a Web Worker; the latency distributions, the queue over time and the highest arrival
        rate that meets the SLO come out of it. The table at the bottom shows how close it lands to published
        measurements of real engines.</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Serving configuration">
          ${serveInputs({ state: this.state, error: this.error, presets: this.presets, hardware: this.hardware, weights: this.weights,
            set: (key, value, commit) => this.#set(key, value, commit), read: (key) => this.readState(key),
            traceNote: this.traceNote, onTraceFile: (file) => this.#loadTrace(file) })}
        </form>
        <section aria-live="polite">
          ${this.renderPinControls()}
          ${this.runs.renderStatus()}
          ${this.#renderResult()}
        </section>
      </div>
      <h3>Throughput against latency over arrival rates</h3>
      <p class="note">One simulation per arrival rate (the inputs above, only the rate changes, the same seed), then a
        bisection for the highest rate at which the SLO's share of requests meets both bounds (api.serveMaxRate).</p>
      <div class="actions">
        <label for="serve-sweep_rates">Rates (requests/s)</label>
        <input id="serve-sweep_rates" type="text" .value=${this.state.sweep_rates}
          aria-invalid=${parseRates(this.state.sweep_rates) ? 'false' : 'true'}
          @change=${(event) => this.#set('sweep_rates', event.target.value.trim() || defaults.sweep_rates, true)} />
        <button type="button" class="action" id="serve-run-sweep" ?disabled=${this.sweepRuns.busy || !open}
          @click=${() => this.#sweep()}>Sweep arrival rates</button>
      </div>
      ${open ? nothing : html`<p class="note" id="serve-sweep-note">The sweep varies the arrival rate: choose Poisson or gamma arrivals.</p>`}
      ${this.sweepRuns.renderStatus()}
      ${this.#renderSweep()}
      ${validationView({ onUse: () => this.#useFitted() })}`;
  }

  #renderResult() {
    const r = this.result;
    if (!r) return this.error ? html`<p class="error-banner" role="alert" id="serve-error">${this.error.message}</p>` : nothing;
    const pinned = this.pinnedResult && this.pinned ? this.pinnedResult : null;
    const explain = serveExplanations({ result: r, input: this.resultInput, hardware: this.hardware });
    const rows = summaryRows(r, explain);
    return html`
      ${this.error ? html`<p class="error-banner" role="alert" id="serve-error">${this.error.message}
        <br /><span class="note">Showing the last valid result.</span></p>` : nothing}
      <div class=${this.error ? 'stale' : ''}>
        <div class="headline">
          <div><div class="value" id="serve-ttft">${explained(explain('serve.md1_wait'), formatSeconds(r.ttft_s.p50))}</div><div class="label">TTFT, median</div></div>
          <div><div class="value" id="serve-tpot">${explained(explain('serve.iteration'), formatSeconds(r.tpot_s.p50))}</div><div class="label">TPOT, median</div></div>
          <div><div class="value" id="serve-throughput">${r.throughput.output_tokens_per_s.toFixed(0)}</div><div class="label">output tokens/s</div></div>
          <div><div class="value" id="serve-goodput">${explained(explain('serve.goodput'), r.goodput_requests_per_s.toFixed(2))}</div><div class="label">goodput, requests/s within the SLO</div></div>
        </div>
        <llm-result-table id="serve-table" filename="serve" caption="The simulated run"
          .columns=${[{ key: 'item', label: 'Quantity' }, { key: 'value', label: 'Value', numeric: true, format: (v, row) => explained(row.explain, row.format(v)) }]}
          .rows=${rows} .compare=${pinned ? summaryRows(pinned, () => undefined) : null}></llm-result-table>
        ${pinned ? html`<p class="legend-note">Plots: current solid blue, pinned dashed brown.</p>` : nothing}
        <div class="cdfs">
          ${latencies.map(([metric, label]) => html`<llm-plot id=${`serve-cdf-${metric.replace('_s', '')}`} filename=${`serve-cdf-${metric}`}
            caption=${`${label}: share of requests at or below each latency`}
            .build=${() => cdfPlot({ metric, label, current: r, pinned, slo: metric === 'ttft_s' ? this.state.slo_ttft_s : metric === 'tpot_s' ? this.state.slo_tpot_s : 0 })}></llm-plot>`)}
        </div>
        <llm-plot id="serve-series-kv" filename="serve-kv" caption="KV cache in use over the run (share of the blocks that fit beside the weights)"
          .build=${() => kvSeriesPlot(r, pinned)}></llm-plot>
        <llm-plot id="serve-series-queue" filename="serve-queue" caption="Requests running and waiting, and the batch of each iteration"
          .build=${() => queueSeriesPlot(r)}></llm-plot>
      </div>`;
  }

  #renderSweep() {
    if (!this.sweep?.length) return nothing;
    const slo = { ttft: this.state.slo_ttft_s, tpot: this.state.slo_tpot_s };
    const columns = [
      { key: 'rate_label', label: 'Rate' },
      { key: 'output_tokens_per_s', label: 'Output tok/s', numeric: true, format: (v) => v.toFixed(0), priority: 'key' },
      { key: 'goodput', label: 'Goodput (req/s)', numeric: true, format: (v) => v.toFixed(2) },
      { key: 'ttft_p50', label: 'TTFT p50', numeric: true, format: formatSeconds, priority: 'secondary' },
      { key: 'ttft_p99', label: 'TTFT p99', numeric: true, format: formatSeconds },
      { key: 'tpot_p50', label: 'TPOT p50', numeric: true, format: formatSeconds, priority: 'secondary' },
      { key: 'tpot_p99', label: 'TPOT p99', numeric: true, format: formatSeconds },
    ];
    const keyed = (rows) => rows.map((row) => ({ ...row, id: String(row.rate), rate_label: `${row.rate} req/s` }));
    return html`
      ${this.maxRate ? html`<p id="serve-max-rate">${this.maxRate.met
        ? html`Highest arrival rate at which ${formatPercent(this.state.slo_attainment, 0)} of requests meet both SLOs (TTFT ≤ ${formatSeconds(slo.ttft)}, TPOT ≤ ${formatSeconds(slo.tpot)}):
          <strong>${this.maxRate.rate.toPrecision(3)} requests/s</strong>, ${this.maxRate.result.throughput.output_tokens_per_s.toFixed(0)} output tokens/s.`
        : html`No arrival rate tried meets the SLO with these inputs (the lowest tried: ${this.maxRate.rate.toPrecision(3)} requests/s).`}</p>` : nothing}
      <llm-plot id="serve-sweep-plot" filename="serve-throughput-latency"
        caption="Throughput against TPOT, one point per arrival rate (labelled); red: the TPOT SLO, green: the highest rate meeting both SLOs"
        .build=${() => throughputLatencyPlot({ current: this.sweep, pinned: this.pinnedSweep, slo: slo.tpot, maxRate: this.maxRate })}></llm-plot>
      <llm-plot id="serve-ttft-rate-plot" filename="serve-ttft-rate" caption="TTFT against the arrival rate; red: the TTFT SLO"
        .build=${() => ttftRatePlot({ current: this.sweep, pinned: this.pinnedSweep, slo: slo.ttft, maxRate: this.maxRate })}></llm-plot>
      <llm-result-table id="serve-sweep-table" filename="serve-sweep" caption="The sweep"
        .columns=${columns} .rows=${keyed(sweepRows(this.sweep, 'current'))}
        .compare=${this.pinnedSweep?.length ? keyed(sweepRows(this.pinnedSweep, 'pinned')) : null}></llm-result-table>`;
  }
}

const fixed = (digits) => (value) => value.toFixed(digits);

/** The run as rows of raw numbers, each with its format and (when there is one) its explanation; `id` pairs rows with a pinned run's. */
export function summaryRows(r, explain) {
  const row = (id, item, value, format, explanation) => ({ id, item, value, format, explain: explanation ? explain(explanation) : undefined });
  const quantiles = ([metric, label]) => ['mean', 'p50', 'p90', 'p99'].map((q) => row(`${metric}.${q}`, `${label} ${q}`, r[metric][q], formatSeconds));
  return [
    ...latencies.flatMap(quantiles),
    row('throughput.requests', 'Throughput (requests/s)', r.throughput.requests_per_s, fixed(3)),
    row('throughput.input', 'Input tokens/s', r.throughput.input_tokens_per_s, fixed(0)),
    row('throughput.output', 'Output tokens/s', r.throughput.output_tokens_per_s, fixed(0)),
    row('goodput', 'Goodput: requests/s within both SLOs', r.goodput_requests_per_s, fixed(3), 'serve.goodput'),
    row('slo', 'Share of requests within both SLOs', r.slo_attainment, (v) => formatPercent(v)),
    row('unloaded.ttft', 'One prompt alone: TTFT (the M/D/1 service time)', r.unloaded_ttft_s, formatSeconds, 'serve.md1_wait'),
    row('unloaded.tpot', 'One sequence alone: TPOT', r.unloaded_tpot_s, formatSeconds),
    row('kv.peak', 'KV cache peak utilisation', r.kv.peak_utilization, (v) => formatPercent(v)),
    row('kv.preemptions', 'Preemptions', r.kv.preemptions, formatCount),
    row('kv.recomputed', 'Tokens recomputed after preemption', r.kv.recomputed_tokens, formatCount),
    row('prefix.hit', 'Prefix-cache hit rate', r.prefix_cache.hit_rate, (v) => formatPercent(v)),
    // Explained only when the run speculated (its explanation exists only then).
    row('spec.tokens', 'Tokens per decode step (speculative)', r.spec.mean_tokens_per_step, fixed(3), r.spec.steps > 0 ? 'serve.spec_tokens' : undefined),
    row('spec.acceptance', 'Draft acceptance rate (measured)', r.spec.acceptance_rate, (v) => formatPercent(v)),
    row('little.L', 'Little’s law: mean requests in the system L', r.littles_law.mean_in_system, fixed(3), 'serve.littles_law'),
    row('little.lambda', '  arrival rate λ (requests/s)', r.littles_law.arrival_rate, fixed(3)),
    row('little.W', '  mean time in the system W', r.littles_law.mean_time_in_system, formatSeconds),
    row('little.lambdaW', '  λ × W (equals L: two separate books)', r.littles_law.rate_times_time, fixed(3)),
    row('duration', 'Simulated time (to the last completion)', r.duration_s, formatSeconds),
    row('iterations', 'Iterations', r.iterations, formatCount),
    row('completed', 'Requests completed', r.completed, formatCount),
    row('rejected', 'Requests rejected (never fit)', r.rejected, formatCount),
  ];
}

customElements.define('llm-serve-panel', ServePanel);
