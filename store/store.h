// The store: one RocksDB database per directory holding the statement model
// (records.h) under the vocabulary of a Schema. The one write path is Apply(),
// atomic per batch; every read goes through a StoreView, one snapshot.
// Layout and measurements: docs/storage.md.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "store/date.h"
#include "store/records.h"
#include "store/schema.h"
#include "store/status.h"

namespace sinew {

constexpr int kFormatVersion = 1;

enum class OpenMode { kReadOnly, kReadWrite };
enum class Direction { kOut, kIn };

// One row of the out/in adjacency index: enough to filter a walk without
// reading the edge record.
struct AdjacencyEntry {
  EdgeId edge = 0;
  NodeId node = 0, other = 0;  // node is the one walked from
  uint16_t type = 0;           // Schema::EdgeTypeByCode
  int domain = 0;              // Schema::DomainName
  Modality modality = Modality::kAssessed;
  EvidenceStatus status = EvidenceStatus::kProposed;
  Marking marking_lo = Marking::kClear, marking_hi = Marking::kClear;
  int evidence = 0;
  int32_t from = kDateMin, to = kDateMax;
  float confidence = 0, weight = 0;
  float strength = 0;  // to 1/255
};

struct StoreStats {
  uint64_t nodes = 0, edges = 0, evidence = 0, sources = 0, observations = 0;
  uint64_t proposed = 0, rejected = 0, accepted_edges = 0;
};

struct ApplyReport {
  std::string source;
  bool replaced = false;   // the source was in the store before
  bool unchanged = false;  // same bytes as the stored version: nothing written
  int nodes_added = 0, nodes_removed = 0, edges_added = 0, edges_removed = 0;
  int evidence_added = 0, evidence_removed = 0, evidence_kept = 0, decisions_kept = 0;
  int observations = 0;
};

// A consistent, read-only view of the store as of one moment.
class StoreView {
 public:
  virtual ~StoreView() = default;
  virtual const Schema& schema() const = 0;

  virtual Result<NodeRecord> NodeBySlug(const std::string& slug) const = 0;
  virtual Result<NodeRecord> NodeById(NodeId id) const = 0;
  virtual Result<EdgeRecord> EdgeById(EdgeId id) const = 0;
  virtual Result<SourceRecord> SourceById(SourceId id, bool with_text = false) const = 0;
  virtual Result<SourceRecord> SourceBySlug(const std::string& slug, bool with_text) const = 0;
  virtual Result<EvidenceRecord> EvidenceById(EvidenceId id) const = 0;
  virtual Result<std::vector<EvidenceRecord>> EvidenceOf(TargetKind kind,
                                                         uint64_t target) const = 0;
  virtual Result<std::vector<ObservationRecord>> ObservationsOf(NodeId subject) const = 0;

  // Calls `fn` for each adjacency row of `node` in `dir`, in (type, other)
  // order, until it returns false. `type` 0 means every type.
  virtual Status ForEachAdjacent(NodeId node, Direction dir, uint16_t type,
                                 const std::function<bool(const AdjacencyEntry&)>& fn) const = 0;
  // Every link's out-adjacency row (node = src, other = dst), in key order:
  // the whole graph without reading a record.
  virtual Status ForEachLink(const std::function<bool(const AdjacencyEntry&)>& fn) const = 0;
  // Name-index rows whose normalised name starts with `prefix`, in key order.
  virtual Status ForEachName(
      const std::string& prefix,
      const std::function<bool(const std::string& normalized, NodeId id)>& fn) const = 0;

  virtual Status ForEachNode(const std::function<bool(const NodeRecord&)>& fn) const = 0;
  virtual Status ForEachEdge(const std::function<bool(const EdgeRecord&)>& fn) const = 0;
  virtual Status ForEachSource(const std::function<bool(const SourceRecord&)>& fn) const = 0;
  virtual Status ForEachEvidence(const std::function<bool(const EvidenceRecord&)>& fn) const = 0;
  // The evidence records whose recorded_at and retracted_at `keep` accepts:
  // the store reads those two fields before decoding a record. This default
  // asks ForEachEvidence, so a view that changes what it answers (SeenBy,
  // RecordedBy) is obeyed; only the store itself overrides it.
  virtual Status ForEachEvidenceWhere(
      const std::function<bool(std::string_view recorded_at, std::string_view retracted_at)>& keep,
      const std::function<bool(const EvidenceRecord&)>& fn) const {
    return ForEachEvidence(
        [&](const EvidenceRecord& r) { return !keep(r.recorded_at, r.retracted_at) || fn(r); });
  }
  // The evidence records of one status (review's proposals, among 10^6
  // accepted records): the store reads each record's status before decoding
  // it. This default asks ForEachEvidence, so a view that changes what it
  // answers is obeyed; the store overrides it, and so does a view that
  // passes evidence through unchanged (SeenBy).
  virtual Status ForEachEvidenceOfStatus(
      EvidenceStatus status, const std::function<bool(const EvidenceRecord&)>& fn) const {
    return ForEachEvidence([&](const EvidenceRecord& r) { return r.status != status || fn(r); });
  }
  virtual Status ForEachObservation(
      const std::function<bool(const ObservationRecord&)>& fn) const = 0;
  // Every version of every claim recorded or withdrawn on a day in (d1, d2]
  // (yyyymmdd), each once (sinew diff). This default reads every version
  // (history.cc), so a view that changes what it answers is obeyed; the
  // store itself reads its record-day index.
  virtual Status ForEachEvidenceVersionBetween(
      int32_t d1, int32_t d2, const std::function<bool(const EvidenceRecord&)>& fn) const;

