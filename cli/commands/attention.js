// Measured attention from the command line: prefill kernels, decode with a KV
// strategy, and the seed experiment. Figures are measured in this WASM module.
import { budgetFlag, budgetFlagOf, budgetOptions, choiceFlag, numberFlag } from '../flags.js';
import { inFlagTerms } from '../model-source.js';
import { formatCount, formatTable } from '../table.js';
import { limitWork, maxSecondsOption, maxSecondsUsage } from '../work-limit.js';
import { compareTimings, formatTiming } from '../../lib/timing.js';
import { noisyNotes, parallelLines, runSplitCommand, workersFlag } from '../split.js';

const strategies = ['full', 'window', 'sinks', 'recompute', 'none', 'seed', 'int8', 'int4'];

// Each command's flags by the API field they set, so an error names the flag as typed
// (decode --window, not cache_tokens).
const attentionFlags = (values) => ({ n: 'n', d: 'd', heads: 'heads', check_rows: 'check-rows', seed: 'seed',
  memory_budget_bytes: budgetFlagOf(values) });
const decodeFlags = (values) => {
  // --n sets both token counts unless --prompt / --generated is given
  const tokens = (flag) => (values[flag] === undefined && values.n !== undefined
    ? { flag: 'n', derived: 'half prompt, half generated' } : flag);
  return { prompt_tokens: tokens('prompt'), generated_tokens: tokens('generated'), d_model: 'd-model', heads: 'heads',
    kv_heads: 'kv-heads', hidden_dim: 'hidden-dim', cache_tokens: 'window', sinks: 'sinks', kv_group: 'kv-group',
    sample_steps: 'sample-steps', seed: 'seed', memory_budget_bytes: budgetFlagOf(values) };
};
const seedFlags = { sequence_lengths: 'lengths', d_model: 'd-model', heads: 'heads', sample_steps: 'sample-steps', seed: 'seed' };
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const seconds = (s) => (s < 1 ? `${(s * 1e3).toFixed(1)} ms` : `${s.toFixed(2)} s`);

function attentionText(result) {
  const rows = [['variant', 'time: median (q1–q3)', 'GFLOP/s', 'workspace', 'peak', 'max |Δ| vs fp64']];
  for (const v of result.variants) {
    rows.push(v.refused
      ? [v.variant, 'refused', '', mib(v.bytes_needed) + ' needed', '', '']
      : [v.variant, formatTiming(v.time), v.gflop_per_s.toFixed(2), mib(v.workspace_bytes), mib(v.peak_bytes),
        v.max_abs_error.toExponential(2)]);
  }
  const { n, d, heads } = result.input;
  const notes = result.variants.filter((v) => v.refused).map((v) => `note: ${v.refusal}`);
  const ran = result.variants.filter((v) => !v.refused);
  if (ran.length === 2) notes.push(compareTimings(ran[1].time, ran[0].time, ran[1].variant, ran[0].variant).text);
  notes.push(...noisyNotes(ran.map((v) => [v.variant, v.time])));
  return [`causal attention, n = ${n}, d = ${d}, heads = ${heads}, ${result.isa} build, ` +
    `${formatCount(result.flops)} FLOPs, ${result.input.runs} timed runs each after a warm-up`, formatTable(rows),
  ...notes, ...parallelLines(result.parallel)].join('\n');
}

function decodeRow(label, r) {
  return [label, formatTiming(r.time), r.tokens_per_s.toFixed(1), formatCount(r.attended_tokens), mib(r.kv_bytes),
    mib(r.hidden_bytes), formatCount(r.recomputed_flops), r.max_abs_error.toExponential(2), r.min_cosine.toFixed(6)];
}
const decodeHeader = ['strategy', 'time: median (q1–q3)', 'tokens/s', 'keys', 'KV', 'hidden', 'recomputed FLOPs', 'max |Δ|', 'min cos'];

// The measured steps' time by part (time_split_s adds up to seconds).
function timeSplitText(r) {
  const parts = Object.entries(r.time_split_s).map(([part, s]) => `${part} ${seconds(s)}`);
  return `time of the ${r.measured_steps} measured steps, ${seconds(r.seconds)} (the median of ${r.time.runs} runs): ${parts.join(', ')}`;
}

