import { loadLlmSpacetime } from '../../lib/index.js';
import type { Explanation, ExplainTerm } from '../../lib/index.js';
import { findExplanation } from '../../lib/explain.js';

async function usage(): Promise<void> {
  const api = await loadLlmSpacetime();
  const model: Explanation[] = api.explainModel(api.modelPreset('llama-3-8b').config, { context_tokens: 8192 });
  const total: Explanation | undefined = findExplanation(model, 'params.total');
  const tex: string = (total?.formula_tex ?? '') + (total?.substituted_tex ?? '');
  const term: ExplainTerm = model[0].terms[0];
  const kv: number = api.explainKv({ n_kv_heads: 8, kv_dtype: 'int4' })[0].value;
  const plan: string[] = api.explainPlan({ hardware: 'h100-sxm', batch: 8 }).map((e) => e.id);
  const quant: string = api.explainQuant({ config: {}, format: 'nf4', double_quant: true })[0].sources.join('; ');
  void [tex, term.symbol + term.meaning + term.unit + term.value, kv, plan, quant, model[0].note, model[0].unit];
}
void usage;
