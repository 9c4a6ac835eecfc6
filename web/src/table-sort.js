// Sorting the rows of a results table by one column: numbers by value, text in
// natural order ("h100" before "h200", "2" before "10"); missing values last
// whichever the direction. Stable: equal rows keep their order (the order the
// core returned them in). <llm-result-table sortable> uses it.

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const missing = (value) => value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));

/** `rows` sorted by `valueOf(row)`, 'ascending' or 'descending'; a new array. */
export function sortRows(rows, valueOf, direction = 'ascending') {
  const sign = direction === 'descending' ? -1 : 1;
  return rows.map((row, index) => ({ row, index, value: valueOf(row) })).sort((a, b) => {
    if (missing(a.value) || missing(b.value)) return (missing(a.value) - missing(b.value)) || a.index - b.index;
    const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : collator.compare(String(a.value), String(b.value));
    return sign * order || a.index - b.index;
  }).map((entry) => entry.row);
}

/** The direction after a click on a column's header: ascending first, then it flips. */
export function nextDirection(sort, key) {
  return sort?.key === key && sort.direction === 'ascending' ? 'descending' : 'ascending';
}
