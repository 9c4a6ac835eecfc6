// A pinned configuration, as one URL parameter (`<panel>.pin`): the pinned
// input keys as URLSearchParams text ("preset=llama-2-7b&context=4096"), or
// "-" when every input was at its default. Decoding keeps only known keys with
// short values and reports everything it dropped; the values stay text, parsed
// later by the panel exactly like its own URL parameters.

/** The text of an empty snapshot (all inputs at their defaults). */
export const emptyPin = '-';
export const maxPinLength = 4000;
export const maxPinValueLength = 200;

/** {key: text} → parameter text. Null, undefined and '' values are left out. */
export function encodePin(values) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== '') params.append(key, String(value));
  }
  return params.toString() || emptyPin;
}

/**
 * Parameter text → { values: {key: text} | null, problems: [string] }.
 * `allowedKeys` lists the panel's input keys; anything else is dropped and
 * reported, as are repeated keys and over-long values. `values` is null when
 * nothing is pinned or the text is unusable as a whole.
 */
export function decodePin(text, allowedKeys) {
  if (text === null || text === undefined || text === '') return { values: null, problems: [] };
  if (text.length > maxPinLength) {
    return { values: null, problems: [`the pinned configuration is ${text.length} characters long (at most ${maxPinLength}); ignored`] };
  }
  if (text === emptyPin) return { values: {}, problems: [] };
  const values = Object.create(null);
  const problems = [];
  for (const [key, value] of new URLSearchParams(text)) {
    const shown = JSON.stringify(key.slice(0, 40));
    if (!allowedKeys.includes(key)) problems.push(`unknown key ${shown} ignored`);
    else if (key in values) problems.push(`repeated key ${shown} ignored`);
    else if (value.length > maxPinValueLength) problems.push(`value of ${shown} is ${value.length} characters long; ignored`);
    else values[key] = value;
  }
  return { values: { ...values }, problems };
}
