// The Search panel's scatter: $ per million output tokens against TPOT for
// every feasible point returned, coloured by chip, with the Pareto front drawn
// as a line through larger marks (and a pinned search's front dashed).
import * as Plot from '@observablehq/plot';

import { plotDefaults } from '../components/plot-figure.js';
import { deploymentLabel } from './search-state.js';

const describe = (p) => `${deploymentLabel(p)}, ${p.weights} weights, ${p.kv_dtype} KV, batch ${p.batch}: `
  + `TPOT ${(p.tpot_s * 1e3).toPrecision(3)} ms, $${p.usd_per_million_tokens.toPrecision(3)} per M tokens`;
const plotted = (points) => points.map((p) => ({ ...p, tpot_ms: p.tpot_s * 1e3, label: describe(p) }));

/** The scatter of `result` (api.search), and of `pinned`'s front when comparing; `hardware` orders the colours. */
export function costLatencyPlot({ result, pinned = null, width = 680 }) {
  const points = plotted(result.points);
  const front = plotted(result.pareto);
  const domain = [...new Set([...result.hardware, ...points.map((p) => p.hardware)])];
  const xy = { x: 'tpot_ms', y: 'usd_per_million_tokens' };
  const marks = [
    Plot.dot(points, { ...xy, stroke: 'hardware', r: 2.5, strokeOpacity: 0.7, className: 'search-points', title: 'label' }),
    Plot.line(front, { ...xy, stroke: '#1f2328', strokeWidth: 2, className: 'search-front-line' }),
    Plot.dot(front, { ...xy, fill: 'hardware', stroke: '#1f2328', strokeWidth: 1.5, r: 6, className: 'search-front-dots', title: 'label' }),
  ];
  if (pinned?.pareto.length) {
    marks.push(Plot.line(plotted(pinned.pareto), { ...xy, stroke: '#8c4a00', strokeWidth: 2, strokeDasharray: '6,4', className: 'search-pinned-front' }));
    marks.push(Plot.dot(plotted(pinned.pareto), { ...xy, stroke: '#8c4a00', r: 4, className: 'search-pinned-dots', title: 'label' }));
  }
  return Plot.plot({
    ...plotDefaults, width, height: 380, marginLeft: 60,
    x: { type: 'log', label: 'TPOT (ms per output token) →', grid: true },
    y: { type: 'log', label: '↑ $ per million output tokens', grid: true },
    color: { legend: true, domain },
    marks,
  });
}
