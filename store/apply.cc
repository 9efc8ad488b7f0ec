// The one write path. Apply() reads the store through one snapshot, validates
// the whole batch, plans every key it will change and writes them in one
// synced WriteBatch: a file is wholly in or wholly out.
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "store/rocks.h"

namespace sinew::store_internal {
namespace {

// Limits on what one claim may carry (docs/formats.md): generous for any
// real note, and a clear refusal for a hostile one.
constexpr size_t kMaxAliases = 1000;      // per node
constexpr size_t kMaxNameBytes = 1024;    // a name or an alias
constexpr size_t kMaxQuoteBytes = 65536;  // one evidence record's quote

std::string DefaultEvidenceKey(const EvidenceDraft& d) {
  uint64_t h = Fingerprint(d.quote);
  h = Fingerprint(d.locator.section, h);
  h = Fingerprint(std::to_string(d.locator.paragraph), h);
  h = Fingerprint(StanceName(d.stance), h);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string("q") + buf;
}

// "a NUL character in props" when any string in `j` (keys included) holds
// one, else "".
std::string NulIn(const nlohmann::json& j) {
  if (j.is_string())
    return j.get_ref<const std::string&>().find('\0') != std::string::npos
               ? "a NUL character in props"
               : "";
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (k.find('\0') != std::string::npos) return "a NUL character in props";
      if (std::string c = NulIn(v); !c.empty()) return c;
    }
  } else if (j.is_array()) {
    for (const auto& v : j)
      if (std::string c = NulIn(v); !c.empty()) return c;
  }
  return "";
}

bool ValidSlug(const std::string& s) {
  if (s.empty() || s.size() > 200) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.' || c == ':';
    if (!ok) return false;
  }
  return s[0] != '-' && s[0] != '.';
}

std::set<std::string> NamesOf(const NodeRecord& n) {
  std::set<std::string> out;
  auto add = [&](const std::string& s) {
    std::string norm = NormalizeName(s);
    if (!norm.empty()) out.insert(norm);
  };
  add(n.slug);
  add(n.name);
  for (const auto& a : n.aliases) add(a);
  return out;
}

AdjacencyValue AdjacencyOf(const EdgeRecord& e, const Schema& schema) {
  AdjacencyValue a;
  int d = schema.DomainCode(e.domain);
  a.domain = static_cast<uint8_t>(d < 0 ? 0 : d);
  a.modality = static_cast<uint8_t>(e.q.modality);
  a.status = static_cast<uint8_t>(e.q.status);
  a.marking_lo = static_cast<uint8_t>(e.q.marking_lo);
  a.marking_hi = static_cast<uint8_t>(e.q.marking_hi);
  a.strength = static_cast<uint8_t>(std::lround(std::clamp(e.q.strength, 0.0, 1.0) * 255));
  int n = e.q.supporting + e.q.contradicting + e.q.proposed + e.q.rejected;
  a.evidence = static_cast<uint16_t>(std::min(n, 65535));
  a.from = e.q.from_lo;
  a.to = e.q.to_hi;
  a.confidence = static_cast<float>(e.q.confidence);
  a.weight = static_cast<float>(e.q.weight);
  return a;
}

}  // namespace

// Writes (or deletes) an edge with its two adjacency rows.
void PutEdge(rocksdb::WriteBatchBase* wb, const RocksStore& s, const EdgeRecord& e) {
  uint16_t code = s.schema().FindEdgeType(e.type)->code;
  std::string adj = EncodeAdjacency(AdjacencyOf(e, s.schema()));
  wb->Put(s.cf(kEdges), BE64(e.id), EncodeEdge(e));
  wb->Put(s.cf(kOut), AdjacencyKey(e.src, code, e.dst, e.id), adj);
  wb->Put(s.cf(kIn), AdjacencyKey(e.dst, code, e.src, e.id), adj);
}

void DeleteEdge(rocksdb::WriteBatchBase* wb, const RocksStore& s, const EdgeRecord& e) {
  const EdgeTypeInfo* t = s.schema().FindEdgeType(e.type);
  uint16_t code = t ? t->code : 0;
  wb->Delete(s.cf(kEdges), BE64(e.id));
  wb->Delete(s.cf(kOut), AdjacencyKey(e.src, code, e.dst, e.id));
  wb->Delete(s.cf(kIn), AdjacencyKey(e.dst, code, e.src, e.id));
}

namespace {

class ApplyPlan {
 public:
  ApplyPlan(RocksStore* store, const RocksView* view, const Batch& batch)
      : store_(*store), schema_(store->schema()), view_(*view), batch_(&batch) {}
  // The evidence key a draft will have (its own, or one derived from it).
  static std::string KeyOf(const EvidenceDraft& d) {
    return d.key.empty() ? DefaultEvidenceKey(d) : d.key;
  }

  Result<ApplyReport> Run(rocksdb::WriteBatchBase* wb);

 private:
  struct NodeState {
    NodeRecord rec;
    bool is_new = false;
    bool exists_before = false;
    std::set<std::string> old_names;
  };
  struct EdgeState {
    EdgeRecord rec;
    bool is_new = false;
    bool deleted = false;  // left without evidence by this batch
  };

  void Error(const SourcePlace& place, const std::string& msg) {
    if (errors_.size() < 100) errors_.push_back(Status::Invalid(msg, place));
  }
  Status LoadCounters();
  Status LoadOld();
  Status LoadDecisions();
  void ReplayDecisions();
  void CheckSource();
  Status PlanNodes();
  Result<NodeState*> Resolve(const std::string& slug, const SourcePlace& place, bool report);
  void CheckEvidence(const EvidenceDraft& d);
  EvidenceRecord MakeEvidence(const EvidenceDraft& d, TargetKind kind, uint64_t target);
  Status PlanEdges();
  Status PlanObservations();
  Status Finish(rocksdb::WriteBatchBase* wb);
  Result<bool> NodeStillUsed(NodeId id);

  const RocksStore& store_;
  const Schema& schema_;
  const RocksView& view_;
  // The batch as given; a copy only when analyst decisions are replayed onto
  // it (a large first load is never copied).
  const Batch* batch_;
  std::optional<Batch> replayed_;
  Batch& Replayed() {
    if (!replayed_) {
      replayed_ = *batch_;
      batch_ = &*replayed_;
    }
    return *replayed_;
  }
  std::map<std::string, nlohmann::json> decisions_;  // claim key -> decision
  std::map<std::string, std::string> merges_;        // proposed slug -> existing slug
  std::vector<Status> errors_;
  ApplyReport report_;

