// The Search panel's pure part (web/src/panels/search-state.js): its inputs
// from link text and back, the input api.search() takes, where a core error
// goes in the form, the table's rows, and the Plan panel's address for a point
// (read back by the Plan panel's own parser, its plan() gives the point's TPOT).
// Also the table sort (web/src/table-sort.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import {
  applyParams, defaultHardware, deploymentLabel, errorKey, gridSize, listNotice, parseBatches, parseChunks, parseList, parsePrices,
  parseSearchState, planParams, priceErrorChip, searchDefaults, searchParams, servingRows, setPrice, stateKeys, tableRows, toSearchInput,
  toggleHardware,
} from '../../web/src/panels/search-state.js';
import { readWorkload, toInput, weightOptions, workloadKeys } from '../../web/src/panels/workload-form.js';
import { nextDirection, sortRows } from '../../web/src/table-sort.js';

const api = await loadLlmSpacetime();
const chips = api.hardwarePresets();
const weights = weightOptions(api.quantFormats());
const models = api.modelPresets();
const defaults = searchDefaults(api.defaultSearchInput());
const options = { models, hardware: chips, weights, defaults };
const reader = (values) => (key) => (Object.hasOwn(values, key) ? values[key] : null);
const parse = (values) => parseSearchState(reader(values), options);

test('defaults come from the core\'s defaultSearchInput(), TPOT in ms, every gpu and tpu preset', () => {
  const core = api.defaultSearchInput();
  assert.equal(defaults.prompt_tokens, core.prompt_tokens);
  assert.equal(defaults.slo_tpot_ms, core.slo_tpot_s * 1000);
  assert.deepEqual(defaults.weights, core.weights);
  assert.equal(defaults.batches, core.batches.join(','));
  assert.equal(defaults.hardware, null);
  assert.deepEqual(parse({}), defaults);
  // The default chip list is the core's: every gpu and tpu preset (unpriced ones are then skipped and named).
  const ids = defaultHardware(chips);
  assert.ok(ids.includes('h100-sxm') && ids.every((id) => ['gpu', 'tpu'].includes(chips.find((c) => c.id === id).kind)));
  assert.ok(ids.length < chips.length, 'CPU presets are not in the default list');
});

test('link text parses into typed inputs and goes back to the same text; defaults are left out', () => {
  const link = {
    model: 'llama-3-70b', prompt_tokens: '2048', output_tokens: '512', slo_ttft_s: '2', slo_tpot_ms: '50',
    hardware: 'h100-sxm,l4', prices: 'h100-sxm=2.5,l4=0.7', max_gpus: '4', weights: 'bf16,int4', kv_dtype: 'fp8', batches: '1,8,64',
    chunk_tokens: '0,512', slo_attainment: '0.95', flop_efficiency: '0.7', bandwidth_efficiency: '0.8', idle_power_fraction: '0.2', memory_power_fraction: '0.25',
  };
  const state = parse(link);
  assert.deepEqual(state, {
    model: 'llama-3-70b', prompt_tokens: 2048, output_tokens: 512, slo_ttft_s: 2, slo_tpot_ms: 50, hardware: ['h100-sxm', 'l4'],
    prices: { 'h100-sxm': 2.5, l4: 0.7 }, max_gpus: 4, weights: ['bf16', 'int4'], kv_dtype: ['fp8'], batches: '1,8,64',
    chunk_tokens: '0,512', slo_attainment: 0.95, flop_efficiency: 0.7, bandwidth_efficiency: 0.8, idle_power_fraction: 0.2, memory_power_fraction: 0.25,
  });
  const params = searchParams(state, defaults, chips);
  assert.deepEqual(Object.keys(params).sort(), [...stateKeys].sort());
  for (const [key, value] of Object.entries(params)) assert.equal(String(value), link[key], key);
  assert.deepEqual(parse(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))), state);
  // At the defaults nothing goes into the link; the default chip list written out in full is still the default.
  assert.ok(Object.values(searchParams(defaults, defaults, chips)).every((value) => value === null));
  assert.equal(searchParams({ ...defaults, hardware: defaultHardware(chips) }, defaults, chips).hardware, null);
});

