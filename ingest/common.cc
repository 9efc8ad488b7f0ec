#include "ingest/common.h"

#include <cctype>
#include <cstdio>

namespace sinew::ingest {

SourcePlace PlaceAt(std::string_view text, size_t byte, const std::string& file) {
  SourcePlace p;
  p.file = file;
  p.line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < byte && i < text.size(); ++i)
    if (text[i] == '\n') {
      ++p.line;
      line_start = i + 1;
    }
  p.column = 1;
  for (size_t i = line_start; i < byte && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++p.column;
  return p;
}

// Length of a valid UTF-8 sequence at `i`, or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k)
    if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return 0;
  if (len == 2 && c < 0xC2) return 0;  // overlong
  return len;
}

Status JsonSyntaxError(const nlohmann::json::exception& e, std::string_view text, SourcePlace place,
                       const std::string& what) {
  // Only a syntax error knows its byte; a number too large for a double
  // (out_of_range) is reported at the start of the text.
  const auto* syntax = dynamic_cast<const nlohmann::json::parse_error*>(&e);
  size_t byte = syntax ? syntax->byte : 0;
  size_t at = std::min<size_t>(byte > 0 ? byte - 1 : 0, text.size());
  int line = place.line > 0 ? place.line : 1, column = place.column > 0 ? place.column - 1 : 0;
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 0;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  place.line = line;
  place.column = column + 1;
  std::string why = e.what();
  size_t colon = why.find(": ", why.find("column"));
  if (why.find("column") != std::string::npos && colon != std::string::npos)
    why = why.substr(colon + 2);
  else if (why.rfind("[json.exception.", 0) == 0 && why.find("] ") != std::string::npos)
    why = why.substr(why.find("] ") + 2);
  return Status::Invalid(what + ": " + why, place);
}

Status SourceFromJson(const nlohmann::json& j, const char* kind_key, SourceRecord* s) {
  auto text = [&](const char* key) -> Result<std::string> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::string();
    if (!it->is_string()) return Status::Invalid(std::string("\"") + key + "\" must be a string");
    return it->get<std::string>();
  };
  struct Field {
    const char* key;
    std::string* to;
  };
  for (Field f :
       {Field{"id", &s->slug}, Field{"title", &s->title}, Field{"publisher", &s->publisher},
        Field{"published", &s->published}, Field{"url", &s->url}, Field{kind_key, &s->kind},
        Field{"reliability", &s->reliability}, Field{"text", &s->text}}) {
    Result<std::string> v = text(f.key);
    if (!v.ok()) return v.status();
    *f.to = std::move(v).value();
  }
  if (s->slug.empty()) return Status::Invalid("a source needs an \"id\"");
  if (auto a = j.find("authors"); a != j.end() && a->is_array())
    for (const auto& v : *a)
      if (v.is_string()) s->authors.push_back(v);
  if (auto p = j.find("props"); p != j.end() && p->is_object()) s->props = *p;
  // Every exported source carries its marking: one without is not read as
  // CLEAR but refused.
  Result<std::string> marking = text("marking");
  if (!marking.ok()) return marking.status();
  if (!j.contains("marking")) return Status::Invalid("the source has no \"marking\"");
  Result<Marking> m = ParseMarking(marking.value());
  if (!m.ok()) return m.status();
  s->marking = m.value();
  return Status::Ok();
}

std::vector<Batch> KeepNewSources(std::vector<Batch> first, std::vector<Batch> full,
                                  const StoreView& view) {
  std::vector<Batch> out;
  std::vector<std::string> kept;
  for (Batch& b : first)
    if (!view.SourceBySlug(b.source.slug, false).ok()) out.push_back(std::move(b));
  for (Batch& b : full) {
    if (view.SourceBySlug(b.source.slug, false).ok())
      kept.push_back(b.source.slug);
    else
      out.push_back(std::move(b));
  }
  if (!out.empty() && !kept.empty()) {
    std::string line = std::to_string(kept.size()) +
                       " sources already in the store, kept as they are (an export never "
                       "replaces a source; re-ingest its own file to revise it):";
    for (const auto& k : kept) line += " " + k;
    out.back().notes.push_back(line);
  }
  return out;
}

Status CheckText(std::string_view bytes, const std::string& file) {
  SourcePlace whole;
  whole.file = file;
  if (Trim(bytes).empty()) return Status::Invalid("the note is empty", whole);
  size_t line_start = 0;
  for (size_t i = 0; i < bytes.size();) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c == 0)
      return Status::Invalid("a NUL byte: this is a binary file, not a text note",
                             PlaceAt(bytes, i, file));
    if (c == '\n') line_start = i + 1;
    if (i >= line_start && i - line_start > (1u << 20))
      return Status::Invalid("a line longer than 1 MiB: not a note sinew can read",
                             PlaceAt(bytes, line_start, file));
    size_t len = Utf8Length(bytes, i);
    if (len == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      return Status::Invalid(std::string("invalid UTF-8 (byte ") + hex +
                                 "): save the note as UTF-8 (Latin-1 and UTF-16 are not read)",
                             PlaceAt(bytes, i, file));
    }
    i += len;
  }
  return Status::Ok();
}

}  // namespace sinew::ingest
