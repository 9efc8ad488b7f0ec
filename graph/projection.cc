#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/range/iterator_range.hpp>
#include <unordered_map>

#include "graph/graph.h"

namespace sinew::graph {

struct ArcProps {
  EdgeId edge = 0;
  uint16_t type = 0;
  float weight = 0, confidence = 0;
};

using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, ArcProps,
                                               boost::no_property, uint32_t, uint32_t>;

struct Projection::Impl {
  Csr csr;
  std::vector<NodeId> nodes;  // index -> node id
  std::unordered_map<NodeId, uint32_t> index;
};

Projection::Projection() : impl_(std::make_unique<Impl>()) {}
Projection::~Projection() = default;

Result<std::unique_ptr<Projection>> Projection::Build(const StoreView& view,
                                                      const EdgeFilter& filter,
                                                      const std::set<uint16_t>& types) {
  std::unique_ptr<Projection> p(new Projection());
  Impl& impl = *p->impl_;
  auto vertex = [&](NodeId id) {
    auto [it, added] = impl.index.emplace(id, static_cast<uint32_t>(impl.nodes.size()));
    if (added) impl.nodes.push_back(id);
    return it->second;
  };
  std::vector<std::pair<uint32_t, uint32_t>> ends;
  std::vector<ArcProps> props;
  // One pass over the edge records of the snapshot; the adjacency rows carry
  // the same filter fields, so a row is built from the record the same way.
  Status s = view.ForEachEdge([&](const EdgeRecord& e) {
    const EdgeTypeInfo* t = view.schema().FindEdgeType(e.type);
    if (!t || (!types.empty() && !types.count(t->code))) return true;
    AdjacencyEntry a;
    a.edge = e.id;
    a.node = e.src;
    a.other = e.dst;
    a.type = t->code;
    a.domain = std::max(0, view.schema().DomainCode(e.domain));
    a.modality = e.q.modality;
    a.status = e.q.status;
    a.marking_lo = e.q.marking_lo;
    a.marking_hi = e.q.marking_hi;
    a.from = e.q.from_lo;
    a.to = e.q.to_hi;
    a.confidence = static_cast<float>(e.q.confidence);
    a.weight = static_cast<float>(e.q.weight);
    if (!filter.Admits(a)) return true;
    uint32_t u = vertex(e.src), v = vertex(e.dst);
    ends.emplace_back(u, v);
    props.push_back(ArcProps{e.id, t->code, a.weight, a.confidence});
    if (!t->directed) {
      ends.emplace_back(v, u);
      props.push_back(ArcProps{e.id, t->code, a.weight, a.confidence});
    }
    return true;
  });
  SINEW_RETURN_IF_ERROR(s);
  impl.csr = Csr(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(), props.begin(),
                 impl.nodes.size());
  return p;
}

size_t Projection::VertexCount() const { return impl_->nodes.size(); }
size_t Projection::ArcCount() const { return boost::num_edges(impl_->csr); }

int64_t Projection::IndexOf(NodeId id) const {
  auto it = impl_->index.find(id);
  return it == impl_->index.end() ? -1 : static_cast<int64_t>(it->second);
}

NodeId Projection::NodeAt(uint32_t index) const { return impl_->nodes.at(index); }

std::vector<Projection::Arc> Projection::OutArcs(uint32_t index) const {
  std::vector<Arc> out;
  for (auto e : boost::make_iterator_range(boost::out_edges(index, impl_->csr))) {
    const ArcProps& p = impl_->csr[e];
    out.push_back(Arc{static_cast<uint32_t>(boost::target(e, impl_->csr)), p.edge, p.type, p.weight,
                      p.confidence});
  }
  std::sort(out.begin(), out.end(), [](const Arc& a, const Arc& b) {
    return a.target != b.target ? a.target < b.target : a.edge < b.edge;
  });
  return out;
}

}  // namespace sinew::graph
