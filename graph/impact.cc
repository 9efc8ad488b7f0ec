// Who is exposed if a node is cut, domain by domain, and whether anything
// else still supplies them; and a consumer's single points of failure, which
// are the nodes whose cut would cut it off. Both rest on one judgement,
// CutOff(), so they cannot disagree.
#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "graph/best_chains.h"
#include "graph/graph.h"

namespace sinew::graph {
namespace {

bool Cancelled(const CancelFlag* cancel) { return cancel && cancel->load(); }

// The supply relation of one domain: a node's successors are its providers
// there (depends_on arcs of the domain) and whatever substitutes for one of
// them; its predecessors are the reverse. `confident` keeps only links of at
// least `min_confidence`: what counts as an alternative.
class Supply {
 public:
  Supply(const ArcSource& deps, const ArcSource& subs, int domain, double min_confidence)
      : deps_(deps), subs_(subs), domain_(domain), min_(min_confidence) {}

  Status Successors(NodeId v, bool confident, std::vector<NodeId>* out) {
    out->clear();
    std::span<const Arc> provided, substituting;
    SINEW_RETURN_IF_ERROR(deps_.OutView(v, &scratch_, &provided));
    providers_.clear();
    for (const Arc& a : provided)
      if (a.domain == domain_ && Counts(a, confident)) providers_.push_back(a.to);
    for (NodeId p : providers_) {
      out->push_back(p);
      SINEW_RETURN_IF_ERROR(subs_.InView(p, &other_, &substituting));  // s substitutes for p
      for (const Arc& s : substituting)
        if (Counts(s, confident)) out->push_back(s.from);
    }
    return Status::Ok();
  }

  Status Predecessors(NodeId x, bool confident, std::vector<NodeId>* out) {
    out->clear();
    std::span<const Arc> arcs, stands_for;
    SINEW_RETURN_IF_ERROR(deps_.InView(x, &scratch_, &arcs));
    for (const Arc& a : arcs)
      if (a.domain == domain_ && Counts(a, confident)) out->push_back(a.from);
    // Those who depend on something x substitutes for.
    SINEW_RETURN_IF_ERROR(subs_.OutView(x, &other_, &stands_for));
    for (const Arc& s : stands_for) {
      if (!Counts(s, confident)) continue;
      SINEW_RETURN_IF_ERROR(deps_.InView(s.to, &scratch_, &arcs));
      for (const Arc& a : arcs)
        if (a.domain == domain_ && Counts(a, confident)) out->push_back(a.from);
    }
    return Status::Ok();
  }

 private:
  bool Counts(const Arc& a, bool confident) const { return !confident || a.confidence >= min_; }
  const ArcSource& deps_;
  const ArcSource& subs_;
  int domain_;
  double min_;
  std::vector<Arc> scratch_, other_;
  std::vector<NodeId> providers_;
};

// The nodes cut off in `domain` if `root` is cut. U, everything whose supply
// there can lead to the root (by any link, however weakly attested), is
// found walking back from the root; a node of U stays supplied when one of
// its confident successors lies outside U (so does not depend on the root at
// all), or is itself still supplied; the rest of U is cut off: every chain of
// its supply runs into the root, or leaves it only by links too weakly
// attested to count as an alternative.
Result<std::unordered_set<NodeId>> CutOff(const ArcSource& deps, const ArcSource& subs, NodeId root,
                                          int domain, double min_confidence,
                                          const CancelFlag* cancel) {
  Supply supply(deps, subs, domain, min_confidence);
  std::unordered_set<NodeId> upstream;
  std::deque<NodeId> queue{root};
  std::vector<NodeId> scratch;
  while (!queue.empty()) {
    if (Cancelled(cancel)) return Status::Cancelled();
    NodeId x = queue.front();
    queue.pop_front();
    SINEW_RETURN_IF_ERROR(supply.Predecessors(x, false, &scratch));
    for (NodeId v : scratch)
      if (v != root && upstream.insert(v).second) queue.push_back(v);
  }
  std::unordered_set<NodeId> supplied;
  for (NodeId v : upstream) {
    SINEW_RETURN_IF_ERROR(supply.Successors(v, true, &scratch));
    for (NodeId s : scratch)
      if (s != root && !upstream.count(s)) {
        supplied.insert(v);
        queue.push_back(v);
        break;
      }
  }
  while (!queue.empty()) {
    if (Cancelled(cancel)) return Status::Cancelled();
    NodeId x = queue.front();
    queue.pop_front();
    SINEW_RETURN_IF_ERROR(supply.Predecessors(x, true, &scratch));
    for (NodeId u : scratch)
      if (upstream.count(u) && supplied.insert(u).second) queue.push_back(u);
  }
  std::unordered_set<NodeId> cut;
  for (NodeId v : upstream)
    if (!supplied.count(v)) cut.insert(v);
  return cut;
}

}  // namespace

Result<std::vector<Exposure>> ImpactOf(const ArcSource& deps, const ArcSource& substitutes,
                                       NodeId root, const CancelFlag* cancel, size_t via_for,
                                       double min_alternative) {
  // A chain of one domain ends with a link of that domain into the root.
  std::vector<Arc> into;
  SINEW_RETURN_IF_ERROR(deps.In(root, &into));
  std::set<int> domains;
  for (const Arc& a : into) domains.insert(a.domain);
  std::vector<Exposure> out;
  // Each exposure's chain as (search, label), spelled out for a page only.
  std::vector<internal::BestChains> searches;
  std::vector<std::pair<size_t, int>> chains;
  for (int d : domains) {
    Result<internal::BestChains> best =
        internal::SearchBestChains(deps, root, /*forward=*/false, d, std::nullopt, cancel);
    if (!best.ok()) return best.status();
    Result<std::unordered_set<NodeId>> cut =
        CutOff(deps, substitutes, root, d, min_alternative, cancel);
    if (!cut.ok()) return cut.status();
    for (const auto& [node, label] : best->best) {
      if (node == root) continue;
      const internal::ChainLabel& l = best->labels[label];
      Exposure e;
      e.node = node;
      e.domain = d;
      e.score = l.score;
      e.confidence = l.confidence;
      e.span = l.span;
      e.cut_off = cut->count(node) > 0;
      chains.emplace_back(searches.size(), label);
      out.push_back(std::move(e));
    }
    searches.push_back(std::move(best).value());
  }
  std::vector<size_t> order(out.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const Exposure& a = out[x];
    const Exposure& b = out[y];
    if (a.score != b.score) return a.score > b.score;
    if (a.node != b.node) return a.node < b.node;
    return a.domain < b.domain;
  });
  std::vector<Exposure> sorted;
  sorted.reserve(out.size());
  for (size_t k = 0; k < order.size(); ++k) {
    sorted.push_back(std::move(out[order[k]]));
    // The chain, for the first `via_for` only: a question shows a page.
    if (k < via_for) {
      const auto& [search, label] = chains[order[k]];
      sorted.back().via = searches[search].ArcsTo(label);
    }
  }
  return sorted;
}

