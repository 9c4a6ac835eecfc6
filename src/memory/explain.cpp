#include "memory/explain.hpp"

#include <cmath>

namespace llmst {

namespace {

const std::string kPope =
    "Pope et al. 2022, \"Efficiently Scaling Transformer Inference\" (KV cache = 2 x layers x KV heads x head_dim per "
    "token)";
const std::string kGqa = "Ainslie et al. 2023, \"GQA\" (n_kv_heads < n_heads shrinks the cache)";
const std::string kStreaming =
    "Xiao et al. 2023, \"Efficient Streaming Language Models with Attention Sinks\" (sinks + window)";
const std::string kVllm =
    "Kwon et al. 2023, \"Efficient Memory Management for LLM Serving with PagedAttention\" (blocks of tokens)";
const std::string kKivi =
    "Liu et al. 2024, \"KIVI\" and Hooper et al. 2024, \"KVQuant\" (group-quantized KV with fp16 scales)";
const std::string kMla = "DeepSeek-AI 2024, \"DeepSeek-V2\" §2.1 (MLA caches one latent + a shared RoPE key per token)";
const std::string kDocs = "src/memory/kv_cache.hpp";

std::string n(double value) { return tex_number(value); }

}  // namespace

ExplainResult explain_kv(const KvCacheInput& in) {
  const KvCacheResult r = kv_cache(in);
  if (!r.status.ok) return {r.status, {}};
  const bool mla = in.kv_lora_rank > 0;
  const bool windowed = in.window > 0;
  const double data_bytes = r.vector_bytes - r.scale_bytes_per_vector;
  std::vector<Explanation> out;
  std::vector<std::string> sources{kPope, mla ? kMla : kGqa, kDocs};

  // One cached vector: data (whole bytes) + scales.
  const ExplainTerm values{
      "d_v", mla ? "values per latent (kv_lora_rank + qk_rope_head_dim)" : "values per head vector (head_dim)",
      r.vector_values, ""};
  const ExplainTerm bits{"b", "bits per value of " + in.kv_dtype, r.bits_per_value, "bits"};
  const ExplainTerm scales{"s", "scale (+ zero point) bytes per vector: " + r.layout, r.scale_bytes_per_vector,
                           "bytes"};
  std::vector<std::string> vector_sources{kDocs};
  if (r.scale_bytes_per_vector > 0) vector_sources.insert(vector_sources.begin(), kKivi);
  out.push_back({"kv.vector_bytes",
                 "Bytes per cached vector",
                 "B_\\text{vec} = \\lceil d_v\\,b / 8 \\rceil + s",
                 "B_\\text{vec} = \\lceil " + n(r.vector_values) + " \\cdot " + n(r.bits_per_value) +
                     " / 8 \\rceil + " + n(r.scale_bytes_per_vector) + " = " + n(r.vector_bytes) + "\\ \\text{bytes}",
                 r.vector_bytes,
                 "bytes",
                 {values, bits, scales},
                 vector_sources,
                 "Effective " + text_number(r.effective_bits_per_value) + " bits per value once scales are counted (" +
                     text_number(data_bytes) + " data bytes)."});

  // One token in every KV layer.
  const ExplainTerm layers{"L_\\text{kv}", "layers that keep KV", r.kv_layers, ""};
  const ExplainTerm vectors{"v",
                            mla ? "vectors per token per layer (MLA: 1 latent)"
                                : "vectors per token per layer: K and V for each KV head (2 h_kv)",
                            r.vectors_per_token_per_layer, ""};
  const ExplainTerm vec{"B_\\text{vec}", "bytes per cached vector", r.vector_bytes, "bytes"};
  // Sparse attention (DeepSeek-V3.2) also caches its indexer's key, fp8 with fp32 scales.
  const double indexer = r.indexer_bytes_per_token_per_layer;
  std::vector<ExplainTerm> token_terms =
      mla ? std::vector<ExplainTerm>{layers, vec}
          : std::vector<ExplainTerm>{layers, {"h_{kv}", "KV heads", in.n_kv_heads, ""}, vec};
  if (indexer > 0) {
    token_terms.push_back({"B_\\text{idx}",
                           "sparse attention's indexer key: " + text_number(in.indexer_head_dim) +
                               " fp8 values + one fp32 scale per 128, whatever the KV dtype",
                           indexer, "bytes"});
    sources.push_back(
        "DeepSeek-AI 2025, \"DeepSeek-V3.2\" (DeepSeek Sparse Attention; inference/model.py k_cache, k_scale_cache)");
  }
  // Per layer: the vectors (MLA: one latent; else K and V per KV head), then the indexer key.
  const std::string vectors_tex = mla ? "B_\\text{vec}" : "2\\,h_{kv} \\cdot B_\\text{vec}";
  const std::string vectors_value =
      mla ? n(r.vector_bytes) : "2 \\cdot " + n(in.n_kv_heads) + " \\cdot " + n(r.vector_bytes);
  const std::string per_layer_tex = indexer > 0 ? "(" + vectors_tex + " + B_\\text{idx})" : vectors_tex;
  const std::string per_layer_value = indexer > 0 ? "(" + vectors_value + " + " + n(indexer) + ")" : vectors_value;
  out.push_back({"kv.bytes_per_token", "KV bytes per token",
                 "B_\\text{tok} = L_\\text{kv}" + std::string(mla && indexer == 0 ? "\\," : " \\cdot ") + per_layer_tex,
                 "B_\\text{tok} = " + n(r.kv_layers) + " \\cdot " + per_layer_value + " = " + n(r.bytes_per_token) +
                     "\\ \\text{bytes}",
                 r.bytes_per_token, "bytes", token_terms, sources,
                 "One new token held by every layer that keeps KV; grows linearly with the context."});

  // Per sequence: global layers keep all T tokens, local ones min(T, S + W).
  std::vector<ExplainTerm> seq_terms{
      {"T", "tokens per sequence (prompt + generated)", r.tokens, "tokens"},
      {"L_g", "global layers (keep every token)", r.global_layers, ""},
      {"L_l", "local layers (keep sinks + window)", r.local_layers, ""},
      {"B_\\text{tl}",
       indexer > 0 ? "bytes per token per layer (v B_vec + B_idx)" : "bytes per token per layer (v B_vec)",
       r.bytes_per_token_per_layer, "bytes"}};
  if (windowed) {
    seq_terms.push_back({"W", "window", in.window, "tokens"});
    seq_terms.push_back({"S", "attention sinks", in.sinks, "tokens"});
  }
  const bool chunked = r.chunked_layers > 0;
  if (chunked) {
    seq_terms.push_back({"L_c", "chunked layers (keep at most one chunk)", r.chunked_layers, ""});
    seq_terms.push_back({"C", "attention chunk", in.chunk, "tokens"});
  }
  std::vector<std::string> seq_sources = sources;
  if (windowed) seq_sources.insert(seq_sources.begin(), kStreaming);
  if (chunked)
    seq_sources.push_back(
        "Meta 2025, Llama 4 (chunked attention: attention_chunk_size); transformers modeling_llama4.py");
  out.push_back({"kv.bytes_per_sequence", "KV bytes per sequence",
                 std::string("B_\\text{seq} = \\bigl(L_g\\,T + L_l \\min(T, S + W)") +
                     (chunked ? " + L_c \\min(T, C)" : "") + "\\bigr)\\,B_\\text{tl}",
                 "B_\\text{seq} = (" + n(r.global_layers) + " \\cdot " + n(r.tokens) + " + " + n(r.local_layers) +
                     " \\cdot " + n(r.local_cached_tokens) +
                     (chunked ? " + " + n(r.chunked_layers) + " \\cdot " + n(r.chunked_cached_tokens) : "") +
                     ") \\cdot " + n(r.bytes_per_token_per_layer) + " = " + n(r.bytes_per_sequence) +
                     "\\ \\text{bytes}",
                 r.bytes_per_sequence, "bytes", seq_terms, seq_sources,
                 windowed ? "Local layers keep only the last W tokens (+ S sinks); global layers keep all of them."
                          : "Full attention: every KV layer keeps every token (L_l = 0)."});

  out.push_back({"kv.bytes",
                 "KV cache, whole batch",
                 "B = B_\\text{seq} \\cdot \\beta",
                 "B = " + n(r.bytes_per_sequence) + " \\cdot " + n(in.batch) + " = " + n(r.bytes) + "\\ \\text{bytes}",
                 r.bytes,
                 "bytes",
                 {{"B_\\text{seq}", "bytes per sequence", r.bytes_per_sequence, "bytes"},
                  {"\\beta", "sequences in the batch", in.batch, ""}},
                 sources,
                 "Scale overhead inside: " + text_number(r.scale_bytes) + " bytes."});

  if (in.block_size > 0) {
    out.push_back(
        {"kv.paged_bytes",
         "Paged KV cache (whole blocks)",
         "B_\\text{paged} = N_\\text{blocks} \\cdot \\beta_s\\,B_\\text{tl} \\cdot \\beta",
         "B_\\text{paged} = " + n(r.blocks_per_sequence) + " \\cdot " + n(in.block_size) + " \\cdot " +
             n(r.bytes_per_token_per_layer) + " \\cdot " + n(in.batch) + " = " + n(r.paged_bytes) + "\\ \\text{bytes}",
         r.paged_bytes,
         "bytes",
         {{"N_\\text{blocks}", "blocks per sequence: sum over KV layers of ceil(tokens kept / block size)",
           r.blocks_per_sequence, ""},
          {"\\beta_s", "tokens per block", in.block_size, "tokens"},
          {"B_\\text{tl}", "bytes per token per layer", r.bytes_per_token_per_layer, "bytes"},
          {"\\beta", "sequences in the batch", in.batch, ""}},
         {kVllm, kDocs},
         "Only each layer's last block is partly empty: waste " + text_number(r.paged_waste_bytes) + " bytes."});
  }
  return {ok_status(), std::move(out)};
}

}  // namespace llmst
