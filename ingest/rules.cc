#include <nlohmann/json.hpp>
#include <sstream>

#include "ingest/prose.h"

namespace sinew::ingest {
namespace {

using nlohmann::json;

std::vector<std::string> Words(const std::string& phrase) {
  std::vector<std::string> out;
  std::string w;
  for (char c : phrase) {
    if (c == ' ') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

}  // namespace

Result<ExtractionRules> ExtractionRules::Parse(std::string_view text, const std::string& file) {
  SourcePlace place;
  place.file = file;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return JsonSyntaxError(e, text, place, "rules are not valid JSON");
  }
  ExtractionRules r;
  try {
    for (const auto& rel : doc.at("relations")) {
      RelationRule rule;
      rule.type = rel.at("type").get<std::string>();
      rule.reverse = rel.value("reverse", false);
      rule.symmetric = rel.value("symmetric", false);
      for (const auto& c : rel.at("cues")) rule.cues.push_back(Words(c.get<std::string>()));
      // Longer cues first, so "is supplied by" wins over "supplied".
      std::stable_sort(rule.cues.begin(), rule.cues.end(),
                       [](const auto& a, const auto& b) { return a.size() > b.size(); });
      r.relations.push_back(std::move(rule));
    }
    for (const auto& d : doc.at("domains")) {
      std::set<std::string> words;
      for (const auto& w : d.at("words")) words.insert(w.get<std::string>());
      r.domain_words.emplace_back(d.at("domain").get<std::string>(), std::move(words));
    }
    if (doc.contains("type_domains"))
      for (const auto& [k, v] : doc["type_domains"].items())
        r.type_domains[k] = v.get<std::string>();
    r.default_domain = doc.value("default_domain", "trade");
    for (const auto& w : doc.at("hedges").at("projected"))
      r.projected.push_back(Words(w.get<std::string>()));
    for (const auto& w : doc.at("hedges").at("hypothetical"))
      r.hypothetical.push_back(Words(w.get<std::string>()));
    for (const auto& w : doc.value("assessment_cues", json::array()))
      r.assessment.push_back(Words(w.get<std::string>()));
    for (const auto& w : doc.at("negations")) r.negations.push_back(Words(w.get<std::string>()));
    for (const auto& w : doc.value("abbreviations", json::array()))
      r.abbreviations.insert(w.get<std::string>());
    for (const auto& w : doc.value("numbering_abbreviations", json::array()))
      r.numbering_abbreviations.insert(w.get<std::string>());
    for (const auto& t : doc.value("new_node_types", json::array())) {
      std::set<std::string> words;
      for (const auto& w : t.at("words")) words.insert(w.get<std::string>());
      r.new_node_types.emplace_back(t.at("type").get<std::string>(), std::move(words));
    }
    r.default_new_node_type = doc.value("default_new_node_type", "organisation");
    for (const auto& w : doc.value("stopwords_capitalised", json::array()))
      r.stop_capitalised.insert(w.get<std::string>());
    for (const auto& u : doc.value("observation_units", json::array())) {
      std::vector<std::vector<std::string>> pats;
      for (const auto& p : u.at("patterns")) pats.push_back(Words(p.get<std::string>()));
      r.units.emplace_back(u.at("unit").get<std::string>(), std::move(pats));
    }
    // Bind the object first: items() of a temporary would dangle in range-for.
    const json scales = doc.value("scales", json::object());
    for (const auto& [k, v] : scales.items()) r.scales[k] = v.get<double>();
  } catch (const json::exception& e) {
    return Status::Invalid(std::string("rules: ") + e.what(), place);
  }
  if (r.relations.empty()) return Status::Invalid("rules: no relations", place);
  return r;
}

}  // namespace sinew::ingest
