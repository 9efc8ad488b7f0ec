// The structured JSON note: docs/formats.md is its reference.
#include <filesystem>
#include <set>

#include "ingest/common.h"
#include "ingest/ingest.h"
#include "ingest/positioned_json.h"

namespace sinew::ingest {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "sinew-note/1";

class NoteReader {
 public:
  NoteReader(const PositionedJson& doc, Batch* batch, std::string file)
      : doc_(doc), batch_(*batch), file_(std::move(file)) {}

  Status Read();

 private:
  void Error(const std::string& ptr, const std::string& msg) {
    if (errors_.size() < 100) errors_.push_back(Status::Invalid(msg, doc_.At(ptr)));
  }
  // Reports keys of `obj` that are not in `allowed`.
  void OnlyKeys(const json& obj, const std::string& ptr,
                std::initializer_list<const char*> allowed);
  bool IsObject(const json& v, const std::string& ptr, const char* what);
  std::string String(const json& obj, const std::string& ptr, const char* key, bool required);
  std::vector<std::string> Strings(const json& obj, const std::string& ptr, const char* key);
  std::optional<double> Number(const json& obj, const std::string& ptr, const char* key);
  int Integer(const json& obj, const std::string& ptr, const char* key, int fallback);

  FieldPlaces Places(const std::string& ptr, const json& obj) const {
    FieldPlaces p;
    p.place = doc_.At(ptr);
    for (const auto& [k, v] : obj.items()) p.fields[k] = doc_.At(ptr + "/" + k);
    return p;
  }
  void ReadSource(const json& v);
  void ReadDefaults(const json& v);
  void ReadNode(const json& v, const std::string& ptr);
  void ReadEdge(const json& v, const std::string& ptr);
  void ReadObservation(const json& v, const std::string& ptr);
  bool ReadEvidence(const json& v, const std::string& ptr, EvidenceDraft* out);
  Locator ReadLocator(const json& v, const std::string& ptr);

  void ReadTextFile(const json& v, const std::string& ptr);
  void CheckQuotes();

  const PositionedJson& doc_;
  Batch& batch_;
  std::string file_;
  std::vector<Status> errors_;
  // Verbatim quotes with offsets, checked against the source's text once read.
  struct Quote {
    std::string ptr, quote;
    int64_t start, end;
  };
  std::vector<Quote> quotes_;

 public:
  std::string text_file_bytes;  // the text_file, for the content hash

 public:
  bool source_ok() const { return source_ok_; }

 private:
  bool source_ok_ = true;
  Modality default_modality_ = Modality::kAssessed;
  int default_credibility_ = 0;
  EvidenceStatus default_status_ = EvidenceStatus::kAccepted;
  std::string default_analyst_;
};

void NoteReader::OnlyKeys(const json& obj, const std::string& ptr,
                          std::initializer_list<const char*> allowed) {
  for (const auto& [k, v] : obj.items()) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || k == a;
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Error(ptr + "/" + k, "unknown field \"" + k + "\" (expected one of: " + list + ")");
    }
  }
}

bool NoteReader::IsObject(const json& v, const std::string& ptr, const char* what) {
  if (v.is_object()) return true;
  Error(ptr, std::string(what) + " must be a JSON object");
  return false;
}

std::string NoteReader::String(const json& obj, const std::string& ptr, const char* key,
                               bool required) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) Error(ptr, std::string("missing required field \"") + key + "\"");
    return "";
  }
  if (!it->is_string()) {
    Error(ptr + "/" + key, std::string("\"") + key + "\" must be a string");
    return "";
  }
  return it->get<std::string>();
}

std::vector<std::string> NoteReader::Strings(const json& obj, const std::string& ptr,
                                             const char* key) {
  std::vector<std::string> out;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return out;
  if (!it->is_array()) {
    Error(ptr + "/" + key, std::string("\"") + key + "\" must be a list of strings");
    return out;
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const json& s = (*it)[i];
    if (!s.is_string() || s.get<std::string>().empty()) {
      Error(ptr + "/" + key + "/" + std::to_string(i), "must be a non-empty string");
      continue;
    }
    out.push_back(s.get<std::string>());
  }
  return out;
}

std::optional<double> NoteReader::Number(const json& obj, const std::string& ptr, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) {
    Error(ptr + "/" + key, std::string("\"") + key + "\" must be a number");
    return std::nullopt;
  }
  double v = it->get<double>();
  if (!std::isfinite(v)) {
    Error(ptr + "/" + key, std::string("\"") + key + "\" is not a finite number");
    return std::nullopt;
  }
  return v;
}

