// Clauses and patterns of the Cypher parser (parser.h).
#include "cypher/parser.h"

#include <algorithm>

namespace sinew::cypher {

using Kind = Token::Kind;

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool IsReserved(const std::string& upper) {
  static const char* kWords[] = {
      "MATCH", "OPTIONAL", "WHERE", "RETURN",   "WITH",      "UNWIND",   "CREATE",     "ORDER",
      "BY",    "SKIP",     "LIMIT", "ASC",      "ASCENDING", "DESC",     "DESCENDING", "AND",
      "OR",    "XOR",      "NOT",   "IN",       "AS",        "DISTINCT", "UNION",      "ALL",
      "CASE",  "WHEN",     "THEN",  "ELSE",     "END",       "IS",       "NULL",       "TRUE",
      "FALSE", "STARTS",   "ENDS",  "CONTAINS", "CALL",      "YIELD",    "MERGE",      "DELETE",
      "SET",   "REMOVE",   "DETACH"};
  return std::find_if(std::begin(kWords), std::end(kWords),
                      [&](const char* w) { return upper == w; }) != std::end(kWords);
}

SingleQuery Parser::Single() {
  SingleQuery q;
  for (;;) {
    const Token& t = Peek();
    if (t.kind != Kind::kWord) break;
    std::string kw = Upper(t.text);
    if (kw == "MATCH" || kw == "OPTIONAL") {
      q.clauses.push_back(Match());
    } else if (kw == "UNWIND") {
      q.clauses.push_back(Unwind());
    } else if (kw == "WITH" || kw == "RETURN") {
      q.clauses.push_back(Projection(kw == "RETURN"));
    } else if (kw == "CREATE") {
      q.clauses.push_back(Create());
    } else if (kw == "CALL") {
      q.clauses.push_back(Call());
    } else if (kw == "MERGE" || kw == "DELETE" || kw == "DETACH" || kw == "SET" || kw == "REMOVE" ||
               kw == "FOREACH") {
      Fail(t, kw + " is not supported: sinew runs read queries and CREATE", "UnsupportedClause");
    } else {
      break;
    }
  }
  if (q.clauses.empty()) Fail(Peek(), "expected a clause (MATCH, RETURN, ...)");
  return q;
}

Clause Parser::Start(Clause::Kind kind) {
  Clause c;
  c.kind = kind;
  c.pos = Peek().pos;
  return c;
}

Clause Parser::Match() {
  Clause c = Start(Clause::Kind::kMatch);
  c.optional = Keyword("OPTIONAL");
  ExpectKeyword("MATCH");
  c.pattern = PatternList();
  if (Keyword("WHERE")) c.where = Expression();
  return c;
}

Clause Parser::Unwind() {
  Clause c = Start(Clause::Kind::kUnwind);
  ExpectKeyword("UNWIND");
  c.expr = Expression();
  ExpectKeyword("AS");
  c.alias = Name("a variable after AS");
  return c;
}

Clause Parser::Create() {
  Clause c = Start(Clause::Kind::kCreate);
  ExpectKeyword("CREATE");
  c.pattern = PatternList();
  return c;
}

Clause Parser::Call() {
  Clause c = Start(Clause::Kind::kCall);
  ExpectKeyword("CALL");
  c.procedure = SymbolicName("a procedure name");
  while (Symbol(".")) c.procedure += "." + SymbolicName("a procedure name");
  Expect("(");
  ExpressionsUntil(")", &c.args);
  if (Keyword("YIELD")) {
    c.yields.push_back(Name("a column to yield"));
    while (Symbol(",")) c.yields.push_back(Name("a column to yield"));
  }
  return c;
}

Clause Parser::Projection(bool is_return) {
  Clause c = Start(is_return ? Clause::Kind::kReturn : Clause::Kind::kWith);
  Next();
  c.distinct = Keyword("DISTINCT");
  if (Symbol("*")) {
    c.star = true;
    if (!Symbol(",")) goto items_done;
  }
  do {
    ProjectionItem item;
    size_t start = Peek().offset;
    item.expr = Expression();
    if (Keyword("AS")) {
      item.alias = Name("a name after AS");
      item.aliased = true;
    } else {
      item.alias = text_.substr(start, t_[i_ - 1].end - start);
    }
    c.items.push_back(std::move(item));
  } while (Symbol(","));
items_done:
  if (Keyword("ORDER")) {
    ExpectKeyword("BY");
    do {
      SortItem s;
      s.expr = Expression();
      if (Keyword("DESC") || Keyword("DESCENDING"))
        s.descending = true;
      else if (!Keyword("ASC"))
        (void)Keyword("ASCENDING");
      c.order.push_back(std::move(s));
    } while (Symbol(","));
  }
  if (Keyword("SKIP")) c.skip = Expression();
  if (Keyword("LIMIT")) c.limit = Expression();
  if (!is_return && Keyword("WHERE")) c.where = Expression();
  return c;
}

Pattern Parser::PatternList() {
  Pattern p;
  p.paths.push_back(Path());
  while (Symbol(",")) p.paths.push_back(Path());
  return p;
}

PathPattern Parser::Path() {
  PathPattern path;
  path.pos = Peek().pos;
  if (IsName() && IsSymbol("=", 1)) {
    path.var = Next().text;
    Next();
  }
  // shortestPath(...) and friends are not in this dialect.
  if (IsName() && IsSymbol("(", 1) && !IsSymbol(")", 2) && Peek().kind == Kind::kWord &&
      (Upper(Peek().text) == "SHORTESTPATH" || Upper(Peek().text) == "ALLSHORTESTPATHS"))
    Fail(Peek(), "shortestPath is not supported (use sinew path)", "UnsupportedClause");
  path.nodes.push_back(Node());
  while (IsSymbol("-") || IsSymbol("<")) {
    path.rels.push_back(Relationship());
    path.nodes.push_back(Node());
  }
  return path;
}

NodePattern Parser::Node() {
  NodePattern n;
  n.pos = Peek().pos;
  Expect("(");
  if (IsName()) n.var = Next().text;
  while (Symbol(":")) n.labels.push_back(SymbolicName("a label"));
  if (IsSymbol("{"))
    n.props = MapLiteral();
  else if (Peek().kind == Kind::kParameter)
    n.props = Atom();
  Expect(")");
  return n;
}

RelPattern Parser::Relationship() {
  RelPattern r;
  r.pos = Peek().pos;
  bool left = Symbol("<");
  Expect("-");
  if (Symbol("[")) {
    if (IsName()) r.var = Next().text;
    if (Symbol(":")) {
      r.types.push_back(SymbolicName("a relationship type"));
      while (Symbol("|")) {
        Symbol(":");
        r.types.push_back(SymbolicName("a relationship type"));
      }
    }
    // "*" one or more; "*2" exactly two; "*2.." two or more; "*..3" one to three.
    if (Symbol("*")) {
      r.var_length = true;
      r.min = 1;
      r.max = -1;
      if (Peek().kind == Kind::kInteger) {
        r.min = IntegerText(Next());
        if (!IsSymbol("..")) r.max = r.min;
      }
      if (Symbol("..") && Peek().kind == Kind::kInteger) r.max = IntegerText(Next());
    }
    if (IsSymbol("{"))
      r.props = MapLiteral();
    else if (Peek().kind == Kind::kParameter)
      r.props = Atom();
    Expect("]");
  }
  Expect("-");
  bool right = Symbol(">");
  // <--> is either way, as -- is.
  r.dir = left && right ? RelPattern::Dir::kBoth
          : left        ? RelPattern::Dir::kLeft
          : right       ? RelPattern::Dir::kRight
                        : RelPattern::Dir::kBoth;
  return r;
}

int64_t Parser::IntegerText(const Token& t) {
  Value v = IntegerLiteral(t, false);
  return v.AsInt();
}

Query Parse(const std::string& text) { return Parser(text).Run(); }

}  // namespace sinew::cypher
