// The statement model held by a store: sources, nodes, edges, evidence and
// observations, plus the Batch that an ingest reader produces from one file.
// Every qualitative claim is an evidence record; an edge's qualifiers are
// derived from its accepted evidence (see DeriveEdge and docs/scoring.md).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/date.h"
#include "store/schema.h"
#include "store/status.h"

namespace sinew {

using NodeId = uint64_t;
using EdgeId = uint64_t;
using EvidenceId = uint64_t;
using SourceId = uint64_t;
using ObservationId = uint64_t;

// Where in a source a claim sits.
struct Locator {
  std::string section;
  int paragraph = 0;  // 1-based within the section; 0 = not given
  std::string page;
  int64_t start = -1;  // character offsets into the stored text, when it is stored
  int64_t end = -1;
  // "Technology ¶2", "p. 4", "Technology ¶2 [120..180]".
  std::string ToString() const;
};

enum class TargetKind : char { kEdge = 'e', kNode = 'n', kObservation = 'o' };

struct EvidenceRecord {
  EvidenceId id = 0;
  TargetKind target_kind = TargetKind::kEdge;
  uint64_t target = 0;
  SourceId source = 0;
  std::string key;  // stable within its source; survives re-ingest
  std::string quote;
  bool paraphrase = false;  // quote is the analyst's words, not the source's
  Locator locator;
  Stance stance = Stance::kSupports;
  std::string valid_from, valid_to;  // EDTF text; empty = open
  Modality modality = Modality::kAssessed;
  std::optional<double> strength, replaceability;  // 0..1
  std::string reliability = "F";                   // A..F
  int credibility = 6;                             // 1..6
  EvidenceStatus status = EvidenceStatus::kAccepted;
  std::string recorded_at;   // ISO date-time this version was first recorded
  std::string retracted_at;  // when a revision withdrew or changed it; empty = held now
  std::string analyst;
  Marking marking = Marking::kClear;
  std::string basis;                   // why strength/replaceability were judged so
  std::string decided_by, decided_at;  // analyst decision, survives re-ingest
};

struct NodeClaim {        // what one source says about a node
  bool proposed = false;  // suggested by text extraction, awaiting review
  // The claim's marking: the strictest of the object's own (a STIX object's
  // object_marking_refs) and its source's; the name and aliases it gives are
  // seen only at or above it.
  Marking marking = Marking::kClear;
  std::string name;
  std::vector<std::string> aliases;
  nlohmann::json props = nlohmann::json::object();
  // Record time of this version of the claim (empty in stores written before
  // claims carried it: the source's first ingest then stands for it).
  std::string recorded_at;
};

struct NodeRecord {
  NodeId id = 0;
  std::string slug, type, name;
  std::vector<std::string> aliases;
  nlohmann::json props = nlohmann::json::object();
  std::map<SourceId, NodeClaim> claims;  // by asserting source
  // Recomputes name, aliases and props from the claims (first source names it).
  void Merge();
};

// Qualifiers derived from evidence; stored on the edge and in adjacency values.
struct EdgeQualifiers {
  std::string valid_from, valid_to;
  int32_t from_lo = kDateMin, to_hi = kDateMax;
  Modality modality = Modality::kAssessed;
  double strength = 0, replaceability = 0, confidence = 0, weight = 0;
  EvidenceStatus status = EvidenceStatus::kProposed;  // accepted when any accepted support
  int supporting = 0, contradicting = 0, proposed = 0, rejected = 0;
  Marking marking_lo = Marking::kClear, marking_hi = Marking::kClear;
};

struct EdgeRecord {
  EdgeId id = 0;
  NodeId src = 0, dst = 0;
  std::string type, domain;
  EdgeQualifiers q;
};

struct SourceRecord {
  SourceId id = 0;
  std::string slug, title, publisher, published, url, kind, reliability;
  std::vector<std::string> authors;
  Marking marking = Marking::kClear;
  std::string content_hash;  // of the ingested file's bytes
  std::string text;          // full text of a text note, else empty
  std::string ingested_at, file;
  std::string first_ingested_at;  // the first revision's record time; empty = ingested_at
  nlohmann::json props = nlohmann::json::object();  // e.g. "summarises", "cites"
};

struct ObservationRecord {
  ObservationId id = 0;
  NodeId subject = 0, object = 0;  // object 0 = none
  std::string metric, unit, period;
  double low = 0, high = 0;  // equal for a single value
  SourceId source = 0;
};

// The derivation rules of docs/scoring.md, over the evidence of one edge.
// Evidence above `clearance` is ignored as if it were not there.
EdgeQualifiers DeriveEdge(const std::vector<EvidenceRecord>& evidence,
                          Marking clearance = Marking::kRed);
// The confidence one evidence record contributes: reliability x credibility.
double EvidenceConfidence(const EvidenceRecord& e);

// ---- What an ingest reader produces from one file ----

struct EvidenceDraft {
  SourcePlace place;
  std::string key, quote, basis, analyst;
  bool paraphrase = false;
  Locator locator;
  Stance stance = Stance::kSupports;
  std::string valid_from, valid_to;
  Modality modality = Modality::kAssessed;
  std::optional<double> strength, replaceability;
  std::string reliability;  // empty = the source's
  int credibility = 0;      // 0 = the note's default
  EvidenceStatus status = EvidenceStatus::kAccepted;
  std::optional<Marking> marking;  // empty = the source's
};

// Places of individual fields ("type", "domain", ...) for precise errors.
struct FieldPlaces {
  SourcePlace place;  // the whole object
  std::map<std::string, SourcePlace> fields;
  const SourcePlace& Of(const std::string& field) const {
    auto it = fields.find(field);
    return it == fields.end() ? place : it->second;
  }
};

struct NodeDraft {
  SourcePlace place;
  FieldPlaces where;
  std::string slug, type, name;
  std::vector<std::string> aliases;
  nlohmann::json props = nlohmann::json::object();
  std::vector<EvidenceDraft> evidence;
  bool proposed = false;           // a suggestion from text extraction
  std::optional<Marking> marking;  // the object's own; empty = the source's
};

struct EdgeDraft {
  SourcePlace place;
  FieldPlaces where;
  std::string src, type, dst, domain;  // src/dst are slugs
  std::vector<EvidenceDraft> evidence;
};

struct ObservationDraft {
  SourcePlace place;
  FieldPlaces where;
  std::string subject, object, metric, unit, period;
  double low = 0, high = 0;
  EvidenceDraft evidence;
};

struct Batch {
  std::string file;          // what errors name
  std::string content_hash;  // of the file's bytes
  SourceRecord source;       // id filled in by the store
  SourcePlace source_place;
  std::vector<NodeDraft> nodes;
  std::vector<EdgeDraft> edges;
  std::vector<ObservationDraft> observations;
  std::string recorded_at;  // when it was ingested (ISO 8601)
  std::string analyst;      // who ingested it
  bool force = false;       // apply even when the content hash is unchanged
  // What the reader read, by kind, and what it left out and why (STIX,
  // tables): said to the analyst, never fatal.
  std::map<std::string, int> counts;
  std::vector<std::string> notes;
};

// A stable 64-bit FNV-1a fingerprint of `s` (claim keys and the like): the
// same bytes give the same value on every machine and every run.
uint64_t Fingerprint(std::string_view s, uint64_t seed = 1469598103934665603ull);
std::string FingerprintHex(std::string_view s);

// Lowercases, folds diacritics and case across Latin, Cyrillic and Greek,
// turns punctuation into single spaces: the form the name index keys on.
std::string NormalizeName(std::string_view name);
// Appends code point `cp` to `out` as UTF-8.
void AppendUtf8(char32_t cp, std::string* out);

// The first control character in `s` as "U+001B" ("" when none): C0 codes
// (tab, line feed and carriage return allowed when `lines`), DEL, the C1
// codes and the bidirectional overrides that can disguise text on a
// terminal. NUL always counts.
std::string ControlIn(std::string_view s, bool lines);
// `s` safe to print on a terminal: each control character ControlIn names
// written as \xNN or \uNNNN instead (tab and line feed kept).
std::string TerminalSafe(std::string_view s);
// `s` as an error message may quote it: terminal-safe and at most `max`
// bytes, cut at a character boundary with "..." after.
std::string Excerpt(std::string_view s, size_t max = 80);

}  // namespace sinew
