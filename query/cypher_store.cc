// A sinew store as a read-only property graph for Cypher, seen as one asker
// sees it: only nodes and links the filter admits, links' qualifiers
// re-derived from the evidence within clearance. Node labels are node types;
// relationship types are edge types; properties are the node's id, name,
// aliases and properties, and the link's derived qualifiers and evidence
// counts. The named analyses are procedures: CALL sinew.chains(...).
#include <algorithm>
#include <unordered_map>
#include <map>
#include <set>

#include "query/cypher.h"
#include "query/query.h"
#include "query/render.h"

namespace sinew::query {
namespace {

using cypher::List;
using cypher::Map;
using cypher::Value;

Value FromJson(const nlohmann::json& j) {
  if (j.is_null()) return Value();
  if (j.is_boolean()) return Value(j.get<bool>());
  if (j.is_number_integer()) return Value(j.get<int64_t>());
  if (j.is_number()) return Value(j.get<double>());
  if (j.is_string()) return Value(j.get<std::string>());
  if (j.is_array()) {
    List l;
    for (const auto& x : j) l.push_back(FromJson(x));
    return Value(std::move(l));
  }
  Map m;
  for (const auto& [k, v] : j.items()) m[k] = FromJson(v);
  return Value(std::move(m));
}

class StoreGraph : public cypher::PropertyGraph {
 public:
  StoreGraph(const StoreView& view, const EdgeFilter& filter) : view_(view), filter_(filter) {}

  std::vector<uint64_t> Nodes() const override {
    if (!nodes_) {
      nodes_.emplace();
      (void)view_.ForEachNode([&](const NodeRecord& n) {
        if (NodeVisible(view_, n, filter_)) nodes_->push_back(n.id);
        return true;
      });
      std::sort(nodes_->begin(), nodes_->end());
    }
    return *nodes_;
  }
  // The store's schema closes its vocabulary: a misspelt label is an error,
  // not an empty answer.
  std::optional<std::set<std::string>> KnownLabels() const override {
    std::set<std::string> out;
    for (const auto& [name, about] : view_.schema().node_types()) out.insert(name);
    return out;
  }
  std::optional<std::set<std::string>> KnownTypes() const override {
    std::set<std::string> out;
    for (const auto& t : view_.schema().edge_types()) out.insert(t.name);
    return out;
  }
  std::vector<uint64_t> NodesWithLabel(const std::string& label) const override {
    std::vector<uint64_t> out;
    for (uint64_t id : Nodes())
      if (Node(id).type == label) out.push_back(id);
    return out;
  }
  // A node's id is its slug: the store finds it without a scan.
  std::optional<std::vector<uint64_t>> NodesWithProperty(const std::string& key,
                                                         const Value& value) const override {
    if (key != "id") return std::nullopt;
    if (!value.IsString()) return std::vector<uint64_t>{};
    Result<NodeRecord> n = view_.NodeBySlug(value.AsString());
    if (!n.ok() || !NodeVisible(view_, n.value(), filter_)) return std::vector<uint64_t>{};
    node_cache_.emplace(n->id, n.value());
    return std::vector<uint64_t>{n->id};
  }
  std::vector<std::string> Labels(uint64_t node) const override { return {Node(node).type}; }
  Map NodeProperties(uint64_t node) const override {
    const NodeRecord& n = Node(node);
    Map m;
    for (const auto& [k, v] : n.props.items()) m[k] = FromJson(v);
    m["id"] = Value(n.slug);
    m["name"] = Value(n.name);
    List aliases;
    for (const auto& a : n.aliases) aliases.push_back(Value(a));
    m["aliases"] = Value(std::move(aliases));
    return m;
  }
  cypher::RelInfo Relationship(uint64_t rel) const override {
    if (auto it = rels_.find(rel); it != rels_.end()) return it->second;
    Result<EdgeRecord> e = view_.EdgeById(rel);
    if (!e.ok()) return {};
    return rels_.emplace(rel, cypher::RelInfo{e->src, e->dst, e->type}).first->second;
  }
  Map RelProperties(uint64_t rel) const override {
    const EdgeView* e = Edge(rel);
    if (!e) return {};
    const EdgeQualifiers& q = e->rec.q;
    Map m;
    m["id"] = Value("e" + std::to_string(rel));
    m["domain"] = Value(e->rec.domain);
    m["strength"] = Value(Round4(q.strength));
    m["replaceability"] = Value(Round4(q.replaceability));
    m["confidence"] = Value(Round4(q.confidence));
    m["weight"] = Value(Round4(q.weight));
    m["score"] = Value(Round4(q.weight * q.confidence));  // expected weight, docs/scoring.md
    m["modality"] = Value(ModalityName(q.modality));
    m["status"] = Value(EvidenceStatusName(q.status));
    m["evidence"] = Value(static_cast<int64_t>(e->evidence.size()));
    m["supporting"] = Value(static_cast<int64_t>(q.supporting));
    m["contradicting"] = Value(static_cast<int64_t>(q.contradicting));
    if (!q.valid_from.empty()) m["valid_from"] = Value(q.valid_from);
    if (!q.valid_to.empty()) m["valid_to"] = Value(q.valid_to);
    List sources;
    for (const auto& ev : e->evidence)
      if (std::none_of(sources.begin(), sources.end(),
                       [&](const Value& s) { return s.AsString() == ev.source_slug; }))
        sources.push_back(Value(ev.source_slug));
    m["sources"] = Value(std::move(sources));
    return m;
  }
  // The links the asker may see, from the adjacency rows alone (Admit weighs
  // the evidence within clearance; an out row's node is the link's stored
  // source, an in row's its target): a walk past 4,000 designations reads
  // no edge record, no evidence and no endpoint.
  std::vector<uint64_t> Relationships(uint64_t node, bool out) const override {
    std::vector<uint64_t> rels;
    (void)view_.ForEachAdjacent(
        node, out ? Direction::kOut : Direction::kIn, 0, [&](const AdjacencyEntry& row) {
          const EdgeTypeInfo* t = view_.schema().EdgeTypeByCode(row.type);
          if (t == nullptr || !graph::Admit(view_, row, filter_).has_value()) return true;
          rels_.try_emplace(row.edge, cypher::RelInfo{out ? row.node : row.other,
                                                      out ? row.other : row.node, t->name});
          rels.push_back(row.edge);
          return true;
        });
    std::sort(rels.begin(), rels.end());
    rels.erase(std::unique(rels.begin(), rels.end()), rels.end());
    return rels;
  }
  uint64_t CreateNode(const std::vector<std::string>&, const Map&) override { ReadOnly(); }
  uint64_t CreateRelationship(uint64_t, const std::string&, uint64_t, const Map&) override {
    ReadOnly();
  }