int NoteReader::Integer(const json& obj, const std::string& ptr, const char* key, int fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < -1000000 || it->get<int64_t>() > 1000000) {
    Error(ptr + "/" + key, std::string("\"") + key + "\" must be a whole number");
    return fallback;
  }
  return static_cast<int>(it->get<int64_t>());
}

void NoteReader::ReadSource(const json& v) {
  const std::string ptr = "/source";
  batch_.source_place = doc_.At(ptr);
  size_t errors_before = errors_.size();
  struct Guard {  // the source is sound only if reading it added no error
    NoteReader* r;
    size_t before;
    ~Guard() { r->source_ok_ = r->source_ok_ && r->errors_.size() == before; }
  } guard{this, errors_before};
  if (!IsObject(v, ptr, "source")) return;
  OnlyKeys(v, ptr,
           {"id", "title", "authors", "publisher", "published", "url", "kind", "marking",
            "reliability", "text", "text_file", "summarises", "cites", "notes", "props"});
  SourceRecord& s = batch_.source;
  s.slug = String(v, ptr, "id", true);
  s.title = String(v, ptr, "title", true);
  s.authors = Strings(v, ptr, "authors");
  s.publisher = String(v, ptr, "publisher", false);
  s.published = String(v, ptr, "published", false);
  s.url = String(v, ptr, "url", false);
  s.kind = String(v, ptr, "kind", false);
  s.reliability = String(v, ptr, "reliability", false);
  s.text = String(v, ptr, "text", false);
  if (v.contains("text_file")) ReadTextFile(v, ptr);
  std::string marking = String(v, ptr, "marking", false);
  if (v.contains("marking")) {  // "" is a malformed marking, not none
    Result<Marking> m = ParseMarking(marking);
    if (m.ok())
      s.marking = m.value();
    else
      Error(ptr + "/marking", m.status().message());
  }
  for (const char* key : {"summarises", "notes"}) {
    std::string t = String(v, ptr, key, false);
    if (!t.empty()) s.props[key] = t;
  }
  if (v.contains("cites")) {
    if (!v["cites"].is_array())
      Error(ptr + "/cites", "\"cites\" must be a list of source ids");
    else
      s.props["cites"] = v["cites"];
  }
  if (v.contains("props")) {
    if (!v["props"].is_object())
      Error(ptr + "/props", "\"props\" must be an object");
    else
      for (const auto& [k, pv] : v["props"].items()) s.props[k] = pv;
  }
}

// "text_file": the source's text in a file beside the note (texts/NN.txt),
// stored as if it were "text". Only a path under the note's folder is read.
void NoteReader::ReadTextFile(const json& v, const std::string& ptr) {
  std::string name = String(v, ptr, "text_file", true);
  if (name.empty()) return;
  if (v.contains("text")) {
    Error(ptr + "/text_file", "a source has \"text\" or \"text_file\", not both");
    return;
  }
  std::filesystem::path rel(name);
  bool inside = rel.is_relative() && !rel.empty();
  for (const auto& part : rel) inside = inside && part != "..";
  if (!inside) {
    Error(ptr + "/text_file",
          "\"text_file\" must be a relative path under the note's folder, without '..'");
    return;
  }
  std::filesystem::path full = std::filesystem::path(file_).parent_path() / rel;
  Result<std::string> bytes = ReadBytes(full.string());
  if (!bytes.ok()) {
    Error(ptr + "/text_file", "cannot read the source's text: " + bytes.status().message());
    return;
  }
  if (Status t = CheckText(bytes.value(), full.string()); !t.ok()) {
    Error(ptr + "/text_file", t.message());
    return;
  }
  text_file_bytes = bytes.value();
  batch_.source.text = std::move(bytes.value());
}

