#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/common.h"
#include "ingest/ingest.h"

namespace sinew::ingest {
namespace {

constexpr uintmax_t kMaxFileBytes = 256ull << 20;

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
    return Status::Invalid(
        "UTF-32 text: sinew reads UTF-8 (convert it, e.g. iconv -f UTF-32 -t UTF-8)", place);
  if (starts("\xFF\xFE", 2) || starts("\xFE\xFF", 2) ||
      (bytes.size() >= 2 && (bytes[0] == 0) != (bytes[1] == 0)))
    return Status::Invalid(
        "UTF-16 text: sinew reads UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8)", place);
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
  if (ext == ".gz")  // a gzipped table (read with a mapping)
    return Lower(std::filesystem::path(path).stem().extension().string()) == ".csv";
  return ext == ".md" || ext == ".markdown" || ext == ".txt" || ext == ".csv" || ext == ".jsonl";
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
  // The OFAC SDN list has its own reader; say so rather than "binary file"
  // (.gz) or "needs a mapping" (.csv).
  std::string name = Lower(fs::path(path).filename().string());
  std::string last = Lower(fs::path(path).extension().string());
  bool mapped = text != nullptr && !text->mapping_text.empty();
  if (name.rfind("sdn", 0) == 0 && !mapped && (last == ".gz" || last == ".csv"))
    return Status::Invalid(
        "this looks like the OFAC SDN list: ingest it with --list ofac-sdn [--snapshot DATE]",
        place);
  // A table read through a mapping may come gzipped (as lists are published).
  if (last == ".gz" && mapped && Lower(fs::path(path).stem().extension().string()) == ".csv") {
    if (text->view == nullptr) return Status::Invalid("internal: no store to read against", place);
    Result<std::string> plain = ReadListFile(path);
    if (!plain.ok()) return plain.status();
    return ReadCsvTable(plain.value(), path, text->mapping_text, text->mapping_file, *text->view);
  }
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
