// Explain views of the Serve panel's key figures: the formula, the same formula
// with this run's numbers, its terms and sources. Every value shown is one the
// core returned (the simulation's result, its input, the hardware preset);
// the formulas say what the simulation computes, and the simulated figure is
// the value, so a difference from the closed form (a short run, a bursty
// queue) shows instead of being hidden.
import { formatTermValue } from '../components/explain-view.js';

const tex = (value) => formatTermValue(value).replaceAll(',', '{,}');
const term = (symbol, meaning, value, unit = '') => ({ symbol, meaning, value, value_text: formatTermValue(value), unit });

function explanation(id, title, formula, substituted, value, unit, terms, sources, note = '') {
  return { id, title, formula_tex: formula, substituted_tex: `${substituted} = ${tex(value)}`, value, value_text: formatTermValue(value), unit, terms, sources, note };
}

/**
 * `(id) => () => Explanation | undefined` for explained(): the explanations of
 * one run (`result` of api.serve for `input`); `hardware` is api.hardwarePresets().
 */
export function serveExplanations({ result, input, hardware }) {
  const list = input ? build(result, input, hardware) : [];
  return (id) => () => list.find((item) => item.id === id);
}

// M/D/1 (Pollaczek–Khinchine for a fixed service time): the queueing reference
// for the wait before the first token. Exact for one request at a time with
// fixed prompts (max_batch 1, one output token), where docs/serve.md measures
// the simulator within 1 % of it; with batching the server does better.
function md1(r) {
  const service = r.unloaded_ttft_s;
  const lambda = r.littles_law.arrival_rate;
  const rho = lambda * service;
  const wait = rho < 1 ? (rho * service) / (2 * (1 - rho)) : Infinity;
  const simulated = r.ttft_s.mean - service;
  return explanation('serve.md1_wait', 'Queueing: the M/D/1 wait before service',
    'W_q = \\frac{\\rho}{2\\mu(1-\\rho)} = \\frac{\\rho S}{2(1-\\rho)},\\quad \\rho = \\lambda S',
    `W_q = \\frac{${tex(rho)} \\times ${tex(service)}}{2(1-${tex(rho)})}`,
    wait, 's',
    [term('\\lambda', 'arrival rate', lambda, 'requests/s'),
      term('S', 'service time: one prompt alone (the planner\'s prefill at batch 1, + overhead)', service, 's'),
      term('\\rho', 'utilisation λS (a queue is stable below 1)', rho),
      term('\\overline{\\text{TTFT}} - S', 'the simulated mean wait beyond one prompt\'s service', simulated, 's')],
    ['Kleinrock, Queueing Systems I (1975), §5.7: Pollaczek–Khinchine mean value formula',
      'docs/serve.md, Theory checks: the simulator against M/D/1 at ρ = 0.3–0.7'],
    'The formula is the wait of a server that takes one request at a time. A batching server overlaps requests, so its wait '
      + '(the last term) is usually far below it; ρ ≥ 1 means one-at-a-time service could not keep up at all.');
}

