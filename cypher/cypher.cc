#include "cypher/cypher.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "cypher/ast.h"
#include "cypher/executor.h"

namespace sinew::cypher {
namespace {

size_t Distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1,
                         prev[j - 1] + (std::tolower(a[i - 1]) != std::tolower(b[j - 1]))});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The closest names to `name` in `known` (at most three), for a hint.
std::string Closest(const std::string& name, const std::set<std::string>& known) {
  std::vector<std::pair<size_t, std::string>> near;
  for (const auto& k : known) near.push_back({Distance(name, k), k});
  std::sort(near.begin(), near.end());
  std::string out;
  for (size_t i = 0;
       i < near.size() && i < 3 && near[i].first <= std::max<size_t>(2, name.size() / 2); ++i)
    out += (out.empty() ? "" : ", ") + near[i].second;
  return out;
}

// Labels and types the query names that a closed vocabulary does not hold.
void CheckVocabulary(const Query& q, const PropertyGraph& graph) {
  std::optional<std::set<std::string>> labels = graph.KnownLabels(), types = graph.KnownTypes();
  if (!labels && !types) return;
  auto check = [&](const std::string& name, const std::optional<std::set<std::string>>& known,
                   const char* what, const char* detail, Position pos) {
    if (!known || known->count(name)) return;
    std::string near = Closest(name, *known);
    std::string all;
    for (const auto& k : *known) all += (all.empty() ? "" : ", ") + k;
    throw Error("SemanticError", detail,
                "no " + std::string(what) + " '" + name + "' in this store" +
                    (near.empty() ? " (known: " + all + ")" : " (did you mean " + near + "?)"),
                pos.line, pos.column);
  };
  std::function<void(const Pattern&)> pattern;
  std::function<void(const ExprPtr&)> expr = [&](const ExprPtr& e) {
    if (!e) return;
    if (e->kind == Expr::Kind::kLabels)
      for (const auto& l : e->keys) check(l, labels, "node type", "UnknownLabel", e->pos);
    if (e->pattern) pattern(*e->pattern);
    for (const auto& k : e->kids) expr(k);
  };
  pattern = [&](const Pattern& p) {
    for (const auto& path : p.paths) {
      for (const auto& n : path.nodes) {
        for (const auto& l : n.labels) check(l, labels, "node type", "UnknownLabel", n.pos);
        expr(n.props);
      }
      for (const auto& r : path.rels) {
        for (const auto& t : r.types)
          check(t, types, "link type", "UnknownRelationshipType", r.pos);
        expr(r.props);
      }
    }
  };
  for (const auto& part : q.parts)
    for (const auto& c : part.clauses) {
      if (c.kind == Clause::Kind::kMatch) pattern(c.pattern);
      expr(c.where);
      expr(c.expr);
      for (const auto& it : c.items) expr(it.expr);
      for (const auto& a : c.args) expr(a);
    }
}

}  // namespace

Outcome Run(const std::string& text, PropertyGraph* graph, const Map& params,
            const Procedures* procedures, const Limits& limits) {
  Outcome out;
  try {
    Query q = Parse(text);
    CheckQuery(q);
    CheckVocabulary(q, *graph);
    Plan(&q);
    Executor ex(graph, &params, procedures);
    ex.SetLimits(limits);
    out.table = ex.Run(q);
  } catch (const ValueTooDeep& e) {
    out.error = Error("ResourceError", "QueryTooLarge", e.what(), 0, 0, false);
  } catch (const Error& e) {
    out.error = e;
  }
  return out;
}

}  // namespace sinew::cypher
