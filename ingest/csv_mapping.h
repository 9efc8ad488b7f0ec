// Private to ingest/: the parts of the table reader (csv_table.cc) that its
// two shapes share. csv_table.cc parses the CSV, reads the mapping and the
// matrix shape; csv_rows.cc reads the edge-list shape (one record per row,
// or rows summed or counted into one figure per pair and period).
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace sinew::ingest::csv {

using Table = std::vector<std::vector<std::string>>;

// One CSV record per row: RFC 4180 quoting, fields may hold commas and
// newlines. A DOS end-of-file byte (0x1A) alone on the last line is dropped.
Result<Table> ParseCsv(std::string_view text, const std::string& file);

// "%.4g": the figures a quote or a basis shows.
std::string Number(double v);

// A label names a node: the mapping's own names (a slug, or an object that
// creates the node when the store lacks it), the store's name index
// (preferring a node of the type asked for), or a new node of the type the
// column (or the mapping's new_nodes) gives; "" when none of these.
class Labels {
 public:
  Labels(const nlohmann::json& m, const StoreView& view, Batch* b);
  // Checks the mapping's names; errors name the field.
  Status Check(const SourcePlace& mplace) const;
  // `type` is the column's node type ("" = the mapping's new_nodes type).
  std::string Resolve(const std::string& label, const std::string& type = "");

 private:
  void Declare(const std::string& slug, const std::string& type, const std::string& name);

  nlohmann::json names_;
  std::string new_type_;
  const StoreView& view_;
  Batch* b_;
  std::unordered_map<std::string, std::string> resolved_;
  std::set<std::string> declared_;
};

// A number in a cell; empty, "-", "n/a" and "^" (bp's "less than 0.05") are 0.
Status ValueAt(const std::vector<std::string>& row, size_t c, const std::string& column,
               const std::string& file, int line, double* v);

// What every value becomes: the evidence quoting it, its observation, and
// the link when the mapping asks for one and the value is large enough.
struct ValueRules {
  std::string metric, unit, period;
  std::string section;       // the file's name, each evidence record's locator section
  std::string type, domain;  // from the row, when the table has such columns
  bool observations = false, edges = false;
  // The mapping's "observation" and "edge" objects (empty when absent); the
  // mapping outlives the read. Pointers, as the rules are copied per row.
  const nlohmann::json* ob = nullptr;
  const nlohmann::json* ed = nullptr;
  std::string edge_type, edge_domain;  // the mapping's, unless a column gives them
  bool share_strength = false;         // edge strength = share of the party's total
  double min_value = 0;
  int credibility = 2;
};

// One value as the reader found it: where, what it says, who it joins.
struct Value {
  std::string file;
  int line = 0;
  size_t column = 0;
  std::string column_name;
  std::string page;  // the locator's page ("column 3 (bcm)"; "4 rows: lines 2, 7, 9")
  std::string key, quote;
  std::string subject, object, src, dst, src_name;
  double v = 0, total = 0;
  std::string total_of, period;
};

void AddValue(const ValueRules& r, const Value& x, Batch* b);

Status EdgeTypeMissing(SourcePlace mplace, bool rows);

// A whole number from the mapping, checked: a value past `hi` is refused as
// itself, not read as its wrapped form.
Result<int> MappingInt(const nlohmann::json& v, const std::string& pointer, long lo, long hi,
                       SourcePlace mplace);

// The edge-list shape (csv_rows.cc). It lets the table go once it has
// taken what it needs.
Status ReadRows(Table&& rows, const std::string& file, const nlohmann::json& m,
                const SourcePlace& mplace, ValueRules vr, Labels& labels, Batch* b);

}  // namespace sinew::ingest::csv
