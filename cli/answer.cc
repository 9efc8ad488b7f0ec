// Writing an answer: to the terminal, to --output (a file, or - for standard
// output), or drawn as a picture through Graphviz.
#include <fstream>
#include <set>

#include "cli/command_table.h"

namespace sinew::cli {

Status CheckFormat(const Context& ctx, std::initializer_list<const char*> allowed) {
  for (const char* f : allowed)
    if (ctx.format == f) return Status::Ok();
  std::string list;
  for (const char* f : allowed) list += (list.empty() ? "" : ", ") + std::string(f);
  return Status::Usage("--format " + ctx.format + " does not fit this command (use " + list + ")");
}

Status WritePicture(const Context& ctx, const StoreView& view, const std::string& title,
                    const std::vector<const query::EdgeView*>& edges,
                    const std::vector<std::string>& highlight, std::ostream& out) {
  std::vector<NodeRecord> nodes;
  std::set<std::string> seen;
  auto add = [&](const std::string& slug) {
    if (!seen.insert(slug).second) return;
    Result<NodeRecord> n = view.NodeBySlug(slug);
    if (n.ok()) nodes.push_back(std::move(n).value());
  };
  for (const auto& h : highlight) add(h);
  for (const auto* e : edges) {
    add(e->src_slug);
    add(e->dst_slug);
  }
  std::string dot = query::Dot(title, edges, nodes, highlight);
  if (ctx.format == "dot") return WriteAnswer(ctx, dot, out);
  Result<std::string> drawn = query::RenderDot(dot, ctx.format);
  if (!drawn.ok()) return drawn.status();
  return WriteAnswer(ctx, drawn.value(), out);
}

Status WriteAnswer(const Context& ctx, const std::string& text, std::ostream& out) {
  if (ctx.output.empty() || ctx.output == "-") {
    out << text;
    return Status::Ok();
  }
  std::ofstream file(ctx.output, std::ios::binary);
  if (!file) return Status::Io("cannot write " + ctx.output);
  file << text;
  return file ? Status::Ok() : Status::Io("cannot write " + ctx.output);
}

}  // namespace sinew::cli
