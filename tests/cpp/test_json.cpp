// The config.json reader (core/json) against nlohmann/json, which it replaced
// in the modules: on hand-picked edge cases and on thousands of random edits of
// the real config.json fixtures, both accept the same texts and read the same
// values, keys and order.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.hpp"

using llmst::JsonValue;
using llmst::parse_json;

namespace {

// Empty when `ours` reads as nlohmann's `theirs`, else where they differ.
std::string difference(const JsonValue& ours, const nlohmann::json& theirs, const std::string& path = "$") {
  if (std::string(ours.type_name()) != theirs.type_name())
    return path + ": " + ours.type_name() + " vs " + theirs.type_name();
  switch (ours.type) {
    case JsonValue::Type::boolean:
      return ours.boolean == theirs.get<bool>() ? "" : path + ": boolean";
    case JsonValue::Type::number: {
      const double expected = theirs.get<double>();
      const bool same = ours.number == expected && std::signbit(ours.number) == std::signbit(expected);
      return same ? "" : path + ": " + ours.text + " vs " + theirs.dump();
    }
    case JsonValue::Type::string:
      return ours.text == theirs.get<std::string>() ? "" : path + ": string";
    case JsonValue::Type::array: {
      if (ours.items.size() != theirs.size()) return path + ": array size";
      for (size_t i = 0; i < ours.items.size(); ++i)
        if (auto d = difference(ours.items[i], theirs[i], path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
      return "";
    }
    case JsonValue::Type::object: {
      if (ours.members.size() != theirs.size()) return path + ": object size";
      size_t i = 0;
      for (auto it = theirs.begin(); it != theirs.end(); ++it, ++i) {
        if (ours.members[i].key != it.key()) return path + ": key " + ours.members[i].key + " vs " + it.key();
        if (auto d = difference(ours.members[i].value, *it, path + "." + it.key()); !d.empty()) return d;
      }
      return "";
    }
    default:
      return "";
  }
}

// Empty when both parsers agree on `text`, else what differs.
std::string disagreement(const std::string& text) {
  const auto ours = parse_json(text, 64);
  const nlohmann::json theirs = nlohmann::json::parse(text, nullptr, false);
  if (ours.has_value() == theirs.is_discarded())
    return std::string(ours ? "accepted" : "refused") + " (nlohmann the opposite)";
  return ours ? difference(*ours, theirs) : "";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("json: edge cases read as nlohmann reads them") {
  const char* const cases[] = {
      "{}",
      "[]",
      " \t\r\n{ } ",
      "null",
      "true",
      "false",
      "0",
      "-0",
      "-0.0",
      "1.5e3",
      "1E+2",
      "2e-400",
      "1e400",
      "-1e400",
      "123456789012345678901234567890",
      "18446744073709551615",
      "18446744073709551616",
      "-9223372036854775809",
      "0.1",
      "1.7976931348623157e308",
      "4.9e-324",
      // refused
      "",
      " ",
      "01",
      "-",
      "+1",
      ".5",
      "1.",
      "1e",
      "1e+",
      "0x10",
      "NaN",
      "Infinity",
      "-Infinity",
      "tru",
      "nul",
      "[1,]",
      "{\"a\":1,}",
      "{a:1}",
      "{'a':1}",
      "[1 2]",
      "{\"a\" 1}",
      "{\"a\":}",
      "{,}",
      "[,1]",
      "]",
      "[",
      "{",
      "\"abc",
      "[1]]",
      "{} {}",
      "// c\n{}",
      "{\"a\":1}/",
      "\"\\x\"",
      "\"\\u12\"",
      "\"\\u12G4\"",
      // strings and escapes
      R"("")",
      R"("a\"b\\c\/d\b\f\n\r\t")",
      R"("\u0041\u00e9\u20AC")",
      R"("\ud83d\ude00")",
      R"("\ud83d")",
      R"("\ude00")",
      R"("\ud83d\u0041")",
      R"("\ud83dx")",
      "\"tab\there\"",
      "\"nl\nhere\"",
      "\"nul\0\"",
      "\"\xC3\xA9\"",
      "\"\xE2\x82\xAC\"",
      "\"\xF0\x9F\x98\x80\"",
      "\"\xC0\xAF\"",
      "\"\xC1\xBF\"",
      "\"\xE0\x80\xAF\"",
      "\"\xED\xA0\x80\"",
      "\"\xF4\x90\x80\x80\"",
      "\"\xF5\x80\x80\x80\"",
      "\"\x80\"",
      "\"\xC3\"",
      "\"\xE2\x82\"",
      "\"\xFF\"",
      "\"\x7F\"",
      // byte-order mark, duplicate keys, key order
      "\xEF\xBB\xBF{\"a\":1}",
      "\xEF\xBB{}",
      "{\"b\":1,\"a\":2,\"c\":3}",
      "{\"a\":1,\"a\":2}",
      "{\"a\":1,\"b\":2,\"a\":3,\"b\":{\"x\":[1,2]}}",
      "{\"\":0}",
      "{\"B\":1,\"a\":2,\"_\":3}",
      "[[[[[[[[[[]]]]]]]]]]",
      "{\"a\":[{\"b\":[null,true,false,-1.25e-3]}]}",
  };
  for (const char* text : cases) {
    // The literal with \0 in it keeps its length.
    const std::string input = std::string(text) == "\"nul" ? std::string("\"nul\0\"", 6) : std::string(text);
    INFO("input: ", input);
    CHECK(disagreement(input) == "");
  }
}

TEST_CASE("json: random edits of the real config.json fixtures read as nlohmann reads them") {
  std::vector<std::string> texts;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(LLMST_SOURCE_DIR) + "/tests/fixtures/hf"))
    if (entry.path().extension() == ".json") texts.push_back(read_file(entry.path()));
  REQUIRE(texts.size() >= 10);
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto below = [&](uint64_t n) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state % n;
  };
  // Characters that make or break JSON, and bytes that make or break UTF-8.
  const std::string alphabet = "{}[]:,\" \\\n0123456789-+.eEtrufalsn/u\x01\x7F\xC3\xA9\xE2\x82\xAC\xF0\x9F\xED\xA0\xFF";
  int accepted = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = texts[below(texts.size())];
    const int edits = 1 + static_cast<int>(below(3));
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = below(text.size());
      const char ch = alphabet[below(alphabet.size())];
      switch (below(3)) {
        case 0:
          text[at] = ch;
          break;
        case 1:
          text.insert(at, 1, ch);
          break;
        default:
          text.erase(at, 1);
      }
    }
    const std::string d = disagreement(text);
    if (!d.empty()) {
      INFO("round ", round, ": ", text);
      CHECK(d == "");
      break;
    }
    (parse_json(text, 64) ? accepted : refused)++;
  }
  // Both outcomes were exercised.
  CHECK(accepted > 300);
  CHECK(refused > 300);
  for (const std::string& text : texts) CHECK(disagreement(text) == "");
}

