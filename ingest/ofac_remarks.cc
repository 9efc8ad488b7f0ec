// One SDN entry read through the mapping: its node type (person, company or
// organisation, vessel, aircraft), its name and aliases, and its remarks
// split into identifiers, dates, countries, Linked To names and measures.
#include <algorithm>

#include "ingest/common.h"
#include "ingest/ofac_reader.h"

namespace sinew::ingest::ofac {
namespace {

using nlohmann::json;

Status MappingError(const std::string& what, const std::string& file, const std::string& ptr) {
  return Status::Invalid("OFAC mapping: " + what, SourcePlace{file, 0, 0, ptr});
}

std::set<std::string> StringSet(const json& j) {
  std::set<std::string> out;
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.insert(v.get<std::string>());
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// Whether `word` occurs in `text` between word boundaries (both upper case).
bool HasWord(const std::string& text, const std::string& word) {
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    auto edge = [&](size_t i) {
      return i >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[i])));
    };
    if ((at == 0 || edge(at - 1)) && edge(at + word.size())) return true;
  }
  return false;
}

// Adds `v` to the list prop `key`; a prop the reader set as a single value
// (a mapping naming "title" as a list) keeps that value.
void Append(json& props, const std::string& key, json v) {
  json& slot = props[key];
  if (slot.is_null()) slot = json::array();
  if (slot.is_array()) slot.push_back(std::move(v));
}

// "SURNAME, Given" -> "Given SURNAME"; a third part ("Jr.") goes last.
std::string Reordered(const std::string& written) {
  size_t c = written.find(", ");
  if (c == std::string::npos) return written;
  std::string surname = written.substr(0, c), rest = written.substr(c + 2), suffix;
  if (size_t c2 = rest.find(", "); c2 != std::string::npos) {
    suffix = rest.substr(c2 + 2);
    rest = rest.substr(0, c2);
  }
  std::string out = rest + " " + surname;
  if (!suffix.empty()) out += " " + suffix;
  return out;
}

// "02 Jan 1968" -> "1968-01-02", "Jan 1968" -> "1968-01", "circa 1960" ->
// "1960~", "A to B" -> "A/B"; empty when the shape is another.
std::string Edtf(std::string v) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (size_t to = v.find(" to "); to != std::string::npos) {
    // One range, two plain dates: "A to B to C" is no date (and no recursion).
    std::string b = v.substr(to + 4);
    if (b.find(" to ") != std::string::npos) return "";
    std::string from = Edtf(v.substr(0, to)), until = Edtf(b);
    return from.empty() || until.empty() ? "" : from + "/" + until;
  }
  std::string q;
  if (v.rfind("circa ", 0) == 0) {
    v = v.substr(6);
    q = "~";
  }
  auto year = [](const std::string& y) {
    return y.size() == 4 && std::all_of(y.begin(), y.end(), ::isdigit);
  };
  auto month = [&](const std::string& m) -> int {
    for (int i = 0; i < 12; ++i)
      if (m == kMonths[i]) return i + 1;
    return 0;
  };
  char buf[16];
  if (year(v)) return v + q;
  if (v.size() == 8 && year(v.substr(4)) && month(v.substr(0, 3)) && v[3] == ' ') {
    std::snprintf(buf, sizeof buf, "%s-%02d", v.substr(4).c_str(), month(v.substr(0, 3)));
    return buf + q;
  }
  if (v.size() == 11 && v[2] == ' ' && v[6] == ' ' && isdigit(v[0]) && isdigit(v[1]) &&
      month(v.substr(3, 3)) && year(v.substr(7))) {
    std::snprintf(buf, sizeof buf, "%s-%02d-%s", v.substr(7).c_str(), month(v.substr(3, 3)),
                  v.substr(0, 2).c_str());
    return ParseDate(buf).ok() ? buf + q : "";
  }
  return "";
}

