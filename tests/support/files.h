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

// The third-party material the tests read, inside the repository.
inline std::string ThirdPartyRoot() {
  return std::string(SINEW_SOURCE_DIR) + "/tests/data/third_party";
}

}  // namespace sinew::testing
