// Private to ingest/: the STIX 2.1 reader. Bundles (or single objects) are
// read through a type mapping (corpus/mappings/stix.json, docs/formats.md):
// domain objects become nodes, relationships become edges whose evidence
// keeps the producer, the object id, the cited references, the confidence
// as an Admiralty grade and the TLP marking. What is left out is counted and
// said, never fatal. Three files: stix.cc (objects,
// markings, node types and ids), stix_links.cc (relationships become
// evidence; the bundle becomes the source) and stix_sources.cc (a sinew
// export split back into its sources; the public entry points).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ingest/common.h"
#include "ingest/ingest.h"
#include "ingest/positioned_json.h"

namespace sinew::ingest::stix {

using json = nlohmann::json;

using nlohmann::json;

// The identifiers TLP levels are published under (STIX 2.1 section 7.2.1.4
// for TLP 1.0; the OASIS TLP 2.0 extension for the rest).
inline const std::map<std::string, Marking>& WellKnownTlp() {
  static const std::map<std::string, Marking> kTlp = {
      {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Marking::kClear},
      {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Marking::kGreen},
      {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Marking::kAmber},
      {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Marking::kRed},
      {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", Marking::kClear},
      {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", Marking::kGreen},
      {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", Marking::kAmber},
      {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", Marking::kAmberStrict},
      {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", Marking::kRed},
  };
  return kTlp;
}

// A TLP word ("white", "amber+strict", "TLP:GREEN") as a level.
inline std::optional<Marking> TlpWord(std::string w) {
  for (char& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (w.rfind("TLP:", 0) != 0) w = "TLP:" + w;
  if (w == "TLP:WHITE") return Marking::kClear;
  Result<Marking> m = ParseMarking(w);
  if (m.ok()) return m.value();
  return std::nullopt;
}

// STIX 2.1 Appendix A, "Admiralty Credibility": 80-100 is 1 (confirmed)
// down to 0-19 is 5 (improbable); no confidence is 6 (cannot be judged).
inline int CredibilityOf(const json& o) {
  auto it = o.find("confidence");
  if (it == o.end() || !it->is_number()) return 6;
  double c = it->get<double>();
  if (c >= 80) return 1;
  if (c >= 60) return 2;
  if (c >= 40) return 3;
  if (c >= 20) return 4;
  return 5;
}

inline std::string Str(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "2016-12-17T00:00:00Z" -> "2016-12-17".
inline std::string DateOf(const std::string& ts) { return ts.size() >= 10 ? ts.substr(0, 10) : ts; }

// A line for the notes: "count what (first ids...)".
struct Tally {
  std::map<std::string, std::vector<std::string>> items;  // reason -> examples
  std::map<std::string, int> counts;
  void Add(const std::string& reason, const std::string& example) {
    ++counts[reason];
    auto& v = items[reason];
    if (v.size() < 3) v.push_back(example);
  }
};

// The qualifiers a sinew export wrote beside a relationship (x_sinew_evidence)
// replace what STIX's own fields could say of them.
inline void OwnQualifiers(const json& x, EvidenceDraft* e) {
  if (!Str(x, "reliability").empty()) e->reliability = Str(x, "reliability");
  if (auto it = x.find("credibility"); it != x.end() && it->is_number_integer())
    e->credibility = it->get<int>();
  if (Result<Modality> m = ParseModality(Str(x, "modality")); m.ok()) e->modality = m.value();
  if (Result<EvidenceStatus> st = ParseEvidenceStatus(Str(x, "status")); st.ok())
    e->status = st.value();
  if (auto it = x.find("paraphrase"); it != x.end() && it->is_boolean()) e->paraphrase = *it;
  e->valid_from = Str(x, "valid_from");
  e->valid_to = Str(x, "valid_to");
  for (auto [key, field] :
       {std::pair{"strength", &e->strength}, std::pair{"replaceability", &e->replaceability}})
    if (auto it = x.find(key); it != x.end() && it->is_number()) *field = it->get<double>();
  e->basis = Str(x, "basis");
  // Where in its original source the claim sits (the STIX id stays the key);
  // a claim that had no place has none again.
  if (auto it = x.find("locator"); it != x.end() && it->is_string()) {
    Locator at;
    at.section = it->get<std::string>();
    e->locator = at;
  }
  if (!Str(x, "analyst").empty()) e->analyst = Str(x, "analyst");
}

struct Mapped {
  size_t index = 0;  // into objects
  std::string type, name, slug;
  bool revoked = false;
};

class StixReader {
 public:
  StixReader(const PositionedJson& doc, const std::string& file, const json& mapping,
             const std::string& mapping_file, const StoreView& view)
      : doc_(doc), file_(file), m_(mapping), mfile_(mapping_file), view_(view) {}

  Result<Batch> Read();
  // The batch split back into the sources a sinew export named (reports
  // with x_sinew_source), when every relationship says which it came from;
  // else the batch alone.
  std::vector<Batch> Split(Batch whole) const;

 private:
  Status Collect();
  Status Mapping();
  void Markings();
  // Each object's TLP level (object_marking_refs and granular markings, the
  // strictest wins); a malformed marking is an error, never unmarked.
  Status Levels();
  Result<Marking> MarkingOf(const json& o, const std::string& ptr);
  Result<std::string> NodeTypeOf(const json& o);
  void Nodes();
  Status AssignSlugs();
  Status Relationships();
  void Observations();
  void Source();
  std::string Follow(std::string id) const;
  SourcePlace At(size_t i) const { return doc_.At(pointers_[i]); }
  Status MappingError(const std::string& msg, const std::string& ptr = "") const {
    SourcePlace p;
    p.file = mfile_;
    p.pointer = ptr;
    return Status::Invalid(msg, p);
  }

  const PositionedJson& doc_;
  std::string file_;
  const json& m_;
  std::string mfile_;
  const StoreView& view_;

  Batch b_;
  Tally left_;                               // what was left out, by reason
  std::vector<const json*> objects_;         // latest version of each id
  std::vector<std::string> pointers_;        // their JSON pointers
  std::map<std::string, size_t> by_id_;      // id -> index into objects_
  std::map<std::string, Marking> markings_;  // marking-definition id -> TLP
  std::set<std::string> statements_;         // non-TLP marking definitions
  std::map<std::string, std::string> revoked_by_;
  std::set<std::string> creators_, referenced_;
  std::map<std::string, Mapped> mapped_;  // id -> node
  std::map<std::string, std::vector<std::string>> extra_aliases_;
  std::map<std::string, std::string> stored_slugs_;  // stix id -> slug already in the store
  Marking unmarked_ = Marking::kClear, unknown_marking_ = Marking::kRed;
  Marking highest_ = Marking::kClear;
  std::vector<Marking> levels_;  // by index into objects_
  Modality modality_ = Modality::kObserved;
  std::string default_domain_;
  int relationships_ = 0, versions_ = 0;
};

}  // namespace sinew::ingest::stix
