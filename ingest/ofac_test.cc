// The OFAC SDN list reader: records as OFAC writes them (and every way a
// file can break them), remarks into props, aliases, countries and links,
// snapshots as history against a real store.
#include <doctest/doctest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <tuple>

#include "ingest/ingest.h"
#include "ingest/ofac_history.h"
#include "ingest/ofac_reader.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

namespace sinew::ingest {
namespace {

using nlohmann::json;

std::string Src(const std::string& rel) {
  return testing::ReadAll(std::string(SINEW_SOURCE_DIR) + "/" + rel);
}
std::string MappingText() { return Src("corpus/mappings/ofac-sdn.json"); }
const ofac::Mapping& TheMapping() {
  static ofac::Mapping m = ofac::ParseMapping(MappingText(), "m.json").value();
  return m;
}

// A record as OFAC writes it: ent_num unquoted, the rest quoted, -0- null.
std::string Rec(const std::string& num, const std::string& name, const std::string& type,
                const std::string& prog, const std::string& remarks) {
  auto q = [](const std::string& v) { return v.empty() ? std::string("-0- ") : "\"" + v + "\""; };
  return num + "," + q(name) + "," + q(type) + "," + q(prog) +
         ",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ," + q(remarks) + "\r\n";
}

Status ErrorOf(const std::string& text) {
  auto r = ofac::ParseSdnCsv(text, "sdn.csv");
  REQUIRE_FALSE(r.ok());
  return r.status();
}

TEST_CASE("sdn.csv records: nulls, programmes, the closing 0x1A line") {
  std::string text = Rec("36", "AEROCARIBBEAN AIRLINES", "", "CUBA", "Havana, Cuba.") +
                     Rec("38641", "SINNO ELECTRONICS CO., LIMITED", "",
                         "UKRAINE-EO13662] [RUSSIA-EO14024", "Linked To: RADIOAVTOMATIKA LLC.") +
                     "\x1A";
  auto rows = ofac::ParseSdnCsv(text, "sdn.csv");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  const ofac::Row& r = (*rows)[1];
  CHECK(r.ent_num == 38641);
  CHECK(r.line == 2);
  CHECK(r.sdn_type.empty());
  CHECK(r.title.empty());
  CHECK(r.programs == std::vector<std::string>{"UKRAINE-EO13662", "RUSSIA-EO14024"});
  CHECK(text.substr(r.offset, r.length) + "\r\n" == text.substr(r.offset, r.length + 2));
  CHECK(text.substr(r.remarks_offset, r.remarks.size()) == "Linked To: RADIOAVTOMATIKA LLC.");
}

TEST_CASE("a malformed sdn.csv is refused with its file, line and column") {
  std::string good = Rec("36", "A", "", "CUBA", "x.");
  SUBCASE("too few fields") {
    Status s = ErrorOf(good + "37,\"B\",-0- ,\"CUBA\"\r\n");
    CHECK(s.place().line == 2);
    CHECK(s.place().column == 19);
    CHECK(s.message().find("4 fields") != std::string::npos);
  }
  SUBCASE("too many fields") {
    std::string extra = Rec("37", "B", "", "CUBA", "x");
    extra.insert(extra.size() - 2, ",\"more\"");
    Status s = ErrorOf(good + extra);
    CHECK(s.place().line == 2);
    CHECK(s.message().find("12") != std::string::npos);
  }
  SUBCASE("an unclosed quote") {
    Status s = ErrorOf(good + "37,\"B,-0- \r\n");
    CHECK(s.place().line == 2);
    CHECK(s.place().column == 4);
    CHECK(s.message().find("never closed") != std::string::npos);
  }
  SUBCASE("text after a closing quote") {
    Status s = ErrorOf("36,\"A\"x,-0- \r\n");
    CHECK(s.place().column == 7);
  }
  SUBCASE("a doubled quote in the remarks, whose claims quote by offsets") {
    // A name may hold one (it is quoted whole); the remarks may not.
    std::string row = Rec("37", "B \"\"X\"\"", "", "CUBA", "a.k.a. \"\"Y\"\".");
    Status s = ErrorOf(good + row);
    CHECK(s.place().line == 2);
    CHECK(s.message().find("doubled quote") != std::string::npos);
    CHECK(s.message().find("remarks") != std::string::npos);
    CHECK(s.place().column == static_cast<int>(row.find("\"\"Y")) + 1);
    CHECK(ofac::ParseSdnCsv(good + Rec("37", "B \"\"X\"\"", "", "CUBA", "x."), "sdn.csv").ok());
  }
  SUBCASE("an ent_num that is no number") {
    Status s = ErrorOf(good + Rec("3x7", "B", "", "CUBA", "x"));
    CHECK(s.place().line == 2);
    CHECK(s.message().find("'3x7' is not a whole number") != std::string::npos);
  }
  SUBCASE("an ent_num twice") {
    Status s = ErrorOf(good + Rec("36", "B", "", "CUBA", "x"));
    CHECK(s.place().line == 2);
    CHECK(s.message().find("first on line 1") != std::string::npos);
  }
  SUBCASE("a byte above 0x7F") {
    Status s = ErrorOf(good + Rec("37", "CAF\xC3\x89", "", "CUBA", "x"));
    CHECK(s.place().line == 2);
    CHECK(s.place().column == 8);
    CHECK(s.message().find("0xC3") != std::string::npos);
  }
  SUBCASE("a control byte") {
    Status s = ErrorOf(good + Rec("37", "B\tC", "", "CUBA", "x"));
    CHECK(s.place().column == 6);
    CHECK(s.message().find("0x09") != std::string::npos);
  }
  SUBCASE("0x1A before the end") {
    Status s = ErrorOf(good + "\x1A\r\n" + Rec("37", "B", "", "CUBA", "x"));
    CHECK(s.place().line == 2);
  }
  SUBCASE("no programme") {
    Status s = ErrorOf(Rec("37", "B", "", "", "x"));
    CHECK(s.message().find("no programme") != std::string::npos);
  }
  SUBCASE("a programme field that names no programme") {
    Status s = ErrorOf(Rec("37", "B", "", "] [", "x"));
    CHECK(s.message().find("no programme") != std::string::npos);
    CHECK(s.place().column == 13);  // the programme field's first byte
  }
  SUBCASE("a line longer than any record") {
    Status s = ErrorOf(good + Rec("37", "B", "", "CUBA", std::string(70000, 'x')));
    CHECK(s.place().line == 2);
    CHECK(s.message().find("at most 65536") != std::string::npos);
  }
  SUBCASE("no entries at all") {
    CHECK(ErrorOf("\x1A").message().find("no entries") != std::string::npos);
  }
}

TEST_CASE("an entry's remarks become props, aliases, countries and links") {
  ofac::Anomalies seen;
  auto rows = ofac::ParseSdnCsv(
      Rec("16666", "TIMCHENKO, Gennady Nikolayevich", "individual", "UKRAINE-EO13661] [BELARUS-EO",
          "DOB 09 Nov 1952; alt. DOB 1950 to 1951 to 1953; POB Leninakan, Armenia; nationality "
          "Finland; alt. nationality Russia; "
          "a.k.a. 'TIMCHENKO, Gennadiy'; a.k.a. 'GT'; Gender Male; Linked To: OOO VOLGA GROUP.") +
          Rec("9001", "NS LEADER", "vessel", "NOSUCH",
              "Vessel Registration Identification IMO 9339301; MMSI 273212780.") +
          Rec("9002", "ARCTIC SHIPPING LLC", "", "DPRK3",
              "Company Number IMO 5936479; Tax ID No. 7704274402(Russia); Registration Number "
              "1401029 (Hong Kong).") +
          Rec("9003", "SOMETHING", "spaceship", "CUBA", "x."),
      "sdn.csv");
  REQUIRE(rows.ok());
  ofac::Entry p = ofac::ReadEntry((*rows)[0], TheMapping(), &seen);
  CHECK(p.type == "person");
  CHECK(p.name == "Gennady Nikolayevich TIMCHENKO");
  CHECK(p.aliases ==
        std::vector<std::string>{"TIMCHENKO, Gennady Nikolayevich", "Gennadiy TIMCHENKO"});
  CHECK(p.props["short_aliases"] == json::array({"GT"}));
  CHECK(p.props["dob_edtf"] == json::array({"1952-11-09"}));
  CHECK(p.props["nationality"] == json::array({"Finland", "Russia"}));
  // BELARUS-EO is the old code of BELARUS-EO14038.
  CHECK(p.codes == std::vector<std::string>{"BELARUS-EO14038", "UKRAINE-EO13661"});
  REQUIRE(p.links.size() == 1);
  CHECK(p.links[0].target == "OOO VOLGA GROUP");
  REQUIRE(p.countries.size() == 2);
  CHECK(p.countries[1].role == "nationality");
  CHECK(p.countries[1].part.text == "alt. nationality Russia");

  ofac::Entry v = ofac::ReadEntry((*rows)[1], TheMapping(), &seen);
  CHECK(v.type == "vessel");
  CHECK(v.props["imo"] == json::array({"9339301"}));
  CHECK(seen.by_kind["unknown programme"].count("NOSUCH (ent_num 9001)") == 1);
  CHECK(v.codes == std::vector<std::string>{"NOSUCH"});

  ofac::Entry c = ofac::ReadEntry((*rows)[2], TheMapping(), &seen);
  CHECK(c.type == "company");
  CHECK(c.props["imo_company"] == json::array({"5936479"}));
  CHECK_FALSE(c.props.contains("imo"));
  // An identifier matches by its value, whether or not a space comes before "(Country)".
  CHECK(std::count(c.identifiers.begin(), c.identifiers.end(), "Tax ID No. 7704274402") == 1);
  CHECK(std::count(c.identifiers.begin(), c.identifiers.end(), "Registration Number 1401029") == 1);
  REQUIRE(c.countries.size() == 2);
  CHECK(c.countries[0].role == "registration");
  CHECK(c.countries[0].country == "Russia");
  CHECK(c.countries[1].role == "registration");
  CHECK(c.countries[1].country == "Hong Kong");

  ofac::Entry u = ofac::ReadEntry((*rows)[3], TheMapping(), &seen);
  CHECK(u.type_basis == "unknown SDN type");
  CHECK(u.props["sdn_type"] == "spaceship");
  CHECK(seen.by_kind["unknown SDN type"].count("spaceship (ent_num 9003)") == 1);
}

TEST_CASE("a vessel's flag is a country and its owner a party, each quoted by offsets") {
  std::string text =
      "4249,\"SAMIR 2\",\"vessel\",\"CUBA\",-0- ,-0- ,\"Tug\",-0- ,\"164\",\"Panama\","
      "\"Samir de Navegacion S.A.\",\"Vessel Registration Identification IMO 1234567.\"\r\n\x1A";
  auto rows = ofac::ParseSdnCsv(text, "sdn.csv");
  REQUIRE(rows.ok());
  ofac::Anomalies seen;
  ofac::Entry v = ofac::ReadEntry((*rows)[0], TheMapping(), &seen);
  REQUIRE(v.countries.size() == 1);
  CHECK(v.countries[0].role == "flag");
  CHECK(text.substr(v.countries[0].part.offset, 6) == "Panama");
  REQUIRE(v.links.size() == 1);
  CHECK(v.links[0].target == "Samir de Navegacion S.A.");
  CHECK(text.substr(v.links[0].part.offset, v.links[0].part.text.size()) ==
        "Samir de Navegacion S.A.");
  CHECK(v.props["imo"] == json::array({"1234567"}));
}

TEST_CASE("remarks cut at 1,000 characters yield nothing from the cut part") {
  std::string remarks = "a.k.a. 'LAZARUS'; ";
  while (remarks.size() < 990) remarks += "Website www.example.com; ";
  remarks = remarks.substr(0, 985) + "a.k.a. 'WHOIS HACKIN";
  remarks.resize(1000, 'N');
  ofac::Anomalies seen;
  auto rows = ofac::ParseSdnCsv(Rec("27307", "LAZARUS GROUP", "", "DPRK3", remarks), "s.csv");
  REQUIRE(rows.ok());
  ofac::Entry e = ofac::ReadEntry((*rows)[0], TheMapping(), &seen);
  CHECK(e.props["remarks_truncated"] == true);
  CHECK(e.aliases == std::vector<std::string>{"LAZARUS"});
  CHECK(seen.by_kind.count("truncated remarks") == 1);
}

TEST_CASE("the vendored subset gunzips to the records the plan counted") {
  std::string dir = testing::ThirdPartyRoot() + "/sanctions/ofac-sdn/";
  auto text = ReadListFile(dir + "sdn-2021-08-18.csv.gz");
  REQUIRE(text.ok());
  CHECK(text->size() == 80624);
  auto rows = ofac::ParseSdnCsv(text.value(), "s.csv");
  REQUIRE(rows.ok());
  CHECK(rows->size() == 318);
  CHECK(SnapshotDateOfName(dir + "sdn-2021-08-18.csv.gz") == "2021-08-18");
  CHECK(SnapshotDateOfName("sdn-2021-02-30.csv") == "");
  CHECK(SnapshotDateOfName("list.csv") == "");
  CHECK_FALSE(ofac::Gunzip(std::string("\x1F\x8B\x08\x00garbage", 12), "x.gz").ok());
  // Gzipped twice: the file's bytes, gzipped again (a stored deflate block
  // written by hand), are refused, not unpacked twice.
  {
    std::ifstream in(dir + "sdn-2021-08-18.csv.gz", std::ios::binary);
    std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(gz.size() < 65535);
    std::string twice("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\xFF", 10);
    uint16_t n = static_cast<uint16_t>(gz.size());
    twice += '\x01';  // final stored block
    twice += static_cast<char>(n & 0xFF);
    twice += static_cast<char>(n >> 8);
    twice += static_cast<char>(~n & 0xFF);
    twice += static_cast<char>((~n >> 8) & 0xFF);
    twice += gz;
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(gz.data()), static_cast<uInt>(gz.size()));
    for (int k = 0; k < 4; ++k) twice += static_cast<char>((crc >> (8 * k)) & 0xFF);
    for (int k = 0; k < 4; ++k) twice += static_cast<char>((gz.size() >> (8 * k)) & 0xFF);
    auto once = ofac::Gunzip(gz, "x.gz");
    REQUIRE(once.ok());
    Status s = ofac::Gunzip(twice, "x.gz.gz").status();
    CHECK(s.message().find("gzipped twice") != std::string::npos);
  }
}

// Reads `text` as the snapshot of `date` and applies it, recorded that day.
Result<SdnReading> IngestSnapshot(Store& store, const std::string& text, const std::string& date) {
  auto view = store.View();
  Result<SdnReading> r = ReadOfacSdn(text, "sdn-" + date + ".csv", date, MappingText(), "m", *view);
  if (!r.ok()) return r;
  r->batch.recorded_at = date + "T00:00:00Z";
  Result<ApplyReport> a = store.Apply(r->batch);
  if (!a.ok()) return a.status();
  return r;
}

TEST_CASE("snapshots as history: designated, delisted with a closed window, order enforced") {
  testing::TempDir dir;
  auto store = Store::Create(dir / "db", Src("corpus/schema.json"), "s");
  REQUIRE(store.ok());
  auto ingest = [&](const std::string& text, const std::string& date) {
    return IngestSnapshot(**store, text, date);
  };
  std::string a = Rec("10", "ALPHA TRADING LLC", "", "SDGT", "Linked To: BETA BANK."),
              b = Rec("11", "BETA BANK", "", "SDGT", "x."),
              c = Rec("12", "GAMMA, Ivan", "individual", "CUBA", "nationality Russia.");
  auto first = ingest(a + b + "\x1A", "2021-08-18");
  REQUIRE(first.ok());
  CHECK(first->entries == 2);
  CHECK(first->designated == 2);
  auto second = ingest(
      Rec("10", "ALPHA TRADING LLC", "", "SDGT] [CUBA", "Linked To: BETA BANK.") + c + "\x1A",
      "2022-02-18");
  REQUIRE(second.ok());
  CHECK(second->designated == 1);
  CHECK(second->delisted == 1);
  CHECK(second->amended == 1);
  auto view = (*store)->View();
  auto beta = view->NodeBySlug("ofac-sdn-11");
  REQUIRE(beta.ok());  // delisted, not deleted
  CHECK(beta->props["delisted"] == "2021-08-19/2022-02-18");
  auto alpha = view->NodeBySlug("ofac-sdn-10");
  REQUIRE(alpha.ok());
  CHECK(alpha->props["amendments"].dump() ==
        R"([{"programs":[["SDGT"],["CUBA","SDGT"]],"window":"2021-08-19/2022-02-18"}])");
  std::map<std::string, EvidenceRecord> by_key;
  REQUIRE(view->ForEachEvidence([&](const EvidenceRecord& e) {
                by_key[e.key] = e;
                return true;
              })
              .ok());
  CHECK(by_key["designation:11:SDGT"].valid_from == "../2021-08-18");
  CHECK(by_key["designation:11:SDGT"].valid_to == "2021-08-19/2022-02-18");
  CHECK(by_key["designation:10:SDGT"].valid_from == "../2021-08-18");
  CHECK(by_key["designation:10:CUBA"].valid_from == "2021-08-19/2022-02-18");
  CHECK(by_key["designation:12:CUBA"].recorded_at == "2022-02-18T00:00:00Z");
  CHECK(by_key["designation:10:CUBA"].reliability == "A");
  CHECK(by_key["designation:10:CUBA"].credibility == 1);
  CHECK(by_key.count("linked:10:beta bank") == 1);
  auto again = ingest(c + "\x1A", "2022-02-18");
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().message() ==
        "ofac-sdn already holds 2022-02-18; snapshots must be ingested in date order");
}

