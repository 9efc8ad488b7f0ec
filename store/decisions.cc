// Analyst decisions that outlive re-ingest: edits and merges are recorded in
// the decision table, then the source's claims are rebuilt from the store
// and re-applied through Apply, which replays the table. One write path.
#include <rocksdb/write_batch.h>

#include "store/plan.h"
#include "store/rocks.h"

namespace sinew::store_internal {

std::string DecisionPrefix(SourceId source) { return "decision/" + BE64(source); }
std::string DecisionKey(SourceId source, const std::string& claim_key) {
  return DecisionPrefix(source) + claim_key;
}
std::string MergePrefix(SourceId source) { return "merge/" + BE64(source); }
std::string MergeKey(SourceId source, const std::string& slug) {
  return MergePrefix(source) + slug;
}

namespace {

EvidenceDraft DraftOf(const EvidenceRecord& r) {
  EvidenceDraft d;
  d.key = r.key;
  d.quote = r.quote;
  d.basis = r.basis;
  d.analyst = r.analyst;
  d.paraphrase = r.paraphrase;
  d.locator = r.locator;
  d.stance = r.stance;
  d.valid_from = r.valid_from;
  d.valid_to = r.valid_to;
  d.modality = r.modality;
  d.strength = r.strength;
  d.replaceability = r.replaceability;
  d.reliability = r.reliability;
  d.credibility = r.credibility;
  d.status = r.status;
  d.marking = r.marking;
  return d;
}

}  // namespace

Result<Batch> RocksStore::Rebuild(SourceId source) const {
  RocksView view(this);
  Result<SourceRecord> src = view.SourceById(source, true);
  if (!src.ok()) return src.status();
  Batch b;
  b.source = src.value();
  b.file = src->file;
  b.content_hash = src->content_hash;
  b.recorded_at = src->ingested_at;
  b.source_place.file = src->file;
  std::map<NodeId, size_t> node_at;
  std::map<EdgeId, size_t> edge_at;
  Status inner;
  Status s = view.Scan(kBySource, BE64(source), [&](std::string_view k, std::string_view) {
    std::string_view item = k.substr(8);
    auto slug_of = [&](NodeId id) -> std::string {
      Result<NodeRecord> n = view.NodeById(id);
      return n.ok() ? n->slug : "";
    };
    if (item.size() == 9 && item[0] == 'N') {
      Result<NodeRecord> n = view.NodeById(GetBE64(item, 1));
      if (!n.ok()) return true;
      auto claim = n->claims.find(source);
      NodeDraft d;
      d.slug = n->slug;
      d.type = n->type;
      if (claim != n->claims.end()) {
        d.name = claim->second.name;
        d.aliases = claim->second.aliases;
        d.props = claim->second.props;
        d.proposed = claim->second.proposed;
      }
      node_at[n->id] = b.nodes.size();
      b.nodes.push_back(std::move(d));
    } else if (item.size() == 18 && item[0] == 'E') {
      TargetKind kind = static_cast<TargetKind>(item[1]);
      uint64_t target = GetBE64(item, 2);
      auto v = view.Get(kEvidence, EvidenceKey(kind, target, GetBE64(item, 10)));
      if (!v.ok() || !v->has_value()) return true;
      EvidenceRecord r;
      inner = DecodeEvidence(**v, &r);
      if (!inner.ok()) return false;
      if (kind == TargetKind::kEdge) {
        auto it = edge_at.find(target);
        if (it == edge_at.end()) {
          Result<EdgeRecord> e = view.EdgeById(target);
          if (!e.ok()) return true;
          EdgeDraft d;
          d.src = slug_of(e->src);
          d.dst = slug_of(e->dst);
          d.type = e->type;
          d.domain = e->domain;
          it = edge_at.emplace(target, b.edges.size()).first;
          b.edges.push_back(std::move(d));
        }
        b.edges[it->second].evidence.push_back(DraftOf(r));
      } else if (kind == TargetKind::kNode) {
        // Node evidence follows its node draft (added below, after the scan).
        b.nodes.push_back(NodeDraft{});
        b.nodes.back().slug = "\x01" + std::to_string(target);
        b.nodes.back().evidence.push_back(DraftOf(r));
      }
    } else if (item.size() == 17 && item[0] == 'O') {
      auto v = view.Get(kObs, std::string(item.substr(1)));
      if (!v.ok() || !v->has_value()) return true;
      ObservationRecord o;
      inner = DecodeObservation(**v, &o);
      if (!inner.ok()) return false;
      Result<std::vector<EvidenceRecord>> ev = view.EvidenceOf(TargetKind::kObservation, o.id);
      if (!ev.ok() || ev->empty()) return true;
      ObservationDraft d;
      d.subject = slug_of(o.subject);
      d.object = o.object ? slug_of(o.object) : "";
      d.metric = o.metric;
      d.unit = o.unit;
      d.period = o.period;
      d.low = o.low;
      d.high = o.high;
      d.evidence = DraftOf(ev->front());
      b.observations.push_back(std::move(d));
    }
    return true;
  });
  SINEW_RETURN_IF_ERROR(s);
  SINEW_RETURN_IF_ERROR(inner);
  // Fold the node evidence placeholders into their node drafts.
  std::vector<NodeDraft> nodes;
  std::vector<std::pair<NodeId, EvidenceDraft>> pending;
  for (auto& n : b.nodes) {
    if (!n.slug.empty() && n.slug[0] == '\x01') {
      pending.emplace_back(std::stoull(n.slug.substr(1)), std::move(n.evidence.front()));
      continue;
    }
    nodes.push_back(std::move(n));
  }
  b.nodes = std::move(nodes);
  for (auto& [id, ev] : pending) {
    Result<NodeRecord> n = view.NodeById(id);
    if (!n.ok()) continue;
    for (auto& d : b.nodes)
      if (d.slug == n->slug) d.evidence.push_back(std::move(ev));
  }
  b.force = true;
  return b;
}

Status RocksStore::Edit(EvidenceId id, const ClaimEdit& edit, const std::string& analyst,
                        const std::string& at) {
  if (read_only_) return Status::Invalid("the store is open read-only");
  SourceId source = 0;
  std::string key;
  nlohmann::json decision = nlohmann::json::object();
  {
    RocksView view(this);
    Result<EvidenceRecord> ev = view.EvidenceById(id);
    if (!ev.ok()) return ev.status();
    source = ev->source;
    key = ev->key;
    if (auto old = view.Get(kMeta, DecisionKey(source, key)); old.ok() && old->has_value()) {
      try {
        decision = nlohmann::json::parse(**old);
      } catch (const nlohmann::json::exception&) {
      }
    }
    if (ev->target_kind == TargetKind::kObservation)
      return Status::Invalid("ev" + std::to_string(id) +
                             " is about a figure; figures are accepted or rejected, not edited");
    if (ev->target_kind == TargetKind::kNode) {
      // A proposed node: its type and name, as the analyst corrects them.
      Result<NodeRecord> n = view.NodeById(ev->target);
      if (!n.ok()) return n.status();
      auto claim = n->claims.find(ev->source);
      if (claim == n->claims.end() || !claim->second.proposed || n->claims.size() > 1)
        return Status::Invalid("ev" + std::to_string(id) + " is not about a node this note " +
                               "alone proposed: '" + n->slug +
                               "' is known; edit the note that declares it, or merge");
      if (!edit.domain.empty() || !edit.modality.empty() || !edit.valid_from.empty() ||
          !edit.valid_to.empty() || edit.reverse)
        return Status::Usage("a proposed node takes --type (a node type) and --name only");
      if (edit.type.empty() && edit.name.empty())
        return Status::Usage("review edit of a node needs --type or --name");
      if (!edit.type.empty() && !schema_.HasNodeType(edit.type))
        return Status::Invalid("unknown node type '" + edit.type + "'");
      if (!edit.name.empty()) {
        std::string bad = ControlIn(edit.name, false);
        if (!bad.empty() || edit.name.size() > 400)
          return Status::Usage("--name must be a printable name of at most 400 bytes");
        decision["node_name"] = edit.name;
      }
      if (!edit.type.empty()) decision["node_type"] = edit.type;
    } else {
      if (!edit.name.empty())
        return Status::Usage("--name edits a proposed node; ev" + std::to_string(id) +
                             " is about a link");
      Result<EdgeRecord> edge = view.EdgeById(ev->target);
      if (!edge.ok()) return edge.status();
      Result<NodeRecord> a = view.NodeById(edge->src);
      Result<NodeRecord> b = view.NodeById(edge->dst);
      if (!a.ok()) return a.status();
      if (!b.ok()) return b.status();
      // Edits are stored as the absolute target, so replaying them is idempotent.
      nlohmann::json target = {
          {"src", a->slug}, {"type", edge->type}, {"dst", b->slug}, {"domain", edge->domain}};
      if (!edit.type.empty()) {
        if (!schema_.FindEdgeType(edit.type))
          return Status::Invalid("unknown edge type '" + edit.type + "'");
        target["type"] = edit.type;
      }
      if (edit.reverse) std::swap(target["src"], target["dst"]);
      if (!edit.domain.empty()) {
        if (schema_.DomainCode(edit.domain) < 0)
          return Status::Invalid("unknown domain '" + edit.domain + "'");
        target["domain"] = edit.domain;
      }
      const EdgeTypeInfo* type = schema_.FindEdgeType(target["type"].get<std::string>());
      Result<NodeRecord> ns = view.NodeBySlug(target["src"].get<std::string>());
      Result<NodeRecord> nd = view.NodeBySlug(target["dst"].get<std::string>());
      if (!ns.ok() || !nd.ok()) return Status::NotFound("an end of the edited claim is gone");
      SINEW_RETURN_IF_ERROR(schema_.CheckEndpoints(*type, ns->type, nd->type));
      decision["target"] = target;
      if (!edit.modality.empty()) {
        Result<Modality> m = ParseModality(edit.modality);
        if (!m.ok()) return m.status();
        decision["modality"] = edit.modality;
      }
      for (auto [name, value] :
           {std::pair<const char*, const std::string*>{"valid_from", &edit.valid_from},
            {"valid_to", &edit.valid_to}}) {
        if (value->empty()) continue;
        if (*value != "none" && !ParseDate(*value).ok()) return ParseDate(*value).status();
        decision[name] = *value == "none" ? "" : *value;
      }
    }
    decision["edited_by"] = analyst;
    decision["edited_at"] = at;
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  SINEW_RETURN_IF_ERROR(FromRocks(
      db_->Put(wo, cf(kMeta), DecisionKey(source, key), decision.dump()), "record the edit"));
  Result<Batch> batch = Rebuild(source);
  if (!batch.ok()) return batch.status();
  if (!at.empty()) batch->recorded_at = at;  // what the edit changes ends now
  Result<ApplyReport> r = Apply(batch.value(), false);
  return r.ok() ? Status::Ok() : r.status();
}

// ---- Decisions replayed when a source is applied ----

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
  // Nothing decided: the batch is planned as read, not copied (a list's
  // revision is 60 MB of drafts).
  if (decisions_.empty() && merges_.empty()) return;
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
        // A proposal's guesses do not carry over; what a source asserted of
        // an established node does (an identifier, a list entry number).
        if (n.proposed) n.props = nlohmann::json::object();
        n.proposed = false;
      }
      auto seen = at.find(n.slug);
      if (seen == at.end()) {
        at[n.slug] = nodes.size();
        nodes.push_back(std::move(n));
      } else {
        NodeDraft& first = nodes[seen->second];
        for (auto& a : n.aliases) first.aliases.push_back(a);
        for (const auto& [k, v] : n.props.items())
          if (!first.props.contains(k)) first.props[k] = v;
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
  // Proposed nodes the analyst retyped or renamed: the decision sits on the
  // key of the evidence that proposed them.
  for (auto& n : batch.nodes)
    for (const auto& ev : n.evidence) {
      auto d = decisions_.find(KeyOf(ev));
      if (d == decisions_.end() || !n.proposed) continue;
      const nlohmann::json& j = d->second;
      if (j.contains("node_type")) n.type = j["node_type"].get<std::string>();
      if (j.contains("node_name")) {
        std::string name = j["node_name"].get<std::string>();
        if (!n.name.empty() && n.name != name) n.aliases.push_back(n.name);
        n.name = name;
      }
      if (j.contains("node_type")) n.props["suggested_type"] = n.type;
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

}  // namespace sinew::store_internal
