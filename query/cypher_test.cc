#include <doctest/doctest.h>

#include "query/query.h"

namespace sinew::query {
namespace {

// Runs `text` and renders the answer as "col|col\nv|v\n" rows.
std::string Answer(ScratchGraph& g, const std::string& text,
                   const std::map<std::string, std::string>& params = {}) {
  Result<CypherTable> t = g.Run(text, params);
  if (!t.ok()) return "error: " + t.status().ToString();
  std::string out;
  for (size_t i = 0; i < t->columns.size(); ++i) out += (i ? "|" : "") + t->columns[i];
  out += "\n";
  for (const auto& r : t->rows) {
    for (size_t i = 0; i < r.size(); ++i) out += (i ? "|" : "") + r[i];
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("cypher: malformed queries name the rule and point at the place") {
  ScratchGraph g;
  struct Case {
    const char* query;
    const char* expected;  // the start of ToString(): place, class and code
  };
  const Case cases[] = {
      {"MATCH (n RETURN n", "query:1:10: SyntaxError (UnexpectedSyntax): expected ')'"},
      {"MATCH (n)\nRETURN m", "query:2:8: SyntaxError (UndefinedVariable)"},
      {"RETURN 'open", "query:1:8: SyntaxError (UnexpectedSyntax): a string is not closed"},
      {"RETURN 9223372036854775808", "query:1:8: SyntaxError (IntegerOverflow)"},
      {"MATCH (n) RETURN n LIMIT -1", "query:1:26: SyntaxError (NegativeIntegerArgument)"},
      {"MATCH (a)-[r]->(b) MATCH (r) RETURN r", "query:1:26: SyntaxError (VariableTypeConflict)"},
      {"CREATE (a)-[:T]-(b)", "query:1:11: SyntaxError (RequiresDirectedRelationship)"},
      {"RETURN count(count(1))", "query:1:14: SyntaxError (NestedAggregation)"},
      {"MATCH (n) WITH n.x RETURN 1", "query:1:16: SyntaxError (NoExpressionAlias)"},
      {"RETURN 1 AS a UNION RETURN 2 AS b", "query:1:15: SyntaxError (DifferentColumnsInUnion)"},
      {"RETURN frobnicate(1)", "query:1:8: SyntaxError (UnknownFunction)"},
      {"MATCH (n) DELETE n", "query:1:11: SyntaxError (UnsupportedClause)"},
      // Found by cypher_fuzz: left() with one argument read past its arguments.
      {"RETURN left('abc')", "query:1:8: SyntaxError (InvalidNumberOfArguments)"},
      {"RETURN toUpper('a', 'b')", "query:1:8: SyntaxError (InvalidNumberOfArguments)"},
      {"RETURN 1 +",
       "query:1:11: SyntaxError (UnexpectedSyntax): expected an expression at the end"},
  };
  for (const Case& c : cases) {
    std::string query = c.query;
    CAPTURE(query);
    Result<CypherTable> t = g.Run(c.query);
    REQUIRE_FALSE(t.ok());
    std::string got = t.status().ToString();
    CAPTURE(got);
    CHECK(got.rfind(c.expected, 0) == 0);
    CHECK(t.status().ToString().find("^") != std::string::npos);  // the caret under the place
  }
}

TEST_CASE("cypher: deep nesting is refused by name, not by running out of stack") {
  ScratchGraph g;
  for (const char* open : {"(", "[", "NOT ", "-"}) {
    CAPTURE(open);
    std::string deep = "RETURN ";
    for (int i = 0; i < 20000; ++i) deep += open;
    deep += "1";
    Result<CypherTable> t = g.Run(deep);
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().message().find("SyntaxError (NestingTooDeep)") != std::string::npos);
  }
  // Values built in a loop nest only so deep either (printing and freeing
  // them recurse).
  Result<CypherTable> deep = g.Run("RETURN reduce(l = [], i IN range(1, 100000) | [l]) AS l");
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.status().message().find("ResourceError (QueryTooLarge)") != std::string::npos);
  CHECK(Answer(g, "RETURN size(reduce(l = [], i IN range(1, 500) | [l])) AS s") == "s\n1\n");
  // Real queries nest far less: a hundred brackets still parse.
  std::string hundred = "RETURN " + std::string(100, '(') + "1" + std::string(100, ')') + " AS x";
  CHECK(Answer(g, hundred) == "x\n1\n");
}

TEST_CASE("cypher: null logic, comparison across types and list operations") {
  ScratchGraph g;
  CHECK(Answer(g, "RETURN null AND false AS a, null OR true AS b, null = null AS c") ==
        "a|b|c\nfalse|true|null\n");
  CHECK(Answer(g, "RETURN 1 = 1.0 AS a, 1 < 'a' AS b, [1, null] = [1, 2] AS c") ==
        "a|b|c\ntrue|null|null\n");
  CHECK(Answer(g, "RETURN [x IN range(1, 6) WHERE x % 2 = 0 | x * x] AS evens") ==
        "evens\n[4, 16, 36]\n");
  CHECK(Answer(g,
               "RETURN [1, 2, 3][-1] AS last, [1, 2, 3][0..2] AS first_two, 7 / 2 AS i, "
               "7 / 2.0 AS f") == "last|first_two|i|f\n3|[1, 2]|3|3.5\n");
  CHECK(Answer(g, "UNWIND [3, 1, null, 2] AS x RETURN x ORDER BY x DESC") == "x\nnull\n3\n2\n1\n");
  CHECK(Answer(g, "RETURN $n + 1 AS next", {{"n", "41"}}) == "next\n42\n");
  // A parameter is one value, however it is spelt.
  CHECK(Answer(g, "RETURN $n AS x", {{"n", "1 AS v UNION RETURN 2"}}).find("is not one value") !=
        std::string::npos);
  CHECK(Answer(g, "RETURN 9223372036854775807 + 1 AS x").rfind("error: ", 0) == 0);
}

TEST_CASE("cypher: CREATE, MATCH with variable length, aggregation and paths") {
  ScratchGraph g;
  REQUIRE(Answer(g,
                 "CREATE (r:State {name: 'Russia'})-[:DEPENDS_ON {domain: 'tech'}]->"
                 "(c:State {name: 'China'})-[:DEPENDS_ON {domain: 'energy'}]->"
                 "(r), (c)-[:SUPPLIES]->(:Firm {name: 'Huawei'})") == "\n");
  GraphCounts n = g.Counts();
  CHECK(n.nodes == 3);
  CHECK(n.relationships == 3);
  CHECK(n.labels == 2);
  CHECK(Answer(g,
               "MATCH (a:State)-[d:DEPENDS_ON]->(b) RETURN a.name AS a, d.domain AS d, "
               "b.name AS b ORDER BY a") ==
        "a|d|b\n'China'|'energy'|'Russia'\n'Russia'|'tech'|'China'\n");
  // A relationship is used once per match, so the cycle stops at two hops.
  CHECK(Answer(g,
               "MATCH p = (:State {name: 'Russia'})-[:DEPENDS_ON*]->(x) "
               "RETURN length(p) AS hops, x.name AS at ORDER BY hops") ==
        "hops|at\n1|'China'\n2|'Russia'\n");
  CHECK(Answer(g,
               "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n, collect(n.name) AS names "
               "ORDER BY label") ==
        "label|n|names\n'Firm'|1|['Huawei']\n'State'|2|['Russia', 'China']\n");
  CHECK(Answer(g,
               "MATCH (a {name: 'Russia'}) OPTIONAL MATCH (a)-[:SUPPLIES]->(x) "
               "RETURN a.name AS a, x AS x") == "a|x\n'Russia'|null\n");
  CHECK(Answer(g, "MATCH p = (:Firm)<-[:SUPPLIES]-(:State) RETURN p") ==
        "p\n<(:Firm {name: 'Huawei'})<-[:SUPPLIES]-(:State {name: 'China'})>\n");
  // The planner starts from the named end; paths and lists still read as written.
  CHECK(Answer(g, "MATCH p = (x)-[:SUPPLIES]->(:Firm {name: 'Huawei'}) RETURN p") ==
        "p\n<(:State {name: 'China'})-[:SUPPLIES]->(:Firm {name: 'Huawei'})>\n");
  CHECK(Answer(g,
               "MATCH (x)-[r:DEPENDS_ON*2]->(:State {name: 'China'}) "
               "RETURN [d IN r | d.domain] AS domains") == "domains\n['energy', 'tech']\n");
  CHECK(Answer(g, "MATCH (a:State) RETURN a.name AS n UNION MATCH (b:Firm) RETURN b.name AS n") ==
        "n\n'Russia'\n'China'\n'Huawei'\n");
}

}  // namespace sinew::query
