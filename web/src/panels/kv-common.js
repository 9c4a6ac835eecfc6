// Helpers the KV cache panel's sections share: GB text, ratios, the line
// palette and its HTML legend (styled by the panel's .legend/.swatch classes).
import { html } from 'lit';
import * as Plot from '@observablehq/plot';

export const gb = (bytes) => (bytes / 1e9).toLocaleString('en-US', { maximumSignificantDigits: 4 });

export const ratio = (value) => `${value.toFixed(4)}×`;

// Line colours (Observable's categorical scheme). The legend is HTML in this
// panel, styled by class, since Plot's own legend needs a <style> the CSP blocks.
export const palette = ['#4269d0', '#efb118', '#ff725c', '#3ca951', '#a463f2', '#9c6b4e'];

export function legend(id, names) {
  return html`<ul class="legend" id=${id} aria-label="Legend">
    ${names.map((name, i) => html`<li><span class=${`swatch swatch-${i}`} aria-hidden="true"></span>${name}</li>`)}</ul>`;
}

export function lines(data, { x, y, z }) {
  return [Plot.line(data, { x, y, stroke: z, strokeWidth: 2 })];
}
