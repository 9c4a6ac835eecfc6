// Attention working memory and HBM traffic, standard against FlashAttention
// (Dao et al. 2022). Pure helpers the KV cache panel renders; the numbers
// come from the core.
import { html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import { plotDefaults } from '../components/plot-figure.js';
import { formatCount } from '../format.js';
import { gb, legend, lines, palette } from './kv-common.js';

function attentionRows(attention) {
  return [
    { what: 'Working memory beyond Q, K, V, O', standard: attention.standard_scores_bytes, flash: attention.flash_extra_bytes },
    { what: 'HBM traffic (fp16 elements)', standard: attention.standard_hbm_bytes, flash: attention.flash_hbm_bytes },
  ];
}

const attentionSeries = ['standard: N×N scores', 'flash: row max + sum', 'standard: HBM traffic', 'flash: HBM traffic'];

function attentionPlot(attention) {
  const rows = attention.series.flatMap((p) => [
    { n: p.n, bytes: p.standard_scores_bytes, what: 'standard: N×N scores' },
    { n: p.n, bytes: p.flash_extra_bytes, what: 'flash: row max + sum' },
    { n: p.n, bytes: p.standard_hbm_bytes, what: 'standard: HBM traffic' },
    { n: p.n, bytes: p.flash_hbm_bytes, what: 'flash: HBM traffic' },
  ]);
  return Plot.plot({
    ...plotDefaults,
    width: 680, height: 320, marginLeft: 60,
    x: { type: 'log', label: 'N (tokens)', grid: true },
    y: { type: 'log', label: 'bytes per head', grid: true },
    color: { domain: attentionSeries, range: palette },
    marks: lines(rows, { x: 'n', y: 'bytes', z: 'what' }),
  });
}

/**
 * The section: `controls` the panel's chip fields, `attention` the core's result
 * (`attentionStale` dims it), `pinnedAttention` the pinned one's, `kv` the
 * closed form (its tokens and head dim name the table).
 */
export function kvAttentionMemorySection({ controls, attention, attentionStale, pinnedAttention, kv }) {
  return html`
      <h3 id="kv-attn-title">Attention working memory and HBM traffic</h3>
      <p class="intro">Standard attention writes the N×N score matrix (fp32) for every head; FlashAttention keeps tiles in
        on-chip SRAM and stores only a running max and sum per row. Traffic follows Dao et al. 2022: 4Nd + 4N² elements
        (Algorithm 0) against 2Nd + T<sub>c</sub>(3Nd + 4N) with T<sub>c</sub> = N / ⌈M / 4d⌉ (Algorithm 1).</p>
      <div class="layout">
        <form @submit=${(event) => event.preventDefault()} aria-label="Attention memory inputs">
          <fieldset>
            <legend>Chip</legend>
            ${controls}
          </fieldset>
        </form>
        ${attention ? html`<div class=${attentionStale ? 'stale' : ''}>
          <llm-result-table id="kv-attn-table" filename="attention-memory"
            caption=${`N = ${formatCount(kv.tokens)}, d = ${formatCount(kv.head_dim)}, all heads and sequences`}
            .columns=${[{ key: 'what', label: 'Quantity' },
              { key: 'standard', label: 'Standard GB', numeric: true, format: gb },
              { key: 'flash', label: 'FlashAttention GB', numeric: true, format: gb }]}
            .rows=${attentionRows(attention)}
            .compare=${pinnedAttention ? attentionRows(pinnedAttention) : null}></llm-result-table>
          <p class="note">Blocks B<sub>c</sub> = ${formatCount(attention.block_cols)}, B<sub>r</sub> = ${formatCount(attention.block_rows)};
            T<sub>c</sub> = ${formatCount(attention.column_blocks)} passes over Q and O; standard attention moves
            <strong id="kv-attn-ratio">${attention.hbm_ratio.toFixed(2)}×</strong> the bytes.</p>
          ${legend('kv-attn-legend', attentionSeries)}
          <llm-plot id="kv-attn-plot" filename="attention-memory" caption="Per head: working memory and HBM traffic vs N (log–log)"
            .build=${() => attentionPlot(attention)}></llm-plot>
        </div>` : nothing}
      </div>`;
}