// FLOPs of a measured step by part (flops_by_part adds up to flops_per_step).
function flopsText(r) {
  const parts = Object.entries(r.flops_by_part).map(([part, flops]) => `${part} ${formatCount(flops)}`);
  return `FLOPs per measured step, ${formatCount(r.flops_per_step)}: ${parts.join(', ')}`;
}

// The seed experiment's four runs of a row, in the order the page shows them.
const seedRuns = [['seed', 'seed (its algorithm)'], ['window', 'window W+1'], ['recompute', 'recompute W+1'],
  ['none', 'none (its Full)']];
const seedHeader = ['n', 'cache', 'strategy', 'time: median (q1–q3)', 'tokens/s', '× seed', 'KV', 'hidden', 'FLOPs/step', 'Q', 'K/V',
  'attention', 'output', 'max |Δ|', 'min cos', 'seed README tok/s'];

// tokens/s over the seed's, stated only where the two runs' spreads do not overlap.
function vsSeed(run, seed) {
  const compared = compareTimings(run.time, seed.time);
  return compared.verdict === 'within noise' ? 'within noise' : (seed.time.median_s / run.time.median_s).toFixed(2);
}

function seedRowsText(result) {
  const rows = [seedHeader];
  for (const row of result.rows) {
    const readme = row.readme_tokens_per_s_max > 0 ? `${row.readme_tokens_per_s_min}–${row.readme_tokens_per_s_max}` : '';
    for (const [key, label] of seedRuns) {
      const r = row[key];
      const f = r.flops_by_part;
      rows.push([row.sequence_length, `${row.cache_label} = ${row.cache_tokens}`, label, formatTiming(r.time),
        r.tokens_per_s.toFixed(1), key === 'seed' ? '1' : vsSeed(r, row.seed), mib(r.kv_bytes), mib(r.hidden_bytes),
        formatCount(r.flops_per_step), formatCount(f.q_projection), formatCount(f.kv_projection),
        formatCount(f.attention), formatCount(f.output), r.max_abs_error.toExponential(2), r.min_cosine.toFixed(6),
        key === 'seed' ? readme : '']);
    }
  }
  return [formatTable(rows), `time: the measured steps of each run, median of ${result.input.runs} runs (q1–q3); ` +
    '× seed: the ratio of medians where the q1–q3 ranges do not overlap, else "within noise"; none is one run per n, ' +
    'shown on each of its rows; seed README: its own machine, n = 2048 only'].join('\n');
}

