// Private to graph/: node ids numbered 0, 1, 2, ... in the order a walk
// first meets them, so what the walk keeps per node lives in plain vectors
// indexed by that number instead of a hash map of its own. The table is open
// addressing over the ids (a power of two, at most half full); the ids are
// kept in a vector too, so numbering and listing are in the order of
// arrival, the same on every run. A warm impact at 10^6 links spent a
// third of its time in std::unordered_set and unordered_map before this.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "graph/graph.h"

namespace sinew::graph::internal {

class NodeIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // The number of `id`, given it now if it has none; second is whether it
  // was new.
  std::pair<uint32_t, bool> Add(NodeId id) {
    if ((ids_.size() + 1) * 2 > table_.size()) Grow();
    size_t at = Home(id);
    while (table_[at] != kNone) {
      if (ids_[table_[at]] == id) return {table_[at], false};
      at = (at + 1) & (table_.size() - 1);
    }
    uint32_t n = static_cast<uint32_t>(ids_.size());
    table_[at] = n;
    ids_.push_back(id);
    return {n, true};
  }

  // The number of `id`, or kNone.
  uint32_t Find(NodeId id) const {
    if (table_.empty()) return kNone;
    for (size_t at = Home(id);; at = (at + 1) & (table_.size() - 1)) {
      uint32_t n = table_[at];
      if (n == kNone || ids_[n] == id) return n;
    }
  }
  bool Contains(NodeId id) const { return Find(id) != kNone; }

  NodeId Id(uint32_t n) const { return ids_[n]; }
  size_t size() const { return ids_.size(); }
  bool empty() const { return ids_.empty(); }
  // Every id numbered, in order of number.
  const std::vector<NodeId>& ids() const { return ids_; }

 private:
  size_t Home(NodeId id) const {
    // Fibonacci hashing: store ids are dense counters, so the low bits alone
    // would cluster.
    return static_cast<size_t>((id * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void Grow() {
    size_t size = table_.empty() ? 64 : table_.size() * 2;
    shift_ = 64;
    for (size_t s = size; s > 1; s >>= 1) --shift_;
    table_.assign(size, kNone);
    for (uint32_t n = 0; n < ids_.size(); ++n) {
      size_t at = Home(ids_[n]);
      while (table_[at] != kNone) at = (at + 1) & (size - 1);
      table_[at] = n;
    }
  }

  std::vector<NodeId> ids_;
  std::vector<uint32_t> table_;
  int shift_ = 64;
};

}  // namespace sinew::graph::internal
