// Types of lib/serve.js: the serving simulator (docs/serve.md).
import type { ModelConfig } from './model.js';
import type { HardwareSpec, PlainDtype } from './roofline.js';

/**
 * One simulation's input: flat, snake_case, the CLI's `serve` flags. Every field is optional; defaults from serveDefaults().
 * A field the other settings would not read (users without closed arrivals, chunk_tokens with static batching, …) is refused.
 */
export interface ServeInput {
  /** A model preset id or a (partial) ModelConfig (default: ModelConfig's defaults, Llama-2-7B's shapes). */
  model: string | Partial<ModelConfig>;
  /** A hardware preset id (default "h100-sxm") or a custom spec. */
  hardware: string | HardwareSpec;
  gpus: number;
  /** As plan's: tensor, pipeline, or tensor_pipeline (pipeline_stages stages, each gpus / pipeline_stages-way tensor parallel). */
  parallelism: 'tensor' | 'pipeline' | 'tensor_pipeline';
  /** Pipeline stages of tensor_pipeline (default 1; divides gpus). */
  pipeline_stages: number;
  /** The weights' format, as plan's weights_dtype (any quant format id). */
  weights: string;
  kv_dtype: PlainDtype;
  /** Requests per second (poisson, gamma). */
  rate: number;
  /** Requests drawn (poisson, gamma, closed); a trace sends its own lines. */
  requests: number;
  prompt_tokens: number;
  prompt_dist: ServeLengthDist;
  output_tokens: number;
  output_dist: ServeLengthDist;
  arrival: 'poisson' | 'gamma' | 'closed' | 'trace';
  /** Coefficient of variation of gamma inter-arrival times (1: Poisson). */
  arrival_cv: number;
  /** Closed loop: users, each sending its next request when the last completes. */
  users: number;
  /** Closed loop: user i sends its first request at i × ramp_s / users seconds (default 0: all at once). */
  ramp_s: number;
  /** CSV text: arrival_s, prompt_tokens, output_tokens[, prefix_id] per line; an optional header. */
  trace: string;
  scheduler: 'static' | 'continuous' | 'chunked';
  /** Tokens per iteration (chunked); prompt tokens per prefill iteration (continuous). */
  chunk_tokens: number;
  /** Sequences running at once (vLLM max_num_seqs). */
  max_batch: number;
  /** Tokens per KV block. */
  block_size: number;
  /** Share of device memory for weights and KV (vLLM's 0.9); the rest holds activations. */
  gpu_memory_utilization: number;
  /** Share of blocks kept free when admitting (vLLM's 0.01). */
  watermark: number;
  preemption: 'recompute' | 'swap';
  /** Share of requests that start with the common prefix. */
  prefix_share: number;
  /** Length of the common prefix (trace: of every prefix id). */
  prefix_tokens: number;
  /** A draft model: a preset id or a ModelConfig (its vocab_size must be the model's). */
  spec_draft: string | Partial<ModelConfig> | null;
  /** The model's MTP heads as the draft (DeepSeek-V3). */
  spec_mtp: boolean;
  /** Draft tokens per step (γ). */
  spec_gamma: number;
  /** Probability each draft token is accepted (α). */
  spec_accept: number;
  /** SLO bounds; 0: no bound on that metric. */
  slo_ttft_s: number;
  slo_tpot_s: number;
  /** Share of requests that must meet the SLO (the max-rate search; default 0.9). */
  slo_attainment: number;
  seed: number;
  /** Fractions of the peak FLOP/s and bandwidth reached (default 1: the pure roofline). */
  compute_efficiency: number;
  memory_efficiency: number;
  /** Fixed seconds added to every iteration (default 0). */
  iteration_overhead_s: number;
}

/** fixed; uniform on [1, 2 mean − 1]; exponential; lognormal with σ = 1. All clipped to [1, 32 × mean]. */
export type ServeLengthDist = 'fixed' | 'uniform' | 'exponential' | 'lognormal';

