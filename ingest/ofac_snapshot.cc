// One snapshot of the SDN list as a revision of the source `ofac-sdn`: the
// entries compared with what the store holds from the earlier snapshots
// (designated, delisted, amended), every entry ever seen re-asserted so the
// list's history stays in the current view, and the batch written.
#include <algorithm>
#include <filesystem>

#include "ingest/common.h"
#include "ingest/ingest.h"
#include "ingest/ofac_reader.h"

namespace sinew::ingest {
namespace {

using nlohmann::json;
using ofac::Entry;
using ofac::Mapping;

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
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// What the store holds of one entry from the earlier snapshots.
struct Held {
  std::string slug, type;
  NodeClaim claim;
  bool listed = true;  // in the last snapshot
};

// The earlier snapshots as the store holds them: the entries (by ent_num),
// the evidence by key, and the other nodes this source claims.
struct History {
  SourceId own = 0;
  std::string last;  // the last snapshot's date; "" when none
  json ingested = json::array();
  std::map<int64_t, Held> entries;
  std::map<std::string, EvidenceRecord> evidence;
  std::set<std::string> own_nodes;
};

Result<History> LoadHistory(const StoreView& view, const std::string& slug) {
  History h;
  Result<SourceRecord> src = view.SourceBySlug(slug, false);
  if (!src.ok()) {
    if (src.status().code() == Status::Code::kNotFound) return h;
    return src.status();
  }
  h.own = src->id;
  h.last = src->props.value("snapshot", "");
  h.ingested = src->props.value("snapshots_ingested", json::array());
  SINEW_RETURN_IF_ERROR(view.ForEachNode([&](const NodeRecord& n) {
    auto c = n.claims.find(h.own);
    if (c == n.claims.end()) return true;
    h.own_nodes.insert(n.slug);
    auto num = c->second.props.find("ofac_ent_num");
    if (num == c->second.props.end() || !num->is_number_integer()) return true;
    Held held{n.slug, n.type, c->second, !c->second.props.contains("delisted")};
    h.entries[num->get<int64_t>()] = std::move(held);
    return true;
  }));
  SINEW_RETURN_IF_ERROR(view.ForEachEvidence([&](const EvidenceRecord& e) {
    if (e.source == h.own) h.evidence[e.key] = e;
    return true;
  }));
  return h;
}

// Builds the batch: nodes declared once, links merged by endpoints.
class SnapshotWriter {
 public:
  SnapshotWriter(const Mapping& m, const StoreView& view, const History& h, Batch* b)
      : m_(m), view_(view), h_(h), b_(b) {}

  bool Exists(const std::string& slug) {
    auto it = exists_.find(slug);
    if (it != exists_.end()) return it->second;
    return exists_[slug] = view_.NodeBySlug(slug).ok();
  }
  // A node the list needs (the authority, a programme): declared when the
  // store lacks it or this source declared it before; else the store's.
  void Need(const std::string& slug, const std::string& type, const std::string& name,
            std::vector<std::string> aliases, json props) {
    if (declared_.count(slug) || (Exists(slug) && !h_.own_nodes.count(slug))) return;
    declared_.insert(slug);
    NodeDraft d;
    d.place.file = b_->file;
    d.slug = slug;
    d.type = type;
    d.name = name;
    d.aliases = std::move(aliases);
    d.props = std::move(props);
    b_->nodes.push_back(std::move(d));
  }
  void Node(NodeDraft d) {
    declared_.insert(d.slug);
    b_->nodes.push_back(std::move(d));
  }
  bool Declared(const std::string& slug) const { return declared_.count(slug) > 0; }
  void Link(const std::string& src, const std::string& type, const std::string& dst,
            const std::string& domain, EvidenceDraft e) {
    std::string k = src + "\n" + type + "\n" + dst + "\n" + domain;
    auto [it, fresh] = links_.emplace(k, b_->edges.size());
    if (fresh) {
      EdgeDraft d;
      d.place = e.place;
      d.src = src;
      d.type = type;
      d.dst = dst;
      d.domain = domain;
      b_->edges.push_back(std::move(d));
    }
    b_->edges[it->second].evidence.push_back(std::move(e));
  }
  // The slug of a programme's node, declaring it (unknown codes too: kept
  // under their own code, reported elsewhere).
  std::string Programme(const std::string& code) {
    auto it = m_.programmes.find(code);
    if (it != m_.programmes.end()) {
      std::vector<std::string> aliases = {it->second.code};
      for (const auto& [c, p] : m_.programmes)
        if (p.slug == it->second.slug && c != it->second.code) aliases.push_back(c);
      Need(it->second.slug, "policy", it->second.name, aliases, {{"ofac_program", code}});
      return it->second.slug;
    }
    std::string slug = "ofac-program-" + Slugify(code);
    Need(slug, "policy", code, {}, {{"ofac_program", code}, {"unknown_programme", true}});
    return slug;
  }

