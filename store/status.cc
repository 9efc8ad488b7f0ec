#include "store/status.h"

namespace sinew {

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out;
  if (!place_.file.empty()) {
    out += place_.file;
    if (place_.line > 0) {
      out += ":" + std::to_string(place_.line);
      if (place_.column > 0) out += ":" + std::to_string(place_.column);
    }
    out += ": ";
  }
  out += message_;
  if (!place_.pointer.empty()) out += " (at " + place_.pointer + ")";
  for (const auto& m : more_) out += "\n" + m;
  return out;
}

Status Status::Combine(const std::vector<Status>& errors) {
  if (errors.empty()) return Ok();
  Status first = errors.front();
  for (size_t i = 1; i < errors.size(); ++i) first.more_.push_back(errors[i].ToString());
  return first;
}

}  // namespace sinew
