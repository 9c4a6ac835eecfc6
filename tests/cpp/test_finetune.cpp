// Fine-tuning memory: LoRA (Hu et al. 2021, arXiv:2106.09685) and QLoRA
// (Dettmers et al. 2023, arXiv:2305.14314). Trainable parameter counts are
// what Hugging Face PEFT's print_trainable_parameters() printed for the same
// model, rank and targets (sources beside each); memory parts are derived by
// hand here; the QLoRA paper's headline (a 65B model fine-tuned in under 48 GB)
// is reproduced with its own settings.
#include <doctest/doctest.h>

#include <string>

#include "model/params.hpp"
#include "model/presets.hpp"
#include "quant/sizes.hpp"
#include "roofline/hardware.hpp"
#include "roofline/training.hpp"

using namespace llmst;

namespace {

const ModelConfig& preset(const char* id) {
  const ModelPreset* found = find_model_preset(id);
  REQUIRE(found != nullptr);
  return found->config;
}

TrainingInput lora_input(const ModelConfig& model, double rank, const char* targets) {
  TrainingInput in;
  in.model = model;
  in.method = "lora";
  in.lora_rank = rank;
  in.lora_targets = targets;
  return in;
}

// PEFT prints "all params" as the base model's parameters plus the adapters.
void check_peft(const TrainingInput& in, double trainable, double all) {
  const TrainingMemory r = training_memory(in);
  REQUIRE(r.status.ok);
  CHECK(r.trainable_params == trainable);
  CHECK(r.params + r.trainable_params == all);
  CHECK(r.trainable_percent == doctest::Approx(100 * trainable / all).epsilon(1e-12));
}

const Hardware& hardware(const char* id) {
  const Hardware* found = find_hardware(id);
  REQUIRE(found != nullptr);
  return *found;
}

}  // namespace

