// `sinew review`: the queue of proposed claims, and the analyst's decisions.
#include <algorithm>

#include "cli/commands.h"
#include "query/query.h"
#include "store/store.h"

namespace sinew::cli {
namespace {

using nlohmann::json;

Result<EvidenceId> ParseEvidenceId(const std::string& s) {
  std::string digits = s.rfind("ev", 0) == 0 ? s.substr(2) : s;
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return Status::Usage("'" + s + "' is not an evidence id (like ev12)");
  return static_cast<EvidenceId>(std::stoull(digits));
}

json ItemJson(const StoreView& view, const EvidenceRecord& e) {
  json item = {{"id", "ev" + std::to_string(e.id)},
               {"status", EvidenceStatusName(e.status)},
               {"quote", e.quote},
               {"locator", e.locator.ToString()},
               {"confidence", query::Round4(EvidenceConfidence(e))},
               {"stance", StanceName(e.stance)},
               {"modality", ModalityName(e.modality)}};
  if (!e.basis.empty()) item["basis"] = e.basis;
  Result<SourceRecord> s = view.SourceById(e.source);
  item["source"] = s.ok() ? s->slug : "?";
  if (e.target_kind == TargetKind::kEdge) {
    item["kind"] = "edge";
    Result<EdgeRecord> edge = view.EdgeById(e.target);
    if (edge.ok()) {
      Result<NodeRecord> a = view.NodeById(edge->src);
      Result<NodeRecord> b = view.NodeById(edge->dst);
      item["src"] = a.ok() ? a->slug : "?";
      item["dst"] = b.ok() ? b->slug : "?";
      item["type"] = edge->type;
      item["domain"] = edge->domain;
    }
  } else if (e.target_kind == TargetKind::kNode) {
    item["kind"] = "node";
    Result<NodeRecord> n = view.NodeById(e.target);
    item["name"] = n.ok() ? n->name : "?";
    item["type"] = n.ok() ? n->type : "?";
  } else {
    item["kind"] = "observation";
    (void)view.ForEachObservation([&](const ObservationRecord& o) {
      if (o.id != e.target) return true;
      Result<NodeRecord> s = view.NodeById(o.subject);
      item["subject"] = s.ok() ? s->slug : "?";
      item["metric"] = o.metric;
      item["value"] = o.low == o.high ? nlohmann::json(o.low)
                                      : nlohmann::json{{"low", o.low}, {"high", o.high}};
      item["unit"] = o.unit;
      item["period"] = o.period;
      return false;
    });
  }
  if (!e.decided_by.empty()) {
    item["decided_by"] = e.decided_by;
    item["decided_at"] = e.decided_at;
  }
  return item;
}

}  // namespace

Status RunReview(const Context& ctx, const ReviewArgs& args, std::ostream& out) {
  if (args.action == "list") {
    Result<std::unique_ptr<Store>> store = Store::Open(ctx.db, OpenMode::kReadOnly);
    if (!store.ok()) return store.status();
    auto view = (*store)->View();
    SourceId only = 0;
    if (!args.source.empty()) {
      Result<SourceRecord> s = view->SourceBySlug(args.source, false);
      if (!s.ok()) return s.status();
      only = s->id;
    }
    std::vector<EvidenceRecord> items;
    Status st = view->ForEachEvidence([&](const EvidenceRecord& e) {
      if (e.status == EvidenceStatus::kProposed && (only == 0 || e.source == only))
        items.push_back(e);
      return true;
    });
    SINEW_RETURN_IF_ERROR(st);
    std::sort(items.begin(), items.end(), [](const EvidenceRecord& a, const EvidenceRecord& b) {
      double ca = EvidenceConfidence(a), cb = EvidenceConfidence(b);
      return ca != cb ? ca > cb : a.id < b.id;
    });
    json list = json::array();
    for (const auto& e : items) list.push_back(ItemJson(*view, e));
    if (ctx.format == "json") {
      out << json{{"items", list}}.dump(2) << "\n";
      return Status::Ok();
    }
    if (list.empty()) out << "nothing to review\n";
    for (const auto& item : list) {
      std::string what = item["kind"] == "edge"
                             ? item.value("src", "?") + " " + item.value("type", "?") + " " +
                                   item.value("dst", "?") + " [" + item.value("domain", "") + "]"
                         : item["kind"] == "node" ? "node " + item.value("name", "?") + " (" +
                                                        item.value("type", "?") + ")"
                                                  : "figure " + item.value("metric", "?");
      if (item.value("stance", "") == "contradicts") what += "  CONTRADICTS";
      out << item["id"].get<std::string>() << "  " << what
          << "  c=" << query::Fixed(item["confidence"].get<double>(), 2) << "\n"
          << query::Wrap("\"" + item["quote"].get<std::string>() + "\" (" +
                             item["source"].get<std::string>() + " " +
                             item["locator"].get<std::string>() + ")",
                         79, 6);
    }
    return Status::Ok();
  }
  if (args.action != "accept" && args.action != "reject")
    return Status::Usage("review takes list, accept or reject");
  if (args.ids.empty()) return Status::Usage("review " + args.action + " needs evidence ids");
  std::vector<EvidenceId> ids;
  for (const auto& s : args.ids) {
    Result<EvidenceId> id = ParseEvidenceId(s);
    if (!id.ok()) return id.status();
    ids.push_back(id.value());
  }
  Result<std::unique_ptr<Store>> store = Store::Open(ctx.db, OpenMode::kReadWrite);
  if (!store.ok()) return store.status();
  EvidenceStatus status =
      args.action == "accept" ? EvidenceStatus::kAccepted : EvidenceStatus::kRejected;
  for (EvidenceId id : ids) {
    SINEW_RETURN_IF_ERROR((*store)->Decide(id, status, ctx.analyst, NowIso()));
    out << (args.action == "accept" ? "accepted" : "rejected") << " ev" << id << "\n";
  }
  return Status::Ok();
}

}  // namespace sinew::cli
