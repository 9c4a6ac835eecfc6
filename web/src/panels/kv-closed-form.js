// The KV cache's closed form: headline sizes, the size table, attention
// variants and token-keeping strategies, and KV bytes against context.
// Pure helpers the KV cache panel renders; its numbers come from the core.
import { html, nothing } from 'lit';
import * as Plot from '@observablehq/plot';

import { explained } from '../components/explain-view.js';
import { plotDefaults } from '../components/plot-figure.js';
import { formatBytes, formatCount, formatPercent } from '../format.js';
import { gb, legend, lines, palette, ratio } from './kv-common.js';

// GB and GiB are the same bytes, shown and exported in those units.
const bytesColumns = [
  { key: 'bytes', label: 'Bytes', numeric: true, format: formatCount },
  { key: 'gb', label: 'GB', numeric: true, value: (row) => row.bytes / 1e9, format: (v) => v.toLocaleString('en-US', { maximumSignificantDigits: 4 }) },
  { key: 'gib', label: 'GiB', numeric: true, value: (row) => row.bytes / 2 ** 30, format: (v) => v.toLocaleString('en-US', { maximumSignificantDigits: 4 }) },
];

/** The KV size rows; `id` matches the rows of a pinned configuration whatever their labels say. */
function kvRows(kv) {
  const rows = [
    { id: 'token', what: 'Per token (every KV layer)', bytes: kv.bytes_per_token },
    { id: 'sequence', what: `Per sequence (${formatCount(kv.tokens)} tokens)`, bytes: kv.bytes_per_sequence },
    { id: 'total', what: `Total (batch ${formatCount(kv.bytes / kv.bytes_per_sequence)})`, bytes: kv.bytes, emphasis: true },
  ];
  if (kv.block_size > 0) {
    rows.push({ id: 'paged', what: `Paged in blocks of ${formatCount(kv.block_size)} (waste ${formatPercent(kv.paged_waste_fraction, 2)})`, bytes: kv.paged_bytes });
  }
  if (kv.full_attention_bytes !== kv.bytes) rows.push({ id: 'full', what: 'The same model with full attention', bytes: kv.full_attention_bytes });
  if (kv.indexer_bytes_per_token_per_layer > 0) {
    rows.push({ id: 'indexer', what: 'Of which the sparse-attention indexer keys, per token (fp8 + fp32 scale, every KV layer)',
      bytes: kv.indexer_bytes_per_token_per_layer * kv.kv_layers });
  }
  if (kv.unabsorbed_bytes_per_token > 0) {
    rows.push({ id: 'unabsorbed', what: 'Per token in an engine that does not absorb MLA (per-head K and V, e.g. transformers)',
      bytes: kv.unabsorbed_bytes_per_token });
  }
  return rows;
}

// Strategies with the same curve share one line and one legend entry ("A = B").
function strategyCurves(compare) {
  const byId = new Map();
  for (const p of compare.series) {
    if (!byId.has(p.strategy)) byId.set(p.strategy, []);
    byId.get(p.strategy).push(p.bytes_per_sequence);
  }
  const names = [];
  const keep = new Map();  // id → merged label
  for (const row of compare.strategies) {
    const curve = byId.get(row.id).join(',');
    const twin = [...keep.keys()].find((id) => byId.get(id).join(',') === curve);
    if (twin) keep.set(twin, `${keep.get(twin)} = ${row.label.toLowerCase()}`);
    else keep.set(row.id, row.label);
  }
  for (const label of keep.values()) names.push(label);
  const data = compare.series.filter((p) => keep.has(p.strategy)).map((p) => ({ ...p, strategy: keep.get(p.strategy) }));
  return { names, data };
}

