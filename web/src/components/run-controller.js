// The one run lifecycle of every panel that measures: estimate, confirm when
// long, run in the worker with progress and Cancel, and always end ready to
// run again. A Lit ReactiveController: the panel calls start(), renders
// renderStatus() where its progress belongs, and disables its Run buttons
// while `busy`.
//
//   idle ──start──▶ (estimate over confirmSeconds?) ──▶ confirming ──Run anyway──▶ running
//                                                    └──────────────────────────▶ running
//   running ──done / failed / Cancel──▶ idle      confirming ──Don't run──▶ idle
//
// Cancel is synchronous: the panel is idle again at once, whatever the worker
// was doing (loading the module, mid-call, between calls). Every run has a
// token; progress and results that arrive for an older token are dropped, so
// a late message can never put "Running 6 of 9" back beside "Cancelled".
import { css, html, nothing } from 'lit';

import { parallelWorkFactor } from '../../../lib/parallel.js';
import { describeSeconds } from '../../../lib/work.js';
import { WorkerRestartError, runInWorker, runWithProgressInWorker } from '../sim-client.js';
import { getApi, getFormsApi } from '../wasm.js';

/** Runs estimated over this many seconds ask first (the CLI's --max-seconds default). */
export const confirmSeconds = 60;

/** Styles of renderStatus(): it stays in view (sticky) while the page scrolls through a panel. */
export const runStatusStyles = css`
  .run-status.active { position: sticky; top: 0; z-index: 2; background: var(--bg, #fff);
    padding: 0.4rem 0; border-bottom: 1px solid var(--border, #d0d7de); }
  .run-status .run-progress { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
  .run-status .confirm { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; margin: 0; }
`;

export class RunController {
  /**
   * `id` prefixes the element ids (`<id>-status`, `-progress`, `-cancel`,
   * `-message`, `-confirm`, `-confirm-run`, `-confirm-cancel`).
   */
  /**
   * `queue`: a start() while busy is kept (the latest only) and started when
   * the current run ends, instead of being ignored (runs that follow the
   * inputs as they change, like the quantization lab's).
   */
  constructor(host, { id, confirmAbove = confirmSeconds, queue = false } = {}) {
    this.host = host;
    this.id = id;
    this.confirmAbove = confirmAbove;
    this.queue = queue;
    this.state = 'idle';      // 'idle' | 'confirming' | 'running'
    this.progress = null;     // { label, done, total } while running
    this.message = null;      // { text, error?, field?, kind? } after a run
    this.pending = null;      // the run waiting for confirmation, with its estimate
    this.#token = 0;
    host.addController(this);
  }

  #token;
  #abort = null;
  #queued = null;  // with `queue`: the latest start() made while busy
  #trigger = null;  // the Run button that started the run: focus returns there
  #follow = true;   // false for runs the inputs start: no scrolling, focus stays put

  /** True while a run is confirming or running: the panel disables its Run buttons. */
  get busy() {
    return this.state !== 'idle';
  }

  hostDisconnected() {
    this.cancel({ quiet: true });
  }

