// Types of lib/attention.js (see docs/attention.md).

/** Inputs of runAttention; every field optional (defaults from attentionDefaults()). */
export interface AttentionRunInput {
  /** Sequence length (tokens), 1..1,048,576. */
  n?: number;
  /** Head dimension, 1..1024. */
  d?: number;
  heads?: number;
  variant?: 'naive' | 'tiled' | 'both';
  /** Query rows per head compared with the fp64 reference (evenly spaced, last included). */
  check_rows?: number;
  seed?: number;
  /**
   * Requests needing more (inputs + workspace) are refused before allocating. Default 2 GiB, which is also
   * the most a run may take in this module (less when the module's 4 GB maximum less what is in use is
   * smaller): a larger budget does not raise it (docs/limits.md).
   */
  memory_budget_bytes?: number;
  /** Timed repeats (5–100, default 5), after one untimed warm-up; out of range throws InputError naming `runs`. */
  runs?: number;
  /** First head of the slice run (0-based; default 0). A slice computes exactly what the whole run computes for its heads. */
  head_begin?: number;
  /** One past the last head of the slice; 0 (default): every head. */
  head_end?: number;
}

export interface AttentionVariantResult {
  variant: 'naive' | 'tiled';
  /** True when over the memory budget: not run; `refusal` says why with the bytes needed. */
  refused: boolean;
  refusal: string;
  bytes_needed: number;
  /** The kernel's own buffer: naive n×n fp32 scores; tiled one tile row + running max/sum. */
  workspace_bytes: number;
  /** Tracked peak of every buffer of the run (inputs, output, workspace). */
  peak_bytes: number;
  /** The median of the timed runs (= time.median_s); before runs existed, the one run's time. */
  seconds: number;
  /** The spread of the timed runs (all heads each). */
  time: TimingStats;
  /** flops / seconds (from the median). */
  gflop_per_s: number;
  /** flops / seconds in FLOP/s (from the median): the point's height on a roofline. */
  flops_per_s: number;
  /** max |Δ| against fp64 on the checked rows. */
  max_abs_error: number;
  /** Per head run: a 32-bit FNV-1a hash of its output's float bits (equal outputs, equal hashes). */
  head_output_hashes: number[];
}

export interface AttentionRunResult {
  input: Required<AttentionRunInput>;
  /** 'simd' or 'scalar': how the module was built. */
  isa: 'simd' | 'scalar';
  /** Heads computed: head_end − head_begin (all heads by default). */
  heads_run: number;
  /** 4·d·n(n+1)/2 per head run (causal QKᵀ and PV). */
  flops: number;
  /** q, k, v and out in fp32: 4·heads_run·n·d·4 bytes. */
  input_bytes: number;
  /** flops / input_bytes, FLOP/byte: the arithmetic intensity of the minimal traffic (a roofline's x). */
  intensity: number;
  checked_rows: number;
  variants: AttentionVariantResult[];
}

/** seed: the seed program's step (no K/V cache; K/V of the last cache_tokens + 1 tokens projected again each step). */
export type KvStrategy = 'full' | 'window' | 'sinks' | 'recompute' | 'none' | 'seed' | 'int8' | 'int4';

export interface DecodeInput {
  strategy?: KvStrategy;
  prompt_tokens?: number;
  generated_tokens?: number;
  d_model?: number;
  heads?: number;
  /** KV heads (GQA; 1: MQA); 0 (default): = heads (MHA). Must divide heads. */
  kv_heads?: number;
  /**
   * Width of the synthetic hidden states that W_q, W_k, W_v read; 0 (default): d_model.
   * Smaller keeps the KV cache and attention at their real shape with cheap projections.
   */
  hidden_dim?: number;
  /** Window size (window, sinks) or K/V rows kept (recompute). */
  cache_tokens?: number;
  /** Alias of cache_tokens (the CLI's --window). */
  window?: number;
  sinks?: number;
  kv_layout?: 'per_token' | 'per_channel';
  /** Channels (per_token) or tokens (per_channel) per scale. */
  kv_group?: number;
  /** Generated steps measured, evenly spaced (last included); 0: all. */
  sample_steps?: number;
  /** Wo (d_model × d_model) applied as each step's last part, as the seed program does; errors then compare projected outputs. */
  output_projection?: boolean;
  seed?: number;
  /** As AttentionRunInput's: capped at what the module can allocate for one run (2 GiB). */
  memory_budget_bytes?: number;
  /**
   * Timed repeats of every measured step (5–100, default 5; the first measured step runs once more before, untimed).
   * Run r is repeat r of each measured step; the measured work costs `runs` times one pass.
   */
  runs?: number;
  /**
   * First KV head of the slice run (0-based; default 0), with its group of heads / kv_heads query heads. A slice
   * computes exactly what the whole run computes for those heads (how runParallel splits a decode run).
   */
  kv_head_begin?: number;
  /** One past the last KV head of the slice; 0 (default): every KV head. Not with output_projection (InputError). */
  kv_head_end?: number;
}

