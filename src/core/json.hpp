// A strict JSON reader (RFC 8259) for config.json import. It replaces
// nlohmann/json in the WASM modules, where that library's inlined parser was
// the largest single part of the first load (README "Module sizes"). It
// accepts and refuses what nlohmann::json::parse does (tests/cpp/test_json.cpp
// checks the two against each other), and reads what the import needs: types,
// numbers as double, strings, lists, and objects with keys in sorted order.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmst {

struct JsonMember;

struct JsonValue {
  enum class Type : uint8_t { null, boolean, number, string, array, object };

  Type type = Type::null;
  bool boolean = false;
  double number = 0;
  std::string text;                 // a string's value, or a number's literal as written
  std::vector<JsonValue> items;     // an array's items
  std::vector<JsonMember> members;  // an object's members, sorted by key, each key once (the last one written)

  bool is_null() const { return type == Type::null; }
  bool is_boolean() const { return type == Type::boolean; }
  bool is_number() const { return type == Type::number; }
  bool is_string() const { return type == Type::string; }
  bool is_array() const { return type == Type::array; }
  bool is_object() const { return type == Type::object; }
  bool is_primitive() const { return !is_array() && !is_object(); }

  // The member named `key` of an object, or nullptr (also when this is not an object).
  const JsonValue* find(std::string_view key) const;
  // "null", "boolean", "number", "string", "array" or "object".
  const char* type_name() const;
  // A scalar as JSON text: a string quoted and escaped, a number as written.
  std::string dump() const;
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

// The document in `text`, or nullopt when it is not one JSON value (with
// whitespace around it and an optional UTF-8 byte-order mark), when a number
// is beyond double range, when a string is not valid UTF-8, or when arrays and
// objects nest deeper than `max_depth`.
std::optional<JsonValue> parse_json(std::string_view text, int max_depth);

}  // namespace llmst