TEST_CASE("a relisting keeps the gap: each listing window is its own record") {
  testing::TempDir dir;
  auto store = Store::Create(dir / "db", Src("corpus/schema.json"), "s");
  REQUIRE(store.ok());
  auto ingest = [&](const std::string& text, const std::string& date) {
    return IngestSnapshot(**store, text, date);
  };
  std::string keep = Rec("1", "KEEP LLC", "", "SDGT", "x.");
  // 20: listed, delisted, relisted, delisted, relisted. 21: a programme
  // lost and regained while the entry stays listed.
  std::string back = Rec("20", "BACK AGAIN LLC", "", "SDGT", "x.");
  std::string both = Rec("21", "TWO PROGRAMS LLC", "", "SDGT] [CUBA", "x.");
  std::string one = Rec("21", "TWO PROGRAMS LLC", "", "SDGT", "x.");
  REQUIRE(ingest(keep + back + both, "2021-01-01").ok());
  REQUIRE(ingest(keep + one, "2021-02-01").ok());
  auto third = ingest(keep + back + both, "2021-03-01");
  REQUIRE(third.ok());
  CHECK(third->designated == 1);
  REQUIRE(ingest(keep + both, "2021-04-01").ok());
  REQUIRE(ingest(keep + back + both, "2021-05-01").ok());
  auto view = (*store)->View();
  std::map<std::string, EvidenceRecord> by_key;
  REQUIRE(view->ForEachEvidence([&](const EvidenceRecord& e) {
                by_key[e.key] = e;
                return true;
              })
              .ok());
  auto window = [&](const std::string& key) {
    auto it = by_key.find(key);
    return it == by_key.end() ? std::string("(none)")
                              : it->second.valid_from + " .. " + it->second.valid_to;
  };
  for (const char* kind : {"designation:20:SDGT", "programme:SDGT:20"}) {
    std::string k = kind;
    CHECK(window(k) == "../2021-01-01 .. 2021-01-02/2021-02-01");
    CHECK(window(k + "@2021-02-02") == "2021-02-02/2021-03-01 .. 2021-03-02/2021-04-01");
    CHECK(window(k + "@2021-04-02") == "2021-04-02/2021-05-01 .. ");
  }
  CHECK(window("designation:21:CUBA") == "../2021-01-01 .. 2021-01-02/2021-02-01");
  CHECK(window("designation:21:CUBA@2021-02-02") == "2021-02-02/2021-03-01 .. ");
  CHECK(window("designation:21:SDGT") == "../2021-01-01 .. ");
  CHECK(window("designation:1:SDGT") == "../2021-01-01 .. ");
  std::string kind, code;
  CHECK(ofac::EntOfKey("programme:SDGT:20@2021-02-02", &kind, &code) == 20);
  CHECK(code == "SDGT");
  CHECK(ofac::EntOfKey("designation:21:CUBA@2021-02-02", &kind, &code) == 21);
  CHECK(code == "CUBA");
  // An '@' of a programme's own is no window.
  CHECK(ofac::KeyOfWindow("designation:21:A@B") == "designation:21:A@B");
  CHECK(ofac::EntOfKey("programme:A@B:21", &kind, &code) == 21);
  CHECK(code == "A@B");
  CHECK(ofac::KeyOfWindow("programme:A@B:21@2021-02-02") == "programme:A@B:21");
  // Three windows, one open.
  int open = 0, windows = 0;
  for (const auto& [key, e] : by_key)
    if (ofac::KeyOfWindow(key) == "designation:20:SDGT") {
      ++windows;
      open += e.valid_to.empty();
    }
  CHECK(windows == 3);
  CHECK(open == 1);
}

