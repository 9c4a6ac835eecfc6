// Explain views on the page. <llm-explain> renders one Explanation from the
// C++ core (formula, the numbers plugged in, terms, sources) with KaTeX;
// <llm-explain-figure> makes a key figure a button that opens it in a dialog.
//
// The page's CSP has no 'unsafe-inline' styles: KaTeX is rendered with
// katex.render (DOM nodes whose sizes are set through element.style, i.e.
// CSSOM, which CSP allows), never renderToString + innerHTML. Its stylesheet
// is adopted as a constructable stylesheet: inside each shadow root for the
// rules, and once by the document for the @font-face rules (browsers ignore
// @font-face inside shadow roots).
import { LitElement, css, html, nothing, unsafeCSS } from 'lit';
import katex from 'katex';
import katexCss from 'katex/dist/katex.min.css?inline';

import { formatCount } from '../format.js';

let documentFontsAdopted = false;
function adoptKatexFonts() {
  if (documentFontsAdopted || typeof CSSStyleSheet === 'undefined' || !document.adoptedStyleSheets) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(katexCss);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  documentFontsAdopted = true;
}

/** A term's value as text: exact whole numbers with separators, else 4 significant digits. */
export function formatTermValue(value) {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return formatCount(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3) ? value.toExponential(3) : String(Number(value.toPrecision(4)));
}

/**
 * Renders TeX into `element` (DOM output); a parse error shows the TeX as text.
 * `block`: a formula on its own lines, in display style but laid out inline,
 * because KaTeX's display mode never breaks a line: inline, a long formula
 * wraps after = and binary operators (TeXbook p. 173), so on a phone its final
 * value lands on the next line instead of off the edge.
 */
function renderTex(element, tex, block) {
  if (!element) return;
  try {
    katex.render(block ? `\\displaystyle ${tex}` : tex, element, { displayMode: false, throwOnError: true, output: 'htmlAndMathml' });
  } catch {
    element.textContent = tex;
  }
}

export class ExplainView extends LitElement {
  static properties = {
    /** One Explanation ({id, title, formula_tex, substituted_tex, value, unit, terms, sources, note}). */
    explanation: { attribute: false },
  };

  static styles = css`
    ${unsafeCSS(katexCss)}
    :host { display: block; }
    h3 { font-size: 1.05rem; margin: 0 0 0.5rem; }
    /* Lines of a wrapped formula; a single unbreakable piece wider than the box (a long fraction) still scrolls. */
    .formula, .substituted { overflow-x: auto; overflow-y: hidden; padding: 0.5rem 0; line-height: 2.2; }
    .terms { overflow-x: auto; }
    .substituted { border-top: 1px solid var(--border, #d0d7de); }
    table { border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0; font-variant-numeric: tabular-nums; width: 100%; }
    @media (max-width: 480px) { table { font-size: 0.8rem; } th, td { padding: 0.2rem 0.3rem; } }
    caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
    th, td { padding: 0.2rem 0.5rem; border-bottom: 1px solid var(--border, #d0d7de); text-align: left; vertical-align: top; }
    td.numeric { text-align: right; white-space: nowrap; }
    .note { color: var(--muted, #57606a); font-size: 0.9rem; }
    h4 { font-size: 0.95rem; margin: 0.75rem 0 0.25rem; }
    ul { margin: 0; padding-left: 1.2rem; font-size: 0.85rem; }
  `;

  connectedCallback() {
    super.connectedCallback();
    adoptKatexFonts();
  }

  render() {
    const e = this.explanation;
    if (!e) return nothing;
    return html`
      <h3 class="title">${e.title}</h3>
      <div class="formula" aria-label="Formula"></div>
      <div class="substituted" aria-label="With the numbers"></div>
      ${e.note ? html`<p class="note">${e.note}</p>` : nothing}
      <div class="terms"><table>
        <caption>Terms</caption>
        <thead><tr><th scope="col">Symbol</th><th scope="col">Meaning</th><th scope="col">Value</th><th scope="col">Unit</th></tr></thead>
        <tbody>${e.terms.map((term) => html`<tr>
          <td class="symbol" data-tex=${term.symbol}></td><td>${term.meaning}</td>
          <td class="numeric">${formatTermValue(term.value)}</td><td>${term.unit}</td></tr>`)}</tbody>
      </table></div>
      <h4>Sources</h4>
      <ul class="sources">${e.sources.map((source) => html`<li>${source}</li>`)}</ul>`;
  }

  updated() {
    const e = this.explanation;
    if (!e) return;
    renderTex(this.renderRoot.querySelector('.formula'), e.formula_tex, true);
    renderTex(this.renderRoot.querySelector('.substituted'), e.substituted_tex, true);
    for (const cell of this.renderRoot.querySelectorAll('td.symbol')) renderTex(cell, cell.dataset.tex, false);
    this.fitWhenLaidOut();
  }

