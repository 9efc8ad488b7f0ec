// Glue between the Cypher engine (cypher/) and the rest of query/ (private):
// running a query with its error as a Status, rendering values, and the
// read-only graph over a sinew store.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cypher/cypher.h"
#include "graph/graph.h"
#include "store/status.h"
#include "store/store.h"

namespace sinew::query {

// Parses, checks and runs `text` on `graph` within `limits`.
Result<cypher::Table> RunCypher(const std::string& text, cypher::PropertyGraph* graph,
                                const cypher::Map& params, const cypher::Procedures* procedures,
                                const cypher::Limits& limits);
// The limits every query runs under (docs/reliability.md): 200 million
// steps, two million rows held by one clause, 512 MiB of memory grown, and the
// asker's cancel flag.
cypher::Limits QueryLimits(const std::atomic<bool>* cancel);
// Parameter values from their Cypher literal text ("[1, 2]", "'a'").
Result<cypher::Map> CypherParams(const std::map<std::string, std::string>& literals);
std::string RenderCypherValue(const cypher::Value& v, const cypher::PropertyGraph& g);
// Nodes as {labels, properties}, relationships as {type, start, end,
// properties}, paths as {nodes, relationships}.
nlohmann::json CypherJson(const cypher::Value& v, const cypher::PropertyGraph& g);
Status CypherStatus(const cypher::Error& e);

}  // namespace sinew::query
