// Opening the store for a command: the shell's session reader or a fresh
// one, the single writer, the question's filter, and the files commands
// read besides notes (rules, mappings, scripts).
#include <cstdlib>
#include <ctime>

#include "cli/commands.h"
#include "ingest/ingest.h"

namespace sinew::cli {

Result<graph::EdgeFilter> FilterOf(const Context& ctx, const Schema& schema) {
  graph::FilterSettings f;
  f.domains = ctx.domains;
  f.as_of = ctx.as_of;
  f.all_time = ctx.all_time;
  f.min_confidence = ctx.min_confidence;
  f.include_proposed = ctx.include_proposed;
  f.include_scenarios = ctx.include_scenarios;
  f.clearance = ctx.clearance;
  f.known_at = ctx.known_at;
  f.today = ctx.history ? 0 : graph::DayOf(NowIso());
  return graph::MakeFilter(schema, f);
}

Result<std::string> ReadSettingsFile(const std::string& path, const std::string& what) {
  Result<std::string> bytes = ingest::ReadBytes(path);
  if (!bytes.ok())
    return Status::Invalid("cannot read " + what + ": " + bytes.status().message(),
                           bytes.status().place());
  return bytes;
}

Result<SessionCache::Opened> SessionCache::Open(const std::string& db) {
  std::lock_guard<std::mutex> lock(mu_);
  if (opened_.store && db_ == db && !opened_.store->Changed()) return opened_;
  opened_ = Opened{};
  Result<std::unique_ptr<Store>> s = Store::Open(db, OpenMode::kReadOnly);
  if (!s.ok()) return s.status();
  db_ = db;
  opened_.store = std::move(s).value();
  opened_.projections = std::make_shared<query::ProjectionCache>();
  ++generation_;
  return opened_;
}

Result<std::shared_ptr<Store>> SessionCache::Reader(const std::string& db) {
  Result<Opened> o = Open(db);
  if (!o.ok()) return o.status();
  return o->store;
}

uint64_t SessionCache::generation() const {
  std::lock_guard<std::mutex> lock(mu_);
  return generation_;
}

Result<std::shared_ptr<Store>> OpenReader(const Context& ctx) {
  if (ctx.session) return ctx.session->Reader(ctx.db);
  Result<std::unique_ptr<Store>> s = Store::Open(ctx.db, OpenMode::kReadOnly);
  if (!s.ok()) return s.status();
  return std::shared_ptr<Store>(std::move(s).value());
}

Result<std::unique_ptr<Store>> OpenWriter(const Context& ctx) {
  return Store::Open(ctx.db, OpenMode::kReadWrite, ctx.wait);
}

std::string NowIso() {
  if (const char* fixed = std::getenv("SINEW_NOW"); fixed && *fixed) return fixed;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace sinew::cli
