// The graph for other tools: the whole store, a neighbourhood or a chain as
// the asker may see it, written as GraphML, JSON Lines, CSV, Cypher or STIX
// 2.1 (docs/scale-out.md, docs/formats.md).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "query/query.h"

namespace sinew::query {

// The whole graph as `filter` lets it out, with counts of what it held back.
struct GraphExport {
  std::vector<NodeRecord> nodes;
  std::vector<EdgeView> edges;
  std::vector<ObservationView> observations;
  // Links whose visible evidence only contradicts them, and evidence on
  // nodes: not drawn, but kept by the JSON Lines export so nothing is lost.
  std::vector<EdgeView> refuted;
  std::map<NodeId, std::vector<EvidenceView>> node_evidence;
  std::vector<SourceRecord> sources;  // those behind what is exported
  Marking level = Marking::kGreen;
  graph::EdgeFilter filter;  // what the asker may see (graph/clearance.cc decides)
  std::string clearance;
  int left_out_nodes = 0, left_out_edges = 0, left_out_evidence = 0;
  int unreviewed_nodes = 0;  // hidden only because they await review
};
Result<GraphExport> ExportGraph(const StoreView& view, const EdgeFilter& filter);
// Narrows an export to a selection: the nodes in `nodes` and the links
// between them (only those in `edges`, when given), with the observations,
// node evidence and sources that go with them.
void Restrict(GraphExport* g, const std::set<std::string>& nodes, const std::set<EdgeId>* edges);
// The slugs within `depth` links of `slug` (either direction) in the export.
std::set<std::string> Around(const GraphExport& g, const std::string& slug, int depth);
// "exported at clearance TLP:GREEN: 71 nodes, 120 links; left out above it: ..."
std::string LeftOutNote(const GraphExport& g);
std::string ToGraphMl(const GraphExport& g);  // keys declared, attributes typed
// JSON Lines (format sinew-jsonl/1, docs/formats.md): a header, then
// sources, nodes with each source's claim, edges and observations with their
// whole evidence; `sinew ingest` reads it back into the same graph.
std::string ToJsonLines(const GraphExport& g);
std::string ToCsvNodes(const GraphExport& g);
std::string ToCsvEdges(const GraphExport& g);
// Cypher that recreates the graph, idempotently (MERGE on node ids and on
// (src, type, dst, domain)), with labelled MATCHes. `dialect` "neo4j" and
// "memgraph": a uniqueness constraint per label, then batched UNWIND
// statements; "kuzu": node and rel table DDL (a FROM/TO pair per pair of
// labels a type joins), then one MERGE per node and link.
std::string ToCypher(const GraphExport& g, const std::string& dialect = "neo4j");
// The bulk loaders' bundle (export --format csv-bundle): relative paths and
// contents. kuzu/: load.cypher (node and rel table DDL, then COPY) beside one
// CSV per label and per (type, source label, target label); neo4j/: the same
// CSVs with neo4j-admin headers and import.sh (neo4j-admin database import).
std::vector<std::pair<std::string, std::string>> ToCsvBundle(const GraphExport& g);
// A STIX 2.1 bundle: nodes as domain objects (x-sinew-node where STIX has no
// type), supporting evidence as relationships, sources as reports, TLP 2.0
// markings. STIX cannot negate a relationship: contradicting evidence is
// left out and counted. `now` stamps objects with no time of their own.
std::string ToStix(const GraphExport& g, const std::string& now, int* contradicting_left_out);

}  // namespace sinew::query