function build(r, input, hardware) {
  const chip = typeof input.hardware === 'string' ? hardware.find((row) => row.id === input.hardware) : input.hardware;
  const peak = (chip?.fp16_tflops ?? 0) * 1e12;
  const bandwidth = (chip?.memory_gb_per_s ?? 0) * 1e9;
  const etaC = input.compute_efficiency ?? 1;
  const etaM = input.memory_efficiency ?? 1;
  const overhead = input.iteration_overhead_s ?? 0;
  const list = [
    explanation('serve.iteration', 'One iteration of the server (a decode step: TPOT)',
      't_{\\text{iter}} = \\sum_{\\text{op}} \\max\\!\\left(\\frac{F_{\\text{op}}}{\\eta_c P},\\ \\frac{B_{\\text{op}}}{\\eta_m W}\\right) + t_{\\text{comm}} + t_o',
      // \Big( rather than \left( so the line may break inside the max at 390 px (a \left…\right group cannot).
      `\\text{TPOT}_{p50} = \\sum_{\\text{op}} \\max\\Big(\\frac{F_{\\text{op}}}{${tex(etaC)} \\times ${tex(peak)}},\\allowbreak\\ \\frac{B_{\\text{op}}}{${tex(etaM)} \\times ${tex(bandwidth)}}\\Big) + t_{\\text{comm}} + ${tex(overhead)}`,
      r.tpot_s.p50, 's',
      [term('P', `peak 16-bit FLOP/s per device (${chip?.label ?? 'custom'})`, peak, 'FLOP/s'),
        term('W', 'peak memory bandwidth per device', bandwidth, 'bytes/s'),
        term('\\eta_c', 'compute efficiency (input)', etaC), term('\\eta_m', 'memory efficiency (input)', etaM),
        term('t_o', 'fixed overhead per iteration (input)', overhead, 's'),
        term('\\text{TPOT}_{\\text{alone}}', 'one sequence alone: its decode step (the core\'s unloaded_tpot_s)', r.unloaded_tpot_s, 's'),
        term('\\text{TPOT}_{p50}', 'median time per output token, simulated', r.tpot_s.p50, 's')],
      ['Williams, Waterman, Patterson, "Roofline: an insightful visual performance model", CACM 2009',
        'Operators, FLOPs and bytes: the Plan panel\'s roofline (docs/roofline.md)'],
      'Each iteration holds prefill chunks and decode steps of the running requests; its operators (weights read once, '
        + 'KV read per sequence, attention pairs) each cost the slower of compute and memory. A request\'s TPOT is the time '
        + 'of the iterations it decodes in, divided by the tokens each gives it (more than one with speculative decoding).'),
    explanation('serve.goodput', 'Goodput: requests per second within both SLOs',
      '\\text{goodput} = \\frac{\\#\\{\\,i : \\text{TTFT}_i \\le S_{\\text{TTFT}},\\ \\text{TPOT}_i \\le S_{\\text{TPOT}}\\,\\}}{T}',
      `\\text{goodput} = \\frac{\\#\\{\\,i : \\text{TTFT}_i \\le ${tex(input.slo_ttft_s ?? 0)},\\ \\text{TPOT}_i \\le ${tex(input.slo_tpot_s ?? 0)}\\,\\}}{T}`,
      r.goodput_requests_per_s, 'requests/s',
      [term('S_{\\text{TTFT}}', 'SLO on time to first token (input)', input.slo_ttft_s ?? 0, 's'),
        term('S_{\\text{TPOT}}', 'SLO on time per output token (input)', input.slo_tpot_s ?? 0, 's'),
        term('\\text{throughput}', 'all completed requests per second', r.throughput.requests_per_s, 'requests/s')],
      ['Zhong et al., "DistServe: disaggregating prefill and decoding for goodput-optimized LLM serving", OSDI 2024'],
      'T is the simulated time from the first arrival to the last completion.'),
    explanation('serve.littles_law', 'Little\'s law: requests in the system',
      'L = \\lambda W',
      `L = ${tex(r.littles_law.arrival_rate)} \\times ${tex(r.littles_law.mean_time_in_system)} = ${tex(r.littles_law.rate_times_time)};\\ L_{\\text{simulated}}`,
      r.littles_law.mean_in_system, 'requests',
      [term('\\lambda', 'arrival rate over the run (completed requests / duration)', r.littles_law.arrival_rate, 'requests/s'),
        term('W', 'mean time a request spends in the system (queue + service)', r.littles_law.mean_time_in_system, 's'),
        term('\\lambda W', 'the right side, from per-request times', r.littles_law.rate_times_time, 'requests'),
        term('L', 'time-average number of requests in the system, from arrival and completion events', r.littles_law.mean_in_system, 'requests')],
      ['Little, "A proof for the queuing formula L = λW", Operations Research 9(3), 1961'],
      'Two separate books of the simulation: L integrated over time, W averaged over requests. They agree for a run observed from empty to empty.'),
    md1(r),
  ];
  if (input.spec_draft || input.spec_mtp) {
    const alpha = input.spec_accept;
    const gamma = input.spec_gamma;
    list.push(explanation('serve.spec_tokens', 'Speculative decoding: tokens per verification step',
      'E[\\text{tokens}] = \\frac{1 - \\alpha^{\\gamma + 1}}{1 - \\alpha}',
      `E[\\text{tokens}] = \\frac{1 - ${tex(alpha)}^{${tex(gamma)} + 1}}{1 - ${tex(alpha)}}`,
      r.spec.expected_tokens_per_step, 'tokens',
      [term('\\alpha', 'chance each drafted token is accepted (input)', alpha),
        term('\\gamma', 'tokens drafted per step (input)', gamma),
        term('\\bar{n}', 'tokens per step in the simulation (accepted drafts + 1)', r.spec.mean_tokens_per_step, 'tokens'),
        term('\\hat{\\alpha}', 'acceptance rate of the simulated drafts', r.spec.acceptance_rate)],
      ['Leviathan, Kalman, Matias, "Fast inference from transformers via speculative decoding", ICML 2023, eq. (1)'],
      'The simulation draws each draft token\'s acceptance from the seed, so its mean approaches the formula as the run grows.'));
  }
  return list;
}
