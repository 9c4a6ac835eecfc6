// Rounding a float to the nearest value of a smaller float format (fp16,
// bf16, fp8 E4M3 / E5M2), returned as a float: what a store then load gives.
// Round to nearest, ties to even, with subnormals. Formats with infinities
// overflow to ±Inf (IEEE 754); E4M3 has none and saturates to ±448 (the OCP
// FP8 spec's saturating conversion, OCP 8-bit Floating Point Specification
// v1.0, 2023, §5.4). NaN stays NaN.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace llmst::quant {

struct MiniFloat {
  int mantissa_bits;
  int exponent_min;  // exponent of the smallest normal, 1 - bias
  double max_finite;
  bool has_infinity;
};

// IEEE 754 binary16; bfloat16 (Google Brain, 8 exponent bits); OCP FP8.
inline constexpr MiniFloat kFp16{10, -14, 65504.0, true};
inline constexpr MiniFloat kBf16{7, -126, 3.3895313892515355e38, true};
inline constexpr MiniFloat kFp8E4M3{3, -6, 448.0, false};
inline constexpr MiniFloat kFp8E5M2{2, -14, 57344.0, true};

inline float round_to(const MiniFloat& format, float value) {
  if (std::isnan(value)) return value;
  const double magnitude = std::fabs(double(value));
  const double sign = std::signbit(value) ? -1.0 : 1.0;
  if (magnitude == 0) return value;
  const double infinity = std::numeric_limits<double>::infinity();
  if (std::isinf(magnitude)) return float(sign * (format.has_infinity ? infinity : format.max_finite));
  // The binade and 2^k from the double's bits: frexp and ldexp are libm calls
  // in WASM, and the lab rounds a scale (or two) per group of 32.
  // (memcpy: Emscripten 3.1.6's libc++ has no std::bit_cast.)
  uint64_t bits;
  std::memcpy(&bits, &magnitude, sizeof bits);
  const int binade = int((bits >> 52) & 0x7FF) - 1023;  // magnitude in [2^binade, 2^(binade+1))
  const int unit_exponent = std::max(binade, format.exponent_min) - format.mantissa_bits;
  const auto power_of_two = [](int k) {
    const uint64_t pattern = uint64_t(k + 1023) << 52;
    double value;
    std::memcpy(&value, &pattern, sizeof value);
    return value;
  };
  // exact: scaling by powers of two (unit_exponent ≥ -133 for these formats)
  const double rounded = std::nearbyint(magnitude * power_of_two(-unit_exponent)) * power_of_two(unit_exponent);
  if (rounded > format.max_finite) {
    // IEEE: overflow to Inf once past max + half an ulp of the top binade.
    const double top_ulp = std::ldexp(1.0, int(std::floor(std::log2(format.max_finite))) - format.mantissa_bits);
    if (!format.has_infinity) return float(sign * format.max_finite);
    return float(magnitude >= format.max_finite + top_ulp / 2 ? sign * infinity : sign * format.max_finite);
  }
  return float(sign * rounded);
}

}  // namespace llmst::quant
