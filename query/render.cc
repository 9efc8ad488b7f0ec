#include "query/render.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "query/query.h"

namespace sinew::query {

using nlohmann::json;

double Round4(double v) { return std::round(v * 10000.0) / 10000.0; }

std::string JsonText(const json& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string Fixed(double v, int places) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

namespace {

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

json OrNull(const std::string& s) { return s.empty() ? json() : json(s); }

std::string SpanText(const EdgeQualifiers& q) {
  if (q.valid_from.empty() && q.valid_to.empty()) return "";
  return (q.valid_from.empty() ? "…" : q.valid_from) + "–" + (q.valid_to.empty() ? "" : q.valid_to);
}

// One edge as seen from `from` (a slug): verb, the other end, domain, then
// the qualifiers right-aligned to column 79.
void PrintEdgeLine(const EdgeView& e, const std::string& from, std::ostream& out) {
  const EdgeQualifiers& q = e.rec.q;
  bool outgoing = e.src_slug == from;
  std::string verb = outgoing || !e.directed ? e.forward : e.reverse;
  std::string other = outgoing ? e.dst_slug : e.src_slug;
  std::string head = "  " + verb + " " + other;
  if (!e.rec.domain.empty()) head += " [" + e.rec.domain + "]";
  std::string tail = "e" + std::to_string(e.rec.id) + " c=" + Fixed(q.confidence, 2) +
                     " ev=" + std::to_string(e.evidence.size());
  std::string span = SpanText(q);
  if (!span.empty()) tail = span + " " + tail;
  if (q.modality != Modality::kObserved) tail = std::string(ModalityName(q.modality)) + " " + tail;
  size_t width = DisplayWidth(head) + 1 + DisplayWidth(tail);
  out << head << std::string(width < 79 ? 79 - width : 1, ' ') << tail << "\n";
}

}  // namespace

json EvidenceJson(const EvidenceView& v) {
  const EvidenceRecord& e = v.rec;
  json j = {{"id", "ev" + std::to_string(e.id)},
            {"source", v.source_slug},
            {"title", v.source_title},
            {"locator", e.locator.ToString()},
            {"quote", e.quote},
            {"paraphrase", e.paraphrase},
            {"reliability", e.reliability},
            {"credibility", e.credibility},
            {"marking", MarkingName(e.marking)},
            {"stance", StanceName(e.stance)},
            {"status", EvidenceStatusName(e.status)},
            {"modality", ModalityName(e.modality)},
            {"valid_from", OrNull(e.valid_from)},
            {"valid_to", OrNull(e.valid_to)}};
  if (e.strength) j["strength"] = *e.strength;
  if (e.replaceability) j["replaceability"] = *e.replaceability;
  if (!e.basis.empty()) j["basis"] = e.basis;
  return j;
}

std::string FigureText(const ObservationRecord& o) {
  auto num = [](double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  };
  std::string v = o.low == o.high ? num(o.low) : num(o.low) + "–" + num(o.high);
  if (!o.unit.empty()) v += o.unit == "%" ? "%" : " " + o.unit;
  return v;
}

std::string Clip(const std::string& s, size_t width) {
  if (DisplayWidth(s) <= width) return s;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++n > width - 1) break;
    out.push_back(s[i]);
  }
  return out + "…";
}

