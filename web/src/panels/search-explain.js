// Explain views of the Search panel's cost and energy figures (docs/search.md):
// the formula, the same formula with one point's numbers, its terms and
// sources. Every value is one the core returned (the point, the search's
// input, the chip's preset); nothing here recomputes a figure.
import { formatTermValue } from '../components/explain-view.js';

const tex = (value) => formatTermValue(value).replaceAll(',', '{,}');
const term = (symbol, meaning, value, unit = '') => ({ symbol, meaning, value, value_text: formatTermValue(value), unit });

function explanation(id, title, formula, substituted, value, unit, terms, sources, note = '') {
  return { id, title, formula_tex: formula, substituted_tex: `${substituted} = ${tex(value)}`, value, value_text: formatTermValue(value), unit, terms, sources, note };
}

const docs = 'docs/search.md: one configuration = one plan, prices, power and energy';

/**
 * The explanations of one point `p` of a search of `input` (api.search's input
 * as sent), `chip` its hardware preset, `usdPerDevice` the price used per device-hour.
 */
export function searchExplanations({ p, input, chip, usdPerDevice }) {
  if (!p) return [];
  const B = p.batch;
  const O = input.output_tokens;
  const g = p.gpus;
  const idle = input.idle_power_fraction;
  const memory = input.memory_power_fraction;
  const tdp = chip?.tdp_watts ?? 0;
  return [
    explanation('search.tokens_per_s', 'Output tokens per second of a configuration (a static batch)',
      '\\text{tokens/s} = \\frac{B \\times O}{\\text{TTFT} + O \\times \\text{TPOT}}',
      `\\text{tokens/s} = \\frac{${tex(B)} \\times ${tex(O)}}{${tex(p.ttft_s)} + ${tex(O)} \\times ${tex(p.tpot_s)}}`,
      p.tokens_per_s, 'tokens/s',
      [term('B', 'batch: sequences decoded together', B), term('O', 'output tokens per sequence (input)', O, 'tokens'),
        term('\\text{TTFT}', 'the plan\'s prefill of the batch at the prompt length', p.ttft_s, 's'),
        term('\\text{TPOT}', 'the plan\'s decode step at prompt + output tokens (the slowest step)', p.tpot_s, 's')],
      [docs, 'The plan: the Plan panel\'s roofline (docs/roofline.md)'],
      'Every decode step is costed at the final context, so this is a lower bound: the early steps attend to fewer tokens.'),
    explanation('search.usd_per_million', '$ per million output tokens',
      '\\$/\\text{M tokens} = \\frac{g \\times \\text{price}}{3600 \\times \\text{tokens/s}} \\times 10^6',
      `\\$/\\text{M tokens} = \\frac{${tex(g)} \\times ${tex(usdPerDevice)}}{3600 \\times ${tex(p.tokens_per_s)}} \\times 10^6`,
      p.usd_per_million_tokens, '$',
      [term('g', 'devices of the configuration', g), term('\\text{price}', `$ per device-hour of ${p.hardware}`, usdPerDevice, '$/h'),
        term('g \\times \\text{price}', 'the configuration\'s $/hour', p.usd_per_hour, '$/h'),
        term('\\text{tokens/s}', 'output tokens per second (above)', p.tokens_per_s, 'tokens/s')],
      [docs, chip?.price_source ?? 'the price you entered'],
      'On-demand prices: reserved or spot capacity costs less. A chip with no price is never treated as free.'),
    explanation('search.joules_per_token', 'Energy per output token, all devices',
      'E = \\frac{g\\,(W_{\\text{prefill}} \\times \\text{TTFT} + W_{\\text{decode}} \\times O \\times \\text{TPOT})}{B \\times O}',
      `E = \\frac{${tex(g)}\\,(${tex(p.prefill_watts)} \\times ${tex(p.ttft_s)} + ${tex(p.decode_watts)} \\times ${tex(O)} \\times ${tex(p.tpot_s)})}{${tex(B)} \\times ${tex(O)}}`,
      p.joules_per_token, 'J/token',
      [term('W_{\\text{prefill}}', 'one device\'s draw during the prefill (power model below)', p.prefill_watts, 'W'),
        term('W_{\\text{decode}}', 'one device\'s draw during a decode step', p.decode_watts, 'W'),
        term('g', 'devices', g), term('B', 'batch', B), term('O', 'output tokens per sequence', O, 'tokens')],
      [docs, 'Samsi et al., "From Words to Watts", arXiv:2310.03003 (2023): about 3–4 J per decoded token for LLaMA 65B on V100/A100'],
      tdp > 0 ? 'Host CPUs, networking and cooling (PUE) are not counted.' : `${p.hardware} lists no TDP: its energy is not known (0), not estimated.`),
    explanation('search.power', 'Power model: one device\'s draw during a phase',
      'W = \\text{TDP}\\left(i + c\\,\\min\\!\\left(1, \\frac{F}{P\\,t}\\right) + m\\,\\min\\!\\left(1, \\frac{M}{\\text{BW}\\,t}\\right)\\right),\\quad c = 1 - i - m',
      `W_{\\text{decode}} = ${tex(tdp)}\\left(${tex(idle)} + ${tex(1 - idle - memory)}\\,u_c + ${tex(memory)}\\,u_m\\right)`,
      p.decode_watts, 'W',
      [term('\\text{TDP}', `board power of one ${p.hardware} (datasheet)`, tdp, 'W'),
        term('i', 'idle share of TDP (input)', idle), term('m', 'memory share: HBM streaming at full bandwidth (input)', memory),
        term('c', 'compute share, what idle and memory leave of 1', 1 - idle - memory),
        term('W_{\\text{prefill}}', 'the same during the prefill (compute-bound: near TDP)', p.prefill_watts, 'W')],
      ['Ma et al., "The Illusion of Power Capping in LLM Decode", arXiv:2605.11999 (2026): decode on an H200 draws 137–300 W of 700 W',
        'Patel et al., "Splitwise", ISCA 2024: the prompt phase runs near the power limit, the token phase does not', docs],
      'u_c and u_m are the phase\'s compute and memory utilisation on one device: its FLOPs F over peak P × time t, its bytes M '
        + 'over bandwidth × t, from the plan\'s per-device figures (the core combines them; decode is memory-bound, so u_m ≈ 1 there).'),
  ];
}

/** `(id) => () => Explanation | undefined` for explained(). */
export const explainer = (list) => (id) => () => list.find((item) => item.id === id);
