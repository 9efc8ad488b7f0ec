// Private to store/: the RocksDB-backed Store and StoreView.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/utilities/write_batch_with_index.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/codec.h"
#include "store/store.h"

namespace sinew::store_internal {

// Column families, in the order they are opened (index into handles).
enum Family : int {
  kDefault = 0,
  kMeta,
  kSlug,
  kNames,
  kNodes,
  kEdges,
  kOut,
  kIn,
  kEvidence,
  kEvidenceRef,
  kSources,
  kBySource,
  kObs,
  kFamilyCount
};
extern const char* const kFamilyNames[kFamilyCount];

// Slug family keys are tagged: 'n'+slug -> node id, 's'+slug -> source id.
std::string NodeSlugKey(const std::string& slug);
std::string SourceSlugKey(const std::string& slug);

class RocksView;

class RocksStore final : public Store {
 public:
  RocksStore() = default;
  ~RocksStore() override;
  const Schema& schema() const override { return schema_; }
  const std::string& dir() const override { return dir_; }
  std::unique_ptr<StoreView> View() const override;
  Result<ApplyReport> Apply(const Batch& batch, bool dry_run) override;
  std::unique_ptr<Transaction> Begin() override;
  Status Decide(EvidenceId id, EvidenceStatus status, const std::string& analyst,
                const std::string& at) override;
  Status Edit(EvidenceId id, const ClaimEdit& edit, const std::string& analyst,
              const std::string& at) override;
  Status Merge(const std::string& from, const std::string& into, const std::string& analyst,
               const std::string& at) override;
  Status Unmerge(const std::string& from, const std::string& analyst,
                 const std::string& at) override;
  // What `source` asserts, rebuilt from the store as a batch (with its text).
  Result<Batch> Rebuild(SourceId source) const;
  Status Backup(const std::string& dir) override;
  bool Changed() const override;
  // Merges the level-0 files a writer leaves, when worth it (at close).
  void Settle();

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* cf(Family f) const { return handles_[f]; }

  // Set up by Create/Open.
  std::string dir_;
  Schema schema_;
  bool read_only_ = true;
  int lock_fd_ = -1;
  std::string files_at_open_;  // FilesSignature(dir_) when opened
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::unique_ptr<rocksdb::DB> db_;
};

class RocksView final : public StoreView {
 public:
  // `pending`, when given, holds writes not yet in the database: reads see
  // them over the snapshot (the batches of one ApplyAll, in order).
  explicit RocksView(const RocksStore* store, rocksdb::WriteBatchWithIndex* pending = nullptr);
  ~RocksView() override;
  const Schema& schema() const override { return store_->schema(); }

  Result<NodeRecord> NodeBySlug(const std::string& slug) const override;
  Result<NodeRecord> NodeById(NodeId id) const override;
  Result<EdgeRecord> EdgeById(EdgeId id) const override;
  Result<SourceRecord> SourceById(SourceId id, bool with_text) const override;
  Result<SourceRecord> SourceBySlug(const std::string& slug, bool with_text) const override;
  Result<EvidenceRecord> EvidenceById(EvidenceId id) const override;
  Result<std::vector<EvidenceRecord>> EvidenceOf(TargetKind kind, uint64_t target) const override;
  Result<std::vector<ObservationRecord>> ObservationsOf(NodeId subject) const override;
  Status ForEachAdjacent(NodeId node, Direction dir, uint16_t type,
                         const std::function<bool(const AdjacencyEntry&)>& fn) const override;
  Status ForEachName(const std::string& prefix,
                     const std::function<bool(const std::string&, NodeId)>& fn) const override;
  Status ForEachLink(const std::function<bool(const AdjacencyEntry&)>& fn) const override;
  Status ForEachNode(const std::function<bool(const NodeRecord&)>& fn) const override;
  Status ForEachEdge(const std::function<bool(const EdgeRecord&)>& fn) const override;
  Status ForEachSource(const std::function<bool(const SourceRecord&)>& fn) const override;
  Status ForEachEvidence(const std::function<bool(const EvidenceRecord&)>& fn) const override;
  Status ForEachEvidenceWhere(const std::function<bool(std::string_view, std::string_view)>& keep,
                              const std::function<bool(const EvidenceRecord&)>& fn) const override;
  Status ForEachEvidenceOfStatus(
      EvidenceStatus status, const std::function<bool(const EvidenceRecord&)>& fn) const override;
  Status ForEachObservation(const std::function<bool(const ObservationRecord&)>& fn) const override;
  Status ForEachEvidenceVersionBetween(
      int32_t d1, int32_t d2, const std::function<bool(const EvidenceRecord&)>& fn) const override;
  Status ScanHistory(
      const std::string& prefix,
      const std::function<bool(std::string_view, std::string_view)>& fn) const override;
  Result<StoreStats> Stats() const override;
  Status Dump(std::ostream& out) const override;
  Result<std::vector<std::string>> Check() const override;

