// Test support: a store built from short lines such as
//   "a depends_on b trade s=0.8 r=0.2 c=2"
// (s strength, r replaceability, c credibility, m modality, f/t valid span).
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "store/store.h"
#include "tests/support/temp_dir.h"

namespace sinew::testing {

inline const char* kGraphSchema = R"({
  "node_types": {"thing": ""},
  "edge_types": {
    "depends_on": {"forward": "depends on", "reverse": "is depended on by"},
    "substitutes_for": {},
    "causes": {},
    "cooperates_with": {"directed": false}
  },
  "edge_type_order": ["depends_on", "substitutes_for", "causes", "cooperates_with"],
  "domains": {"trade": "", "technology": ""},
  "domain_order": ["trade", "technology"]
})";

inline std::unique_ptr<Store> GraphStore(const TempDir& dir, const std::vector<std::string>& lines,
                                         const std::string& name = "db") {
  auto created = Store::Create(dir / name, kGraphSchema, "graph-schema");
  if (!created.ok()) throw std::runtime_error(created.status().ToString());
  Batch b;
  b.file = "fixture";
  b.source.slug = "fixture";
  b.source.title = "fixture";
  b.source.reliability = "A";
  std::vector<std::string> seen;
  auto node = [&](const std::string& slug) {
    for (const auto& s : seen)
      if (s == slug) return;
    seen.push_back(slug);
    NodeDraft n;
    n.slug = slug;
    n.type = "thing";
    b.nodes.push_back(n);
  };
  int k = 0;
  for (const auto& line : lines) {
    std::istringstream in(line);
    EdgeDraft e;
    in >> e.src >> e.type >> e.dst >> e.domain;
    node(e.src);
    node(e.dst);
    EvidenceDraft ev;
    ev.key = "k" + std::to_string(k++);
    ev.quote = line;
    ev.credibility = 1;
    ev.modality = Modality::kObserved;
    std::string opt;
    while (in >> opt) {
      std::string v = opt.size() > 2 ? opt.substr(2) : "";
      switch (opt[0]) {
        case 's':
          ev.strength = std::stod(v);
          break;
        case 'r':
          ev.replaceability = std::stod(v);
          break;
        case 'c':
          ev.credibility = std::stoi(v);
          break;
        case 'f':
          ev.valid_from = v;
          break;
        case 't':
          ev.valid_to = v;
          break;
        case 'm':
          ev.modality = ParseModality(v).value();
          break;
        case 'p':
          ev.status = EvidenceStatus::kProposed;
          break;
      }
    }
    e.evidence.push_back(ev);
    b.edges.push_back(e);
  }
  auto applied = (*created)->Apply(b);
  if (!applied.ok()) throw std::runtime_error(applied.status().ToString());
  return std::move(created).value();
}

inline NodeId Id(const StoreView& view, const std::string& slug) {
  auto n = view.NodeBySlug(slug);
  if (!n.ok()) throw std::runtime_error("no node " + slug);
  return n->id;
}

}  // namespace sinew::testing
