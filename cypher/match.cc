// Pattern matching by backtracking: each path from its first node, one
// relationship at a time, variable-length segments depth first. Within one
// pattern a relationship is used at most once (openCypher's relationship
// isomorphism); nodes may repeat.
#include <algorithm>

#include "cypher/executor.h"

namespace sinew::cypher {

class PatternMatcher {
 public:
  PatternMatcher(Executor* ex, const Pattern& pattern, Env& env,
                 const std::function<void(Executor::Bindings&)>& found, bool first_only)
      : ex_(ex),
        g_(ex->graph_),
        pattern_(pattern),
        env_(env),
        found_(found),
        first_only_(first_only) {}

  void Run() { Path(0); }

 private:
  const Value* Lookup(const std::string& name) const {
    for (auto it = bound_.rbegin(); it != bound_.rend(); ++it)
      if (it->first == name) return &it->second;
    return env_.Find(name);
  }

  Map PropsOf(const ExprPtr& props) {
    if (!props) return {};
    Value v = ex_->Eval(*props, env_);
    if (v.IsNull()) return {};
    if (!v.IsMap())
      throw Error("TypeError", "InvalidArgumentType", "a pattern's properties must be a map",
                  props->pos.line, props->pos.column, false);
    return v.AsMap();
  }

  static bool HasProps(const Map& want, const Map& have) {
    for (const auto& [k, v] : want) {
      auto it = have.find(k);
      if (it == have.end()) return false;
      std::optional<bool> eq = Equals(v, it->second);
      if (!eq.has_value() || !*eq) return false;
    }
    return true;
  }

  bool NodeFits(const NodePattern& np, uint64_t id) {
    if (!np.labels.empty()) {
      std::vector<std::string> labels = g_->Labels(id);
      for (const auto& l : np.labels)
        if (std::find(labels.begin(), labels.end(), l) == labels.end()) return false;
    }
    if (np.props) {
      Map want = PropsOf(np.props);
      if (!want.empty() && !HasProps(want, g_->NodeProperties(id))) return false;
    }
    return true;
  }

  bool RelFits(const RelPattern& rp, uint64_t id) {
    if (!rp.types.empty()) {
      std::string type = g_->Relationship(id).type;
      if (std::find(rp.types.begin(), rp.types.end(), type) == rp.types.end()) return false;
    }
    if (rp.props) {
      Map want = PropsOf(rp.props);
      if (!want.empty() && !HasProps(want, g_->RelProperties(id))) return false;
    }
    return std::find(used_.begin(), used_.end(), id) == used_.end();
  }

  // Binds `var` to `v` unless it is bound already; false when it is bound to
  // something else. `pushed` says whether to unbind afterwards.
  bool Bind(const std::string& var, const Value& v, bool* pushed) {
    *pushed = false;
    if (var.empty()) return true;
    if (const Value* have = Lookup(var)) {
      std::optional<bool> eq = Equals(*have, v);
      return eq.has_value() && *eq;
    }
    bound_.emplace_back(var, v);
    *pushed = true;
    return true;
  }

  std::vector<std::pair<uint64_t, uint64_t>> Adjacent(uint64_t node, RelPattern::Dir dir) {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    if (dir != RelPattern::Dir::kLeft)
      for (uint64_t r : g_->Relationships(node, true)) out.emplace_back(r, g_->Relationship(r).dst);
    if (dir != RelPattern::Dir::kRight)
      for (uint64_t r : g_->Relationships(node, false)) {
        uint64_t src = g_->Relationship(r).src;
        if (dir == RelPattern::Dir::kBoth && src == node) continue;  // a self-loop, once
        out.emplace_back(r, src);
      }
    return out;
  }

  void Path(size_t pi) {
    if (done_) return;
    if (pi == pattern_.paths.size()) {
      found_(bound_);
      if (first_only_) done_ = true;
      return;
    }
    const PathPattern& p = pattern_.paths[pi];
    const NodePattern& first = p.nodes[0];
    std::vector<uint64_t> candidates;
    if (const Value* have = first.var.empty() ? nullptr : Lookup(first.var)) {
      if (!have->IsNode()) return;  // null (OPTIONAL MATCH found nothing): no match
      candidates.push_back(have->AsNode().id);
    } else {
      std::optional<std::vector<uint64_t>> indexed;
      if (first.props)
        for (const auto& [k, v] : PropsOf(first.props))
          if (!indexed) indexed = g_->NodesWithProperty(k, v);
      if (indexed)
        candidates = std::move(*indexed);
      else if (!first.labels.empty())
        candidates = g_->NodesWithLabel(first.labels[0]);
      else
        candidates = g_->Nodes();
    }
    for (uint64_t n : candidates) {
      if (done_) return;
      ex_->Spend();
      if (!NodeFits(first, n)) continue;
      bool pushed;
      if (!Bind(first.var, Value(NodeRef{n}), &pushed)) continue;
      path_nodes_ = {n};
      path_rels_.clear();
      Step(pi, 0, n);
      if (pushed) bound_.pop_back();
    }
  }

