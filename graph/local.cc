// The few nodes a question between two nodes can reach, as a graph of their
// own: a cold process answers chains and shortest paths from them instead of
// projecting the whole store (docs/benchmarks.md).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "graph/arcs_internal.h"
#include "graph/node_index.h"

namespace sinew::graph {
namespace {

// The arcs of a base source whose two ends both lie in a node set, as
// lists by the set's own numbering (a list per node in a hash map was most
// of a shortest-path question at 10^6 links).
class Induced final : public ArcSource {
 public:
  Status Out(NodeId node, std::vector<Arc>* arcs) const override {
    std::span<const Arc> view;
    SINEW_RETURN_IF_ERROR(OutView(node, nullptr, &view));
    arcs->assign(view.begin(), view.end());
    return Status::Ok();
  }
  Status In(NodeId node, std::vector<Arc>* arcs) const override {
    std::span<const Arc> view;
    SINEW_RETURN_IF_ERROR(InView(node, nullptr, &view));
    arcs->assign(view.begin(), view.end());
    return Status::Ok();
  }
  Status OutView(NodeId node, std::vector<Arc>*, std::span<const Arc>* view) const override {
    *view = Lend(out_, out_start_, node);
    return Status::Ok();
  }
  Status InView(NodeId node, std::vector<Arc>*, std::span<const Arc>* view) const override {
    *view = Lend(in_, in_start_, node);
    return Status::Ok();
  }
  Result<std::vector<NodeId>> Nodes() const override {
    std::vector<NodeId> nodes;
    for (uint32_t n = 0; n < nodes_.size(); ++n)
      if (out_start_[n + 1] > out_start_[n] || in_start_[n + 1] > in_start_[n])
        nodes.push_back(nodes_.Id(n));
    std::sort(nodes.begin(), nodes.end());
    return nodes;
  }

  static Result<std::unique_ptr<ArcSource>> Build(const ArcSource& base,
                                                  internal::NodeIndex nodes) {
    auto g = std::make_unique<Induced>();
    size_t n = nodes.size();
    g->out_start_.assign(n + 1, 0);
    g->in_start_.assign(n + 1, 0);
    std::vector<Arc> scratch;
    std::span<const Arc> arcs;
    for (uint32_t v = 0; v < n; ++v) {
      SINEW_RETURN_IF_ERROR(base.OutView(nodes.Id(v), &scratch, &arcs));
      size_t first = g->out_.size();
      for (const Arc& a : arcs) {
        uint32_t w = nodes.Find(a.to);
        if (w == internal::NodeIndex::kNone) continue;
        g->out_.push_back(a);
        ++g->in_start_[w + 1];
      }
      // The base's own order (each list sorted as both sources sort theirs).
      if (!std::is_sorted(g->out_.begin() + first, g->out_.end(), internal::OutOrder))
        std::sort(g->out_.begin() + first, g->out_.end(), internal::OutOrder);
      g->out_start_[v + 1] = static_cast<uint32_t>(g->out_.size());
    }
    for (size_t v = 0; v < n; ++v) g->in_start_[v + 1] += g->in_start_[v];
    std::vector<uint32_t> fill(g->in_start_.begin(), g->in_start_.end() - 1);
    g->in_.resize(g->out_.size());
    for (const Arc& a : g->out_) g->in_[fill[nodes.Find(a.to)]++] = a;
    for (size_t v = 0; v < n; ++v) {
      auto first = g->in_.begin() + g->in_start_[v], last = g->in_.begin() + g->in_start_[v + 1];
      if (!std::is_sorted(first, last, internal::InOrder))
        std::sort(first, last, internal::InOrder);
    }
    g->nodes_ = std::move(nodes);
    return std::unique_ptr<ArcSource>(std::move(g));
  }

