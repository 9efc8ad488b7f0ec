// The scalar functions of openCypher (names in any case).
#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <random>

#include "cypher/executor.h"

namespace sinew::cypher {
namespace {

[[noreturn]] void BadArgument(const Expr& at, const std::string& fn, const Value& v) {
  throw Error("TypeError", "InvalidArgumentType", fn + "() does not take " + TypeName(v),
              at.pos.line, at.pos.column, false);
}

// Code points of a UTF-8 string, for functions that count characters.
std::vector<std::string> Chars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < parts.size(); ++i) out += parts[i];
  return out;
}

Value ToInteger(const Value& v, const Expr& at) {
  if (v.IsNull()) return Value();
  if (v.IsInt()) return v;
  if (v.IsFloat()) {
    double d = v.AsFloat();
    if (std::isnan(d) || d >= 9.3e18 || d <= -9.3e18) return Value();
    return Value(static_cast<int64_t>(d));
  }
  if (v.IsBool()) return Value(int64_t{v.AsBool() ? 1 : 0});
  if (v.IsString()) {
    const std::string& s = v.AsString();
    char* end = nullptr;
    errno = 0;
    long long i = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && *end == '\0' && errno == 0) return Value(static_cast<int64_t>(i));
    double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && *end == '\0' && std::isfinite(d)) return Value(static_cast<int64_t>(d));
    return Value();
  }
  BadArgument(at, "toInteger", v);
}

Value ToFloat(const Value& v, const Expr& at) {
  if (v.IsNull()) return Value();
  if (v.IsFloat()) return v;
  if (v.IsInt()) return Value(static_cast<double>(v.AsInt()));
  if (v.IsString()) {
    const std::string& s = v.AsString();
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (!s.empty() && *end == '\0') return Value(d);
    return Value();
  }
  BadArgument(at, "toFloat", v);
}

std::string ToText(const Value& v) {
  if (v.IsString()) return v.AsString();
  if (v.IsInt()) return std::to_string(v.AsInt());
  if (v.IsFloat()) return FormatFloat(v.AsFloat());
  if (v.IsBool()) return v.AsBool() ? "true" : "false";
  return "";
}

}  // namespace

