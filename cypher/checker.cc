// The rules a query must keep before it runs: every variable defined before
// use and used as one kind of thing, clauses in a legal order, aggregates
// where they may stand, SKIP and LIMIT constant. Each broken rule is a
// SyntaxError named as the openCypher TCK names it.
#include <algorithm>
#include <map>
#include <set>

#include "cypher/executor.h"

namespace sinew::cypher {
namespace {

// kValue: known not to be a graph element (a literal, list or map);
// kAny: could be anything.
enum class VarKind { kNode, kRel, kPath, kValue, kAny };

[[noreturn]] void Fail(const Position& at, const std::string& detail, const std::string& msg) {
  throw Error("SyntaxError", detail, msg, at.line, at.column);
}

bool KnownFunction(const std::string& name) {
  static const std::set<std::string> kNames = {"coalesce",
                                               "rand",
                                               "pi",
                                               "e",
                                               "range",
                                               "exists",
                                               "id",
                                               "labels",
                                               "type",
                                               "properties",
                                               "keys",
                                               "startnode",
                                               "endnode",
                                               "nodes",
                                               "relationships",
                                               "length",
                                               "size",
                                               "head",
                                               "last",
                                               "tail",
                                               "reverse",
                                               "tointeger",
                                               "tofloat",
                                               "tostring",
                                               "toboolean",
                                               "abs",
                                               "sign",
                                               "ceil",
                                               "floor",
                                               "round",
                                               "sqrt",
                                               "exp",
                                               "log",
                                               "log10",
                                               "sin",
                                               "cos",
                                               "tan",
                                               "asin",
                                               "acos",
                                               "atan",
                                               "atan2",
                                               "degrees",
                                               "radians",
                                               "toupper",
                                               "tolower",
                                               "trim",
                                               "ltrim",
                                               "rtrim",
                                               "split",
                                               "replace",
                                               "substring",
                                               "left",
                                               "right",
                                               "count",
                                               "collect",
                                               "sum",
                                               "min",
                                               "max",
                                               "avg",
                                               "percentiledisc",
                                               "percentilecont",
                                               "stdev",
                                               "stdevp"};
  return kNames.count(Lower(name)) > 0;
}

class Checker {
 public:
  std::vector<std::string> Single(const SingleQuery& q) {
    scope_.clear();
    for (size_t i = 0; i < q.clauses.size(); ++i) {
      const Clause& c = q.clauses[i];
      bool last = i + 1 == q.clauses.size();
      if (c.kind == Clause::Kind::kReturn && !last)
        Fail(q.clauses[i + 1].pos, "InvalidClauseComposition", "RETURN must be the last clause");
      if (last && c.kind != Clause::Kind::kReturn && c.kind != Clause::Kind::kCreate &&
          c.kind != Clause::Kind::kCall)
        Fail(c.pos, "InvalidClauseComposition",
             "a query must end with RETURN (or an updating clause)");
      switch (c.kind) {
        case Clause::Kind::kMatch:
          Match(c);
          break;
        case Clause::Kind::kCreate:
          Create(c);
          break;
        case Clause::Kind::kUnwind:
          Expression(*c.expr, false);
          if (scope_.count(c.alias))
            Fail(c.pos, "VariableAlreadyBound", "'" + c.alias + "' is already bound");
          scope_[c.alias] = c.expr->kind == Expr::Kind::kList && IsValue(*c.expr) ? VarKind::kValue
                                                                                  : VarKind::kAny;
          break;
        case Clause::Kind::kWith:
        case Clause::Kind::kReturn:
          Projection(c);
          break;
        case Clause::Kind::kCall:
          for (const auto& a : c.args) Expression(*a, false);
          for (const auto& y : c.yields) scope_[y] = VarKind::kAny;
          break;
      }
    }
    return columns_;
  }

 private:
  void Declare(const std::string& var, VarKind kind, const Position& at) {
    if (var.empty()) return;
    auto it = scope_.find(var);
    if (it == scope_.end()) {
      scope_[var] = kind;
      return;
    }
    if (it->second != kind && it->second != VarKind::kAny)
      Fail(at, "VariableTypeConflict", "'" + var + "' is already bound as another kind of thing");
  }

