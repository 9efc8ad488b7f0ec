// Test support: run the real sinew binary (or any program) and capture what
// it printed and how it ended.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace sinew::testing {

struct RunResult {
  int exit_code = -1;  // -signal when killed
  std::string out, err;
  double cpu_seconds = 0;  // user + system time the program used
};

// Runs `argv` (argv[0] a path) with extra environment, feeding `input` on stdin.
RunResult Run(const std::vector<std::string>& argv,
              const std::map<std::string, std::string>& env = {}, const std::string& input = "");

// Starts `argv` in the background with stdout/stderr discarded; returns its pid.
int Spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});

// The sinew binary under test, the source tree, and the third-party
// material the tests read (tests/data/third_party, copied into the
// repository with its licences so a clone tests itself).
std::string SinewBinary();
std::string SourceDir();
std::string ThirdPartyDir();

}  // namespace sinew::testing
