// The pure parts of compare and export (no WASM, no browser): the pinned-URL
// encoding, row pairing and ratios, and the CSV text.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { csvText, formatRatio, jsonRows, pairRows, ratio } from '../../web/src/compare.js';
import { decodePin, emptyPin, encodePin, maxPinLength } from '../../web/src/pin.js';
import { toCsv, toCsvRows } from '../../web/src/export.js';

const keys = ['preset', 'context', 'n_kv_heads'];

test('a pin round-trips through its URL text', () => {
  const text = encodePin({ preset: 'llama-2-7b', context: 4096, n_kv_heads: null });
  assert.equal(text, 'preset=llama-2-7b&context=4096');
  assert.deepEqual(decodePin(text, keys), { values: { preset: 'llama-2-7b', context: '4096' }, problems: [] });
  // An all-defaults snapshot still pins (an empty parameter would vanish from the URL).
  assert.equal(encodePin({}), emptyPin);
  assert.deepEqual(decodePin(emptyPin, keys), { values: {}, problems: [] });
  assert.deepEqual(decodePin(null, keys), { values: null, problems: [] });
});

test('hostile pins are reduced to known keys with short text values, and every drop is reported', () => {
  const hostile = new URLSearchParams([
    ['<img src=x onerror=alert(1)>', '1'], ['__proto__', 'x'], ['n_kv_heads', '<script>alert(1)</script>'],
    ['n_kv_heads', '8'], ['context', '9'.repeat(500)],
  ]).toString();
  const { values, problems } = decodePin(hostile, keys);
  // The script text is kept as text: the panel's number parser rejects it later.
  assert.deepEqual(values, { n_kv_heads: '<script>alert(1)</script>' });
  assert.equal(Object.getPrototypeOf(values), Object.prototype);
  assert.equal(problems.length, 4);
  assert.match(problems.join('\n'), /unknown key "<img src=x onerror=alert\(1\)>"/);
  assert.match(problems.join('\n'), /unknown key "__proto__"/);
  assert.match(problems.join('\n'), /repeated key "n_kv_heads"/);
  assert.match(problems.join('\n'), /"context" is 500 characters/);
  const huge = decodePin('a'.repeat(maxPinLength + 1), keys);
  assert.equal(huge.values, null);
  assert.match(huge.problems[0], /4001 characters/);
});

test('CSV quotes what RFC 4180 requires and keeps raw numbers', () => {
  assert.equal(toCsvRows(['a', 'b,c'], [[1.5, 'say "hi"'], [null, 'x\ny']]), 'a,"b,c"\r\n1.5,"say ""hi"""\r\n,"x\ny"\r\n');
  assert.equal(toCsv([{ key: 'n', label: 'N' }], [{ n: 6738415616 }]), 'N\r\n6738415616\r\n');
});

test('rows pair by key, ratios are current ÷ pinned, and exports carry both', () => {
  const columns = [{ key: 'label', label: 'Part' }, { key: 'count', label: 'Total', numeric: true },
    { key: 'count', label: 'Millions', numeric: true, value: (row) => row.count / 1e6 }];
  const current = [{ label: 'K', count: 4 }, { label: 'Total', count: 6, emphasis: true }, { label: 'New', count: 1 }];
  const pinned = [{ label: 'K', count: 8 }, { label: 'Total', count: 12 }, { label: 'Gone', count: 0 }];
  const pairs = pairRows(current, pinned, (row) => row.label);
  assert.deepEqual(pairs.map((p) => [p.current?.label ?? null, p.pinned?.label ?? null]),
    [['K', 'K'], ['Total', 'Total'], ['New', null], [null, 'Gone']]);
  // 4 / 8 = 0.5; 6 / 12 = 0.5; no ratio without both sides or over a zero.
  assert.equal(ratio(4, 8), 0.5);
  assert.equal(ratio(1, 0), null);
  assert.equal(ratio(0, 0), null);
  assert.equal(ratio(undefined, 3), null);
  assert.equal(formatRatio(5933109248 / 6738415616), '0.88×');
  assert.equal(formatRatio(4), '4.00×');
  assert.equal(formatRatio(12.34), '12.3×');
  assert.equal(formatRatio(1500), '1,500×');
  assert.equal(formatRatio(null), '—');
  const csv = csvText(columns, pairs, true).split('\r\n');
  assert.equal(csv[0], 'Part,Total,Total (pinned),Total × vs pinned,Millions,Millions (pinned),Millions × vs pinned');
  assert.equal(csv[1], 'K,4,8,0.5,0.000004,0.000008,0.5');
  assert.equal(csv[3], 'New,1,,,0.000001,,');
  assert.equal(csv[4], 'Gone,,0,,,0,');
  const json = jsonRows([columns[0], columns[1]], pairs, true);
  assert.deepEqual(json[1], { label: 'Total', count: 6, pinned: { label: 'Total', count: 12 }, ratio: { count: 0.5 } });
  assert.deepEqual(jsonRows(columns, pairs.slice(0, 1).map((p) => ({ current: p.current, pinned: null })), false), [{ label: 'K', count: 4 }]);
});

test('rows with an id match by id, whatever their labels say', async () => {
  const { defaultRowKey } = await import('../../web/src/compare.js');
  const key = defaultRowKey([{ key: 'what', label: '' }, { key: 'bytes', label: 'Bytes', numeric: true }]);
  const pairs = pairRows([{ id: 'sequence', what: 'Per sequence (8,192 tokens)', bytes: 2 }],
    [{ id: 'sequence', what: 'Per sequence (4,096 tokens)', bytes: 1 }], key);
  assert.equal(pairs.length, 1);
  assert.equal(pairs[0].pinned.bytes, 1);
  assert.notEqual(key({ what: 'a', bytes: 1 }), key({ what: 'b', bytes: 1 }));
});
