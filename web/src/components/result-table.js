// <llm-result-table>: a results table with CSV and JSON export. Cells show
// formatted text; exports carry the raw numbers.
//
// Compare: set `.compare` to the rows of a pinned configuration. Rows are
// matched by `rowKey` (by default the text of the non-numeric columns), and
// every numeric column becomes three: current, pinned, and current ÷ pinned.
// Rows only one side has show "—" on the other. Exports carry all three.
//
// Fit: a column may carry `priority: 'key'` (always shown: the figures the
// table is there for) or `priority: 'secondary'`; the first column is key
// unless it says otherwise. Headers wrap; when the table is still wider than
// its box, secondary columns fold away first, then unmarked ones, rightmost
// first, behind a "More columns" button (aria-expanded), so key columns never
// sit off-screen in a sideways scroll. When comparing, key columns last give
// up their pinned values (their ratio to the pinned stays; a key column with no
// ratio, a row's own label, gives up its pinned value first). Folded cells stay in the DOM (hidden
// with CSS, shown when printing) and in the exports.
//
// Sort: with `sortable`, each header is a button that sorts the rows by its
// column (ascending, then descending; aria-sort says which); exports follow
// the order shown. `sort` ({key, direction}) may set it from outside.
import { LitElement, css, html, nothing } from 'lit';

