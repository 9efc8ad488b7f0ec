// Private to query/: which links a dependency question walks. By default a
// dependence is a depends_on link, or a supplies link read backwards (who is
// supplied depends on the supplier, as the bp trade tables and sanctions
// lists put it); --via names the types to walk as they run instead.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "store/store.h"

namespace sinew::query {

struct WalkTypes {
  std::set<uint16_t> forward;   // walked along their direction (empty: every type)
  std::set<uint16_t> reversed;  // walked against it
  bool dependence = false;      // the default: depends_on, and supplies backwards
};

Result<WalkTypes> WalkOf(const Schema& schema, const std::vector<std::string>& via);

// The types walked, by name, for an answer's "via": "supplies" is listed
// when it is read backwards too (the answer's text says so).
std::vector<std::string> TypeNames(const Schema& schema, const WalkTypes& walk);

}  // namespace sinew::query
