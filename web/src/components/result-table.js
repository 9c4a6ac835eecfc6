// <llm-result-table>: a results table with CSV and JSON export. Cells show
// formatted text; exports carry the raw numbers.
//
// Compare: set `.compare` to the rows of a pinned configuration. Rows are
// matched by `rowKey` (by default the text of the non-numeric columns), and
// every numeric column becomes three: current, pinned, and current ÷ pinned.
// Rows only one side has show "—" on the other. Exports carry all three.
import { LitElement, css, html } from 'lit';

import { cellValue, csvText, defaultRowKey, formatRatio, jsonRows, pairRows, ratio } from '../compare.js';
import { downloadCsv, downloadJson } from '../export.js';

export { formatRatio };

export class ResultTable extends LitElement {
  static properties = {
    /** [{ key, label, format?: (value, row) => string, numeric?: boolean, value?: (row) => number, ratio?: false }] */
    columns: { attribute: false },
    rows: { attribute: false },
    /** Rows of the pinned configuration, or null (no comparison). */
    compare: { attribute: false },
    /** (row) => string: which pinned row a current row is compared with. */
    rowKey: { attribute: false },
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
    td.pinned, th.pinned { color: var(--muted, #57606a); }
    td.ratio, th.ratio { font-style: italic; }
    tr.emphasis td { font-weight: 600; }
    /* The ratio header reads "× vs pinned" on screen, "<column> × vs pinned" to screen readers and in CSV. */
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .exports { display: flex; gap: 0.4rem; justify-content: flex-end; margin-top: 0.25rem; }
    button { font: inherit; font-size: 0.8rem; padding: 0.15rem 0.5rem; cursor: pointer;
      border: 1px solid var(--border, #d0d7de); border-radius: 4px; background: var(--surface, #f6f8fa); color: inherit; }
    button:focus-visible { outline: 2px solid var(--accent, #0b5cad); }
    @media print {
      :host { overflow: visible; }
      .exports { display: none; }
      table { font-size: 8pt; width: 100%; }
      /* Wide (compared) tables wrap inside the page instead of running off its edge. */
      th, td, td.numeric, th.numeric { padding: 0.1rem 0.25rem; white-space: normal; overflow-wrap: anywhere; }
      tr { break-inside: avoid; }
    }
  `;

  constructor() {
    super();
    this.columns = [];
    this.rows = [];
    this.compare = null;
  }

  get comparing() {
    return Array.isArray(this.compare);
  }

  /** [{current, pinned}] for the rows shown (pinned is null when not comparing). */
  get pairs() {
    if (!this.comparing) return this.rows.map((row) => ({ current: row, pinned: null }));
    return pairRows(this.rows, this.compare, this.rowKey ?? defaultRowKey(this.columns));
  }

  #headers() {
    return this.columns.flatMap((column) => {
      const cls = column.numeric ? 'numeric' : '';
      const own = html`<th scope="col" class=${cls}>${column.label}</th>`;
      if (!this.comparing || !column.numeric) return [own];
      return [own, html`<th scope="col" class="numeric pinned">${column.label} (pinned)</th>`,
        ...(column.ratio === false ? [] : [html`<th scope="col" class="numeric ratio"><span class="visually-hidden">${column.label} </span>× vs pinned</th>`])];
    });
  }

  // format(value, row, { pinned }) — a panel can leave pinned cells plain (e.g. no explain link to the current formula).
  #cell(column, row, pinned = false) {
    if (!row) return '—';
    const value = cellValue(column, row);
    return column.format ? column.format(value, row, { pinned }) : value;
  }

  #cells(pair) {
    return this.columns.flatMap((column) => {
      const cls = column.numeric ? 'numeric' : '';
      if (!this.comparing || !column.numeric) {
        return [html`<td class=${cls} data-key=${column.key}>${this.#cell(column, pair.current ?? pair.pinned)}</td>`];
      }
      const cells = [
        html`<td class="numeric" data-key=${column.key}>${this.#cell(column, pair.current)}</td>`,
        html`<td class="numeric pinned" data-key=${`${column.key}.pinned`}>${this.#cell(column, pair.pinned, true)}</td>`,
      ];
      if (column.ratio !== false) {
        const value = pair.current && pair.pinned ? ratio(cellValue(column, pair.current), cellValue(column, pair.pinned)) : null;
        cells.push(html`<td class="numeric ratio" data-key=${`${column.key}.ratio`}>${formatRatio(value)}</td>`);
      }
      return cells;
    });
  }

  /** The CSV text the CSV button downloads. */
  csv() {
    return csvText(this.columns, this.pairs, this.comparing);
  }

  /** The rows the JSON button downloads. */
  json() {
    return jsonRows(this.columns, this.pairs, this.comparing);
  }

  render() {
    const name = this.filename ?? 'table';
    const pairs = this.pairs;
    return html`<table>
        ${this.caption ? html`<caption>${this.caption}${this.comparing ? ' — current, pinned, and current ÷ pinned' : ''}</caption>` : ''}
        <thead><tr>${this.#headers()}</tr></thead>
        <tbody>${pairs.map((pair) => html`<tr class=${(pair.current ?? pair.pinned).emphasis ? 'emphasis' : ''}>${this.#cells(pair)}</tr>`)}</tbody>
      </table>
      <div class="exports">
        <button type="button" @click=${() => downloadCsv(`${name}.csv`, this.csv())} aria-label="Download ${this.caption ?? 'table'} as CSV">CSV</button>
        <button type="button" @click=${() => downloadJson(`${name}.json`, this.json())} aria-label="Download ${this.caption ?? 'table'} as JSON">JSON</button>
      </div>`;
  }
}

customElements.define('llm-result-table', ResultTable);
