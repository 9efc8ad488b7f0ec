// The analysis commands: each asks query/ one question of the snapshot its
// asker may see, and prints the answer as a table, JSON, CSV or a picture.
#include <sstream>

#include "cli/command_table.h"

namespace sinew::cli {
namespace {

using nlohmann::json;

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

}  // namespace

Status RunDeps(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const AnalysisArgs& args = call.inv.analysis;
  const Asker* s = call.asker;
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

Status RunChains(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const AnalysisArgs& args = call.inv.analysis;
  const Asker* s = call.asker;
  Result<query::ChainsAnswer> a = query::Chains(*s->view, args.a, args.b, args.max_depth,
                                                static_cast<size_t>(std::max(args.limit, 0)), s->q,
                                                static_cast<size_t>(std::max(args.cap, 0L)));
  if (!a.ok()) return a.status();
  return EmitChains(ctx, *s->view, a.value(), "Chains from " + a->from.name + " to " + a->to.name,
                    out);
}

Status RunPath(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const AnalysisArgs& args = call.inv.analysis;
  const Asker* s = call.asker;
  Result<query::ChainsAnswer> a = query::PathBetween(*s->view, args.a, args.b, args.mode, s->q);
  if (!a.ok()) return a.status();
  return EmitChains(ctx, *s->view, a.value(),
                    "The " + args.mode + " path from " + a->from.name + " to " + a->to.name, out);
}

Status RunImpact(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const AnalysisArgs& args = call.inv.analysis;
  const Asker* s = call.asker;
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
        rows.push_back({{x.node.slug, x.domain, x.cut_off ? "cut off" : "degraded",
                         query::Fixed(x.score, 4), std::to_string(k + 1)},
                        &x.via[k]});
    std::ostringstream text;
    query::CsvEdges(rows, {"exposed", "exposed_in", "how", "score", "hop"}, text);
    return WriteAnswer(ctx, text.str(), out);
  }
  return EmitText<query::ImpactAnswer>(ctx, a.value(), query::ImpactJson, query::PrintImpact, out);
}

Status RunCritical(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const AnalysisArgs& args = call.inv.analysis;
  const Asker* s = call.asker;
  Result<query::CriticalAnswer> a = query::Critical(*s->view, args.a, s->q);
  if (!a.ok()) return a.status();
  if (ctx.format == "csv") {
    std::ostringstream text;
    text << "kind,id,other\n";
    for (const auto& d : a->domains)
      for (const auto& p : d.points)
        text << (p.direct ? "sole_provider," : "single_point,") << p.node.slug << "," << d.domain
             << "\n";
    for (const auto& n : a->articulation_points) text << "articulation_point," << n.slug << ",\n";
    for (const auto& [x, y] : a->bridges) text << "bridge," << x.slug << "," << y.slug << "\n";
    return WriteAnswer(ctx, text.str(), out);
  }
  return EmitText<query::CriticalAnswer>(ctx, a.value(), query::CriticalJson, query::PrintCritical,
                                         out);
}

Status RunSubstitutes(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const AnalysisArgs& args = call.inv.analysis;
  const Asker* s = call.asker;
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

Status RunAsymmetry(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const AnalysisArgs& args = call.inv.analysis;
  const Asker* s = call.asker;
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

Status RunEvidence(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const AnalysisArgs& args = call.inv.analysis;
  const Asker* s = call.asker;
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

Status RunTimeline(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const AnalysisArgs& args = call.inv.analysis;
  const Asker* s = call.asker;
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

Status RunConflicts(Call& call, std::ostream& out) {
  const Asker* s = call.asker;
  Result<query::ConflictsAnswer> a = query::Conflicts(*s->view, s->q);
  if (!a.ok()) return a.status();
  return EmitText<query::ConflictsAnswer>(call.ctx(), a.value(), query::ConflictsJson,
                                          query::PrintConflicts, out);
}

Status RunDiff(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  // `diff D1 D2`, `diff --known-at D1 D2` or `diff --known-at D1` (to today).
  std::string from = call.inv.analysis.a, to = call.inv.analysis.b;
  if (!ctx.known_at.empty()) {
    if (!to.empty())
      return Status::Usage("diff: --known-at gives the earlier day; name only the later one");
    to = from;
    from = ctx.known_at;
  }
  if (from.empty())
    return Status::Usage("diff needs the earlier day: diff 2022-02-23 [2024-05-03]");
  if (to.empty()) to = NowIso().substr(0, 10);
  Result<query::ChangesAnswer> a =
      query::Changes(*call.asker->store, call.asker->q.filter, from, to);
  if (!a.ok()) return a.status();
  return EmitText<query::ChangesAnswer>(ctx, a.value(), query::ChangesJson, query::PrintChanges,
                                        out);
}

}  // namespace sinew::cli
