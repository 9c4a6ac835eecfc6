// The size budget of the WASM modules (issue 16, item 1): the first-load
// module is what the page's Model panel and the llm-model element fetch before
// the first number shows; it and the calculator (every other closed form,
// fetched when another panel or an explain view needs it) must not grow past
// their budgets (tests/wasm-budget.js), raw or gzipped (zlib's default level,
// as a static host compresses). The lab holds the kernels, and no closed form;
// the calculators hold no kernel.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { createApi, createFirstApi, labMethods } from '../../lib/api.js';
import { loadModule } from '../../lib/node.js';
import { budgets, targets } from '../wasm-budget.js';
import { root } from './helpers.js';

const sizes = (name) => {
  const bytes = readFileSync(join(root, 'web', 'generated', `${name}.wasm`));
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
};

const files = { first: 'llm_spacetime', calculator: 'llm_spacetime_calculator' };

for (const [module, name] of Object.entries(files)) {
  test(`the ${module === 'first' ? 'first-load module' : 'calculator'} (${name}.wasm) stays within its size budget, raw and gzipped`, (t) => {
    const size = sizes(name);
    const budget = budgets[module];
    const lab = sizes('llm_spacetime_lab');
    t.diagnostic(`${name} ${size.raw} B raw, ${size.gzip} B gzipped (budget ${budget.raw} / ${budget.gzip}` +
      (module === 'first' ? `; issue 16's targets ${targets.firstRawBytes} / ${targets.firstGzipBytes}` : '') +
      `); lab ${lab.raw} B raw, ${lab.gzip} B gzipped`);
    assert.ok(size.raw <= budget.raw, `${name} ${size.raw} B raw > budget ${budget.raw} B`);
    assert.ok(size.gzip <= budget.gzip, `${name} ${size.gzip} B gzipped > budget ${budget.gzip} B`);
    // A budget that passes trivially checks nothing: it sits within 10 % of what the module weighs.
    assert.ok(size.raw > 0.9 * budget.raw && size.gzip > 0.9 * budget.gzip,
      'the budget is far above the module: lower it to what the module now weighs plus a small margin');
  });
}

test('the first load fits its budget of WASM bytes: the first-load module alone', () => {
  assert.ok(sizes(files.first).raw <= budgets.firstLoadWasmBytes);
});

test('the first-load module registers the model area alone; the calculator every closed form and no kernel; the lab no closed form', async () => {
  const first = await loadModule({ module: 'first' });
  const calculator = await loadModule();
  const lab = await loadModule({ module: 'lab' });
  for (const name of [...labMethods, 'benchKernel']) {
    assert.equal(calculator[name], undefined, `calculator has ${name}`);
    assert.equal(first[name], undefined, `first-load module has ${name}`);
    assert.equal(typeof lab[name], 'function', `lab lacks ${name}`);
  }
  for (const name of ['modelReport', 'modelPresets', 'importHfConfig', 'defaultModelConfig']) {
    assert.equal(typeof first[name], 'function', `first-load module lacks ${name}`);
  }
  for (const name of ['plan', 'roofline', 'serve', 'search', 'explainModel', 'kvCache', 'quantSize', 'estimateAttentionRun']) {
    assert.equal(first[name], undefined, `first-load module has ${name}`);
  }
  for (const name of ['plan', 'modelReport', 'explainModel', 'kvCache', 'importHfConfig', 'estimateAttentionRun']) {
    assert.equal(typeof calculator[name], 'function', `calculator lacks ${name}`);
    assert.equal(lab[name], undefined, `lab has ${name}`);
  }
});

test('createFirstApi answers its functions as createApi does, with the same names', async () => {
  const firstApi = createFirstApi(await loadModule({ module: 'first' }));
  const api = createApi(await loadModule());
  for (const name of Object.keys(firstApi)) assert.equal(typeof api[name], 'function', `createApi lacks ${name}`);
  assert.deepEqual(firstApi.modelPresets(), api.modelPresets());
  assert.deepEqual(firstApi.defaultModelConfig(), api.defaultModelConfig());
  for (const id of ['llama-2-7b', 'deepseek-v3', 'gpt2']) {
    const { config } = firstApi.modelPreset(id);
    assert.deepEqual(firstApi.modelReport(config, { context_tokens: 8192 }), api.modelReport(config, { context_tokens: 8192 }), id);
  }
  const text = readFileSync(join(root, 'tests', 'fixtures', 'hf', 'llama-3.1-8b.json'), 'utf8');
  assert.deepEqual(firstApi.importHfConfig(text), api.importHfConfig(text));
  assert.throws(() => firstApi.modelReport({ n_layers: 0 }), (error) => error.name === 'InputError' && error.field === 'n_layers');
});
