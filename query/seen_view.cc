// A store view as one asker sees it: each node named, aliased and described
// only by the sources the asker's clearance (and --known-at) admits, and the
// name index answering only for those names. Edges, evidence and figures are
// filtered where they are read (graph::Admit, VisibleEvidence); nodes are
// filtered here, so every command and export sees the same node.
#include <map>
#include <optional>
#include <set>

#include "query/query.h"

namespace sinew::query {
namespace {

class SeenView : public ForwardingView {
 public:
  SeenView(std::unique_ptr<StoreView> base, const EdgeFilter& filter)
      : ForwardingView(std::move(base)), filter_(filter) {}

  Result<NodeRecord> NodeBySlug(const std::string& slug) const override {
    return AsSeen(base_->NodeBySlug(slug));
  }
  Result<NodeRecord> NodeById(NodeId id) const override { return AsSeen(base_->NodeById(id)); }
  Status ForEachName(
      const std::string& prefix,
      const std::function<bool(const std::string& normalized, NodeId id)>& fn) const override {
    if (Everything()) return base_->ForEachName(prefix, fn);
    return base_->ForEachName(prefix, [&](const std::string& norm, NodeId id) {
      return NamesOf(id).count(norm) ? fn(norm, id) : true;
    });
  }
  // Evidence is filtered where it is read, not here: passed on as it is.
  Status ForEachEvidenceOfStatus(
      EvidenceStatus status, const std::function<bool(const EvidenceRecord&)>& fn) const override {
    return base_->ForEachEvidenceOfStatus(status, fn);
  }
  Status ForEachNode(const std::function<bool(const NodeRecord&)>& fn) const override {
    if (Everything()) return base_->ForEachNode(fn);
    return base_->ForEachNode([&](const NodeRecord& n) {
      NodeRecord seen = n;
      Clear(&seen);
      return fn(seen);
    });
  }

 private:
  bool Everything() const { return filter_.SeesEverything(); }

  // The source, when the asker may see it.
  const std::optional<SourceRecord>& SourceSeen(SourceId id) const {
    auto it = sources_.find(id);
    if (it != sources_.end()) return it->second;
    Result<SourceRecord> s = base_->SourceById(id);
    std::optional<SourceRecord> seen;
    if (s.ok() && filter_.SeesSource(s.value())) seen = std::move(s).value();
    return sources_.emplace(id, std::move(seen)).first->second;
  }

  // Whether the asker sees the name and aliases this claim gives.
  bool Claimed(SourceId id, const NodeClaim& claim) const {
    const std::optional<SourceRecord>& s = SourceSeen(id);
    return s && filter_.SeesClaim(claim, *s);
  }

  // Keeps the claims of sources the asker may see; the node is then named by
  // them alone (by its id when none of them names it).
  void Clear(NodeRecord* n) const {
    for (auto it = n->claims.begin(); it != n->claims.end();)
      it = Claimed(it->first, it->second) ? std::next(it) : n->claims.erase(it);
    n->name.clear();
    n->Merge();
  }

  Result<NodeRecord> AsSeen(Result<NodeRecord> n) const {
    if (!n.ok() || Everything()) return n;
    NodeRecord r = std::move(n).value();
    Clear(&r);
    return r;
  }

  // The normalised names the index may answer with for node `id`.
  const std::set<std::string>& NamesOf(NodeId id) const {
    auto it = names_.find(id);
    if (it != names_.end()) return it->second;
    std::set<std::string> names;
    Result<NodeRecord> n = NodeById(id);
    if (n.ok()) {
      names.insert(NormalizeName(n->slug));
      names.insert(NormalizeName(n->name));
      for (const auto& a : n->aliases) names.insert(NormalizeName(a));
    }
    return names_.emplace(id, std::move(names)).first->second;
  }

  EdgeFilter filter_;
  mutable std::map<SourceId, std::optional<SourceRecord>> sources_;
  mutable std::map<NodeId, std::set<std::string>> names_;
};

}  // namespace

std::unique_ptr<StoreView> SeenBy(std::unique_ptr<StoreView> view, const EdgeFilter& filter) {
  // --known-at: the store as it stood then, history included.
  if (filter.known_at != 0) view = RecordedBy(std::move(view), filter.known_at);
  return std::make_unique<SeenView>(std::move(view), filter);
}

}  // namespace sinew::query