  uint64_t next_node_ = 1, next_edge_ = 1, next_ev_ = 1, next_source_ = 1, next_obs_ = 1;
  SourceId source_id_ = 0;
  SourceRecord old_source_;

  // What this source asserted before, by match key.
  std::map<std::string, EvidenceRecord> old_evidence_;          // kind+target+key
  std::map<std::string, std::vector<std::string>> old_by_key_;  // key -> match keys
  std::set<NodeId> old_nodes_;
  std::map<std::string, ObservationRecord> old_obs_;  // observation match key
  std::vector<std::string> old_by_source_;

  std::map<std::string, NodeState> nodes_;  // by slug
  std::map<EdgeId, EdgeState> edges_;
  std::vector<EvidenceRecord> new_evidence_;
  // Match keys of the evidence planned so far (hashed: a large load checks
  // every record against it, and these keys share long prefixes).
  std::unordered_set<std::string> reused_evidence_;
  std::set<EvidenceId> reused_ids_;  // ids carried over, in place or moved
  std::vector<ObservationRecord> new_obs_;
  std::set<std::string> kept_obs_;
  std::set<std::pair<char, uint64_t>> touched_targets_;
};

Status ApplyPlan::LoadCounters() {
  for (auto [name, slot] : {std::pair<const char*, uint64_t*>{"node", &next_node_},
                            {"edge", &next_edge_},
                            {"evidence", &next_ev_},
                            {"source", &next_source_},
                            {"obs", &next_obs_}}) {
    Result<uint64_t> v = view_.Counter(name);
    if (!v.ok()) return v.status();
    *slot = v.value();
  }
  return Status::Ok();
}

std::string EvidenceMatchKey(TargetKind kind, uint64_t target, const std::string& key) {
  return std::string(1, static_cast<char>(kind)) + BE64(target) + key;
}

std::string ObservationMatchKey(const ObservationRecord& o) {
  return BE64(o.subject) + BE64(o.object) + o.metric + '\0' + o.period + '\0' + o.unit;
}

Status ApplyPlan::LoadDecisions() {
  Status inner;
  SINEW_RETURN_IF_ERROR(
      view_.Scan(kMeta, DecisionPrefix(source_id_), [&](std::string_view k, std::string_view v) {
        try {
          decisions_[std::string(k.substr(DecisionPrefix(source_id_).size()))] =
              nlohmann::json::parse(v);
        } catch (const nlohmann::json::exception& e) {
          inner = Status::Corruption(std::string("undecodable decision: ") + e.what());
          return false;
        }
        return true;
      }));
  SINEW_RETURN_IF_ERROR(inner);
  return view_.Scan(kMeta, MergePrefix(source_id_), [&](std::string_view k, std::string_view v) {
    merges_[std::string(k.substr(MergePrefix(source_id_).size()))] = std::string(v);
    return true;
  });
}

// Analyst decisions are replayed onto the batch before it is planned:
// merged nodes are renamed to the node they were folded into, and edited
// claims move to the edge (type, direction, domain) the analyst chose.
void ApplyPlan::ReplayDecisions() {
  Batch& batch = Replayed();
  if (!merges_.empty()) {
    auto remap = [&](std::string& slug) {
      auto it = merges_.find(slug);
      if (it != merges_.end()) slug = it->second;
    };
    std::vector<NodeDraft> nodes;
    std::map<std::string, size_t> at;
    for (auto& n : batch.nodes) {
      std::string was = n.name;
      auto it = merges_.find(n.slug);
      if (it != merges_.end()) {
        Result<NodeRecord> into = view_.NodeBySlug(it->second);
        if (!into.ok()) continue;
        n.slug = into->slug;
        n.type = into->type;
        if (!was.empty() && was != into->name) n.aliases.push_back(was);
        n.name = into->name;
        n.proposed = false;
        n.props = nlohmann::json::object();  // the proposal's guesses do not carry over
      }
      auto seen = at.find(n.slug);
      if (seen == at.end()) {
        at[n.slug] = nodes.size();
        nodes.push_back(std::move(n));
      } else {
        NodeDraft& first = nodes[seen->second];
        for (auto& a : n.aliases) first.aliases.push_back(a);
        for (auto& e : n.evidence) first.evidence.push_back(std::move(e));
        first.proposed = first.proposed && n.proposed;
      }
    }
    batch.nodes = std::move(nodes);
    for (auto& e : batch.edges) {
      remap(e.src);
      remap(e.dst);
    }
    for (auto& o : batch.observations) {
      remap(o.subject);
      remap(o.object);
    }
  }
  std::vector<EdgeDraft> moved;
  std::vector<bool> emptied(batch.edges.size(), false);
  for (size_t n = 0; n < batch.edges.size(); ++n) {
    EdgeDraft& e = batch.edges[n];
    if (e.evidence.empty()) continue;  // an error Apply reports, not ours to hide
    std::vector<EvidenceDraft> stay;
    for (auto& ev : e.evidence) {
      auto d = decisions_.find(KeyOf(ev));
      if (d == decisions_.end()) {
        stay.push_back(std::move(ev));
        continue;
      }
      const nlohmann::json& j = d->second;
      if (j.contains("modality")) {
        Result<Modality> m = ParseModality(j["modality"].get<std::string>());
        if (m.ok()) ev.modality = m.value();
      }
      if (j.contains("valid_from")) ev.valid_from = j["valid_from"].get<std::string>();
      if (j.contains("valid_to")) ev.valid_to = j["valid_to"].get<std::string>();
      if (!j.contains("target")) {
        stay.push_back(std::move(ev));
        continue;
      }
      const nlohmann::json& t = j["target"];
      EdgeDraft to;
      to.place = e.place;
      to.where = e.where;
      to.src = t.value("src", e.src);
      to.type = t.value("type", e.type);
      to.dst = t.value("dst", e.dst);
      to.domain = t.value("domain", e.domain);
      // An edit made before a merge still names the merged-away node.
      for (std::string* end : {&to.src, &to.dst})
        if (auto m = merges_.find(*end); m != merges_.end()) *end = m->second;
      if (to.src == e.src && to.type == e.type && to.dst == e.dst && to.domain == e.domain) {
        stay.push_back(std::move(ev));
        continue;
      }
      to.evidence.push_back(std::move(ev));
      moved.push_back(std::move(to));
    }
    emptied[n] = stay.empty();
    e.evidence = std::move(stay);
  }
  std::vector<EdgeDraft> kept;
  for (size_t n = 0; n < batch.edges.size(); ++n)
    if (!emptied[n]) kept.push_back(std::move(batch.edges[n]));
  batch.edges = std::move(kept);
  for (auto& m : moved) batch.edges.push_back(std::move(m));
}

Status ApplyPlan::LoadOld() {
  Result<SourceRecord> existing = view_.SourceBySlug(batch_->source.slug, false);
  if (existing.ok()) {
    old_source_ = existing.value();
    source_id_ = old_source_.id;
    report_.replaced = true;
  } else if (existing.status().code() == Status::Code::kNotFound) {
    source_id_ = next_source_++;
    return Status::Ok();
  } else {
    return existing.status();
  }
  std::vector<std::string> items;
  SINEW_RETURN_IF_ERROR(view_.Scan(kBySource, BE64(source_id_), [&](std::string_view k, auto) {
    items.emplace_back(k.substr(8));
    old_by_source_.emplace_back(k);
    return true;
  }));
  for (const std::string& item : items) {
    if (item.size() == 18 && item[0] == 'E') {
      TargetKind kind = static_cast<TargetKind>(item[1]);
      uint64_t target = GetBE64(item, 2);
      auto v = view_.Get(kEvidence, EvidenceKey(kind, target, GetBE64(item, 10)));
      if (!v.ok()) return v.status();
      if (!v->has_value()) continue;
      EvidenceRecord r;
      SINEW_RETURN_IF_ERROR(DecodeEvidence(**v, &r));
      std::string match = EvidenceMatchKey(kind, target, r.key);
      old_by_key_[r.key].push_back(match);
      old_evidence_[match] = r;
    } else if (item.size() == 9 && item[0] == 'N') {
      old_nodes_.insert(GetBE64(item, 1));
    } else if (item.size() == 17 && item[0] == 'O') {
      auto v = view_.Get(kObs, item.substr(1));
      if (!v.ok()) return v.status();
      if (!v->has_value()) continue;
      ObservationRecord o;
      SINEW_RETURN_IF_ERROR(DecodeObservation(**v, &o));
      old_obs_[ObservationMatchKey(o)] = o;
    }
  }
  return Status::Ok();
}

void ApplyPlan::CheckSource() {
  const SourceRecord& s = batch_->source;
  const SourcePlace& p = batch_->source_place;
  if (!ValidSlug(s.slug))
    Error(p, "source id '" + Excerpt(s.slug) + "' must be a slug: lowercase letters, digits, - _ . :");
  if (s.title.empty()) Error(p, "source needs a title");
  // What names and describes a source is shown on terminals and pages:
  // control characters there are refused; NUL is refused anywhere.
  for (auto [field, v] : {std::pair<const char*, const std::string*>{"title", &s.title},
                          {"publisher", &s.publisher},
                          {"url", &s.url},
                          {"kind", &s.kind}})
    if (std::string c = ControlIn(*v, false); !c.empty())
      Error(p, std::string("the source's ") + field + " holds a control character (" + c + ")");
  for (const auto& a : s.authors)
    if (std::string c = ControlIn(a, false); !c.empty())
      Error(p, "an author's name holds a control character (" + c + ")");
  if (s.text.find('\0') != std::string::npos) Error(p, "the source's text holds a NUL character");
  if (std::string c = NulIn(s.props); !c.empty()) Error(p, "the source's " + c);
  if (!s.kind.empty() && !schema_.HasSourceKind(s.kind))
    Error(p, "unknown source kind '" + s.kind + "'");
  if (!s.reliability.empty()) {
    Status st = CheckReliability(s.reliability);
    if (!st.ok()) Error(p, st.message());
  }
  if (!s.published.empty()) {
    auto d = ParseDate(s.published);
    if (!d.ok()) Error(p, "published: " + d.status().message());
  }
}

Result<ApplyPlan::NodeState*> ApplyPlan::Resolve(const std::string& slug, const SourcePlace& place,
                                                 bool report) {
  auto it = nodes_.find(slug);
  if (it != nodes_.end()) return &it->second;
  Result<NodeRecord> r = view_.NodeBySlug(slug);
  if (!r.ok()) {
    if (r.status().code() != Status::Code::kNotFound) return r.status();
    if (report)
      Error(place, "unknown node '" + slug +
                       "': declare it in this note's nodes or ingest the note that does");
    return static_cast<NodeState*>(nullptr);
  }
  NodeState& st = nodes_[slug];
  st.rec = std::move(r).value();
  st.exists_before = true;
  st.old_names = NamesOf(st.rec);
  return &st;
}

Status ApplyPlan::PlanNodes() {
  std::set<std::string> seen;
  for (const NodeDraft& d : batch_->nodes) {
    if (!ValidSlug(d.slug)) {
      Error(d.where.Of("id"),
            "node id '" + Excerpt(d.slug) +
                "' must be a slug: lowercase letters, digits, - _ . : (e.g. cr-929)");
      continue;
    }
    if (std::string c = ControlIn(d.name, false); !c.empty()) {
      Error(d.where.Of("name"),
            "node '" + d.slug + "' has a name with a control character (" + c + ")");
      continue;
    }
    bool bad_alias = false;
    for (const auto& a : d.aliases)
      if (std::string c = ControlIn(a, false); !c.empty() && !bad_alias) {
        Error(d.where.Of("aliases"),
              "node '" + d.slug + "' has an alias with a control character (" + c + ")");
        bad_alias = true;
      }
    if (bad_alias) continue;
    if (std::string c = NulIn(d.props); !c.empty()) {
      Error(d.where.Of("props"), "node '" + d.slug + "': " + c);
      continue;
    }
    if (!seen.insert(d.slug).second) {
      Error(d.where.Of("id"), "node '" + d.slug + "' is declared twice in this note");
      continue;
    }
    if (!schema_.HasNodeType(d.type)) {
      Error(d.where.Of("type"), "unknown node type '" + d.type + "' for node '" + d.slug + "'");
      continue;
    }
    if (d.aliases.size() > kMaxAliases) {
      Error(d.where.Of("aliases"), "node '" + d.slug + "' has " + std::to_string(d.aliases.size()) +
                                       " aliases; at most " + std::to_string(kMaxAliases) +
                                       " are kept per node");
      continue;
    }
    bool too_long = d.name.size() > kMaxNameBytes;
    for (const auto& a : d.aliases) too_long = too_long || a.size() > kMaxNameBytes;
    if (too_long) {
      Error(d.where.Of(d.name.size() > kMaxNameBytes ? "name" : "aliases"),
            "node '" + d.slug + "' has a name or alias longer than " +
                std::to_string(kMaxNameBytes) + " bytes");
      continue;
    }
    Result<NodeState*> st = Resolve(d.slug, d.place, false);
    if (!st.ok()) return st.status();
    NodeState* n = st.value();
    if (n == nullptr) {
      n = &nodes_[d.slug];
      n->is_new = true;
      n->rec.id = next_node_++;
      n->rec.slug = d.slug;
      n->rec.type = d.type;
    } else if (n->rec.type != d.type) {
      Error(d.where.Of("type"), "node '" + d.slug + "' is a " + n->rec.type +
                                    " in the store but this note says " + d.type);
      continue;
    }
    NodeClaim claim;
    claim.proposed = d.proposed;
    claim.marking = std::max(d.marking.value_or(batch_->source.marking), batch_->source.marking);
    claim.name = d.name.empty() ? d.slug : d.name;
    claim.aliases = d.aliases;
    claim.props = d.props;
    n->rec.claims[source_id_] = std::move(claim);
  }
  // Evidence on nodes, after every node is known.
  for (const NodeDraft& d : batch_->nodes) {
    auto it = nodes_.find(d.slug);
    if (it == nodes_.end()) continue;
    for (const EvidenceDraft& e : d.evidence) {
      CheckEvidence(e);
      new_evidence_.push_back(MakeEvidence(e, TargetKind::kNode, it->second.rec.id));
    }
  }
  return Status::Ok();
}

void ApplyPlan::CheckEvidence(const EvidenceDraft& d) {
  if (d.quote.empty()) Error(d.place, "evidence needs a quote (or a paraphrase marked as one)");
  // A quote keeps what the source printed (shown escaped); NUL is no text.
  for (auto [field, v] : {std::pair<const char*, const std::string*>{"quote", &d.quote},
                          {"basis", &d.basis},
                          {"key", &d.key},
                          {"analyst", &d.analyst},
                          {"locator", &d.locator.section}})
    if (v->find('\0') != std::string::npos)
      Error(d.place, std::string("the evidence's ") + field + " holds a NUL character");
  if (d.quote.size() > kMaxQuoteBytes)
    Error(d.place, "a quote of " + std::to_string(d.quote.size()) + " bytes; at most " +
                       std::to_string(kMaxQuoteBytes) +
                       " (quote the passage that bears the claim; the locator cites the rest)");
  Result<FuzzyDate> from = FuzzyDate{}, to = FuzzyDate{};
  if (!d.valid_from.empty()) {
    from = ParseDate(d.valid_from);
    if (!from.ok()) Error(d.place, "valid_from: " + from.status().message());
  }
  if (!d.valid_to.empty()) {
    to = ParseDate(d.valid_to);
    if (!to.ok()) Error(d.place, "valid_to: " + to.status().message());
  }
  if (!d.valid_from.empty() && !d.valid_to.empty() && from.ok() && to.ok() && from->lo > to->hi)
    Error(d.place, "valid_from " + d.valid_from + " is after valid_to " + d.valid_to);
  for (auto [name, v] :
       {std::pair<const char*, const std::optional<double>*>{"strength", &d.strength},
        {"replaceability", &d.replaceability}}) {
    if (*v && !(**v >= 0 && **v <= 1))
      Error(d.place, std::string(name) + " must be between 0 and 1");
  }
  if (!d.reliability.empty()) {
    Status st = CheckReliability(d.reliability);
    if (!st.ok()) Error(d.place, st.message());
  }
  if (d.credibility != 0) {
    Status st = CheckCredibility(d.credibility);
    if (!st.ok()) Error(d.place, st.message());
  }
}

EvidenceRecord ApplyPlan::MakeEvidence(const EvidenceDraft& d, TargetKind kind, uint64_t target) {
  EvidenceRecord r;
  r.target_kind = kind;
  r.target = target;
  r.source = source_id_;
  r.key = d.key.empty() ? DefaultEvidenceKey(d) : d.key;
  r.quote = d.quote;
  r.paraphrase = d.paraphrase;
  r.locator = d.locator;
  r.stance = d.stance;
  r.valid_from = d.valid_from;
  r.valid_to = d.valid_to;
  r.modality = d.modality;
  r.strength = d.strength;
  r.replaceability = d.replaceability;
  r.reliability = !d.reliability.empty()                ? d.reliability
                  : !batch_->source.reliability.empty() ? batch_->source.reliability
                                                        : "F";
  r.credibility = d.credibility != 0 ? d.credibility : 6;
  r.status = d.status;
  r.recorded_at = batch_->recorded_at;
  r.analyst = d.analyst.empty() ? batch_->analyst : d.analyst;
  // Effective marking: never below the source's, whatever the record says.
  r.marking = std::max(d.marking.value_or(batch_->source.marking), batch_->source.marking);
  r.basis = d.basis;
  std::string match = EvidenceMatchKey(kind, target, r.key);
  if (reused_evidence_.count(match)) {
    Error(d.place, "two evidence records share the key '" + r.key + "' on one target");
  }
  if (auto d = decisions_.find(r.key); d != decisions_.end() && d->second.contains("status")) {
    // The decision table outlives edits and merges; it wins.
    Result<EvidenceStatus> st = ParseEvidenceStatus(d->second["status"].get<std::string>());
    if (st.ok()) {
      r.status = st.value();
      r.decided_by = d->second.value("by", "");
      r.decided_at = d->second.value("at", "");
      ++report_.decisions_kept;
    }
  }
  auto old = old_evidence_.find(match);
  if (old == old_evidence_.end()) {
    // A claim re-filed under another edge (an edit, a merge) keeps its id
    // when its key is unique in the source.
    auto same = old_by_key_.find(r.key);
    if (same != old_by_key_.end() && same->second.size() == 1) {
      auto moved = old_evidence_.find(same->second.front());
      if (moved != old_evidence_.end() && !reused_ids_.count(moved->second.id)) old = moved;
    }
  }
  if (old != old_evidence_.end()) {
    r.id = old->second.id;
    reused_evidence_.insert(match);
    reused_ids_.insert(r.id);
    ++report_.evidence_kept;
    if (!old->second.decided_by.empty() && r.decided_by.empty() && !decisions_.count(r.key)) {
      // An analyst's accept/reject outlives the re-ingest of its source.
      r.status = old->second.status;
      r.decided_by = old->second.decided_by;
      r.decided_at = old->second.decided_at;
      ++report_.decisions_kept;
    }
  } else {
    r.id = next_ev_++;
    reused_evidence_.insert(match);
    ++report_.evidence_added;
  }
  touched_targets_.insert({static_cast<char>(kind), target});
  return r;
}

Status ApplyPlan::PlanEdges() {
  std::unordered_map<std::string, EdgeId> batch_edges;  // identity -> id
  for (const EdgeDraft& d : batch_->edges) {
    const EdgeTypeInfo* type = schema_.FindEdgeType(d.type);
    if (!type) {
      Error(d.where.Of("type"), "unknown edge type '" + d.type + "'");
      continue;
    }
    int domain = 0;
    if (!d.domain.empty()) {
      domain = schema_.DomainCode(d.domain);
      if (domain < 0) {
        Error(d.where.Of("domain"), "unknown domain '" + d.domain + "'");
        continue;
      }
    }
    if (d.evidence.empty()) {
      Error(d.place, "edge " + d.src + " -" + d.type + "-> " + d.dst +
                         " has no evidence: every link needs at least one");
      continue;
    }
    if (d.src == d.dst) {
      Error(d.where.Of("dst"), "edge " + d.type + " joins '" + d.src + "' to itself");
      continue;
    }
    Result<NodeState*> a = Resolve(d.src, d.where.Of("src"), true);
    if (!a.ok()) return a.status();
    Result<NodeState*> b = Resolve(d.dst, d.where.Of("dst"), true);
    if (!b.ok()) return b.status();
    if (!a.value() || !b.value()) continue;
    NodeState* src = a.value();
    NodeState* dst = b.value();
    Status ends = schema_.CheckEndpoints(*type, src->rec.type, dst->rec.type);
    if (!ends.ok()) {
      Error(d.where.Of("type"), ends.message());
      continue;
    }
    if (!type->directed && dst->rec.slug < src->rec.slug) std::swap(src, dst);
    std::string identity = BE64(src->rec.id) + d.type + '\0' + BE64(dst->rec.id) + d.domain;
    EdgeId id = 0;
    if (auto it = batch_edges.find(identity); it != batch_edges.end()) {
      id = it->second;
    } else {
      if (!src->is_new && !dst->is_new) {
        SINEW_RETURN_IF_ERROR(view_.ForEachAdjacent(
            src->rec.id, Direction::kOut, type->code, [&](const AdjacencyEntry& e) {
              if (e.other == dst->rec.id && e.domain == domain) {
                id = e.edge;
                return false;
              }
              return true;
            }));
      }
      EdgeState st;
      if (id == 0) {
        id = next_edge_++;
        st.is_new = true;
        st.rec.id = id;
        st.rec.src = src->rec.id;
        st.rec.dst = dst->rec.id;
        st.rec.type = d.type;
        st.rec.domain = d.domain;
        ++report_.edges_added;
      } else {
        Result<EdgeRecord> rec = view_.EdgeById(id);
        if (!rec.ok()) return rec.status();
        st.rec = std::move(rec).value();
      }
      edges_[id] = std::move(st);
      batch_edges[identity] = id;
    }
    for (const EvidenceDraft& e : d.evidence) {
      CheckEvidence(e);
      new_evidence_.push_back(MakeEvidence(e, TargetKind::kEdge, id));
    }
  }
  return Status::Ok();
}

Status ApplyPlan::PlanObservations() {
  for (const ObservationDraft& d : batch_->observations) {
    Result<NodeState*> subj = Resolve(d.subject, d.where.Of("subject"), true);
    if (!subj.ok()) return subj.status();
    NodeState* obj = nullptr;
    if (!d.object.empty()) {
      Result<NodeState*> o = Resolve(d.object, d.where.Of("object"), true);
      if (!o.ok()) return o.status();
      obj = o.value();
      if (!obj) continue;
    }
    if (!subj.value()) continue;
    if (d.metric.empty()) Error(d.place, "observation needs a metric");
    for (const std::string* v : {&d.metric, &d.unit})
      if (std::string c = ControlIn(*v, false); !c.empty())
        Error(d.place, "the observation's metric or unit holds a control character (" + c + ")");
    if (d.low > d.high) Error(d.place, "observation range low is above high");
    if (d.period.empty()) {
      Error(d.place, "observation needs a period (e.g. 2021)");
    } else if (auto p = ParseDate(d.period); !p.ok()) {
      Error(d.where.Of("period"), "period: " + p.status().message());
    }
    ObservationRecord o;
    o.subject = subj.value()->rec.id;
    o.object = obj ? obj->rec.id : 0;
    o.metric = d.metric;
    o.unit = d.unit;
    o.period = d.period;
    o.low = d.low;
    o.high = d.high;
    o.source = source_id_;
    std::string match = ObservationMatchKey(o);
    if (kept_obs_.count(match)) {
      Error(d.place,
            "observation " + d.metric + " " + d.period + " of '" + d.subject + "' is given twice");
      continue;
    }
    auto old = old_obs_.find(match);
    o.id = old != old_obs_.end() ? old->second.id : next_obs_++;
    kept_obs_.insert(match);
    CheckEvidence(d.evidence);
    new_evidence_.push_back(MakeEvidence(d.evidence, TargetKind::kObservation, o.id));
    new_obs_.push_back(o);
    ++report_.observations;
  }
  return Status::Ok();
}

// Whether a node left with no asserting source is still needed by other data.
Result<bool> ApplyPlan::NodeStillUsed(NodeId id) {
  for (const auto& [eid, st] : edges_)
    if (!st.deleted && (st.rec.src == id || st.rec.dst == id)) return true;
  bool used = false;
  for (Direction dir : {Direction::kOut, Direction::kIn}) {
    SINEW_RETURN_IF_ERROR(view_.ForEachAdjacent(id, dir, 0, [&](const AdjacencyEntry& e) {
      auto it = edges_.find(e.edge);
      if (it == edges_.end() || !it->second.deleted) used = true;
      return !used;
    }));
  }
  if (used) return true;
  for (const auto& o : new_obs_)
    if (o.subject == id || o.object == id) return true;
  SINEW_RETURN_IF_ERROR(view_.ForEachObservation([&](const ObservationRecord& o) {
    if ((o.subject == id || o.object == id) && o.source != source_id_) used = true;
    return !used;
  }));
  if (used) return true;
  Result<std::vector<EvidenceRecord>> ev = view_.EvidenceOf(TargetKind::kNode, id);
  if (!ev.ok()) return ev.status();
  for (const auto& e : ev.value())
    if (e.source != source_id_) return true;
  return false;
}

Status ApplyPlan::Finish(rocksdb::WriteBatchBase* wb) {
  // 1. Deletions first: a Put of the same key later in the batch wins.
  for (const std::string& k : old_by_source_) wb->Delete(store_.cf(kBySource), k);
  for (const auto& [match, r] : old_evidence_) {
    touched_targets_.insert({static_cast<char>(r.target_kind), r.target});
    if (reused_evidence_.count(match)) continue;
    // Gone from here: withdrawn, or moved under another edge with its id.
    wb->Delete(store_.cf(kEvidence), EvidenceKey(r.target_kind, r.target, r.id));
    if (reused_ids_.count(r.id)) continue;
    wb->Delete(store_.cf(kEvidenceRef), BE64(r.id));
    ++report_.evidence_removed;
  }
  for (const auto& [match, o] : old_obs_)
    if (!kept_obs_.count(match)) wb->Delete(store_.cf(kObs), BE64(o.subject) + BE64(o.id));

  // 2. New and surviving evidence, with its reverse reference and provenance.
  std::map<std::pair<char, uint64_t>, std::vector<EvidenceRecord>> by_target;
  for (const EvidenceRecord& r : new_evidence_) {
    wb->Put(store_.cf(kEvidence), EvidenceKey(r.target_kind, r.target, r.id), EncodeEvidence(r));
    std::string ref(1, static_cast<char>(r.target_kind));
    PutBE64(&ref, r.target);
    wb->Put(store_.cf(kEvidenceRef), BE64(r.id), ref);
    std::string item = BE64(source_id_) + "E" + ref + BE64(r.id);
    wb->Put(store_.cf(kBySource), item, "");
    by_target[{static_cast<char>(r.target_kind), r.target}].push_back(r);
  }
  for (const ObservationRecord& o : new_obs_) {
    wb->Put(store_.cf(kObs), BE64(o.subject) + BE64(o.id), EncodeObservation(o));
    wb->Put(store_.cf(kBySource), BE64(source_id_) + "O" + BE64(o.subject) + BE64(o.id), "");
  }

  // 3. Re-derive every edge whose evidence changed; drop those left with none.
  for (const auto& [kind, target] : touched_targets_) {
    if (kind != static_cast<char>(TargetKind::kEdge)) continue;
    if (!edges_.count(target)) {
      Result<EdgeRecord> rec = view_.EdgeById(target);
      if (!rec.ok()) return rec.status();
      edges_[target].rec = std::move(rec).value();
    }
  }
  for (auto& [id, st] : edges_) {
    std::vector<EvidenceRecord> all;
    if (!st.is_new) {
      Result<std::vector<EvidenceRecord>> ev = view_.EvidenceOf(TargetKind::kEdge, id);
      if (!ev.ok()) return ev.status();
      for (auto& e : ev.value())
        if (e.source != source_id_) all.push_back(std::move(e));
    }
    auto mine = by_target.find({static_cast<char>(TargetKind::kEdge), id});
    if (mine != by_target.end()) all.insert(all.end(), mine->second.begin(), mine->second.end());
    if (all.empty()) {
      DeleteEdge(wb, store_, st.rec);
      ++report_.edges_removed;
      st.deleted = true;
      continue;
    }
    st.rec.q = DeriveEdge(all);
    PutEdge(wb, store_, st.rec);
  }
  // 4. Nodes: claims withdrawn by this source; nodes nobody needs go away.
  for (NodeId id : old_nodes_) {
    bool found = false;
    for (auto& [slug, st] : nodes_) found = found || st.rec.id == id;
    if (found) continue;
    Result<NodeRecord> rec = view_.NodeById(id);
    if (!rec.ok()) {
      if (rec.status().code() == Status::Code::kNotFound) continue;
      return rec.status();
    }
    NodeState& st = nodes_[rec->slug];
    st.rec = std::move(rec).value();
    st.exists_before = true;
    st.old_names = NamesOf(st.rec);
  }
  std::set<std::string> declared;
  for (const NodeDraft& d : batch_->nodes) declared.insert(d.slug);
  for (auto& [slug, st] : nodes_) {
    if (!declared.count(slug)) st.rec.claims.erase(source_id_);
    if (st.rec.claims.empty() && st.exists_before) {
      Result<bool> used = NodeStillUsed(st.rec.id);
      if (!used.ok()) return used.status();
      if (!used.value()) {
        wb->Delete(store_.cf(kNodes), BE64(st.rec.id));
        wb->Delete(store_.cf(kSlug), NodeSlugKey(slug));
        for (const auto& n : st.old_names) wb->Delete(store_.cf(kNames), NameKey(n, st.rec.id));
        ++report_.nodes_removed;
        continue;
      }
    }
    if (!st.rec.claims.empty()) st.rec.Merge();
    if (st.is_new) ++report_.nodes_added;
    wb->Put(store_.cf(kNodes), BE64(st.rec.id), EncodeNode(st.rec));
    wb->Put(store_.cf(kSlug), NodeSlugKey(slug), BE64(st.rec.id));
    std::set<std::string> names = NamesOf(st.rec);
    for (const auto& n : st.old_names)
      if (!names.count(n)) wb->Delete(store_.cf(kNames), NameKey(n, st.rec.id));
    for (const auto& n : names) wb->Put(store_.cf(kNames), NameKey(n, st.rec.id), "");
    if (declared.count(slug))
      wb->Put(store_.cf(kBySource), BE64(source_id_) + "N" + BE64(st.rec.id), "");
  }

  // 5. The source itself, its text, and the id counters.
  SourceRecord src = batch_->source;
  src.id = source_id_;
  src.content_hash = batch_->content_hash;
  src.ingested_at = batch_->recorded_at;
  src.file = batch_->file;
  wb->Put(store_.cf(kSources), BE64(source_id_), EncodeSource(src));
  if (!src.text.empty())
    wb->Put(store_.cf(kSources), BE64(source_id_) + "T", src.text);
  else
    wb->Delete(store_.cf(kSources), BE64(source_id_) + "T");
  wb->Put(store_.cf(kSlug), SourceSlugKey(src.slug), BE64(source_id_));
  wb->Put(store_.cf(kMeta), "next_node", BE64(next_node_));
  wb->Put(store_.cf(kMeta), "next_edge", BE64(next_edge_));
  wb->Put(store_.cf(kMeta), "next_evidence", BE64(next_ev_));
  wb->Put(store_.cf(kMeta), "next_source", BE64(next_source_));
  wb->Put(store_.cf(kMeta), "next_obs", BE64(next_obs_));
  return Status::Ok();
}

Result<ApplyReport> ApplyPlan::Run(rocksdb::WriteBatchBase* wb) {
  report_.source = batch_->source.slug;
  SINEW_RETURN_IF_ERROR(LoadCounters());
  CheckSource();
  if (errors_.empty()) SINEW_RETURN_IF_ERROR(LoadOld());
  if (report_.replaced && !batch_->force && !batch_->content_hash.empty() &&
      old_source_.content_hash == batch_->content_hash && old_source_.file == batch_->file) {
    report_.unchanged = true;  // the very same file again: nothing to do
    return report_;
  }
  if (report_.replaced) {
    SINEW_RETURN_IF_ERROR(LoadDecisions());
    ReplayDecisions();
  }
  SINEW_RETURN_IF_ERROR(PlanNodes());
  SINEW_RETURN_IF_ERROR(PlanEdges());
  SINEW_RETURN_IF_ERROR(PlanObservations());
  if (!errors_.empty()) return Status::Combine(errors_);
  SINEW_RETURN_IF_ERROR(Finish(wb));
  return report_;
}

}  // namespace

