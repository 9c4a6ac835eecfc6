import { loadLlmSpacetime } from '../../lib/index.js';
import type { ServeMaxRateResult, ServeResult, ServeSweepPoint, WorkEstimate } from '../../lib/index.js';

async function usage(): Promise<void> {
  const api = await loadLlmSpacetime();
  const result: ServeResult = api.serve({ model: 'llama-3-8b', hardware: 'h100-sxm', rate: 4, requests: 1000, scheduler: 'chunked',
    chunk_tokens: 512, prompt_dist: 'lognormal', prefix_share: 0.5, prefix_tokens: 256, spec_draft: 'llama-3.2-1b', spec_gamma: 4,
    spec_accept: 0.7, slo_ttft_s: 0.5, slo_tpot_s: 0.05 }, ({ done, total }) => void (done / total));
  const p99: number = result.ttft_s.p99 + result.tpot_s.p50 + result.e2e_s.mean;
  const little: number = result.littles_law.mean_in_system - result.littles_law.rate_times_time;
  const points: ServeSweepPoint[] = api.serveSweep({ model: { d_model: 2048, n_layers: 16 }, requests: 100 }, [1, 2, 4]);
  const best: ServeMaxRateResult = api.serveMaxRate({ model: 'llama-3-8b', slo_ttft_s: 0.5 });
  const estimate: WorkEstimate = api.estimateRun('serveSweep', { requests: 100, rates: [1, 2] });
  void [p99, little, points[0].throughput.output_tokens_per_s, best.rate + best.result.kv.peak_utilization, estimate.seconds,
    result.series.kv_utilization[0], result.requests.e2e_s[0], api.serveDefaults().block_size, result.spec.acceptance_rate,
    result.prefix_cache.hit_rate, result.goodput_requests_per_s];
}
void usage;
