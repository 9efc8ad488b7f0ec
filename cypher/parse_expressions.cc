// Expressions of the Cypher parser (parser.h): precedence levels from OR
// down to atoms, literals, function calls, CASE, list and map forms.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "cypher/parser.h"

namespace sinew::cypher {

using Kind = Token::Kind;

std::shared_ptr<Expr> Parser::Make(Expr::Kind kind, Position pos) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->pos = pos;
  return e;
}

ExprPtr Parser::Binary(const std::string& op, ExprPtr a, ExprPtr b, Position pos) {
  auto e = std::make_shared<Expr>();
  e->kind = Expr::Kind::kBinary;
  e->op = op;
  e->pos = pos;
  e->kids = {std::move(a), std::move(b)};
  return e;
}

ExprPtr Parser::Expression() {
  Nested guard(this);
  size_t start = Peek().offset;
  ExprPtr e = Or();
  auto m = std::const_pointer_cast<Expr>(e);
  if (m->text.empty()) m->text = text_.substr(start, t_[i_ - 1].end - start);
  return e;
}

// One left-associative level of boolean operators: next (KEYWORD next)*.
ExprPtr Parser::BooleanLevel(const char* keyword, ExprPtr (Parser::*next)()) {
  ExprPtr e = (this->*next)();
  while (IsKeyword(keyword)) {
    Position p = Next().pos;
    e = Binary(keyword, e, (this->*next)(), p);
  }
  return e;
}

ExprPtr Parser::Not() {
  Nested guard(this);
  if (IsKeyword("NOT")) {
    Position p = Next().pos;
    auto e = Make(Expr::Kind::kUnary, p);
    e->op = "NOT";
    e->kids = {Not()};
    return e;
  }
  return Comparison();
}

ExprPtr Parser::Comparison() {
  ExprPtr first = Predicates();
  ExprPtr result;
  ExprPtr left = first;
  for (;;) {
    const Token& t = Peek();
    if (t.kind != Kind::kSymbol) break;
    std::string op = t.text == "!=" ? "<>" : t.text;
    if (op != "=" && op != "<>" && op != "<" && op != ">" && op != "<=" && op != ">=") break;
    Position p = Next().pos;
    ExprPtr right = Predicates();
    ExprPtr cmp = Binary(op, left, right, p);
    result = result ? Binary("AND", result, cmp, p) : cmp;  // a < b < c
    left = right;
  }
  return result ? result : first;
}

ExprPtr Parser::Predicates() {
  ExprPtr e = AddSub();
  for (;;) {
    Position p = Peek().pos;
    if (IsKeyword("STARTS") && IsKeyword("WITH", 1)) {
      Next();
      Next();
      e = Binary("STARTS WITH", e, AddSub(), p);
    } else if (IsKeyword("ENDS") && IsKeyword("WITH", 1)) {
      Next();
      Next();
      e = Binary("ENDS WITH", e, AddSub(), p);
    } else if (Keyword("CONTAINS")) {
      e = Binary("CONTAINS", e, AddSub(), p);
    } else if (Keyword("IN")) {
      e = Binary("IN", e, AddSub(), p);
    } else if (Symbol("=~")) {
      e = Binary("=~", e, AddSub(), p);
    } else if (Keyword("IS")) {
      auto n = Make(Expr::Kind::kIsNull, p);
      if (Keyword("NOT")) n->op = "NOT";
      ExpectKeyword("NULL");
      n->kids = {e};
      e = n;
    } else {
      return e;
    }
  }
}

ExprPtr Parser::AddSub() {
  ExprPtr e = MulDiv();
  while (IsSymbol("+") || IsSymbol("-")) {
    const Token& t = Next();
    e = Binary(t.text, e, MulDiv(), t.pos);
  }
  return e;
}

ExprPtr Parser::MulDiv() {
  ExprPtr e = Power();
  while (IsSymbol("*") || IsSymbol("/") || IsSymbol("%")) {
    const Token& t = Next();
    e = Binary(t.text, e, Power(), t.pos);
  }
  return e;
}

