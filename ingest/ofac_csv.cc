// sdn.csv as bytes: gunzipped when it comes as .gz, then split into its
// twelve-column records. The published files are ASCII with CR LF endings,
// "-0- " for a null and a last line holding only 0x1A; anything else that
// is not a record is refused with its place, before anything is written.
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "ingest/ingest.h"
#include "ingest/ofac_reader.h"

namespace sinew::ingest::ofac {
namespace {

constexpr size_t kMaxText = 256ull << 20;
constexpr int kColumns = 12;

std::string Hex(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

// Splits one line into fields; `columns` gets each field's 1-based column.
Status SplitRecord(std::string_view line, const std::string& file, int line_no,
                   std::vector<std::string>* fields, std::vector<size_t>* starts,
                   std::vector<bool>* quoted) {
  auto place = [&](size_t i) { return SourcePlace{file, line_no, static_cast<int>(i) + 1, ""}; };
  size_t i = 0;
  while (true) {
    std::string field;
    starts->push_back(i);
    if (i < line.size() && line[i] == '"') {
      size_t open = i++;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field.push_back(line[i++]);
      }
      if (!closed)
        return Status::Invalid("a quote opened here is never closed on this line", place(open));
      if (i < line.size() && line[i] != ',')
        return Status::Invalid("text after a closing quote (a field is \"...\" or unquoted)",
                               place(i));
      quoted->push_back(true);
    } else {
      while (i < line.size() && line[i] != ',') {
        if (line[i] == '"') return Status::Invalid("a quote inside an unquoted field", place(i));
        field.push_back(line[i++]);
      }
      quoted->push_back(false);
    }
    fields->push_back(std::move(field));
    if (i >= line.size()) break;
    ++i;  // the comma
    if (fields->size() == kColumns)
      return Status::Invalid("more than 12 fields (the SDN list has 12 columns)", place(i));
  }
  if (fields->size() != kColumns)
    return Status::Invalid(std::to_string(fields->size()) +
                               " fields; the SDN list has 12 columns (ent_num, name, type, "
                               "programme, title, call sign, vessel type, tonnage, GRT, flag, "
                               "owner, remarks)",
                           place(line.size()));
  return Status::Ok();
}

}  // namespace

Result<std::string> Gunzip(std::string_view bytes, const std::string& file) {
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x1F ||
      static_cast<unsigned char>(bytes[1]) != 0x8B)
    return std::string(bytes);
  SourcePlace place{file, 0, 0, ""};
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    return Status::Invalid("cannot start gunzip", place);
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (true) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > kMaxText) {
      inflateEnd(&z);
      return Status::Invalid("unpacks to more than the 256 MiB sinew reads", place);
    }
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      inflateReset(&z);  // another gzip member follows
      continue;
    }
    if (z.avail_in == 0 && z.avail_out != 0) break;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END)
    return Status::Invalid("not a complete gzip file (corrupt or cut short)", place);
  // Callers may unpack what they were given again (a list read from a file
  // reaches the reader unpacked): a file gzipped twice is refused here
  // rather than unpacked once by one and again by the other.
  if (out.size() >= 2 && static_cast<unsigned char>(out[0]) == 0x1F &&
      static_cast<unsigned char>(out[1]) == 0x8B)
    return Status::Invalid("unpacks to another gzip file (gzipped twice?); sinew unpacks one layer",
                           place);
  return out;
}

// The store's limit on one quote (store/plan.h, kMaxQuoteBytes).
constexpr size_t kMaxLineBytes = 65536;