Result<ApplyReport> RocksStore::Apply(const Batch& batch, bool dry_run) {
  std::unique_ptr<Transaction> tx = Begin();
  Result<ApplyReport> report = tx->Add(batch);
  if (!report.ok() || dry_run) return report;
  Result<Transaction::Written> w = tx->Commit(nullptr);
  if (!w.ok()) return w.status();
  return report;
}

namespace {

// Above this many writes a load goes to the database as sorted table files
// (SstFileWriter + IngestExternalFiles, one atomic step across families)
// instead of one write batch: docs/storage.md has the measurements.
constexpr uint64_t kBulkEntries = 200000;

// The family a write batch names by column family id (-1: not one of ours).
int FamilyOf(const RocksStore& store, uint32_t id) {
  for (int f = 0; f < kFamilyCount; ++f)
    if (store.cf(static_cast<Family>(f))->GetID() == id) return f;
  return -1;
}

// One write of a pending batch, as the bulk path sorts them: views into the
// batch's own bytes, which outlive the sort (copying them was a tenth of a
// bulk load).
struct Entry {
  std::string_view key, value;
  bool erase = false;
  size_t order = 0;  // later writes of a key win
};

// Collects a write batch's entries by column family.
class Collect final : public rocksdb::WriteBatch::Handler {
 public:
  Collect(const RocksStore& store, std::vector<std::vector<Entry>>* out, size_t* order)
      : store_(store), out_(out), order_(order) {}
  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    return Add(cf, key, value, false);
  }
  rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
    return Add(cf, key, rocksdb::Slice(), true);
  }
  rocksdb::Status SingleDeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
    return Add(cf, key, rocksdb::Slice(), true);
  }

 private:
  rocksdb::Status Add(uint32_t cf, const rocksdb::Slice& key, const rocksdb::Slice& value,
                      bool erase) {
    int f = FamilyOf(store_, cf);
    if (f < 0) return rocksdb::Status::InvalidArgument("unknown column family");
    (*out_)[f].push_back(Entry{std::string_view(key.data(), key.size()),
                               std::string_view(value.data(), value.size()), erase, (*order_)++});
    return rocksdb::Status::OK();
  }
  const RocksStore& store_;
  std::vector<std::vector<Entry>>* out_;
  size_t* order_;
};

