#include "serve/requests.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/validate.hpp"

namespace llmst::serve_detail {
namespace {

std::string trim(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t' || text[begin] == '\r')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) --end;
  return text.substr(begin, end - begin);
}

bool parse_number(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(value);
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

}  // namespace

RequestStream parse_trace(const std::string& text, double max_lines) {
  RequestStream stream;
  static const char* const names[] = {"arrival_s", "prompt_tokens", "output_tokens", "prefix_id"};
  size_t line_start = 0;
  double line_number = 0;
  bool first = true;
  while (line_start <= text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    const std::string line = trim(text.substr(line_start, line_end - line_start));
    line_start = line_end + 1;
    line_number += 1;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = split_fields(line);
    double value = 0;
    // A header: the first line whose first field is not a number.
    if (first && !parse_number(fields[0], value)) {
      first = false;
      continue;
    }
    first = false;
    const std::string where = "trace line " + format_number(line_number) + ": ";
    if (fields.size() < 3 || fields.size() > 4)
      return {error_status("trace", where + quoted(line) + " has " + format_number(static_cast<double>(fields.size())) +
                                        " fields (expected arrival_s, prompt_tokens, output_tokens[, prefix_id])"),
              {}};
    RequestSpec spec;
    double parsed[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < fields.size(); ++i) {
      if (!parse_number(fields[i], parsed[i]))
        return {error_status("trace", where + names[i] + " = " + quoted(fields[i]) + " is not a number"), {}};
    }
    Status status =
        first_error(check_real("arrival_s", parsed[0], 0, 1e9), check_integer("prompt_tokens", parsed[1], 1, 1e7),
                    check_integer("output_tokens", parsed[2], 1, 1e7), check_integer("prefix_id", parsed[3], 0, 1e12));
    if (!status.ok) return {error_status("trace", where + status.message), {}};
    if (static_cast<double>(stream.requests.size()) >= max_lines)
      return {error_status("trace", where + "the trace has more than " + format_number(max_lines) +
                                        " requests (the simulation's limit)"),
              {}};
    spec.arrival_s = parsed[0];
    spec.prompt_tokens = parsed[1];
    spec.output_tokens = parsed[2];
    spec.prefix_id = static_cast<int64_t>(parsed[3]);
    stream.requests.push_back(spec);
    if (line_end == text.size()) break;
  }
  if (stream.requests.empty())
    return {error_status("trace",
                         "trace has no request lines (expected arrival_s, prompt_tokens, output_tokens[, "
                         "prefix_id] per line)"),
            {}};
  std::stable_sort(stream.requests.begin(), stream.requests.end(),
                   [](const RequestSpec& a, const RequestSpec& b) { return a.arrival_s < b.arrival_s; });
  return stream;
}

}  // namespace llmst::serve_detail
