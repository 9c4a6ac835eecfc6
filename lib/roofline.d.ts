// Types of lib/roofline.js (see docs/roofline.md).
import type { TimingStats } from './attention.js';
import type { ModelConfig } from './model.js';

// ---- Roofline area (lib/roofline.js; docs/roofline.md) ----

/** A chip. TFLOPS = 1e12 FLOP/s, GB/s = 1e9 B/s; capacity in bytes (also shown as GB and GiB). */
export interface Hardware {
  id: string;
  label: string;
  /** 'gpu' | 'tpu' | 'cpu'. */
  kind: string;
  /** The spec sheet the numbers come from. */
  source: string;
  /** Dense fp32 matmul peak (TF32 tensor cores where present). */
  fp32_tflops: number;
  /** Dense fp16/bf16 tensor peak (no 2:4 sparsity). */
  fp16_tflops: number;
  /** 0: no fp8 matmul. */
  fp8_tflops: number;
  int8_tops: number;
  memory_gb_per_s: number;
  memory_bytes: number;
  /** Device-to-device per direction (NVLink, Infinity Fabric, ICI; PCIe if none); 0: none. */
  interconnect_gb_per_s: number;
  /** Device to host per direction (PCIe); 0: none. */
  host_link_gb_per_s: number;
  /** Dense fp4 (NVFP4/MXFP4) peak; 0: none. */
  fp4_tflops: number;
  /** Board power of one device (W); 0: not listed. */
  tdp_watts: number;
  /** On-demand price of one device per hour (USD); 0: none known. */
  usd_per_hour: number;
  /** Where and when the price was read. */
  price_source: string;
}

/** A preset with its capacity in both units. */
export interface HardwarePreset extends Hardware {
  memory_gb: number;
  memory_gib: number;
}

/** A custom chip: any Hardware fields, optionally starting from a preset (`base`). */
export type HardwareSpec = Partial<Hardware> & { base?: string };

export type PlainDtype = 'fp32' | 'fp16' | 'bf16' | 'fp8' | 'int8' | 'int4';
/** ggml block formats, sized at their block's bytes per weight (Q4_K 144 B / 256 = 4.5 bits). */
export type GgmlBlockFormat = 'q4_0' | 'q4_1' | 'q5_0' | 'q5_1' | 'q8_0' | 'q2_k' | 'q3_k' | 'q4_k' | 'q5_k' | 'q6_k';

/** What runs on which chip. Every field is optional in calls; defaults from defaultWorkload(). */
export interface WorkloadInput {
  /** A model preset id ("llama-2-70b") or a (partial) ModelConfig. */
  model: string | Partial<ModelConfig>;
  /** A hardware preset id ("h100-sxm", the default) or a custom spec. */
  hardware: string | HardwareSpec;
  /**
   * Any quant format (quantFormats() ids): a plain dtype, int4/int8 (groups of 128, fp16 scales),
   * nf4 (64, double quant), a ggml block, mxfp4, nvfp4, fp8_block. Sized by the quant area.
   */
  weights_dtype: PlainDtype | GgmlBlockFormat | string;
  /** > 0 overrides weights_dtype for every component: bits per weight including scales. */
  weights_bits: number;
  /** Group size of grouped formats; 0: the format's usual one (int4/int8 128, nf4 64). */
  weights_group: number;
  /** Scales of grouped formats (default fp16). */
  weights_scale_dtype: 'fp16' | 'bf16' | 'fp32';
  /** Components kept in bf16, comma-separated: embedding, attention, router, lm_head. */
  weights_keep: string;
  kv_dtype: PlainDtype;
  /** Matmul peak used and the dtype activations are stored in. */
  compute_dtype: 'fp32' | 'fp16' | 'bf16' | 'fp8' | 'int8';
  batch: number;
  /** Prompt tokens at prefill; tokens attended to at decode. */
  context: number;
  /** Images per prompt, each through the model's vision tower at prefill (their tokens count in context). */
  images: number;
  /** Fraction of peak FLOP/s reached (default 1: the ideal roofline). */
  flop_efficiency: number;
  /** Fraction of peak bandwidth reached (default 1). */
  bandwidth_efficiency: number;
  /** FlashAttention (default true): scores never leave the chip. */
  fused_attention: boolean;
  gpus: number;
  /** tensor: gpus-way tensor parallel; pipeline: gpus stages; tensor_pipeline: pipeline_stages stages, each gpus / pipeline_stages-way tensor parallel. */
  parallelism: 'tensor' | 'pipeline' | 'tensor_pipeline';
  /** Pipeline stages of tensor_pipeline (default 1; divides gpus, at most n_layers); ignored otherwise. */
  pipeline_stages: number;
  /** Layers whose weights stay in host memory and cross the host link every pass (gpus = 1). */
  offload_layers: number;
  /** Fixed cost per all-reduce or pipeline hop (default 5e-6 s). */
  collective_latency_s: number;
}

