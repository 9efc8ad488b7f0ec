// Expressions: operators with openCypher's null and type rules, and the
// scalar functions. Aggregates are computed by the projection and looked up
// here.
#include <algorithm>
#include <cmath>
#include <regex>

#include "cypher/executor.h"

namespace sinew::cypher {
namespace {

[[noreturn]] void TypeError(const Expr& at, const std::string& msg,
                            const std::string& detail = "InvalidArgumentType") {
  throw Error("TypeError", detail, msg, at.pos.line, at.pos.column, false);
}

[[noreturn]] void ArgumentError(const Expr& at, const std::string& msg,
                                const std::string& detail = "InvalidArgumentValue") {
  throw Error("ArgumentError", detail, msg, at.pos.line, at.pos.column, false);
}

std::optional<bool> Truth(const Value& v, const Expr& at) {
  if (v.IsNull()) return std::nullopt;
  if (!v.IsBool()) TypeError(at, "expected a boolean, got " + TypeName(v));
  return v.AsBool();
}

Value FromTruth(std::optional<bool> b) { return b.has_value() ? Value(*b) : Value(); }

int64_t CheckedAdd(int64_t a, int64_t b, const Expr& at) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) ArgumentError(at, "integer overflow", "NumberOutOfRange");
  return r;
}
int64_t CheckedSub(int64_t a, int64_t b, const Expr& at) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) ArgumentError(at, "integer overflow", "NumberOutOfRange");
  return r;
}
int64_t CheckedMul(int64_t a, int64_t b, const Expr& at) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) ArgumentError(at, "integer overflow", "NumberOutOfRange");
  return r;
}

Value Arithmetic(const std::string& op, const Value& a, const Value& b, const Expr& at) {
  if (a.IsNull() || b.IsNull()) return Value();
  if (op == "+") {
    // Doubling a value in a loop must not fill memory.
    const size_t kMaxBytes = 64u << 20, kMaxItems = 1u << 22;
    if ((a.IsString() && b.IsString() && a.AsString().size() + b.AsString().size() > kMaxBytes) ||
        (a.IsList() && b.IsList() && a.AsList().size() + b.AsList().size() > kMaxItems))
      throw Error("ResourceError", "QueryTooLarge", "a value grows beyond the limit", at.pos.line,
                  at.pos.column, false);
    if (a.IsString() && b.IsString()) return Value(a.AsString() + b.AsString());
    if (a.IsString() && (b.IsNumber() || b.IsBool()))
      TypeError(at, "cannot add " + TypeName(b) + " to a string");
    if (a.IsList() || b.IsList()) {
      List out;
      if (a.IsList())
        out = a.AsList();
      else
        out.push_back(a);
      if (b.IsList())
        out.insert(out.end(), b.AsList().begin(), b.AsList().end());
      else
        out.push_back(b);
      return Value(std::move(out));
    }
  }
  if (!a.IsNumber() || !b.IsNumber())
    TypeError(at, "cannot apply " + op + " to " + TypeName(a) + " and " + TypeName(b));
  if (a.IsInt() && b.IsInt()) {
    int64_t x = a.AsInt(), y = b.AsInt();
    if (op == "+") return Value(CheckedAdd(x, y, at));
    if (op == "-") return Value(CheckedSub(x, y, at));
    if (op == "*") return Value(CheckedMul(x, y, at));
    if (op == "/") {
      if (y == 0) ArgumentError(at, "division by zero", "DivisionByZero");
      if (x == INT64_MIN && y == -1) ArgumentError(at, "integer overflow", "NumberOutOfRange");
      return Value(x / y);
    }
    if (op == "%") {
      if (y == 0) ArgumentError(at, "division by zero", "DivisionByZero");
      if (y == -1) return Value(int64_t{0});
      return Value(x % y);
    }
    if (op == "^") return Value(std::pow(static_cast<double>(x), static_cast<double>(y)));
  }
  double x = a.AsNumber(), y = b.AsNumber();
  if (op == "+") return Value(x + y);
  if (op == "-") return Value(x - y);
  if (op == "*") return Value(x * y);
  if (op == "/") return Value(x / y);
  if (op == "%") return Value(std::fmod(x, y));
  return Value(std::pow(x, y));
}

}  // namespace

const Value* Env::Find(const std::string& name) const {
  for (auto it = locals_.rbegin(); it != locals_.rend(); ++it)
    if (it->first == name) return &it->second;
  if (names_)
    for (size_t i = 0; i < names_->size(); ++i)
      if ((*names_)[i] == name) return &(*row_)[i];
  return nullptr;
}

