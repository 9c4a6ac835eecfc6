// How a run split across workers (lib/parallel.js) reports its speedup over
// one worker: whole-run wall times, both measured in the same run. Shared by
// the attention and quantization panels.
import { html, nothing } from 'lit';

import { timingText } from './timing-view.js';

/**
 * A list, one item per split result: workers, whole-run times, speedup,
 * efficiency and whether the outputs are the one-worker run's bit for bit.
 * `id`: the list's; `label(result)`: what names a run (n = 4,096; the
 * strategy); `table`: what the table's figures are in a split run;
 * `extra(parallel)`: more of an item (GEMV's per-call speedups).
 */
export function parallelNotes(results, { id, label, table, extra = () => nothing }) {
  const split = results.filter((result) => result.parallel?.workers > 1);
  if (!split.length) return nothing;
  return html`<ul class="note" id=${id} aria-label="Speedup over one worker">
    ${split.map((result) => {
      const p = result.parallel;
      return p.speedup === null
        ? html`<li>${label(result)}: ${p.workers} workers, whole run ${timingText(p.time)} (tick “Time one
          worker too” to measure the speedup).</li>`
        : html`<li>${label(result)}: ${p.workers} workers,
          whole run ${timingText(p.time)} vs ${timingText(p.single_time)} on one worker: speedup
          <span class="speedup">${p.speedup.toFixed(2)}×</span>, parallel efficiency
          <span class="efficiency">${(100 * p.efficiency).toFixed(0)} %</span>; outputs
          <span class="identical">${p.identical_outputs ? 'bit-identical to' : 'differ from'}</span> the one-worker
          run's.${extra(p)}</li>`;
    })}
  </ul>
  <p class="note">Split runs: ${table}.</p>`;
}
