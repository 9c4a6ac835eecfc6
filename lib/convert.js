// Conversions every area needs at the WASM boundary.

/** A bad input: `field` names it, `message` says what was wrong with its value. */
export class InputError extends Error {
  constructor(field, message) {
    super(message);
    this.name = 'InputError';
    this.field = field;
  }
}

function isEmbindVector(value) {
  return value !== null && typeof value === 'object' &&
    typeof value.size === 'function' && typeof value.get === 'function' &&
    typeof value.delete === 'function';
}

/**
 * Deep-copies an Embind result into plain JS: std::vector handles become
 * arrays and are deleted, so nothing leaks and nothing dangles when WASM
 * memory grows.
 */
export function toPlain(value) {
  if (isEmbindVector(value)) {
    const items = [];
    for (let i = 0; i < value.size(); i++) items.push(toPlain(value.get(i)));
    value.delete();
    return items;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const copy = {};
    for (const [key, item] of Object.entries(value)) copy[key] = toPlain(item);
    return copy;
  }
  return value;
}

/** Copies a result out of WASM and throws InputError if its status failed. */
export function unwrap(result) {
  const plain = toPlain(result);
  if (plain.status && !plain.status.ok) {
    throw new InputError(plain.status.field, plain.status.message);
  }
  delete plain.status;
  return plain;
}

/** Builds a std::vector of the registered type `VectorType` from a JS array. */
export function toVector(VectorType, items) {
  const vector = new VectorType();
  for (const item of items) vector.push_back(item);
  return vector;
}

/** Calls `fn(vector)` with a temporary std::vector and deletes it afterwards. */
export function withVector(VectorType, items, fn) {
  const vector = toVector(VectorType, items);
  try {
    return fn(vector);
  } finally {
    vector.delete();
  }
}

export const describe = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array'
  : typeof value === 'string' ? `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}` : typeof value);

// Per-layer lists of a ModelConfig: the core takes them comma-separated; the
// API also accepts an array of words.
const layerListFields = new Set(['layer_types', 'mlp_layer_types']);

/**
 * Checks `partial` against `defaults` field by field (names and JS types) and
 * merges: an unknown field or a wrong type is an InputError naming
 * `prefix + field`. The one policy for every object the API passes to the core.
 */
export function mergeChecked(defaults, partial, what, prefix = '') {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    throw new InputError(prefix.replace(/\.$/, '') || what, `${what} must be an object (got ${describe(partial)})`);
  }
  const merged = { ...defaults };
  for (const [field, given] of Object.entries(partial)) {
    if (given === undefined) continue;  // not given: the default stays
    if (!(field in defaults)) throw new InputError(prefix + field, `unknown ${what} field "${field}"`);
    const value = layerListFields.has(field) && Array.isArray(given) ? given.map(String).join(',') : given;
    const expected = typeof defaults[field];
    if (typeof value !== expected) {
      throw new InputError(prefix + field, `${prefix}${field} must be a ${expected} (got ${describe(value)})`);
    }
    merged[field] = value;
  }
  return merged;
}
