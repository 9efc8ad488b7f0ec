// The front matter of a prose note: a `---` block or `KEY: value` lines.
#include "ingest/text_note.h"

#include <regex>

namespace sinew::ingest {

Result<NoteHeader> ReadHeader(std::string_view text, const std::string& file) {
  NoteHeader h;
  size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // byte-order mark
  auto next_line = [&](size_t at, std::string* line) {
    size_t nl = text.find('\n', at);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    *line = std::string(text.substr(at, end - at));
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return nl == std::string_view::npos ? text.size() : nl + 1;
  };
  auto line_no = [&](size_t at) { return PlaceAt(text, at, file).line; };
  std::string line;
  size_t after = next_line(pos, &line);
  std::string last_key;
  auto add = [&](const std::string& raw_key, std::string value, size_t at) -> Status {
    std::string key = Lower(raw_key);
    value = Trim(value);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (value.size() >= 2 && value.front() == '[' && value.back() == ']') {
      value = value.substr(1, value.size() - 2);
      std::replace(value.begin(), value.end(), ',', ';');
    }
    h.fields[key] = value;
    h.lines[key] = line_no(at);
    last_key = key;
    return Status::Ok();
  };
  static const std::regex kKeyValue(R"(^\s*([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$)");
  std::smatch m;
  if (Trim(line) == "---") {
    // A front-matter block: key: value lines, "- item" continuing a list.
    bool closed = false;
    for (size_t at = after; at < text.size() && !closed;) {
      std::string l;
      at = next_line(at, &l);
      closed = Trim(l) == "---" || Trim(l) == "...";
    }
    if (!closed)
      return Status::Invalid("the front matter opened with --- is never closed",
                             PlaceAt(text, pos, file));
    size_t at = after;
    while (true) {
      if (at >= text.size()) {
        SourcePlace p = PlaceAt(text, pos, file);
        return Status::Invalid("the front matter opened with --- is never closed", p);
      }
      size_t line_at = at;
      at = next_line(at, &line);
      std::string t = Trim(line);
      if (t == "---" || t == "...") break;
      if (t.empty() || t[0] == '#') continue;
      if (t.rfind("- ", 0) == 0 && !last_key.empty()) {
        std::string& v = h.fields[last_key];
        v += (v.empty() ? "" : "; ") + Trim(t.substr(2));
        continue;
      }
      if (!std::regex_match(line, m, kKeyValue)) {
        SourcePlace p = PlaceAt(text, line_at, file);
        return Status::Invalid(
            "front matter: expected 'key: value', found '" + line.substr(0, 60) + "'", p);
      }
      SINEW_RETURN_IF_ERROR(add(m[1], m[2], line_at));
    }
    h.body_offset = at;
    return h;
  }
  // Collected notes often open with "KEY: value" lines and a blank line.
  static const std::regex kHeaderLine(R"(^([A-Z][A-Z0-9_-]+):\s?(.*)$)");
  size_t at = pos;
  while (at < text.size()) {
    size_t line_at = at;
    size_t next = next_line(at, &line);
    if (!std::regex_match(line, m, kHeaderLine)) break;
    SINEW_RETURN_IF_ERROR(add(m[1], m[2], line_at));
    at = next;
  }
  h.body_offset = at;
  return h;
}

}  // namespace sinew::ingest
