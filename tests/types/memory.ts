import { loadLlmSpacetime } from '../../lib/index.js';

async function usage(): Promise<void> {
  const api = await loadLlmSpacetime();
  const kv = api.kvCache({ n_kv_heads: 8, kv_dtype: 'int4', quant_group: 32, window: 4096 });
  const perToken: number = kv.bytes_per_token;
  const variants: string[] = api.kvCompare(api.kvShapeFromModel({ n_layers: 32, n_heads: 32, n_kv_heads: 8, d_model: 4096 }))
    .variants.map((row) => row.id);
  const waste: number = api.simulatePaging({ distribution: 'lognormal', seed: 1 }).schemes[2].waste_fraction;
  const ratio: number = api.attentionMemory({ n: 65536 }).hbm_ratio;
  const defaults: number = api.pagingSimDefaults().block_size + api.kvCacheDefaults().n_layers;
  void [perToken, variants, waste, ratio, defaults];
}
void usage;
