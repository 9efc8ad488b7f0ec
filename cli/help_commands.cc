// `sinew completion bash|zsh` and `sinew manual`: shell completion and the
// man page, both written from the command table, so they name every
// command and option the program has (cmake --install puts them in place).
#include <algorithm>
#include <sstream>

#include "cli/command_table.h"

namespace sinew::cli {
namespace {

// Options every command takes (dispatch.cc), with their help.
const std::vector<std::pair<std::string, std::string>>& GlobalOptions() {
  static const std::vector<std::pair<std::string, std::string>> kOptions = {
      {"--db", "Store directory (default $SINEW_DB, else ./sinew.db)"},
      {"--analyst", "Who ingests and decides (default $SINEW_ANALYST)"},
      {"--wait", "Seconds a writing command waits while another process writes"},
      {"--format", "Output: table, json, csv, dot, svg or png"},
      {"--version", "The version"},
      {"--help", "Help for sinew or a command"}};
  return kOptions;
}

std::vector<std::string> OptionsOf(const Command& c) {
  std::vector<std::string> out;
  for (const Param& p : c.params) {
    if (p.kind == Param::Kind::kPositional) continue;
    out.push_back("--" + p.name);
    if (!p.alias.empty()) out.push_back(p.alias);
  }
  for (const auto& [name, help] : GlobalOptions()) out.push_back(name);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string Words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string Bash() {
  std::ostringstream out;
  out << "# bash completion for sinew (sinew completion bash): commands and their options (the shell, sinew shell, also completes node ids).\n"
      << "_sinew() {\n"
      << "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmd=\"\" w\n"
      << "  for w in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n"
      << "    case \"$w\" in -*) ;; *) cmd=\"$w\"; break ;; esac\n"
      << "  done\n"
      << "  local words\n"
      << "  case \"$cmd\" in\n";
  std::vector<std::string> names;
  for (const Command& c : Commands()) {
    names.push_back(c.name);
    out << "    " << c.name << ") words=\"" << Words(OptionsOf(c)) << "\" ;;\n";
  }
  std::vector<std::string> global;
  for (const auto& [name, help] : GlobalOptions()) global.push_back(name);
  out << "    *) words=\"" << Words(names) << " " << Words(global) << "\" ;;\n"
      << "  esac\n"
      << "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      << "}\n"
      << "complete -o default -F _sinew sinew\n";
  return out.str();
}

// zsh: '[' ']' ':' and '\' mean something in an _arguments spec.
std::string ZshText(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '[' || c == ']' || c == ':' || c == '\\' || c == '\'') out.push_back('\\');
    if (c == '\'') {
      out.pop_back();
      out += "'\\''";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string Zsh() {
  std::ostringstream out;
  out << "#compdef sinew\n# zsh completion for sinew (sinew completion zsh)\n"
      << "_sinew() {\n  local -a commands\n  commands=(\n";
  for (const Command& c : Commands()) out << "    '" << c.name << ":" << ZshText(c.help) << "'\n";
  out << "  )\n  if (( CURRENT == 2 )); then\n    _describe command commands\n    return\n  fi\n"
      << "  case \"$words[2]\" in\n";
  for (const Command& c : Commands()) {
    out << "    " << c.name << ") _arguments";
    for (const Param& p : c.params)
      if (p.kind != Param::Kind::kPositional)
        out << " '--" << p.name << "[" << ZshText(p.help) << "]'";
    for (const auto& [name, help] : GlobalOptions())
      out << " '" << name << "[" << ZshText(help) << "]'";
    out << " '*:file:_files' ;;\n";
  }
  out << "  esac\n}\n_sinew \"$@\"\n";
  return out.str();
}

// roff: a leading '.' or '\'' starts a request, '\' escapes, '-' is a hyphen.
std::string Roff(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out.push_back(c);
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::string Manual() {
  std::ostringstream out;
  out << ".TH SINEW 1 \"\" \"sinew " SINEW_VERSION "\" \"User Commands\"\n"
      << ".SH NAME\nsinew \\- an embedded knowledge graph and evidence store for dependency "
         "analysis\n"
      << ".SH SYNOPSIS\n.B sinew\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n"
      << ".SH DESCRIPTION\nsinew keeps every claim about states, firms, projects, resources and "
         "infrastructure tied to its source, quote and grade, and answers relationship "
         "questions over it: dependencies, chains, impact, single points of failure, "
         "substitutes, evidence and timelines. Answers count links valid today unless given "
         "\\fB\\-\\-as\\-of\\fR or \\fB\\-\\-all\\-time\\fR. The documentation is in docs/ "
         "of the source tree.\n"
      << ".SH GLOBAL OPTIONS\n";
  for (const auto& [name, help] : GlobalOptions())
    out << ".TP\n.B " << Roff(name) << "\n" << Roff(help) << "\n";
  out << ".SH COMMANDS\n";
  for (const Command& c : Commands()) {
    std::string synopsis = c.name;
    for (const Param& p : c.params)
      if (p.kind == Param::Kind::kPositional) synopsis += " " + p.name;
    out << ".SS " << Roff(synopsis) << "\n" << Roff(c.help) << ".\n";
    for (const Param& p : c.params) {
      if (p.kind == Param::Kind::kPositional) continue;
      out << ".TP\n.B " << Roff("--" + p.name) << (p.alias.empty() ? "" : ", " + Roff(p.alias))
          << (p.kind == Param::Kind::kFlag ? "" : " \\fI" + Roff(p.type_name) + "\\fR") << "\n"
          << Roff(p.help) << "\n";
    }
  }
  out << ".SH ENVIRONMENT\n.TP\n.B SINEW_DB\nThe store, when \\fB\\-\\-db\\fR is not given.\n"
      << ".TP\n.B SINEW_ANALYST\nWho ingests and decides.\n"
      << ".TP\n.B SINEW_RULES\nThe extraction rules for prose notes.\n"
      << ".SH EXIT STATUS\n0 on success, 1 when the input or the question is wrong (the store "
         "is unchanged), 2 on a usage error.\n"
      << ".SH FILES\n.TP\n.I PREFIX/share/sinew/explorer\nThe web explorer that \\fBsinew "
         "serve\\fR serves.\n";
  return out.str();
}

}  // namespace

Status RunCompletion(Call& call, std::ostream& out) {
  const std::string& shell = call.inv.text;
  if (shell == "bash")
    out << Bash();
  else if (shell == "zsh")
    out << Zsh();
  else
    return Status::Usage("completion takes bash or zsh");
  return Status::Ok();
}

Status RunManual(Call&, std::ostream& out) {
  out << Manual();
  return Status::Ok();
}

}  // namespace sinew::cli
