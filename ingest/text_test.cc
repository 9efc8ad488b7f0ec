// Text notes: segmentation, dates, bad input, and the measured quality of
// entity linking and claim extraction on the annotated notes in
// tests/annotated/ (gold written by hand, before the extractor ran on them).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "ingest/ingest.h"
#include "ingest/text_note.h"
#include "tests/support/temp_dir.h"

namespace sinew::ingest {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Root() { return SINEW_SOURCE_DIR; }

ExtractionRules Rules() {
  auto r = ParseRules(Slurp(Root() + "/corpus/rules.json"), "rules.json");
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return std::move(r).value();
}

// A store holding the bundled corpus, as a user's would.
std::unique_ptr<Store> CorpusStore(const testing::TempDir& dir) {
  auto store = Store::Create(dir / "db", Slurp(Root() + "/corpus/schema.json"), "schema.json");
  REQUIRE(store.ok());
  std::vector<std::string> notes;
  for (const auto& e : std::filesystem::directory_iterator(Root() + "/corpus/notes"))
    notes.push_back(e.path().string());
  std::sort(notes.begin(), notes.end());
  for (const auto& n : notes) {
    auto b = ReadFile(n);
    REQUIRE_MESSAGE(b.ok(), b.status().ToString());
    REQUIRE((*store)->Apply(b.value()).ok());
  }
  return std::move(store).value();
}

std::vector<std::string> Texts(const std::vector<Sentence>& s) {
  std::vector<std::string> out;
  for (const auto& x : s) out.push_back(x.text);
  return out;
}

}  // namespace

TEST_CASE("sentences split at full stops but not at abbreviations, initials or decimals") {
  ExtractionRules rules = Rules();
  std::string text =
      "# Trade\n\nTrade grew 3.5 per cent, e.g. in oil. C. W. Hsiung wrote on it in the U.S. "
      "Journal. \"Is it lasting?\" he asked. The answer was no.[12] Exports fell (sharply). "
      "Then they rose...\n\n- first point. Second half.\n- another point\n\nClosing words";
  auto s = Segment(text, 0, rules);
  CHECK(Texts(s) == std::vector<std::string>{"Trade grew 3.5 per cent, e.g. in oil.",
                                             "C. W. Hsiung wrote on it in the U.S. Journal.",
                                             "\"Is it lasting?\" he asked.",
                                             "The answer was no.[12]", "Exports fell (sharply).",
                                             "Then they rose...", "first point.", "Second half.",
                                             "another point", "Closing words"});
  CHECK(s[0].section == "Trade");
  CHECK(s[0].paragraph == 1);
  CHECK(s[6].paragraph == 2);  // the list is one paragraph
  CHECK(s[8].paragraph == 2);
  CHECK(s[9].paragraph == 3);
  // Offsets count code points into the whole text and slice back to the quote.
  std::string cyr = "Россия и Китай. China trades.";
  auto c = Segment(cyr, 0, rules);
  REQUIRE(c.size() == 2);
  CHECK(c[1].start == 16);
  CHECK(cyr.substr(c[1].byte_start, c[1].byte_end - c[1].byte_start) == c[1].text);
}

TEST_CASE("dates in prose become EDTF text") {
  auto d = [](const std::string& s) { return DatesIn(Tokenize(s)); };
  CHECK(d("On April 6, 2018 OFAC acted") == std::vector<std::string>{"2018-04-06"});
  CHECK(d("in June 2019") == std::vector<std::string>{"2019-06"});
  CHECK(d("until 23 June 2020") == std::vector<std::string>{"2020-06-23"});
  CHECK(d("since 2014, and by 2021") == std::vector<std::string>{"2014", "2021"});
  CHECK(d("in the mid-2010s") == std::vector<std::string>{"201X"});
  CHECK(d("on 2019-06-20") == std::vector<std::string>{"2019-06-20"});
  CHECK(d("10 bcm and 3000 papers").empty());
}

