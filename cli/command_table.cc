// The rows of the command table (command_table.h): each command's
// parameters, with the parsing and range checks of their values, what the
// command opens and the function that runs it.
#include "cli/command_table.h"

#include <charconv>
#include <climits>
#include <cmath>
#include <map>

#include "cli/params.h"

namespace sinew::cli {
namespace {

using Kind = Param::Kind;
using Values = std::vector<std::string>;
using namespace params;

void ExportDefaults(Invocation& inv) {
  if (inv.ctx.clearance.empty()) inv.ctx.clearance = "green";  // exports leave the machine
  // The whole graph: scenarios travel, marked by their modality.
  inv.ctx.include_scenarios = true;
}

std::vector<Command> Build() {
  std::vector<Command> t;
  t.push_back({"init",
               "Create a store",
               Needs::kNothing,
               false,
               {Text(
                    Kind::kOption, "schema", "Schema JSON (default: the bundled schema)",
                    [](Invocation & i) -> auto& { return i.schema_file; }, false),
                FormatParam()},
               RunInit});
  t.push_back(
      {"ingest",
       "Load notes, tables, STIX bundles, exports: one transaction",
       Needs::kWriter,
       false,
       {Required(Texts(
            Kind::kPositional, "paths", "Note files or directories of notes",
            [](Invocation & i) -> auto& { return i.ingest.paths; }, false)),
        Flag(
            "dry-run", "Validate only; write nothing",
            [](Invocation & i) -> auto& { return i.ingest.dry_run; }, false),
        Flag(
            "replace", "Let a note replace a source first ingested from another file (a revision)",
            [](Invocation & i) -> auto& { return i.ingest.replace; }, false),
        Text(
            Kind::kOption, "mapping",
            "How a .csv table, STIX bundle or --list file maps to the graph (JSON)",
            [](Invocation & i) -> auto& { return i.ingest.mapping; }, false),
        Text(
            Kind::kOption, "list",
            "Read the file as a sanctions list snapshot: ofac-sdn (sdn.csv or .csv.gz)",
            [](Invocation & i) -> auto& { return i.ingest.list; }, false),
        Text(
            Kind::kOption, "snapshot",
            "The --list file's date, YYYY-MM-DD (default: from a name sdn-YYYY-MM-DD.csv[.gz])",
            [](Invocation & i) -> auto& { return i.ingest.snapshot; }, false),
        Text(
            Kind::kOption, "rules",
            "Extraction rules for text notes (default $SINEW_RULES, else bundled)",
            [](Invocation & i) -> auto& { return i.ingest.rules; }, false),
        FormatParam()},
       RunIngest});
  t.push_back(
      {"show", "A node's card: aliases, links in and out, figures", Needs::kAsker, true,
       With({NodeArg(
                 "id", "Node id or name", [](Invocation & i) -> auto& { return i.text; }),
             Int(
                 "limit", "At most this many links each way, strongest first (default 0: all)",
                 [](Invocation & i) -> auto& { return i.show_limit; }, 0, 1000000)},
            Filters()),
       RunShow});
  t.push_back({"find", "Nodes by name or alias, fuzzy", Needs::kAsker, true,
               With({ApiName(NodeArg(
                                 "text", "What to look for",
                                 [](Invocation & i) -> auto& { return i.text; }),
                             "q"),
                     Int(
                         "limit", "At most this many matches (default 20)",
                         [](Invocation & i) -> auto& { return i.limit; }, 1, 1000000)},
                    Filters()),
               RunFind});
  t.push_back(
      {"deps", "What a node depends on (or who depends on it)", Needs::kAsker, true,
       With({NodeArg(
                 "id", "Node id or name", [](Invocation & i) -> auto& { return i.analysis.a; }),
             Alias(Flag(
                       "reverse", "Who depends on it instead",
                       [](Invocation & i) -> auto& { return i.analysis.reverse; }),
                   "-r"),
             Int(
                 "depth", "Levels of the tree (default 3)",
                 [](Invocation & i) -> auto& { return i.analysis.depth; }, 0, 64),
             Via()},
            Filters()),
       RunDeps});
  t.push_back(
      {"chains", "Dependency chains between two nodes, ranked", Needs::kAsker, true,
       With({NodeArg(
                 "from", "Start node", [](Invocation & i) -> auto& { return i.analysis.a; }),
             NodeArg(
                 "to", "End node", [](Invocation & i) -> auto& { return i.analysis.b; }),
             Int(
                 "max-depth", "Longest chain in hops (default 4)",
                 [](Invocation & i) -> auto& { return i.analysis.max_depth; }, 0, 64),
             Int(
                 "limit", "Chains shown (default 10)",
                 [](Invocation & i) -> auto& { return i.analysis.limit; }, 0, 100000),
             [] {
               Param p = Base(Kind::kOption, "cap",
                              "Chains enumerated before stopping (default 100000)", true);
               p.type_name = "INT";
               p.set = [](Invocation& inv, const Values& v) {
                 return ParseInt("cap", v.empty() ? "" : v.back(), 0, 1'000'000'000'000'000,
                                 &inv.analysis.cap);
               };
               return p;
             }(),
             Via(),
             Choice("rule", "Chain score: product (default) or min",
                    [](Invocation & i) -> auto& { return i.ctx.rule; }, {"product", "min"})},
            Filters()),
       RunChains});
  t.push_back(
      {"path", "The strongest (or shortest) connection", Needs::kAsker, true,
       With({NodeArg(
                 "from", "Start node", [](Invocation & i) -> auto& { return i.analysis.a; }),
             NodeArg(
                 "to", "End node", [](Invocation & i) -> auto& { return i.analysis.b; }),
             Choice("mode", "strongest (default) or shortest",
                    [](Invocation & i) -> auto& { return i.analysis.mode; },
                    {"strongest", "shortest"}),
             Via()},
            Filters()),
       RunPath});
  t.push_back({"impact", "Who is exposed if a node is cut, and how badly", Needs::kAsker, true,
               With({NodeArg(
                         "id", "The node cut or sanctioned",
                         [](Invocation & i) -> auto& { return i.analysis.a; }),
                     Int(
                         "limit", "How many exposed nodes to show (default 50; 0 = all)",
                         [](Invocation & i) -> auto& { return i.analysis.exposed; }, 0, 1000000),
                     Via()},
                    Filters()),
               RunImpact});
  t.push_back(
      {"critical", "Single points of failure", Needs::kAsker, true,
       With({Text(
                 Kind::kPositional, "id", "A consumer (omit for the whole graph's cut points)",
                 [](Invocation & i) -> auto& { return i.analysis.a; }),
             Via("Edge types (whole graph: default all)")},
            Filters()),
       RunCritical});
  t.push_back(
      {"substitutes", "Alternatives to a provider", Needs::kAsker, true,
       With({NodeArg(
                 "id", "The provider", [](Invocation & i) -> auto& { return i.analysis.a; }),
             Text(
                 Kind::kOption, "for", "The consumer who needs the alternative",
                 [](Invocation & i) -> auto& { return i.analysis.b; })},
            Filters()),
       RunSubstitutes});
  t.push_back(
      {"asymmetry", "Mutual dependence compared, per domain", Needs::kAsker, true,
       With({NodeArg(
                 "a", "One side", [](Invocation & i) -> auto& { return i.analysis.a; }),
             NodeArg(
                 "b", "The other side", [](Invocation & i) -> auto& { return i.analysis.b; })},
            Filters()),
       RunAsymmetry});
  t.push_back({"evidence", "Every evidence record behind a link", Needs::kAsker, true,
               With({NodeArg(
                         "a", "A node, or an edge id like e12",
                         [](Invocation & i) -> auto& { return i.analysis.a; }),
                     Text(
                         Kind::kPositional, "b", "The other node",
                         [](Invocation & i) -> auto& { return i.analysis.b; })},
                    Filters()),
               RunEvidence});
  t.push_back(
      {"timeline", "Dated evidence and figures, in order", Needs::kAsker, true,
       With({NodeArg(
                 "id", "Node id or name", [](Invocation & i) -> auto& { return i.analysis.a; }),
             ApiName(Text(
                         Kind::kPositional, "id2", "Only what links it to this node",
                         [](Invocation & i) -> auto& { return i.analysis.b; }),
                     "with")},
            Filters()),
       RunTimeline});
  t.push_back(
      {"diff",
       "What the store learned between two days (record time): claims added, withdrawn, changed",
       Needs::kAsker,
       false,
       {Text(
            Kind::kPositional, "from",
            "The earlier day (2022-02-23; or give it as --known-at and only the later one here)",
            [](Invocation & i) -> auto& { return i.analysis.a; }),
        Text(
            Kind::kPositional, "to", "The later day (default: today)",
            [](Invocation & i) -> auto& { return i.analysis.b; }),
        FormatParam()},
       RunDiff});
  for (Param& c : Clearance()) t.back().params.push_back(std::move(c));
  t.push_back({"conflicts",
               "Contested links and conflicting figures: where the store argues with itself",
               Needs::kAsker, true, Filters(), RunConflicts});
  {
    Param chain = Texts(
        Kind::kOption, "chain", "Only the links of the ranked chains FROM TO",
        [](Invocation & i) -> auto& { return i.exp.chain; }, false);
    chain.values = 2;
    t.push_back({"export",
                 "The graph for other tools: graphml, dot, jsonl, csv, csv-bundle, cypher, stix",
                 Needs::kAsker, false,
                 With({Text(
                           Kind::kOption, "around", "Only the neighbourhood of this node",
                           [](Invocation & i) -> auto& { return i.exp.around; }, false),
                       Int(
                           "depth", "--around: how many links out (default 1)",
                           [](Invocation & i) -> auto& { return i.exp.depth; }, 0, 64, false),
                       chain,
                       Int(
                           "max-depth", "--chain: longest chain (default 4)",
                           [](Invocation & i) -> auto& { return i.exp.max_depth; }, 0, 64, false),
                       Int(
                           "limit", "--chain: how many chains (default 10)",
                           [](Invocation & i) -> auto& { return i.exp.limit; }, 0, 100000, false),
                       Choice(
                           "dialect", "--format cypher: neo4j (default), memgraph or kuzu",
                           [](Invocation & i) -> auto& { return i.exp.dialect; },
                           {"neo4j", "memgraph", "kuzu"}, false)},
                      Filters()),
                 RunExport, ExportDefaults});
  }
  t.push_back(
      {"query", "An openCypher read query on the store (or a CREATE sketch with --scratch)",
       Needs::kNothing, true,
       With({NodeArg(
                 "cypher", "The query, in quotes",
                 [](Invocation & i) -> auto& { return i.query.text; }),
             Texts(
                 Kind::kOption, "param", "NAME=VALUE, VALUE a Cypher literal (repeatable)",
                 [](Invocation & i) -> auto& { return i.query.params; }),
             Flag(
                 "scratch", "Run on an empty in-memory graph (CREATE works there), not the store",
                 [](Invocation & i) -> auto& { return i.query.scratch; }, false),
             Texts(
                 Kind::kOption, "load", "--scratch: run this Cypher script first (repeatable)",
                 [](Invocation & i) -> auto& { return i.query.load; }, false)},
            Filters()),
       RunQuery});
  t.push_back(
      {"serve",
       "The web explorer and its JSON API on this machine (http://127.0.0.1:7474/)",
       Needs::kNothing,
       false,
       {Int(
            "port", "Port (default 7474; 0 picks a free one)",
            [](Invocation & i) -> auto& { return i.serve.port; }, 0, 65535, false),
        Text(
            Kind::kOption, "bind",
            "Address to listen on (default 127.0.0.1; anything else is reachable by other "
            "machines)",
            [](Invocation & i) -> auto& { return i.serve.bind; }, false),
        Text(
            Kind::kOption, "static", "Serve the explorer from this directory",
            [](Invocation & i) -> auto& { return i.serve.static_dir; }, false),
        Text(
            Kind::kOption, "clearance",
            "The most the API shows (default green; a request may ask for less, never more)",
            [](Invocation & i) -> auto& { return i.ctx.clearance; }, false),
        Int(
            "timeout", "Seconds one API request may take (default 10)",
            [](Invocation & i) -> auto& { return i.serve.timeout; }, 1, 3600, false)},
       RunServe});
  {
    Param action = Required(Choice(
        "action", "list, show, accept, reject, edit, merge or unmerge",
        [](Invocation & i) -> auto& { return i.review.action; },
        {"list", "show", "accept", "reject", "edit", "merge", "unmerge"}, false));
    action.kind = Kind::kPositional;
    std::vector<Param> p = {
        action,
        Texts(
            Kind::kPositional, "ids",
            "Evidence ids (ev12 ...); for merge: the proposed node, then the existing one",
            [](Invocation & i) -> auto& { return i.review.ids; }, false),
        Text(
            Kind::kOption, "source", "Only claims from this source (a note's id)",
            [](Invocation & i) -> auto& { return i.review.source; }, false),
        Choice(
            "by", "list order: confidence (default) or note",
            [](Invocation & i) -> auto& { return i.review.by; }, {"confidence", "note"}, false),
        Number(
            "above", "accept or reject: every proposed claim at least this confident",
            [](Invocation & i) -> auto& { return i.review.above; }, false),
        Choice(
            "kind", "list, accept or reject: only edges, nodes, mentions, figures or merges",
            [](Invocation & i) -> auto& { return i.review.kind; },
            {"edge", "node", "mention", "figure", "merge"}, false),
        Text(
            Kind::kOption, "type", "edit: another edge type (a node type for a proposed node)",
            [](Invocation & i) -> auto& { return i.review.type; }, false),
        Flag(
            "reverse", "edit: swap the direction",
            [](Invocation & i) -> auto& { return i.review.reverse; }, false),
        Text(
            Kind::kOption, "domain", "edit: another domain",
            [](Invocation & i) -> auto& { return i.review.domain; }, false),
        Text(
            Kind::kOption, "modality", "edit: observed, assessed, projected, hypothetical",
            [](Invocation & i) -> auto& { return i.review.modality; }, false),
        Text(
            Kind::kOption, "from", "edit: when it starts (none clears)",
            [](Invocation & i) -> auto& { return i.review.from; }, false),
        Text(
            Kind::kOption, "to", "edit: when it ends (none clears)",
            [](Invocation & i) -> auto& { return i.review.to; }, false),
        Text(
            Kind::kOption, "name", "edit: another name for a proposed node",
            [](Invocation & i) -> auto& { return i.review.name; }, false),
        FormatParam()};
    for (Param& c : Clearance()) p.push_back(std::move(c));
    t.push_back({"review", "The queue of proposed claims: list, show, accept, reject, edit, merge",
                 Needs::kWriter, false, std::move(p), RunReview});
  }
  {
    Param shell = Required(Choice(
        "shell", "bash or zsh", [](Invocation & i) -> auto& { return i.text; }, {"bash", "zsh"},
        false));
    shell.kind = Kind::kPositional;
    t.push_back({"completion",
                 "Shell completion for bash or zsh, from this command table",
                 Needs::kNothing,
                 false,
                 {shell},
                 RunCompletion});
    t.push_back({"manual",
                 "The man page (roff), from this command table",
                 Needs::kNothing,
                 false,
                 {},
                 RunManual});
  }
  t.push_back({"shell",
               "Interactive: every command, with history",
               Needs::kNothing,
               false,
               {},
               RunShellCommand});
  t.push_back({"stats", "Counts of what the store holds", Needs::kAsker, true,
               With({FormatParam()}, Clearance()), RunStats});
  t.push_back({"check",
               "Verify every invariant of the store",
               Needs::kStore,
               false,
               {FormatParam()},
               RunCheck});
  t.push_back({"dump",
               "Every key and value, as text (for diffing stores)",
               Needs::kStore,
               false,
               {},
               RunDump});
  t.push_back({"backup",
               "Consistent copy of the store into DIR",
               Needs::kStore,
               false,
               {Required(Text(
                   Kind::kPositional, "dir", "Target directory (must not exist)",
                   [](Invocation & i) -> auto& { return i.dir; }, false))},
               RunBackup});
  t.push_back({"restore",
               "Restore a backup DIR into the --db directory",
               Needs::kNothing,
               false,
               {Required(Text(
                   Kind::kPositional, "dir", "Backup directory",
                   [](Invocation & i) -> auto& { return i.dir; }, false))},
               RunRestore});
  // What each answers in (checked before the store is opened).
  const std::vector<std::string> kText = {"table", "json"};
  const std::vector<std::string> kRows = {"table", "json", "csv"};
  const std::vector<std::string> kAll = {"table", "json", "csv", "dot", "svg", "png"};
  const std::map<std::string, std::vector<std::string>> kFormats = {
      {"init", kText},
      {"ingest", kText},
      {"show", kAll},
      {"find", kText},
      {"deps", kAll},
      {"chains", kAll},
      {"path", kAll},
      {"impact", kAll},
      {"critical", kRows},
      {"substitutes", kAll},
      {"asymmetry", kAll},
      {"evidence", kAll},
      {"timeline", kRows},
      {"conflicts", kText},
      {"diff", kText},
      {"query", kRows},
      {"review", kText},
      {"stats", kText},
      {"check", kText},
      {"export", {"graphml", "dot", "jsonl", "json", "csv", "csv-bundle", "cypher", "stix"}}};
  for (Command& c : t)
    if (auto it = kFormats.find(c.name); it != kFormats.end()) c.formats = it->second;
  // The record, not an analysis: all time unless --as-of says a date.
  for (const char* name :
       {"show", "find", "evidence", "timeline", "export", "query", "review", "stats", "conflicts"})
    for (Command& c : t)
      if (c.name == name) {
        c.history = true;
        for (Param& p : c.params) {
          if (p.name == "as-of")
            p.help = "Only links valid at this date (2014, 2021-09; default: every date)";
          if (p.name == "all-time") p.help = "Every link that ever held (this command's default)";
        }
      }
  return t;
}

}  // namespace

const std::vector<Command>& Commands() {
  static const std::vector<Command> kTable = Build();
  return kTable;
}

const Command* FindCommand(const std::string& name) {
  for (const Command& c : Commands())
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace sinew::cli