import { cellValue, csvText, defaultRowKey, formatRatio, jsonRows, pairRows, ratio } from '../compare.js';
import { downloadCsv, downloadJson } from '../export.js';
import { nextDirection, sortRows } from '../table-sort.js';

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
    /** Headers sort the rows when clicked. */
    sortable: { type: Boolean },
    /** {key, direction: 'ascending' | 'descending'} or null (the rows' own order). */
    sort: { attribute: false },
    /** True after "More columns": every column shown (the table may then scroll sideways). */
    expanded: { state: true },
    /** What is folded away to fit the width: a column's index ('3'), or a key column's pinned values when comparing ('3.pinned'). */
    folded: { state: true },
  };

  static styles = css`
    :host { display: block; margin: 0.5rem 0 1rem; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
    th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid var(--border, #d0d7de); text-align: left; }
    th { background: var(--surface, #f6f8fa); font-weight: 600; vertical-align: bottom; overflow-wrap: break-word; }
    th button.sort { font: inherit; font-weight: 600; border: 0; border-radius: 0; padding: 0; background: none;
      text-align: inherit; cursor: pointer; color: inherit; white-space: normal; overflow-wrap: inherit; }
    th button.sort .arrow { color: var(--muted, #57606a); }
    td.numeric, th.numeric { text-align: right; }
    /* Figures stay on one line; their headers wrap between words. */
    td.numeric { white-space: nowrap; }
    .folded { display: none; }
    @media (max-width: 480px) { table { font-size: 0.85rem; } th, td { padding: 0.25rem 0.35rem; } }
    .fit { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 0.6rem; margin: 0 0 0.25rem; font-size: 0.85rem; }
    .fit .note { color: var(--muted, #57606a); }
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
      .scroll { overflow: visible; }
      .exports, .fit { display: none; }
      .folded { display: table-cell; }
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
    this.expanded = false;
    this.folded = new Set();
    this.sortable = false;
    this.sort = null;
  }

  #resizeObserver = null;
  #fittedWidth = 0;
  #refitFrame = 0;

  connectedCallback() {
    super.connectedCallback();
    // Refit when the box changes width (window resize, a hidden tab shown): from
    // every column again. When the table itself widens (content laid out late,
    // e.g. explained figures), fold more. Either waits for the next frame:
    // changing the layout inside the observer's callback would make it report a loop.
    this.#resizeObserver ??= new ResizeObserver(() => {
      if (this.#refitFrame) return;
      this.#refitFrame = requestAnimationFrame(() => {
        this.#refitFrame = 0;
        if (Math.abs(this.clientWidth - this.#fittedWidth) >= 1) this.folded = new Set();
        else this.#fit();
      });
    });
    this.#resizeObserver.observe(this);
  }

  firstUpdated() {
    this.#resizeObserver.observe(this.renderRoot.querySelector('table'));
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.#resizeObserver?.disconnect();
    if (this.#refitFrame) cancelAnimationFrame(this.#refitFrame);
    this.#refitFrame = 0;
  }

  /** 'key', 'secondary' or 'normal'; the first column is key unless it says otherwise. */
  static priority(column, index) {
    return column.priority ?? (index === 0 ? 'key' : 'normal');
  }

  willUpdate(changed) {
    // New content: start again from every column and fold what does not fit.
    if (changed.has('columns') || changed.has('rows') || changed.has('compare') || changed.has('sort')) this.folded = new Set();
  }

  updated() {
    this.#fit();
  }

  // Folds columns (secondary first, then unmarked; rightmost first; never key)
  // until the table fits its box, from the widths the browser laid out.
  #fit() {
    const scroller = this.renderRoot.querySelector('.scroll');
    if (!scroller || this.expanded) return;
    const available = scroller.clientWidth;
    this.#fittedWidth = this.clientWidth;
    if (available === 0) return;  // not laid out (a hidden tab): the resize observer refits it when shown
    let excess = scroller.scrollWidth - available;
    if (excess <= 0) return;
    const ranked = this.columns.map((column, index) => ({ column, index: String(index), rank: ResultTable.priority(column, index) })).reverse();
    const order = (rank) => ranked.filter((entry) => entry.rank === rank).map((entry) => entry.index);
    // Then the pinned values of key columns: first those with no ratio (a row's own label, e.g. its chunk size,
    // pinned beside itself), then the others.
    const pinnedKeys = (withRatio) => ranked.filter((entry) => entry.rank === 'key' && entry.column.numeric
      && (entry.column.ratio !== false) === withRatio).map((entry) => `${entry.index}.pinned`);
    const pinnedOfKeys = this.comparing ? [...pinnedKeys(false), ...pinnedKeys(true)] : [];
    const folded = new Set(this.folded);
    for (const item of [...order('secondary'), ...order('normal'), ...pinnedOfKeys]) {
      if (excess <= 0) break;
      if (folded.has(item)) continue;
      const [index, part] = item.split('.');
      const selector = part ? `th[data-col="${index}"].pinned` : `th[data-col="${index}"]`;
      const width = [...scroller.querySelectorAll(selector)].reduce((sum, th) => sum + th.getBoundingClientRect().width, 0);
      folded.add(item);
      excess -= width;
    }
    if (folded.size !== this.folded.size) this.folded = folded;
  }

  #foldedClass(index, extra) {
    const folded = this.folded.has(String(index)) || (extra === 'pinned' && this.folded.has(`${index}.pinned`));
    return !this.expanded && folded ? 'folded' : '';
  }

  get comparing() {
    return Array.isArray(this.compare);
  }

  /** The rows in the order shown: sorted by the `sort` column when there is one. */
  get sortedRows() {
    const column = this.sort && this.columns.find((candidate) => candidate.key === this.sort.key);
    return column ? sortRows(this.rows, (row) => cellValue(column, row), this.sort.direction) : this.rows;
  }

  /** [{current, pinned}] for the rows shown (pinned is null when not comparing). */
  get pairs() {
    const rows = this.sortedRows;
    if (!this.comparing) return rows.map((row) => ({ current: row, pinned: null }));
    return pairRows(rows, this.compare, this.rowKey ?? defaultRowKey(this.columns));
  }

  // A header's content: its label, or with `sortable` a button that sorts by it.
  #headerLabel(column) {
    if (!this.sortable || column.sortable === false) return column.label;
    const direction = this.sort?.key === column.key ? this.sort.direction : null;
    return html`<button type="button" class="sort" data-sort=${column.key}
      @click=${() => { this.sort = { key: column.key, direction: nextDirection(this.sort, column.key) }; }}>${column.label}${direction
        ? html`<span class="arrow" aria-hidden="true"> ${direction === 'ascending' ? '▲' : '▼'}</span>` : nothing}</button>`;
  }

  // Each cell's classes: numeric, the column's priority (key/secondary) and folded.
  #classes(column, index, extra = '') {
    const rank = ResultTable.priority(column, index);
    return [column.numeric ? 'numeric' : '', rank === 'normal' ? '' : rank, this.#foldedClass(index, extra), extra].filter(Boolean).join(' ');
  }

  #headers() {
    return this.columns.flatMap((column, index) => {
      const sorted = this.sortable && this.sort?.key === column.key ? this.sort.direction : nothing;
      const own = html`<th scope="col" class=${this.#classes(column, index)} data-col=${index} aria-sort=${sorted}>${this.#headerLabel(column)}</th>`;
      if (!this.comparing || !column.numeric) return [own];
      return [own, html`<th scope="col" class=${this.#classes(column, index, 'pinned')} data-col=${index}>${column.label} (pinned)</th>`,
        ...(column.ratio === false ? [] : [html`<th scope="col" class=${this.#classes(column, index, 'ratio')} data-col=${index}><span class="visually-hidden">${column.label} </span>× vs pinned</th>`])];
    });
  }

  // format(value, row, { pinned }) — a panel can leave pinned cells plain (e.g. no explain link to the current formula).
  #cell(column, row, pinned = false) {
    if (!row) return '—';
    const value = cellValue(column, row);
    return column.format ? column.format(value, row, { pinned }) : value;
  }

  #cells(pair) {
    return this.columns.flatMap((column, index) => {
      if (!this.comparing || !column.numeric) {
        return [html`<td class=${this.#classes(column, index)} data-key=${column.key}>${this.#cell(column, pair.current ?? pair.pinned)}</td>`];
      }
      const cells = [
        html`<td class=${this.#classes(column, index)} data-key=${column.key}>${this.#cell(column, pair.current)}</td>`,
        html`<td class=${this.#classes(column, index, 'pinned')} data-key=${`${column.key}.pinned`}>${this.#cell(column, pair.pinned, true)}</td>`,
      ];
      if (column.ratio !== false) {
        const value = pair.current && pair.pinned ? ratio(cellValue(column, pair.current), cellValue(column, pair.pinned)) : null;
        cells.push(html`<td class=${this.#classes(column, index, 'ratio')} data-key=${`${column.key}.ratio`}>${formatRatio(value)}</td>`);
      }
      return cells;
    });
  }

  // "More columns": shown when columns were folded to fit; names what is folded.
  #fitControls() {
    if (this.folded.size === 0) return nothing;
    const names = this.columns.flatMap((column, index) => [
      ...(this.folded.has(String(index)) ? [column.label] : []),
      ...(this.folded.has(`${index}.pinned`) ? [`${column.label} (pinned)`] : []),
    ]).join(', ');
    return html`<div class="fit">
      <button type="button" class="more" aria-expanded=${this.expanded ? 'true' : 'false'} aria-controls="table"
        aria-describedby="folded-note" @click=${() => { this.expanded = !this.expanded; }}>${this.expanded
          ? 'Fewer columns' : `More columns (${this.folded.size})`}</button>
      <span class="note" id="folded-note">${this.expanded ? 'All columns shown; the table scrolls sideways.' : `Folded to fit: ${names}.`}</span>
    </div>`;
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
    return html`${this.#fitControls()}<div class="scroll"><table id="table">
        ${this.caption ? html`<caption>${this.caption}${this.comparing ? ' — current, pinned, and current ÷ pinned' : ''}</caption>` : ''}
        <thead><tr>${this.#headers()}</tr></thead>
        <tbody>${pairs.map((pair) => html`<tr class=${(pair.current ?? pair.pinned).emphasis ? 'emphasis' : ''}>${this.#cells(pair)}</tr>`)}</tbody>
      </table></div>
      <div class="exports">
        <button type="button" @click=${() => downloadCsv(`${name}.csv`, this.csv())} aria-label="Download ${this.caption ?? 'table'} as CSV">CSV</button>
        <button type="button" @click=${() => downloadJson(`${name}.json`, this.json())} aria-label="Download ${this.caption ?? 'table'} as JSON">JSON</button>
      </div>`;
  }
}

customElements.define('llm-result-table', ResultTable);
