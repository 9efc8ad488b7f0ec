// The vocabulary a store accepts: node types, edge types with their allowed
// endpoints and direction, domains and source kinds. It is data (JSON, see
// corpus/schema.json), stored in the store at init and checked on every write.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/status.h"

namespace sinew {

struct EdgeTypeInfo {
  std::string name;
  std::string description;
  bool directed = true;
  std::set<std::string> src_types;  // empty = any
  std::set<std::string> dst_types;  // empty = any
  std::string forward;              // "depends on"
  std::string reverse;              // "is depended on by"
  uint16_t code = 0;                // position in the schema's list; stable
};

class Schema {
 public:
  // Parses and checks a schema document. `file` names it in errors.
  static Result<Schema> Parse(const std::string& text, const std::string& file);

  const std::string& text() const { return text_; }

  bool HasNodeType(const std::string& t) const { return node_types_.count(t) > 0; }
  const EdgeTypeInfo* FindEdgeType(const std::string& t) const;
  const EdgeTypeInfo* EdgeTypeByCode(uint16_t code) const;
  // Domain codes are 1-based; 0 means "no domain".
  int DomainCode(const std::string& d) const;
  const std::string& DomainName(int code) const;
  bool HasSourceKind(const std::string& k) const { return source_kinds_.count(k) > 0; }

  const std::map<std::string, std::string>& node_types() const { return node_types_; }
  const std::vector<EdgeTypeInfo>& edge_types() const { return edge_types_; }
  const std::vector<std::string>& domains() const { return domains_; }

  // Checks that an edge of `type` may join a `src_type` node to a `dst_type` one.
  Status CheckEndpoints(const EdgeTypeInfo& type, const std::string& src_type,
                        const std::string& dst_type) const;

 private:
  std::string text_;
  std::map<std::string, std::string> node_types_;  // name -> description
  std::vector<EdgeTypeInfo> edge_types_;
  std::map<std::string, size_t> edge_index_;
  std::vector<std::string> domains_;
  std::map<std::string, std::string> domain_desc_;
  std::map<std::string, std::string> source_kinds_;
};

// Evidence qualifiers with fixed meaning (their order is part of the rules).
enum class Modality : uint8_t { kObserved = 0, kAssessed = 1, kProjected = 2, kHypothetical = 3 };
enum class Marking : uint8_t { kClear = 0, kGreen = 1, kAmber = 2, kAmberStrict = 3, kRed = 4 };
enum class EvidenceStatus : uint8_t { kAccepted = 0, kProposed = 1, kRejected = 2 };
enum class Stance : uint8_t { kSupports = 0, kContradicts = 1 };

Result<Modality> ParseModality(const std::string& s);
const char* ModalityName(Modality m);
// Accepts "CLEAR", "TLP:CLEAR", "amber+strict", "WHITE" (TLP 1 name of CLEAR).
Result<Marking> ParseMarking(const std::string& s);
const char* MarkingName(Marking m);
Result<EvidenceStatus> ParseEvidenceStatus(const std::string& s);
const char* EvidenceStatusName(EvidenceStatus s);
Result<Stance> ParseStance(const std::string& s);
const char* StanceName(Stance s);
// Admiralty grades: reliability "A".."F", credibility 1..6.
Status CheckReliability(const std::string& s);
Status CheckCredibility(int c);

}  // namespace sinew
