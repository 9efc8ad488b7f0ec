// Readers that turn a file into a Batch (store/records.h) without writing
// anything: the structured JSON note today; text notes, CSV with a mapping and
// STIX bundles as they land. Every error names the file, line, column and,
// for JSON, the pointer of the offending value.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "store/store.h"

namespace sinew::ingest {

// What reading prose needs: the store's names to link, and the extraction
// rules (corpus/rules.json, as text).
struct TextContext {
  const StoreView* view = nullptr;
  std::string rules_text;
  std::string rules_file;
  std::string mapping_text, mapping_file;            // for .csv tables
  std::string stix_mapping_text, stix_mapping_file;  // for STIX bundles
};

// Reads the file at `path`, choosing the reader by its extension: .json is
// a structured note; .md, .markdown and .txt are text notes (they need `text`).
Result<Batch> ReadFile(const std::string& path, const TextContext* text = nullptr);

// A matrix CSV (rows and columns naming parties, cells holding values) read
// through a mapping file (docs/formats.md): observations for every value,
// links for the large ones, each located by file, row and column.
Result<Batch> ReadCsvTable(std::string_view bytes, const std::string& file,
                           std::string_view mapping_text, const std::string& mapping_file,
                           const StoreView& view);

// STIX 2.1: a bundle or one object, through a type mapping
// (corpus/mappings/stix.json). Nodes link to what the store already holds
// (by STIX id, then by exact name and type); what is left out (custom types,
// revoked and deprecated objects, dangling references) is counted in the
// batch's notes, never fatal.
Result<Batch> ReadStix(std::string_view bytes, const std::string& file,
                       std::string_view mapping_text, const std::string& mapping_file,
                       const StoreView& view);
// The same, split back into the sources a sinew export named (each report
// carrying x_sinew_source), when `split` and every relationship says which
// source it came from; else one batch. Like ReadJsonLines, a first batch per
// new source declares its nodes.
Result<std::vector<Batch>> ReadStixSources(std::string_view bytes, const std::string& file,
                                           std::string_view mapping_text,
                                           const std::string& mapping_file, const StoreView& view,
                                           bool split);
// Whether a .json file's first bytes are a STIX bundle or object rather than
// a structured note.
bool LooksLikeStix(std::string_view bytes);

// One snapshot of the OFAC SDN list (sdn.csv, or .csv.gz), read against
// what the store holds from the earlier ones: a revision of the source
// `ofac-sdn` that re-asserts every entry ever seen, new entries designated
// within (previous snapshot, this one], vanished ones with their designation
// closed in that window (docs/sanctions.md). `snapshot` is YYYY-MM-DD and
// must follow the last one ingested. Errors name the file, line and column
// of a malformed record; then nothing is to be written.
struct SdnReading {
  Batch batch;
  std::string snapshot, previous;  // previous empty for the first
  int entries = 0, designated = 0, delisted = 0, amended = 0, resolved = 0;
  // What was kept without guessing, by kind: item -> times.
  std::map<std::string, std::map<std::string, int>> reported;
};
Result<SdnReading> ReadOfacSdn(std::string_view bytes, const std::string& file,
                               const std::string& snapshot, std::string_view mapping_text,
                               const std::string& mapping_file, const StoreView& view);
// The bytes of a list file, gunzipped when it is .gz (up to 256 MiB either
// way); errors name the file.
Result<std::string> ReadListFile(const std::string& path);
// The snapshot date a list file's name gives ("sdn-2024-05-03.csv.gz"), or "".
std::string SnapshotDateOfName(const std::string& path);

// A JSON Lines export (sinew-jsonl/1) read back: one batch per exported
// source, preceded by a batch declaring the nodes of each source the store
// does not hold yet (so sources may link each other's nodes).
Result<std::vector<Batch>> ReadJsonLines(std::string_view bytes, const std::string& file,
                                         const StoreView& view);
// ReadFile for files that may hold several sources (.jsonl exports).
Result<std::vector<Batch>> ReadFileBatches(const std::string& path, const TextContext* text);

// Whether reading `path` needs the store (prose notes link its names, tables
// resolve their labels, STIX links its objects): .md, .markdown, .txt, .csv
// STIX .json and .jsonl exports.
bool ReadsAgainstStore(const std::string& path);

// A briefing note in Markdown or plain text: front matter for the source,
// then prose. Linked names, relation cues, figures and unknown names become
// proposed evidence quoting each sentence with its character offsets.
Result<Batch> ReadTextNote(std::string_view bytes, const std::string& file, const StoreView& view,
                           std::string_view rules_text, const std::string& rules_file);

// The structured note (docs/formats.md): one source and what it asserts.
// `file` is the name errors use.
Result<Batch> ReadJsonNote(std::string_view bytes, const std::string& file);

// The same, keeping what it could read: `batch` holds the drafts that had no
// error of their own, so the store can still check them (unknown nodes,
// types, domains) and every error of a file is reported in one pass.
struct NoteReading {
  Batch batch;
  Status errors;           // OK when the note is sound
  bool checkable = false;  // the JSON parsed and the source record is sound
};
NoteReading ReadJsonNoteLeniently(std::string_view bytes, const std::string& file);
// The file at `path` read leniently when it is a structured note; any other
// file is read as ReadFile reads it (checkable is then false on error).
NoteReading ReadFileLeniently(const std::string& path);

// The bytes of the file at `path`, refusing what no input can be (missing,
// a directory, a pipe or device, over 256 MiB); errors name the file.
Result<std::string> ReadBytes(const std::string& path);

// Hex SHA-256 of `bytes`: a source's content hash.
std::string ContentHash(std::string_view bytes);

}  // namespace sinew::ingest