ExprPtr Parser::Power() {
  ExprPtr e = Unary();
  while (IsSymbol("^")) {
    Position p = Next().pos;
    e = Binary("^", e, Unary(), p);
  }
  return e;
}

ExprPtr Parser::Unary() {
  Nested guard(this);
  if (IsSymbol("-") || IsSymbol("+")) {
    const Token& t = Next();
    // -9223372036854775808 is a literal, not the negation of an overflow.
    if (t.text == "-" && Peek().kind == Kind::kInteger) {
      size_t save = i_;
      const Token& num = Next();
      if (!IsSymbol(".") && !IsSymbol("[") && !IsSymbol("^")) {
        auto lit = Make(Expr::Kind::kLiteral, t.pos);
        lit->value = IntegerLiteral(num, true);
        return Postfix(lit);
      }
      i_ = save;
    }
    auto e = Make(Expr::Kind::kUnary, t.pos);
    e->op = t.text;
    e->kids = {Unary()};
    return e;
  }
  return Postfix(Atom());
}

ExprPtr Parser::Postfix(ExprPtr e) {
  for (;;) {
    Position p = Peek().pos;
    if (Symbol(".")) {
      auto prop = Make(Expr::Kind::kProperty, e->pos);
      prop->name = SymbolicName("a property key");
      prop->kids = {e};
      e = prop;
    } else if (Symbol("[")) {
      ExprPtr from, to;
      if (!IsSymbol("..")) from = Expression();
      if (Symbol("..")) {
        if (!IsSymbol("]")) to = Expression();
        Expect("]");
        auto s = Make(Expr::Kind::kSlice, p);
        s->kids = {e, from, to};
        e = s;
      } else {
        Expect("]");
        auto ix = Make(Expr::Kind::kIndex, p);
        ix->kids = {e, from};
        e = ix;
      }
    } else if (IsSymbol(":") && (Peek(1).kind == Kind::kWord || Peek(1).kind == Kind::kQuoted)) {
      auto l = Make(Expr::Kind::kLabels, p);
      l->kids = {e};
      while (Symbol(":")) l->keys.push_back(SymbolicName("a label"));
      e = l;
    } else if (IsSymbol("{") && e->kind == Expr::Kind::kVariable) {
      e = MapProjection(e);
    } else {
      return e;
    }
  }
}

ExprPtr Parser::MapProjection(ExprPtr subject) {
  auto m = Make(Expr::Kind::kMapProjection, Peek().pos);
  m->kids.push_back(subject);
  Expect("{");
  if (!IsSymbol("}")) {
    do {
      if (Symbol(".")) {
        if (Symbol("*")) {
          m->keys.push_back("*");
          m->kids.push_back(nullptr);
        } else {
          m->keys.push_back("." + SymbolicName("a property key"));
          m->kids.push_back(nullptr);
        }
      } else if (IsName() && !IsSymbol(":", 1)) {
        std::string var = Next().text;
        auto v = Make(Expr::Kind::kVariable, Peek().pos);
        v->name = var;
        m->keys.push_back(var);
        m->kids.push_back(v);
      } else {
        m->keys.push_back(SymbolicName("a key"));
        Expect(":");
        m->kids.push_back(Expression());
      }
    } while (Symbol(","));
  }
  Expect("}");
  return m;
}

