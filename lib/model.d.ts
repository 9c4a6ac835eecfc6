// Types of lib/model.js (see docs/model.md).

// ---- Model area (lib/model.js; docs/model.md) ----

/** A decoder-only transformer. Sizes are whole numbers; partial configs merge over defaultModelConfig(). */
export interface ModelConfig {
  name: string;
  vocab_size: number;
  d_model: number;
  n_layers: number;
  n_heads: number;
  /** = n_heads: MHA; 1: MQA; in between: GQA (must divide n_heads). */
  n_kv_heads: number;
  /** 0: implied d_model / n_heads (must divide). */
  head_dim: number;
  /** The dense layers' FFN width (and the experts' when moe_d_ff is 0, as in Mixtral). */
  d_ff: number;
  /** 'gated' (SwiGLU/GeGLU: gate, up, down) or 'plain' (up, down). */
  ffn: 'gated' | 'plain' | string;
  /** 'rms' (weight) or 'layer' (weight + bias). */
  norm: 'rms' | 'layer' | string;
  tied_embeddings: boolean;
  qkv_bias: boolean;
  attn_out_bias: boolean;
  mlp_bias: boolean;
  /** Rows of a learned position table (GPT-2: 1024); 0: none. */
  learned_position_embeddings: number;
  parallel_attn_mlp: boolean;
  parallel_shared_norm: boolean;
  /** 1: dense. */
  n_experts: number;
  experts_top_k: number;
  /** Four norms per layer (Gemma 2/3). */
  sandwich_norms: boolean;
  /** RMSNorm of head_dim on Q and K (Qwen3, Gemma 3). */
  qk_norm: boolean;
  /** With qk_norm: one RMSNorm over the whole Q projection (n_heads × head_dim) and one over K, not one of head_dim (MiniMax-M2). */
  qk_norm_full_width: boolean;
  /** One learned logit per head per layer (gpt-oss). */
  attention_sinks: boolean;
  /** 'gqa' (MHA/GQA/MQA) or 'mla' (DeepSeek's latent attention). */
  attention: 'gqa' | 'mla' | string;
  /** MLA: 0 = queries projected directly. */
  q_lora_rank: number;
  kv_lora_rank: number;
  qk_nope_head_dim: number;
  qk_rope_head_dim: number;
  v_head_dim: number;
  /** DeepSeek Sparse Attention (DeepSeek-V3.2; MLA with q_lora_rank > 0): the lightning indexer's heads (0: dense attention). */
  indexer_heads: number;
  /** The indexer's head size; its key is cached per token per layer (fp8 + an fp32 scale per 128 values). */
  indexer_head_dim: number;
  /** Keys each query attends: min(cached tokens, indexer_topk). */
  indexer_topk: number;
  /** The window of sliding layers (0: none). */
  sliding_window: number;
  /** The chunk of chunked layers (Llama 4: 8192). */
  attention_chunk: number;
  /** Per layer, comma-separated: full, sliding, chunked ('' : all sliding with a window, else all full). An array of words is accepted. */
  layer_types: string;
  /** One routed expert's width (0: d_ff). */
  moe_d_ff: number;
  shared_experts: number;
  /** 0: the routed width. */
  shared_expert_d_ff: number;
  shared_expert_gate: boolean;
  router_bias: boolean;
  /** DeepSeek-V3's e_score_correction_bias. */
  router_score_bias: boolean;
  /** Per layer, comma-separated: dense, moe ('' : all MoE when n_experts > 1). An array of words is accepted. */
  mlp_layer_types: string;
  /** DeepSeek-V3's next-token-prediction modules. */
  mtp_modules: number;
  /** Each MTP module stores its own copy of the embedding and the LM head (DeepSeek-V3, GLM-4.5: true); false: it shares the main model's (GLM-5). */
  mtp_embedding_copies: boolean;
  vision_params: number;
  projector_params: number;
  /** One image through the vision tower and the projector. */
  vision_flops_per_image: number;
  /** Context tokens each image becomes. */
  image_tokens: number;
}

export interface ModelPreset {
  id: string;
  label: string;
  /** The config.json (or paper) the numbers come from. */
  source: string;
  config: ModelConfig;
  /** The checkpoint's own weights format from its quantization_config ('fp8_block', 'mxfp4') or ''. */
  weights_format: string;
  /** The components that format keeps in bf16 (the plan's weights_keep). */
  weights_keep: string;
}

/** One kind of layer of the stack. */
export interface LayerKind {
  /** 'MoE · MLA · full', 'dense · GQA · sliding 4096', ... */
  kind: string;
  count: number;
  per_layer: number;
  per_layer_active: number;
  total: number;
}

export interface ParamPart {
  id: string;
  label: string;
  /** 0 for parts outside the layers. */
  per_layer: number;
  count: number;
  /** Of params.total. */
  percent: number;
}

