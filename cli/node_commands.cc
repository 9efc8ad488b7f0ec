// The node commands: a node's card (show) and the fuzzy name search (find).
#include <sstream>

#include "cli/command_table.h"

namespace sinew::cli {

Status RunShow(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const std::string& id = call.inv.text;
  int limit = call.inv.show_limit;
  bool picture = ctx.format == "dot" || ctx.format == "svg" || ctx.format == "png";
  const StoreView* view = call.asker->view.get();
  const graph::EdgeFilter& filter = call.asker->q.filter;
  Result<query::NodeCard> card = query::ShowNode(*view, id, filter, static_cast<size_t>(limit));
  if (!card.ok()) return card.status();
  std::ostringstream text;
  if (picture) {
    std::vector<const query::EdgeView*> edges;
    for (const auto* list : {&card->out, &card->in})
      for (const auto& e : *list) edges.push_back(&e);
    return WritePicture(ctx, *view, card->node.name, edges, {card->node.slug}, out);
  } else if (ctx.format == "csv") {
    std::vector<std::pair<std::vector<std::string>, const query::EdgeView*>> rows;
    for (const auto& e : card->out) rows.push_back({{"out"}, &e});
    for (const auto& e : card->in) rows.push_back({{"in"}, &e});
    query::CsvEdges(rows, {"direction"}, text);
  } else if (ctx.format == "json") {
    text << query::JsonText(query::NodeCardJson(card.value())) << "\n";
  } else {
    query::PrintNodeCard(card.value(), text);
  }
  return WriteAnswer(ctx, text.str(), out);
}

Status RunFind(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const std::string& text = call.inv.text;
  Result<std::vector<query::FindMatch>> m = query::FindNodes(
      *call.asker->view, text, static_cast<size_t>(call.inv.limit), call.asker->q.filter);
  if (!m.ok()) return m.status();
  if (ctx.format == "json")
    out << query::JsonText(query::FindJson(text, m.value())) << "\n";
  else
    query::PrintFind(m.value(), out);
  return Status::Ok();
}

}  // namespace sinew::cli
