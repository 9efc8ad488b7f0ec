// `sinew review`: the queue of proposed claims, and the analyst's decisions.
#include <algorithm>
#include <tuple>

#include "cli/command_table.h"

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

// What a proposal is about: a link, a node the note proposes, a known node
// the note names (a mention: accepting it records that the note speaks of
// it), or a figure.
constexpr const char* kSameAs = "same-as:";

std::string KindOf(const EvidenceRecord& e) {
  switch (e.target_kind) {
    case TargetKind::kEdge:
      return "edge";
    case TargetKind::kNode:
      // A reader's proposal that this node is one the store already holds
      // (entity resolution it could not settle): accepting it merges them.
      if (e.key.rfind(kSameAs, 0) == 0) return "merge";
      return e.basis.rfind("mention", 0) == 0 || e.basis.rfind("ambiguous mention", 0) == 0
                 ? "mention"
                 : "node";
    default:
      return "figure";
  }
}

// Claims before mentions, mentions before figures, within one place of a note.
int KindRank(const EvidenceRecord& e) {
  std::string k = KindOf(e);
  return k == "edge" ? 0 : k == "node" ? 1 : k == "figure" ? 2 : 3;
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
    item["kind"] = KindOf(e);
    Result<NodeRecord> n = view.NodeById(e.target);
    item["name"] = n.ok() ? n->name : "?";
    item["type"] = n.ok() ? n->type : "?";
    item["node"] = n.ok() ? n->slug : "?";
    if (item["kind"] == "merge") {
      std::string into = e.key.substr(std::string(kSameAs).size());
      Result<NodeRecord> other = view.NodeBySlug(into);
      item["into"] = into;
      item["into_name"] = other.ok() ? other->name : "?";
      item["into_type"] = other.ok() ? other->type : "?";
    }
  } else {
    item["kind"] = "figure";
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

// The proposed records the asker may see, from --source (when given) and of
// --kind (when given), at least `above` confident (when not negative).
Result<std::vector<EvidenceRecord>> Selected(const Asker& seen, const ReviewArgs& args,
                                             double above) {
  SourceId only = 0;
  if (!args.source.empty()) {
    Result<SourceRecord> s = seen.view->SourceBySlug(args.source, false);
    if (!s.ok()) return s.status();
    only = s->id;
  }
  std::vector<EvidenceRecord> items;
  SINEW_RETURN_IF_ERROR(
      seen.view->ForEachEvidenceOfStatus(EvidenceStatus::kProposed, [&](const EvidenceRecord& e) {
        if ((only == 0 || e.source == only) && (args.kind.empty() || KindOf(e) == args.kind) &&
            (above < 0 || EvidenceConfidence(e) >= above) &&
            seen.q.filter.Within(e.marking, e.recorded_at))
          items.push_back(e);
        return true;
      }));
  return items;
}

}  // namespace

// The paragraph around a claim's sentence, with the sentence marked.
std::string InContext(const std::string& text, int64_t start, int64_t end) {
  // Offsets count code points; walk to the bytes.
  size_t bs = std::string::npos, be = std::string::npos;
  int64_t cp = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (cp == start) bs = i;
      if (cp == end) be = i;
      ++cp;
    }
  }
  if (bs == std::string::npos || be == std::string::npos || be < bs) return "";
  size_t ps = text.rfind("\n\n", bs);
  ps = ps == std::string::npos ? 0 : ps + 2;
  size_t pe = text.find("\n\n", be);
  if (pe == std::string::npos) pe = text.size();
  if (bs - ps > 600) ps = bs - 600;
  if (pe - be > 600) pe = be + 600;
  return text.substr(ps, bs - ps) + "»" + text.substr(bs, be - bs) + "«" + text.substr(be, pe - be);
}

