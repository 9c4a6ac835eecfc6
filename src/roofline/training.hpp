// Memory of training a decoder with mixed-precision Adam, and what activation
// checkpointing saves and costs.
#pragma once
#include <string>

#include "core/status.hpp"
#include "model/config.hpp"

namespace llmst {

struct TrainingInput {
  ModelConfig model;
  double batch = 1;         // sequences per step (per device, no sharding)
  double sequence = 2048;   // tokens per sequence
  std::string checkpointing = "none";  // "none", "full" (every layer's input), "sqrt" (every ceil(sqrt(L)) layers)
  bool fused_attention = true;         // FlashAttention stores no score matrix
};

struct TrainingMemory {
  Status status;
  double params = 0;
  // Mixed precision Adam (ZeRO paper, Rajbhandari et al. 2020, sec. 3.1):
  // bf16 weights 2 + bf16 gradients 2 + fp32 master 4 + moments 4 + 4 = 16 bytes per parameter.
  double weights_bytes = 0;
  double gradients_bytes = 0;
  double optimizer_bytes = 0;          // fp32 master copy + Adam's two moments
  double activation_per_layer_bytes = 0;  // stored for backward by one layer (the largest kind), no checkpointing
  double layer_input_bytes = 0;        // one layer's input (what a checkpoint keeps)
  double checkpoints = 0;              // layer inputs kept
  double recompute_layers = 0;         // layers whose activations are live at once during backward
  double activation_bytes = 0;
  double total_bytes = 0;
  double flops_per_step = 0;           // 3 x the model's forward FLOPs (flops.hpp), no recompute
  double recompute_flops = 0;          // extra forward work checkpointing adds
  double extra_compute_fraction = 0;   // recompute_flops / flops_per_step
};

TrainingMemory training_memory(const TrainingInput& input);

}  // namespace llmst
