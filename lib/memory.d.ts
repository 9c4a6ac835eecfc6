// Types of lib/memory.js (see docs/memory.md).

// ---- Memory: KV cache, attention working memory, paging simulation (docs/memory.md) ----

/** KV-cache input. Every field is optional in calls; missing ones come from kvCacheDefaults(). */
export interface KvCacheInput {
  /** Model shape (defaults: Llama-2-7B, 32 layers × 32 heads × 128). */
  n_layers: number;
  n_heads: number;
  /** = n_heads: MHA; 1: MQA; in between: GQA (must divide n_heads). */
  n_kv_heads: number;
  /** 0: d_model / n_heads. */
  head_dim: number;
  d_model: number;
  batch: number;
  /** Tokens per sequence = prompt_tokens + generated_tokens. */
  prompt_tokens: number;
  generated_tokens: number;
  kv_dtype: 'fp32' | 'fp16' | 'bf16' | 'fp8' | 'int8' | 'int4';
  /** int8/int4: values per fp16 scale along head_dim; 0: one scale per head vector. */
  quant_group: number;
  /** int8/int4: add one fp16 zero point per group. */
  quant_asymmetric: boolean;
  /** int8/int4: dtype of each scale (and zero point); default fp16. The lab's decode kernel keeps fp32. */
  quant_scale_dtype: 'fp16' | 'bf16' | 'fp32';
  /** 0: full attention; W: local layers keep the last W tokens. */
  window: number;
  /** StreamingLLM attention sinks kept besides the window (needs window). */
  sinks: number;
  /** With a window: every G-th layer is global (Gemma-2: 2). 0: all layers local. */
  global_every: number;
  /** Hybrid models: layers that keep KV; 0: all. */
  attention_layers: number;
  /** MLA (DeepSeek-V2/V3): latent rank; 0: not MLA. */
  kv_lora_rank: number;
  qk_rope_head_dim: number;
  /** DeepSeek Sparse Attention: the indexer key cached per token per layer (fp8 + an fp32 scale per 128 values, whatever kv_dtype); 0: none. */
  indexer_head_dim: number;
  /** Tokens per page; 0: no paging figures. */
  block_size: number;
}

export interface KvCacheResult {
  head_dim: number;
  tokens: number;
  kv_layers: number;
  global_layers: number;
  local_layers: number;
  global_cached_tokens: number;
  local_cached_tokens: number;
  vector_values: number;
  vectors_per_token_per_layer: number;
  bits_per_value: number;
  vector_bytes: number;
  scale_bytes_per_vector: number;
  effective_bits_per_value: number;
  /** The storage layout in words. */
  layout: string;
  /** Sparse attention's indexer key per token per layer (0: none); part of bytes_per_token_per_layer. */
  indexer_bytes_per_token_per_layer: number;
  bytes_per_token_per_layer: number;
  /** One token held by every KV layer. */
  bytes_per_token: number;
  /** The tokens one sequence actually holds (windows applied). */
  bytes_per_sequence: number;
  /** bytes_per_sequence × batch. */
  bytes: number;
  full_attention_bytes: number;
  scale_bytes: number;
  block_size: number;
  block_bytes_per_layer: number;
  blocks_per_sequence: number;
  paged_bytes: number;
  paged_waste_bytes: number;
  paged_waste_fraction: number;
}

export interface KvCompareRow {
  id: 'mha' | 'gqa' | 'mqa' | 'mla' | 'full' | 'window' | 'sinks' | 'interleaved' | 'configured';
  label: string;
  n_kv_heads: number;
  bytes_per_token: number;
  bytes_per_sequence: number;
  bytes: number;
  ratio_to_first: number;
}

export interface KvSeriesPoint {
  strategy: KvCompareRow['id'];
  context: number;
  bytes_per_sequence: number;
}

