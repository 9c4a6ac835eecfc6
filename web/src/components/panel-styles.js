// Styles every panel shares (Lit adopts them as constructable stylesheets,
// which the page's CSP allows, unlike inline style attributes).
import { css } from 'lit';

export const panelStyles = css`
  :host { display: block; }
  :host([hidden]) { display: none; }
  h2 { font-size: 1.3rem; margin: 0.5rem 0; }
  h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
  .intro { color: var(--muted, #57606a); max-width: 70ch; margin: 0 0 1rem; }
  .layout { display: grid; grid-template-columns: minmax(260px, 340px) 1fr; gap: 1.5rem; align-items: start; }
  .layout > * { min-width: 0; }
  @media (max-width: 760px) { .layout { grid-template-columns: 1fr; } }
  fieldset { border: 1px solid var(--border, #d0d7de); border-radius: 6px; padding: 0.5rem 0.75rem 0.75rem; margin: 0 0 0.75rem; }
  legend { font-weight: 600; padding: 0 0.25rem; }
  .field { display: grid; grid-template-columns: 1fr 8.5rem; gap: 0.25rem 0.5rem; align-items: center; margin: 0.35rem 0; }
  .field.check { grid-template-columns: auto 1fr; justify-content: start; }
  .field.wide { grid-template-columns: 1fr; }
  label { font-size: 0.9rem; }
  input, select, textarea { font: inherit; font-size: 0.9rem; padding: 0.25rem 0.4rem; min-width: 0;
    border: 1px solid var(--border, #d0d7de); border-radius: 4px; background: var(--bg, #fff); color: inherit; }
  input[type="checkbox"] { width: 1rem; height: 1rem; }
  textarea { width: 100%; box-sizing: border-box; font-family: ui-monospace, monospace; font-size: 0.8rem; }
  input:focus-visible, select:focus-visible, textarea:focus-visible, button:focus-visible { outline: 2px solid var(--accent, #0b5cad); outline-offset: 1px; }
  [aria-invalid="true"] { border-color: var(--error, #b3261e); }
  .field-error { grid-column: 1 / -1; color: var(--error, #b3261e); font-size: 0.85rem; margin: 0; }
  /* A value from the link the field could not use (fields.js): said beside the field, not replaced silently. */
  .field-notice { grid-column: 1 / -1; color: var(--error, #b3261e); font-size: 0.85rem; margin: 0; overflow-wrap: anywhere; }
  .error-banner { color: var(--error, #b3261e); border: 1px solid var(--error, #b3261e); border-radius: 6px; padding: 0.5rem 0.75rem; margin: 0 0 0.75rem; }
  .note { color: var(--muted, #57606a); font-size: 0.9rem; }
  .stale { opacity: 0.5; }
  button.action { font: inherit; padding: 0.35rem 0.8rem; cursor: pointer; border-radius: 6px;
    border: 1px solid var(--accent, #0b5cad); background: var(--accent, #0b5cad); color: var(--on-accent, #fff); }
  button.action.secondary { background: transparent; color: var(--accent, #0b5cad); }
  button.action:disabled { opacity: 0.5; cursor: default; }
  .headline { display: flex; flex-wrap: wrap; gap: 0.75rem 2rem; margin: 0 0 0.5rem; }
  .headline div { min-width: 9rem; }
  .headline .value { font-size: 1.35rem; font-weight: 600; font-variant-numeric: tabular-nums; }
  .headline .label { color: var(--muted, #57606a); font-size: 0.85rem; }
  progress { width: 100%; }
  .pin-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.6rem; margin: 0 0 0.75rem; }
  .pin-controls .pin-status { margin: 0; flex: 1 1 20rem; }
  .pin-controls .field-error { flex-basis: 100%; }
  /* Print: the inputs stay (they say what was computed), without buttons; results get the full width. */
  @media print {
    button, .field:has(input[type="range"]), fieldset:has(textarea), fieldset:has(input[type="file"]) { display: none !important; }
    .layout { display: block; }
    form { column-count: 2; column-gap: 1rem; }
    fieldset { break-inside: avoid; }
    input, select { border: none; padding: 0; }
  }
  ul.assumed { margin: 0.25rem 0; padding-left: 1.2rem; font-size: 0.85rem; color: var(--muted, #57606a); }
`;
