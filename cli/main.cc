// sinew's entry point: the defaults from the environment, then Dispatch.
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  sinew::cli::Context ctx;
  const char* db = std::getenv("SINEW_DB");
  ctx.db = db && *db ? db : "sinew.db";
  const char* who = std::getenv("SINEW_ANALYST");
  const char* user = std::getenv("USER");
  ctx.analyst = who && *who ? who : user && *user ? user : "analyst";
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) args.push_back("--help");
  ctx.command_line = args;
  return sinew::cli::Dispatch(args, ctx, std::cout, std::cerr);
}
