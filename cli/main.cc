// sinew's entry point: the defaults from the environment, then Dispatch.
// Built twice: sinew, and sinew-serve (SINEW_SERVE_PROGRAM), which serves.
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
#ifdef SINEW_SERVE_PROGRAM
  sinew::cli::SetServeHandler(sinew::cli::ServeHttp);
#endif
  return sinew::cli::Dispatch(args, ctx, std::cout, std::cerr);
}