/** The resolved workload (model and hardware as objects). */
export interface Workload extends Omit<WorkloadInput, 'model' | 'hardware'> {
  model: ModelConfig;
  hardware: Hardware;
}

export interface OperatorCost {
  /** attn_norm, q_proj, k_proj, v_proj, scores, softmax, av, o_proj, attn_residual, ffn_norm, router,
   *  ffn_up, ffn_gate, ffn_act, ffn_down, ffn_residual, embedding, final_norm, lm_head. */
  name: string;
  phase: 'prefill' | 'decode';
  /** 'layer': repeated n_layers times; 'model': once. */
  scope: 'layer' | 'model';
  count: number;
  tensor_parallel: boolean;
  flops: number;
  weight_bytes: number;
  kv_bytes: number;
  activation_bytes: number;
  bytes: number;
  intensity: number;
  attainable_flops_per_s: number;
  compute_s: number;
  memory_s: number;
  time_s: number;
  bound: 'compute' | 'memory';
}

export interface PhaseTotals {
  tokens: number;
  flops: number;
  weight_bytes: number;
  kv_bytes: number;
  activation_bytes: number;
  bytes: number;
  intensity: number;
  compute_s: number;
  memory_s: number;
  /** Sum of per-operator max(compute, memory). */
  time_s: number;
  bound: 'compute' | 'memory';
}

export interface RooflineResult {
  peak_flops_per_s: number;
  bandwidth_bytes_per_s: number;
  ridge_flops_per_byte: number;
  effective_peak_flops_per_s: number;
  effective_bandwidth_bytes_per_s: number;
  bytes_per_weight: number;
  head_dim: number;
  /** 2 × batch / bytes_per_weight. */
  decode_weight_intensity: number;
  /** ridge × bytes_per_weight / 2. */
  batch_to_ridge: number;
  operators: OperatorCost[];
  prefill: PhaseTotals;
  decode: PhaseTotals;
}

export interface DecodePlan {
  /** Time per output token (TPOT). */
  step_s: number;
  /** (weight bytes read + batch × KV bytes) / bandwidth. */
  memory_floor_s: number;
  compute_floor_s: number;
  /** Per sequence. */
  tokens_per_s: number;
  total_tokens_per_s: number;
  flops: number;
  bytes: number;
  weight_bytes_read: number;
  kv_bytes_read: number;
  intensity: number;
  bound: 'compute' | 'memory';
  communication_s: number;
  offload_s: number;
  experts_touched: number;
}

export interface PrefillPlan {
  ttft_s: number;
  tokens_per_s: number;
  flops: number;
  bytes: number;
  intensity: number;
  bound: 'compute' | 'memory';
  communication_s: number;
  offload_s: number;
}

export interface CurvePoint {
  batch: number;
  step_s: number;
  tokens_per_s: number;
  total_tokens_per_s: number;
  memory_bytes: number;
  fits: boolean;
}

export interface PlanResult {
  ridge_flops_per_byte: number;
  peak_flops_per_s: number;
  bandwidth_bytes_per_s: number;
  bytes_per_weight: number;
  total_params: number;
  active_params: number;
  /** Parameters held in memory: total less MTP modules. */
  weights_params: number;
  /** The quant area's sizing, components and scales included. */
  weight_bytes: number;
  weight_components: import('./quant.js').ComponentSize[];
  /** One sequence, all layers, scales included (the KV calculator's figure). */
  kv_bytes_per_token: number;
  /** batch x one sequence of `context` tokens, windows and chunks applied. */
  kv_bytes: number;
  memory_per_device_bytes: number;
  memory_capacity_bytes: number;
  weights_per_device_bytes: number;
  kv_per_device_bytes: number;
  offloaded_bytes: number;
  fits: boolean;
  max_batch: number;
  max_context: number;
  max_context_unbounded: boolean;
  min_gpus: number;
  decode: DecodePlan;
  prefill: PrefillPlan;
  curve: CurvePoint[];
}

/** A point of planSweep: each field not given is the input's. */
export interface PlanSweepPoint {
  batch?: number;
  context?: number;
  gpus?: number;
}

/** plan() at one sweep point, without the lists that do not change or that a sweep does not draw. */
export type PlanSweepResult = Omit<PlanResult, 'weight_components' | 'curve'>;

