// In-process measurements for bench/run.py, printed as JSON:
//   sinew_bench lookups DB        point lookups by slug and alias prefix completion,
//                                 beside raw RocksDB reads of the same keys
//   sinew_bench projection DB     building the in-memory projection from a snapshot
//   sinew_bench footprint DB      bytes on disk per column family
//   sinew_bench baseline DIR N    the physical baselines: RocksDB fills, random
//                                 reads and seek+next on N adjacency-sized keys
//   sinew_bench graph DB JSON     the graph layer in process, warm, beside igraph's
//                                 and NetworkX's traversals: JSON names the questions
//                                 ({"khop": [SRC, DOMAIN, [1, 2, 3, 4]], "shortest":
//                                 [S, T], "chains": [S, T], "impact": X}); each is
//                                 asked once untimed, then timed REPS (default 10) times
// A benchmark tool, not part of the product: it may open RocksDB directly.
#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "graph/graph.h"
#include "query/query.h"
#include "store/store.h"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double Ns(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::nano>(b - a).count();
}

json Summary(std::vector<double> ns) {
  std::sort(ns.begin(), ns.end());
  auto at = [&](double q) {
    return ns.empty() ? 0.0 : ns[static_cast<size_t>(q * (ns.size() - 1))];
  };
  return {{"p50_ns", at(0.5)}, {"p95_ns", at(0.95)}, {"n", ns.size()}};
}

std::unique_ptr<sinew::Store> OpenStore(const std::string& dir) {
  auto s = sinew::Store::Open(dir, sinew::OpenMode::kReadOnly);
  if (!s.ok()) {
    std::cerr << s.status().ToString() << "\n";
    std::exit(1);
  }
  return std::move(s).value();
}

std::vector<std::string> Families(const std::string& dir) {
  std::vector<std::string> names;
  rocksdb::Status st = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names);
  if (!st.ok()) std::exit(1);
  return names;
}

int Lookups(const std::string& dir) {
  auto store = OpenStore(dir);
  auto view = store->View();
  std::vector<std::string> slugs;
  std::vector<std::string> names;
  (void)view->ForEachNode([&](const sinew::NodeRecord& n) {
    slugs.push_back(n.slug);
    names.push_back(n.name);
    return true;
  });
  std::mt19937_64 rng(42);
  std::vector<double> by_slug, prefix;
  for (int i = 0; i < 20000; ++i) {
    const std::string& s = slugs[rng() % slugs.size()];
    auto t0 = Clock::now();
    auto n = view->NodeBySlug(s);
    auto t1 = Clock::now();
    if (!n.ok()) return 1;
    by_slug.push_back(Ns(t0, t1));
  }
  for (int i = 0; i < 2000; ++i) {
    std::string p = sinew::NormalizeName(names[rng() % names.size()]).substr(0, 3);
    int got = 0;
    auto t0 = Clock::now();
    (void)view->ForEachName(p, [&](const std::string&, sinew::NodeId) { return ++got < 20; });
    prefix.push_back(Ns(t0, Clock::now()));
  }
  view.reset();
  store.reset();
  // The same keys read raw from the slug family: the physical bound.
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& f : Families(dir)) cfs.emplace_back(f, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, cfs, &handles, &raw).ok()) return 1;
  rocksdb::ColumnFamilyHandle* slug_cf = nullptr;
  for (auto* h : handles)
    if (h->GetName() == "slug") slug_cf = h;
  std::vector<double> raw_get;
  std::string value;
  for (int i = 0; i < 20000; ++i) {
    std::string key = "n" + slugs[rng() % slugs.size()];
    auto t0 = Clock::now();
    auto st = raw->Get(rocksdb::ReadOptions(), slug_cf, key, &value);
    raw_get.push_back(Ns(t0, Clock::now()));
    if (!st.ok()) return 1;
  }
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  std::cout << json{{"by_slug", Summary(by_slug)},
                    {"prefix_top20", Summary(prefix)},
                    {"raw_get", Summary(raw_get)}}
                   .dump()
            << "\n";
  return 0;
}

