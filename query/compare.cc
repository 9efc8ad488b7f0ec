// Substitutes, asymmetry, the evidence behind a link, and timelines.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "query/dependence.h"
#include "query/hints.h"
#include "query/query.h"
#include "query/render.h"

namespace sinew::query {
namespace {

uint16_t Code(const StoreView& view, const char* type) {
  const EdgeTypeInfo* t = view.schema().FindEdgeType(type);
  return t ? t->code : 0;
}

// Admitted adjacency rows of `node` of one type in one direction.
Result<std::vector<AdjacencyEntry>> Rows(const StoreView& view, NodeId node, Direction dir,
                                         const char* type, const EdgeFilter& filter) {
  std::vector<AdjacencyEntry> out;
  uint16_t code = Code(view, type);
  if (code == 0) return out;
  Status s = view.ForEachAdjacent(node, dir, code, [&](const AdjacencyEntry& e) {
    if (std::optional<AdjacencyEntry> seen = graph::Admit(view, e, filter)) out.push_back(*seen);
    return true;
  });
  SINEW_RETURN_IF_ERROR(s);
  return out;
}

}  // namespace

namespace {

Result<SubstitutesAnswer> SubstitutesOnly(const StoreView& view, const std::string& provider,
                                          const std::string& consumer, const Question& q) {
  Result<NodeRecord> p = ResolveNode(view, provider, q.filter);
  if (!p.ok()) return p.status();
  SubstitutesAnswer out;
  out.as_of = q.filter.as_of;
  out.provider = std::move(p).value();
  std::map<NodeId, SubstituteView> found;
  // What the provider is part of (Russia, for Russian gas) is no alternative to it.
  std::set<NodeId> wholes;
  {
    Result<std::vector<AdjacencyEntry>> up =
        Rows(view, out.provider.id, Direction::kOut, "part_of", q.filter);
    if (!up.ok()) return up.status();
    for (const auto& r : up.value()) wholes.insert(r.other);
  }
  auto offer = [&](NodeId id, EdgeId edge, const std::string& why) -> Status {
    if (id == out.provider.id || (out.consumer && id == out.consumer->id) || wholes.count(id))
      return Status::Ok();
    Result<EdgeView> e = LoadEdge(view, edge, q.filter);
    if (!e.ok()) return e.status().code() == Status::Code::kNotFound ? Status::Ok() : e.status();
    auto it = found.find(id);
    if (it == found.end()) {
      Result<NodeRecord> n = view.NodeById(id);
      if (!n.ok()) return n.status();
      it = found.emplace(id, SubstituteView{std::move(n).value(), why, {}, 0}).first;
    } else if (it->second.why.find(why) == std::string::npos) {
      it->second.why += "; " + why;
    }
    it->second.score = std::max(it->second.score, e->rec.q.strength * e->rec.q.confidence);
    it->second.edges.push_back(std::move(e).value());
    return Status::Ok();
  };
  auto substitutes_of = [&](NodeId target, const std::string& why) -> Status {
    Result<std::vector<AdjacencyEntry>> rows =
        Rows(view, target, Direction::kIn, "substitutes_for", q.filter);
    if (!rows.ok()) return rows.status();
    for (const auto& r : rows.value()) SINEW_RETURN_IF_ERROR(offer(r.other, r.edge, why));
    return Status::Ok();
  };
  // 1. What the graph says can stand in for the provider itself.
  SINEW_RETURN_IF_ERROR(substitutes_of(out.provider.id, "substitutes for " + out.provider.slug));
  // 2. What can stand in for the parts of the provider (its gas, its pipelines).
  Result<std::vector<AdjacencyEntry>> parts =
      Rows(view, out.provider.id, Direction::kIn, "part_of", q.filter);
  if (!parts.ok()) return parts.status();
  std::set<int> domains;
  if (!consumer.empty()) {
    Result<NodeRecord> c = ResolveNode(view, consumer, q.filter);
    if (!c.ok()) return c.status();
    out.consumer = std::move(c).value();
    // The domains in which the consumer relies on the provider.
    for (auto [dir, type] :
         {std::pair{Direction::kOut, "depends_on"}, std::pair{Direction::kIn, "supplies"},
          std::pair{Direction::kOut, "imports_from"}, std::pair{Direction::kIn, "exports_to"}}) {
      Result<std::vector<AdjacencyEntry>> rows = Rows(view, out.consumer->id, dir, type, q.filter);
      if (!rows.ok()) return rows.status();
      for (const auto& r : rows.value())
        if (r.other == out.provider.id) domains.insert(r.domain);
    }
  }
  for (const auto& part : parts.value()) {
    SINEW_RETURN_IF_ERROR(substitutes_of(part.other, "substitutes for " +
                                                         view.NodeById(part.other)->slug +
                                                         " (part of " + out.provider.slug + ")"));
  }
  // 3. Other providers the consumer already has in those domains.
  if (out.consumer) {
    for (auto [dir, type, how] : {std::tuple{Direction::kOut, "depends_on", "also depended on by "},
                                  std::tuple{Direction::kIn, "supplies", "also supplies "}}) {
      Result<std::vector<AdjacencyEntry>> rows = Rows(view, out.consumer->id, dir, type, q.filter);
      if (!rows.ok()) return rows.status();
      for (const auto& r : rows.value()) {
        if (r.other == out.provider.id) continue;
        if (!domains.empty() && !domains.count(r.domain)) continue;
        // Providers the consumer depends on through the provider's own parts
        // are not alternatives to it.
        bool is_part = false;
        for (const auto& part : parts.value()) is_part = is_part || part.other == r.other;
        if (is_part) continue;
        SINEW_RETURN_IF_ERROR(offer(r.other, r.edge, how + out.consumer->slug));
      }
    }
  }
  for (auto& [id, s] : found) out.substitutes.push_back(std::move(s));
  std::sort(out.substitutes.begin(), out.substitutes.end(),
            [](const SubstituteView& a, const SubstituteView& b) {
              return a.score != b.score ? a.score > b.score : a.node.slug < b.node.slug;
            });
  return out;
}

Result<AsymmetryAnswer> AsymmetryOnly(const StoreView& view, const std::string& a_ref,
                                      const std::string& b_ref, const Question& q) {
  Result<NodeRecord> a = ResolveNode(view, a_ref, q.filter);
  if (!a.ok()) return a.status();
  Result<NodeRecord> b = ResolveNode(view, b_ref, q.filter);
  if (!b.ok()) return b.status();
  if (a->id == b->id) return Status::Usage("asymmetry needs two different nodes");
  AsymmetryAnswer out;
  out.as_of = q.filter.as_of;
  out.a = std::move(a).value();
  out.b = std::move(b).value();
  // Dependence only, whatever --via says: depends_on, and supplies backwards.
  Result<WalkTypes> deps = WalkOf(view.schema(), {});
  if (!deps.ok()) return deps.status();
  auto arcs = graph::StoreArcs(view, q.filter, deps->forward, deps->reversed);
  // Depending on a part of the other side (its gas, its pipelines) is
  // depending on that side.
  auto parts_of = [&](NodeId whole) -> Result<std::set<NodeId>> {
    std::set<NodeId> parts{whole};
    Result<std::vector<AdjacencyEntry>> rows =
        Rows(view, whole, Direction::kIn, "part_of", q.filter);
    if (!rows.ok()) return rows.status();
    for (const auto& r : rows.value()) parts.insert(r.other);
    return parts;
  };
  Result<std::set<NodeId>> a_parts = parts_of(out.a.id);
  if (!a_parts.ok()) return a_parts.status();
  Result<std::set<NodeId>> b_parts = parts_of(out.b.id);
  if (!b_parts.ok()) return b_parts.status();
  std::map<int, DomainBalance> by_domain;
  for (auto [from, to, a_side] : {std::tuple{out.a.id, &b_parts.value(), true},
                                  std::tuple{out.b.id, &a_parts.value(), false}}) {
    std::vector<graph::Arc> list;
    SINEW_RETURN_IF_ERROR(arcs->Out(from, &list));
    for (const auto& arc : list) {
      if (!to->count(arc.to)) continue;
      Result<EdgeView> e = LoadEdge(view, arc.edge, q.filter);
      if (!e.ok()) return e.status();
      e->rec.q.weight = arc.weight;
      DomainBalance& d = by_domain[arc.domain];
      d.domain = view.schema().DomainName(arc.domain);
      double& side = a_side ? d.a_on_b : d.b_on_a;
      side = std::max(side, arc.Score());
      (a_side ? d.a_edges : d.b_edges).push_back(std::move(e).value());
    }
  }
  for (auto& [code, d] : by_domain) {
    double sum = d.a_on_b + d.b_on_a;
    d.index = sum > 0 ? (d.a_on_b - d.b_on_a) / sum : 0;
    out.domains.push_back(std::move(d));
  }
  // Figures that bear on the balance: each side's about the other, and those
  // of flows both take part in (their bilateral trade, say).
  std::set<NodeId> subjects{out.a.id, out.b.id};
  std::map<NodeId, int> shared;
  for (NodeId side : {out.a.id, out.b.id}) {
    Result<std::vector<AdjacencyEntry>> rows =
        Rows(view, side, Direction::kOut, "participates_in", q.filter);
    if (!rows.ok()) return rows.status();
    for (const auto& r : rows.value()) ++shared[r.other];
  }
  for (const auto& [flow, n] : shared)
    if (n == 2) subjects.insert(flow);
  for (NodeId s : subjects) {
    Result<std::vector<ObservationRecord>> obs = view.ObservationsOf(s);
    if (!obs.ok()) return obs.status();
    for (auto& o : obs.value()) {
      if (!FigureWithin(o, q.filter)) continue;
      bool about_pair = (s == out.a.id && o.object == out.b.id) ||
                        (s == out.b.id && o.object == out.a.id) || (s != out.a.id && s != out.b.id);
      if (!about_pair) continue;
      ObservationView ov;
      ov.rec = o;
      ov.subject_slug = view.NodeById(s)->slug;
      if (o.object) ov.object_slug = view.NodeById(o.object)->slug;
      Result<std::vector<EvidenceView>> ev =
          VisibleEvidence(view, TargetKind::kObservation, o.id, q.filter);
      if (!ev.ok()) return ev.status();
      ov.evidence = std::move(ev).value();
      if (!ov.evidence.empty()) out.observations.push_back(std::move(ov));
    }
  }
  SINEW_RETURN_IF_ERROR(FlagConflictingFigures(view, q.filter, &out.observations));
  std::sort(out.observations.begin(), out.observations.end(),
            [](const ObservationView& x, const ObservationView& y) {
              return std::tie(x.rec.metric, x.rec.period, x.rec.id) <
                     std::tie(y.rec.metric, y.rec.period, y.rec.id);
            });
  return out;
}

}  // namespace

Result<SubstitutesAnswer> Substitutes(const StoreView& view, const std::string& provider,
                                      const std::string& consumer, const Question& q) {
  Result<SubstitutesAnswer> a = SubstitutesOnly(view, provider, consumer, q);
  if (!a.ok() || !a->substitutes.empty()) return a;
  a->hints = WhatFiltersHide(
      q, "alternative", "alternatives", [&](const Question& other) -> Result<size_t> {
        Result<SubstitutesAnswer> r = SubstitutesOnly(view, provider, consumer, other);
        if (!r.ok()) return r.status();
        return r->substitutes.size();
      });
  return a;
}

Result<AsymmetryAnswer> Asymmetry(const StoreView& view, const std::string& a_ref,
                                  const std::string& b_ref, const Question& q) {
  Result<AsymmetryAnswer> a = AsymmetryOnly(view, a_ref, b_ref, q);
  if (!a.ok() || !a->domains.empty()) return a;
  a->hints = WhatFiltersHide(q, "domain with a dependence", "domains with a dependence",
                             [&](const Question& other) -> Result<size_t> {
                               Result<AsymmetryAnswer> r = AsymmetryOnly(view, a_ref, b_ref, other);
                               if (!r.ok()) return r.status();
                               return r->domains.size();
                             });
  return a;
}

Result<std::vector<EdgeView>> EvidenceBetween(const StoreView& view, const std::string& a_ref,
                                              const std::string& b_ref, const Question& q) {
  std::vector<EdgeView> out;
  if (b_ref.empty()) {
    std::string digits = a_ref.size() > 1 && a_ref[0] == 'e' ? a_ref.substr(1) : "";
    if (digits.empty() || digits.size() > 18 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return Status::Usage("evidence takes two nodes (A B) or one edge id (like e12)");
    Result<EdgeView> e = LoadEdge(view, std::stoull(digits), q.filter);
    if (!e.ok()) return e.status();
    out.push_back(std::move(e).value());
    return out;
  }
  Result<NodeRecord> a = ResolveNode(view, a_ref, q.filter);
  if (!a.ok()) return a.status();
  Result<NodeRecord> b = ResolveNode(view, b_ref, q.filter);
  if (!b.ok()) return b.status();
  // Unlike a walk, this shows links whose accepted evidence only contradicts
  // them: refuted claims are part of the record. Domain, time and clearance
  // still apply; LoadEdge drops evidence the asker may not see.
  std::vector<EdgeId> ids;
  graph::EdgeFilter any_status = q.filter;
  any_status.include_proposed = true;
  for (Direction d : {Direction::kOut, Direction::kIn}) {
    Status s = view.ForEachAdjacent(a->id, d, 0, [&](const AdjacencyEntry& e) {
      AdjacencyEntry row = e;
      if (row.status == EvidenceStatus::kRejected) row.status = EvidenceStatus::kAccepted;
      if (e.other == b->id && any_status.Admits(row)) ids.push_back(e.edge);
      return true;
    });
    SINEW_RETURN_IF_ERROR(s);
  }
  for (EdgeId id : ids) {
    Result<EdgeView> e = LoadEdge(view, id, q.filter);
    if (!e.ok()) {
      if (e.status().code() == Status::Code::kNotFound) continue;
      return e.status();
    }
    out.push_back(std::move(e).value());
  }
  return out;
}

Result<TimelineAnswer> Timeline(const StoreView& view, const std::string& a_ref,
                                const std::string& b_ref, const Question& q) {
  Result<NodeRecord> a = ResolveNode(view, a_ref, q.filter);
  if (!a.ok()) return a.status();
  std::optional<NodeRecord> b;
  if (!b_ref.empty()) {
    Result<NodeRecord> r = ResolveNode(view, b_ref, q.filter);
    if (!r.ok()) return r.status();
    b = std::move(r).value();
  }
  TimelineAnswer out;
  out.ids.push_back(a->slug);
  if (b) out.ids.push_back(b->slug);
  // A timeline is history: links that ended belong in it. --as-of cuts it
  // at that date instead.
  graph::EdgeFilter any_time = q.filter;
  any_time.as_of = 0;
  std::vector<EdgeId> edges;
  for (Direction d : {Direction::kOut, Direction::kIn}) {
    Status s = view.ForEachAdjacent(a->id, d, 0, [&](const AdjacencyEntry& e) {
      if ((!b || e.other == b->id) && graph::Admit(view, e, any_time)) edges.push_back(e.edge);
      return true;
    });
    SINEW_RETURN_IF_ERROR(s);
  }
  auto add = [&](const std::string& date, const std::string& kind, const std::string& id,
                 const std::string& text, const EvidenceView& ev) {
    Result<FuzzyDate> d = ParseDate(date);
    TimelineItem item{
        date, kind, id, text, ev.source_slug, ev.rec.locator.ToString(), d.ok() ? d->lo : 0};
    out.items.push_back(std::move(item));
  };
  for (EdgeId id : edges) {
    Result<EdgeView> e = LoadEdge(view, id, q.filter);
    if (!e.ok()) {
      if (e.status().code() == Status::Code::kNotFound) continue;
      return e.status();
    }
    std::string link = e->src_slug + " " + e->forward + " " + e->dst_slug +
                       (e->rec.domain.empty() ? "" : " [" + e->rec.domain + "]");
    for (const auto& ev : e->evidence) {
      if (ev.rec.valid_from.empty() && ev.rec.valid_to.empty()) {
        ++out.undated;
        continue;
      }
      std::string eid = "e" + std::to_string(e->rec.id);
      if (!ev.rec.valid_from.empty())
        add(ev.rec.valid_from, "from", eid, link + ": " + ev.rec.quote, ev);
      if (!ev.rec.valid_to.empty() && ev.rec.valid_to != ev.rec.valid_from)
        add(ev.rec.valid_to, "until", eid, link + ": " + ev.rec.quote, ev);
    }
  }
  std::vector<std::pair<NodeId, NodeId>> subjects = {{a->id, b ? b->id : 0}};
  if (b) subjects.push_back({b->id, a->id});
  for (const auto& [subject, object] : subjects) {
    Result<std::vector<ObservationRecord>> obs = view.ObservationsOf(subject);
    if (!obs.ok()) return obs.status();
    for (const auto& o : obs.value()) {
      if (object != 0 && o.object != object) continue;
      Result<std::vector<EvidenceView>> ev =
          VisibleEvidence(view, TargetKind::kObservation, o.id, q.filter);
      if (!ev.ok()) return ev.status();
      for (auto& r : ev.value()) {
        std::string text = view.NodeById(o.subject)->slug + " " + o.metric +
                           (o.object ? " (" + view.NodeById(o.object)->slug + ")" : "") + ": " +
                           FigureText(o);
        add(o.period, "figure", "o" + std::to_string(o.id), text, r);
        break;  // one line per figure
      }
    }
  }
  if (q.filter.as_of != 0)
    out.items.erase(
        std::remove_if(out.items.begin(), out.items.end(),
                       [&](const TimelineItem& i) { return i.sort_key > q.filter.as_of; }),
        out.items.end());
  std::stable_sort(out.items.begin(), out.items.end(),
                   [](const TimelineItem& x, const TimelineItem& y) {
                     return std::tie(x.sort_key, x.kind, x.id) < std::tie(y.sort_key, y.kind, y.id);
                   });
  return out;
}

}  // namespace sinew::query

namespace sinew::query {

bool FiguresConflict(const ObservationRecord& a, const ObservationRecord& b) {
  if (a.id == b.id || a.source == b.source) return false;
  if (a.subject != b.subject || a.object != b.object || a.metric != b.metric || a.unit != b.unit ||
      a.period != b.period)
    return false;
  // Ranges within 5% of the larger magnitude of each other agree: a
  // rounding, not a dispute.
  double scale = std::max({std::abs(a.low), std::abs(a.high), std::abs(b.low), std::abs(b.high)});
  double slack = 0.05 * scale;
  return a.high + slack < b.low || b.high + slack < a.low;
}

namespace {

// Marks each listed figure that disagrees with another of `all`.
void MarkConflicts(const std::vector<ObservationRecord>& all, std::vector<ObservationView>* shown) {
  for (auto& o : *shown)
    for (const auto& other : all)
      if (FiguresConflict(o.rec, other)) o.conflicts.push_back("o" + std::to_string(other.id));
}

}  // namespace

Status FlagConflictingFigures(const StoreView& view, const EdgeFilter& filter,
                              std::vector<ObservationView>* shown) {
  std::map<NodeId, std::vector<ObservationRecord>> by_subject;
  for (const auto& o : *shown) {
    if (by_subject.count(o.rec.subject)) continue;
    Result<std::vector<ObservationRecord>> all = view.ObservationsOf(o.rec.subject);
    if (!all.ok()) return all.status();
    std::vector<ObservationRecord>& seen = by_subject[o.rec.subject];
    for (auto& r : all.value()) {
      Result<std::vector<EvidenceView>> ev =
          VisibleEvidence(view, TargetKind::kObservation, r.id, filter);
      if (!ev.ok()) return ev.status();
      if (!ev->empty() && FigureWithin(r, filter)) seen.push_back(std::move(r));
    }
  }
  for (auto& o : *shown) {
    std::vector<ObservationView> one = {o};
    one.front().conflicts.clear();
    MarkConflicts(by_subject[o.rec.subject], &one);
    o.conflicts = std::move(one.front().conflicts);
  }
  return Status::Ok();
}

Result<ConflictsAnswer> Conflicts(const StoreView& view, const Question& q) {
  ConflictsAnswer out;
  // Links: only those with evidence both ways can be contested.
  std::vector<EdgeId> candidates;
  graph::EdgeFilter any = q.filter;
  SINEW_RETURN_IF_ERROR(view.ForEachLink([&](const AdjacencyEntry& row) {
    if (row.evidence < 2) return true;
    if (graph::Admit(view, row, any)) candidates.push_back(row.edge);
    return true;
  }));
  for (EdgeId id : candidates) {
    Result<EdgeView> e = LoadEdge(view, id, q.filter);
    if (!e.ok()) {
      if (e.status().code() == Status::Code::kNotFound) continue;
      return e.status();
    }
    if (Contested(e.value())) out.contested.push_back(std::move(e).value());
  }
  // Figures: grouped by what they measure.
  std::map<std::string, std::vector<ObservationView>> groups;
  Status inner;
  SINEW_RETURN_IF_ERROR(view.ForEachObservation([&](const ObservationRecord& o) {
    if (!FigureWithin(o, q.filter)) return true;
    Result<std::vector<EvidenceView>> ev =
        VisibleEvidence(view, TargetKind::kObservation, o.id, q.filter);
    if (!ev.ok()) {
      inner = ev.status();
      return false;
    }
    if (ev->empty()) return true;
    ObservationView v;
    v.rec = o;
    v.evidence = std::move(ev).value();
    std::string key = std::to_string(o.subject) + "/" + std::to_string(o.object) + "/" + o.metric +
                      "/" + o.unit + "/" + o.period;
    groups[key].push_back(std::move(v));
    return true;
  }));
  SINEW_RETURN_IF_ERROR(inner);
  for (auto& [key, list] : groups) {
    if (list.size() < 2) continue;
    for (size_t i = 0; i < list.size(); ++i)
      for (size_t k = i + 1; k < list.size(); ++k) {
        if (!FiguresConflict(list[i].rec, list[k].rec)) continue;
        for (ObservationView* v : {&list[i], &list[k]}) {
          Result<NodeRecord> s = view.NodeById(v->rec.subject);
          if (s.ok()) v->subject_slug = s->slug;
          if (v->rec.object) {
            Result<NodeRecord> ob = view.NodeById(v->rec.object);
            if (ob.ok()) v->object_slug = ob->slug;
          }
        }
        out.figures.push_back({list[i], list[k]});
      }
  }
  return out;
}

}  // namespace sinew::query
