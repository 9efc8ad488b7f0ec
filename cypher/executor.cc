// Clauses: each turns the table of rows so far into the next. Projections
// (WITH, RETURN) group and aggregate, sort, skip and limit.
#include "cypher/executor.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace sinew::cypher {
namespace {

int Find(const std::vector<std::string>& names, const std::string& name) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

// The aggregating calls in `e`, outside nested list scopes.
void CollectAggregates(const Expr& e, std::vector<const Expr*>* out) {
  if (e.kind == Expr::Kind::kCall && IsAggregate(e.name)) {
    out->push_back(&e);
    return;
  }
  for (const auto& k : e.kids)
    if (k) CollectAggregates(*k, out);
}

struct KeyLess {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    for (size_t i = 0; i < a.size(); ++i)
      if (int c = OrderCompare(a[i], b[i]); c != 0) return c < 0;
    return false;
  }
};

// One aggregate over the values of a group.
Value Aggregate(const Expr& call, const std::vector<Value>& values, const Value& percentile) {
  std::string fn = Lower(call.name);
  std::vector<Value> v;
  for (const Value& x : values)
    if (!x.IsNull()) v.push_back(x);
  if (call.distinct) {
    // Kept in first-seen order; a set of the values seen makes it n log n.
    auto less = [](const Value& a, const Value& b) { return OrderCompare(a, b) < 0; };
    std::set<Value, decltype(less)> seen(less);
    std::vector<Value> unique;
    for (const Value& x : v)
      if (seen.insert(x).second) unique.push_back(x);
    v = std::move(unique);
  }
  if (fn == "count") return Value(static_cast<int64_t>(call.star ? values.size() : v.size()));
  if (fn == "collect") return Value(List(v.begin(), v.end()));
  if (fn == "min" || fn == "max") {
    if (v.empty()) return Value();
    Value best = v[0];
    for (const Value& x : v) {
      int c = OrderCompare(x, best);
      // Cypher orders numbers above strings; min/max compare within that order.
      if ((fn == "min" && c < 0) || (fn == "max" && c > 0)) best = x;
    }
    return best;
  }
  auto numbers = [&]() {
    for (const Value& x : v)
      if (!x.IsNumber())
        throw Error("TypeError", "InvalidArgumentType",
                    call.name + "() needs numbers, not " + TypeName(x), call.pos.line,
                    call.pos.column, false);
  };
  if (fn == "sum") {
    numbers();
    bool all_int = std::all_of(v.begin(), v.end(), [](const Value& x) { return x.IsInt(); });
    if (all_int) {
      int64_t s = 0;
      for (const Value& x : v) s += x.AsInt();
      return Value(s);
    }
    double s = 0;
    for (const Value& x : v) s += x.AsNumber();
    return Value(s);
  }
  if (fn == "avg") {
    numbers();
    if (v.empty()) return Value();
    double s = 0;
    for (const Value& x : v) s += x.AsNumber();
    return Value(s / static_cast<double>(v.size()));
  }
  if (fn == "stdev" || fn == "stdevp") {
    numbers();
    if (v.size() < 2 && fn == "stdev") return Value(0.0);
    if (v.empty()) return Value(0.0);
    double mean = 0;
    for (const Value& x : v) mean += x.AsNumber();
    mean /= static_cast<double>(v.size());
    double ss = 0;
    for (const Value& x : v) ss += (x.AsNumber() - mean) * (x.AsNumber() - mean);
    return Value(std::sqrt(ss / static_cast<double>(v.size() - (fn == "stdev" ? 1 : 0))));
  }
  // percentileDisc / percentileCont
  numbers();
  if (!percentile.IsNumber() || percentile.AsNumber() < 0 || percentile.AsNumber() > 1)
    throw Error("ArgumentError", "NumberOutOfRange", "a percentile lies between 0.0 and 1.0",
                call.pos.line, call.pos.column, false);
  if (v.empty()) return Value();
  std::sort(v.begin(), v.end(),
            [](const Value& a, const Value& b) { return a.AsNumber() < b.AsNumber(); });
  double p = percentile.AsNumber();
  if (fn == "percentiledisc") {
    size_t i = p <= 0 ? 0 : static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
    return v[std::min(i, v.size() - 1)];
  }
  double pos = p * static_cast<double>(v.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, v.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return Value(v[lo].AsNumber() + (v[hi].AsNumber() - v[lo].AsNumber()) * frac);
}

}  // namespace

