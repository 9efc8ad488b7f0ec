// sinew's openCypher engine: query text is tokenized (lexer), parsed into a
// syntax tree (parser), checked for scope, aggregation and clause order
// (checker), planned (planner: each MATCH starts from its selective end) and
// executed clause by clause over tables of rows (executor, match, eval,
// functions) on a PropertyGraph (graph.h). It depends on nothing else in
// sinew: query/ adapts a store to PropertyGraph, adds the analyses as
// procedures and renders answers. docs/cypher.md says what it reads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cypher/graph.h"
#include "cypher/value.h"

namespace sinew::cypher {

// An error in a query: its openCypher class ("SyntaxError", "TypeError",
// "ArgumentError", ...), the detail code the TCK names ("UndefinedVariable"),
// a message for people, and where (1-based; 0 when not tied to a place).
// A PropertyGraph or a Procedure fails the query it serves by throwing one;
// Run catches it: no exception leaves Run.
struct Error : std::runtime_error {
  Error(std::string type_, std::string detail_, const std::string& message, int line_ = 0,
        int column_ = 0, bool compile_time_ = true)
      : std::runtime_error(message),
        type(std::move(type_)),
        detail(std::move(detail_)),
        line(line_),
        column(column_),
        compile_time(compile_time_) {}
  std::string type, detail;
  int line, column;
  bool compile_time;
};

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

// A procedure callable with CALL name(args): returns its result table.
using Procedure = std::function<Table(const std::vector<Value>& args)>;
using Procedures = std::map<std::string, Procedure>;

// What one query may use; past any of it the query fails with a
// ResourceError rather than running for hours or filling memory.
struct Limits {
  uint64_t steps = 200'000'000;        // units of work: rows made, relationships tried, list items
  uint64_t rows = 2'000'000;           // rows one clause may hold at once
  int64_t bytes = int64_t{512} << 20;  // memory the query may grow by, as `allocated` measures
  std::function<int64_t()> allocated;  // the allocator's count; null = not measured
  const std::atomic<bool>* cancel = nullptr;  // raised from outside: stop now
};

// The answer to one query: its table, or why it failed.
struct Outcome {
  Table table;
  std::optional<Error> error;
};

// Parses, checks, plans and runs `text` on `graph` with `params` and
// `procedures` (may be null) within `limits`. Never throws.
Outcome Run(const std::string& text, PropertyGraph* graph, const Map& params,
            const Procedures* procedures, const Limits& limits);

}  // namespace sinew::cypher