TEST_CASE("PEFT's printed trainable parameters: r (d_in + d_out) per adapted module, every layer") {
  SUBCASE("Llama-2-7B (LLaMA-7B shape), r = 8, q_proj and v_proj: 4,194,304") {
    // A PEFT run on decapoda-research/llama-7b-hf with LoraConfig(r=8, target_modules=['q_proj','v_proj'])
    // printed "trainable params: 4,194,304 || all params: 6,742,609,920 || trainable%: 0.06220594176090199"
    // (found by the lab's code search, find_string id 16920072713; the index names no repository).
    // By hand: 32 layers x 8 x ((4096 + 4096) + (4096 + 4096)).
    check_peft(lora_input(preset("llama-2-7b"), 8, "q_proj,v_proj"), 32.0 * 8 * 16384, 6742609920);
    check_peft(lora_input(preset("llama-2-7b"), 8, "q,v"), 4194304, 6742609920);
  }
  SUBCASE("Llama-2-7B, r = 16, all linear: 39,976,960") {
    // "trainable params: 39,976,960 || all params: 6,778,392,576 || trainable%: 0.5898" (LoraConfig(r=16,
    // target_modules="all-linear") on Llama-2-7B; find_string id 71480220668). By hand: 32 x 16 x
    // (4 x (4096 + 4096) + 3 x (4096 + 11008)) = 32 x 16 x 78,080.
    check_peft(lora_input(preset("llama-2-7b"), 16, "all-linear"), 32.0 * 16 * 78080, 6778392576);
    check_peft(lora_input(preset("llama-2-7b"), 16, "q,k,v,o,gate,up,down"), 39976960, 6778392576);
  }
  SUBCASE("Llama 3 8B, r = 16, q k v o gate up down: 41,943,040 (Mistral 7B's layers are the same shape)") {
    // "trainable params: 41,943,040 || all params: 8,072,204,288 || trainable%: 0.5196" (find_string ids
    // 70829917998 and 57979902855, LoraConfig(r=16) on the seven projections of Llama 3 8B). By hand:
    // 32 x 16 x ((4096 + 4096) + 2 (4096 + 1024) + (4096 + 4096) + 3 (4096 + 14336)) = 32 x 16 x 81,920.
    check_peft(lora_input(preset("llama-3-8b"), 16, "q,k,v,o,gate,up,down"), 32.0 * 16 * 81920, 8072204288);
    CHECK(training_memory(lora_input(preset("mistral-7b"), 16, "all-linear")).trainable_params == 41943040);
  }
  SUBCASE("Llama-3.2-1B, r = 8, q_proj only: 524,288 (PEFT quicktour)") {
    // huggingface/peft docs/source/quicktour.md (commit 5d602fd): LoraConfig(target_modules=["q_proj"], r=8)
    // on meta-llama/Llama-3.2-1B: "trainable params: 524,288 || all params: 1,236,338,688 || trainable%: 0.0424".
    // By hand: 16 layers x 8 x (2048 + 2048).
    check_peft(lora_input(preset("llama-3.2-1b"), 8, "q"), 16.0 * 8 * 4096, 1236338688);
  }
  SUBCASE("Qwen2.5-3B-Instruct, r = 16, PEFT's default targets for Qwen2 (q_proj, v_proj): 3,686,400 (PEFT README)") {
    // huggingface/peft README.md (commit 5d602fd): LoraConfig(r=16, lora_alpha=32, task_type=CAUSAL_LM) on
    // Qwen/Qwen2.5-3B-Instruct: "trainable params: 3,686,400 || all params: 3,089,625,088 || trainable%: 0.1193".
    // Its config.json: hidden 2048, 36 layers, 16 heads, 2 KV heads, intermediate 11008, vocab 151,936, tied,
    // Q/K/V biases. By hand: 36 x 16 x ((2048 + 2048) + (2048 + 256)).
    ModelConfig qwen;
    qwen.vocab_size = 151936;
    qwen.d_model = 2048;
    qwen.n_layers = 36;
    qwen.n_heads = 16;
    qwen.n_kv_heads = 2;
    qwen.d_ff = 11008;
    qwen.tied_embeddings = true;
    qwen.qkv_bias = true;
    check_peft(lora_input(qwen, 16, "q,v"), 36.0 * 16 * 6400, 3089625088);
  }
  SUBCASE("Mixtral 8x7B, r = 256, names that match no expert: 218,103,808 (PEFT KappaTune example)") {
    // huggingface/peft examples/KappaTune/experiments_kappatune_peft.py and README.md (commit 5d602fd):
    // LoraConfig(r=256, target_modules=["q_proj","k_proj","v_proj","o_proj","gate_proj","up_proj","down_proj"])
    // on mistralai/Mixtral-8x7B-Instruct-v0.1 (4-bit) printed "trainable params: 218,103,808 || all params:
    // 46,920,896,512 || trainable%: 0.4648". Mixtral's experts are w1, w2, w3, so gate/up/down match
    // nothing: attention only, 32 x 256 x (8192 + 5120 + 5120 + 8192). (PEFT counts a 4-bit weight as its
    // unpacked elements, so "all params" is the full 46.7B plus the adapters.)
    TrainingInput in = lora_input(preset("mixtral-8x7b"), 256, "q,k,v,o,gate,up,down");
    in.lora_experts = false;
    in.method = "qlora";
    check_peft(in, 32.0 * 256 * 26624, 46920896512);
    // Adapting the experts (all-linear names w1, w2, w3 and the router too): + 8 experts x 3 x r (4096 + 14336)
    // and the router's r (4096 + 8), per layer.
    in.lora_experts = true;
    in.lora_targets = "all-linear";
    CHECK(training_memory(in).trainable_params == 32.0 * 256 * (26624 + 8 * 3 * 18432 + 4104));
  }
}

