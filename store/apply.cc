// The one write path's entry points: Apply() (one batch, through a
// transaction: plan.h, bulk.cc) and Decide() (an analyst's decision on one
// claim, kept in the decision table across re-ingests).
#include <rocksdb/write_batch.h>

#include "store/history.h"
#include "store/plan.h"

namespace sinew::store_internal {

Result<ApplyReport> RocksStore::Apply(const Batch& batch, bool dry_run) {
  std::unique_ptr<Transaction> tx = Begin();
  Result<ApplyReport> report = tx->Add(batch);
  if (!report.ok() || dry_run) return report;
  Result<Transaction::Written> w = tx->Commit(nullptr);
  if (!w.ok()) return w.status();
  return report;
}

Status RocksStore::Decide(EvidenceId id, EvidenceStatus status, const std::string& analyst,
                          const std::string& at) {
  if (read_only_) return Status::Invalid("the store is open read-only");
  RocksView view(this);
  Result<EvidenceRecord> ev = view.EvidenceById(id);
  if (!ev.ok()) return ev.status();
  EvidenceRecord r = std::move(ev).value();
  rocksdb::WriteBatch wb;
  if (r.status != status && !at.empty()) {
    // Record time: until now the claim stood as it was; the history keeps
    // that version, and the decided one is recorded now.
    EvidenceRecord ended = r;
    ended.retracted_at = at;
    ArchiveEvidence(&wb, *this, ended);
    r.recorded_at = at;
  }
  r.status = status;
  r.decided_by = analyst.empty() ? "analyst" : analyst;
  r.decided_at = at;
  wb.Put(cf(kEvidence), EvidenceKey(r.target_kind, r.target, r.id), EncodeEvidence(r));
  IndexEvidence(&wb, *this, r);
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
