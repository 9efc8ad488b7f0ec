// Transactions: several batches checked one after another against the store
// and each other, then written in one atomic step, as one write batch or, for
// large loads, as sorted table files ingested together (the bulk path).
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "store/plan.h"

namespace sinew::store_internal {
namespace {
// Above this many writes a load goes to the database as sorted table files
// (SstFileWriter + IngestExternalFiles, one atomic step across families)
// instead of one write batch: docs/storage.md has the measurements.
constexpr uint64_t kBulkEntries = 200000;

// The family a write batch names by column family id (-1: not one of ours).
int FamilyOf(const RocksStore& store, uint32_t id) {
  for (int f = 0; f < kFamilyCount; ++f)
    if (store.cf(static_cast<Family>(f))->GetID() == id) return f;
  return -1;
}

// One write of a pending batch, as the bulk path sorts them: views into the
// batch's own bytes, which outlive the sort (copying them was a tenth of a
// bulk load), and the key's first 8 bytes as a number, which order most
// pairs without reading the key (comparing keys in the batch's bytes, a
// cache miss each, was a third of the commit). 32 bytes, for there is one
// per key written (7.7 million at 10^6 links); later writes of a key win,
// so the sort is stable.
struct Entry {
  static constexpr uint32_t kErase = 1u << 31;
  uint64_t head;  // the key's first 8 bytes, big-endian, zero-padded
  const char* key_data;
  const char* value_data;
  uint32_t key_size;
  uint32_t value_bits;  // the value's size, and kErase for a delete
  std::string_view key() const { return {key_data, key_size}; }
  std::string_view value() const { return {value_data, value_bits & ~kErase}; }
  bool erase() const { return (value_bits & kErase) != 0; }
  static uint64_t Head(std::string_view key) {
    uint64_t h = 0;
    for (size_t i = 0; i < 8; ++i)
      h = (h << 8) | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0);
    return h;
  }
  // Key order: a zero-padded head ties a key with the same key and a zero
  // byte more, which the whole keys then order.
  static bool Before(const Entry& a, const Entry& b) {
    if (a.head != b.head) return a.head < b.head;
    return a.key() < b.key();
  }
};
static_assert(sizeof(Entry) == 32);

// Collects a write batch's entries by column family.
class Collect final : public rocksdb::WriteBatch::Handler {
 public:
  Collect(const RocksStore& store, std::vector<std::vector<Entry>>* out, size_t* count)
      : store_(store), out_(out), count_(count) {}
  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& key,
                        const rocksdb::Slice& value) override {
    return Add(cf, key, value, false);
  }
  rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
    return Add(cf, key, rocksdb::Slice(), true);
  }
  rocksdb::Status SingleDeleteCF(uint32_t cf, const rocksdb::Slice& key) override {
    return Add(cf, key, rocksdb::Slice(), true);
  }

 private:
  rocksdb::Status Add(uint32_t cf, const rocksdb::Slice& key, const rocksdb::Slice& value,
                      bool erase) {
    int f = FamilyOf(store_, cf);
    if (f < 0) return rocksdb::Status::InvalidArgument("unknown column family");
    if (key.size() >= Entry::kErase || value.size() >= Entry::kErase)
      return rocksdb::Status::InvalidArgument("a key or value of 2 GiB or more");
    uint32_t bits = static_cast<uint32_t>(value.size()) | (erase ? Entry::kErase : 0);
    std::string_view k(key.data(), key.size());
    (*out_)[f].push_back(
        Entry{Entry::Head(k), key.data(), value.data(), static_cast<uint32_t>(key.size()), bits});
    ++*count_;
    return rocksdb::Status::OK();
  }
  const RocksStore& store_;
  std::vector<std::vector<Entry>>* out_;
  size_t* count_;
};