TEST_CASE("bad text input gets a clear error naming the place") {
  struct Case {
    std::string bytes, words;
    int line;
  };
  std::vector<Case> cases = {
      {"", "empty", 0},
      {"  \n\n ", "empty", 0},
      {std::string("good line\nbad \0 byte", 20), "NUL byte", 2},
      {"fine\ncaf\xe9 au lait", "invalid UTF-8", 2},
      {"ok\n\xff\xfe"
       "a\0b",
       "invalid UTF-8", 2},
      {"line\n" + std::string((1 << 20) + 10, 'x'), "longer than 1 MiB", 2},
  };
  for (const auto& c : cases) {
    CAPTURE(c.words);
    Status s = CheckText(c.bytes, "note.md");
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find(c.words) != std::string::npos);
    if (c.line) CHECK(s.place().line == c.line);
  }
  CHECK(CheckText("Россия и Китай.", "ok.md").ok());
  auto unterminated = ReadHeader("---\ntitle: x\n\nbody", "n.md");
  REQUIRE_FALSE(unterminated.ok());
  CHECK(unterminated.status().message().find("never closed") != std::string::npos);
  auto garbage = ReadHeader("---\ntitle: x\nthis is not a pair\n---\nbody", "n.md");
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.status().place().line == 3);
  auto ok = ReadHeader("---\ntitle: A note\nauthors:\n- One\n- Two\n---\nText.", "n.md");
  REQUIRE(ok.ok());
  CHECK(ok->fields.at("authors") == "One; Two");
  CHECK(ok->fields.at("title") == "A note");
}

TEST_CASE("hedges set modality, and negation never yields a supporting claim") {
  testing::TempDir dir;
  auto store = CorpusStore(dir);
  auto view = store->View();
  std::string rules = Slurp(Root() + "/corpus/rules.json");
  std::string note =
      "Russia supplies oil to China. Russia may supply gas to China in future. "
      "Russia will supply arms to China. Russia does not supply technology to China.";
  auto b = ReadTextNote(note, "n.txt", *view, rules, "rules.json");
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  std::map<std::string, std::pair<Modality, Stance>> seen;
  for (const auto& e : b->edges)
    for (const auto& ev : e.evidence) {
      CHECK(ev.status == EvidenceStatus::kProposed);
      CHECK(ev.quote == note.substr(static_cast<size_t>(ev.locator.start),
                                    static_cast<size_t>(ev.locator.end - ev.locator.start)));
      seen[e.domain + ": " + ev.quote] = {ev.modality, ev.stance};
    }
  std::string all;
  for (const auto& [k, v] : seen) all += k + "\n";
  CAPTURE(all);
  REQUIRE(seen.size() == 4);
  REQUIRE(seen.count("resources: Russia supplies oil to China."));
  CHECK(seen["resources: Russia supplies oil to China."].first == Modality::kObserved);
  CHECK(seen["resources: Russia supplies oil to China."].second == Stance::kSupports);
  REQUIRE(seen.count("resources: Russia may supply gas to China in future."));
  CHECK(seen["resources: Russia may supply gas to China in future."].first ==
        Modality::kHypothetical);
  REQUIRE(seen.count("security: Russia will supply arms to China."));
  CHECK(seen["security: Russia will supply arms to China."].first == Modality::kProjected);
  REQUIRE(seen.count("technology: Russia does not supply technology to China."));
  CHECK(seen["technology: Russia does not supply technology to China."].second ==
        Stance::kContradicts);
}

TEST_CASE("coordinated participles keep the passive, and an aside does not hide the agent") {
  testing::TempDir dir;
  auto store = CorpusStore(dir);
  auto view = store->View();
  std::string rules = Slurp(Root() + "/corpus/rules.json");
  // The Treasury's words (RUSAL, 6 April 2018): EN+ controls RUSAL, not the reverse.
  std::string note =
      "OFAC designated RUSAL for being owned or controlled by, directly or indirectly, EN+ "
      "Group. Gazprom is owned and controlled by the Russian Government.";
  auto b = ReadTextNote(note, "n.txt", *view, rules, "rules.json");
  REQUIRE_MESSAGE(b.ok(), b.status().ToString());
  std::set<std::string> links;
  for (const auto& e : b->edges) links.insert(e.src + " " + e.type + " " + e.dst);
  std::string all;
  for (const auto& l : links) all += l + "\n";
  CAPTURE(all);
  CHECK(links.count("ofac sanctions rusal"));
  CHECK(links.count("en-plus-group controls rusal"));
  CHECK_FALSE(links.count("rusal controls en-plus-group"));
  CHECK(links.count("russian-government controls gazprom"));
  CHECK_FALSE(links.count("gazprom controls russian-government"));
}