// Splits the remarks on ';', keeping where each part starts.
std::vector<Part> SplitParts(const Row& row) {
  std::vector<Part> out;
  const std::string& r = row.remarks;
  for (size_t s = 0; s <= r.size();) {
    size_t e = r.find(';', s);
    if (e == std::string::npos) e = r.size();
    size_t a = s, b = e;
    while (a < b && r[a] == ' ') ++a;
    while (b > a && r[b - 1] == ' ') --b;
    if (b > a) out.push_back({r.substr(a, b - a), row.remarks_offset + a});
    s = e + 1;
  }
  return out;
}

// The key of the mapping that begins `part` (longest first), or null.
const std::pair<std::string, RemarkRule>* KeyOf(const std::string& part, const Mapping& m) {
  for (const auto& k : m.keys) {
    if (part.compare(0, k.first.size(), k.first) != 0) continue;
    if (part.size() == k.first.size()) return &k;
    char c = part[k.first.size()];
    if (c == ' ' || c == '.' || c == ':' || c == '\'' || c == '(' || c == '#' || c == '-' ||
        std::isdigit(static_cast<unsigned char>(c)))
      return &k;
  }
  return nullptr;
}

// The quoted name of an a.k.a. part: from the first ' to the last.
std::string AliasText(const std::string& v) {
  size_t a = v.find('\''), b = v.rfind('\'');
  if (a == std::string::npos || b <= a) return "";
  return v.substr(a + 1, b - a - 1);
}

// "7704274402 (Russia)" -> country "Russia".
std::string TrailingCountry(const std::string& v) {
  if (v.empty() || v.back() != ')') return "";
  size_t open = v.rfind('(');
  return open == std::string::npos ? "" : v.substr(open + 1, v.size() - open - 2);
}

void TypeEntity(Entry* e, const Mapping& m, const std::set<std::string>& keys_seen) {
  std::string name = Upper(e->name);
  auto any = [&](const std::vector<std::string>& words) {
    for (const auto& w : words)
      if (HasWord(name, w)) return true;
    return false;
  };
  std::string target = e->props.value("target_type", json::array()).empty()
                           ? ""
                           : e->props["target_type"][0].get<std::string>();
  bool legal = any(m.legal_forms), body = any(m.public_body_words);
  bool ids = false;
  for (const auto& k : keys_seen) ids = ids || m.company_identifier_keys.count(k);
  auto set = [&](const char* type, const char* basis) {
    e->type = type;
    e->type_basis = basis;
  };
  if (m.org_target_types.count(target))
    set("organisation", "target type");
  else if (m.company_target_types.count(target))
    set("company", "target type");
  else if (legal && !body)
    set("company", "legal form in the name");
  else if (body && !legal)
    set("organisation", "public-body word in the name");
  else if (ids)
    set("company", "business identifier");
  else if (legal && body)
    set("company", "legal form and public-body word in the name");
  else
    set("organisation", "default");
}

}  // namespace

