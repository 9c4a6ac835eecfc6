// search: the deployment search (issue 15) over the same WASM as the page.
import { numberFlag, UsageError } from '../flags.js';
import { flagsOfFields, modelOptions, modelSourceUsage, modelTitle, resolveModel, withModelFlag } from '../model-source.js';
import { formatTable } from '../table.js';

// Number flags and the SearchInput fields they set.
const numberFlags = {
  'prompt-tokens': 'prompt_tokens', 'output-tokens': 'output_tokens', 'slo-ttft': 'slo_ttft_s', 'slo-tpot': 'slo_tpot_s',
  'max-gpus': 'max_gpus', 'max-points': 'max_points', 'idle-power': 'idle_power_fraction', 'memory-power': 'memory_power_fraction',
  'flop-efficiency': 'flop_efficiency', 'bandwidth-efficiency': 'bandwidth_efficiency', 'slo-attainment': 'slo_attainment',
};
// List flags (comma-separated) and their fields.
const listFlags = { hardware: 'hardware', weights: 'weights', 'kv-dtype': 'kv_dtype', batches: 'batches', 'chunk-tokens': 'chunk_tokens' };
const flagOfField = {
  ...flagsOfFields([]),
  ...Object.fromEntries([...Object.entries(numberFlags), ...Object.entries(listFlags)].map(([flag, field]) => [field, flag])),
  prices: 'price',
};

const strings = (names) => Object.fromEntries(names.map((name) => [name, { type: 'string' }]));
const options = {
  ...modelOptions([]),
  ...strings([...Object.keys(numberFlags), ...Object.keys(listFlags)]),
  // The one repeatable flag: one chip's price each time.
  price: { type: 'string', multiple: true },
};

const usage = `${modelSourceUsage} [--prompt-tokens N (1024)] [--output-tokens N (256)]
    [--slo-ttft SECONDS] [--slo-tpot SECONDS] [--hardware ID,ID,… (default: every gpu and tpu preset)]
    [--max-gpus G (8)] [--weights bf16,fp8,int4] [--kv-dtype bf16,fp8] [--batches 1,2,4,…,256]
    [--price HW=USD_PER_HOUR]… [--idle-power F (0.1)] [--memory-power F (0.3)] [--flop-efficiency F]
    [--bandwidth-efficiency F] [--chunk-tokens 0,512,2048 [--slo-attainment F (0.9)]]
    [--max-points N (2000)] [--json]
  Every hardware x GPU count x TP/PP split x weights x KV dtype x batch is costed by the plan (as
  llm-spacetime plan shows it): TTFT at the prompt, TPOT and fit at prompt + output tokens. Chips with
  no price are skipped (and named) unless --price gives one. JSON: evaluated, feasible, pareto (the
  front of $ per million output tokens against TPOT), cheapest, points (feasible, cheapest first,
  capped at --max-points), skipped_unpriced. --chunk-tokens also runs the front of the configurations
  that fit and meet the TPOT bound in the serving simulator, once per chunk budget (0: whole prompts),
  as a closed loop of batch users: JSON serving {points, pareto, cheapest} with p90 TTFT and TPOT.
  The model: docs/search.md.`;

// "h100-sxm=2.5" flags → { 'h100-sxm': 2.5 }; a malformed one names the flag as typed.
function pricesFrom(values) {
  const prices = {};
  for (const typed of values.price ?? []) {
    const match = /^\s*([\w.-]+)\s*=\s*(\S+)\s*$/.exec(typed);
    if (!match) throw new UsageError(`--price = "${typed}" is not HARDWARE=USD_PER_HOUR (e.g. --price h100-sxm=2.5)`, 'price');
    const usd = numberFlag({ price: match[2] }, 'price');
    if (!(usd > 0) || !Number.isFinite(usd)) throw new UsageError(`--price = "${typed}": the price must be a positive number of USD per hour`, 'price');
    if (match[1] in prices) throw new UsageError(`--price gives ${match[1]} twice`, 'price');
    prices[match[1]] = usd;
  }
  return prices;
}

const seconds = (s) => (s >= 1 ? `${s.toFixed(3)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} us`);
const usd = (x) => `$${x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(4)}`;

