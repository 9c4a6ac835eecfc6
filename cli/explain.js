// `--explain` for the area commands: each key figure with its formula, the
// numbers plugged in (TeX, as the page renders it), its terms and sources.
// The text is the C++ core's (src/*/explain.cpp): page, CLI and tests agree.

/** The option every command with explanations adds to its parseArgs spec. */
export const explainOption = { explain: { type: 'boolean' } };

/** Readable text of a list of explanations. */
export function explainText(explanations) {
  return explanations.map((e) => [
    `${e.title} [${e.id}] = ${e.value_text}${e.unit ? ` ${e.unit}` : ''}`,
    `  formula: ${e.formula_tex}`,
    `  numbers: ${e.substituted_tex}`,
    ...e.terms.map((t) => `    ${t.symbol} = ${t.value_text}${t.unit ? ` ${t.unit}` : ''}  (${t.meaning})`),
    ...(e.note ? [`  note: ${e.note}`] : []),
    ...e.sources.map((source) => `  source: ${source}`),
  ].join('\n')).join('\n\n');
}

/** With --explain: the explanations under `explain` in the JSON and after the text. */
export function withExplanations(output, values, explain) {
  if (!values.explain) return output;
  const explanations = explain();
  const json = Array.isArray(output.json) || typeof output.json !== 'object' ? { result: output.json, explain: explanations }
    : { ...output.json, explain: explanations };
  return { json, text: `${output.text}\n\nHow each figure is computed:\n\n${explainText(explanations)}` };
}