  // Record time (history.cc): calls fn(key, value) for every record a
  // revision withdrew or replaced whose history key starts with `prefix`.
  // A view without history has none.
  virtual Status ScanHistory(
      const std::string& prefix,
      const std::function<bool(std::string_view, std::string_view)>& fn) const {
    (void)prefix;
    (void)fn;
    return Status::Ok();
  }

  virtual Result<StoreStats> Stats() const = 0;
  // Every key and value of every column family as text, in key order.
  virtual Status Dump(std::ostream& out) const = 0;
  // Every invariant of docs/storage.md; one line per violation, empty when clean.
  virtual Result<std::vector<std::string>> Check() const = 0;
};

// A view over another that answers every question as the other does; a
// view that changes some answers (query::SeenBy, RecordedBy) overrides those.
class ForwardingView : public StoreView {
 public:
  explicit ForwardingView(std::unique_ptr<StoreView> base) : base_(std::move(base)) {}
  const Schema& schema() const override { return base_->schema(); }
  Result<NodeRecord> NodeBySlug(const std::string& slug) const override {
    return base_->NodeBySlug(slug);
  }
  Result<NodeRecord> NodeById(NodeId id) const override { return base_->NodeById(id); }
  Result<EdgeRecord> EdgeById(EdgeId id) const override { return base_->EdgeById(id); }
  Result<SourceRecord> SourceById(SourceId id, bool with_text) const override {
    return base_->SourceById(id, with_text);
  }
  Result<SourceRecord> SourceBySlug(const std::string& slug, bool with_text) const override {
    return base_->SourceBySlug(slug, with_text);
  }
  Result<EvidenceRecord> EvidenceById(EvidenceId id) const override {
    return base_->EvidenceById(id);
  }
  Result<std::vector<EvidenceRecord>> EvidenceOf(TargetKind kind, uint64_t target) const override {
    return base_->EvidenceOf(kind, target);
  }
  Result<std::vector<ObservationRecord>> ObservationsOf(NodeId subject) const override {
    return base_->ObservationsOf(subject);
  }
  Status ForEachAdjacent(NodeId node, Direction dir, uint16_t type,
                         const std::function<bool(const AdjacencyEntry&)>& fn) const override {
    return base_->ForEachAdjacent(node, dir, type, fn);
  }
  Status ForEachLink(const std::function<bool(const AdjacencyEntry&)>& fn) const override {
    return base_->ForEachLink(fn);
  }
  Status ForEachName(
      const std::string& prefix,
      const std::function<bool(const std::string& normalized, NodeId id)>& fn) const override {
    return base_->ForEachName(prefix, fn);
  }
  Status ForEachNode(const std::function<bool(const NodeRecord&)>& fn) const override {
    return base_->ForEachNode(fn);
  }
  Status ForEachEdge(const std::function<bool(const EdgeRecord&)>& fn) const override {
    return base_->ForEachEdge(fn);
  }
  Status ForEachSource(const std::function<bool(const SourceRecord&)>& fn) const override {
    return base_->ForEachSource(fn);
  }
  Status ForEachEvidence(const std::function<bool(const EvidenceRecord&)>& fn) const override {
    return base_->ForEachEvidence(fn);
  }
  Status ForEachObservation(
      const std::function<bool(const ObservationRecord&)>& fn) const override {
    return base_->ForEachObservation(fn);
  }
  Status ScanHistory(
      const std::string& prefix,
      const std::function<bool(std::string_view, std::string_view)>& fn) const override {
    return base_->ScanHistory(prefix, fn);
  }
  Result<StoreStats> Stats() const override { return base_->Stats(); }
  Status Dump(std::ostream& out) const override { return base_->Dump(out); }
  Result<std::vector<std::string>> Check() const override { return base_->Check(); }

