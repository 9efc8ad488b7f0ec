// The front of sinew's questions: resolves names, loads edges with the
// evidence behind them at the asker's clearance, and renders every answer as
// JSON (the shapes of design.md §4) or as a table for an 80-column terminal.
// The pattern language (openCypher read subset) lands here too.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "store/store.h"

namespace sinew::query {

using graph::EdgeFilter;

struct EvidenceView {
  EvidenceRecord rec;
  std::string source_slug, source_title;
};

// An edge as a question sees it: qualifiers re-derived from the evidence the
// asker may see, with that evidence attached.
struct EdgeView {
  EdgeRecord rec;
  std::string src_slug, dst_slug, src_name, dst_name;
  std::string forward, reverse;  // "depends on" / "is depended on by"
  bool directed = true;
  std::vector<EvidenceView> evidence;
};

struct ObservationView {
  ObservationRecord rec;
  std::string subject_slug, object_slug;
  std::vector<EvidenceView> evidence;
};

struct NodeCard {
  NodeRecord node;
  // Undirected links are listed under out, whichever way they are stored.
  std::vector<EdgeView> out, in;
  std::vector<ObservationView> observations;
};

struct FindMatch {
  NodeRecord node;
  double score = 0;
};

// Finds a node by slug, or by a name or alias that names exactly one node.
Result<NodeRecord> ResolveNode(const StoreView& view, const std::string& ref,
                               const EdgeFilter& filter);
// Loads edge `id` as `filter` sees it; NotFound when it sees none of it.
Result<EdgeView> LoadEdge(const StoreView& view, EdgeId id, const EdgeFilter& filter);
Result<NodeCard> ShowNode(const StoreView& view, const std::string& ref, const EdgeFilter& filter);
// Nodes by name or alias: exact, prefix, word prefix, then near misses.
Result<std::vector<FindMatch>> FindNodes(const StoreView& view, const std::string& text,
                                         size_t limit, const EdgeFilter& filter);

// ---- Rendering ----
nlohmann::json EdgeJson(const EdgeView& e);
nlohmann::json NodeJson(const NodeRecord& n);
nlohmann::json ObservationJson(const ObservationView& o);
nlohmann::json NodeCardJson(const NodeCard& card);
nlohmann::json FindJson(const std::string& text, const std::vector<FindMatch>& matches);
nlohmann::json StatsJson(const StoreStats& s);

void PrintNodeCard(const NodeCard& card, std::ostream& out);
void PrintFind(const std::vector<FindMatch>& matches, std::ostream& out);
void PrintStats(const StoreStats& s, std::ostream& out);
void PrintApplyReport(const std::string& file, const ApplyReport& r, bool dry_run,
                      std::ostream& out);
nlohmann::json ApplyReportJson(const std::string& file, const ApplyReport& r, bool dry_run);

// "0.64" style numbers for tables and for JSON (rounded to 4 places).
double Round4(double v);
std::string Fixed(double v, int places);
// Cuts `s` to `width` display columns, ending with "…" when it cut.
std::string Clip(const std::string& s, size_t width);
// Wraps text to `width` columns with `indent` spaces on every line.
std::string Wrap(const std::string& s, size_t width, size_t indent);

}  // namespace sinew::query
