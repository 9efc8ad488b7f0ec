// The Cypher parser (private to cypher/): recursive descent over the
// tokens, one function per rule of the openCypher grammar's read part (plus
// CREATE and CALL). Clauses and patterns are in parser.cc, expressions in
// parse_expressions.cc. Errors name the line and column of the token where
// the query stopped making sense.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "cypher/ast.h"
#include "cypher/lexer.h"

namespace sinew::cypher {

// "abc" -> "ABC".
std::string Upper(std::string s);
// Whether an upper-case word is reserved (not usable as a bare name).
bool IsReserved(const std::string& upper);

class Parser {
 public:
  using Kind = Token::Kind;
  explicit Parser(const std::string& text) : text_(text), t_(Tokenize(text)) {}

  Query Run() {
    Query q;
    q.parts.push_back(Single());
    while (IsKeyword("UNION")) {
      q.union_pos.push_back(Next().pos);
      q.union_all.push_back(Keyword("ALL"));
      q.parts.push_back(Single());
    }
    Symbol(";");
    if (Peek().kind != Kind::kEnd) Fail(Peek(), "unexpected '" + Peek().text + "'");
    return q;
  }

 private:
  // ---- tokens ----
  const Token& Peek(size_t ahead = 0) const { return t_[std::min(i_ + ahead, t_.size() - 1)]; }
  const Token& Next() {
    const Token& t = t_[i_];
    if (i_ + 1 < t_.size()) ++i_;
    return t;
  }
  bool IsKeyword(const std::string& kw, size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == Kind::kWord && Upper(t.text) == kw;
  }
  bool Keyword(const std::string& kw) {
    if (!IsKeyword(kw)) return false;
    Next();
    return true;
  }
  void ExpectKeyword(const std::string& kw) {
    if (!Keyword(kw)) Fail(Peek(), "expected " + kw);
  }
  bool IsSymbol(const std::string& s, size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == Kind::kSymbol && t.text == s;
  }
  bool Symbol(const std::string& s) {
    if (!IsSymbol(s)) return false;
    Next();
    return true;
  }
  void Expect(const std::string& s) {
    if (!Symbol(s)) Fail(Peek(), "expected '" + s + "'");
  }
  [[noreturn]] void Fail(const Token& at, const std::string& msg,
                         const std::string& detail = "UnexpectedSyntax") const {
    std::string got = at.kind == Kind::kEnd ? "the end of the query" : "'" + at.text + "'";
    throw Error("SyntaxError", detail, msg + " at " + got, at.pos.line, at.pos.column);
  }
  // A name: a word that is not a clause keyword, or a `quoted` one.
  bool IsName(size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == Kind::kQuoted || (t.kind == Kind::kWord && !IsReserved(Upper(t.text)));
  }
  std::string Name(const char* what) {
    if (!IsName()) Fail(Peek(), std::string("expected ") + what);
    return Next().text;
  }
  // A label, type or key: any word, keywords included.
  std::string SymbolicName(const char* what) {
    if (Peek().kind != Kind::kWord && Peek().kind != Kind::kQuoted)
      Fail(Peek(), std::string("expected ") + what);
    return Next().text;
  }

  // ---- clauses ----
  SingleQuery Single();
  Clause Start(Clause::Kind kind);
  Clause Match();
  Clause Unwind();
  Clause Create();
  Clause Call();
  Clause Projection(bool is_return);

  // ---- patterns ----
  Pattern PatternList();
  PathPattern Path();
  NodePattern Node();
  RelPattern Relationship();
  int64_t IntegerText(const Token& t);

  // ---- expressions, lowest precedence first ----
  std::shared_ptr<Expr> Make(Expr::Kind kind, Position pos);
  ExprPtr Binary(const std::string& op, ExprPtr a, ExprPtr b, Position pos);
  // Nesting is bounded so a hostile query cannot exhaust the stack: every
  // self-recursive rule (parentheses, lists, NOT NOT ..., - - ...) goes
  // through here.
  static constexpr int kMaxNesting = 600;  // a bracket costs about three
  struct Nested {
    Nested(Parser* p) : parser(p) {
      if (++parser->nesting_ > kMaxNesting)
        parser->Fail(parser->Peek(), "the query nests too deeply", "NestingTooDeep");
    }
    ~Nested() { --parser->nesting_; }
    Parser* parser;
  };
  ExprPtr Expression();
  // One left-associative level of boolean operators: next (KEYWORD next)*.
  ExprPtr BooleanLevel(const char* keyword, ExprPtr (Parser::*next)());
  ExprPtr Or() { return BooleanLevel("OR", &Parser::Xor); }
  ExprPtr Xor() { return BooleanLevel("XOR", &Parser::And); }
  ExprPtr And() { return BooleanLevel("AND", &Parser::Not); }
  ExprPtr Not();
  ExprPtr Comparison();
  ExprPtr Predicates();
  ExprPtr AddSub();
  ExprPtr MulDiv();
  ExprPtr Power();
  ExprPtr Unary();
  ExprPtr Postfix(ExprPtr e);
  ExprPtr MapProjection(ExprPtr subject);
  Value IntegerLiteral(const Token& t, bool negative);
  ExprPtr Literal(Value v, Position pos);
  ExprPtr MapLiteral();
  ExprPtr Atom();
  // name.name(...): a namespaced function such as sinew.chains.
  bool FunctionAhead() const;
  ExprPtr Function();
  // e, e, ... up to and including `closing` (which may come at once).
  void ExpressionsUntil(const char* closing, std::vector<ExprPtr>* out);
  ExprPtr Case();
  ExprPtr ListAtom();
  ExprPtr Parenthesised();

  const std::string& text_;
  std::vector<Token> t_;
  size_t i_ = 0;
  int nesting_ = 0;
};

}  // namespace sinew::cypher
