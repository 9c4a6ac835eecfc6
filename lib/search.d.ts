// Deployment search (lib/search.js; the model: docs/search.md).
import type { ModelConfig } from './model.js';

/** What to search. Every field is optional; the defaults are defaultSearchInput()'s. */
export interface SearchInput {
  /** A model preset id ("llama-3-70b") or a (partial) ModelConfig, as plan() takes. */
  model: string | Partial<ModelConfig>;
  /** Tokens of each prompt; the batch's prompts prefill together (TTFT). Default 1024. */
  prompt_tokens: number;
  /** Tokens generated per sequence. Default 256. */
  output_tokens: number;
  /** Time to first token at most this many seconds; 0 (default): no limit. */
  slo_ttft_s: number;
  /** Time per output token at most this many seconds; 0 (default): no limit. */
  slo_tpot_s: number;
  /** Hardware preset ids; [] (default): every gpu and tpu preset. Unpriced ones are skipped and named. */
  hardware: string[] | string;
  /** GPU counts 1 … max_gpus (1–1024). Default 8. */
  max_gpus: number;
  /** Weights formats (quantFormats() ids or plain dtypes). Default ['bf16', 'fp8', 'int4']. */
  weights: string[] | string;
  /** KV-cache dtypes. Default ['bf16', 'fp8']. */
  kv_dtype: string[] | string;
  /** Batches (sequences decoded together). Default powers of two 1 … 256. */
  batches: number[] | string;
  /** USD per hour of one device, by hardware id: prices a preset that has none, or replaces its price. */
  prices: Record<string, number> | string;
  /** Fraction of peak FLOP/s reached, as plan()'s. Default 1 (the ideal roofline). */
  flop_efficiency: number;
  /** Fraction of peak bandwidth reached, as plan()'s. Default 1. */
  bandwidth_efficiency: number;
  /** Power model (docs/search.md): a device's idle draw as a share of its TDP. Default 0.1. */
  idle_power_fraction: number;
  /** Extra draw of HBM streaming at full bandwidth, as a share of TDP (idle + this ≤ 1). Default 0.3. */
  memory_power_fraction: number;
  /** Feasible points returned in `points`, cheapest first (0–1e6). Default 2000. */
  max_points: number;
  /**
   * Chunk budgets (tokens per iteration) to simulate; 0 = whole prompts (continuous batching, no chunking).
   * [] (default): no simulation. Otherwise the candidates (the front of cost vs TPOT among the configurations
   * that fit and meet the TPOT bound) run in the serving simulator once per budget: `serving` in the result.
   */
  chunk_tokens: number[] | string;
  /** A simulated point meets the SLOs when this share of its measured requests meet both bounds. Default 0.9. */
  slo_attainment: number;
}

/** What a point is: the chips, their split, the formats and the batch. */
export interface SearchConfiguration {
  /** Hardware preset id. */
  hardware: string;
  gpus: number;
  /** Tensor-parallel degree (divides the heads). */
  tp: number;
  /** Pipeline stages, each tp-way tensor parallel: tp × pp = gpus. */
  pp: number;
  /** The plan's parallelism for this split (tensor_pipeline with pipeline_stages = pp when both exceed 1). */
  parallelism: 'tensor' | 'pipeline' | 'tensor_pipeline';
  weights: string;
  kv_dtype: string;
  /** The matmul peak used: 'fp8' for fp8 weights on chips with fp8, else 'bf16'. */
  compute_dtype: string;
  /** A static batch; in a ServingPoint the users of the closed loop, and the engine's max_batch. */
  batch: number;
}

/** One configuration, costed by the plan the Plan panel shows. */
export interface SearchPoint extends SearchConfiguration {
  /**
   * prompt_tokens + output_tokens: open the point in Plan with this context and the same batch,
   * GPUs, parallelism, weights, KV dtype and compute_dtype to see its fit and TPOT.
   */
  context: number;
  /** plan() at context = prompt_tokens: the batch's prefill. */
  ttft_s: number;
  /** plan() at context = prompt + output: the decode step of the last token (decode.step_s). */
  tpot_s: number;
  /** Output tokens/s of the configuration: batch × output_tokens / (ttft_s + output_tokens × tpot_s). */
  tokens_per_s: number;
  /** All its GPUs. */
  usd_per_hour: number;
  /** usd_per_hour / (3600 × tokens_per_s) × 10⁶. */
  usd_per_million_tokens: number;
  /** Per output token, all GPUs: gpus × (prefill_watts × TTFT + decode_watts × output × TPOT) / (batch × output); 0 when the chip lists no TDP. */
  joules_per_token: number;
  /** One device's draw during a decode step: TDP × (idle + compute share × FLOPs/peak/step + memory share × bytes/bandwidth/step). */
  decode_watts: number;
  /** The same during the prefill. */
  prefill_watts: number;
  /** Weights and KV of the batch at `context` fit each device (always true for a returned point). */
  fits: boolean;
}

