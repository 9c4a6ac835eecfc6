// The size budget of the WASM modules (issue 16, item 1): the calculator is
// what the page and every embed fetch before the first number shows; it must
// not grow past its budget (tests/wasm-budget.js), raw or gzipped (zlib's
// default level, as a static host compresses). The lab holds the kernels, and
// no closed form; the calculator holds no kernel.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { labMethods } from '../../lib/api.js';
import { loadModule } from '../../lib/node.js';
import { calculatorGzipBytes, calculatorRawBytes, targets } from '../wasm-budget.js';
import { root } from './helpers.js';

const sizes = (name) => {
  const bytes = readFileSync(join(root, 'web', 'generated', `${name}.wasm`));
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
};

test('the calculator module stays within its size budget, raw and gzipped', (t) => {
  const calculator = sizes('llm_spacetime');
  const lab = sizes('llm_spacetime_lab');
  t.diagnostic(`calculator ${calculator.raw} B raw, ${calculator.gzip} B gzipped (budget ${calculatorRawBytes} / ${calculatorGzipBytes}; ` +
    `issue 16's targets ${targets.calculatorRawBytes} / ${targets.calculatorGzipBytes}); lab ${lab.raw} B raw, ${lab.gzip} B gzipped`);
  assert.ok(calculator.raw <= calculatorRawBytes, `calculator ${calculator.raw} B raw > budget ${calculatorRawBytes} B`);
  assert.ok(calculator.gzip <= calculatorGzipBytes, `calculator ${calculator.gzip} B gzipped > budget ${calculatorGzipBytes} B`);
  // A budget that passes trivially checks nothing: it sits within 10 % of what the module weighs.
  assert.ok(calculator.raw > 0.9 * calculatorRawBytes && calculator.gzip > 0.9 * calculatorGzipBytes,
    'the budget is far above the module: lower it to what the module now weighs plus a small margin');
});

test('the calculator registers no measured run and no kernel; the lab no closed form', async () => {
  const calculator = await loadModule();
  const lab = await loadModule({ module: 'lab' });
  for (const name of [...labMethods, 'benchKernel']) {
    assert.equal(calculator[name], undefined, `calculator has ${name}`);
    assert.equal(typeof lab[name], 'function', `lab lacks ${name}`);
  }
  for (const name of ['plan', 'modelReport', 'explainModel', 'kvCache', 'importHfConfig', 'estimateAttentionRun']) {
    assert.equal(typeof calculator[name], 'function', `calculator lacks ${name}`);
    assert.equal(lab[name], undefined, `lab has ${name}`);
  }
});
