// Whole-graph exports for the tools analysts use next: GraphML (Gephi, yEd,
// Cytoscape), DOT, JSON Lines, CSV, and Cypher that recreates the graph in
// Neo4j, Memgraph or Kuzu. What the clearance leaves out is counted, never shown.
#include "query/export.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "query/export_text.h"
#include "query/query.h"
#include "query/render.h"

namespace sinew::query {
namespace {

using nlohmann::json;

std::string Xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most control characters even escaped.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') continue;
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace

namespace exports {

std::string CypherString(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "'";
}

// node type "infrastructure" -> label "Infrastructure"; edge type -> DEPENDS_ON.
std::string Label(const std::string& type) {
  std::string out;
  bool up = true;
  for (char c : type) {
    if (c == '_' || c == '-') {
      up = true;
      continue;
    }
    out.push_back(up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    up = false;
  }
  return out;
}
std::string RelType(const std::string& type) {
  std::string out;
  for (char c : type) out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string Sources(const EdgeView& e) {
  std::vector<std::string> s;
  for (const auto& ev : e.evidence)
    if (std::find(s.begin(), s.end(), ev.source_slug) == s.end()) s.push_back(ev.source_slug);
  return Join(s, ";");
}

}  // namespace exports

using namespace exports;

Result<GraphExport> ExportGraph(const StoreView& view, const EdgeFilter& filter) {
  GraphExport out;
  std::map<NodeId, bool> used;
  std::vector<EdgeRecord> records;
  SINEW_RETURN_IF_ERROR(view.ForEachEdge([&](const EdgeRecord& e) {
    records.push_back(e);
    return true;
  }));
  for (const EdgeRecord& rec : records) {
    if (rec.q.marking_lo > filter.clearance) {
      ++out.left_out_edges;  // every record behind it is above the clearance
      continue;
    }
    AdjacencyEntry row = graph::RowOf(view.schema(), rec);
    if (!graph::Admit(view, row, filter)) {
      if (rec.q.status == EvidenceStatus::kRejected && rec.q.contradicting > 0) {
        Result<EdgeView> e = LoadEdge(view, rec.id, filter);
        if (e.ok() && !e->evidence.empty()) {
          used[e->rec.src] = used[e->rec.dst] = true;
          out.refuted.push_back(std::move(e).value());
        }
      }
      continue;
    }
    Result<EdgeView> e = LoadEdge(view, rec.id, filter);
    if (!e.ok()) {
      if (e.status().code() == Status::Code::kNotFound) {
        ++out.left_out_edges;
        continue;
      }
      return e.status();
    }
    int hidden =
        rec.q.supporting + rec.q.contradicting - e->rec.q.supporting - e->rec.q.contradicting;
    out.left_out_evidence += std::max(0, hidden);
    used[e->rec.src] = used[e->rec.dst] = true;
    out.edges.push_back(std::move(e).value());
  }
  SINEW_RETURN_IF_ERROR(view.ForEachNode([&](const NodeRecord& n) {
    if (used.count(n.id) || NodeVisible(view, n, filter)) {
      out.nodes.push_back(n);
    } else {
      // Hidden because only proposed (awaiting review), or because only
      // sources above the clearance name it.
      EdgeFilter reviewing = filter;
      reviewing.include_proposed = true;
      ++(NodeVisible(view, n, reviewing) ? out.unreviewed_nodes : out.left_out_nodes);
    }
    return true;
  }));
  std::set<SourceId> sources;
  for (const auto* list : {&out.edges, &out.refuted})
    for (const auto& e : *list)
      for (const auto& ev : e.evidence) sources.insert(ev.rec.source);
  for (const auto& n : out.nodes) {
    Result<std::vector<EvidenceView>> ev = VisibleEvidence(view, TargetKind::kNode, n.id, filter);
    if (!ev.ok()) return ev.status();
    for (const auto& v : ev.value()) sources.insert(v.rec.source);
    if (!ev->empty()) out.node_evidence[n.id] = std::move(ev).value();
  }
  std::map<NodeId, std::string> slugs;
  for (const auto& n : out.nodes) {
    slugs[n.id] = n.slug;
    for (const auto& [src, claim] : n.claims) sources.insert(src);
  }
  SINEW_RETURN_IF_ERROR(view.ForEachObservation([&](const ObservationRecord& o) {
    if (!slugs.count(o.subject) || (o.object != 0 && !slugs.count(o.object))) return true;
    ObservationView ov;
    ov.rec = o;
    ov.subject_slug = slugs[o.subject];
    if (o.object != 0) ov.object_slug = slugs[o.object];
    Result<std::vector<EvidenceView>> ev =
        VisibleEvidence(view, TargetKind::kObservation, o.id, filter);
    if (ev.ok() && !ev->empty()) {
      ov.evidence = std::move(ev).value();
      sources.insert(o.source);
      out.observations.push_back(std::move(ov));
    }
    return true;
  }));
  for (SourceId id : sources) {
    Result<SourceRecord> s = view.SourceById(id, /*with_text=*/true);
    if (!s.ok()) return s.status();
    out.sources.push_back(std::move(s).value());
  }
  out.level = filter.clearance;
  out.filter = filter;
  out.clearance = MarkingName(filter.clearance);
  return out;
}

void Restrict(GraphExport* g, const std::set<std::string>& nodes, const std::set<EdgeId>* edges) {
  auto keep_edge = [&](const EdgeView& e) {
    return nodes.count(e.src_slug) && nodes.count(e.dst_slug) &&
           (edges == nullptr || edges->count(e.rec.id));
  };
  std::erase_if(g->edges, [&](const EdgeView& e) { return !keep_edge(e); });
  std::erase_if(g->refuted, [&](const EdgeView& e) { return !keep_edge(e); });
  std::erase_if(g->nodes, [&](const NodeRecord& n) { return !nodes.count(n.slug); });
  std::set<NodeId> kept;
  for (const auto& n : g->nodes) kept.insert(n.id);
  std::erase_if(g->observations, [&](const ObservationView& o) {
    return !nodes.count(o.subject_slug) || (!o.object_slug.empty() && !nodes.count(o.object_slug));
  });
  std::erase_if(g->node_evidence, [&](const auto& kv) { return !kept.count(kv.first); });
  std::set<SourceId> used;
  for (const auto* list : {&g->edges, &g->refuted})
    for (const auto& e : *list)
      for (const auto& v : e.evidence) used.insert(v.rec.source);
  for (const auto& o : g->observations) used.insert(o.rec.source);
  for (const auto& n : g->nodes)
    for (const auto& [src, claim] : n.claims) used.insert(src);
  std::erase_if(g->sources, [&](const SourceRecord& s) { return !used.count(s.id); });
}

std::set<std::string> Around(const GraphExport& g, const std::string& slug, int depth) {
  std::map<std::string, std::vector<std::string>> next;
  for (const auto* list : {&g.edges, &g.refuted})
    for (const auto& e : *list) {
      next[e.src_slug].push_back(e.dst_slug);
      next[e.dst_slug].push_back(e.src_slug);
    }
  std::set<std::string> seen = {slug};
  std::vector<std::string> frontier = {slug};
  for (int d = 0; d < depth && !frontier.empty(); ++d) {
    std::vector<std::string> more;
    for (const auto& s : frontier)
      for (const auto& t : next[s])
        if (seen.insert(t).second) more.push_back(t);
    frontier = std::move(more);
  }
  return seen;
}

std::string LeftOutNote(const GraphExport& g) {
  return "exported at clearance " + g.clearance + ": " + std::to_string(g.nodes.size()) +
         " nodes, " + std::to_string(g.edges.size()) +
         " links; left out above it: " + std::to_string(g.left_out_nodes) + " nodes, " +
         std::to_string(g.left_out_edges) + " links, " + std::to_string(g.left_out_evidence) +
         " evidence records" +
         (g.unreviewed_nodes > 0 ? "; awaiting review (--include-proposed): " +
                                       std::to_string(g.unreviewed_nodes) + " nodes"
                                 : "");
}

std::string ToGraphMl(const GraphExport& g) {
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
      << "  <!-- " << Xml(LeftOutNote(g)) << " -->\n";
  struct Key {
    const char* id;
    const char* for_;
    const char* name;
    const char* type;
  };
  const Key keys[] = {{"n_type", "node", "type", "string"},
                      {"n_name", "node", "name", "string"},
                      {"n_aliases", "node", "aliases", "string"},
                      {"e_type", "edge", "type", "string"},
                      {"e_label", "edge", "label", "string"},
                      {"e_domain", "edge", "domain", "string"},
                      {"e_modality", "edge", "modality", "string"},
                      {"e_valid_from", "edge", "valid_from", "string"},
                      {"e_valid_to", "edge", "valid_to", "string"},
                      {"e_confidence", "edge", "confidence", "double"},
                      {"e_weight", "edge", "weight", "double"},
                      {"e_evidence", "edge", "evidence_count", "int"},
                      {"e_sources", "edge", "sources", "string"},
                      {"e_symmetric", "edge", "symmetric", "boolean"}};
  for (const Key& k : keys)
    out << "  <key id=\"" << k.id << "\" for=\"" << k.for_ << "\" attr.name=\"" << k.name
        << "\" attr.type=\"" << k.type << "\"/>\n";
  out << "  <graph id=\"sinew\" edgedefault=\"directed\">\n";
  for (const auto& n : g.nodes)
    out << "    <node id=\"" << Xml(n.slug) << "\">\n"
        << "      <data key=\"n_type\">" << Xml(n.type) << "</data>\n"
        << "      <data key=\"n_name\">" << Xml(n.name) << "</data>\n"
        << "      <data key=\"n_aliases\">" << Xml(Join(n.aliases, "; ")) << "</data>\n"
        << "    </node>\n";
  for (const auto& e : g.edges) {
    const EdgeQualifiers& q = e.rec.q;
    out << "    <edge id=\"e" << e.rec.id << "\" source=\"" << Xml(e.src_slug) << "\" target=\""
        << Xml(e.dst_slug) << "\">\n"
        << "      <data key=\"e_type\">" << Xml(e.rec.type) << "</data>\n"
        << "      <data key=\"e_label\">" << Xml(e.forward) << "</data>\n"
        << "      <data key=\"e_domain\">" << Xml(e.rec.domain) << "</data>\n"
        << "      <data key=\"e_modality\">" << ModalityName(q.modality) << "</data>\n"
        << "      <data key=\"e_valid_from\">" << Xml(q.valid_from) << "</data>\n"
        << "      <data key=\"e_valid_to\">" << Xml(q.valid_to) << "</data>\n"
        << "      <data key=\"e_confidence\">" << Round4(q.confidence) << "</data>\n"
        << "      <data key=\"e_weight\">" << Round4(q.weight) << "</data>\n"
        << "      <data key=\"e_evidence\">" << e.evidence.size() << "</data>\n"
        << "      <data key=\"e_sources\">" << Xml(Sources(e)) << "</data>\n"
        << "      <data key=\"e_symmetric\">" << (e.directed ? "false" : "true") << "</data>\n"
        << "    </edge>\n";
  }
  out << "  </graph>\n</graphml>\n";
  return out.str();
}

namespace {

// An evidence record whole, so that an import can restore it.
json FullEvidence(const EvidenceView& v) {
  json j = EvidenceJson(v);
  const EvidenceRecord& e = v.rec;
  j["key"] = e.key;
  json loc = json::object();
  if (!e.locator.section.empty()) loc["section"] = e.locator.section;
  if (e.locator.paragraph > 0) loc["paragraph"] = e.locator.paragraph;
  if (!e.locator.page.empty()) loc["page"] = e.locator.page;
  if (e.locator.start >= 0) loc["start"] = e.locator.start;
  if (e.locator.end >= 0) loc["end"] = e.locator.end;
  j["locator_parts"] = loc;
  if (!e.analyst.empty()) j["analyst"] = e.analyst;
  j.erase("title");
  return j;
}

}  // namespace

std::string ToJsonLines(const GraphExport& g) {
  std::ostringstream out;
  out << JsonText(json{{"kind", "export"},
                       {"format", "sinew-jsonl/1"},
                       {"clearance", g.clearance},
                       {"left_out_nodes", g.left_out_nodes},
                       {"left_out_edges", g.left_out_edges},
                       {"left_out_evidence", g.left_out_evidence}},
                  -1)
      << "\n";
  std::map<SourceId, const SourceRecord*> by_id;
  for (const auto& s : g.sources) {
    by_id[s.id] = &s;
    json j = {{"kind", "source"},         {"id", s.slug},
              {"title", s.title},         {"publisher", s.publisher},
              {"published", s.published}, {"url", s.url},
              {"source_kind", s.kind},    {"reliability", s.reliability},
              {"authors", s.authors},     {"marking", MarkingName(s.marking)},
              {"file", s.file},           {"content_hash", s.content_hash},
              {"props", s.props}};
    // A source's own text travels only at or under the export's clearance.
    if (g.filter.SeesSource(s) && !s.text.empty()) j["text"] = s.text;
    out << JsonText(j, -1) << "\n";
  }
  for (const auto& n : g.nodes) {
    json j = NodeJson(n);
    j["kind"] = "node";
    json claims = json::array();
    for (const auto& [src, c] : n.claims) {
      auto it = by_id.find(src);
      if (it == by_id.end() || !g.filter.SeesClaim(c, *it->second)) continue;
      json claim = {{"source", it->second->slug},
                    {"name", c.name},
                    {"aliases", c.aliases},
                    {"props", c.props},
                    {"proposed", c.proposed}};
      if (c.marking > it->second->marking) claim["marking"] = MarkingName(c.marking);
      claims.push_back(std::move(claim));
    }
    j["claims"] = claims;
    if (auto it = g.node_evidence.find(n.id); it != g.node_evidence.end()) {
      json ev = json::array();
      for (const auto& v : it->second) ev.push_back(FullEvidence(v));
      j["evidence"] = ev;
    }
    out << JsonText(j, -1) << "\n";
  }
  for (const auto* list : {&g.edges, &g.refuted})
    for (const auto& e : *list) {
      json j = EdgeJson(e);
      j["kind"] = "edge";
      if (list == &g.refuted) j["refuted"] = true;
      json ev = json::array();
      for (const auto& v : e.evidence) ev.push_back(FullEvidence(v));
      j["evidence"] = ev;
      out << JsonText(j, -1) << "\n";
    }
  for (const auto& o : g.observations) {
    json j = ObservationJson(o);
    j["kind"] = "observation";
    json ev = json::array();
    for (const auto& v : o.evidence) ev.push_back(FullEvidence(v));
    j["evidence"] = ev;
    out << JsonText(j, -1) << "\n";
  }
  return out.str();
}

std::string ToCsvNodes(const GraphExport& g) {
  std::ostringstream out;
  out << "id,type,name,aliases\n";
  for (const auto& n : g.nodes)
    out << Csv(n.slug) << "," << Csv(n.type) << "," << Csv(n.name) << ","
        << Csv(Join(n.aliases, "; ")) << "\n";
  return out.str();
}

std::string ToCsvEdges(const GraphExport& g) {
  std::ostringstream out;
  out << "id,src,type,dst,domain,modality,valid_from,valid_to,confidence,weight,evidence,sources\n";
  for (const auto& e : g.edges) {
    const EdgeQualifiers& q = e.rec.q;
    out << "e" << e.rec.id << "," << Csv(e.src_slug) << "," << e.rec.type << "," << Csv(e.dst_slug)
        << "," << e.rec.domain << "," << ModalityName(q.modality) << "," << q.valid_from << ","
        << q.valid_to << "," << Round4(q.confidence) << "," << Round4(q.weight) << ","
        << e.evidence.size() << "," << Csv(Sources(e)) << "\n";
  }
  return out.str();
}

namespace {

// A label or relationship type in backquotes (sinew's come from the
// schema, but a quoted name cannot break the statement either way).
std::string Quoted(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  return out + "`";
}

// A node's properties as a Cypher map literal, and a link's.
std::string NodeMap(const NodeRecord& n) {
  std::vector<std::string> aliases;
  for (const auto& a : n.aliases) aliases.push_back(CypherString(a));
  return "{id: " + CypherString(n.slug) + ", name: " + CypherString(n.name) + ", aliases: [" +
         Join(aliases, ", ") + "]}";
}
std::string EdgeSets(const std::string& v) {
  std::ostringstream out;
  out << "r.sinew_id = " << v << "sinew_id, r.modality = " << v << "modality, r.confidence = " << v
      << "confidence, r.weight = " << v << "weight, r.valid_from = " << v
      << "valid_from, r.valid_to = " << v << "valid_to, r.evidence = " << v
      << "evidence, r.sources = " << v << "sources";
  return out.str();
}
std::string EdgeMap(const EdgeView& e) {
  const EdgeQualifiers& q = e.rec.q;
  std::ostringstream out;
  out << "{src: " << CypherString(e.src_slug) << ", dst: " << CypherString(e.dst_slug)
      << ", domain: " << CypherString(e.rec.domain)
      << ", sinew_id: " << CypherString("e" + std::to_string(e.rec.id))
      << ", modality: " << CypherString(ModalityName(q.modality))
      << ", confidence: " << Round4(q.confidence) << ", weight: " << Round4(q.weight)
      << ", valid_from: " << CypherString(q.valid_from)
      << ", valid_to: " << CypherString(q.valid_to) << ", evidence: " << e.evidence.size()
      << ", sources: " << CypherString(Sources(e)) << "}";
  return out.str();
}

constexpr size_t kBatch = 500;  // rows per UNWIND statement

}  // namespace

namespace exports {

Labelled LabelledOf(const GraphExport& g) {
  Labelled out;
  for (const auto& n : g.nodes) {
    out.label_of[n.slug] = Label(n.type);
    out.by_label[Label(n.type)].push_back(&n);
  }
  for (const auto& e : g.edges)
    out.groups[{RelType(e.rec.type), out.label_of[e.src_slug], out.label_of[e.dst_slug]}].push_back(
        &e);
  return out;
}

}  // namespace exports

std::string ToCypher(const GraphExport& g, const std::string& dialect) {
  const bool kuzu = dialect == "kuzu";
  auto [label_of, by_label, groups] = LabelledOf(g);
  std::ostringstream out;
  out << "// sinew export (" << dialect << "): " << LeftOutNote(g) << "\n"
      << "// Idempotent: MERGE on node ids and on (src, type, dst, domain).\n";
  if (kuzu) {
    for (const auto& [label, nodes] : by_label)
      out << "CREATE NODE TABLE IF NOT EXISTS " << Quoted(label)
          << "(id STRING, name STRING, aliases STRING[], PRIMARY KEY(id));\n";
    std::map<std::string, std::vector<std::string>> pairs;  // rel type -> FROM a TO b
    for (const auto& [key, edges] : groups)
      pairs[std::get<0>(key)].push_back("FROM " + Quoted(std::get<1>(key)) + " TO " +
                                        Quoted(std::get<2>(key)));
    for (const auto& [type, from_to] : pairs)
      out << "CREATE REL TABLE IF NOT EXISTS " << Quoted(type) << "(" << Join(from_to, ", ")
          << ", domain STRING, sinew_id STRING, modality STRING, confidence DOUBLE, weight "
             "DOUBLE, valid_from STRING, valid_to STRING, evidence INT64, sources STRING);\n";
    for (const auto& n : g.nodes) {
      std::vector<std::string> aliases;
      for (const auto& a : n.aliases) aliases.push_back(CypherString(a));
      out << "MERGE (n:" << Quoted(label_of[n.slug]) << " {id: " << CypherString(n.slug)
          << "}) SET n.name = " << CypherString(n.name) << ", n.aliases = [" << Join(aliases, ", ")
          << "];\n";
    }
    for (const auto& e : g.edges)
      out << "WITH " << EdgeMap(e) << " AS row MATCH (a:" << Quoted(label_of[e.src_slug])
          << " {id: row.src}), (b:" << Quoted(label_of[e.dst_slug])
          << " {id: row.dst}) MERGE (a)-[r:" << Quoted(RelType(e.rec.type))
          << " {domain: row.domain}]->(b) SET " << EdgeSets("row.") << ";\n";
    return out.str();
  }
  for (const auto& [label, nodes] : by_label) {
    if (dialect == "memgraph")
      out << "CREATE CONSTRAINT ON (n:" << Quoted(label) << ") ASSERT n.id IS UNIQUE;\n"
          << "CREATE INDEX ON :" << Quoted(label) << "(id);\n";
    else
      out << "CREATE CONSTRAINT " << Quoted("sinew_" + label + "_id")
          << " IF NOT EXISTS FOR (n:" << Quoted(label) << ") REQUIRE n.id IS UNIQUE;\n";
  }
  for (const auto& [label, nodes] : by_label)
    for (size_t at = 0; at < nodes.size(); at += kBatch) {
      std::vector<std::string> rows;
      for (size_t k = at; k < std::min(nodes.size(), at + kBatch); ++k)
        rows.push_back(NodeMap(*nodes[k]));
      out << "UNWIND [" << Join(rows, ",\n  ") << "] AS row\nMERGE (n:" << Quoted(label)
          << " {id: row.id}) SET n.name = row.name, n.aliases = row.aliases;\n";
    }
  for (const auto& [key, edges] : groups)
    for (size_t at = 0; at < edges.size(); at += kBatch) {
      std::vector<std::string> rows;
      for (size_t k = at; k < std::min(edges.size(), at + kBatch); ++k)
        rows.push_back(EdgeMap(*edges[k]));
      out << "UNWIND [" << Join(rows, ",\n  ") << "] AS row\nMATCH (a:" << Quoted(std::get<1>(key))
          << " {id: row.src}), (b:" << Quoted(std::get<2>(key))
          << " {id: row.dst})\nMERGE (a)-[r:" << Quoted(std::get<0>(key))
          << " {domain: row.domain}]->(b) SET " << EdgeSets("row.") << ";\n";
    }
  return out.str();
}

}  // namespace sinew::query
