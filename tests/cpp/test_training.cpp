// Training memory against the literature: Korthikanti et al. 2022 ("Reducing
// Activation Recomputation in Large Transformer Models", arXiv:2205.05198) for
// activations, Rajbhandari et al. 2020 ("ZeRO", arXiv:1910.02054) for model
// states. Expected numbers are the papers' formulas evaluated here, by hand.
#include <doctest/doctest.h>
#include "check_or_return.hpp"

#include <cmath>
#include <string>

#include "model/flops.hpp"
#include "model/params.hpp"
#include "model/presets.hpp"
#include "roofline/training.hpp"

using namespace llmst;

namespace {

// The paper's models (its Table 3): GPT-3-style layers, MHA with a = heads,
// h = hidden, a plain 4h GELU MLP, LayerNorm; s = 2048, vocabulary 51,200,
// tensor-parallel size 8 and the pipeline size of each.
struct PaperModel {
  const char* name;
  double a, h, L, p;
};
constexpr PaperModel kPaperModels[] = {
    {"22B", 64, 6144, 48, 1},
    {"175B (GPT-3)", 96, 12288, 96, 8},
    {"530B (MT-NLG)", 128, 20480, 105, 35},
    {"1T", 160, 25600, 128, 64},
};

ModelConfig gpt_style(double a, double h, double L) {
  ModelConfig m;
  m.vocab_size = 51200;
  m.d_model = h;
  m.n_layers = L;
  m.n_heads = a;
  m.n_kv_heads = a;
  m.d_ff = 4 * h;
  m.ffn = "plain";
  m.norm = "layer";
  return m;
}

TrainingInput paper_input(const PaperModel& pm, double t, bool sp, const char* checkpointing) {
  TrainingInput in;
  in.model = gpt_style(pm.a, pm.h, pm.L);
  in.batch = 1;
  in.sequence = 2048;
  in.fused_attention = false;  // the paper's attention materializes the s x s scores
  in.dropout = true;
  in.tensor_parallel = t;
  in.sequence_parallel = sp;
  in.pipeline_parallel = pm.p;
  in.checkpointing = checkpointing;
  return in;
}

const ModelConfig& preset(const char* id) {
  const ModelPreset* found = find_model_preset(id);
  REQUIRE(found != nullptr);
  return found->config;
}

}  // namespace

TEST_CASE("Korthikanti eq. 1: an MHA layer with a 4h GELU MLP keeps sbh(34 + 5as/h) bytes, term by term") {
  for (const PaperModel& pm : kPaperModels) {
    CAPTURE(pm.name);
    const double s = 2048, b = 1, h = pm.h, a = pm.a;
    const double sbh = s * b * h;
    const TrainingMemory r = training_memory(paper_input(pm, 1, false, "none"));
    CHECK_OR_RETURN(r.status.ok);
    CHECK_OR_RETURN(r.layers.size() == 1);
    const TrainingLayer& l = r.layers[0];
    // Sec. 4.1, tensor by tensor: the two LayerNorm inputs 4sbh; attention: QKV input 2sbh,
    // Q and K 4sbh, softmax output 2as^2b, its dropout mask as^2b and output 2as^2b, V 2sbh,
    // the projection's input 2sbh, its dropout mask sbh; MLP: input 2sbh, GELU input 8sbh,
    // second linear's input 8sbh, dropout mask sbh.
    CHECK(l.norm_inputs_bytes == 4 * sbh);
    CHECK(l.attention_input_bytes == 2 * sbh);
    CHECK(l.qk_bytes == 4 * sbh);
    CHECK(l.scores_bytes == 2 * a * s * s * b);
    CHECK(l.scores_dropout_bytes == 3 * a * s * s * b);
    CHECK(l.v_bytes == 2 * sbh);
    CHECK(l.attention_output_bytes == 2 * sbh);
    CHECK(l.attention_dropout_bytes == sbh);
    CHECK(l.ffn_input_bytes == 2 * sbh);
    CHECK(l.ffn_hidden_bytes == 16 * sbh);
    CHECK(l.ffn_dropout_bytes == sbh);
    CHECK(l.latent_bytes == 0);
    CHECK(l.router_bytes == 0);
    // Eq. 1: sbh(34 + 5as/h) = 34sbh + 5as^2b, exactly.
    CHECK(r.activation_per_layer_bytes == 34 * sbh + 5 * a * s * s * b);
    // Selective recomputation (sec. 5) drops the 5as^2b of the attention core: 34sbh.
    CHECK(r.selective_per_layer_bytes == 34 * sbh);
    // Without dropout the two sbh masks, the as^2b mask and the 2as^2b dropout output go
    // (AV then reads the softmax output, already kept): sbh(32 + 2as/h).
    TrainingInput no_dropout = paper_input(pm, 1, false, "none");
    no_dropout.dropout = false;
    CHECK(training_memory(no_dropout).activation_per_layer_bytes == 32 * sbh + 2 * a * s * s * b);
  }
}

