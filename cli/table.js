// Plain-text tables for the CLI's readable output.

/** rows: arrays of cells; the first row is the header. Numbers align right. */
export function formatTable(rows) {
  const widths = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, String(cell).length); });
  const line = (row) => row.map((cell, i) => (typeof cell === 'number' || /^[-\d.,%]+( \S+)?$/.test(cell)
    ? String(cell).padStart(widths[i]) : String(cell).padEnd(widths[i]))).join('  ').trimEnd();
  const [header, ...body] = rows;
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** 6738415616 → "6,738,415,616". */
export const formatCount = (value) => Math.round(value).toLocaleString('en-US');

/** Bytes in decimal GB and binary GiB, side by side. */
export const formatBytes = (bytes) => `${(bytes / 1e9).toFixed(2)} GB / ${(bytes / 2 ** 30).toFixed(2)} GiB`;