export const attentionCommands = [
  {
    name: 'attention',
    summary: 'measure prefill attention: naive (n×n scores) vs tiled online softmax',
    usage: `--n N --d D [--heads H] [--variant naive|tiled|both] [--check-rows R] [--seed S] [--budget BYTES | --budget-gb GB] [--runs 5] [--workers N (default: the cores)] ${maxSecondsUsage} [--json]`,
    options: {
      n: { type: 'string' }, d: { type: 'string' }, heads: { type: 'string' }, workers: { type: 'string' },
      variant: { type: 'string' }, 'check-rows': { type: 'string' }, seed: { type: 'string' },
      ...budgetOptions, runs: { type: 'string' }, ...maxSecondsOption,
    },
    async run(api, values) {
      const workers = workersFlag(values);
      const input = {
        n: numberFlag(values, 'n', undefined),
        d: numberFlag(values, 'd', undefined),
        heads: numberFlag(values, 'heads', undefined),
        variant: choiceFlag(values, 'variant', ['naive', 'tiled', 'both'], undefined),
        check_rows: numberFlag(values, 'check-rows', undefined),
        seed: numberFlag(values, 'seed', undefined),
        memory_budget_bytes: budgetFlag(values),
        runs: numberFlag(values, 'runs', undefined),
      };
      const result = await runSplitCommand(api, 'runAttention', input, workers, values, attentionFlags(values),
        (whole, used) => ({ ...whole, heads: Math.ceil((whole.heads ?? api.attentionDefaults().attention.heads) / used) }));
      return { json: result, text: attentionText(result) };
    },
  },
  {
    name: 'decode',
    summary: 'measure autoregressive decode with a KV-cache strategy vs the full fp32 cache',
    usage: `--strategy ${strategies.join('|')} [--n N] [--prompt P] [--generated G] [--d-model D] [--heads H] ` +
      '[--kv-heads K] [--hidden-dim H] [--window W] [--sinks S] [--kv-layout per_token|per_channel] [--kv-group G] [--sample-steps K] ' +
      `[--output-projection] [--seed S] [--budget BYTES | --budget-gb GB] [--runs 5] [--workers N (default: the cores)] ${maxSecondsUsage} [--json]`,
    options: {
      strategy: { type: 'string' }, n: { type: 'string' }, prompt: { type: 'string' },
      generated: { type: 'string' }, 'd-model': { type: 'string' }, heads: { type: 'string' },
      'kv-heads': { type: 'string' }, 'hidden-dim': { type: 'string' }, window: { type: 'string' }, sinks: { type: 'string' }, 'kv-layout': { type: 'string' },
      'kv-group': { type: 'string' }, 'sample-steps': { type: 'string' }, seed: { type: 'string' },
      ...budgetOptions, 'output-projection': { type: 'boolean' }, runs: { type: 'string' }, workers: { type: 'string' },
      ...maxSecondsOption,
    },
    async run(api, values) {
      const workers = workersFlag(values);
      // --n: total tokens, half prompt and half generated (as in the seed experiment).
      const n = numberFlag(values, 'n', undefined);
      const generated = numberFlag(values, 'generated', n === undefined ? undefined : Math.floor(n / 2));
      const prompt = numberFlag(values, 'prompt', n === undefined ? undefined : n - Math.floor(n / 2));
      const decodeInput = {
        strategy: choiceFlag(values, 'strategy', strategies, 'full'),
        prompt_tokens: prompt,
        generated_tokens: generated,
        d_model: numberFlag(values, 'd-model', undefined),
        heads: numberFlag(values, 'heads', undefined),
        kv_heads: numberFlag(values, 'kv-heads', undefined),
        hidden_dim: numberFlag(values, 'hidden-dim', undefined),
        cache_tokens: numberFlag(values, 'window', undefined),
        sinks: numberFlag(values, 'sinks', undefined),
        kv_layout: choiceFlag(values, 'kv-layout', ['per_token', 'per_channel'], undefined),
        kv_group: numberFlag(values, 'kv-group', undefined),
        sample_steps: numberFlag(values, 'sample-steps', undefined),
        output_projection: values['output-projection'],
        seed: numberFlag(values, 'seed', undefined),
        memory_budget_bytes: budgetFlag(values),
        runs: numberFlag(values, 'runs', undefined),
      };
      const result = await runSplitCommand(api, 'runDecode', decodeInput, workers, values, decodeFlags(values));
      const { input } = result;
      const text = [`decode ${input.prompt_tokens} prompt + ${input.generated_tokens} generated tokens, ` +
        `d_model = ${input.d_model}, ${input.heads} heads (${result.kv_heads} KV), ${result.measured_steps} steps measured, ${result.isa} build`,
      formatTable([decodeHeader, decodeRow(input.strategy, result)]), timeSplitText(result), flopsText(result),
      ...noisyNotes([[input.strategy, result.time]]), ...parallelLines(result.parallel, 'KV heads'),
      ...(input.output_projection ? ['note: --output-projection runs on one worker (Wo mixes every head)'] : [])].join('\n');
      return { json: result, text };
    },
  },
  {
    name: 'seed-experiment',
    summary: 'reproduce the seed experiment: caches n, 4√n, 8 — the seed\'s algorithm, its window, recompute, none',
    usage: `[--lengths 512,1024,2048] [--d-model 768] [--heads 12] [--sample-steps K] [--seed S] [--runs 5] ${maxSecondsUsage} [--json]`,
    options: {
      lengths: { type: 'string' }, 'd-model': { type: 'string' }, heads: { type: 'string' },
      'sample-steps': { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' }, ...maxSecondsOption,
    },
    run(api, values) {
      const lengths = values.lengths === undefined ? undefined
        : values.lengths.split(',').map((text, i) => numberFlag({ [`lengths[${i}]`]: text }, `lengths[${i}]`));
      const input = {
        sequence_lengths: lengths,
        d_model: numberFlag(values, 'd-model', undefined),
        heads: numberFlag(values, 'heads', undefined),
        sample_steps: numberFlag(values, 'sample-steps', undefined),
        seed: numberFlag(values, 'seed', undefined),
        runs: numberFlag(values, 'runs', undefined),
      };
      const result = inFlagTerms(seedFlags, values, () => {
        limitWork(api, 'seedExperiment', input, values);
        return api.seedExperiment(input);
      });
      return { json: result, text: seedRowsText(result) };
    },
  },
];