  // Raw access for the write path: nullopt when absent.
  // Whether the store keeps the record-day index (history.h), and whether it
  // holds one entry.
  Result<bool> KeepsDayIndex() const;
  bool DayIndexed(int32_t day, char where, const std::string& key) const;
  Status CheckDayIndex(const std::function<void(const std::string&)>& fail) const;
  // Calls fn(key, value) for the keys in [from, to) of family f.
  Status ScanRange(Family f, const std::string& from, const std::string& to,
                   const std::function<bool(std::string_view, std::string_view)>& fn) const;
  Result<std::optional<std::string>> Get(Family f, const std::string& key) const;
  // Calls fn(key, value) for every key with `prefix`, until fn returns false.
  Status Scan(Family f, const std::string& prefix,
              const std::function<bool(std::string_view, std::string_view)>& fn) const;
  Result<uint64_t> Counter(const std::string& name) const;

 private:
  const RocksStore* store_;
  const rocksdb::Snapshot* snapshot_;
  rocksdb::WriteBatchWithIndex* pending_;
  // One idle iterator per family, kept between prefix scans: making an
  // iterator costs more than a seek (a bulk load links every name it reads
  // through one scan each). A scan takes it out while it runs, so a scan
  // nested inside another makes its own.
  mutable std::unique_ptr<rocksdb::Iterator> idle_[kFamilyCount];
  // The size of the pending writes when each idle iterator was made; one
  // made before later writes is dropped. Defensive: RocksDB 7.8's merged
  // iterators do see later writes after a seek, but its interface does not
  // promise it. The size is a sound change detector: the transaction's index
  // only grows (Put and Delete append, even over a key it holds; it is never
  // cleared or rolled back while views of it live).
  mutable size_t idle_pending_[kFamilyCount] = {};
  mutable std::map<SourceId, SourceRecord> sources_;  // read so far (without text)
};

// One adjacency row (kAdjacencyKeySize key, AdjacencyValue) as walks see it.
AdjacencyEntry AdjacencyEntryOf(std::string_view key, std::string_view value);

Status FromRocks(const rocksdb::Status& s, const std::string& what);
rocksdb::ColumnFamilyOptions FamilyOptions(int family);
// Options for writing one family's sorted table files (the bulk path,
// backups): they land at the bottom level, compressed as that level is.
rocksdb::Options SortedFileOptions(int family);
rocksdb::DBOptions DbOptions();

// Analyst decisions, in the meta family: "decision/" + source + claim key
// and "merge/" + source + proposed slug. Apply replays them.
std::string DecisionKey(SourceId source, const std::string& claim_key);
std::string DecisionPrefix(SourceId source);
std::string MergeKey(SourceId source, const std::string& slug);
std::string MergePrefix(SourceId source);
// The journal of the merge of `slug` (what Unmerge needs), in the meta family.
std::string MergeJournalKey(const std::string& slug);

}  // namespace sinew::store_internal
