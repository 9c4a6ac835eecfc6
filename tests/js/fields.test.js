// The notes a field shows when the link (or an attribute) asked for a value
// the panel could not use: pure functions, no browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { unknownChoiceNote, unknownFlagNote, unknownNumberNote } from '../../web/src/components/fields.js';

const options = [{ value: 'llama-2-7b', label: 'Llama 2 7B' }, { value: 'llama-3-8b', label: 'Llama 3 8B' }];

test('a choice none of the options has is named, with what is shown instead', () => {
  assert.equal(unknownChoiceNote({ label: 'Model', requested: 'nonexistent', value: 'llama-2-7b', options }),
    "Model 'nonexistent' is not one of the choices; showing Llama 2 7B.");
  // Nothing requested, or a known value: no note.
  assert.equal(unknownChoiceNote({ label: 'Model', requested: null, value: 'llama-2-7b', options }), null);
  assert.equal(unknownChoiceNote({ label: 'Model', requested: 'llama-3-8b', value: 'llama-3-8b', options }), null);
  // The panel kept the text (the core then reports it by name): no second message.
  assert.equal(unknownChoiceNote({ label: 'ZeRO stage', requested: '7', value: 7, options: [{ value: '0', label: '0' }] }), null);
  // Long junk is cut, never echoed whole.
  const note = unknownChoiceNote({ label: 'Model', requested: 'x'.repeat(5000), value: 'llama-2-7b', options });
  assert.ok(note.length < 120, note);
});

test('a number that is not one is named; an empty field is left to the core', () => {
  assert.equal(unknownNumberNote({ label: 'Context', requested: 'lots', value: 4096 }), "Context 'lots' is not a finite number; showing 4096.");
  assert.equal(unknownNumberNote({ label: 'Context', requested: 'Infinity', value: 4096 }), "Context 'Infinity' is not a finite number; showing 4096.");
  assert.equal(unknownNumberNote({ label: 'Context', requested: '8192', value: 8192 }), null);
  assert.equal(unknownNumberNote({ label: 'Context', requested: '-5', value: -5 }), null);  // a number: the core checks its range
  assert.equal(unknownNumberNote({ label: 'Context', requested: 'NaN', value: NaN }), null);
});

test('a flag other than 1/0 (or true/false where the panel takes them) is named', () => {
  assert.equal(unknownFlagNote({ label: 'Dropout', requested: 'maybe', checked: false }), "Dropout 'maybe' is not 1 or 0; showing off.");
  assert.equal(unknownFlagNote({ label: 'Dropout', requested: '1', checked: true }), null);
  assert.equal(unknownFlagNote({ label: 'Dropout', requested: 'true', checked: true }), null);
  // A panel that reads only 1/0 ignored 'true': that is reported too.
  assert.equal(unknownFlagNote({ label: 'Dropout', requested: 'true', checked: false }), "Dropout 'true' is not 1 or 0; showing off.");
});
