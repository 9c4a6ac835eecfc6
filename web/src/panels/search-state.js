// The Search panel's pure part (no DOM, no WASM): its inputs read from the
// URL (or attributes) as text and back, the input api.search() takes, where a
// core error belongs in the form, the table's rows, and the Plan panel's
// address for a point. tests/js/search-state.test.js checks each.
//
// Lists travel comma-separated ("h100-sxm,l4"), prices as id=USD pairs
// ("h100-sxm=2.5,l4=0.7", only the ones the user changed). Text a field
// cannot use keeps the default, and the field says so (listNotice, fields.js).

/** The input keys, in form order (URL `search.<key>`, attribute `<key>` in kebab case). */
export const stateKeys = ['model', 'prompt_tokens', 'output_tokens', 'slo_ttft_s', 'slo_tpot_ms', 'hardware', 'prices', 'max_gpus',
  'weights', 'kv_dtype', 'batches', 'chunk_tokens', 'slo_attainment', 'flop_efficiency', 'bandwidth_efficiency', 'idle_power_fraction',
  'memory_power_fraction'];

const labels = {
  model: 'Model', prompt_tokens: 'Prompt tokens', output_tokens: 'Output tokens', slo_ttft_s: 'SLO: TTFT (s, 0 = none)',
  slo_tpot_ms: 'SLO: TPOT (ms, 0 = none)', hardware: 'Hardware', prices: '$/hour per chip', max_gpus: 'Max GPUs',
  weights: 'Weights formats', kv_dtype: 'KV dtypes', batches: 'Batches (sequences)',
  chunk_tokens: 'Chunk budgets to simulate (tokens; 0 = whole prompts)', slo_attainment: 'SLO attainment (share of requests)',
  flop_efficiency: 'FLOP efficiency (0–1]',
  bandwidth_efficiency: 'Bandwidth efficiency (0–1]', idle_power_fraction: 'Idle power (share of TDP)',
  memory_power_fraction: 'Memory power (share of TDP)',
};

/** A human label of an input key. */
export const stateLabel = (key) => labels[key];

/** The KV dtypes the core takes (lib/serve.d.ts, the plan's). */
export const kvDtypes = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'];

/** The model the panel starts on when the link names none. */
export const defaultModel = 'llama-3-8b';

/**
 * The panel's defaults from api.defaultSearchInput() (one source of truth: the
 * C++ struct): lists as arrays, `hardware` null for the core's default (every
 * gpu and tpu preset; those with no price are skipped and named), TPOT in ms.
 */
export function searchDefaults(apiDefaults, model = defaultModel) {
  return {
    model, prompt_tokens: apiDefaults.prompt_tokens, output_tokens: apiDefaults.output_tokens,
    slo_ttft_s: apiDefaults.slo_ttft_s, slo_tpot_ms: apiDefaults.slo_tpot_s * 1000,
    hardware: null, prices: {}, max_gpus: apiDefaults.max_gpus, weights: [...apiDefaults.weights], kv_dtype: [...apiDefaults.kv_dtype],
    batches: apiDefaults.batches.join(','), chunk_tokens: apiDefaults.chunk_tokens.join(','),
    slo_attainment: apiDefaults.slo_attainment, flop_efficiency: apiDefaults.flop_efficiency,
    bandwidth_efficiency: apiDefaults.bandwidth_efficiency, idle_power_fraction: apiDefaults.idle_power_fraction,
    memory_power_fraction: apiDefaults.memory_power_fraction,
  };
}

/** The chips searched by default (hardware null): every gpu and tpu preset, as the core's default list. */
export const defaultHardware = (presets) => presets.filter((row) => row.kind === 'gpu' || row.kind === 'tpu').map((row) => row.id);

const words = (text) => text.split(',').map((word) => word.trim()).filter(Boolean);

/** A comma-separated list against its choices: the known items (in the order given, once each) and the unknown ones. */
export function parseList(text, allowed) {
  const known = [];
  const unknown = [];
  for (const word of words(text)) {
    if (!allowed.includes(word)) unknown.push(word);
    else if (!known.includes(word)) known.push(word);
  }
  return { known, unknown };
}