// A quote that is not a paraphrase and says where it is must be the source's
// text at those offsets (code points), character for character.
void NoteReader::CheckQuotes() {
  const std::string& text = batch_.source.text;
  if (text.empty() || quotes_.empty()) return;
  std::vector<size_t> byte_of;  // code point -> byte
  for (size_t i = 0; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) byte_of.push_back(i);
  byte_of.push_back(text.size());
  const int64_t points = static_cast<int64_t>(byte_of.size()) - 1;
  for (const Quote& q : quotes_) {
    if (q.end > points) {
      Error(q.ptr + "/locator", "the quote's offsets [" + std::to_string(q.start) + ".." +
                                    std::to_string(q.end) + ") run past the source's text (" +
                                    std::to_string(points) + " characters)");
      continue;
    }
    std::string there = text.substr(byte_of[q.start], byte_of[q.end] - byte_of[q.start]);
    if (there != q.quote)
      Error(q.ptr + "/quote", "the quote is not the source's text at [" + std::to_string(q.start) +
                                  ".." + std::to_string(q.end) + "), which reads \"" +
                                  there.substr(0, 120) + (there.size() > 120 ? "…" : "") +
                                  "\" (mark it \"paraphrase\": true, or fix the offsets)");
  }
}

void NoteReader::ReadDefaults(const json& v) {
  const std::string ptr = "/defaults";
  if (!IsObject(v, ptr, "defaults")) return;
  OnlyKeys(v, ptr, {"modality", "credibility", "status", "analyst"});
  std::string m = String(v, ptr, "modality", false);
  if (!m.empty()) {
    auto r = ParseModality(m);
    if (r.ok())
      default_modality_ = r.value();
    else
      Error(ptr + "/modality", r.status().message());
  }
  default_credibility_ = Integer(v, ptr, "credibility", 0);
  if (default_credibility_ != 0 && !CheckCredibility(default_credibility_).ok())
    Error(ptr + "/credibility", CheckCredibility(default_credibility_).message());
  std::string st = String(v, ptr, "status", false);
  if (!st.empty()) {
    auto r = ParseEvidenceStatus(st);
    if (r.ok())
      default_status_ = r.value();
    else
      Error(ptr + "/status", r.status().message());
  }
  default_analyst_ = String(v, ptr, "analyst", false);
}

Locator NoteReader::ReadLocator(const json& v, const std::string& ptr) {
  Locator l;
  if (v.is_string()) {
    l.section = v.get<std::string>();
    return l;
  }
  if (!IsObject(v, ptr, "locator")) return l;
  OnlyKeys(v, ptr, {"section", "paragraph", "page", "start", "end"});
  l.section = String(v, ptr, "section", false);
  l.paragraph = Integer(v, ptr, "paragraph", 0);
  if (l.paragraph < 0) Error(ptr + "/paragraph", "paragraph must be 1 or more");
  if (v.contains("page")) {
    if (v["page"].is_number_integer())
      l.page = std::to_string(v["page"].get<int64_t>());
    else
      l.page = String(v, ptr, "page", false);
  }
  l.start = Integer(v, ptr, "start", -1);
  l.end = Integer(v, ptr, "end", -1);
  if ((l.start >= 0) != (l.end >= 0) || l.end < l.start)
    Error(ptr, "locator start and end go together, with start <= end");
  return l;
}

