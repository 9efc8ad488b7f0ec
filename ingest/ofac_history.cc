// The earlier snapshots of a list as the store holds them, and what a new
// snapshot asserts again of them: nothing the list once said disappears
// from the current view, delistings close the designation's validity.
#include "ingest/ofac_history.h"

#include <algorithm>
#include <cctype>

#include "ingest/common.h"

namespace sinew::ingest::ofac {

using nlohmann::json;

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
  return h;
}

Status LoadEvidence(const StoreView& view, const std::map<int64_t, std::set<std::string>>& listed,
                    History* h) {
  if (h->own == 0) return Status::Ok();
  return view.ForEachEvidence([&](const EvidenceRecord& e) {
    if (e.source != h->own) return true;
    std::string kind, code;
    int64_t num = EntOfKey(e.key, &kind, &code);
    bool designation = kind == "designation" || kind == "programme";
    bool closed = designation && !e.valid_to.empty();
    if (designation) {
      h->valid_from[e.key] = e.valid_from;
      if (!closed) h->open_key[KeyOfWindow(e.key)] = e.key;
    }
    auto now = listed.find(num);
    if (num >= 0 && h->entries.count(num) &&
        (closed || now == listed.end() || (designation && !now->second.count(code))))
      h->carried.push_back(e);
    return true;
  });
}

std::string KeyOfWindow(const std::string& key) {
  // Only a trailing "@YYYY-MM-DD" is a window's: a programme code may hold
  // an '@' of its own.
  size_t at = key.size() >= 11 ? key.size() - 11 : std::string::npos;
  if (at == std::string::npos || key[at] != '@') return key;
  for (size_t i = at + 1; i < key.size(); ++i)
    if (!(std::isdigit(static_cast<unsigned char>(key[i])) ||
          (key[i] == '-' && (i == at + 5 || i == at + 8))))
      return key;
  return key.substr(0, at);
}

int64_t EntOfKey(const std::string& full, std::string* kind, std::string* code) {
  std::string key = KeyOfWindow(full);
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

EvidenceDraft ListEvidence(const std::string& key, const std::string& quote, Locator loc,
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

bool SnapshotWriter::Exists(const std::string& slug) {
  auto it = exists_.find(slug);
  if (it != exists_.end()) return it->second;
  return exists_[slug] = view_.NodeBySlug(slug).ok();
}

void SnapshotWriter::Need(const std::string& slug, const std::string& type, const std::string& name,
                          std::vector<std::string> aliases, json props) {
  if (declared_.count(slug) || (Exists(slug) && !h_.own_nodes.count(slug))) return;
  NodeDraft d;
  d.place.file = b_->file;
  d.slug = slug;
  d.type = type;
  d.name = name;
  d.aliases = std::move(aliases);
  d.props = std::move(props);
  Node(std::move(d));
}

void SnapshotWriter::Node(NodeDraft d) {
  declared_.insert(d.slug);
  b_->nodes.push_back(std::move(d));
}

void SnapshotWriter::Link(const std::string& src, const std::string& type, const std::string& dst,
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

std::string SnapshotWriter::Programme(const std::string& code) {
  auto it = m_.programmes.find(code);
  if (it != m_.programmes.end()) {
    std::vector<std::string> aliases = {it->second.code};
    for (const auto& [c, p] : m_.programmes)
      if (p.slug == it->second.slug && c != it->second.code) aliases.push_back(c);
    Need(it->second.slug, "policy", it->second.name, aliases, {{"ofac_program", it->second.code}});
    return it->second.slug;
  }
  std::string slug = "ofac-program-" + Slugify(code);
  // An unknown code whose slug is a known programme's ("RUSSIA EO14024")
  // is not that programme: it keeps a slug of its own.
  for (const auto& [c, p] : m_.programmes)
    if (p.slug == slug) {
      slug += "-unknown";
      break;
    }
  Need(slug, "policy", code, {}, {{"ofac_program", code}, {"unknown_programme", true}});
  return slug;
}

int CarryOver(const History& h, const std::set<int64_t>& present, const std::string& window,
              const std::string& authority, const StoreView& view, SnapshotWriter* w) {
  int delisted = 0;
  for (const auto& [num, held] : h.entries) {
    if (present.count(num)) continue;
    if (held.listed) ++delisted;
    if (w->Declared(held.slug)) continue;
    NodeDraft d;
    d.place.file = w->file();
    d.slug = held.slug;
    d.type = held.type;
    d.name = held.claim.name;
    d.aliases = held.claim.aliases;
    d.props = held.claim.props;
    if (held.listed) d.props["delisted"] = window;
    w->Node(std::move(d));
  }
  for (const EvidenceRecord& rec : h.carried) {
    std::string kind, code;
    int64_t num = EntOfKey(rec.key, &kind, &code);
    const Held& held = h.entries.at(num);
    EvidenceDraft ev = ListEvidence(rec.key, rec.quote, rec.locator, rec.locator.section);
    // The quote is an earlier snapshot's (its file in the locator), not
    // this text's: no offsets into it.
    ev.locator.start = ev.locator.end = -1;
    ev.place.line = 0;
    ev.paraphrase = rec.paraphrase;
    ev.valid_from = rec.valid_from;
    ev.valid_to = rec.valid_to;
    if (kind == "designation" || kind == "programme") {
      if (ev.valid_to.empty()) ev.valid_to = window;
      if (kind == "designation")
        w->Link(authority, "sanctions", held.slug, "finance", std::move(ev));
      else
        w->Link(w->Programme(code), "targets", held.slug, "finance", std::move(ev));
      continue;
    }
    if (present.count(num) || rec.target_kind != TargetKind::kEdge) continue;
    Result<EdgeRecord> edge = view.EdgeById(rec.target);
    if (!edge.ok()) continue;
    Result<NodeRecord> src = view.NodeById(edge->src), dst = view.NodeById(edge->dst);
    if (src.ok() && dst.ok())
      w->Link(src->slug, edge->type, dst->slug, edge->domain, std::move(ev));
  }
  return delisted;
}

}  // namespace sinew::ingest::ofac
