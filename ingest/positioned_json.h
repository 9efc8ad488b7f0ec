// Private to ingest/: JSON parsed with the place of every value, so that a
// semantic error ("unknown node type") can name its line and column.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"

namespace sinew::ingest {

class PositionedJson {
 public:
  // Parses `text`; syntax errors, duplicate keys, nesting deeper than
  // `max_depth` and invalid UTF-8 are reported with their place.
  static Result<PositionedJson> Parse(std::string_view text, const std::string& file,
                                      int max_depth = 64);

  const nlohmann::json& root() const { return root_; }
  // The place of the value at `pointer` (its nearest known ancestor if none).
  SourcePlace At(const std::string& pointer) const;
  // The place of a byte offset.
  SourcePlace AtOffset(size_t offset, const std::string& pointer = "") const;

 private:
  std::string file_;
  nlohmann::json root_;
  std::map<std::string, size_t> offsets_;  // pointer -> byte offset of the value
  std::vector<size_t> line_starts_;
  // Code points before every kStride-th byte: a column is counted from the
  // nearest mark, not from the line's start (a minified note is one line,
  // and every value asks for its place).
  static constexpr size_t kStride = 256;
  std::vector<uint32_t> code_points_;
  std::string text_;
};

}  // namespace sinew::ingest