export interface TrainingInput {
  model: string | Partial<ModelConfig>;
  /** b: sequences per micro-batch of one data-parallel replica. */
  batch: number;
  /** s: tokens per sequence. */
  sequence: number;
  /** none; selective (attention core recomputed); full (every layer's input kept); sqrt (a checkpoint every ⌈√L⌉ layers). */
  checkpointing: 'none' | 'selective' | 'full' | 'sqrt';
  /** FlashAttention: no s × s scores, one fp32 log-sum-exp per head and token instead. */
  fused_attention: boolean;
  /** Dropout after attention, softmax and FFN with 1-byte masks (Korthikanti et al. eq. 1); false: no masks. */
  dropout: boolean;
  /** A fused SwiGLU kernel keeps gate and up; eager PyTorch also keeps SiLU(gate). */
  fused_swiglu: boolean;
  /** > 1: a fused (chunked) cross-entropy holds 1/vocab_chunks of the logits and their gradient. */
  vocab_chunks: number;
  /** ZeRO stage 0–3: 1 shards Adam's states, 2 also gradients, 3 also weights, over data_parallel. */
  zero_stage: number;
  /** N_d: data-parallel degree. */
  data_parallel: number;
  /** t: tensor-parallel size. */
  tensor_parallel: number;
  /** p: pipeline stages (1F1B). */
  pipeline_parallel: number;
  /** Split the tensors tensor parallelism leaves whole over t as well (Korthikanti et al. sec. 4.2.2). */
  sequence_parallel: boolean;
  /** An fp32 gradient accumulation buffer: 18 bytes per parameter instead of 16. */
  fp32_gradients: boolean;
  /** full: every parameter trains; lora: frozen bf16 base + adapters; qlora: frozen NF4 (double quant) base + adapters. */
  method: 'full' | 'lora' | 'qlora';
  /** r, the same for every adapted module. */
  lora_rank: number;
  /** "all-linear" or a comma list of q, k, v, o, gate, up, down (PEFT's q_proj etc. accepted). */
  lora_targets: string;
  /** MoE: adapt the routed experts too. */
  lora_experts: boolean;
  /** LoRA dropout > 0: each adapted module keeps its dropped input (2 B) and mask (1 B). */
  lora_dropout: boolean;
  /** fp32 (PEFT's default: 16 B per trainable parameter) or bf16 (qlora.py --bf16: 12 B). */
  adapter_dtype: 'fp32' | 'bf16';
  /** Optimizer states paged to host memory (bitsandbytes paged AdamW): out of the device total. */
  paged_optimizer: boolean;
}

/** A training input with the device to fit: a preset id or a custom spec ({ base: 'h100-sxm', memory_bytes }). */
export interface TrainingFitInput extends TrainingInput {
  hardware: string | (Partial<Hardware> & { base?: string });
}

export interface TrainingFit {
  capacity_bytes: number;
  needed_bytes: number;
  fits: boolean;
  /** The largest micro-batch at this sequence that fits (0: none). */
  max_batch: number;
  /** The longest sequence at this micro-batch that fits (0: none). */
  max_sequence: number;
}

/** One part of the device's memory; the parts sum to total_bytes. */
export interface TrainingPart {
  /** full: weights, gradients, optimizer, activations, logits_loss; LoRA: base_weights, adapter_weights,
   * adapter_gradients, optimizer, (dequantized,) activations, adapter_activations, logits_loss. */
  id: string;
  label: string;
  bytes: number;
}

/** The tensors one layer of a kind keeps for backward on one device, in bytes (Korthikanti et al. 2022 sec. 4.1). */
export interface TrainingLayer {
  kind: string;
  count: number;
  norm_inputs_bytes: number;
  attention_input_bytes: number;
  /** MLA: the query and KV latents before and after their norms. */
  latent_bytes: number;
  qk_bytes: number;
  v_bytes: number;
  /** Softmax output (fused attention: fp32 log-sum-exp per head and token). */
  scores_bytes: number;
  scores_dropout_bytes: number;
  attention_output_bytes: number;
  attention_dropout_bytes: number;
  ffn_input_bytes: number;
  /** MoE: fp32 router probabilities, the routed copies of the input and the experts' outputs. */
  router_bytes: number;
  ffn_hidden_bytes: number;
  ffn_dropout_bytes: number;
  /** LoRA: the adapters' r-wide inputs of B (and LoRA-dropout copies and masks). */
  adapter_bytes: number;
  /** LoRA: trainable parameters of one layer of this kind. */
  adapter_params: number;
  /** With no recomputation. */
  bytes: number;
  /** Without the attention core (selective recomputation). */
  selective_bytes: number;
}