TEST_CASE("MLA maps q to q_a + q_b (or q_proj), k and v to kv_a + kv_b once, o to o_proj; MoE experts as chosen") {
  // DeepSeek-V2-Lite config.json: hidden 2048, 16 heads, q_lora_rank null (q_proj), kv_lora_rank 512,
  // qk_nope 128, qk_rope 64, v_head 128, 27 layers (1 dense of 10944, 26 MoE: 64 experts of 1408, top 6,
  // 2 shared experts).
  const ModelConfig& v2 = preset("deepseek-v2-lite");
  const double r = 8, d = 2048;
  const double q = r * (d + 16 * 192);
  const double kv = r * ((d + 512 + 64) + (512 + 16 * (128 + 128)));
  const double o = r * (16 * 128 + d);
  CHECK(training_memory(lora_input(v2, r, "q")).trainable_params == 27 * q);
  CHECK(training_memory(lora_input(v2, r, "k")).trainable_params == 27 * kv);
  CHECK(training_memory(lora_input(v2, r, "k,v")).trainable_params == 27 * kv);  // one pair of modules for both
  CHECK(training_memory(lora_input(v2, r, "o")).trainable_params == 27 * o);
  // gate, up, down: the dense layer, the shared experts (one MLP of 2 x 1408) and, when chosen, every routed expert.
  const double dense = 3 * r * (d + 10944), shared = 3 * r * (d + 2 * 1408), expert = 3 * r * (d + 1408);
  TrainingInput in = lora_input(v2, r, "gate,up,down");
  in.lora_experts = false;
  CHECK(training_memory(in).trainable_params == dense + 26 * shared);
  in.lora_experts = true;
  CHECK(training_memory(in).trainable_params == dense + 26 * (shared + 64 * expert));
  // all-linear adds the routers Linear(2048, 64).
  in.lora_targets = "all-linear";
  CHECK(training_memory(in).trainable_params == 27 * (q + kv + o) + dense + 26 * (shared + 64 * expert + r * (d + 64)));
}

TEST_CASE("LoRA memory by part on Llama-2-7B, r = 8 on q and v, by hand") {
  TrainingInput in = lora_input(preset("llama-2-7b"), 8, "q,v");
  in.batch = 1;
  in.sequence = 4096;
  const TrainingMemory lora = training_memory(in);
  REQUIRE(lora.status.ok);
  const double base = 6738415616, adapters = 4194304;
  // Frozen bf16 base; fp32 adapters, their fp32 gradients and Adam's two fp32 moments (PEFT's default).
  CHECK(lora.base_weights_bytes == 2 * base);
  CHECK(lora.adapter_weights_bytes == 4 * adapters);
  CHECK(lora.gradients_bytes == 4 * adapters);
  CHECK(lora.optimizer_bytes == 8 * adapters);
  CHECK(lora.adapter_bytes_per_param == 16);
  // Each adapted module keeps its r-wide A output in bf16: 2 modules x 8 x 2 B per token, 32 layers.
  CHECK(lora.adapter_activation_bytes == 32 * 4096 * 2 * 8 * 2.0);
  // The base's activations are full fine-tuning's (Korthikanti et al.), whatever is frozen.
  TrainingInput full_in = in;
  full_in.method = "full";
  const TrainingMemory full = training_memory(full_in);
  CHECK(lora.activation_bytes - lora.adapter_activation_bytes == doctest::Approx(full.activation_bytes).epsilon(1e-14));
  CHECK(full.trainable_params == full.params);
  // The parts sum to the total.
  double sum = 0;
  for (const TrainingPart& part : lora.parts) sum += part.bytes;
  CHECK(sum == doctest::Approx(lora.total_bytes).epsilon(1e-14));
  CHECK(lora.total_bytes ==
        doctest::Approx(2 * base + 16 * adapters + lora.activation_bytes + lora.head_activation_bytes + lora.loss_bytes)
            .epsilon(1e-14));
  // LoRA dropout: each adapted module also keeps its dropped input (2 B) and the mask (1 B), d_in = 4096 wide.
  in.lora_dropout = true;
  CHECK(training_memory(in).adapter_activation_bytes == 32 * 4096 * 2 * (8 * 2.0 + 4096 * 3.0));
  // Full checkpointing: only the layer being recomputed holds its adapters' inputs.
  in.lora_dropout = false;
  in.checkpointing = "full";
  CHECK(training_memory(in).adapter_activation_bytes == 4096 * 2 * 8 * 2.0);
  // bf16 adapters (qlora.py --bf16): 2 + 2 + 8 = 12 B per trainable parameter.
  in.adapter_dtype = "bf16";
  const TrainingMemory bf16 = training_memory(in);
  CHECK(bf16.adapter_weights_bytes + bf16.gradients_bytes + bf16.optimizer_bytes == 12 * adapters);
  // Frozen weights need no weight gradients: forward + backward = 2 forward + the attention core.
  CHECK(lora.flops_per_step < full.flops_per_step);
  CHECK(lora.flops_per_step > 2.0 / 3.0 * full.flops_per_step);
}

