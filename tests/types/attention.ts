// Compiled (not run) by `npm run typecheck`: lib/attention.d.ts describes real usage.
import { loadLlmSpacetime, InputError } from '../../lib/index.js';

async function usage(): Promise<void> {
  const api = await loadLlmSpacetime();
  const prefill = api.runAttention({ n: 256, d: 64, variant: 'both' });
  const tiled = prefill.variants.find((variant) => variant.variant === 'tiled');
  const gflops: number | undefined = tiled?.gflop_per_s;
  const decode = api.runDecode({ strategy: 'int4', kv_layout: 'per_channel', generated_tokens: 32 });
  const cosine: number = decode.min_cosine;
  const attendShare: number = decode.time_split_s.attend / decode.seconds;
  const gqa = api.runDecode({ strategy: 'window', heads: 12, kv_heads: 4, hidden_dim: 64 });
  const predicted: number = api.decodeKvClosedForm(gqa).predicted_bytes;
  const note: string = api.decodeKvClosedForm(gqa).note;
  const kvHeads: number = gqa.kv_heads + predicted + note.length;
  const seed = api.seedExperiment({ sequence_lengths: [512], sample_steps: 8 });
  const label: string = seed.rows[0].cache_label;
  const window: number = api.attentionDefaults().decode.cache_tokens;
  try {
    api.runAttention({ n: 32768, variant: 'naive' });
  } catch (error) {
    if (error instanceof InputError) console.log(error.field, gflops, cosine, attendShare, label, window, kvHeads);
  }
}
void usage;
