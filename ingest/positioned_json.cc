#include "ingest/positioned_json.h"

#include <algorithm>
#include <iterator>

namespace sinew::ingest {
namespace {

using nlohmann::json;

// An input iterator that tells the parser's consumer how far it has read.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* p, const char* base, size_t* consumed)
      : p_(p), base_(base), consumed_(consumed) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    ++p_;
    *consumed_ = static_cast<size_t>(p_ - base_);
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& o) const { return p_ == o.p_; }
  bool operator!=(const CountingIterator& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  const char* base_;
  size_t* consumed_;
};

std::string EscapePointerToken(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out.push_back(c);
  }
  return out;
}

// Builds the DOM and records the byte offset where each value starts.
class PlaceRecorder : public nlohmann::json_sax<json> {
 public:
  PlaceRecorder(std::string_view text, const size_t* consumed, int max_depth, json* root,
                std::map<std::string, size_t>* offsets)
      : text_(text), consumed_(consumed), max_depth_(max_depth), root_(root), offsets_(offsets) {}

  bool null() override { return Value(json()); }
  bool boolean(bool v) override { return Value(json(v)); }
  bool number_integer(number_integer_t v) override { return Value(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Value(json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Value(json(v)); }
  bool string(string_t& v) override { return Value(json(std::move(v))); }
  bool binary(binary_t&) override { return Fail(TokenStart(), "binary values are not JSON"); }
  bool start_object(std::size_t) override { return Open(json::object()); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }
  bool key(string_t& k) override {
    size_t at = TokenStart();
    Frame& f = stack_.back();
    if (f.node->contains(k)) return Fail(at, "duplicate key \"" + k + "\"");
    f.key = k;
    last_end_ = *consumed_;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    std::string what = ex.what();
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
    size_t column = what.find("column");
    size_t colon = column == std::string::npos ? std::string::npos : what.find(": ", column);
    error_ = colon == std::string::npos ? what : what.substr(colon + 2);
    // Other kinds ("[json.exception.out_of_range.406] number overflow ..."):
    // drop the library's tag, keep its words.
    if (error_.rfind("[json.exception.", 0) == 0 && error_.find("] ") != std::string::npos)
      error_ = error_.substr(error_.find("] ") + 2);
    error_offset_ = position > 0 ? position - 1 : 0;
    return false;
  }

  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_offset_; }

 private:
  struct Frame {
    json* node;
    std::string pointer;
    std::string key;
    size_t index = 0;
  };

  // The value's first byte: skip what separates it from the previous token.
  size_t TokenStart() const {
    size_t i = std::min(last_end_, text_.size());
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' ||
                                text_[i] == '\r' || text_[i] == ',' || text_[i] == ':'))
      ++i;
    return i;
  }

  bool Fail(size_t at, std::string msg) {
    error_ = std::move(msg);
    error_offset_ = at;
    return false;
  }

  // Places `v` in the current container; returns it.
  json* Place(json v, size_t at) {
    std::string ptr;
    json* slot;
    if (stack_.empty()) {
      *root_ = std::move(v);
      slot = root_;
    } else {
      Frame& f = stack_.back();
      if (f.node->is_object()) {
        ptr = f.pointer + "/" + EscapePointerToken(f.key);
        slot = &(*f.node)[f.key];
        *slot = std::move(v);
      } else {
        ptr = f.pointer + "/" + std::to_string(f.index++);
        f.node->push_back(std::move(v));
        slot = &f.node->back();
      }
    }
    (*offsets_)[ptr] = at;
    current_pointer_ = ptr;
    return slot;
  }

  bool Value(json v) {
    Place(std::move(v), TokenStart());
    last_end_ = *consumed_;
    return true;
  }

  bool Open(json v) {
    size_t at = TokenStart();
    if (static_cast<int>(stack_.size()) >= max_depth_)
      return Fail(at, "nesting deeper than " + std::to_string(max_depth_) + " levels");
    json* slot = Place(std::move(v), at);
    stack_.push_back(Frame{slot, current_pointer_, "", 0});
    last_end_ = *consumed_;
    return true;
  }

  bool Close() {
    stack_.pop_back();
    last_end_ = *consumed_;
    return true;
  }

  std::string_view text_;
  const size_t* consumed_;
  int max_depth_;
  json* root_;
  std::map<std::string, size_t>* offsets_;
  std::vector<Frame> stack_;
  std::string current_pointer_;
  size_t last_end_ = 0;
  std::string error_;
  size_t error_offset_ = 0;
};

}  // namespace

Result<PositionedJson> PositionedJson::Parse(std::string_view text, const std::string& file,
                                             int max_depth) {
  PositionedJson out;
  out.file_ = file;
  out.text_ = std::string(text);
  out.line_starts_.push_back(0);
  uint32_t cps = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i % kStride == 0) out.code_points_.push_back(cps);
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++cps;
    if (text[i] == '\n') out.line_starts_.push_back(i + 1);
  }
  size_t consumed = 0;
  PlaceRecorder rec(out.text_, &consumed, max_depth, &out.root_, &out.offsets_);
  const char* b = out.text_.data();
  const char* e = b + out.text_.size();
  bool ok = false;
  try {
    ok =
        json::sax_parse(CountingIterator(b, b, &consumed), CountingIterator(e, b, &consumed), &rec);
  } catch (const json::exception& ex) {
    return Status::Invalid(std::string("not valid JSON: ") + ex.what(), out.AtOffset(consumed));
  }
  if (!ok) return Status::Invalid(rec.error(), out.AtOffset(rec.error_offset()));
  return out;
}

SourcePlace PositionedJson::AtOffset(size_t offset, const std::string& pointer) const {
  SourcePlace p;
  p.file = file_;
  p.pointer = pointer;
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  size_t line = static_cast<size_t>(it - line_starts_.begin());
  size_t start = line_starts_[line - 1];
  // Code points before a byte: from the nearest mark at or before it.
  auto before = [&](size_t at) {
    size_t mark = at / kStride;
    uint64_t n = mark < code_points_.size() ? code_points_[mark] : 0;
    for (size_t i = mark * kStride; i < at; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++n;
    return n;
  };
  p.line = static_cast<int>(line);
  p.column = static_cast<int>(before(offset) - before(start) + 1);
  return p;
}

SourcePlace PositionedJson::At(const std::string& pointer) const {
  std::string ptr = pointer;
  while (true) {
    auto it = offsets_.find(ptr);
    if (it != offsets_.end()) return AtOffset(it->second, pointer);
    size_t slash = ptr.rfind('/');
    if (slash == std::string::npos) break;
    ptr = ptr.substr(0, slash);
  }
  SourcePlace p;
  p.file = file_;
  p.pointer = pointer;
  return p;
}

}  // namespace sinew::ingest