 protected:
  std::unique_ptr<StoreView> base_;
};

// `base` as the store stood at the end of day `day` (yyyymmdd, --known-at):
// records recorded later are left out, and what later revisions withdrew or
// replaced (evidence versions, node claims, links and nodes left without a
// claim, figures) comes back from the history (docs/storage.md, "Record
// time").
std::unique_ptr<StoreView> RecordedBy(std::unique_ptr<StoreView> base, int32_t day);
// Every version of every evidence record, held now (retracted_at empty) or
// withdrawn or replaced by a later revision (retracted_at set).
Status ForEachEvidenceVersion(const StoreView& view,
                              const std::function<bool(const EvidenceRecord&)>& fn);
// Only the versions whose recorded_at and retracted_at `keep` accepts, read
// without decoding the others (sinew diff).
Status ForEachEvidenceVersion(
    const StoreView& view,
    const std::function<bool(std::string_view recorded_at, std::string_view retracted_at)>& keep,
    const std::function<bool(const EvidenceRecord&)>& fn);
// The day (yyyymmdd) of an ISO date-time; 0 when it has none.
int32_t RecordDay(const std::string& iso);

class Store {
 public:
  // Creates a store in `dir` (which must not hold one) with the schema text.
  static Result<std::unique_ptr<Store>> Create(const std::string& dir,
                                               const std::string& schema_text,
                                               const std::string& schema_file);
  // Opens an existing store. kReadWrite takes the single-writer lock; when
  // another process holds it, waits up to `wait_seconds` for it, then
  // returns Busy naming the holder's pid.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, OpenMode mode,
                                             double wait_seconds = 0);
  // Copies the checkpoint in `backup_dir` into `dir`, which must not exist.
  static Status Restore(const std::string& backup_dir, const std::string& dir);

  virtual ~Store() = default;
  virtual const Schema& schema() const = 0;
  virtual const std::string& dir() const = 0;

  // A snapshot to read through; it stays valid while the Store lives.
  virtual std::unique_ptr<StoreView> View() const = 0;

  // Whether the store's files have changed since it was opened (another
  // process wrote). A read-only store goes on showing what it saw at open;
  // a long-lived reader reopens when this says so.
  virtual bool Changed() const = 0;

  // Validates `batch` against the schema and the store, then writes it as one
  // atomic batch, replacing whatever its source asserted before. With
  // dry_run nothing is written. Errors list every problem with its place.
  virtual Result<ApplyReport> Apply(const Batch& batch, bool dry_run = false) = 0;

  // How far a long write has got: a stage ("checking", "writing sorted
  // files"), done and total units. May be empty.
  using Progress = std::function<void(const char* stage, uint64_t done, uint64_t total)>;

  // Several batches written as one: each is checked against the store and
  // the batches added before it (View() shows both); Commit writes them all
  // in one atomic step, or nothing is written. Large loads go to the
  // database as sorted table files ingested together (the bulk path).
  class Transaction {
   public:
    virtual ~Transaction() = default;
    virtual std::unique_ptr<StoreView> View() const = 0;
    virtual Result<ApplyReport> Add(const Batch& batch) = 0;
    // Add, letting the batch's drafts (its nodes, edges and observations)
    // go once they are planned, before the plan is written: a 10^6-row
    // table's drafts are half a gigabyte, held through the writing, the
    // peak of a load. The batch keeps its file, source, counts and notes.
    virtual Result<ApplyReport> AddReleasing(Batch* batch) = 0;
    struct Written {
      uint64_t writes = 0;
      bool bulk = false;  // as sorted table files rather than a write batch
    };
    virtual Result<Written> Commit(const Progress& progress) = 0;
  };
  virtual std::unique_ptr<Transaction> Begin() = 0;

  // An analyst's decision on one evidence record; kept across re-ingest.
  virtual Status Decide(EvidenceId id, EvidenceStatus status, const std::string& analyst,
                        const std::string& at) = 0;

  // Re-files a claim (an edge's evidence record) under another edge type,
  // direction or domain, or changes its modality or time; kept across
  // re-ingest of its source. Unset fields stay as they are.
  // An edit of a proposed claim. For a claim about a link: its type,
  // direction, domain, modality and span. For a proposed node: its type and
  // name (`type` then names a node type).
  struct ClaimEdit {
    std::string type, domain, modality, valid_from, valid_to, name;
    bool reverse = false;
  };
  virtual Status Edit(EvidenceId id, const ClaimEdit& edit, const std::string& analyst,
                      const std::string& at) = 0;

  // Folds node `from` (proposed or established) into `into`: every source
  // that claims it, or links or measures it, names `into` instead, now and on
  // every re-ingest; `from`'s name becomes an alias. The merge is journalled
  // so that Unmerge can split it again.
  virtual Status Merge(const std::string& from, const std::string& into, const std::string& analyst,
                       const std::string& at) = 0;
  // Undoes the merge of `from`: its claims, links and figures go back to it,
  // and re-ingest no longer folds it. The history keeps both states.
  virtual Status Unmerge(const std::string& from, const std::string& analyst,
                         const std::string& at) = 0;

  // A consistent copy of the store as of one snapshot in `dir` (which must
  // not exist). Works on a read-only store, so it never waits for a writer.
  virtual Status Backup(const std::string& dir) = 0;
};

}  // namespace sinew
