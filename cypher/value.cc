#include "cypher/value.h"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace sinew::cypher {

std::string TypeName(const Value& v) {
  static const char* kNames[] = {"NULL", "BOOLEAN", "INTEGER", "FLOAT",        "STRING",
                                 "LIST", "MAP",     "NODE",    "RELATIONSHIP", "PATH"};
  return kNames[v.v.index()];
}

namespace {

// Orderability groups of openCypher, ascending.
int Group(const Value& v) {
  if (v.IsMap()) return 0;
  if (v.IsNode()) return 1;
  if (v.IsRel()) return 2;
  if (v.IsList()) return 3;
  if (v.IsPath()) return 4;
  if (v.IsString()) return 5;
  if (v.IsBool()) return 6;
  if (v.IsNumber()) return 7;
  return 8;  // null
}

int CompareNumbers(const Value& a, const Value& b) {
  if (a.IsInt() && b.IsInt()) return a.AsInt() < b.AsInt() ? -1 : a.AsInt() > b.AsInt() ? 1 : 0;
  double x = a.AsNumber(), y = b.AsNumber();
  // NaN sorts above every other number.
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) - std::isnan(y);
  if (a.IsInt() != b.IsInt()) {
    // Mixed: compare exactly where a double cannot hold the integer.
    long double lx = a.IsInt() ? static_cast<long double>(a.AsInt()) : x;
    long double ly = b.IsInt() ? static_cast<long double>(b.AsInt()) : y;
    return lx < ly ? -1 : lx > ly ? 1 : 0;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

}  // namespace

std::optional<bool> Equals(const Value& a, const Value& b) {
  if (a.IsNull() || b.IsNull()) return std::nullopt;
  if (a.IsNumber() && b.IsNumber()) {
    if (std::isnan(a.AsNumber()) || std::isnan(b.AsNumber())) return false;
    return CompareNumbers(a, b) == 0;
  }
  if (a.v.index() != b.v.index()) return false;
  if (a.IsBool()) return a.AsBool() == b.AsBool();
  if (a.IsString()) return a.AsString() == b.AsString();
  if (a.IsNode()) return a.AsNode().id == b.AsNode().id;
  if (a.IsRel()) return a.AsRel().id == b.AsRel().id;
  if (a.IsPath()) return a.AsPath().nodes == b.AsPath().nodes && a.AsPath().rels == b.AsPath().rels;
  if (a.IsList()) {
    const List &x = a.AsList(), &y = b.AsList();
    if (x.size() != y.size()) return false;
    bool unknown = false;
    for (size_t i = 0; i < x.size(); ++i) {
      std::optional<bool> e = Equals(x[i], y[i]);
      if (e.has_value() && !*e) return false;
      unknown = unknown || !e.has_value();
    }
    if (unknown) return std::nullopt;
    return true;
  }
  const Map &x = a.AsMap(), &y = b.AsMap();
  if (x.size() != y.size()) return false;
  bool unknown = false;
  for (const auto& [k, v] : x) {
    auto it = y.find(k);
    if (it == y.end()) return false;
    std::optional<bool> e = Equals(v, it->second);
    if (e.has_value() && !*e) return false;
    unknown = unknown || !e.has_value();
  }
  if (unknown) return std::nullopt;
  return true;
}

std::optional<int> Compare(const Value& a, const Value& b) {
  if (a.IsNull() || b.IsNull()) return std::nullopt;
  if (a.IsNumber() && b.IsNumber()) {
    if (std::isnan(a.AsNumber()) || std::isnan(b.AsNumber())) return std::nullopt;
    return CompareNumbers(a, b);
  }
  if (a.v.index() != b.v.index()) return std::nullopt;
  if (a.IsString())
    return a.AsString().compare(b.AsString()) < 0   ? -1
           : a.AsString().compare(b.AsString()) > 0 ? 1
                                                    : 0;
  if (a.IsBool()) return static_cast<int>(a.AsBool()) - static_cast<int>(b.AsBool());
  if (a.IsList()) {
    const List &x = a.AsList(), &y = b.AsList();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      std::optional<bool> eq = Equals(x[i], y[i]);
      if (eq.has_value() && *eq) continue;
      return Compare(x[i], y[i]);
    }
    return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  }
  return std::nullopt;
}

int OrderCompare(const Value& a, const Value& b) {
  int ga = Group(a), gb = Group(b);
  if (ga != gb) return ga < gb ? -1 : 1;
  switch (ga) {
    case 7:
      return CompareNumbers(a, b);
    case 5:
      return a.AsString() < b.AsString() ? -1 : a.AsString() > b.AsString() ? 1 : 0;
    case 6:
      return static_cast<int>(a.AsBool()) - static_cast<int>(b.AsBool());
    case 1:
      return a.AsNode().id < b.AsNode().id ? -1 : a.AsNode().id > b.AsNode().id ? 1 : 0;
    case 2:
      return a.AsRel().id < b.AsRel().id ? -1 : a.AsRel().id > b.AsRel().id ? 1 : 0;
    case 3: {
      const List &x = a.AsList(), &y = b.AsList();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i)
        if (int c = OrderCompare(x[i], y[i]); c != 0) return c;
      return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
    }
    case 0: {
      const Map &x = a.AsMap(), &y = b.AsMap();
      auto i = x.begin();
      auto j = y.begin();
      for (; i != x.end() && j != y.end(); ++i, ++j) {
        if (i->first != j->first) return i->first < j->first ? -1 : 1;
        if (int c = OrderCompare(i->second, j->second); c != 0) return c;
      }
      return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
    }
    case 4: {
      const PathValue &x = a.AsPath(), &y = b.AsPath();
      if (x.nodes != y.nodes) return x.nodes < y.nodes ? -1 : 1;
      if (x.rels != y.rels) return x.rels < y.rels ? -1 : 1;
      return 0;
    }
    default:
      return 0;
  }
}

bool SameValue(const Value& a, const Value& b) {
  if (a.IsNull() || b.IsNull()) return a.IsNull() && b.IsNull();
  if (a.IsNumber() && b.IsNumber() && std::isnan(a.AsNumber()) && std::isnan(b.AsNumber()))
    return true;
  if (a.IsList() && b.IsList()) {
    const List &x = a.AsList(), &y = b.AsList();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!SameValue(x[i], y[i])) return false;
    return true;
  }
  if (a.IsMap() && b.IsMap()) {
    const Map &x = a.AsMap(), &y = b.AsMap();
    if (x.size() != y.size()) return false;
    for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j)
      if (i->first != j->first || !SameValue(i->second, j->second)) return false;
    return true;
  }
  std::optional<bool> e = Equals(a, b);
  return e.has_value() && *e;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string FormatFloat(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  // Shortest text that reads back as the same double.
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string s = buf;
  size_t e = s.find('e');
  std::string mant = e == std::string::npos ? s : s.substr(0, e);
  std::string exp = e == std::string::npos ? "" : s.substr(e + 1);
  if (mant.find('.') == std::string::npos) mant += ".0";
  if (exp.empty()) return mant;
  int x = std::stoi(exp);
  return mant + "E" + std::to_string(x);
}

}  // namespace sinew::cypher
