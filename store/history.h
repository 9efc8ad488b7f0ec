// Private to store/: record-time history. A revision never deletes what it
// no longer asserts: the record goes into the history (meta family, keys
// under "hist/") with the time it was withdrawn, and RecordedBy() (store.h)
// reads it back for --known-at. Layout: docs/storage.md, "Record time".
#pragma once

#include <rocksdb/write_batch.h>

#include <string>

#include "store/rocks.h"

namespace sinew::store_internal {

constexpr const char* kHistoryPrefix = "hist/";

// An evidence version, by target, id and the time it was withdrawn.
std::string HistoryEvidenceKey(const EvidenceRecord& r);
std::string HistoryEvidencePrefix(TargetKind kind, uint64_t target);
// A node claim version, by node, source and the time it was withdrawn.
std::string HistoryClaimKey(NodeId node, SourceId source, const std::string& retracted_at);
std::string HistoryClaimPrefix(NodeId node);
// A node, link or figure the store no longer holds.
std::string HistoryNodeKey(NodeId id);
std::string HistoryNodeSlugKey(const std::string& slug);
std::string HistoryEdgeKey(EdgeId id);
// An adjacency row of such a link: 'o' (out) or 'i' (in) then the row's key.
std::string HistoryAdjacencyKey(char dir, const std::string& adjacency_key);
std::string HistoryObservationKey(const ObservationRecord& o);

// Writes `r` (retracted_at set) into the history, indexed by the days it
// was recorded and withdrawn.
void ArchiveEvidence(rocksdb::WriteBatchBase* wb, const RocksStore& s, const EvidenceRecord& r);

// The record-day index ("hist/D" + yyyymmdd + where + key): every evidence
// version under the day it was recorded, and an archived one also under the
// day it was withdrawn; `where` is 'c' for the evidence family's key (the
// current version) or 'h' for the history's. An entry may outlive what it
// points at (a later version under the same key): readers check the days.
// Stores created before it lack the marker and are read without it.
constexpr const char* kDayIndexPrefix = "hist/D";
constexpr const char* kDayIndexMarker = "day_index";
std::string DayIndexKey(int32_t day, char where, std::string_view key);
// Indexes the current version `r` (written under its evidence key).
void IndexEvidence(rocksdb::WriteBatchBase* wb, const RocksStore& s, const EvidenceRecord& r);
// Writes the claim `source` made on `node`, withdrawn or replaced at `at`.
// A claim written before claims carried their record time takes `since`.
void ArchiveClaim(rocksdb::WriteBatchBase* wb, const RocksStore& s, const NodeRecord& node,
                  SourceId source, const NodeClaim& claim, const std::string& since,
                  const std::string& at);
// Writes a node, a link (with its two adjacency rows as they were) or a
// figure the store is about to delete.
void ArchiveNode(rocksdb::WriteBatchBase* wb, const RocksStore& s, const NodeRecord& node);
void ArchiveEdge(rocksdb::WriteBatchBase* wb, const RocksStore& s, const EdgeRecord& edge);
void ArchiveObservation(rocksdb::WriteBatchBase* wb, const RocksStore& s,
                        const ObservationRecord& o);

// Whether two versions of one claim say the same thing: everything but the
// locator (lines move when a note is edited around a claim), the record
// time and the id.
bool SameEvidence(const EvidenceRecord& a, const EvidenceRecord& b);
bool SameClaim(const NodeClaim& a, const NodeClaim& b);

}  // namespace sinew::store_internal
