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
  : typeof value === 'object' && ![Object.prototype, null].includes(Object.getPrototypeOf(value)) ? 'object that is not a plain one'
  : typeof value === 'string' ? `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}` : typeof value);

// Per-layer lists of a ModelConfig: the core takes them comma-separated; the
// API also accepts an array of words.
const layerListFields = new Set(['layer_types', 'mlp_layer_types']);

// A plain object: a literal, JSON.parse's or structuredClone's output, Object.create(null). Not an
// array, a Map, a Date, a class instance or a function: their fields would be read as none.
const isPlainObject = (value) => value !== null && typeof value === 'object' &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value));

/** `input` when it is a plain object, `{}` when undefined; otherwise an InputError naming `field`. */
export function plainInput(input, what, field = what) {
  if (input === undefined) return {};
  if (!isPlainObject(input)) throw new InputError(field, `${what} must be an object (got ${describe(input)})`);
  return input;
}

// One value checked against the type of its default, or an InputError naming
// the field. Numbers must be numbers (NaN and infinities pass: the core names
// them), booleans booleans, strings strings; the one conversion is a per-layer
// list given as an array of words.
function coerce(field, expected, given, what) {
  const value = layerListFields.has(field.slice(field.lastIndexOf('.') + 1)) && Array.isArray(given)
    ? given.map(String).join(',') : given;
  const wrong = () => new InputError(field, `${field} must be a ${expected} (got ${describe(value)})`);
  if (expected === 'array') {  // a list of numbers (the seed experiment's lengths)
    if (!Array.isArray(value)) throw new InputError(field, `${field} must be an array of numbers (got ${describe(value)})`);
    return value.map((item, i) => coerce(`${field}[${i}]`, 'number', item, what));
  }
  if (expected === 'number') {
    if (typeof value === 'number') return value;
    throw wrong();
  }
  if (expected === 'boolean') {
    if (typeof value === 'boolean') return value;
    throw wrong();
  }
  if (expected === 'string') {
    if (typeof value === 'string') return value;
    throw wrong();
  }
  throw new InputError(field, `${field}: ${what} fields of this kind are not taken here`);
}

/** InputError for a key of `input` outside `known` (for flat inputs split over several structs). */
export function checkKeys(input, known, what) {
  plainInput(input, what);
  if (input === undefined) return;
  for (const field of Object.keys(input)) {
    if (!known.includes(field)) throw new InputError(field, `unknown ${what} field "${field}" (known: ${known.join(', ')})`);
  }
}

// One name per quantity across areas; the older per-area names stay accepted
// as aliases (docs/limits.md, "Names and aliases"). Keyed by the field a
// struct has: its aliases apply where that struct has no field of that name.
export const fieldAliases = Object.freeze({
  dist: ['distribution'],             // quantLab: the paging simulation's name
  distribution: ['dist'],             // simulatePaging: the CLI's --dist
  cache_tokens: ['window'],           // runDecode: the CLI's --window and the KV calculator's name
  quant_scale_dtype: ['scale_dtype'], // kvCache: the quant spec's name (--scale-dtype)
  min_time_s: ['min_seconds'],        // quantGemv, quantLab: the probe's and benchmarks' name
});

const aliasEntries = Object.entries(fieldAliases);  // once: every merge walks them (api.plan's is ~2 µs)

// `partial` with each alias renamed to its field; an alias given beside its field is an InputError naming both.
function renameAliases(defaults, partial) {
  let renamed = partial;
  for (const [field, aliases] of aliasEntries) {
    if (!Object.hasOwn(defaults, field)) continue;
    for (const alias of aliases) {
      if (Object.hasOwn(defaults, alias) || partial[alias] === undefined) continue;
      if (partial[field] !== undefined) {
        throw new InputError(alias, `${alias} is another name for ${field}: give one of them, not both`);
      }
      if (renamed === partial) renamed = { ...partial };
      renamed[field] = renamed[alias];
      delete renamed[alias];
    }
  }
  return renamed;
}

/**
 * The one input policy of the API: `partial` checked against `defaults` field
 * by field and merged over them. An unknown field, a value of the wrong kind
 * (text, objects, arrays, null, BigInt, Symbol where a number is due) is an
 * InputError naming `prefix + field`. Nested objects (a model inside a workload) are
 * checked the same way, their fields named `parent.field`.
 */
export function mergeChecked(defaults, partial, what, prefix = '') {
  if (partial === undefined) return { ...defaults };
  if (!isPlainObject(partial)) {
    throw new InputError(prefix.replace(/\.$/, '') || what, `${what} must be an object (got ${describe(partial)})`);
  }
  const merged = { ...defaults };
  for (const [field, given] of Object.entries(renameAliases(defaults, partial))) {
    if (given === undefined) continue;  // not given: the default stays
    if (!Object.hasOwn(defaults, field)) {
      throw new InputError(prefix + field, `unknown ${what} field "${field}" (known: ${Object.keys(defaults).join(', ')})`);
    }
    const fallback = defaults[field];
    merged[field] = isPlainObject(fallback)
      ? mergeChecked(fallback, given, what, `${prefix}${field}.`)
      : coerce(prefix + field, Array.isArray(fallback) ? 'array' : typeof fallback, given, what);
  }
  return merged;
}
