#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ingest/ingest.h"
#include "ingest/positioned_json.h"

namespace sinew::ingest {

TEST_CASE("every JSON value knows its line and column") {
  const char* text = "{\n  \"a\": [1, 2.5,\n    {\"b\": \"x\"}],\n  \"c\": null\n}";
  auto doc = PositionedJson::Parse(text, "f.json");
  REQUIRE(doc.ok());
  SourcePlace a = doc->At("/a");
  CHECK(a.line == 2);
  CHECK(a.column == 8);
  SourcePlace second = doc->At("/a/1");
  CHECK(second.line == 2);
  CHECK(second.column == 12);
  SourcePlace b = doc->At("/a/2/b");
  CHECK(b.line == 3);
  CHECK(b.column == 11);
  CHECK(doc->At("/c").line == 4);
  // An unknown pointer falls back to its nearest ancestor.
  CHECK(doc->At("/a/2/zzz").line == 3);
}

TEST_CASE("malformed JSON is reported where it breaks") {
  struct Case {
    const char* text;
    int line;
    const char* words;
  };
  for (const Case& c : std::vector<Case>{
           {"{\"a\": 1,\n \"a\": 2}", 2, "duplicate key \"a\""},
           {"{\"a\": [1, 2}", 1, "syntax error"},
           {"{\"a\": \n\n tru}", 3, "syntax error"},
           {"", 1, "syntax error"},
           {"{\"a\": \"\xff\"}", 1, "invalid"},
       }) {
    CAPTURE(c.text);
    auto doc = PositionedJson::Parse(c.text, "f.json");
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.status().place().line == c.line);
    CHECK(doc.status().message().find(c.words) != std::string::npos);
  }
}

TEST_CASE("nesting deeper than the limit is refused, not recursed into") {
  std::string deep(100000, '[');
  auto doc = PositionedJson::Parse(deep, "deep.json");
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.status().message().find("nesting deeper than 64") != std::string::npos);
}

TEST_CASE("a note becomes a batch with every field read") {
  const char* text = R"({
  "format": "sinew-note/1",
  "source": {"id": "n1", "title": "T", "authors": ["A"], "marking": "amber",
             "reliability": "B", "summarises": "a seminar", "cites": ["other"]},
  "defaults": {"credibility": 3, "modality": "observed"},
  "nodes": [{"id": "russia", "type": "state", "name": "Russia", "aliases": ["RF"]}],
  "edges": [{"src": "russia", "type": "depends_on", "dst": "china", "domain": "trade",
             "evidence": [{"quote": "q", "locator": {"section": "S", "paragraph": 2},
                           "valid_from": "2014", "strength": 0.5, "status": "proposed"}]}],
  "observations": [{"subject": "china", "metric": "m", "value": {"low": 1, "high": 2},
                    "period": "2021", "evidence": {"quote": "q2"}}]
})";
  auto batch = ReadJsonNote(text, "n1.json");
  REQUIRE(batch.ok());
  CHECK(batch->source.slug == "n1");
  CHECK(batch->source.marking == Marking::kAmber);
  CHECK(batch->source.props["summarises"] == "a seminar");
  CHECK(batch->content_hash.size() == 64);
  REQUIRE(batch->edges.size() == 1);
  const EvidenceDraft& e = batch->edges[0].evidence[0];
  CHECK(e.credibility == 3);
  CHECK(e.modality == Modality::kObserved);
  CHECK(e.status == EvidenceStatus::kProposed);
  CHECK(e.locator.paragraph == 2);
  CHECK(e.strength == doctest::Approx(0.5));
  CHECK(batch->edges[0].where.Of("domain").line == 7);
  REQUIRE(batch->observations.size() == 1);
  CHECK(batch->observations[0].high == 2);
}

TEST_CASE("note errors are all reported, each at its place") {
  const char* text = R"({
  "source": {"id": "n1", "title": "T", "marking": "purple"},
  "edges": [{"src": "a", "type": "depends_on", "dst": "b", "evidence": []},
            {"src": "a", "typo": 1, "dst": "b", "evidence": [{"quote": "q", "strength": 2}]}]
})";
  auto batch = ReadJsonNote(text, "n1.json");
  REQUIRE_FALSE(batch.ok());
  std::string all = batch.status().ToString();
  CHECK(all.find("n1.json:2:") != std::string::npos);
  CHECK(all.find("bad marking 'purple'") != std::string::npos);
  CHECK(all.find("needs \"evidence\"") != std::string::npos);
  CHECK(all.find("unknown field \"typo\"") != std::string::npos);
  CHECK(all.find("missing required field \"type\"") != std::string::npos);
  CHECK(all.find("\"strength\" must be between 0 and 1") != std::string::npos);
  CHECK(batch.status().more().size() >= 4);
}

TEST_CASE("a source's text in a file beside the note, and quotes checked against it") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("sinew-text-file-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "texts");
  std::ofstream(dir / "texts" / "a.txt") << "Intro.\nРоссия supplies gas to China.\n";
  auto note = [&](const std::string& source_extra, const std::string& evidence) {
    std::string text = R"({"source": {"id": "n1", "title": "T")" + source_extra +
                       R"(}, "edges": [{"src": "russia", "type": "supplies", "dst": "china",
                         "evidence": [)" +
                       evidence + "]}]}";
    std::ofstream(dir / "n1.json") << text;
    return ReadJsonNote(text, (dir / "n1.json").string());
  };
  // Offsets count code points: "Россия" is six, not twelve bytes.
  const std::string right =
      R"({"quote": "Россия supplies gas", "locator": {"start": 7, "end": 26}})";
  auto ok = note(R"(, "text_file": "texts/a.txt")", right);
  REQUIRE(ok.ok());
  CHECK(ok->source.text == "Intro.\nРоссия supplies gas to China.\n");
  // The text file is part of what the note is: a changed text is a changed note.
  std::string hash = ok->content_hash;
  std::ofstream(dir / "texts" / "a.txt") << "Intro.\nРоссия supplies gas to China!\n";
  auto changed = note(R"(, "text_file": "texts/a.txt")", right);
  REQUIRE(changed.ok());
  CHECK(changed->content_hash != hash);

  auto wrong = note(R"(, "text_file": "texts/a.txt")",
                    R"({"quote": "Russia supplies gas", "locator": {"start": 7, "end": 26}})");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().ToString().find("not the source's text at [7..26)") != std::string::npos);
  CHECK(wrong.status().ToString().find("/quote") != std::string::npos);
  auto past = note(R"(, "text_file": "texts/a.txt")",
                   R"({"quote": "x", "locator": {"start": 7, "end": 900}})");
  REQUIRE_FALSE(past.ok());
  CHECK(past.status().ToString().find("run past the source's text") != std::string::npos);
  // A paraphrase is not checked.
  CHECK(
      note(
          R"(, "text_file": "texts/a.txt")",
          R"({"quote": "Russia sells gas", "paraphrase": true, "locator": {"start": 7, "end": 26}})")
          .ok());
  for (const char* bad :
       {R"(, "text_file": "../a.txt")", R"(, "text_file": "/etc/passwd")",
        R"(, "text_file": "texts/missing.txt")", R"(, "text": "x", "text_file": "texts/a.txt")"}) {
    CAPTURE(bad);
    auto r = note(bad, right);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().ToString().find("text_file") != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("content hashes are SHA-256") {
  CHECK(ContentHash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(ContentHash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace sinew::ingest