export interface LatencyStats {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface ServeThroughput {
  requests_per_s: number;
  input_tokens_per_s: number;
  output_tokens_per_s: number;
}

export interface ServeResult {
  ttft_s: LatencyStats;
  /** Over requests with at least 2 output tokens: (end − first token) / (output − 1). */
  tpot_s: LatencyStats;
  e2e_s: LatencyStats;
  throughput: ServeThroughput;
  /** Completed requests meeting every SLO bound, per second. */
  goodput_requests_per_s: number;
  /** Requests meeting every bound / requests (rejected ones miss). */
  slo_attainment: number;
  kv: {
    peak_utilization: number;
    mean_utilization: number;
    preemptions: number;
    recomputed_tokens: number;
    swapped_blocks: number;
    total_blocks: number;
    /** One block on one device (the draft's KV included). */
    block_bytes: number;
    /** Per device: memory × gpu_memory_utilization − weights. */
    capacity_bytes: number;
    kv_bytes_per_token: number;
    weights_per_device_bytes: number;
  };
  prefix_cache: { hit_rate: number; hit_tokens: number; queried_tokens: number };
  spec: {
    mean_tokens_per_step: number;
    acceptance_rate: number;
    /** (1 − α^(γ+1)) / (1 − α), Leviathan et al. 2023. */
    expected_tokens_per_step: number;
    steps: number;
  };
  /** Both sides of L = λ W: mean_in_system (time average) and rate_times_time (arrival_rate × mean_time_in_system). */
  littles_law: { mean_in_system: number; arrival_rate: number; mean_time_in_system: number; rate_times_time: number };
  /** At most 500 points: every k-th iteration's end. */
  series: { time_s: number[]; kv_utilization: number[]; running: number[]; waiting: number[]; batch: number[] };
  /** Per completed request, in completion order (every k-th past 10,000), for CDFs. */
  requests: { ttft_s: number[]; tpot_s: number[]; e2e_s: number[] };
  completed: number;
  /** Requests that could never fit the KV cache, even alone. */
  rejected: number;
  duration_s: number;
  iterations: number;
  prefill_tokens: number;
  output_tokens: number;
  /** One prompt of prompt_tokens alone: the planner's prefill time (+ draft, + overhead). */
  unloaded_ttft_s: number;
  /** One decode step alone at prompt_tokens + 1 (+ drafts, + overhead). */
  unloaded_tpot_s: number;
  invariant_violations: number;
  /** One device's seconds of compute over the run: each iteration's FLOPs ÷ peak, summed (the search's power model). */
  compute_busy_s: number;
  /** One device's seconds of memory traffic over the run: each iteration's bytes ÷ bandwidth, summed. */
  memory_busy_s: number;
}

export interface ServeSweepPoint {
  rate: number;
  ttft_s: LatencyStats;
  tpot_s: LatencyStats;
  e2e_s: LatencyStats;
  throughput: ServeThroughput;
  goodput_requests_per_s: number;
  slo_attainment: number;
  completed: number;
  rejected: number;
}

export interface ServeMaxRateResult {
  /** The highest rate found whose run meets the SLO; 0 when none tried does. */
  rate: number;
  met: boolean;
  evaluations: number;
  /** The run at `rate` (or at the lowest rate tried, when none meets). */
  result: ServeResult;
}

/** Called after each simulation. */
export type ServeProgress = (progress: { done: number; total: number }) => void;

export interface ServeApi {
  /** Every input field's default but model, hardware and spec_draft. */
  serveDefaults(): Omit<ServeInput, 'model' | 'hardware' | 'spec_draft'>;
  serve(input?: Partial<ServeInput>, onProgress?: ServeProgress): ServeResult;
  /** One run per rate, the same seed each; `input` must not give `rate`, and its arrivals must be poisson or gamma. */
  serveSweep(input: Partial<ServeInput>, rates: number[], onProgress?: ServeProgress): ServeSweepPoint[];
  /** The search starts at input.rate (default 1) and needs slo_ttft_s or slo_tpot_s. */
  serveMaxRate(input: Partial<ServeInput>): ServeMaxRateResult;
}
