// Compare, the pure part: pair the rows of a current and a pinned result,
// current ÷ pinned ratios, and the export columns and JSON rows of a
// comparison. <llm-result-table> renders these; tests/js/compare.test.js checks them.
import { toCsvRows } from './export.js';

/** A column's raw value for a row: `column.value(row)` when given, else `row[column.key]`. */
export const cellValue = (column, row) => (row ? (column.value ? column.value(row) : row[column.key]) : undefined);

/** current ÷ pinned, or null when it has no meaning (a missing side, non-numbers, 0 ÷ 0, x ÷ 0). */
export function ratio(current, pinned) {
  if (typeof current !== 'number' || typeof pinned !== 'number' || !Number.isFinite(current) || !Number.isFinite(pinned)) return null;
  if (pinned === 0) return null;
  return current / pinned;
}

/** 0.8805 → "0.88×", 12.34 → "12.3×", 1500 → "1,500×". */
export function formatRatio(value) {
  if (value === null || value === undefined) return '—';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return `${Math.round(value).toLocaleString('en-US')}×`;
  if (magnitude >= 10) return `${value.toFixed(1)}×`;
  if (magnitude >= 0.01 || value === 0) return `${value.toFixed(2)}×`;
  return `${value.toPrecision(2)}×`;
}

/** The default row key: the row's `id` when it has one, else the text of every non-numeric column. */
export function defaultRowKey(columns) {
  const labels = columns.filter((column) => !column.numeric);
  return (row) => (row.id !== undefined && row.id !== null ? `id\u241f${row.id}`
    : labels.map((column) => String(cellValue(column, row) ?? '')).join('\u241f'));
}

/**
 * Current and pinned rows side by side: [{ current, pinned }] in current order,
 * then pinned rows no current row matched. Repeated keys match in order.
 */
export function pairRows(rows, pinnedRows, keyOf) {
  const waiting = new Map();
  for (const row of pinnedRows) {
    const key = keyOf(row);
    if (!waiting.has(key)) waiting.set(key, []);
    waiting.get(key).push(row);
  }
  const pairs = rows.map((row) => ({ current: row, pinned: waiting.get(keyOf(row))?.shift() ?? null }));
  for (const left of waiting.values()) for (const row of left) pairs.push({ current: null, pinned: row });
  return pairs;
}

/**
 * Export columns ({label, value(pair)}): each numeric column as current,
 * "(pinned)" and "× vs pinned" when comparing; non-numeric from whichever side has the row.
 */
export function exportColumns(columns, comparing) {
  const out = [];
  for (const column of columns) {
    if (!column.numeric || !comparing) {
      out.push({ label: column.label, value: (pair) => cellValue(column, pair.current ?? pair.pinned) });
      continue;
    }
    out.push({ label: column.label, value: (pair) => cellValue(column, pair.current) });
    out.push({ label: `${column.label} (pinned)`, value: (pair) => cellValue(column, pair.pinned) });
    if (column.ratio !== false) {
      out.push({ label: `${column.label} × vs pinned`, value: (pair) => ratio(cellValue(column, pair.current), cellValue(column, pair.pinned)) });
    }
  }
  return out;
}

// Rows for JSON: the row's own fields (minus presentation flags); when
// comparing, plus `pinned` (the pinned row or null) and `ratio` ({key: current
// ÷ pinned, null where undefined}). A row only the pinned side has carries only those two.
function jsonRow(row) {
  if (!row) return null;
  const { emphasis, ...fields } = row;
  return fields;
}

export function jsonRows(columns, pairs, comparing) {
  if (!comparing) return pairs.map((pair) => jsonRow(pair.current));
  const numeric = columns.filter((column) => column.numeric && column.ratio !== false);
  return pairs.map((pair) => ({
    ...jsonRow(pair.current),
    pinned: jsonRow(pair.pinned),
    ratio: Object.fromEntries(numeric.map((column) => [column.key, ratio(cellValue(column, pair.current), cellValue(column, pair.pinned))])),
  }));
}


/** The CSV text of a table: raw values; when comparing, each numeric column as current, pinned and ratio. */
export function csvText(columns, pairs, comparing) {
  const out = exportColumns(columns, comparing);
  return toCsvRows(out.map((column) => column.label), pairs.map((pair) => out.map((column) => column.value(pair))));
}
