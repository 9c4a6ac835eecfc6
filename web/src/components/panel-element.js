// Base class of every panel. A panel's inputs are named keys ('preset',
// 'context', 'n_kv_heads'). In the app they live in the URL, prefixed by the
// panel id ('kv.context'), so links restore the view and Back walks through
// changes. Embedded as a custom element (<llm-kv-cache context="32768">) they
// come from attributes ('n_kv_heads' ⇒ n-kv-heads="8"), and edits inside the
// element stay local to it. Values are always read as text and parsed by the
// panel; nothing from either source is ever inserted as HTML.
//
// Compare: pin() snapshots the inputs into one more key, 'pin' (the URL's
// `<panel>.pin`, see pin.js), so a shared link shows the same comparison. A
// panel reads the pinned inputs with `pinnedRead` — the same parser as its own
// inputs — computes a second result, and hands the pinned rows to its tables
// (<llm-result-table .compare=...>).
import { LitElement, html, nothing } from 'lit';

import { modelChoices, modelsChangedEvent } from '../model-choices.js';
import { decodePin, encodePin } from '../pin.js';
import { readParam, writeParams } from '../url-state.js';
import { currentUnits, unitsEvent } from '../units.js';

// One attribute name per input across the elements: the model is `model` on
// every element, though the Model, KV and Quantization panels call that input
// 'preset' inside. `preset`, their attribute's old name, stays accepted on
// every element as an alias; when both are set, `model` wins.
const publicNames = { preset: 'model' };
const aliases = { model: ['preset'] };

/** The attribute name of an input key ('n_kv_heads' ⇒ 'n-kv-heads', 'preset' ⇒ 'model'). */
export const attributeName = (key) => (publicNames[key] ?? key).replaceAll('_', '-');

/** Every attribute an input is read from: its name, then its aliases. */
export const attributeNames = (key) => [attributeName(key), ...(aliases[attributeName(key)] ?? [])];

/**
 * Runs `compute` and returns {value, error}: an InputError (input the core
 * refused, naming the field) becomes `error`, for the panel to show beside
 * that field; any other exception is a bug and is thrown.
 */
export function attempt(compute) {
  try {
    return { value: compute(), error: null };
  } catch (error) {
    if (error.name !== 'InputError') throw error;
    return { value: null, error };
  }
}

export class PanelElement extends LitElement {
  /** URL prefix, e.g. 'kv'. */
  static panelId = '';
  /** Input keys, read from the URL or from attributes. */
  static stateKeys = [];
  /** True for the embeddable elements (state from attributes, not the URL). */
  static embedded = false;

  static get observedAttributes() {
    return [...(super.observedAttributes ?? []), ...this.stateKeys.flatMap(attributeNames), 'pin'];
  }

  #localState = new Map();
  #onPopState = () => { this.stateChanged(); this.requestUpdate(); };
  #onUnits = () => this.requestUpdate();

  get embedded() {
    return this.constructor.embedded;
  }

