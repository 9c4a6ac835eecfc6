// Types of lib/explain.js (see docs/explain.md).
import type { ModelConfig, ModelReportOptions } from './model.js';
import type { KvCacheInput } from './memory.js';
import type { QuantSizeInput } from './quant.js';
import type { WorkloadInput } from './roofline.js';

// ---- Explain views (lib/explain.js; docs/explain.md) ----

/** One symbol of a formula with its value. */
export interface ExplainTerm {
  /** TeX, as it appears in formula_tex ("h_{kv}"). */
  symbol: string;
  /** Plain words ("key/value heads"). */
  meaning: string;
  value: number;
  /** `value` as text, written by the core (6,738,415,616; 3.352e12): what the CLI prints. */
  value_text: string;
  /** "", "bytes", "FLOPs", "tokens", "bits", "s", ... */
  unit: string;
}

/** A figure with its formula, the formula with the numbers plugged in, its terms and sources. */
export interface Explanation {
  /** Stable id: "params.total", "kv.bytes_per_token", "plan.decode_step", "quant.bits_per_weight", ... */
  id: string;
  title: string;
  /** TeX with symbols only (render with KaTeX). */
  formula_tex: string;
  /** TeX with the actual numbers, ending "= <value>". */
  substituted_tex: string;
  /** The figure itself: equal to the area result's field. */
  value: number;
  /** `value` as text, written by the core (6,738,415,616; 3.352e12): what the CLI prints. */
  value_text: string;
  unit: string;
  terms: ExplainTerm[];
  /** Papers, spec sheets and docs the formula and its constants come from. */
  sources: string[];
  /** Conventions and caveats in plain words ("" when none). */
  note: string;
}

export interface ExplainApi {
  /** Same inputs as modelReport: params.total, params.active (MoE), params.attention, params.ffn, params.embedding, params.lm_head, weights.<dtype>, flops.decode, flops.prefill, flops.crossover. */
  explainModel(config?: Partial<ModelConfig>, options?: ModelReportOptions): Explanation[];
  /** Same input as kvCache: kv.vector_bytes, kv.bytes_per_token, kv.bytes_per_sequence, kv.bytes, kv.paged_bytes (block_size > 0). */
  explainKv(input?: Partial<KvCacheInput>): Explanation[];
  /** Same input as plan: plan.ridge, plan.weight_bytes, plan.kv_bytes, plan.memory_per_device, plan.max_batch, plan.decode_step, plan.tokens_per_s, plan.total_tokens_per_s, plan.ttft. */
  explainPlan(input?: Partial<WorkloadInput>): Explanation[];
  /** train.trainable_params and train.base_weights (LoRA/QLoRA), train.states, train.activations, train.total. */
  explainTraining(input?: Parameters<import('./roofline.js').RooflineApi['trainingMemory']>[0]): Explanation[];
  /** Same input as quantSize: quant.bits_per_weight, quant.bytes, quant.average_bits, quant.saving_vs_fp16. */
  explainQuant(input: QuantSizeInput): Explanation[];
}

/** The explanation with `id` from a list, or undefined. */
export declare function findExplanation(explanations: Explanation[], id: string): Explanation | undefined;
