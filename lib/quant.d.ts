// Types of lib/quant.js (see docs/quant.md).
import type { TimingStats } from './attention.js';

export interface QuantFormatInfo {
  id: string;
  label: string;
  /**
   * "float" (a cast), "integer", "nf" (lookup levels), "ggml" (fixed blocks), "microscaling"
   * (E2M1 blocks with one 8-bit scale: mxfp4, nvfp4), "block_fp8" (E4M3, one fp32 per 128×128 tile: fp8_block).
   */
  family: string;
  code_bits: number;
  /** Takes layout, group_size and scale_dtype. */
  grouped: boolean;
  zero_point: boolean;
  /** Fixed blocks (ggml, microscaling, FP8 tiles): weights per block and bytes per block (0 otherwise). */
  block_size: number;
  block_bytes: number;
  /** Fixed-block formats: bits per weight as quantBitsPerWeight gives it (the core's figure); null for grouped formats (set by group and scale dtype). */
  bits_per_weight: number | null;
  /** The lab has a quantize/dequantize kernel (every format today; k-quants run ggml's scalar reference). */
  measured: boolean;
  source: string;
}

export type QuantLayout = 'tensor' | 'channel' | 'group';
export type ScaleDtype = 'fp32' | 'fp16' | 'bf16';

export interface QuantSpecInput {
  format?: string;
  layout?: QuantLayout;
  /** Weights per scale for layout "group" (any whole number ≥ 1). */
  group_size?: number;
  /** Row length for layout "channel". */
  channel_size?: number;
  scale_dtype?: ScaleDtype;
  /** QLoRA double quantization: 8-bit scales in blocks of 256 + one fp32 each. */
  double_quant?: boolean;
}

export interface BitsPerWeight {
  format: string;
  code_bits: number;
  weights_per_scale: number;
  scale_bits: number;
  /** Asymmetric formats: b / g, a b-bit integer zero point per group (packed as AutoGPTQ/AWQ qzeros). */
  zero_point_bits: number;
  double_quant_bits: number;
  bits_per_weight: number;
  formula: string;
}

export interface ParamGroups {
  embedding: number;
  attention: number;
  ffn: number;
  norms: number;
  lm_head: number;
  /** MoE routers with their biases and gates (0 for dense models; then no router row). */
  router: number;
}

export interface QuantSizeInput extends QuantSpecInput {
  /** Counts per component, or `config` (a model config; counted by the model area). */
  params?: Partial<ParamGroups>;
  config?: Partial<import('./model.js').ModelConfig>;
  /** Per-component format overrides; "" or absent: `format`. norms default "fp32". */
  embedding_format?: string;
  attention_format?: string;
  ffn_format?: string;
  router_format?: string;
  norms_format?: string;
  lm_head_format?: string;
}

export interface ComponentSize {
  component: 'embedding' | 'attention' | 'ffn' | 'router' | 'norms' | 'lm_head';
  format: string;
  params: number;
  bits_per_weight: number;
  bytes: number;
  share: number;
}

export interface QuantSizeResult {
  bits: BitsPerWeight;
  components: ComponentSize[];
  total_params: number;
  bytes: number;
  /** Average over all parameters (mixed precision included). */
  bits_per_weight: number;
  fp16_bytes: number;
  saving_vs_fp16: number;
}

export interface QuantDecisionRow {
  technique: string;
  format: string;
  group_size: number;
  memory_saved: number;
  compute_overhead: string;
  quality: string;
  measure: string;
}

export interface QuantLabInput extends QuantSpecInput {
  dist?: 'normal' | 'laplace' | 'llm';
  /** Alias of dist (the paging simulation's name). */
  distribution?: 'normal' | 'laplace' | 'llm';
  n?: number;
  seed?: number;
  histogram_bins?: number;
  inject_nonfinite?: boolean;
  simd?: boolean;
  /** Timed quantize → dequantize passes (5–100, default 5), after an untimed one. */
  runs?: number;
  /**
   * The slice of chunks (65,536 values each) this run computes, [chunk_begin, chunk_end); chunk_end 0: to the end.
   * A slice draws exactly the values the whole run gives those chunks (quantLabChunks: how many there are).
   */
  chunk_begin?: number;
  chunk_end?: number;
}

export interface QuantLabResult {
  format: string;
  dist: string;
  n: number;
  /**
   * Weights per scale actually used: 32 for ggml blocks and MXFP4, 16 for NVFP4, 16384 (a 128×128 tile) for fp8_block,
   * 256 (the super-block) for k-quants, 0 for casts.
   */
  group_size: number;
  bits_per_weight: number;
  rel_rmse: number;
  snr_db: number;
  cosine: number;
  rmse: number;
  max_abs_error: number;
  mean_abs_error: number;
  nonfinite_inputs: number;
  nonfinite_behaviour: string;
  histogram_edges: number[];
  histogram_counts: number[];
  /** One quantize → dequantize pass: the median of the timed passes (= quantize_time.median_s); it was one cold pass. */
  quantize_s: number;
  /** The spread of the timed passes. */
  quantize_time: TimingStats;
  bytes_needed: number;
  kernel: 'simd' | 'scalar';
  /** The chunks this run computed (chunk_end − chunk_begin). */
  chunks_run: number;
  /** Per chunk run: a 32-bit FNV-1a hash of the restored values' float bits (for bit-identical comparisons). */
  chunk_hashes: number[];
  /** A slice only (chunk_end set), 8 per chunk: count, nonfinite, Σx², Σ(x̂−x)², Σx·x̂, Σx̂², Σ|x̂−x|, max |x̂−x|. */
  chunk_sums: number[];
}

