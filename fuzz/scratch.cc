#include "fuzz/scratch.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"

namespace sinew::fuzz {
namespace {

void Fail(const std::string& what) {
  std::cerr << "fuzz scratch store: " << what << "\n";
  std::abort();
}

}  // namespace

std::string SourceFile(const std::string& relative) {
  std::ifstream in(std::string(SINEW_SOURCE_DIR) + "/" + relative, std::ios::binary);
  if (!in) Fail("cannot read " + relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Scratch& TheScratch() {
  static Scratch* scratch = [] {
    auto* s = new Scratch;
    std::string tmpl = (std::filesystem::temp_directory_path() / "sinew-fuzz-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) Fail("mkdtemp");
    s->dir = tmpl + "/db";
    cli::Context ctx;
    ctx.db = s->dir;
    std::ostringstream out, err;
    if (cli::Dispatch({"init"}, ctx, out, err) != 0) Fail(err.str());
    if (cli::Dispatch({"ingest", std::string(SINEW_SOURCE_DIR) + "/corpus/notes"}, ctx, out, err) !=
        0)
      Fail(err.str());
    Result<std::unique_ptr<Store>> store = Store::Open(s->dir, OpenMode::kReadWrite);
    if (!store.ok()) Fail(store.status().message());
    s->store = std::move(store).value();
    s->view = s->store->View();
    static std::string root = tmpl;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(root, ec);
    });
    return s;
  }();
  return *scratch;
}

void DryRun(const Batch& batch) { (void)TheScratch().store->Apply(batch, /*dry_run=*/true); }

}  // namespace sinew::fuzz