int64_t Executor::NonNegativeInteger(const Expr* e, const char* what) {
  Env env(nullptr, nullptr);
  Value v = Eval(*e, env);
  if (!v.IsInt() || v.AsInt() < 0) {
    bool negative = v.IsInt() || (v.IsFloat() && v.AsFloat() < 0);
    throw Error("SyntaxError", v.IsInt() ? "NegativeIntegerArgument" : "InvalidArgumentType",
                std::string(what) + " needs a non-negative integer" +
                    (negative && v.IsInt() ? "" : ", not " + TypeName(v)),
                e->pos.line, e->pos.column, false);
  }
  return v.AsInt();
}

void Executor::SetLimits(const Limits& limits) {
  limits_ = limits;
  budget_ = limits.steps;
  base_bytes_ = limits.allocated ? limits.allocated() : 0;
}

void Executor::Look() {
  ticks_ = 0;
  if (limits_.cancel && limits_.cancel->load())
    throw Error("ResourceError", "Cancelled", "the query was cancelled", 0, 0, false);
  if (limits_.allocated && limits_.allocated() - base_bytes_ > limits_.bytes)
    throw Error("ResourceError", "QueryTooLarge",
                "the query would take more than " + std::to_string(limits_.bytes >> 20) +
                    " MiB of memory; narrow it",
                0, 0, false);
}

Table Executor::Run(const Query& q) {
  Table out = RunSingle(q.parts[0]);
  for (size_t i = 1; i < q.parts.size(); ++i) {
    Table next = RunSingle(q.parts[i]);
    if (next.columns != out.columns)
      throw Error("SyntaxError", "DifferentColumnsInUnion",
                  "every part of a UNION must return the same columns");
    Hold(out.rows.size() + next.rows.size());
    for (auto& r : next.rows) out.rows.push_back(std::move(r));
    if (!q.union_all[i - 1]) {
      std::vector<std::vector<Value>> unique;
      for (auto& r : out.rows) {
        bool seen = std::any_of(unique.begin(), unique.end(), [&](const std::vector<Value>& u) {
          for (size_t k = 0; k < u.size(); ++k)
            if (!SameValue(u[k], r[k])) return false;
          return true;
        });
        if (!seen) unique.push_back(std::move(r));
      }
      out.rows = std::move(unique);
    }
  }
  return out;
}

Table Executor::RunSingle(const SingleQuery& q) {
  Table t;
  t.rows.emplace_back();  // one empty row to start from
  bool returned = false;
  for (const Clause& c : q.clauses) {
    switch (c.kind) {
      case Clause::Kind::kMatch:
        t = Match(c, std::move(t));
        break;
      case Clause::Kind::kUnwind:
        t = Unwind(c, std::move(t));
        break;
      case Clause::Kind::kWith:
      case Clause::Kind::kReturn:
        t = Project(c, std::move(t));
        break;
      case Clause::Kind::kCreate:
        t = Create(c, std::move(t));
        break;
      case Clause::Kind::kCall:
        t = Call(c, std::move(t));
        break;
    }
    returned = c.kind == Clause::Kind::kReturn;
  }
  if (!returned) return Table{};  // a query without RETURN answers nothing
  return t;
}