TEST_CASE(
    "noun phrase readings: roles, leaders, listed members, modifiers and noun-attached phrases") {
  testing::TempDir dir;
  auto store = CorpusStore(dir);
  auto view = store->View();
  std::string rules = Slurp(Root() + "/corpus/rules.json");
  auto links_of = [&](const std::string& note) {
    auto b = ReadTextNote(note, "n.txt", *view, rules, "rules.json");
    REQUIRE_MESSAGE(b.ok(), b.status().ToString());
    std::set<std::string> links;
    for (const auto& e : b->edges) links.insert(e.src + " " + e.type + " " + e.dst);
    return links;
  };
  auto all = [](const std::set<std::string>& links) {
    std::string s;
    for (const auto& l : links) s += l + "\n";
    return s;
  };
  // A role noun behind what is supplied and an -ing adjective.
  auto role = links_of("Turkmenistan is a leading gas supplier to China.");
  CAPTURE(all(role));
  CHECK(role.count("turkmenistan supplies china"));
  // "X-led" organisations and the members a dash-list gives a region.
  auto led = links_of(
      "Experts question the viability of Russia-led organizations including the Eurasian "
      "Economic Union and the Collective Security Treaty Organization. The five countries of "
      "Central Asia—Kazakhstan, the Kyrgyz Republic, Tajikistan, Turkmenistan, and "
      "Uzbekistan—share ties with Russia.");
  CAPTURE(all(led));
  CHECK(led.count("russia controls eaeu"));
  CHECK(led.count("russia controls csto"));
  CHECK(led.count("uzbekistan located_in central-asia"));
  CHECK(led.count("kazakhstan located_in central-asia"));
  CHECK_FALSE(led.count("central-asia located_in kazakhstan"));
  // A list closed by its conjunction does not swallow the subject after a
  // comma; an infinitive takes the subject of the verb before it.
  auto council = links_of(
      "In light of the annexation of Donetsk, Luhansk and Kherson, the Council decided today "
      "to impose a new package of sanctions against Russia.");
  CAPTURE(all(council));
  CHECK(council.count("council sanctions russia"));
  // "U.S.-origin" and "non-U.S." qualify a noun; "war on Ukraine" holds its
  // own object; the object's head is its last word ("export controls").
  auto bis = links_of(
      "BIS is taking action to restrict the supply of U.S.-origin items to Russia and Belarus "
      "for the Kremlin's war on Ukraine. BIS has taken action to impose stringent export "
      "controls on Iran.");
  CAPTURE(all(bis));
  CHECK(bis.count("bis sanctions russia"));
  CHECK(bis.count("bis sanctions belarus"));
  CHECK(bis.count("bis sanctions iran"));
  CHECK_FALSE(bis.count("bis sanctions united-states"));
  CHECK_FALSE(bis.count("bis sanctions ukraine"));
  // "its occupation of Crimea": the possessor controls what is occupied.
  auto occupied = links_of("Restrictions have applied to Russia since its occupation of Crimea.");
  CAPTURE(all(occupied));
  CHECK(occupied.count("russia controls crimea"));
  // Penalties paid to an agency; a share of a tenth or more of another's
  // trade (and not a smaller one); a list across "(EU)" and before "and
  // other allies"; "as amended by".
  auto more = links_of(
      "Haas Automation to Pay Over $2.5 Million in Civil Penalties to BIS and OFAC. In 2021, "
      "China accounted for 18% of Russia's trade. Kazakhstan accounted for 2% of China's trade. "
      "The United States has coordinated its decisions with the European Union (EU), the "
      "United Kingdom (UK), and other allies. E.O. 14024, as amended by E.O. 14114, applies.");
  CAPTURE(all(more));
  CHECK(more.count("bis sanctions haas-automation"));
  CHECK(more.count("ofac sanctions haas-automation"));
  CHECK(more.count("russia depends_on china"));
  CHECK_FALSE(more.count("china depends_on kazakhstan"));
  CHECK(more.count("united-states cooperates_with european-union"));
  CHECK(more.count("united-states cooperates_with united-kingdom"));
  CHECK(more.count("eo-14114 affects eo-14024"));
  // A capital with figures is a name ("G7"); a group's noun phrase does not
  // reach back over a determiner to the verb before it.
  auto g7 = links_of("The United States cooperates with the G7 on sanctions.");
  CAPTURE(all(g7));
  CHECK(g7.count("united-states cooperates_with g7"));
  auto determined = ReadTextNote(
      "The Government has determined that these companies supply Russia. Sales rose in Q3.",
      "n.txt", *view, rules, "rules.json");
  REQUIRE(determined.ok());
  REQUIRE_FALSE(determined->edges.empty());
  for (const auto& e : determined->edges) {
    CHECK(e.src.find("determined") == std::string::npos);
    CHECK(e.dst == "russia");
  }
  for (const auto& n : determined->nodes) CHECK(n.slug != "q3");  // no new name
  // A department's name is a title only before another title.
  auto titles = ReadTextNote(
      "Yesterday Commerce Stands Strong with Ukraine, it said. Treasury Secretary Steven T. "
      "Mnuchin spoke.",
      "n.txt", *view, rules, "rules.json");
  REQUIRE(titles.ok());
  std::set<std::string> people;
  for (const auto& n : titles->nodes)
    if (n.type == "person") people.insert(n.slug);
  CHECK_FALSE(people.count("stands-strong"));
  CHECK(people.count("steven-mnuchin"));
  // A name before a noun, after "non-", or lifting sanctions is no party;
  // "X-led" reads no further than its phrase; a region's list is not a
  // state's suppliers.
  auto modifiers = links_of(
      "Huawei sold chips to Iran through its non-U.S. affiliates. China imports U.S. technology. "
      "The U.S. "
      "announced the removal of sanctions on Belarus. Russia-led talks, Ukraine said, failed. "
      "The main suppliers of China—Russia and Saudi Arabia—gained.");
  CAPTURE(all(modifiers));
  CHECK(modifiers.count("huawei supplies iran"));
  for (const auto& l : modifiers) CHECK(l.rfind("united-states", 0) != 0);
  CHECK_FALSE(modifiers.count("russia controls ukraine"));
  CHECK_FALSE(modifiers.count("russia located_in china"));
  // Money paid for goods is no penalty.
  auto bought = links_of("China paid $400 billion to Gazprom for gas.");
  CAPTURE(all(bought));
  CHECK_FALSE(bought.count("gazprom sanctions china"));
}

