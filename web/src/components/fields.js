// Labelled form controls as Lit templates. Each shows its error (if any) right
// below itself, linked with aria-describedby so screen readers read it too.
// `onInput(value)` fires while typing; `onCommit(value)` on change (a history entry).
//
// `requested` is the raw text the panel read for this field (from the URL or an
// attribute, e.g. panel.readState(key)). When the panel could not use it and
// shows another value instead, the field says so beside itself ("Model
// 'nonexistent' is not one of the choices; showing Llama 2 7B.") rather than
// replacing it silently.
import { html, nothing } from 'lit';

function errorText(id, error) {
  return error ? html`<p class="field-error" id="${id}-error" role="alert">${error}</p>` : nothing;
}

const quoted = (text) => `'${text.length > 60 ? `${text.slice(0, 60)}…` : text}'`;

/** The note for a choice whose requested text is none of its options (null when it is, or nothing was requested). */
export function unknownChoiceNote({ label, requested, value, options }) {
  if (requested === null || requested === undefined || options.some((option) => option.value === requested)) return null;
  if (String(value) === requested.trim()) return null;  // the panel kept it (the core then names the error)
  const shown = options.find((option) => option.value === String(value))?.label ?? String(value);
  return `${label} ${quoted(requested)} is not one of the choices; showing ${shown}.`;
}

/** The note for a number whose requested text is not a number (null when it is, or nothing was requested). */
export function unknownNumberNote({ label, requested, value }) {
  if (requested === null || requested === undefined) return null;
  const parsed = requested.trim() === '' ? NaN : Number(requested);
  // A field left empty (NaN) gets the core's error instead.
  if (Number.isFinite(parsed) || !Number.isFinite(value)) return null;
  return `${label} ${quoted(requested)} is not a finite number; showing ${value}.`;
}

function noteText(id, note) {
  return note ? html`<p class="field-notice" id="${id}-notice" role="status">${note}</p>` : nothing;
}

// aria-describedby for the error and the notice (whichever are shown).
const describedBy = (id, error, note) => [error ? `${id}-error` : '', note ? `${id}-notice` : ''].filter(Boolean).join(' ') || nothing;

/** A number input; the value passed on is a Number (NaN for empty or junk, which the core rejects by name). */
export function numberField({ id, label, value, error, onInput, onCommit, min, max, step = 'any', help, requested }) {
  const parse = (event) => (event.target.value.trim() === '' ? NaN : Number(event.target.value));
  const note = unknownNumberNote({ label, requested, value });
  return html`<div class="field">
    <label for=${id} title=${help ?? nothing}>${label}</label>
    <input id=${id} name=${id} type="number" inputmode="decimal" step=${step} min=${min ?? nothing} max=${max ?? nothing}
      .value=${Number.isFinite(value) ? String(value) : ''}
      aria-invalid=${error ? 'true' : 'false'} aria-describedby=${describedBy(id, error, note)}
      @input=${(event) => onInput?.(parse(event))} @change=${(event) => onCommit?.(parse(event))} />
    ${errorText(id, error)}${noteText(id, note)}
  </div>`;
}

/** A text input (e.g. a list of lengths); the panel parses the text. `requested` is reported when the panel shows another value. */
export function textField({ id, label, value, error, onCommit, help, requested }) {
  const note = requested !== null && requested !== undefined && String(value) !== requested.trim()
    ? `${label} ${quoted(requested)} is not valid here; showing ${value}.` : null;
  return html`<div class="field">
    <label for=${id} title=${help ?? nothing}>${label}</label>
    <input id=${id} name=${id} type="text" .value=${String(value)}
      aria-invalid=${error ? 'true' : 'false'} aria-describedby=${describedBy(id, error, note)}
      @change=${(event) => onCommit?.(event.target.value)} />
    ${errorText(id, error)}${noteText(id, note)}
  </div>`;
}

/** A select over [{value, label}]. */
export function selectField({ id, label, value, options, error, onCommit, help, requested }) {
  const note = unknownChoiceNote({ label, requested, value, options });
  return html`<div class="field">
    <label for=${id} title=${help ?? nothing}>${label}</label>
    <select id=${id} name=${id} aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${describedBy(id, error, note)}
      @change=${(event) => onCommit?.(event.target.value)}>
      ${options.map((option) => html`<option value=${option.value} ?selected=${option.value === value}>${option.label}</option>`)}
    </select>
    ${errorText(id, error)}${noteText(id, note)}
  </div>`;
}

/** The note for a flag whose requested text the panel did not take (null when it did, or nothing was requested). */
export function unknownFlagNote({ label, requested, checked }) {
  if (requested === null || requested === undefined) return null;
  const parsed = { 1: true, true: true, 0: false, false: false }[requested.trim()];
  if (parsed === Boolean(checked)) return null;
  return `${label} ${quoted(requested)} is not 1 or 0; showing ${checked ? 'on' : 'off'}.`;
}

/** A checkbox. */
export function checkField({ id, label, checked, onCommit, help, requested }) {
  const note = unknownFlagNote({ label, requested, checked });
  return html`<div class="field check">
    <input id=${id} name=${id} type="checkbox" .checked=${Boolean(checked)} aria-describedby=${describedBy(id, null, note)}
      @change=${(event) => onCommit?.(event.target.checked)} />
    <label for=${id} title=${help ?? nothing}>${label}</label>
    ${noteText(id, note)}
  </div>`;
}

/**
 * A slider over powers of two (2^minExponent … 2^maxExponent), for sizes that
 * span orders of magnitude (context lengths, batch sizes). `onInput` fires
 * while dragging with the power of two; `onCommit` when released.
 */
export function log2RangeField({ id, label, value, minExponent, maxExponent, onInput, onCommit }) {
  const exponent = Number.isFinite(value) && value > 0
    ? Math.min(maxExponent, Math.max(minExponent, Math.round(Math.log2(value)))) : minExponent;
  const read = (event) => 2 ** Number(event.target.value);
  return html`<div class="field wide">
    <label for=${id}>${label}</label>
    <input id=${id} name=${id} type="range" min=${minExponent} max=${maxExponent} step="1" .value=${String(exponent)}
      aria-valuetext=${`${2 ** exponent} tokens`}
      @input=${(event) => onInput?.(read(event))} @change=${(event) => onCommit?.(read(event))} />
  </div>`;
}
