// Running a command of the table: what it needs opened (OpenAsker, the one
// way every question opens the store), its formats checked first.
#include "cli/command_table.h"

namespace sinew::cli {

Result<Asker> OpenAsker(const Context& ctx) {
  Asker a;
  if (ctx.session) {
    Result<SessionCache::Opened> o = ctx.session->Open(ctx.db);
    if (!o.ok()) return o.status();
    a.store = o->store;
    a.projections = o->projections;
  } else {
    Result<std::shared_ptr<Store>> store = OpenReader(ctx);
    if (!store.ok()) return store.status();
    a.store = std::move(store).value();
  }
  a.view = a.store->View();
  Result<graph::EdgeFilter> f = FilterOf(ctx, a.view->schema());
  if (!f.ok()) return f.status();
  a.q.filter = f.value();
  a.view = query::SeenBy(std::move(a.view), a.q.filter);
  if (ctx.rule == "product")
    a.q.rule = graph::ChainRule::kProduct;
  else if (ctx.rule == "min")
    a.q.rule = graph::ChainRule::kMin;
  else
    return Status::Usage("--rule must be product or min");
  a.q.via = ctx.via;
  a.q.cancel = ctx.cancel;
  a.q.projections = a.projections.get();
  return a;
}

Status Execute(const Command& command, Invocation& inv, std::ostream& out) {
  if (command.adjust) command.adjust(inv);
  inv.ctx.history = command.history;
  if (!command.formats.empty()) {
    bool known = false;
    for (const auto& f : command.formats) known = known || f == inv.ctx.format;
    if (!known) {
      std::string list;
      for (const auto& f : command.formats) list += (list.empty() ? "" : ", ") + f;
      return Status::Usage("--format " + Excerpt(inv.ctx.format) +
                           " does not fit this command (use " + list + ")");
    }
  }
  Call call{inv, nullptr, nullptr};
  Asker asker;
  if (command.needs == Needs::kStore) {
    Result<std::shared_ptr<Store>> store = OpenReader(inv.ctx);
    if (!store.ok()) return store.status();
    call.store = std::move(store).value();
  } else if (command.needs == Needs::kAsker) {
    Result<Asker> a = OpenAsker(inv.ctx);
    if (!a.ok()) return a.status();
    asker = std::move(a).value();
    call.asker = &asker;
  }
  return command.run(call, out);
}

}  // namespace sinew::cli
