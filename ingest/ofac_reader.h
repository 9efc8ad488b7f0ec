// Private to ingest/: the OFAC SDN list reader's parts. ofac_csv.cc reads
// the sdn.csv bytes into rows (refusing any malformed one with its place),
// ofac_remarks.cc turns a row into a node draft through the mapping,
// ofac_resolve.cc matches entries and Linked To names against the store, and
// ofac_snapshot.cc compares the snapshot with what the store holds from the
// earlier ones and writes the batch.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace sinew::ingest::ofac {

// One record of sdn.csv. Offsets are bytes into the (uncompressed) text.
struct Row {
  int64_t ent_num = 0;
  int line = 0;
  size_t offset = 0, length = 0;  // the line without its CR LF
  // The twelve columns; a null ("-0- ") is empty.
  std::string name, sdn_type, program, title, call_sign, vessel_type, tonnage, grt, flag, owner,
      remarks;
  size_t remarks_offset = 0, flag_offset = 0, owner_offset = 0;  // where those values start
  std::vector<std::string> programs;                             // codes as written
};

// Reads every record, in file order. Errors name the file, line and column:
// a record without 12 fields, an unclosed or stray quote, a byte above 0x7F
// or a control byte (but the closing 0x1A line, which is skipped), an
// ent_num that is not a number or repeats, an empty name or programme.
Result<std::vector<Row>> ParseSdnCsv(std::string_view text, const std::string& file);

// The text of a .gz file (gzip, any number of members), or `bytes` as they
// are when they do not start with the gzip magic. At most 256 MiB out.
Result<std::string> Gunzip(std::string_view bytes, const std::string& file);

// The mapping (corpus/mappings/ofac-sdn.json) read once.
struct Programme {
  std::string code, slug, name;
};
struct RemarkRule {
  std::string as;    // identifier | alias | linked | country | date | list
  std::string prop;  // where the value goes
  std::string role;  // for countries
};
struct Mapping {
  nlohmann::json source, authority;
  std::map<std::string, Programme> programmes;           // by every code, old ones too
  std::vector<std::pair<std::string, RemarkRule>> keys;  // longest first
  std::map<std::string, std::string> countries;          // OFAC string -> node slug
  std::set<std::string> not_countries;
  std::set<std::string> org_target_types, company_target_types, company_identifier_keys;
  std::vector<std::string> legal_forms, public_body_words, resolve_forms;
};
Result<Mapping> ParseMapping(std::string_view text, const std::string& file);

// What the list said that the reader kept without guessing, by kind
// ("unknown programme", "unmapped country", ...): said in the report.
struct Anomalies {
  std::map<std::string, std::map<std::string, int>> by_kind;  // kind -> item -> times
  void Add(const std::string& kind, const std::string& item) { ++by_kind[kind][item]; }
};

// One remark part: its text (trimmed) and where it starts in the file.
struct Part {
  std::string text;
  size_t offset = 0;
};
// A country an entry names, in a role (nationality, citizenship,
// registration, flag), with the part that says so.
struct CountryRef {
  std::string role, country;
  Part part;
};
struct LinkRef {
  std::string target;  // the name as written, trailing '.' kept
  Part part;
};

// An entry read: what becomes its node, and what becomes its links.
struct Entry {
  const Row* row = nullptr;
  std::string type, type_basis, name;
  std::vector<std::string> aliases;  // indexed ones
  nlohmann::json props = nlohmann::json::object();
  std::vector<std::string> codes;  // programme codes, renames mapped, sorted
  std::vector<CountryRef> countries;
  std::vector<LinkRef> links;
  std::vector<std::string> identifiers;  // "type value" for resolution
};
Entry ReadEntry(const Row& row, const Mapping& m, Anomalies* anomalies);

// The names an entry or a store node is matched by: NormalizeName with the
// mapping's legal forms dropped ("OOO ROSNEFT" and "Rosneft" meet).
std::string MatchName(std::string_view name, const Mapping& m);

// Which of the store's nodes (not this list's own) an entry may be.
class Resolver {
 public:
  // Indexes every node of `view` that a source other than `own` claims.
  Resolver(const StoreView& view, SourceId own, const Mapping& m);
  // The slug of the one existing node of a compatible type that shares an
  // identifier with the entry, or its name or an alias; empty when none.
  // When names meet nodes of another type or several nodes, says so in
  // `ambiguous` and returns empty.
  std::string Resolve(const Entry& e, std::string* ambiguous) const;
  // A Linked To name that is no entry of the list: the one party (company,
  // organisation, group, person, vessel, aircraft) among the store's nodes
  // whose name or alias it is; empty when none or many.
  std::string ResolveName(const std::string& name) const;

 private:
  const Mapping& m_;
  std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> by_name_;
  std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> by_id_;
};

}  // namespace sinew::ingest::ofac
