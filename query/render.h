// Rendering the answers of query.h: JSON in the shapes docs/queries.md lists,
// tables for an 80-column terminal, CSV, and Graphviz pictures.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "query/query.h"

namespace sinew::query {

nlohmann::json EdgeJson(const EdgeView& e);
// A yyyymmdd day as "2018" (a year's first day, or last when `end`) or
// "2018-06-30"; "" for an open end.
std::string DateText(int32_t day, bool end);
// A yyyymmdd day as 2026-01-01 exactly; "" for 0.
std::string DayText(int32_t day);
// When a chain's links held together: "2018–", "…–2021", "" when always.
std::string SpanText(const graph::Span& span);
nlohmann::json SpanJson(const graph::Span& span);
// The best accepted evidence each way (by confidence); null when none.
std::pair<const EvidenceView*, const EvidenceView*> BestEitherWay(const EdgeView& e);
// Whether accepted evidence both supports and contradicts the link.
bool Contested(const EdgeView& e);
nlohmann::json EvidenceJson(const EvidenceView& v);  // one record, as every shape shows it
nlohmann::json NodeJson(const NodeRecord& n);
nlohmann::json ObservationJson(const ObservationView& o);
nlohmann::json NodeCardJson(const NodeCard& card);
nlohmann::json FindJson(const std::string& text, const std::vector<FindMatch>& matches);
nlohmann::json StatsJson(const StoreStats& s);

nlohmann::json DepsJson(const DepsAnswer& a);
nlohmann::json ChainsJson(const ChainsAnswer& a);
nlohmann::json ImpactJson(const ImpactAnswer& a);
nlohmann::json CriticalJson(const CriticalAnswer& a);
nlohmann::json SubstitutesJson(const SubstitutesAnswer& a);
nlohmann::json AsymmetryJson(const AsymmetryAnswer& a);
nlohmann::json EvidenceJson(const std::vector<EdgeView>& edges);
nlohmann::json TimelineJson(const TimelineAnswer& a);
nlohmann::json ConflictsJson(const ConflictsAnswer& a);

void PrintDeps(const DepsAnswer& a, std::ostream& out);
void PrintChains(const ChainsAnswer& a, std::ostream& out);
void PrintImpact(const ImpactAnswer& a, std::ostream& out);
void PrintCritical(const CriticalAnswer& a, std::ostream& out);
void PrintSubstitutes(const SubstitutesAnswer& a, std::ostream& out);
void PrintAsymmetry(const AsymmetryAnswer& a, std::ostream& out);
void PrintEvidence(const std::vector<EdgeView>& edges, std::ostream& out);
void PrintTimeline(const TimelineAnswer& a, std::ostream& out);
void PrintConflicts(const ConflictsAnswer& a, std::ostream& out);
nlohmann::json ChangesJson(const ChangesAnswer& a);
void PrintChanges(const ChangesAnswer& a, std::ostream& out);

// CSV: one row per edge (hop) with the answer's own columns first.
void CsvEdges(const std::vector<std::pair<std::vector<std::string>, const EdgeView*>>& rows,
              const std::vector<std::string>& lead_columns, std::ostream& out);

// A Graphviz picture of a set of edges (with their end nodes), for a briefing:
// shape and colour by node type, edge labels with type and domain, width by
// weight, dashed when projected or hypothetical, evidence in the tooltip.
std::string Dot(const std::string& title, const std::vector<const EdgeView*>& edges,
                const std::vector<NodeRecord>& nodes, const std::vector<std::string>& highlight);
// Renders DOT through Graphviz's `dot` into `format` (svg, png); a clear
// error naming the package when Graphviz is not installed.
Result<std::string> RenderDot(const std::string& dot, const std::string& format);

void PrintNodeCard(const NodeCard& card, std::ostream& out);
void PrintFind(const std::vector<FindMatch>& matches, std::ostream& out);
void PrintStats(const StoreStats& s, std::ostream& out);
void PrintApplyReport(const std::string& file, const ApplyReport& r, bool dry_run,
                      std::ostream& out);
nlohmann::json ApplyReportJson(const std::string& file, const ApplyReport& r, bool dry_run);

nlohmann::json NeighbourhoodJson(const Neighbourhood& n);

// A figure's value with its unit: "20–25%", "34 bcm", "-8%".
std::string FigureText(const ObservationRecord& o);
// "0.64" style numbers for tables and for JSON (rounded to 4 places).
double Round4(double v);
std::string Fixed(double v, int places);
// Cuts `s` to `width` display columns, ending with "…" when it cut.
std::string Clip(const std::string& s, size_t width);
// Wraps text to `width` columns with `indent` spaces on every line.
std::string Wrap(const std::string& s, size_t width, size_t indent);
// JSON as text (`indent` -1: one line). Stored text that is not valid UTF-8
// comes out with replacement characters: nlohmann would throw, and a
// question must not fail on one bad byte in a quote.
std::string JsonText(const nlohmann::json& j, int indent = 2);

}  // namespace sinew::query