/**
 * Where the measured steps' time went, in seconds summed over them (of the median run). Each step
 * reads the clock at every boundary between its parts, so the parts add up to
 * `seconds` (to the rounding of converting clock ticks to seconds).
 */
export interface DecodeTimeSplit {
  /** Q, K and V of the new token. */
  projection: number;
  /** Keeping the new token: its K/V slot, its hidden state (recompute, none), quantization (int8, int4). */
  store: number;
  /** K/V projected again from hidden states (recompute, none: evicted tokens; seed: every attended token); 0 otherwise. */
  recompute: number;
  /** Stored codes back to fp32 rows (int8, int4); 0 otherwise. */
  dequantize: number;
  /** QKᵀ, softmax and PV over the attended rows. */
  attend: number;
  /** The Wo projection (output_projection); 0 otherwise. */
  output: number;
}

/** FLOPs of a measured step by part (mean over measured steps, 2 per multiply–add); they add up to flops_per_step. */
export interface DecodeStepFlops {
  /** 2 · hidden_dim · d_model. */
  q_projection: number;
  /** K and V of every token projected this step (new, recomputed, or all attended for seed): 4 · hidden_dim · kv_heads · head_dim each. */
  kv_projection: number;
  /** QKᵀ and PV: 4 · keys · d_model. */
  attention: number;
  /** Wo: 2 · d_model² with output_projection, else 0. */
  output: number;
}

/**
 * The spread of repeated timings, in seconds: median, quartiles by linear interpolation between order statistics
 * (type 7, numpy's default), extremes. Every measured time carries one; min_s ≤ q1_s ≤ median_s ≤ q3_s ≤ max_s.
 */
export interface TimingStats {
  /** Timings summarized (≥ 5 for repeats of one measurement). */
  runs: number;
  median_s: number;
  /** First quartile. */
  q1_s: number;
  /** Third quartile. */
  q3_s: number;
  min_s: number;
  max_s: number;
}

export interface DecodeResult {
  input: Required<DecodeInput>;
  isa: 'simd' | 'scalar';
  /** Resolved KV heads (heads when the input was 0). */
  kv_heads: number;
  /** Resolved hidden width (d_model when the input was 0). */
  hidden_dim: number;
  /** d_model / heads: one head's K, V and query width (the core's; decodeKvClosedForm reads it). */
  head_dim: number;
  measured_steps: number;
  /** The median run's total over the measured steps (= the sum of time_split_s's parts; = time.median_s for odd runs). */
  seconds: number;
  /** The spread of the runs' totals over the measured steps (one sample per run). */
  time: TimingStats;
  /** The median run's split. */
  time_split_s: DecodeTimeSplit;
  /** The spread over the measured steps of each step's median time over the runs (a step's tokens/s = 1 / its time). */
  step_time: TimingStats;
  tokens_per_s: number;
  attended_tokens: number;
  /** Persistent K/V store: fp32 slots, or codes + fp32 scales (+ per_channel's fp32 residual block). */
  kv_bytes: number;
  hidden_bytes: number;
  weights_bytes: number;
  peak_bytes: number;
  recomputed_tokens: number;
  recomputed_flops: number;
  flops_per_step: number;
  flops_by_part: DecodeStepFlops;
  /** Output vs the full fp32 cache, over the measured steps. */
  max_abs_error: number;
  min_cosine: number;
  mean_cosine: number;
  /** Output vs fp64 attention over exactly the tokens the strategy claims to keep. */
  mask_check_max_abs: number;
  /** KV heads computed: kv_head_end − kv_head_begin (every KV head by default). */
  kv_heads_run: number;
  /** Per KV head run: a 32-bit FNV-1a hash of its query heads' outputs over every measured step (bit-identity checks). */
  kv_head_output_hashes: number[];
  /** A slice only: per measured step, per KV head run, [Σ o·ref, Σ ref², Σ o²] (the merge's cosines); else empty. */
  cosine_terms: number[];
}

