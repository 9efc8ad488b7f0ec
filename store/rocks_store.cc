#include <fcntl.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store/history.h"
#include "store/rocks.h"

namespace sinew {
namespace store_internal {

const char* const kFamilyNames[kFamilyCount] = {
    "default", "meta",     "slug",         "names",   "nodes",     "edges", "out",
    "in",      "evidence", "evidence_ref", "sources", "by_source", "obs"};

std::string NodeSlugKey(const std::string& slug) { return "n" + slug; }
std::string SourceSlugKey(const std::string& slug) { return "s" + slug; }

Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::Ok();
  if (s.IsCorruption()) return Status::Corruption(what + ": " + s.ToString());
  if (s.IsNotFound()) return Status::NotFound(what + ": " + s.ToString());
  if (s.IsBusy() || s.IsTryAgain()) return Status::Busy(what + ": " + s.ToString());
  return Status::Io(what + ": " + s.ToString());
}

namespace fs = std::filesystem;

rocksdb::ColumnFamilyOptions FamilyOptions(int family) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // One block cache for every family (by default each table factory makes its
  // own), holding index and filter blocks too: they are read when a question
  // first needs them, not all at open. A cold question touches a few tables;
  // reading every index and filter at open was a third of its page faults.
  static const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(64 << 20);
  t.block_cache = cache;
  t.cache_index_and_filter_blocks = true;
  t.cache_index_and_filter_blocks_with_high_priority = true;
  // Partitioned indexes and filters: a lookup reads the small top level and
  // one partition, not a whole table's index (megabytes at 10^6 edges, read
  // and decompressed by every cold question that touches the table).
  t.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  t.partition_filters = true;
  t.metadata_block_size = 4096;
  t.pin_top_level_index_and_filter = true;
  if (family == kOut || family == kIn) {
    // Walks seek on the 8-byte node id: prefix blooms skip files without it.
    o.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(8));
    t.whole_key_filtering = false;
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  o.compression = rocksdb::kLZ4Compression;
  // Most reads ask for keys that exist (ids found in an adjacency row, a
  // node's slug): the last level's filter only costs a cold question the
  // read of a whole filter block. Levels above it keep theirs.
  o.optimize_filters_for_hits = true;
  return o;
}

rocksdb::Options SortedFileOptions(int family) {
  rocksdb::Options o(DbOptions(), FamilyOptions(family));
  o.bottommost_compression = o.compression;
  return o;
}

rocksdb::DBOptions DbOptions() {
  rocksdb::DBOptions o;
  o.create_if_missing = false;
  o.max_background_jobs = 2;
  o.keep_log_file_num = 3;
  o.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  o.atomic_flush = true;  // keep families consistent with each other on flush
  return o;
}

namespace {

std::vector<rocksdb::ColumnFamilyDescriptor> Descriptors() {
  std::vector<rocksdb::ColumnFamilyDescriptor> out;
  for (int f = 0; f < kFamilyCount; ++f) out.emplace_back(kFamilyNames[f], FamilyOptions(f));
  return out;
}

// The single-writer lock: flock on DIR/sinew.lock, holding our pid.
Result<int> TakeWriterLock(const std::string& dir) {
  std::string path = dir + "/sinew.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Io("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {0};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return Status::Busy("store in use: " + dir + " is being written by process " + pid +
                        "; try again when it finishes, or pass --wait SECONDS to wait for it");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    ::close(fd);
    return Status::Io("cannot write " + path);
  }
  return fd;
}

Status CheckFormat(RocksStore* s) {
  std::string v;
  rocksdb::Status rs = s->db()->Get(rocksdb::ReadOptions(), s->cf(kMeta), "format", &v);
  if (!rs.ok()) return Status::Corruption(s->dir_ + " has no format version: not a sinew store?");
  int version = std::atoi(v.c_str());
  if (version > kFormatVersion)
    return Status::Invalid("store " + s->dir_ + " has format version " + std::to_string(version) +
                           ", newer than this sinew understands (" +
                           std::to_string(kFormatVersion) + "); upgrade sinew to open it");
  if (version < 1) return Status::Corruption(s->dir_ + " has a bad format version '" + v + "'");
  std::string schema_text;
  rs = s->db()->Get(rocksdb::ReadOptions(), s->cf(kMeta), "schema", &schema_text);
  if (!rs.ok()) return Status::Corruption(s->dir_ + " has no schema");
  Result<Schema> schema = Schema::Parse(schema_text, s->dir_ + " (stored schema)");
  if (!schema.ok()) return schema.status();
  s->schema_ = std::move(schema).value();
  return Status::Ok();
}

