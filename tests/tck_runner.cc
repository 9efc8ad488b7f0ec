// sinew_tck: runs the Gherkin scenarios of an openCypher TCK folder against a
// fresh scratch graph each, and reports passes and failures per feature file.
//
//   sinew_tck DIR [--min-rate PERCENT] [--failures] [--only TEXT]
//
// Results are compared as the scenario says (in any order, in order,
// ignoring list order, empty, an expected error, side effects), on values
// brought to one spelling first (labels and map keys sorted, floats read as
// numbers). An expected error passes when a query fails with the same error
// class (SyntaxError, TypeError, ...); docs/cypher.md says how often the
// detail code matches too. Exits 1 when the pass rate is below --min-rate.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "query/query.h"

namespace {

namespace fs = std::filesystem;
using sinew::query::CypherTable;
using sinew::query::GraphCounts;
using sinew::query::ScratchGraph;

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

// ---- values in the TCK's notation, brought to one spelling ----

class Canon {
 public:
  Canon(const std::string& s, bool unordered_lists) : s_(s), unordered_(unordered_lists) {}

  std::string Run() {
    std::string v = Value();
    Space();
    if (i_ != s_.size()) throw std::runtime_error("trailing text in value: " + s_);
    return v;
  }

 private:
  void Space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool Eat(char c) {
    Space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void Expect(char c) {
    if (!Eat(c)) throw std::runtime_error(std::string("expected '") + c + "' in value: " + s_);
  }
  std::string Name() {
    Space();
    std::string out;
    if (i_ < s_.size() && s_[i_] == '`') {
      ++i_;
      while (i_ < s_.size() && s_[i_] != '`') out += s_[i_++];
      ++i_;
      return out;
    }
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_'))
      out += s_[i_++];
    return out;
  }
  std::string Props() {
    std::map<std::string, std::string> m;
    Expect('{');
    if (!Eat('}')) {
      do {
        std::string k = Name();
        Expect(':');
        m[k] = Value();
      } while (Eat(','));
      Expect('}');
    }
    std::string out = "{";
    for (const auto& [k, v] : m) out += (out.size() > 1 ? "," : "") + k + ":" + v;
    return out + "}";
  }
  std::string Node() {
    Expect('(');
    std::vector<std::string> labels;
    while (Eat(':')) labels.push_back(Name());
    std::sort(labels.begin(), labels.end());
    std::string props = "{}";
    Space();
    if (i_ < s_.size() && s_[i_] == '{') props = Props();
    Expect(')');
    std::string out = "(";
    for (const auto& l : labels) out += ":" + l;
    return out + props + ")";
  }
  std::string Rel() {
    Expect('[');
    Expect(':');
    std::string type = Name();
    std::string props = "{}";
    Space();
    if (i_ < s_.size() && s_[i_] == '{') props = Props();
    Expect(']');
    return "[:" + type + props + "]";
  }
  std::string Value() {
    Space();
    if (i_ >= s_.size()) throw std::runtime_error("empty value");
    char c = s_[i_];
    if (c == '(') return Node();
    if (c == '[' && s_.compare(i_, 2, "[:") == 0) return Rel();
    if (c == '<') {
      ++i_;
      std::string out = "<" + Node();
      for (;;) {
        Space();
        if (Eat('>')) break;
        bool back = Eat('<');
        Expect('-');
        std::string r = Rel();
        Expect('-');
        bool fwd = Eat('>');
        out += (back ? "<-" : "-") + r + (fwd ? "->" : "-") + Node();
      }
      return out + ">";
    }
    if (c == '[') {
      ++i_;
      std::vector<std::string> items;
      if (!Eat(']')) {
        do items.push_back(Value());
        while (Eat(','));
        Expect(']');
      }
      if (unordered_) std::sort(items.begin(), items.end());
      std::string out = "[";
      for (size_t k = 0; k < items.size(); ++k) out += (k ? "," : "") + items[k];
      return out + "]";
    }
    if (c == '{') return Props();
    if (c == '\'') {
      ++i_;
      std::string out;
      while (i_ < s_.size() && s_[i_] != '\'') {
        if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
        out += s_[i_++];
      }
      ++i_;
      return "'" + out + "'";
    }
    size_t start = i_;
    while (i_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[i_])) && s_[i_] != ',' &&
           s_[i_] != ']' && s_[i_] != '}' && s_[i_] != ')')
      ++i_;
    std::string word = s_.substr(start, i_ - start);
    if (word == "null" || word == "true" || word == "false") return word;
    if (word == "NaN") return "float:nan";
    if (word == "Inf" || word == "Infinity") return "float:inf";
    if (word == "-Inf" || word == "-Infinity") return "float:-inf";
    bool is_float = word.find_first_of(".eE") != std::string::npos;
    char* end = nullptr;
    if (is_float) {
      double d = std::strtod(word.c_str(), &end);
      if (*end) throw std::runtime_error("not a value: " + word);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.15g", d);
      return std::string("float:") + buf;
    }
    long long n = std::strtoll(word.c_str(), &end, 10);
    if (*end || word.empty()) throw std::runtime_error("not a value: " + word);
    return "int:" + std::to_string(n);
  }