export interface SeedExperimentInput {
  sequence_lengths?: number[];
  d_model?: number;
  heads?: number;
  sample_steps?: number;
  seed?: number;
  /** Timed repeats of each measured step of every run (DecodeInput.runs; 5–100, default 5). */
  runs?: number;
}

export interface SeedExperimentRow {
  sequence_length: number;
  cache_label: 'n' | '4√n' | '8';
  /** W: the seed attends to the last W tokens plus the current one. */
  cache_tokens: number;
  /** The seed's algorithm: no KV cache, K/V of W + 1 tokens projected again each step. Nested results keep their own `status` field ({ok: true}). */
  seed: SeedRun;
  /** Window of W + 1 cached K/V rows: the seed's output without re-projecting. */
  window: SeedRun;
  /** The window's K/V kept, evicted K/V recomputed: exact. */
  recompute: SeedRun;
  /** No cache, every K/V recomputed: exact, the seed's "Full" (one run per n, on each of its rows). */
  none: SeedRun;
  /** tokens/s over the seed's, from the median runs (0 if the seed's time was 0). */
  window_vs_seed: number;
  recompute_vs_seed: number;
  none_vs_seed: number;
  /** The seed README's tokens/s for this row on its own machine (range over runs); 0 where it printed none (n ≠ 2048). */
  readme_tokens_per_s_min: number;
  readme_tokens_per_s_max: number;
}

/** A decode result inside a seed-experiment row (every run has output_projection on). */
export type SeedRun = DecodeResult & { status: { ok: boolean; field: string; message: string } };

export interface SeedExperimentResult {
  input: Required<SeedExperimentInput>;
  rows: SeedExperimentRow[];
}

/** decodeKvClosedForm: the KV calculator beside a decode run. */
export interface DecodeKvClosedForm {
  /** The kvCache input describing the run (1 layer, 1 sequence, fp32 scales); null when it keeps no K/V. */
  kv_input: import('./memory.js').KvCacheInput | null;
  /** kvCache(kv_input).bytes, or 0 when nothing is kept. */
  predicted_bytes: number;
  /** The run's kv_bytes. */
  measured_bytes: number;
  /** measured − predicted: 0 for full, window, sinks, per-token int8/int4 with an even head_dim. */
  difference_bytes: number;
  /** What the kernel keeps that the formula does not model (hidden states, per_channel's scales and residual); '' if nothing. */
  note: string;
}

export interface AttentionApi {
  /** Default inputs of the measured attention runs. */
  attentionDefaults(): {
    attention: Required<AttentionRunInput>;
    decode: Required<DecodeInput>;
    seed: Required<SeedExperimentInput>;
  };
  /** Prefill attention, naive vs tiled, measured in this module. Throws InputError. */
  runAttention(input?: AttentionRunInput): AttentionRunResult;
  /** Autoregressive decode with one KV strategy vs the full fp32 cache. Throws InputError. */
  runDecode(input?: DecodeInput): DecodeResult;
  /** The KV bytes the closed form predicts for a decode result, beside the measured ones. */
  decodeKvClosedForm(result: DecodeResult): DecodeKvClosedForm;
  /** Caches n, 4√n, 8: the seed's algorithm, the window with its output, recompute-on-evict and none. Throws InputError. */
  seedExperiment(input?: SeedExperimentInput): SeedExperimentResult;
}
