#include "roofline/calibration.hpp"

#include "roofline/plan.hpp"

namespace llmst {
namespace {

// Shapes from the models' Hugging Face config.json (meta-llama/Llama-2-7b-hf, -13b-hf).
ModelConfig llama2(double d_model, double layers, double heads, double d_ff, const char* name) {
  ModelConfig m;
  m.name = name;
  m.vocab_size = 32000;
  m.d_model = d_model;
  m.n_layers = layers;
  m.n_heads = heads;
  m.n_kv_heads = heads;
  m.d_ff = d_ff;
  return m;
}

struct Published {
  const char* id;
  const char* label;
  const char* source;
  const char* hardware_id;
  ModelConfig model;
  double weights_bits, batch, context, measured;
};

// MLC's q4f16_1 stores 4-bit weights with one fp16 scale per 32: 4.5 bits per
// weight. Single-sequence decode of short prompts (context ~ a few hundred).
std::vector<Published> published() {
  const ModelConfig llama2_7b = llama2(4096, 32, 32, 11008, "Llama-2-7B");
  const ModelConfig llama2_13b = llama2(5120, 40, 40, 13824, "Llama-2-13B");
  const char* mlc =
      "mlc-ai/llm-perf-bench pull request #1 (2023-08-05, junrushao): RTX 4090, CUDA 11.8, MLC LLM q4f16_1";
  const char* tvm = "apache/tvm pull request #15985 (2023-10-26): M2 Ultra, MLC q4f16_1, after the Dlight Metal change";
  return {
      {"mlc-4090-llama2-7b", "Llama-2-7B q4f16_1, RTX 4090, MLC LLM", mlc, "rtx-4090", llama2_7b, 4.5, 1, 256, 191.0},
      {"mlc-4090-llama2-13b", "Llama-2-13B q4f16_1, RTX 4090, MLC LLM", mlc, "rtx-4090", llama2_13b, 4.5, 1, 256,
       108.8},
      {"tvm-m2ultra-llama2-7b", "Llama-2-7B q4f16_1, M2 Ultra, MLC/TVM Metal", tvm, "m2-ultra", llama2_7b, 4.5, 1, 256,
       89},
      {"tvm-m2ultra-llama2-13b", "Llama-2-13B q4f16_1, M2 Ultra, MLC/TVM Metal", tvm, "m2-ultra", llama2_13b, 4.5, 1,
       256, 55},
  };
}

}  // namespace

CalibrationResult calibration() {
  CalibrationResult result;
  for (const Published& row : published()) {
    Workload w;
    w.model = row.model;
    w.hardware = *find_hardware(row.hardware_id);
    w.weights_bits = row.weights_bits;
    w.batch = row.batch;
    w.context = row.context;
    const PlanResult predicted = plan(w);
    if (!predicted.status.ok) return {predicted.status, {}};
    CalibrationPoint point;
    point.id = row.id;
    point.label = row.label;
    point.source = row.source;
    point.hardware_id = row.hardware_id;
    point.model_name = row.model.name;
    point.weights_bits = row.weights_bits;
    point.batch = row.batch;
    point.context = row.context;
    point.measured_tokens_per_s = row.measured;
    point.predicted_tokens_per_s = predicted.decode.tokens_per_s;
    point.ratio = row.measured / point.predicted_tokens_per_s;
    result.points.push_back(point);
  }
  return result;
}

}  // namespace llmst
