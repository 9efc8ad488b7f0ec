#include "cypher/graph.h"

#include <algorithm>

namespace sinew::cypher {

std::vector<uint64_t> PropertyGraph::NodesWithLabel(const std::string& label) const {
  std::vector<uint64_t> out;
  for (uint64_t n : Nodes()) {
    std::vector<std::string> labels = Labels(n);
    if (std::find(labels.begin(), labels.end(), label) != labels.end()) out.push_back(n);
  }
  return out;
}

std::vector<uint64_t> MemoryGraph::Nodes() const {
  std::vector<uint64_t> out;
  out.reserve(nodes_.size());
  for (const auto& [id, n] : nodes_) out.push_back(id);
  return out;
}

std::vector<uint64_t> MemoryGraph::NodesWithLabel(const std::string& label) const {
  std::vector<uint64_t> out;
  for (const auto& [id, n] : nodes_)
    if (std::find(n.labels.begin(), n.labels.end(), label) != n.labels.end()) out.push_back(id);
  return out;
}

std::vector<std::string> MemoryGraph::Labels(uint64_t node) const {
  auto it = nodes_.find(node);
  return it == nodes_.end() ? std::vector<std::string>{} : it->second.labels;
}

Map MemoryGraph::NodeProperties(uint64_t node) const {
  auto it = nodes_.find(node);
  return it == nodes_.end() ? Map{} : it->second.props;
}

RelInfo MemoryGraph::Relationship(uint64_t rel) const {
  auto it = rels_.find(rel);
  return it == rels_.end() ? RelInfo{} : it->second.info;
}

Map MemoryGraph::RelProperties(uint64_t rel) const {
  auto it = rels_.find(rel);
  return it == rels_.end() ? Map{} : it->second.props;
}

std::vector<uint64_t> MemoryGraph::Relationships(uint64_t node, bool out) const {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return {};
  return out ? it->second.out : it->second.in;
}

namespace {
// Cypher does not store null properties.
Map WithoutNulls(const Map& props) {
  Map out;
  for (const auto& [k, v] : props)
    if (!v.IsNull()) out.emplace(k, v);
  return out;
}
}  // namespace

uint64_t MemoryGraph::CreateNode(const std::vector<std::string>& labels, const Map& props) {
  uint64_t id = next_node_++;
  NodeData& n = nodes_[id];
  for (const auto& l : labels)
    if (std::find(n.labels.begin(), n.labels.end(), l) == n.labels.end()) n.labels.push_back(l);
  n.props = WithoutNulls(props);
  return id;
}

uint64_t MemoryGraph::CreateRelationship(uint64_t src, const std::string& type, uint64_t dst,
                                         const Map& props) {
  uint64_t id = next_rel_++;
  rels_[id] = RelData{RelInfo{src, dst, type}, WithoutNulls(props)};
  nodes_[src].out.push_back(id);
  nodes_[dst].in.push_back(id);
  return id;
}

std::set<std::string> MemoryGraph::labels_in_use() const {
  std::set<std::string> out;
  for (const auto& [id, n] : nodes_) out.insert(n.labels.begin(), n.labels.end());
  return out;
}

size_t MemoryGraph::property_count() const {
  size_t n = 0;
  for (const auto& [id, node] : nodes_) n += node.props.size();
  for (const auto& [id, rel] : rels_) n += rel.props.size();
  return n;
}

}  // namespace sinew::cypher