bool IsAggregate(const std::string& name) {
  static const char* kNames[] = {"count",          "collect",        "sum",   "min",   "max", "avg",
                                 "percentiledisc", "percentilecont", "stdev", "stdevp"};
  std::string n = Lower(name);
  return std::any_of(std::begin(kNames), std::end(kNames), [&](const char* k) { return n == k; });
}

bool HasAggregate(const Expr& e) {
  if (e.kind == Expr::Kind::kCall && IsAggregate(e.name)) return true;
  for (const auto& k : e.kids)
    if (k && HasAggregate(*k)) return true;
  return false;
}

bool Executor::IsTrue(const Expr& e, Env& env) {
  std::optional<bool> t = Truth(Eval(e, env), e);
  return t.has_value() && *t;
}

Value Executor::Property(const Value& subject, const std::string& key, const Expr& at) {
  if (subject.IsNull()) return Value();
  Map props;
  if (subject.IsNode()) {
    props = graph_->NodeProperties(subject.AsNode().id);
  } else if (subject.IsRel()) {
    props = graph_->RelProperties(subject.AsRel().id);
  } else if (subject.IsMap()) {
    auto it = subject.AsMap().find(key);
    return it == subject.AsMap().end() ? Value() : it->second;
  } else {
    TypeError(at, "cannot read property '" + key + "' of " + TypeName(subject));
  }
  auto it = props.find(key);
  return it == props.end() ? Value() : it->second;
}

