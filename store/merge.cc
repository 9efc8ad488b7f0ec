// Merging two nodes and undoing it (store.h, Merge and Unmerge). A merge is
// a decision per source ("merge/" + source + slug, replayed on every
// re-ingest: plan.h, ReplayDecisions) plus a journal of what each source
// said of the merged-away node, so that Unmerge can give it back its claims,
// links and figures. Both go through the one write path: the affected
// sources are rebuilt from the store and re-applied; record time keeps the
// states before and after (history.h).
#include <rocksdb/write_batch.h>

#include <set>

#include "store/plan.h"
#include "store/rocks.h"

namespace sinew::store_internal {

std::string MergeJournalKey(const std::string& slug) { return "mergelog/" + slug; }

namespace {

using nlohmann::json;

json ClaimJson(const NodeClaim& c) {
  return {{"name", c.name}, {"aliases", c.aliases}, {"props", c.props}, {"proposed", c.proposed}};
}

void Push(json& journal, SourceId source, const char* list, const std::string& key) {
  json& entry = journal[std::to_string(source)];
  if (!entry.contains(list)) entry[list] = json::array();
  entry[list].push_back(key);
}

bool Listed(const json& entry, const char* list, const std::string& key) {
  if (!entry.contains(list)) return false;
  for (const auto& k : entry[list])
    if (k.get<std::string>() == key) return true;
  return false;
}

// What every source says of node `n`: its claims, evidence on it, on its
// links (by the end it is) and on its figures.
Status Journal(const RocksView& view, const NodeRecord& n, const NodeRecord& into, json* out) {
  json& j = *out;
  for (const auto& [src, claim] : n.claims) {
    json& entry = j[std::to_string(src)];
    entry["claim"] = ClaimJson(claim);
    if (auto other = into.claims.find(src); other != into.claims.end())
      entry["into_claim"] = ClaimJson(other->second);
  }
  Result<std::vector<EvidenceRecord>> own = view.EvidenceOf(TargetKind::kNode, n.id);
  if (!own.ok()) return own.status();
  for (const auto& r : own.value()) Push(j, r.source, "node", r.key);
  std::set<EdgeId> edges;
  for (Direction d : {Direction::kOut, Direction::kIn})
    SINEW_RETURN_IF_ERROR(view.ForEachAdjacent(n.id, d, 0, [&](const AdjacencyEntry& e) {
      edges.insert(e.edge);
      return true;
    }));
  for (EdgeId id : edges) {
    Result<EdgeRecord> e = view.EdgeById(id);
    if (!e.ok()) return e.status();
    Result<std::vector<EvidenceRecord>> ev = view.EvidenceOf(TargetKind::kEdge, id);
    if (!ev.ok()) return ev.status();
    for (const auto& r : ev.value()) Push(j, r.source, e->src == n.id ? "src" : "dst", r.key);
  }
  Status inner;
  SINEW_RETURN_IF_ERROR(view.ForEachObservation([&](const ObservationRecord& o) {
    if (o.subject != n.id && o.object != n.id) return true;
    Result<std::vector<EvidenceRecord>> ev = view.EvidenceOf(TargetKind::kObservation, o.id);
    if (!ev.ok()) {
      inner = ev.status();
      return false;
    }
    for (const auto& r : ev.value())
      Push(j, r.source, o.subject == n.id ? "subject" : "object", r.key);
    return true;
  }));
  return inner;
}

void SetClaim(NodeDraft* d, const json& c) {
  d->name = c.value("name", d->slug);
  d->aliases = c.value("aliases", std::vector<std::string>{});
  d->props = c.value("props", json::object());
  d->proposed = c.value("proposed", false);
}

// The rebuilt batch of one source, split again: what the journal says it
// said of `from` goes back to `from`.
void Split(Batch* b, const json& entry, const std::string& from, const std::string& type,
           const std::string& into) {
  NodeDraft* was = nullptr;
  for (auto& n : b->nodes)
    if (n.slug == into) was = &n;
  std::vector<EvidenceDraft> node_evidence;
  if (was) {
    std::vector<EvidenceDraft> stay;
    for (auto& e : was->evidence)
      (Listed(entry, "node", ApplyPlan::KeyOf(e)) ? node_evidence : stay).push_back(std::move(e));
    was->evidence = std::move(stay);
    if (entry.contains("into_claim")) {
      SetClaim(was, entry["into_claim"]);
    } else if (entry.contains("claim") && was->evidence.empty()) {
      // It claimed `into` only through the merge.
      b->nodes.erase(b->nodes.begin() + (was - b->nodes.data()));
      was = nullptr;
    }
  }
  if (entry.contains("claim")) {
    NodeDraft d;
    d.slug = from;
    d.type = type;
    SetClaim(&d, entry["claim"]);
    d.evidence = std::move(node_evidence);
    b->nodes.push_back(std::move(d));
  }
  std::vector<EdgeDraft> split;
  for (auto& e : b->edges) {
    std::vector<EvidenceDraft> stay, back;
    for (auto& ev : e.evidence) {
      std::string key = ApplyPlan::KeyOf(ev);
      bool moved = Listed(entry, "src", key) || Listed(entry, "dst", key);
      (moved ? back : stay).push_back(std::move(ev));
    }
    if (back.empty()) {
      e.evidence = std::move(stay);
      continue;
    }
    EdgeDraft d = e;
    // The end that was `from` (an undirected link may be stored either way).
    bool src_end = e.src == into && (e.dst != into);
    (src_end ? d.src : d.dst) = from;
    d.evidence = std::move(back);
    split.push_back(std::move(d));
    e.evidence = std::move(stay);
  }
  std::vector<EdgeDraft> kept;
  for (auto& e : b->edges)
    if (!e.evidence.empty()) kept.push_back(std::move(e));
  for (auto& e : split) kept.push_back(std::move(e));
  b->edges = std::move(kept);
  for (auto& o : b->observations) {
    std::string key = ApplyPlan::KeyOf(o.evidence);
    if (o.subject == into && Listed(entry, "subject", key)) o.subject = from;
    if (o.object == into && Listed(entry, "object", key)) o.object = from;
  }
}

}  // namespace

Status RocksStore::Merge(const std::string& from, const std::string& into,
                         const std::string& analyst, const std::string& at) {
  if (read_only_) return Status::Invalid("the store is open read-only");
  std::vector<SourceId> sources;
  std::vector<std::string> decided;  // decision keys the merge writes
  {
    RocksView view(this);
    Result<NodeRecord> a = view.NodeBySlug(from);
    if (!a.ok()) return a.status();
    Result<NodeRecord> b = view.NodeBySlug(into);
    if (!b.ok()) return b.status();
    if (a->id == b->id) return Status::Invalid("a node cannot be merged into itself");
    bool proposal = !a->claims.empty();
    for (const auto& [src, claim] : a->claims) proposal = proposal && claim.proposed;
    if (a->type != b->type && !proposal)
      return Status::Invalid("'" + from + "' is a " + a->type + " and '" + into + "' a " + b->type +
                             ": only nodes of one type merge (a proposal takes the " +
                             "type of the node it is merged into)");
    json journal = json::object();
    SINEW_RETURN_IF_ERROR(Journal(view, a.value(), b.value(), &journal));
    if (journal.empty())
      return Status::Invalid("no source says anything of '" + from + "': nothing to merge");
    rocksdb::WriteBatch wb;
    for (const auto& [src, entry] : journal.items()) {
      SourceId s = std::stoull(src);
      sources.push_back(s);
      wb.Put(cf(kMeta), MergeKey(s, from), into);
      // Merging a proposed node confirms the mention: its proposal evidence
      // is accepted.
      auto claim = a->claims.find(s);
      if (claim == a->claims.end() || !claim->second.proposed || !entry.contains("node")) continue;
      for (const auto& key : entry["node"]) {
        json d = {{"status", "accepted"}, {"by", analyst}, {"at", at}, {"merged_into", into}};
        decided.push_back(DecisionKey(s, key.get<std::string>()));
        wb.Put(cf(kMeta), decided.back(), d.dump());
      }
    }
    json record = {
        {"into", into}, {"type", a->type}, {"by", analyst}, {"at", at}, {"sources", journal}};
    wb.Put(cf(kMeta), MergeJournalKey(from), record.dump());
    rocksdb::WriteOptions wo;
    wo.sync = true;
    SINEW_RETURN_IF_ERROR(FromRocks(db_->Write(wo, &wb), "record the merge"));
  }
  // Every source re-applied in one transaction: all of the merge or none.
  std::unique_ptr<Transaction> tx = Begin();
  Status st;
  for (SourceId s : sources) {
    Result<Batch> batch = Rebuild(s);
    if (!batch.ok()) {
      st = batch.status();
      break;
    }
    if (!at.empty()) batch->recorded_at = at;
    Result<ApplyReport> r = tx->Add(batch.value());
    if (!r.ok()) {
      st = r.status();
      break;
    }
  }
  if (st.ok()) {
    Result<Transaction::Written> w = tx->Commit(nullptr);
    if (w.ok()) return Status::Ok();
    st = w.status();
  }
  // Nothing was written but the decision: take it back.
  rocksdb::WriteBatch undo;
  for (SourceId s : sources) undo.Delete(cf(kMeta), MergeKey(s, from));
  for (const std::string& k : decided) undo.Delete(cf(kMeta), k);
  undo.Delete(cf(kMeta), MergeJournalKey(from));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  (void)db_->Write(wo, &undo);
  return Status::Invalid("merging '" + from + "' into '" + into +
                         "' would break a claim: " + st.ToString());
}

Status RocksStore::Unmerge(const std::string& from, const std::string& analyst,
                           const std::string& at) {
  if (read_only_) return Status::Invalid("the store is open read-only");
  json record;
  {
    RocksView view(this);
    auto v = view.Get(kMeta, MergeJournalKey(from));
    if (!v.ok()) return v.status();
    if (!v->has_value())
      return Status::NotFound("no merge of '" + from + "' on record (review merge FROM INTO)");
    try {
      record = json::parse(**v);
    } catch (const json::exception& e) {
      return Status::Corruption(std::string("undecodable merge journal: ") + e.what());
    }
    if (view.NodeBySlug(from).ok())
      return Status::Invalid("'" + from + "' is a node again; nothing to unmerge");
    rocksdb::WriteBatch wb;
    const std::string into = record.value("into", "");
    for (const auto& [src, entry] : record["sources"].items()) {
      SourceId s = std::stoull(src);
      wb.Delete(cf(kMeta), MergeKey(s, from));
      if (!entry.contains("node")) continue;
      for (const auto& key : entry["node"]) {
        std::string k = key.get<std::string>();
        if (k == "same-as:" + into) {
          // The claim that the two are one is what the analyst undoes.
          json d = {{"status", "rejected"}, {"by", analyst}, {"at", at}, {"unmerged", true}};
          wb.Put(cf(kMeta), DecisionKey(s, k), d.dump());
          continue;
        }
        // The acceptance the merge gave a proposal goes with it.
        auto d = view.Get(kMeta, DecisionKey(s, k));
        if (!d.ok()) return d.status();
        if (d->has_value() && json::parse(**d, nullptr, false).value("merged_into", "") == into)
          wb.Delete(cf(kMeta), DecisionKey(s, k));
      }
    }
    wb.Delete(cf(kMeta), MergeJournalKey(from));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    SINEW_RETURN_IF_ERROR(FromRocks(db_->Write(wo, &wb), "record the unmerge"));
  }
  // The sources that claimed the node first, so the others' links find it.
  std::vector<std::pair<SourceId, json>> order;
  for (const auto& [src, entry] : record["sources"].items())
    order.emplace_back(std::stoull(src), entry);
  std::stable_partition(order.begin(), order.end(),
                        [](const auto& p) { return p.second.contains("claim"); });
  std::unique_ptr<Transaction> tx = Begin();
  for (const auto& [s, entry] : order) {
    Result<Batch> batch = Rebuild(s);
    if (!batch.ok()) return batch.status();
    Split(&batch.value(), entry, from, record.value("type", ""), record.value("into", ""));
    if (!at.empty()) batch->recorded_at = at;
    Result<ApplyReport> r = tx->Add(batch.value());
    if (!r.ok()) return r.status();
  }
  Result<Transaction::Written> w = tx->Commit(nullptr);
  return w.ok() ? Status::Ok() : w.status();
}

}  // namespace sinew::store_internal