// A corpus note declaring nodes (slug, type, name), recorded in 2021.
Batch CorpusOf(std::initializer_list<std::tuple<const char*, const char*, const char*>> nodes) {
  Batch corpus;
  corpus.file = "corpus.json";
  corpus.source.slug = "corpus";
  corpus.source.title = "Corpus";
  corpus.recorded_at = "2021-01-01T00:00:00Z";
  for (const auto& [slug, type, name] : nodes) {
    NodeDraft d;
    d.slug = slug;
    d.type = type;
    d.name = name;
    corpus.nodes.push_back(d);
  }
  return corpus;
}

TEST_CASE("entity resolution: one node of a compatible type by name, never a substring") {
  testing::TempDir dir;
  auto store = Store::Create(dir / "db", Src("corpus/schema.json"), "s");
  REQUIRE(store.ok());
  Batch corpus = CorpusOf({{"gazprom", "company", "Gazprom"},
                           {"arctic-lng-2", "project", "Arctic LNG 2"},
                           {"vtb", "company", "VTB Bank"},
                           {"vtb-capital", "company", "VTB Capital"}});
  REQUIRE((*store)->Apply(corpus).ok());
  std::string text = Rec("1", "PUBLIC JOINT STOCK COMPANY GAZPROM", "", "RUSSIA-EO14024", "x.") +
                     Rec("2", "GAZPROMBANK JOINT STOCK COMPANY", "", "RUSSIA-EO14024", "x.") +
                     Rec("3", "LIMITED LIABILITY COMPANY ARCTIC LNG 2", "", "RUSSIA-EO14024",
                         "a.k.a. 'VTB CAPITAL'.") +
                     "\x1A";
  auto view = (*store)->View();
  auto r = ReadOfacSdn(text, "sdn-2024-05-03.csv", "2024-05-03", MappingText(), "m", *view);
  REQUIRE(r.ok());
  CHECK(r->resolved == 1);
  std::map<std::string, const NodeDraft*> by_slug;
  for (const NodeDraft& d : r->batch.nodes) by_slug[d.slug] = &d;
  REQUIRE(by_slug.count("gazprom") == 1);  // the store's node, claimed with the entry's number
  CHECK(by_slug["gazprom"]->props["ofac_ent_num"] == 1);
  CHECK(by_slug.count("ofac-sdn-2") == 1);  // GAZPROMBANK is not GAZPROM
  // A project of that name and a company alias: kept apart and reported.
  CHECK(by_slug.count("ofac-sdn-3") == 1);
  const auto& ambiguous = r->reported["ambiguous matches kept separate (review: proposed merge)"];
  REQUIRE(ambiguous.size() == 1);
  CHECK(ambiguous.begin()->first.find("arctic-lng-2 (project)") != std::string::npos);
  CHECK(ambiguous.begin()->first.find("vtb-capital (company)") != std::string::npos);
  r->batch.recorded_at = "2024-05-03T00:00:00Z";
  REQUIRE((*store)->Apply(r->batch).ok());
  auto gazprom = (*store)->View()->NodeBySlug("gazprom");
  REQUIRE(gazprom.ok());
  CHECK(gazprom->name == "Gazprom");
  CHECK(gazprom->claims.size() == 2);
}