TEST_CASE("a note's name cache stays bounded, and links the same once it has started over") {
  testing::TempDir dir;
  auto store = CorpusStore(dir);
  auto view = store->View();
  const std::string s = "Gazprom supplies gas to China.";
  auto linked = [](const std::vector<Mention>& ms) {
    std::set<std::string> out;
    for (const Mention& m : ms)
      if (m.candidates.size() == 1) out.insert(m.surface + "=" + m.candidates[0].slug);
    return out;
  };
  auto fresh = LinkNames(*view, Tokenize(s), s);
  REQUIRE(fresh.ok());
  CHECK(linked(*fresh).count("Gazprom=gazprom"));
  CHECK(linked(*fresh).count("China=china"));
  prose::NameCache cache;
  for (size_t k = 0; k < prose::kMaxCachedNames; ++k) cache["filler " + std::to_string(k)];
  auto full = LinkNames(*view, Tokenize(s), s, &cache);
  REQUIRE(full.ok());
  CHECK(cache.size() < 100);  // started over at the bound, then kept this sentence's forms
  CHECK_FALSE(cache.count("filler 1"));
  CHECK(linked(*full) == linked(*fresh));
  auto again = LinkNames(*view, Tokenize(s), s, &cache);  // from the cache
  REQUIRE(again.ok());
  CHECK(linked(*again) == linked(*fresh));
}