  const std::string& s_;
  size_t i_ = 0;
  bool unordered_;
};

std::string Canonical(const std::string& v, bool unordered_lists) {
  try {
    return Canon(v, unordered_lists).Run();
  } catch (const std::exception& e) {
    return "unreadable:" + v;
  }
}

// ---- feature files ----

struct Step {
  std::string keyword, text;
  std::string doc;                              // """ block
  std::vector<std::vector<std::string>> table;  // | cells |
};

struct Scenario {
  std::string name;
  int line = 0;
  std::vector<Step> steps;
};

std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> out;
  std::string t = Trim(line);
  std::string cell;
  bool escaped = false;
  for (size_t i = 1; i < t.size(); ++i) {
    char c = t[i];
    if (escaped) {
      cell += c == '|' ? "|" : std::string("\\") + c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == '|') {
      out.push_back(Trim(cell));
      cell.clear();
    } else {
      cell += c;
    }
  }
  return out;
}

std::string Substitute(std::string s, const std::map<std::string, std::string>& values) {
  for (const auto& [k, v] : values) {
    std::string key = "<" + k + ">";
    for (size_t at = 0; (at = s.find(key, at)) != std::string::npos; at += v.size())
      s.replace(at, key.size(), v);
  }
  return s;
}

std::vector<Scenario> ReadFeature(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::vector<Scenario> out;
  std::vector<Step> background;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string t = Trim(lines[i]);
    bool is_background = t.rfind("Background:", 0) == 0;
    bool outline = t.rfind("Scenario Outline:", 0) == 0;
    if (!outline && !is_background && t.rfind("Scenario:", 0) != 0) continue;
    Scenario sc;
    sc.name = Trim(t.substr(t.find(':') + 1));
    sc.line = static_cast<int>(i + 1);
    std::vector<std::vector<std::string>> examples;
    size_t j = i + 1;
    for (; j < lines.size(); ++j) {
      std::string u = Trim(lines[j]);
      if (u.rfind("Scenario", 0) == 0) break;
      if (u.empty() || u[0] == '#' || u[0] == '@') continue;
      if (u.rfind("Examples:", 0) == 0) {
        for (++j; j < lines.size() && Trim(lines[j]).rfind("|", 0) == 0; ++j)
          examples.push_back(Cells(lines[j]));
        --j;
        continue;
      }
      if (u.rfind("\"\"\"", 0) == 0 && !sc.steps.empty()) {
        std::string doc;
        for (++j; j < lines.size() && Trim(lines[j]).rfind("\"\"\"", 0) != 0; ++j)
          doc += Trim(lines[j]) + "\n";
        sc.steps.back().doc = doc;
        continue;
      }
      if (u[0] == '|' && !sc.steps.empty()) {
        sc.steps.back().table.push_back(Cells(lines[j]));
        continue;
      }
      size_t sp = u.find(' ');
      Step st;
      st.keyword = u.substr(0, sp);
      st.text = sp == std::string::npos ? "" : Trim(u.substr(sp + 1));
      sc.steps.push_back(st);
    }
    if (is_background) {
      background = sc.steps;
      i = j - 1;
      continue;
    }
    sc.steps.insert(sc.steps.begin(), background.begin(), background.end());
    if (!outline) {
      out.push_back(sc);
    } else if (examples.size() > 1) {
      for (size_t r = 1; r < examples.size(); ++r) {
        std::map<std::string, std::string> values;
        for (size_t c = 0; c < examples[0].size() && c < examples[r].size(); ++c)
          values[examples[0][c]] = examples[r][c];
        Scenario inst = sc;
        inst.name += " [example " + std::to_string(r) + "]";
        for (auto& st : inst.steps) {
          st.text = Substitute(st.text, values);
          st.doc = Substitute(st.doc, values);
          for (auto& row : st.table)
            for (auto& cell : row) cell = Substitute(cell, values);
        }
        out.push_back(inst);
      }
    }
    i = j - 1;
  }
  return out;
}