Value Parser::IntegerLiteral(const Token& t, bool negative) {
  const std::string& s = t.text;
  int base = 10;
  std::string digits = s;
  if (s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
    base = s[1] == 'x' ? 16 : 8;
    digits = s.substr(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;  // legacy octal: 0777
    digits = s.substr(1);
  }
  bool valid = !digits.empty();
  for (char c : digits)
    valid = valid && (base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                                 : (c >= '0' && c < '0' + base));
  if (!valid)
    throw Error("SyntaxError", "InvalidNumberLiteral", "'" + s + "' is not a number", t.pos.line,
                t.pos.column);
  errno = 0;
  unsigned long long u = std::strtoull(digits.c_str(), nullptr, base);
  const unsigned long long limit = negative ? 9223372036854775808ULL : 9223372036854775807ULL;
  if (errno == ERANGE || u > limit)
    throw Error("SyntaxError", "IntegerOverflow", "'" + s + "' does not fit in 64 bits", t.pos.line,
                t.pos.column);
  if (negative) return u == limit ? Value(INT64_MIN) : Value(-static_cast<int64_t>(u));
  return Value(static_cast<int64_t>(u));
}

ExprPtr Parser::Literal(Value v, Position pos) {
  auto e = Make(Expr::Kind::kLiteral, pos);
  e->value = std::move(v);
  return e;
}

ExprPtr Parser::MapLiteral() {
  auto m = Make(Expr::Kind::kMap, Peek().pos);
  Expect("{");
  if (!IsSymbol("}")) {
    do {
      m->keys.push_back(SymbolicName("a key"));
      Expect(":");
      m->kids.push_back(Expression());
    } while (Symbol(","));
  }
  Expect("}");
  return m;
}

ExprPtr Parser::Atom() {
  const Token& t = Peek();
  switch (t.kind) {
    case Kind::kInteger:
      Next();
      return Literal(IntegerLiteral(t, false), t.pos);
    case Kind::kFloat: {
      Next();
      double d = std::strtod(t.text.c_str(), nullptr);
      if (std::isinf(d))
        throw Error("SyntaxError", "FloatingPointOverflow",
                    "'" + t.text + "' is too large for a float", t.pos.line, t.pos.column);
      return Literal(Value(d), t.pos);
    }
    case Kind::kString:
      Next();
      return Literal(Value(t.text), t.pos);
    case Kind::kParameter: {
      Next();
      auto e = Make(Expr::Kind::kParameter, t.pos);
      e->name = t.text;
      return e;
    }
    case Kind::kSymbol:
      if (t.text == "[") return ListAtom();
      if (t.text == "{") return MapLiteral();
      if (t.text == "(") return Parenthesised();
      Fail(t, "expected an expression");
    case Kind::kEnd:
      Fail(t, "expected an expression");
    default:
      break;
  }
  std::string kw = t.kind == Kind::kWord ? Upper(t.text) : "";
  if (kw == "TRUE" || kw == "FALSE") {
    Next();
    return Literal(Value(kw == "TRUE"), t.pos);
  }
  if (kw == "NULL") {
    Next();
    return Literal(Value(), t.pos);
  }
  if (kw == "CASE") return Case();
  if ((kw == "ALL" || kw == "ANY" || kw == "NONE" || kw == "SINGLE") && IsSymbol("(", 1) &&
      IsName(2) && IsKeyword("IN", 3)) {
    Next();
    Next();
    auto q = Make(Expr::Kind::kQuantifier, t.pos);
    q->op = kw;
    q->name = Next().text;
    ExpectKeyword("IN");
    q->kids.push_back(Expression());
    q->kids.push_back(Keyword("WHERE") ? Expression() : nullptr);
    Expect(")");
    return q;
  }
  if (kw == "REDUCE" && IsSymbol("(", 1)) {
    Next();
    Next();
    auto r = Make(Expr::Kind::kReduce, t.pos);
    r->keys.push_back(Name("an accumulator"));
    Expect("=");
    r->kids.push_back(Expression());
    Expect(",");
    r->name = Name("a variable");
    ExpectKeyword("IN");
    r->kids.push_back(Expression());
    Expect("|");
    r->kids.push_back(Expression());
    Expect(")");
    return r;
  }
  if ((t.kind == Kind::kWord || t.kind == Kind::kQuoted) &&
      (IsSymbol("(", 1) || (IsSymbol(".", 1) && FunctionAhead()))) {
    if (t.kind == Kind::kWord && IsReserved(kw) && kw != "EXISTS")
      Fail(t, "expected an expression");
    return Function();
  }
  if (IsName()) {
    Next();
    auto v = Make(Expr::Kind::kVariable, t.pos);
    v->name = t.text;
    return v;
  }
  Fail(t, "expected an expression");
}

// name.name(...): a namespaced function such as sinew.chains.
bool Parser::FunctionAhead() const {
  size_t k = 0;
  while (IsSymbol(".", k + 1) && Peek(k + 2).kind == Kind::kWord) k += 2;
  return k > 0 && IsSymbol("(", k + 1);
}

ExprPtr Parser::Function() {
  const Token& t = Next();
  auto f = Make(Expr::Kind::kCall, t.pos);
  f->name = t.text;
  while (Symbol(".")) f->name += "." + Next().text;
  Expect("(");
  if (Symbol("*")) {
    f->star = true;
    Expect(")");
    return f;
  }
  f->distinct = Keyword("DISTINCT");
  ExpressionsUntil(")", &f->kids);
  return f;
}

// e, e, ... up to and including `closing` (which may come at once).
void Parser::ExpressionsUntil(const char* closing, std::vector<ExprPtr>* out) {
  if (!IsSymbol(closing)) {
    out->push_back(Expression());
    while (Symbol(",")) out->push_back(Expression());
  }
  Expect(closing);
}

ExprPtr Parser::Case() {
  auto c = Make(Expr::Kind::kCase, Next().pos);
  if (!IsKeyword("WHEN")) {
    c->has_subject = true;
    c->kids.push_back(Expression());
  }
  if (!IsKeyword("WHEN")) Fail(Peek(), "expected WHEN");
  while (Keyword("WHEN")) {
    c->kids.push_back(Expression());
    ExpectKeyword("THEN");
    c->kids.push_back(Expression());
  }
  if (Keyword("ELSE")) {
    c->has_else = true;
    c->kids.push_back(Expression());
  }
  ExpectKeyword("END");
  return c;
}

ExprPtr Parser::ListAtom() {
  Position p = Peek().pos;
  // [x IN list WHERE pred | expr]
  if (IsName(1) && IsKeyword("IN", 2)) {
    Next();
    auto c = Make(Expr::Kind::kComprehension, p);
    c->name = Next().text;
    Next();
    c->kids.push_back(Expression());
    c->kids.push_back(Keyword("WHERE") ? Expression() : nullptr);
    c->kids.push_back(Symbol("|") ? Expression() : nullptr);
    Expect("]");
    return c;
  }
  // [(a)-->(b) WHERE pred | expr]
  if (IsSymbol("(", 1) || (IsName(1) && IsSymbol("=", 2))) {
    size_t save = i_;
    try {
      Next();
      auto pc = Make(Expr::Kind::kPatternComprehension, p);
      auto pattern = std::make_shared<Pattern>();
      pattern->paths.push_back(Path());
      if (pattern->paths[0].rels.empty()) throw Error("", "", "");
      pc->pattern = pattern;
      pc->kids.push_back(Keyword("WHERE") ? Expression() : nullptr);
      Expect("|");
      pc->kids.push_back(Expression());
      Expect("]");
      return pc;
    } catch (const Error& e) {
      if (!e.type.empty() && i_ > save + 4) throw;
      i_ = save;
    }
  }
  Next();
  auto l = Make(Expr::Kind::kList, p);
  ExpressionsUntil("]", &l->kids);
  return l;
}

ExprPtr Parser::Parenthesised() {
  // A pattern as a predicate: (a)-[:T]->(b)
  size_t save = i_;
  try {
    auto pattern = std::make_shared<Pattern>();
    pattern->paths.push_back(Path());
    if (!pattern->paths[0].rels.empty()) {
      auto e = Make(Expr::Kind::kPattern, t_[save].pos);
      e->pattern = pattern;
      return e;
    }
  } catch (const Error&) {
  }
  i_ = save;
  Next();
  ExprPtr e = Expression();
  Expect(")");
  return e;
}

}  // namespace sinew::cypher