TEST_CASE("QLoRA: NF4 with double quantization from the quant area, bf16 embedding and head, one dequantized matrix") {
  TrainingInput in = lora_input(preset("llama-2-7b"), 64, "all-linear");
  in.method = "qlora";
  const TrainingMemory q = training_memory(in);
  REQUIRE(q.status.ok);
  // 4 + 8/64 + 32/(256 x 64) bits per weight (Dettmers et al. sec. 3, double quantization).
  CHECK(q.base_bits_per_weight == doctest::Approx(4 + 8.0 / 64 + 32.0 / (256 * 64)).epsilon(1e-15));
  // By hand: the layers' 32 x (4 x 4096^2 + 3 x 4096 x 11008) matrices in NF4, the 2 x 32000 x 4096
  // embedding and head and the 65 x 4096 norm weights in bf16.
  const double matrices = 32 * (4.0 * 4096 * 4096 + 3.0 * 4096 * 11008);
  const double bf16 = 2.0 * 32000 * 4096 + 65.0 * 4096;
  CHECK(q.base_weights_bytes == doctest::Approx(matrices * q.base_bits_per_weight / 8 + 2 * bf16).epsilon(1e-14));
  // The same as the quant area's own sizing of that format.
  WeightsFormat nf4;
  nf4.format = "nf4";
  nf4.keep = "embedding,lm_head";
  CHECK(q.base_weights_bytes == weights_bytes(param_groups_of(count_params(in.model), true), nf4).size.bytes);
  // bitsandbytes dequantizes one matrix at a time: the largest is 4096 x 11008, in bf16.
  CHECK(q.dequantized_bytes == 2.0 * 4096 * 11008);
  // r = 64 on all seven: 32 x 64 x 78,080 = 159,907,840 trainable.
  CHECK(q.trainable_params == 159907840);
  // Paged optimizer: the Adam moments move to the host, out of the device total.
  in.paged_optimizer = true;
  const TrainingMemory paged = training_memory(in);
  CHECK(paged.offloaded_bytes == 8.0 * 159907840);
  CHECK(paged.total_bytes == doctest::Approx(q.total_bytes - paged.offloaded_bytes).epsilon(1e-14));
}

TEST_CASE("QLoRA paper: LLaMA-65B fine-tuned on one 48 GB GPU (Dettmers et al. 2023, abstract and sec. 4)") {
  // LLaMA-65B (Touvron et al. 2023, Table 2): 80 layers, d 8192, 64 heads, FFN 22016, vocabulary 32000.
  ModelConfig llama65;
  llama65.vocab_size = 32000;
  llama65.d_model = 8192;
  llama65.n_layers = 80;
  llama65.n_heads = 64;
  llama65.n_kv_heads = 64;
  llama65.d_ff = 22016;
  // The paper's settings as artidoro/qlora scripts/finetune_guanaco_65b.sh runs qlora.py: --bits 4
  // --quant_type nf4 --double_quant --lora_r 64 --lora_modules all --lora_dropout 0.05 --bf16 (bf16
  // adapters) --gradient_checkpointing, optim paged_adamw_32bit (qlora.py's default), per-device batch 4,
  // source_max_len 16 + target_max_len 512 = at most 528 tokens. Hugging Face's LLaMA of 2023 ran eager
  // attention (s x s scores) and an eager SwiGLU; no dropout in the model.
  TrainingInput in;
  in.model = llama65;
  in.method = "qlora";
  in.lora_rank = 64;
  in.lora_targets = "all-linear";
  in.lora_dropout = true;
  in.adapter_dtype = "bf16";
  in.checkpointing = "full";
  in.paged_optimizer = true;
  in.fused_attention = false;
  in.batch = 4;
  in.sequence = 528;
  const TrainingMemory r = training_memory(in);
  REQUIRE(r.status.ok);
  CHECK(r.params == 65285660672);  // LLaMA-65B's 65.2B
  // 80 x 64 x (4 (8192 + 8192) + 3 (8192 + 22016)) adapters.
  CHECK(r.trainable_params == 80.0 * 64 * 156160);
  // Base: 80 x (4 x 8192^2 + 3 x 8192 x 22016) in NF4 + double quant, embedding, head and norms in bf16: 34.46 GB.
  const double matrices = 80 * (4.0 * 8192 * 8192 + 3.0 * 8192 * 22016);
  CHECK(r.base_weights_bytes ==
        doctest::Approx(matrices * (4 + 8.0 / 64 + 32.0 / (256 * 64)) / 8 + 2 * (2.0 * 32000 * 8192 + 161.0 * 8192))
            .epsilon(1e-14));
  MESSAGE("65B QLoRA: base " << r.base_weights_bytes / 1e9 << " GB, adapters+grads "
                             << (r.adapter_weights_bytes + r.gradients_bytes) / 1e9 << " GB, paged Adam "
                             << r.offloaded_bytes / 1e9 << " GB, activations " << r.activation_bytes / 1e9
                             << " GB, total " << r.total_bytes / 1e9 << " GB");
  // Under 48 GB (42.6) with the Adam moments paged out, as the paper's paged optimizer allows, so it fits
  // a 48 GB card (L40S, 48 GiB).
  CHECK(r.total_bytes < 48e9);
  CHECK(training_fit(in, hardware("l40s")).fits);
  // With the moments resident it is 49.0 GB: over 48e9 bytes, still under the card's 48 GiB.
  in.paged_optimizer = false;
  const TrainingMemory resident = training_memory(in);
  MESSAGE("65B QLoRA with Adam resident: " << resident.total_bytes / 1e9 << " GB");
  CHECK(resident.total_bytes < 48.0 * 1073741824);
  // Figure 6's setting (batch 1, 512 tokens) fits too, with room to spare.
  in.batch = 1;
  in.sequence = 512;
  CHECK(training_memory(in).total_bytes < 48e9);
  // Full 16-bit fine-tuning of the same model needs 16 B per parameter, over 1 TB: "more than 780 GB".
  in.method = "full";
  CHECK(training_memory(in).total_bytes > 780e9);
}

