// Record time (history.h): what revisions withdrew or replaced, kept under
// "hist/" in the meta family, and RecordedBy(), the view of the store as it
// stood at the end of one day.
#include "store/history.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "store/plan.h"

namespace sinew::store_internal {

std::string HistoryEvidencePrefix(TargetKind kind, uint64_t target) {
  return std::string(kHistoryPrefix) + "E" + EvidencePrefix(kind, target);
}

std::string HistoryEvidenceKey(const EvidenceRecord& r) {
  return HistoryEvidencePrefix(r.target_kind, r.target) + BE64(r.id) + r.retracted_at;
}

std::string HistoryClaimPrefix(NodeId node) {
  return std::string(kHistoryPrefix) + "C" + BE64(node);
}

std::string HistoryClaimKey(NodeId node, SourceId source, const std::string& retracted_at) {
  return HistoryClaimPrefix(node) + BE64(source) + retracted_at;
}

std::string HistoryNodeKey(NodeId id) { return std::string(kHistoryPrefix) + "N" + BE64(id); }

std::string HistoryNodeSlugKey(const std::string& slug) {
  return std::string(kHistoryPrefix) + "S" + slug;
}

std::string HistoryEdgeKey(EdgeId id) { return std::string(kHistoryPrefix) + "G" + BE64(id); }

std::string HistoryAdjacencyKey(char dir, const std::string& adjacency_key) {
  return std::string(kHistoryPrefix) + "A" + dir + adjacency_key;
}

std::string HistoryObservationKey(const ObservationRecord& o) {
  return std::string(kHistoryPrefix) + "O" + BE64(o.subject) + BE64(o.id);
}

std::string DayIndexKey(int32_t day, char where, std::string_view key) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%08d", std::clamp(day, 0, 99999999));
  std::string k = std::string(kDayIndexPrefix) + digits + where;
  k.append(key);
  return k;
}

namespace {
int32_t DayOf(const std::string& iso) { return RecordDay(iso.substr(0, 10)); }
}  // namespace

void IndexEvidence(rocksdb::WriteBatchBase* wb, const RocksStore& s, const EvidenceRecord& r) {
  wb->Put(s.cf(kMeta),
          DayIndexKey(DayOf(r.recorded_at), 'c', EvidenceKey(r.target_kind, r.target, r.id)), "");
}

void ArchiveEvidence(rocksdb::WriteBatchBase* wb, const RocksStore& s, const EvidenceRecord& r) {
  std::string key = HistoryEvidenceKey(r);
  wb->Put(s.cf(kMeta), key, EncodeEvidence(r));
  wb->Put(s.cf(kMeta), DayIndexKey(DayOf(r.recorded_at), 'h', key), "");
  if (!r.retracted_at.empty())
    wb->Put(s.cf(kMeta), DayIndexKey(DayOf(r.retracted_at), 'h', key), "");
}

void ArchiveClaim(rocksdb::WriteBatchBase* wb, const RocksStore& s, const NodeRecord& node,
                  SourceId source, const NodeClaim& claim, const std::string& since,
                  const std::string& at) {
  NodeRecord one;
  one.id = node.id;
  one.slug = node.slug;
  one.type = node.type;
  one.claims[source] = claim;
  if (one.claims[source].recorded_at.empty()) one.claims[source].recorded_at = since;
  wb->Put(s.cf(kMeta), HistoryClaimKey(node.id, source, at), EncodeNode(one));
}

void ArchiveNode(rocksdb::WriteBatchBase* wb, const RocksStore& s, const NodeRecord& node) {
  NodeRecord bare = node;
  bare.claims.clear();  // its claims are archived one by one, with their times
  wb->Put(s.cf(kMeta), HistoryNodeKey(node.id), EncodeNode(bare));
  wb->Put(s.cf(kMeta), HistoryNodeSlugKey(node.slug), BE64(node.id));
}

void ArchiveEdge(rocksdb::WriteBatchBase* wb, const RocksStore& s, const EdgeRecord& edge) {
  const EdgeTypeInfo* t = s.schema().FindEdgeType(edge.type);
  uint16_t code = t ? t->code : 0;
  std::string adj = EncodeAdjacency(AdjacencyOf(edge, s.schema()));
  wb->Put(s.cf(kMeta), HistoryEdgeKey(edge.id), EncodeEdge(edge));
  wb->Put(s.cf(kMeta), HistoryAdjacencyKey('o', AdjacencyKey(edge.src, code, edge.dst, edge.id)),
          adj);
  wb->Put(s.cf(kMeta), HistoryAdjacencyKey('i', AdjacencyKey(edge.dst, code, edge.src, edge.id)),
          adj);
}

