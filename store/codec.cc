#include "store/codec.h"

#include <cstring>
#include <limits>

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

Locator LocatorFrom(const json& j) {
  Locator l;
  l.section = j.value("s", "");
  l.paragraph = j.value("p", 0);
  l.page = j.value("pg", "");
  l.start = j.value("a", int64_t{-1});
  l.end = j.value("b", int64_t{-1});
  return l;
}

std::optional<double> NumberFrom(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<double>();
}

// MessagePack written straight from a record, byte for byte what
// nlohmann::json::to_msgpack writes for the same object (keys in sorted
// order, the smallest integer form, a float32 when it holds the double
// exactly): a bulk load encodes millions of records, and building a JSON
// tree for each was a fifth of the load (docs/benchmarks.md). The decoders
// still read any MessagePack; codec_test checks the bytes against nlohmann's.
class Packer {
 public:
  explicit Packer(size_t reserve) { out_.reserve(reserve); }
  std::string Take() { return std::move(out_); }

  void Map(size_t n) { Header(n, 0x80, 15, 0xde, 0xdf); }
  void Array(size_t n) { Header(n, 0x90, 15, 0xdc, 0xdd); }
  void Nil() { Byte(0xc0); }
  void Bool(bool b) { Byte(b ? 0xc3 : 0xc2); }
  void Str(std::string_view v) {
    size_t n = v.size();
    if (n <= 31) {
      Byte(static_cast<uint8_t>(0xa0 | n));
    } else if (n <= 0xff) {
      Byte(0xd9);
      Byte(static_cast<uint8_t>(n));
    } else if (n <= 0xffff) {
      Byte(0xda);
      Big(n, 2);
    } else {
      Byte(0xdb);
      Big(n, 4);
    }
    out_.append(v);
  }
  void UInt(uint64_t v) {
    if (v < 128) {
      Byte(static_cast<uint8_t>(v));
    } else if (v <= 0xff) {
      Byte(0xcc);
      Byte(static_cast<uint8_t>(v));
    } else if (v <= 0xffff) {
      Byte(0xcd);
      Big(v, 2);
    } else if (v <= 0xffffffffu) {
      Byte(0xce);
      Big(v, 4);
    } else {
      Byte(0xcf);
      Big(v, 8);
    }
  }
  void Int(int64_t v) {
    if (v >= 0) return UInt(static_cast<uint64_t>(v));
    if (v >= -32) {
      Byte(static_cast<uint8_t>(v));
    } else if (v >= INT8_MIN) {
      Byte(0xd0);
      Big(static_cast<uint64_t>(v), 1);
    } else if (v >= INT16_MIN) {
      Byte(0xd1);
      Big(static_cast<uint64_t>(v), 2);
    } else if (v >= INT32_MIN) {
      Byte(0xd2);
      Big(static_cast<uint64_t>(v), 4);
    } else {
      Byte(0xd3);
      Big(static_cast<uint64_t>(v), 8);
    }
  }
  void Float(double v) {
    if (v >= static_cast<double>(std::numeric_limits<float>::lowest()) &&
        v <= static_cast<double>(std::numeric_limits<float>::max()) &&
        static_cast<double>(static_cast<float>(v)) == v) {
      float f = static_cast<float>(v);
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      Byte(0xca);
      Big(bits, 4);
    } else {
      uint64_t bits;
      std::memcpy(&bits, &v, 8);
      Byte(0xcb);
      Big(bits, 8);
    }
  }
  void Strings(const std::vector<std::string>& v) {
    Array(v.size());
    for (const std::string& x : v) Str(x);
  }
  void Json(const json& j) { json::to_msgpack(j, out_); }

 private:
  void Byte(uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void Big(uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) Byte(static_cast<uint8_t>(v >> (8 * i)));
  }
  void Header(size_t n, uint8_t fix, size_t fix_max, uint8_t b16, uint8_t b32) {
    if (n <= fix_max) {
      Byte(static_cast<uint8_t>(fix | n));
    } else if (n <= 0xffff) {
      Byte(b16);
      Big(n, 2);
    } else {
      Byte(b32);
      Big(n, 4);
    }
  }
  std::string out_;
};

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
  Packer p(128 + 64 * r.claims.size());
  p.Map(7);
  p.Str("aliases");
  p.Strings(r.aliases);
  p.Str("claims");
  p.Array(r.claims.size());
  for (const auto& [src, c] : r.claims) {
    // "marking" only when above CLEAR: records written before it existed
    // stay byte for byte as they were.
    bool marked = c.marking != Marking::kClear;
    bool dated = !c.recorded_at.empty();
    p.Map(5 + marked + dated);
    p.Str("aliases");
    p.Strings(c.aliases);
    if (dated) {
      p.Str("at");
      p.Str(c.recorded_at);
    }
    if (marked) {
      p.Str("marking");
      p.Int(static_cast<int>(c.marking));
    }
    p.Str("name");
    p.Str(c.name);
    p.Str("proposed");
    p.Bool(c.proposed);
    p.Str("props");
    p.Json(c.props);
    p.Str("src");
    p.UInt(src);
  }
  p.Str("id");
  p.UInt(r.id);
  p.Str("name");
  p.Str(r.name);
  p.Str("props");
  p.Json(r.props);
  p.Str("slug");
  p.Str(r.slug);
  p.Str("type");
  p.Str(r.type);
  return p.Take();
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
          claim.recorded_at = c.value("at", "");
          int marking = c.value("marking", 0);
          // A level this build does not know is read as the strictest.
          claim.marking = marking >= 0 && marking <= static_cast<int>(Marking::kRed)
                              ? static_cast<Marking>(marking)
                              : Marking::kRed;
          r->claims[c.at("src").get<uint64_t>()] = std::move(claim);
        }
      },
      "node");
}

