// The CSV bundle (export --format csv-bundle -o DIR): the graph as the bulk
// loaders of Kùzu (COPY) and Neo4j (neo4j-admin database import) read it,
// one file per node label and per (link type, source label, target label),
// with the statements or the command that load them.
#include <map>
#include <sstream>
#include <tuple>

#include "query/export.h"
#include "query/export_text.h"
#include "query/render.h"

namespace sinew::query {
namespace {

using namespace exports;

// A link's columns after its two ends, in the order both loaders read them.
std::string LinkColumns(const EdgeView& e) {
  const EdgeQualifiers& q = e.rec.q;
  std::ostringstream out;
  out << Csv(e.rec.domain) << "," << Csv("e" + std::to_string(e.rec.id)) << ","
      << ModalityName(q.modality) << "," << Round4(q.confidence) << "," << Round4(q.weight) << ","
      << Csv(q.valid_from) << "," << Csv(q.valid_to) << "," << e.evidence.size() << ","
      << Csv(Sources(e));
  return out.str();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ToCsvBundle(const GraphExport& g) {
  auto [label_of, by_label, groups] = LabelledOf(g);
  auto rel_file = [](const auto& key) {
    return "rels_" + std::get<0>(key) + "_" + std::get<1>(key) + "_" + std::get<2>(key) + ".csv";
  };
  std::vector<std::pair<std::string, std::string>> files;
  std::ostringstream kuzu, neo4j;
  kuzu << "// Run in this folder: kuzu DB < load.cypher. " << LeftOutNote(g) << "\n";
  neo4j << "#!/bin/sh\n# " << LeftOutNote(g)
        << "\n# Run in this folder, with Neo4j stopped: sh import.sh [DATABASE]\n"
        << "exec neo4j-admin database import full --array-delimiter=';' \\\n";
  for (const auto& [label, nodes] : by_label) {
    kuzu << "CREATE NODE TABLE IF NOT EXISTS `" << label
         << "`(id STRING, name STRING, aliases STRING, PRIMARY KEY(id));\n";
    std::ostringstream k, n4;
    k << "id,name,aliases\n";
    n4 << "id:ID,name,aliases:string[]\n";
    for (const NodeRecord* n : nodes) {
      k << Csv(n->slug) << "," << Csv(n->name) << "," << Csv(Join(n->aliases, "; ")) << "\n";
      std::vector<std::string> aliases;  // ';' separates the array's items
      for (std::string a : n->aliases) {
        for (char& c : a)
          if (c == ';') c = ',';
        aliases.push_back(a);
      }
      n4 << Csv(n->slug) << "," << Csv(n->name) << "," << Csv(Join(aliases, ";")) << "\n";
    }
    files.push_back({"kuzu/nodes_" + label + ".csv", k.str()});
    files.push_back({"neo4j/nodes_" + label + ".csv", n4.str()});
    neo4j << "  --nodes=" << label << "=nodes_" << label << ".csv \\\n";
  }
  std::map<std::string, std::vector<std::string>> pairs;  // rel type -> FROM a TO b
  for (const auto& [key, edges] : groups)
    pairs[std::get<0>(key)].push_back("FROM `" + std::get<1>(key) + "` TO `" + std::get<2>(key) +
                                      "`");
  for (const auto& [type, from_to] : pairs)
    kuzu << "CREATE REL TABLE IF NOT EXISTS `" << type << "`(" << Join(from_to, ", ")
         << ", domain STRING, sinew_id STRING, modality STRING, confidence DOUBLE, weight DOUBLE, "
            "valid_from STRING, valid_to STRING, evidence INT64, sources STRING);\n";
  for (const auto& [label, nodes] : by_label)
    kuzu << "COPY `" << label << "` FROM 'nodes_" << label << ".csv' (header=true);\n";
  for (const auto& [key, edges] : groups) {
    std::ostringstream k, n4;
    k << "from,to,domain,sinew_id,modality,confidence,weight,valid_from,valid_to,evidence,"
         "sources\n";
    n4 << ":START_ID,:END_ID,domain,sinew_id,modality,confidence:double,weight:double,valid_from,"
          "valid_to,evidence:int,sources\n";
    for (const EdgeView* e : edges) {
      std::string ends = Csv(e->src_slug) + "," + Csv(e->dst_slug) + ",";
      k << ends << LinkColumns(*e) << "\n";
      n4 << ends << LinkColumns(*e) << "\n";
    }
    files.push_back({"kuzu/" + rel_file(key), k.str()});
    files.push_back({"neo4j/" + rel_file(key), n4.str()});
    kuzu << "COPY `" << std::get<0>(key) << "` FROM '" << rel_file(key) << "' (from='"
         << std::get<1>(key) << "', to='" << std::get<2>(key) << "', header=true);\n";
    neo4j << "  --relationships=" << std::get<0>(key) << "=" << rel_file(key) << " \\\n";
  }
  neo4j << "  \"${1:-neo4j}\"\n";
  files.push_back({"kuzu/load.cypher", kuzu.str()});
  files.push_back({"neo4j/import.sh", neo4j.str()});
  return files;
}

}  // namespace sinew::query
