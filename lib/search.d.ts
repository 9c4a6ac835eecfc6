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
}

/** One configuration, costed by the plan the Plan panel shows. */
export interface SearchPoint {
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
  batch: number;
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
  /** The matmul peak used: 'fp8' for fp8 weights on chips with fp8, else 'bf16'. */
  compute_dtype: string;
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
}

export interface SearchApi {
  /** The defaults of every search input but the model. */
  defaultSearchInput(): Omit<SearchInput, 'model' | 'hardware' | 'weights' | 'kv_dtype' | 'batches' | 'prices'> &
    { hardware: string[]; weights: string[]; kv_dtype: string[]; batches: number[]; prices: Record<string, number> };
  /**
   * Searches the deployments of a model for a workload. onProgress(fraction) is called between blocks
   * (in the page, from the worker); an error it throws is rethrown when the search returns.
   * Throws InputError naming the field for bad input (unknown hardware, format or dtype, malformed price, …).
   */
  search(input?: Partial<SearchInput>, onProgress?: (fraction: number) => void): SearchResult;
}
