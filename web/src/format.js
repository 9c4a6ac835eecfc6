// Number formatting shared by every panel: thousands separators, SI prefixes,
// bytes in GB (10^9) and GiB (2^30) — both always labelled.

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 6738415616 → "6,738,415,616". */
export function formatCount(value) {
  return Number.isFinite(value) ? countFormat.format(value) : String(value);
}

/** 1.35e13 → "13.5 T" (SI prefixes, 3 significant digits). */
export function formatSI(value, unit = '') {
  if (!Number.isFinite(value)) return String(value);
  const prefixes = [[1e18, 'E'], [1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  const magnitude = Math.abs(value);
  for (const [scale, prefix] of prefixes) {
    if (magnitude >= scale) return `${(value / scale).toPrecision(3)} ${prefix}${unit}`;
  }
  return `${Number(value.toPrecision(3))}${unit ? ` ${unit}` : ''}`;
}

/** Bytes in the chosen unit system: 'GB' (decimal) or 'GiB' (binary). */
export function formatBytes(bytes, units = 'GB') {
  if (!Number.isFinite(bytes)) return String(bytes);
  const decimal = [[1e15, 'PB'], [1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  const binary = [[2 ** 50, 'PiB'], [2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
  for (const [scale, name] of units === 'GiB' ? binary : decimal) {
    if (Math.abs(bytes) >= scale) return `${(bytes / scale).toFixed(2)} ${name}`;
  }
  return `${formatCount(bytes)} B`;
}

/** 0.3193 → "31.9 %". */
export function formatPercent(fraction, digits = 1) {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)} %` : String(fraction);
}
