// Search area: the deployment search (issue 15) — every hardware × GPU count ×
// TP/PP split × weights format × KV dtype × batch for one model and workload,
// each costed by the plan the Plan panel shows, in one call into the core.
import { describe, InputError, mergeChecked, plainInput, toPlain, unwrap } from './convert.js';
import { workloadResolvers } from './roofline.js';

// The core takes its lists comma-separated (like a model's layer_types); the
// API takes arrays (or the comma-separated text).
function listText(value, field, kind) {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) throw new InputError(field, `${field} must be an array of ${kind}s (got ${describe(value)})`);
  value.forEach((item, i) => {
    if (typeof item !== kind) throw new InputError(field, `${field}[${i}] must be a ${kind} (got ${describe(item)})`);
  });
  return value.join(',');
}

// { 'h100-sxm': 2.5 } → "h100-sxm=2.5": String() of a number round-trips exactly through strtod.
function pricesText(prices) {
  if (typeof prices === 'string') return prices;
  const given = plainInput(prices, 'prices ({ hardware id: USD per hour })', 'prices');
  return Object.entries(given).map(([id, usd]) => {
    if (typeof usd !== 'number') throw new InputError(`prices.${id}`, `prices.${id} must be a number of USD per hour (got ${describe(usd)})`);
    return `${id}=${usd}`;
  }).join(',');
}

export function searchApi(Module) {
  // One source of truth for defaults: the C++ struct's initializers.
  const { model: modelDefaults, ...defaults } = Object.freeze(toPlain(Module.defaultSearchInput()));
  // The model as plan() takes it: a preset id or a (partial) config, through the roofline area's resolver.
  const { resolveModel } = workloadResolvers(Module);

  function toSearchInput(input = {}) {
    const { model, hardware, weights, kv_dtype, batches, chunk_tokens, prices, ...fields } = plainInput(input, 'search input', 'input');
    const lists = {
      ...(hardware !== undefined && { hardware: listText(hardware, 'hardware', 'string') }),
      ...(weights !== undefined && { weights: listText(weights, 'weights', 'string') }),
      ...(kv_dtype !== undefined && { kv_dtype: listText(kv_dtype, 'kv_dtype', 'string') }),
      ...(batches !== undefined && { batches: listText(batches, 'batches', 'number') }),
      ...(chunk_tokens !== undefined && { chunk_tokens: listText(chunk_tokens, 'chunk_tokens', 'number') }),
      ...(prices !== undefined && { prices: pricesText(prices) }),
    };
    return { ...mergeChecked(defaults, { ...fields, ...lists }, 'search input'), model: resolveModel(model) };
  }

  return {
    /** The defaults of every search input but the model (lists as arrays, prices as an object). */
    defaultSearchInput() {
      const split = (text) => (text ? text.split(',') : []);
      return { ...defaults, hardware: split(defaults.hardware), weights: split(defaults.weights),
        kv_dtype: split(defaults.kv_dtype), batches: split(defaults.batches).map(Number),
        chunk_tokens: split(defaults.chunk_tokens).map(Number), prices: {} };
    },

    /**
     * The deployment search: every configuration costed by the plan; the Pareto front of cost against
     * TPOT among those that fit and meet the SLOs, the cheapest, and the feasible points (capped).
     * onProgress(fraction) is called between blocks (one chip × format × KV dtype); an error it
     * throws is rethrown when the search returns.
     */
    search(input, onProgress) {
      if (onProgress !== undefined && typeof onProgress !== 'function') {
        throw new InputError('onProgress', `onProgress must be a function (got ${describe(onProgress)})`);
      }
      const searchInput = toSearchInput(input);
      let thrown = null;
      const progress = onProgress && ((fraction) => {
        if (thrown) return;
        try {
          onProgress(fraction);
        } catch (error) {
          thrown = error;  // never through WASM frames: rethrown below
        }
      });
      const result = unwrap(Module.search(searchInput, progress));
      if (thrown) throw thrown;
      const { serving } = result;
      return { ...result, cheapest: result.cheapest[0] ?? null,
        serving: serving.chunk_tokens.length ? { ...serving, cheapest: serving.cheapest[0] ?? null } : null };
    },
  };
}