Value Executor::Eval(const Expr& e, Env& env) {
  using K = Expr::Kind;
  switch (e.kind) {
    case K::kLiteral:
      return e.value;
    case K::kParameter: {
      auto it = params_ ? params_->find(e.name) : Map::const_iterator{};
      if (!params_ || it == params_->end())
        throw Error("ParameterMissing", "MissingParameter", "no value for $" + e.name, e.pos.line,
                    e.pos.column, false);
      return it->second;
    }
    case K::kVariable: {
      const Value* v = env.Find(e.name);
      if (!v)
        throw Error("SyntaxError", "UndefinedVariable", "variable '" + e.name + "' is not defined",
                    e.pos.line, e.pos.column);
      return *v;
    }
    case K::kProperty:
      return Property(Eval(*e.kids[0], env), e.name, e);
    case K::kIndex: {
      Value subject = Eval(*e.kids[0], env);
      Value index = Eval(*e.kids[1], env);
      if (subject.IsNull() || index.IsNull()) return Value();
      if (subject.IsList()) {
        if (!index.IsInt()) TypeError(e, "a list index must be an integer, not " + TypeName(index));
        const List& l = subject.AsList();
        int64_t i = index.AsInt();
        if (i < 0) i += static_cast<int64_t>(l.size());
        if (i < 0 || i >= static_cast<int64_t>(l.size())) return Value();
        return l[static_cast<size_t>(i)];
      }
      if (subject.IsMap() || subject.IsNode() || subject.IsRel()) {
        if (!index.IsString()) TypeError(e, "a map key must be a string, not " + TypeName(index));
        return Property(subject, index.AsString(), e);
      }
      TypeError(e, "cannot index " + TypeName(subject));
    }
    case K::kSlice: {
      Value subject = Eval(*e.kids[0], env);
      Value from = e.kids[1] ? Eval(*e.kids[1], env) : Value(int64_t{0});
      if (subject.IsNull()) return Value();
      if (!subject.IsList()) TypeError(e, "cannot slice " + TypeName(subject));
      const List& l = subject.AsList();
      int64_t n = static_cast<int64_t>(l.size());
      Value to = e.kids[2] ? Eval(*e.kids[2], env) : Value(n);
      if (from.IsNull() || to.IsNull()) return Value();
      if (!from.IsInt() || !to.IsInt()) TypeError(e, "slice bounds must be integers");
      int64_t a = from.AsInt(), b = to.AsInt();
      if (a < 0) a += n;
      if (b < 0) b += n;
      a = std::clamp<int64_t>(a, 0, n);
      b = std::clamp<int64_t>(b, 0, n);
      List out;
      for (int64_t i = a; i < b; ++i) out.push_back(l[static_cast<size_t>(i)]);
      return Value(std::move(out));
    }
    case K::kUnary: {
      Value v = Eval(*e.kids[0], env);
      if (e.op == "NOT") {
        std::optional<bool> t = Truth(v, e);
        return t.has_value() ? Value(!*t) : Value();
      }
      if (v.IsNull()) return Value();
      if (!v.IsNumber()) TypeError(e, "cannot apply " + e.op + " to " + TypeName(v));
      if (e.op == "+") return v;
      if (v.IsInt()) {
        if (v.AsInt() == INT64_MIN) ArgumentError(e, "integer overflow", "NumberOutOfRange");
        return Value(-v.AsInt());
      }
      return Value(-v.AsFloat());
    }
    case K::kBinary:
      break;
    case K::kIsNull: {
      bool null = Eval(*e.kids[0], env).IsNull();
      return Value(e.op == "NOT" ? !null : null);
    }
    case K::kList: {
      List out;
      for (const auto& k : e.kids) out.push_back(Eval(*k, env));
      return Value(std::move(out));
    }
    case K::kMap: {
      Map out;
      for (size_t i = 0; i < e.keys.size(); ++i) out[e.keys[i]] = Eval(*e.kids[i], env);
      return Value(std::move(out));
    }
    case K::kCall:
      if (IsAggregate(e.name)) {
        if (env.aggregates) {
          auto it = env.aggregates->find(&e);
          if (it != env.aggregates->end()) return it->second;
        }
        throw Error("SyntaxError", "InvalidAggregation",
                    "aggregating function " + e.name + " is not allowed here", e.pos.line,
                    e.pos.column);
      }
      return Function(e, env);
    case K::kCase: {
      size_t i = 0;
      Value subject;
      if (e.has_subject) subject = Eval(*e.kids[i++], env);
      size_t end = e.kids.size() - (e.has_else ? 1 : 0);
      for (; i + 1 < end; i += 2) {
        Value when = Eval(*e.kids[i], env);
        bool hit;
        if (e.has_subject) {
          std::optional<bool> eq = Equals(subject, when);
          hit = eq.has_value() && *eq;
        } else {
          std::optional<bool> t = Truth(when, *e.kids[i]);
          hit = t.has_value() && *t;
        }
        if (hit) return Eval(*e.kids[i + 1], env);
      }
      return e.has_else ? Eval(*e.kids.back(), env) : Value();
    }
    case K::kComprehension: {
      Value list = Eval(*e.kids[0], env);
      if (list.IsNull()) return Value();
      if (!list.IsList()) TypeError(e, "IN needs a list, not " + TypeName(list));
      List out;
      Spend(list.AsList().size());
      for (const Value& item : list.AsList()) {
        env.Push(e.name, item);
        bool keep = !e.kids[1] || IsTrue(*e.kids[1], env);
        if (keep) out.push_back(e.kids[2] ? Eval(*e.kids[2], env) : item);
        env.Pop();
      }
      return Value(std::move(out));
    }
    case K::kQuantifier: {
      Value list = Eval(*e.kids[0], env);
      if (list.IsNull()) return Value();
      if (!list.IsList()) TypeError(e, "IN needs a list, not " + TypeName(list));
      size_t yes = 0, unknown = 0, n = list.AsList().size();
      for (const Value& item : list.AsList()) {
        env.Push(e.name, item);
        std::optional<bool> t =
            e.kids[1] ? Truth(Eval(*e.kids[1], env), *e.kids[1]) : std::optional<bool>(true);
        env.Pop();
        if (!t.has_value())
          ++unknown;
        else if (*t)
          ++yes;
      }
      size_t no = n - yes - unknown;
      if (e.op == "ALL") return no > 0 ? Value(false) : unknown ? Value() : Value(true);
      if (e.op == "ANY") return yes > 0 ? Value(true) : unknown ? Value() : Value(false);
      if (e.op == "NONE") return yes > 0 ? Value(false) : unknown ? Value() : Value(true);
      if (yes > 1) return Value(false);  // SINGLE
      if (unknown) return Value();
      return Value(yes == 1);
    }
    case K::kReduce: {
      Value acc = Eval(*e.kids[0], env);
      Value list = Eval(*e.kids[1], env);
      if (list.IsNull()) return Value();
      if (!list.IsList()) TypeError(e, "IN needs a list, not " + TypeName(list));
      Spend(list.AsList().size());
      for (const Value& item : list.AsList()) {
        env.Push(e.keys[0], acc);
        env.Push(e.name, item);
        Value next = Eval(*e.kids[2], env);
        env.Pop();
        env.Pop();
        acc = std::move(next);
      }
      return acc;
    }
    case K::kLabels: {
      Value v = Eval(*e.kids[0], env);
      if (v.IsNull()) return Value();
      if (v.IsRel()) {  // r:T asks for the relationship's type
        std::string type = graph_->Relationship(v.AsRel().id).type;
        return Value(std::all_of(e.keys.begin(), e.keys.end(),
                                 [&](const std::string& k) { return k == type; }));
      }
      if (!v.IsNode()) TypeError(e, "only nodes have labels, not " + TypeName(v));
      std::vector<std::string> labels = graph_->Labels(v.AsNode().id);
      for (const auto& l : e.keys)
        if (std::find(labels.begin(), labels.end(), l) == labels.end()) return Value(false);
      return Value(true);
    }
    case K::kPattern:
      return Value(PatternExists(*e.pattern, env));
    case K::kPatternComprehension: {
      List out;
      MatchPattern(*e.pattern, env, [&](Bindings& b) {
        for (auto& [k, v] : b) env.Push(k, v);
        if (!e.kids[0] || IsTrue(*e.kids[0], env)) out.push_back(Eval(*e.kids[1], env));
        for (size_t i = 0; i < b.size(); ++i) env.Pop();
      });
      return Value(std::move(out));
    }
    case K::kMapProjection: {
      Value subject = Eval(*e.kids[0], env);
      if (subject.IsNull()) return Value();
      Map out;
      for (size_t i = 0; i < e.keys.size(); ++i) {
        const std::string& k = e.keys[i];
        if (k == "*") {
          Map all = subject.IsNode()  ? graph_->NodeProperties(subject.AsNode().id)
                    : subject.IsRel() ? graph_->RelProperties(subject.AsRel().id)
                    : subject.IsMap() ? subject.AsMap()
                                      : Map{};
          for (auto& [pk, pv] : all) out[pk] = pv;
        } else if (k[0] == '.') {
          out[k.substr(1)] = Property(subject, k.substr(1), e);
        } else {
          out[k] = Eval(*e.kids[i + 1], env);
        }
      }
      return Value(std::move(out));
    }
  }

  // Binary operators.
  const std::string& op = e.op;
  if (op == "AND" || op == "OR" || op == "XOR") {
    std::optional<bool> a = Truth(Eval(*e.kids[0], env), *e.kids[0]);
    if (op == "AND" && a.has_value() && !*a) {
      (void)Truth(Eval(*e.kids[1], env), *e.kids[1]);
      return Value(false);
    }
    if (op == "OR" && a.has_value() && *a) {
      (void)Truth(Eval(*e.kids[1], env), *e.kids[1]);
      return Value(true);
    }
    std::optional<bool> b = Truth(Eval(*e.kids[1], env), *e.kids[1]);
    if (op == "AND") {
      if (b.has_value() && !*b) return Value(false);
      if (!a.has_value() || !b.has_value()) return Value();
      return Value(true);
    }
    if (op == "OR") {
      if (b.has_value() && *b) return Value(true);
      if (!a.has_value() || !b.has_value()) return Value();
      return Value(false);
    }
    if (!a.has_value() || !b.has_value()) return Value();
    return Value(*a != *b);
  }
  Value a = Eval(*e.kids[0], env);
  Value b = Eval(*e.kids[1], env);
  if (op == "=") return FromTruth(Equals(a, b));
  if (op == "<>") {
    std::optional<bool> eq = Equals(a, b);
    return eq.has_value() ? Value(!*eq) : Value();
  }
  if (op == "<" || op == ">" || op == "<=" || op == ">=") {
    // NaN is a number no comparison holds for.
    if (a.IsNumber() && b.IsNumber() && (std::isnan(a.AsNumber()) || std::isnan(b.AsNumber())))
      return Value(false);
    std::optional<int> c = Compare(a, b);
    if (!c.has_value()) return Value();
    if (op == "<") return Value(*c < 0);
    if (op == ">") return Value(*c > 0);
    if (op == "<=") return Value(*c <= 0);
    return Value(*c >= 0);
  }
  if (op == "IN") {
    if (b.IsNull()) return Value();
    if (!b.IsList()) TypeError(e, "IN needs a list, not " + TypeName(b));
    bool unknown = false;
    for (const Value& item : b.AsList()) {
      std::optional<bool> eq = Equals(a, item);
      if (eq.has_value() && *eq) return Value(true);
      unknown = unknown || !eq.has_value();
    }
    return unknown ? Value() : Value(false);
  }
  if (op == "STARTS WITH" || op == "ENDS WITH" || op == "CONTAINS") {
    if (!a.IsString() || !b.IsString()) return Value();
    const std::string &s = a.AsString(), &t = b.AsString();
    if (op == "STARTS WITH") return Value(s.rfind(t, 0) == 0);
    if (op == "ENDS WITH")
      return Value(s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0);
    return Value(s.find(t) != std::string::npos);
  }
  if (op == "=~") {
    if (!a.IsString() || !b.IsString()) return Value();
    try {
      return Value(std::regex_match(a.AsString(), std::regex(b.AsString())));
    } catch (const std::regex_error&) {
      ArgumentError(e, "'" + b.AsString() + "' is not a regular expression");
    }
  }
  return Arithmetic(op, a, b, e);
}

}  // namespace sinew::cypher