 private:
  [[noreturn]] static void ReadOnly() {
    throw cypher::Error("SemanticError", "ReadOnlyStore",
                        "a sinew store changes only through ingested notes; sketch with CREATE "
                        "in a scratch graph (sinew query --scratch)",
                        0, 0, false);
  }
  const NodeRecord& Node(uint64_t id) const {
    auto it = node_cache_.find(id);
    if (it == node_cache_.end()) {
      Result<NodeRecord> n = view_.NodeById(id);
      it = node_cache_.emplace(id, n.ok() ? n.value() : NodeRecord{}).first;
    }
    return it->second;
  }
  const EdgeView* Edge(uint64_t id) const {
    auto it = edge_cache_.find(id);
    if (it == edge_cache_.end()) {
      Result<EdgeView> e = LoadEdge(view_, id, filter_);
      it =
          edge_cache_.emplace(id, e.ok() ? std::optional<EdgeView>(e.value()) : std::nullopt).first;
    }
    return it->second ? &*it->second : nullptr;
  }

  const StoreView& view_;
  EdgeFilter filter_;
  mutable std::optional<std::vector<uint64_t>> nodes_;
  mutable std::map<uint64_t, NodeRecord> node_cache_;
  mutable std::map<uint64_t, std::optional<EdgeView>> edge_cache_;
  mutable std::unordered_map<uint64_t, cypher::RelInfo> rels_;  // from adjacency rows
};

// Named options of a procedure's map argument. A key the procedure does not
// know, or a value of the wrong type, is an error: a misspelt maxDepth must
// not quietly become the default.
class Options {
 public:
  Options(const std::vector<Value>& args, size_t at, const char* proc,
          std::vector<std::string> known)
      : proc_(proc), known_(std::move(known)) {
    if (args.size() <= at) return;
    if (!args[at].IsMap())
      throw cypher::Error(
          "TypeError", "InvalidArgumentType",
          std::string(proc) + ": options must be a map such as {" + known_[0] + ": ...}", 0, 0,
          false);
    map_ = &args[at].AsMap();
    for (const auto& [key, value] : *map_)
      if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
        std::string all;
        for (const auto& k : known_) all += (all.empty() ? "" : ", ") + k;
        throw cypher::Error("SyntaxError", "InvalidArgumentType",
                            std::string(proc) + ": no option '" + key + "' (options: " + all + ")",
                            0, 0, false);
      }
  }
  int64_t Int(const std::string& key, int64_t fallback, int64_t lo, int64_t hi) const {
    const Value* v = Find(key);
    if (!v) return fallback;
    if (!v->IsInt() || v->AsInt() < lo || v->AsInt() > hi)
      Wrong(key, "an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v->AsInt();
  }
  bool Bool(const std::string& key, bool fallback) const {
    const Value* v = Find(key);
    if (!v) return fallback;
    if (!v->IsBool()) Wrong(key, "true or false");
    return v->AsBool();
  }
  std::string String(const std::string& key, const std::string& fallback) const {
    const Value* v = Find(key);
    if (!v) return fallback;
    if (!v->IsString()) Wrong(key, "a string");
    return v->AsString();
  }

 private:
  const Value* Find(const std::string& key) const {
    if (!map_) return nullptr;
    auto it = map_->find(key);
    return it == map_->end() || it->second.IsNull() ? nullptr : &it->second;
  }
  [[noreturn]] void Wrong(const std::string& key, const std::string& want) const {
    throw cypher::Error("TypeError", "InvalidArgumentType",
                        std::string(proc_) + ": option " + key + " must be " + want, 0, 0, false);
  }
  const char* proc_;
  std::vector<std::string> known_;
  const Map* map_ = nullptr;
};

std::string Text(const Value& v, const char* proc, const char* what) {
  if (v.IsString()) return v.AsString();
  throw cypher::Error("TypeError", "InvalidArgumentType",
                      std::string(proc) + ": " + what + " must be a node id or name (a string)", 0,
                      0, false);
}

Value PathOf(const ChainView& c, const StoreView& view) {
  cypher::PathValue p;
  for (const auto& slug : c.nodes) {
    Result<NodeRecord> n = view.NodeBySlug(slug);
    p.nodes.push_back(n.ok() ? n->id : 0);
  }
  for (const auto& e : c.edges) p.rels.push_back(e.rec.id);
  return Value(std::move(p));
}

[[noreturn]] void Failed(const Status& s, const char* proc) {
  throw cypher::Error("ProcedureError", "ProcedureCallFailed",
                      std::string(proc) + ": " + s.message(), 0, 0, false);
}

cypher::Procedures ProceduresOn(const StoreView& view, const Question& q) {
  cypher::Procedures p;
  auto chains = [&view, &q](const char* name, bool path_only) {
    return [&view, &q, name, path_only](const std::vector<Value>& args) {
      if (args.size() < 2 || args.size() > 3)
        throw cypher::Error("SyntaxError", "InvalidNumberOfArguments",
                            std::string(name) + " takes (from, to[, {options}])");
      Options o = path_only ? Options(args, 2, name, {"mode"})
                            : Options(args, 2, name, {"maxDepth", "limit"});
      std::string from = Text(args[0], name, "from"), to = Text(args[1], name, "to");
      Result<ChainsAnswer> a =
          path_only ? PathBetween(view, from, to, o.String("mode", "strongest"), q)
                    : Chains(view, from, to, static_cast<int>(o.Int("maxDepth", 4, 1, 12)),
                             static_cast<size_t>(o.Int("limit", 10, 1, 1000)), q);
      if (!a.ok()) Failed(a.status(), name);
      cypher::Table t;
      t.columns = {"rank", "score", "confidence", "hops", "path"};
      int64_t rank = 0;
      for (const auto& c : a->chains)
        t.rows.push_back({Value(++rank), Value(Round4(c.score)), Value(Round4(c.confidence)),
                          Value(static_cast<int64_t>(c.edges.size())), PathOf(c, view)});
      return t;
    };
  };
  p["sinew.chains"] = chains("sinew.chains", false);
  p["sinew.path"] = chains("sinew.path", true);
  p["sinew.impact"] = [&view, &q](const std::vector<Value>& args) {
    if (args.empty() || args.size() > 2)
      throw cypher::Error("SyntaxError", "InvalidNumberOfArguments",
                          "sinew.impact takes (node[, {limit: N}])");
    Options o(args, 1, "sinew.impact", {"limit"});
    Result<ImpactAnswer> a = Impact(view, Text(args[0], "sinew.impact", "node"), q,
                                    static_cast<size_t>(o.Int("limit", 50, 1, 100000)));
    if (!a.ok()) Failed(a.status(), "sinew.impact");
    cypher::Table t;
    t.columns = {"node", "exposure", "cut_off"};
    for (const auto& x : a->exposed)
      t.rows.push_back(
          {Value(cypher::NodeRef{x.node.id}), Value(Round4(x.score)), Value(x.cut_off)});
    return t;
  };
  p["sinew.deps"] = [&view, &q](const std::vector<Value>& args) {
    if (args.empty() || args.size() > 2)
      throw cypher::Error("SyntaxError", "InvalidNumberOfArguments",
                          "sinew.deps takes (node[, {depth: N, reverse: true}])");
    Options o(args, 1, "sinew.deps", {"depth", "reverse"});
    Result<DepsAnswer> a = Deps(view, Text(args[0], "sinew.deps", "node"), o.Bool("reverse", false),
                                static_cast<int>(o.Int("depth", 3, 1, 32)), q);
    if (!a.ok()) Failed(a.status(), "sinew.deps");
    cypher::Table t;
    t.columns = {"depth", "relationship"};
    for (const auto& h : a->edges)
      t.rows.push_back({Value(int64_t{h.depth}), Value(cypher::RelRef{h.edge.rec.id})});
    return t;
  };
  return p;
}

// A compact cell for a terminal table: nodes by id and type, links by id
// and type, paths hop by hop.
std::string Cell(const Value& v, const cypher::PropertyGraph& g) {
  auto slug = [&](uint64_t n) {
    Map m = g.NodeProperties(n);
    auto it = m.find("id");
    return it != m.end() && it->second.IsString() ? it->second.AsString() : std::to_string(n);
  };
  if (v.IsString()) return v.AsString();
  if (v.IsNode()) return "(" + slug(v.AsNode().id) + ":" + g.Labels(v.AsNode().id).at(0) + ")";
  if (v.IsRel()) {
    cypher::RelInfo r = g.Relationship(v.AsRel().id);
    return slug(r.src) + " -[" + r.type + " e" + std::to_string(v.AsRel().id) + "]-> " +
           slug(r.dst);
  }
  if (v.IsPath()) {
    const cypher::PathValue& p = v.AsPath();
    std::string s = slug(p.nodes[0]);
    for (size_t i = 0; i < p.rels.size(); ++i) {
      cypher::RelInfo r = g.Relationship(p.rels[i]);
      bool fwd = r.src == p.nodes[i];
      s += (fwd ? " -[" : " <-[") + r.type + (fwd ? "]-> " : "]- ") + slug(p.nodes[i + 1]);
    }
    return s;
  }
  if (v.IsList()) {
    std::string s = "[";
    for (size_t i = 0; i < v.AsList().size(); ++i) s += (i ? ", " : "") + Cell(v.AsList()[i], g);
    return s + "]";
  }
  return RenderCypherValue(v, g);
}

}  // namespace

Result<CypherTable> CypherOnStore(const StoreView& view, const std::string& text, const Question& q,
                                  const std::map<std::string, std::string>& params, uint64_t work) {
  cypher::Limits limits = QueryLimits(q.cancel);
  if (work) limits.steps = work;
  StoreGraph g(view, q.filter);
  Result<cypher::Map> values = CypherParams(params);
  if (!values.ok()) return values.status();
  cypher::Procedures procedures = ProceduresOn(view, q);
  Result<cypher::Table> t = RunCypher(text, &g, values.value(), &procedures, limits);
  if (!t.ok()) return t.status();
  CypherTable out;
  out.columns = t->columns;
  for (const auto& row : t->rows) {
    std::vector<std::string> cells;
    std::vector<nlohmann::json> json;
    for (const auto& v : row) {
      cells.push_back(Cell(v, g));
      json.push_back(CypherJson(v, g));
    }
    out.rows.push_back(std::move(cells));
    out.json.push_back(std::move(json));
  }
  return out;
}

bool LooksLikeCypher(const std::string& line) {
  size_t a = line.find_first_not_of(" \t");
  if (a == std::string::npos) return false;
  std::string word;
  for (size_t i = a; i < line.size() && std::isalpha(static_cast<unsigned char>(line[i])); ++i)
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(line[i])));
  static const char* kStarts[] = {"MATCH",  "OPTIONAL", "RETURN", "WITH",
                                  "UNWIND", "CALL",     "CREATE"};
  return std::any_of(std::begin(kStarts), std::end(kStarts),
                     [&](const char* k) { return word == k; });
}

}  // namespace sinew::query