/** Exact parameter counts; totals over all layers. */
export interface ModelParams {
  q_dim: number;
  kv_dim: number;
  embedding: number;
  position_embedding: number;
  attention_q: number;
  attention_k: number;
  attention_v: number;
  attention_o: number;
  attention_bias: number;
  /** QK-norms; MLA's latent norms. */
  attention_norms: number;
  attention_sinks: number;
  /** DeepSeek Sparse Attention's indexers (wq_b, wk, weights_proj, k_norm). */
  attention_indexer: number;
  attention: number;
  ffn_per_expert: number;
  /** The dense layers' MLPs. */
  ffn_dense: number;
  /** Every routed expert. */
  ffn_experts: number;
  ffn_shared: number;
  /** dense + routed + shared (routers apart). */
  ffn: number;
  ffn_active: number;
  router: number;
  norms_per_layer: number;
  final_norm: number;
  norms: number;
  lm_head: number;
  per_layer: number;
  per_layer_active: number;
  /** The decoder stack with its embedding and head. */
  language_model: number;
  /** MTP modules, with the embedding and head copies the checkpoint stores. */
  mtp: number;
  vision: number;
  projector: number;
  /** The whole checkpoint: language_model + mtp + vision + projector. */
  total: number;
  /** Embedding and LM head included; top-k routed and shared experts (the Mixtral convention); no MTP, no vision. */
  active: number;
  attention_percent: number;
  ffn_percent: number;
  parts: ParamPart[];
  layer_kinds: LayerKind[];
}

export interface WeightsMemory {
  dtype: string;
  label: string;
  bits: number;
  bytes: number;
  active_bytes: number;
}

export interface FlopSplit {
  attention_projections: number;
  attention_scores: number;
  attention: number;
  ffn: number;
  lm_head: number;
  total: number;
}

export interface ModelFlops {
  context_tokens: number;
  /** One new token attending context_tokens keys. */
  decode_per_token: number;
  /** A causal prefill of context_tokens tokens (n(n+1)/2 pairs, logits at every position). */
  prefill: number;
  decode_split: FlopSplit;
  prefill_split: FlopSplit;
  decode_attended_tokens: number;
  prefill_attended_pairs: number;
  prefill_lm_head_last_token: number;
}

export interface AttentionSharePoint {
  context_tokens: number;
  attention_flops: number;
  ffn_flops: number;
  lm_head_flops: number;
  total_flops: number;
  /** attention / total decode FLOPs. */
  attention_share: number;
}

export interface ModelReport {
  /** Validated, head_dim resolved. */
  config: ModelConfig;
  params: ModelParams;
  weights_memory: WeightsMemory[];
  flops: ModelFlops;
  /** Decode context where attention FLOPs equal FFN FLOPs; null when a sliding window prevents it. */
  crossover_context_tokens: number | null;
  attention_share_curve: AttentionSharePoint[];
  /** The decode figures as one struct (the same numbers as in `flops`). */
  decode: DecodeFlops;
  /** The prefill figures as one struct (the same numbers as in `flops`). */
  prefill: PrefillFlops;
  /** exists false: a sliding window keeps attention below the FFN. */
  crossover: Crossover;
}

export interface DecodeFlops {
  context_tokens: number;
  /** min(context_tokens, sliding_window) when a window is set. */
  attended_tokens: number;
  split: FlopSplit;
}

export interface PrefillFlops {
  context_tokens: number;
  /** (query, key) pairs per head per layer: n(n+1)/2 without a window. */
  attended_pairs: number;
  lm_head_last_token: number;
  split: FlopSplit;
}

export interface Crossover {
  exists: boolean;
  context_tokens: number;
}

export interface ModelReportOptions {
  /** Default 4096. */
  context_tokens?: number;
}

export interface HfImport {
  config: ModelConfig;
  /** Values not read from the file: "num_key_value_heads: 32 (default)". */
  assumed: string[];
  model_type: string;
  /** From quantization_config: 'fp8_block', 'mxfp4', 'fp8_e4m3' or ''. */
  weights_format: string;
  /** modules_to_not_convert, as written. */
  weights_format_exceptions: string[];
  /** The components kept in bf16, as the plan's weights_keep names them. */
  weights_keep: string;
}

export interface ModelApi {
  modelPresets(): ModelPreset[];
  /** Throws InputError (field 'preset') for an unknown id. */
  modelPreset(id: string): ModelPreset;
  defaultModelConfig(): ModelConfig;
  /** The config with defaults filled and head_dim resolved; throws InputError. */
  validateModel(config?: Partial<ModelConfig>): ModelConfig;
  countParams(config?: Partial<ModelConfig>): ModelParams;
  modelReport(config?: Partial<ModelConfig>, options?: ModelReportOptions): ModelReport;
  /** Parses a Hugging Face config.json text; throws InputError naming the key at fault. */
  importHfConfig(text: string): HfImport;
}