  void PatternParts(const Pattern& p, bool creating) {
    std::set<std::string> rels_here, path_vars;
    for (const auto& path : p.paths)
      if (!path.var.empty()) path_vars.insert(path.var);
    auto not_a_path = [&](const std::string& var, const Position& at) {
      if (path_vars.count(var))
        Fail(at, "VariableAlreadyBound", "'" + var + "' already names a path of this pattern");
    };
    auto no_parameter = [&](const ExprPtr& props) {
      if (!creating && props && props->kind == Expr::Kind::kParameter)
        Fail(props->pos, "InvalidParameterUse",
             "MATCH takes properties as a map, not as a parameter");
    };
    for (const auto& path : p.paths) {
      if (!path.var.empty()) {
        if (scope_.count(path.var))
          Fail(path.pos, "VariableAlreadyBound", "'" + path.var + "' is already bound");
      }
      for (size_t i = 0; i < path.nodes.size(); ++i) {
        const NodePattern& n = path.nodes[i];
        not_a_path(n.var, n.pos);
        no_parameter(n.props);
        if (n.props) Expression(*n.props, false);
        if (creating && !n.var.empty() && scope_.count(n.var) &&
            (!n.labels.empty() || n.props || path.nodes.size() == 1))
          Fail(n.pos, "VariableAlreadyBound", "'" + n.var + "' is already bound");
        Declare(n.var, VarKind::kNode, n.pos);
        if (i >= path.rels.size()) continue;
        const RelPattern& r = path.rels[i];
        not_a_path(r.var, r.pos);
        no_parameter(r.props);
        if (r.props) Expression(*r.props, false);
        if (creating) {
          if (r.var_length)
            Fail(r.pos, "CreatingVarLength", "CREATE cannot make a variable-length relationship");
          if (r.types.size() != 1)
            Fail(r.pos, "NoSingleRelationshipType", "CREATE needs exactly one relationship type");
          if (r.dir == RelPattern::Dir::kBoth)
            Fail(r.pos, "RequiresDirectedRelationship", "CREATE needs a direction: -> or <-");
          if (!r.var.empty() && scope_.count(r.var))
            Fail(r.pos, "VariableAlreadyBound", "'" + r.var + "' is already bound");
        }
        if (!r.var.empty()) {
          if (!rels_here.insert(r.var).second)
            Fail(r.pos, "RelationshipUniquenessViolation",
                 "'" + r.var + "' names two relationships of one pattern");
          auto it = scope_.find(r.var);
          if (it == scope_.end()) {
            scope_[r.var] = r.var_length ? VarKind::kAny : VarKind::kRel;
          } else if (r.var_length ? it->second != VarKind::kAny
                                  : (it->second != VarKind::kRel && it->second != VarKind::kAny)) {
            Fail(r.pos, "VariableTypeConflict",
                 "'" + r.var + "' is already bound to something that is not " +
                     (r.var_length ? "a list of relationships" : "a relationship"));
          }
        }
      }
      if (!path.var.empty()) scope_[path.var] = VarKind::kPath;
    }
  }

  void Match(const Clause& c) {
    PatternParts(c.pattern, false);
    if (c.where) Expression(*c.where, false, true);
  }

  void Create(const Clause& c) { PatternParts(c.pattern, true); }

  void Projection(const Clause& c) {
    std::map<std::string, VarKind> next;
    std::set<std::string> names;
    if (c.star) {
      if (scope_.empty() && c.kind == Clause::Kind::kReturn)
        Fail(c.pos, "NoVariablesInScope", "RETURN * needs at least one variable in scope");
      next = scope_;
      for (const auto& [k, v] : scope_) names.insert(k);
    }
    bool aggregating = false;
    for (const auto& it : c.items) {
      Expression(*it.expr, true);
      aggregating = aggregating || HasAggregate(*it.expr);
      if (c.kind == Clause::Kind::kWith && !it.aliased && it.expr->kind != Expr::Kind::kVariable)
        Fail(it.expr->pos, "NoExpressionAlias", "WITH needs an alias (AS name) for an expression");
      if (!names.insert(it.alias).second)
        Fail(it.expr->pos, "ColumnNameConflict", "two columns are named '" + it.alias + "'");
      VarKind kind = VarKind::kAny;
      if (it.expr->kind == Expr::Kind::kVariable && scope_.count(it.expr->name))
        kind = scope_[it.expr->name];
      else if (IsValue(*it.expr))
        kind = VarKind::kValue;
      next[it.alias] = kind;
    }
    if (aggregating)
      for (const auto& it : c.items)
        if (HasAggregate(*it.expr)) AmbiguousAggregation(*it.expr, c);
    // ORDER BY sees the projected names, and the old ones unless aggregating.
    std::map<std::string, VarKind> order_scope = next;
    if (!aggregating && !c.distinct)
      for (const auto& [k, v] : scope_) order_scope.emplace(k, v);
    std::swap(scope_, order_scope);
    for (const auto& s : c.order) {
      bool projected = std::any_of(c.items.begin(), c.items.end(), [&](const ProjectionItem& it) {
        return it.expr->text == s.expr->text;
      });
      if (!projected) Expression(*s.expr, aggregating && !c.distinct);
      if (!projected && (aggregating || c.distinct) && HasAggregate(*s.expr))
        Fail(s.expr->pos, "InvalidAggregation", "ORDER BY cannot aggregate what is not returned");
    }
    Constant(c.skip.get(), "SKIP");
    Constant(c.limit.get(), "LIMIT");
    // WITH ... WHERE sees what ORDER BY sees.
    if (c.where) Expression(*c.where, false, true);
    scope_ = next;
    if (c.kind == Clause::Kind::kReturn) {
      columns_.clear();
      for (const auto& [k, v] : next)
        if (c.star) columns_.push_back(k);
      for (const auto& it : c.items) columns_.push_back(it.alias);
    }
  }

