// Input checks shared by every area. Sizes arrive from JS as doubles, so each
// check rejects NaN, infinities, fractions, negatives and absurd magnitudes
// with a message that names the field and the value.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>

#include "core/status.hpp"

namespace llmst {

// Largest size any single count may take (1e12): far above any real model
// dimension or token count, well below where doubles stop being exact.
inline constexpr double kMaxCount = 1e12;

// A whole number in [min_value, max_value].
Status check_integer(const std::string& field, double value, double min_value, double max_value = kMaxCount);

// A finite real number in [min_value, max_value].
Status check_real(const std::string& field, double value, double min_value, double max_value);

// A finite real number strictly above min_value (e.g. a bandwidth > 0).
Status check_real_above(const std::string& field, double value, double min_value, double max_value);

// 0 (meaning "none"), or a finite real in [min_positive, max_value]: a tiny
// positive rate would make every time it divides infinite.
Status check_zero_or_at_least(const std::string& field, double value, double min_positive, double max_value);

// The slice [begin, end) of `count` items a run computes (a run split across
// workers): begin in [0, count − 1], end in [0, count] and above begin, or 0
// meaning "to the end" (`whole` names that in the message: "every head").
// Fields are named `prefix`_begin and `prefix`_end.
Status check_slice(const std::string& prefix, double begin, double end, double count, const std::string& whole);

// One of a fixed list of ids; the error lists them all.
Status check_choice(const std::string& field, const std::string& value, std::initializer_list<const char*> choices);

// First failing status of a list, or ok. Lets a validator read as a table.
template <typename... Statuses>
Status first_error(const Statuses&... statuses) {
  Status result;
  bool found = false;
  ((!found && !statuses.ok ? (result = statuses, found = true) : false), ...);
  return result;
}

}  // namespace llmst