TEST_CASE("entity linking and claim extraction meet their targets on the annotated notes") {
  testing::TempDir dir;
  auto store = CorpusStore(dir);
  auto view = store->View();
  std::string rules_text = Slurp(Root() + "/corpus/rules.json");
  ExtractionRules rules = Rules();
  static const std::set<std::string> kUndirected = {"cooperates_with", "trades_with",
                                                    "competes_with", "aligned_with"};
  auto claim_key = [&](std::string src, const std::string& type, std::string dst,
                       const std::string& stance) {
    if (kUndirected.count(type) && dst < src) std::swap(src, dst);
    return src + " " + type + " " + dst + " " + stance;
  };
  size_t link_tp = 0, link_pred = 0, link_gold = 0;
  size_t claim_tp = 0, claim_pred = 0, claim_gold = 0;
  std::string report;
  std::vector<std::string> notes;
  for (const auto& e : std::filesystem::directory_iterator(Root() + "/tests/annotated")) {
    std::string p = e.path().string();
    if (p.find(".gold.json") == std::string::npos) notes.push_back(p);
  }
  std::sort(notes.begin(), notes.end());
  REQUIRE(notes.size() >= 5);
  for (const auto& path : notes) {
    std::string bytes = Slurp(path);
    auto gold = nlohmann::json::parse(Slurp(path.substr(0, path.find_last_of('.')) + ".gold.json"));
    // Links: (surface, node) pairs, as a multiset.
    std::map<std::pair<std::string, std::string>, int> want, got;
    for (const auto& l : gold["links"]) ++want[{l[0], l[1]}];
    auto header = ReadHeader(bytes, path);
    REQUIRE(header.ok());
    for (const auto& s : Segment(bytes, header->body_offset, rules)) {
      auto mentions = LinkNames(*view, Tokenize(s.text), s.text);
      REQUIRE(mentions.ok());
      for (const auto& m : mentions.value())
        if (m.candidates.size() == 1) ++got[{m.surface, m.candidates[0].slug}];
    }
    for (const auto& [k, n] : want) link_gold += static_cast<size_t>(n);
    for (const auto& [k, n] : got) {
      link_pred += static_cast<size_t>(n);
      auto it = want.find(k);
      size_t hit = it == want.end() ? 0 : static_cast<size_t>(std::min(n, it->second));
      link_tp += hit;
      if (hit < static_cast<size_t>(n))
        report += "  extra link " + k.first + " -> " + k.second + "\n";
    }
    for (const auto& [k, n] : want)
      if (!got.count(k) || got[k] < n)
        report += "  missed link " + k.first + " -> " + k.second + "\n";
    // Claims: (src, type, dst, stance) from the proposed edges.
    auto batch = ReadTextNote(bytes, path, *view, rules_text, "rules.json");
    REQUIRE_MESSAGE(batch.ok(), batch.status().ToString());
    std::set<std::string> gold_claims, pred_claims;
    for (const auto& c : gold["claims"]) gold_claims.insert(claim_key(c[0], c[1], c[2], c[3]));
    for (const auto& e : batch->edges)
      for (const auto& ev : e.evidence)
        pred_claims.insert(claim_key(e.src, e.type, e.dst, StanceName(ev.stance)));
    claim_gold += gold_claims.size();
    claim_pred += pred_claims.size();
    for (const auto& c : pred_claims) {
      if (gold_claims.count(c))
        ++claim_tp;
      else
        report += "  extra claim " + c + "\n";
    }
    for (const auto& c : gold_claims)
      if (!pred_claims.count(c)) report += "  missed claim " + c + "\n";
  }
  double lp = link_pred ? double(link_tp) / link_pred : 0, lr = double(link_tp) / link_gold;
  double cp = claim_pred ? double(claim_tp) / claim_pred : 0, cr = double(claim_tp) / claim_gold;
  MESSAGE("linking precision " << lp << " recall " << lr << " (" << link_tp << " of " << link_pred
                               << " predicted, " << link_gold << " gold)");
  MESSAGE("claims precision " << cp << " recall " << cr << " (" << claim_tp << " of " << claim_pred
                              << " predicted, " << claim_gold << " gold)");
  MESSAGE("differences:\n" << report);
  CHECK(lp >= 0.9);
  CHECK(lr >= 0.8);
  CHECK(cp >= 0.7);
  CHECK(cr >= 0.5);
}

}  // namespace sinew::ingest

namespace sinew::ingest {

TEST_CASE("an ambiguous name is proposed against each candidate, never guessed") {
  testing::TempDir dir;
  auto store = CorpusStore(dir);
  Batch two;
  two.file = "georgia.json";
  two.source.slug = "georgias";
  two.source.title = "two Georgias";
  for (auto [slug, type] :
       {std::pair{"georgia-state", "state"}, std::pair{"georgia-co", "company"}}) {
    NodeDraft n;
    n.slug = slug;
    n.type = type;
    n.name = "Georgia";
    two.nodes.push_back(n);
  }
  REQUIRE(store->Apply(two).ok());
  auto view = store->View();
  auto b = ReadTextNote("Georgia depends on Russia for gas.", "g.txt", *view,
                        Slurp(Root() + "/corpus/rules.json"), "rules.json");
  REQUIRE(b.ok());
  CHECK(b->edges.empty());  // no claim rests on a guess
  // Every candidate is proposed (the gazetteer's state among them), and
  // what the note names unambiguously (Russia, gas) is recorded as a mention.
  std::set<std::string> proposed, mentioned;
  for (const auto& n : b->nodes) {
    CHECK(n.proposed);
    REQUIRE(n.evidence.size() == 1);
    if (n.evidence[0].basis.rfind("mention:", 0) == 0) {
      mentioned.insert(n.slug);
      continue;
    }
    CHECK(n.evidence[0].basis.find("ambiguous mention 'Georgia'") != std::string::npos);
    CHECK(n.evidence[0].basis.find("georgia-co") != std::string::npos);
    proposed.insert(n.slug);
  }
  CHECK(proposed == std::set<std::string>{"georgia", "georgia-co", "georgia-state"});
  CHECK(mentioned == std::set<std::string>{"natural-gas", "russia"});
  // Applying it leaves both nodes as they were named, with a proposal to review.
  REQUIRE(store->Apply(b.value()).ok());
  CHECK(store->View()->NodeBySlug("georgia-co")->name == "Georgia");
}

}  // namespace sinew::ingest