std::string EncodeEdge(const EdgeRecord& r) {
  const EdgeQualifiers& q = r.q;
  Packer p(192);
  p.Map(21);
  p.Str("conf");
  p.Float(q.confidence);
  p.Str("domain");
  p.Str(r.domain);
  p.Str("dst");
  p.UInt(r.dst);
  p.Str("hi");
  p.Int(q.to_hi);
  p.Str("id");
  p.UInt(r.id);
  p.Str("lo");
  p.Int(q.from_lo);
  p.Str("mhi");
  p.Int(static_cast<int>(q.marking_hi));
  p.Str("mlo");
  p.Int(static_cast<int>(q.marking_lo));
  p.Str("mod");
  p.Int(static_cast<int>(q.modality));
  p.Str("nc");
  p.Int(q.contradicting);
  p.Str("np");
  p.Int(q.proposed);
  p.Str("nr");
  p.Int(q.rejected);
  p.Str("ns");
  p.Int(q.supporting);
  p.Str("rep");
  p.Float(q.replaceability);
  p.Str("src");
  p.UInt(r.src);
  p.Str("st");
  p.Int(static_cast<int>(q.status));
  p.Str("str");
  p.Float(q.strength);
  p.Str("type");
  p.Str(r.type);
  p.Str("vf");
  p.Str(q.valid_from);
  p.Str("vt");
  p.Str(q.valid_to);
  p.Str("w");
  p.Float(q.weight);
  return p.Take();
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
  Packer p(256 + r.quote.size() + r.key.size() + r.basis.size());
  auto optional = [&p](const std::optional<double>& v) { v ? p.Float(*v) : p.Nil(); };
  bool retracted = !r.retracted_at.empty();
  p.Map(retracted ? 24 : 23);
  p.Str("analyst");
  p.Str(r.analyst);
  p.Str("at");
  p.Str(r.recorded_at);
  p.Str("basis");
  p.Str(r.basis);
  p.Str("cred");
  p.Int(r.credibility);
  p.Str("dat");
  p.Str(r.decided_at);
  p.Str("dby");
  p.Str(r.decided_by);
  p.Str("id");
  p.UInt(r.id);
  p.Str("key");
  p.Str(r.key);
  p.Str("loc");
  p.Map(5);
  p.Str("a");
  p.Int(r.locator.start);
  p.Str("b");
  p.Int(r.locator.end);
  p.Str("p");
  p.Int(r.locator.paragraph);
  p.Str("pg");
  p.Str(r.locator.page);
  p.Str("s");
  p.Str(r.locator.section);
  p.Str("mark");
  p.Int(static_cast<int>(r.marking));
  p.Str("mod");
  p.Int(static_cast<int>(r.modality));
  p.Str("para");
  p.Bool(r.paraphrase);
  p.Str("quote");
  p.Str(r.quote);
  p.Str("rel");
  p.Str(r.reliability);
  if (retracted) {
    p.Str("ret");
    p.Str(r.retracted_at);
  }
  p.Str("rep");
  optional(r.replaceability);
  p.Str("src");
  p.UInt(r.source);
  p.Str("st");
  p.Int(static_cast<int>(r.status));
  p.Str("stance");
  p.Int(static_cast<int>(r.stance));
  p.Str("str");
  optional(r.strength);
  p.Str("t");
  p.UInt(r.target);
  p.Str("tk");
  p.Str(std::string_view(reinterpret_cast<const char*>(&r.target_kind), 1));
  p.Str("vf");
  p.Str(r.valid_from);
  p.Str("vt");
  p.Str(r.valid_to);
  return p.Take();
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
        r->retracted_at = j.value("ret", "");
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
               {"at0", r.first_ingested_at},
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
        r->first_ingested_at = j.value("at0", "");
        r->file = j.at("file").get<std::string>();
        r->props = j.at("props");
      },
      "source");
}

std::string EncodeObservation(const ObservationRecord& r) {
  Packer p(96 + r.metric.size() + r.unit.size());
  p.Map(9);
  p.Str("hi");
  p.Float(r.high);
  p.Str("id");
  p.UInt(r.id);
  p.Str("lo");
  p.Float(r.low);
  p.Str("metric");
  p.Str(r.metric);
  p.Str("obj");
  p.UInt(r.object);
  p.Str("period");
  p.Str(r.period);
  p.Str("src");
  p.UInt(r.source);
  p.Str("subj");
  p.UInt(r.subject);
  p.Str("unit");
  p.Str(r.unit);
  return p.Take();
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