Table Executor::Match(const Clause& c, Table in) {
  // The new variables, in the order the pattern names them.
  std::vector<std::string> fresh;
  auto add = [&](const std::string& v) {
    if (!v.empty() && Find(in.columns, v) < 0 && Find(fresh, v) < 0) fresh.push_back(v);
  };
  for (const auto& p : c.pattern.paths) {
    add(p.var);
    for (size_t i = 0; i < p.nodes.size(); ++i) {
      add(p.nodes[i].var);
      if (i < p.rels.size()) add(p.rels[i].var);
    }
  }
  Table out;
  out.columns = in.columns;
  out.columns.insert(out.columns.end(), fresh.begin(), fresh.end());
  for (const auto& row : in.rows) {
    Env env(&in.columns, &row);
    size_t before = out.rows.size();
    MatchPattern(c.pattern, env, [&](Bindings& b) {
      std::vector<Value> r = row;
      for (const auto& name : fresh) {
        auto it =
            std::find_if(b.begin(), b.end(), [&](const auto& kv) { return kv.first == name; });
        r.push_back(it == b.end() ? Value() : it->second);
      }
      if (c.where) {
        Env full(&out.columns, &r);
        if (!IsTrue(*c.where, full)) return;
      }
      Spend();
      Hold(out.rows.size() + 1);
      out.rows.push_back(std::move(r));
    });
    if (c.optional && out.rows.size() == before) {
      std::vector<Value> r = row;
      r.resize(out.columns.size());
      out.rows.push_back(std::move(r));
    }
  }
  return out;
}

Table Executor::Unwind(const Clause& c, Table in) {
  Table out;
  out.columns = in.columns;
  out.columns.push_back(c.alias);
  for (const auto& row : in.rows) {
    Env env(&in.columns, &row);
    Value v = Eval(*c.expr, env);
    if (v.IsNull()) continue;
    List items = v.IsList() ? v.AsList() : List{v};
    Spend(items.size());
    Hold(out.rows.size() + items.size());
    for (auto& item : items) {
      std::vector<Value> r = row;
      r.push_back(std::move(item));
      out.rows.push_back(std::move(r));
    }
  }
  return out;
}

