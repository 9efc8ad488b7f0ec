#include <algorithm>
#include <cmath>
#include <map>

#include "graph/arcs_internal.h"

namespace sinew::graph {
namespace internal {

Arc ToArc(const AdjacencyEntry& row, NodeId from, NodeId to) {
  Arc a;
  a.from = from;
  a.to = to;
  a.edge = row.edge;
  a.type = row.type;
  a.domain = row.domain;
  a.weight = row.weight;
  a.confidence = row.confidence;
  a.valid_from = row.from;
  a.valid_to = row.to;
  return a;
}

void ApplySubstitution(Arc* arc, float strength, double sub) {
  if (sub <= 0) return;
  float capped = static_cast<float>(strength * (1.0 - sub));
  arc->weight = std::min(arc->weight, std::max(0.0f, capped));
}

bool OutOrder(const Arc& a, const Arc& b) {
  return std::tie(a.type, a.to, a.edge) < std::tie(b.type, b.to, b.edge);
}

bool InOrder(const Arc& a, const Arc& b) {
  return std::tie(a.type, a.from, a.edge) < std::tie(b.type, b.from, b.edge);
}

void SortOut(std::vector<Arc>* arcs) { std::sort(arcs->begin(), arcs->end(), OutOrder); }

void SortIn(std::vector<Arc>* arcs) { std::sort(arcs->begin(), arcs->end(), InOrder); }

uint16_t DependsOnCode(const Schema& schema) {
  const EdgeTypeInfo* t = schema.FindEdgeType("depends_on");
  return t ? t->code : 0;
}

uint16_t SubstitutesForCode(const Schema& schema) {
  const EdgeTypeInfo* t = schema.FindEdgeType("substitutes_for");
  return t ? t->code : 0;
}

}  // namespace internal

AdjacencyEntry RowOf(const Schema& schema, const EdgeRecord& e) {
  AdjacencyEntry a;
  const EdgeTypeInfo* t = schema.FindEdgeType(e.type);
  a.edge = e.id;
  a.node = e.src;
  a.other = e.dst;
  a.type = t ? t->code : 0;
  a.domain = std::max(0, schema.DomainCode(e.domain));
  a.modality = e.q.modality;
  a.status = e.q.status;
  a.marking_lo = e.q.marking_lo;
  a.marking_hi = e.q.marking_hi;
  a.evidence = e.q.supporting + e.q.contradicting + e.q.proposed + e.q.rejected;
  a.from = e.q.from_lo;
  a.to = e.q.to_hi;
  a.confidence = static_cast<float>(e.q.confidence);
  a.weight = static_cast<float>(e.q.weight);
  // Quantised as in the adjacency value, so both sources agree to the bit.
  a.strength = static_cast<float>(std::lround(std::clamp(e.q.strength, 0.0, 1.0) * 255)) / 255.0f;
  return a;
}

double SubstitutionOf(const std::vector<Arc>& substitutes_in) {
  double none = 1;
  for (const Arc& a : substitutes_in) none *= 1 - std::clamp<double>(a.weight * a.confidence, 0, 1);
  return 1 - none;
}

namespace {

// The arcs of `domain` in `all`, into `scratch` (which `all` may view).
void OfDomain(std::span<const Arc> all, int domain, std::vector<Arc>* scratch,
              std::span<const Arc>* view) {
  std::vector<Arc> kept;
  for (const Arc& a : all)
    if (a.domain == domain) kept.push_back(a);
  scratch->swap(kept);
  *view = *scratch;
}

}  // namespace

Status ArcSource::OutDomainView(NodeId node, int domain, std::vector<Arc>* scratch,
                                std::span<const Arc>* view) const {
  std::span<const Arc> all;
  SINEW_RETURN_IF_ERROR(OutView(node, scratch, &all));
  OfDomain(all, domain, scratch, view);
  return Status::Ok();
}

Status ArcSource::InDomainView(NodeId node, int domain, std::vector<Arc>* scratch,
                               std::span<const Arc>* view) const {
  std::span<const Arc> all;
  SINEW_RETURN_IF_ERROR(InView(node, scratch, &all));
  OfDomain(all, domain, scratch, view);
  return Status::Ok();
}

namespace {

using internal::ToArc;

class StoreArcSource : public ArcSource {
 public:
  StoreArcSource(const StoreView& view, const EdgeFilter& filter, const std::set<uint16_t>& types,
                 const std::set<uint16_t>& reversed)
      : view_(view),
        filter_(filter),
        types_(types),
        reversed_(reversed),
        depends_on_(internal::DependsOnCode(view.schema())),
        substitutes_for_(internal::SubstitutesForCode(view.schema())) {
    // The types whose rows a walk can take in its own direction, and those
    // it takes from the other one (undirected, or run against their links).
    for (uint16_t code : types_) {
      const EdgeTypeInfo* t = view.schema().EdgeTypeByCode(code);
      if (t == nullptr) continue;
      if (t->directed && reversed_.count(code)) continue;
      natural_.push_back(code);
      if (!t->directed) against_.push_back(code);
    }
    for (uint16_t code : reversed_) {
      const EdgeTypeInfo* t = view.schema().EdgeTypeByCode(code);
      if (t != nullptr && t->directed) against_.push_back(code);
    }
  }

