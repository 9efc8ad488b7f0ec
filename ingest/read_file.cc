#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/ingest.h"
#include "ingest/text.h"

namespace sinew::ingest {
namespace {

constexpr uintmax_t kMaxFileBytes = 256ull << 20;

// SHA-256 (FIPS 180-4), for content hashes of ingested files.
class Sha256 {
 public:
  void Update(std::string_view data) {
    for (unsigned char c : data) {
      block_[fill_++] = c;
      if (fill_ == 64) {
        Compress();
        fill_ = 0;
      }
    }
    bits_ += static_cast<uint64_t>(data.size()) * 8;
  }
  std::string HexDigest() {
    uint64_t bits = bits_;
    block_[fill_++] = 0x80;
    if (fill_ > 56) {
      while (fill_ < 64) block_[fill_++] = 0;
      Compress();
      fill_ = 0;
    }
    while (fill_ < 56) block_[fill_++] = 0;
    for (int i = 7; i >= 0; --i) block_[fill_++] = static_cast<uint8_t>(bits >> (i * 8));
    Compress();
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (uint32_t w : h_)
      for (int i = 28; i >= 0; i -= 4) out.push_back(kHex[(w >> i) & 15]);
    return out;
  }

 private:
  static uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
  void Compress() {
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = (uint32_t{block_[i * 4]} << 24) | (uint32_t{block_[i * 4 + 1]} << 16) |
             (uint32_t{block_[i * 4 + 2]} << 8) | block_[i * 4 + 3];
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t t1 =
          h + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      uint32_t t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h_[0] += a;
    h_[1] += b;
    h_[2] += c;
    h_[3] += d;
    h_[4] += e;
    h_[5] += f;
    h_[6] += g;
    h_[7] += h;
  }