bool LooksLikeStore(const std::string& dir) { return fs::exists(fs::path(dir) / "CURRENT"); }

// The database's own files (CURRENT, manifests, write-ahead logs, tables)
// by name, size and modification time: any committed write changes it.
std::string FilesSignature(const std::string& dir) {
  std::vector<std::string> rows;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    bool ours = name == "CURRENT" || name.rfind("MANIFEST-", 0) == 0 || name.ends_with(".log") ||
                name.ends_with(".sst");
    if (!ours) continue;
    struct stat st {};
    if (::stat(entry.path().c_str(), &st) != 0) continue;  // deleted as we looked
    rows.push_back(name + " " + std::to_string(st.st_size) + " " +
                   std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec));
  }
  std::sort(rows.begin(), rows.end());
  std::string out;
  for (const auto& r : rows) out += r + "\n";
  return out;
}

// Takes the writer lock, polling until `wait_seconds` have passed.
Result<int> TakeWriterLockWaiting(const std::string& dir, double wait_seconds) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(wait_seconds * 1000));
  while (true) {
    Result<int> lock = TakeWriterLock(dir);
    if (lock.ok() || lock.status().code() != Status::Code::kBusy ||
        std::chrono::steady_clock::now() >= deadline)
      return lock;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

RocksStore::~RocksStore() {
  if (db_ && !read_only_) {
    // What the write-ahead log holds goes to table files now, so the next
    // process (a cold query) opens without replaying it.
    uint64_t pending = 0;
    for (auto* h : handles_) {
      uint64_t mem = 0;
      if (db_->GetIntProperty(h, "rocksdb.num-entries-active-mem-table", &mem)) pending += mem;
    }
    bool flushed = pending == 0 || db_->Flush(rocksdb::FlushOptions(), handles_).ok();
    if (flushed) Settle();
  }
  if (db_) {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    handles_.clear();
    (void)db_->Close();
    db_.reset();
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

// Each write of a short-lived process (an ingest, a review decision) leaves
// its own level-0 file per family, whose keys overlap the rest, holding
// rows that later writes replace or delete: a seek must look into every one
// of them. RocksDB merges them in the background, but a writer that exits
// first never lets it. So a writer closing merges a family's level-0 files
// (two or more) into level 1 when the level-1 files their keys overlap are
// at most eight times their size, so a merge costs at most about nine times
// what was written; a bulk load's files further down are not rewritten.
// Tiny writes over a large level 1 wait for RocksDB's own background merge.
// On the default desk this took a cold impact from 200 to about 110 ms
// (docs/benchmarks.md).
void RocksStore::Settle() {
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(h, &meta);
    if (meta.levels.size() < 2 || meta.levels[0].files.size() < 2) continue;
    uint64_t l0 = 0;
    std::string lo, hi;
    std::vector<std::string> files;
    bool busy = false;
    for (const auto& file : meta.levels[0].files) {
      busy = busy || file.being_compacted;
      l0 += file.size;
      if (files.empty() || file.smallestkey < lo) lo = file.smallestkey;
      if (files.empty() || file.largestkey > hi) hi = file.largestkey;
      files.push_back(file.db_path + "/" + file.name);
    }
    if (busy) continue;
    // Into level 1, rewriting the level-1 files the new keys overlap.
    uint64_t overlap = 0;
    for (const auto& file : meta.levels[1].files)
      if (!(file.largestkey < lo || file.smallestkey > hi)) overlap += file.size;
    if (overlap > 8 * l0) continue;
    rocksdb::CompactionOptions co;
    co.compression = rocksdb::kLZ4Compression;
    co.output_file_size_limit = db_->GetOptions(h).target_file_size_base;
    // A merge that fails leaves the files as they were: nothing is lost.
    (void)db_->CompactFiles(co, h, files, 1);
  }
}

std::unique_ptr<StoreView> RocksStore::View() const { return std::make_unique<RocksView>(this); }

Status RocksStore::Backup(const std::string& dir) {
  if (fs::exists(dir)) return Status::Invalid("backup target " + dir + " already exists");
  // A logical copy of one snapshot, family by family, as sorted table files
  // in a new database: it reads like any query, so it runs beside a writer
  // (RocksDB's checkpoints need the writer's own instance). Built in a
  // sibling and renamed, so a killed backup leaves no half store at `dir`.
  std::string tmp = dir + ".partial";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return Status::Io("cannot create " + tmp + ": " + ec.message());
  rocksdb::DBOptions opts = DbOptions();
  opts.create_if_missing = true;
  opts.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  SINEW_RETURN_IF_ERROR(
      FromRocks(rocksdb::DB::Open(opts, tmp, Descriptors(), &handles, &raw), "create " + tmp));
  std::unique_ptr<rocksdb::DB> copy(raw);
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  auto copy_family = [&](int f) -> Status {
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    ro.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, handles_[f]));
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), SortedFileOptions(f), handles[f]);
    std::string path = tmp + "/backup-" + kFamilyNames[f] + ".sst";
    bool opened = false;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (!opened) SINEW_RETURN_IF_ERROR(FromRocks(writer.Open(path), "open " + path));
      opened = true;
      SINEW_RETURN_IF_ERROR(FromRocks(writer.Put(it->key(), it->value()), "write " + path));
    }
    SINEW_RETURN_IF_ERROR(FromRocks(it->status(), std::string("read ") + kFamilyNames[f]));
    if (!opened) return Status::Ok();
    SINEW_RETURN_IF_ERROR(FromRocks(writer.Finish(), "finish " + path));
    rocksdb::IngestExternalFileOptions io;
    io.move_files = true;
    return FromRocks(copy->IngestExternalFile(handles[f], {path}, io), "ingest " + path);
  };
  Status st = Status::Ok();
  for (int f = 0; f < kFamilyCount && st.ok(); ++f) st = copy_family(f);
  db_->ReleaseSnapshot(snapshot);
  for (auto* h : handles) copy->DestroyColumnFamilyHandle(h);
  if (st.ok()) st = FromRocks(copy->Close(), "close " + tmp);
  copy.reset();
  if (!st.ok()) {
    fs::remove_all(tmp, ec);
    return st;
  }
  fs::rename(tmp, dir, ec);
  if (ec) return Status::Io("cannot move backup into " + dir + ": " + ec.message());
  return Status::Ok();
}

