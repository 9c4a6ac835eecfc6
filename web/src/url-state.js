// Shared state lives in the URL query: reload or a pasted link restores the
// view, and each change is a history entry the back button walks through.
// Values are only ever read as text and parsed by the panel that owns them.

/** The raw string of one query parameter, or null. */
export function readParam(name) {
  return new URL(window.location.href).searchParams.get(name);
}

/** Sets (or, with null/undefined, removes) parameters; pushes a history entry when anything changed. */
export function writeParams(values, { replace = false } = {}) {
  const url = new URL(window.location.href);
  for (const [name, value] of Object.entries(values)) {
    if (value === null || value === undefined || value === '') url.searchParams.delete(name);
    else url.searchParams.set(name, String(value));
  }
  if (url.href === window.location.href) return;
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
}
