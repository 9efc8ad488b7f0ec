// Cypher values (part of cypher/): null, booleans, integers, floats,
// strings, lists, maps, and references to the nodes, relationships and paths
// of the graph a query runs on. Equality and ordering follow openCypher:
// comparing with null gives null (an empty optional); ORDER BY uses a total
// order across types.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace sinew::cypher {

struct Value;
using List = std::vector<Value>;
using Map = std::map<std::string, Value>;

struct NodeRef {
  uint64_t id = 0;
};
struct RelRef {
  uint64_t id = 0;
};
struct PathValue {
  std::vector<uint64_t> nodes;  // one more than rels
  std::vector<uint64_t> rels;
};

// Lists and maps nest at most this deep: printing, comparing and freeing a
// value recurse through it, so a query such as
// reduce(l = [], i IN range(1, 100000) | [l]) must stop long before the
// stack does.
inline constexpr int kMaxValueDepth = 1000;

struct ValueTooDeep : std::runtime_error {
  ValueTooDeep() : std::runtime_error("a list or map nests deeper than 1000 levels") {}
};

struct Value {
  // 0 for a scalar; a list or map is one deeper than its deepest item.
  // Declared first: the constructors compute it before moving the items.
  int depth = 0;
  using Variant =
      std::variant<std::monostate, bool, int64_t, double, std::string, std::shared_ptr<const List>,
                   std::shared_ptr<const Map>, NodeRef, RelRef, std::shared_ptr<const PathValue>>;
  Variant v;

  Value() = default;
  Value(bool b) : v(b) {}                      // NOLINT: values convert implicitly
  Value(int64_t i) : v(i) {}                   // NOLINT
  Value(int i) : v(int64_t{i}) {}              // NOLINT
  Value(double d) : v(d) {}                    // NOLINT
  Value(std::string s) : v(std::move(s)) {}    // NOLINT
  Value(const char* s) : v(std::string(s)) {}  // NOLINT
  Value(List l) : depth(DepthOf(l)), v(std::make_shared<const List>(std::move(l))) {}  // NOLINT
  Value(Map m) : depth(DepthOf(m)), v(std::make_shared<const Map>(std::move(m))) {}    // NOLINT
  Value(NodeRef n) : v(n) {}                                                           // NOLINT
  Value(RelRef r) : v(r) {}                                                            // NOLINT
  Value(PathValue p) : v(std::make_shared<const PathValue>(std::move(p))) {}           // NOLINT

  template <typename Items>
  static int DepthOf(const Items& items) {
    int d = 0;
    for (const auto& item : items) {
      const Value& x = ItemValue(item);
      d = std::max(d, x.depth);
    }
    if (d + 1 > kMaxValueDepth) throw ValueTooDeep();
    return d + 1;
  }
  static const Value& ItemValue(const Value& x) { return x; }
  static const Value& ItemValue(const std::pair<const std::string, Value>& x) { return x.second; }

  bool IsNull() const { return v.index() == 0; }
  bool IsBool() const { return v.index() == 1; }
  bool IsInt() const { return v.index() == 2; }
  bool IsFloat() const { return v.index() == 3; }
  bool IsNumber() const { return IsInt() || IsFloat(); }
  bool IsString() const { return v.index() == 4; }
  bool IsList() const { return v.index() == 5; }
  bool IsMap() const { return v.index() == 6; }
  bool IsNode() const { return v.index() == 7; }
  bool IsRel() const { return v.index() == 8; }
  bool IsPath() const { return v.index() == 9; }

  bool AsBool() const { return std::get<bool>(v); }
  int64_t AsInt() const { return std::get<int64_t>(v); }
  double AsFloat() const { return std::get<double>(v); }
  double AsNumber() const { return IsInt() ? static_cast<double>(AsInt()) : AsFloat(); }
  const std::string& AsString() const { return std::get<std::string>(v); }
  const List& AsList() const { return *std::get<std::shared_ptr<const List>>(v); }
  const Map& AsMap() const { return *std::get<std::shared_ptr<const Map>>(v); }
  NodeRef AsNode() const { return std::get<NodeRef>(v); }
  RelRef AsRel() const { return std::get<RelRef>(v); }
  const PathValue& AsPath() const { return *std::get<std::shared_ptr<const PathValue>>(v); }
};

// "INTEGER", "STRING", "NODE", ... for type errors.
std::string TypeName(const Value& v);

// Three-valued equality: empty when null decides (null = anything, or a
// list or map that holds a null where the other side differs only there).
std::optional<bool> Equals(const Value& a, const Value& b);
// Comparison for <, <=, >, >=: empty when the two are not comparable
// (different types, null, NaN).
std::optional<int> Compare(const Value& a, const Value& b);
// The total order ORDER BY uses: maps, nodes, relationships, lists, paths,
// strings, booleans, numbers, then null last (ascending).
int OrderCompare(const Value& a, const Value& b);
// Equality as DISTINCT and grouping see it: null equals null.
bool SameValue(const Value& a, const Value& b);

// `s` in ASCII lower case: keywords and function names match in any case.
std::string Lower(std::string s);

// Formats a float as openCypher prints it: "1.0", "0.5", "1.0E-10", "NaN".
std::string FormatFloat(double d);

}  // namespace sinew::cypher
