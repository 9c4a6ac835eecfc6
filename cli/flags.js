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
