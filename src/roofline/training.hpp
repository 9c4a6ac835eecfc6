// Memory and FLOPs of one training step of a decoder with mixed-precision
// Adam, per device: model states under ZeRO and tensor/pipeline parallelism,
// activations per tensor kept for backward (Korthikanti et al. 2022) under
// selective, full or sqrt recomputation, and the logits the loss keeps.
// Fine-tuning methods: full, LoRA (Hu et al. 2021, arXiv:2106.09685) and
// QLoRA (Dettmers et al. 2023, arXiv:2305.14314). Formulas: docs/training.md.
#pragma once
#include <string>
#include <vector>

#include "core/status.hpp"
#include "model/config.hpp"
#include "roofline/hardware.hpp"

namespace llmst {

struct TrainingInput {
  ModelConfig model;
  double batch = 1;        // b: sequences per micro-batch of one data-parallel replica
  double sequence = 2048;  // s: tokens per sequence
  // "none"; "selective" (the attention core recomputed: Korthikanti et al. 2022, sec. 5);
  // "full" (every layer's input kept); "sqrt" (an input every ceil(sqrt(layers)) layers, Chen et al. 2016).
  std::string checkpointing = "none";
  bool fused_attention = true;  // FlashAttention: no s x s score matrix, fp32 row statistics instead
  bool dropout = false;         // dropout after attention, softmax and FFN, with 1-byte masks (the paper's eq. 1)
  bool fused_swiglu = false;    // a fused SwiGLU kernel keeps gate and up; eager PyTorch also keeps SiLU(gate)
  double vocab_chunks = 1;      // > 1: a fused cross-entropy computes the logits and their gradient in that many chunks
  double zero_stage = 0;        // ZeRO: 1 shards Adam's states, 2 also gradients, 3 also weights, over data_parallel
  double data_parallel = 1;     // N_d
  double tensor_parallel = 1;   // t
  double pipeline_parallel = 1;    // p (1F1B schedule)
  bool sequence_parallel = false;  // Korthikanti et al. sec. 4.2.2: the replicated tensors split over t too
  bool fp32_gradients = false;     // an fp32 gradient accumulation buffer: 18 bytes per parameter instead of 16