bool RocksStore::Changed() const { return FilesSignature(dir_) != files_at_open_; }

}  // namespace store_internal

using store_internal::RocksStore;

Result<std::unique_ptr<Store>> Store::Create(const std::string& dir, const std::string& schema_text,
                                             const std::string& schema_file) {
  Result<Schema> schema = Schema::Parse(schema_text, schema_file);
  if (!schema.ok()) return schema.status();
  namespace fs = std::filesystem;
  if (store_internal::LooksLikeStore(dir))
    return Status::Invalid("a store already exists at " + dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Io("cannot create " + dir + ": " + ec.message());
  auto store = std::make_unique<RocksStore>();
  store->dir_ = dir;
  store->read_only_ = false;
  Result<int> lock = store_internal::TakeWriterLock(dir);
  if (!lock.ok()) return lock.status();
  store->lock_fd_ = lock.value();
  rocksdb::DBOptions opts = store_internal::DbOptions();
  opts.create_if_missing = true;
  opts.create_missing_column_families = true;
  rocksdb::DB* raw = nullptr;
  SINEW_RETURN_IF_ERROR(store_internal::FromRocks(
      rocksdb::DB::Open(opts, dir, store_internal::Descriptors(), &store->handles_, &raw),
      "create " + dir));
  store->db_.reset(raw);
  rocksdb::WriteBatch wb;
  auto* meta = store->cf(store_internal::kMeta);
  wb.Put(meta, "format", std::to_string(kFormatVersion));
  // Every evidence version this store writes is indexed by record day.
  wb.Put(meta, store_internal::kDayIndexMarker, "1");
  wb.Put(meta, "schema", schema_text);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  SINEW_RETURN_IF_ERROR(
      store_internal::FromRocks(store->db()->Write(wo, &wb), "initialise " + dir));
  store->schema_ = std::move(schema).value();
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, OpenMode mode,
                                           double wait_seconds) {
  if (!store_internal::LooksLikeStore(dir))
    return Status::NotFound("no store at " + dir + " (create one with 'sinew init')");
  auto store = std::make_unique<RocksStore>();
  store->dir_ = dir;
  store->read_only_ = mode == OpenMode::kReadOnly;
  // Before opening: a write landing in between shows as a change, never hides.
  store->files_at_open_ = store_internal::FilesSignature(dir);
  rocksdb::DB* raw = nullptr;
  rocksdb::DBOptions opts = store_internal::DbOptions();
  // A query is often a whole short process: open table files one at a time
  // rather than on 16 threads, and skip the statistics pass.
  opts.max_file_opening_threads = 1;
  opts.skip_stats_update_on_db_open = true;
  if (store->read_only_) {
    // Every table file is opened now and held: a writer may delete files it
    // has compacted away, but a file already open stays readable, so this
    // snapshot never loses a file under it.
    opts.max_open_files = -1;
    // Between reading the manifest and opening the files it lists, a writer
    // can replace them: the open then fails on a missing file. Retry with
    // the new manifest; each attempt is a complete, consistent open.
    rocksdb::Status rs;
    for (int attempt = 0; attempt < 50; ++attempt) {
      rs = rocksdb::DB::OpenForReadOnly(opts, dir, store_internal::Descriptors(), &store->handles_,
                                        &raw);
      bool vanished =
          rs.IsPathNotFound() || rs.ToString().find("No such file") != std::string::npos;
      if (rs.ok() || !vanished) break;
      store->handles_.clear();
      std::this_thread::sleep_for(std::chrono::milliseconds(10 + 10 * (attempt % 5)));
      store->files_at_open_ = store_internal::FilesSignature(dir);
    }
    SINEW_RETURN_IF_ERROR(store_internal::FromRocks(rs, "open " + dir));
  } else {
    opts.max_open_files = 512;
    Result<int> lock = store_internal::TakeWriterLockWaiting(dir, wait_seconds);
    if (!lock.ok()) return lock.status();
    store->lock_fd_ = lock.value();
    SINEW_RETURN_IF_ERROR(store_internal::FromRocks(
        rocksdb::DB::Open(opts, dir, store_internal::Descriptors(), &store->handles_, &raw),
        "open " + dir));
  }
  store->db_.reset(raw);
  SINEW_RETURN_IF_ERROR(store_internal::CheckFormat(store.get()));
  return std::unique_ptr<Store>(std::move(store));
}

Status Store::Restore(const std::string& backup_dir, const std::string& dir) {
  namespace fs = std::filesystem;
  if (!store_internal::LooksLikeStore(backup_dir))
    return Status::NotFound("no backup at " + backup_dir);
  if (fs::exists(dir) && !fs::is_empty(dir))
    return Status::Invalid("restore target " + dir + " exists and is not empty");
  // Copy into a sibling first and rename, so a killed restore leaves no half store.
  std::string tmp = dir + ".restoring";
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::copy(backup_dir, tmp, fs::copy_options::recursive, ec);
  if (ec) return Status::Io("cannot copy " + backup_dir + ": " + ec.message());
  fs::remove(fs::path(tmp) / "sinew.lock", ec);
  if (fs::exists(dir)) fs::remove(dir, ec);
  fs::rename(tmp, dir, ec);
  if (ec) return Status::Io("cannot move restored store into " + dir + ": " + ec.message());
  Result<std::unique_ptr<Store>> check = Open(dir, OpenMode::kReadOnly);
  return check.ok() ? Status::Ok() : check.status();
}

}  // namespace sinew
