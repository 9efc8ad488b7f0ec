// Private to query/: no silent empties. When a question finds nothing, what
// each of its filters, relaxed alone, would have found ("3 with --via all",
// "1 with --all-time"), so an analyst knows whether the store is silent or
// the question was narrow.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "query/query.h"

namespace sinew::query {

// `count` answers the question under another Question; `one` and `many`
// name what it counts ("chain", "chains"). One line per filter that hides
// something.
std::vector<std::string> WhatFiltersHide(
    const Question& q, const std::string& one, const std::string& many,
    const std::function<Result<size_t>(const Question&)>& count);

}  // namespace sinew::query