Table Executor::Project(const Clause& c, Table in) {
  std::vector<ProjectionItem> items;
  if (c.star) {
    std::vector<std::string> names = in.columns;
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
      auto v = std::make_shared<Expr>();
      v->kind = Expr::Kind::kVariable;
      v->name = n;
      items.push_back({v, n, true});
    }
  }
  items.insert(items.end(), c.items.begin(), c.items.end());
  Table out;
  for (const auto& it : items) out.columns.push_back(it.alias);

  bool aggregating = std::any_of(items.begin(), items.end(),
                                 [](const ProjectionItem& it) { return HasAggregate(*it.expr); });
  // Rows carry the projected values, then (for ORDER BY) the input row.
  std::vector<std::vector<Value>> rows;
  std::vector<std::string> sort_scope = out.columns;
  if (!aggregating) {
    sort_scope.insert(sort_scope.end(), in.columns.begin(), in.columns.end());
    for (const auto& row : in.rows) {
      Env env(&in.columns, &row);
      std::vector<Value> r;
      for (const auto& it : items) r.push_back(Eval(*it.expr, env));
      r.insert(r.end(), row.begin(), row.end());
      Spend();
      rows.push_back(std::move(r));
    }
  } else {
    std::vector<size_t> keys;
    std::vector<std::vector<const Expr*>> aggs(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      CollectAggregates(*items[i].expr, &aggs[i]);
      if (aggs[i].empty()) keys.push_back(i);
    }
    std::map<std::vector<Value>, std::vector<size_t>, KeyLess> groups;
    std::vector<std::vector<Value>> order;  // groups in first-seen order
    for (size_t r = 0; r < in.rows.size(); ++r) {
      Env env(&in.columns, &in.rows[r]);
      std::vector<Value> key;
      for (size_t k : keys) key.push_back(Eval(*items[k].expr, env));
      Spend();
      auto [pos, inserted] = groups.try_emplace(key);
      if (inserted) order.push_back(key);
      pos->second.push_back(r);
    }
    // With no grouping keys, aggregating over no rows still gives one row.
    if (keys.empty() && groups.empty()) {
      groups.try_emplace({});
      order.emplace_back();
    }
    for (const auto& key : order) {
      const std::vector<size_t>& members = groups[key];
      std::map<const Expr*, Value> computed;
      for (const auto& list : aggs)
        for (const Expr* call : list) {
          std::vector<Value> values;
          Value percentile;
          for (size_t r : members) {
            Env env(&in.columns, &in.rows[r]);
            if (!call->star) {
              if (call->kids.empty())
                throw Error("SyntaxError", "InvalidNumberOfArguments",
                            call->name + "() needs an argument", call->pos.line, call->pos.column);
              values.push_back(Eval(*call->kids[0], env));
              if (call->kids.size() > 1) percentile = Eval(*call->kids[1], env);
            } else {
              values.emplace_back(true);
            }
          }
          computed[call] = Aggregate(*call, values, percentile);
        }
      std::vector<Value> r(items.size());
      std::vector<Value> empty_row(in.columns.size());
      const std::vector<Value>& first = members.empty() ? empty_row : in.rows[members[0]];
      Env env(&in.columns, &first);
      env.aggregates = &computed;
      size_t k = 0;
      for (size_t i = 0; i < items.size(); ++i)
        r[i] = aggs[i].empty() ? key[k++] : Eval(*items[i].expr, env);
      rows.push_back(std::move(r));
    }
  }

  if (c.distinct) {
    // The rows' projected values, compared as grouping keys are (KeyLess):
    // n log n, where comparing each row with every kept one was quadratic.
    std::set<std::vector<Value>, KeyLess> seen;
    std::vector<std::vector<Value>> unique;
    for (auto& r : rows) {
      std::vector<Value> key(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(items.size()));
      if (seen.insert(std::move(key)).second) unique.push_back(std::move(r));
    }
    rows = std::move(unique);
  }

  if (!c.order.empty()) {
    // An ORDER BY expression that repeats a projected one reads its column.
    std::vector<std::vector<Value>> keys(rows.size());
    for (size_t r = 0; r < rows.size(); ++r) {
      Env env(&sort_scope, &rows[r]);
      for (const auto& s : c.order) {
        int col = -1;
        for (size_t i = 0; i < items.size(); ++i)
          if (items[i].expr->text == s.expr->text && !s.expr->text.empty())
            col = static_cast<int>(i);
        keys[r].push_back(col >= 0 ? rows[r][static_cast<size_t>(col)] : Eval(*s.expr, env));
      }
    }
    std::vector<size_t> idx(rows.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      for (size_t k = 0; k < c.order.size(); ++k) {
        int cmp = OrderCompare(keys[a][k], keys[b][k]);
        if (cmp != 0) return c.order[k].descending ? cmp > 0 : cmp < 0;
      }
      return false;
    });
    std::vector<std::vector<Value>> sorted;
    for (size_t i : idx) sorted.push_back(std::move(rows[i]));
    rows = std::move(sorted);
  }
  size_t skip = c.skip ? static_cast<size_t>(NonNegativeInteger(c.skip.get(), "SKIP")) : 0;
  size_t limit =
      c.limit ? static_cast<size_t>(NonNegativeInteger(c.limit.get(), "LIMIT")) : rows.size();
  for (size_t i = skip; i < rows.size() && out.rows.size() < limit; ++i) {
    // WITH ... WHERE sees the projected names, and the earlier ones unless
    // the projection aggregated.
    if (c.where) {
      Env env(&sort_scope, &rows[i]);
      if (!IsTrue(*c.where, env)) continue;
    }
    rows[i].resize(items.size());
    out.rows.push_back(std::move(rows[i]));
  }
  return out;
}