void ArchiveObservation(rocksdb::WriteBatchBase* wb, const RocksStore& s,
                        const ObservationRecord& o) {
  wb->Put(s.cf(kMeta), HistoryObservationKey(o), EncodeObservation(o));
}

bool SameEvidence(const EvidenceRecord& a, const EvidenceRecord& b) {
  return a.target_kind == b.target_kind && a.target == b.target && a.key == b.key &&
         a.quote == b.quote && a.paraphrase == b.paraphrase && a.stance == b.stance &&
         a.valid_from == b.valid_from && a.valid_to == b.valid_to && a.modality == b.modality &&
         a.strength == b.strength && a.replaceability == b.replaceability &&
         a.reliability == b.reliability && a.credibility == b.credibility && a.status == b.status &&
         a.marking == b.marking && a.basis == b.basis;
}

bool SameClaim(const NodeClaim& a, const NodeClaim& b) {
  return a.proposed == b.proposed && a.marking == b.marking && a.name == b.name &&
         a.aliases == b.aliases && a.props == b.props;
}

}  // namespace sinew::store_internal

namespace sinew {

using namespace store_internal;

int32_t RecordDay(const std::string& iso) {
  if (iso.size() < 10) return 0;
  Result<FuzzyDate> d = ParseDate(iso.substr(0, 10));
  return d.ok() ? d->lo : 0;
}

namespace {

// Each record's part of a history key after its prefix.
constexpr size_t kHistoryLen = 5;  // "hist/"

class RecordedView : public ForwardingView {
 public:
  RecordedView(std::unique_ptr<StoreView> base, int32_t day)
      : ForwardingView(std::move(base)), day_(day) {}

  Result<NodeRecord> NodeBySlug(const std::string& slug) const override {
    Result<NodeRecord> n = base_->NodeBySlug(slug);
    if (n.ok() || n.status().code() != Status::Code::kNotFound) return AsOf(std::move(n));
    std::optional<NodeId> id;
    Status s =
        base_->ScanHistory(HistoryNodeSlugKey(slug), [&](std::string_view k, std::string_view v) {
          if (k.size() == HistoryNodeSlugKey(slug).size() && v.size() == 8) id = GetBE64(v, 0);
          return false;
        });
    if (!s.ok()) return s;
    if (!id) return n;
    return NodeById(*id);
  }

  Result<NodeRecord> NodeById(NodeId id) const override {
    Result<NodeRecord> n = base_->NodeById(id);
    if (n.ok() || n.status().code() != Status::Code::kNotFound) return AsOf(std::move(n));
    Result<std::optional<NodeRecord>> old = Archived<NodeRecord>(HistoryNodeKey(id), DecodeNode);
    if (!old.ok()) return old.status();
    if (!old->has_value()) return n;
    Result<NodeRecord> r = AsOf(std::move(**old));
    if (r.ok() && r->claims.empty()) return n;  // not yet, or no longer, claimed by anyone
    return r;
  }

  Result<EdgeRecord> EdgeById(EdgeId id) const override {
    Result<EdgeRecord> e = base_->EdgeById(id);
    if (e.ok() || e.status().code() != Status::Code::kNotFound) return e;
    Result<std::optional<EdgeRecord>> old = Archived<EdgeRecord>(HistoryEdgeKey(id), DecodeEdge);
    if (!old.ok()) return old.status();
    if (!old->has_value()) return e;
    return **old;
  }

  Result<std::vector<EvidenceRecord>> EvidenceOf(TargetKind kind, uint64_t target) const override {
    Result<std::vector<EvidenceRecord>> now = base_->EvidenceOf(kind, target);
    if (!now.ok()) return now;
    std::vector<EvidenceRecord> out;
    for (auto& r : now.value())
      if (Held(r.recorded_at, "")) out.push_back(std::move(r));
    SINEW_RETURN_IF_ERROR(EachArchived<EvidenceRecord>(
        HistoryEvidencePrefix(kind, target), DecodeEvidence, [&](const EvidenceRecord& r) {
          if (Held(r.recorded_at, r.retracted_at)) out.push_back(r);
          return true;
        }));
    return out;
  }

