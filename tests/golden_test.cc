// Golden transcripts: each file in tests/golden/ is a list of commands, each
// followed by what it must print (stderr lines start with "! ", a non-zero
// exit ends with "[exit N]"). Every file runs against a fresh store.
// SINEW_GOLDEN names the file; SINEW_UPDATE_GOLDEN=1 rewrites it from the
// actual output, to be read and checked by eye before committing.
#include <doctest/doctest.h>

#include <algorithm>

#include <fstream>
#include <sstream>

#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

namespace sinew::testing {
namespace {

struct Step {
  std::string command;
  std::string expected;
};

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  bool any = false;
  for (char c : line) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        cur.push_back(c);
    } else if (c == '"' || c == '\'') {
      quote = c;
      any = true;
    } else if (c == ' ') {
      if (!cur.empty() || any) out.push_back(cur);
      cur.clear();
      any = false;
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty() || any) out.push_back(cur);
  return out;
}

std::string Substitute(std::string s, const std::map<std::string, std::string>& vars) {
  for (const auto& [k, v] : vars) {
    size_t at;
    while ((at = s.find(k)) != std::string::npos) s.replace(at, k.size(), v);
  }
  return s;
}

std::string Render(const RunResult& r) {
  std::string text = r.out;
  std::istringstream err(r.err);
  std::string line;
  while (std::getline(err, line)) text += "! " + line + "\n";
  if (r.exit_code != 0) text += "[exit " + std::to_string(r.exit_code) + "]\n";
  return text;
}

// Writes paths back as their variables, so transcripts name no machine.
std::string Unsubstitute(std::string text,
                         const std::vector<std::pair<std::string, std::string>>& vars) {
  for (const auto& [name, value] : vars) {
    size_t at;
    while ((at = text.find(value)) != std::string::npos) text.replace(at, value.size(), name);
  }
  return text;
}

}  // namespace

TEST_CASE("golden transcripts") {
  const char* name = std::getenv("SINEW_GOLDEN");
  REQUIRE_MESSAGE(name != nullptr, "set SINEW_GOLDEN to a transcript; CTest runs one per file");
  std::ifstream in(name);
  REQUIRE_MESSAGE(in.good(), "cannot read transcript " << name);
  std::vector<std::string> header;
  std::vector<Step> steps;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("$ ", 0) == 0) {
      steps.push_back(Step{line.substr(2), ""});
    } else if (steps.empty()) {
      header.push_back(line);
    } else {
      steps.back().expected += line + "\n";
    }
  }
  REQUIRE_MESSAGE(!steps.empty(), name << " has no commands");
  TempDir tmp;
  std::map<std::string, std::string> vars = {
      {"$TMP", tmp.path()}, {"$SOURCE", SourceDir()}, {"$THIRD_PARTY", ThirdPartyDir()}};
  // Longest paths first: the third-party folder lies inside the source tree.
  std::vector<std::pair<std::string, std::string>> back(vars.begin(), vars.end());
  std::sort(back.begin(), back.end(), [](const auto& a, const auto& b) {
    return a.second.size() > b.second.size();
  });
  std::map<std::string, std::string> env = {{"SINEW_DB", tmp / "db"},
                                            {"SINEW_NOW", "2026-01-01T00:00:00Z"},
                                            {"SINEW_ANALYST", "golden"},
                                            {"COLUMNS", "80"}};
  std::string rewritten;
  for (const auto& h : header) rewritten += h + "\n";
  bool update = std::getenv("SINEW_UPDATE_GOLDEN") != nullptr;
  for (const Step& step : steps) {
    std::vector<std::string> argv = Split(Substitute(step.command, vars));
    REQUIRE(!argv.empty());
    if (argv[0] == "sinew") argv[0] = SinewBinary();
    RunResult r = Run(argv, env);
    std::string actual = Unsubstitute(Render(r), back);
    std::string expected = step.expected;
    while (expected.size() >= 2 && expected.substr(expected.size() - 2) == "\n\n")
      expected.pop_back();
    std::string trimmed = actual;
    while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
    std::string want = expected;
    while (!want.empty() && want.back() == '\n') want.pop_back();
    CAPTURE(step.command);
    if (!update) CHECK(trimmed == want);
    rewritten += "$ " + step.command + "\n" + (trimmed.empty() ? "" : trimmed + "\n") + "\n";
  }
  if (update) {
    while (rewritten.size() >= 2 && rewritten.substr(rewritten.size() - 2) == "\n\n")
      rewritten.pop_back();
    std::ofstream(name) << rewritten;
    MESSAGE("rewrote " << name);
  }
}

}  // namespace sinew::testing