int Projection(const std::string& dir) {
  auto store = OpenStore(dir);
  auto view = store->View();
  std::vector<double> ns;
  uint64_t edges = 0;
  for (int i = 0; i < 5; ++i) {
    auto t0 = Clock::now();
    auto p = sinew::graph::Projection::Build(*view, sinew::graph::EdgeFilter{});
    ns.push_back(Ns(t0, Clock::now()));
    if (!p.ok()) return 1;
  }
  auto stats = view->Stats();
  if (stats.ok()) edges = stats->edges;
  std::cout << json{{"build", Summary(ns)}, {"edges", edges}}.dump() << "\n";
  return 0;
}

int Footprint(const std::string& dir) {
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& f : Families(dir)) cfs.emplace_back(f, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, cfs, &handles, &raw).ok()) return 1;
  json sizes = json::object();
  for (auto* h : handles) {
    uint64_t sst = 0, mem = 0;
    raw->GetIntProperty(h, "rocksdb.total-sst-files-size", &sst);
    raw->GetIntProperty(h, "rocksdb.cur-size-all-mem-tables", &mem);
    sizes[h->GetName()] = sst + mem;
    raw->DestroyColumnFamilyHandle(h);
  }
  delete raw;
  std::cout << json{{"families", sizes}}.dump() << "\n";
  return 0;
}

// Keys shaped like adjacency rows (26 bytes) with 24-byte values.
std::string Key(uint64_t i) {
  std::string k(26, '\0');
  for (int b = 0; b < 8; ++b) k[b] = static_cast<char>(i >> (56 - 8 * b));
  for (int b = 0; b < 8; ++b) k[10 + b] = static_cast<char>((i * 7919) >> (56 - 8 * b));
  return k;
}

