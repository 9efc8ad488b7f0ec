// Pictures: a Graphviz DOT rendering of the edges in an answer.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "query/query.h"
#include "query/render.h"

namespace sinew::query {
namespace {

struct Look {
  const char* shape;
  const char* fill;
  const char* extra;
};

Look LookOf(const std::string& type) {
  static const std::map<std::string, Look> kLooks = {
      {"state", {"box", "#cfe2f3", ""}},
      {"bloc", {"box", "#d9d2e9", ", peripheries=2"}},
      {"organisation", {"box", "#fff2cc", ", style=\"filled,rounded\""}},
      {"company", {"box", "#fce5cd", ""}},
      {"person", {"ellipse", "#ead1dc", ""}},
      {"group", {"ellipse", "#f4cccc", ""}},
      {"project", {"hexagon", "#d9ead3", ""}},
      {"technology", {"note", "#d0e0e3", ""}},
      {"sector", {"folder", "#e6e6e6", ""}},
      {"resource", {"cylinder", "#ffe599", ""}},
      {"infrastructure", {"box3d", "#c9daf8", ""}},
      {"event", {"octagon", "#f9cb9c", ""}},
      {"policy", {"box", "#b4a7d6", ", style=\"filled,diagonals\""}},
      {"flow", {"ellipse", "#eeeeee", ", style=\"filled,dashed\""}},
  };
  auto it = kLooks.find(type);
  return it == kLooks.end() ? Look{"ellipse", "#ffffff", ""} : it->second;
}

const char* ColourOf(const std::string& type) {
  static const std::map<std::string, const char*> kColours = {
      {"depends_on", "#b22222"}, {"supplies", "#2e7d32"},        {"causes", "#6a1b9a"},
      {"sanctions", "#e65100"},  {"targets", "#e65100"},         {"substitutes_for", "#00838f"},
      {"mitigates", "#00838f"},  {"cooperates_with", "#1565c0"}, {"trades_with", "#1565c0"}};
  auto it = kColours.find(type);
  return it == kColours.end() ? "#555555" : it->second;
}

std::string Esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string Tooltip(const EdgeView& e) {
  std::string t = std::to_string(e.evidence.size()) + " evidence; confidence " +
                  Fixed(e.rec.q.confidence, 2) + ", weight " + Fixed(e.rec.q.weight, 2);
  for (size_t i = 0; i < e.evidence.size() && i < 3; ++i) {
    const auto& ev = e.evidence[i];
    t += "\n" + ev.source_slug + " " + ev.rec.locator.ToString() + ": " + ev.rec.quote;
  }
  return t;
}

// Breaks a long name over lines of about `width` characters.
std::string WrapLabel(const std::string& s, size_t width) {
  std::string out, line, word;
  auto flush_word = [&] {
    if (word.empty()) return;
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += (out.empty() ? "" : "\\n") + line;
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    word.clear();
  };
  for (char c : s) {
    if (c == ' ')
      flush_word();
    else
      word.push_back(c);
  }
  flush_word();
  if (!line.empty()) out += (out.empty() ? "" : "\\n") + line;
  return out;
}

bool OnPath(const std::string& file) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  std::istringstream dirs(p);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string full = dir + "/" + file;
    if (::access(full.c_str(), X_OK) == 0) return true;
  }
  return false;
}

}  // namespace

std::string Dot(const std::string& title, const std::vector<const EdgeView*>& edges,
                const std::vector<NodeRecord>& nodes, const std::vector<std::string>& highlight) {
  std::ostringstream out;
  out << "digraph sinew {\n"
      << "  graph [label=\"" << Esc(title) << "\", labelloc=t, fontname=\"Helvetica\", "
      << "fontsize=14, rankdir=LR, nodesep=0.4, ranksep=0.8];\n"
      << "  node [fontname=\"Helvetica\", fontsize=11, style=filled];\n"
      << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  std::set<std::string> marked(highlight.begin(), highlight.end());
  std::set<std::string> drawn;
  for (const auto& n : nodes) {
    if (!drawn.insert(n.slug).second) continue;
    Look look = LookOf(n.type);
    out << "  \"" << Esc(n.slug) << "\" [label=\"" << WrapLabel(Esc(n.name), 22) << "\\n("
        << Esc(n.type) << ")\", shape=" << look.shape << ", fillcolor=\"" << look.fill << "\""
        << look.extra << (marked.count(n.slug) ? ", penwidth=3" : "") << ", tooltip=\""
        << Esc(n.slug) << "\"];\n";
  }
  std::set<EdgeId> seen;
  for (const EdgeView* e : edges) {
    if (!seen.insert(e->rec.id).second) continue;
    const EdgeQualifiers& q = e->rec.q;
    bool scenario = q.modality == Modality::kProjected || q.modality == Modality::kHypothetical;
    std::string style = scenario                                ? "dashed"
                        : q.status == EvidenceStatus::kProposed ? "dotted"
                                                                : "solid";
    out << "  \"" << Esc(e->src_slug) << "\" -> \"" << Esc(e->dst_slug) << "\" [label=\""
        << Esc(e->forward) << (e->rec.domain.empty() ? "" : "\\n[" + Esc(e->rec.domain) + "]")
        << "\", color=\"" << ColourOf(e->rec.type) << "\", fontcolor=\"" << ColourOf(e->rec.type)
        << "\", penwidth=" << Fixed(1 + 4 * q.weight, 2) << ", style=" << style
        << (e->directed ? "" : ", dir=none") << ", tooltip=\"" << Esc(Tooltip(*e)) << "\", URL=\"#e"
        << e->rec.id << "\"];\n";
  }
  out << "}\n";
  return out.str();
}

Result<std::string> RenderDot(const std::string& dot, const std::string& format) {
  if (format != "svg" && format != "png") return Status::Usage("pictures are svg or png");
  if (!OnPath("dot"))
    return Status::Invalid(
        "Graphviz is not installed, so sinew cannot draw " + format +
        ". Install it with 'sudo apt-get install graphviz' (scripts/setup.sh does), or use "
        "--format dot and render the text elsewhere");
  char path[] = "/tmp/sinew-dot-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) return Status::Io("cannot create a temporary file for Graphviz");
  FILE* f = ::fdopen(fd, "w");
  std::fwrite(dot.data(), 1, dot.size(), f);
  std::fclose(f);
  std::string cmd = "dot -T" + format + " '" + path + "' 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) {
    ::unlink(path);
    return Status::Io("cannot run Graphviz");
  }
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int rc = ::pclose(pipe);
  ::unlink(path);
  if (rc != 0) return Status::Io("Graphviz failed: " + out.substr(0, 500));
  return out;
}

}  // namespace sinew::query
