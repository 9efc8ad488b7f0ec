// The syntax tree of an openCypher query (private to cypher/), as the parser
// builds it and the executor walks it. Every node keeps the position it was
// parsed at, for error messages.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cypher/cypher.h"
#include "cypher/value.h"

namespace sinew::cypher {

struct Position {
  int line = 1, column = 1;
};

struct Pattern;
struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  enum class Kind {
    kLiteral,               // value
    kParameter,             // name
    kVariable,              // name
    kProperty,              // kids[0].name
    kIndex,                 // kids[0][kids[1]]
    kSlice,                 // kids[0][kids[1]..kids[2]] (null kid = open end)
    kUnary,                 // op kids[0]: "NOT", "-", "+"
    kBinary,                // kids[0] op kids[1]
    kIsNull,                // kids[0] IS NULL (op "NOT" for IS NOT NULL)
    kList,                  // [kids...]
    kMap,                   // {keys[i]: kids[i]}
    kCall,                  // name(kids...), distinct; star for count(*)
    kCase,                  // CASE [kids[0] if has_subject] WHEN/THEN pairs [ELSE]
    kComprehension,         // [name IN kids[0] WHERE kids[1] | kids[2]] (null kids allowed)
    kQuantifier,            // op ALL/ANY/NONE/SINGLE (name IN kids[0] WHERE kids[1])
    kReduce,                // reduce(keys[0] = kids[0], name IN kids[1] | kids[2])
    kLabels,                // kids[0]:keys...
    kPattern,               // a pattern used as a predicate: is there such a path?
    kPatternComprehension,  // [pattern WHERE kids[0] | kids[1]]
    kMapProjection,         // kids[0] {keys[i]: kids[i+1] | .prop | .*}
  };
  Kind kind;
  Position pos;
  std::string op, name;
  Value value;
  std::vector<ExprPtr> kids;
  std::vector<std::string> keys;
  bool distinct = false, star = false, has_subject = false, has_else = false;
  std::shared_ptr<const Pattern> pattern;
  std::string text;  // the source text, for column names
};

struct NodePattern {
  std::string var;  // "" = anonymous
  std::vector<std::string> labels;
  ExprPtr props;  // a map literal or parameter, or null
  Position pos;
};

struct RelPattern {
  enum class Dir { kRight, kLeft, kBoth };
  std::string var;
  std::vector<std::string> types;  // alternatives
  ExprPtr props;
  Dir dir = Dir::kBoth;
  bool var_length = false;
  int64_t min = 1, max = -1;  // -1: unbounded
  Position pos;
};

struct PathPattern {
  std::string var;  // p = ...
  // The planner turned the path round to start at its more selective end;
  // a path value is turned back before it is bound.
  bool reversed = false;
  std::vector<NodePattern> nodes;
  std::vector<RelPattern> rels;  // rels[i] joins nodes[i] and nodes[i+1]
  Position pos;
};

struct Pattern {
  std::vector<PathPattern> paths;
};

struct ProjectionItem {
  ExprPtr expr;
  std::string alias;  // the column name
  bool aliased = false;
};

struct SortItem {
  ExprPtr expr;
  bool descending = false;
};

struct Clause {
  enum class Kind { kMatch, kUnwind, kWith, kReturn, kCreate, kCall };
  Kind kind;
  Position pos;
  bool optional = false;  // OPTIONAL MATCH
  Pattern pattern;        // MATCH, CREATE
  ExprPtr where;          // MATCH, WITH
  // WITH, RETURN
  bool distinct = false, star = false;
  std::vector<ProjectionItem> items;
  std::vector<SortItem> order;
  ExprPtr skip, limit;
  // UNWIND expr AS alias; CALL name(args) YIELD items
  ExprPtr expr;
  std::string alias, procedure;
  std::vector<ExprPtr> args;
  std::vector<std::string> yields;
};

struct SingleQuery {
  std::vector<Clause> clauses;
};

struct Query {
  std::vector<SingleQuery> parts;
  std::vector<bool> union_all;      // between parts[i] and parts[i+1]
  std::vector<Position> union_pos;  // where each UNION stands
};

// Parses `text`; throws Error (a SyntaxError with its position) when it is
// not a query this dialect reads.
Query Parse(const std::string& text);

// Scope, aggregation and clause-order rules checked before anything runs;
// throws a SyntaxError naming the rule (checker.cc).
void CheckQuery(const Query& q);

// Plans a checked query in place: each MATCH path starts from its more
// selective end (a bound variable, then properties, then labels), so a
// question about one named node does not scan the whole graph.
void Plan(Query* q);

}  // namespace sinew::cypher
