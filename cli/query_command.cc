// `sinew query`: openCypher on the store as the asker may see it, or on a
// scratch graph where CREATE sketches work.
#include <sstream>

#include "cli/command_table.h"

namespace sinew::cli {
namespace {

using nlohmann::json;

// Statements of a Cypher script, split at semicolons outside quotes.
std::vector<std::string> Statements(const std::string& script) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    if (quote) {
      if (c == '\\' && i + 1 < script.size()) {
        cur += c;
        c = script[++i];
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    } else if (c == ';') {
      if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (cur.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(cur);
  return out;
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void PrintCypher(const query::CypherTable& t, std::ostream& out) {
  std::vector<size_t> width;
  for (const auto& c : t.columns) width.push_back(std::min<size_t>(c.size(), 60));
  for (const auto& r : t.rows)
    for (size_t i = 0; i < r.size(); ++i)
      width[i] = std::max(width[i], std::min<size_t>(r[i].size(), 60));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) {
      std::string c = query::Clip(cells[i], 60);
      s += (i ? "  " : "") + c;
      if (i + 1 < cells.size())
        s += std::string(width[i] > c.size() ? width[i] - c.size() : 0, ' ');
    }
    out << s << "\n";
  };
  if (t.columns.empty()) {
    out << "(no columns)\n";
    return;
  }
  line(t.columns);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  line(rule);
  for (const auto& r : t.rows) line(r);
  out << "(" << t.rows.size() << (t.rows.size() == 1 ? " row)\n" : " rows)\n");
}

}  // namespace

Status RunQuery(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const QueryArgs& args = call.inv.query;
  std::map<std::string, std::string> params;
  for (const auto& p : args.params) {
    size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0)
      return Status::Usage("--param takes NAME=VALUE (a Cypher literal), not '" + p + "'");
    params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  Result<query::CypherTable> t = Status::Invalid("no query");
  if (args.scratch || ctx.scratch) {
    query::ScratchGraph local;
    query::ScratchGraph* g = ctx.scratch ? ctx.scratch : &local;
    for (const auto& file : args.load) {
      Result<std::string> text = ReadSettingsFile(file, "Cypher script");
      if (!text.ok()) return text.status();
      for (const auto& statement : Statements(text.value())) {
        Result<query::CypherTable> r = g->Run(statement);
        if (!r.ok()) {
          SourcePlace place = r.status().place();
          place.file = file;
          return Status::Invalid(r.status().message(), place);
        }
      }
    }
    query::GraphCounts before = g->Counts();
    t = g->Run(args.text, params);
    query::GraphCounts after = g->Counts();
    if (t.ok() && t->columns.empty() && ctx.format == "table") {
      // A sketch that returns nothing says what it made.
      std::ostringstream made;
      made << "scratch graph: +" << after.nodes - before.nodes << " nodes, +"
           << after.relationships - before.relationships << " relationships (now " << after.nodes
           << " nodes, " << after.relationships << " relationships)\n";
      return WriteAnswer(ctx, made.str(), out);
    }
  } else {
    if (!args.load.empty())
      return Status::Usage("--load sketches in a scratch graph: add --scratch");
    Result<Asker> s = OpenAsker(ctx);
    if (!s.ok()) return s.status();
    t = query::CypherOnStore(*s->view, args.text, s->q, params);
  }
  if (!t.ok()) return t.status();
  std::ostringstream text;
  if (ctx.format == "json") {
    json rows = json::array();
    for (const auto& r : t->json) rows.push_back(r);
    text << query::JsonText(json{{"columns", t->columns}, {"rows", rows}}) << "\n";
  } else if (ctx.format == "csv") {
    for (size_t i = 0; i < t->columns.size(); ++i) text << (i ? "," : "") << CsvCell(t->columns[i]);
    text << "\n";
    for (const auto& r : t->rows) {
      for (size_t i = 0; i < r.size(); ++i) text << (i ? "," : "") << CsvCell(r[i]);
      text << "\n";
    }
  } else {
    PrintCypher(t.value(), text);
  }
  return WriteAnswer(ctx, text.str(), out);
}

}  // namespace sinew::cli
