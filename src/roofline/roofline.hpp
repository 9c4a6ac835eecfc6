// Where each operator of a decoder sits against a chip's roofline, for the
// prefill of a prompt and for one decode step. Closed forms only: FLOPs and
// bytes per operator, time = max(FLOPs / peak, bytes / bandwidth).
#pragma once
#include <string>
#include <vector>

#include "core/status.hpp"
#include "model/config.hpp"
#include "roofline/hardware.hpp"

namespace llmst {

// What runs on which chip. The plan-only fields are ignored by roofline().
struct Workload {
  ModelConfig model;
  Hardware hardware;
  // The weights' format (quant/sizes.hpp WeightsFormat): a plain dtype or any quant
  // format (int4 = GPTQ-style groups of 128 with fp16 scales, nf4, q4_k, mxfp4, fp8_block ...).
  std::string weights_dtype = "fp16";
  double weights_bits = 0;   // > 0 overrides weights_dtype (e.g. 4.5 for 4-bit with an fp16 scale per 32)
  double weights_group = 0;  // group size of grouped formats; 0: the format's usual one (int4 128, nf4 64)
  std::string weights_scale_dtype = "fp16";  // scales of grouped formats
  std::string weights_keep;                  // components kept in bf16: embedding, attention, router, lm_head
  std::string kv_dtype = "fp16";
  std::string compute_dtype = "fp16";  // matmul peak used, and the dtype activations are stored in
  double batch = 1;                    // sequences decoded together
  double context = 4096;               // prompt tokens at prefill; tokens the new token attends to at decode
  double images = 0;           // images per prompt: each runs the vision tower at prefill (its tokens count in context)
  double flop_efficiency = 1;  // fraction of peak FLOP/s reached (1: the ideal roofline)
  double bandwidth_efficiency = 1;  // fraction of peak bandwidth reached
  bool fused_attention = true;      // true: FlashAttention (scores never leave the chip); false: scores materialized
  // Plan only.
  double gpus = 1;
  // "tensor" (gpus-way tensor parallel), "pipeline" (gpus stages) or
  // "tensor_pipeline" (pipeline_stages stages, each gpus / pipeline_stages-way tensor parallel).
  std::string parallelism = "tensor";
  double pipeline_stages = 1;  // read by tensor_pipeline only; divides gpus
  double offload_layers = 0;   // layers whose weights live in host memory and cross the host link each pass
  double collective_latency_s =
      5e-6;  // fixed cost per all-reduce or pipeline hop (NCCL small-message latency is ~5-10 us)
};

// One operator, for one instance (one layer's worth, or once per model).
struct OperatorCost {
  std::string name;             // "q_proj", "scores", "ffn_down", "lm_head", ...
  std::string phase;            // "prefill" or "decode"
  std::string scope;            // "layer" (repeated n_layers times) or "model" (once)
  double count = 1;             // instances per forward pass
  bool tensor_parallel = true;  // split across devices by tensor parallelism (norms and adds are replicated)
  double flops = 0;
  double weight_bytes = 0;
  double kv_bytes = 0;          // KV cache read or written
  double activation_bytes = 0;  // activations read and written
  double bytes = 0;
  double intensity = 0;               // FLOP per byte
  double attainable_flops_per_s = 0;  // min(peak, intensity x bandwidth), with the efficiencies
  double compute_s = 0;
  double memory_s = 0;
  double time_s = 0;  // max(compute_s, memory_s)
  std::string bound;  // "compute" or "memory"
};

// A whole forward pass: the sum over operators of count x value.
struct PhaseTotals {
  double tokens = 0;  // tokens processed (batch x prompt at prefill, batch at decode)
  double flops = 0;
  double weight_bytes = 0;
  double kv_bytes = 0;
  double activation_bytes = 0;
  double bytes = 0;
  double intensity = 0;
  double compute_s = 0;  // sum of compute_s (as if nothing were memory bound)
  double memory_s = 0;   // sum of memory_s
  double time_s = 0;     // sum of per-operator max: the roofline time of the pass
  std::string bound;     // which of compute_s and memory_s is larger
};

struct RooflineResult {
  Status status;
  double peak_flops_per_s = 0;       // spec peak of compute_dtype
  double bandwidth_bytes_per_s = 0;  // spec bandwidth
  double ridge_flops_per_byte = 0;   // peak / bandwidth: operators below it are memory bound
  double effective_peak_flops_per_s = 0;
  double effective_bandwidth_bytes_per_s = 0;
  double bytes_per_weight = 0;
  double head_dim = 0;
  // Weights-only closed forms: a decode GEMV does 2 FLOP per weight per sequence.
  double decode_weight_intensity = 0;   // 2 x batch / bytes_per_weight
  double batch_to_ridge = 0;            // ridge x bytes_per_weight / 2
  std::vector<OperatorCost> operators;  // prefill first, then decode
  PhaseTotals prefill;
  PhaseTotals decode;
};

RooflineResult roofline(const Workload& workload);

// Expected distinct experts that `tokens` tokens touch with top-k routing,
// each token picking k of E uniformly: E (1 - (1 - k/E)^tokens).
double expected_distinct_experts(double experts, double top_k, double tokens);

}  // namespace llmst