  void Step(size_t pi, size_t ri, uint64_t cur) {
    if (done_) return;
    const PathPattern& p = pattern_.paths[pi];
    if (ri == p.rels.size()) {
      bool pushed = false;
      std::vector<uint64_t> nodes = path_nodes_, rels = path_rels_;
      if (!p.var.empty()) {
        PathValue value{nodes, rels};
        if (p.reversed) {
          std::reverse(value.nodes.begin(), value.nodes.end());
          std::reverse(value.rels.begin(), value.rels.end());
        }
        bound_.emplace_back(p.var, Value(std::move(value)));
      }
      pushed = !p.var.empty();
      Path(pi + 1);
      if (pushed) bound_.pop_back();
      path_nodes_ = std::move(nodes);
      path_rels_ = std::move(rels);
      return;
    }
    const RelPattern& rp = p.rels[ri];
    if (rp.var_length) {
      std::vector<uint64_t> list;
      Expand(pi, ri, cur, &list);
      return;
    }
    for (const auto& [rel, other] : Adjacent(cur, rp.dir)) {
      if (done_) return;
      ex_->Spend();
      if (!RelFits(rp, rel)) continue;
      if (!Arrive(pi, ri, rel, other)) continue;
    }
  }

  // Takes relationship `rel` to `other` as segment `ri`, then goes on.
  bool Arrive(size_t pi, size_t ri, uint64_t rel, uint64_t other) {
    const PathPattern& p = pattern_.paths[pi];
    const RelPattern& rp = p.rels[ri];
    const NodePattern& next = p.nodes[ri + 1];
    if (!NodeFits(next, other)) return false;
    bool rel_pushed, node_pushed;
    if (!Bind(rp.var, Value(RelRef{rel}), &rel_pushed)) return false;
    if (!Bind(next.var, Value(NodeRef{other}), &node_pushed)) {
      if (rel_pushed) bound_.pop_back();
      return false;
    }
    used_.push_back(rel);
    path_nodes_.push_back(other);
    path_rels_.push_back(rel);
    Step(pi, ri + 1, other);
    path_nodes_.pop_back();
    path_rels_.pop_back();
    used_.pop_back();
    if (node_pushed) bound_.pop_back();
    if (rel_pushed) bound_.pop_back();
    return true;
  }

  void Expand(size_t pi, size_t ri, uint64_t cur, std::vector<uint64_t>* list) {
    if (done_) return;
    const PathPattern& p = pattern_.paths[pi];
    const RelPattern& rp = p.rels[ri];
    const NodePattern& next = p.nodes[ri + 1];
    int64_t depth = static_cast<int64_t>(list->size());
    if (depth >= rp.min && NodeFits(next, cur)) {
      List rels;
      for (uint64_t r : *list) rels.push_back(Value(RelRef{r}));
      if (p.reversed) std::reverse(rels.begin(), rels.end());  // in the order written
      bool rel_pushed, node_pushed;
      if (Bind(rp.var, Value(std::move(rels)), &rel_pushed)) {
        if (Bind(next.var, Value(NodeRef{cur}), &node_pushed)) {
          Step(pi, ri + 1, cur);
          if (node_pushed) bound_.pop_back();
        }
        if (rel_pushed) bound_.pop_back();
      }
    }
    if (rp.max >= 0 && depth >= rp.max) return;
    for (const auto& [rel, other] : Adjacent(cur, rp.dir)) {
      if (done_) return;
      ex_->Spend();
      if (!RelFits(rp, rel)) continue;
      used_.push_back(rel);
      list->push_back(rel);
      path_nodes_.push_back(other);
      path_rels_.push_back(rel);
      Expand(pi, ri, other, list);
      path_nodes_.pop_back();
      path_rels_.pop_back();
      list->pop_back();
      used_.pop_back();
    }
  }

  Executor* ex_;
  PropertyGraph* g_;
  const Pattern& pattern_;
  Env& env_;
  const std::function<void(Executor::Bindings&)>& found_;
  bool first_only_, done_ = false;
  Executor::Bindings bound_;
  std::vector<uint64_t> used_, path_nodes_, path_rels_;
};

void Executor::MatchPattern(const Pattern& pattern, Env& env,
                            const std::function<void(Bindings&)>& found) {
  PatternMatcher(this, pattern, env, found, false).Run();
}

bool Executor::PatternExists(const Pattern& pattern, Env& env) {
  bool any = false;
  std::function<void(Bindings&)> found = [&](Bindings&) { any = true; };
  PatternMatcher(this, pattern, env, found, true).Run();
  return any;
}

}  // namespace sinew::cypher
