// Base class of every panel. A panel's inputs are named keys ('preset',
// 'context', 'n_kv_heads'). In the app they live in the URL, prefixed by the
// panel id ('kv.context'), so links restore the view and Back walks through
// changes. Embedded as a custom element (<llm-kv-cache context="32768">) they
// come from attributes ('n_kv_heads' ⇒ n-kv-heads="8"), and edits inside the
// element stay local to it. Values are always read as text and parsed by the
// panel; nothing from either source is ever inserted as HTML.
import { LitElement } from 'lit';

import { readParam, writeParams } from '../url-state.js';
import { currentUnits, unitsEvent } from '../units.js';

export const attributeName = (key) => key.replaceAll('_', '-');

export class PanelElement extends LitElement {
  /** URL prefix, e.g. 'kv'. */
  static panelId = '';
  /** Input keys, read from the URL or from attributes. */
  static stateKeys = [];
  /** True for the embeddable elements (state from attributes, not the URL). */
  static embedded = false;

  static get observedAttributes() {
    return [...(super.observedAttributes ?? []), ...this.stateKeys.map(attributeName)];
  }

  #localState = new Map();
  #onPopState = () => { this.stateChanged(); this.requestUpdate(); };
  #onUnits = () => this.requestUpdate();

  get embedded() {
    return this.constructor.embedded;
  }

  connectedCallback() {
    super.connectedCallback();
    if (!this.embedded) window.addEventListener('popstate', this.#onPopState);
    window.addEventListener(unitsEvent, this.#onUnits);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.#onPopState);
    window.removeEventListener(unitsEvent, this.#onUnits);
  }

  /** 'GB' or 'GiB', the page-wide byte unit (see units.js). */
  get units() {
    return currentUnits();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    super.attributeChangedCallback(name, oldValue, newValue);
    const key = this.constructor.stateKeys.find((candidate) => attributeName(candidate) === name);
    if (key === undefined || oldValue === newValue) return;
    this.#localState.delete(key);  // a new attribute value wins over an earlier local edit
    if (this.isConnected) this.stateChanged();
  }

  /** The raw text of one input, or null. */
  readState(key) {
    if (!this.embedded) return readParam(`${this.constructor.panelId}.${key}`);
    return this.#localState.has(key) ? this.#localState.get(key) : this.getAttribute(attributeName(key));
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
}