test('hostile or junk link text keeps the default, and the list fields say what they did not use', () => {
  const junk = '<img src=x onerror="window.__xss=1">';
  const state = parse({ model: junk, prompt_tokens: 'lots', slo_tpot_ms: 'NaN', max_gpus: '1e999', hardware: `tpu-v9,${junk}`,
    weights: 'int3', kv_dtype: '', batches: '8;0', prices: `h100-sxm=abc,${junk}=1,l4=0.5` });
  assert.equal(state.model, defaults.model);
  assert.equal(state.prompt_tokens, defaults.prompt_tokens);
  assert.equal(state.slo_tpot_ms, defaults.slo_tpot_ms);
  assert.equal(state.max_gpus, defaults.max_gpus);
  assert.equal(state.hardware, null);
  assert.deepEqual(state.weights, defaults.weights);
  assert.deepEqual(state.kv_dtype, defaults.kv_dtype);
  assert.equal(state.batches, defaults.batches);
  assert.deepEqual(state.prices, { l4: 0.5 });
  const ids = chips.map((c) => c.id);
  assert.match(listNotice('hardware', `tpu-v9,${junk}`, state), /Hardware .*'tpu-v9', '<img.*are not among the choices; showing every GPU and TPU/);
  assert.match(listNotice('weights', 'int3', state), /'int3' is not among the choices; showing bf16, fp8, int4/);
  assert.match(listNotice('kv_dtype', '', state), /names nothing; showing bf16, fp8/);
  assert.match(listNotice('prices', `h100-sxm=abc,${junk}=1,l4=0.5`, state, ids), /'h100-sxm=abc', '<img.*not used/);
  assert.match(listNotice('batches', '8;0', state), /'8;0' is not a list of whole numbers/);
  // Partly known: the known items are kept, the rest named.
  const partly = parse({ hardware: 'l4,h999,l4' });
  assert.deepEqual(partly.hardware, ['l4']);
  assert.match(listNotice('hardware', 'l4,h999,l4', partly), /'h999' is not among the choices; showing l4/);
  // Known text: no notice; long junk is cut.
  assert.equal(listNotice('hardware', 'l4', partly), null);
  assert.equal(listNotice('prices', 'l4=0.5', state, ids), null);
  assert.equal(listNotice('batches', '1, 2', state), null);
  assert.ok(listNotice('weights', 'x'.repeat(5000), state).length < 200);
});

test('list, batch and price parsers', () => {
  assert.deepEqual(parseList(' a, b ,,a, c', ['a', 'b']), { known: ['a', 'b'], unknown: ['c'] });
  assert.equal(parseBatches('1, 2,64'), '1,2,64');
  for (const bad of ['', '0', '1.5', '-1', '1e3', 'x', '1,,2x', null]) assert.equal(parseBatches(bad), null, String(bad));
  assert.deepEqual(parsePrices('a=1,b=2,a=3,c=x,d', ['a', 'b', 'c']), { prices: { a: 1, b: 2 }, unusable: ['a=3', 'c=x', 'd'] });
  // A price edit: the preset's own price or an empty field removes the entry; a bad one is kept for the core to name.
  assert.deepEqual(setPrice({}, 'l4', 0.9, 0.8), { l4: 0.9 });
  assert.deepEqual(setPrice({ l4: 0.9 }, 'l4', 0.8, 0.8), {});
  assert.deepEqual(setPrice({ l4: 0.9 }, 'l4', NaN, 0.8), {});
  assert.deepEqual(setPrice({}, 'l4', -1, 0.8), { l4: -1 });
  // Chips (un)checked stay in preset order; unchecking from the default list starts from it.
  const ids = defaultHardware(chips);
  assert.deepEqual(toggleHardware(null, ids[0], false, chips), ids.slice(1));
  assert.deepEqual(toggleHardware(['l4'], 'h100-sxm', true, chips), chips.map((c) => c.id).filter((id) => id === 'l4' || id === 'h100-sxm'));
});

test('the API input: TPOT in seconds, the default chips as [], an imported model as its config', () => {
  const input = toSearchInput({ ...defaults, slo_tpot_ms: 50, prices: { l4: 0.7 } }, models);
  assert.equal(input.slo_tpot_s, 0.05);
  assert.deepEqual(input.hardware, []);
  assert.deepEqual(input.prices, { l4: 0.7 });
  const imported = { id: 'imported', config: { ...models.find((m) => m.id === 'llama-3-8b').config, name: 'mine' } };
  assert.equal(toSearchInput({ ...defaults, model: 'imported' }, [imported, ...models]).model, imported.config);
  // It is an input the core takes: a small search runs, and its grid bound holds.
  const state = { ...defaults, hardware: ['h100-sxm', 'l4'], max_gpus: 2, batches: '1,16' };
  const r = api.search(toSearchInput(state, models));
  assert.ok(r.evaluated > 0 && r.evaluated + r.skipped_configurations <= gridSize(state, chips), `${r.evaluated} ≤ ${gridSize(state, chips)}`);
  assert.equal(gridSize(state, chips), 2 * 3 * 2 * 2 * 3);
  // 8 GPUs: (tp, pp) with tp × pp ≤ 8 are 8 + 4 + 2 + 2 + 1 + 1 + 1 + 1 = 20 splits; every chip priced, the bound is met.
  const eight = { ...state, max_gpus: 8 };
  assert.equal(gridSize(eight, chips), 2 * 3 * 2 * 2 * 20);
  const all = api.search(toSearchInput({ ...eight, prices: { l4: 0.8 } }, models));
  assert.ok(all.evaluated + all.skipped_configurations <= gridSize(eight, chips));
});

test('core errors go to their field: TPOT to the ms field, prices to the chip named', () => {
  const caught = (input) => {
    try {
      api.search({ model: 'llama-3-8b', hardware: ['l4'], max_gpus: 1, batches: [1], ...input });
    } catch (error) {
      return error;
    }
    assert.fail('no error');
  };
  assert.equal(errorKey(caught({ slo_tpot_s: -1 })), 'slo_tpot_ms');
  assert.equal(errorKey(caught({ max_gpus: 0 })), 'max_gpus');
  assert.equal(errorKey(caught({ batches: '8,0' })), 'batches');
  assert.equal(errorKey(caught({ weights: ['int3'] })), 'weights');
  assert.equal(errorKey(caught({ model: { ...models.find((m) => m.id === 'llama-3-8b').config, kv_heads: 5 } })), 'model');
  const price = caught({ prices: { l4: -2 } });
  assert.equal(errorKey(price), 'prices');
  assert.equal(priceErrorChip(price, chips.map((c) => c.id)), 'l4');
  assert.equal(priceErrorChip({ field: 'prices.h100-sxm', message: 'x' }, ['h100-sxm']), 'h100-sxm');
  assert.equal(priceErrorChip({ field: 'max_gpus', message: '"l4"' }, ['l4']), null);
});

test('table rows: the front, or every feasible point with the front emphasised; ids pair a pinned search\'s rows', () => {
  const r = api.search({ model: 'llama-3-8b', hardware: ['h100-sxm', 'l4'], max_gpus: 2, batches: [1, 16, 128] });
  const front = tableRows(r, 'front');
  assert.equal(front.length, r.pareto.length);
  assert.ok(front.every((row) => row.on_front && !row.emphasis));
  const all = tableRows(r, 'all');
  assert.equal(all.length, r.points.length);
  assert.equal(all.filter((row) => row.emphasis).length, r.pareto.length);
  assert.equal(new Set(all.map((row) => row.id)).size, all.length, 'one id per configuration');
  assert.deepEqual(tableRows(null, 'front'), []);
});

// The Plan panel's inputs (plan-panel.js `defaults`): its URL keys, read back with its own parser.
const planDefaults = {
  model: 'llama-2-70b', hardware: 'h100-sxm', weights_dtype: 'fp16', weights_group: 0, weights_scale_dtype: 'fp16', weights_keep: '',
  weights_bits: 0, kv_dtype: 'fp16', compute_dtype: 'fp16', batch: 16, context: 4096, images: 0, flop_efficiency: 1,
  bandwidth_efficiency: 1, fused_attention: true, gpus: 2, parallelism: 'tensor', offload_layers: 0,
};
const planKeys = [...workloadKeys(planDefaults), 'train_batch', 'train_method'];

// Once the search has mixed splits its points name their parallelism, and Plan reads pipeline_stages.
function planOf(query, withStages) {
  const defaults = withStages ? { ...planDefaults, pipeline_stages: 1 } : planDefaults;
  const params = new URLSearchParams(query);
  const read = (key) => params.get(`plan.${key}`);
  const state = readWorkload(read, defaults, { models, hardware: chips, weights });
  return { state, plan: api.plan(toInput(state, models)) };
}

test('Open in Plan: Plan reads the point back and its plan() gives the same TPOT, whatever its link held before', () => {
  const input = { model: 'llama-3-8b', prompt_tokens: 1024, output_tokens: 256, hardware: ['h100-sxm', 'l4'], max_gpus: 4,
    weights: ['bf16', 'fp8', 'int4'], kv_dtype: ['bf16', 'fp8'], batches: [1, 32, 256] };
  const r = api.search(input);
  // A Plan link full of values that would contradict a point: a grouped format, kept parts, offload, images, a custom chip.
  const dirty = 'panel=roofline&plan.weights_group=32&plan.weights_keep=embedding&plan.weights_bits=4.5&plan.offload_layers=3'
    + '&plan.images=2&plan.fused_attention=0&plan.hw_fp16_tflops=1&plan.flop_efficiency=0.5&plan.train_batch=4&hf=abc&kv.preset=qwen2-7b';
  const points = [...r.pareto, ...r.points.filter((p) => p.pp > 1).slice(0, 3)];
  const withStages = 'parallelism' in points[0];
  const keys = withStages ? [...planKeys, 'pipeline_stages'] : planKeys;
  assert.ok(points.some((p) => p.pp > 1) && points.some((p) => p.tp > 1) && points.some((p) => p.compute_dtype === 'fp8'));
  for (const p of points) {
    const params = planParams(p, { model: 'llama-3-8b', planKeys: keys });
    const query = applyParams(dirty, params);
    const { state, plan } = planOf(query, withStages);
    assert.equal(plan.decode.step_s, p.tpot_s, JSON.stringify(p));
    assert.equal(plan.fits, true);
    assert.deepEqual([state.model, state.hardware, state.gpus, state.parallelism, state.weights_dtype, state.kv_dtype, state.compute_dtype,
      state.batch, state.context], ['llama-3-8b', p.hardware, p.gpus, p.parallelism ?? (p.pp > 1 ? 'pipeline' : 'tensor'), p.weights, p.kv_dtype,
      p.compute_dtype, p.batch, 1280]);
    const kept = new URLSearchParams(query);
    assert.equal(kept.get('panel'), 'plan');
    for (const key of ['plan.weights_group', 'plan.weights_keep', 'plan.weights_bits', 'plan.offload_layers', 'plan.images',
      'plan.fused_attention', 'plan.hw_fp16_tflops', 'plan.flop_efficiency']) assert.equal(kept.get(key), null, key);
    // Training inputs, the imported model and other panels' keys stay.
    assert.deepEqual([kept.get('plan.train_batch'), kept.get('hf'), kept.get('kv.preset')], ['4', 'abc', 'qwen2-7b']);
  }
  // Efficiencies other than 1 go along.
  const slow = api.search({ ...input, hardware: ['l4'], prices: { l4: 0.8 }, max_gpus: 1, flop_efficiency: 0.6, bandwidth_efficiency: 0.8 });
  const p = slow.cheapest;
  const { plan } = planOf(applyParams('', planParams(p, { model: 'llama-3-8b', planKeys, flop_efficiency: 0.6, bandwidth_efficiency: 0.8 })));
  assert.equal(plan.decode.step_s, p.tpot_s);
});

test('Open in Plan: a model whose own format keeps parts in bf16 is told to keep none, as the search costs it', () => {
  const model = models.find((m) => m.weights_keep);
  if (!model) return;  // no preset keeps parts by default
  const params = planParams({ hardware: 'h100-sxm', gpus: 8, tp: 8, pp: 1, weights: 'fp8', kv_dtype: 'bf16', compute_dtype: 'fp8',
    batch: 1, context: 2048 }, { model: model.id, modelKeep: model.weights_keep, planKeys });
  assert.equal(params['plan.weights_keep'], '');
  const { state } = planOf(applyParams('', params));
  assert.equal(state.weights_keep, '');
  assert.equal(planParams({ gpus: 1, tp: 1, pp: 1 }, { model: 'llama-3-8b', planKeys })['plan.weights_keep'], null);
});

test('table sort: numbers by value, text in natural order, missing values last, stable', () => {
  const rows = [{ k: 'h200', v: 2 }, { k: 'h100', v: 10 }, { k: 'a10', v: undefined }, { k: 'a100', v: 2 }];
  assert.deepEqual(sortRows(rows, (r) => r.v).map((r) => r.k), ['h200', 'a100', 'h100', 'a10']);
  assert.deepEqual(sortRows(rows, (r) => r.v, 'descending').map((r) => r.k), ['h100', 'h200', 'a100', 'a10']);
  assert.deepEqual(sortRows(rows, (r) => r.k).map((r) => r.k), ['a10', 'a100', 'h100', 'h200']);
  assert.deepEqual(sortRows([{ k: 'x10' }, { k: 'x2' }], (r) => r.k).map((r) => r.k), ['x2', 'x10']);
  assert.notEqual(sortRows(rows, (r) => r.v), rows, 'a new array');
  assert.equal(nextDirection(null, 'v'), 'ascending');
  assert.equal(nextDirection({ key: 'v', direction: 'ascending' }, 'v'), 'descending');
  assert.equal(nextDirection({ key: 'v', direction: 'descending' }, 'v'), 'ascending');
  assert.equal(nextDirection({ key: 'v', direction: 'ascending' }, 'k'), 'ascending');
});

test('Open in Plan: a point that names a tensor × pipeline split opens with its stages; labels name the split', () => {
  const mixed = { hardware: 'h100-sxm', gpus: 8, tp: 4, pp: 2, parallelism: 'tensor_pipeline', weights: 'bf16', kv_dtype: 'bf16',
    compute_dtype: 'bf16', batch: 8, context: 1280 };
  const params = planParams(mixed, { model: 'llama-3-8b', planKeys: [...planKeys, 'pipeline_stages'] });
  assert.deepEqual([params['plan.parallelism'], params['plan.pipeline_stages'], params['plan.gpus']], ['tensor_pipeline', '2', '8']);
  assert.equal(planParams({ ...mixed, tp: 1, pp: 8, parallelism: undefined }, { model: 'x', planKeys: [...planKeys, 'pipeline_stages'] })['plan.pipeline_stages'], null);
  assert.equal(deploymentLabel(mixed), 'h100-sxm × 8 (TP 4 × PP 2)');
  assert.equal(deploymentLabel({ hardware: 'l4', gpus: 2, tp: 1, pp: 2 }), 'l4 × 2 (PP 2)');
  assert.equal(deploymentLabel({ hardware: 'l4', gpus: 1, tp: 1, pp: 1 }), 'l4 × 1');
});

test('chunk budgets: parsed and normalised, none by default, carried to the API; the simulated points as rows', () => {
  assert.equal(defaults.chunk_tokens, '');
  assert.equal(defaults.slo_attainment, 0.9);
  assert.equal(parseChunks(''), '');
  assert.equal(parseChunks(' 0, 512 ,2048'), '0,512,2048');
  for (const bad of ['-1', '1.5', 'x', '512,512', '0,00', '1e3', null]) assert.equal(parseChunks(bad), null, String(bad));
  const state = parseSearchState((key) => ({ chunk_tokens: '0,256', slo_attainment: '0.95' })[key] ?? null, { models, hardware: chips, weights, defaults });
  assert.equal(state.chunk_tokens, '0,256');
  assert.equal(state.slo_attainment, 0.95);
  assert.deepEqual(searchParams(state, defaults, chips).chunk_tokens, '0,256');
  const kept = parseSearchState((key) => (key === 'chunk_tokens' ? '256,junk' : null), { models, hardware: chips, weights, defaults });
  assert.equal(kept.chunk_tokens, '', 'unusable text keeps the default');
  // The API takes it and simulates; the rows pair each point with its front mark.
  const input = toSearchInput({ ...defaults, hardware: ['h100-sxm'], max_gpus: 1, batches: '1,8', weights: ['bf16'], kv_dtype: ['bf16'],
    chunk_tokens: '0,512', slo_tpot_ms: 50 }, models);
  assert.equal(input.chunk_tokens, '0,512');
  const r = api.search(input);
  assert.deepEqual(r.serving.chunk_tokens, [0, 512]);
  const rows = servingRows(r.serving);
  assert.equal(rows.length, r.serving.simulations);
  assert.equal(new Set(rows.map((row) => row.id)).size, rows.length, 'ids are unique');
  assert.equal(rows.filter((row) => row.on_front).length, r.serving.pareto.length);
  assert.equal(api.search({ ...input, chunk_tokens: '' }).serving, null);
  assert.deepEqual(servingRows(null), []);
});