Result<std::vector<SinglePointSearch>> SinglePointsOf(const ArcSource& deps,
                                                      const ArcSource& substitutes, NodeId consumer,
                                                      size_t budget, const CancelFlag* cancel,
                                                      double min_alternative) {
  std::vector<Arc> own;
  SINEW_RETURN_IF_ERROR(deps.Out(consumer, &own));
  std::set<int> domains;
  for (const Arc& a : own) domains.insert(a.domain);
  std::vector<SinglePointSearch> out;
  for (int d : domains) {
    SinglePointSearch search;
    search.domain = d;
    Supply supply(deps, substitutes, d, min_alternative);
    std::set<NodeId> direct;
    for (const Arc& a : own)
      if (a.domain == d) direct.insert(a.to);
    // Every node the consumer's supply reaches, nearest first.
    std::vector<NodeId> reached;
    std::unordered_set<NodeId> seen{consumer};
    std::deque<NodeId> queue{consumer};
    std::vector<NodeId> scratch;
    while (!queue.empty()) {
      NodeId v = queue.front();
      queue.pop_front();
      SINEW_RETURN_IF_ERROR(supply.Successors(v, false, &scratch));
      if (v == consumer) {
        std::set<NodeId> all(scratch.begin(), scratch.end());
        search.providers = all.size();
        std::vector<NodeId> strong;
        SINEW_RETURN_IF_ERROR(supply.Successors(v, true, &strong));
        search.weak = all.size() - std::set<NodeId>(strong.begin(), strong.end()).size();
      }
      for (NodeId s : scratch)
        if (seen.insert(s).second) {
          reached.push_back(s);
          queue.push_back(s);
        }
    }
    search.reachable = reached.size();
    Result<internal::BestChains> chains =
        internal::SearchBestChains(deps, consumer, /*forward=*/true, d, std::nullopt, cancel);
    if (!chains.ok()) return chains.status();
    for (NodeId x : reached) {
      if (search.searched >= budget) {
        search.complete = false;
        break;
      }
      ++search.searched;
      Result<std::unordered_set<NodeId>> cut =
          CutOff(deps, substitutes, x, d, min_alternative, cancel);
      if (!cut.ok()) return cut.status();
      if (!cut->count(consumer)) continue;
      SinglePoint p;
      p.node = x;
      p.domain = d;
      p.direct = direct.count(x) > 0;
      if (auto it = chains->best.find(x); it != chains->best.end()) {
        p.via = chains->ArcsTo(it->second);
        std::reverse(p.via.begin(), p.via.end());
      }
      search.points.push_back(std::move(p));
    }
    out.push_back(std::move(search));
  }
  return out;
}

}  // namespace sinew::graph