Status RunReview(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const ReviewArgs& args = call.inv.review;
  if (args.action == "show") {
    if (args.ids.size() != 1) return Status::Usage("review show takes one evidence id");
    Result<EvidenceId> id = ParseEvidenceId(args.ids[0]);
    if (!id.ok()) return id.status();
    Result<Asker> seen = OpenAsker(ctx);
    if (!seen.ok()) return seen.status();
    const StoreView& view = *seen->view;
    Result<EvidenceRecord> e = view.EvidenceById(id.value());
    if (!e.ok()) return e.status();
    // Above the asker's clearance, a claim is as absent as one never made.
    if (!seen->q.filter.Within(e->marking, e->recorded_at))
      return Status::NotFound("no evidence ev" + std::to_string(id.value()));
    json item = ItemJson(view, e.value());
    Result<SourceRecord> src = view.SourceById(e->source, true);
    std::string context;
    if (src.ok() && !src->text.empty() && e->locator.start >= 0)
      context = InContext(src->text, e->locator.start, e->locator.end);
    item["context"] = context;
    if (ctx.format == "json") {
      out << query::JsonText(item) << "\n";
      return Status::Ok();
    }
    out << item["id"].get<std::string>() << "  " << item["status"].get<std::string>() << "  "
        << item["kind"].get<std::string>() << "\n";
    if (item["kind"] == "edge")
      out << "  " << item.value("src", "?") << " " << item.value("type", "?") << " "
          << item.value("dst", "?") << " [" << item.value("domain", "") << "]  "
          << item.value("modality", "") << ", " << item.value("stance", "") << "\n";
    if (item["kind"] == "node" || item["kind"] == "mention")
      out << "  " << item.value("name", "?") << " (" << item.value("type", "?") << ")\n";
    if (item["kind"] == "merge")
      out << "  is " << item.value("node", "?") << " " << item.value("name", "?") << " ("
          << item.value("type", "?") << ") the same as " << item.value("into", "?") << " "
          << item.value("into_name", "?") << " (" << item.value("into_type", "?")
          << ")? accepting merges them\n";
    if (item["kind"] == "figure") {
      std::string value = item.contains("value") ? item["value"].dump() : "?";
      if (item.contains("value") && item["value"].is_object())
        value = item["value"]["low"].dump() + "-" + item["value"]["high"].dump();
      out << "  " << item.value("subject", "?") << " " << item.value("metric", "?") << " = "
          << value << " " << item.value("unit", "") << " (" << item.value("period", "") << ")\n";
    }
    if (item.contains("basis"))
      out << query::Wrap("basis: " + item["basis"].get<std::string>(), 79, 2);
    out << "  " << item["source"].get<std::string>() << ", " << item["locator"].get<std::string>()
        << "\n";
    if (!context.empty())
      out << "\n" << query::Wrap(context, 79, 2);
    else
      out << query::Wrap("\"" + item["quote"].get<std::string>() + "\"", 79, 2);
    return Status::Ok();
  }

  if (args.action == "list") {
    Result<Asker> seen = OpenAsker(ctx);
    if (!seen.ok()) return seen.status();
    const std::unique_ptr<StoreView>& view = seen->view;
    Result<std::vector<EvidenceRecord>> selected = Selected(*seen, args, -1);
    if (!selected.ok()) return selected.status();
    std::vector<EvidenceRecord>& items = selected.value();
    if (args.by == "note") {
      std::sort(items.begin(), items.end(), [](const EvidenceRecord& a, const EvidenceRecord& b) {
        int ka = KindRank(a), kb = KindRank(b);
        return std::tie(a.source, a.locator.start, ka, a.id) <
               std::tie(b.source, b.locator.start, kb, b.id);
      });
    } else {
      std::sort(items.begin(), items.end(), [](const EvidenceRecord& a, const EvidenceRecord& b) {
        int ka = KindRank(a), kb = KindRank(b);
        if (ka != kb) return ka < kb;
        double ca = EvidenceConfidence(a), cb = EvidenceConfidence(b);
        return ca != cb ? ca > cb : a.id < b.id;
      });
    }
    json list = json::array();
    for (const auto& e : items) list.push_back(ItemJson(*view, e));
    if (ctx.format == "json") {
      out << query::JsonText(json{{"items", list}}) << "\n";
      return Status::Ok();
    }
    if (list.empty()) out << "nothing to review\n";
    for (const auto& item : list) {
      std::string what =
          item["kind"] == "edge"
              ? item.value("src", "?") + " " + item.value("type", "?") + " " +
                    item.value("dst", "?") + " [" + item.value("domain", "") + "]"
          : item["kind"] == "merge"
              ? "merge " + item.value("node", "?") + " (" + item.value("name", "?") + ") into " +
                    item.value("into", "?") + " (" + item.value("into_name", "?") + ")"
          : item["kind"] == "node" || item["kind"] == "mention"
              ? item["kind"].get<std::string>() + " " + item.value("name", "?") + " (" +
                    item.value("type", "?") + ")"
              : "figure " + item.value("subject", "?") + " " + item.value("metric", "?");
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
  if (args.action == "unmerge") {
    if (args.ids.size() != 1)
      return Status::Usage("review unmerge NODE: the node a merge folded away");
    Result<std::unique_ptr<Store>> store = OpenWriter(ctx);
    if (!store.ok()) return store.status();
    SINEW_RETURN_IF_ERROR((*store)->Unmerge(args.ids[0], ctx.analyst, NowIso()));
    out << "unmerged " << args.ids[0] << "\n";
    return Status::Ok();
  }
  if (args.action == "merge") {
    if (args.ids.size() != 2)
      return Status::Usage(
          "review merge FROM INTO: the node to fold away, then the one it becomes (proposed or "
          "established)");
    Result<std::unique_ptr<Store>> store = OpenWriter(ctx);
    if (!store.ok()) return store.status();
    SINEW_RETURN_IF_ERROR((*store)->Merge(args.ids[0], args.ids[1], ctx.analyst, NowIso()));
    out << "merged " << args.ids[0] << " into " << args.ids[1] << "\n";
    return Status::Ok();
  }
  if (args.action == "edit") {
    if (args.ids.size() != 1) return Status::Usage("review edit takes one evidence id");
    Result<EvidenceId> id = ParseEvidenceId(args.ids[0]);
    if (!id.ok()) return id.status();
    Store::ClaimEdit edit;
    edit.type = args.type;
    edit.domain = args.domain;
    edit.modality = args.modality;
    edit.valid_from = args.from;
    edit.valid_to = args.to;
    edit.reverse = args.reverse;
    edit.name = args.name;
    if (edit.type.empty() && edit.domain.empty() && edit.modality.empty() &&
        edit.valid_from.empty() && edit.valid_to.empty() && !edit.reverse && edit.name.empty())
      return Status::Usage(
          "review edit needs a change: --type, --reverse, --domain, --modality, --from, --to or "
          "--name");
    Result<std::unique_ptr<Store>> store = OpenWriter(ctx);
    if (!store.ok()) return store.status();
    SINEW_RETURN_IF_ERROR((*store)->Edit(id.value(), edit, ctx.analyst, NowIso()));
    out << "edited ev" << id.value() << "\n";
    return Status::Ok();
  }
  if (args.action != "accept" && args.action != "reject")
    return Status::Usage("review takes list, show, accept, reject, edit, merge or unmerge");
  std::vector<EvidenceId> ids;
  bool bulk = args.above >= 0 || !args.kind.empty() || (!args.source.empty() && args.ids.empty());
  if (bulk) {
    if (!args.ids.empty())
      return Status::Usage("review " + args.action +
                           " takes evidence ids or a selection (--above, --kind, --source), "
                           "not both");
    Result<Asker> seen = OpenAsker(ctx);
    if (!seen.ok()) return seen.status();
    Result<std::vector<EvidenceRecord>> selected = Selected(*seen, args, args.above);
    if (!selected.ok()) return selected.status();
    for (const EvidenceRecord& e : selected.value()) ids.push_back(e.id);
    if (ids.empty()) {
      out << "nothing proposed matches\n";
      return Status::Ok();
    }
  }
  if (ids.empty() && args.ids.empty())
    return Status::Usage("review " + args.action +
                         " needs evidence ids or a selection (--above X, --kind K, --source S)");
  for (const auto& s : args.ids) {
    Result<EvidenceId> id = ParseEvidenceId(s);
    if (!id.ok()) return id.status();
    ids.push_back(id.value());
  }
  Result<std::unique_ptr<Store>> store = OpenWriter(ctx);
  if (!store.ok()) return store.status();
  EvidenceStatus status =
      args.action == "accept" ? EvidenceStatus::kAccepted : EvidenceStatus::kRejected;
  for (EvidenceId id : ids) {
    SINEW_RETURN_IF_ERROR((*store)->Decide(id, status, ctx.analyst, NowIso()));
    out << (args.action == "accept" ? "accepted" : "rejected") << " ev" << id << "\n";
    if (status != EvidenceStatus::kAccepted) continue;
    // An accepted same-as proposal is a merge.
    Result<EvidenceRecord> e = (*store)->View()->EvidenceById(id);
    if (!e.ok() || e->target_kind != TargetKind::kNode || KindOf(e.value()) != "merge") continue;
    Result<NodeRecord> n = (*store)->View()->NodeById(e->target);
    if (!n.ok()) continue;  // merged already
    std::string into = e->key.substr(std::string(kSameAs).size());
    SINEW_RETURN_IF_ERROR((*store)->Merge(n->slug, into, ctx.analyst, NowIso()));
    out << "merged " << n->slug << " into " << into << " (review unmerge " << n->slug
        << " undoes it)\n";
  }
  return Status::Ok();
}

}  // namespace sinew::cli