TEST_CASE("Korthikanti Table 2: tensor, sequence parallelism, selective and full recomputation on the paper's models") {
  const double s = 2048, b = 1, t = 8;
  for (const PaperModel& pm : kPaperModels) {
    CAPTURE(pm.name);
    const double sbh = s * b * pm.h, L = pm.L, a = pm.a, h = pm.h;
    const double scores = 5 * a * s * s * b;  // 5as^2b = sbh * 5as/h
    // Tensor parallel: sbh(10 + 24/t + 5as/(ht)).
    const TrainingMemory tp = training_memory(paper_input(pm, t, false, "none"));
    CHECK_OR_RETURN(tp.status.ok);
    CHECK(tp.activation_per_layer_bytes == 10 * sbh + 24 * sbh / t + scores / t);
    // Tensor + sequence parallel (eq. 3): sbh(34 + 5as/h) / t.
    const TrainingMemory sp = training_memory(paper_input(pm, t, true, "none"));
    CHECK(sp.activation_per_layer_bytes == (34 * sbh + scores) / t);
    // Tensor parallel + selective: sbh(10 + 24/t); with sequence parallel: 34sbh / t.
    const TrainingMemory tp_selective = training_memory(paper_input(pm, t, false, "selective"));
    CHECK(tp_selective.selective_per_layer_bytes == 10 * sbh + 24 * sbh / t);
    const TrainingMemory sp_selective = training_memory(paper_input(pm, t, true, "selective"));
    CHECK(sp_selective.selective_per_layer_bytes == 34 * sbh / t);
    // Sec. 4.2.3: under 1F1B the first stage keeps p micro-batches of its L/p layers,
    // so the whole of Table 2's L-layer total whatever p.
    CHECK(sp.activation_bytes == L * (34 * sbh + scores) / t);
    CHECK(sp_selective.activation_bytes == L * 34 * sbh / t);
    CHECK(tp_selective.activation_bytes == L * (10 * sbh + 24 * sbh / t));
    // Full recomputation: 2sbh per layer (the inputs, whole on every tensor-parallel rank),
    // plus the one layer live while backward recomputes it.
    const TrainingMemory full = training_memory(paper_input(pm, t, false, "full"));
    CHECK(full.layer_input_bytes == 2 * sbh);
    CHECK(full.checkpoints * full.layer_input_bytes == 2 * sbh * L);
    CHECK(full.activation_bytes == 2 * sbh * L + tp.activation_per_layer_bytes);
    // The abstract's "5x": the tensor-parallel baseline over sequence parallel + selective is
    // (10 + 3 + 5as/(8h)) / 4.25: 22B 26.33/4.25 = 6.2, 175B 23/4.25 = 5.4, 530B and 1T 21/4.25 = 4.9.
    const double reduction = tp.activation_per_layer_bytes / sp_selective.selective_per_layer_bytes;
    CHECK(reduction == doctest::Approx((13 + 5 * a * s / (h * t)) / 4.25).epsilon(1e-12));
    CHECK(reduction > 4.9);
    CHECK(reduction < 6.2);
  }
  // Sec. 5: 5as/h is 80 for GPT-3 (96 x 2048 / 12288 x 5) and 64 for MT-NLG, so selective
  // recomputation removes 80 / 114 = 70 % and 64 / 98 = 65 % of the layer's activations.
  for (const int i : {1, 2}) {
    const TrainingMemory r = training_memory(paper_input(kPaperModels[i], 1, false, "none"));
    const double saved = 1 - r.selective_per_layer_bytes / r.activation_per_layer_bytes;
    CHECK(std::round(saved * 100) == (i == 1 ? 70 : 65));
  }
}