Result<Mapping> ParseMapping(std::string_view text, const std::string& file) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    return JsonSyntaxError(e, text, SourcePlace{file, 0, 0, ""}, "OFAC mapping");
  }
  if (!j.is_object() || j.value("format", "") != "sinew-ofac-mapping/1")
    return MappingError("\"format\" must be \"sinew-ofac-mapping/1\"", file, "/format");
  Mapping m;
  for (const char* k : {"source", "authority", "programmes", "remark_keys", "countries"})
    if (!j.contains(k) || !j[k].is_object())
      return MappingError(std::string("needs an object \"") + k + "\"", file, std::string("/") + k);
  m.source = j["source"];
  m.authority = j["authority"];
  for (const char* k : {"slug", "title"})
    if (!m.source.contains(k) || !m.source[k].is_string())
      return MappingError(std::string("the source needs \"") + k + "\"", file, "/source");
  for (const auto& [k, v] : m.source.items())
    if (!v.is_string()) return MappingError("the source's fields are text", file, "/source/" + k);
  if (m.authority.contains("aliases") &&
      (!m.authority["aliases"].is_array() ||
       !std::all_of(m.authority["aliases"].begin(), m.authority["aliases"].end(),
                    [](const json& a) { return a.is_string(); })))
    return MappingError("the authority's aliases are a list of names", file, "/authority/aliases");
  for (const char* k : {"slug", "type", "name"})
    if (!m.authority.contains(k) || !m.authority[k].is_string())
      return MappingError(std::string("the authority needs \"") + k + "\"", file, "/authority");
  for (const auto& [code, p] : j["programmes"].items()) {
    if (!p.is_object() || !p.contains("slug") || !p["slug"].is_string() || !p.contains("name") ||
        !p["name"].is_string())
      return MappingError("a programme needs \"slug\" and \"name\"", file, "/programmes/" + code);
    Programme prog{code, p["slug"], p["name"]};
    m.programmes[code] = prog;
    for (const std::string& old : StringSet(p.value("older_codes", json::array())))
      m.programmes[old] = prog;
  }
  for (const auto& [key, r] : j["remark_keys"].items()) {
    std::string ptr = "/remark_keys/" + key;
    if (key.empty()) return MappingError("a remark key is not empty", file, ptr);
    if (!r.is_object() || !r.contains("as") || !r["as"].is_string())
      return MappingError("a remark key needs \"as\"", file, ptr);
    for (const char* f : {"prop", "role"})
      if (r.contains(f) && !r[f].is_string())
        return MappingError(std::string("\"") + f + "\" is text", file, ptr + "/" + f);
    RemarkRule rule{r["as"], r.value("prop", ""), r.value("role", "")};
    if (rule.prop.empty() && rule.as != "identifier" && rule.as != "alias" && rule.as != "linked")
      return MappingError("a " + rule.as + " key needs \"prop\"", file, ptr);
    static const std::set<std::string> kReserved = {
        "ofac_ent_num",      "sdn_name",      "sdn_type",      "programs",
        "type_basis",        "first_listed",  "delisted",      "identifiers",
        "remarks_truncated", "alias_quality", "short_aliases", "linked_to"};
    if (kReserved.count(rule.prop))
      return MappingError("\"" + rule.prop + "\" is a prop the reader sets itself", file,
                          ptr + "/prop");
    static const std::set<std::string> kAs = {"identifier", "alias", "linked",
                                              "country",    "date",  "list"};
    if (!kAs.count(rule.as))
      return MappingError("\"as\" is one of identifier, alias, linked, country, date, list", file,
                          "/remark_keys/" + key + "/as");
    m.keys.emplace_back(key, rule);
  }
  std::stable_sort(m.keys.begin(), m.keys.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [s, slug] : j["countries"].items())
    if (slug.is_string()) m.countries[s] = slug;
  m.not_countries = StringSet(j.value("not_countries", json::array()));
  json kinds = j.value("entity_kinds", json::object());
  m.org_target_types = StringSet(kinds.value("organisation_target_types", json::array()));
  m.company_target_types = StringSet(kinds.value("company_target_types", json::array()));
  m.company_identifier_keys = StringSet(kinds.value("company_identifier_keys", json::array()));
  for (const auto& w : StringSet(kinds.value("legal_forms", json::array())))
    m.legal_forms.push_back(w);
  for (const auto& w : StringSet(kinds.value("public_body_words", json::array())))
    m.public_body_words.push_back(w);
  for (const auto& w : StringSet(j.value("legal_forms", json::array())))
    m.resolve_forms.push_back(NormalizeName(w));
  // Longest first: "public joint stock company" before "company".
  std::stable_sort(m.resolve_forms.begin(), m.resolve_forms.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return m;
}

