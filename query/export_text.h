// Private to query/: the text helpers the export formats share (export.cc,
// csv_bundle.cc): labels and relationship types as graph databases spell
// them, CSV and Cypher quoting, joining, and a link's sources.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "query/export.h"
#include "query/query.h"

namespace sinew::query::exports {

// A Cypher string literal: quotes and backslashes escaped, line breaks as \n.
std::string CypherString(const std::string& s);
// node type "infrastructure" -> label "Infrastructure"; edge type -> DEPENDS_ON.
std::string Label(const std::string& type);
std::string RelType(const std::string& type);
// A CSV field, quoted when it holds a comma, a quote or a line break.
std::string Csv(const std::string& s);
std::string Join(const std::vector<std::string>& v, const char* sep);
// The sources behind a link's evidence, in order, joined by ';'.
std::string Sources(const EdgeView& e);

// The graph as the graph databases' tables see it: each node's label, the
// nodes of each label, and the links of each (type, source label, target
// label), which is one Kùzu FROM/TO pair, one UNWIND batch, one bundle file.
struct Labelled {
  std::map<std::string, std::string> label_of;  // node id -> label
  std::map<std::string, std::vector<const NodeRecord*>> by_label;
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<const EdgeView*>> groups;
};
Labelled LabelledOf(const GraphExport& g);

}  // namespace sinew::query::exports