TEST_CASE("legal forms are dropped word by word, repeated and nested ones too") {
  const ofac::Mapping& m = TheMapping();
  CHECK(ofac::MatchName("PUBLIC JOINT STOCK COMPANY GAZPROM", m) == "gazprom");
  CHECK(ofac::MatchName("Gazprom", m) == "gazprom");
  CHECK(ofac::MatchName("GAZPROMBANK JOINT STOCK COMPANY", m) == "gazprombank");
  CHECK(ofac::MatchName("LLC LLC ALPHA LLC", m) == "alpha");
  // A form that closes again once its inner copy is gone goes too.
  CHECK(ofac::MatchName("JOINT JOINT STOCK COMPANY STOCK COMPANY BETA", m) == "beta");
  CHECK(ofac::MatchName("LLC", m).empty());
  // A form inside a word is no form.
  CHECK(ofac::MatchName("COLLC TRADING", m) == "collc trading");
  // 20,000 forms in a row: every one dropped (one pass, not one per copy).
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "LLC ";
  CHECK(ofac::MatchName(many + "GAMMA", m) == "gamma");
}

TEST_CASE("Linked To meets only a party, and an unknown code keeps a programme slug of its own") {
  testing::TempDir dir;
  auto store = Store::Create(dir / "db", Src("corpus/schema.json"), "s");
  REQUIRE(store.ok());
  Batch corpus = CorpusOf({{"sevastopol", "place", "Sevastopol"},
                           {"power-of-siberia", "infrastructure", "Power of Siberia"},
                           {"volga-group", "company", "Volga Group"}});
  REQUIRE((*store)->Apply(corpus).ok());
  std::string text = Rec("1", "ALPHA LLC", "", "RUSSIA-EO14024", "Linked To: SEVASTOPOL.") +
                     Rec("2", "BETA LLC", "", "RUSSIA-EO14024", "Linked To: POWER OF SIBERIA.") +
                     Rec("3", "GAMMA LLC", "", "RUSSIA-EO14024", "Linked To: VOLGA GROUP.") +
                     Rec("4", "DELTA LLC", "", "Balkans", "x.") + "\x1A";
  auto view = (*store)->View();
  auto r = ReadOfacSdn(text, "sdn-2024-05-03.csv", "2024-05-03", MappingText(), "m", *view);
  REQUIRE(r.ok());
  std::set<std::pair<std::string, std::string>> related, targets;
  for (const EdgeDraft& e : r->batch.edges) {
    if (e.type == "related_to") related.emplace(e.src, e.dst);
    if (e.type == "targets") targets.emplace(e.src, e.dst);
  }
  CHECK(related == std::set<std::pair<std::string, std::string>>{{"ofac-sdn-3", "volga-group"}});
  const auto& unresolved = r->reported["unresolved Linked To"];
  CHECK(unresolved.count("ent_num 1: SEVASTOPOL") == 1);
  CHECK(unresolved.count("ent_num 2: POWER OF SIBERIA") == 1);
  CHECK(targets.count({"eo-14024", "ofac-sdn-1"}) == 1);
  // "Balkans" is no code of the mapping (BALKANS is): its own node, kept and
  // reported, not the known programme's.
  CHECK(targets.count({"ofac-program-balkans-unknown", "ofac-sdn-4"}) == 1);
  CHECK(targets.count({"ofac-program-balkans", "ofac-sdn-4"}) == 0);
  CHECK(r->reported["unknown programme"].count("Balkans (ent_num 4)") == 1);
}

