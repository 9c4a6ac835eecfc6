// Compiled (not run) by `npm run typecheck`: the .d.ts must describe real usage.
import { loadLlmSpacetime, InputError } from '../../lib/index.js';
import type { HfImport, ModelConfig, ModelPreset, ModelReport } from '../../lib/index.js';

async function usage(): Promise<void> {
  const api = await loadLlmSpacetime();
  const bits: number = api.plainDtypes()[0].bits;
  // Model area.
  const preset: ModelPreset = api.modelPreset('llama-2-7b');
  const report: ModelReport = api.modelReport({ ...preset.config, n_layers: 40 }, { context_tokens: 8192 });
  const total: number = report.params.total;
  const crossover: number | null = report.crossover_context_tokens;
  const share: number = report.attention_share_curve[0].attention_share;
  const gib: number = report.weights_memory[0].bytes / 2 ** 30;
  const decode: number = report.flops.decode_per_token + report.flops.decode_split.attention_scores;
  const imported: HfImport = api.importHfConfig('{"model_type": "llama"}');
  const config: ModelConfig = api.validateModel({ ...imported.config, ffn: 'plain' });
  const ids: string[] = api.modelPresets().map((p) => p.id);
  void [total, crossover, share, gib, decode, config, ids, api.countParams({}).active, api.defaultModelConfig().d_model];
  const kv = api.kvCache({ n_kv_heads: 8, kv_dtype: 'int4', quant_group: 32, window: 4096 });
  const perToken: number = kv.bytes_per_token;
  const variants: string[] = api.kvCompare(api.kvShapeFromModel({ n_layers: 32, n_heads: 32, n_kv_heads: 8, d_model: 4096 }))
    .variants.map((row) => row.id);
  const waste: number = api.simulatePaging({ distribution: 'lognormal', seed: 1 }).schemes[2].waste_fraction;
  const ratio: number = api.attentionMemory({ n: 65536 }).hbm_ratio;
  const defaults: number = api.pagingSimDefaults().block_size + api.kvCacheDefaults().n_layers;
  try {
    void [bits, perToken, variants, waste, ratio, defaults];
  } catch (error) {
    if (error instanceof InputError) console.log(error.field);
  }
}
void usage;
