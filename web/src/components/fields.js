// Labelled form controls as Lit templates. Each shows its error (if any) right
// below itself, linked with aria-describedby so screen readers read it too.
// `onInput(value)` fires while typing; `onCommit(value)` on change (a history entry).
import { html, nothing } from 'lit';

function errorText(id, error) {
  return error ? html`<p class="field-error" id="${id}-error" role="alert">${error}</p>` : nothing;
}

/** A number input; the value passed on is a Number (NaN for empty or junk, which the core rejects by name). */
export function numberField({ id, label, value, error, onInput, onCommit, min, max, step = 'any', help }) {
  const parse = (event) => (event.target.value.trim() === '' ? NaN : Number(event.target.value));
  return html`<div class="field">
    <label for=${id} title=${help ?? nothing}>${label}</label>
    <input id=${id} name=${id} type="number" inputmode="decimal" step=${step} min=${min ?? nothing} max=${max ?? nothing}
      .value=${Number.isFinite(value) ? String(value) : ''}
      aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `${id}-error` : nothing}
      @input=${(event) => onInput?.(parse(event))} @change=${(event) => onCommit?.(parse(event))} />
    ${errorText(id, error)}
  </div>`;
}

/** A select over [{value, label}]. */
export function selectField({ id, label, value, options, error, onCommit, help }) {
  return html`<div class="field">
    <label for=${id} title=${help ?? nothing}>${label}</label>
    <select id=${id} name=${id} aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${error ? `${id}-error` : nothing}
      @change=${(event) => onCommit?.(event.target.value)}>
      ${options.map((option) => html`<option value=${option.value} ?selected=${option.value === value}>${option.label}</option>`)}
    </select>
    ${errorText(id, error)}
  </div>`;
}

/** A checkbox. */
export function checkField({ id, label, checked, onCommit, help }) {
  return html`<div class="field check">
    <input id=${id} name=${id} type="checkbox" .checked=${Boolean(checked)}
      @change=${(event) => onCommit?.(event.target.checked)} />
    <label for=${id} title=${help ?? nothing}>${label}</label>
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