  // In `count(n) + n.x`, n.x is neither a grouping key nor aggregated.
  void AmbiguousAggregation(const Expr& e, const Clause& c) {
    if (e.kind == Expr::Kind::kCall && IsAggregate(e.name)) return;
    if (e.kind == Expr::Kind::kVariable || e.kind == Expr::Kind::kProperty) {
      bool is_key = std::any_of(c.items.begin(), c.items.end(), [&](const ProjectionItem& it) {
        return !HasAggregate(*it.expr) && it.expr->text == e.text;
      });
      if (!is_key && !e.text.empty())
        Fail(e.pos, "AmbiguousAggregationExpression",
             "'" + e.text + "' is neither grouped by nor aggregated");
      if (e.kind == Expr::Kind::kVariable && !is_key) {
        bool any_key = std::any_of(c.items.begin(), c.items.end(), [&](const ProjectionItem& it) {
          return !HasAggregate(*it.expr) && it.expr->kind == Expr::Kind::kVariable &&
                 it.expr->name == e.name;
        });
        if (!any_key)
          Fail(e.pos, "AmbiguousAggregationExpression",
               "'" + e.name + "' is neither grouped by nor aggregated");
      }
      return;
    }
    for (const auto& k : e.kids)
      if (k) AmbiguousAggregation(*k, c);
  }

  // An expression that can never yield a node, relationship or path.
  static bool IsValue(const Expr& e) {
    return (e.kind == Expr::Kind::kLiteral && !e.value.IsNull()) || e.kind == Expr::Kind::kMap ||
           e.kind == Expr::Kind::kIsNull || (e.kind == Expr::Kind::kBinary && e.op != "[]") ||
           (e.kind == Expr::Kind::kList &&
            std::all_of(e.kids.begin(), e.kids.end(),
                        [](const ExprPtr& k) { return IsValue(*k); }));
  }

  // A literal that can never be a boolean, where a boolean must stand.
  static void NotBoolean(const Expr& e, const std::string& op) {
    bool wrong = e.kind == Expr::Kind::kList || e.kind == Expr::Kind::kMap ||
                 (e.kind == Expr::Kind::kLiteral && !e.value.IsNull() && !e.value.IsBool());
    if (wrong)
      Fail(e.pos, "InvalidArgumentType", op + " needs booleans, and this can never be one");
  }

  void Constant(const Expr* e, const char* what) {
    if (!e) return;
    std::map<std::string, VarKind> none;
    std::swap(scope_, none);
    try {
      Expression(*e, false);
    } catch (const Error& err) {
      std::swap(scope_, none);
      if (err.detail == "UndefinedVariable")
        Fail(e->pos, "NonConstantExpression", std::string(what) + " must not use variables");
      throw;
    }
    std::swap(scope_, none);
    if (e->kind == Expr::Kind::kLiteral) {
      if (e->value.IsInt() && e->value.AsInt() < 0)
        Fail(e->pos, "NegativeIntegerArgument", std::string(what) + " cannot be negative");
      if (!e->value.IsInt())
        Fail(e->pos, "InvalidArgumentType", std::string(what) + " needs an integer");
    }
  }

