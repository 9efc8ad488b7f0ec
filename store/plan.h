// Private to store/: the plan of one batch's writes. ApplyPlan reads the
// store through one view, validates the batch against the schema and what
// the store holds, replays the analyst's decisions (decisions.cc) and plans
// every key it will change; Run writes them into a write batch. apply.cc
// runs it for Apply and transactions; bulk.cc writes large transactions as
// sorted table files.
#pragma once

#include <rocksdb/write_batch.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/rocks.h"

namespace sinew::store_internal {

// Limits on what one claim may carry (docs/formats.md): generous for any
// real note, and a clear refusal for a hostile one.
constexpr size_t kMaxAliases = 1000;      // per node
constexpr size_t kMaxNameBytes = 1024;    // a name or an alias
constexpr size_t kMaxQuoteBytes = 65536;  // one evidence record's quote

// An evidence record's key when its draft gives none: a hash of its quote,
// locator and stance.
std::string DefaultEvidenceKey(const EvidenceDraft& d);
// What identifies one claim of a source on one target, across re-ingests.
std::string EvidenceMatchKey(TargetKind kind, uint64_t target, const std::string& key);
std::string ObservationMatchKey(const ObservationRecord& o);
// Every normalised name of a node (slug, name, aliases): its name-index keys.
std::set<std::string> NamesOf(const NodeRecord& n);
// The adjacency row value of an edge, as traversal filters on it.
AdjacencyValue AdjacencyOf(const EdgeRecord& e, const Schema& schema);
// Writes (or deletes) an edge with its two adjacency rows.
void PutEdge(rocksdb::WriteBatchBase* wb, const RocksStore& s, const EdgeRecord& e);
void DeleteEdge(rocksdb::WriteBatchBase* wb, const RocksStore& s, const EdgeRecord& e);

class ApplyPlan {
 public:
  ApplyPlan(RocksStore* store, const RocksView* view, const Batch& batch)
      : store_(*store), schema_(store->schema()), view_(*view), batch_(&batch) {}
  // The evidence key a draft will have (its own, or one derived from it).
  static std::string KeyOf(const EvidenceDraft& d) {
    return d.key.empty() ? DefaultEvidenceKey(d) : d.key;
  }

  // Plans the batch and writes the plan into `wb`. With `release`, the
  // batch's drafts go once they are planned, before the writing (see
  // Store::Transaction::AddReleasing); `release` is the batch given.
  Result<ApplyReport> Run(rocksdb::WriteBatchBase* wb, Batch* release = nullptr);

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
  std::set<std::string> declared_;                   // the slugs of the nodes the batch declares
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

  // By slug; hashed: a large load looks up both ends of every link (a
  // std::map here was a quarter of a 10^6-row load).
  std::unordered_map<std::string, NodeState> nodes_;
  std::map<EdgeId, EdgeState> edges_;
  std::vector<EvidenceRecord> new_evidence_;
  // Match keys of the evidence planned so far (hashed: a large load checks
  // every record against it, and these keys share long prefixes).
  std::unordered_set<std::string> reused_evidence_;
  std::set<EvidenceId> reused_ids_;  // ids carried over, in place or moved
  std::vector<ObservationRecord> new_obs_;
  std::set<std::string> kept_obs_;
  std::set<std::pair<char, uint64_t>> touched_targets_;
  // Record time: versions this batch replaces, kept in the history
  // (history.h) with the batch's time as their end.
  std::vector<EvidenceRecord> replaced_evidence_;
  std::vector<std::pair<NodeRecord, NodeClaim>> replaced_claims_;  // node (id, slug, type), claim
  // When this source was first recorded (what its undated claims stand on).
  std::string SourceSince() const {
    return old_source_.first_ingested_at.empty() ? old_source_.ingested_at
                                                 : old_source_.first_ingested_at;
  }
};

}  // namespace sinew::store_internal
