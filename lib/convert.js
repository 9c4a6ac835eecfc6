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