/** Batches as text: whole numbers ≥ 1, comma-separated; the normalised text, or null when unusable. */
export function parseBatches(text) {
  if (typeof text !== 'string') return null;
  const items = words(text);
  if (items.length === 0 || items.length > 64 || !items.every((item) => /^[0-9]{1,8}$/.test(item) && Number(item) >= 1)) return null;
  return items.map(Number).join(',');
}

/**
 * Chunk budgets as text: whole numbers ≥ 0 (0: whole prompts), comma-separated, each once; '' (none: no
 * simulation). The normalised text, or null when unusable.
 */
export function parseChunks(text) {
  if (typeof text !== 'string') return null;
  const items = words(text);
  if (items.length > 16 || !items.every((item) => /^[0-9]{1,7}$/.test(item))) return null;
  const numbers = items.map(Number);
  return new Set(numbers).size === numbers.length ? numbers.join(',') : null;
}

/** Prices as text ("h100-sxm=2.5,l4=0.7") against the hardware ids: {prices, unusable: [item]}; junk items are dropped. */
export function parsePrices(text, hardwareIds) {
  const prices = {};
  const unusable = [];
  for (const item of words(text)) {
    const [id, usd, ...rest] = item.split('=');
    const value = usd === undefined || usd.trim() === '' ? NaN : Number(usd);
    if (rest.length || !hardwareIds.includes(id.trim()) || !Number.isFinite(value) || Object.hasOwn(prices, id.trim())) unusable.push(item);
    else prices[id.trim()] = value;
  }
  return { prices, unusable };
}

/** Prices as link text, ids in order. */
export const pricesText = (prices) => Object.entries(prices).map(([id, usd]) => `${id}=${usd}`).join(',');

const numberKeys = ['prompt_tokens', 'output_tokens', 'slo_ttft_s', 'slo_tpot_ms', 'max_gpus', 'slo_attainment', 'flop_efficiency',
  'bandwidth_efficiency', 'idle_power_fraction', 'memory_power_fraction'];

/**
 * Typed inputs read through `read(key)` (raw text or null). `options`: `models`
 * ([{id}], the imported config.json included), `hardware` (the presets),
 * `weights` ([{value}]), `defaults` (searchDefaults()).
 */
export function parseSearchState(read, { models, hardware, weights, defaults }) {
  const state = { ...defaults, weights: [...defaults.weights], kv_dtype: [...defaults.kv_dtype], prices: {} };
  const modelText = read('model');
  if (modelText !== null && models.some((m) => m.id === modelText)) state.model = modelText;
  for (const key of numberKeys) {
    const text = read(key);
    const value = text === null || text.trim() === '' ? NaN : Number(text);
    if (Number.isFinite(value)) state[key] = value;
  }
  const ids = hardware.map((row) => row.id);
  const lists = { hardware: ids, weights: weights.map((option) => option.value), kv_dtype: kvDtypes };
  for (const [key, allowed] of Object.entries(lists)) {
    const text = read(key);
    if (text === null) continue;
    const { known } = parseList(text, allowed);
    if (known.length) state[key] = known;
  }
  const batches = parseBatches(read('batches'));
  if (batches) state.batches = batches;
  const chunks = parseChunks(read('chunk_tokens'));
  if (chunks !== null) state.chunk_tokens = chunks;
  const prices = read('prices');
  if (prices !== null) state.prices = parsePrices(prices, ids).prices;
  return state;
}

/** What goes into the link: every value that differs from its default (null otherwise). */
export function searchParams(state, defaults, presets) {
  const params = {};
  const sameList = (a, b) => a.length === b.length && a.every((item, i) => item === b[i]);
  for (const key of stateKeys) {
    const value = state[key];
    if (key === 'hardware') {
      params.hardware = value === null || sameList(value, defaultHardware(presets)) ? null : value.join(',');
    } else if (key === 'prices') params.prices = Object.keys(value).length ? pricesText(value) : null;
    else if (Array.isArray(value)) params[key] = sameList(value, defaults[key]) ? null : value.join(',');
    else params[key] = value === defaults[key] ? null : value;
  }
  return params;
}

/**
 * The note beside a list field whose link text the panel could not use whole
 * (null when it could, or nothing was asked): the unknown items named, and what is shown.
 * `hardwareIds`: the chips a price may name.
 */
