// <llm-plot>: an Observable Plot figure with SVG and PNG export.
// Plot appends a <style> element to each figure; the page's strict CSP would
// block it, so it is removed before insertion and its rules live here instead.
import { LitElement, css, html, unsafeCSS } from 'lit';

import { downloadPng, downloadSvg } from '../export.js';

const plotClass = 'llm-plot';
// Plot's own default stylesheet, for the class name above (exports embed it).
const plotCss = `.${plotClass}{--plot-background:white;display:block;height:auto;max-width:100%}` +
  `.${plotClass} text,.${plotClass} tspan{white-space:pre}`;

export class PlotFigure extends LitElement {
  static properties = {
    /** () => Plot.plot({...}): builds the figure. */
    build: { attribute: false },
    /**
     * Optional: while it stays the same, the figure is not rebuilt (Plot takes
     * milliseconds); `decorate` still runs, so a slider can move one mark.
     */
    buildKey: { attribute: false },
    /** Optional (figure) => void, run after every render: cheap overlays via figure.scale(). */
    decorate: { attribute: false },
    caption: { type: String },
    filename: { type: String },
  };

  static styles = css`
    :host { display: block; margin: 0.5rem 0 1rem; }
    figure { margin: 0; }
    figcaption { color: var(--muted, #57606a); font-size: 0.9rem; margin-bottom: 0.25rem; }
    ${unsafeCSS(plotCss)}
    .exports { display: flex; gap: 0.4rem; justify-content: flex-end; }
    button { font: inherit; font-size: 0.8rem; padding: 0.15rem 0.5rem; cursor: pointer;
      border: 1px solid var(--border, #d0d7de); border-radius: 4px; background: var(--surface, #f6f8fa); color: inherit; }
    button:focus-visible { outline: 2px solid var(--accent, #0b5cad); }
    .plot-host { overflow-x: auto; }
    .error { color: var(--error, #b3261e); }
    @media print {
      :host { break-inside: avoid; }
      .exports { display: none; }
      .plot-host { overflow: visible; }
      .plot-host svg { width: 100%; height: auto; }
    }
  `;

  render() {
    return html`<figure>
      ${this.caption ? html`<figcaption>${this.caption}</figcaption>` : ''}
      <div class="plot-host"></div>
      <div class="exports">
        <button type="button" @click=${this.#exportSvg} aria-label="Download ${this.caption ?? 'plot'} as SVG">SVG</button>
        <button type="button" @click=${this.#exportPng} aria-label="Download ${this.caption ?? 'plot'} as PNG">PNG</button>
      </div>
    </figure>`;
  }

  #builtKey = undefined;

  updated() {
    const host = this.renderRoot.querySelector('.plot-host');
    if (!this.build) return host.replaceChildren();
    const current = host.firstElementChild;
    if (this.buildKey !== undefined && this.buildKey === this.#builtKey && current) {
      this.decorate?.(current);
      return undefined;
    }
    this.#builtKey = this.buildKey;
    let figure;
    try {
      figure = this.build();
    } catch (error) {
      const message = document.createElement('p');
      message.className = 'error';
      message.textContent = `Plot failed: ${error.message}`;
      return host.replaceChildren(message);
    }
    figure.classList?.add(plotClass);
    for (const style of figure.querySelectorAll('style')) style.remove();
    // Plot labels its mark groups ("line", "dot") with aria-label on a plain <g>,
    // which ARIA forbids; the figure as a whole is one image named by its caption.
    for (const group of figure.querySelectorAll('g[aria-label]')) group.removeAttribute('aria-label');
    const svg = figure.tagName.toLowerCase() === 'svg' ? figure : figure.querySelector('svg');
    if (svg) {
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', this.caption ?? 'plot');
    }
    host.replaceChildren(figure);
    this.decorate?.(figure);
    return undefined;
  }

  /**
   * The plot's <svg>: the figure itself, or — when Plot wraps it in a <figure>
   * with a legend — the largest svg inside (legend swatches are small svgs too).
   */
  get svg() {
    const host = this.renderRoot.querySelector('.plot-host');
    const svgs = [...(host?.querySelectorAll('svg') ?? [])];
    const area = (svg) => (Number(svg.getAttribute('width')) || 0) * (Number(svg.getAttribute('height')) || 0);
    return svgs.reduce((best, svg) => (best === null || area(svg) > area(best) ? svg : best), null);
  }

  #exportSvg() {
    if (this.svg) downloadSvg(`${this.filename ?? 'plot'}.svg`, this.svg, plotCss);
  }

  #exportPng() {
    if (this.svg) downloadPng(`${this.filename ?? 'plot'}.png`, this.svg, plotCss);
  }
}

customElements.define('llm-plot', PlotFigure);

/** Options every plot shares: Plot's class name (see above) and the page font. */
export const plotDefaults = { className: plotClass };