export interface KvCompareResult {
  variants: KvCompareRow[];
  strategies: KvCompareRow[];
  window_used: number;
  sinks_used: number;
  global_every_used: number;
  series: KvSeriesPoint[];
}

export interface AttentionMemoryInput {
  n: number;
  head_dim: number;
  heads: number;
  batch: number;
  score_bytes: number;
  element_bytes: number;
  sram_bytes: number;
  series_max_n: number;
}

export interface AttentionMemoryPoint {
  n: number;
  standard_scores_bytes: number;
  flash_extra_bytes: number;
  standard_hbm_bytes: number;
  flash_hbm_bytes: number;
}

export interface AttentionMemoryResult {
  standard_scores_bytes_per_head: number;
  standard_scores_bytes: number;
  flash_extra_bytes_per_head: number;
  flash_extra_bytes: number;
  qkvo_bytes: number;
  sram_elements: number;
  block_cols: number;
  block_rows: number;
  column_blocks: number;
  standard_hbm_elements: number;
  flash_hbm_elements: number;
  standard_hbm_bytes: number;
  flash_hbm_bytes: number;
  hbm_ratio: number;
  /** Per head, N = 256 … series_max_n in powers of two. */
  series: AttentionMemoryPoint[];
}

export interface PagingSimInput {
  budget_bytes: number;
  bytes_per_token: number;
  max_tokens: number;
  block_size: number;
  distribution: 'fixed' | 'uniform' | 'normal' | 'lognormal';
  mean_tokens: number;
  std_tokens: number;
  snapshot: 'final' | 'in_flight';
  seed: number;
  max_requests: number;
  histogram_bins: number;
}

export interface PagingScheme {
  id: 'naive' | 'exact' | 'paged';
  label: string;
  sequences: number;
  reserved_bytes: number;
  used_bytes: number;
  waste_bytes: number;
  waste_fraction: number;
  tokens_held: number;
}

export interface PagingSimResult {
  schemes: PagingScheme[];
  paged_vs_naive_sequences: number;
  requests_drawn: number;
  mean_length_tokens: number;
  std_length_tokens: number;
  clipped_fraction: number;
  hit_request_limit: boolean;
  histogram: { low: number; high: number; count: number }[];
}

/** The model-config fields the KV cache reads (a preset's `config`). */
export interface KvModelShape {
  n_layers: number;
  n_heads: number;
  n_kv_heads: number;
  head_dim?: number;
  d_model: number;
  sliding_window?: number;
}

export interface MemoryApi {
  /** Default KV-cache input (Llama-2-7B shape, 4096 tokens, fp16, blocks of 16). */
  kvCacheDefaults(): KvCacheInput;
  /** KV bytes per token, per sequence and total, with windows, sinks, MLA, quantization, paging. */
  /** `scale_dtype` is accepted as an alias of quant_scale_dtype (the quant spec's name). */
  kvCache(input?: Partial<KvCacheInput> & { scale_dtype?: KvCacheInput['quant_scale_dtype'] }): KvCacheResult;
  /** MHA/GQA/MQA(/MLA) variants, strategies, and bytes vs context per strategy. */
  kvCompare(input?: Partial<KvCacheInput>): KvCompareResult;
  /** The KV-cache shape fields of a model config. */
  kvShapeFromModel(config: KvModelShape): Partial<KvCacheInput>;
  attentionMemoryDefaults(): AttentionMemoryInput;
  /** Standard vs FlashAttention working memory and HBM traffic (Dao et al. 2022). */
  attentionMemory(input?: Partial<AttentionMemoryInput>): AttentionMemoryResult;
  pagingSimDefaults(): PagingSimInput;
  /** Seeded simulation: naive, exact-length and paged KV allocation in a budget. */
  /** `dist` is accepted as an alias of distribution (the CLI's --dist). */
  simulatePaging(input?: Partial<PagingSimInput> & { dist?: PagingSimInput['distribution'] }): PagingSimResult;
}