Table Executor::Create(const Clause& c, Table in) {
  Table out;
  out.columns = in.columns;
  for (const auto& p : c.pattern.paths) {
    if (!p.var.empty() && Find(out.columns, p.var) < 0) out.columns.push_back(p.var);
    for (size_t i = 0; i < p.nodes.size(); ++i) {
      if (!p.nodes[i].var.empty() && Find(out.columns, p.nodes[i].var) < 0)
        out.columns.push_back(p.nodes[i].var);
      if (i < p.rels.size() && !p.rels[i].var.empty() && Find(out.columns, p.rels[i].var) < 0)
        out.columns.push_back(p.rels[i].var);
    }
  }
  for (const auto& row : in.rows) {
    Spend(c.pattern.paths.size());
    std::vector<Value> r = row;
    r.resize(out.columns.size());
    std::vector<bool> set(out.columns.size(), false);
    for (size_t i = 0; i < row.size(); ++i) set[i] = true;
    Env env(&out.columns, &r);
    auto props = [&](const ExprPtr& e) -> Map {
      if (!e) return {};
      Value v = Eval(*e, env);
      if (v.IsNull()) return {};
      if (!v.IsMap())
        throw Error("TypeError", "InvalidArgumentType", "properties must be a map", e->pos.line,
                    e->pos.column, false);
      return v.AsMap();
    };
    for (const auto& p : c.pattern.paths) {
      std::vector<uint64_t> nodes, rels;
      for (const auto& np : p.nodes) {
        int slot = np.var.empty() ? -1 : Find(out.columns, np.var);
        if (slot >= 0 && set[static_cast<size_t>(slot)]) {
          const Value& v = r[static_cast<size_t>(slot)];
          if (!v.IsNode())
            throw Error("SemanticError", "VariableTypeConflict",
                        "'" + np.var + "' is not a node to connect", np.pos.line, np.pos.column,
                        false);
          nodes.push_back(v.AsNode().id);
          continue;
        }
        uint64_t id = graph_->CreateNode(np.labels, props(np.props));
        nodes.push_back(id);
        if (slot >= 0) {
          r[static_cast<size_t>(slot)] = Value(NodeRef{id});
          set[static_cast<size_t>(slot)] = true;
        }
      }
      for (size_t i = 0; i < p.rels.size(); ++i) {
        const RelPattern& rp = p.rels[i];
        uint64_t a = nodes[i], b = nodes[i + 1];
        if (rp.dir == RelPattern::Dir::kLeft) std::swap(a, b);
        uint64_t id = graph_->CreateRelationship(a, rp.types[0], b, props(rp.props));
        rels.push_back(id);
        int slot = rp.var.empty() ? -1 : Find(out.columns, rp.var);
        if (slot >= 0) {
          r[static_cast<size_t>(slot)] = Value(RelRef{id});
          set[static_cast<size_t>(slot)] = true;
        }
      }
      if (!p.var.empty()) {
        int slot = Find(out.columns, p.var);
        r[static_cast<size_t>(slot)] = Value(PathValue{nodes, rels});
        set[static_cast<size_t>(slot)] = true;
      }
    }
    out.rows.push_back(std::move(r));
  }
  return out;
}

Table Executor::Call(const Clause& c, Table in) {
  auto it = procedures_ ? procedures_->find(c.procedure) : Procedures::const_iterator{};
  if (!procedures_ || it == procedures_->end())
    throw Error("ProcedureError", "ProcedureNotFound", "no procedure " + c.procedure, c.pos.line,
                c.pos.column);
  Table out;
  out.columns = in.columns;
  bool first = true;
  std::vector<int> pick;
  for (const auto& row : in.rows) {
    Env env(&in.columns, &row);
    std::vector<Value> args;
    for (const auto& a : c.args) args.push_back(Eval(*a, env));
    Table result = it->second(args);
    if (first) {
      std::vector<std::string> wanted = c.yields.empty() ? result.columns : c.yields;
      for (const auto& w : wanted) {
        int k = Find(result.columns, w);
        if (k < 0)
          throw Error("SyntaxError", "UndefinedVariable",
                      c.procedure + " yields no column '" + w + "'", c.pos.line, c.pos.column);
        pick.push_back(k);
        out.columns.push_back(w);
      }
      first = false;
    }
    Hold(out.rows.size() + result.rows.size());
    for (const auto& rr : result.rows) {
      std::vector<Value> r = row;
      for (int k : pick) r.push_back(rr[static_cast<size_t>(k)]);
      out.rows.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace sinew::cypher
