// Planning one batch: validation, node and edge resolution, evidence kept
// or replaced across re-ingest, and the keys to write (plan.h).
#include "store/plan.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>

#include "store/history.h"

namespace sinew::store_internal {
namespace {

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

// What the history needs of a node beside one of its claims: who it is.
NodeRecord BareNode(const NodeRecord& n) {
  NodeRecord bare;
  bare.id = n.id;
  bare.slug = n.slug;
  bare.type = n.type;
  return bare;
}

}  // namespace

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

std::string DefaultEvidenceKey(const EvidenceDraft& d) {
  uint64_t h = Fingerprint(d.quote);
  h = Fingerprint(d.locator.section, h);
  h = Fingerprint(std::to_string(d.locator.paragraph), h);
  h = Fingerprint(StanceName(d.stance), h);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string("q") + buf;
}

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
    Error(p,
          "source id '" + Excerpt(s.slug) + "' must be a slug: lowercase letters, digits, - _ . :");
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
    } else if (n->rec.type != d.type && d.proposed && n->rec.claims.size() == 1 &&
               n->rec.claims.count(source_id_) == 1 && n->rec.claims.begin()->second.proposed) {
      // A node only this note proposes, retyped by the analyst's review.
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
    claim.recorded_at = batch_->recorded_at;
    // Record time: a claim said again as it was keeps its time; one said
    // otherwise ends the old version, which the history keeps.
    if (auto prev = n->rec.claims.find(source_id_); prev != n->rec.claims.end()) {
      if (SameClaim(prev->second, claim))
        claim.recorded_at = prev->second.recorded_at;
      else
        replaced_claims_.emplace_back(BareNode(n->rec), prev->second);
    }
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
    // Record time: the same claim keeps the time it was first recorded (its
    // locator may move); a changed one ends the old version in the history.
    if (SameEvidence(old->second, r)) {
      r.recorded_at = old->second.recorded_at;
    } else {
      EvidenceRecord ended = old->second;
      ended.retracted_at = batch_->recorded_at;
      replaced_evidence_.push_back(std::move(ended));
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
        // A seek on (src, type, dst): a hub's other links are never read
        // (a list's authority holds one link per entry).
        std::string prefix = BE64(src->rec.id);
        PutBE16(&prefix, type->code);
        PutBE64(&prefix, dst->rec.id);
        SINEW_RETURN_IF_ERROR(view_.Scan(kOut, prefix, [&](std::string_view k, std::string_view v) {
          if (k.size() != kAdjacencyKeySize) return true;
          AdjacencyEntry e = AdjacencyEntryOf(k, v);
          if (e.domain != domain) return true;
          id = e.edge;
          return false;
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
Result<ApplyReport> ApplyPlan::Run(rocksdb::WriteBatchBase* wb, Batch* release) {
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
  for (const NodeDraft& d : batch_->nodes) declared_.insert(d.slug);
  if (release != nullptr) {
    // Everything the writing needs from the drafts is in the plan now.
    for (Batch* b : {release, replayed_ ? &*replayed_ : nullptr}) {
      if (b == nullptr) continue;
      std::vector<NodeDraft>().swap(b->nodes);
      std::vector<EdgeDraft>().swap(b->edges);
      std::vector<ObservationDraft>().swap(b->observations);
    }
  }
  SINEW_RETURN_IF_ERROR(Finish(wb));
  return report_;
}

}  // namespace sinew::store_internal
