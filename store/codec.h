// Private to store/: the byte layout of keys and values (docs/storage.md).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "store/records.h"

namespace sinew::store_internal {

void PutBE64(std::string* out, uint64_t v);
void PutBE16(std::string* out, uint16_t v);
uint64_t GetBE64(std::string_view s, size_t at);
uint16_t GetBE16(std::string_view s, size_t at);
std::string BE64(uint64_t v);

// Adjacency: src|type|dst|edge (out) or dst|type|src|edge (in); 26 bytes.
std::string AdjacencyKey(uint64_t a, uint16_t type, uint64_t b, uint64_t edge);
constexpr size_t kAdjacencyKeySize = 26;

// The fixed 24-byte adjacency value: what traversal filters on.
struct AdjacencyValue {
  uint8_t domain = 0, modality = 0, status = 0, marking_lo = 0, marking_hi = 0;
  uint8_t strength = 0;  // edge strength x 255, rounded
  uint16_t evidence = 0;
  int32_t from = 0, to = 0;
  float confidence = 0, weight = 0;
};
std::string EncodeAdjacency(const AdjacencyValue& v);
AdjacencyValue DecodeAdjacency(std::string_view s);

std::string EvidenceKey(TargetKind kind, uint64_t target, EvidenceId id);
std::string EvidencePrefix(TargetKind kind, uint64_t target);
std::string NameKey(const std::string& normalized, NodeId id);

std::string EncodeNode(const NodeRecord& r);
std::string EncodeEdge(const EdgeRecord& r);
std::string EncodeEvidence(const EvidenceRecord& r);
std::string EncodeSource(const SourceRecord& r);  // without the text
std::string EncodeObservation(const ObservationRecord& r);
Status DecodeNode(std::string_view s, NodeRecord* r);
Status DecodeEdge(std::string_view s, EdgeRecord* r);
Status DecodeEvidence(std::string_view s, EvidenceRecord* r);
// An encoded evidence record's recorded_at ("at") and retracted_at ("ret",
// empty when absent) without decoding the rest (codec_peek.cc); false when
// the bytes are not an evidence record's map, and then the caller decodes.
bool PeekEvidenceTimes(std::string_view s, std::string_view* at, std::string_view* retracted);
// The status ("st") of an encoded edge or evidence record without decoding
// the rest: what `stats` counts (decoding 10^6 edges and 10^6 evidence
// records into JSON to learn it took 11 s). False when the bytes are not such
// a map or hold no status in range; then the caller decodes.
bool PeekStatus(std::string_view s, EvidenceStatus* status);
// Decodes the record into `r` only when `keep` accepts its two times (read
// by PeekEvidenceTimes first); *kept says whether it did.
using EvidenceTimesFilter =
    std::function<bool(std::string_view recorded_at, std::string_view retracted_at)>;
Status DecodeEvidenceIf(std::string_view s, const EvidenceTimesFilter& keep, EvidenceRecord* r,
                        bool* kept);
Status DecodeSource(std::string_view s, SourceRecord* r);
Status DecodeObservation(std::string_view s, ObservationRecord* r);

}  // namespace sinew::store_internal
