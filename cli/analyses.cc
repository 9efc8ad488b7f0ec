// The analysis commands: each resolves its filters, asks query/ one
// question and prints the answer as a table, JSON, CSV or a picture.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "query/query.h"
#include "store/store.h"

namespace sinew::cli {
namespace {

using nlohmann::json;

// An open store, a snapshot and the asker's question settings.
struct Session {
  std::shared_ptr<Store> store;
  std::unique_ptr<StoreView> view;
  query::Question q;
};

Result<Session> Open(const Context& ctx) {
  Result<std::shared_ptr<Store>> store = OpenReader(ctx);
  if (!store.ok()) return store.status();
  Session s;
  s.store = std::move(store).value();
  s.view = s.store->View();
  Result<graph::EdgeFilter> f = FilterOf(ctx, s.view->schema());
  if (!f.ok()) return f.status();
  s.q.filter = f.value();
  s.view = query::SeenBy(std::move(s.view), s.q.filter);
  if (ctx.rule == "product")
    s.q.rule = graph::ChainRule::kProduct;
  else if (ctx.rule == "min")
    s.q.rule = graph::ChainRule::kMin;
  else
    return Status::Usage("--rule must be product or min");
  s.q.via = ctx.via;
  s.q.cancel = ctx.cancel;
  if (ctx.session) s.q.projections = ctx.session->projections();
  return s;
}

Status CheckFormat(const Context& ctx, std::initializer_list<const char*> allowed) {
  for (const char* f : allowed)
    if (ctx.format == f) return Status::Ok();
  std::string list;
  for (const char* f : allowed) list += (list.empty() ? "" : ", ") + std::string(f);
  return Status::Usage("--format " + ctx.format + " does not fit this command (use " + list + ")");
}

bool Picture(const Context& ctx) {
  return ctx.format == "dot" || ctx.format == "svg" || ctx.format == "png";
}

template <typename Answer>
Status EmitText(const Context& ctx, const Answer& a, json (*to_json)(const Answer&),
                void (*print)(const Answer&, std::ostream&), std::ostream& out) {
  std::ostringstream text;
  if (ctx.format == "json")
    text << query::JsonText(to_json(a)) << "\n";
  else
    print(a, text);
  return WriteAnswer(ctx, text.str(), out);
}

constexpr std::initializer_list<const char*> kAllFormats = {"table", "json", "csv",
                                                            "dot",   "svg",  "png"};

}  // namespace

Status WritePicture(const Context& ctx, const StoreView& view, const std::string& title,
                    const std::vector<const query::EdgeView*>& edges,
                    const std::vector<std::string>& highlight, std::ostream& out) {
  std::vector<NodeRecord> nodes;
  std::set<std::string> seen;
  auto add = [&](const std::string& slug) {
    if (!seen.insert(slug).second) return;
    Result<NodeRecord> n = view.NodeBySlug(slug);
    if (n.ok()) nodes.push_back(std::move(n).value());
  };
  for (const auto& h : highlight) add(h);
  for (const auto* e : edges) {
    add(e->src_slug);
    add(e->dst_slug);
  }
  std::string dot = query::Dot(title, edges, nodes, highlight);
  if (ctx.format == "dot") return WriteAnswer(ctx, dot, out);
  Result<std::string> drawn = query::RenderDot(dot, ctx.format);
  if (!drawn.ok()) return drawn.status();
  return WriteAnswer(ctx, drawn.value(), out);
}

// Writes to --output when given, else to `out`.
Status WriteAnswer(const Context& ctx, const std::string& text, std::ostream& out) {
  if (ctx.output.empty()) {
    out << text;
    return Status::Ok();
  }
  std::ofstream file(ctx.output, std::ios::binary);
  if (!file) return Status::Io("cannot write " + ctx.output);
  file << text;
  return file ? Status::Ok() : Status::Io("cannot write " + ctx.output);
}

Status RunDeps(const Context& ctx, const AnalysisArgs& args, std::ostream& out) {
  SINEW_RETURN_IF_ERROR(CheckFormat(ctx, kAllFormats));
  Result<Session> s = Open(ctx);
  if (!s.ok()) return s.status();
  Result<query::DepsAnswer> a = query::Deps(*s->view, args.a, args.reverse, args.depth, s->q);
  if (!a.ok()) return a.status();
  if (Picture(ctx)) {
    std::vector<const query::EdgeView*> edges;
    for (const auto& h : a->edges) edges.push_back(&h.edge);
    return WritePicture(ctx, *s->view,
                        (args.reverse ? "Who depends on " : "What ") + a->root.name +
                            (args.reverse ? "" : " depends on"),
                        edges, {a->root.slug}, out);
  }
  if (ctx.format == "csv") {
    std::vector<std::pair<std::vector<std::string>, const query::EdgeView*>> rows;
    for (const auto& h : a->edges) rows.push_back({{std::to_string(h.depth)}, &h.edge});
    std::ostringstream text;
    query::CsvEdges(rows, {"depth"}, text);
    return WriteAnswer(ctx, text.str(), out);
  }
  return EmitText<query::DepsAnswer>(ctx, a.value(), query::DepsJson, query::PrintDeps, out);
}

namespace {

Status EmitChains(const Context& ctx, const StoreView& view, const query::ChainsAnswer& a,
                  const std::string& title, std::ostream& out) {
  if (Picture(ctx)) {
    std::vector<const query::EdgeView*> edges;
    for (const auto& c : a.chains)
      for (const auto& e : c.edges) edges.push_back(&e);
    return WritePicture(ctx, view, title, edges, {a.from.slug, a.to.slug}, out);
  }
  if (ctx.format == "csv") {
    std::vector<std::pair<std::vector<std::string>, const query::EdgeView*>> rows;
    for (size_t i = 0; i < a.chains.size(); ++i)
      for (size_t k = 0; k < a.chains[i].edges.size(); ++k)
        rows.push_back(
            {{std::to_string(i + 1), query::Fixed(a.chains[i].score, 4), std::to_string(k + 1)},
             &a.chains[i].edges[k]});
    std::ostringstream text;
    query::CsvEdges(rows, {"chain", "score", "hop"}, text);
    return WriteAnswer(ctx, text.str(), out);
  }
  return EmitText<query::ChainsAnswer>(ctx, a, query::ChainsJson, query::PrintChains, out);
}

}  // namespace

Status RunChains(const Context& ctx, const AnalysisArgs& args, std::ostream& out) {
  SINEW_RETURN_IF_ERROR(CheckFormat(ctx, kAllFormats));
  Result<Session> s = Open(ctx);
  if (!s.ok()) return s.status();
  Result<query::ChainsAnswer> a = query::Chains(*s->view, args.a, args.b, args.max_depth,
                                                static_cast<size_t>(std::max(args.limit, 0)), s->q,
                                                static_cast<size_t>(std::max(args.cap, 0L)));
  if (!a.ok()) return a.status();
  return EmitChains(ctx, *s->view, a.value(), "Chains from " + a->from.name + " to " + a->to.name,
                    out);
}

Status RunPath(const Context& ctx, const AnalysisArgs& args, std::ostream& out) {
  SINEW_RETURN_IF_ERROR(CheckFormat(ctx, kAllFormats));
  Result<Session> s = Open(ctx);
  if (!s.ok()) return s.status();
  Result<query::ChainsAnswer> a = query::PathBetween(*s->view, args.a, args.b, args.mode, s->q);
  if (!a.ok()) return a.status();
  return EmitChains(ctx, *s->view, a.value(),
                    "The " + args.mode + " path from " + a->from.name + " to " + a->to.name, out);
}

Status RunImpact(const Context& ctx, const AnalysisArgs& args, std::ostream& out) {
  SINEW_RETURN_IF_ERROR(CheckFormat(ctx, kAllFormats));
  Result<Session> s = Open(ctx);
  if (!s.ok()) return s.status();
  Result<query::ImpactAnswer> a =
      query::Impact(*s->view, args.a, s->q, static_cast<size_t>(std::max(0, args.exposed)));
  if (!a.ok()) return a.status();
  if (Picture(ctx)) {
    std::vector<const query::EdgeView*> edges;
    for (const auto& x : a->exposed)
      for (const auto& e : x.via) edges.push_back(&e);
    return WritePicture(ctx, *s->view, "Exposed if " + a->root.name + " is cut", edges,
                        {a->root.slug}, out);
  }
  if (ctx.format == "csv") {
    std::vector<std::pair<std::vector<std::string>, const query::EdgeView*>> rows;
    for (const auto& x : a->exposed)
      for (size_t k = 0; k < x.via.size(); ++k)
        rows.push_back({{x.node.slug, x.cut_off ? "cut off" : "degraded", query::Fixed(x.score, 4),
                         std::to_string(k + 1)},
                        &x.via[k]});
    std::ostringstream text;
    query::CsvEdges(rows, {"exposed", "how", "score", "hop"}, text);
    return WriteAnswer(ctx, text.str(), out);
  }
  return EmitText<query::ImpactAnswer>(ctx, a.value(), query::ImpactJson, query::PrintImpact, out);
}

Status RunCritical(const Context& ctx, const AnalysisArgs& args, std::ostream& out) {
  SINEW_RETURN_IF_ERROR(CheckFormat(ctx, {"table", "json", "csv"}));
  Result<Session> s = Open(ctx);
  if (!s.ok()) return s.status();
  Result<query::CriticalAnswer> a = query::Critical(*s->view, args.a, s->q);
  if (!a.ok()) return a.status();
  if (ctx.format == "csv") {
    std::ostringstream text;
    text << "kind,id,other\n";
    for (const auto& [n, list] : a->single_points)
      for (const auto& m : list) text << "single_point," << n.slug << "," << m.slug << "\n";
    for (const auto& n : a->articulation_points) text << "articulation_point," << n.slug << ",\n";
    for (const auto& [x, y] : a->bridges) text << "bridge," << x.slug << "," << y.slug << "\n";
    return WriteAnswer(ctx, text.str(), out);
  }
  return EmitText<query::CriticalAnswer>(ctx, a.value(), query::CriticalJson, query::PrintCritical,
                                         out);
}

Status RunSubstitutes(const Context& ctx, const AnalysisArgs& args, std::ostream& out) {
  SINEW_RETURN_IF_ERROR(CheckFormat(ctx, kAllFormats));
  Result<Session> s = Open(ctx);
  if (!s.ok()) return s.status();
  Result<query::SubstitutesAnswer> a = query::Substitutes(*s->view, args.a, args.b, s->q);
  if (!a.ok()) return a.status();
  if (Picture(ctx)) {
    std::vector<const query::EdgeView*> edges;
    for (const auto& x : a->substitutes)
      for (const auto& e : x.edges) edges.push_back(&e);
    std::vector<std::string> hl{a->provider.slug};
    if (a->consumer) hl.push_back(a->consumer->slug);
    return WritePicture(ctx, *s->view, "Alternatives to " + a->provider.name, edges, hl, out);
  }
  if (ctx.format == "csv") {
    std::vector<std::pair<std::vector<std::string>, const query::EdgeView*>> rows;
    for (const auto& x : a->substitutes)
      for (const auto& e : x.edges) rows.push_back({{x.node.slug, x.why}, &e});
    std::ostringstream text;
    query::CsvEdges(rows, {"substitute", "why"}, text);
    return WriteAnswer(ctx, text.str(), out);
  }
  return EmitText<query::SubstitutesAnswer>(ctx, a.value(), query::SubstitutesJson,
                                            query::PrintSubstitutes, out);
}

Status RunAsymmetry(const Context& ctx, const AnalysisArgs& args, std::ostream& out) {
  SINEW_RETURN_IF_ERROR(CheckFormat(ctx, kAllFormats));
  Result<Session> s = Open(ctx);
  if (!s.ok()) return s.status();
  Result<query::AsymmetryAnswer> a = query::Asymmetry(*s->view, args.a, args.b, s->q);
  if (!a.ok()) return a.status();
  if (Picture(ctx)) {
    std::vector<const query::EdgeView*> edges;
    for (const auto& d : a->domains) {
      for (const auto& e : d.a_edges) edges.push_back(&e);
      for (const auto& e : d.b_edges) edges.push_back(&e);
    }
    return WritePicture(ctx, *s->view, "Dependence between " + a->a.name + " and " + a->b.name,
                        edges, {a->a.slug, a->b.slug}, out);
  }
  if (ctx.format == "csv") {
    std::vector<std::pair<std::vector<std::string>, const query::EdgeView*>> rows;
    for (const auto& d : a->domains) {
      for (const auto& e : d.a_edges)
        rows.push_back({{d.domain, query::Fixed(d.index, 4), a->a.slug}, &e});
      for (const auto& e : d.b_edges)
        rows.push_back({{d.domain, query::Fixed(d.index, 4), a->b.slug}, &e});
    }
    std::ostringstream text;
    query::CsvEdges(rows, {"domain", "index", "dependent"}, text);
    return WriteAnswer(ctx, text.str(), out);
  }
  return EmitText<query::AsymmetryAnswer>(ctx, a.value(), query::AsymmetryJson,
                                          query::PrintAsymmetry, out);
}

Status RunEvidence(const Context& ctx, const AnalysisArgs& args, std::ostream& out) {
  SINEW_RETURN_IF_ERROR(CheckFormat(ctx, kAllFormats));
  Result<Session> s = Open(ctx);
  if (!s.ok()) return s.status();
  Result<std::vector<query::EdgeView>> a = query::EvidenceBetween(*s->view, args.a, args.b, s->q);
  if (!a.ok()) return a.status();
  if (Picture(ctx)) {
    std::vector<const query::EdgeView*> edges;
    for (const auto& e : a.value()) edges.push_back(&e);
    return WritePicture(ctx, *s->view, "Evidence", edges, {}, out);
  }
  if (ctx.format == "csv") {
    std::ostringstream text;
    text
        << "edge,evidence,source,locator,reliability,credibility,marking,stance,paraphrase,quote\n";
    for (const auto& e : a.value())
      for (const auto& ev : e.evidence) {
        std::string q = ev.rec.quote;
        std::string quoted = "\"";
        for (char c : q) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        text << "e" << e.rec.id << ",ev" << ev.rec.id << "," << ev.source_slug << ",\""
             << ev.rec.locator.ToString() << "\"," << ev.rec.reliability << ","
             << ev.rec.credibility << "," << MarkingName(ev.rec.marking) << ","
             << StanceName(ev.rec.stance) << "," << (ev.rec.paraphrase ? "yes" : "no") << ","
             << quoted << "\"\n";
      }
    return WriteAnswer(ctx, text.str(), out);
  }
  std::ostringstream text;
  if (ctx.format == "json")
    text << query::JsonText(query::EvidenceJson(a.value())) << "\n";
  else
    query::PrintEvidence(a.value(), text);
  return WriteAnswer(ctx, text.str(), out);
}

Status RunTimeline(const Context& ctx, const AnalysisArgs& args, std::ostream& out) {
  SINEW_RETURN_IF_ERROR(CheckFormat(ctx, {"table", "json", "csv"}));
  Result<Session> s = Open(ctx);
  if (!s.ok()) return s.status();
  Result<query::TimelineAnswer> a = query::Timeline(*s->view, args.a, args.b, s->q);
  if (!a.ok()) return a.status();
  if (ctx.format == "csv") {
    std::ostringstream text;
    text << "date,kind,id,source,locator,text\n";
    for (const auto& i : a->items) {
      std::string quoted = "\"";
      for (char c : i.text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      text << i.date << "," << i.kind << "," << i.id << "," << i.source << ",\"" << i.locator
           << "\"," << quoted << "\"\n";
    }
    return WriteAnswer(ctx, text.str(), out);
  }
  return EmitText<query::TimelineAnswer>(ctx, a.value(), query::TimelineJson, query::PrintTimeline,
                                         out);
}

Status RunExport(const Context& ctx, const ExportArgs& args, std::ostream& out,
                 std::ostream& note) {
  static const std::set<std::string> kFormats = {"graphml", "dot",  "jsonl", "csv",
                                                 "cypher",  "json", "stix"};
  if (!kFormats.count(ctx.format))
    return Status::Usage("export --format is graphml, dot, jsonl, csv, cypher or stix");
  if (!args.around.empty() && !args.chain.empty())
    return Status::Usage("export takes --around or --chain, not both");
  Context c = ctx;
  if (c.clearance.empty()) c.clearance = "green";  // exports leave the analyst's machine
  c.include_scenarios = true;  // the whole graph: scenarios travel, marked by their modality
  Result<Session> s = Open(c);
  if (!s.ok()) return s.status();
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
    text = query::ToCypher(g.value());
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

namespace sinew::cli {
namespace {

// Statements of a Cypher script, split at semicolons outside quotes.
std::vector<std::string> Statements(const std::string& script) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    if (quote) {
      if (c == '\\' && i + 1 < script.size()) {
        cur += c;
        c = script[++i];
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    } else if (c == ';') {
      if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
  return out;
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void PrintCypher(const query::CypherTable& t, std::ostream& out) {
  std::vector<size_t> width;
  for (const auto& c : t.columns) width.push_back(std::min<size_t>(c.size(), 60));
  for (const auto& r : t.rows)
    for (size_t i = 0; i < r.size(); ++i)
      width[i] = std::max(width[i], std::min<size_t>(r[i].size(), 60));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string c = query::Clip(cells[i], 60);
      s += (i ? "  " : "") + c;
      if (i + 1 < cells.size())
        s += std::string(width[i] > c.size() ? width[i] - c.size() : 0, ' ');
    }
    out << s << "\n";
  };
  if (t.columns.empty()) {
    out << "(no columns)\n";
    return;
  }
  line(t.columns);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  line(rule);
  for (const auto& r : t.rows) line(r);
  out << "(" << t.rows.size() << (t.rows.size() == 1 ? " row)\n" : " rows)\n");
}

}  // namespace

Status RunQuery(const Context& ctx, const QueryArgs& args, std::ostream& out) {
  SINEW_RETURN_IF_ERROR(CheckFormat(ctx, {"table", "json", "csv"}));
  std::map<std::string, std::string> params;
  for (const auto& p : args.params) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::Usage("--param takes NAME=VALUE (a Cypher literal), not '" + p + "'");
    params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  Result<query::CypherTable> t = Status::Invalid("no query");
  if (args.scratch || ctx.scratch) {
    query::ScratchGraph local;
    query::ScratchGraph* g = ctx.scratch ? ctx.scratch : &local;
    for (const auto& file : args.load) {
      Result<std::string> text = ReadSettingsFile(file, "Cypher script");
      if (!text.ok()) return text.status();
      for (const auto& statement : Statements(text.value())) {
        Result<query::CypherTable> r = g->Run(statement);
        if (!r.ok()) {
          SourcePlace place = r.status().place();
          place.file = file;
          return Status::Invalid(r.status().message(), place);
        }
      }
    }
    query::GraphCounts before = g->Counts();
    t = g->Run(args.text, params);
    query::GraphCounts after = g->Counts();
    if (t.ok() && t->columns.empty() && ctx.format == "table") {
      // A sketch that returns nothing says what it made.
      std::ostringstream made;
      made << "scratch graph: +" << after.nodes - before.nodes << " nodes, +"
           << after.relationships - before.relationships << " relationships (now " << after.nodes
           << " nodes, " << after.relationships << " relationships)\n";
      return WriteAnswer(ctx, made.str(), out);
    }
  } else {
    if (!args.load.empty())
      return Status::Usage("--load sketches in a scratch graph: add --scratch");
    Result<Session> s = Open(ctx);
    if (!s.ok()) return s.status();
    t = query::CypherOnStore(*s->view, args.text, s->q, params);
  }
  if (!t.ok()) return t.status();
  std::ostringstream text;
  if (ctx.format == "json") {
    json rows = json::array();
    for (const auto& r : t->json) rows.push_back(r);
    text << query::JsonText(json{{"columns", t->columns}, {"rows", rows}}) << "\n";
  } else if (ctx.format == "csv") {
    for (size_t i = 0; i < t->columns.size(); ++i) text << (i ? "," : "") << CsvCell(t->columns[i]);
    text << "\n";
    for (const auto& r : t->rows) {
      for (size_t i = 0; i < r.size(); ++i) text << (i ? "," : "") << CsvCell(r[i]);
      text << "\n";
    }
  } else {
    PrintCypher(t.value(), text);
  }
  return WriteAnswer(ctx, text.str(), out);
}

}  // namespace sinew::cli
