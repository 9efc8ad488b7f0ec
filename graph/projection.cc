#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/range/iterator_range.hpp>
#include <mutex>
#include <unordered_map>

#include "graph/arcs_internal.h"

namespace sinew::graph {

// Vertices are dense indices. The arcs are stored in the CSR's own edge
// order (by source vertex, each vertex's in the order Out() lists them), so
// an edge's index is its arc's, and a walk reads the arcs in sequence:
// looked up through a permutation, they were a cache miss each (a third of
// a warm impact at 10^6 edges). The arcs into each vertex are a second
// array in In()'s order.
using Csr =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                       boost::no_property, uint32_t, uint32_t>;

struct Projection::Impl {
  static constexpr uint32_t kNone = UINT32_MAX;
  Csr csr;
  std::vector<Arc> arcs;           // in CSR edge order
  std::vector<uint32_t> in_start;  // arcs into vertex v: in_arcs[in_start[v], in_start[v + 1])
  std::vector<Arc> in_arcs;
  std::vector<NodeId> nodes;  // index -> node id
  // node id -> index: an array over the ids when they are dense (as the
  // store's counters make them), a hash map when they are not.
  std::vector<uint32_t> dense;
  std::unordered_map<NodeId, uint32_t> sparse;
  uint32_t Slot(NodeId n) const {
    if (!dense.empty()) return n < dense.size() ? dense[n] : kNone;
    auto it = sparse.find(n);
    return it == sparse.end() ? kNone : it->second;
  }
  // One direction's arcs again, by domain: the arcs of domain d are
  // arcs[start[d][v], start[d][v + 1]) for vertex v, in their own order. A
  // walk of one domain then reads only its own arcs, as if that domain's
  // links were a graph of their own (a walk of one domain read every arc of
  // every node it passed, and that was most of a warm impact at 10^6 links).
  // Built on the first walk by domain, once: 48 bytes per arc and 4 per
  // vertex and domain.
  struct ByDomain {
    std::vector<std::vector<uint32_t>> start;  // by domain; empty: no arcs of it
    std::vector<Arc> arcs;
  };
  mutable std::once_flag out_once, in_once;
  mutable ByDomain out_by_domain, in_by_domain;
  const ByDomain& Grouped(bool out) const;
};

const Projection::Impl::ByDomain& Projection::Impl::Grouped(bool out) const {
  ByDomain& g = out ? out_by_domain : in_by_domain;
  std::call_once(out ? out_once : in_once, [&] {
    const std::vector<Arc>& all = out ? arcs : in_arcs;  // grouped by vertex, in slot order
    size_t n = nodes.size();
    int domains = 0;
    for (const Arc& a : all) domains = std::max(domains, a.domain + 1);
    std::vector<size_t> count(domains, 0);
    for (const Arc& a : all)
      if (a.domain >= 0) ++count[a.domain];     // (domain codes are never negative)
    std::vector<size_t> block(domains + 1, 0);  // where each domain's arcs begin
    for (int d = 0; d < domains; ++d) block[d + 1] = block[d] + count[d];
    g.start.assign(domains, {});
    for (int d = 0; d < domains; ++d)
      if (count[d] > 0) g.start[d].assign(n + 1, static_cast<uint32_t>(block[d]));
    g.arcs.resize(all.size());
    std::vector<size_t> fill(block.begin(), block.end() - 1);
    size_t at = 0;
    for (size_t v = 0; v < n; ++v) {
      size_t end = out ? at + boost::out_degree(static_cast<uint32_t>(v), csr) : in_start[v + 1];
      for (; at < end; ++at)
        if (all[at].domain >= 0) g.arcs[fill[all[at].domain]++] = all[at];
      for (int d = 0; d < domains; ++d)
        if (!g.start[d].empty()) g.start[d][v + 1] = static_cast<uint32_t>(fill[d]);
    }
  });
  return g;
}

Projection::Projection() : impl_(std::make_unique<Impl>()) {}
Projection::~Projection() = default;

Result<std::unique_ptr<Projection>> Projection::Build(const StoreView& view,
                                                      const EdgeFilter& filter,
                                                      const std::set<uint16_t>& types,
                                                      const std::set<uint16_t>& reversed) {
  std::unique_ptr<Projection> p(new Projection());
  SINEW_RETURN_IF_ERROR(Scan(view, filter, types, reversed, p.get(), nullptr));
  p->Index();
  return p;
}

Result<Projection::WithSubstitutes> Projection::BuildWithSubstitutes(
    const StoreView& view, const EdgeFilter& filter, const std::set<uint16_t>& types,
    const std::set<uint16_t>& reversed) {
  WithSubstitutes out;
  out.walk.reset(new Projection());
  out.substitutes.reset(new Projection());
  SINEW_RETURN_IF_ERROR(Scan(view, filter, types, reversed, out.walk.get(), out.substitutes.get()));
  out.walk->Index();
  out.substitutes->Index();
  return out;
}

// One pass over the out-adjacency rows of the snapshot (fixed binary values,
// no record decoded), admitting each as the store walk does; the arcs of
// `types` and `reversed` go to `walk`, with the substitution rule applied,
// and those of substitutes_for, as a projection of that type alone lists
// them, to `substitutes` when given.
Status Projection::Scan(const StoreView& view, const EdgeFilter& filter,
                        const std::set<uint16_t>& types, const std::set<uint16_t>& reversed,
                        Projection* walk, Projection* substitutes_out) {
  Impl& impl = *walk->impl_;
  const Schema& schema = view.schema();
  uint16_t depends_on = internal::DependsOnCode(schema);
  uint16_t substitutes_for = internal::SubstitutesForCode(schema);
  std::vector<float> strength;  // per arc, for the substitution rule
  std::vector<char>
      dependence;  // per arc: a dependence on its head (the substitution rule applies)
  std::unordered_map<NodeId, std::vector<Arc>> substitutes;  // by provider
  Status s = view.ForEachLink([&](const AdjacencyEntry& row) {
    const EdgeTypeInfo* t = schema.EdgeTypeByCode(row.type);
    if (t == nullptr) return true;
    bool against = t->directed && reversed.count(row.type) > 0;
    bool wanted = against || types.empty() || types.count(row.type);
    if (!wanted && row.type != substitutes_for) return true;
    std::optional<AdjacencyEntry> e = Admit(view, row, filter);
    if (!e) return true;
    if (row.type == substitutes_for && substitutes_for != 0) {
      Arc a = internal::ToArc(*e, row.node, row.other);
      if (substitutes_out) {
        substitutes_out->impl_->arcs.push_back(a);
        if (!t->directed)
          substitutes_out->impl_->arcs.push_back(internal::ToArc(*e, row.other, row.node));
      }
      a.weight = e->strength;
      substitutes[row.other].push_back(a);
    }
    if (!wanted) return true;
    impl.arcs.push_back(against ? internal::ToArc(*e, row.other, row.node)
                                : internal::ToArc(*e, row.node, row.other));
    strength.push_back(e->strength);
    dependence.push_back(against || (row.type == depends_on && depends_on != 0));
    if (!t->directed) {
      impl.arcs.push_back(internal::ToArc(*e, row.other, row.node));
      strength.push_back(e->strength);
      dependence.push_back(false);
    }
    return true;
  });
  SINEW_RETURN_IF_ERROR(s);
  for (size_t i = 0; i < impl.arcs.size(); ++i) {
    Arc& a = impl.arcs[i];
    if (!dependence[i]) continue;
    auto it = substitutes.find(a.to);
    if (it != substitutes.end())
      internal::ApplySubstitution(&a, strength[i], SubstitutionOf(it->second));
  }
  return Status::Ok();
}

// Numbers the vertices and builds both adjacency arrays from the arcs.
void Projection::Index() {
  Impl& impl = *impl_;
  // Dense vertex numbers in node-id order. Node ids are dense counters, so
  // an array over them beats sorting two ids per arc and hashing them (a
  // quarter of a cold path question at 10^6 edges); very sparse ids fall
  // back to the sort and the hash map.
  NodeId max_id = 0;
  for (const Arc& a : impl.arcs) max_id = std::max({max_id, a.from, a.to});
  if (max_id <= 8 * impl.arcs.size() + 4096) {
    impl.dense.assign(max_id + 1, Impl::kNone);
    for (const Arc& a : impl.arcs) impl.dense[a.from] = impl.dense[a.to] = 0;
    for (NodeId n = 0; n <= max_id; ++n)
      if (impl.dense[n] == 0) {
        impl.dense[n] = static_cast<uint32_t>(impl.nodes.size());
        impl.nodes.push_back(n);
      }
  } else {
    for (const Arc& a : impl.arcs) {
      impl.nodes.push_back(a.from);
      impl.nodes.push_back(a.to);
    }
    std::sort(impl.nodes.begin(), impl.nodes.end());
    impl.nodes.erase(std::unique(impl.nodes.begin(), impl.nodes.end()), impl.nodes.end());
    impl.sparse.reserve(impl.nodes.size());
    for (uint32_t i = 0; i < impl.nodes.size(); ++i) impl.sparse[impl.nodes[i]] = i;
  }
  // Group the arcs by source vertex (a counting sort, stable: the store
  // hands them over in key order), then order each group as Out() lists.
  size_t n = impl.nodes.size(), m = impl.arcs.size();
  auto grouped = [&](bool by_source) {
    std::vector<uint32_t> start(n + 1, 0);
    for (const Arc& a : impl.arcs) ++start[impl.Slot(by_source ? a.from : a.to) + 1];
    for (size_t v = 0; v < n; ++v) start[v + 1] += start[v];
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    std::vector<Arc> out(m);
    for (const Arc& a : impl.arcs) out[fill[impl.Slot(by_source ? a.from : a.to)]++] = a;
    auto order = by_source ? internal::OutOrder : internal::InOrder;
    for (size_t v = 0; v < n; ++v) {
      auto first = out.begin() + start[v], last = out.begin() + start[v + 1];
      if (!std::is_sorted(first, last, order)) std::sort(first, last, order);
    }
    return std::pair{std::move(start), std::move(out)};
  };
  auto [in_start, in_arcs] = grouped(false);
  impl.in_start = std::move(in_start);
  impl.in_arcs = std::move(in_arcs);
  // Directed arcs arrive grouped by source already (the out family's key
  // order): then only each group's order is checked, in place.
  if (std::is_sorted(impl.arcs.begin(), impl.arcs.end(),
                     [](const Arc& a, const Arc& b) { return a.from < b.from; })) {
    for (size_t i = 0; i < m;) {
      size_t j = i;
      while (j < m && impl.arcs[j].from == impl.arcs[i].from) ++j;
      if (!std::is_sorted(impl.arcs.begin() + i, impl.arcs.begin() + j, internal::OutOrder))
        std::sort(impl.arcs.begin() + i, impl.arcs.begin() + j, internal::OutOrder);
      i = j;
    }
  } else {
    impl.arcs = grouped(true).second;
  }
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  ends.reserve(m);
  for (const Arc& a : impl.arcs) ends.emplace_back(impl.Slot(a.from), impl.Slot(a.to));
  impl.csr = Csr(boost::edges_are_sorted, ends.begin(), ends.end(), n);
}

Status Projection::OutView(NodeId node, std::vector<Arc>*, std::span<const Arc>* view) const {
  *view = {};
  uint32_t slot = impl_->Slot(node);
  if (slot == Impl::kNone) return Status::Ok();
  auto range = boost::out_edges(slot, impl_->csr);
  if (range.first == range.second) return Status::Ok();
  // The edges of one vertex are consecutive, their arcs too, in Out() order.
  *view = std::span<const Arc>(&impl_->arcs[range.first->idx], boost::out_degree(slot, impl_->csr));
  return Status::Ok();
}

Status Projection::InView(NodeId node, std::vector<Arc>*, std::span<const Arc>* view) const {
  *view = {};
  uint32_t slot = impl_->Slot(node);
  if (slot == Impl::kNone) return Status::Ok();
  *view = std::span<const Arc>(impl_->in_arcs.data() + impl_->in_start[slot],
                               impl_->in_start[slot + 1] - impl_->in_start[slot]);
  return Status::Ok();
}

namespace {

Status DomainView(const Projection::Impl& impl, bool out, NodeId node, int domain,
                  std::span<const Arc>* view) {
  *view = {};
  uint32_t slot = impl.Slot(node);
  if (slot == Projection::Impl::kNone) return Status::Ok();
  const Projection::Impl::ByDomain& g = impl.Grouped(out);
  if (domain < 0 || static_cast<size_t>(domain) >= g.start.size() || g.start[domain].empty())
    return Status::Ok();
  const std::vector<uint32_t>& start = g.start[domain];
  *view = std::span<const Arc>(g.arcs.data() + start[slot], start[slot + 1] - start[slot]);
  return Status::Ok();
}

}  // namespace

Status Projection::OutDomainView(NodeId node, int domain, std::vector<Arc>*,
                                 std::span<const Arc>* view) const {
  return DomainView(*impl_, true, node, domain, view);
}

Status Projection::InDomainView(NodeId node, int domain, std::vector<Arc>*,
                                std::span<const Arc>* view) const {
  return DomainView(*impl_, false, node, domain, view);
}

Status Projection::Out(NodeId node, std::vector<Arc>* arcs) const {
  std::span<const Arc> view;
  SINEW_RETURN_IF_ERROR(OutView(node, nullptr, &view));
  arcs->assign(view.begin(), view.end());
  return Status::Ok();
}

Status Projection::In(NodeId node, std::vector<Arc>* arcs) const {
  std::span<const Arc> view;
  SINEW_RETURN_IF_ERROR(InView(node, nullptr, &view));
  arcs->assign(view.begin(), view.end());
  return Status::Ok();
}

Result<std::vector<NodeId>> Projection::Nodes() const { return impl_->nodes; }

}  // namespace sinew::graph
