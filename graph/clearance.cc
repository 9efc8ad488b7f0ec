// What an asker may see, decided in one place: a record is within the
// asker's clearance and record time (--known-at) or it is as absent as one
// never made; a source, a node's name from a source, an evidence record and
// an adjacency row are all judged here, and a link straddling the clearance
// is re-derived from what may be seen. query/ (SeenBy, cards, exports),
// the walks and review all ask these functions.
#include "graph/graph.h"

namespace sinew::graph {

bool EdgeFilter::SeesEverything() const { return clearance == Marking::kRed && known_at == 0; }

bool EdgeFilter::Within(Marking m, const std::string& recorded_at) const {
  return m <= clearance && (known_at == 0 || DayOf(recorded_at) <= known_at);
}

bool EdgeFilter::SeesSource(const SourceRecord& s) const {
  // Known since its first revision (later ones change what it says, which
  // the evidence and claims record).
  return Within(s.marking, s.first_ingested_at.empty() ? s.ingested_at : s.first_ingested_at);
}

bool EdgeFilter::SeesClaim(const NodeClaim& c, const SourceRecord& s) const {
  return c.marking <= clearance && SeesSource(s);
}

bool EdgeFilter::Sees(const EvidenceRecord& e) const {
  if (!Within(e.marking, e.recorded_at)) return false;
  if (e.status == EvidenceStatus::kRejected) return false;
  if (e.status == EvidenceStatus::kProposed && !include_proposed) return false;
  return true;
}

bool EdgeFilter::Admits(const AdjacencyEntry& e) const {
  if (e.marking_lo > clearance) return false;
  if (e.status == EvidenceStatus::kRejected) return false;
  if (e.status == EvidenceStatus::kProposed && !include_proposed) return false;
  if (!include_scenarios &&
      (e.modality == Modality::kProjected || e.modality == Modality::kHypothetical))
    return false;
  if (!domains.empty() && !domains.count(e.domain)) return false;
  if (as_of != 0 && (e.from > as_of || e.to < as_of)) return false;
  if (e.status == EvidenceStatus::kAccepted && e.confidence < min_confidence) return false;
  return true;
}

Result<std::optional<EdgeQualifiers>> SeenQualifiers(const StoreView& view, EdgeId edge,
                                                     Marking marking_hi, const EdgeFilter& filter) {
  if (marking_hi <= filter.clearance && filter.known_at == 0)
    return std::optional<EdgeQualifiers>();
  // Mixed markings, or a question about an earlier moment: the evidence this
  // reader may see decides the qualifiers.
  Result<std::vector<EvidenceRecord>> ev = view.EvidenceOf(TargetKind::kEdge, edge);
  if (!ev.ok()) return ev.status();
  std::vector<EvidenceRecord> seen;
  for (auto& r : ev.value())
    if (filter.known_at == 0 || DayOf(r.recorded_at) <= filter.known_at)
      seen.push_back(std::move(r));
  return std::optional<EdgeQualifiers>(DeriveEdge(seen, filter.clearance));
}

std::optional<AdjacencyEntry> Admit(const StoreView& view, const AdjacencyEntry& row,
                                    const EdgeFilter& filter) {
  if (row.marking_lo > filter.clearance) return std::nullopt;
  AdjacencyEntry e = row;
  Result<std::optional<EdgeQualifiers>> seen =
      SeenQualifiers(view, row.edge, row.marking_hi, filter);
  if (!seen.ok()) return std::nullopt;
  if (seen->has_value()) {
    const EdgeQualifiers& q = **seen;
    if (q.supporting + q.contradicting + q.proposed + q.rejected == 0) return std::nullopt;
    e.status = q.status;
    e.modality = q.modality;
    e.confidence = static_cast<float>(q.confidence);
    e.weight = static_cast<float>(q.weight);
    e.strength = static_cast<float>(q.strength);
    e.from = q.from_lo;
    e.to = q.to_hi;
    e.marking_lo = q.marking_lo;
    e.marking_hi = q.marking_hi;
  }
  if (!filter.Admits(e)) return std::nullopt;
  return e;
}

}  // namespace sinew::graph
