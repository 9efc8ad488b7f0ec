#include "store/codec.h"

#include <cstring>

namespace sinew::store_internal {

using nlohmann::json;

void PutBE64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (i * 8)) & 0xFF));
}
void PutBE16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xFF));
}
uint64_t GetBE64(std::string_view s, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}
uint16_t GetBE16(std::string_view s, size_t at) {
  return static_cast<uint16_t>((static_cast<unsigned char>(s[at]) << 8) |
                               static_cast<unsigned char>(s[at + 1]));
}
std::string BE64(uint64_t v) {
  std::string s;
  PutBE64(&s, v);
  return s;
}

std::string AdjacencyKey(uint64_t a, uint16_t type, uint64_t b, uint64_t edge) {
  std::string k;
  k.reserve(kAdjacencyKeySize);
  PutBE64(&k, a);
  PutBE16(&k, type);
  PutBE64(&k, b);
  PutBE64(&k, edge);
  return k;
}

std::string EncodeAdjacency(const AdjacencyValue& v) {
  char buf[24];
  buf[0] = static_cast<char>(v.domain);
  buf[1] = static_cast<char>(v.modality);
  buf[2] = static_cast<char>(v.status);
  buf[3] = static_cast<char>(v.marking_lo);
  buf[4] = static_cast<char>(v.marking_hi);
  buf[5] = static_cast<char>(v.strength);
  std::memcpy(buf + 6, &v.evidence, 2);
  std::memcpy(buf + 8, &v.from, 4);
  std::memcpy(buf + 12, &v.to, 4);
  std::memcpy(buf + 16, &v.confidence, 4);
  std::memcpy(buf + 20, &v.weight, 4);
  return std::string(buf, sizeof buf);
}

AdjacencyValue DecodeAdjacency(std::string_view s) {
  AdjacencyValue v;
  if (s.size() < 24) return v;
  v.domain = static_cast<uint8_t>(s[0]);
  v.modality = static_cast<uint8_t>(s[1]);
  v.status = static_cast<uint8_t>(s[2]);
  v.marking_lo = static_cast<uint8_t>(s[3]);
  v.marking_hi = static_cast<uint8_t>(s[4]);
  v.strength = static_cast<uint8_t>(s[5]);
  std::memcpy(&v.evidence, s.data() + 6, 2);
  std::memcpy(&v.from, s.data() + 8, 4);
  std::memcpy(&v.to, s.data() + 12, 4);
  std::memcpy(&v.confidence, s.data() + 16, 4);
  std::memcpy(&v.weight, s.data() + 20, 4);
  return v;
}

std::string EvidencePrefix(TargetKind kind, uint64_t target) {
  std::string k(1, static_cast<char>(kind));
  PutBE64(&k, target);
  return k;
}

std::string EvidenceKey(TargetKind kind, uint64_t target, EvidenceId id) {
  std::string k = EvidencePrefix(kind, target);
  PutBE64(&k, id);
  return k;
}

std::string NameKey(const std::string& normalized, NodeId id) {
  std::string k = normalized;
  k.push_back('\0');
  PutBE64(&k, id);
  return k;
}

namespace {

std::string Pack(const json& j) {
  std::vector<uint8_t> bytes = json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

Status Unpack(std::string_view s, const char* what, json* out) {
  try {
    *out = json::from_msgpack(s.begin(), s.end());
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("undecodable ") + what + " record: " + e.what());
  }
  return Status::Ok();
}

json LocatorJson(const Locator& l) {
  return {{"s", l.section}, {"p", l.paragraph}, {"pg", l.page}, {"a", l.start}, {"b", l.end}};
}
Locator LocatorFrom(const json& j) {
  Locator l;
  l.section = j.value("s", "");
  l.paragraph = j.value("p", 0);
  l.page = j.value("pg", "");
  l.start = j.value("a", int64_t{-1});
  l.end = j.value("b", int64_t{-1});
  return l;
}

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(); }
std::optional<double> NumberFrom(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<double>();
}

template <typename F>
Status Guard(F&& f, const char* what) {
  try {
    f();
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("malformed ") + what + " record: " + e.what());
  }
  return Status::Ok();
}

}  // namespace