bool NoteReader::ReadEvidence(const json& v, const std::string& ptr, EvidenceDraft* e) {
  e->place = doc_.At(ptr);
  if (!IsObject(v, ptr, "evidence")) return false;
  OnlyKeys(v, ptr,
           {"key", "quote", "paraphrase", "locator", "stance", "valid_from", "valid_to", "modality",
            "strength", "replaceability", "reliability", "credibility", "status", "analyst",
            "marking", "basis"});
  e->key = String(v, ptr, "key", false);
  e->quote = String(v, ptr, "quote", true);
  if (v.contains("paraphrase")) {
    if (!v["paraphrase"].is_boolean())
      Error(ptr + "/paraphrase", "\"paraphrase\" must be true or false");
    else
      e->paraphrase = v["paraphrase"].get<bool>();
  }
  if (v.contains("locator")) e->locator = ReadLocator(v["locator"], ptr + "/locator");
  std::string stance = String(v, ptr, "stance", false);
  if (!stance.empty()) {
    auto r = ParseStance(stance);
    if (r.ok())
      e->stance = r.value();
    else
      Error(ptr + "/stance", r.status().message());
  }
  for (auto [key, slot] : {std::pair<const char*, std::string*>{"valid_from", &e->valid_from},
                           {"valid_to", &e->valid_to}}) {
    std::string d = String(v, ptr, key, false);
    if (d.empty()) continue;
    Result<FuzzyDate> parsed = ParseDate(d);
    if (!parsed.ok()) Error(ptr + "/" + key, parsed.status().message());
    *slot = d;
  }
  e->modality = default_modality_;
  std::string m = String(v, ptr, "modality", false);
  if (!m.empty()) {
    auto r = ParseModality(m);
    if (r.ok())
      e->modality = r.value();
    else
      Error(ptr + "/modality", r.status().message());
  }
  for (auto [key, slot] : {std::pair<const char*, std::optional<double>*>{"strength", &e->strength},
                           {"replaceability", &e->replaceability}}) {
    *slot = Number(v, ptr, key);
    if (*slot && !(**slot >= 0 && **slot <= 1)) {
      Error(ptr + "/" + key, std::string("\"") + key + "\" must be between 0 and 1");
      slot->reset();
    }
  }
  e->reliability = String(v, ptr, "reliability", false);
  if (!e->reliability.empty() && !CheckReliability(e->reliability).ok())
    Error(ptr + "/reliability", CheckReliability(e->reliability).message());
  e->credibility = Integer(v, ptr, "credibility", default_credibility_);
  if (e->credibility != 0 && !CheckCredibility(e->credibility).ok())
    Error(ptr + "/credibility", CheckCredibility(e->credibility).message());
  e->status = default_status_;
  std::string st = String(v, ptr, "status", false);
  if (!st.empty()) {
    auto r = ParseEvidenceStatus(st);
    if (r.ok())
      e->status = r.value();
    else
      Error(ptr + "/status", r.status().message());
  }
  e->analyst = String(v, ptr, "analyst", false);
  if (e->analyst.empty()) e->analyst = default_analyst_;
  std::string marking = String(v, ptr, "marking", false);
  if (v.contains("marking")) {  // "" is a malformed marking, not none
    auto r = ParseMarking(marking);
    if (r.ok())
      e->marking = r.value();
    else
      Error(ptr + "/marking", r.status().message());
  }
  e->basis = String(v, ptr, "basis", false);
  if (!e->paraphrase && e->locator.start >= 0 && e->locator.end >= e->locator.start)
    quotes_.push_back({ptr, e->quote, e->locator.start, e->locator.end});
  return true;
}

void NoteReader::ReadNode(const json& v, const std::string& ptr) {
  if (!IsObject(v, ptr, "a node")) return;
  size_t errors_before = errors_.size();
  OnlyKeys(v, ptr, {"id", "type", "name", "aliases", "props", "evidence"});
  NodeDraft n;
  n.place = doc_.At(ptr);
  n.where = Places(ptr, v);
  n.slug = String(v, ptr, "id", true);
  n.type = String(v, ptr, "type", true);
  n.name = String(v, ptr, "name", false);
  n.aliases = Strings(v, ptr, "aliases");
  if (v.contains("props")) {
    if (!v["props"].is_object())
      Error(ptr + "/props", "\"props\" must be an object");
    else
      n.props = v["props"];
  }
  if (v.contains("evidence")) {
    const json& ev = v["evidence"];
    if (!ev.is_array()) {
      Error(ptr + "/evidence", "\"evidence\" must be a list");
    } else {
      for (size_t i = 0; i < ev.size(); ++i) {
        EvidenceDraft e;
        if (ReadEvidence(ev[i], ptr + "/evidence/" + std::to_string(i), &e))
          n.evidence.push_back(std::move(e));
      }
    }
  }
  if (errors_.size() == errors_before) batch_.nodes.push_back(std::move(n));
}

void NoteReader::ReadEdge(const json& v, const std::string& ptr) {
  if (!IsObject(v, ptr, "an edge")) return;
  size_t errors_before = errors_.size();
  OnlyKeys(v, ptr, {"src", "type", "dst", "domain", "evidence"});
  EdgeDraft d;
  d.place = doc_.At(ptr);
  d.where = Places(ptr, v);
  d.src = String(v, ptr, "src", true);
  d.type = String(v, ptr, "type", true);
  d.dst = String(v, ptr, "dst", true);
  d.domain = String(v, ptr, "domain", false);
  auto it = v.find("evidence");
  if (it == v.end() || !it->is_array() || it->empty()) {
    Error(it == v.end() ? ptr : ptr + "/evidence",
          "an edge needs \"evidence\": a list with at least one record");
  } else {
    for (size_t i = 0; i < it->size(); ++i) {
      EvidenceDraft e;
      if (ReadEvidence((*it)[i], ptr + "/evidence/" + std::to_string(i), &e))
        d.evidence.push_back(std::move(e));
    }
  }
  if (errors_.size() == errors_before) batch_.edges.push_back(std::move(d));
}