TEST_CASE("Korthikanti sec. 4.3: embedding dropout, the output layer's inputs and the fp32 logits") {
  const PaperModel& pm = kPaperModels[1];  // 175B: p = 8
  const double s = 2048, b = 1, t = 8, sbh = s * b * pm.h, v = 51200;
  const TrainingMemory r = training_memory(paper_input(pm, t, true, "selective"));
  CHECK_OR_RETURN(r.status.ok);
  CHECK(r.embedding_activation_bytes == sbh * pm.p / t);  // sbhp/t on the first stage
  CHECK(r.head_activation_bytes == 4 * sbh / t);          // 4sbh/t: final LayerNorm and output-layer inputs
  CHECK(r.logits_bytes == 4 * s * b * v / t);             // 4sbv/t: fp32 logits
  CHECK(r.loss_bytes == 2 * r.logits_bytes);              // and their fp32 gradient as backward starts
  // Pipeline: the first stage holds 8 micro-batches of its 12 layers, the last one of its 12 plus the loss.
  const double states = r.weights_bytes + r.gradients_bytes + r.optimizer_bytes;
  CHECK(r.first_stage_bytes == states + r.activation_bytes + r.embedding_activation_bytes);
  CHECK(r.last_stage_bytes == states + 12 * r.selective_per_layer_bytes + r.head_activation_bytes + r.loss_bytes);
  CHECK(r.total_bytes == std::max(r.first_stage_bytes, r.last_stage_bytes));
}

TEST_CASE("logits: 128,256 x 4096 tokens x 4 B = 2.10 GB for Llama 3 8B; a chunked cross-entropy holds one chunk") {
  TrainingInput in;
  in.model = preset("llama-3-8b");
  in.batch = 1;
  in.sequence = 4096;
  const TrainingMemory whole = training_memory(in);
  CHECK_OR_RETURN(whole.status.ok);
  CHECK(whole.logits_bytes == 2101346304.0);
  CHECK(std::round(whole.logits_bytes / 1e7) == 210);  // 2.10 GB
  CHECK(whole.loss_bytes == 2 * 2101346304.0);
  in.vocab_chunks = 8;
  const TrainingMemory chunked = training_memory(in);
  CHECK(chunked.loss_bytes == 2 * 2101346304.0 / 8);
  CHECK(whole.total_bytes - chunked.total_bytes == 2 * 2101346304.0 * 7 / 8);
  // Tensor parallelism splits the vocabulary (Megatron's vocab-parallel cross-entropy).
  in.tensor_parallel = 4;
  CHECK(training_memory(in).logits_bytes == 2101346304.0 / 4);
}

TEST_CASE("ZeRO Figure 1: 7.5B parameters, N_d = 64, K = 12: 120 GB, then 31.4 / 16.6 / 1.9 GB per device") {
  const double psi = 7.5e9, nd = 64;
  // Baseline (2 + 2 + K) psi = 16 x 7.5e9 = 120 GB.
  CHECK(model_states(psi, 0, nd, false).total_bytes == 120e9);
  // P_os: 2 psi + 2 psi + K psi / N_d = 30 + 90 / 64 = 31.40625 GB.
  CHECK(model_states(psi, 1, nd, false).total_bytes == 31.40625e9);
  // P_os+g: 2 psi + (2 + K) psi / N_d = 15 + 105 / 64 = 16.640625 GB.
  CHECK(model_states(psi, 2, nd, false).total_bytes == 16.640625e9);
  // P_os+g+p: (2 + 2 + K) psi / N_d = 120 / 64 = 1.875 GB.
  CHECK(model_states(psi, 3, nd, false).total_bytes == 1.875e9);
  // As the figure prints them, to one decimal.
  CHECK(std::round(model_states(psi, 1, nd, false).total_bytes / 1e8) == 314);
  CHECK(std::round(model_states(psi, 2, nd, false).total_bytes / 1e8) == 166);
  CHECK(std::round(model_states(psi, 3, nd, false).total_bytes / 1e8) == 19);
  // An fp32 gradient buffer: 2 + 4 + 12 = 18 B, and with the optimizer sharded 6 + 12/d
  // (Megatron-LM docs/source/distrib_optimizer.md, "bf16 param, fp32 grads").
  CHECK(model_states(psi, 0, nd, true).bytes_per_param == 18);
  CHECK(model_states(psi, 0, nd, true).total_bytes == 18 * psi);
  CHECK(model_states(psi, 1, nd, true).total_bytes == (6 + 12 / nd) * psi);
}

