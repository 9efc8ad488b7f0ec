// The property graph a Cypher query runs on (part of cypher/): nodes with
// labels and properties, typed relationships with properties. Two kinds:
// MemoryGraph, an open-schema scratch graph that CREATE writes to (the TCK
// runs on it), and the store graph of query/cypher_store.cc (outside this module), a read-only
// picture of a sinew store as one asker may see it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cypher/value.h"

namespace sinew::cypher {

struct RelInfo {
  uint64_t src = 0, dst = 0;
  std::string type;
};

class PropertyGraph {
 public:
  virtual ~PropertyGraph() = default;
  // Every node id, ascending.
  virtual std::vector<uint64_t> Nodes() const = 0;
  // Nodes carrying `label` (a hint for MATCH; the default scans).
  virtual std::vector<uint64_t> NodesWithLabel(const std::string& label) const;
  // Nodes whose property `key` equals `value`, when the graph can say so
  // without a scan (an index); nullopt otherwise.
  virtual std::optional<std::vector<uint64_t>> NodesWithProperty(const std::string& key,
                                                                 const Value& value) const {
    (void)key;
    (void)value;
    return std::nullopt;
  }
  // Every label, and every relationship type, the graph can hold when its
  // vocabulary is closed (a store's schema); nullopt when anything goes (a
  // scratch graph). A query naming one outside it is an error that says
  // what it may have meant, not an empty answer.
  virtual std::optional<std::set<std::string>> KnownLabels() const { return std::nullopt; }
  virtual std::optional<std::set<std::string>> KnownTypes() const { return std::nullopt; }
  virtual std::vector<std::string> Labels(uint64_t node) const = 0;
  virtual Map NodeProperties(uint64_t node) const = 0;
  virtual RelInfo Relationship(uint64_t rel) const = 0;
  virtual Map RelProperties(uint64_t rel) const = 0;
  // Relationships leaving (out) or entering (!out) `node`, ascending by id.
  virtual std::vector<uint64_t> Relationships(uint64_t node, bool out) const = 0;

  // Writes; a read-only graph throws an Error saying so.
  virtual uint64_t CreateNode(const std::vector<std::string>& labels, const Map& props) = 0;
  virtual uint64_t CreateRelationship(uint64_t src, const std::string& type, uint64_t dst,
                                      const Map& props) = 0;
};

class MemoryGraph : public PropertyGraph {
 public:
  std::vector<uint64_t> Nodes() const override;
  std::vector<uint64_t> NodesWithLabel(const std::string& label) const override;
  std::vector<std::string> Labels(uint64_t node) const override;
  Map NodeProperties(uint64_t node) const override;
  RelInfo Relationship(uint64_t rel) const override;
  Map RelProperties(uint64_t rel) const override;
  std::vector<uint64_t> Relationships(uint64_t node, bool out) const override;
  uint64_t CreateNode(const std::vector<std::string>& labels, const Map& props) override;
  uint64_t CreateRelationship(uint64_t src, const std::string& type, uint64_t dst,
                              const Map& props) override;

  // What the TCK's side effects count.
  size_t node_count() const { return nodes_.size(); }
  size_t relationship_count() const { return rels_.size(); }
  std::set<std::string> labels_in_use() const;
  size_t property_count() const;

 private:
  struct NodeData {
    std::vector<std::string> labels;
    Map props;
    std::vector<uint64_t> out, in;
  };
  struct RelData {
    RelInfo info;
    Map props;
  };
  std::map<uint64_t, NodeData> nodes_;
  std::map<uint64_t, RelData> rels_;
  uint64_t next_node_ = 0, next_rel_ = 0;
};

}  // namespace sinew::cypher
