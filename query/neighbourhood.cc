// A node's neighbourhood for drawing: the links within a few steps, either
// way, strongest first, capped and paged so a hub of a large store never
// sends the whole graph.
#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "query/query.h"
#include "query/render.h"

namespace sinew::query {

Result<Neighbourhood> NeighbourhoodOf(const StoreView& view, const std::string& ref, int depth,
                                      size_t limit, size_t offset, const Question& q) {
  if (depth < 1 || depth > 3) return Status::Usage("depth is 1 to 3");
  if (limit < 1 || limit > 2000) return Status::Usage("limit is 1 to 2000");
  Result<NodeRecord> root = ResolveNode(view, ref, q.filter);
  if (!root.ok()) return root.status();

  // Breadth first; each link is found once, at the depth it is first reached.
  struct Found {
    AdjacencyEntry row;
    int depth;
  };
  std::map<EdgeId, Found> links;
  std::map<NodeId, int> level = {{root->id, 0}};
  std::deque<NodeId> frontier = {root->id};
  const size_t kMaxLinks = 100000;  // what one drawing question may walk
  while (!frontier.empty() && links.size() < kMaxLinks) {
    NodeId n = frontier.front();
    frontier.pop_front();
    int d = level[n];
    if (d >= depth) continue;
    for (Direction dir : {Direction::kOut, Direction::kIn}) {
      Status s = view.ForEachAdjacent(n, dir, 0, [&](const AdjacencyEntry& row) {
        std::optional<AdjacencyEntry> seen = graph::Admit(view, row, q.filter);
        if (!seen) return true;
        links.try_emplace(row.edge, Found{*seen, d + 1});
        if (!level.count(row.other)) {
          level[row.other] = d + 1;
          frontier.push_back(row.other);
        }
        return links.size() < kMaxLinks;
      });
      SINEW_RETURN_IF_ERROR(s);
    }
  }

  std::vector<const Found*> order;
  for (const auto& [id, f] : links) order.push_back(&f);
  std::sort(order.begin(), order.end(), [](const Found* a, const Found* b) {
    if (a->depth != b->depth) return a->depth < b->depth;
    if (a->row.weight != b->row.weight) return a->row.weight > b->row.weight;
    return a->row.edge < b->row.edge;
  });

  Neighbourhood out;
  out.root = root.value();
  out.depth = depth;
  out.total = order.size();
  out.offset = offset;
  out.limit = limit;
  std::set<NodeId> nodes = {root->id};
  for (size_t i = offset; i < order.size() && out.edges.size() < limit; ++i) {
    Result<EdgeView> e = LoadEdge(view, order[i]->row.edge, q.filter);
    if (!e.ok()) continue;
    NeighbourLink link;
    link.edge = std::move(e).value();
    // The drawing needs the count of what the asker may see; the evidence
    // itself is a click away.
    link.evidence = static_cast<int>(link.edge.evidence.size());
    link.contested = Contested(link.edge);
    link.edge.evidence.clear();
    link.depth = order[i]->depth;
    nodes.insert(link.edge.rec.src);
    nodes.insert(link.edge.rec.dst);
    out.edges.push_back(std::move(link));
  }
  for (NodeId id : nodes) {
    Result<NodeRecord> n = view.NodeById(id);
    if (n.ok()) out.nodes.push_back(std::move(n).value());
  }
  return out;
}

nlohmann::json NeighbourhoodJson(const Neighbourhood& n) {
  nlohmann::json nodes = nlohmann::json::array(), edges = nlohmann::json::array();
  for (const auto& node : n.nodes) {
    nodes.push_back({{"id", node.slug}, {"name", node.name}, {"type", node.type}});
  }
  for (const auto& l : n.edges) {
    // The CLI's edge shape, with the evidence counted rather than listed.
    nlohmann::json e = EdgeJson(l.edge);
    e["evidence"] = l.evidence;
    e["depth"] = l.depth;
    e["contested"] = l.contested;
    edges.push_back(std::move(e));
  }
  return {{"root", n.root.slug}, {"depth", n.depth},   {"nodes", nodes},  {"edges", edges},
          {"total", n.total},    {"offset", n.offset}, {"limit", n.limit}};
}

}  // namespace sinew::query
