#include "core/validate.hpp"

#include <cmath>
#include <cstdio>

namespace llmst {

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char text[64];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

std::string quoted(std::string_view text) {
  constexpr size_t kMaxBytes = 40;
  size_t end = text.size();
  if (end > kMaxBytes) {
    end = kMaxBytes;
    // Back off to the first byte of a UTF-8 character.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  }
  std::string shown = "\"";
  for (size_t i = 0; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    shown += c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c);
  }
  if (end < text.size()) shown += "…";
  return shown + "\"";
}

Status check_integer(const std::string& field, double value, double min_value, double max_value) {
  // The text is built only on failure: formatting it for every valid value was
  // half of a plan() evaluation (bench/calculator.js).
  const auto shown = [&] { return field + " = " + format_number(value); };
  if (!std::isfinite(value)) return error_status(field, shown() + " is not a finite number");
  if (value != std::floor(value)) return error_status(field, shown() + " must be a whole number");
  if (value < min_value) return error_status(field, shown() + " must be at least " + format_number(min_value));
  if (value > max_value) return error_status(field, shown() + " is too large (limit " + format_number(max_value) + ")");
  return ok_status();
}

Status check_slice(const std::string& prefix, double begin, double end, double count, const std::string& whole) {
  const std::string begin_field = prefix + "_begin", end_field = prefix + "_end";
  const Status bounds =
      first_error(check_integer(begin_field, begin, 0, count - 1), check_integer(end_field, end, 0, count));
  if (!bounds.ok || end == 0 || end > begin) return bounds;
  return error_status(end_field, end_field + " = " + format_number(end) + " must be above " + begin_field + " = " +
                                     format_number(begin) + " (or 0: " + whole + ")");
}

Status check_real(const std::string& field, double value, double min_value, double max_value) {
  // The text is built only on failure: formatting it for every valid value was
  // half of a plan() evaluation (bench/calculator.js).
  const auto shown = [&] { return field + " = " + format_number(value); };
  if (!std::isfinite(value)) return error_status(field, shown() + " is not a finite number");
  if (value < min_value) return error_status(field, shown() + " must be at least " + format_number(min_value));
  if (value > max_value) return error_status(field, shown() + " is too large (limit " + format_number(max_value) + ")");
  return ok_status();
}

Status check_real_above(const std::string& field, double value, double min_value, double max_value) {
  Status status = check_real(field, value, min_value, max_value);
  if (status.ok && value <= min_value)
    return error_status(field,
                        field + " = " + format_number(value) + " must be greater than " + format_number(min_value));
  return status;
}

Status check_zero_or_at_least(const std::string& field, double value, double min_positive, double max_value) {
  Status status = check_real(field, value, 0, max_value);
  if (status.ok && value > 0 && value < min_positive)
    return error_status(field,
                        field + " = " + format_number(value) + " must be 0 or at least " + format_number(min_positive));
  return status;
}

Status check_choice(const std::string& field, const std::string& value, std::initializer_list<const char*> choices) {
  std::string list;
  for (const char* choice : choices) {
    if (value == choice) return ok_status();
    list += list.empty() ? choice : std::string(", ") + choice;
  }
  return error_status(field, field + " = " + quoted(value) + " must be one of " + list);
}

}  // namespace llmst
