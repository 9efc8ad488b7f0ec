// corpus/rules.json (sinew-rules/2): the words and frames the prose reader
// knows, parsed once per ingest. docs/ingest.md describes the format.
#include <nlohmann/json.hpp>
#include <sstream>

#include "ingest/text_note.h"

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

bool Vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// The regular English forms of a verb: supply, supplies, supplied, supplying.
// `doubled` verbs double their last consonant (ship, shipped).
std::vector<std::string> Inflect(const std::string& v, bool doubled) {
  std::vector<std::string> out{v};
  if (v.empty()) return out;
  char last = v.back();
  char before = v.size() > 1 ? v[v.size() - 2] : 0;
  bool cons_y = last == 'y' && !Vowel(before);
  std::string stem = v;
  // Third person.
  if (cons_y)
    out.push_back(v.substr(0, v.size() - 1) + "ies");
  else if (last == 's' || last == 'x' || last == 'z' || v.ends_with("ch") || v.ends_with("sh") ||
           last == 'o')
    out.push_back(v + "es");
  else
    out.push_back(v + "s");
  // Past and participle.
  if (last == 'e')
    out.push_back(v + "d");
  else if (cons_y)
    out.push_back(v.substr(0, v.size() - 1) + "ied");
  else if (doubled)
    out.push_back(v + last + "ed");
  else
    out.push_back(v + "ed");
  // -ing.
  if (last == 'e' && before != 'e' && before != 'y' && before != 'o')
    out.push_back(v.substr(0, v.size() - 1) + "ing");
  else if (doubled)
    out.push_back(v + last + "ing");
  else
    out.push_back(v + "ing");
  return out;
}

std::vector<std::string> Strings(const json& j) {
  std::vector<std::string> out;
  if (j.is_string()) return {j.get<std::string>()};
  for (const auto& x : j) out.push_back(x.get<std::string>());
  return out;
}

std::set<std::string> Set(const json& doc, const char* key) {
  std::set<std::string> out;
  if (!doc.contains(key)) return out;
  for (const auto& x : doc[key]) out.insert(x.get<std::string>());
  return out;
}

Frame FrameOf(const json& j) {
  Frame f;
  f.relation = j.at("relation").get<std::string>();
  if (j.contains("by_src_type"))
    for (const auto& [k, v] : j["by_src_type"].items()) f.by_src_type[k] = v.get<std::string>();
  if (j.contains("src")) f.src = Strings(j["src"]);
  if (j.contains("dst")) f.dst = Strings(j["dst"]);
  f.symmetric = j.value("symmetric", false);
  if (j.contains("object_heads"))
    for (const auto& w : j["object_heads"]) f.object_heads.insert(w.get<std::string>());
  f.member_of = j.value("member_of", "");
  if (j.contains("qualified"))
    for (const auto& [k, v] : j["qualified"].items()) f.qualified[k] = v.get<std::string>();
  f.domain = j.value("domain", "");
  return f;
}

}  // namespace