export interface QuantGemvInput {
  rows?: number;
  cols?: number;
  /** A multiple of 32 dividing cols. */
  group_size?: number;
  seed?: number;
  /** Each timed sample is a batch of calls sized to last min_time_s / runs (and ≥ 2 ms). */
  min_time_s?: number;
  /** Alias of min_time_s (the machine probe's and benchmarks' name). */
  min_seconds?: number;
  simd?: boolean;
  /** Timed samples per kernel (5–100, default 5), after a warm-up call. */
  runs?: number;
  /** The slice of rows this run computes, [row_begin, row_end); row_end 0: to the last row. */
  row_begin?: number;
  row_end?: number;
}

export interface GemvKernelResult {
  kernel: 'f32' | 'int8' | 'int4' | 'int8x8' | 'int4x8';
  weight_bytes: number;
  bits_per_weight: number;
  /** The median sample, per call (= time.median_s). Before timed samples existed: the fastest batch. */
  seconds_per_call: number;
  /** Per call: the spread of the timed samples (each a batch of calls). */
  time: TimingStats;
  /** weight_bytes / seconds_per_call (from the median). */
  gb_per_s: number;
  /** 2·rows·cols per call: one multiply–add per weight. */
  flops: number;
  /** flops / weight_bytes, FLOP/byte: the arithmetic intensity of the weight stream (a roofline's x). */
  intensity: number;
  /** flops / seconds_per_call in FLOP/s (from the median): the point's height on a roofline. */
  flops_per_s: number;
  /** Calls timed, over all samples. */
  calls: number;
  max_abs_error: number;
  rel_rmse: number;
  cosine: number;
  /** XOR over the rows run of a 32-bit FNV-1a hash of (row index, y's float bits). */
  output_hash: number;
  /** A slice only (row_end set), 4 per row: (y − ref)², ref², ref·y, y². */
  error_terms: number[];
}

export interface QuantGemvResult {
  rows: number;
  /** The rows this run computed (row_end − row_begin). */
  rows_run: number;
  cols: number;
  group_size: number;
  kernels: GemvKernelResult[];
  bytes_needed: number;
  kernel: 'simd' | 'scalar';
}

export interface QuantBenchInput {
  kernel?: 'quantize_int8' | 'quantize_int4' | 'quantize_int8_asym' | 'quantize_int4_asym' | 'quantize_nf4' | 'quantize_q4_1'
    | 'dequantize_int8' | 'dequantize_nf4';
  n?: number;
  group_size?: number;
  /** Each timed sample is a batch of calls sized to last min_time_s / runs (and ≥ 2 ms). */
  min_time_s?: number;
  /** Alias of min_time_s (the machine probe's and benchmarks' name). */
  min_seconds?: number;
  simd?: boolean;
  /** Timed samples (5–100, default 5), after a warm-up call. */
  runs?: number;
}

export interface QuantBenchResult {
  kernel: string;
  isa: 'simd' | 'scalar';
  n: number;
  /** Calls timed, over all samples. */
  calls: number;
  /** The median sample, per call (= time.median_s). Before timed samples existed: the fastest batch. */
  seconds: number;
  /** Per call: the spread of the timed samples. */
  time: TimingStats;
  elements_per_s: number;
  checksum: number;
}

export interface QuantReferenceError {
  format: string;
  group_size: number;
  rel_rmse: number;
}
/** Expected relative RMSE on N(0,1) weights, derived by numerical integration (scripts/quant-reference-errors.js). */
export declare const quantReferenceErrors: readonly QuantReferenceError[];

export interface QuantApi {
  /** Every quantization format with its storage layout. */
  quantFormats(): QuantFormatInfo[];
  /** Bits per weight including scale, zero-point and block overheads. */
  quantBitsPerWeight(spec?: QuantSpecInput): BitsPerWeight;
  /** Weights bytes per component and in total, mixed precision included. */
  quantSize(input: QuantSizeInput): QuantSizeResult;
  /** Decision matrix rows, each linked to a lab measurement. */
  quantDecisionMatrix(): QuantDecisionRow[];
  /** Measured quantize → dequantize error on a seeded synthetic tensor. */
  quantLab(input?: QuantLabInput): QuantLabResult;
  /** Measured GEMV with fp32, int8, int4 and int8×int8 weights. */
  quantGemv(input?: QuantGemvInput): QuantGemvResult;
  /** Default inputs of quantLab and quantGemv, answered by the lab module alone. */
  quantRunDefaults(): { lab: Required<QuantLabInput>; gemv: Required<QuantGemvInput> };
  /** Chunks a quantLab run can be split into across workers (1 when a scale reaches across chunks). */
  quantLabChunks(input?: QuantLabInput): number;
  /** One quant kernel timed alone (the benchmark script). */
  quantBench(input?: QuantBenchInput): QuantBenchResult;
  /** Parameter counts grouped for quantSize from a model config. */
  quantParamGroups(config: Partial<import('./model.js').ModelConfig>): { params: ParamGroups; total: number };
  /** Default inputs of quantLab, quantGemv and quantSize. */
  quantDefaults(): { lab: Required<QuantLabInput>; gemv: Required<QuantGemvInput>; size: unknown };
}