TEST_CASE("fit: the largest micro-batch and sequence that fit a device") {
  TrainingInput in = lora_input(preset("llama-2-7b"), 16, "all-linear");
  in.method = "qlora";
  in.checkpointing = "full";
  in.sequence = 2048;
  const Hardware& gpu = hardware("rtx-4090");
  const TrainingFit fit = training_fit(in, gpu);
  REQUIRE(fit.status.ok);
  CHECK(fit.fits);
  CHECK(fit.capacity_bytes == 24.0 * 1073741824);
  REQUIRE(fit.max_batch >= 1);
  TrainingInput probe = in;
  probe.batch = fit.max_batch;
  CHECK(training_memory(probe).total_bytes <= fit.capacity_bytes);
  probe.batch = fit.max_batch + 1;
  CHECK(training_memory(probe).total_bytes > fit.capacity_bytes);
  probe = in;
  probe.sequence = fit.max_sequence;
  CHECK(training_memory(probe).total_bytes <= fit.capacity_bytes);
  probe.sequence = fit.max_sequence + 1;
  CHECK(training_memory(probe).total_bytes > fit.capacity_bytes);
  // Full fine-tuning of 7B needs 16 B per parameter, 108 GB: nothing fits an 80 GB H100.
  in.method = "full";
  const TrainingFit full = training_fit(in, hardware("h100-sxm"));
  CHECK_FALSE(full.fits);
  CHECK(full.max_batch == 0);
  CHECK(full.max_sequence == 0);
}

TEST_CASE("fine-tuning inputs are checked by name") {
  TrainingInput in = lora_input(preset("llama-2-7b"), 8, "q,v");
  in.method = "dora";
  CHECK(training_memory(in).status.field == "method");
  in.method = "lora";
  in.lora_rank = 0;
  CHECK(training_memory(in).status.field == "lora_rank");
  in.lora_rank = 8;
  in.lora_targets = "qkv";
  CHECK(training_memory(in).status.field == "lora_targets");
  in.lora_targets = " , ";
  CHECK(training_memory(in).status.field == "lora_targets");
  in.lora_targets = "q, v";
  in.adapter_dtype = "fp16";
  CHECK(training_memory(in).status.field == "adapter_dtype");
  in.adapter_dtype = "bf16";
  CHECK(training_memory(in).status.ok);
  // Full fine-tuning ignores the adapter fields.
  in.method = "full";
  in.lora_targets = "nonsense";
  CHECK(training_memory(in).status.ok);
}
