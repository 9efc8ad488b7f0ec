// Status and Result<T>: how every layer of sinew reports expected failures.
// A Status is a code plus a message and, for data errors, the place (file,
// line, column or JSON pointer) where the problem sits. OK costs nothing.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sinew {

// Where in an input a problem was found. Empty file means "no place".
struct SourcePlace {
  std::string file;
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string pointer;  // JSON pointer or field name, when known
};

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalid,
    kNotFound,
    kBusy,
    kIo,
    kCorruption,
    kUsage,
    kCancelled,
    kPermissionDenied
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string msg, SourcePlace place = {}) {
    return Status(Code::kInvalid, std::move(msg), std::move(place));
  }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg), {}); }
  static Status Busy(std::string msg) { return Status(Code::kBusy, std::move(msg), {}); }
  static Status Io(std::string msg) { return Status(Code::kIo, std::move(msg), {}); }
  static Status Corruption(std::string msg) {
    return Status(Code::kCorruption, std::move(msg), {});
  }
  static Status Usage(std::string msg) { return Status(Code::kUsage, std::move(msg), {}); }
  static Status Cancelled(std::string msg = "cancelled") {
    return Status(Code::kCancelled, std::move(msg), {});
  }
  // Asked for more than the asker may see (a clearance above the server's).
  static Status PermissionDenied(std::string msg) {
    return Status(Code::kPermissionDenied, std::move(msg), {});
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const SourcePlace& place() const { return place_; }

  // "file:line:column: message (at /pointer)" or just the message, then one
  // line for each further error gathered with Combine().
  std::string ToString() const;
  // Further errors beyond the first, each already formatted.
  const std::vector<std::string>& more() const { return more_; }
  // The first error with its place, carrying the others as further lines.
  static Status Combine(const std::vector<Status>& errors);

 private:
  Status(Code code, std::string msg, SourcePlace place)
      : code_(code), message_(std::move(msg)), place_(std::move(place)) {}
  Code code_ = Code::kOk;
  std::string message_;
  SourcePlace place_;
  std::vector<std::string> more_;
};

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok());
  }
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

#define SINEW_RETURN_IF_ERROR(expr) \
  do {                              \
    ::sinew::Status _st = (expr);   \
    if (!_st.ok()) return _st;      \
  } while (0)

}  // namespace sinew