 private:
  std::span<const Arc> Lend(const std::vector<Arc>& arcs, const std::vector<uint32_t>& start,
                            NodeId node) const {
    uint32_t v = nodes_.Find(node);
    if (v == internal::NodeIndex::kNone) return {};
    return std::span<const Arc>(arcs.data() + start[v], start[v + 1] - start[v]);
  }
  internal::NodeIndex nodes_;
  std::vector<uint32_t> out_start_{0}, in_start_{0};  // node v's arcs: [start[v], start[v + 1])
  std::vector<Arc> out_, in_;
};

// Breadth first from `start`, `hops` levels, forward or backward; adds what
// it meets to `seen` with its distance. False when `seen` would pass `budget`.
Result<bool> Reach(const ArcSource& base, NodeId start, bool forward, int hops, size_t budget,
                   std::unordered_map<NodeId, int>* seen) {
  seen->emplace(start, 0);
  std::vector<NodeId> frontier{start}, next;
  std::vector<Arc> scratch;
  std::span<const Arc> arcs;
  for (int d = 1; d <= hops && !frontier.empty(); ++d) {
    next.clear();
    for (NodeId v : frontier) {
      SINEW_RETURN_IF_ERROR(forward ? base.OutView(v, &scratch, &arcs)
                                    : base.InView(v, &scratch, &arcs));
      for (const Arc& a : arcs)
        if (seen->emplace(forward ? a.to : a.from, d).second) {
          if (seen->size() > budget) return false;
          next.push_back(forward ? a.to : a.from);
        }
    }
    frontier.swap(next);
  }
  return true;
}

internal::NodeIndex Union(const std::unordered_map<NodeId, int>& a,
                          const std::unordered_map<NodeId, int>& b) {
  internal::NodeIndex out;
  for (const auto& [n, d] : a) out.Add(n);
  for (const auto& [n, d] : b) out.Add(n);
  return out;
}

class OpenSpans final : public ArcSource {
 public:
  explicit OpenSpans(const ArcSource& base) : base_(base) {}
  Status Out(NodeId node, std::vector<Arc>* arcs) const override {
    SINEW_RETURN_IF_ERROR(base_.Out(node, arcs));
    Open(arcs);
    return Status::Ok();
  }
  Status In(NodeId node, std::vector<Arc>* arcs) const override {
    SINEW_RETURN_IF_ERROR(base_.In(node, arcs));
    Open(arcs);
    return Status::Ok();
  }
  Result<std::vector<NodeId>> Nodes() const override { return base_.Nodes(); }

 private:
  static void Open(std::vector<Arc>* arcs) {
    for (Arc& a : *arcs) a.valid_from = kDateMin, a.valid_to = kDateMax;
  }
  const ArcSource& base_;
};

class NoArcs final : public ArcSource {
 public:
  Status Out(NodeId, std::vector<Arc>* arcs) const override {
    arcs->clear();
    return Status::Ok();
  }
  Status In(NodeId, std::vector<Arc>* arcs) const override {
    arcs->clear();
    return Status::Ok();
  }
  Result<std::vector<NodeId>> Nodes() const override { return std::vector<NodeId>{}; }
};

// A dependence walk (0) and its substitutes (1), read from the store node by
// node, each arc list kept, until either walk has read `budget` lists; then
// both projected from one scan, and every later read answered from there.
struct TwoWalks {
  TwoWalks(const StoreView& view, const EdgeFilter& filter, std::set<uint16_t> types,
           std::set<uint16_t> reversed, size_t budget)
      : view(view),
        filter(filter),
        types(std::move(types)),
        reversed(std::move(reversed)),
        budget(budget) {
    store[0] = StoreArcs(view, filter, this->types, this->reversed);
    // A schema without substitutes_for has none to walk (an empty type set
    // would walk every type).
    uint16_t sub = internal::SubstitutesForCode(view.schema());
    store[1] = sub ? StoreArcs(view, filter, {sub}) : std::make_unique<NoArcs>();
  }

