// JSON (the shapes docs/queries.md lists), tables for an 80-column terminal, and CSV for
// the named analyses.
#include <sstream>

#include "query/query.h"
#include "query/render.h"

namespace sinew::query {
namespace {

using nlohmann::json;

json OrNull(const std::string& s) { return s.empty() ? json() : json(s); }

json EdgesJson(const std::vector<EdgeView>& edges) {
  json out = json::array();
  for (const auto& e : edges) out.push_back(EdgeJson(e));
  return out;
}

// "russia —depends on→ china [trade]" as walked from `from`.
std::string HopText(const EdgeView& e, const std::string& from) {
  bool forward = e.src_slug == from || !e.directed;
  std::string other = e.src_slug == from ? e.dst_slug : e.src_slug;
  std::string verb = forward ? e.forward : e.reverse;
  return from + " —" + verb + "→ " + other +
         (e.rec.domain.empty() ? "" : " [" + e.rec.domain + "]");
}

std::string Grades(const EvidenceRecord& r) {
  return r.reliability + std::to_string(r.credibility);
}

void PrintHop(const EdgeView& e, const std::string& from, size_t indent, std::ostream& out,
              size_t max_evidence = 2) {
  std::string pad(indent, ' ');
  std::string q = "w=" + Fixed(e.rec.q.weight, 2) + " c=" + Fixed(e.rec.q.confidence, 2) + " e" +
                  std::to_string(e.rec.id);
  if (e.rec.q.modality == Modality::kProjected || e.rec.q.modality == Modality::kHypothetical)
    q = std::string(ModalityName(e.rec.q.modality)) + " " + q;
  if (e.rec.q.confidence < kLowConfidence) q = "low conf " + q;
  auto [best_for, best_against] = BestEitherWay(e);
  bool contested = best_for && best_against;
  if (contested) q = "CONTESTED " + q;
  std::string head = HopText(e, from);
  if (indent + head.size() + 2 + q.size() <= 79)
    out << pad << head << std::string(79 - indent - head.size() - q.size(), ' ') << q << "\n";
  else
    out << pad << head << "\n" << pad << "  " << q << "\n";
  // A contested link shows its best evidence each way, whatever else it has.
  std::vector<const EvidenceView*> shown_list;
  if (contested) {
    shown_list = {best_for, best_against};
  } else {
    for (const auto& ev : e.evidence) shown_list.push_back(&ev);
  }
  size_t limit = contested ? 2 : max_evidence;
  size_t shown = 0;
  for (const EvidenceView* evp : shown_list) {
    const EvidenceView& ev = *evp;
    if (shown++ == limit) {
      out << pad << "    (+" << e.evidence.size() - limit << " more: sinew evidence e" << e.rec.id
          << ")\n";
      break;
    }
    std::string quote = (ev.rec.paraphrase ? "~\"" : "\"") + ev.rec.quote + "\"";
    out << Wrap(quote, 79, indent + 4);
    std::string cite = "— " + ev.source_slug + ", " + ev.rec.locator.ToString() + " (" +
                       Grades(ev.rec) +
                       (ev.rec.stance == Stance::kContradicts ? ", contradicts" : "") + ")";
    out << pad << "      " << Clip(cite, 79 - indent - 6) << "\n";
  }
  if (contested && e.evidence.size() > 2)
    out << pad << "    (+" << e.evidence.size() - 2 << " more: sinew evidence e" << e.rec.id
        << ")\n";
}

// "  no chain found with these filters" and, on the lines after, what
// other filters would have found.
void PrintEmpty(const std::string& what, const std::vector<std::string>& hints, std::ostream& out) {
  out << "  " << what << " with these filters";
  if (hints.empty()) {
    out << " (nor with any one of them relaxed)\n";
    return;
  }
  out << "; but:\n";
  for (const auto& h : hints) out << Wrap("- " + h, 79, 4);
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::string Signed(double v) { return (v > 0 ? "+" : "") + Fixed(v, 2); }

json AsOfJson(int32_t as_of) { return as_of ? json(DayText(as_of)) : json(); }
std::string AsOfText(int32_t as_of) {
  return as_of ? "links valid on " + DayText(as_of) : "links of any date";
}

}  // namespace

json DepsJson(const DepsAnswer& a) {
  json edges = json::array();
  for (const auto& h : a.edges) {
    json e = EdgeJson(h.edge);
    e["depth"] = h.depth;
    edges.push_back(e);
  }
  return {{"root", a.root.slug}, {"reverse", a.reverse},       {"via", a.via},
          {"edges", edges},      {"as_of", AsOfJson(a.as_of)}, {"hints", a.hints}};
}

json ChainsJson(const ChainsAnswer& a) {
  json chains = json::array();
  for (const auto& c : a.chains)
    chains.push_back({{"nodes", c.nodes},
                      {"edges", EdgesJson(c.edges)},
                      {"score", Round4(c.score)},
                      {"weight", Round4(c.weight)},
                      {"confidence", Round4(c.confidence)},
                      {"low_confidence", c.confidence < kLowConfidence},
                      {"held", SpanJson(c.span)}});
  return {{"from", a.from.slug},      {"to", a.to.slug},
          {"rule", a.rule},           {"via", a.via},
          {"max_depth", a.max_depth}, {"truncated", a.truncated},
          {"found", a.found},         {"chains", chains},
          {"hints", a.hints},         {"as_of", AsOfJson(a.as_of)}};
}

json ImpactJson(const ImpactAnswer& a) {
  json exposed = json::array();
  for (const auto& x : a.exposed) {
    json via = json::array();
    for (const auto& e : x.via) via.push_back("e" + std::to_string(e.rec.id));
    exposed.push_back({{"id", x.node.slug},
                       {"type", x.node.type},
                       {"domain", OrNull(x.domain)},
                       {"score", Round4(x.score)},
                       {"confidence", Round4(x.confidence)},
                       {"low_confidence", x.confidence < kLowConfidence},
                       {"cut_off", x.cut_off},
                       {"held", SpanJson(x.span)},
                       {"via", via},
                       {"edges", EdgesJson(x.via)}});
  }
  return {{"root", a.root.slug},  {"exposed", exposed},         {"total", a.total},
          {"cut_off", a.cut_off}, {"as_of", AsOfJson(a.as_of)}, {"hints", a.hints}};
}

json CriticalJson(const CriticalAnswer& a) {
  json out;
  out["consumer"] = a.consumer ? json(a.consumer->slug) : json();
  json domains = json::array();
  for (const auto& d : a.domains) {
    json points = json::array();
    for (const auto& p : d.points) {
      json via = json::array();
      for (const auto& e : p.via) via.push_back("e" + std::to_string(e.rec.id));
      points.push_back({{"id", p.node.slug},
                        {"type", p.node.type},
                        {"direct", p.direct},
                        {"via", via},
                        {"edges", EdgesJson(p.via)}});
    }
    json hard = json::array();
    for (const auto& e : d.hard_to_replace) hard.push_back("e" + std::to_string(e.rec.id));
    domains.push_back({{"domain", OrNull(d.domain)},
                       {"hard_to_replace", hard},
                       {"providers", d.providers},
                       {"weak_providers", d.weak},
                       {"reachable", d.reachable},
                       {"searched", d.searched},
                       {"complete", d.complete},
                       {"single_points", points}});
  }
  out["domains"] = domains;
  out["as_of"] = AsOfJson(a.as_of);
  if (a.consumer) {
    out["other_links"] = a.other_links;
    out["hints"] = a.hints;
  }
  json ap = json::array();
  for (const auto& n : a.articulation_points) ap.push_back(n.slug);
  out["articulation_points"] = ap;
  json br = json::array();
  for (const auto& [x, y] : a.bridges) br.push_back({x.slug, y.slug});
  out["bridges"] = br;
  return out;
}

json SubstitutesJson(const SubstitutesAnswer& a) {
  json subs = json::array();
  for (const auto& s : a.substitutes)
    subs.push_back({{"id", s.node.slug},
                    {"type", s.node.type},
                    {"why", s.why},
                    {"score", Round4(s.score)},
                    {"edges", EdgesJson(s.edges)}});
  return {{"provider", a.provider.slug},
          {"consumer", a.consumer ? json(a.consumer->slug) : json()},
          {"substitutes", subs},
          {"as_of", AsOfJson(a.as_of)},
          {"hints", a.hints}};
}

json AsymmetryJson(const AsymmetryAnswer& a) {
  json domains = json::array();
  for (const auto& d : a.domains)
    domains.push_back({{"domain", d.domain.empty() ? json() : json(d.domain)},
                       {"a_on_b", Round4(d.a_on_b)},
                       {"b_on_a", Round4(d.b_on_a)},
                       {"index", Round4(d.index)},
                       {"a_edges", EdgesJson(d.a_edges)},
                       {"b_edges", EdgesJson(d.b_edges)}});
  json obs = json::array();
  for (const auto& o : a.observations) obs.push_back(ObservationJson(o));
  return {{"a", a.a.slug},
          {"b", a.b.slug},
          {"domains", domains},
          {"observations", obs},
          {"as_of", AsOfJson(a.as_of)},
          {"hints", a.hints}};
}

json EvidenceJson(const std::vector<EdgeView>& edges) { return {{"edges", EdgesJson(edges)}}; }

json TimelineJson(const TimelineAnswer& a) {
  json items = json::array();
  for (const auto& i : a.items)
    items.push_back({{"date", i.date},
                     {"kind", i.kind},
                     {"id", i.id},
                     {"text", i.text},
                     {"source", i.source},
                     {"locator", i.locator}});
  return {{"ids", a.ids}, {"items", items}, {"undated", a.undated}};
}

void PrintDeps(const DepsAnswer& a, std::ostream& out) {
  std::string who = a.root.name + " (" + a.root.slug + ")";
  std::string head;
  if (a.dependence)
    head = (a.reverse ? "who depends on " + who : "what " + who + " depends on") +
           " (depends_on links, and supplies links read as dependence on the supplier)";
  else
    head = (a.reverse ? "what leads into " + who : "where " + who + " leads") + " along " +
           Join(a.via);
  out << Wrap(head, 79, 0);
  if (a.edges.empty()) PrintEmpty("nothing found", a.hints, out);
  for (const auto& h : a.edges) {
    const std::string& from = h.from;
    PrintHop(h.edge, from, static_cast<size_t>(2 * h.depth), out, 1);
  }
  out << "\n" << Wrap(ScoringNote(graph::ChainRule::kProduct, a.as_of), 79, 0);
}

void PrintChains(const ChainsAnswer& a, std::ostream& out) {
  std::string via;
  for (const auto& v : a.via) via += (via.empty() ? "" : ", ") + v;
  if (a.dependence) via = "dependence: depends_on, supplies backwards";
  out << Wrap("chains " + a.from.slug + " → " + a.to.slug + "  (rule: " + a.rule + "; via " + via +
                  (a.max_depth ? "; up to " + std::to_string(a.max_depth) + " hops" : "") + ")",
              79, 0);
  if (a.chains.empty()) PrintEmpty("no chain found", a.hints, out);
  for (size_t i = 0; i < a.chains.size(); ++i) {
    const ChainView& c = a.chains[i];
    std::string held = SpanText(c.span);
    out << "\n"
        << i + 1 << ". score " << Fixed(c.score, 3) << " (weight " << Fixed(c.weight, 2)
        << ", confidence " << Fixed(c.confidence, 2) << "), " << c.edges.size() << " hop"
        << (c.edges.size() == 1 ? "" : "s") << (held.empty() ? "" : ", held " + held)
        << (c.confidence < kLowConfidence ? "  LOW CONFIDENCE" : "") << "\n";
    for (size_t k = 0; k < c.edges.size(); ++k) PrintHop(c.edges[k], c.nodes[k], 3, out);
  }
  if (a.truncated)
    out << "\n(truncated: stopped after " << a.found
        << " chains; narrow with --domain or --max-depth)\n";
  else if (a.found > a.chains.size())
    out << "\n(" << a.found - a.chains.size() << " weaker chains not shown; see --limit)\n";
  out << "\n"
      << Wrap(ScoringNote(a.rule == "min" ? graph::ChainRule::kMin : graph::ChainRule::kProduct,
                          a.as_of),
              79, 0);
}

void PrintImpact(const ImpactAnswer& a, std::ostream& out) {
  out << "exposed if " << a.root.name << " (" << a.root.slug << ") is cut";
  if (a.total > 0)
    out << ": " << a.total << " exposure" << (a.total == 1 ? "" : "s") << " (a node in a domain), "
        << a.cut_off << " cut off";
  out << "\n";
  if (a.exposed.empty()) PrintEmpty("nobody depends on it", a.hints, out);
  for (const auto& x : a.exposed) {
    std::string held = SpanText(x.span);
    out << "\n"
        << x.node.slug << " (" << x.node.type << ")  [" << (x.domain.empty() ? "-" : x.domain)
        << "]  " << (x.cut_off ? "CUT OFF" : "degraded") << "  score " << Fixed(x.score, 3)
        << (x.confidence < kLowConfidence ? "  low confidence" : "")
        << (held.empty() ? "" : "  held " + held) << "\n";
    std::string from = x.node.slug;
    for (const auto& e : x.via) {
      PrintHop(e, from, 3, out, 1);
      from = e.src_slug == from ? e.dst_slug : e.src_slug;
    }
  }
  if (a.total > a.exposed.size())
    out << "\n(" << a.total - a.exposed.size()
        << " less exposed not shown; see --limit, 0 for all)\n";
  out << "\n"
      << Wrap(
             "Exposure travels along links of one domain; a row's score is its strongest chain "
             "to the cut node. cut off: all its supply in that domain (providers and their "
             "substitutes) runs into the cut node; degraded: something else still supplies it "
             "by links of confidence 0.3 or more (a rumoured alternative is no way round). " +
                 ScoringNote(graph::ChainRule::kProduct, a.as_of),
             79, 0);
}

void PrintCritical(const CriticalAnswer& a, std::ostream& out) {
  if (a.consumer) {
    out << "single points of failure for " << a.consumer->name << " (" << a.consumer->slug
        << "): nodes whose loss would cut it off in a domain; " << AsOfText(a.as_of) << "\n";
    if (a.domains.empty()) {
      out << Wrap(
          a.consumer->slug +
              " depends on nothing through depends_on links with these filters, so "
              "nothing could be checked" +
              (a.other_links > 0 ? " (it has " + std::to_string(a.other_links) +
                                       (a.other_links == 1 ? " link" : " links") +
                                       " of other types: sinew show " + a.consumer->slug + ")"
                                 : ""),
          79, 2);
      for (const auto& h : a.hints) out << Wrap("- " + h, 79, 4);
      return;
    }
    for (const auto& d : a.domains) {
      std::string scope =
          "searched " + std::string(d.complete ? "all " : "") + std::to_string(d.searched) +
          (d.complete ? "" : " of " + std::to_string(d.reachable)) + " node" +
          (d.searched == 1 ? "" : "s") + " its supply reaches, from " +
          std::to_string(d.providers) + " direct provider" + (d.providers == 1 ? "" : "s") +
          " or substitute" + (d.providers == 1 ? "" : "s") +
          (d.weak ? ", " + std::to_string(d.weak) + " of them attested too weakly (under 0.3) " +
                        "to count as an alternative"
                  : "");
      out << "\n" << (d.domain.empty() ? "(no domain)" : d.domain) << ": ";
      auto hard = [&] {
        if (d.hard_to_replace.empty()) return;
        out << Wrap(
            "hard to replace, though not its only provider there (replaceability 0.3 or less "
            "once substitutes are counted):",
            79, 2);
        for (const auto& e : d.hard_to_replace) {
          const std::string& other = e.src_slug == a.consumer->slug ? e.dst_slug : e.src_slug;
          out << "    " << other << "  " << e.rec.type << " e" << e.rec.id << ", strength "
              << Fixed(e.rec.q.strength, 2) << ", replaceability "
              << Fixed(EffectiveReplaceability(e.rec.q), 2) << ", confidence "
              << Fixed(e.rec.q.confidence, 2) << "\n";
        }
      };
      if (d.points.empty()) {
        out << (d.complete ? "none" : "none found") << "\n"
            << Wrap(d.complete
                        ? "no single node cuts it off: every node its supply reaches has another "
                          "way round it (" +
                              scope + ")"
                        : "the search stopped early (" + scope +
                              "): not proven; narrow with --domain or --as-of",
                    79, 2);
        hard();
        continue;
      }
      out << d.points.size() << "\n" << Wrap("(" + scope + ")", 79, 2);
      for (const auto& p : d.points) {
        out << "  " << p.node.slug << " (" << p.node.type << ")"
            << (p.direct ? "  a provider of its own, with no alternative" : "") << "\n";
        std::string from = a.consumer->slug;
        for (const auto& e : p.via) {
          PrintHop(e, from, 5, out, 1);
          from = e.src_slug == from ? e.dst_slug : e.src_slug;
        }
      }
      hard();
    }
    out << "\n"
        << Wrap(
               "A node is a single point of failure when cutting it would cut the consumer off "
               "in that domain, as impact judges it: every chain of its supply there (a "
               "provider, or a substitute for one) runs into it; links of confidence under 0.3 "
               "are no way round it.",
               79, 0);
    return;
  }
  out << "articulation points (removing one splits the graph): " << a.articulation_points.size()
      << "\n";
  for (const auto& n : a.articulation_points) out << "  " << n.slug << " (" << n.type << ")\n";
  out << "bridges (the only link between two parts): " << a.bridges.size() << "\n";
  for (const auto& [x, y] : a.bridges) out << "  " << x.slug << " — " << y.slug << "\n";
}

void PrintSubstitutes(const SubstitutesAnswer& a, std::ostream& out) {
  out << "alternatives to " << a.provider.name << " (" << a.provider.slug << ")"
      << (a.consumer ? " for " + a.consumer->slug : "") << "; " << AsOfText(a.as_of) << "\n";
  if (a.substitutes.empty()) PrintEmpty("none in the store", a.hints, out);
  for (const auto& s : a.substitutes) {
    out << "\n"
        << s.node.slug << " (" << s.node.type << ")  score " << Fixed(s.score, 2) << "\n"
        << Wrap(s.why, 79, 3);
    for (const auto& e : s.edges) PrintHop(e, s.node.slug, 3, out, 1);
  }
  if (!a.substitutes.empty())
    out << "\n"
        << Wrap(
               "score: strength x confidence of the best link that makes it an alternative, "
               "what that link is expected to weigh; it says that it can stand in, not for how "
               "much. docs/scoring.md",
               79, 0);
}

void PrintAsymmetry(const AsymmetryAnswer& a, std::ostream& out) {
  out << "dependence between " << a.a.slug << " and " << a.b.slug << ", by domain\n";
  if (a.domains.empty()) PrintEmpty("no depends_on link either way", a.hints, out);
  for (const auto& d : a.domains) {
    std::string lean = d.index > 0.2    ? a.a.slug + " leans on " + a.b.slug
                       : d.index < -0.2 ? a.b.slug + " leans on " + a.a.slug
                                        : "balanced";
    out << "\n"
        << (d.domain.empty() ? "(no domain)" : d.domain) << ": " << a.a.slug << " on " << a.b.slug
        << " " << Fixed(d.a_on_b, 2) << ", " << a.b.slug << " on " << a.a.slug << " "
        << Fixed(d.b_on_a, 2) << "  index " << Signed(d.index) << "  → " << lean << "\n";
    for (const auto& e : d.a_edges) PrintHop(e, a.a.slug, 3, out, 1);
    for (const auto& e : d.b_edges) PrintHop(e, a.b.slug, 3, out, 1);
  }
  if (!a.observations.empty()) out << "\nfigures\n";
  for (const auto& o : a.observations) {
    std::string line = "  " + o.subject_slug + " " + o.rec.metric +
                       (o.object_slug.empty() ? "" : " (" + o.object_slug + ")") + " " +
                       o.rec.period + ": " + FigureText(o.rec);
    if (!o.conflicts.empty()) line += "  CONFLICTS with " + Join(o.conflicts);
    out << line << "\n";
    if (!o.evidence.empty())
      out << "      — " << o.evidence.front().source_slug << ", "
          << o.evidence.front().rec.locator.ToString() << "\n";
  }
  out << "\n"
      << Wrap(
             "index = (A on B − B on A) / (A on B + B on A), from the strongest "
             "depends_on link each way (to the other side or a part of it); +1 means "
             "only A depends on B. " +
                 ScoringNote(graph::ChainRule::kProduct, a.as_of),
             79, 0);
}

void PrintEvidence(const std::vector<EdgeView>& edges, std::ostream& out) {
  if (edges.empty()) out << "no link between them with these filters\n";
  for (const auto& e : edges) {
    out << HopText(e, e.src_slug) << "  e" << e.rec.id << "\n";
    if (e.rec.q.supporting == 0 && e.rec.q.contradicting > 0)
      out << "  refuted: its accepted evidence only contradicts it\n";
    bool judged = false;
    for (const auto& ev : e.evidence) judged = judged || ev.rec.strength || ev.rec.replaceability;
    out << "  " << ModalityName(e.rec.q.modality) << ", confidence " << Fixed(e.rec.q.confidence, 2)
        << (judged ? ", strength " + Fixed(e.rec.q.strength, 2) + ", replaceability " +
                         Fixed(e.rec.q.replaceability, 2)
                   : std::string(", strength and replaceability not judged"))
        << (e.rec.q.valid_from.empty() && e.rec.q.valid_to.empty()
                ? ""
                : ", " + (e.rec.q.valid_from.empty() ? "…" : e.rec.q.valid_from) + "–" +
                      e.rec.q.valid_to)
        << "\n";
    for (const auto& ev : e.evidence) {
      out << "  ev" << ev.rec.id << "  " << ev.source_slug << ", " << ev.rec.locator.ToString()
          << "  " << Grades(ev.rec) << " " << MarkingName(ev.rec.marking) << " "
          << StanceName(ev.rec.stance) << (ev.rec.paraphrase ? " (paraphrase)" : "") << "\n";
      out << Wrap("\"" + ev.rec.quote + "\"", 79, 6);
      if (!ev.rec.basis.empty()) out << Wrap("basis: " + ev.rec.basis, 79, 6);
    }
    out << "\n";
  }
}

json ConflictsJson(const ConflictsAnswer& a) {
  json figures = json::array();
  for (const auto& [x, y] : a.figures)
    figures.push_back({{"a", ObservationJson(x)}, {"b", ObservationJson(y)}});
  return {{"contested", EdgesJson(a.contested)}, {"figures", figures}};
}

void PrintConflicts(const ConflictsAnswer& a, std::ostream& out) {
  out << "contested links (accepted evidence both ways): " << a.contested.size() << "\n";
  for (const auto& e : a.contested) {
    out << "\n";
    PrintHop(e, e.src_slug, 2, out, 2);
  }
  out << "\nconflicting figures (same subject, metric, unit and period; values more than 5% "
         "apart): "
      << a.figures.size() << "\n";
  for (const auto& [x, y] : a.figures) {
    out << "\n  " << x.subject_slug << " " << x.rec.metric
        << (x.object_slug.empty() ? "" : " (" + x.object_slug + ")") << " " << x.rec.period << "\n";
    for (const ObservationView* o : {&x, &y}) {
      std::string where = o->evidence.empty() ? "?"
                                              : o->evidence.front().source_slug + ", " +
                                                    o->evidence.front().rec.locator.ToString();
      out << "    o" << o->rec.id << "  " << FigureText(o->rec) << "  — " << Clip(where, 50)
          << "\n";
    }
  }
}

void PrintTimeline(const TimelineAnswer& a, std::ostream& out) {
  if (a.items.empty()) out << "no dated evidence or figures with these filters\n";
  for (const auto& i : a.items) {
    std::string head = i.date + "  " + i.kind + "  ";
    out << head << Clip(i.text, 79 - head.size()) << "\n";
    out << std::string(head.size(), ' ') << "— " << i.source << ", " << i.locator << " (" << i.id
        << ")\n";
  }
  if (a.undated > 0) out << "(" << a.undated << " undated evidence records not shown)\n";
}

namespace {

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += "\"\"";
    else
      out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

void CsvEdges(const std::vector<std::pair<std::vector<std::string>, const EdgeView*>>& rows,
              const std::vector<std::string>& lead, std::ostream& out) {
  std::vector<std::string> header = lead;
  for (const char* h :
       {"edge", "src", "type", "dst", "domain", "valid_from", "valid_to", "modality", "weight",
        "confidence", "evidence", "source", "locator", "quote"})
    header.push_back(h);
  for (size_t i = 0; i < header.size(); ++i) out << (i ? "," : "") << header[i];
  out << "\n";
  for (const auto& [cols, e] : rows) {
    std::vector<std::string> f = cols;
    if (e) {
      const EvidenceView* first = e->evidence.empty() ? nullptr : &e->evidence.front();
      for (const std::string& v :
           {"e" + std::to_string(e->rec.id), e->src_slug, e->rec.type, e->dst_slug, e->rec.domain,
            e->rec.q.valid_from, e->rec.q.valid_to, std::string(ModalityName(e->rec.q.modality)),
            Fixed(e->rec.q.weight, 4), Fixed(e->rec.q.confidence, 4),
            std::to_string(e->evidence.size()), first ? first->source_slug : "",
            first ? first->rec.locator.ToString() : "", first ? first->rec.quote : ""})
        f.push_back(v);
    }
    for (size_t i = 0; i < f.size(); ++i) out << (i ? "," : "") << CsvField(f[i]);
    out << "\n";
  }
}

}  // namespace sinew::query
