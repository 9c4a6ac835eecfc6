// <llm-result-table>: a results table with CSV and JSON export. Cells show
// formatted text; exports carry the raw numbers.
import { LitElement, css, html } from 'lit';

import { downloadCsv, downloadJson } from '../export.js';

export class ResultTable extends LitElement {
  static properties = {
    /** [{ key, label, format?: (value, row) => string, numeric?: boolean }] */
    columns: { attribute: false },
    rows: { attribute: false },
    caption: { type: String },
    filename: { type: String },
  };

  static styles = css`
    :host { display: block; margin: 0.5rem 0 1rem; overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
    th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid var(--border, #d0d7de); text-align: left; }
    th { background: var(--surface, #f6f8fa); font-weight: 600; }
    td.numeric, th.numeric { text-align: right; white-space: nowrap; }
    tr.emphasis td { font-weight: 600; }
    .exports { display: flex; gap: 0.4rem; justify-content: flex-end; margin-top: 0.25rem; }
    button { font: inherit; font-size: 0.8rem; padding: 0.15rem 0.5rem; cursor: pointer;
      border: 1px solid var(--border, #d0d7de); border-radius: 4px; background: var(--surface, #f6f8fa); color: inherit; }
    button:focus-visible { outline: 2px solid var(--accent, #0b5cad); }
  `;

  constructor() {
    super();
    this.columns = [];
    this.rows = [];
  }

  render() {
    const name = this.filename ?? 'table';
    return html`<table>
        ${this.caption ? html`<caption>${this.caption}</caption>` : ''}
        <thead><tr>${this.columns.map((column) => html`<th scope="col" class=${column.numeric ? 'numeric' : ''}>${column.label}</th>`)}</tr></thead>
        <tbody>${this.rows.map((row) => html`<tr class=${row.emphasis ? 'emphasis' : ''}>${this.columns.map((column) => html`<td class=${column.numeric ? 'numeric' : ''} data-key=${column.key}>${column.format ? column.format(row[column.key], row) : row[column.key]}</td>`)}</tr>`)}</tbody>
      </table>
      <div class="exports">
        <button type="button" @click=${() => downloadCsv(`${name}.csv`, this.columns, this.rows)} aria-label="Download ${this.caption ?? 'table'} as CSV">CSV</button>
        <button type="button" @click=${() => downloadJson(`${name}.json`, this.rows)} aria-label="Download ${this.caption ?? 'table'} as JSON">JSON</button>
      </div>`;
  }
}

customElements.define('llm-result-table', ResultTable);