export function listNotice(key, requested, state, hardwareIds = []) {
  if (requested === null || requested === undefined) return null;
  const quoted = (text) => `'${text.length > 60 ? `${text.slice(0, 60)}…` : text}'`;
  const shown = (value) => (value === null ? 'every GPU and TPU' : Array.isArray(value) ? value.join(', ') : String(value));
  if (key === 'batches') return parseBatches(requested) ? null : `${labels.batches} ${quoted(requested)} is not a list of whole numbers ≥ 1; showing ${state.batches}.`;
  if (key === 'prices') {
    const { unusable } = parsePrices(requested, hardwareIds);
    return unusable.length ? `${labels.prices}: ${unusable.map(quoted).join(', ')} not used (each must be a known chip id = USD per hour).` : null;
  }
  const value = state[key];
  const known = Array.isArray(value) ? value : [];
  const unknown = words(requested).filter((word) => !known.includes(word));
  if (unknown.length === 0 && words(requested).length > 0) return null;
  const what = unknown.length ? `${unknown.map(quoted).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the choices` : 'names nothing';
  return `${labels[key]} ${quoted(requested)}: ${what}; showing ${shown(value)}.`;
}

/** The input api.search() takes. `models` resolves an imported config.json (its id is not a preset). */
export function toSearchInput(state, models) {
  return {
    model: models.find((m) => m.id === state.model)?.config ?? state.model,
    prompt_tokens: state.prompt_tokens, output_tokens: state.output_tokens, slo_ttft_s: state.slo_ttft_s,
    slo_tpot_s: state.slo_tpot_ms / 1000, hardware: state.hardware ?? [], prices: { ...state.prices }, max_gpus: state.max_gpus,
    weights: [...state.weights], kv_dtype: [...state.kv_dtype], batches: state.batches, chunk_tokens: state.chunk_tokens,
    slo_attainment: state.slo_attainment, flop_efficiency: state.flop_efficiency,
    bandwidth_efficiency: state.bandwidth_efficiency, idle_power_fraction: state.idle_power_fraction,
    memory_power_fraction: state.memory_power_fraction,
  };
}

/** The form key an InputError of api.search() belongs to (the model's own fields, e.g. `heads`, go to the model). */
export function errorKey(error) {
  const field = error?.field ?? '';
  const head = field.split('.')[0];
  if (head === 'slo_tpot_s') return 'slo_tpot_ms';
  if (head === 'prices') return 'prices';
  return stateKeys.includes(head) ? head : 'model';
}

/** The chip a price error names (`"h100-sxm"` in its message or `prices.h100-sxm` as its field), or null. */
export function priceErrorChip(error, hardwareIds) {
  if (errorKey(error) !== 'prices') return null;
  const [, fieldId] = error.field.split('.');
  if (fieldId && hardwareIds.includes(fieldId)) return fieldId;
  return hardwareIds.find((id) => error.message.includes(`"${id}"`)) ?? null;
}

/**
 * An upper bound of the configurations a search costs: chips × formats × KV dtypes × batches × splits, the
 * splits being every tp × pp = g for g = 1 … max GPUs (Σ over pp of ⌊max / pp⌋; 20 for 8 GPUs), before the
 * core drops those no plan models and the chips with no price.
 */
export function gridSize(state, presets) {
  const chips = (state.hardware ?? defaultHardware(presets)).length;
  const batches = parseBatches(state.batches)?.split(',').length ?? 0;
  const most = Number.isInteger(state.max_gpus) && state.max_gpus >= 1 && state.max_gpus <= 1024 ? state.max_gpus : 0;
  let splits = 0;
  for (let pp = 1; pp <= most; pp++) splits += Math.floor(most / pp);
  return chips * state.weights.length * state.kv_dtype.length * batches * splits;
}

/** A point's key: one row per configuration, and the pinned search's row of the same configuration. */
export const pointId = (p) => [p.hardware, p.gpus, p.tp, p.pp, p.weights, p.kv_dtype, p.batch].join('|');

/** A simulated point's key: its configuration and chunk budget. */
export const servingPointId = (p) => `${pointId(p)}|${p.chunk_tokens}`;