function searchText(result, input, model) {
  const slo = [input.slo_ttft_s ? `TTFT <= ${seconds(input.slo_ttft_s)}` : null, input.slo_tpot_s ? `TPOT <= ${seconds(input.slo_tpot_s)}` : null]
    .filter(Boolean).join(', ') || 'no SLO';
  const rows = [['hardware', 'GPUs', 'tp', 'pp', 'weights', 'KV', 'batch', 'TTFT', 'TPOT', 'tokens/s', '$/hour', '$/M tokens', 'J/token']];
  for (const p of result.pareto) {
    rows.push([p.hardware, String(p.gpus), String(p.tp), String(p.pp), p.weights, p.kv_dtype, String(p.batch), seconds(p.ttft_s),
      seconds(p.tpot_s), p.tokens_per_s.toFixed(1), usd(p.usd_per_hour), usd(p.usd_per_million_tokens),
      p.joules_per_token > 0 ? p.joules_per_token.toFixed(3) : 'n/a']);
  }
  const lines = [
    `${modelTitle(model)}: ${input.prompt_tokens ?? 1024} prompt + ${input.output_tokens ?? 256} output tokens, ${slo}`,
    `searched ${result.hardware.length ? result.hardware.join(', ') : 'no hardware'}: ${result.evaluated.toLocaleString('en-US')} configurations, ` +
      `${result.fitting.toLocaleString('en-US')} fit, ${result.feasible.toLocaleString('en-US')} fit and meet the SLOs`,
  ];
  if (result.skipped_unpriced.length) {
    lines.push(`skipped (no price; give one with --price ID=USD_PER_HOUR): ${result.skipped_unpriced.join(', ')}`);
  }
  if (!result.pareto.length) {
    lines.push('', 'no configuration fits and meets the SLOs');
    if (result.serving) lines.push('', ...servingText(result.serving, input));
    return lines.join('\n');
  }
  const c = result.cheapest;
  lines.push('', 'Pareto front ($ per million output tokens against TPOT):', formatTable(rows), '',
    `cheapest: ${c.gpus} x ${c.hardware} (tp ${c.tp}, pp ${c.pp}), ${c.weights} weights, KV ${c.kv_dtype}, batch ${c.batch}: ` +
      `${usd(c.usd_per_million_tokens)} per million output tokens, TPOT ${seconds(c.tpot_s)}, TTFT ${seconds(c.ttft_s)}`,
    'TTFT: prefill of the batch\'s prompts; TPOT: decode step at prompt + output tokens; tokens/s: batch x output / (TTFT + output x TPOT).');
  if (result.serving) lines.push('', ...servingText(result.serving, input));
  return lines.join('\n');
}

function servingText(serving, input) {
  const budget = (tokens) => (tokens > 0 ? String(tokens) : 'whole');
  const lines = [`Chunked prefill, simulated: ${serving.configurations} candidates x ${serving.chunk_tokens.length} budgets ` +
    `(${serving.chunk_tokens.map(budget).join(', ')}), each a closed loop of batch users; p90 over the steady requests`];
  if (serving.skipped_configurations) lines.push(`left out: ${serving.skipped_configurations} candidates with batch above 2,500`);
  if (!serving.pareto.length) {
    lines.push(`no simulated point meets the SLOs for ${Math.round((input.slo_attainment ?? 0.9) * 100)} % of its requests`);
    return lines;
  }
  const rows = [['hardware', 'GPUs', 'tp', 'pp', 'weights', 'KV', 'batch', 'chunk', 'TTFT p90', 'TPOT p90', 'tokens/s', '$/M tokens', 'J/token', 'SLO met']];
  for (const p of serving.pareto) {
    rows.push([p.hardware, String(p.gpus), String(p.tp), String(p.pp), p.weights, p.kv_dtype, String(p.batch), budget(p.chunk_tokens),
      seconds(p.ttft_s), seconds(p.tpot_s), p.tokens_per_s.toFixed(1), usd(p.usd_per_million_tokens),
      p.joules_per_token > 0 ? p.joules_per_token.toFixed(3) : 'n/a', `${(p.slo_attainment * 100).toFixed(0)} %`]);
  }
  const c = serving.cheapest;
  lines.push('Pareto front of the simulated points:', formatTable(rows), '',
    `cheapest served: ${c.gpus} x ${c.hardware} (tp ${c.tp}, pp ${c.pp}), ${c.weights}, KV ${c.kv_dtype}, ${c.batch} users, ` +
      `chunk ${budget(c.chunk_tokens)}: ${usd(c.usd_per_million_tokens)} per million output tokens, TPOT p90 ${seconds(c.tpot_s)}, TTFT p90 ${seconds(c.ttft_s)}`);
  return lines;
}

export const searchCommands = [
  {
    name: 'search',
    summary: 'cheapest deployments of a model that fit and meet TTFT/TPOT SLOs (Pareto front of cost vs TPOT)',
    usage,
    options,
    run(api, values) {
      const model = resolveModel(api, values);
      const input = { model: model.config, prices: pricesFrom(values) };
      for (const [flag, field] of Object.entries(numberFlags)) {
        const value = numberFlag(values, flag);
        if (value !== undefined) input[field] = value;
      }
      for (const [flag, field] of Object.entries(listFlags)) if (values[flag] !== undefined) input[field] = values[flag];
      let result;
      try {
        result = api.search(input);
      } catch (error) {
        throw withModelFlag(error, model, flagOfField, values);
      }
      const { points, ...summary } = result;
      return { json: { model: model.origin.preset, origin: model.origin, ...summary, points }, text: searchText(result, input, model) };
    },
  },
];