// Writes the pending batches as one sorted table file per family and
// ingests them together. Deletes travel as tombstones in the same files.
Status IngestSorted(RocksStore* store, const std::vector<rocksdb::WriteBatch>& batches,
                    const Store::Progress& progress) {
  namespace fs = std::filesystem;
  std::vector<std::vector<Entry>> families(kFamilyCount);
  size_t order = 0;
  Collect collect(*store, &families, &order);
  for (const auto& b : batches)
    SINEW_RETURN_IF_ERROR(FromRocks(b.Iterate(&collect), "read pending writes"));
  std::string tmp = store->dir() + "/bulk.tmp";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return Status::Io("cannot create " + tmp + ": " + ec.message());
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code e;
      std::filesystem::remove_all(dir, e);
    }
  } cleanup{tmp};
  uint64_t total = order, done = 0;
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (int f = 0; f < kFamilyCount; ++f) {
    std::vector<Entry>& entries = families[f];
    if (entries.empty()) continue;
    auto before = [](const Entry& a, const Entry& b) {
      int c = a.key.compare(b.key);
      return c != 0 ? c < 0 : a.order < b.order;
    };
    // Most families arrive in key order already (ids are handed out in order).
    if (!std::is_sorted(entries.begin(), entries.end(), before))
      std::sort(entries.begin(), entries.end(), before);
    // The files stay in the page cache (RocksDB drops them by default): the
    // first question after a load read them back from disk, 0.4 s instead of
    // 0.09 s for a chains question at 10^6 edges.
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), SortedFileOptions(f),
                                  store->cf(static_cast<Family>(f)),
                                  /*invalidate_page_cache=*/false);
    std::string path = tmp + "/" + kFamilyNames[f] + ".sst";
    SINEW_RETURN_IF_ERROR(FromRocks(writer.Open(path), "open " + path));
    for (size_t k = 0; k < entries.size(); ++k) {
      if (k + 1 < entries.size() && entries[k + 1].key == entries[k].key) continue;  // overwritten
      const Entry& e = entries[k];
      rocksdb::Slice key(e.key.data(), e.key.size()), value(e.value.data(), e.value.size());
      SINEW_RETURN_IF_ERROR(
          FromRocks(e.erase ? writer.Delete(key) : writer.Put(key, value), "write " + path));
      if (progress && ++done % 65536 == 0) progress("writing sorted files", done, total);
    }
    SINEW_RETURN_IF_ERROR(FromRocks(writer.Finish(), "finish " + path));
    entries.clear();
    entries.shrink_to_fit();
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store->cf(static_cast<Family>(f));
    arg.external_files = {path};
    arg.options.move_files = true;
    arg.options.snapshot_consistency = true;
    args.push_back(std::move(arg));
  }
  if (progress) progress("ingesting sorted files", total, total);
  return FromRocks(store->db()->IngestExternalFiles(args), "ingest sorted files");
}