/** The simulated points as table rows, each with its `id` and, on the serving front, `on_front` and `emphasis`. */
export function servingRows(serving) {
  if (!serving) return [];
  const front = new Set(serving.pareto.map(servingPointId));
  return serving.points.map((p) => {
    const id = servingPointId(p);
    return { ...p, id, on_front: front.has(id), emphasis: front.has(id) };
  });
}

/** "h100-sxm × 2 (TP 2)": the chips and their split (TP, PP, or TP × PP). */
export function deploymentLabel(p) {
  const split = p.gpus === 1 ? '' : p.tp > 1 && p.pp > 1 ? ` (TP ${p.tp} × PP ${p.pp})` : p.pp > 1 ? ` (PP ${p.pp})` : ` (TP ${p.tp})`;
  return `${p.hardware} × ${p.gpus}${split}`;
}

/**
 * The table's rows: the Pareto front (`view` 'front') or every feasible point
 * returned ('all', cheapest first), each with its `id`, `on_front` and the
 * front's rows emphasised in the full list.
 */
export function tableRows(result, view) {
  if (!result) return [];
  const front = new Set(result.pareto.map(pointId));
  const rows = view === 'all' ? result.points : result.pareto;
  return rows.map((p) => ({ ...p, id: pointId(p), on_front: front.has(pointId(p)), emphasis: view === 'all' && front.has(pointId(p)) }));
}

/**
 * The Plan panel's URL values for a point ({'plan.<key>': text | null}, and
 * `panel`): the point's model, chip, GPUs, TP or PP, weights, KV and compute
 * dtypes, batch and context = prompt + output; every other Plan workload key
 * (`planKeys`: PlanPanel.stateKeys) is cleared, since a leftover one (a group
 * size, kept components, offloaded layers, a custom chip) would make Plan cost
 * another deployment. Its training inputs (train_*) and its pin stay.
 * `modelKeep`: the components the model's own format keeps in bf16 by default
 * (Plan's weights_keep default); the search keeps none, so Plan is told ''.
 */
export function planParams(point, { model, modelKeep = '', flop_efficiency = 1, bandwidth_efficiency = 1, planKeys }) {
  // A point that names its plan parallelism (tensor × pipeline: pipeline_stages = pp) is opened with it.
  const parallelism = point.parallelism ?? (point.pp > 1 ? 'pipeline' : 'tensor');
  const values = {
    model, hardware: point.hardware, gpus: String(point.gpus), parallelism,
    pipeline_stages: parallelism === 'tensor_pipeline' ? String(point.pp) : null,
    weights_dtype: point.weights, kv_dtype: point.kv_dtype, compute_dtype: point.compute_dtype, batch: String(point.batch),
    context: String(point.context), flop_efficiency: flop_efficiency === 1 ? null : String(flop_efficiency),
    bandwidth_efficiency: bandwidth_efficiency === 1 ? null : String(bandwidth_efficiency), weights_keep: modelKeep ? '' : null,
  };
  const params = { panel: 'plan' };
  for (const key of planKeys) {
    if (key.startsWith('train_')) continue;
    params[`plan.${key}`] = Object.hasOwn(values, key) ? values[key] : null;
  }
  return params;
}

/** `search` (a URL's query text) with `params` applied: null removes a key, '' keeps it empty (Plan reads that as "none kept"). */
export function applyParams(search, params) {
  const query = new URLSearchParams(search);
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined) query.delete(key);
    else query.set(key, value);
  }
  return query.toString();
}

/** The chips chosen after (un)checking `id`, in preset order (`hardware` null: the default list). */
export function toggleHardware(hardware, id, checked, presets) {
  const chosen = new Set(hardware ?? defaultHardware(presets));
  if (checked) chosen.add(id);
  else chosen.delete(id);
  return presets.map((row) => row.id).filter((candidate) => chosen.has(candidate));
}

/**
 * Prices after editing one chip's $/hour: a price equal to the preset's, or an
 * empty field (NaN), goes back to the preset's own (no entry); anything else,
 * even a bad one, is kept for the core to check and name.
 */
export function setPrice(prices, id, usd, presetPrice) {
  const next = { ...prices };
  if (Number.isNaN(usd) || usd === presetPrice) delete next[id];
  else next[id] = usd;
  return next;
}
