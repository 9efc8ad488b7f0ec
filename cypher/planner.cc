// The planner: for each MATCH path, which end to start from. Starting from a
// bound node or from a node named by its properties touches a handful of
// nodes; starting from an unlabelled end scans the graph.
#include <algorithm>
#include <set>

#include "cypher/ast.h"

namespace sinew::cypher {
namespace {

int Selectivity(const NodePattern& n, const std::set<std::string>& bound) {
  if (!n.var.empty() && bound.count(n.var)) return 4;
  if (n.props) return 3;
  if (!n.labels.empty()) return 2;
  return 1;
}

void Reverse(PathPattern* p) {
  std::reverse(p->nodes.begin(), p->nodes.end());
  std::reverse(p->rels.begin(), p->rels.end());
  for (auto& r : p->rels)
    if (r.dir != RelPattern::Dir::kBoth)
      r.dir = r.dir == RelPattern::Dir::kLeft ? RelPattern::Dir::kRight : RelPattern::Dir::kLeft;
  p->reversed = !p->reversed;
}

void Declare(const Pattern& pattern, std::set<std::string>* bound) {
  for (const auto& p : pattern.paths) {
    if (!p.var.empty()) bound->insert(p.var);
    for (const auto& n : p.nodes)
      if (!n.var.empty()) bound->insert(n.var);
    for (const auto& r : p.rels)
      if (!r.var.empty()) bound->insert(r.var);
  }
}

}  // namespace

void Plan(Query* q) {
  for (SingleQuery& part : q->parts) {
    std::set<std::string> bound;
    for (Clause& c : part.clauses) {
      switch (c.kind) {
        case Clause::Kind::kMatch:
          for (PathPattern& p : c.pattern.paths) {
            if (!p.rels.empty() &&
                Selectivity(p.nodes.back(), bound) > Selectivity(p.nodes.front(), bound))
              Reverse(&p);
            Declare(Pattern{{p}}, &bound);
          }
          break;
        case Clause::Kind::kCreate:
          Declare(c.pattern, &bound);
          break;
        case Clause::Kind::kUnwind:
          bound.insert(c.alias);
          break;
        case Clause::Kind::kWith: {
          std::set<std::string> next = c.star ? bound : std::set<std::string>{};
          for (const auto& it : c.items) next.insert(it.alias);
          bound = std::move(next);
          break;
        }
        case Clause::Kind::kCall:
          bound.insert(c.yields.begin(), c.yields.end());
          break;
        case Clause::Kind::kReturn:
          break;
      }
    }
  }
}

}  // namespace sinew::cypher