  // The arcs of one walk at `node`: a view into the projection once there
  // is one, else a copy of the kept list in `scratch` (a kept list does not
  // outlive the switch, a caller's scratch does).
  // Only the arcs of `domain` when it is not negative.
  Status Read(int k, NodeId node, bool out, int domain, std::vector<Arc>* scratch,
              std::span<const Arc>* view) {
    if (!projected.walk) {
      auto& lists = kept[k][out ? 0 : 1];
      auto it = lists.find(node);
      if (it == lists.end()) {
        if (kept[k][0].size() + kept[k][1].size() >= budget) {
          SINEW_RETURN_IF_ERROR(Project());
        } else {
          std::vector<Arc> arcs;
          SINEW_RETURN_IF_ERROR(out ? store[k]->Out(node, &arcs) : store[k]->In(node, &arcs));
          it = lists.emplace(node, std::move(arcs)).first;
        }
      }
      if (!projected.walk) {
        scratch->clear();
        for (const Arc& a : it->second)
          if (domain < 0 || a.domain == domain) scratch->push_back(a);
        *view = *scratch;
        return Status::Ok();
      }
    }
    const ArcSource& p = k == 0 ? *projected.walk : *projected.substitutes;
    if (domain >= 0)
      return out ? p.OutDomainView(node, domain, scratch, view)
                 : p.InDomainView(node, domain, scratch, view);
    return out ? p.OutView(node, scratch, view) : p.InView(node, scratch, view);
  }

  Status Project() {
    if (projected.walk) return Status::Ok();
    Result<Projection::WithSubstitutes> p =
        Projection::BuildWithSubstitutes(view, filter, types, reversed);
    if (!p.ok()) return p.status();
    projected = std::move(p).value();
    for (auto& walk : kept)
      for (auto& lists : walk) Kept().swap(lists);
    return Status::Ok();
  }

  using Kept = std::unordered_map<NodeId, std::vector<Arc>>;
  const StoreView& view;
  EdgeFilter filter;
  std::set<uint16_t> types, reversed;
  size_t budget;
  std::unique_ptr<ArcSource> store[2];
  Kept kept[2][2];  // [walk][out, in]
  Projection::WithSubstitutes projected;
};

// One of the two walks.
class OneOfTwo final : public ArcSource {
 public:
  OneOfTwo(std::shared_ptr<TwoWalks> both, int which) : both_(std::move(both)), which_(which) {}
  Status Out(NodeId node, std::vector<Arc>* arcs) const override { return Copy(node, true, arcs); }
  Status In(NodeId node, std::vector<Arc>* arcs) const override { return Copy(node, false, arcs); }
  Status OutView(NodeId node, std::vector<Arc>* scratch,
                 std::span<const Arc>* view) const override {
    return both_->Read(which_, node, true, -1, scratch, view);
  }
  Status InView(NodeId node, std::vector<Arc>* scratch, std::span<const Arc>* view) const override {
    return both_->Read(which_, node, false, -1, scratch, view);
  }
  Status OutDomainView(NodeId node, int domain, std::vector<Arc>* scratch,
                       std::span<const Arc>* view) const override {
    return both_->Read(which_, node, true, domain, scratch, view);
  }
  Status InDomainView(NodeId node, int domain, std::vector<Arc>* scratch,
                      std::span<const Arc>* view) const override {
    return both_->Read(which_, node, false, domain, scratch, view);
  }
  Result<std::vector<NodeId>> Nodes() const override {
    SINEW_RETURN_IF_ERROR(both_->Project());
    return (which_ == 0 ? *both_->projected.walk : *both_->projected.substitutes).Nodes();
  }

