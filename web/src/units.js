// The page-wide byte unit: decimal GB (10^9, what spec sheets use) or binary
// GiB (2^30, what memory tools report). Kept in the URL as `units`.
import { readParam, writeParams } from './url-state.js';

export const unitsEvent = 'llm-units-change';

/** 'GB' or 'GiB'. */
export function currentUnits() {
  return readParam('units') === 'GiB' ? 'GiB' : 'GB';
}

export function setUnits(units) {
  writeParams({ units: units === 'GiB' ? 'GiB' : null });
  window.dispatchEvent(new Event(unitsEvent));
}
