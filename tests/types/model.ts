import { createFirstApi, createFormsApi, loadLlmSpacetime, loadModule } from '../../lib/index.js';
import type { HfImport, LlmSpacetimeFirst, LlmSpacetimeForms, ModelConfig, ModelPreset, ModelReport } from '../../lib/index.js';

async function usage(): Promise<void> {
  const api = await loadLlmSpacetime();
  const preset: ModelPreset = api.modelPreset('llama-2-7b');
  const report: ModelReport = api.modelReport({ ...preset.config, n_layers: 40 }, { context_tokens: 8192 });
  const total: number = report.params.total;
  const crossover: number | null = report.crossover_context_tokens;
  const share: number = report.attention_share_curve[0].attention_share;
  const gib: number = report.weights_memory[0].bytes / 2 ** 30;
  const decode: number = report.flops.decode_per_token + report.flops.decode_split.attention_scores;
  const imported: HfImport = api.importHfConfig('{"model_type": "llama"}');
  const config: ModelConfig = api.validateModel({ ...imported.config, ffn: 'plain' });
  const split: number = report.decode.split.attention + report.prefill.split.ffn + (report.crossover.exists ? 1 : 0);
  const ids: string[] = api.modelPresets().map((p) => p.id);
  void [split, total, crossover, share, gib, decode, config, ids, api.countParams({}).active, api.defaultModelConfig().d_model];
}
void usage;

// The first-load module's API (a page's first load): the model area with the same signatures.
async function firstLoad(): Promise<void> {
  const first: LlmSpacetimeFirst = createFirstApi(await loadModule({ module: 'first' }));
  const report: ModelReport = first.modelReport(first.modelPreset('llama-3-8b').config, { context_tokens: 4096 });
  void [report.params.total, first.plainDtypes()[0].bits, first.importHfConfig('{"model_type": "llama"}').config.d_model];
}
void firstLoad;

// The closed-forms module's API (the page's other calculating panels): every closed form, no simulator.
async function closedForms(): Promise<void> {
  const forms: LlmSpacetimeForms = createFormsApi(await loadModule({ module: 'forms' }));
  const plan = forms.plan({ model: 'llama-3-8b', hardware: 'h100-sxm' });
  void [plan.decode.step_s, forms.kvCache({ prompt_tokens: 8000 }).bytes, forms.explainModel({}).length,
    forms.estimateRun('runAttention', {}).seconds];
}
void closedForms;