std::string EncodeNode(const NodeRecord& r) {
  json claims = json::array();
  for (const auto& [src, c] : r.claims)
    claims.push_back({{"src", src},
                      {"name", c.name},
                      {"aliases", c.aliases},
                      {"props", c.props},
                      {"proposed", c.proposed}});
  return Pack({{"id", r.id},
               {"slug", r.slug},
               {"type", r.type},
               {"name", r.name},
               {"aliases", r.aliases},
               {"props", r.props},
               {"claims", claims}});
}

Status DecodeNode(std::string_view s, NodeRecord* r) {
  json j;
  SINEW_RETURN_IF_ERROR(Unpack(s, "node", &j));
  return Guard(
      [&] {
        r->id = j.at("id").get<uint64_t>();
        r->slug = j.at("slug").get<std::string>();
        r->type = j.at("type").get<std::string>();
        r->name = j.at("name").get<std::string>();
        r->aliases = j.at("aliases").get<std::vector<std::string>>();
        r->props = j.at("props");
        r->claims.clear();
        for (const auto& c : j.at("claims")) {
          NodeClaim claim;
          claim.name = c.at("name").get<std::string>();
          claim.aliases = c.at("aliases").get<std::vector<std::string>>();
          claim.props = c.at("props");
          claim.proposed = c.value("proposed", false);
          r->claims[c.at("src").get<uint64_t>()] = std::move(claim);
        }
      },
      "node");
}

std::string EncodeEdge(const EdgeRecord& r) {
  const EdgeQualifiers& q = r.q;
  return Pack({{"id", r.id},
               {"src", r.src},
               {"dst", r.dst},
               {"type", r.type},
               {"domain", r.domain},
               {"vf", q.valid_from},
               {"vt", q.valid_to},
               {"lo", q.from_lo},
               {"hi", q.to_hi},
               {"mod", static_cast<int>(q.modality)},
               {"str", q.strength},
               {"rep", q.replaceability},
               {"conf", q.confidence},
               {"w", q.weight},
               {"st", static_cast<int>(q.status)},
               {"ns", q.supporting},
               {"nc", q.contradicting},
               {"np", q.proposed},
               {"nr", q.rejected},
               {"mlo", static_cast<int>(q.marking_lo)},
               {"mhi", static_cast<int>(q.marking_hi)}});
}

Status DecodeEdge(std::string_view s, EdgeRecord* r) {
  json j;
  SINEW_RETURN_IF_ERROR(Unpack(s, "edge", &j));
  return Guard(
      [&] {
        r->id = j.at("id").get<uint64_t>();
        r->src = j.at("src").get<uint64_t>();
        r->dst = j.at("dst").get<uint64_t>();
        r->type = j.at("type").get<std::string>();
        r->domain = j.at("domain").get<std::string>();
        EdgeQualifiers& q = r->q;
        q.valid_from = j.at("vf").get<std::string>();
        q.valid_to = j.at("vt").get<std::string>();
        q.from_lo = j.at("lo").get<int32_t>();
        q.to_hi = j.at("hi").get<int32_t>();
        q.modality = static_cast<Modality>(j.at("mod").get<int>());
        q.strength = j.at("str").get<double>();
        q.replaceability = j.at("rep").get<double>();
        q.confidence = j.at("conf").get<double>();
        q.weight = j.at("w").get<double>();
        q.status = static_cast<EvidenceStatus>(j.at("st").get<int>());
        q.supporting = j.at("ns").get<int>();
        q.contradicting = j.at("nc").get<int>();
        q.proposed = j.at("np").get<int>();
        q.rejected = j.at("nr").get<int>();
        q.marking_lo = static_cast<Marking>(j.at("mlo").get<int>());
        q.marking_hi = static_cast<Marking>(j.at("mhi").get<int>());
      },
      "edge");
}

std::string EncodeEvidence(const EvidenceRecord& r) {
  return Pack({{"id", r.id},
               {"tk", std::string(1, static_cast<char>(r.target_kind))},
               {"t", r.target},
               {"src", r.source},
               {"key", r.key},
               {"quote", r.quote},
               {"para", r.paraphrase},
               {"loc", LocatorJson(r.locator)},
               {"stance", static_cast<int>(r.stance)},
               {"vf", r.valid_from},
               {"vt", r.valid_to},
               {"mod", static_cast<int>(r.modality)},
               {"str", OptionalNumber(r.strength)},
               {"rep", OptionalNumber(r.replaceability)},
               {"rel", r.reliability},
               {"cred", r.credibility},
               {"st", static_cast<int>(r.status)},
               {"at", r.recorded_at},
               {"analyst", r.analyst},
               {"mark", static_cast<int>(r.marking)},
               {"basis", r.basis},
               {"dby", r.decided_by},
               {"dat", r.decided_at}});
}

