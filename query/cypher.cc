// The public face of the Cypher engine: runs a query on a scratch graph and
// renders its values in Cypher's literal notation.
#include "query/cypher.h"

#include <sstream>

#include "query/query.h"
#include "query/render.h"
#include "store/memory.h"

namespace sinew::query {
namespace cypher_text {

using cypher::Value;

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string Key(const std::string& k) {
  bool plain = !k.empty() && !std::isdigit(static_cast<unsigned char>(k[0]));
  for (char c : k) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  return plain ? k : "`" + k + "`";
}

}  // namespace cypher_text

std::string RenderCypherValue(const cypher::Value& v, const cypher::PropertyGraph& g) {
  using cypher_text::Key;
  auto props = [&](const cypher::Map& m) {
    std::string s;
    for (const auto& [k, x] : m)
      s += (s.empty() ? "{" : ", ") + Key(k) + ": " + RenderCypherValue(x, g);
    return s.empty() ? s : s + "}";
  };
  auto node = [&](uint64_t id) {
    std::string s = "(";
    for (const auto& l : g.Labels(id)) s += ":" + Key(l);
    std::string p = props(g.NodeProperties(id));
    if (!p.empty()) s += (s.size() > 1 ? " " : "") + p;
    return s + ")";
  };
  auto rel = [&](uint64_t id) {
    std::string s = "[:" + Key(g.Relationship(id).type);
    std::string p = props(g.RelProperties(id));
    if (!p.empty()) s += " " + p;
    return s + "]";
  };
  if (v.IsNull()) return "null";
  if (v.IsBool()) return v.AsBool() ? "true" : "false";
  if (v.IsInt()) return std::to_string(v.AsInt());
  if (v.IsFloat()) return cypher::FormatFloat(v.AsFloat());
  if (v.IsString()) return cypher_text::Quote(v.AsString());
  if (v.IsList()) {
    std::string s = "[";
    for (size_t i = 0; i < v.AsList().size(); ++i)
      s += (i ? ", " : "") + RenderCypherValue(v.AsList()[i], g);
    return s + "]";
  }
  if (v.IsMap()) {
    std::string p = props(v.AsMap());
    return p.empty() ? "{}" : p;
  }
  if (v.IsNode()) return node(v.AsNode().id);
  if (v.IsRel()) return rel(v.AsRel().id);
  const cypher::PathValue& p = v.AsPath();
  std::string s = "<" + node(p.nodes[0]);
  for (size_t i = 0; i < p.rels.size(); ++i) {
    bool forward = g.Relationship(p.rels[i]).src == p.nodes[i];
    s += (forward ? "-" : "<-") + rel(p.rels[i]) + (forward ? "->" : "-") + node(p.nodes[i + 1]);
  }
  return s + ">";
}

nlohmann::json CypherJson(const cypher::Value& v, const cypher::PropertyGraph& g) {
  using cypher::Map;
  using cypher::Value;
  if (v.IsNull()) return nullptr;
  if (v.IsBool()) return v.AsBool();
  if (v.IsInt()) return v.AsInt();
  if (v.IsFloat()) return v.AsFloat();
  if (v.IsString()) return v.AsString();
  if (v.IsList()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& x : v.AsList()) a.push_back(CypherJson(x, g));
    return a;
  }
  auto props = [&](const Map& m) {
    nlohmann::json o = nlohmann::json::object();
    for (const auto& [k, x] : m) o[k] = CypherJson(x, g);
    return o;
  };
  if (v.IsMap()) return props(v.AsMap());
  if (v.IsNode())
    return {{"labels", g.Labels(v.AsNode().id)},
            {"properties", props(g.NodeProperties(v.AsNode().id))}};
  if (v.IsRel()) {
    cypher::RelInfo r = g.Relationship(v.AsRel().id);
    return {{"type", r.type},
            {"start", props(g.NodeProperties(r.src))["id"]},
            {"end", props(g.NodeProperties(r.dst))["id"]},
            {"properties", props(g.RelProperties(v.AsRel().id))}};
  }
  const cypher::PathValue& p = v.AsPath();
  nlohmann::json nodes = nlohmann::json::array(), rels = nlohmann::json::array();
  for (uint64_t n : p.nodes) nodes.push_back(CypherJson(Value(cypher::NodeRef{n}), g));
  for (uint64_t r : p.rels) rels.push_back(CypherJson(Value(cypher::RelRef{r}), g));
  return {{"nodes", nodes}, {"relationships", rels}};
}