std::string MatchName(std::string_view name, const Mapping& m) {
  // Word by word, each legal form (longest first) dropped wherever its words
  // stand in a row: one pass per form, linear in the name however many times
  // a form repeats (search-and-replace from the start was quadratic).
  std::vector<std::string> words;
  {
    std::string n = NormalizeName(name);
    size_t i = 0;
    while (i < n.size()) {
      size_t j = n.find(' ', i);
      if (j == std::string::npos) j = n.size();
      if (j > i) words.push_back(n.substr(i, j - i));
      i = j + 1;
    }
  }
  std::vector<std::string> form, kept;
  for (const std::string& f : m.resolve_forms) {
    form.clear();
    for (size_t i = 0; i < f.size();) {
      size_t j = f.find(' ', i);
      if (j == std::string::npos) j = f.size();
      if (j > i) form.push_back(f.substr(i, j - i));
      i = j + 1;
    }
    if (form.empty() || form.size() > words.size()) continue;
    // A stack: a form that closes on the word just kept is dropped, so one
    // that forms again once its inner copy is gone ("joint joint stock
    // stock") goes too, as repeated search-and-replace would have it.
    kept.clear();
    for (std::string& w : words) {
      kept.push_back(std::move(w));
      if (kept.size() >= form.size() &&
          std::equal(form.begin(), form.end(), kept.end() - static_cast<ptrdiff_t>(form.size())))
        kept.resize(kept.size() - form.size());
    }
    words.swap(kept);
  }
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

namespace {

// An identifier part ("Tax ID No. 7704274402 (Russia)"): into `identifiers`
// with its country; an IMO number on a ship is the ship's, on a firm the firm's.
void ReadIdentifier(const std::string& key, const std::string& v, bool alt, const Part& part,
                    const Mapping& m, Entry* e) {
  const Row& row = *e->row;
  std::string country = TrailingCountry(v);
  json id_json = {{"type", key}, {"value", v}};
  if (!country.empty()) id_json["country"] = country;
  if (alt) id_json["alt"] = true;
  Append(e->props, "identifiers", id_json);
  std::string value = country.empty() ? v : v.substr(0, v.rfind('('));
  while (!value.empty() && value.back() == ' ') value.pop_back();  // "123 (Russia)", "123(Russia)"
  if (value.rfind("IMO ", 0) == 0) {
    std::string prop = row.sdn_type == "vessel" ? "imo" : "imo_company";
    Append(e->props, prop, value.substr(4));
    e->identifiers.push_back(prop + " " + value.substr(4));
  } else {
    e->identifiers.push_back(key + " " + value);
  }
  if (!country.empty() && row.sdn_type != "individual" && m.company_identifier_keys.count(key))
    e->countries.push_back({"registration", country, part});
}

// One remark part, by the mapping's key that begins it (free text else).
void ReadPart(const Part& part, const Mapping& m, Entry* e, std::vector<std::string>* weak,
              std::set<std::string>* keys_seen) {
  json& p = e->props;
  std::string t = part.text;
  bool alt = t.rfind("alt. ", 0) == 0;
  if (alt) t = t.substr(5);
  const auto* key = KeyOf(t, m);
  if (key == nullptr) {
    Append(p, "remarks_other", part.text);
    return;
  }
  keys_seen->insert(key->first);
  const RemarkRule& rule = key->second;
  std::string v = t.substr(key->first.size());
  while (!v.empty() && (v.front() == ' ' || v.front() == ':')) v.erase(0, 1);
  if (rule.as == "alias") {
    std::string a = AliasText(v);
    if (a.empty()) return;
    if (e->row->sdn_type == "individual") a = Reordered(a);
    weak->push_back(a);
    if (!rule.prop.empty()) Append(p, rule.prop, a);
  } else if (rule.as == "linked") {
    e->links.push_back({v, part});
    Append(p, "linked_to", v);
  } else if (rule.as == "country") {
    Append(p, rule.prop, v);
    e->countries.push_back({rule.role, v, part});
  } else if (rule.as == "date") {
    Append(p, rule.prop, v);
    if (std::string d = Edtf(v); !d.empty()) Append(p, rule.prop + "_edtf", d);
  } else if (rule.as == "identifier") {
    ReadIdentifier(key->first, v, alt, part, m, e);
  } else {
    if (rule.prop == "imo" && v.rfind("IMO ", 0) == 0) {
      v = v.substr(4);
      e->identifiers.push_back("imo " + v);
    } else if (rule.prop == "swift_bic") {
      e->identifiers.push_back("SWIFT/BIC " + v);
    }
    Append(p, rule.prop, v);
  }
}

// The node type by SDN type; entities by the mapping's rules.
void TypeOf(Entry* e, const Mapping& m, const std::set<std::string>& keys_seen,
            Anomalies* anomalies) {
  const Row& row = *e->row;
  std::string id = std::to_string(row.ent_num);
  if (row.sdn_type == "individual") {
    e->type = "person";
    e->type_basis = "SDN type";
  } else if (row.sdn_type == "vessel" || row.sdn_type == "aircraft") {
    e->type = row.sdn_type;
    e->type_basis = "SDN type";
  } else if (row.sdn_type.empty()) {
    TypeEntity(e, m, keys_seen);
    if (e->type_basis == "default") anomalies->Add("default-typed entities", "ent_num " + id);
  } else {
    // Kept, not guessed: the broadest type every edge here admits, flagged.
    e->type = "organisation";
    e->type_basis = "unknown SDN type";
    anomalies->Add("unknown SDN type", row.sdn_type + " (ent_num " + id + ")");
  }
  e->props["type_basis"] = e->type_basis;
}

// The aliases the name index gets: not the name, each once, and no weak
// alias of one short token ("ETA", "@"), which would flood the index (kept
// in short_aliases).
void KeepAliases(Entry* e, const std::vector<std::string>& written,
                 const std::vector<std::string>& weak) {
  std::set<std::string> kept;
  for (const std::string& a : written)
    if (a != e->name && kept.insert(a).second) e->aliases.push_back(a);
  for (const std::string& a : weak) {
    if (a == e->name || !kept.insert(a).second) continue;
    if (a.find(' ') != std::string::npos || a.size() >= 6)
      e->aliases.push_back(a);
    else
      Append(e->props, "short_aliases", a);
  }
  if (!weak.empty()) e->props["alias_quality"] = "weak";
}

}  // namespace

Entry ReadEntry(const Row& row, const Mapping& m, Anomalies* anomalies) {
  Entry e;
  e.row = &row;
  json& p = e.props;
  std::string id = std::to_string(row.ent_num);
  p["ofac_ent_num"] = row.ent_num;
  p["sdn_name"] = row.name;
  p["sdn_type"] = row.sdn_type.empty() ? "entity" : row.sdn_type;
  bool person = row.sdn_type == "individual";
  e.name = person ? Reordered(row.name) : row.name;
  // Programmes: renamed codes under their new code; unknown ones kept as written.
  for (const std::string& code : row.programs) {
    auto it = m.programmes.find(code);
    if (it == m.programmes.end())
      anomalies->Add("unknown programme", code + " (ent_num " + id + ")");
    e.codes.push_back(it == m.programmes.end() ? code : it->second.code);
  }
  std::sort(e.codes.begin(), e.codes.end());
  e.codes.erase(std::unique(e.codes.begin(), e.codes.end()), e.codes.end());
  p["programs"] = e.codes;
  for (auto [k, v] : {std::pair<const char*, const std::string*>{"title", &row.title},
                      {"call_sign", &row.call_sign},
                      {"vessel_type", &row.vessel_type},
                      {"tonnage", &row.tonnage},
                      {"grt", &row.grt},
                      {"flag", &row.flag},
                      {"owner", &row.owner}})
    if (!v->empty()) p[k] = *v;
  if (!row.flag.empty()) e.countries.push_back({"flag", row.flag, Part{row.flag, row.flag_offset}});
  // A vessel's owner is named like a Linked To party.
  if (!row.owner.empty()) e.links.push_back({row.owner, Part{row.owner, row.owner_offset}});
  // Remarks cut at OFAC's 1,000 characters end without their '.': the last
  // part is unterminated and yields nothing.
  std::vector<Part> parts = SplitParts(row);
  if (row.remarks.size() >= 1000 && row.remarks.back() != '.') {
    p["remarks_truncated"] = true;
    anomalies->Add("truncated remarks", "ent_num " + id);
    if (!parts.empty()) parts.pop_back();
  } else if (!parts.empty() && parts.back().text.back() == '.') {
    parts.back().text.pop_back();  // the list's closing full stop
  }
  std::vector<std::string> weak;
  std::set<std::string> keys_seen;
  for (const Part& part : parts) ReadPart(part, m, &e, &weak, &keys_seen);
  TypeOf(&e, m, keys_seen, anomalies);
  KeepAliases(&e, person ? std::vector<std::string>{row.name} : std::vector<std::string>{}, weak);
  return e;
}

}  // namespace sinew::ingest::ofac
