// Private to graph/: what both arc sources share, so that the store walk and
// the projection admit and weigh every edge the same way.
#pragma once

#include <optional>

#include "graph/graph.h"

namespace sinew::graph::internal {

// The row as an arc walked from `from` to `to`.
Arc ToArc(const AdjacencyEntry& row, NodeId from, NodeId to);

// Applies the substitution rule to a depends_on arc into a provider whose
// substitution factor is `sub`: weight = strength x (1 - max(repl, sub)).
void ApplySubstitution(Arc* arc, float strength, double sub);

// Canonical arc order, so both sources list arcs identically.
bool OutOrder(const Arc& a, const Arc& b);  // by type, then head, then edge
bool InOrder(const Arc& a, const Arc& b);   // by type, then tail, then edge
void SortOut(std::vector<Arc>* arcs);
void SortIn(std::vector<Arc>* arcs);

// Codes of the two edge types the rules single out (0 when the schema lacks them).
uint16_t DependsOnCode(const Schema& schema);
uint16_t SubstitutesForCode(const Schema& schema);

}  // namespace sinew::graph::internal
