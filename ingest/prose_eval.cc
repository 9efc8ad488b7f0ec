// Scores claim extraction on real prose against hand-written gold
// (tests/eval/prose, docs/ingest.md): reads every note of one half through
// the text reader against a store holding the bundled corpus, and compares
// the proposed links with the gold claims sentence by sentence.
//
//   sinew_prose_eval DIR [--check dev|heldout] [--misses]
//
// Prints one table; with --check, exits 1 when a figure is under that
// half's floor: a little under what the rules measured there, so a change
// that loses ground fails. Issue #17's targets are printed beside the
// figures; the held-out half does not meet them yet (docs/ingest.md).
// --misses lists what was missed and what was wrong (never on held-out).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ingest/ingest.h"
#include "ingest/text_note.h"
#include "store/store.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Names as the scorer compares them: folded, without a leading "the" or a
// trailing possessive.
std::string Norm(std::string s) {
  // Curly and straight apostrophes read alike ("Russia’s", "Russia's"), and
  // a trailing possessive goes.
  for (size_t at; (at = s.find("\xE2\x80\x99")) != std::string::npos;) s.replace(at, 3, "'");
  if (s.ends_with("'s")) s.resize(s.size() - 2);
  std::string n = sinew::NormalizeName(s);
  if (n.rfind("the ", 0) == 0) n = n.substr(4);
  return n;
}

// Code points before byte `b` of `text`.
int64_t CodePoints(const std::string& text, size_t b) {
  int64_t n = 0;
  for (size_t i = 0; i < b && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  return n;
}

const std::set<std::string> kUndirected = {"cooperates_with", "trades_with", "competes_with",
                                           "aligned_with", "related_to"};

struct Triple {
  std::string s, r, o;  // gold entity names
};

struct GoldClaim {
  Triple main;
  std::vector<Triple> also;
  bool negated = false, hedged = false;
  int64_t start = -1, end = -1;  // code points of its sentence in the file
  std::string sentence;
};

struct Proposed {
  std::string src, type, dst;  // slugs
  bool negated = false, hedged = false;
  int64_t start = 0, end = 0;
  std::string quote;
};

struct Tally {
  size_t gold = 0, pair_hit = 0, rel_hit = 0;
  size_t proposed = 0, proposed_right = 0;
  size_t polarity_checked = 0, polarity_right = 0;
  size_t entities = 0, entities_surfaced = 0;
  size_t words = 0, notes = 0;
};

bool Overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1) {
  int64_t lo = std::max(a0, b0), hi = std::min(a1, b1);
  if (hi <= lo) return false;
  return hi - lo >= std::min(a1 - a0, b1 - b0) / 2;
}

