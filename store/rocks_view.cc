#include <rocksdb/iterator.h>

#include "store/history.h"
#include "store/rocks.h"

namespace sinew::store_internal {

RocksView::RocksView(const RocksStore* store, rocksdb::WriteBatchWithIndex* pending)
    : store_(store), snapshot_(store->db()->GetSnapshot()), pending_(pending) {}

RocksView::~RocksView() {
  for (auto& it : idle_) it.reset();  // before the snapshot they read
  store_->db()->ReleaseSnapshot(snapshot_);
}

Result<std::optional<std::string>> RocksView::Get(Family f, const std::string& key) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::string value;
  rocksdb::Status s =
      pending_ ? pending_->GetFromBatchAndDB(store_->db(), ro, store_->cf(f), key, &value)
               : store_->db()->Get(ro, store_->cf(f), key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, std::string("read ") + kFamilyNames[f]);
  return std::optional<std::string>(std::move(value));
}

namespace {

// Calls fn(key, value) from the first key with `prefix` until one without it
// (or fn says stop).
Status ScanFrom(rocksdb::Iterator* it, Family f, const std::string& prefix,
                const std::function<bool(std::string_view, std::string_view)>& fn) {
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    if (!k.starts_with(prefix)) break;
    if (!fn(std::string_view(k.data(), k.size()),
            std::string_view(it->value().data(), it->value().size())))
      break;
  }
  return FromRocks(it->status(), std::string("scan ") + kFamilyNames[f]);
}

// Adjacency scans by node stay within the node's prefix (and its prefix
// Bloom filter); every other scan orders by whole keys.
void SeekMode(rocksdb::ReadOptions* ro, bool adjacency, const std::string& prefix) {
  if (adjacency && prefix.size() >= 8)
    ro->prefix_same_as_start = true;
  else
    ro->total_order_seek = true;
}

}  // namespace

Status RocksView::Scan(Family f, const std::string& prefix,
                       const std::function<bool(std::string_view, std::string_view)>& fn) const {
  bool adjacency = f == kOut || f == kIn;
  // A prefix scan reuses the family's idle iterator (without an upper bound:
  // the loop stops at the first key past the prefix). Over a transaction's
  // pending writes too, as long as they have not grown since the iterator
  // was made: a text note links every word span through one scan each, and
  // making a merged iterator per scan was half of ingesting a folder of notes.
  if (!prefix.empty() && (!adjacency || prefix.size() >= 8)) {
    size_t pending_size = pending_ ? pending_->GetWriteBatch()->GetDataSize() : 0;
    std::unique_ptr<rocksdb::Iterator> it = std::move(idle_[f]);
    if (it && idle_pending_[f] != pending_size) it.reset();
    if (!it) {
      rocksdb::ReadOptions ro;
      ro.snapshot = snapshot_;
      SeekMode(&ro, adjacency, prefix);
      it.reset(store_->db()->NewIterator(ro, store_->cf(f)));
      // No read options for the merged iterator: they would have to outlive
      // it, and it needs no bound.
      if (pending_) it.reset(pending_->NewIteratorWithBase(store_->cf(f), it.release()));
    }
    Status s = ScanFrom(it.get(), f, prefix, fn);
    if (s.ok() && !idle_[f]) {
      idle_[f] = std::move(it);
      idle_pending_[f] = pending_size;
    }
    return s;
  }
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  // The upper bound slice must outlive the iterator: keep both in this frame.
  std::string upper = prefix;
  bool bounded = false;
  while (!upper.empty()) {
    unsigned char last = static_cast<unsigned char>(upper.back());
    if (last != 0xFF) {
      upper.back() = static_cast<char>(last + 1);
      bounded = true;
      break;
    }
    upper.pop_back();
  }
  rocksdb::Slice upper_slice(upper);
  if (bounded) ro.iterate_upper_bound = &upper_slice;
  if (prefix.empty()) {
    // A whole family (a projection, an export, check): read ahead in large
    // steps, and keep its blocks out of the cache the point reads share.
    ro.readahead_size = 2 << 20;
    ro.fill_cache = false;
  }
  SeekMode(&ro, adjacency, prefix);
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(ro, store_->cf(f)));
  if (pending_) it.reset(pending_->NewIteratorWithBase(store_->cf(f), it.release(), &ro));
  return ScanFrom(it.get(), f, prefix, fn);
}