// Writes the pending batches as one sorted table file per family and
// ingests them together. Deletes travel as tombstones in the same files.
Status IngestSorted(RocksStore* store, const std::vector<rocksdb::WriteBatch>& batches,
                    const Store::Progress& progress) {
  namespace fs = std::filesystem;
  std::vector<std::vector<Entry>> families(kFamilyCount);
  size_t count = 0;
  Collect collect(*store, &families, &count);
  for (const auto& b : batches)
    SINEW_RETURN_IF_ERROR(FromRocks(b.Iterate(&collect), "read pending writes"));
  std::string tmp = store->dir() + "/bulk.tmp";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return Status::Io("cannot create " + tmp + ": " + ec.message());
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code e;
      std::filesystem::remove_all(dir, e);
    }
  } cleanup{tmp};
  uint64_t total = count, done = 0;
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (int f = 0; f < kFamilyCount; ++f) {
    std::vector<Entry>& entries = families[f];
    if (entries.empty()) continue;
    auto before = Entry::Before;
    // Most families arrive in key order already (ids are handed out in order).
    if (!std::is_sorted(entries.begin(), entries.end(), before))
      std::stable_sort(entries.begin(), entries.end(), before);
    // The files stay in the page cache (RocksDB drops them by default): the
    // first question after a load read them back from disk, 0.4 s instead of
    // 0.09 s for a chains question at 10^6 edges.
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), SortedFileOptions(f),
                                  store->cf(static_cast<Family>(f)),
                                  /*invalidate_page_cache=*/false);
    std::string path = tmp + "/" + kFamilyNames[f] + ".sst";
    SINEW_RETURN_IF_ERROR(FromRocks(writer.Open(path), "open " + path));
    for (size_t k = 0; k < entries.size(); ++k) {
      if (k + 1 < entries.size() && entries[k + 1].head == entries[k].head &&
          entries[k + 1].key() == entries[k].key())
        continue;  // overwritten
      const Entry& e = entries[k];
      rocksdb::Slice key(e.key_data, e.key_size), value(e.value().data(), e.value().size());
      SINEW_RETURN_IF_ERROR(
          FromRocks(e.erase() ? writer.Delete(key) : writer.Put(key, value), "write " + path));
      if (progress && ++done % 65536 == 0) progress("writing sorted files", done, total);
    }
    SINEW_RETURN_IF_ERROR(FromRocks(writer.Finish(), "finish " + path));
    entries.clear();
    entries.shrink_to_fit();
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store->cf(static_cast<Family>(f));
    arg.external_files = {path};
    arg.options.move_files = true;
    arg.options.snapshot_consistency = true;
    args.push_back(std::move(arg));
  }
  if (progress) progress("ingesting sorted files", total, total);
  return FromRocks(store->db()->IngestExternalFiles(args), "ingest sorted files");
}

// A generous guess at the bytes a batch's writes take (measured: about 700
// per link of a table with its evidence and index keys; 1,024 per draft).
size_t WriteBatchRoom(const Batch& b) {
  constexpr size_t kPerDraft = 1024, kMost = size_t{8} << 30;
  size_t drafts = b.nodes.size() + b.edges.size() + b.observations.size();
  for (const EdgeDraft& e : b.edges) drafts += e.evidence.size();
  return std::min(kMost, drafts * kPerDraft);
}

class RocksTransaction final : public Store::Transaction {
 public:
  explicit RocksTransaction(RocksStore* store)
      : store_(store), index_(rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true) {}

  std::unique_ptr<StoreView> View() const override {
    Index();
    return std::make_unique<RocksView>(store_, done_.empty() ? nullptr : &index_);
  }

  Result<ApplyReport> Add(const Batch& batch) override { return Plan(batch, nullptr); }
  Result<ApplyReport> AddReleasing(Batch* batch) override { return Plan(*batch, batch); }