TEST_CASE("a hostile mapping is refused with the place of the bad value") {
  json good = json::parse(MappingText());
  auto refused = [](const json& m, const std::string& pointer) {
    auto r = ofac::ParseMapping(m.dump(), "m.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().place().pointer == pointer);
  };
  json m = good;
  m["format"] = "sinew-ofac-mapping/9";
  refused(m, "/format");
  m = good;
  m["source"]["publisher"] = 7;
  refused(m, "/source/publisher");
  m = good;
  m["authority"]["aliases"] = json::array({"OFAC", 1});
  refused(m, "/authority/aliases");
  m = good;
  m["remark_keys"]["DOB"]["prop"] = "sdn_name";
  refused(m, "/remark_keys/DOB/prop");
  m = good;
  m["remark_keys"][""] = {{"as", "list"}, {"prop", "x"}};
  refused(m, "/remark_keys/");
  m = good;
  m["remark_keys"]["Gender"] = {{"as", "list"}};
  refused(m, "/remark_keys/Gender");
  m = good;
  m["remark_keys"]["Gender"] = {{"as", "guess"}, {"prop", "g"}};
  refused(m, "/remark_keys/Gender/as");
  CHECK_FALSE(ofac::ParseMapping("{\"format\": ", "m.json").ok());
  CHECK(ofac::ParseMapping(good.dump(), "m.json").ok());
}

}  // namespace
}  // namespace sinew::ingest