Status RocksView::ScanRange(
    Family f, const std::string& from, const std::string& to,
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  rocksdb::Slice upper(to);
  ro.iterate_upper_bound = &upper;
  ro.total_order_seek = true;
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(ro, store_->cf(f)));
  if (pending_) it.reset(pending_->NewIteratorWithBase(store_->cf(f), it.release(), &ro));
  for (it->Seek(from); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    if (k.compare(upper) >= 0) break;  // the pending writes' iterator may not bound itself
    if (!fn(std::string_view(k.data(), k.size()),
            std::string_view(it->value().data(), it->value().size())))
      break;
  }
  return FromRocks(it->status(), std::string("scan ") + kFamilyNames[f]);
}

Result<uint64_t> RocksView::Counter(const std::string& name) const {
  auto v = Get(kMeta, "next_" + name);
  if (!v.ok()) return v.status();
  if (!v->has_value()) return uint64_t{1};
  if ((*v)->size() != 8) return Status::Corruption("bad counter next_" + name);
  return GetBE64(**v, 0);
}

namespace {

template <typename Record, typename Decode>
Result<Record> GetRecord(const RocksView& view, Family f, const std::string& key,
                         const std::string& what, Decode decode) {
  auto v = view.Get(f, key);
  if (!v.ok()) return v.status();
  if (!v->has_value()) return Status::NotFound("no " + what);
  Record r;
  SINEW_RETURN_IF_ERROR(decode(**v, &r));
  return r;
}

}  // namespace

Result<NodeRecord> RocksView::NodeById(NodeId id) const {
  return GetRecord<NodeRecord>(*this, kNodes, BE64(id), "node #" + std::to_string(id), DecodeNode);
}

Result<NodeRecord> RocksView::NodeBySlug(const std::string& slug) const {
  auto v = Get(kSlug, NodeSlugKey(slug));
  if (!v.ok()) return v.status();
  if (!v->has_value() || (*v)->size() != 8) return Status::NotFound("no node '" + slug + "'");
  return NodeById(GetBE64(**v, 0));
}

Result<EdgeRecord> RocksView::EdgeById(EdgeId id) const {
  return GetRecord<EdgeRecord>(*this, kEdges, BE64(id), "edge e" + std::to_string(id), DecodeEdge);
}

Result<SourceRecord> RocksView::SourceById(SourceId id, bool with_text) const {
  // A source's record may share its table block with its text (megabytes
  // for a sanctions list), which the block cache does not keep: a question
  // that asks after one source for every claim would unpack it every time.
  // A snapshot's records do not change, so the view keeps them.
  if (!with_text && !pending_)
    if (auto hit = sources_.find(id); hit != sources_.end()) return hit->second;
  auto r = GetRecord<SourceRecord>(*this, kSources, BE64(id), "source #" + std::to_string(id),
                                   DecodeSource);
  if (r.ok() && !pending_) sources_.emplace(id, r.value());
  if (r.ok() && with_text) {
    auto text = Get(kSources, BE64(id) + "T");
    if (!text.ok()) return text.status();
    if (text->has_value()) r->text = **text;
  }
  return r;
}

Result<SourceRecord> RocksView::SourceBySlug(const std::string& slug, bool with_text) const {
  auto v = Get(kSlug, SourceSlugKey(slug));
  if (!v.ok()) return v.status();
  if (!v->has_value() || (*v)->size() != 8) return Status::NotFound("no source '" + slug + "'");
  return SourceById(GetBE64(**v, 0), with_text);
}

Result<EvidenceRecord> RocksView::EvidenceById(EvidenceId id) const {
  auto ref = Get(kEvidenceRef, BE64(id));
  if (!ref.ok()) return ref.status();
  if (!ref->has_value() || (*ref)->size() != 9)
    return Status::NotFound("no evidence ev" + std::to_string(id));
  TargetKind kind = static_cast<TargetKind>((**ref)[0]);
  return GetRecord<EvidenceRecord>(*this, kEvidence, EvidenceKey(kind, GetBE64(**ref, 1), id),
                                   "evidence ev" + std::to_string(id), DecodeEvidence);
}

