// The record encoders write MessagePack by hand: the bytes must be exactly
// what nlohmann::json::to_msgpack writes for the same object (so stores
// written before and after are the same files), and decode back to the
// record.
#include "store/codec.h"

#include <doctest/doctest.h>

#include <limits>
#include <nlohmann/json.hpp>

namespace sinew::store_internal {
namespace {

using nlohmann::json;

std::string Msgpack(const json& j) {
  std::vector<uint8_t> v = json::to_msgpack(j);
  return std::string(v.begin(), v.end());
}

// nlohmann's canonical form of the same bytes: sorted keys, smallest integer
// form, float32 when exact. Equal bytes mean the encoder wrote that form.
std::string Canonical(const std::string& bytes) { return Msgpack(json::from_msgpack(bytes)); }

EvidenceRecord SampleEvidence(int variant) {
  EvidenceRecord e;
  e.id = variant == 0 ? 7 : 5'000'000'000ull;
  e.target_kind = variant == 0 ? TargetKind::kEdge : TargetKind::kObservation;
  e.target = variant == 0 ? 200 : 70'000;
  e.source = 3;
  e.key = variant == 0 ? "row:a|b|2020" : std::string(300, 'k');
  e.quote = variant == 0 ? "" : std::string(70'000, 'q');
  e.paraphrase = variant == 0;
  e.locator.section = "Технологии";
  e.locator.paragraph = variant == 0 ? 0 : 40'000;
  e.locator.page = "p. 4";
  e.locator.start = variant == 0 ? -1 : -200;
  e.locator.end = variant == 0 ? -40'000 : std::numeric_limits<int64_t>::min();
  e.stance = Stance::kContradicts;
  e.valid_from = "2014";
  e.modality = Modality::kProjected;
  if (variant == 1) {
    e.strength = 0.5;
    e.replaceability = 0.1;
  }
  e.reliability = "B";
  e.credibility = 2;
  e.status = EvidenceStatus::kProposed;
  e.recorded_at = "2026-11-28T12:00:00Z";
  e.analyst = "a";
  e.marking = Marking::kAmberStrict;
  e.basis = std::string(40, 'b');
  return e;
}

TEST_CASE("codec: evidence bytes are nlohmann's MessagePack of the same object") {
  for (int variant : {0, 1}) {
    CAPTURE(variant);
    EvidenceRecord e = SampleEvidence(variant);
    std::string bytes = EncodeEvidence(e);
    CHECK(bytes == Canonical(bytes));
    json loc = {{"s", e.locator.section},
                {"p", e.locator.paragraph},
                {"pg", e.locator.page},
                {"a", e.locator.start},
                {"b", e.locator.end}};
    json expected = {{"id", e.id},
                     {"tk", std::string(1, static_cast<char>(e.target_kind))},
                     {"t", e.target},
                     {"src", e.source},
                     {"key", e.key},
                     {"quote", e.quote},
                     {"para", e.paraphrase},
                     {"loc", loc},
                     {"stance", static_cast<int>(e.stance)},
                     {"vf", e.valid_from},
                     {"vt", e.valid_to},
                     {"mod", static_cast<int>(e.modality)},
                     {"str", e.strength ? json(*e.strength) : json()},
                     {"rep", e.replaceability ? json(*e.replaceability) : json()},
                     {"rel", e.reliability},
                     {"cred", e.credibility},
                     {"st", static_cast<int>(e.status)},
                     {"at", e.recorded_at},
                     {"analyst", e.analyst},
                     {"mark", static_cast<int>(e.marking)},
                     {"basis", e.basis},
                     {"dby", e.decided_by},
                     {"dat", e.decided_at}};
    CHECK(bytes == Msgpack(expected));
    EvidenceRecord back;
    REQUIRE(DecodeEvidence(bytes, &back).ok());
    CHECK(back.id == e.id);
    CHECK(back.target_kind == e.target_kind);
    CHECK(back.quote == e.quote);
    CHECK(back.key == e.key);
    CHECK(back.locator.end == e.locator.end);
    CHECK(back.locator.section == e.locator.section);
    CHECK(back.strength == e.strength);
    CHECK(back.marking == e.marking);
  }
}

TEST_CASE("codec: edge bytes, across integer widths and float forms") {
  EdgeRecord r;
  r.type = "depends_on";
  r.domain = "technology";
  // Each value crosses one boundary of MessagePack's integer or float forms.
  const uint64_t ids[] = {0, 127, 128, 255, 256, 65535, 65536, 4294967295ull, 4294967296ull};
  const int32_t dates[] = {0, -1, -32, -33, -128, -129, -32768, -32769, kDateMin, kDateMax};
  const double reals[] = {0, 0.5, 0.1, 1.0 / 3, 1e300, -2.5, 3.4e38, 1e-45};
  for (size_t i = 0; i < 10; ++i) {
    r.id = ids[i % 9];
    r.src = ids[(i + 3) % 9];
    r.dst = ids[(i + 5) % 9];
    r.q.from_lo = dates[i];
    r.q.to_hi = dates[9 - i];
    r.q.confidence = reals[i % 8];
    r.q.weight = reals[(i + 1) % 8];
    r.q.strength = reals[(i + 2) % 8];
    r.q.replaceability = reals[(i + 3) % 8];
    r.q.supporting = static_cast<int>(i) * 100;
    r.q.contradicting = -static_cast<int>(i);
    r.q.valid_from = std::string(i * 4, '1');
    std::string bytes = EncodeEdge(r);
    CAPTURE(i);
    CHECK(bytes == Canonical(bytes));
    EdgeRecord back;
    REQUIRE(DecodeEdge(bytes, &back).ok());
    CHECK(back.id == r.id);
    CHECK(back.dst == r.dst);
    CHECK(back.q.from_lo == r.q.from_lo);
    CHECK(back.q.to_hi == r.q.to_hi);
    CHECK(back.q.confidence == r.q.confidence);
    CHECK(back.q.weight == r.q.weight);
    CHECK(back.q.contradicting == r.q.contradicting);
    CHECK(back.q.valid_from == r.q.valid_from);
  }
}

TEST_CASE("codec: node and observation bytes") {
  NodeRecord n;
  n.id = 300;
  n.slug = "cr-929";
  n.type = "project";
  n.name = "CR-929";
  n.aliases = {"CR929", "Wide-body airliner", std::string(40, 'x')};
  n.props = {{"first_flight", 2027}, {"partners", {"comac", "uac"}}};
  for (uint64_t src : {1ull, 90000ull}) {
    NodeClaim c;
    c.name = "CR-929";
    c.aliases = {"CR929"};
    c.props = {{"n", -1.5}};
    c.proposed = src == 1;
    n.claims[src] = c;
  }
  std::string bytes = EncodeNode(n);
  CHECK(bytes == Canonical(bytes));
  NodeRecord back;
  REQUIRE(DecodeNode(bytes, &back).ok());
  CHECK(back.aliases == n.aliases);
  CHECK(back.props == n.props);
  CHECK(back.claims.size() == 2);
  CHECK(back.claims.at(1).proposed);
  CHECK(back.claims.at(90000).props == n.claims.at(90000).props);

  ObservationRecord o;
  o.id = 12;
  o.subject = 4;
  o.object = 0;
  o.metric = "imports";
  o.unit = "bcm";
  o.period = "2019";
  o.low = 38.75;
  o.high = 0.1;
  o.source = 2;
  bytes = EncodeObservation(o);
  CHECK(bytes == Canonical(bytes));
  ObservationRecord ob;
  REQUIRE(DecodeObservation(bytes, &ob).ok());
  CHECK(ob.low == o.low);
  CHECK(ob.high == o.high);
  CHECK(ob.metric == o.metric);
}

}  // namespace
}  // namespace sinew::store_internal

namespace sinew::store_internal {

TEST_CASE("codec: an evidence record's times are read without decoding it") {
  for (int variant : {0, 1}) {
    EvidenceRecord e = SampleEvidence(variant);
    e.recorded_at = "2022-03-31T00:00:00Z";
    e.retracted_at = variant == 0 ? "" : "2022-12-30T00:00:00Z";
    e.quote = std::string(70'000, 'q');  // a str32 before "ret" to pass over
    std::string bytes = EncodeEvidence(e);
    std::string_view at, ret;
    REQUIRE(PeekEvidenceTimes(bytes, &at, &ret));
    CHECK(at == e.recorded_at);
    CHECK(ret == e.retracted_at);
    // Any writer's MessagePack of the same object reads alike (nested maps,
    // arrays, negative and wide integers, floats, nil, booleans).
    json j = json::from_msgpack(bytes);
    j["extra"] = {{"list", {1, -1, -200, 70000, 5'000'000'000LL, 1.5, nullptr, true, "s"}}};
    std::string other = Msgpack(j);
    REQUIRE(PeekEvidenceTimes(other, &at, &ret));
    CHECK(at == e.recorded_at);
    CHECK(ret == e.retracted_at);
    // Every truncation is refused, never read past its end.
    for (size_t n = 0; n < other.size(); n += 997)
      CHECK_FALSE(PeekEvidenceTimes(std::string_view(other).substr(0, n), &at, &ret));
  }
  std::string_view at, ret;
  CHECK_FALSE(PeekEvidenceTimes(Msgpack(json::array({1, 2})), &at, &ret));
  CHECK_FALSE(PeekEvidenceTimes(Msgpack(json{{"id", 3}}), &at, &ret));  // no "at"
  CHECK_FALSE(PeekEvidenceTimes(Msgpack(json{{"at", 3}}), &at, &ret));  // not a string
}

TEST_CASE("codec: an edge's or evidence record's status is read without decoding it") {
  for (EvidenceStatus st :
       {EvidenceStatus::kAccepted, EvidenceStatus::kProposed, EvidenceStatus::kRejected}) {
    CAPTURE(static_cast<int>(st));
    for (int variant : {0, 1}) {
      EvidenceRecord e = SampleEvidence(variant);
      e.status = st;
      EvidenceStatus got =
          st == EvidenceStatus::kAccepted ? EvidenceStatus::kRejected : EvidenceStatus::kAccepted;
      REQUIRE(PeekStatus(EncodeEvidence(e), &got));
      CHECK(got == st);
    }
    EdgeRecord r;
    r.type = "depends_on";
    r.q.status = st;
    r.q.valid_from = std::string(300, '1');  // a str16 before "st" to pass over
    EvidenceStatus got = EvidenceStatus::kProposed;
    std::string bytes = EncodeEdge(r);
    REQUIRE(PeekStatus(bytes, &got));
    CHECK(got == st);
    // Another writer's widths for the same numbers read alike.
    json j = json::from_msgpack(bytes);
    j["extra"] = {{"st", 2}, {"wide", 5'000'000'000LL}};  // a nested "st" is not the record's
    got = EvidenceStatus::kProposed;
    REQUIRE(PeekStatus(Msgpack(j), &got));
    CHECK(got == st);
    // Cut short anywhere, or with bytes after the map, it is refused.
    for (size_t n = 0; n < bytes.size(); n += 7)
      CHECK_FALSE(PeekStatus(std::string_view(bytes).substr(0, n), &got));
    CHECK_FALSE(PeekStatus(bytes + '\x01', &got));
  }
  EvidenceStatus got;
  CHECK_FALSE(PeekStatus(Msgpack(json::array({1, 2})), &got));
  CHECK_FALSE(PeekStatus(Msgpack(json{{"id", 3}}), &got));    // no status
  CHECK_FALSE(PeekStatus(Msgpack(json{{"st", "a"}}), &got));  // not a number
  CHECK_FALSE(PeekStatus(Msgpack(json{{"st", 3}}), &got));    // no such status
  CHECK_FALSE(PeekStatus(Msgpack(json{{"st", -1}}), &got));
  REQUIRE(PeekStatus(Msgpack(json{{"a", 1}, {"st", 2}}), &got));
  CHECK(got == EvidenceStatus::kRejected);
}

}  // namespace sinew::store_internal
