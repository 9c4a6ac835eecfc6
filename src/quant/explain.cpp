#include "quant/explain.hpp"

namespace llmst {

namespace {

const std::string kQlora =
    "Dettmers et al. 2023, \"QLoRA\" §3 (double quantization: 8-bit scales, one fp32 constant per 256)";
const std::string kDocs = "src/quant/formats.hpp";

std::string n(double value) { return tex_number(value); }

// A component name inside \text{}: "lm_head" -> "lm\_head".
std::string tex_name(const std::string& name) {
  std::string out;
  for (char ch : name) out += ch == '_' ? std::string("\\_") : std::string(1, ch);
  return out;
}

}  // namespace

ExplainResult explain_quant(const QuantSizeInput& input) {
  const QuantSizeResult r = quant_size(input);
  if (!r.status.ok) return {r.status, {}};
  const QuantSpec& spec = input.spec;
  const QuantFormatInfo& format = *find_quant_format(r.bits.format);
  const BitsPerWeight& b = r.bits;
  std::vector<std::string> format_sources{format.label + ": " + format.source, kDocs};
  std::vector<Explanation> out;

  if (format.block_size > 0) {  // fixed blocks: ggml, microscaling, FP8 tiles
    const std::string what = format.family == "ggml"           ? "bytes per ggml block (codes, scales, mins)"
                             : format.family == "microscaling" ? "bytes per block (one 8-bit scale, 4-bit E2M1 codes)"
                                                               : "bytes per 128×128 tile (E4M3 codes, one fp32 scale)";
    const std::string note =
        format.family == "ggml" ? "Fixed ggml block: every scale and high bit is inside the block's bytes."
        : format.id == "nvfp4"
            ? "Fixed block: one E4M3 scale per 16 weights; the one fp32 scale per tensor counts as 0 bits per weight."
        : format.id == "mxfp4" ? "Fixed block: one E8M0 (power-of-two) scale per 32 weights."
                               : "One fp32 scale (weight_scale_inv) per 128×128 tile of the weight matrix.";
    out.push_back({"quant.bits_per_weight",
                   "Bits per weight (" + format.id + ")",
                   "b = 8\\,B_\\text{block} / n_\\text{block}",
                   "b = 8 \\cdot " + n(format.block_bytes) + " / " + n(format.block_size) + " = " +
                       n(b.bits_per_weight) + "\\ \\text{bits}",
                   b.bits_per_weight,
                   "bits",
                   {{"B_\\text{block}", what, format.block_bytes, "bytes"},
                    {"n_\\text{block}", "weights per block", format.block_size, ""}},
                   format_sources,
                   note});
  } else {
    const double g = b.weights_per_scale;
    const double each = spec.double_quant ? 8 : scale_dtype_bits(spec.scale_dtype);
    std::vector<ExplainTerm> terms{{"c", "code bits per weight", b.code_bits, "bits"}};
    std::string formula = "b = c", substituted = "b = " + n(b.code_bits);
    std::string note = format.grouped && g == 0 ? "One scale for the whole tensor: about 0 bits per weight." : "";
    if (g > 0) {
      terms.push_back({"s",
                       spec.double_quant ? "bits per stored scale (8: double-quantized)"
                                         : "bits per scale (" + spec.scale_dtype + ")",
                       each, "bits"});
      terms.push_back({"g", "weights per scale (" + spec.layout + ")", g, ""});
      formula += " + s/g";
      substituted += " + " + n(each) + "/" + n(g);
      if (format.zero_point) {
        formula += " + z/g";
        substituted += " + " + n(b.code_bits) + "/" + n(g);
        terms.push_back({"z", "bits per zero point (an integer of the code's width, packed: AutoGPTQ/AWQ qzeros)",
                         b.code_bits, "bits"});
      }
      if (spec.double_quant) {
        formula += " + 32 / (256\\,g)";
        substituted += " + 32 / (256 \\cdot " + n(g) + ")";
        format_sources.insert(format_sources.begin() + 1, kQlora);
      }
    }
    substituted += " = " + n(b.bits_per_weight) + "\\ \\text{bits}";
    out.push_back({"quant.bits_per_weight", "Bits per weight (" + format.id + ")", formula, substituted,
                   b.bits_per_weight, "bits", terms, format_sources, note});
  }

  // Total bytes: each component at its own format.
  std::string formula = "W = \\sum_c N_c\\,b_c / 8", substituted = "W = (";
  std::vector<ExplainTerm> terms;
  bool first = true;
  for (const ComponentSize& c : r.components) {
    if (c.params == 0) continue;
    substituted += std::string(first ? "" : " + ") + n(c.params) + " \\cdot " + n(c.bits_per_weight);
    first = false;
    terms.push_back(
        {"N_\\text{" + tex_name(c.component) + "}", c.component + " parameters (" + c.format + ")", c.params, ""});
    terms.push_back({"b_\\text{" + tex_name(c.component) + "}", c.component + " bits per weight (" + c.format + ")",
                     c.bits_per_weight, "bits"});
  }
  substituted += ") / 8 = " + n(r.bytes) + "\\ \\text{bytes}";
  out.push_back({"quant.bytes",
                 "Quantized weights memory",
                 formula,
                 substituted,
                 r.bytes,
                 "bytes",
                 terms,
                 {kDocs},
                 "Mixed precision: each component (embedding, attention, FFN, norms, LM head) in its own format; norms "
                 "stay fp32 by default."});

  out.push_back({"quant.average_bits",
                 "Average bits per weight",
                 "\\bar b = 8\\,W / N",
                 "\\bar b = 8 \\cdot " + n(r.bytes) + " / " + n(r.total_params) + " = " + n(r.bits_per_weight) +
                     "\\ \\text{bits}",
                 r.bits_per_weight,
                 "bits",
                 {{"W", "weights bytes", r.bytes, "bytes"}, {"N", "parameters", r.total_params, ""}},
                 {kDocs},
                 ""});

  out.push_back({"quant.saving_vs_fp16",
                 "Saving versus fp16",
                 "\\sigma = 1 - W / (2N)",
                 "\\sigma = 1 - " + n(r.bytes) + " / (2 \\cdot " + n(r.total_params) + ") = " + n(r.saving_vs_fp16),
                 r.saving_vs_fp16,
                 "",
                 {{"W", "weights bytes", r.bytes, "bytes"}, {"N", "parameters", r.total_params, ""}},
                 {"IEEE 754 half precision: 2 bytes per value", kDocs},
                 ""});
  return {ok_status(), std::move(out)};
}

}  // namespace llmst
