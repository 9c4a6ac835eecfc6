// The API's one input policy (lib/convert.js mergeChecked): every area refuses
// unknown fields and values of the wrong kind with an InputError naming the
// field — never a TypeError, an Embind BindingError, or a silently dropped key.
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';
import { assertInputError } from './helpers.js';

const api = await loadLlmSpacetime();

test('quant: unknown fields and wrong kinds are named', () => {
  assertInputError(() => api.quantSize({ params: { ffn: 1e9 }, format: 5 }), 'format', /must be a string/);
  assertInputError(() => api.quantSize({ params: { ffn: 1e9 }, fromat: 'int4' }), 'fromat', /unknown/);
  assertInputError(() => api.quantSize({ params: { ffn: 2n } }), 'params.ffn', /must be a number/);
  assertInputError(() => api.quantSize({ params: { heads: 1 } }), 'params.heads', /unknown/);
  assertInputError(() => api.quantSize({ config: { n_layers: Symbol('x') } }), 'config.n_layers', /must be a number/);
  assertInputError(() => api.quantBitsPerWeight(null), 'quant spec', /must be an object/);
  assertInputError(() => api.quantBitsPerWeight({ group_size: 10n }), 'group_size', /must be a number/);
  assertInputError(() => api.quantLab({ n: '1e6' }), 'n', /must be a number/);
  assertInputError(() => api.quantLab({ sample: 3 }), 'sample', /unknown/);
  assertInputError(() => api.quantGemv({ rows: null }), 'rows', /must be a number/);
});

test('memory: unknown fields and wrong kinds are named', () => {
  assertInputError(() => api.kvCache({ prompt: 1 }), 'prompt', /unknown/);
  assertInputError(() => api.kvCache({ prompt_tokens: '4096' }), 'prompt_tokens', /must be a number/);
  assertInputError(() => api.kvCache({ quant_asymmetric: 'yes' }), 'quant_asymmetric', /must be a boolean/);
  assertInputError(() => api.kvCache(5), 'input', /must be an object/);
  assertInputError(() => api.kvShapeFromModel({ layers: 3 }), 'layers', /unknown/);
});

test('model and roofline: nested fields are named with their parent', () => {
  assertInputError(() => api.plan({ model: { n_layers: [1] } }), 'n_layers', /must be a number/);
  assertInputError(() => api.plan({ hardware: { base: 'h100-sxm', memory_gb_per_s: '3350' } }), 'hardware.memory_gb_per_s', /must be a number/);
  // A per-layer list may be given as an array of words.
  assertInputError(() => api.modelReport({ n_layers: 2, layer_types: ['full', 'global'] }), 'layer_types', /global/);
});
