// What changed in record time between two days (query.h, Changes): every
// version of every claim the asker may see, held at the end of one day and
// not the other, or held at both in different versions.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "query/query.h"
#include "query/render.h"

namespace sinew::query {
namespace {

using nlohmann::json;

std::string Number(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *v);
  return buf;
}

std::string Open(const std::string& s) { return s.empty() ? "open" : s; }

// "field: before -> after" for each field two versions of a claim differ in.
std::vector<std::string> Differences(const EvidenceRecord& a, const EvidenceRecord& b,
                                     const std::string& target_a, const std::string& target_b) {
  std::vector<std::string> out;
  auto add = [&](const char* field, const std::string& x, const std::string& y) {
    if (x != y) out.push_back(std::string(field) + ": " + x + " -> " + y);
  };
  add("link", target_a, target_b);
  add("status", EvidenceStatusName(a.status), EvidenceStatusName(b.status));
  add("valid_from", Open(a.valid_from), Open(b.valid_from));
  add("valid_to", Open(a.valid_to), Open(b.valid_to));
  add("stance", StanceName(a.stance), StanceName(b.stance));
  add("modality", ModalityName(a.modality), ModalityName(b.modality));
  add("strength", Number(a.strength), Number(b.strength));
  add("replaceability", Number(a.replaceability), Number(b.replaceability));
  add("grade", a.reliability + std::to_string(a.credibility),
      b.reliability + std::to_string(b.credibility));
  add("marking", MarkingName(a.marking), MarkingName(b.marking));
  if (a.quote != b.quote) out.push_back("quote: reworded");
  if (a.basis != b.basis) out.push_back("basis: reworded");
  return out;
}

bool HeldAt(const EvidenceRecord& r, int32_t day) {
  return RecordDay(r.recorded_at) <= day &&
         (r.retracted_at.empty() || RecordDay(r.retracted_at) > day);
}

// A readable name for what a claim is about, as the store stood on `day`.
class Labels {
 public:
  Labels(const Store& store, int32_t day) : view_(RecordedBy(store.View(), day)) {}

  std::string Of(TargetKind kind, uint64_t target) {
    if (kind == TargetKind::kNode) return "node " + Node(target);
    if (kind == TargetKind::kObservation) return "figure o" + std::to_string(target);
    Result<EdgeRecord> e = view_->EdgeById(target);
    if (!e.ok()) return "link e" + std::to_string(target);
    return Node(e->src) + " -" + e->type + "-> " + Node(e->dst) + " (" + e->domain + ")";
  }

 private:
  // A node's slug, read once: the OFAC entries' links share their ends.
  std::string Node(NodeId id) {
    auto [it, fresh] = slugs_.try_emplace(id);
    if (fresh) {
      Result<NodeRecord> n = view_->NodeById(id);
      it->second = n.ok() ? n->slug : "n" + std::to_string(id);
    }
    return it->second;
  }
  std::unique_ptr<StoreView> view_;
  std::unordered_map<NodeId, std::string> slugs_;
};

}  // namespace