/** Per device: states after t·p and ZeRO sharding; activations of the first (and last) pipeline stage. */
export interface TrainingMemory {
  params: number;
  params_per_device: number;
  /** 16 (bf16 weights and gradients, fp32 master and Adam moments) or 18 (fp32 gradients). */
  bytes_per_param: number;
  weights_bytes: number;
  gradients_bytes: number;
  optimizer_bytes: number;
  activation_per_layer_bytes: number;
  selective_per_layer_bytes: number;
  layer_input_bytes: number;
  checkpoints: number;
  recompute_layers: number;
  /** The layers' activations on the first stage (p micro-batches in flight). */
  activation_bytes: number;
  embedding_activation_bytes: number;
  head_activation_bytes: number;
  /** fp32 s·b·V / t. */
  logits_bytes: number;
  /** Logits and their gradient, / vocab_chunks. */
  loss_bytes: number;
  first_stage_bytes: number;
  last_stage_bytes: number;
  /** The larger stage. */
  total_bytes: number;
  flops_per_step: number;
  recompute_flops: number;
  extra_compute_fraction: number;
  layers: TrainingLayer[];
  method: 'full' | 'lora' | 'qlora';
  /** full: every parameter; LoRA: the adapters (what PEFT prints). */
  trainable_params: number;
  /** trainable / (params + adapters) · 100, as PEFT prints it. */
  trainable_percent: number;
  base_weights_bytes: number;
  /** 16 for bf16; NF4 with double quant: 4 + 8/64 + 32/(256·64). */
  base_bits_per_weight: number;
  adapter_weights_bytes: number;
  /** 16 (fp32 adapters) or 12 (bf16 adapters). */
  adapter_bytes_per_param: number;
  /** The adapters' share of activation_bytes. */
  adapter_activation_bytes: number;
  /** QLoRA: the bf16 copy of the largest matrix a matmul dequantizes. */
  dequantized_bytes: number;
  /** Paged optimizer: states in host memory (not in total_bytes). */
  offloaded_bytes: number;
  parts: TrainingPart[];
}

export interface CalibrationPoint {
  id: string;
  label: string;
  source: string;
  hardware_id: string;
  model_name: string;
  weights_bits: number;
  batch: number;
  context: number;
  measured_tokens_per_s: number;
  predicted_tokens_per_s: number;
  /** measured / predicted. */
  ratio: number;
}

export interface ProbeInput {
  /** Streamed array size (default 64 MiB; at most 1 GiB). */
  bytes: number;
  /** Timed passes (and FLOP runs) per kernel, 1 to 21 (default 11). */
  repeats: number;
  /** Each timed FLOP run lasts at least this long (default 0.005 s, at most 1 s). */
  min_seconds: number;
}

export interface ProbeMeasure {
  /** bytes / the fastest pass (best of `repeats`, as STREAM reports). */
  bandwidth_bytes_per_s: number;
  /** FLOPs / the fastest multiply-add run. */
  flops_per_s: number;
  ridge_flops_per_byte: number;
  checksum: number;
  /** Seconds per pass over `bytes`: the spread of the timed passes. */
  stream_time: TimingStats;
  /** Seconds per multiply-add run. */
  flops_time: TimingStats;
}

export interface ProbeResult {
  bytes: number;
  simd_lanes: number;
  simd: ProbeMeasure;
  scalar: ProbeMeasure;
}

/** The cache sweep's inputs (all optional; defaults from the C++ CacheSweepInput). */
export interface CacheSweepInput {
  /** Smallest working set (default 16 KiB, at least 4096). */
  min_bytes: number;
  /** Largest working set (default 256 MiB, at most 1 GiB). */
  max_bytes: number;
  /** Log-spaced sizes per doubling, 1 to 8 (default 3). */
  points_per_octave: number;
  /** Timed blocks per size and kernel, 5 to 21 (default 5). */
  repeats: number;
  /** A timed block lasts at least this long, 0.0005 to 0.1 s (default 0.002: browsers round timers to 0.1 ms). */
  min_block_seconds: number;
}

export interface SweepPoint {
  /** Working set (a multiple of 64 bytes). */
  bytes: number;
  /** bytes × passes / the fastest block: this working set's ceiling. */
  simd_bytes_per_s: number;
  scalar_bytes_per_s: number;
  /** bytes × passes / the median block. */
  simd_median_bytes_per_s: number;
  scalar_median_bytes_per_s: number;
  /** Passes over the set per timed block (below 1: a large set timed chunk by chunk). */
  simd_passes: number;
  scalar_passes: number;
  /** Seconds per timed block. */
  simd_time: TimingStats;
  scalar_time: TimingStats;
}