  connectedCallback() {
    super.connectedCallback();
    if (!this.embedded) {
      window.addEventListener('popstate', this.#onPopState);
      window.addEventListener(modelsChangedEvent, this.#onPopState);
    }
    window.addEventListener(unitsEvent, this.#onUnits);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.#onPopState);
    window.removeEventListener(modelsChangedEvent, this.#onPopState);
    window.removeEventListener(unitsEvent, this.#onUnits);
  }

  /** The models to choose from: the presets, and the imported config.json when the page holds one. */
  get presets() {
    return this.api ? modelChoices(this.api, { withImported: !this.embedded }) : [];
  }

  /** 'GB' or 'GiB', the page-wide byte unit (see units.js). */
  get units() {
    return currentUnits();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    super.attributeChangedCallback(name, oldValue, newValue);
    const key = [...this.constructor.stateKeys, 'pin'].find((candidate) => attributeNames(candidate).includes(name));
    if (key === undefined || oldValue === newValue) return;
    this.#localState.delete(key);  // a new attribute value wins over an earlier local edit
    if (this.isConnected) this.stateChanged();
  }

  /** The raw text of one input, or null. */
  readState(key) {
    if (!this.embedded) return readParam(`${this.constructor.panelId}.${key}`);
    if (this.#localState.has(key)) return this.#localState.get(key);
    return attributeNames(key).map((name) => this.getAttribute(name)).find((value) => value !== null) ?? null;
  }

  /** Stores inputs ({key: value|null}); in the app this is a history entry. */
  writeState(values, options) {
    if (!this.embedded) {
      const prefixed = {};
      for (const [key, value] of Object.entries(values)) prefixed[`${this.constructor.panelId}.${key}`] = value;
      writeParams(prefixed, options);
      return;
    }
    for (const [key, value] of Object.entries(values)) {
      this.#localState.set(key, value === null || value === undefined ? null : String(value));
    }
  }

  /** Called when the inputs changed from outside (Back/Forward, or an attribute). */
  stateChanged() {}

  // ---- Compare: a pinned configuration --------------------------------------

  /** The current inputs as text ({key: text}) for pin(); panels with uncommitted edits override it. */
  snapshotState() {
    const values = {};
    for (const key of this.constructor.stateKeys) {
      const text = this.readState(key);
      if (text !== null) values[key] = text;
    }
    return values;
  }

  /** The pinned inputs ({key: text}, validated: known keys, short values), or null when nothing is pinned. */
  get pinnedState() {
    return decodePin(this.readState('pin'), this.constructor.stateKeys).values;
  }

  /** What was dropped from a pinned link (unknown keys, over-long values): shown as text. */
  get pinProblems() {
    return [...decodePin(this.readState('pin'), this.constructor.stateKeys).problems, ...this.#pinUnusedValues()];
  }

  // Pinned values the panel's parser did not take (a choice it does not know,
  // junk for a number), said as the fields say it for the panel's own inputs.
  #pinUnusedValues() {
    const read = this.pinnedRead;
    if (!read) return [];
    const parsed = attempt(() => this.parseState(read)).value;
    if (!parsed) return [];
    const taken = (value, text) => {
      const trimmed = text.trim();
      if (typeof value === 'number') return trimmed !== '' && Number(trimmed) === value;
      if (typeof value === 'boolean') return ({ 1: true, true: true, 0: false, false: false })[trimmed] === value;
      if (typeof value === 'string') return value === trimmed || value === text;
      return true;  // a value the panel builds from several inputs: nothing to compare
    };
    const shown = (text) => `'${text.length > 60 ? `${text.slice(0, 60)}…` : text}'`;
    return Object.entries(this.pinnedState).filter(([key, text]) => Object.hasOwn(parsed, key) && !taken(parsed[key], text))
      .map(([key, text]) => `${this.stateLabel(key)} ${shown(text)} is not a value it takes; ${String(parsed[key]) || 'the default'} used`);
  }

  /** A reader like readState over the pinned inputs (null when nothing is pinned). */
  get pinnedRead() {
    const pinned = this.pinnedState;
    return pinned ? (key) => (Object.hasOwn(pinned, key) ? pinned[key] : null) : null;
  }

  /** `compute(pinned inputs)` as attempt() returns it; {value: null, error: null} when nothing is pinned. */
  attemptPinned(compute) {
    const read = this.pinnedRead;
    return read ? attempt(() => compute(this.parseState(read))) : { value: null, error: null };
  }

  /** Pins the current inputs (a history entry in the app). */
  pin() {
    this.writeState({ pin: encodePin(this.snapshotState()) });
    this.pinChanged();
  }

  unpin() {
    this.writeState({ pin: null });
    this.pinChanged();
  }

  /** Called after pin()/unpin(); by default the panel re-reads its state. */
  pinChanged() {
    this.stateChanged();
    this.requestUpdate();
  }

  /**
   * Typed inputs read through `read` (readState or pinnedRead), keyed like
   * stateKeys; used to say what differs from the pinned configuration.
   * Panels override it with their own parser.
   */
  parseState(read) {
    return Object.fromEntries(this.constructor.stateKeys.map((key) => [key, read(key)]));
  }

  /** A human label for an input key (the line under the pin button). */
  stateLabel(key) {
    return key.replaceAll('_', ' ');
  }

  /** [{key, label, pinned, current}] for inputs that differ between pinned and current. */
  pinDifferences() {
    const read = this.pinnedRead;
    if (!read) return [];
    const pinned = this.parseState(read);
    const snapshot = this.snapshotState();
    const current = this.parseState((key) => (Object.hasOwn(snapshot, key) ? String(snapshot[key]) : null));
    const text = (value) => (value === null || value === undefined ? 'default' : String(value));
    return Object.keys({ ...pinned, ...current })
      .filter((key) => text(pinned[key]) !== text(current[key]))
      .map((key) => ({ key, label: this.stateLabel(key), pinned: text(pinned[key]), current: text(current[key]) }));
  }

  /** The Pin/Unpin buttons and a line saying what is pinned (ids `<panel>-pin`, `<panel>-unpin`, `<panel>-pin-status`). */
  renderPinControls() {
    const id = this.constructor.panelId;
    const pinned = this.pinnedState;
    const problems = this.pinProblems;
    const differences = pinned ? this.pinDifferences() : [];
    return html`<div class="pin-controls" role="group" aria-label="Compare with a pinned configuration">
      <button type="button" class="action secondary" id="${id}-pin" @click=${() => this.pin()}
        title="Keep this configuration for comparison, then change the inputs">${pinned ? 'Re-pin current' : 'Pin this configuration'}</button>
      ${pinned ? html`<button type="button" class="action secondary" id="${id}-unpin" @click=${() => this.unpin()}>Unpin</button>` : nothing}
      <p class="note pin-status" id="${id}-pin-status" role="status">${!pinned
        ? 'Pin a configuration, then change an input: every table shows both and the ratio.'
        : differences.length === 0
          ? 'Pinned: the current configuration. Change an input to compare.'
          : html`Comparing with the pinned configuration: ${differences.map((d, index) => html`${index ? '; ' : ''}<strong>${d.label}</strong> ${d.pinned} pinned → ${d.current} now`)}. Tables show current, pinned and current ÷ pinned.`}</p>
      ${problems.length ? html`<p class="field-error" role="alert" id="${id}-pin-error">Pinned link: ${problems.join('; ')}.</p>` : nothing}
    </div>`;
  }
}