  Result<std::vector<ObservationRecord>> ObservationsOf(NodeId subject) const override {
    Result<std::vector<ObservationRecord>> out = base_->ObservationsOf(subject);
    if (!out.ok()) return out;
    SINEW_RETURN_IF_ERROR(
        EachArchived<ObservationRecord>(std::string(kHistoryPrefix) + "O" + BE64(subject),
                                        DecodeObservation, [&](const ObservationRecord& o) {
                                          out->push_back(o);
                                          return true;
                                        }));
    return out;
  }

  Status ForEachAdjacent(NodeId node, Direction dir, uint16_t type,
                         const std::function<bool(const AdjacencyEntry&)>& fn) const override {
    bool more = true;
    SINEW_RETURN_IF_ERROR(base_->ForEachAdjacent(
        node, dir, type, [&](const AdjacencyEntry& e) { return more = fn(e); }));
    if (!more) return Status::Ok();
    std::string key = BE64(node);
    if (type != 0) PutBE16(&key, type);
    return Retired(dir == Direction::kOut ? 'o' : 'i', key, fn);
  }

  Status ForEachLink(const std::function<bool(const AdjacencyEntry&)>& fn) const override {
    bool more = true;
    SINEW_RETURN_IF_ERROR(
        base_->ForEachLink([&](const AdjacencyEntry& e) { return more = fn(e); }));
    if (!more) return Status::Ok();
    return Retired('o', "", fn);
  }

  Status ForEachName(
      const std::string& prefix,
      const std::function<bool(const std::string& normalized, NodeId id)>& fn) const override {
    bool more = true;
    SINEW_RETURN_IF_ERROR(base_->ForEachName(
        prefix, [&](const std::string& n, NodeId id) { return more = fn(n, id); }));
    if (!more) return Status::Ok();
    // Nodes the store no longer holds answer by the names they had then.
    return RetiredNodes([&](const NodeRecord& n) {
      for (const std::string& name : NamesOf(n))
        if (name.compare(0, prefix.size(), prefix) == 0 && !fn(name, n.id)) return false;
      return true;
    });
  }

  Status ForEachNode(const std::function<bool(const NodeRecord&)>& fn) const override {
    bool more = true;
    Status inner;
    SINEW_RETURN_IF_ERROR(base_->ForEachNode([&](const NodeRecord& n) {
      Result<NodeRecord> r = AsOf(NodeRecord(n));
      if (!r.ok()) {
        inner = r.status();
        return false;
      }
      return more = fn(r.value());
    }));
    SINEW_RETURN_IF_ERROR(inner);
    if (!more) return Status::Ok();
    return RetiredNodes(fn);
  }

  Status ForEachEdge(const std::function<bool(const EdgeRecord&)>& fn) const override {
    bool more = true;
    SINEW_RETURN_IF_ERROR(base_->ForEachEdge([&](const EdgeRecord& e) { return more = fn(e); }));
    if (!more) return Status::Ok();
    return EachArchived<EdgeRecord>(std::string(kHistoryPrefix) + "G", DecodeEdge, fn);
  }

  Status ForEachEvidence(const std::function<bool(const EvidenceRecord&)>& fn) const override {
    return ForEachEvidenceVersion(*base_, [&](const EvidenceRecord& r) {
      return !Held(r.recorded_at, r.retracted_at) || fn(r);
    });
  }

  Status ForEachObservation(
      const std::function<bool(const ObservationRecord&)>& fn) const override {
    bool more = true;
    SINEW_RETURN_IF_ERROR(
        base_->ForEachObservation([&](const ObservationRecord& o) { return more = fn(o); }));
    if (!more) return Status::Ok();
    return EachArchived<ObservationRecord>(std::string(kHistoryPrefix) + "O", DecodeObservation,
                                           fn);
  }

 private:
  // Calls fn for every record the history holds under `prefix`.
  template <typename Record, typename Decode>
  Status EachArchived(const std::string& prefix, Decode decode,
                      const std::function<bool(const Record&)>& fn) const {
    Status inner;
    SINEW_RETURN_IF_ERROR(base_->ScanHistory(prefix, [&](std::string_view, std::string_view v) {
      Record r;
      inner = decode(v, &r);
      return inner.ok() && fn(r);
    }));
    return inner;
  }