Result<ChangesAnswer> Changes(const Store& store, const EdgeFilter& filter, const std::string& from,
                              const std::string& to) {
  Result<FuzzyDate> a = ParseDate(from);
  if (!a.ok()) return Status::Usage("diff: the first date: " + a.status().message());
  Result<FuzzyDate> b = ParseDate(to);
  if (!b.ok()) return Status::Usage("diff: the second date: " + b.status().message());
  if (a->hi > b->hi) return Status::Usage("diff: " + from + " is after " + to);
  int32_t d1 = a->hi, d2 = b->hi;
  std::unique_ptr<StoreView> view = store.View();
  // Which sources the asker may see at all (by marking; record time is the
  // question here, not a filter).
  // The sources the versions cite, read as met (without their texts).
  std::map<SourceId, std::optional<std::string>> sources;
  auto seen_source = [&](SourceId id) -> const std::optional<std::string>& {
    auto [it, fresh] = sources.try_emplace(id);
    if (fresh) {
      Result<SourceRecord> s = view->SourceById(id, false);
      if (s.ok() && s->marking <= filter.clearance) it->second = s->slug;
    }
    return it->second;
  };
  struct Versions {
    std::optional<EvidenceRecord> then, now;
  };
  // By claim: a source's record, which keeps its id across versions (and
  // when an edit or merge re-files it under another link). A key alone is no
  // claim: one source may use it on several targets at once (an OFAC entry's
  // same-as proposals).
  std::map<std::pair<SourceId, EvidenceId>, Versions> claims;
  // Only versions recorded or withdrawn between the two days can differ: one
  // held at both is the same version on both (a claim holds one at a time).
  SINEW_RETURN_IF_ERROR(view->ForEachEvidenceVersionBetween(d1, d2, [&](const EvidenceRecord& r) {
    if (!seen_source(r.source) || r.marking > filter.clearance) return true;
    bool then = HeldAt(r, d1), now = HeldAt(r, d2);
    if (!then && !now) return true;
    Versions& v = claims[{r.source, r.id}];
    if (then) v.then = r;
    if (now) v.now = r;
    return true;
  }));
  ChangesAnswer out;
  out.from = from;
  out.to = to;
  Labels before(store, d1), after(store, d2);
  for (auto& [id, v] : claims) {
    ChangeRow row;
    row.source = *sources[id.first];
    row.key = (v.now ? v.now : v.then)->key;
    if (v.then && v.now) {
      const EvidenceRecord &x = *v.then, &y = *v.now;
      if (x.recorded_at == y.recorded_at && x.target == y.target) continue;  // the same version
      row.change = "changed";
      row.at = y.recorded_at;
      row.target = after.Of(y.target_kind, y.target);
      row.differences = Differences(x, y, before.Of(x.target_kind, x.target), row.target);
      if (row.differences.empty()) row.differences.push_back("restated");
      ++out.changed;
    } else if (v.now) {
      row.change = "added";
      row.at = v.now->recorded_at;
      row.target = after.Of(v.now->target_kind, v.now->target);
      ++out.added;
    } else {
      row.change = "withdrawn";
      row.at = v.then->retracted_at;
      row.target = before.Of(v.then->target_kind, v.then->target);
      ++out.withdrawn;
    }
    out.rows.push_back(std::move(row));
  }
  std::stable_sort(out.rows.begin(), out.rows.end(), [](const ChangeRow& x, const ChangeRow& y) {
    return std::tie(x.at, x.source, x.key) < std::tie(y.at, y.source, y.key);
  });
  return out;
}

json ChangesJson(const ChangesAnswer& a) {
  json rows = json::array();
  for (const auto& r : a.rows)
    rows.push_back({{"change", r.change},
                    {"at", r.at},
                    {"source", r.source},
                    {"key", r.key},
                    {"target", r.target},
                    {"differences", r.differences}});
  return {{"from", a.from},           {"to", a.to},           {"added", a.added},
          {"withdrawn", a.withdrawn}, {"changed", a.changed}, {"changes", rows}};
}

void PrintChanges(const ChangesAnswer& a, std::ostream& out) {
  out << "what the store learned between the end of " << a.from << " and the end of " << a.to
      << " (record time): " << a.added << " added, " << a.withdrawn << " withdrawn, " << a.changed
      << " changed\n";
  if (a.rows.empty()) {
    out << "  nothing: the store held the same claims on both days\n";
    return;
  }
  for (const auto& r : a.rows) {
    char mark = r.change == "added" ? '+' : r.change == "withdrawn" ? '-' : '~';
    out << "  " << mark << " " << r.at.substr(0, 10) << "  " << r.target << "  [" << r.source << " "
        << r.key << "]\n";
    for (const auto& d : r.differences) out << "      " << d << "\n";
  }
}

}  // namespace sinew::query