  void Expression(const Expr& e, bool aggregates_allowed, bool in_where = false,
                  bool in_aggregate = false) {
    using K = Expr::Kind;
    switch (e.kind) {
      case K::kVariable:
        if (!scope_.count(e.name) && !locals_.count(e.name))
          Fail(e.pos, "UndefinedVariable", "variable '" + e.name + "' is not defined");
        return;
      case K::kParameter:
        return;
      case K::kCall:
        if (!KnownFunction(e.name) && e.name.find('.') == std::string::npos)
          Fail(e.pos, "UnknownFunction", "unknown function " + e.name + "()");
        if (IsAggregate(e.name)) {
          if (!aggregates_allowed || in_where)
            Fail(e.pos, "InvalidAggregation", e.name + "() cannot be used here");
          if (in_aggregate) Fail(e.pos, "NestedAggregation", "an aggregate cannot hold another");
          for (const auto& k : e.kids) Expression(*k, aggregates_allowed, in_where, true);
          return;
        }
        break;
      case K::kComprehension:
      case K::kQuantifier: {
        Expression(*e.kids[0], aggregates_allowed, in_where, in_aggregate);
        locals_.insert(e.name);
        for (size_t i = 1; i < e.kids.size(); ++i)
          if (e.kids[i]) Expression(*e.kids[i], false, in_where, in_aggregate);
        locals_.erase(e.name);
        return;
      }
      case K::kReduce: {
        Expression(*e.kids[0], aggregates_allowed, in_where, in_aggregate);
        Expression(*e.kids[1], aggregates_allowed, in_where, in_aggregate);
        locals_.insert(e.keys[0]);
        locals_.insert(e.name);
        Expression(*e.kids[2], false, in_where, in_aggregate);
        locals_.erase(e.keys[0]);
        locals_.erase(e.name);
        return;
      }
      case K::kPattern:
        for (const auto& path : e.pattern->paths)
          for (const auto& n : path.nodes)
            if (!n.var.empty() && !scope_.count(n.var) && !locals_.count(n.var))
              Fail(n.pos, "UndefinedVariable",
                   "a pattern predicate cannot introduce '" + n.var + "'");
        return;
      case K::kPatternComprehension: {
        std::vector<std::string> added;
        for (const auto& path : e.pattern->paths) {
          if (!path.var.empty()) added.push_back(path.var);
          for (const auto& n : path.nodes)
            if (!n.var.empty() && !scope_.count(n.var)) added.push_back(n.var);
          for (const auto& r : path.rels)
            if (!r.var.empty() && !scope_.count(r.var)) added.push_back(r.var);
        }
        for (const auto& a : added) locals_.insert(a);
        for (const auto& k : e.kids)
          if (k) Expression(*k, false, in_where, in_aggregate);
        for (const auto& a : added) locals_.erase(a);
        return;
      }
      case K::kUnary:
      case K::kBinary:
        if (e.op == "NOT" || e.op == "AND" || e.op == "OR" || e.op == "XOR")
          for (const auto& k : e.kids) NotBoolean(*k, e.op);
        break;
      case K::kMapProjection:
        Expression(*e.kids[0], aggregates_allowed, in_where, in_aggregate);
        for (size_t i = 1; i < e.kids.size(); ++i)
          if (e.kids[i]) Expression(*e.kids[i], aggregates_allowed, in_where, in_aggregate);
        return;
      default:
        break;
    }
    for (const auto& k : e.kids)
      if (k) Expression(*k, aggregates_allowed, in_where, in_aggregate);
  }

  std::map<std::string, VarKind> scope_;
  std::multiset<std::string> locals_;
  std::vector<std::string> columns_;
};

}  // namespace

void CheckQuery(const Query& q) {
  std::vector<std::string> first;
  for (size_t i = 0; i < q.parts.size(); ++i) {
    if (i >= 2 && q.union_all[i - 1] != q.union_all[i - 2])
      Fail(q.union_pos[i - 1], "InvalidClauseComposition", "UNION and UNION ALL cannot be mixed");
    Checker c;
    std::vector<std::string> cols = c.Single(q.parts[i]);
    if (i == 0) {
      first = cols;
    } else if (cols != first) {
      Fail(q.union_pos[i - 1], "DifferentColumnsInUnion",
           "every part of a UNION must return the same columns");
    }
  }
}

}  // namespace sinew::cypher