std::string Wrap(const std::string& s, size_t width, size_t indent) {
  std::istringstream in(s);
  std::string word, line, out;
  std::string pad(indent, ' ');
  while (in >> word) {
    if (!line.empty() && DisplayWidth(line) + 1 + DisplayWidth(word) + indent > width) {
      out += pad + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += pad + line + "\n";
  return out;
}

std::string DateText(int32_t day, bool end) {
  if (day <= kDateMin || day >= kDateMax) return "";
  int y = day / 10000, m = day / 100 % 100, d = day % 100;
  char buf[16];
  if ((!end && m == 1 && d == 1) || (end && m == 12 && d == 31)) {
    std::snprintf(buf, sizeof buf, "%04d", y);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  }
  return buf;
}

std::string DayText(int32_t day) {
  if (day <= kDateMin || day >= kDateMax) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
  return buf;
}

std::string SpanText(const graph::Span& span) {
  if (span.from <= kDateMin && span.to >= kDateMax) return "";
  return (span.from <= kDateMin ? "…" : DateText(span.from, false)) + "–" + DateText(span.to, true);
}

json SpanJson(const graph::Span& span) {
  return {{"from", OrNull(DateText(span.from, false))}, {"to", OrNull(DateText(span.to, true))}};
}

std::pair<const EvidenceView*, const EvidenceView*> BestEitherWay(const EdgeView& e) {
  const EvidenceView* best_for = nullptr;
  const EvidenceView* best_against = nullptr;
  for (const auto& v : e.evidence) {
    if (v.rec.status != EvidenceStatus::kAccepted) continue;
    const EvidenceView*& slot = v.rec.stance == Stance::kContradicts ? best_against : best_for;
    if (!slot || EvidenceConfidence(v.rec) > EvidenceConfidence(slot->rec)) slot = &v;
  }
  return {best_for, best_against};
}

bool Contested(const EdgeView& e) {
  auto [f, a] = BestEitherWay(e);
  return f != nullptr && a != nullptr;
}

json EdgeJson(const EdgeView& e) {
  const EdgeQualifiers& q = e.rec.q;
  json ev = json::array();
  for (const auto& v : e.evidence) ev.push_back(EvidenceJson(v));
  auto [best_for, best_against] = BestEitherWay(e);
  auto brief = [](const EvidenceView* v) -> json {
    return {{"id", "ev" + std::to_string(v->rec.id)},
            {"source", v->source_slug},
            {"grade", v->rec.reliability + std::to_string(v->rec.credibility)},
            {"quote", v->rec.quote}};
  };
  json contest = json();
  if (best_for && best_against)
    contest = {{"for", brief(best_for)}, {"against", brief(best_against)}};
  return {{"id", "e" + std::to_string(e.rec.id)},
          {"type", e.rec.type},
          {"src", e.src_slug},
          {"dst", e.dst_slug},
          {"domain", OrNull(e.rec.domain)},
          {"label", e.forward},
          {"valid_from", OrNull(q.valid_from)},
          {"valid_to", OrNull(q.valid_to)},
          {"modality", ModalityName(q.modality)},
          {"status", EvidenceStatusName(q.status)},
          {"strength", Round4(q.strength)},
          {"replaceability", Round4(q.replaceability)},
          {"confidence", Round4(q.confidence)},
          {"weight", Round4(q.weight)},
          {"score", Round4(q.weight * q.confidence)},
          {"low_confidence", q.confidence < kLowConfidence},
          {"contested", !contest.is_null()},
          {"contest", contest},
          {"evidence", ev}};
}

json NodeJson(const NodeRecord& n) {
  return {{"id", n.slug},
          {"type", n.type},
          {"name", n.name},
          {"aliases", n.aliases},
          {"props", n.props}};
}

json ObservationJson(const ObservationView& o) {
  json ev = json::array();
  for (const auto& v : o.evidence) ev.push_back(EvidenceJson(v));
  json value =
      o.rec.low == o.rec.high ? json(o.rec.low) : json{{"low", o.rec.low}, {"high", o.rec.high}};
  return {{"id", "o" + std::to_string(o.rec.id)},
          {"subject", o.subject_slug},
          {"object", OrNull(o.object_slug)},
          {"metric", o.rec.metric},
          {"value", value},
          {"unit", OrNull(o.rec.unit)},
          {"period", o.rec.period},
          {"conflicts_with", o.conflicts},
          {"evidence", ev}};
}

json NodeCardJson(const NodeCard& card) {
  json out = json::array(), in = json::array(), obs = json::array();
  for (const auto& e : card.out) out.push_back(EdgeJson(e));
  for (const auto& e : card.in) in.push_back(EdgeJson(e));
  for (const auto& o : card.observations) obs.push_back(ObservationJson(o));
  json node = NodeJson(card.node);
  json ev = json::array();
  for (const auto& v : card.evidence) ev.push_back(EvidenceJson(v));
  node["evidence"] = ev;
  json j = {{"node", node}, {"out", out}, {"in", in}, {"observations", obs}};
  // Only a card cut by --limit says how many links there were.
  if (card.out_total > card.out.size() || card.in_total > card.in.size()) {
    j["out_total"] = card.out_total;
    j["in_total"] = card.in_total;
  }
  return j;
}

json FindJson(const std::string& text, const std::vector<FindMatch>& matches) {
  json m = json::array();
  for (const auto& f : matches)
    m.push_back({{"id", f.node.slug},
                 {"type", f.node.type},
                 {"name", f.node.name},
                 {"aliases", f.node.aliases},
                 {"score", Round4(f.score)}});
  return {{"query", text}, {"matches", m}};
}

json StatsJson(const StoreStats& s) {
  return {{"nodes", s.nodes},
          {"edges", s.edges},
          {"evidence", s.evidence},
          {"sources", s.sources},
          {"observations", s.observations},
          {"proposed", s.proposed},
          {"rejected", s.rejected},
          {"accepted_edges", s.accepted_edges}};
}

void PrintNodeCard(const NodeCard& card, std::ostream& out) {
  const NodeRecord& n = card.node;
  out << n.name << " (" << n.slug << ", " << n.type << ")\n";
  if (!n.aliases.empty()) {
    std::string a;
    for (const auto& s : n.aliases) a += (a.empty() ? "" : ", ") + s;
    out << Wrap("also: " + a, 79, 2);
  }
  for (const auto& [k, v] : n.props.items())
    out << Wrap(k + ": " + (v.is_string() ? v.get<std::string>() : JsonText(v, -1)), 79, 2);
  for (const auto& ev : card.evidence) {
    out << Wrap((ev.rec.paraphrase ? "~\"" : "\"") + ev.rec.quote + "\"", 79, 2);
    out << "    — " << ev.source_slug << ", " << ev.rec.locator.ToString() << " ("
        << ev.rec.reliability << ev.rec.credibility << ")\n";
  }
  auto count = [](size_t shown, size_t total) {
    return total > shown ? std::to_string(shown) + " strongest of " + std::to_string(total)
                         : std::to_string(shown);
  };
  out << "\nout (" << count(card.out.size(), card.out_total) << ")\n";
  for (const auto& e : card.out) PrintEdgeLine(e, n.slug, out);
  out << "\nin (" << count(card.in.size(), card.in_total) << ")\n";
  for (const auto& e : card.in) PrintEdgeLine(e, n.slug, out);
  if (!card.observations.empty()) {
    out << "\nobservations (" << card.observations.size() << ")\n";
    for (const auto& o : card.observations) {
      std::string line = "  " + o.rec.metric +
                         (o.object_slug.empty() ? "" : " / " + o.object_slug) + " " + o.rec.period +
                         ": " + FigureText(o.rec);
      std::string where;
      if (!o.evidence.empty())
        where = o.evidence.front().source_slug + " " + o.evidence.front().rec.locator.ToString();
      out << Clip(line + "  (" + where + ")", 79) << "\n";
      if (!o.conflicts.empty()) {
        std::string with;
        for (const auto& c : o.conflicts) with += (with.empty() ? "" : ", ") + c;
        out << "    CONFLICTS with " << with << " (sinew conflicts)\n";
      }
    }
  }
}

void PrintFind(const std::vector<FindMatch>& matches, std::ostream& out) {
  if (matches.empty()) {
    out << "no matches\n";
    return;
  }
  for (const auto& m : matches) {
    std::string left = m.node.slug + "  " + m.node.name + " (" + m.node.type + ")";
    out << Clip(left, 70)
        << std::string(DisplayWidth(Clip(left, 70)) < 72 ? 72 - DisplayWidth(Clip(left, 70)) : 1,
                       ' ')
        << Fixed(m.score, 2) << "\n";
  }
}

void PrintStats(const StoreStats& s, std::ostream& out) {
  out << "nodes         " << s.nodes << "\n"
      << "edges         " << s.edges << " (" << s.accepted_edges << " with accepted evidence)\n"
      << "evidence      " << s.evidence << " (" << s.proposed << " proposed, " << s.rejected
      << " rejected)\n"
      << "sources       " << s.sources << "\n"
      << "observations  " << s.observations << "\n";
}

json ApplyReportJson(const std::string& file, const ApplyReport& r, bool dry_run) {
  return {{"file", file},
          {"source", r.source},
          {"dry_run", dry_run},
          {"replaced", r.replaced},
          {"unchanged", r.unchanged},
          {"nodes_added", r.nodes_added},
          {"nodes_removed", r.nodes_removed},
          {"edges_added", r.edges_added},
          {"edges_removed", r.edges_removed},
          {"evidence_added", r.evidence_added},
          {"evidence_kept", r.evidence_kept},
          {"evidence_removed", r.evidence_removed},
          {"decisions_kept", r.decisions_kept},
          {"observations", r.observations}};
}

void PrintApplyReport(const std::string& file, const ApplyReport& r, bool dry_run,
                      std::ostream& out) {
  if (r.unchanged) {
    out << "unchanged " << file << " (" << r.source << "): already in the store\n";
    return;
  }
  out << (dry_run ? "checked " : (r.replaced ? "replaced " : "ingested ")) << file << " ("
      << r.source << "): +" << r.nodes_added << " nodes, +" << r.edges_added << " edges, "
      << r.evidence_added << " new evidence";
  if (r.replaced)
    out << ", " << r.evidence_kept << " kept, " << r.evidence_removed << " withdrawn, "
        << r.edges_removed << " edges and " << r.nodes_removed << " nodes removed, "
        << r.decisions_kept << " decisions kept";
  out << ", " << r.observations << " observations\n";
}

}  // namespace sinew::query