  /**
   * Starts a run: `calls` ([{method, input, workers?, compare?, progress?}]) run one after
   * another in the worker (or, with `workers` above 1, split across that many
   * workers; `compare`: time one worker too, sim-client.js; `progress`: the method
   * reports its own fraction done, as api.search does, and the bar moves within the call).
   * `label` names it in the progress line ("Running prefill: 2 of 5");
   * `kind` is kept on the message (a panel with several experiments shows it
   * beside the right one). `onResult(result, index)` receives each result as
   * it arrives, `onDone(results)` returns the message text when all are done.
   * `follow: false` (runs the inputs start): the page neither scrolls nor
   * moves focus. `onError(error)` may return a message ({text, field}) for an InputError,
   * or null when the panel shows it itself; `onDone` may return null too.
   */
  async start(request) {
    if (this.busy) {
      if (this.queue) this.#queued = request;
      return;
    }
    const { label, kind = label, calls, onResult, onDone, onError, follow = true } = request;
    this.#follow = follow;
    this.#trigger = follow ? this.#focused() : null;
    this.message = null;
    const token = ++this.#token;
    // Running (with Cancel) from the first moment; the estimate needs the
    // main thread's module, which may still be loading.
    this.state = 'running';
    this.progress = { label, kind, done: 0, total: calls.length };
    this.host.requestUpdate();
    this.#reveal(`#${this.id}-cancel`);
    let estimate;
    try {
      estimate = await this.#estimate(calls);
    } catch (error) {
      if (token === this.#token) this.#finish(token, this.#failure(error, { kind, onError }));
      return;
    }
    if (token !== this.#token) return;
    const run = { label, kind, calls, onResult, onDone, onError, estimate };
    if (estimate && estimate.seconds > this.confirmAbove) {
      this.state = 'confirming';
      this.progress = null;
      this.pending = run;
      this.host.requestUpdate();
      this.#reveal(`#${this.id}-confirm-run`);
      return;
    }
    this.#run(token, run);
  }

  /** The confirmation's "Run anyway". */
  confirm() {
    const run = this.pending;
    if (this.state !== 'confirming' || !run) return;
    this.pending = null;
    this.#run(this.#token, run);
  }

  /** Cancel: stops the worker when a call is in it; idle again at once. */
  cancel({ quiet = false } = {}) {
    if (this.state === 'idle') return;
    const wasRunning = this.state === 'running';
    const kind = (this.pending ?? this.progress)?.kind;
    this.#token++;  // whatever arrives from now on belongs to an older run
    this.#queued = null;
    this.#abort?.abort();
    this.#abort = null;
    this.pending = null;
    this.progress = null;
    this.state = 'idle';
    if (!quiet) {
      this.message = { kind, text: wasRunning ? 'Cancelled: the worker was stopped; results so far are kept.'
        : 'Not run: it was not confirmed.' };
    }
    this.host.requestUpdate();
    this.#refocus();
  }

  // The estimate of all calls (seconds summed), or null when there is none to make.
  async #estimate(calls) {
    // The host panel's own module (already loaded): the calculator for the Serve and
    // Search panels (the serving runs' estimates), else the closed forms.
    const api = await (this.host.constructor.wasmModule === 'calculator' ? getApi() : getFormsApi());
    let seconds = 0;
    const texts = [];
    let repeated = false;
    for (const { method, input, ...options } of calls) {
      if (!api.estimatedRuns().includes(method)) continue;
      const estimate = api.estimateRun(method, input);
      // A split run timed against one worker repeats the run (lib/parallel.js).
      const factor = parallelWorkFactor(api, method, input, options);
      repeated ||= factor !== 1;
      seconds += estimate.seconds * factor;
      texts.push(estimate.text);
    }
    return texts.length ? { seconds, text: calls.length === 1 && !repeated ? texts[0] : describeSeconds(seconds) } : null;
  }

  async #run(token, run) {
    const { label, kind, calls, onResult, onDone, onError } = run;
    const abort = new AbortController();
    this.#abort = abort;
    const wasConfirming = this.state === 'confirming';
    this.state = 'running';
    this.progress = { label, kind, done: 0, total: calls.length };
    this.host.requestUpdate();
    if (wasConfirming) this.#reveal(`#${this.id}-cancel`);
    const results = [];
    try {
      for (let index = 0; index < calls.length; index++) {
        const { method, input, ...options } = calls[index];
        // Reports travel on their own channel: one may arrive after its call returned (or the run ended); never go back.
        const onFraction = (fraction) => {
          const done = index + fraction;
          if (token !== this.#token || this.state !== 'running' || !(fraction >= 0 && fraction <= 1) || !(done > this.progress.done)) return;
          this.progress = { label, kind, done, total: calls.length };
          this.host.requestUpdate();
        };
        const result = await this.#call(method, input, abort.signal, token, { ...options, onFraction });
        if (token !== this.#token) return;
        results.push(result);
        this.progress = { label, kind, done: index + 1, total: calls.length };
        onResult?.(result, index);
        this.host.requestUpdate();
      }
      const text = onDone ? onDone(results) : 'Done.';
      this.#finish(token, text === null ? null : { kind, text });
    } catch (error) {
      if (token !== this.#token) return;  // cancelled: cancel() already reset the panel
      this.#finish(token, this.#failure(error, { kind, onError }));
    }
  }

  // One call; started again (once per restart) when another run's Cancel stopped the shared worker.
  // `options` ({workers, compare}): split across pool workers (sim-client.js); `progress`: the
  // method reports fractions, passed to `onFraction`.
  async #call(method, input, signal, token, { progress, onFraction, ...options }) {
    for (;;) {
      try {
        if (progress) return await runWithProgressInWorker(method, input, { signal, onProgress: onFraction });
        return await runInWorker(method, input, { ...options, signal });
      } catch (error) {
        if (!(error instanceof WorkerRestartError) || token !== this.#token) throw error;
      }
    }
  }

  #failure(error, { kind, onError }) {
    if (error.name !== 'InputError') return { kind, error: true, text: `The run failed: ${error.message}` };
    const own = onError ? onError(error) : { text: error.message };
    return own === null ? null : { kind, field: error.field, error: true, ...own };
  }

  #finish(token, message) {
    if (token !== this.#token) return;
    this.#abort = null;
    this.state = 'idle';
    this.progress = null;
    this.pending = null;
    this.message = message;
    this.host.requestUpdate();
    const queued = this.#queued;
    this.#queued = null;
    if (queued) this.start(queued);
    else this.#refocus();
  }

  // The element focused inside the panel (its Run button when clicked or keyed).
  #focused() {
    return this.host.shadowRoot?.activeElement ?? null;
  }

  // Brings the status into view (a lower experiment's Run may sit far below it)
  // and moves focus to `selector` (Cancel, or the confirmation's Run anyway).
  async #reveal(selector) {
    await this.host.updateComplete;
    if (!this.#follow) return;
    const status = this.host.renderRoot.querySelector(`#${this.id}-status`);
    const rect = status?.getBoundingClientRect();
    if (rect && (rect.top < 0 || rect.bottom > window.innerHeight)) status.scrollIntoView({ block: 'nearest' });
    const target = this.host.renderRoot.querySelector(selector);
    if (target && this.#focusIsOurs()) target.focus({ preventScroll: true });
  }

  // Focus went nowhere (the disabled Run button lost it) or is on our own controls:
  // moving it does not take it from a field the reader is typing in.
  #focusIsOurs() {
    const inside = this.#focused();
    const outside = document.activeElement;
    if (outside !== this.host && outside !== document.body && outside !== null) return false;
    return !inside || inside === this.#trigger || inside.id?.startsWith(`${this.id}-`) || inside.disabled;
  }

  async #refocus() {
    await this.host.updateComplete;
    const trigger = this.#trigger;
    if (!trigger?.isConnected || trigger.disabled || !this.#focusIsOurs()) return;
    trigger.focus();
  }

  /**
   * Progress and Cancel while running, the confirmation, then the last
   * message (`text(message)` may reword it). A message shown at its field
   * (`atField`) is a status here, not a second alert.
   */
  renderStatus({ text } = {}) {
    const id = this.id;
    const { progress, pending, message } = this;
    const shown = message;
    return html`<div class="run-status ${this.busy ? 'active' : ''}" id="${id}-status">
      ${progress ? html`<div class="run-progress">
        <label for="${id}-progress">Running ${progress.label}: ${Number.isInteger(progress.done) ? `${progress.done} of ${progress.total}`
          : `${Math.floor((100 * progress.done) / progress.total)} %`}</label>
        <progress id="${id}-progress" max=${progress.total} .value=${progress.done}></progress>
        <button type="button" class="action secondary" id="${id}-cancel" @click=${() => this.cancel()}>Cancel</button>
      </div>` : nothing}
      ${pending ? html`<p class="confirm" id="${id}-confirm" role="alert">
        <span>This run is estimated to take ${pending.estimate.text} on a slow machine. Run it?</span>
        <button type="button" class="action" id="${id}-confirm-run" @click=${() => this.confirm()}>Run anyway</button>
        <button type="button" class="action secondary" id="${id}-confirm-cancel" @click=${() => this.cancel()}>Don't run</button>
      </p>` : nothing}
      ${shown ? html`<p class=${shown.error ? 'error-banner' : 'note'} id="${id}-message"
        role=${shown.error && !shown.atField ? 'alert' : 'status'}>${text ? text(shown) : shown.text}</p>` : nothing}
    </div>`;
  }
}
