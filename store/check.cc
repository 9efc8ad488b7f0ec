// Dump (every key and value as text) and Check (every invariant of
// docs/storage.md, one line per violation).
#include <map>
#include <set>

#include "store/history.h"
#include "store/rocks.h"

namespace sinew::store_internal {
namespace {

std::string Printable(std::string_view s) {
  std::string out;
  bool text = true;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) text = false;
  if (text) return "'" + std::string(s) + "'";
  static const char kHex[] = "0123456789abcdef";
  out = "x";
  for (unsigned char c : s) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string ValueText(int family, std::string_view v) {
  if (family == kOut || family == kIn) {
    AdjacencyValue a = DecodeAdjacency(v);
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "dom=%d mod=%d st=%d mark=%d..%d ev=%d span=%d..%d c=%.4f w=%.4f", a.domain,
                  a.modality, a.status, a.marking_lo, a.marking_hi, a.evidence, a.from, a.to,
                  a.confidence, a.weight);
    return buf;
  }
  if (family == kNodes || family == kEdges || family == kEvidence || family == kObs ||
      (family == kSources && v.size() > 0 && (static_cast<unsigned char>(v[0]) & 0xF0) == 0x80)) {
    try {
      return nlohmann::json::from_msgpack(v.begin(), v.end()).dump();
    } catch (const nlohmann::json::exception&) {
    }
  }
  return Printable(v);
}

}  // namespace

Status RocksView::Dump(std::ostream& out) const {
  for (int f = 1; f < kFamilyCount; ++f) {
    out << "[" << kFamilyNames[f] << "]\n";
    SINEW_RETURN_IF_ERROR(
        Scan(static_cast<Family>(f), "", [&](std::string_view k, std::string_view v) {
          out << Printable(k) << " = " << ValueText(f, v) << "\n";
          return true;
        }));
  }
  return Status::Ok();
}

namespace {
int32_t DayOfIso(const std::string& iso) { return RecordDay(iso.substr(0, 10)); }
}  // namespace

bool RocksView::DayIndexed(int32_t day, char where, const std::string& key) const {
  auto v = Get(kMeta, DayIndexKey(day, where, key));
  return v.ok() && v->has_value();
}

// Every archived evidence version under the days it was recorded and
// withdrawn in the record-day index (the current ones are checked with the
// rest of their invariants).
Status RocksView::CheckDayIndex(const std::function<void(const std::string&)>& fail) const {
  Status inner;
  SINEW_RETURN_IF_ERROR(
      ScanHistory(std::string(kHistoryPrefix) + "E", [&](std::string_view k, std::string_view v) {
        EvidenceRecord e;
        inner = DecodeEvidence(v, &e);
        if (!inner.ok()) return false;
        std::string key(k);
        if (!DayIndexed(DayOfIso(e.recorded_at), 'h', key) ||
            (!e.retracted_at.empty() && !DayIndexed(DayOfIso(e.retracted_at), 'h', key)))
          fail("an archived version of evidence ev" + std::to_string(e.id) +
               " is missing from the record-day index");
        return true;
      }));
  return inner;
}

