// The paging simulation: seeded request lengths admitted into a KV budget,
// naive preallocation against paged blocks. Pure helpers the KV cache panel
// renders; the simulation runs in the core.
import { html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import { plotDefaults } from '../components/plot-figure.js';
import { formatCount, formatPercent } from '../format.js';
import { gb } from './kv-common.js';

/** Requests the page's simulation admits at most (the CLI allows up to 10 million). */
export const panelMaxRequests = 20000;

function lengthPlot(sim, maxTokens) {
  return Plot.plot({
    ...plotDefaults,
    width: 640, height: 240, marginLeft: 50,
    x: { label: 'request length (tokens)' },
    y: { label: 'requests', grid: true },
    marks: [
      Plot.rectY(sim.histogram, { x1: 'low', x2: 'high', y: 'count', fill: '#3b82f6', inset: 0.5 }),
      Plot.ruleX([maxTokens], { stroke: '#d1242f', strokeDasharray: '4,3' }),
      Plot.ruleY([0]),
    ],
  });
}

/**
 * The section: `controls` the panel's request-mix fields, `sim` the core's result
 * (`simStale` dims it, `simMs` its time), `pinnedSim` the pinned one's, `maxTokens`
 * what naive serving reserves.
 */
export function kvPagingSection({ controls, sim, simMs, simStale, pinnedSim, maxTokens }) {
  return html`
      <h3 id="kv-sim-title">Paging simulation</h3>
      <p class="intro">Requests with seeded random lengths are admitted first come, first served until the budget is full.
        A server without paging reserves the whole context for each one; paged allocation (vLLM) hands out blocks as tokens
        arrive, so only each sequence's last block is partly empty.</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Paging simulation inputs">
          <fieldset>
            <legend>Request mix</legend>
            ${controls}
          </fieldset>
        </form>
        ${sim ? html`<div class=${simStale ? 'stale' : ''}>
          <p class="note" id="kv-sim-summary">${formatCount(sim.requests_drawn)} requests drawn, mean
            ${sim.mean_length_tokens.toFixed(1)} tokens (std ${sim.std_length_tokens.toFixed(1)},
            ${formatPercent(sim.clipped_fraction, 2)} clipped). Paged fits
            <strong>${sim.paged_vs_naive_sequences.toFixed(2)}×</strong> the sequences of naive preallocation${sim.hit_request_limit ? ` (admission stopped at the page's limit of ${formatCount(panelMaxRequests)} requests, before the budget was full; the CLI allows up to 10 million)` : ''}.
            <span class="timing">Computed in ${simMs.toFixed(1)} ms.</span></p>
          <llm-result-table id="kv-sim-table" filename="kv-paging" caption="Sequences in the budget and reserved memory that holds no token"
            .columns=${[{ key: 'label', label: 'Scheme' },
              { key: 'sequences', label: 'Sequences', numeric: true, format: formatCount },
              { key: 'reserved_bytes', label: 'Reserved GB', numeric: true, format: gb },
              { key: 'used_bytes', label: 'Used GB', numeric: true, format: gb },
              { key: 'waste_fraction', label: 'Waste', numeric: true, format: (x) => formatPercent(x, 2) }]}
            .rows=${sim.schemes} .compare=${pinnedSim?.schemes ?? null}></llm-result-table>
          <llm-plot id="kv-sim-plot" filename="kv-paging-lengths" caption="Drawn request lengths; the dashed rule is what naive serving reserves"
            .build=${() => lengthPlot(sim, maxTokens)}></llm-plot>
        </div>` : nothing}
      </div>`;
}