  // The record the history holds under exactly `key`, if any.
  template <typename Record, typename Decode>
  Result<std::optional<Record>> Archived(const std::string& key, Decode decode) const {
    std::optional<Record> out;
    Status inner;
    SINEW_RETURN_IF_ERROR(base_->ScanHistory(key, [&](std::string_view k, std::string_view v) {
      if (k.size() != key.size()) return false;
      Record r;
      inner = decode(v, &r);
      if (inner.ok()) out = std::move(r);
      return false;
    }));
    SINEW_RETURN_IF_ERROR(inner);
    return out;
  }

  // Whether a record recorded at `from` and withdrawn at `to` (empty: held
  // now) was held at the end of the day asked about.
  bool Held(const std::string& from, const std::string& to) const {
    return RecordDay(from) <= day_ && (to.empty() || RecordDay(to) > day_);
  }

  // When `source` was first recorded: what an undated claim of it stands on.
  std::string SourceSince(SourceId id) const {
    auto it = since_.find(id);
    if (it != since_.end()) return it->second;
    Result<SourceRecord> s = base_->SourceById(id, false);
    std::string at;
    if (s.ok()) at = s->first_ingested_at.empty() ? s->ingested_at : s->first_ingested_at;
    return since_.emplace(id, at).first->second;
  }

  // The node with the claims that were held at the end of the day.
  Result<NodeRecord> AsOf(Result<NodeRecord> n) const {
    if (!n.ok()) return n;
    NodeRecord r = std::move(n).value();
    for (auto it = r.claims.begin(); it != r.claims.end();) {
      const std::string& at =
          it->second.recorded_at.empty() ? SourceSince(it->first) : it->second.recorded_at;
      it = Held(at, "") ? std::next(it) : r.claims.erase(it);
    }
    Status inner;
    SINEW_RETURN_IF_ERROR(
        base_->ScanHistory(HistoryClaimPrefix(r.id), [&](std::string_view k, std::string_view v) {
          std::string retracted(k.substr(kHistoryLen + 1 + 16));
          NodeRecord one;
          inner = DecodeNode(v, &one);
          if (!inner.ok()) return false;
          for (auto& [src, claim] : one.claims)
            if (Held(claim.recorded_at, retracted)) r.claims[src] = std::move(claim);
          return true;
        }));
    SINEW_RETURN_IF_ERROR(inner);
    r.name.clear();
    r.Merge();
    return r;
  }

  // Adjacency rows of links the store no longer holds, under `key`.
  Status Retired(char dir, const std::string& key,
                 const std::function<bool(const AdjacencyEntry&)>& fn) const {
    std::string prefix = std::string(kHistoryPrefix) + "A" + dir;
    return base_->ScanHistory(prefix + key, [&](std::string_view k, std::string_view v) {
      std::string_view row = k.substr(prefix.size());
      if (row.size() != kAdjacencyKeySize) return true;
      return fn(AdjacencyEntryOf(row, v));
    });
  }

  // Nodes the store no longer holds that were claimed at the end of the day.
  Status RetiredNodes(const std::function<bool(const NodeRecord&)>& fn) const {
    std::vector<NodeRecord> nodes;
    SINEW_RETURN_IF_ERROR(EachArchived<NodeRecord>(std::string(kHistoryPrefix) + "N", DecodeNode,
                                                   [&](const NodeRecord& n) {
                                                     nodes.push_back(n);
                                                     return true;
                                                   }));
    for (NodeRecord& n : nodes) {
      if (base_->NodeById(n.id).ok()) continue;  // back again since
      Result<NodeRecord> r = AsOf(std::move(n));
      if (!r.ok()) return r.status();
      if (r->claims.empty()) continue;
      if (!fn(r.value())) break;
    }
    return Status::Ok();
  }

