// Exports: tables as CSV and JSON, plots as SVG and PNG. Files are built in
// memory and downloaded through a blob URL (allowed by the page's CSP).

/** Starts a download of `blob` as `filename`. */
export function downloadBlob(filename, blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke late: a busy browser may start fetching the blob after a second or more.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function csvCell(value) {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV from a header and rows of raw values (arrays). */
export function toCsvRows(header, rows) {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** CSV from column definitions ({key, label}) and row objects; raw values, not formatted text. */
export function toCsv(columns, rows) {
  return toCsvRows(columns.map((column) => column.label), rows.map((row) => columns.map((column) => row[column.key])));
}

/** Downloads CSV text (see toCsv / toCsvRows). */
export function downloadCsv(filename, text) {
  downloadBlob(filename, new Blob([text], { type: 'text/csv' }));
}

export function downloadJson(filename, data) {
  downloadBlob(filename, new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
}

/** A standalone SVG file of `svg` (a Plot figure), with the plot's CSS embedded. */
export function svgText(svg, css = '') {
  const copy = svg.cloneNode(true);
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  if (css) {
    const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
    style.textContent = css;
    copy.prepend(style);  // detached copy: never inserted into the page
  }
  return new XMLSerializer().serializeToString(copy);
}

export function downloadSvg(filename, svg, css) {
  downloadBlob(filename, new Blob([svgText(svg, css)], { type: 'image/svg+xml' }));
}

/** Rasterises the SVG at 2× on a white background and downloads it as PNG. */
export async function downloadPng(filename, svg, css) {
  const width = Number(svg.getAttribute('width')) || svg.clientWidth || 640;
  const height = Number(svg.getAttribute('height')) || svg.clientHeight || 400;
  const url = URL.createObjectURL(new Blob([svgText(svg, css)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width * 2;
    canvas.height = height * 2;
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    downloadBlob(filename, blob);
  } finally {
    URL.revokeObjectURL(url);
  }
}