cypher::Limits QueryLimits(const std::atomic<bool>* cancel) {
  cypher::Limits limits;
  limits.allocated = AllocatedBytes;
  limits.cancel = cancel;
  return limits;
}

Status CypherStatus(const cypher::Error& e) {
  if (e.detail == "Cancelled") return Status::Cancelled();
  SourcePlace place;
  place.line = e.line;
  place.column = e.column;
  return Status::Invalid(e.type + " (" + e.detail + "): " + e.what(), place);
}

Result<cypher::Table> RunCypher(const std::string& text, cypher::PropertyGraph* graph,
                                const cypher::Map& params, const cypher::Procedures* procedures,
                                const cypher::Limits& limits) {
  cypher::Outcome outcome = cypher::Run(text, graph, params, procedures, limits);
  if (!outcome.error) return std::move(outcome.table);
  const cypher::Error& e = *outcome.error;
  Status s = CypherStatus(e);
  if (e.line <= 0) return s;
  // Point at the place in the query.
  std::string line;
  std::istringstream in(text);
  for (int i = 0; i < e.line && std::getline(in, line); ++i) {
  }
  size_t col = 0, cp = 1;
  for (; col < line.size() && cp < static_cast<size_t>(e.column); ++col)
    if ((static_cast<unsigned char>(line[col]) & 0xC0) != 0x80) ++cp;
  std::string caret;
  for (size_t i = 0; i < col; ++i) caret += line[i] == '\t' ? '\t' : ' ';
  SourcePlace place = s.place();
  place.file = "query";
  return Status::Invalid(s.message() + "\n  " + line + "\n  " + caret + "^", place);
}

Result<cypher::Map> CypherParams(const std::map<std::string, std::string>& literals) {
  cypher::Map values;
  cypher::MemoryGraph none;  // a value needs no graph
  for (const auto& [name, literal] : literals) {
    cypher::Limits small;
    small.steps = 100000;
    Result<cypher::Table> t = RunCypher("RETURN " + literal + " AS v", &none, {}, nullptr, small);
    if (!t.ok()) return Status::Usage("parameter $" + name + ": " + t.status().message());
    if (t->rows.size() != 1 || t->columns.size() != 1)
      return Status::Usage("parameter $" + name + ": '" + literal + "' is not one value");
    values[name] = t->rows[0][0];
  }
  return values;
}

struct ScratchGraph::Impl {
  cypher::MemoryGraph graph;
  cypher::Limits limits = QueryLimits(nullptr);
};

void ScratchGraph::LimitWork(uint64_t steps) { impl_->limits.steps = steps; }

ScratchGraph::ScratchGraph() : impl_(std::make_unique<Impl>()) {}
ScratchGraph::~ScratchGraph() = default;

Result<CypherTable> ScratchGraph::Run(const std::string& text,
                                      const std::map<std::string, std::string>& params) {
  Result<cypher::Map> values = CypherParams(params);
  if (!values.ok()) return values.status();
  Result<cypher::Table> t = RunCypher(text, &impl_->graph, values.value(), nullptr, impl_->limits);
  if (!t.ok()) return t.status();
  CypherTable out;
  out.columns = t->columns;
  for (const auto& row : t->rows) {
    std::vector<std::string> r;
    std::vector<nlohmann::json> j;
    for (const auto& v : row) {
      r.push_back(RenderCypherValue(v, impl_->graph));
      j.push_back(CypherJson(v, impl_->graph));
    }
    out.rows.push_back(std::move(r));
    out.json.push_back(std::move(j));
  }
  return out;
}

GraphCounts ScratchGraph::Counts() const {
  return GraphCounts{impl_->graph.node_count(), impl_->graph.relationship_count(),
                     impl_->graph.labels_in_use().size(), impl_->graph.property_count()};
}

}  // namespace sinew::query
