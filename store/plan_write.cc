// What a plan writes (plan.h): the records it adds, changes and removes, and
// every index key that goes with them, into one write batch.
#include <algorithm>
#include <unordered_set>

#include "store/history.h"
#include "store/plan.h"

namespace sinew::store_internal {

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
    // The history keeps it, ended now.
    EvidenceRecord ended = r;
    ended.retracted_at = batch_->recorded_at;
    ArchiveEvidence(wb, store_, ended);
    wb->Delete(store_.cf(kEvidence), EvidenceKey(r.target_kind, r.target, r.id));
    if (reused_ids_.count(r.id)) continue;
    wb->Delete(store_.cf(kEvidenceRef), BE64(r.id));
    ++report_.evidence_removed;
  }
  for (const EvidenceRecord& r : replaced_evidence_) ArchiveEvidence(wb, store_, r);
  for (const auto& [node, claim] : replaced_claims_)
    ArchiveClaim(wb, store_, node, source_id_, claim, SourceSince(), batch_->recorded_at);
  for (const auto& [match, o] : old_obs_) {
    if (kept_obs_.count(match)) continue;
    ArchiveObservation(wb, store_, o);
    wb->Delete(store_.cf(kObs), BE64(o.subject) + BE64(o.id));
  }
  // What the source held before is in the write batch now: let it go before
  // the new records are encoded (a list's revision holds 60,000 of each).
  old_evidence_.clear();
  replaced_evidence_.clear();
  replaced_evidence_.shrink_to_fit();

  // 2. New and surviving evidence, with its reverse reference and provenance.
  // Each record by its target, in the order planned (sorted once: a map of
  // lists was 0.1 GiB at 10^6 links).
  using Target = std::pair<char, uint64_t>;
  std::vector<std::pair<Target, const EvidenceRecord*>> by_target;
  by_target.reserve(new_evidence_.size());
  for (const EvidenceRecord& r : new_evidence_) {
    wb->Put(store_.cf(kEvidence), EvidenceKey(r.target_kind, r.target, r.id), EncodeEvidence(r));
    IndexEvidence(wb, store_, r);
    std::string ref(1, static_cast<char>(r.target_kind));
    PutBE64(&ref, r.target);
    wb->Put(store_.cf(kEvidenceRef), BE64(r.id), ref);
    std::string item = BE64(source_id_) + "E" + ref + BE64(r.id);
    wb->Put(store_.cf(kBySource), item, "");
    by_target.emplace_back(Target{static_cast<char>(r.target_kind), r.target}, &r);
  }
  auto by_first = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (!std::is_sorted(by_target.begin(), by_target.end(), by_first))
    std::stable_sort(by_target.begin(), by_target.end(), by_first);
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
    auto mine = std::equal_range(by_target.begin(), by_target.end(),
                                 std::pair<Target, const EvidenceRecord*>{
                                     {static_cast<char>(TargetKind::kEdge), id}, nullptr},
                                 by_first);
    for (auto it = mine.first; it != mine.second; ++it) all.push_back(*it->second);
    if (all.empty()) {
      if (!st.is_new) ArchiveEdge(wb, store_, st.rec);
      DeleteEdge(wb, store_, st.rec);
      ++report_.edges_removed;
      st.deleted = true;
      continue;
    }
    st.rec.q = DeriveEdge(all);
    PutEdge(wb, store_, st.rec);
  }
  // The new evidence is written and its edges derived: let it go before the
  // nodes are encoded (a 10^6-row table's is half a gigabyte).
  std::vector<std::pair<Target, const EvidenceRecord*>>().swap(by_target);
  std::vector<EvidenceRecord>().swap(new_evidence_);
  touched_targets_.clear();
  // 4. Nodes: claims withdrawn by this source; nodes nobody needs go away.
  std::unordered_set<NodeId> planned;
  for (const auto& [slug, st] : nodes_) planned.insert(st.rec.id);
  for (NodeId id : old_nodes_) {
    if (planned.count(id)) continue;
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
  for (auto& [slug, st] : nodes_) {
    if (!declared_.count(slug)) {
      auto withdrawn = st.rec.claims.find(source_id_);
      if (withdrawn != st.rec.claims.end()) {
        ArchiveClaim(wb, store_, st.rec, source_id_, withdrawn->second, SourceSince(),
                     batch_->recorded_at);
        st.rec.claims.erase(withdrawn);
      }
    }
    if (st.rec.claims.empty() && st.exists_before) {
      Result<bool> used = NodeStillUsed(st.rec.id);
      if (!used.ok()) return used.status();
      if (!used.value()) {
        ArchiveNode(wb, store_, st.rec);
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
    if (declared_.count(slug))
      wb->Put(store_.cf(kBySource), BE64(source_id_) + "N" + BE64(st.rec.id), "");
  }

  // 5. The source itself, its text, and the id counters.
  SourceRecord src = batch_->source;
  src.id = source_id_;
  src.content_hash = batch_->content_hash;
  src.ingested_at = batch_->recorded_at;
  src.first_ingested_at = report_.replaced ? SourceSince() : batch_->recorded_at;
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

}  // namespace sinew::store_internal