Result<std::vector<EvidenceRecord>> RocksView::EvidenceOf(TargetKind kind, uint64_t target) const {
  std::vector<EvidenceRecord> out;
  Status inner;
  Status s = Scan(kEvidence, EvidencePrefix(kind, target), [&](auto, std::string_view v) {
    EvidenceRecord r;
    inner = DecodeEvidence(v, &r);
    if (!inner.ok()) return false;
    out.push_back(std::move(r));
    return true;
  });
  SINEW_RETURN_IF_ERROR(s);
  SINEW_RETURN_IF_ERROR(inner);
  return out;
}

Result<std::vector<ObservationRecord>> RocksView::ObservationsOf(NodeId subject) const {
  std::vector<ObservationRecord> out;
  Status inner;
  Status s = Scan(kObs, BE64(subject), [&](auto, std::string_view v) {
    ObservationRecord r;
    inner = DecodeObservation(v, &r);
    if (!inner.ok()) return false;
    out.push_back(std::move(r));
    return true;
  });
  SINEW_RETURN_IF_ERROR(s);
  SINEW_RETURN_IF_ERROR(inner);
  return out;
}

AdjacencyEntry AdjacencyEntryOf(std::string_view k, std::string_view v) {
  AdjacencyValue a = DecodeAdjacency(v);
  AdjacencyEntry e;
  e.node = GetBE64(k, 0);
  e.type = GetBE16(k, 8);
  e.other = GetBE64(k, 10);
  e.edge = GetBE64(k, 18);
  e.domain = a.domain;
  e.modality = static_cast<Modality>(a.modality);
  e.status = static_cast<EvidenceStatus>(a.status);
  e.marking_lo = static_cast<Marking>(a.marking_lo);
  e.marking_hi = static_cast<Marking>(a.marking_hi);
  e.evidence = a.evidence;
  e.from = a.from;
  e.to = a.to;
  e.confidence = a.confidence;
  e.weight = a.weight;
  e.strength = a.strength / 255.0f;
  return e;
}

Status RocksView::ForEachAdjacent(NodeId node, Direction dir, uint16_t type,
                                  const std::function<bool(const AdjacencyEntry&)>& fn) const {
  std::string prefix = BE64(node);
  if (type != 0) PutBE16(&prefix, type);
  return Scan(dir == Direction::kOut ? kOut : kIn, prefix,
              [&](std::string_view k, std::string_view v) {
                if (k.size() != kAdjacencyKeySize) return true;
                return fn(AdjacencyEntryOf(k, v));
              });
}

Status RocksView::ForEachLink(const std::function<bool(const AdjacencyEntry&)>& fn) const {
  return Scan(kOut, "", [&](std::string_view k, std::string_view v) {
    if (k.size() != kAdjacencyKeySize) return true;
    return fn(AdjacencyEntryOf(k, v));
  });
}

Status RocksView::ForEachName(const std::string& prefix,
                              const std::function<bool(const std::string&, NodeId)>& fn) const {
  return Scan(kNames, prefix, [&](std::string_view k, auto) {
    if (k.size() < 9) return true;
    return fn(std::string(k.substr(0, k.size() - 9)), GetBE64(k, k.size() - 8));
  });
}

namespace {

template <typename Record, typename Decode>
Status ForEachRecord(const RocksView& view, Family f, Decode decode,
                     const std::function<bool(const Record&)>& fn, size_t key_size = 8) {
  Status inner;
  Status s = view.Scan(f, "", [&](std::string_view k, std::string_view v) {
    if (k.size() != key_size) return true;  // e.g. a source's stored text
    Record r;
    inner = decode(v, &r);
    if (!inner.ok()) return false;
    return fn(r);
  });
  SINEW_RETURN_IF_ERROR(s);
  return inner;
}

}  // namespace