// ---- running one scenario ----

struct Outcome {
  bool passed = false;
  bool detail_matched = true;  // for expected errors
  std::string why;
};

std::vector<std::string> Row(const std::vector<std::string>& cells, bool unordered) {
  std::vector<std::string> out;
  for (const auto& c : cells) out.push_back(Canonical(c, unordered));
  return out;
}

std::string Show(const std::vector<std::string>& row) {
  std::string s = "|";
  for (const auto& c : row) s += " " + c + " |";
  return s;
}

Outcome RunScenario(const Scenario& sc, const fs::path& graphs) {
  Outcome o;
  ScratchGraph g;
  std::map<std::string, std::string> params;
  sinew::Result<CypherTable> result = CypherTable{};
  GraphCounts before, after;
  bool ran = false;
  for (const Step& st : sc.steps) {
    const std::string& t = st.text;
    if (t.rfind("the ", 0) == 0 && t.find(" graph") != std::string::npos && st.keyword == "Given") {
      std::string name = t.substr(4, t.find(" graph") - 4);
      std::ifstream in(graphs / name / (name + ".cypher"));
      std::stringstream text;
      text << in.rdbuf();
      auto r = g.Run(text.str());
      if (!r.ok()) return {false, true, "graph " + name + ": " + r.status().message()};
    } else if (t == "having executed:") {
      auto r = g.Run(st.doc);
      if (!r.ok()) return {false, true, "setup failed: " + r.status().message()};
    } else if (t == "parameters are:") {
      for (const auto& row : st.table)
        if (row.size() >= 2) params[row[0]] = row[1];
    } else if (t == "executing query:" || t == "executing control query:") {
      before = g.Counts();
      result = g.Run(st.doc, params);
      after = g.Counts();
      ran = true;
    } else if (t.rfind("the result should be", 0) == 0) {
      if (!ran) return {false, true, "no query ran"};
      if (!result.ok()) return {false, true, "query failed: " + result.status().message()};
      bool unordered_lists = t.find("ignoring element order for lists") != std::string::npos;
      bool in_order = t.find("in order") != std::string::npos;
      if (t == "the result should be empty") {
        if (!result->rows.empty())
          return {false, true, std::to_string(result->rows.size()) + " rows, expected none"};
        continue;
      }
      if (st.table.empty()) return {false, true, "no expected table"};
      const std::vector<std::string>& header = st.table[0];
      std::vector<std::string> have_cols = result->columns;
      std::vector<std::string> want_cols = header;
      std::sort(have_cols.begin(), have_cols.end());
      std::sort(want_cols.begin(), want_cols.end());
      if (have_cols != want_cols)
        return {false, true, "columns " + Show(result->columns) + " expected " + Show(header)};
      std::vector<size_t> pick;
      for (const auto& h : header)
        pick.push_back(
            static_cast<size_t>(std::find(result->columns.begin(), result->columns.end(), h) -
                                result->columns.begin()));
      std::vector<std::vector<std::string>> want, have;
      for (size_t r = 1; r < st.table.size(); ++r)
        want.push_back(Row(st.table[r], unordered_lists));
      for (const auto& row : result->rows) {
        std::vector<std::string> cells;
        for (size_t p : pick) cells.push_back(row[p]);
        have.push_back(Row(cells, unordered_lists));
      }
      if (!in_order) {
        std::sort(want.begin(), want.end());
        std::sort(have.begin(), have.end());
      }
      if (want != have) {
        std::string why = "rows differ:\n   got:";
        for (size_t k = 0; k < have.size() && k < 8; ++k) why += "\n     " + Show(have[k]);
        why += "\n   expected:";
        for (size_t k = 0; k < want.size() && k < 8; ++k) why += "\n     " + Show(want[k]);
        return {false, true, why};
      }
    } else if (t.find("should be raised") != std::string::npos) {
      if (!ran) return {false, true, "no query ran"};
      std::string cls = t.substr(t.find(' ') + 1);
      cls = cls.substr(0, cls.find(' '));
      std::string detail = t.substr(t.rfind(':') + 1);
      detail = Trim(detail);
      if (result.ok()) return {false, true, "expected " + cls + " (" + detail + "), got a result"};
      const std::string& msg = result.status().message();
      if (msg.rfind(cls, 0) != 0)
        return {false, true, "expected " + cls + " (" + detail + "), got: " + msg};
      o.detail_matched = msg.find("(" + detail + ")") != std::string::npos;
    } else if (t == "no side effects") {
      if (before.nodes != after.nodes || before.relationships != after.relationships ||
          before.labels != after.labels || before.properties != after.properties)
        return {false, true, "side effects where none were expected"};
    } else if (t == "the side effects should be:") {
      std::map<std::string, long> want;
      for (const auto& row : st.table)
        if (row.size() >= 2) want[row[0]] = std::stol(row[1]);
      auto diff = [](size_t a, size_t b) { return static_cast<long>(b) - static_cast<long>(a); };
      std::map<std::string, long> have;
      long dn = diff(before.nodes, after.nodes),
           dr = diff(before.relationships, after.relationships);
      long dl = diff(before.labels, after.labels), dp = diff(before.properties, after.properties);
      if (dn > 0) have["+nodes"] = dn;
      if (dn < 0) have["-nodes"] = -dn;
      if (dr > 0) have["+relationships"] = dr;
      if (dr < 0) have["-relationships"] = -dr;
      if (dl > 0) have["+labels"] = dl;
      if (dl < 0) have["-labels"] = -dl;
      if (dp > 0) have["+properties"] = dp;
      if (dp < 0) have["-properties"] = -dp;
      for (auto it = want.begin(); it != want.end();)
        it = it->second == 0 ? want.erase(it) : std::next(it);
      if (want != have) {
        std::string why = "side effects differ: got";
        for (const auto& [k, v] : have) why += " " + k + "=" + std::to_string(v);
        return {false, true, why};
      }
    }
  }
  o.passed = true;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: sinew_tck DIR [--min-rate PERCENT] [--failures] [--only TEXT]\n";
    return 2;
  }
  fs::path dir = argv[1];
  double min_rate = 0;
  bool show_failures = false;
  std::string only;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--min-rate" && i + 1 < argc)
      min_rate = std::atof(argv[++i]);
    else if (a == "--failures")
      show_failures = true;
    else if (a == "--only" && i + 1 < argc)
      only = argv[++i];
  }
  if (!fs::is_directory(dir)) {
    std::cerr << "sinew_tck: " << dir << " is not a directory\n";
    return 2;
  }
  fs::path graphs = dir / "graphs";
  if (!fs::is_directory(graphs)) graphs = dir.parent_path() / "graphs";
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().extension() == ".feature") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  size_t total = 0, passed = 0, errors = 0, detail = 0;
  for (const auto& f : files) {
    size_t fp = 0, fn = 0;
    for (const Scenario& sc : ReadFeature(f)) {
      if (!only.empty() && (f.string() + " " + sc.name).find(only) == std::string::npos) continue;
      Outcome o;
      try {
        o = RunScenario(sc, graphs);
      } catch (const std::exception& e) {
        o = {false, true, std::string("runner error: ") + e.what()};
      }
      ++fn;
      ++total;
      if (o.passed) {
        ++fp;
        ++passed;
      }
      bool expects_error = std::any_of(sc.steps.begin(), sc.steps.end(), [](const Step& s) {
        return s.text.find("should be raised") != std::string::npos;
      });
      if (expects_error && o.passed) {
        ++errors;
        detail += o.detail_matched ? 1 : 0;
      }
      if (!o.passed && show_failures)
        std::cout << "FAIL " << fs::relative(f, dir).string() << ":" << sc.line << " " << sc.name
                  << "\n   " << o.why << "\n";
    }
    if (fn > 0)
      std::cout << (fp == fn ? "pass " : "FAIL ") << fs::relative(f, dir).string() << ": " << fp
                << "/" << fn << "\n";
  }
  double rate = total ? 100.0 * static_cast<double>(passed) / static_cast<double>(total) : 0;
  std::printf(
      "scenarios: %zu of %zu pass (%.1f%%); expected errors raised: %zu, with the TCK's "
      "detail code: %zu\n",
      passed, total, rate, errors, detail);
  if (rate + 1e-9 < min_rate) {
    std::printf("below the recorded pass rate of %.1f%%\n", min_rate);
    return 1;
  }
  return 0;
}
