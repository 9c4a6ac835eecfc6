import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadLlmSpacetime } from '../../lib/node.js';

const api = await loadLlmSpacetime();

test('plain dtypes cross the boundary as plain arrays', () => {
  const dtypes = api.plainDtypes();
  assert.ok(Array.isArray(dtypes));
  assert.deepEqual(dtypes.map((dtype) => dtype.id), ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4']);
  assert.equal(dtypes.find((dtype) => dtype.id === 'int4').bits, 4);
});
