// The cut structure of the whole graph: articulation points and bridges
// (a consumer's own single points of failure are impact.cc's).
#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/biconnected_components.hpp>
#include <map>
#include <set>
#include <unordered_map>

#include "graph/graph.h"

namespace sinew::graph {

Result<CutStructure> CutStructureOf(const ArcSource& arcs) {
  Result<std::vector<NodeId>> nodes = arcs.Nodes();
  if (!nodes.ok()) return nodes.status();
  std::unordered_map<NodeId, size_t> index;
  for (size_t i = 0; i < nodes->size(); ++i) index[(*nodes)[i]] = i;
  // A simple undirected graph: parallel links between two nodes are one.
  std::set<std::pair<size_t, size_t>> pairs;
  std::vector<Arc> scratch;
  for (NodeId v : nodes.value()) {
    SINEW_RETURN_IF_ERROR(arcs.Out(v, &scratch));
    for (const Arc& a : scratch) {
      size_t x = index[a.from], y = index[a.to];
      if (x != y) pairs.insert({std::min(x, y), std::max(x, y)});
    }
  }
  struct EdgeComponent {
    size_t component = 0;
  };
  using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                                  EdgeComponent>;
  G g(nodes->size());
  for (const auto& [x, y] : pairs) boost::add_edge(x, y, g);
  auto component = boost::get(&EdgeComponent::component, g);
  std::vector<size_t> cut_vertices;
  boost::biconnected_components(g, component, std::back_inserter(cut_vertices));
  std::map<size_t, std::vector<std::pair<size_t, size_t>>> by_component;
  for (auto e : boost::make_iterator_range(boost::edges(g)))
    by_component[component[e]].push_back({boost::source(e, g), boost::target(e, g)});
  CutStructure out;
  for (size_t v : cut_vertices) out.articulation_points.push_back((*nodes)[v]);
  std::sort(out.articulation_points.begin(), out.articulation_points.end());
  for (const auto& [c, es] : by_component) {
    if (es.size() != 1) continue;  // a bridge is a biconnected component of one edge
    NodeId a = (*nodes)[es[0].first], b = (*nodes)[es[0].second];
    out.bridges.push_back({std::min(a, b), std::max(a, b)});
  }
  std::sort(out.bridges.begin(), out.bridges.end());
  return out;
}

}  // namespace sinew::graph
