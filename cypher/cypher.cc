#include "cypher/cypher.h"

#include "cypher/ast.h"
#include "cypher/executor.h"

namespace sinew::cypher {

Outcome Run(const std::string& text, PropertyGraph* graph, const Map& params,
            const Procedures* procedures, const Limits& limits) {
  Outcome out;
  try {
    Query q = Parse(text);
    CheckQuery(q);
    Plan(&q);
    Executor ex(graph, &params, procedures);
    ex.SetLimits(limits);
    out.table = ex.Run(q);
  } catch (const ValueTooDeep& e) {
    out.error = Error("ResourceError", "QueryTooLarge", e.what(), 0, 0, false);
  } catch (const Error& e) {
    out.error = e;
  }
  return out;
}

}  // namespace sinew::cypher