  Status Out(NodeId node, std::vector<Arc>* arcs) const override { return Walk(node, true, arcs); }
  Status In(NodeId node, std::vector<Arc>* arcs) const override { return Walk(node, false, arcs); }

  Result<std::vector<NodeId>> Nodes() const override {
    std::vector<NodeId> out;
    std::vector<Arc> scratch;
    Status inner;
    Status s = view_.ForEachNode([&](const NodeRecord& n) {
      scratch.clear();
      inner = Out(n.id, &scratch);
      if (inner.ok() && scratch.empty()) inner = In(n.id, &scratch);
      if (!inner.ok()) return false;
      if (!scratch.empty()) out.push_back(n.id);
      return true;
    });
    SINEW_RETURN_IF_ERROR(s);
    SINEW_RETURN_IF_ERROR(inner);
    return out;
  }

 private:
  bool Wanted(uint16_t type) const { return types_.empty() || types_.count(type); }

  // Forward: out rows as they run, in rows of undirected types reversed,
  // in rows of reversed types against their direction.
  Status Walk(NodeId node, bool forward, std::vector<Arc>* arcs) const {
    arcs->clear();
    for (Direction d : {Direction::kOut, Direction::kIn}) {
      bool natural = (d == Direction::kOut) == forward;
      auto take = [&](const AdjacencyEntry& row) {
        const EdgeTypeInfo* t = view_.schema().EdgeTypeByCode(row.type);
        if (t == nullptr) return true;
        bool against = t->directed && reversed_.count(row.type) > 0;
        if (!against && !Wanted(row.type)) return true;
        if (against ? natural : !natural && t->directed) return true;
        std::optional<AdjacencyEntry> e = Admit(view_, row, filter_);
        if (!e) return true;
        Arc a = forward ? ToArc(*e, node, row.other) : ToArc(*e, row.other, node);
        // A dependence runs dependent -> provider, so the provider is the head.
        if (against || (row.type == depends_on_ && depends_on_ != 0))
          internal::ApplySubstitution(&a, e->strength, Substitution(a.to));
        arcs->push_back(a);
        return true;
      };
      // A few types: a seek on each one's own rows, not a read of every row
      // of the node (a hub's thousands of dependants, to find one substitute).
      const std::vector<uint16_t>& only = natural ? natural_ : against_;
      if (types_.empty() || only.size() > kSeeksPerDirection) {
        SINEW_RETURN_IF_ERROR(view_.ForEachAdjacent(node, d, 0, take));
      } else {
        for (uint16_t type : only)
          SINEW_RETURN_IF_ERROR(view_.ForEachAdjacent(node, d, type, take));
      }
    }
    if (forward)
      internal::SortOut(arcs);
    else
      internal::SortIn(arcs);
    return Status::Ok();
  }

  double Substitution(NodeId provider) const {
    auto it = substitution_.find(provider);
    if (it != substitution_.end()) return it->second;
    std::vector<Arc> subs;
    if (substitutes_for_ != 0) {
      (void)view_.ForEachAdjacent(provider, Direction::kIn, substitutes_for_,
                                  [&](const AdjacencyEntry& row) {
                                    std::optional<AdjacencyEntry> e = Admit(view_, row, filter_);
                                    if (e) {
                                      Arc a = ToArc(*e, row.other, provider);
                                      a.weight = e->strength;
                                      subs.push_back(a);
                                    }
                                    return true;
                                  });
    }
    double s = SubstitutionOf(subs);
    substitution_[provider] = s;
    return s;
  }

  const StoreView& view_;
  EdgeFilter filter_;
  std::set<uint16_t> types_, reversed_;
  uint16_t depends_on_, substitutes_for_;
  std::vector<uint16_t> natural_, against_;
  static constexpr size_t kSeeksPerDirection = 2;
  mutable std::map<NodeId, double> substitution_;
};

}  // namespace

std::unique_ptr<ArcSource> StoreArcs(const StoreView& view, const EdgeFilter& filter,
                                     const std::set<uint16_t>& types,
                                     const std::set<uint16_t>& reversed) {
  return std::make_unique<StoreArcSource>(view, filter, types, reversed);
}

}  // namespace sinew::graph
