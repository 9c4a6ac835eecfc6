// Explain views of quantized model sizes, built from quant_size()'s result.
#pragma once
#include "core/explain.hpp"
#include "quant/sizes.hpp"

namespace llmst {

// Ids: quant.bits_per_weight (the default format, overheads included),
// quant.bytes (all components), quant.average_bits, quant.saving_vs_fp16.
// Fails with quant_size's Status.
ExplainResult explain_quant(const QuantSizeInput& input);

}  // namespace llmst
