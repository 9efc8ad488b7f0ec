// One snapshot of the SDN list as a revision of the source `ofac-sdn`: the
// entries compared with what the store holds from the earlier snapshots
// (designated, delisted, amended), matched to the store's nodes, linked to
// their programmes, countries and Linked To parties; then the earlier
// entries carried over (ofac_history.cc) and the source described.
#include <algorithm>
#include <filesystem>
#include <set>

#include "ingest/common.h"
#include "ingest/ingest.h"
#include "ingest/ofac_history.h"

namespace sinew::ingest {
namespace {

using nlohmann::json;
using ofac::Entry;
using ofac::History;
using ofac::Mapping;

constexpr const char* kAmbiguous = "ambiguous matches kept separate (review: proposed merge)";

// "2022-02-18" -> "2022-02-19".
std::string NextDay(const std::string& date) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(5, 2)),
      d = std::stoi(date.substr(8, 2));
  int days = kDays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
  if (++d > days) {
    d = 1;
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// Looks `name` up as written, then with or without a closing '.' (which the
// last remark part loses to the list's full stop, and names may have).
template <typename Map>
auto FindName(const Map& map, const std::string& name) {
  auto it = map.find(name);
  if (it == map.end()) it = map.find(name + ".");
  if (it == map.end() && !name.empty() && name.back() == '.')
    it = map.find(name.substr(0, name.size() - 1));
  return it;
}

class SnapshotReader {
 public:
  SnapshotReader(const Mapping& m, const StoreView& view, History& h, const std::string& text,
                 const std::string& file, const std::string& snapshot, SdnReading* out)
      : m_(m),
        view_(view),
        h_(h),
        text_(text),
        file_(file),
        base_(std::filesystem::path(file).filename().string()),
        window_(h.last.empty() ? "../" + snapshot : NextDay(h.last) + "/" + snapshot),
        out_(out),
        w_(m, view, h, &out->batch),
        resolver_(view, h.own, m) {}

  Status Read(const std::vector<ofac::Row>& rows);
  // The source record, counts and notes; after Read.
  void Describe(const std::string& slug, const std::string& snapshot);

 private:
  void AssignSlugs();
  void DraftEntry(size_t i);
  void Designations(size_t i);
  void Countries(size_t i);
  void LinkedTo(size_t i);
  std::string LinkTarget(size_t i, const std::string& name);

  const Mapping& m_;
  const StoreView& view_;
  History& h_;
  const std::string& text_;
  std::string file_, base_, window_, authority_;
  SdnReading* out_;
  ofac::SnapshotWriter w_;
  ofac::Resolver resolver_;
  ofac::Anomalies anomalies_;
  std::vector<Entry> entries_;
  std::vector<std::string> slugs_;
  void SameAs(const Entry& e, NodeDraft* d);
  std::unordered_map<std::string, std::vector<size_t>> by_name_;  // this snapshot's names
  std::unordered_map<std::string, std::vector<std::string>> held_by_name_;
};

Status SnapshotReader::Read(const std::vector<ofac::Row>& rows) {
  const json& auth = m_.authority;
  authority_ = auth["slug"];
  w_.Need(authority_, auth["type"], auth["name"], auth.value("aliases", std::vector<std::string>{}),
          json::object());
  entries_.reserve(rows.size());
  std::map<int64_t, std::set<std::string>> listed;
  std::set<int64_t> present;
  for (const ofac::Row& r : rows) {
    entries_.push_back(ofac::ReadEntry(r, m_, &anomalies_));
    listed[r.ent_num].insert(entries_.back().codes.begin(), entries_.back().codes.end());
    present.insert(r.ent_num);
  }
  SINEW_RETURN_IF_ERROR(ofac::LoadEvidence(view_, listed, &h_));
  AssignSlugs();
  for (size_t i = 0; i < entries_.size(); ++i) by_name_[entries_[i].row->name].push_back(i);
  for (const auto& [num, held] : h_.entries)
    held_by_name_[held.claim.props.value("sdn_name", "")].push_back(held.slug);
  for (size_t i = 0; i < entries_.size(); ++i) {
    Designations(i);  // before the draft takes the entry's props
    Countries(i);
    LinkedTo(i);
    DraftEntry(i);
  }
  out_->delisted = ofac::CarryOver(h_, present, window_, authority_, view_, &w_);
  out_->entries = static_cast<int>(entries_.size());
  out_->reported = anomalies_.by_kind;
  return Status::Ok();
}

// Entries seen before keep their node; new ones are matched to the store's.
void SnapshotReader::AssignSlugs() {
  slugs_.resize(entries_.size());
  std::set<std::string> taken;
  for (const auto& [num, held] : h_.entries) taken.insert(held.slug);
  for (size_t i = 0; i < entries_.size(); ++i) {
    Entry& e = entries_[i];
    std::string id = std::to_string(e.row->ent_num);
    if (auto it = h_.entries.find(e.row->ent_num); it != h_.entries.end()) {
      slugs_[i] = it->second.slug;
      e.type = it->second.type;
      continue;
    }
    slugs_[i] = "ofac-sdn-" + id;
    std::string ambiguous;
    std::string found = resolver_.Resolve(e, &ambiguous);
    if (!found.empty() && !taken.insert(found).second) {
      ambiguous = found + " (already another entry's)";
      found.clear();
    }
    Result<NodeRecord> n = Status::NotFound("");
    if (!found.empty()) n = view_.NodeBySlug(found);
    if (n.ok()) {
      slugs_[i] = found;
      e.type = n->type;  // company and organisation meet; the store's type stays
      ++out_->resolved;
      anomalies_.Add("resolved to existing nodes", "ent_num " + id + " -> " + found);
    } else if (!ambiguous.empty()) {
      anomalies_.Add(kAmbiguous, "ent_num " + id + " " + e.name + " ~ " + ambiguous);
    }
  }
}

void SnapshotReader::DraftEntry(size_t i) {
  Entry& e = entries_[i];
  const ofac::Row& r = *e.row;
  auto held = h_.entries.find(r.ent_num);
  bool fresh = held == h_.entries.end() || !held->second.listed;
  if (fresh) ++out_->designated;
  if (held != h_.entries.end() && !held->second.listed)
    anomalies_.Add("listed again after a delisting", "ent_num " + std::to_string(r.ent_num));
  // An amendment (another name or programme set) is kept in the claim's
  // props with its window, after the earlier ones.
  json amendments = json::array();
  if (held != h_.entries.end()) {
    const json& before = held->second.claim.props;
    if (auto a = before.find("amendments"); a != before.end() && a->is_array()) amendments = *a;
    json change = {{"window", window_}};
    if (!fresh && before.value("sdn_name", "") != r.name)
      change["name"] = {before.value("sdn_name", ""), r.name};
    if (!fresh && before.value("programs", json::array()) != json(e.codes))
      change["programs"] = {before.value("programs", json::array()), e.codes};
    if (change.size() > 1) {
      ++out_->amended;
      amendments.push_back(std::move(change));
    }
  }
  NodeDraft d;
  d.place = SourcePlace{file_, r.line, 0, ""};
  d.slug = slugs_[i];
  d.type = e.type;
  d.name = e.name;
  d.aliases = e.aliases;
  d.props = std::move(e.props);
  d.props["first_listed"] =
      held != h_.entries.end() && held->second.claim.props.contains("first_listed")
          ? held->second.claim.props["first_listed"]
          : json(window_);
  if (!amendments.empty()) d.props["amendments"] = std::move(amendments);
  SameAs(e, &d);
  w_.Node(std::move(d));
}

// An entry on a node of its own that the store's nodes may also name: a
// proposed same-as claim per candidate (the review queue's merges; accepting
// one merges the two), quoting the entry's name on its line.
void SnapshotReader::SameAs(const Entry& e, NodeDraft* d) {
  if (d->slug.rfind("ofac-sdn-", 0) != 0) return;
  std::string ambiguous;
  std::string found = resolver_.Resolve(e, &ambiguous);
  std::set<std::string> candidates;
  if (!found.empty()) candidates.insert(found);
  for (size_t at = 0; at < ambiguous.size();) {
    size_t end = ambiguous.find(", ", at);
    std::string item = ambiguous.substr(at, end == std::string::npos ? end : end - at);
    candidates.insert(item.substr(0, item.find(' ')));
    at = end == std::string::npos ? ambiguous.size() : end + 2;
  }
  const ofac::Row& r = *e.row;
  std::string line = text_.substr(r.offset, r.length);
  size_t name_at = line.find(r.name);
  for (const std::string& slug : candidates) {
    if (slug == d->slug || slug.rfind("ofac-sdn-", 0) == 0) continue;
    Locator loc{base_, r.line, "ent_num " + std::to_string(r.ent_num), -1, -1};
    if (name_at != std::string::npos) {
      loc.start = static_cast<int64_t>(r.offset + name_at);
      loc.end = loc.start + static_cast<int64_t>(r.name.size());
    }
    EvidenceDraft ev = ofac::ListEvidence("same-as:" + slug, r.name, loc, file_);
    ev.status = EvidenceStatus::kProposed;
    ev.basis =
        "entity resolution could not settle it: the entry's name, an alias or an "
        "identifier meets " +
        (ambiguous.empty() ? slug : ambiguous) + "; accepting merges the entry into " + slug;
    d->evidence.push_back(std::move(ev));
  }
}

// ofac -sanctions-> entry and programme -targets-> entry, one record per
// (entry, programme) and listing window, quoting the entry's line; valid from
// the window the listing began in. A listing after a closed one (a relisting,
// a programme regained) is a new key: the closed one is carried as it was.
void SnapshotReader::Designations(size_t i) {
  const Entry& e = entries_[i];
  const ofac::Row& r = *e.row;
  std::string id = std::to_string(r.ent_num);
  Locator loc{base_, r.line, "ent_num " + id, static_cast<int64_t>(r.offset),
              static_cast<int64_t>(r.offset + r.length)};
  std::string line = text_.substr(r.offset, r.length);
  for (const std::string& code : e.codes) {
    std::string prog = w_.Programme(code);
    std::pair<std::string, std::string> keys[] = {{"designation:" + id + ":" + code, authority_},
                                                  {"programme:" + code + ":" + id, prog}};
    for (const auto& [base, src] : keys) {
      std::string key = base;
      std::string valid_from = window_;
      if (auto open = h_.open_key.find(base); open != h_.open_key.end()) {
        key = open->second;
        valid_from = h_.valid_from.at(key);
      } else if (h_.valid_from.count(key)) {
        key = base + "@" + window_.substr(0, window_.find('/'));
      }
      EvidenceDraft ev = ofac::ListEvidence(key, line, loc, file_);
      ev.valid_from = valid_from;
      w_.Link(src, src == authority_ ? "sanctions" : "targets", slugs_[i], "finance",
              std::move(ev));
    }
  }
}

// Countries named as nationality, citizenship, registration or flag.
void SnapshotReader::Countries(size_t i) {
  const Entry& e = entries_[i];
  std::string id = std::to_string(e.row->ent_num);
  std::set<std::string> keys;
  for (const ofac::CountryRef& c : e.countries) {
    auto it = m_.countries.find(c.country);
    if (it == m_.countries.end()) {
      anomalies_.Add(m_.not_countries.count(c.country) ? "not a country (kept as a prop)"
                                                       : "unmapped countries",
                     c.country);
      continue;
    }
    if (!w_.Exists(it->second)) {
      anomalies_.Add("countries the store lacks", c.country + " -> " + it->second);
      continue;
    }
    std::string key = "country:" + id + ":" + c.role + ":" + it->second;
    if (!keys.insert(key).second) continue;
    Locator loc{base_, e.row->line, "ent_num " + id, static_cast<int64_t>(c.part.offset),
                static_cast<int64_t>(c.part.offset + c.part.text.size())};
    w_.Link(slugs_[i], "located_in", it->second, "politics",
            ofac::ListEvidence(key, c.part.text, loc, file_));
  }
}

void SnapshotReader::LinkedTo(size_t i) {
  const Entry& e = entries_[i];
  std::string id = std::to_string(e.row->ent_num);
  std::set<std::string> keys;
  for (const ofac::LinkRef& l : e.links) {
    if (l.target.empty()) continue;
    std::string target = LinkTarget(i, l.target);
    if (target.empty() || target == slugs_[i]) continue;
    std::string key = "linked:" + id + ":" + NormalizeName(l.target);
    if (!keys.insert(key).second) continue;
    Locator loc{base_, e.row->line, "ent_num " + id, static_cast<int64_t>(l.part.offset),
                static_cast<int64_t>(l.part.offset + l.part.text.size())};
    w_.Link(slugs_[i], "related_to", target, "finance",
            ofac::ListEvidence(key, l.part.text, loc, file_));
  }
}

// The entry of this snapshot of that exact name (of two, the one sharing a
// programme), else the one of an earlier snapshot, else the one store node;
// empty (and reported) when none or several.
std::string SnapshotReader::LinkTarget(size_t i, const std::string& name) {
  std::string id = std::to_string(entries_[i].row->ent_num);
  auto hit = FindName(by_name_, name);
  std::vector<size_t> cand = hit == by_name_.end() ? std::vector<size_t>{} : hit->second;
  if (cand.size() > 1) {
    std::vector<size_t> shared;
    for (size_t k : cand) {
      const auto& theirs = entries_[k].codes;
      for (const std::string& c : entries_[i].codes)
        if (std::find(theirs.begin(), theirs.end(), c) != theirs.end()) {
          shared.push_back(k);
          break;
        }
    }
    if (shared.size() == 1) cand = shared;
  }
  if (cand.size() == 1) return slugs_[cand[0]];
  if (cand.size() > 1) {
    anomalies_.Add("ambiguous Linked To", "ent_num " + id + ": " + name + " (" +
                                              std::to_string(cand.size()) + " entries)");
    return "";
  }
  if (auto held = FindName(held_by_name_, name);
      held != held_by_name_.end() && held->second.size() == 1)
    return held->second.front();
  std::string found = resolver_.ResolveName(name);
  if (found.empty() && name.back() == '.')
    found = resolver_.ResolveName(name.substr(0, name.size() - 1));
  if (found.empty()) anomalies_.Add("unresolved Linked To", "ent_num " + id + ": " + name);
  return found;
}

// The source: this snapshot's text, so every quote verifies by offsets.
void SnapshotReader::Describe(const std::string& slug, const std::string& snapshot) {
  Batch& b = out_->batch;
  SourceRecord& s = b.source;
  s.slug = slug;
  s.title = m_.source.value("title", "");
  s.publisher = m_.source.value("publisher", "");
  s.kind = m_.source.value("kind", "dataset");
  s.reliability = m_.source.value("reliability", "A");
  s.url = m_.source.value("url", "");
  s.published = snapshot;
  s.text = text_;
  s.content_hash = ContentHash(text_);
  json ingested = h_.ingested;
  ingested.push_back(snapshot);
  s.props = {{"snapshot", snapshot},
             {"snapshots_ingested", ingested},
             {"licence", m_.source.value("licence", "")},
             {"file", base_},
             {"file_sha256", s.content_hash}};
  b.source_place = SourcePlace{file_, 0, 0, ""};
  b.content_hash = s.content_hash;
  b.force = true;
  b.counts = {{"entries", out_->entries},
              {"designated", out_->designated},
              {"delisted", out_->delisted},
              {"amended", out_->amended},
              {"resolved", out_->resolved},
              {"nodes", static_cast<int>(b.nodes.size())},
              {"links", static_cast<int>(b.edges.size())}};
  for (const auto& [kind, items] : anomalies_.by_kind) {
    std::string note = kind + ": " + std::to_string(items.size()) + " (";
    int shown = 0;
    for (const auto& [item, n] : items) {
      if (shown++ == 5) {
        note += ", ...";
        break;
      }
      note += (shown == 1 ? "" : ", ") + item;
    }
    b.notes.push_back(note + ")");
  }
  if (anomalies_.by_kind.count(kAmbiguous))
    b.notes.push_back(
        "ambiguous matches stay separate nodes, each with a proposed same-as claim: "
        "review list --kind merge");
}

Result<SdnReading> ReadSnapshot(std::string_view bytes, const std::string& file,
                                const std::string& snapshot, std::string_view mapping_text,
                                const std::string& mapping_file, const StoreView& view) {
  SourcePlace place{file, 0, 0, ""};
  Result<FuzzyDate> day = ParseDate(snapshot);
  if (!day.ok() || day->lo != day->hi || snapshot.size() != 10)
    return Status::Invalid("--snapshot '" + Excerpt(snapshot, 40) + "' is not a day (YYYY-MM-DD)",
                           place);
  Result<Mapping> mapping = ofac::ParseMapping(mapping_text, mapping_file);
  if (!mapping.ok()) return mapping.status();
  for (const char* t : {"vessel", "aircraft", "person", "company", "organisation", "policy"})
    if (!view.schema().HasNodeType(t))
      return Status::Invalid(std::string("this store's schema has no '") + t +
                                 "' node type (it was created before schema version 3): "
                                 "create a new store with `sinew init` and ingest into it",
                             place);
  std::string slug = mapping->source.value("slug", "ofac-sdn");
  Result<History> history = ofac::LoadHistory(view, slug);
  if (!history.ok()) return history.status();
  if (!history->last.empty() && snapshot <= history->last)
    return Status::Invalid(
        slug + " already holds " + history->last + "; snapshots must be ingested in date order",
        place);
  Result<std::string> text = ofac::Gunzip(bytes, file);
  if (!text.ok()) return text.status();
  Result<std::vector<ofac::Row>> rows = ofac::ParseSdnCsv(text.value(), file);
  if (!rows.ok()) return rows.status();
  SdnReading out;
  out.snapshot = snapshot;
  out.previous = history->last;
  out.batch.file = file;
  SnapshotReader reader(mapping.value(), view, history.value(), text.value(), file, snapshot, &out);
  SINEW_RETURN_IF_ERROR(reader.Read(rows.value()));
  reader.Describe(slug, snapshot);
  return out;
}

}  // namespace

Result<SdnReading> ReadOfacSdn(std::string_view bytes, const std::string& file,
                               const std::string& snapshot, std::string_view mapping_text,
                               const std::string& mapping_file, const StoreView& view) {
  // A mapping of the right shape may still hold values of the wrong type
  // deep inside; nlohmann's exceptions stop here.
  try {
    return ReadSnapshot(bytes, file, snapshot, mapping_text, mapping_file, view);
  } catch (const nlohmann::json::exception& e) {
    return Status::Invalid(std::string("OFAC mapping or list: ") + e.what(),
                           SourcePlace{mapping_file, 0, 0, ""});
  }
}

}  // namespace sinew::ingest