class RocksTransaction final : public Store::Transaction {
 public:
  explicit RocksTransaction(RocksStore* store)
      : store_(store), index_(rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true) {}

  std::unique_ptr<StoreView> View() const override {
    Index();
    return std::make_unique<RocksView>(store_, done_.empty() ? nullptr : &index_);
  }

  Result<ApplyReport> Add(const Batch& batch) override {
    if (store_->read_only_) return Status::Invalid("the store is open read-only");
    // Two files naming one source in one command would replace each other.
    auto [seen, fresh] = sources_.emplace(batch.source.slug, batch.file);
    if (!fresh && seen->second != batch.file)
      return Status::Invalid("source '" + batch.source.slug + "' is also what " + seen->second +
                                 " asserts, earlier in this command: ingest one of them",
                             batch.source_place);
    // Planned over the store plus the batches before it; written into a
    // batch of its own, indexed only when a later batch or view reads it.
    Index();
    RocksView view(store_, done_.empty() ? nullptr : &index_);
    ApplyPlan plan(store_, &view, batch);
    rocksdb::WriteBatch wb;
    Result<ApplyReport> report = plan.Run(&wb);
    if (!report.ok()) return report;
    if (wb.Count() > 0) done_.push_back(std::move(wb));
    files_.push_back(batch.file);
    return report;
  }