int Baseline(const std::string& dir, uint64_t n) {
  json out = json::object();
  std::string value(24, 'v');
  std::vector<uint64_t> order(n);
  for (uint64_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(7);
  for (const char* kind : {"fill_sequential", "fill_random"}) {
    std::filesystem::remove_all(dir);
    rocksdb::Options o;
    o.create_if_missing = true;
    o.compression = rocksdb::kLZ4Compression;
    rocksdb::DB* db = nullptr;
    if (!rocksdb::DB::Open(o, dir, &db).ok()) return 1;
    if (std::string(kind) == "fill_random") std::shuffle(order.begin(), order.end(), rng);
    auto t0 = Clock::now();
    rocksdb::WriteBatch wb;
    for (uint64_t i : order) {
      wb.Put(Key(i), value);
      if (wb.Count() == 10000) {
        db->Write(rocksdb::WriteOptions(), &wb);
        wb.Clear();
      }
    }
    db->Write(rocksdb::WriteOptions(), &wb);
    db->Flush(rocksdb::FlushOptions());
    db->CompactRange(rocksdb::CompactRangeOptions(), nullptr,
                     nullptr);  // the compaction the load causes
    out[kind] = {{"keys_per_s", n / (Ns(t0, Clock::now()) / 1e9)}};
    if (std::string(kind) == "fill_random") {
      std::vector<double> get, seek;
      std::string v;
      for (int i = 0; i < 20000; ++i) {
        std::string k = Key(rng() % n);
        auto a = Clock::now();
        db->Get(rocksdb::ReadOptions(), k, &v);
        get.push_back(Ns(a, Clock::now()));
      }
      for (int i = 0; i < 5000; ++i) {
        std::string k = Key(rng() % n);
        auto a = Clock::now();
        std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
        int m = 0;
        for (it->Seek(k); it->Valid() && m < 10; it->Next()) ++m;
        seek.push_back(Ns(a, Clock::now()));
      }
      out["random_read"] = Summary(get);
      out["seek_next10"] = Summary(seek);
    }
    delete db;
  }
  std::filesystem::remove_all(dir);
  std::cout << out.dump() << "\n";
  return 0;
}

// A question that cannot be answered says which, and why.
std::optional<json> Failed(const std::string& what, const sinew::Status& s) {
  // The slugs come from the command line: terminal-safe, as sinew prints them.
  std::cerr << "sinew_bench graph: " << sinew::TerminalSafe(what + ": " + s.ToString()) << "\n";
  return std::nullopt;
}

// Times fn `reps` times after one untimed call; its answer must not change.
template <typename Fn>
json Timed(Fn fn, int reps) {
  auto first = fn();
  if (!first) {
    std::cerr << "sinew_bench graph: a question failed\n";
    std::exit(1);
  }
  std::vector<double> ns;
  double spent = 0;  // a slow question stops after 3 runs or 5 s, whichever is later
  for (int i = 0; i < reps && (i < 3 || spent < 5e9); ++i) {
    auto t0 = Clock::now();
    auto again = fn();
    ns.push_back(Ns(t0, Clock::now()));
    spent += ns.back();
    if (again != first) {
      std::cerr << "sinew_bench graph: an answer changed between runs\n";
      std::exit(1);
    }
  }
  json out = Summary(ns);
  out["answer"] = first->is_null() ? json() : *first;
  return out;
}

// The questions bench/run.py asks the CLI, asked of the graph layer in one
// process after a first run has built what it keeps: k-hop as a traversal of
// a projection (what igraph times); shortest path, chains and impact through
// the query layer with a session's projection cache, as the shell answers
// them without parsing or rendering (they gather a neighbourhood first, or
// rank, which the peers' traversals do not).
int Graph(const std::string& dir, const std::string& spec, int reps) {
  json q = json::parse(spec);
  auto store = OpenStore(dir);
  auto view = store->View();
  const sinew::Schema& schema = view->schema();
  auto node = [&](const std::string& slug) {
    auto n = view->NodeBySlug(slug);
    if (!n.ok()) {
      std::cerr << "sinew_bench graph: " << sinew::TerminalSafe(slug + ": " + n.status().ToString())
                << "\n";
      std::exit(1);
    }
    return n->id;
  };
  auto filter = [&](std::vector<std::string> domains) {
    sinew::graph::FilterSettings f;
    f.domains = std::move(domains);
    f.all_time = true;
    auto made = sinew::graph::MakeFilter(schema, f);
    if (!made.ok()) std::exit(1);
    return made.value();
  };
  using Answer = std::optional<json>;
  json out = json::object();
  if (q.contains("khop")) {
    sinew::NodeId src = node(q["khop"][0]);
    auto p = sinew::graph::Projection::Build(*view, filter({q["khop"][1].get<std::string>()}));
    if (!p.ok()) return 1;
    for (int k : q["khop"][2]) {
      out["khop" + std::to_string(k)] = Timed(
          [&]() -> Answer {
            auto tree = sinew::graph::DependencyTree(**p, src, false, k);
            if (!tree.ok()) return std::nullopt;
            return json(tree->size());
          },
          reps);
    }
  }
  sinew::query::ProjectionCache cache;
  sinew::query::Question question;
  question.filter = filter({});
  question.projections = &cache;
  if (q.contains("shortest")) {
    // As `path S T --mode shortest --via all` finds it: the neighbourhood a
    // search from both ends meets, then the path on it.
    std::string s = q["shortest"][0], t = q["shortest"][1];
    sinew::query::Question any = question;
    any.via = {"all"};
    out["shortest"] = Timed(
        [&]() -> Answer {
          auto a = sinew::query::PathBetween(*view, s, t, "shortest", any);
          if (!a.ok()) return Failed("shortest " + s + " " + t, a.status());
          return a->chains.empty() ? json() : json(a->chains[0].edges.size());
        },
        reps);
  }
  if (q.contains("chains")) {
    std::string s = q["chains"][0], t = q["chains"][1];
    out["chains4"] = Timed(
        [&]() -> Answer {
          auto a = sinew::query::Chains(*view, s, t, 4, 1, question);
          if (!a.ok()) return Failed("chains " + s + " " + t, a.status());
          return json(a->found);
        },
        reps);
  }
  if (q.contains("impact")) {
    std::string x = q["impact"];
    out["impact"] = Timed(
        [&]() -> Answer {
          auto a = sinew::query::Impact(*view, x, question, 10);
          if (!a.ok()) return Failed("impact " + x, a.status());
          return json(a->total);
        },
        reps);
  }
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "lookups" && argc == 3) return Lookups(argv[2]);
  if (mode == "projection" && argc == 3) return Projection(argv[2]);
  if (mode == "footprint" && argc == 3) return Footprint(argv[2]);
  if (mode == "baseline" && argc == 4) return Baseline(argv[2], std::stoull(argv[3]));
  if (mode == "graph" && (argc == 4 || argc == 5))
    return Graph(argv[2], argv[3], argc == 5 ? std::stoi(argv[4]) : 10);
  std::cerr << "usage: sinew_bench lookups|projection|footprint DB | baseline DIR N | "
               "graph DB JSON [REPS]\n";
  return 2;
}