function contextPlot(kv, curves) {
  return Plot.plot({
    ...plotDefaults,
    width: 680, height: 320, marginLeft: 60,
    x: { type: 'log', label: 'context (tokens)', grid: true },
    y: { type: 'log', label: 'KV bytes per sequence', grid: true },
    color: { domain: curves.names, range: palette },
    marks: [...lines(curves.data, { x: 'context', y: 'bytes_per_sequence', z: 'strategy' }),
      Plot.ruleX([kv.tokens], { strokeDasharray: '4,3' })],
  });
}

/**
 * The closed-form results: `kv` and `compare` from the core (`kvStale` dims them),
 * `pinned` the pinned configuration's result, `explain` the lazy explanations,
 * `units` the byte units, `pinControls` the panel's pin buttons.
 */
export function kvClosedForm({ kv, compare, kvStale, pinned, explain, units, pinControls }) {
  if (!kv) return nothing;
  const curves = compare ? strategyCurves(compare) : null;
  const pinnedErrors = Object.values(pinned?.errors ?? {});
  return html`${pinControls}
      ${pinnedErrors.length ? html`<p class="error-banner" role="alert" id="kv-pin-invalid">The pinned configuration is
        invalid (${pinnedErrors.join('; ')}); pin again to compare.</p>` : nothing}
      <div class=${kvStale ? 'stale' : ''}>
      <div class="headline">
        <div><div class="value" id="kv-per-token">${explained(explain.get('kv.bytes_per_token'), formatBytes(kv.bytes_per_token, units))}</div><div class="label">per token</div></div>
        <div><div class="value" id="kv-per-sequence">${explained(explain.get('kv.bytes_per_sequence'), formatBytes(kv.bytes_per_sequence, units))}</div><div class="label">per sequence</div></div>
        <div><div class="value" id="kv-total">${explained(explain.get('kv.bytes'), formatBytes(kv.bytes, units))}</div><div class="label">total</div></div>
        <div><div class="value">${kv.effective_bits_per_value.toFixed(3)}</div><div class="label">bits per value</div></div>
      </div>
      <p class="note">${formatCount(kv.kv_layers)} layers keep KV: ${formatCount(kv.global_layers)} global (all
        ${formatCount(kv.global_cached_tokens)} tokens), ${formatCount(kv.local_layers)} local
        (${formatCount(kv.local_cached_tokens)} tokens). Storage: ${kv.layout}.</p>
      <llm-result-table id="kv-table" filename="kv-cache" caption="KV cache size"
        .columns=${[{ key: 'what', label: 'KV cache' }, ...bytesColumns]} .rows=${kvRows(kv)}
        .compare=${pinned?.kv ? kvRows(pinned.kv) : null}></llm-result-table>
      ${compare ? html`
        <llm-result-table id="kv-variants" filename="kv-variants" caption="Attention variants (same layers, head dim, tokens)"
          .columns=${[{ key: 'label', label: 'Variant' },
            { key: 'bytes_per_token', label: 'Bytes / token', numeric: true, format: formatCount },
            { key: 'bytes', label: 'Total GB', numeric: true, format: gb },
            { key: 'ratio_to_first', label: 'vs MHA', numeric: true, format: ratio }]}
          .rows=${compare.variants} .compare=${pinned?.compare?.variants ?? null}></llm-result-table>
        <llm-result-table id="kv-strategies" filename="kv-strategies" caption="Which tokens are kept (same model)"
          .columns=${[{ key: 'label', label: 'Strategy' },
            { key: 'bytes_per_sequence', label: 'Per sequence GB', numeric: true, format: gb },
            { key: 'bytes', label: 'Total GB', numeric: true, format: gb },
            { key: 'ratio_to_first', label: 'vs full', numeric: true, format: ratio }]}
          .rows=${compare.strategies} .compare=${pinned?.compare?.strategies ?? null}></llm-result-table>
        ${legend('kv-plot-legend', curves.names)}
        <llm-plot id="kv-plot" filename="kv-vs-context"
          caption="KV bytes per sequence vs context (log–log); the dashed rule is the current context"
          .build=${() => contextPlot(kv, curves)}></llm-plot>` : nothing}
    </div>`;
}
