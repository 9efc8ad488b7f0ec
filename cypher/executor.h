// Runs a parsed Cypher query against a PropertyGraph (private to cypher/):
// each clause turns a table of rows into the next, as openCypher defines it.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cypher/ast.h"
#include "cypher/graph.h"

namespace sinew::cypher {

// The variables one expression can see: a row of named values, with the
// variables of list comprehensions and quantifiers pushed over it.
class Env {
 public:
  Env(const std::vector<std::string>* names, const std::vector<Value>* row)
      : names_(names), row_(row) {}
  const Value* Find(const std::string& name) const;
  void Push(const std::string& name, Value v) { locals_.emplace_back(name, std::move(v)); }
  void Pop() { locals_.pop_back(); }
  // Values of aggregates already computed for this row's group.
  const std::map<const Expr*, Value>* aggregates = nullptr;

 private:
  const std::vector<std::string>* names_;
  const std::vector<Value>* row_;
  std::vector<std::pair<std::string, Value>> locals_;
};

// Whether `name` (any case) is an aggregating function.
bool IsAggregate(const std::string& name);
// Whether `e` holds an aggregating call outside any nested scope.
bool HasAggregate(const Expr& e);

class Executor {
 public:
  Executor(PropertyGraph* graph, const Map* params, const Procedures* procedures)
      : graph_(graph), params_(params), procedures_(procedures) {}

  Table Run(const Query& q);

  void SetLimits(const Limits& limits);
  // Counts `steps` units of work against the limits; every few thousand,
  // also looks at memory and the cancel flag.
  void Spend(uint64_t steps = 1) {
    if (steps > budget_)
      throw Error("ResourceError", "QueryTooLarge",
                  "the query does too much work (more than " + std::to_string(limits_.steps) +
                      " steps); narrow it",
                  0, 0, false);
    budget_ -= steps;
    if ((ticks_ += steps) >= 4096) Look();
  }
  // A table about to hold `rows` rows.
  void Hold(size_t rows) {
    if (rows > limits_.rows)
      throw Error("ResourceError", "QueryTooLarge",
                  "the query would hold more than " + std::to_string(limits_.rows) +
                      " rows at once; narrow it, or aggregate earlier",
                  0, 0, false);
  }

  // Expressions (cypher_eval.cc).
  Value Eval(const Expr& e, Env& env);
  bool IsTrue(const Expr& e, Env& env);

 private:
  Table RunSingle(const SingleQuery& q);
  Table Match(const Clause& c, Table in);
  Table Unwind(const Clause& c, Table in);
  Table Project(const Clause& c, Table in);
  Table Create(const Clause& c, Table in);
  Table Call(const Clause& c, Table in);

  // Pattern matching (cypher_match.cc): calls `found` with the values of the
  // pattern's variables for each way `pattern` matches given `env`.
  using Bindings = std::vector<std::pair<std::string, Value>>;
  void MatchPattern(const Pattern& pattern, Env& env, const std::function<void(Bindings&)>& found);
  bool PatternExists(const Pattern& pattern, Env& env);

  Value Function(const Expr& e, Env& env);
  Value Property(const Value& subject, const std::string& key, const Expr& at);
  int64_t NonNegativeInteger(const Expr* e, const char* what);

  friend class PatternMatcher;
  PropertyGraph* graph_;
  const Map* params_;
  const Procedures* procedures_;
  void Look();
  Limits limits_;
  uint64_t budget_ = limits_.steps;
  uint64_t ticks_ = 0;
  int64_t base_bytes_ = 0;
};

}  // namespace sinew::cypher
