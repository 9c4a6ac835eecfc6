// Compiled (not run) by `npm run typecheck`: lib/quant.d.ts must describe real usage.
import { loadLlmSpacetime, quantReferenceErrors } from '../../lib/index.js';

async function quantUsage(): Promise<void> {
  const api = await loadLlmSpacetime();
  const bits: number = api.quantBitsPerWeight({ format: 'int4', group_size: 128, scale_dtype: 'fp16' }).bits_per_weight;
  const size = api.quantSize({ params: { attention: 1e9, ffn: 2e9 }, format: 'int4', embedding_format: 'fp16' });
  const bytes: number = size.bytes + size.components[0].bytes;
  const lab = api.quantLab({ format: 'nf4', group_size: 64, dist: 'normal', n: 1 << 20, seed: 1 });
  const quality: number = lab.rel_rmse + lab.snr_db + lab.cosine + lab.histogram_counts[0];
  const gemv = api.quantGemv({ rows: 1024, cols: 1024, group_size: 128 });
  const speed: number = gemv.kernels[0].gb_per_s;
  const sized: number = api.quantSize({ config: api.modelPreset('llama-2-7b').config, format: 'q4_k' }).bytes;
  const groups: number = api.quantParamGroups({ n_layers: 2 }).params.ffn;
  const reference: number = quantReferenceErrors[0].rel_rmse;
  const ids: string[] = api.quantFormats().map((format) => format.id);
  void [sized, groups, bits, bytes, quality, speed, reference, ids, api.quantDecisionMatrix()[0].measure];
}
void quantUsage;
