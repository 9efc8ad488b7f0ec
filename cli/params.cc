#include "cli/params.h"

#include <charconv>
#include <cmath>

namespace sinew::cli::params {
namespace {

Status Bad(const std::string& name, const std::string& v, const std::string& why) {
  return Status::Usage("--" + name + ": '" + Excerpt(v, 60) + "' " + why);
}

// Each kind of value, parsed whole or refused.
Status ParseNumber(const std::string& name, const std::string& v, double* out) {
  double x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !std::isfinite(x))
    return Bad(name, v, "is not a number");
  *out = x;
  return Status::Ok();
}

Status ParseBool(const std::string& name, const std::string& v, bool* out) {
  if (v.empty() || v == "true" || v == "1" || v == "yes" || v == "on") {
    *out = true;
  } else if (v == "false" || v == "0" || v == "no" || v == "off") {
    *out = false;
  } else {
    return Bad(name, v, "is not true or false");
  }
  return Status::Ok();
}

}  // namespace

Status ParseInt(const std::string& name, const std::string& v, long lo, long hi, long* out) {
  long x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size())
    return Bad(name, v, "is not a whole number");
  if (x < lo || x > hi)
    return Bad(name, v,
               "is out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + ")");
  *out = x;
  return Status::Ok();
}

Param Base(Kind kind, std::string name, std::string help, bool api) {
  Param p;
  p.kind = kind;
  p.name = name;
  p.help = std::move(help);
  if (api) {
    for (char& c : name)
      if (c == '-') c = '_';
    p.api = std::move(name);
  }
  return p;
}

Param Text(Kind kind, std::string name, std::string help, TextField field, bool api) {
  Param p = Base(kind, std::move(name), std::move(help), api);
  p.type_name = "TEXT";
  p.set = [field](Invocation& inv, const Values& v) {
    field(inv) = v.empty() ? "" : v.back();
    return Status::Ok();
  };
  return p;
}

Param Choice(std::string name, std::string help, TextField field, Values choices, bool api) {
  Param p = Base(Kind::kOption, name, std::move(help), api);
  p.type_name = "TEXT";
  p.set = [field, name, choices](Invocation& inv, const Values& v) {
    const std::string& x = v.empty() ? "" : v.back();
    for (const auto& c : choices)
      if (x == c) {
        field(inv) = x;
        return Status::Ok();
      }
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    return Bad(name, x, "is not one of " + list);
  };
  return p;
}

Param Texts(Kind kind, std::string name, std::string help, TextsField field, bool api) {
  Param p = Base(kind, std::move(name), std::move(help), api);
  p.type_name = "TEXT";
  p.values = -1;
  p.set = [field](Invocation& inv, const Values& v) {
    field(inv) = v;
    return Status::Ok();
  };
  return p;
}

Param Int(std::string name, std::string help, IntField field, long lo, long hi, bool api) {
  Param p = Base(Kind::kOption, name, std::move(help), api);
  p.type_name = "INT";
  p.set = [field, name, lo, hi](Invocation& inv, const Values& v) {
    long x = 0;
    SINEW_RETURN_IF_ERROR(ParseInt(name, v.empty() ? "" : v.back(), lo, hi, &x));
    field(inv) = static_cast<int>(x);
    return Status::Ok();
  };
  return p;
}

Param Number(std::string name, std::string help, NumberField field, bool api) {
  Param p = Base(Kind::kOption, name, std::move(help), api);
  p.type_name = "NUMBER";
  p.set = [field, name](Invocation& inv, const Values& v) {
    return ParseNumber(name, v.empty() ? "" : v.back(), &field(inv));
  };
  return p;
}

Param Flag(std::string name, std::string help, FlagField field, bool api) {
  Param p = Base(Kind::kFlag, name, std::move(help), api);
  p.set = [field, name](Invocation& inv, const Values& v) {
    return ParseBool(name, v.empty() ? "" : v.back(), &field(inv));
  };
  return p;
}

Param Required(Param p) {
  p.required = true;
  return p;
}
Param Alias(Param p, std::string alias) {
  p.alias = std::move(alias);
  return p;
}
Param ApiName(Param p, std::string api) {
  p.api = std::move(api);
  return p;
}

// Output settings: the API always answers JSON in the response, so neither
// is an API parameter.
Param FormatParam(const char* help) {
  return Text(
      Kind::kOption, "format", help, [](Invocation & i) -> auto& { return i.ctx.format; }, false);
}
Param OutputParam() {
  return Alias(Text(
                   Kind::kOption, "output", "Write the answer to this file (- for standard output)",
                   [](Invocation & i) -> auto& { return i.ctx.output; }, false),
               "-o");
}

std::vector<Param> Clearance() {
  return {
      Text(
          Kind::kOption, "clearance",
          "Show nothing marked above this TLP (clear, green, amber, amber+strict, red)",
          [](Invocation & i) -> auto& { return i.ctx.clearance; }),
      Text(
          Kind::kOption, "known-at", "Only what the store held on this date",
          [](Invocation & i) -> auto& { return i.ctx.known_at; }),
  };
}

// The filters every question takes, then the output settings.
std::vector<Param> Filters() {
  std::vector<Param> p = {
      Texts(
          Kind::kOption, "domain", "Only links in this domain (repeatable)",
          [](Invocation & i) -> auto& { return i.ctx.domains; }),
      Text(
          Kind::kOption, "as-of", "Only links valid at this date (2014, 2021-09; default today)",
          [](Invocation & i) -> auto& { return i.ctx.as_of; }),
      Flag(
          "all-time",
          "Every link that ever held, not only those valid today (a chain's links must still "
          "have held together)",
          [](Invocation & i) -> auto& { return i.ctx.all_time; }),
      Number(
          "min-confidence", "Only links at least this confident",
          [](Invocation & i) -> auto& { return i.ctx.min_confidence; }),
      Flag(
          "include-proposed", "Also links awaiting review",
          [](Invocation & i) -> auto& { return i.ctx.include_proposed; }),
      Flag(
          "include-scenarios", "Also projected and hypothetical links",
          [](Invocation & i) -> auto& { return i.ctx.include_scenarios; }),
  };
  for (Param& c : Clearance()) p.push_back(std::move(c));
  p.push_back(FormatParam("table, json, csv, dot, svg or png"));
  p.push_back(OutputParam());
  return p;
}

Param Via(const char* help) {
  return Texts(
      Kind::kOption, "via", help, [](Invocation & i) -> auto& { return i.ctx.via; });
}

Param NodeArg(const char* name, const char* help, TextField field) {
  return Required(Text(Kind::kPositional, name, help, field));
}

std::vector<Param> With(std::vector<Param> own, std::vector<Param> more) {
  for (Param& p : more) own.push_back(std::move(p));
  return own;
}

}  // namespace sinew::cli::params