/**
 * One candidate configuration in the serving simulator with one chunk budget: a closed loop of `batch`
 * users with no think time (each sends its next request when the last completes), 4 × batch requests
 * (at least 32), measured over all but the first and the last `batch` of them (docs/search.md, "Chunk size").
 */
export interface ServingPoint extends SearchConfiguration {
  /** Tokens per iteration (decodes first, then prompt chunks); 0: whole prompts. */
  chunk_tokens: number;
  /** The simulator's scheduler: 'chunked', or 'continuous' for whole prompts. */
  scheduler: 'chunked' | 'continuous';
  /** Requests simulated. */
  requests: number;
  /** Requests the figures are over (requests − 2 × batch). */
  measured: number;
  /** p90 time to first token of the measured requests. */
  ttft_s: number;
  /** p90 time per output token of the measured requests. */
  tpot_s: number;
  ttft_mean_s: number;
  tpot_mean_s: number;
  /** Output tokens/s: batch × output_tokens / the measured requests' mean end-to-end latency. */
  tokens_per_s: number;
  usd_per_hour: number;
  /** usd_per_hour / (3600 × tokens_per_s) × 10⁶. */
  usd_per_million_tokens: number;
  /** Measured requests meeting both SLO bounds / measured requests. */
  slo_attainment: number;
  /** slo_attainment ≥ the input's slo_attainment (and the simulation ran). */
  meets_slo: boolean;
  /** Preemptions over the whole run (the KV cache ran out). */
  preemptions: number;
  /**
   * One device's mean draw over the whole run: TDP × (idle × duration + compute share × compute_busy_s + memory share
   * × memory_busy_s) ÷ duration (the grid's power model, from the simulator's busy seconds); 0 when the chip lists no TDP.
   */
  watts: number;
  /** gpus × watts × duration ÷ output tokens, over the whole run; 0 when the chip lists no TDP. */
  joules_per_token: number;
  /** Why the simulator refused the point; '' when it ran. */
  error: string;
}

export interface SearchServing {
  /** Candidate configurations simulated, each once per budget. */
  configurations: number;
  simulations: number;
  /** Candidates left out: batch above 2,500 (4 × batch requests would exceed 10,000). */
  skipped_configurations: number;
  /** The budgets simulated, as listed. */
  chunk_tokens: number[];
  /** Every simulation, by candidate (fastest static TPOT first), then budget. */
  points: ServingPoint[];
  /** Points that meet the SLOs and no other such point is as fast and as cheap as, by tpot_s. */
  pareto: ServingPoint[];
  /** The cheapest point that meets the SLOs; null if none does. */
  cheapest: ServingPoint | null;
}

export interface SearchResult {
  /** Configurations costed by the plan. */
  evaluated: number;
  /** Of those, the ones that fit. */
  fitting: number;
  /** Fit and meet both SLOs (on priced hardware). */
  feasible: number;
  /** Feasible points no other is as fast and as cheap as (usd_per_million_tokens vs tpot_s), by tpot_s. */
  pareto: SearchPoint[];
  /** The feasible point with the lowest usd_per_million_tokens; null if none is feasible. */
  cheapest: SearchPoint | null;
  /** Feasible points, cheapest first, at most max_points (all of them unless points_truncated). */
  points: SearchPoint[];
  points_truncated: boolean;
  /** Presets searched (those with a price). */
  hardware: string[];
  /** Presets asked for (or in the default list) with no price: not searched, never treated as free. */
  skipped_unpriced: string[];
  /** Grid cells no plan models (tp not dividing the heads, more stages than layers, several GPUs and no link, no peak). */
  skipped_configurations: number;
  /** With chunk_tokens: the candidates simulated per chunk budget; null without. */
  serving: SearchServing | null;
}

export interface SearchApi {
  /** The defaults of every search input but the model. */
  defaultSearchInput(): Omit<SearchInput, 'model' | 'hardware' | 'weights' | 'kv_dtype' | 'batches' | 'chunk_tokens' | 'prices'> &
    { hardware: string[]; weights: string[]; kv_dtype: string[]; batches: number[]; chunk_tokens: number[]; prices: Record<string, number> };
  /**
   * Searches the deployments of a model for a workload. onProgress(fraction) is called between blocks
   * (in the page, from the worker); an error it throws is rethrown when the search returns.
   * Throws InputError naming the field for bad input (unknown hardware, format or dtype, malformed price, …).
   */
  search(input?: Partial<SearchInput>, onProgress?: (fraction: number) => void): SearchResult;
}