 private:
  const Mapping& m_;
  const StoreView& view_;
  const History& h_;
  Batch* b_;
  std::map<std::string, bool> exists_;
  std::set<std::string> declared_;
  std::unordered_map<std::string, size_t> links_;
};

EvidenceDraft Designation(const std::string& key, const std::string& quote, Locator loc,
                          const std::string& file) {
  EvidenceDraft e;
  e.place.file = file;
  e.place.line = loc.paragraph;
  e.key = key;
  e.quote = quote;
  e.locator = std::move(loc);
  e.modality = Modality::kObserved;
  e.reliability = "A";
  e.credibility = 1;
  return e;
}

// The ent_num a stored key is about ("designation:17013:RUSSIA-EO14024",
// "programme:RUSSIA-EO14024:17013", "linked:17013:...", "country:17013:...").
int64_t EntOfKey(const std::string& key, std::string* kind, std::string* code) {
  size_t a = key.find(':');
  if (a == std::string::npos) return -1;
  *kind = key.substr(0, a);
  size_t b = key.find(':', a + 1);
  std::string first = key.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  std::string rest = b == std::string::npos ? "" : key.substr(b + 1);
  if (*kind == "programme") {
    size_t c = key.rfind(':');
    *code = key.substr(a + 1, c - a - 1);
    first = key.substr(c + 1);
  } else {
    *code = rest;
  }
  if (first.empty() || first.size() > 12 || !std::all_of(first.begin(), first.end(), ::isdigit))
    return -1;
  return std::stoll(first);
}

}  // namespace

Result<SdnReading> ReadOfacSdn(std::string_view bytes, const std::string& file,
                               const std::string& snapshot, std::string_view mapping_text,
                               const std::string& mapping_file, const StoreView& view) {
  SourcePlace place{file, 0, 0, ""};
  if (Result<FuzzyDate> d = ParseDate(snapshot); !d.ok() || d->lo != d->hi || snapshot.size() != 10)
    return Status::Invalid("--snapshot '" + Excerpt(snapshot, 40) + "' is not a day (YYYY-MM-DD)",
                           place);
  Result<Mapping> mapping = ofac::ParseMapping(mapping_text, mapping_file);
  if (!mapping.ok()) return mapping.status();
  const Mapping& m = mapping.value();
  for (const char* t : {"vessel", "aircraft", "person", "company", "organisation", "policy"})
    if (!view.schema().HasNodeType(t))
      return Status::Invalid(std::string("this store's schema has no '") + t +
                                 "' node type (it was created before schema version 3): "
                                 "create a new store with `sinew init` and ingest into it",
                             place);
  std::string slug = m.source.value("slug", "ofac-sdn");
  Result<History> history = LoadHistory(view, slug);
  if (!history.ok()) return history.status();
  const History& h = history.value();
  if (!h.last.empty() && snapshot <= h.last)
    return Status::Invalid(
        slug + " already holds " + h.last + "; snapshots must be ingested in date order", place);
  Result<std::string> text_read = ofac::Gunzip(bytes, file);
  if (!text_read.ok()) return text_read.status();
  const std::string& text = text_read.value();
  Result<std::vector<ofac::Row>> rows = ofac::ParseSdnCsv(text, file);
  if (!rows.ok()) return rows.status();

  SdnReading out;
  out.snapshot = snapshot;
  out.previous = h.last;
  Batch& b = out.batch;
  b.file = file;
  std::string base = std::filesystem::path(file).filename().string();
  std::string window = h.last.empty() ? "../" + snapshot : NextDay(h.last) + "/" + snapshot;
  ofac::Anomalies anomalies;
  SnapshotWriter w(m, view, h, &b);
  const json& auth = m.authority;
  std::vector<std::string> auth_aliases = auth.value("aliases", std::vector<std::string>{});
  w.Need(auth["slug"], auth["type"], auth["name"], auth_aliases, json::object());
  const std::string authority = auth["slug"];

  // Entries: read, typed, and matched to the store or their earlier node.
  std::vector<Entry> entries;
  entries.reserve(rows->size());
  for (const ofac::Row& r : rows.value()) entries.push_back(ofac::ReadEntry(r, m, &anomalies));
  ofac::Resolver resolver(view, h.own, m);
  std::vector<std::string> slugs(entries.size());
  std::set<std::string> taken;
  for (const auto& [num, held] : h.entries) taken.insert(held.slug);
  for (size_t i = 0; i < entries.size(); ++i) {
    Entry& e = entries[i];
    std::string id = std::to_string(e.row->ent_num);
    if (auto it = h.entries.find(e.row->ent_num); it != h.entries.end()) {
      slugs[i] = it->second.slug;
      e.type = it->second.type;
      continue;
    }
    std::string ambiguous;
    std::string found = resolver.Resolve(e, &ambiguous);
    if (!found.empty() && taken.insert(found).second) {
      Result<NodeRecord> n = view.NodeBySlug(found);
      if (n.ok()) {
        slugs[i] = found;
        e.type = n->type;
        ++out.resolved;
        anomalies.Add("resolved to existing nodes", "ent_num " + id + " -> " + found);
        continue;
      }
    } else if (!found.empty()) {
      ambiguous = found + " (already another entry's)";
    }
    if (!ambiguous.empty())
      anomalies.Add("ambiguous matches kept separate (review: proposed merge)",
                    "ent_num " + id + " " + e.name + " ~ " + ambiguous);
    slugs[i] = "ofac-sdn-" + id;
  }

  // Names for Linked To: every entry's name as written.
  std::unordered_map<std::string, std::vector<size_t>> by_name;
  for (size_t i = 0; i < entries.size(); ++i) by_name[entries[i].row->name].push_back(i);
  // Entries of earlier snapshots, by name: a Linked To may name one since
  // delisted.
  std::unordered_map<std::string, std::vector<std::string>> held_by_name;
  for (const auto& [num, held] : h.entries)
    held_by_name[held.claim.props.value("sdn_name", "")].push_back(held.slug);
  auto earlier = [&](const std::string& t) -> std::string {
    for (const std::string& n : {t, t + ".", t.substr(0, t.size() - (t.back() == '.'))})
      if (auto it = held_by_name.find(n); it != held_by_name.end() && it->second.size() == 1)
        return it->second.front();
    return "";
  };
  std::set<int64_t> present;
  for (size_t i = 0; i < entries.size(); ++i) {
    Entry& e = entries[i];
    const ofac::Row& r = *e.row;
    std::string id = std::to_string(r.ent_num);
    present.insert(r.ent_num);
    auto held = h.entries.find(r.ent_num);
    bool is_new = held == h.entries.end() || !held->second.listed;
    if (is_new) ++out.designated;
    if (held != h.entries.end() && !held->second.listed)
      anomalies.Add("listed again after a delisting", "ent_num " + id);
    if (!is_new) {
      const json& before = held->second.claim.props;
      if (before.value("sdn_name", "") != r.name ||
          before.value("programs", json::array()) != json(e.codes))
        ++out.amended;
    }
    NodeDraft d;
    d.place = SourcePlace{file, r.line, 0, ""};
    d.slug = slugs[i];
    d.type = e.type;
    d.name = e.name;
    d.aliases = e.aliases;
    d.props = std::move(e.props);
    if (held != h.entries.end() && held->second.claim.props.contains("first_listed"))
      d.props["first_listed"] = held->second.claim.props["first_listed"];
    else
      d.props["first_listed"] = window;
    w.Node(std::move(d));
    Locator loc{base, r.line, "ent_num " + id, static_cast<int64_t>(r.offset),
                static_cast<int64_t>(r.offset + r.length)};
    std::string line = text.substr(r.offset, r.length);
    for (const std::string& code : e.codes) {
      std::string prog = w.Programme(code);
      for (const auto& [key, src, dst, type] :
           {std::tuple<std::string, std::string, std::string, std::string>{
                "designation:" + id + ":" + code, authority, slugs[i], "sanctions"},
            {"programme:" + code + ":" + id, prog, slugs[i], "targets"}}) {
        EvidenceDraft ev = Designation(key, line, loc, file);
        auto before = h.evidence.find(key);
        ev.valid_from = before != h.evidence.end() ? before->second.valid_from
                        : h.last.empty()           ? "../" + snapshot
                                                   : window;
        w.Link(src, type, dst, "finance", std::move(ev));
      }
    }
    // Countries named as nationality, citizenship, registration or flag.
    std::set<std::string> country_keys;
    for (const ofac::CountryRef& c : e.countries) {
      auto it = m.countries.find(c.country);
      if (it == m.countries.end()) {
        anomalies.Add(m.not_countries.count(c.country) ? "not a country (kept as a prop)"
                                                       : "unmapped countries",
                      c.country);
        continue;
      }
      if (!w.Exists(it->second)) {
        anomalies.Add("countries the store lacks", c.country + " -> " + it->second);
        continue;
      }
      std::string key = "country:" + id + ":" + c.role + ":" + it->second;
      if (!country_keys.insert(key).second) continue;
      Locator cl{base, r.line, "ent_num " + id, static_cast<int64_t>(c.part.offset),
                 static_cast<int64_t>(c.part.offset + c.part.text.size())};
      EvidenceDraft ev = Designation(key, c.part.text, cl, file);
      w.Link(slugs[i], "located_in", it->second, "politics", std::move(ev));
    }
    // Linked To: an entry of this snapshot by its exact name (with or
    // without the closing '.'), else one node of the store.
    std::set<std::string> link_keys;
    for (const ofac::LinkRef& l : e.links) {
      // As written, then with or without the closing '.' (which the last
      // remark part loses to the list's full stop, and names may have).
      std::string t = l.target;
      if (t.empty()) continue;
      auto hit = by_name.find(t);
      if (hit == by_name.end()) hit = by_name.find(t + ".");
      if (hit == by_name.end() && !t.empty() && t.back() == '.')
        hit = by_name.find(t.substr(0, t.size() - 1));
      std::vector<size_t> cand = hit == by_name.end() ? std::vector<size_t>{} : hit->second;
      if (cand.size() > 1) {
        std::vector<size_t> shared;
        for (size_t k : cand)
          for (const std::string& c : entries[k].codes)
            if (std::find(e.codes.begin(), e.codes.end(), c) != e.codes.end()) {
              shared.push_back(k);
              break;
            }
        if (shared.size() == 1) cand = shared;
      }
      std::string target;
      if (cand.size() == 1) {
        target = slugs[cand[0]];
      } else if (cand.empty()) {
        target = earlier(t);
        if (target.empty()) target = resolver.ResolveName(t);
        if (target.empty() && t.back() == '.')
          target = resolver.ResolveName(t.substr(0, t.size() - 1));
        if (target.empty()) {
          anomalies.Add("unresolved Linked To", "ent_num " + id + ": " + t);
          continue;
        }
      } else {
        anomalies.Add("ambiguous Linked To", "ent_num " + id + ": " + t + " (" +
                                                 std::to_string(cand.size()) + " entries)");
        continue;
      }
      if (target == slugs[i]) continue;
      std::string key = "linked:" + id + ":" + NormalizeName(t);
      if (!link_keys.insert(key).second) continue;
      Locator ll{base, r.line, "ent_num " + id, static_cast<int64_t>(l.part.offset),
                 static_cast<int64_t>(l.part.offset + l.part.text.size())};
      w.Link(slugs[i], "related_to", target, "finance", Designation(key, l.part.text, ll, file));
    }
  }

  // Entries of earlier snapshots not in this one: their node claims and
  // evidence re-asserted, designations closed within this window.
  for (const auto& [num, held] : h.entries) {
    if (present.count(num)) continue;
    if (held.listed) ++out.delisted;
    if (w.Declared(held.slug)) continue;
    NodeDraft d;
    d.place.file = file;
    d.slug = held.slug;
    d.type = held.type;
    d.name = held.claim.name;
    d.aliases = held.claim.aliases;
    d.props = held.claim.props;
    if (held.listed) d.props["delisted"] = window;
    w.Node(std::move(d));
  }
  std::map<int64_t, std::set<std::string>> codes_now;
  for (size_t i = 0; i < entries.size(); ++i)
    codes_now[entries[i].row->ent_num].insert(entries[i].codes.begin(), entries[i].codes.end());
  for (const auto& [key, rec] : h.evidence) {
    std::string kind, code;
    int64_t num = EntOfKey(key, &kind, &code);
    auto held = h.entries.find(num);
    if (num < 0 || held == h.entries.end()) continue;
    bool designation = kind == "designation" || kind == "programme";
    bool gone = !present.count(num) || (designation && !codes_now[num].count(code));
    if (!gone) continue;
    EvidenceDraft ev = Designation(key, rec.quote, rec.locator, file);
    ev.place.line = 0;
    // The quote is an earlier snapshot's (its file in the locator), not
    // this text's: no offsets into it.
    ev.locator.start = ev.locator.end = -1;
    ev.paraphrase = rec.paraphrase;
    ev.valid_from = rec.valid_from;
    ev.valid_to = rec.valid_to;
    if (designation) {
      if (ev.valid_to.empty()) ev.valid_to = window;
      if (kind == "designation")
        w.Link(authority, "sanctions", held->second.slug, "finance", std::move(ev));
      else
        w.Link(w.Programme(code), "targets", held->second.slug, "finance", std::move(ev));
      continue;
    }
    if (!present.count(num) && rec.target_kind == TargetKind::kEdge) {
      Result<EdgeRecord> edge = view.EdgeById(rec.target);
      if (!edge.ok()) continue;
      Result<NodeRecord> src = view.NodeById(edge->src), dst = view.NodeById(edge->dst);
      if (src.ok() && dst.ok())
        w.Link(src->slug, edge->type, dst->slug, edge->domain, std::move(ev));
    }
  }

  // The source: this snapshot's text, so every quote verifies by offsets.
  SourceRecord& s = b.source;
  s.slug = slug;
  s.title = m.source.value("title", "");
  s.publisher = m.source.value("publisher", "");
  s.kind = m.source.value("kind", "dataset");
  s.reliability = m.source.value("reliability", "A");
  s.url = m.source.value("url", "");
  s.published = snapshot;
  s.text = text;
  s.content_hash = ContentHash(text);
  json ingested = h.ingested;
  ingested.push_back(snapshot);
  s.props = {{"snapshot", snapshot},
             {"snapshots_ingested", ingested},
             {"licence", m.source.value("licence", "")},
             {"file", base},
             {"file_sha256", s.content_hash}};
  b.source_place = place;
  b.content_hash = s.content_hash;
  b.force = true;
  out.entries = static_cast<int>(entries.size());
  b.counts = {{"entries", out.entries},
              {"designated", out.designated},
              {"delisted", out.delisted},
              {"amended", out.amended},
              {"resolved", out.resolved},
              {"nodes", static_cast<int>(b.nodes.size())},
              {"links", static_cast<int>(b.edges.size())}};
  out.reported = anomalies.by_kind;
  for (const auto& [kind, items] : anomalies.by_kind) {
    std::string note = kind + ": " + std::to_string(items.size());
    int shown = 0;
    for (const auto& [item, n] : items) {
      if (shown++ == 5) {
        note += ", ...";
        break;
      }
      note += (shown == 1 ? " (" : ", ") + item;
    }
    b.notes.push_back(note + (items.empty() ? "" : ")"));
  }
  if (!anomalies.by_kind.count("ambiguous matches kept separate (review: proposed merge)"))
    return out;
  b.notes.push_back(
      "ambiguous matches stay separate nodes; a proposed-merge review item is not made yet");
  return out;
}

}  // namespace sinew::ingest
