// What every fuzz target shares: a scratch store holding the bundled corpus,
// created once per process, so readers resolve names against real nodes and
// every batch goes through the store's own validation (a dry run: nothing
// is ever written).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace sinew::fuzz {

struct Scratch {
  std::string dir;               // the store directory
  std::unique_ptr<Store> store;  // open for writing, used only for dry runs
  std::unique_ptr<StoreView> view;
};

// Created on first call; removed when the process exits.
Scratch& TheScratch();

// A file of the source tree (mappings), read whole.
std::string SourceFile(const std::string& relative);

// Checks a batch against the store without writing. A rejection is a fine
// outcome for hostile input; only a crash, leak or hang is a bug.
void DryRun(const Batch& batch);

}  // namespace sinew::fuzz
