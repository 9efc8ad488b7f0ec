// Fuzzy node search over the name index: exact names first, then names that
// start with the query, then names with a word that does, then near misses.
#include <algorithm>
#include <map>
#include <optional>
#include <sstream>

#include "query/query.h"

namespace sinew::query {
namespace {

constexpr size_t kMaxScan = 200000;  // names read for near misses

size_t EditDistance(const std::string& a, const std::string& b, size_t cap) {
  if (a.size() > b.size() + cap || b.size() > a.size() + cap) return cap + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t best = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
      best = std::min(best, cur[j]);
    }
    if (best > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

}  // namespace

Result<std::vector<FindMatch>> FindNodes(const StoreView& view, const std::string& text,
                                         size_t limit, const EdgeFilter& filter) {
  std::string q = NormalizeName(text);
  std::vector<FindMatch> out;
  if (q.empty()) return out;
  std::map<NodeId, double> best;
  // Only nodes the asker may see count, from the start: a hidden node that
  // filled the first pass would otherwise decide whether near misses are
  // looked for, and so betray that it exists.
  std::map<NodeId, std::optional<NodeRecord>> seen;
  auto visible = [&](NodeId id) -> const std::optional<NodeRecord>& {
    auto it = seen.find(id);
    if (it != seen.end()) return it->second;
    std::optional<NodeRecord> rec;
    if (Result<NodeRecord> n = view.NodeById(id); n.ok() && NodeVisible(view, n.value(), filter))
      rec = std::move(n).value();
    return seen.emplace(id, std::move(rec)).first->second;
  };
  auto offer = [&](NodeId id, double score) {
    if (!visible(id)) return;
    double& s = best[id];
    s = std::max(s, score);
  };
  // Names starting with the whole query; an exact name scores 1.
  SINEW_RETURN_IF_ERROR(view.ForEachName(q, [&](const std::string& name, NodeId id) {
    offer(id, name == q ? 1.0 : 0.7 + 0.2 * static_cast<double>(q.size()) / name.size());
    return best.size() < 10 * limit + 100;
  }));
  // Then a scan for names with a word that starts with the query, or that
  // are within a small edit distance of it.
  if (best.size() < limit) {
    size_t scanned = 0;
    size_t cap = q.size() <= 4 ? 1 : 2;
    std::vector<std::string> qwords = Words(q);
    SINEW_RETURN_IF_ERROR(view.ForEachName("", [&](const std::string& name, NodeId id) {
      std::vector<std::string> words = Words(name);
      size_t hits = 0;
      for (const auto& qw : qwords)
        for (const auto& w : words)
          if (w.rfind(qw, 0) == 0) {
            ++hits;
            break;
          }
      if (hits > 0) offer(id, 0.4 + 0.3 * static_cast<double>(hits) / qwords.size());
      size_t d = EditDistance(q, name, cap);
      if (d <= cap) offer(id, 0.6 - 0.1 * static_cast<double>(d));
      return ++scanned < kMaxScan;
    }));
  }
  for (const auto& [id, score] : best) out.push_back(FindMatch{*visible(id), score});
  std::sort(out.begin(), out.end(), [](const FindMatch& a, const FindMatch& b) {
    return a.score != b.score ? a.score > b.score : a.node.slug < b.node.slug;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace sinew::query
