// Recursive descent over the tokens, one function per rule of the openCypher
// grammar's read part (plus CREATE and CALL). Errors name the line and
// column of the token where the query stopped making sense.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "query/cypher_ast.h"
#include "query/cypher_lex.h"

namespace sinew::cypher {
namespace {

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

class Parser {
 public:
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
  SingleQuery Single() {
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
      } else if (kw == "MERGE" || kw == "DELETE" || kw == "DETACH" || kw == "SET" ||
                 kw == "REMOVE" || kw == "FOREACH") {
        Fail(t, kw + " is not supported: sinew runs read queries and CREATE", "UnsupportedClause");
      } else {
        break;
      }
    }
    if (q.clauses.empty()) Fail(Peek(), "expected a clause (MATCH, RETURN, ...)");
    return q;
  }

  Clause Start(Clause::Kind kind) {
    Clause c;
    c.kind = kind;
    c.pos = Peek().pos;
    return c;
  }

  Clause Match() {
    Clause c = Start(Clause::Kind::kMatch);
    c.optional = Keyword("OPTIONAL");
    ExpectKeyword("MATCH");
    c.pattern = PatternList();
    if (Keyword("WHERE")) c.where = Expression();
    return c;
  }

  Clause Unwind() {
    Clause c = Start(Clause::Kind::kUnwind);
    ExpectKeyword("UNWIND");
    c.expr = Expression();
    ExpectKeyword("AS");
    c.alias = Name("a variable after AS");
    return c;
  }

  Clause Create() {
    Clause c = Start(Clause::Kind::kCreate);
    ExpectKeyword("CREATE");
    c.pattern = PatternList();
    return c;
  }

  Clause Call() {
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

  Clause Projection(bool is_return) {
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

  // ---- patterns ----
  Pattern PatternList() {
    Pattern p;
    p.paths.push_back(Path());
    while (Symbol(",")) p.paths.push_back(Path());
    return p;
  }

  PathPattern Path() {
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

  NodePattern Node() {
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

  RelPattern Relationship() {
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

  int64_t IntegerText(const Token& t) {
    Value v = IntegerLiteral(t, false);
    return v.AsInt();
  }

  // ---- expressions, lowest precedence first ----
  std::shared_ptr<Expr> Make(Expr::Kind kind, Position pos) {
    auto e = std::make_shared<Expr>();
    e->kind = kind;
    e->pos = pos;
    return e;
  }
  ExprPtr Binary(const std::string& op, ExprPtr a, ExprPtr b, Position pos) {
    auto e = std::make_shared<Expr>();
    e->kind = Expr::Kind::kBinary;
    e->op = op;
    e->pos = pos;
    e->kids = {std::move(a), std::move(b)};
    return e;
  }

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

  ExprPtr Expression() {
    Nested guard(this);
    size_t start = Peek().offset;
    ExprPtr e = Or();
    auto m = std::const_pointer_cast<Expr>(e);
    if (m->text.empty()) m->text = text_.substr(start, t_[i_ - 1].end - start);
    return e;
  }

  // One left-associative level of boolean operators: next (KEYWORD next)*.
  ExprPtr BooleanLevel(const char* keyword, ExprPtr (Parser::*next)()) {
    ExprPtr e = (this->*next)();
    while (IsKeyword(keyword)) {
      Position p = Next().pos;
      e = Binary(keyword, e, (this->*next)(), p);
    }
    return e;
  }
  ExprPtr Or() { return BooleanLevel("OR", &Parser::Xor); }
  ExprPtr Xor() { return BooleanLevel("XOR", &Parser::And); }
  ExprPtr And() { return BooleanLevel("AND", &Parser::Not); }
  ExprPtr Not() {
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
  ExprPtr Comparison() {
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
  ExprPtr Predicates() {
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
  ExprPtr AddSub() {
    ExprPtr e = MulDiv();
    while (IsSymbol("+") || IsSymbol("-")) {
      const Token& t = Next();
      e = Binary(t.text, e, MulDiv(), t.pos);
    }
    return e;
  }
  ExprPtr MulDiv() {
    ExprPtr e = Power();
    while (IsSymbol("*") || IsSymbol("/") || IsSymbol("%")) {
      const Token& t = Next();
      e = Binary(t.text, e, Power(), t.pos);
    }
    return e;
  }
  ExprPtr Power() {
    ExprPtr e = Unary();
    while (IsSymbol("^")) {
      Position p = Next().pos;
      e = Binary("^", e, Unary(), p);
    }
    return e;
  }
  ExprPtr Unary() {
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
  ExprPtr Postfix(ExprPtr e) {
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

  ExprPtr MapProjection(ExprPtr subject) {
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

  Value IntegerLiteral(const Token& t, bool negative) {
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
      throw Error("SyntaxError", "IntegerOverflow", "'" + s + "' does not fit in 64 bits",
                  t.pos.line, t.pos.column);
    if (negative) return u == limit ? Value(INT64_MIN) : Value(-static_cast<int64_t>(u));
    return Value(static_cast<int64_t>(u));
  }

  ExprPtr Literal(Value v, Position pos) {
    auto e = Make(Expr::Kind::kLiteral, pos);
    e->value = std::move(v);
    return e;
  }

  ExprPtr MapLiteral() {
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

  ExprPtr Atom() {
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
  bool FunctionAhead() const {
    size_t k = 0;
    while (IsSymbol(".", k + 1) && Peek(k + 2).kind == Kind::kWord) k += 2;
    return k > 0 && IsSymbol("(", k + 1);
  }

  ExprPtr Function() {
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
  void ExpressionsUntil(const char* closing, std::vector<ExprPtr>* out) {
    if (!IsSymbol(closing)) {
      out->push_back(Expression());
      while (Symbol(",")) out->push_back(Expression());
    }
    Expect(closing);
  }

  ExprPtr Case() {
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

  ExprPtr ListAtom() {
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

  ExprPtr Parenthesised() {
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

  const std::string& text_;
  std::vector<Token> t_;
  size_t i_ = 0;
  int nesting_ = 0;
};

}  // namespace

Query Parse(const std::string& text) { return Parser(text).Run(); }

}  // namespace sinew::cypher
