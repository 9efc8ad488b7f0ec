#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/range/iterator_range.hpp>
#include <unordered_map>

#include "graph/arcs_internal.h"

namespace sinew::graph {

// Vertices are dense indices; each CSR edge carries the index of its Arc.
using Csr = boost::compressed_sparse_row_graph<boost::bidirectionalS, boost::no_property, uint32_t,
                                               boost::no_property, uint32_t, uint32_t>;

struct Projection::Impl {
  static constexpr uint32_t kNone = UINT32_MAX;
  Csr csr;
  std::vector<Arc> arcs;
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
};

Projection::Projection() : impl_(std::make_unique<Impl>()) {}
Projection::~Projection() = default;

Result<std::unique_ptr<Projection>> Projection::Build(const StoreView& view,
                                                      const EdgeFilter& filter,
                                                      const std::set<uint16_t>& types) {
  std::unique_ptr<Projection> p(new Projection());
  Impl& impl = *p->impl_;
  const Schema& schema = view.schema();
  uint16_t depends_on = internal::DependsOnCode(schema);
  uint16_t substitutes_for = internal::SubstitutesForCode(schema);
  std::vector<float> strength;                               // per arc, for the substitution rule
  std::unordered_map<NodeId, std::vector<Arc>> substitutes;  // by provider
  // One pass over the out-adjacency rows of the snapshot (fixed binary
  // values, no record decoded), admitting each as the store walk does.
  Status s = view.ForEachLink([&](const AdjacencyEntry& row) {
    const EdgeTypeInfo* t = schema.EdgeTypeByCode(row.type);
    if (t == nullptr) return true;
    bool wanted = types.empty() || types.count(row.type);
    if (!wanted && row.type != substitutes_for) return true;
    std::optional<AdjacencyEntry> e = Admit(view, row, filter);
    if (!e) return true;
    if (row.type == substitutes_for && substitutes_for != 0) {
      Arc a = internal::ToArc(*e, row.node, row.other);
      a.weight = e->strength;
      substitutes[row.other].push_back(a);
    }
    if (!wanted) return true;
    impl.arcs.push_back(internal::ToArc(*e, row.node, row.other));
    strength.push_back(e->strength);
    if (!t->directed) {
      impl.arcs.push_back(internal::ToArc(*e, row.other, row.node));
      strength.push_back(e->strength);
    }
    return true;
  });
  SINEW_RETURN_IF_ERROR(s);
  for (size_t i = 0; i < impl.arcs.size(); ++i) {
    Arc& a = impl.arcs[i];
    if (a.type != depends_on || depends_on == 0) continue;
    auto it = substitutes.find(a.to);
    if (it != substitutes.end())
      internal::ApplySubstitution(&a, strength[i], SubstitutionOf(it->second));
  }
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
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  std::vector<uint32_t> props;
  ends.reserve(impl.arcs.size());
  for (uint32_t i = 0; i < impl.arcs.size(); ++i) {
    ends.emplace_back(impl.Slot(impl.arcs[i].from), impl.Slot(impl.arcs[i].to));
    props.push_back(i);
  }
  impl.csr = Csr(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), props.begin(),
                 impl.nodes.size());
  return p;
}

Status Projection::Out(NodeId node, std::vector<Arc>* arcs) const {
  arcs->clear();
  uint32_t slot = impl_->Slot(node);
  if (slot == Impl::kNone) return Status::Ok();
  for (auto e : boost::make_iterator_range(boost::out_edges(slot, impl_->csr)))
    arcs->push_back(impl_->arcs[impl_->csr[e]]);
  internal::SortOut(arcs);
  return Status::Ok();
}

Status Projection::In(NodeId node, std::vector<Arc>* arcs) const {
  arcs->clear();
  uint32_t slot = impl_->Slot(node);
  if (slot == Impl::kNone) return Status::Ok();
  for (auto e : boost::make_iterator_range(boost::in_edges(slot, impl_->csr)))
    arcs->push_back(impl_->arcs[impl_->csr[e]]);
  internal::SortIn(arcs);
  return Status::Ok();
}

Result<std::vector<NodeId>> Projection::Nodes() const { return impl_->nodes; }

}  // namespace sinew::graph