TEST_CASE("json: depth limit, lookups and the scalars as messages show them") {
  CHECK(parse_json("[[[1]]]", 3).has_value());
  CHECK_FALSE(parse_json("[[[1]]]", 2).has_value());
  CHECK_FALSE(parse_json("{\"a\":{\"b\":{}}}", 2).has_value());
  const auto doc = parse_json(R"({"b": 2, "a": "x\"\u0001\n", "c": [true, null, 768, 1.50]})", 8);
  REQUIRE(doc.has_value());
  REQUIRE(doc->find("a") != nullptr);
  CHECK(doc->find("z") == nullptr);
  CHECK(doc->find("b")->number == 2);
  CHECK(doc->find("b")->find("a") == nullptr);
  const nlohmann::json theirs = nlohmann::json::parse(R"({"a": "x\"\u0001\n", "i": 768})");
  CHECK(doc->find("a")->dump() == theirs["a"].dump());
  CHECK(doc->find("c")->items[2].dump() == theirs["i"].dump());
  CHECK(doc->find("c")->items[3].dump() == "1.50");  // a number as written
  CHECK(doc->find("c")->items[0].dump() == "true");
  CHECK(doc->find("c")->items[1].dump() == "null");
  CHECK(std::string(doc->find("c")->type_name()) == "array");
}