Result<std::vector<Row>> ParseSdnCsv(std::string_view text, const std::string& file) {
  std::vector<Row> rows;
  std::unordered_map<int64_t, int> seen;  // ent_num -> line
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    ++line_no;
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // Every claim of an entry quotes its whole line: a line longer than one
    // quote may be (the longest real one is 1,132 bytes) is refused here,
    // before each of its programmes copies it.
    if (line.size() > kMaxLineBytes)
      return Status::Invalid("line of " + std::to_string(line.size()) +
                                 " bytes; an SDN record is at most " +
                                 std::to_string(kMaxLineBytes),
                             SourcePlace{file, line_no, 1, ""});
    // The DOS end-of-file mark closes the published files: not an entry.
    if (line == "\x1A" && next >= text.size()) break;
    for (size_t i = 0; i < line.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      SourcePlace p{file, line_no, static_cast<int>(i) + 1, ""};
      if (c > 0x7F) return Status::Invalid("byte " + Hex(c) + ": the SDN list is ASCII", p);
      if (c < 0x20 || c == 0x7F)
        return Status::Invalid(
            "control byte " + Hex(c) + " (only the closing 0x1A line may hold one)", p);
    }
    if (line.empty()) {
      pos = next;
      continue;
    }
    std::vector<std::string> f;
    std::vector<size_t> starts;
    std::vector<bool> quoted;
    SINEW_RETURN_IF_ERROR(SplitRecord(line, file, line_no, &f, &starts, &quoted));
    SourcePlace at{file, line_no, 1, ""};
    const std::string& num = f[0];
    bool digits = !num.empty() && num.size() <= 12 && num[0] != '0';
    for (char c : num) digits = digits && c >= '0' && c <= '9';
    if (!digits)
      return Status::Invalid("ent_num '" + Excerpt(num, 40) + "' is not a whole number", at);
    Row r;
    r.ent_num = std::stoll(num);
    if (auto [it, fresh] = seen.emplace(r.ent_num, line_no); !fresh)
      return Status::Invalid(
          "ent_num " + num + " appears twice (first on line " + std::to_string(it->second) + ")",
          at);
    r.line = line_no;
    r.offset = pos;
    r.length = line.size();
    // Claims quote the flag, owner and remarks by offsets into the line: a
    // doubled quote there would shift every offset after it (none of the
    // real files has one), so it is refused rather than misquoted.
    for (int k : {9, 10, 11}) {
      size_t end = k + 1 < kColumns ? starts[k + 1] - 1 : line.size();
      size_t raw = end - starts[k] - (quoted[k] ? 2 : 0);
      if (raw == f[k].size()) continue;
      size_t at = line.find("\"\"", starts[k] + 1);
      return Status::Invalid(
          "a doubled quote (\"\") in the " +
              std::string(k == 9    ? "flag"
                          : k == 10 ? "owner"
                                    : "remarks") +
              " field: its claims quote the line by offsets, which an escape would shift",
          SourcePlace{file, line_no, static_cast<int>(at) + 1, ""});
    }
    for (int k = 1; k < kColumns; ++k)
      if (!quoted[k] && f[k] == "-0- ") f[k].clear();
    std::string* cols[] = {&r.name,      &r.sdn_type,    &r.program, &r.title,
                           &r.call_sign, &r.vessel_type, &r.tonnage, &r.grt,
                           &r.flag,      &r.owner,       &r.remarks};
    for (int k = 1; k < kColumns; ++k) *cols[k - 1] = std::move(f[k]);
    r.remarks_offset = pos + starts[11] + (quoted[11] ? 1 : 0);
    r.flag_offset = pos + starts[9] + (quoted[9] ? 1 : 0);
    r.owner_offset = pos + starts[10] + (quoted[10] ? 1 : 0);
    if (r.name.empty())
      return Status::Invalid("entry " + num + " has no name",
                             SourcePlace{file, line_no, static_cast<int>(starts[1]) + 1, ""});
    // Several programmes are joined by "] [" without the outer brackets.
    for (size_t s = 0; s <= r.program.size();) {
      size_t e = r.program.find("] [", s);
      if (e == std::string::npos) e = r.program.size();
      std::string code = r.program.substr(s, e - s);
      while (!code.empty() && (code.front() == ' ' || code.front() == '[')) code.erase(0, 1);
      while (!code.empty() && (code.back() == ' ' || code.back() == ']')) code.pop_back();
      if (!code.empty()) r.programs.push_back(code);
      s = e + 3;
    }
    // "[]" or "] [" name no programme: an entry listed under none.
    if (r.programs.empty())
      return Status::Invalid("entry " + num + " has no programme",
                             SourcePlace{file, line_no, static_cast<int>(starts[3]) + 1, ""});
    rows.push_back(std::move(r));
    pos = next;
  }
  if (rows.empty())
    return Status::Invalid("no entries: not an SDN list (sdn.csv)", SourcePlace{file, 0, 0, ""});
  return rows;
}

}  // namespace sinew::ingest::ofac

namespace sinew::ingest {

Result<std::string> ReadListFile(const std::string& path) {
  namespace fs = std::filesystem;
  SourcePlace place{path, 0, 0, ""};
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::Invalid("no such file", place);
  if (!fs::is_regular_file(path, ec))
    return Status::Invalid("not a regular file (a list is a .csv or .csv.gz file)", place);
  if (fs::file_size(path, ec) > (256ull << 20))
    return Status::Invalid("file is larger than the 256 MiB sinew reads", place);
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Invalid("cannot open for reading", place);
  std::ostringstream buf;
  buf << in.rdbuf();
  return ofac::Gunzip(buf.str(), path);
}

std::string SnapshotDateOfName(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  if (name.rfind("sdn-", 0) != 0 || name.size() < 18) return "";
  std::string rest = name.substr(14);
  if (rest != ".csv" && rest != ".csv.gz") return "";
  std::string date = name.substr(4, 10);
  Result<FuzzyDate> d = ParseDate(date);
  return d.ok() && d->lo == d->hi ? date : "";
}

}  // namespace sinew::ingest