TEST_CASE("training states: split over t p, then sharded by ZeRO over N_d") {
  TrainingInput in;
  in.model = preset("llama-2-7b");
  in.sequence = 4096;
  const TrainingMemory one = training_memory(in);
  CHECK_OR_RETURN(one.status.ok);
  CHECK(one.weights_bytes + one.gradients_bytes + one.optimizer_bytes == 16 * 6738415616.0);
  CHECK(one.bytes_per_param == 16);
  in.tensor_parallel = 2;
  in.pipeline_parallel = 2;
  in.data_parallel = 8;
  in.zero_stage = 3;
  const TrainingMemory sharded = training_memory(in);
  CHECK(sharded.params_per_device == 6738415616.0 / 4);
  CHECK(sharded.weights_bytes == 2 * 6738415616.0 / 32);
  CHECK(sharded.gradients_bytes == 2 * 6738415616.0 / 32);
  CHECK(sharded.optimizer_bytes == 12 * 6738415616.0 / 32);
  in.zero_stage = 1;
  in.fp32_gradients = true;
  const TrainingMemory stage1 = training_memory(in);
  CHECK(stage1.bytes_per_param == 18);
  CHECK(stage1.weights_bytes == 2 * 6738415616.0 / 4);
  CHECK(stage1.gradients_bytes == 4 * 6738415616.0 / 4);
  CHECK(stage1.optimizer_bytes == 12 * 6738415616.0 / 32);
}

TEST_CASE("layer kinds: GQA widths, eager vs fused SwiGLU, MoE routing, MLA latents") {
  TrainingInput in;
  in.batch = 1;
  in.sequence = 1024;
  const double tokens = 1024;
  SUBCASE("Llama 3 8B: K and V of 8 KV heads; eager SwiGLU keeps gate, up, SiLU(gate) and the product") {
    in.model = preset("llama-3-8b");
    const TrainingMemory eager = training_memory(in);
    CHECK_OR_RETURN(eager.status.ok);
    const TrainingLayer& l = eager.layers.at(0);
    CHECK(l.qk_bytes == tokens * (4096 + 8 * 128) * 2);
    CHECK(l.v_bytes == tokens * 8 * 128 * 2);
    CHECK(l.scores_bytes == tokens * 32 * 4);  // fused attention: fp32 log-sum-exp per head
    CHECK(l.ffn_hidden_bytes == tokens * 4 * 14336 * 2);
    in.fused_swiglu = true;
    CHECK(training_memory(in).layers.at(0).ffn_hidden_bytes == tokens * 3 * 14336 * 2);
  }
  SUBCASE("Mixtral 8x7B: top-2 of 8 experts; fp32 router probabilities, routed copies in and out") {
    in.model = preset("mixtral-8x7b");
    const TrainingLayer l = training_memory(in).layers.at(0);
    CHECK(l.router_bytes == tokens * (8 * 4 + 2 * 2 * 4096 * 2));
    CHECK(l.ffn_hidden_bytes == tokens * 4 * 2 * 14336 * 2);
  }
  SUBCASE("DeepSeek-V3: 3 dense layers and 58 MoE layers; MLA keeps its latents and per-head K and V") {
    in.model = preset("deepseek-v3");
    const TrainingMemory r = training_memory(in);
    CHECK_OR_RETURN(r.layers.size() == 2);
    CHECK(r.layers[0].count + r.layers[1].count == 61);
    for (const TrainingLayer& l : r.layers) {
      CHECK(l.latent_bytes == tokens * (2 * 1536 + 2 * 512) * 2);
      CHECK(l.qk_bytes == tokens * 2 * 128 * (128 + 64) * 2);
      CHECK(l.v_bytes == tokens * 128 * 128 * 2);
      CHECK(l.attention_output_bytes == tokens * 128 * 128 * 2);
    }
    const TrainingLayer& moe = r.layers[0].router_bytes > 0 ? r.layers[0] : r.layers[1];
    // 8 routed experts of 2048 and one shared of 2048, eager SwiGLU.
    CHECK(moe.ffn_hidden_bytes == tokens * 4 * (8 * 2048 + 2048) * 2);
    CHECK(moe.router_bytes == tokens * (256 * 4 + 2 * 8 * 7168 * 2));
  }
}