Status RocksView::ForEachNode(const std::function<bool(const NodeRecord&)>& fn) const {
  return ForEachRecord<NodeRecord>(*this, kNodes, DecodeNode, fn);
}
Status RocksView::ForEachEdge(const std::function<bool(const EdgeRecord&)>& fn) const {
  return ForEachRecord<EdgeRecord>(*this, kEdges, DecodeEdge, fn);
}
Status RocksView::ForEachSource(const std::function<bool(const SourceRecord&)>& fn) const {
  return ForEachRecord<SourceRecord>(*this, kSources, DecodeSource, fn);
}
Status RocksView::ForEachEvidence(const std::function<bool(const EvidenceRecord&)>& fn) const {
  return ForEachRecord<EvidenceRecord>(*this, kEvidence, DecodeEvidence, fn, 17);
}
Status RocksView::ForEachEvidenceOfStatus(
    EvidenceStatus status, const std::function<bool(const EvidenceRecord&)>& fn) const {
  Status inner;
  SINEW_RETURN_IF_ERROR(Scan(kEvidence, "", [&](std::string_view k, std::string_view v) {
    if (k.size() != 17) return true;
    EvidenceStatus peeked;
    if (PeekStatus(v, &peeked) && peeked != status) return true;
    EvidenceRecord r;
    inner = DecodeEvidence(v, &r);
    if (!inner.ok()) return false;
    return r.status != status || fn(r);
  }));
  return inner;
}

Status RocksView::ForEachEvidenceWhere(
    const std::function<bool(std::string_view, std::string_view)>& keep,
    const std::function<bool(const EvidenceRecord&)>& fn) const {
  Status inner;
  SINEW_RETURN_IF_ERROR(Scan(kEvidence, "", [&](std::string_view k, std::string_view v) {
    if (k.size() != 17) return true;
    EvidenceRecord r;
    bool kept = false;
    inner = DecodeEvidenceIf(v, keep, &r, &kept);
    return inner.ok() && (!kept || fn(r));
  }));
  return inner;
}
Status RocksView::ForEachObservation(
    const std::function<bool(const ObservationRecord&)>& fn) const {
  return ForEachRecord<ObservationRecord>(*this, kObs, DecodeObservation, fn, 16);
}

Status RocksView::ScanHistory(
    const std::string& prefix,
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  // Only the history's keys: the rest of the meta family is not a record.
  if (prefix.rfind(kHistoryPrefix, 0) != 0) return Status::Invalid("not a history key: " + prefix);
  return Scan(kMeta, prefix, fn);
}

Result<StoreStats> RocksView::Stats() const {
  StoreStats st;
  auto count = [&](Family f, size_t key_size, uint64_t* n) {
    return Scan(f, "", [&](std::string_view k, auto) {
      if (k.size() == key_size) ++*n;
      return true;
    });
  };
  SINEW_RETURN_IF_ERROR(count(kNodes, 8, &st.nodes));
  SINEW_RETURN_IF_ERROR(count(kSources, 8, &st.sources));
  SINEW_RETURN_IF_ERROR(count(kObs, 16, &st.observations));
  // Each record's status is peeked, not decoded; a record whose bytes the
  // peek does not know is decoded.
  auto statuses = [&](Family f, size_t key_size, auto decode,
                      const std::function<void(EvidenceStatus)>& count) -> Status {
    Status inner;
    SINEW_RETURN_IF_ERROR(Scan(f, "", [&](std::string_view k, std::string_view v) {
      if (k.size() != key_size) return true;
      EvidenceStatus status;
      if (!PeekStatus(v, &status)) {
        inner = decode(v, &status);
        if (!inner.ok()) return false;
      }
      count(status);
      return true;
    }));
    return inner;
  };
  SINEW_RETURN_IF_ERROR(statuses(
      kEdges, 8,
      [](std::string_view v, EvidenceStatus* status) {
        EdgeRecord e;
        SINEW_RETURN_IF_ERROR(DecodeEdge(v, &e));
        *status = e.q.status;
        return Status::Ok();
      },
      [&](EvidenceStatus status) {
        ++st.edges;
        if (status == EvidenceStatus::kAccepted) ++st.accepted_edges;
      }));
  SINEW_RETURN_IF_ERROR(statuses(
      kEvidence, 17,
      [](std::string_view v, EvidenceStatus* status) {
        EvidenceRecord e;
        SINEW_RETURN_IF_ERROR(DecodeEvidence(v, &e));
        *status = e.status;
        return Status::Ok();
      },
      [&](EvidenceStatus status) {
        ++st.evidence;
        if (status == EvidenceStatus::kProposed) ++st.proposed;
        if (status == EvidenceStatus::kRejected) ++st.rejected;
      }));
  return st;
}

}  // namespace sinew::store_internal