Status DecodeEvidence(std::string_view s, EvidenceRecord* r) {
  json j;
  SINEW_RETURN_IF_ERROR(Unpack(s, "evidence", &j));
  return Guard(
      [&] {
        r->id = j.at("id").get<uint64_t>();
        r->target_kind = static_cast<TargetKind>(j.at("tk").get<std::string>().at(0));
        r->target = j.at("t").get<uint64_t>();
        r->source = j.at("src").get<uint64_t>();
        r->key = j.at("key").get<std::string>();
        r->quote = j.at("quote").get<std::string>();
        r->paraphrase = j.at("para").get<bool>();
        r->locator = LocatorFrom(j.at("loc"));
        r->stance = static_cast<Stance>(j.at("stance").get<int>());
        r->valid_from = j.at("vf").get<std::string>();
        r->valid_to = j.at("vt").get<std::string>();
        r->modality = static_cast<Modality>(j.at("mod").get<int>());
        r->strength = NumberFrom(j, "str");
        r->replaceability = NumberFrom(j, "rep");
        r->reliability = j.at("rel").get<std::string>();
        r->credibility = j.at("cred").get<int>();
        r->status = static_cast<EvidenceStatus>(j.at("st").get<int>());
        r->recorded_at = j.at("at").get<std::string>();
        r->analyst = j.at("analyst").get<std::string>();
        r->marking = static_cast<Marking>(j.at("mark").get<int>());
        r->basis = j.at("basis").get<std::string>();
        r->decided_by = j.at("dby").get<std::string>();
        r->decided_at = j.at("dat").get<std::string>();
      },
      "evidence");
}

std::string EncodeSource(const SourceRecord& r) {
  return Pack({{"id", r.id},
               {"slug", r.slug},
               {"title", r.title},
               {"publisher", r.publisher},
               {"published", r.published},
               {"url", r.url},
               {"kind", r.kind},
               {"rel", r.reliability},
               {"authors", r.authors},
               {"mark", static_cast<int>(r.marking)},
               {"hash", r.content_hash},
               {"at", r.ingested_at},
               {"file", r.file},
               {"props", r.props}});
}

Status DecodeSource(std::string_view s, SourceRecord* r) {
  json j;
  SINEW_RETURN_IF_ERROR(Unpack(s, "source", &j));
  return Guard(
      [&] {
        r->id = j.at("id").get<uint64_t>();
        r->slug = j.at("slug").get<std::string>();
        r->title = j.at("title").get<std::string>();
        r->publisher = j.at("publisher").get<std::string>();
        r->published = j.at("published").get<std::string>();
        r->url = j.at("url").get<std::string>();
        r->kind = j.at("kind").get<std::string>();
        r->reliability = j.at("rel").get<std::string>();
        r->authors = j.at("authors").get<std::vector<std::string>>();
        r->marking = static_cast<Marking>(j.at("mark").get<int>());
        r->content_hash = j.at("hash").get<std::string>();
        r->ingested_at = j.at("at").get<std::string>();
        r->file = j.at("file").get<std::string>();
        r->props = j.at("props");
      },
      "source");
}

std::string EncodeObservation(const ObservationRecord& r) {
  return Pack({{"id", r.id},
               {"subj", r.subject},
               {"obj", r.object},
               {"metric", r.metric},
               {"unit", r.unit},
               {"period", r.period},
               {"lo", r.low},
               {"hi", r.high},
               {"src", r.source}});
}

Status DecodeObservation(std::string_view s, ObservationRecord* r) {
  json j;
  SINEW_RETURN_IF_ERROR(Unpack(s, "observation", &j));
  return Guard(
      [&] {
        r->id = j.at("id").get<uint64_t>();
        r->subject = j.at("subj").get<uint64_t>();
        r->object = j.at("obj").get<uint64_t>();
        r->metric = j.at("metric").get<std::string>();
        r->unit = j.at("unit").get<std::string>();
        r->period = j.at("period").get<std::string>();
        r->low = j.at("lo").get<double>();
        r->high = j.at("hi").get<double>();
        r->source = j.at("src").get<uint64_t>();
      },
      "observation");
}

}  // namespace sinew::store_internal
