#include <algorithm>
#include <map>

#include "query/query.h"

namespace sinew::query {
namespace {}  // namespace

bool NodeVisible(const StoreView& view, const NodeRecord& n, const EdgeFilter& filter) {
  // A node only text extraction has proposed stays out of answers until an
  // analyst accepts its evidence (or asks for proposals).
  bool only_proposed = !n.claims.empty();
  for (const auto& [src, claim] : n.claims) only_proposed = only_proposed && claim.proposed;
  if (only_proposed && !filter.include_proposed) {
    Result<std::vector<EvidenceRecord>> ev = view.EvidenceOf(TargetKind::kNode, n.id);
    bool accepted = false;
    if (ev.ok())
      for (const auto& e : ev.value())
        accepted = accepted || (e.status == EvidenceStatus::kAccepted && filter.Sees(e));
    if (!accepted) return false;
  }
  if (filter.SeesEverything()) return true;
  for (const auto& [src, claim] : n.claims) {
    Result<SourceRecord> s = view.SourceById(src);
    if (s.ok() && filter.SeesClaim(claim, s.value())) return true;
  }
  // A node asserted only above clearance shows only through a visible edge.
  bool seen = false;
  for (Direction d : {Direction::kOut, Direction::kIn}) {
    (void)view.ForEachAdjacent(n.id, d, 0, [&](const AdjacencyEntry& e) {
      if (e.marking_lo > filter.clearance) return true;
      if (filter.known_at == 0) {
        seen = true;
      } else if (auto ev = view.EvidenceOf(TargetKind::kEdge, e.edge); ev.ok()) {
        for (const auto& r : ev.value()) seen = seen || filter.Sees(r);
      }
      return !seen;
    });
    if (seen) return true;
  }
  return false;
}

Result<std::vector<EvidenceView>> VisibleEvidence(const StoreView& view, TargetKind kind,
                                                  uint64_t target, const EdgeFilter& filter) {
  Result<std::vector<EvidenceRecord>> ev = view.EvidenceOf(kind, target);
  if (!ev.ok()) return ev.status();
  std::vector<EvidenceView> out;
  struct Seen {
    std::string slug, title;
    bool visible;
  };
  std::map<SourceId, Seen> sources;
  for (auto& r : ev.value()) {
    if (!filter.Sees(r)) continue;
    auto it = sources.find(r.source);
    if (it == sources.end()) {
      Result<SourceRecord> s = view.SourceById(r.source);
      if (!s.ok()) return s.status();
      it = sources.emplace(r.source, Seen{s->slug, s->title, filter.SeesSource(s.value())}).first;
    }
    // A record marked below its source (a store written before markings
    // were floored at the source's) is as hidden as its source.
    if (!it->second.visible) continue;
    out.push_back(EvidenceView{std::move(r), it->second.slug, it->second.title});
  }
  return out;
}

bool FigureWithin(const ObservationRecord& o, const EdgeFilter& filter) {
  if (filter.as_of == 0) return true;
  Result<FuzzyDate> d = ParseDate(o.period);
  return !d.ok() || d->lo <= filter.as_of;
}

Result<NodeRecord> ResolveNode(const StoreView& view, const std::string& ref,
                               const EdgeFilter& filter) {
  Result<NodeRecord> n = view.NodeBySlug(ref);
  if (n.ok()) {
    if (NodeVisible(view, n.value(), filter)) return n;
    return Status::NotFound("no node '" + Excerpt(ref) + "'");
  }
  if (n.status().code() != Status::Code::kNotFound) return n.status();
  std::string norm = NormalizeName(ref);
  std::vector<NodeId> ids;
  Status s = view.ForEachName(norm + std::string(1, '\0'), [&](const std::string&, NodeId id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    return true;
  });
  SINEW_RETURN_IF_ERROR(s);
  std::vector<NodeRecord> found;
  for (NodeId id : ids) {
    Result<NodeRecord> r = view.NodeById(id);
    if (r.ok() && NodeVisible(view, r.value(), filter)) found.push_back(std::move(r).value());
  }
  if (found.size() == 1) return found.front();
  if (found.size() > 1) {
    std::string list;
    for (const auto& f : found) list += (list.empty() ? "" : ", ") + f.slug + " (" + f.type + ")";
    return Status::NotFound("'" + Excerpt(ref) + "' names several nodes: " + list + "; use an id");
  }
  Result<std::vector<FindMatch>> near = FindNodes(view, ref, 3, filter);
  std::string hint;
  if (near.ok())
    for (const auto& m : near.value()) hint += (hint.empty() ? "" : ", ") + m.node.slug;
  return Status::NotFound("no node '" + Excerpt(ref) + "'" +
                          (hint.empty() ? "" : " (did you mean: " + hint + "?)"));
}

Result<EdgeView> LoadEdge(const StoreView& view, EdgeId id, const EdgeFilter& filter) {
  Result<EdgeRecord> rec = view.EdgeById(id);
  if (!rec.ok()) return rec.status();
  EdgeView e;
  e.rec = std::move(rec).value();
  Result<std::vector<EvidenceView>> ev = VisibleEvidence(view, TargetKind::kEdge, id, filter);
  if (!ev.ok()) return ev.status();
  e.evidence = std::move(ev).value();
  if (e.evidence.empty()) return Status::NotFound("no edge e" + std::to_string(id));
  // Qualifiers as the asker sees them: only evidence within clearance.
  Result<std::optional<EdgeQualifiers>> seen =
      graph::SeenQualifiers(view, id, e.rec.q.marking_hi, filter);
  if (!seen.ok()) return seen.status();
  if (seen->has_value()) e.rec.q = **seen;
  for (auto [nid, slug, name] : {std::tuple{e.rec.src, &e.src_slug, &e.src_name},
                                 std::tuple{e.rec.dst, &e.dst_slug, &e.dst_name}}) {
    Result<NodeRecord> n = view.NodeById(nid);
    if (!n.ok()) return n.status();
    *slug = n->slug;
    *name = n->name;
  }
  if (const EdgeTypeInfo* t = view.schema().FindEdgeType(e.rec.type)) {
    e.forward = t->forward;
    e.reverse = t->reverse;
    e.directed = t->directed;
  }
  return e;
}

Result<NodeCard> ShowNode(const StoreView& view, const std::string& ref, const EdgeFilter& filter,
                          size_t limit) {
  Result<NodeRecord> n = ResolveNode(view, ref, filter);
  if (!n.ok()) return n.status();
  NodeCard card;
  card.node = std::move(n).value();
  Result<std::vector<EvidenceView>> own =
      VisibleEvidence(view, TargetKind::kNode, card.node.id, filter);
  if (!own.ok()) return own.status();
  card.evidence = std::move(own).value();
  // Rows by the list they land in (undirected links go out, whichever way
  // they are stored), in type order; a limit keeps each list's strongest.
  std::vector<std::pair<float, EdgeId>> rows[2];  // out, in
  for (Direction d : {Direction::kOut, Direction::kIn}) {
    Status s = view.ForEachAdjacent(card.node.id, d, 0, [&](const AdjacencyEntry& a) {
      std::optional<AdjacencyEntry> seen = graph::Admit(view, a, filter);
      if (!seen) return true;
      const EdgeTypeInfo* type = view.schema().EdgeTypeByCode(a.type);
      bool outward = d == Direction::kOut || (type && !type->directed);
      rows[outward ? 0 : 1].emplace_back(seen->weight, a.edge);
      return true;
    });
    SINEW_RETURN_IF_ERROR(s);
  }
  for (int k = 0; k < 2; ++k) {
    (k == 0 ? card.out_total : card.in_total) = rows[k].size();
    if (limit > 0 && rows[k].size() > limit) {
      std::stable_sort(rows[k].begin(), rows[k].end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      rows[k].resize(limit);
    }
    for (const auto& [weight, id] : rows[k]) {
      Result<EdgeView> e = LoadEdge(view, id, filter);
      if (!e.ok()) {
        if (e.status().code() == Status::Code::kNotFound) {
          --(k == 0 ? card.out_total : card.in_total);
          continue;
        }
        return e.status();
      }
      (k == 0 ? card.out : card.in).push_back(std::move(e).value());
    }
  }
  Result<std::vector<ObservationRecord>> obs = view.ObservationsOf(card.node.id);
  if (!obs.ok()) return obs.status();
  for (auto& o : obs.value()) {
    if (!FigureWithin(o, filter)) continue;
    ObservationView ov;
    ov.rec = std::move(o);
    ov.subject_slug = card.node.slug;
    if (ov.rec.object != 0) {
      Result<NodeRecord> on = view.NodeById(ov.rec.object);
      if (on.ok()) ov.object_slug = on->slug;
    }
    Result<std::vector<EvidenceView>> ev =
        VisibleEvidence(view, TargetKind::kObservation, ov.rec.id, filter);
    if (!ev.ok()) return ev.status();
    ov.evidence = std::move(ev).value();
    if (ov.evidence.empty()) continue;
    card.observations.push_back(std::move(ov));
  }
  SINEW_RETURN_IF_ERROR(FlagConflictingFigures(view, filter, &card.observations));
  std::sort(card.observations.begin(), card.observations.end(),
            [](const ObservationView& a, const ObservationView& b) {
              // Within a metric and period, the largest figure first.
              double ha = -a.rec.high, hb = -b.rec.high;
              return std::tie(a.rec.metric, a.rec.period, ha, a.rec.id) <
                     std::tie(b.rec.metric, b.rec.period, hb, b.rec.id);
            });
  return card;
}

}  // namespace sinew::query

namespace sinew::query {

Result<StoreStats> StatsSeen(const StoreView& view, const EdgeFilter& filter) {
  if (filter.SeesEverything()) return view.Stats();
  StoreStats st;
  // Every node, proposed or not, as the raw counts have it; only clearance
  // and --known-at decide.
  EdgeFilter nodes = filter;
  nodes.include_proposed = true;
  std::set<EdgeId> edges, accepted;
  std::set<ObservationId> observations;
  SINEW_RETURN_IF_ERROR(view.ForEachSource([&](const SourceRecord& s) {
    if (filter.SeesSource(s)) ++st.sources;
    return true;
  }));
  SINEW_RETURN_IF_ERROR(view.ForEachEvidence([&](const EvidenceRecord& e) {
    if (!filter.Within(e.marking, e.recorded_at)) return true;
    ++st.evidence;
    if (e.status == EvidenceStatus::kProposed) ++st.proposed;
    if (e.status == EvidenceStatus::kRejected) ++st.rejected;
    if (e.target_kind == TargetKind::kEdge) {
      edges.insert(e.target);
      if (e.status == EvidenceStatus::kAccepted && e.stance == Stance::kSupports)
        accepted.insert(e.target);
    } else if (e.target_kind == TargetKind::kObservation) {
      observations.insert(e.target);
    }
    return true;
  }));
  st.edges = edges.size();
  st.accepted_edges = accepted.size();
  st.observations = observations.size();
  SINEW_RETURN_IF_ERROR(view.ForEachNode([&](const NodeRecord& n) {
    if (NodeVisible(view, n, nodes)) ++st.nodes;
    return true;
  }));
  return st;
}

}  // namespace sinew::query