  int32_t day_;
  mutable std::map<SourceId, std::string> since_;
};

}  // namespace

std::unique_ptr<StoreView> RecordedBy(std::unique_ptr<StoreView> base, int32_t day) {
  return std::make_unique<RecordedView>(std::move(base), day);
}

Status ForEachEvidenceVersion(const StoreView& view,
                              const std::function<bool(const EvidenceRecord&)>& fn) {
  bool more = true;
  SINEW_RETURN_IF_ERROR(
      view.ForEachEvidence([&](const EvidenceRecord& r) { return more = fn(r); }));
  if (!more) return Status::Ok();
  Status inner;
  SINEW_RETURN_IF_ERROR(view.ScanHistory(std::string(kHistoryPrefix) + "E",
                                         [&](std::string_view, std::string_view v) {
                                           EvidenceRecord r;
                                           inner = DecodeEvidence(v, &r);
                                           return inner.ok() && fn(r);
                                         }));
  return inner;
}

Status ForEachEvidenceVersion(
    const StoreView& view,
    const std::function<bool(std::string_view recorded_at, std::string_view retracted_at)>& keep,
    const std::function<bool(const EvidenceRecord&)>& fn) {
  bool more = true;
  SINEW_RETURN_IF_ERROR(
      view.ForEachEvidenceWhere(keep, [&](const EvidenceRecord& r) { return more = fn(r); }));
  if (!more) return Status::Ok();
  Status inner;
  SINEW_RETURN_IF_ERROR(view.ScanHistory(std::string(kHistoryPrefix) + "E",
                                         [&](std::string_view, std::string_view v) {
                                           EvidenceRecord r;
                                           bool kept = false;
                                           inner = DecodeEvidenceIf(v, keep, &r, &kept);
                                           return inner.ok() && (!kept || fn(r));
                                         }));
  return inner;
}

namespace {

// Whether a version recorded at `recorded` and withdrawn at `retracted`
// (empty: still held) moved on a day in (d1, d2].
bool MovedBetween(int32_t d1, int32_t d2, std::string_view recorded, std::string_view retracted) {
  auto day = [](std::string_view iso) { return RecordDay(std::string(iso.substr(0, 10))); };
  int32_t r = day(recorded);
  if (r > d1 && r <= d2) return true;
  if (retracted.empty()) return false;
  int32_t x = day(retracted);
  return x > d1 && x <= d2;
}

}  // namespace

Status StoreView::ForEachEvidenceVersionBetween(
    int32_t d1, int32_t d2, const std::function<bool(const EvidenceRecord&)>& fn) const {
  return ForEachEvidenceVersion(
      *this,
      [&](std::string_view recorded, std::string_view retracted) {
        return MovedBetween(d1, d2, recorded, retracted);
      },
      fn);
}

namespace store_internal {

Result<bool> RocksView::KeepsDayIndex() const {
  Result<std::optional<std::string>> marker = Get(kMeta, kDayIndexMarker);
  if (!marker.ok()) return marker.status();
  return marker->has_value();
}

Status RocksView::ForEachEvidenceVersionBetween(
    int32_t d1, int32_t d2, const std::function<bool(const EvidenceRecord&)>& fn) const {
  Result<bool> indexed = KeepsDayIndex();
  if (!indexed.ok()) return indexed.status();
  if (d2 <= d1) return Status::Ok();  // an empty window: nothing moved in it
  if (!*indexed) return StoreView::ForEachEvidenceVersionBetween(d1, d2, fn);
  // The index's entries for the days d1 + 1 to d2: each names where a
  // version is; one named twice (recorded and withdrawn in the window, or
  // decided twice) is read once, and one since replaced under the same key
  // is left out by its own days.
  std::string from = DayIndexKey(d1 + 1, 'c', ""), to = DayIndexKey(d2 + 1, 'c', "");
  from.pop_back();  // the day's digits, not its first entry's kind
  to.pop_back();
  std::set<std::string> read;
  auto moved = [&](std::string_view recorded, std::string_view retracted) {
    return MovedBetween(d1, d2, recorded, retracted);
  };
  Status inner;
  SINEW_RETURN_IF_ERROR(ScanRange(kMeta, from, to, [&](std::string_view k, std::string_view) {
    size_t at = from.size();
    if (k.size() <= at) return true;
    char where = k[at];
    std::string key(k.substr(at + 1));
    if ((where != 'c' && where != 'h') || !read.insert(std::string(1, where) + key).second)
      return true;
    Result<std::optional<std::string>> v = Get(where == 'c' ? kEvidence : kMeta, key);
    if (!v.ok()) {
      inner = v.status();
      return false;
    }
    if (!v->has_value()) return true;  // withdrawn since: its archived copy has its own entries
    EvidenceRecord r;
    bool kept = false;
    inner = DecodeEvidenceIf(**v, moved, &r, &kept);
    return inner.ok() && (!kept || fn(r));
  }));
  return inner;
}

}  // namespace store_internal
}  // namespace sinew
