// Test support for unit tests: reading files, and where the shared data is.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace sinew::testing {

// The bytes of `path` ("" when it cannot be read).
inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ../shared beside the checkout, or $SINEW_SHARED.
inline std::string SharedRoot() {
  if (const char* s = std::getenv("SINEW_SHARED"); s && *s) return s;
  return std::string(SINEW_SOURCE_DIR) + "/../shared";
}

}  // namespace sinew::testing
