// The operations commands: init, stats, check, dump, backup, restore.
#include <fstream>
#include <sstream>

#include "cli/command_table.h"

namespace sinew::cli {
namespace {

using nlohmann::json;

bool Json(const Context& ctx) { return ctx.format == "json"; }

}  // namespace

Status RunInit(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const std::string& schema_file = call.inv.schema_file;
  std::string text = kBundledSchema;
  std::string name = "corpus/schema.json (bundled)";
  if (!schema_file.empty()) {
    std::ifstream in(schema_file, std::ios::binary);
    if (!in) return Status::Invalid("cannot read schema file " + schema_file);
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
    name = schema_file;
  }
  Result<std::unique_ptr<Store>> store = Store::Create(ctx.db, text, name);
  if (!store.ok()) return store.status();
  const Schema& s = (*store)->schema();
  if (Json(ctx)) {
    out << query::JsonText(json{{"db", ctx.db},
                                {"schema", name},
                                {"node_types", s.node_types().size()},
                                {"edge_types", s.edge_types().size()},
                                {"domains", s.domains().size()}})
        << "\n";
  } else {
    out << "created store " << ctx.db << " with schema " << name << " (" << s.node_types().size()
        << " node types, " << s.edge_types().size() << " edge types, " << s.domains().size()
        << " domains)\n";
  }
  return Status::Ok();
}

Status RunStats(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  Result<StoreStats> s = query::StatsSeen(*call.asker->view, call.asker->q.filter);
  if (!s.ok()) return s.status();
  if (Json(ctx))
    out << query::JsonText(query::StatsJson(s.value())) << "\n";
  else
    query::PrintStats(s.value(), out);
  return Status::Ok();
}

Status RunCheck(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  Result<std::vector<std::string>> bad = call.store->View()->Check();
  if (!bad.ok()) return bad.status();
  if (Json(ctx)) {
    out << query::JsonText(json{{"ok", bad->empty()}, {"violations", bad.value()}}) << "\n";
  } else if (bad->empty()) {
    out << "ok: every invariant holds\n";
  } else {
    for (const auto& v : bad.value()) out << v << "\n";
  }
  if (!bad->empty())
    return Status::Corruption(std::to_string(bad->size()) + " invariant violation(s) in " + ctx.db);
  return Status::Ok();
}

Status RunDump(Call& call, std::ostream& out) { return call.store->View()->Dump(out); }

Status RunBackup(Call& call, std::ostream& out) {
  // A snapshot of a read-only open: a backup never waits for an ingest.
  const Context& ctx = call.ctx();
  const std::string& dir = call.inv.dir;
  SINEW_RETURN_IF_ERROR(call.store->Backup(dir));
  if (Json(ctx))
    out << query::JsonText(json{{"backup", dir}, {"db", ctx.db}}) << "\n";
  else
    out << "backed up " << ctx.db << " to " << dir << "\n";
  return Status::Ok();
}

Status RunRestore(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const std::string& dir = call.inv.dir;
  SINEW_RETURN_IF_ERROR(Store::Restore(dir, ctx.db));
  if (Json(ctx))
    out << query::JsonText(json{{"restored", dir}, {"db", ctx.db}}) << "\n";
  else
    out << "restored " << dir << " into " << ctx.db << "\n";
  return Status::Ok();
}

}  // namespace sinew::cli
