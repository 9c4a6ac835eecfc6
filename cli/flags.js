// Flag values arrive as strings; these turn them into numbers or fail with a
// message naming the flag. The core validates ranges; here only the syntax.

export class UsageError extends Error {
  constructor(message, field) {
    super(message);
    this.name = 'UsageError';
    this.field = field;
  }
}

/** Parses --flag's string as a number (accepts 4096, 1e6, 32K, 1M); NaN stays NaN for the core to reject. */
export function numberFlag(values, flag, fallback) {
  const text = values[flag];
  if (text === undefined) return fallback;
  const match = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*([kKmMgG]?)\s*$/.exec(text);
  if (!match) {
    if (/^\s*nan\s*$/i.test(text)) return NaN;
    throw new UsageError(`--${flag} = "${text}" is not a number`, flag);
  }
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase()];
  return Number(match[1]) * scale;
}

/** Checks that a string flag is one of `choices`. */
export function choiceFlag(values, flag, choices, fallback) {
  const text = values[flag];
  if (text === undefined) return fallback;
  if (!choices.includes(text)) {
    throw new UsageError(`--${flag} = "${text}" must be one of ${choices.join(', ')}`, flag);
  }
  return text;
}

// The core's sentences about one number (src/core/validate.cpp): "<field> = <value>" and why.
const coreSentence = /^(\S+) = (\S+)( is not a finite number| must be a whole number| must be at least \S+| is too large \(limit \S+\)| must be greater than \S+| must be 0 or at least \S+)$/;

const coreNumber = (text) => (text === 'NaN' ? NaN : text === 'Infinity' ? Infinity : text === '-Infinity' ? -Infinity : Number(text));
const sameNumber = (a, b) => (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= 1e-9 * Math.abs(b);
const inFlagUnits = (value, scale) => String(Number((value / scale).toPrecision(6)));

/**
 * The core's message about `field` in the user's terms: "--budget-gb = -1 must be at least 0" rather than
 * "budget_bytes = -1000000000 must be at least 0". `flag` is the flag as typed, `typed` its value as typed,
 * `scale` what the CLI multiplied it by (1e9 for --budget-gb); the bound is shown in the flag's units.
 * Null when the message is not one of the core's sentences about that value.
 */
export function typedMessage(message, field, flag, typed, scale = 1) {
  // A choice: 'format = "int3" is not one of …' → '--format = int3 is not one of …'.
  const quotedLead = `${field} = "${typed}"`;
  if (message.startsWith(quotedLead)) return `--${flag} = ${typed}${message.slice(quotedLead.length)}`;
  let typedValue;
  try {
    typedValue = numberFlag({ [flag]: typed }, flag);
  } catch {
    return null;
  }
  const match = coreSentence.exec(message);
  if (!match) {
    // Any other sentence about the value, "<field> = <value> must be at least 1 for window": the lead in the
    // flag's terms, the rest as the core wrote it (its numbers are not in the flag's units unless unscaled).
    const lead = /^(\S+) = (\S+?)(?=[\s,;:]|$)/.exec(message);
    if (!lead || lead[1] !== field || scale !== 1 || !sameNumber(coreNumber(lead[2]), typedValue)) return null;
    return `--${flag} = ${typed}${message.slice(lead[0].length)}`;
  }
  if (match[1] !== field) return null;
  if (!sameNumber(coreNumber(match[2]), typedValue * scale)) return null;
  const reason = scale === 1 ? match[3] : match[3].replace(/-?\d[\d.e+-]*/, (bound) => inFlagUnits(Number(bound), scale));
  return `--${flag} = ${typed}${reason}`;
}

/**
 * Throws a UsageError when a flag is given more than once; a list flag takes a comma list instead.
 * `tokens` are parseArgs's; a flag declared `multiple` in `options` (search's --price) may repeat.
 */
export function refuseRepeats(tokens, options = {}) {
  const seen = new Map();
  for (const token of tokens) {
    if (token.kind !== 'option' || options[token.name]?.multiple) continue;
    const typed = token.value === undefined ? token.rawName : `${token.rawName} ${token.value}`;
    if (seen.has(token.name)) {
      throw new UsageError(`--${token.name} is given twice (${seen.get(token.name)}, then ${typed}): give each flag once ` +
        '(lists are comma-separated, e.g. --keep embedding,lm_head)', token.name);
    }
    seen.set(token.name, typed);
  }
}

// One name per flag: the older names stay accepted (README, "Flag names and aliases").
export const budgetOptions = { budget: { type: 'string' }, 'budget-gb': { type: 'string' } };

/** A memory budget in bytes from --budget (bytes) or --budget-gb (GB, 1e9 bytes): either, wherever a budget is taken. */
export function budgetFlag(values) {
  if (values.budget !== undefined && values['budget-gb'] !== undefined) {
    throw new UsageError(`give --budget (bytes) or --budget-gb (GB), not both (--budget ${values.budget}, --budget-gb ${values['budget-gb']})`, 'budget');
  }
  const gb = numberFlag(values, 'budget-gb', undefined);
  return gb === undefined ? numberFlag(values, 'budget', undefined) : gb * 1e9;
}

/** The budget flag as typed, for messages in its units. */
export const budgetFlagOf = (values) => (values['budget-gb'] !== undefined ? { flag: 'budget-gb', scale: 1e9 } : 'budget');

/** `values` with alias flags (`aliases`: alias → flag) under their flag's name; both given is a UsageError. */
export function aliasFlags(values, aliases) {
  const renamed = { ...values };
  for (const [alias, flag] of Object.entries(aliases)) {
    if (renamed[alias] === undefined) continue;
    if (renamed[flag] !== undefined) throw new UsageError(`--${alias} is another name for --${flag}: give one of them`, alias);
    renamed[flag] = renamed[alias];
    delete renamed[alias];
  }
  return renamed;
}