Result<std::vector<std::string>> RocksView::Check() const {
  std::vector<std::string> bad;
  auto fail = [&](const std::string& s) {
    if (bad.size() < 1000) bad.push_back(s);
  };
  const Schema& schema = store_->schema();

  // Sources and their slugs.
  std::set<SourceId> sources;
  std::map<SourceId, Marking> source_marking;
  SINEW_RETURN_IF_ERROR(ForEachSource([&](const SourceRecord& s) {
    sources.insert(s.id);
    source_marking[s.id] = s.marking;
    auto v = Get(kSlug, SourceSlugKey(s.slug));
    if (!v.ok() || !v->has_value() || GetBE64(**v, 0) != s.id)
      fail("source '" + s.slug + "' is missing from the slug index");
    return true;
  }));

  // Nodes: slug and name index both ways.
  std::map<NodeId, std::set<std::string>> node_names;
  SINEW_RETURN_IF_ERROR(ForEachNode([&](const NodeRecord& n) {
    if (!schema.HasNodeType(n.type)) fail("node '" + n.slug + "' has unknown type " + n.type);
    auto v = Get(kSlug, NodeSlugKey(n.slug));
    if (!v.ok() || !v->has_value() || GetBE64(**v, 0) != n.id)
      fail("node '" + n.slug + "' is missing from the slug index");
    for (const auto& [src, c] : n.claims)
      if (!sources.count(src))
        fail("node '" + n.slug + "' is claimed by missing source #" + std::to_string(src));
    std::set<std::string>& names = node_names[n.id];
    for (const std::string* s : {&n.slug, &n.name}) names.insert(NormalizeName(*s));
    for (const auto& a : n.aliases) names.insert(NormalizeName(a));
    names.erase("");
    for (const auto& nm : names) {
      auto k = Get(kNames, NameKey(nm, n.id));
      if (!k.ok() || !k->has_value())
        fail("node '" + n.slug + "' name '" + nm + "' is missing from the name index");
    }
    return true;
  }));
  SINEW_RETURN_IF_ERROR(Scan(kSlug, "n", [&](std::string_view k, std::string_view v) {
    if (v.size() != 8 || !node_names.count(GetBE64(v, 0)))
      fail("slug index entry '" + std::string(k.substr(1)) + "' points at no node");
    return true;
  }));
  SINEW_RETURN_IF_ERROR(ForEachName("", [&](const std::string& nm, NodeId id) {
    auto it = node_names.find(id);
    if (it == node_names.end() || !it->second.count(nm))
      fail("name index entry '" + nm + "' does not match node #" + std::to_string(id));
    return true;
  }));

  // Evidence: target, source, reverse reference, provenance.
  std::map<EdgeId, std::vector<EvidenceRecord>> edge_evidence;
  std::set<ObservationId> obs_with_evidence;
  std::set<EvidenceId> evidence_ids;
  struct SourceText {
    std::string text;
    std::vector<size_t> byte_of;  // code point -> byte
  };
  std::map<SourceId, SourceText> source_points;  // read once, for sources with quotes to check
  Result<bool> day_index = KeepsDayIndex();
  if (!day_index.ok()) return day_index.status();
  SINEW_RETURN_IF_ERROR(ForEachEvidence([&](const EvidenceRecord& e) {
    std::string name = "evidence ev" + std::to_string(e.id);
    evidence_ids.insert(e.id);
    if (*day_index &&
        !DayIndexed(DayOfIso(e.recorded_at), 'c', EvidenceKey(e.target_kind, e.target, e.id)))
      fail(name + " is missing from the record-day index");
    if (!sources.count(e.source))
      fail(name + " cites missing source #" + std::to_string(e.source));
    else if (e.marking < source_marking[e.source])
      fail(name + " is marked " + MarkingName(e.marking) + ", below its source's " +
           MarkingName(source_marking[e.source]) + " (re-ingest the source)");
    if (e.target_kind == TargetKind::kEdge) edge_evidence[e.target].push_back(e);
    if (!e.paraphrase && e.locator.start >= 0 && sources.count(e.source)) {
      // A verbatim quote with offsets is the stored text there.
      auto [at, fresh] = source_points.try_emplace(e.source);
      if (fresh) {
        Result<SourceRecord> src = SourceById(e.source, true);
        if (src.ok()) at->second.text = std::move(src->text);
        for (size_t i = 0; i < at->second.text.size(); ++i)
          if ((static_cast<unsigned char>(at->second.text[i]) & 0xC0) != 0x80)
            at->second.byte_of.push_back(i);
        at->second.byte_of.push_back(at->second.text.size());
      }
      const SourceText& st = at->second;
      int64_t points = static_cast<int64_t>(st.byte_of.size()) - 1;
      if (!st.text.empty()) {
        if (e.locator.end > points || e.locator.end < e.locator.start)
          fail(name + "'s offsets run past its source's text");
        else if (st.text.compare(st.byte_of[e.locator.start],
                                 st.byte_of[e.locator.end] - st.byte_of[e.locator.start],
                                 e.quote) != 0)
          fail(name + "'s quote is not its source's text at [" + std::to_string(e.locator.start) +
               ".." + std::to_string(e.locator.end) + ")");
      }
    }
    if (e.target_kind == TargetKind::kNode && !node_names.count(e.target))
      fail(name + " is about missing node #" + std::to_string(e.target));
    if (e.target_kind == TargetKind::kObservation) obs_with_evidence.insert(e.target);
    auto ref = Get(kEvidenceRef, BE64(e.id));
    if (!ref.ok() || !ref->has_value() || (**ref)[0] != static_cast<char>(e.target_kind) ||
        GetBE64(**ref, 1) != e.target)
      fail(name + " has no matching reverse reference");
    std::string item = BE64(e.source) + "E" + EvidencePrefix(e.target_kind, e.target) + BE64(e.id);
    auto prov = Get(kBySource, item);
    if (!prov.ok() || !prov->has_value()) fail(name + " is missing from its source's items");
    return true;
  }));
  if (*day_index) SINEW_RETURN_IF_ERROR(CheckDayIndex(fail));
  SINEW_RETURN_IF_ERROR(Scan(kEvidenceRef, "", [&](std::string_view k, auto) {
    if (k.size() != 8 || !evidence_ids.count(GetBE64(k, 0)))
      fail("evidence reference " + Printable(k) + " points at no evidence");
    return true;
  }));

  // Edges: endpoints, evidence, derived qualifiers, both adjacency rows.
  std::set<std::string> expected_adjacency;
  SINEW_RETURN_IF_ERROR(ForEachEdge([&](const EdgeRecord& e) {
    std::string name = "edge e" + std::to_string(e.id);
    const EdgeTypeInfo* t = schema.FindEdgeType(e.type);
    if (!t) {
      fail(name + " has unknown type " + e.type);
      return true;
    }
    if (!node_names.count(e.src)) fail(name + " starts at missing node #" + std::to_string(e.src));
    if (!node_names.count(e.dst)) fail(name + " ends at missing node #" + std::to_string(e.dst));
    auto ev = edge_evidence.find(e.id);
    if (ev == edge_evidence.end()) {
      fail(name + " has no evidence");
      return true;
    }
    EdgeQualifiers q = DeriveEdge(ev->second);
    if (q.status != e.q.status || q.supporting != e.q.supporting ||
        std::abs(q.confidence - e.q.confidence) > 1e-9 || q.valid_from != e.q.valid_from ||
        q.valid_to != e.q.valid_to)
      fail(name + " has stale derived qualifiers");
    std::string out_key = AdjacencyKey(e.src, t->code, e.dst, e.id);
    std::string in_key = AdjacencyKey(e.dst, t->code, e.src, e.id);
    expected_adjacency.insert("o" + out_key);
    expected_adjacency.insert("i" + in_key);
    for (auto [fam, key] : {std::pair<Family, std::string>{kOut, out_key}, {kIn, in_key}}) {
      auto v = Get(fam, key);
      if (!v.ok() || !v->has_value()) {
        fail(name + " is missing its " + kFamilyNames[fam] + " row");
      } else {
        AdjacencyValue a = DecodeAdjacency(**v);
        if (a.status != static_cast<uint8_t>(e.q.status) ||
            std::abs(a.confidence - static_cast<float>(e.q.confidence)) > 1e-6f ||
            a.domain != std::max(0, schema.DomainCode(e.domain)))
          fail(name + " " + kFamilyNames[fam] + " row disagrees with the edge record");
      }
    }
    edge_evidence.erase(ev);
    return true;
  }));
  for (const auto& [id, evs] : edge_evidence)
    fail("evidence ev" + std::to_string(evs.front().id) + " is about missing edge e" +
         std::to_string(id));
  for (auto family : {std::pair<Family, char>{kOut, 'o'}, {kIn, 'i'}}) {
    Family fam = family.first;  // named locals: clang 14 cannot capture bindings
    char tag = family.second;
    SINEW_RETURN_IF_ERROR(Scan(fam, "", [&](std::string_view k, auto) {
      if (!expected_adjacency.count(tag + std::string(k)))
        fail(std::string(kFamilyNames[fam]) + " row " + Printable(k) + " has no edge");
      return true;
    }));
  }

  // Observations.
  std::set<ObservationId> obs_ids;
  SINEW_RETURN_IF_ERROR(ForEachObservation([&](const ObservationRecord& o) {
    std::string name = "observation o" + std::to_string(o.id);
    obs_ids.insert(o.id);
    if (!node_names.count(o.subject)) fail(name + " is about a missing node");
    if (o.object != 0 && !node_names.count(o.object)) fail(name + " names a missing object");
    if (!sources.count(o.source)) fail(name + " cites a missing source");
    if (!obs_with_evidence.count(o.id)) fail(name + " has no evidence");
    return true;
  }));
  for (ObservationId id : obs_with_evidence)
    if (!obs_ids.count(id)) fail("evidence is about missing observation o" + std::to_string(id));

  // Provenance rows point at things that exist.
  SINEW_RETURN_IF_ERROR(Scan(kBySource, "", [&](std::string_view k, auto) {
    SourceId s = k.size() >= 8 ? GetBE64(k, 0) : 0;
    if (!sources.count(s)) fail("provenance row " + Printable(k) + " names a missing source");
    std::string_view item = k.substr(8);
    if (item.size() == 9 && item[0] == 'N' && !node_names.count(GetBE64(item, 1)))
      fail("provenance row " + Printable(k) + " names a missing node");
    if (item.size() == 18 && item[0] == 'E' && !evidence_ids.count(GetBE64(item, 10)))
      fail("provenance row " + Printable(k) + " names missing evidence");
    if (item.size() == 17 && item[0] == 'O' && !obs_ids.count(GetBE64(item, 9)))
      fail("provenance row " + Printable(k) + " names a missing observation");
    return true;
  }));

  // Counters stay ahead of every id handed out.
  auto counter_check = [&](const char* name, uint64_t max_id) {
    Result<uint64_t> next = Counter(name);
    if (next.ok() && max_id >= next.value())
      fail(std::string("counter next_") + name + " is not above the largest id");
  };
  counter_check("node", node_names.empty() ? 0 : node_names.rbegin()->first);
  counter_check("evidence", evidence_ids.empty() ? 0 : *evidence_ids.rbegin());
  counter_check("source", sources.empty() ? 0 : *sources.rbegin());
  counter_check("obs", obs_ids.empty() ? 0 : *obs_ids.rbegin());
  return bad;
}

}  // namespace sinew::store_internal