Result<ExtractionRules> ParseRules(std::string_view text, const std::string& file) {
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
    if (doc.value("format", "") != "sinew-rules/2")
      return Status::Invalid(
          "rules: \"format\" must be \"sinew-rules/2\" (verbs, nouns and roles; docs/ingest.md)",
          place);
    std::set<std::string> doubled = Set(doc, "doubled_verbs");
    for (const auto& v : doc.at("verbs")) {
      Frame f = FrameOf(v);
      for (const auto& lemma : Strings(v.at("lemma"))) {
        std::vector<std::string> forms = Inflect(lemma, doubled.count(lemma) > 0);
        for (const auto& extra : Strings(v.value("forms", json::array()))) forms.push_back(extra);
        for (const auto& form : forms) {
          r.verbs[form].push_back(f);
          r.verb_lemma[form] = lemma;
        }
      }
      // Irregular forms listed once for every lemma that shares them.
    }
    if (doc.contains("irregular"))
      for (const auto& [lemma, forms] : doc["irregular"].items()) {
        auto it = r.verbs.find(lemma);
        if (it == r.verbs.end()) continue;
        std::vector<Frame> frames = it->second;
        for (const auto& form : forms) {
          std::string f = form.get<std::string>();
          auto& list = r.verbs[f];
          list.insert(list.end(), frames.begin(), frames.end());
          r.verb_lemma[f] = lemma;
        }
      }
    for (const auto& v : doc.value("verbs_ru", json::array())) {
      Frame f = FrameOf(v);
      for (const auto& stem : Strings(v.at("stems"))) r.verbs_ru.push_back({stem, {f}});
    }
    for (const auto& n : doc.value("nouns", json::array())) {
      Frame f = FrameOf(n);
      for (const auto& w : Strings(n.at("words"))) r.nouns[w].push_back(f);
    }
    for (const auto& n : doc.value("nouns_ru", json::array())) {
      Frame f = FrameOf(n);
      for (const auto& stem : Strings(n.at("stems"))) r.nouns_ru.push_back({stem, {f}});
    }
    for (const auto& x : doc.value("roles", json::array())) {
      RoleRule role;
      for (const auto& w : Strings(x.at("words"))) role.words.insert(w);
      role.relation = x.at("relation").get<std::string>();
      role.holder_is_src = x.value("holder", "src") == "src";
      if (x.contains("qualified"))
        for (const auto& [k, v] : x["qualified"].items()) role.qualified[k] = v.get<std::string>();
      role.domain = x.value("domain", "");
      for (const auto& w : role.words) r.role_index[w] = r.roles.size();
      r.roles.push_back(std::move(role));
    }
    const json& words = doc.at("words");
    r.determiners = Set(words, "determiners");
    r.prepositions = Set(words, "prepositions");
    r.conjunctions = Set(words, "conjunctions");
    r.relatives = Set(words, "relatives");
    r.be = Set(words, "be");
    r.have = Set(words, "have");
    r.other_verbs = Set(words, "other_verbs");
    r.adverbs = Set(words, "adverbs");
    r.copulas = Set(words, "copulas");
    r.titles = Set(words, "titles");
    r.group_nouns = Set(words, "group_nouns");
    r.hedge_verbs = Set(words, "hedge_verbs");
    r.negative_verbs = Set(words, "negative_verbs");
    r.report_hedges = Set(words, "report_hedges");
    r.goods_heads = Set(words, "goods");
    r.demonym_heads = Set(words, "demonym_heads");
    r.articles = Set(words, "articles");
    r.compound_tails = Set(words, "compound_tails");
    r.name_heads = Set(words, "name_heads");
    r.event_heads = Set(words, "event_heads");
    r.noun_modifiers = Set(words, "noun_modifiers");
    r.adjectival_suffixes = Set(words, "adjectival_suffixes");
    r.number_words = Set(words, "number_words");
    r.quantity_nouns = Set(words, "quantity_nouns");
    r.ability_nouns = Set(words, "ability_nouns");
    r.policy_heads = Set(words, "policy_heads");
    r.share_verbs = Set(words, "share_verbs");
    r.share_flows = Set(words, "share_flows");
    r.led_words = Set(words, "led_words");
    r.region_members = Set(words, "region_members");
    r.departments = Set(words, "departments");
    r.name_joins = Set(words, "name_joins");
    r.instrument_joins = Set(words, "instrument_joins");
    for (const auto& q : words.value("quantifier_phrases", json::array()))
      r.quantifier_phrases.push_back(Words(q.get<std::string>()));
    if (words.contains("institution_heads"))
      for (const auto& [k, v] : words["institution_heads"].items())
        r.institution_heads[k] = v.get<std::string>();
    for (const auto& f : doc.value("copula_frames", json::array()))
      r.copula_frames.push_back(FrameOf(f));
    r.not_person_words = Set(doc, "not_person_words");
    for (const auto& p : words.value("pair_phrases", json::array())) {
      std::vector<std::string> w = Words(p.get<std::string>());
      if (w.size() == 1)
        r.pair_phrases_single.insert(w[0]);
      else
        r.pair_phrases.push_back(std::move(w));
    }
    for (const auto& p : words.value("pair_stems_ru", json::array()))
      r.pair_stems_ru.push_back(p.get<std::string>());
    if (words.contains("modals"))
      for (const auto& [k, v] : words["modals"].items()) r.modals[k] = v.get<std::string>();
    if (words.contains("definite"))
      for (const auto& [k, v] : words["definite"].items())
        r.definite_types[k] = v.get<std::string>();
    if (words.contains("group_types"))
      for (const auto& [k, v] : words["group_types"].items())
        r.group_types[k] = v.get<std::string>();
    if (doc.contains("demonyms"))
      for (const auto& [k, v] : doc["demonyms"].items()) r.demonyms[k] = v.get<std::string>();
    if (doc.contains("demonyms_ru"))
      for (const auto& [k, v] : doc["demonyms_ru"].items())
        r.demonyms_ru.emplace_back(k, v.get<std::string>());
    // Longer stems first: "российско-китайск" before "российск".
    std::stable_sort(r.demonyms_ru.begin(), r.demonyms_ru.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    for (const auto& d : doc.at("domains")) {
      std::set<std::string> ws;
      for (const auto& w : d.at("words")) ws.insert(w.get<std::string>());
      r.domain_words.emplace_back(d.at("domain").get<std::string>(), std::move(ws));
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
      std::set<std::string> ws;
      for (const auto& w : t.at("words")) ws.insert(w.get<std::string>());
      r.new_node_types.emplace_back(t.at("type").get<std::string>(), std::move(ws));
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
  if (r.verbs.empty()) return Status::Invalid("rules: no verbs", place);
  return r;
}

}  // namespace sinew::ingest