Value Executor::Function(const Expr& e, Env& env) {
  std::string fn = Lower(e.name);
  std::vector<Value> a;
  a.reserve(e.kids.size());
  // exists(n.prop) asks about the property, not its value's truth.
  for (const auto& k : e.kids) a.push_back(Eval(*k, env));
  auto arity = [&](size_t lo, size_t hi) {
    if (a.size() < lo || a.size() > hi)
      throw Error("SyntaxError", "InvalidNumberOfArguments",
                  e.name + "() takes " + std::to_string(lo) +
                      (hi != lo ? " to " + std::to_string(hi) : "") + " arguments",
                  e.pos.line, e.pos.column);
  };
  auto number = [&](size_t i) -> double {
    assert(i < a.size());  // arity checked first
    if (!a[i].IsNumber()) BadArgument(e, e.name, a[i]);
    return a[i].AsNumber();
  };

  if (fn == "coalesce") {
    for (const Value& v : a)
      if (!v.IsNull()) return v;
    return Value();
  }
  if (fn == "rand") {
    arity(0, 0);
    static std::mt19937_64 rng(42);
    return Value(std::uniform_real_distribution<double>(0.0, 1.0)(rng));
  }
  if (fn == "pi") return Value(M_PI);
  if (fn == "e") return Value(M_E);
  if (fn == "range") {
    arity(2, 3);
    for (const Value& v : a)
      if (!v.IsInt()) BadArgument(e, "range", v);
    int64_t from = a[0].AsInt(), to = a[1].AsInt(), step = a.size() > 2 ? a[2].AsInt() : 1;
    if (step == 0)
      throw Error("ArgumentError", "NumberOutOfRange", "range() step must not be zero", e.pos.line,
                  e.pos.column, false);
    List out;
    for (int64_t i = from; step > 0 ? i <= to : i >= to; i += step) {
      Spend();
      if (out.size() >= (1u << 24))  // 16 million: a list a query may build, not a gigabyte
        throw Error("ResourceError", "QueryTooLarge", "range() would make too long a list",
                    e.pos.line, e.pos.column, false);
      out.push_back(Value(i));
      if ((step > 0 && i > INT64_MAX - step) || (step < 0 && i < INT64_MIN - step)) break;
    }
    return Value(std::move(out));
  }

  // Every other function takes one argument, but these.
  static const std::map<std::string, std::pair<size_t, size_t>> kArity = {
      {"left", {2, 2}},  {"right", {2, 2}},   {"substring", {2, 3}},
      {"split", {2, 2}}, {"replace", {3, 3}}, {"atan2", {2, 2}}};
  auto wanted = kArity.find(fn);
  if (wanted != kArity.end())
    arity(wanted->second.first, wanted->second.second);
  else
    arity(1, 1);
  const Value& x = a[0];
  if (fn == "exists") return Value(!x.IsNull());
  if (x.IsNull() && fn != "tostring" && fn != "size") return Value();
  if (fn == "id") {
    if (x.IsNode()) return Value(static_cast<int64_t>(x.AsNode().id));
    if (x.IsRel()) return Value(static_cast<int64_t>(x.AsRel().id));
    BadArgument(e, e.name, x);
  }
  if (fn == "labels") {
    if (!x.IsNode()) BadArgument(e, e.name, x);
    List out;
    for (const auto& l : graph_->Labels(x.AsNode().id)) out.push_back(Value(l));
    return Value(std::move(out));
  }
  if (fn == "type") {
    if (!x.IsRel()) BadArgument(e, e.name, x);
    return Value(graph_->Relationship(x.AsRel().id).type);
  }
  if (fn == "properties") {
    if (x.IsNode()) return Value(graph_->NodeProperties(x.AsNode().id));
    if (x.IsRel()) return Value(graph_->RelProperties(x.AsRel().id));
    if (x.IsMap()) return x;
    BadArgument(e, e.name, x);
  }
  if (fn == "keys") {
    Map m = x.IsNode()  ? graph_->NodeProperties(x.AsNode().id)
            : x.IsRel() ? graph_->RelProperties(x.AsRel().id)
            : x.IsMap() ? x.AsMap()
                        : (BadArgument(e, e.name, x), Map{});
    List out;
    for (const auto& [k, v] : m) out.push_back(Value(k));
    return Value(std::move(out));
  }
  if (fn == "startnode" || fn == "endnode") {
    if (!x.IsRel()) BadArgument(e, e.name, x);
    RelInfo r = graph_->Relationship(x.AsRel().id);
    return Value(NodeRef{fn == "startnode" ? r.src : r.dst});
  }
  if (fn == "nodes" || fn == "relationships") {
    if (!x.IsPath()) BadArgument(e, e.name, x);
    List out;
    if (fn == "nodes")
      for (uint64_t n : x.AsPath().nodes) out.push_back(Value(NodeRef{n}));
    else
      for (uint64_t r : x.AsPath().rels) out.push_back(Value(RelRef{r}));
    return Value(std::move(out));
  }
  if (fn == "length") {
    if (x.IsPath()) return Value(static_cast<int64_t>(x.AsPath().rels.size()));
    if (x.IsString()) return Value(static_cast<int64_t>(Chars(x.AsString()).size()));
    if (x.IsList()) return Value(static_cast<int64_t>(x.AsList().size()));
    BadArgument(e, e.name, x);
  }
  if (fn == "size") {
    if (x.IsNull()) return Value();
    if (x.IsList()) return Value(static_cast<int64_t>(x.AsList().size()));
    if (x.IsString()) return Value(static_cast<int64_t>(Chars(x.AsString()).size()));
    BadArgument(e, e.name, x);
  }
  if (fn == "head" || fn == "last") {
    if (!x.IsList()) BadArgument(e, e.name, x);
    if (x.AsList().empty()) return Value();
    return fn == "head" ? x.AsList().front() : x.AsList().back();
  }
  if (fn == "tail") {
    if (!x.IsList()) BadArgument(e, e.name, x);
    List out;
    if (!x.AsList().empty()) out.assign(x.AsList().begin() + 1, x.AsList().end());
    return Value(std::move(out));
  }
  if (fn == "reverse") {
    if (x.IsString()) {
      std::vector<std::string> c = Chars(x.AsString());
      std::reverse(c.begin(), c.end());
      return Value(Join(c, 0, c.size()));
    }
    if (!x.IsList()) BadArgument(e, e.name, x);
    List out(x.AsList().rbegin(), x.AsList().rend());
    return Value(std::move(out));
  }
  if (fn == "tointeger") return ToInteger(x, e);
  if (fn == "tofloat") return ToFloat(x, e);
  if (fn == "tostring") {
    if (x.IsNull()) return Value();
    if (x.IsString() || x.IsNumber() || x.IsBool()) return Value(ToText(x));
    BadArgument(e, e.name, x);
  }
  if (fn == "toboolean") {
    if (x.IsBool()) return x;
    if (x.IsString()) {
      std::string s = Lower(x.AsString());
      if (s == "true") return Value(true);
      if (s == "false") return Value(false);
      return Value();
    }
    if (x.IsInt()) return Value(x.AsInt() != 0);
    BadArgument(e, e.name, x);
  }
  if (fn == "abs") {
    if (x.IsInt()) return Value(x.AsInt() < 0 ? -x.AsInt() : x.AsInt());
    return Value(std::fabs(number(0)));
  }
  if (fn == "sign") {
    double d = number(0);
    return Value(int64_t{d > 0 ? 1 : d < 0 ? -1 : 0});
  }
  if (fn == "ceil") return Value(std::ceil(number(0)));
  if (fn == "floor") return Value(std::floor(number(0)));
  if (fn == "round") return Value(std::round(number(0)));
  if (fn == "sqrt") return Value(std::sqrt(number(0)));
  if (fn == "exp") return Value(std::exp(number(0)));
  if (fn == "log") return Value(std::log(number(0)));
  if (fn == "log10") return Value(std::log10(number(0)));
  if (fn == "sin") return Value(std::sin(number(0)));
  if (fn == "cos") return Value(std::cos(number(0)));
  if (fn == "tan") return Value(std::tan(number(0)));
  if (fn == "asin") return Value(std::asin(number(0)));
  if (fn == "acos") return Value(std::acos(number(0)));
  if (fn == "atan") return Value(std::atan(number(0)));
  if (fn == "atan2") return a[1].IsNull() ? Value() : Value(std::atan2(number(0), number(1)));
  if (fn == "degrees") return Value(number(0) * 180.0 / M_PI);
  if (fn == "radians") return Value(number(0) * M_PI / 180.0);
  if (fn == "toupper" || fn == "tolower" || fn == "trim" || fn == "ltrim" || fn == "rtrim") {
    if (!x.IsString()) BadArgument(e, e.name, x);
    std::string s = x.AsString();
    if (fn == "toupper")
      for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    else if (fn == "tolower")
      s = Lower(s);
    if (fn == "trim" || fn == "ltrim") s.erase(0, s.find_first_not_of(" \t\n\r"));
    if (fn == "trim" || fn == "rtrim") {
      size_t end = s.find_last_not_of(" \t\n\r");
      s.erase(end == std::string::npos ? 0 : end + 1);
    }
    return Value(s);
  }
  if (fn == "split") {
    if (!x.IsString() || !a[1].IsString()) return Value();
    List out;
    const std::string &s = x.AsString(), &sep = a[1].AsString();
    size_t start = 0;
    for (size_t at; !sep.empty() && (at = s.find(sep, start)) != std::string::npos;
         start = at + sep.size())
      out.push_back(Value(s.substr(start, at - start)));
    out.push_back(Value(s.substr(start)));
    return Value(std::move(out));
  }
  if (fn == "replace") {
    if (a.size() != 3 || !x.IsString() || !a[1].IsString() || !a[2].IsString()) return Value();
    std::string s = x.AsString();
    const std::string &from = a[1].AsString(), &to = a[2].AsString();
    if (from.empty()) return Value(s);
    for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
      s.replace(at, from.size(), to);
    return Value(s);
  }
  if (fn == "substring" || fn == "left" || fn == "right") {
    if (!x.IsString()) BadArgument(e, e.name, x);
    std::vector<std::string> c = Chars(x.AsString());
    auto count = [&](size_t i) -> size_t {
      assert(i < a.size());  // arity checked first
      if (!a[i].IsInt()) BadArgument(e, e.name, a[i]);
      if (a[i].AsInt() < 0)
        throw Error("ArgumentError", "NegativeIntegerArgument",
                    e.name + "() needs a non-negative number", e.pos.line, e.pos.column, false);
      return static_cast<size_t>(a[i].AsInt());
    };
    if (fn == "left") return Value(Join(c, 0, count(1)));
    if (fn == "right") {
      size_t n = std::min(count(1), c.size());
      return Value(Join(c, c.size() - n, c.size()));
    }
    size_t from = count(1);
    size_t len = a.size() > 2 ? count(2) : c.size();
    return Value(Join(c, from, from + std::min(len, c.size())));
  }
  throw Error("SyntaxError", "UnknownFunction", "unknown function " + e.name + "()", e.pos.line,
              e.pos.column);
}

}  // namespace sinew::cypher