export interface CachePlateau {
  /** 'L1', 'L2', 'L3', 'LLC' (the largest of three), 'DRAM' (the largest of four or more); with five or more, L3a, L3b, … between L2 and DRAM. */
  level: string;
  /** Smallest and largest working set measured on the plateau. */
  bytes_from: number;
  bytes_to: number;
  /** Sweep sizes on it. */
  points: number;
  /** Median ceiling of its sizes (plateaus are found on the SIMD curve). */
  simd_bytes_per_s: number;
  scalar_bytes_per_s: number;
}

/** A measured kernel as a roofline point (runAttention/quantGemv give intensity and flops_per_s). */
export interface KernelPoint {
  /** FLOP/byte. */
  intensity: number;
  /** FLOP/s measured. */
  flops_per_s: number;
  /** Bytes the kernel streams: picks the sweep's ceiling. */
  working_set_bytes: number;
}

export interface KernelRoof {
  /** Bytes/s of the sweep's SIMD curve at working_set_bytes (log–log interpolation, clamped at the ends). */
  ceiling: number;
  /** FLOP/s: min(peak, intensity × ceiling). */
  roof: number;
  /** flops_per_s / roof. */
  share: number;
  /** 'bandwidth' when intensity × ceiling < peak, else 'compute'. */
  bound: 'bandwidth' | 'compute';
}

export interface CacheSweepResult {
  simd_lanes: number;
  points: SweepPoint[];
  plateaus: CachePlateau[];
  /** Wall time of the sweep. */
  seconds: number;
  checksum: number;
}

export interface RooflineApi {
  /** Accelerators with dense peaks per dtype, bandwidth, capacity and a source per row. */
  hardwarePresets(): HardwarePreset[];
  /** The defaults of every workload field (Llama-2-7B shape on an H100 SXM). */
  defaultWorkload(): Workload;
  /** Every operator of one layer (+ embedding, final norm, LM head) at prefill and decode. */
  roofline(input?: Partial<WorkloadInput>): RooflineResult;
  /** Latency, throughput, fit, parallelism and the batch-throughput curve. */
  plan(input?: Partial<WorkloadInput>): PlanResult;
  /**
   * plan() of `input` at each point (batch, context, gpus), the workload prepared once and the points
   * evaluated in one call into the module; a bad point is an InputError naming `points[i].field`.
   */
  planSweep(input: Partial<WorkloadInput> | undefined, points: PlanSweepPoint[]): PlanSweepResult[];
  /** The defaults of every training input but the model. */
  defaultTrainingInput(): Omit<TrainingInput, 'model'>;
  /** Training memory per device: mixed-precision Adam under ZeRO and t/p sharding, activations per tensor, logits and loss. */
  trainingMemory(input?: Partial<TrainingInput>): TrainingMemory;
  /** Whether the step fits one device, and the largest micro-batch and sequence that do. */
  trainingFit(input: Partial<TrainingFitInput> & { hardware: TrainingFitInput['hardware'] }): TrainingFit;
  /** Published decode measurements (cited) against the ideal-roofline prediction. */
  calibration(): CalibrationPoint[];
  /** This machine: streaming bandwidth and multiply-add FLOP/s, SIMD and scalar. */
  measureMachine(input?: Partial<ProbeInput>): ProbeResult;
  /** Throws the InputError measureMachine would throw, without measuring. */
  checkMachineInput(input?: Partial<ProbeInput>): void;
  /** The cache sweep's defaults. */
  defaultCacheSweepInput(): CacheSweepInput;
  /** Read bandwidth over working sets, SIMD and scalar, and the cache plateaus found in it (docs/roofline.md). */
  measureCacheSweep(input?: Partial<CacheSweepInput>): CacheSweepResult;
  /** Throws the InputError measureCacheSweep would throw, without measuring. */
  checkCacheSweepInput(input?: Partial<CacheSweepInput>): void;
  /** The ceiling of a working set of `bytes` on a sweep: its curve interpolated on log axes, clamped at the ends. */
  sweepCeiling(sweep: Pick<CacheSweepResult, 'points'>, bytes: number, kind?: 'simd' | 'scalar'): number;
  /**
   * A measured kernel under its own roof on a sweep (core: roofline/probe kernel_roof): ceiling = sweepCeiling at
   * working_set_bytes, roof = min(peak, intensity × ceiling), share = flops_per_s / roof (above 1: over its roof).
   */
  kernelRoof(sweep: Pick<CacheSweepResult, 'points'>, point: KernelPoint, peakFlopsPerS: number): KernelRoof;
}