  Result<Written> Commit(const Store::Progress& progress) override {
    Written w;
    for (const auto& b : done_) w.writes += b.Count();
    if (w.writes == 0) return w;
    uint64_t bulk = kBulkEntries;
    // A knob for tests and tuning: the bulk path from this many writes.
    if (const char* env = std::getenv("SINEW_BULK_MIN_WRITES"); env && *env)
      bulk = std::strtoull(env, nullptr, 10);
    if (w.writes >= bulk) {
      // Ingested files are synced and recorded in the manifest before the
      // call returns: durable without the write-ahead log.
      SINEW_RETURN_IF_ERROR(IngestSorted(store_, done_, progress));
      w.bulk = true;
      return w;
    }
    rocksdb::WriteOptions wo;
    wo.sync = true;
    std::string what = files_.size() == 1 ? files_[0] : std::to_string(files_.size()) + " files";
    if (done_.size() == 1)
      SINEW_RETURN_IF_ERROR(FromRocks(store_->db()->Write(wo, &done_[0]), "write " + what));
    else {
      Index();
      SINEW_RETURN_IF_ERROR(
          FromRocks(store_->db()->Write(wo, index_.GetWriteBatch()), "write " + what));
    }
    return w;
  }

 private:
  Result<ApplyReport> Plan(const Batch& batch, Batch* release) {
    if (store_->read_only_) return Status::Invalid("the store is open read-only");
    // Two files naming one source in one command would replace each other.
    auto [seen, fresh] = sources_.emplace(batch.source.slug, batch.file);
    if (!fresh && seen->second != batch.file)
      return Status::Invalid("source '" + batch.source.slug + "' is also what " + seen->second +
                                 " asserts, earlier in this command: ingest one of them",
                             batch.source_place);
    // Planned over the store plus the batches before it; written into a
    // batch of its own, indexed only when a later batch or view reads it.
    Index();
    RocksView view(store_, done_.empty() ? nullptr : &index_);
    ApplyPlan plan(store_, &view, batch);
    // Room for what the plan will write, set aside up front: a write batch
    // grows by doubling, and at 10^6 links the copy held both, 0.6 GiB more
    // at the peak of a load. Pages set aside and not written cost no memory.
    rocksdb::WriteBatch wb(WriteBatchRoom(batch));
    Result<ApplyReport> report = plan.Run(&wb, release);
    if (!report.ok()) return report;
    if (wb.Count() > 0) done_.push_back(std::move(wb));
    files_.push_back(batch.file);
    return report;
  }

  // Replays the batches not yet in the index into it.
  void Index() const {
    struct Replay final : rocksdb::WriteBatch::Handler {
      const RocksStore* store;
      rocksdb::WriteBatchWithIndex* index;
      rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice& k,
                            const rocksdb::Slice& v) override {
        int f = FamilyOf(*store, cf);
        if (f < 0) return rocksdb::Status::InvalidArgument("unknown column family");
        return index->Put(store->cf(static_cast<Family>(f)), k, v);
      }
      rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice& k) override {
        int f = FamilyOf(*store, cf);
        if (f < 0) return rocksdb::Status::InvalidArgument("unknown column family");
        return index->Delete(store->cf(static_cast<Family>(f)), k);
      }
    } replay;
    replay.store = store_;
    replay.index = &index_;
    // Every write was planned into one of the store's families, so a replay
    // cannot fail short of memory corruption.
    for (; indexed_ < done_.size(); ++indexed_) {
      rocksdb::Status st = done_[indexed_].Iterate(&replay);
      assert(st.ok());
      (void)st;
    }
  }

  RocksStore* store_;
  std::vector<rocksdb::WriteBatch> done_;  // one per batch that writes anything
  mutable rocksdb::WriteBatchWithIndex index_;
  mutable size_t indexed_ = 0;
  std::vector<std::string> files_;
  std::map<std::string, std::string> sources_;  // source slug -> the file that gave it
};

}  // namespace

std::unique_ptr<Store::Transaction> RocksStore::Begin() {
  return std::make_unique<RocksTransaction>(this);
}

}  // namespace sinew::store_internal
