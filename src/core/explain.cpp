#include "core/explain.hpp"

#include <cmath>
#include <cstdio>
#include <string>

namespace llmst {

namespace {

// Digits of a whole number |value| < 1e16 grouped by three with `separator`.
std::string grouped(double value, const char* separator) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%.0f", std::fabs(value));
  const std::string text = digits;
  std::string out = value < 0 ? "-" : "";
  for (size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && (text.size() - i) % 3 == 0) out += separator;
    out += text[i];
  }
  return out;
}

// 4 significant digits, trailing zeros dropped: 12.5, 0.1235.
std::string significant(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

bool whole(double value) { return value == std::floor(value) && std::fabs(value) < 1e16; }

// value = mantissa * 10^exponent, mantissa in [1, 10) with 4 significant digits.
void scientific(double value, std::string& mantissa, int& exponent) {
  exponent = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  double m = value / std::pow(10.0, exponent);
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", m);
  if (std::fabs(std::stod(text)) >= 10) {  // 9.9996 rounds up to 10.000
    ++exponent;
    std::snprintf(text, sizeof text, "%.3f", m / 10);
  }
  std::string s = text;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  mantissa = s;
}

bool needs_scientific(double value) {
  const double a = std::fabs(value);
  return a != 0 && (a >= 1e6 || a < 1e-3);
}

}  // namespace

std::string tex_number(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? "\\text{NaN}" : (value > 0 ? "\\infty" : "-\\infty");
  if (whole(value)) return grouped(value, "\\,");
  if (!needs_scientific(value)) return significant(value);
  std::string mantissa;
  int exponent = 0;
  scientific(value, mantissa, exponent);
  return mantissa + " \\times 10^{" + std::to_string(exponent) + "}";
}

std::string text_number(double value) {
  if (!std::isfinite(value)) return format_number(value);
  if (whole(value)) return grouped(value, ",");
  if (!needs_scientific(value)) return significant(value);
  std::string mantissa;
  int exponent = 0;
  scientific(value, mantissa, exponent);
  return mantissa + "e" + std::to_string(exponent);
}

const Explanation* find_explanation(const std::vector<Explanation>& explanations, std::string_view id) {
  for (const Explanation& explanation : explanations)
    if (explanation.id == id) return &explanation;
  return nullptr;
}

}  // namespace llmst