 private:
  Status Copy(NodeId node, bool out, std::vector<Arc>* arcs) const {
    std::vector<Arc> scratch;
    std::span<const Arc> view;
    SINEW_RETURN_IF_ERROR(both_->Read(which_, node, out, -1, &scratch, &view));
    arcs->assign(view.begin(), view.end());
    return Status::Ok();
  }
  std::shared_ptr<TwoWalks> both_;
  int which_;
};

}  // namespace

std::unique_ptr<ArcSource> Timeless(const ArcSource& base) {
  return std::make_unique<OpenSpans>(base);
}

WalkAndSubstitutes StoreArcsOrProjections(const StoreView& view, const EdgeFilter& filter,
                                          const std::set<uint16_t>& types,
                                          const std::set<uint16_t>& reversed, size_t budget) {
  auto both = std::make_shared<TwoWalks>(view, filter, types, reversed, budget);
  return {std::make_unique<OneOfTwo>(both, 0), std::make_unique<OneOfTwo>(both, 1)};
}

Result<std::unique_ptr<ArcSource>> ChainNeighbourhood(const ArcSource& base, NodeId from, NodeId to,
                                                      int max_depth, size_t budget) {
  // A node on a chain of at most max_depth hops is within half of them
  // (rounded up) after `from`, or within the other half before `to`: the
  // graph these nodes induce holds every such chain, arc for arc.
  std::unordered_map<NodeId, int> ahead, behind;
  Result<bool> f = Reach(base, from, true, (max_depth + 1) / 2, budget, &ahead);
  if (!f.ok()) return f.status();
  if (!f.value()) return std::unique_ptr<ArcSource>();
  Result<bool> b = Reach(base, to, false, max_depth / 2, budget, &behind);
  if (!b.ok()) return b.status();
  if (!b.value() || ahead.size() + behind.size() > budget) return std::unique_ptr<ArcSource>();
  return Induced::Build(base, Union(ahead, behind));
}

Result<std::unique_ptr<ArcSource>> ShortestNeighbourhood(const ArcSource& base, NodeId from,
                                                         NodeId to, int max_depth, size_t budget) {
  // Breadth first from both ends, a whole level at a time on the smaller
  // frontier. With the searches at depths kf and kb, a node i hops along a
  // path of length L <= kf + kb is in the forward search (i <= kf) or the
  // backward one (L - i <= kb): their union induces every path that long.
  // The shortest path may be longer than where the searches first meet, for
  // its links must have held together; so the searches grow until they
  // cover the shortest path found on their union. A search whose frontier
  // empties has met everything on its side. No path within max_depth: the
  // empty graph says so.
  std::unordered_map<NodeId, int> ahead{{from, 0}}, behind{{to, 0}};
  std::vector<NodeId> fwd{from}, bwd{to}, next;
  std::vector<Arc> scratch;
  std::span<const Arc> arcs;
  int kf = 0, kb = 0;
  auto covered = [&] { return fwd.empty() || bwd.empty() ? INT32_MAX : kf + kb; };
  // One more level on the smaller frontier; false when over budget.
  auto grow = [&]() -> Result<bool> {
    bool forward = fwd.size() <= bwd.size();
    std::vector<NodeId>& frontier = forward ? fwd : bwd;
    std::unordered_map<NodeId, int>& seen = forward ? ahead : behind;
    int depth = (forward ? ++kf : ++kb);
    next.clear();
    for (NodeId v : frontier) {
      SINEW_RETURN_IF_ERROR(forward ? base.OutView(v, &scratch, &arcs)
                                    : base.InView(v, &scratch, &arcs));
      for (const Arc& a : arcs) {
        NodeId w = forward ? a.to : a.from;
        if (!seen.emplace(w, depth).second) continue;
        if (ahead.size() + behind.size() > budget) return false;
        next.push_back(w);
      }
    }
    frontier.swap(next);
    return true;
  };
  auto met = [&] {
    const auto& small = ahead.size() < behind.size() ? ahead : behind;
    const auto& large = ahead.size() < behind.size() ? behind : ahead;
    for (const auto& [n, d] : small)
      if (large.count(n)) return true;
    return false;
  };
  auto none = [] { return std::unique_ptr<ArcSource>(std::make_unique<Induced>()); };
  while (!met()) {
    if (covered() >= max_depth) return none();
    Result<bool> grew = grow();
    if (!grew.ok()) return grew.status();
    if (!grew.value()) return std::unique_ptr<ArcSource>();
  }
  while (true) {
    Result<std::unique_ptr<ArcSource>> near = Induced::Build(base, Union(ahead, behind));
    if (!near.ok()) return near.status();
    Result<std::optional<Chain>> path = ShortestPath(**near, from, to, max_depth);
    if (!path.ok()) return path.status();
    int target;
    if (path->has_value()) {
      target = static_cast<int>((*path)->arcs.size());
      if (target <= covered()) return near;
    } else {
      if (covered() >= max_depth) return none();
      target = covered() + 1;
    }
    while (covered() < target) {
      Result<bool> grew = grow();
      if (!grew.ok()) return grew.status();
      if (!grew.value()) return std::unique_ptr<ArcSource>();
    }
  }
}

}  // namespace sinew::graph
