// `sinew export`: the graph, a neighbourhood or a chain for other tools, at
// TLP:GREEN unless told otherwise; what was left out goes to standard error
// so the answer stays clean data.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>

#include "cli/command_table.h"

namespace sinew::cli {

Status RunExport(Call& call, std::ostream& out) {
  std::ostream& note = std::cerr;
  const Context& c = call.ctx();
  const ExportArgs& args = call.inv.exp;
  static const std::set<std::string> kFormats = {"graphml",    "dot",    "jsonl", "csv",
                                                 "csv-bundle", "cypher", "json",  "stix"};
  if (!kFormats.count(c.format))
    return Status::Usage("export --format is graphml, dot, jsonl, csv, csv-bundle, cypher or stix");
  if (!args.around.empty() && !args.chain.empty())
    return Status::Usage("export takes --around or --chain, not both");
  if (args.dialect != "neo4j" && c.format != "cypher")
    return Status::Usage("--dialect goes with --format cypher");
  const Asker* s = call.asker;
  Result<query::GraphExport> g = query::ExportGraph(*s->view, s->q.filter);
  if (!g.ok()) return g.status();
  if (!args.around.empty()) {
    Result<NodeRecord> n = query::ResolveNode(*s->view, args.around, s->q.filter);
    if (!n.ok()) return n.status();
    query::Restrict(&g.value(), query::Around(g.value(), n->slug, args.depth), nullptr);
  } else if (!args.chain.empty()) {
    Result<query::ChainsAnswer> a =
        query::Chains(*s->view, args.chain[0], args.chain[1], args.max_depth, args.limit, s->q);
    if (!a.ok()) return a.status();
    std::set<std::string> nodes;
    std::set<EdgeId> edges;
    for (const auto& chain : a->chains)
      for (const auto& e : chain.edges) {
        nodes.insert(e.src_slug);
        nodes.insert(e.dst_slug);
        edges.insert(e.rec.id);
      }
    query::Restrict(&g.value(), nodes, &edges);
  }
  note << query::LeftOutNote(g.value()) << "\n";
  if (c.format == "csv-bundle") {
    if (c.output.empty() || c.output == "-")
      return Status::Usage("export --format csv-bundle writes a folder: give -o DIR");
    std::vector<std::pair<std::string, std::string>> files = query::ToCsvBundle(g.value());
    for (const char* sub : {"/kuzu", "/neo4j"}) {
      std::error_code ec;
      std::filesystem::create_directories(c.output + sub, ec);
      if (ec) return Status::Io("cannot create " + c.output + sub + ": " + ec.message());
    }
    for (const auto& [name, text] : files) {
      std::ofstream f(c.output + "/" + name, std::ios::binary);
      f << text;
      if (!f) return Status::Io("cannot write " + c.output + "/" + name);
    }
    out << "wrote " << files.size() << " files to " << c.output
        << " (kuzu/load.cypher, neo4j/import.sh and their CSVs)\n";
    return Status::Ok();
  }
  if (c.format == "csv") {
    if (c.output.empty())
      return Status::Usage("export --format csv writes nodes.csv and edges.csv: give -o DIR");
    std::error_code ec;
    std::filesystem::create_directories(c.output, ec);
    if (ec) return Status::Io("cannot create " + c.output + ": " + ec.message());
    for (auto [name, text] : {std::pair{"/nodes.csv", query::ToCsvNodes(g.value())},
                              std::pair{"/edges.csv", query::ToCsvEdges(g.value())}}) {
      std::ofstream f(c.output + name, std::ios::binary);
      f << text;
      if (!f) return Status::Io("cannot write " + c.output + name);
    }
    out << "wrote " << c.output << "/nodes.csv and " << c.output << "/edges.csv\n";
    return Status::Ok();
  }
  std::string text;
  if (c.format == "graphml")
    text = query::ToGraphMl(g.value());
  else if (c.format == "jsonl" || c.format == "json")
    text = query::ToJsonLines(g.value());
  else if (c.format == "cypher")
    text = query::ToCypher(g.value(), args.dialect);
  else if (c.format == "stix") {
    int contradicting = 0;
    text = query::ToStix(g.value(), NowIso(), &contradicting);
    if (contradicting > 0)
      note << contradicting
           << " contradicting evidence records left out: STIX cannot say a relationship does "
              "not hold (the jsonl export keeps them)\n";
  } else {
    std::vector<const query::EdgeView*> edges;
    for (const auto& e : g->edges) edges.push_back(&e);
    text = query::Dot("sinew export (" + g->clearance + ")", edges, g->nodes, {});
  }
  return WriteAnswer(c, text, out);
}

}  // namespace sinew::cli
