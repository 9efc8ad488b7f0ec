// Who is exposed if a node is cut, domain by domain, and whether anything
// else still supplies them; and a consumer's single points of failure, which
// are the nodes whose cut would cut it off. Both rest on one judgement,
// CutOff(), so they cannot disagree.
#include <algorithm>
#include <set>

#include "graph/best_chains.h"
#include "graph/graph.h"

namespace sinew::graph {
namespace {

using internal::NodeIndex;

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
    SINEW_RETURN_IF_ERROR(deps_.OutDomainView(v, domain_, &scratch_, &provided));
    providers_.clear();
    for (const Arc& a : provided)
      if (Counts(a, confident)) providers_.push_back(a.to);
    for (NodeId p : providers_) {
      out->push_back(p);
      SINEW_RETURN_IF_ERROR(subs_.InView(p, &other_, &substituting));  // s substitutes for p
      for (const Arc& s : substituting)
        if (Counts(s, confident)) out->push_back(s.from);
    }
    return Status::Ok();
  }

  // Each predecessor, and whether the links that make it one are confident.
  Status Predecessors(NodeId x, std::vector<std::pair<NodeId, bool>>* out) {
    out->clear();
    std::span<const Arc> arcs, stands_for;
    SINEW_RETURN_IF_ERROR(deps_.InDomainView(x, domain_, &scratch_, &arcs));
    for (const Arc& a : arcs) out->emplace_back(a.from, Counts(a, true));
    // Those who depend on something x substitutes for.
    SINEW_RETURN_IF_ERROR(subs_.OutView(x, &other_, &stands_for));
    for (const Arc& s : stands_for) {
      SINEW_RETURN_IF_ERROR(deps_.InDomainView(s.to, domain_, &scratch_, &arcs));
      for (const Arc& a : arcs) out->emplace_back(a.from, Counts(a, true) && Counts(s, true));
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
Result<NodeIndex> CutOff(const ArcSource& deps, const ArcSource& subs, NodeId root, int domain,
                         double min_confidence, const CancelFlag* cancel) {
  Supply supply(deps, subs, domain, min_confidence);
  // U, numbered in the order the walk back from the root finds it, which
  // makes its list of ids the walk's queue as well. Each node's confident
  // predecessors (their numbers) are kept for the last step: list k is the
  // root's for k = 0, else node k - 1's.
  NodeIndex upstream;
  std::vector<std::pair<NodeId, bool>> preds;
  std::vector<uint32_t> confident, confident_start{0};
  for (size_t next = 0; next <= upstream.size(); ++next) {
    if (Cancelled(cancel)) return Status::Cancelled();
    NodeId x = next == 0 ? root : upstream.Id(static_cast<uint32_t>(next - 1));
    SINEW_RETURN_IF_ERROR(supply.Predecessors(x, &preds));
    for (const auto& [v, strong] : preds) {
      if (v == root) continue;
      uint32_t n = upstream.Add(v).first;
      if (strong) confident.push_back(n);
    }
    confident_start.push_back(static_cast<uint32_t>(confident.size()));
  }
  std::vector<NodeId> scratch;
  std::vector<char> supplied(upstream.size(), 0);
  std::vector<uint32_t> queue;
  for (uint32_t n = 0; n < upstream.size(); ++n) {
    SINEW_RETURN_IF_ERROR(supply.Successors(upstream.Id(n), true, &scratch));
    for (NodeId s : scratch)
      if (s != root && !upstream.Contains(s)) {
        supplied[n] = 1;
        queue.push_back(n);
        break;
      }
  }
  for (size_t next = 0; next < queue.size(); ++next) {
    if (Cancelled(cancel)) return Status::Cancelled();
    uint32_t list = queue[next] + 1;
    for (uint32_t k = confident_start[list]; k < confident_start[list + 1]; ++k)
      if (!supplied[confident[k]]) {
        supplied[confident[k]] = 1;
        queue.push_back(confident[k]);
      }
  }
  NodeIndex cut;
  for (uint32_t n = 0; n < upstream.size(); ++n)
    if (!supplied[n]) cut.Add(upstream.Id(n));
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
    Result<NodeIndex> cut = CutOff(deps, substitutes, root, d, min_alternative, cancel);
    if (!cut.ok()) return cut.status();
    for (uint32_t n = 0; n < best->nodes.size(); ++n) {
      NodeId node = best->nodes.Id(n);
      int label = best->best[n];
      if (node == root || label < 0) continue;
      const internal::ChainLabel& l = best->labels[label];
      Exposure e;
      e.node = node;
      e.domain = d;
      e.score = l.score;
      e.confidence = l.confidence;
      e.span = l.span;
      e.cut_off = cut->Contains(node);
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
    NodeIndex seen;  // the consumer, then what it reaches in the order reached
    seen.Add(consumer);
    std::vector<NodeId> scratch;
    for (uint32_t next = 0; next < seen.size(); ++next) {
      NodeId v = seen.Id(next);
      SINEW_RETURN_IF_ERROR(supply.Successors(v, false, &scratch));
      if (v == consumer) {
        std::set<NodeId> all(scratch.begin(), scratch.end());
        search.providers = all.size();
        std::vector<NodeId> strong;
        SINEW_RETURN_IF_ERROR(supply.Successors(v, true, &strong));
        search.weak = all.size() - std::set<NodeId>(strong.begin(), strong.end()).size();
      }
      for (NodeId s : scratch) seen.Add(s);
    }
    std::vector<NodeId> reached(seen.ids().begin() + 1, seen.ids().end());
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
      Result<NodeIndex> cut = CutOff(deps, substitutes, x, d, min_alternative, cancel);
      if (!cut.ok()) return cut.status();
      if (!cut->Contains(consumer)) continue;
      SinglePoint p;
      p.node = x;
      p.domain = d;
      p.direct = direct.count(x) > 0;
      if (int label = chains->BestAt(x); label >= 0) {
        p.via = chains->ArcsTo(label);
        std::reverse(p.via.begin(), p.via.end());
      }
      search.points.push_back(std::move(p));
    }
    out.push_back(std::move(search));
  }
  return out;
}

}  // namespace sinew::graph
