#include "core/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace llmst {

namespace {

class Parser {
 public:
  Parser(std::string_view text, int max_depth) : text_(text), max_depth_(max_depth) {}

  std::optional<JsonValue> document() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    JsonValue root;
    if (!value(root, 0)) return std::nullopt;
    skip_space();
    if (pos_ != text_.size()) return std::nullopt;
    return root;
  }

 private:
  bool value(JsonValue& out, int depth) {
    skip_space();
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '{':
        return object(out, depth + 1);
      case '[':
        return array(out, depth + 1);
      case '"':
        out.type = JsonValue::Type::string;
        return string(out.text);
      case 't':
        out.type = JsonValue::Type::boolean;
        out.boolean = true;
        return literal("true");
      case 'f':
        out.type = JsonValue::Type::boolean;
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number(out);
    }
  }

  bool object(JsonValue& out, int depth) {
    if (depth > max_depth_) return false;
    out.type = JsonValue::Type::object;
    ++pos_;
    if (next_is('}')) return true;
    do {
      skip_space();
      JsonMember member;
      if (!peek('"') || !string(member.key) || !next_is(':') || !value(member.value, depth)) return false;
      out.members.push_back(std::move(member));
    } while (next_is(','));
    if (!next_is('}')) return false;
    // Sorted by key, and a key written twice keeps its last value, as nlohmann::json does.
    std::stable_sort(out.members.begin(), out.members.end(),
                     [](const JsonMember& a, const JsonMember& b) { return a.key < b.key; });
    auto kept = out.members.begin();
    for (auto it = out.members.begin(); it != out.members.end(); ++it) {
      if (kept != out.members.begin() && (kept - 1)->key == it->key) {
        *(kept - 1) = std::move(*it);
      } else {
        if (kept != it) *kept = std::move(*it);
        ++kept;
      }
    }
    out.members.erase(kept, out.members.end());
    return true;
  }

  bool array(JsonValue& out, int depth) {
    if (depth > max_depth_) return false;
    out.type = JsonValue::Type::array;
    ++pos_;
    if (next_is(']')) return true;
    do {
      out.items.emplace_back();
      if (!value(out.items.back(), depth)) return false;
    } while (next_is(','));
    return next_is(']');
  }

  // A string (at its opening quote) into `out` as UTF-8; refuses control
  // characters, bad escapes, lone surrogates and ill-formed UTF-8 (RFC 3629).
  bool string(std::string& out) {
    ++pos_;
    while (pos_ < text_.size()) {
      const auto byte = static_cast<unsigned char>(text_[pos_]);
      if (byte == '"') {
        ++pos_;
        return true;
      }
      if (byte < 0x20) return false;
      if (byte == '\\') {
        if (!escape(out)) return false;
      } else if (byte < 0x80) {
        out += static_cast<char>(byte);
        ++pos_;
      } else if (!utf8_sequence(out)) {
        return false;
      }
    }
    return false;
  }

  bool escape(std::string& out) {
    if (++pos_ >= text_.size()) return false;
    const char ch = text_[pos_++];
    switch (ch) {
      case '"':
      case '\\':
      case '/':
        out += ch;
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    uint32_t code = 0;
    if (!hex4(code) || (code >= 0xDC00 && code <= 0xDFFF)) return false;
    if (code >= 0xD800 && code <= 0xDBFF) {
      uint32_t low = 0;
      if (text_.substr(pos_, 2) != "\\u") return false;
      pos_ += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, code);
    return true;
  }

  bool hex4(uint32_t& code) {
    if (pos_ + 4 > text_.size()) return false;
    for (int i = 0; i < 4; ++i) {
      const char ch = text_[pos_++];
      const int digit = ch >= '0' && ch <= '9'   ? ch - '0'
                        : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                        : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                                 : -1;
      if (digit < 0) return false;
      code = code * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  static void append_utf8(std::string& out, uint32_t code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  // One multi-byte UTF-8 character, well formed: no overlong forms, no
  // surrogates, nothing above U+10FFFF.
  bool utf8_sequence(std::string& out) {
    const auto lead = static_cast<unsigned char>(text_[pos_]);
    int continuation = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuation = 2;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuation = 3;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (pos_ + static_cast<size_t>(continuation) >= text_.size()) return false;
    for (int i = 1; i <= continuation; ++i) {
      const auto byte = static_cast<unsigned char>(text_[pos_ + static_cast<size_t>(i)]);
      if (byte < (i == 1 ? low : 0x80) || byte > (i == 1 ? high : 0xBF)) return false;
    }
    out.append(text_.substr(pos_, static_cast<size_t>(continuation) + 1));
    pos_ += static_cast<size_t>(continuation) + 1;
    return true;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, finite as a double.
  bool number(JsonValue& out) {
    const size_t start = pos_;
    bool integral = true;
    next_is_raw('-');
    if (next_is_raw('0')) {
    } else if (!digits()) {
      return false;
    }
    if (next_is_raw('.')) {
      integral = false;
      if (!digits()) return false;
    }
    if (next_is_raw('e') || next_is_raw('E')) {
      integral = false;
      if (!next_is_raw('+')) next_is_raw('-');
      if (!digits()) return false;
    }
    out.type = JsonValue::Type::number;
    out.text = std::string(text_.substr(start, pos_ - start));
    out.number = std::strtod(out.text.c_str(), nullptr);
    // nlohmann keeps a whole number that fits as an integer, so "-0" reads as 0.
    if (integral && out.number == 0) out.number = 0;
    return std::isfinite(out.number);
  }

  bool digits() {
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  void skip_space() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  bool peek(char ch) const { return pos_ < text_.size() && text_[pos_] == ch; }

  bool next_is_raw(char ch) {
    if (!peek(ch)) return false;
    ++pos_;
    return true;
  }

  // After whitespace, `ch` (consumed) or not.
  bool next_is(char ch) {
    skip_space();
    return next_is_raw(ch);
  }

  std::string_view text_;
  int max_depth_;
  size_t pos_ = 0;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
  auto it = std::lower_bound(members.begin(), members.end(), key,
                             [](const JsonMember& member, std::string_view k) { return member.key < k; });
  return it != members.end() && it->key == key ? &it->value : nullptr;
}

const char* JsonValue::type_name() const {
  static const char* const names[] = {"null", "boolean", "number", "string", "array", "object"};
  return names[static_cast<int>(type)];
}

std::string JsonValue::dump() const {
  switch (type) {
    case Type::null:
      return "null";
    case Type::boolean:
      return boolean ? "true" : "false";
    case Type::number:
      return text;
    case Type::string:
      break;
    default:
      return type_name();
  }
  static const char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += hex[byte >> 4];
          out += hex[byte & 15];
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::optional<JsonValue> parse_json(std::string_view text, int max_depth) { return Parser(text, max_depth).document(); }

}  // namespace llmst