  /** fit() now, and again once KaTeX's fonts (requested by the layout fit() forces) have loaded and widened the glyphs. */
  fitWhenLaidOut() {
    this.fit();
    document.fonts?.ready.then(() => this.fit());
  }

  /**
   * Shrinks a formula whose unbreakable piece (a long fraction) is still wider
   * than the box, down to 70 %, so the whole of it shows on a phone. Called
   * again once the dialog is open (a closed dialog has no width to measure).
   */
  fit() {
    for (const block of this.renderRoot.querySelectorAll('.formula, .substituted')) {
      block.style.fontSize = '';
      if (block.clientWidth === 0) continue;
      for (const scale of [0.9, 0.8, 0.7]) {
        if (block.scrollWidth <= block.clientWidth + 1) break;
        block.style.fontSize = `${scale}em`;
      }
    }
  }
}

export class ExplainFigure extends LitElement {
  static properties = {
    /** An Explanation, or a function returning one or a promise of one (called when opened, so closed figures cost nothing). */
    explanation: { attribute: false },
    shown: { state: true },
  };

  static styles = css`
    :host { display: inline; }
    button.figure { font: inherit; color: inherit; background: none; border: 0; padding: 0; margin: 0; cursor: pointer;
      text-align: inherit; border-bottom: 1px dotted currentColor; }
    button.figure:hover { color: var(--accent, #0b5cad); }
    button.figure:focus-visible { outline: 2px solid var(--accent, #0b5cad); outline-offset: 2px; }
    dialog { max-width: min(56rem, 94vw); width: 100%; box-sizing: border-box; border: 1px solid var(--border, #d0d7de);
      border-radius: 8px; background: var(--bg, #fff); color: var(--fg, #1f2328); font-weight: normal; font-size: 1rem;
      text-align: left; white-space: normal; padding: 1rem 1.25rem; }
    dialog::backdrop { background: rgb(0 0 0 / 35%); }
    .close { float: right; font: inherit; font-size: 0.9rem; padding: 0.2rem 0.6rem; cursor: pointer; border-radius: 4px;
      border: 1px solid var(--border, #d0d7de); background: var(--surface, #f6f8fa); color: inherit; }
    .close:focus-visible { outline: 2px solid var(--accent, #0b5cad); }
  `;

  render() {
    if (!this.explanation) return html`<slot></slot>`;
    return html`<button type="button" class="figure" aria-haspopup="dialog" title="How is this computed?"
        @click=${() => this.open()}><slot></slot></button>
      <dialog aria-label=${this.shown?.title ?? 'Explanation'} @close=${this.#closed} @click=${this.#closeOnBackdrop}>
        <button type="button" class="close" @click=${() => this.close()}>Close</button>
        ${this.shown ? html`<llm-explain .explanation=${this.shown}></llm-explain>` : nothing}
      </dialog>`;
  }

  /** Opens the explanation in a modal dialog: Escape or Close closes it and focus returns to the figure. */
  async open() {
    // A function may return a promise (an explanation computed in a module loaded on first use).
    const explanation = await (typeof this.explanation === 'function' ? this.explanation() : this.explanation);
    if (!explanation) return;
    this.shown = explanation;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog.open) dialog.showModal();
    this.renderRoot.querySelector('llm-explain')?.fitWhenLaidOut();
  }

  close() {
    this.renderRoot.querySelector('dialog')?.close();
  }

  #closed() {
    this.renderRoot.querySelector('button.figure')?.focus();
  }

  // A click on the backdrop lands on the dialog element outside its box.
  #closeOnBackdrop(event) {
    const dialog = event.currentTarget;
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) dialog.close();
  }
}

customElements.define('llm-explain', ExplainView);
customElements.define('llm-explain-figure', ExplainFigure);

/** `content` as a button that opens `explanation` (an Explanation or a function returning one). */
export function explained(explanation, content) {
  return explanation ? html`<llm-explain-figure .explanation=${explanation}>${content}</llm-explain-figure>` : content;
}

/**
 * Explanations of a panel's last good input, computed on the first opened
 * figure: `set(input)` after each successful calculation, `get(id)` for explained().
 */
export class LazyExplanations {
  constructor(compute) {
    this.compute = compute;
    this.input = undefined;
    this.list = null;
  }

  set(input) {
    this.input = input;
    this.list = null;
  }

  get(id) {
    return () => {
      this.list ??= this.compute(this.input);
      return this.list.find((explanation) => explanation.id === id);
    };
  }
}