  Result<Written> Commit(const Store::Progress& progress) override {
    Written w;
    for (const auto& b : done_) w.writes += b.Count();
    if (w.writes == 0) return w;
    uint64_t bulk = kBulkEntries;
    // A knob for tests and tuning: the bulk path from this many writes.
    if (const char* env = std::getenv("SINEW_BULK_MIN_WRITES"); env && *env)
      bulk = std::strtoull(env, nullptr, 10);
    if (w.writes >= bulk) {
      // Ingested files are synced and recorded in the manifest before the
      // call returns: durable without the write-ahead log.
      SINEW_RETURN_IF_ERROR(IngestSorted(store_, done_, progress));
      w.bulk = true;
      return w;
    }
    rocksdb::WriteOptions wo;
    wo.sync = true;
    std::string what = files_.size() == 1 ? files_[0] : std::to_string(files_.size()) + " files";
    if (done_.size() == 1)
      SINEW_RETURN_IF_ERROR(FromRocks(store_->db()->Write(wo, &done_[0]), "write " + what));
    else {
      Index();
      SINEW_RETURN_IF_ERROR(
          FromRocks(store_->db()->Write(wo, index_.GetWriteBatch()), "write " + what));
    }
    return w;
  }

 private:
  // Replays the batches not yet in the index into it.
  void Index() const {
    struct Replay final : rocksdb::WriteBatch::Handler {
      const RocksStore* store;
      rocksdb::WriteBatchWithIndex* index;
      rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& k,
                            const rocksdb::Slice& v) override {
        int f = FamilyOf(*store, cf);
        if (f < 0) return rocksdb::Status::InvalidArgument("unknown column family");
        return index->Put(store->cf(static_cast<Family>(f)), k, v);
      }
      rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& k) override {
        int f = FamilyOf(*store, cf);
        if (f < 0) return rocksdb::Status::InvalidArgument("unknown column family");
        return index->Delete(store->cf(static_cast<Family>(f)), k);
      }
    } replay;
    replay.store = store_;
    replay.index = &index_;
    // Every write was planned into one of the store's families, so a replay
    // cannot fail short of memory corruption.
    for (; indexed_ < done_.size(); ++indexed_) {
      rocksdb::Status st = done_[indexed_].Iterate(&replay);
      assert(st.ok());
      (void)st;
    }
  }

  RocksStore* store_;
  std::vector<rocksdb::WriteBatch> done_;  // one per batch that writes anything
  mutable rocksdb::WriteBatchWithIndex index_;
  mutable size_t indexed_ = 0;
  std::vector<std::string> files_;
  std::map<std::string, std::string> sources_;  // source slug -> the file that gave it
};

}  // namespace

