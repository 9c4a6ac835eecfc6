// Errors as values: every calculation returns a result that carries a Status.
// Emscripten builds without C++ exceptions, so a throw would reach JS as a bare
// number; a Status names the field and the bad value instead.
#pragma once
#include <string>
#include <string_view>

namespace llmst {

struct Status {
  bool ok = true;
  std::string field;    // the input at fault, e.g. "kv_heads"
  std::string message;  // a sentence naming the field and the value
};

inline Status ok_status() { return {}; }
inline Status error_status(std::string field, std::string message) {
  return {false, std::move(field), std::move(message)};
}

// Shortest text for a number as a user typed it: 4096, 3.5, NaN, -inf, 1e+18.
std::string format_number(double value);

// A string the user gave, as a message quotes it: at most 40 bytes (cut at a
// character boundary, then "…"), control characters as '?'. A hostile input
// cannot make a message large.
std::string quoted(std::string_view text);

}  // namespace llmst