void NoteReader::ReadObservation(const json& v, const std::string& ptr) {
  if (!IsObject(v, ptr, "an observation")) return;
  size_t errors_before = errors_.size();
  OnlyKeys(v, ptr, {"subject", "object", "metric", "value", "unit", "period", "evidence"});
  ObservationDraft o;
  o.place = doc_.At(ptr);
  o.where = Places(ptr, v);
  o.subject = String(v, ptr, "subject", true);
  o.object = String(v, ptr, "object", false);
  o.metric = String(v, ptr, "metric", true);
  o.unit = String(v, ptr, "unit", false);
  o.period = String(v, ptr, "period", true);
  auto it = v.find("value");
  if (it == v.end()) {
    Error(ptr, "missing required field \"value\"");
  } else if (it->is_number()) {
    o.low = o.high = it->get<double>();
    if (!std::isfinite(o.low)) Error(ptr + "/value", "\"value\" is not a finite number");
  } else if (it->is_object()) {
    OnlyKeys(*it, ptr + "/value", {"low", "high"});
    auto lo = Number(*it, ptr + "/value", "low");
    auto hi = Number(*it, ptr + "/value", "high");
    if (!lo || !hi)
      Error(ptr + "/value", "a range needs both \"low\" and \"high\"");
    else if (*lo > *hi)
      Error(ptr + "/value", "range low is above high");
    o.low = lo.value_or(0);
    o.high = hi.value_or(0);
  } else {
    Error(ptr + "/value", "\"value\" must be a number or {\"low\", \"high\"}");
  }
  auto ev = v.find("evidence");
  if (ev == v.end())
    Error(ptr, "an observation needs \"evidence\"");
  else
    ReadEvidence(*ev, ptr + "/evidence", &o.evidence);
  if (errors_.size() == errors_before) batch_.observations.push_back(std::move(o));
}

Status NoteReader::Read() {
  const json& root = doc_.root();
  if (!root.is_object()) return Status::Invalid("a note must be a JSON object", doc_.At(""));
  OnlyKeys(root, "", {"format", "source", "defaults", "nodes", "edges", "observations"});
  std::string format = String(root, "", "format", false);
  if (!format.empty() && format != kFormat)
    Error("/format",
          "unsupported note format \"" + format + "\" (this sinew reads " + kFormat + ")");
  if (!root.contains("source")) {
    Error("", "missing required field \"source\"");
    source_ok_ = false;
  } else
    ReadSource(root["source"]);
  if (root.contains("defaults")) ReadDefaults(root["defaults"]);
  for (auto [key, fn] :
       {std::pair<const char*, void (NoteReader::*)(const json&, const std::string&)>{
            "nodes", &NoteReader::ReadNode},
        {"edges", &NoteReader::ReadEdge},
        {"observations", &NoteReader::ReadObservation}}) {
    if (!root.contains(key)) continue;
    const json& list = root[key];
    std::string ptr = std::string("/") + key;
    if (!list.is_array()) {
      Error(ptr, std::string("\"") + key + "\" must be a list");
      continue;
    }
    for (size_t i = 0; i < list.size(); ++i) (this->*fn)(list[i], ptr + "/" + std::to_string(i));
  }
  CheckQuotes();
  return Status::Combine(errors_);
}

}  // namespace

Result<Batch> ReadJsonNote(std::string_view bytes, const std::string& file) {
  NoteReading r = ReadJsonNoteLeniently(bytes, file);
  if (!r.errors.ok()) return r.errors;
  return std::move(r.batch);
}

NoteReading ReadJsonNoteLeniently(std::string_view bytes, const std::string& file) {
  NoteReading out;
  Result<PositionedJson> doc = PositionedJson::Parse(bytes, file);
  if (!doc.ok()) {
    out.errors = doc.status();
    return out;
  }
  out.batch.file = file;
  NoteReader reader(doc.value(), &out.batch, file);
  out.errors = reader.Read();
  // A note with its text in a file changes when either does.
  out.batch.content_hash = reader.text_file_bytes.empty()
                               ? ContentHash(bytes)
                               : ContentHash(std::string(bytes) + '\0' + reader.text_file_bytes);
  out.checkable = reader.source_ok();
  return out;
}

}  // namespace sinew::ingest