int Run(const fs::path& dir, const std::string& check, bool misses) {
  fs::path root = SINEW_SOURCE_DIR;
  std::string schema = Slurp(root / "corpus/schema.json");
  fs::path tmp = fs::temp_directory_path() / ("sinew-prose-eval-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  auto store = sinew::Store::Create(tmp.string(), schema, "schema.json");
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 2;
  }
  std::vector<fs::path> corpus;
  for (const auto& e : fs::directory_iterator(root / "corpus/notes")) corpus.push_back(e.path());
  std::sort(corpus.begin(), corpus.end());
  for (const auto& n : corpus) {
    auto b = sinew::ingest::ReadFile(n.string());
    if (!b.ok() || !(*store)->Apply(b.value()).ok()) {
      std::cerr << "cannot load " << n << "\n";
      return 2;
    }
  }
  auto view = (*store)->View();
  std::string rules = Slurp(root / "corpus/rules.json");

  std::vector<fs::path> notes;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".txt") notes.push_back(e.path());
  std::sort(notes.begin(), notes.end());
  Tally t;
  std::ostringstream report;
  for (const auto& path : notes) {
    std::string text = Slurp(path);
    fs::path gold_path = path;
    gold_path.replace_extension(".gold.json");
    json gold = json::parse(Slurp(gold_path));
    ++t.notes;
    size_t body = text.find("\n\n");
    std::istringstream words(text.substr(body == std::string::npos ? 0 : body));
    for (std::string w; words >> w;) ++t.words;

    // Gold entities by name, with every form they take.
    std::map<std::string, std::set<std::string>> forms;  // entity name -> normalised forms
    for (const auto& e : gold["entities"]) {
      std::string name = e["name"];
      forms[name].insert(Norm(name));
      for (const auto& m : e["mentions"]) forms[name].insert(Norm(m.get<std::string>()));
    }
    std::vector<GoldClaim> claims;
    for (const auto& c : gold["claims"]) {
      GoldClaim g;
      g.main = {c["subject"], c["relation"], c["object"]};
      for (const auto& a : c.value("also", json::array())) g.also.push_back({a[0], a[1], a[2]});
      g.negated = c.value("negated", false);
      g.hedged = c.value("hedged", false);
      g.sentence = c["sentence"];
      size_t at = text.find(g.sentence, body == std::string::npos ? 0 : body);
      if (at != std::string::npos) {
        g.start = CodePoints(text, at);
        g.end = CodePoints(text, at + g.sentence.size());
      }
      claims.push_back(g);
    }

    auto batch = sinew::ingest::ReadTextNote(text, path.string(), *view, rules, "rules.json");
    if (!batch.ok()) {
      std::cerr << path.filename() << ": " << batch.status().ToString() << "\n";
      return 2;
    }
    // What the reader proposes must also load: a note the store refuses
    // gives the analyst nothing, whatever the scores say.
    if (auto applied = (*store)->Apply(batch.value(), true); !applied.ok()) {
      std::cerr << path.filename()
                << ": the store refuses the proposals: " << applied.status().ToString() << "\n";
      return 1;
    }
    // Each node's names, from the batch (proposed) or the store.
    std::map<std::string, std::set<std::string>> names;
    for (const auto& n : batch->nodes) {
      names[n.slug].insert(Norm(n.name));
      for (const auto& a : n.aliases) names[n.slug].insert(Norm(a));
    }
    // A known node's names are the store's as well as the note's (a mention
    // draft carries only the name it was found under).
    std::set<std::string> looked_up;
    auto names_of = [&](const std::string& slug) -> const std::set<std::string>& {
      std::set<std::string>& s = names[slug];
      if (!looked_up.insert(slug).second) return s;
      if (auto n = view->NodeBySlug(slug); n.ok()) {
        s.insert(Norm(n->name));
        for (const auto& a : n->aliases) s.insert(Norm(a));
      }
      s.insert(Norm(slug));
      return s;
    };
    // The gold entities a node can be.
    auto entities_of = [&](const std::string& slug) {
      std::set<std::string> out;
      const auto& ns = names_of(slug);
      for (const auto& [entity, fs_] : forms)
        for (const auto& f : fs_)
          if (ns.count(f)) out.insert(entity);
      return out;
    };
    std::vector<Proposed> proposed;
    std::set<std::string> seen;
    std::set<std::string> surfaced_slugs;
    for (const auto& n : batch->nodes) surfaced_slugs.insert(n.slug);
    for (const auto& e : batch->edges)
      for (const auto& ev : e.evidence) {
        Proposed p;
        p.src = e.src;
        p.type = e.type;
        p.dst = e.dst;
        p.negated = ev.stance == sinew::Stance::kContradicts;
        p.hedged = ev.modality == sinew::Modality::kProjected ||
                   ev.modality == sinew::Modality::kHypothetical;
        p.start = ev.locator.start;
        p.end = ev.locator.end;
        p.quote = ev.quote;
        std::string key = p.src + "|" + p.type + "|" + p.dst + "|" + std::to_string(p.start) +
                          (p.negated ? "|neg" : "");
        if (!seen.insert(key).second) continue;
        proposed.push_back(p);
        surfaced_slugs.insert(e.src);
        surfaced_slugs.insert(e.dst);
      }
    for (const auto& o : batch->observations) {
      surfaced_slugs.insert(o.subject);
      if (!o.object.empty()) surfaced_slugs.insert(o.object);
    }

    // For the misses: which gold entities the reader found in each sentence.
    std::vector<std::pair<std::pair<int64_t, int64_t>, std::set<std::string>>> seen_in;
    if (misses) {
      auto rules_parsed = sinew::ingest::ParseRules(rules, "rules.json");
      auto header = sinew::ingest::ReadHeader(text, path.string());
      if (rules_parsed.ok() && header.ok()) {
        auto sentences = sinew::ingest::Segment(text, header->body_offset, *rules_parsed);
        sinew::ingest::ProseReader reader(*view, *rules_parsed);
        (void)reader.Prepare(sentences);
        for (const auto& s : sentences) {
          (void)reader.Read(s);
          std::set<std::string> slugs(reader.last_mentions().begin(), reader.last_mentions().end());
          seen_in.push_back({{s.start, s.end}, slugs});
        }
      }
    }
    auto pair_matches = [&](const Proposed& p, const Triple& g) {
      auto a = entities_of(p.src), b = entities_of(p.dst);
      return (a.count(g.s) && b.count(g.o)) || (a.count(g.o) && b.count(g.s));
    };
    auto rel_matches = [&](const Proposed& p, const Triple& g) {
      if (p.type != g.r) return false;
      auto a = entities_of(p.src), b = entities_of(p.dst);
      if (a.count(g.s) && b.count(g.o)) return true;
      return kUndirected.count(g.r) && a.count(g.o) && b.count(g.s);
    };
    std::ostringstream note_report;
    std::vector<bool> proposed_right(proposed.size(), false);
    for (const auto& g : claims) {
      ++t.gold;
      bool pair = false, rel = false;
      const Proposed* best = nullptr;
      for (size_t i = 0; i < proposed.size(); ++i) {
        const Proposed& p = proposed[i];
        if (g.start < 0 || !Overlap(g.start, g.end, p.start, p.end)) continue;
        bool pm = pair_matches(p, g.main), rm = rel_matches(p, g.main);
        for (const auto& a : g.also) {
          pm = pm || pair_matches(p, a);
          rm = rm || rel_matches(p, a);
        }
        if (!pm) continue;
        proposed_right[i] = true;
        pair = true;
        if (rm && p.negated == g.negated) rel = true;
        if (!best || (rm && best->type != g.main.r)) best = &p;
      }
      t.pair_hit += pair;
      t.rel_hit += rel;
      if (best) {
        ++t.polarity_checked;
        bool ok = best->negated == g.negated && best->hedged == g.hedged;
        t.polarity_right += ok;
        if (!ok && misses)
          note_report << "  polarity: " << g.main.s << " " << g.main.r << " " << g.main.o
                      << " gold neg=" << g.negated << " hedged=" << g.hedged
                      << ", proposed neg=" << best->negated << " hedged=" << best->hedged << "\n";
      }
      if (!rel && misses) {
        // Whether the reader saw both ends in the sentence.
        std::set<std::string> found;
        for (const auto& [span, slugs] : seen_in)
          if (g.start >= 0 && Overlap(g.start, g.end, span.first, span.second))
            for (const auto& slug : slugs)
              for (const auto& e : entities_of(slug)) found.insert(e);
        std::string lacking;
        for (const auto& e : {g.main.s, g.main.o})
          if (!found.count(e)) lacking += (lacking.empty() ? "" : ", ") + e;
        note_report << "  " << (pair ? "wrong relation" : "missed") << ": " << g.main.s << " "
                    << g.main.r << " " << g.main.o << (g.negated ? " (negated)" : "")
                    << (lacking.empty() ? "  [both seen]" : "  [not seen: " + lacking + "]")
                    << "\n";
      }
    }
    for (size_t i = 0; i < proposed.size(); ++i) {
      ++t.proposed;
      t.proposed_right += proposed_right[i];
      if (!proposed_right[i] && misses)
        note_report << "  wrong: " << proposed[i].src << " " << proposed[i].type << " "
                    << proposed[i].dst << (proposed[i].negated ? " (negated)" : "") << "  in \""
                    << proposed[i].quote.substr(0, 90) << "\"\n";
    }
    for (const auto& [entity, fs_] : forms) {
      ++t.entities;
      bool found = false;
      for (const auto& slug : surfaced_slugs) found = found || entities_of(slug).count(entity);
      t.entities_surfaced += found;
      if (!found && misses) note_report << "  entity not surfaced: " << entity << "\n";
    }
    if (misses && !note_report.str().empty())
      report << path.filename().string() << "\n" << note_report.str();
  }
  fs::remove_all(tmp);

  auto ratio = [](size_t a, size_t b) { return b ? static_cast<double>(a) / b : 0.0; };
  double pair_recall = ratio(t.pair_hit, t.gold),
         pair_precision = ratio(t.proposed_right, t.proposed);
  double rel_recall = ratio(t.rel_hit, t.gold);
  double polarity = ratio(t.polarity_right, t.polarity_checked);
  double entities = ratio(t.entities_surfaced, t.entities);
  if (misses) std::cout << report.str() << "\n";
  std::printf("%s: %zu notes, %zu words, %zu gold claims, %zu proposed\n",
              dir.filename().string().c_str(), t.notes, t.words, t.gold, t.proposed);
  std::printf("| | measured | target |\n|---|---|---|\n");
  std::printf("| claims, right two nodes: recall | %.2f (%zu of %zu) | 0.60 |\n", pair_recall,
              t.pair_hit, t.gold);
  std::printf("| claims, right two nodes: precision | %.2f (%zu of %zu) | 0.70 |\n", pair_precision,
              t.proposed_right, t.proposed);
  std::printf("| claims, right relation and polarity: recall | %.2f (%zu of %zu) | 0.45 |\n",
              rel_recall, t.rel_hit, t.gold);
  std::printf("| negation and hedging right, of claims found | %.2f (%zu of %zu) | 0.80 |\n",
              polarity, t.polarity_right, t.polarity_checked);
  std::printf("| entities surfaced | %.2f (%zu of %zu) | 0.90 |\n", entities, t.entities_surfaced,
              t.entities);
  if (check.empty()) return 0;
  // Each half's floor sits a little under what was measured there when the
  // rules last changed (the held-out half measured once per change, never tuned on).
  struct Floor {
    double pair_recall, pair_precision, rel_recall, polarity, entities;
  };
  Floor f = check == "heldout" ? Floor{SINEW_HELDOUT_FLOOR} : Floor{SINEW_DEV_FLOOR};
  bool ok = pair_recall >= f.pair_recall && pair_precision >= f.pair_precision &&
            rel_recall >= f.rel_recall && polarity >= f.polarity && entities >= f.entities;
  if (!ok) std::printf("below the %s floor\n", check.c_str());
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: sinew_prose_eval DIR [--check dev|heldout] [--misses]\n";
    return 2;
  }
  std::string check;
  bool misses = false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--check") == 0 && i + 1 < argc) check = argv[++i];
    if (std::strcmp(argv[i], "--misses") == 0) misses = true;
  }
  // The held-out half is scored, never read for what went wrong: rules
  // written from its misses would make its figures say nothing.
  if (misses && std::string(argv[1]).find("heldout") != std::string::npos) {
    std::cerr << "sinew_prose_eval: --misses is for the dev half only\n";
    return 2;
  }
  std::error_code ec;
  if (!fs::is_directory(argv[1], ec)) {
    std::cerr << "sinew_prose_eval: " << argv[1] << " is not a folder of notes\n"
              << "usage: sinew_prose_eval DIR [--check dev|heldout] [--misses]\n";
    return 2;
  }
  try {
    return Run(argv[1], check, misses);
  } catch (const std::exception& e) {  // a folder unreadable part-way, a note gone
    std::cerr << "sinew_prose_eval: " << e.what() << "\n";
    return 1;
  }
}
