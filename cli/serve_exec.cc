// `sinew serve`: in sinew-serve, the server it registered; in sinew, runs
// sinew-serve, installed beside it, with the same arguments. The HTTP
// library (and OpenSSL, which it links) would cost every other command about
// 6 ms of start-up in a fresh process, so only the program that serves links
// it (docs/benchmarks.md).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli/command_table.h"

namespace sinew::cli {

namespace {
ServeHandler g_serve = nullptr;
}  // namespace

void SetServeHandler(ServeHandler handler) { g_serve = handler; }

Status RunServe(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const ServeArgs& args = call.inv.serve;
  if (g_serve) return g_serve(ctx, args, out);
  if (ctx.command_line.empty())
    return Status::Usage("serve runs as a program of its own: `sinew serve` from a shell prompt");
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return Status::Io("cannot find the sinew program itself: " + ec.message());
  std::string helper = (self.parent_path() / "sinew-serve").string();
  std::vector<char*> argv;
  argv.push_back(helper.data());
  std::vector<std::string> words = ctx.command_line;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  out.flush();
  ::execv(helper.c_str(), argv.data());
  return Status::Io("cannot run " + helper + ": " + std::strerror(errno) +
                    " (it is built with sinew; reinstall both together)");
}

}  // namespace sinew::cli
