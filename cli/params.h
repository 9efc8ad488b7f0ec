// Private to cli/: the kinds of parameter the command table is built from
// (text, choices, lists, whole numbers, numbers, flags), each parsing and
// checking its value when it is stored, and the parameters many commands
// share (the filters, clearance, --format, --output).
#pragma once

#include <string>
#include <vector>

#include "cli/command_table.h"

namespace sinew::cli::params {

using Kind = Param::Kind;
using Values = std::vector<std::string>;
using TextField = std::string& (*)(Invocation&);
using TextsField = std::vector<std::string>& (*)(Invocation&);
using IntField = int& (*)(Invocation&);
using NumberField = double& (*)(Invocation&);
using FlagField = bool& (*)(Invocation&);

// A whole number from `v`, within lo..hi, into *out; a usage error names
// the option and echoes the value (cut short) otherwise.
Status ParseInt(const std::string& name, const std::string& v, long lo, long hi, long* out);

// The parameter kinds. `api` false: the JSON API never takes it.
Param Base(Kind kind, std::string name, std::string help, bool api);
Param Text(Kind kind, std::string name, std::string help, TextField field, bool api = true);
Param Choice(std::string name, std::string help, TextField field, Values choices, bool api = true);
Param Texts(Kind kind, std::string name, std::string help, TextsField field, bool api = true);
Param Int(std::string name, std::string help, IntField field, long lo, long hi, bool api = true);
Param Number(std::string name, std::string help, NumberField field, bool api = true);
Param Flag(std::string name, std::string help, FlagField field, bool api = true);
Param Required(Param p);
Param Alias(Param p, std::string alias);
Param ApiName(Param p, std::string api);

// The parameters many commands share.
Param FormatParam(const char* help = "table or json");
Param OutputParam();
std::vector<Param> Clearance();
// The filters every question takes, then the output settings.
std::vector<Param> Filters();
Param Via(const char* help = "Edge types to follow (default depends_on; all)");
// A required positional node id or name.
Param NodeArg(const char* name, const char* help, TextField field);
// `own` then `more`.
std::vector<Param> With(std::vector<Param> own, std::vector<Param> more);

}  // namespace sinew::cli::params