  // Fine-tuning. "full": every parameter trains (the states above). "lora": the
  // base is frozen in bf16 and only adapters train; "qlora": the frozen base is
  // NF4 with double quantization (the quant area's weights_bytes), embedding
  // and LM head kept in bf16, and each matmul dequantizes its matrix to bf16.
  std::string method = "full";
  double lora_rank = 16;  // r, the same for every adapted module
  // Modules adapted in every layer: "all-linear" (PEFT's flag: every linear
  // layer but the LM head, routers included) or a comma list of q, k, v, o,
  // gate, up, down. MLA: q is q_a + q_b (or q_proj), k or v is kv_a + kv_b.
  std::string lora_targets = "q,k,v,o,gate,up,down";
  bool lora_experts = true;   // MoE: the routed experts' gate, up and down adapted too
  bool lora_dropout = false;  // LoRA dropout > 0: each adapted module keeps its dropped input and a 1-byte mask
  // Adapter precision: "fp32" (PEFT's default: fp32 adapter weights and
  // gradients, Adam's two fp32 moments: 16 B per trainable parameter) or
  // "bf16" (qlora.py --bf16: bf16 adapters and gradients, fp32 moments, no
  // master copy: 12 B).
  std::string adapter_dtype = "fp32";
  bool paged_optimizer =
      false;  // optimizer states paged out to host memory (bitsandbytes paged AdamW): off the device total
};

// Model states per device under mixed-precision Adam (Rajbhandari et al. 2020,
// "ZeRO", sec. 3.1): 2 bytes of bf16 weights, 2 of bf16 gradients (4 with an
// fp32 accumulation buffer, as Megatron-LM keeps), and K = 12 of fp32 master
// weights and Adam's two moments; sec. 5: stage 1 shards the 12 over N_d, stage
// 2 the gradients too, stage 3 the weights too.
struct ModelStates {
  double bytes_per_param = 16;  // 2 + 2 + 12, or 2 + 4 + 12 = 18
  double weights_bytes = 0;
  double gradients_bytes = 0;
  double optimizer_bytes = 0;
  double total_bytes = 0;
};
ModelStates model_states(double params, int zero_stage, double data_parallel, bool fp32_gradients);

// The tensors one layer keeps for backward on one device, in bytes, named after
// Korthikanti et al. 2022 sec. 4.1 (their sizes for an MHA layer with a 4h GELU
// MLP in brackets; 16-bit activations, 1-byte dropout masks). Widths come from
// the layer kind: GQA's K and V, MLA's latents and per-head K and V, the routed
// and shared experts of a MoE layer, SwiGLU's gate.
struct TrainingLayer {
  std::string kind;                    // describe_layer: "dense · GQA · full"
  double count = 0;                    // layers of this kind
  double norm_inputs_bytes = 0;        // inputs of the layer's norms [4sbh]
  double attention_input_bytes = 0;    // the normed input of the Q, K, V projections [2sbh]
  double latent_bytes = 0;             // MLA: the query and KV latents, each before and after its norm
  double qk_bytes = 0;                 // Q and K for QK^T (and QK-norm inputs) [4sbh]
  double v_bytes = 0;                  // V [2sbh]
  double scores_bytes = 0;             // softmax output [2as^2b]; fused: fp32 log-sum-exp per head and token
  double scores_dropout_bytes = 0;     // softmax dropout mask and output [as^2b + 2as^2b]
  double attention_output_bytes = 0;   // input of the output projection [2sbh]
  double attention_dropout_bytes = 0;  // mask of the dropout after attention [sbh]
  double ffn_input_bytes = 0;          // the normed input of the FFN [2sbh]
  double router_bytes = 0;  // MoE: fp32 router probabilities, the routed copies of the input and the experts' outputs
  double ffn_hidden_bytes =
      0;  // activation input and down-projection input [8sbh + 8sbh]; SwiGLU: gate, up, (SiLU), product
  double ffn_dropout_bytes = 0;  // mask of the dropout after the FFN [sbh]
  double adapter_bytes =
      0;  // LoRA: each adapted module's r-wide A output (and, with LoRA dropout, its dropped input and mask)
  double adapter_params = 0;   // LoRA: trainable parameters of one layer of this kind
  double bytes = 0;            // all of them: kept with no recomputation [sbh(34 + 5as/h)]
  double selective_bytes = 0;  // without the attention core (scores, their dropout) [34sbh]
};

// One part of the device's memory (the stacked bar, `by_part` in the CLI).
struct TrainingPart {
  std::string id;  // weights, gradients, optimizer, base_weights, adapter_weights, ...
  std::string label;
  double bytes = 0;
};

struct TrainingMemory {
  Status status;
  double params = 0;
  double params_per_device = 0;  // params / (t p)
  double bytes_per_param = 16;   // model states before ZeRO sharding
  // Per device, after TP/PP (/ t p) and ZeRO (/ N_d for the sharded states).
  double weights_bytes = 0;
  double gradients_bytes = 0;
  double optimizer_bytes = 0;             // fp32 master copy + Adam's two moments
  double activation_per_layer_bytes = 0;  // one layer (the largest kind) with no recomputation
  double selective_per_layer_bytes = 0;   // the same layer without its attention core
  double layer_input_bytes = 0;           // one layer's input (what a full checkpoint keeps) [2sbh]
  double checkpoints = 0;                 // layer inputs kept
  double recompute_layers = 0;            // layers whose activations are live at once during backward
  double activation_bytes = 0;  // the layers' activations on the first pipeline stage (p micro-batches in flight)
  double embedding_activation_bytes = 0;  // first stage: the embedding dropout mask per micro-batch in flight [sbhp]
  double head_activation_bytes = 0;       // last stage: inputs of the final norm and the LM head [4sbh]
  double logits_bytes = 0;                // fp32 logits s b V / t (Korthikanti sec. 4.3: 4sbv / t)
  double loss_bytes = 0;                  // what the loss holds at once: logits and their gradient, / vocab_chunks
  double first_stage_bytes = 0;           // states + layers + embedding (with p = 1: everything)
  double last_stage_bytes = 0;            // states + layers of one micro-batch + head + loss (with p = 1: everything)
  double total_bytes = 0;                 // the larger stage
  double flops_per_step = 0;              // 3 x the model's forward FLOPs (flops.hpp) of the micro-batch
  double recompute_flops = 0;             // forward work recomputation adds
  double extra_compute_fraction = 0;      // recompute_flops / flops_per_step
  std::vector<TrainingLayer> layers;      // per layer kind, one layer each

  // Fine-tuning. For "full" the adapter fields are 0 and trainable = params.
  std::string method = "full";
  double trainable_params = 0;          // full: every parameter; LoRA: the adapters (what PEFT prints)
  double trainable_percent = 0;         // trainable / (params + adapters) * 100, as PEFT prints it
  double base_weights_bytes = 0;        // LoRA: the frozen base (bf16, or NF4 + double quant for QLoRA), per device
  double base_bits_per_weight = 16;     // of the frozen base's layers (QLoRA NF4: 4 + 8/64 + 32/(256*64))
  double adapter_weights_bytes = 0;     // per device
  double adapter_bytes_per_param = 0;   // 16 (fp32 adapters) or 12 (bf16 adapters)
  double adapter_activation_bytes = 0;  // the adapters' share of activation_bytes
  double dequantized_bytes = 0;         // QLoRA: the bf16 copy of the largest matrix a matmul dequantizes
  double offloaded_bytes = 0;       // paged optimizer: the optimizer states held in host memory (not in total_bytes)
  std::vector<TrainingPart> parts;  // the device's memory by part, summing to total_bytes (the larger stage)
};

TrainingMemory training_memory(const TrainingInput& input);

// Whether the step fits one device of `hardware`, and the largest micro-batch
// at this sequence and the longest sequence at this micro-batch that do
// (0: not even 1). Memory grows with both, so each is a bisection.
struct TrainingFit {
  Status status;
  double capacity_bytes = 0;
  double needed_bytes = 0;
  bool fits = false;
  double max_batch = 0;
  double max_sequence = 0;
};
TrainingFit training_fit(const TrainingInput& input, const Hardware& hardware);

}  // namespace llmst