TEST_CASE("training FLOPs: 3 forward passes; recomputation adds the forward it reruns") {
  TrainingInput in;
  in.model = preset("llama-2-7b");
  in.batch = 2;
  in.sequence = 4096;
  const FlopSplit forward = prefill_flops(validate_model(in.model).model, 4096).split;
  const TrainingMemory none = training_memory(in);
  CHECK(none.flops_per_step == 3 * 2 * forward.total);
  CHECK(none.recompute_flops == 0);
  in.checkpointing = "selective";
  CHECK(training_memory(in).recompute_flops == 2 * forward.attention_scores);
  in.checkpointing = "full";
  const TrainingMemory full = training_memory(in);
  CHECK(full.recompute_flops == 2 * (forward.total - forward.lm_head));
  CHECK(full.extra_compute_fraction ==
        doctest::Approx((forward.total - forward.lm_head) / (3 * forward.total)).epsilon(1e-12));
  CHECK(full.extra_compute_fraction < 1.0 / 3);
}

TEST_CASE("checkpointing schedules on Llama 2 7B and the first and last pipeline stages") {
  TrainingInput in;
  in.model = preset("llama-2-7b");
  in.sequence = 4096;
  const TrainingMemory none = training_memory(in);
  CHECK(none.activation_bytes == 32 * none.activation_per_layer_bytes);
  CHECK(none.total_bytes == none.weights_bytes + none.gradients_bytes + none.optimizer_bytes + none.activation_bytes +
                                none.head_activation_bytes + none.loss_bytes);
  in.checkpointing = "full";
  const TrainingMemory full = training_memory(in);
  CHECK(full.activation_bytes == 32 * full.layer_input_bytes + full.activation_per_layer_bytes);
  // sqrt: k = ceil(sqrt 32) = 6, ceil(32 / 6) = 6 inputs and 6 layers live.
  in.checkpointing = "sqrt";
  const TrainingMemory sq = training_memory(in);
  CHECK(sq.activation_bytes == 6 * sq.layer_input_bytes + 6 * sq.activation_per_layer_bytes);
  // A layer's internals are ~20x its input: per-layer checkpoints beat sqrt(L) segments.
  CHECK(full.activation_bytes < sq.activation_bytes);
  // Two stages of 16 layers: the first keeps 2 micro-batches of 16, the last one of 16 and the loss.
  in.checkpointing = "none";
  in.pipeline_parallel = 2;
  const TrainingMemory pp = training_memory(in);
  const double states = pp.weights_bytes + pp.gradients_bytes + pp.optimizer_bytes;
  CHECK(pp.activation_bytes == none.activation_bytes);
  CHECK(pp.first_stage_bytes == states + none.activation_bytes);
  CHECK(pp.last_stage_bytes ==
        states + 16 * none.activation_per_layer_bytes + pp.head_activation_bytes + pp.loss_bytes);
}

TEST_CASE("training inputs are checked by name") {
  TrainingInput in;
  in.checkpointing = "some";
  CHECK(training_memory(in).status.field == "checkpointing");
  in.checkpointing = "selective";
  in.zero_stage = 4;
  CHECK(training_memory(in).status.field == "zero_stage");
  in.zero_stage = 1;
  in.pipeline_parallel = 33;  // more stages than the default model's 32 layers
  CHECK(training_memory(in).status.field == "pipeline_parallel");
  in.pipeline_parallel = 1;
  in.vocab_chunks = 0;
  CHECK(training_memory(in).status.field == "vocab_chunks");
  in.vocab_chunks = 1;
  in.tensor_parallel = 1.5;
  CHECK(training_memory(in).status.field == "tensor_parallel");
  in.tensor_parallel = 1;
  in.data_parallel = 0;
  CHECK(training_memory(in).status.field == "data_parallel");
}