std::unique_ptr<Store::Transaction> RocksStore::Begin() {
  return std::make_unique<RocksTransaction>(this);
}

Status RocksStore::Decide(EvidenceId id, EvidenceStatus status, const std::string& analyst,
                          const std::string& at) {
  if (read_only_) return Status::Invalid("the store is open read-only");
  RocksView view(this);
  Result<EvidenceRecord> ev = view.EvidenceById(id);
  if (!ev.ok()) return ev.status();
  EvidenceRecord r = std::move(ev).value();
  r.status = status;
  r.decided_by = analyst.empty() ? "analyst" : analyst;
  r.decided_at = at;
  rocksdb::WriteBatch wb;
  wb.Put(cf(kEvidence), EvidenceKey(r.target_kind, r.target, r.id), EncodeEvidence(r));
  // The decision table keeps it across re-ingest, edits and merges.
  nlohmann::json decision = nlohmann::json::object();
  if (auto old = view.Get(kMeta, DecisionKey(r.source, r.key)); old.ok() && old->has_value()) {
    try {
      decision = nlohmann::json::parse(**old);
    } catch (const nlohmann::json::exception&) {
    }
  }
  decision["status"] = EvidenceStatusName(status);
  decision["by"] = r.decided_by;
  decision["at"] = at;
  wb.Put(cf(kMeta), DecisionKey(r.source, r.key), decision.dump());
  if (r.target_kind == TargetKind::kEdge) {
    Result<EdgeRecord> edge = view.EdgeById(r.target);
    if (!edge.ok()) return edge.status();
    Result<std::vector<EvidenceRecord>> all = view.EvidenceOf(TargetKind::kEdge, r.target);
    if (!all.ok()) return all.status();
    for (auto& e : all.value())
      if (e.id == r.id) e = r;
    edge->q = DeriveEdge(all.value());
    PutEdge(&wb, *this, edge.value());
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_->Write(wo, &wb), "record decision");
}

}  // namespace sinew::store_internal