  std::array<uint32_t, 8> h_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::array<uint8_t, 64> block_{};
  size_t fill_ = 0;
  uint64_t bits_ = 0;
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<std::string> ReadBytes(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  SourcePlace place;
  place.file = path;
  if (!fs::exists(path, ec)) return Status::Invalid("no such file", place);
  if (fs::is_directory(path, ec)) return Status::Invalid("is a directory, not a file", place);
  if (!fs::is_regular_file(path, ec))
    return Status::Invalid("not a regular file (a device, pipe or socket cannot be read as one)",
                           place);
  uintmax_t size = fs::file_size(path, ec);
  if (ec) return Status::Invalid("cannot read: " + ec.message(), place);
  if (size > kMaxFileBytes)
    return Status::Invalid("file is larger than the 256 MiB sinew reads", place);
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Invalid("cannot open for reading", place);
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string bytes = buf.str();
  // Every input is UTF-8 text: UTF-16 and UTF-32 are named as such (rather
  // than failing as odd JSON or a missing column), a NUL byte stops the
  // read where it is (not silently, after it), a UTF-8 byte order mark is
  // dropped.
  auto starts = [&](const char* bom, size_t n) { return bytes.compare(0, n, bom, n) == 0; };
  if (starts("\xFF\xFE\x00\x00", 4) || starts("\x00\x00\xFE\xFF", 4))
    return Status::Invalid("UTF-32 text: sinew reads UTF-8 (convert it, e.g. iconv -f UTF-32 -t UTF-8)",
                           place);
  if (starts("\xFF\xFE", 2) || starts("\xFE\xFF", 2) ||
      (bytes.size() >= 2 && (bytes[0] == 0) != (bytes[1] == 0)))
    return Status::Invalid("UTF-16 text: sinew reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)",
                           place);
  if (starts("\xEF\xBB\xBF", 3)) bytes.erase(0, 3);
  if (size_t nul = bytes.find('\0'); nul != std::string::npos) {
    place.line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < nul; ++i)
      if (bytes[i] == '\n') {
        ++place.line;
        line_start = i + 1;
      }
    place.column = 1;
    for (size_t i = line_start; i < nul; ++i)
      if ((static_cast<unsigned char>(bytes[i]) & 0xC0) != 0x80) ++place.column;
    return Status::Invalid("a NUL byte: this is a binary file, not text sinew reads", place);
  }
  return bytes;
}

std::string ContentHash(std::string_view bytes) {
  Sha256 h;
  h.Update(bytes);
  return h.HexDigest();
}

NoteReading ReadFileLeniently(const std::string& path) {
  NoteReading out;
  if (Lower(std::filesystem::path(path).extension().string()) != ".json") {
    Result<Batch> b = ReadFile(path);
    if (b.ok())
      out.batch = std::move(b).value();
    else
      out.errors = b.status();
    return out;
  }
  Result<std::string> bytes = ReadBytes(path);
  if (!bytes.ok()) {
    out.errors = bytes.status();
    return out;
  }
  return ReadJsonNoteLeniently(bytes.value(), path);
}

Status JsonSyntaxError(const nlohmann::json::exception& e, std::string_view text, SourcePlace place,
                       const std::string& what) {
  // Only a syntax error knows its byte; a number too large for a double
  // (out_of_range) is reported at the start of the text.
  const auto* syntax = dynamic_cast<const nlohmann::json::parse_error*>(&e);
  size_t byte = syntax ? syntax->byte : 0;
  size_t at = std::min<size_t>(byte > 0 ? byte - 1 : 0, text.size());
  int line = place.line > 0 ? place.line : 1, column = place.column > 0 ? place.column - 1 : 0;
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 0;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  place.line = line;
  place.column = column + 1;
  std::string why = e.what();
  size_t colon = why.find(": ", why.find("column"));
  if (why.find("column") != std::string::npos && colon != std::string::npos)
    why = why.substr(colon + 2);
  else if (why.rfind("[json.exception.", 0) == 0 && why.find("] ") != std::string::npos)
    why = why.substr(why.find("] ") + 2);
  return Status::Invalid(what + ": " + why, place);
}

bool ReadsAgainstStore(const std::string& path) {
  std::string ext = Lower(std::filesystem::path(path).extension().string());
  std::error_code ec;
  // Sniff only regular files: a pipe would block the read forever (the
  // reader then refuses it by name).
  if (ext == ".json" && !std::filesystem::is_regular_file(path, ec)) return false;
  if (ext == ".json") {
    std::ifstream in(path, std::ios::binary);
    char head[4096];
    in.read(head, sizeof head);
    return LooksLikeStix(std::string_view(head, static_cast<size_t>(in.gcount())));
  }
  return ext == ".md" || ext == ".markdown" || ext == ".txt" || ext == ".csv" || ext == ".jsonl";
}

Status SourceFromJson(const nlohmann::json& j, const char* kind_key, SourceRecord* s) {
  auto text = [&](const char* key) -> Result<std::string> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::string();
    if (!it->is_string()) return Status::Invalid(std::string("\"") + key + "\" must be a string");
    return it->get<std::string>();
  };
  struct Field {
    const char* key;
    std::string* to;
  };
  for (Field f :
       {Field{"id", &s->slug}, Field{"title", &s->title}, Field{"publisher", &s->publisher},
        Field{"published", &s->published}, Field{"url", &s->url}, Field{kind_key, &s->kind},
        Field{"reliability", &s->reliability}, Field{"text", &s->text}}) {
    Result<std::string> v = text(f.key);
    if (!v.ok()) return v.status();
    *f.to = std::move(v).value();
  }
  if (s->slug.empty()) return Status::Invalid("a source needs an \"id\"");
  if (auto a = j.find("authors"); a != j.end() && a->is_array())
    for (const auto& v : *a)
      if (v.is_string()) s->authors.push_back(v);
  if (auto p = j.find("props"); p != j.end() && p->is_object()) s->props = *p;
  // Every exported source carries its marking: one without is not read as
  // CLEAR but refused.
  Result<std::string> marking = text("marking");
  if (!marking.ok()) return marking.status();
  if (!j.contains("marking")) return Status::Invalid("the source has no \"marking\"");
  Result<Marking> m = ParseMarking(marking.value());
  if (!m.ok()) return m.status();
  s->marking = m.value();
  return Status::Ok();
}

std::vector<Batch> KeepNewSources(std::vector<Batch> first, std::vector<Batch> full,
                                  const StoreView& view) {
  std::vector<Batch> out;
  std::vector<std::string> kept;
  for (Batch& b : first)
    if (!view.SourceBySlug(b.source.slug, false).ok()) out.push_back(std::move(b));
  for (Batch& b : full) {
    if (view.SourceBySlug(b.source.slug, false).ok())
      kept.push_back(b.source.slug);
    else
      out.push_back(std::move(b));
  }
  if (!out.empty() && !kept.empty()) {
    std::string line = std::to_string(kept.size()) +
                       " sources already in the store, kept as they are (an export never "
                       "replaces a source; re-ingest its own file to revise it):";
    for (const auto& k : kept) line += " " + k;
    out.back().notes.push_back(line);
  }
  return out;
}

Result<std::vector<Batch>> ReadFileBatches(const std::string& path, const TextContext* text) {
  std::string ext = Lower(std::filesystem::path(path).extension().string());
  if (ext == ".jsonl" || ext == ".json") {
    SourcePlace place;
    place.file = path;
    Result<std::string> bytes = ReadBytes(path);
    if (!bytes.ok()) return bytes.status();
    bool stix = ext == ".json" && LooksLikeStix(bytes.value());
    if (ext == ".jsonl" || stix) {
      if (text == nullptr || text->view == nullptr)
        return Status::Invalid("internal: an export must be read against a store", place);
      if (ext == ".jsonl") return ReadJsonLines(bytes.value(), path, *text->view);
      return ReadStixSources(bytes.value(), path, text->stix_mapping_text, text->stix_mapping_file,
                             *text->view, /*split=*/true);
    }
    Result<Batch> note = ReadJsonNote(bytes.value(), path);  // read once, not again by ReadFile
    if (!note.ok()) return note.status();
    std::vector<Batch> out;
    out.push_back(std::move(note).value());
    return out;
  }
  Result<Batch> b = ReadFile(path, text);
  if (!b.ok()) return b.status();
  std::vector<Batch> out;
  out.push_back(std::move(b).value());
  return out;
}

Result<Batch> ReadFile(const std::string& path, const TextContext* text) {
  namespace fs = std::filesystem;
  SourcePlace place;
  place.file = path;
  Result<std::string> read = ReadBytes(path);
  if (!read.ok()) return read.status();
  const std::string& bytes = read.value();
  std::string ext = Lower(fs::path(path).extension().string());
  if (ext == ".json" && LooksLikeStix(bytes)) {
    if (text == nullptr || text->view == nullptr || text->stix_mapping_text.empty())
      return Status::Invalid("internal: a STIX bundle must be read against a store", place);
    return ReadStix(bytes, path, text->stix_mapping_text, text->stix_mapping_file, *text->view);
  }
  if (ext == ".json") return ReadJsonNote(bytes, path);
  if (ext == ".csv") {
    if (text == nullptr || text->view == nullptr || text->mapping_text.empty())
      return Status::Invalid(
          "a .csv table needs a mapping file: ingest FILE.csv --mapping MAP.json", place);
    return ReadCsvTable(bytes, path, text->mapping_text, text->mapping_file, *text->view);
  }
  if (ReadsAgainstStore(path)) {
    if (text == nullptr || text->view == nullptr)
      return Status::Invalid("internal: a text note must be read against a store", place);
    return ReadTextNote(bytes, path, *text->view, text->rules_text, text->rules_file);
  }
  return Status::Invalid("cannot ingest '" + ext +
                             "' files: notes are .json (structured or STIX 2.1), .md or .txt "
                             "(prose), .csv with --mapping, or .jsonl exports; see docs/formats.md",
                         place);
}

}  // namespace sinew::ingest
