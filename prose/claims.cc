// Verb, relational-noun and role-noun frames turned into links.
#include "prose/reader.h"

namespace sinew::prose {

void ProseReader::Impl::VerbClaims() {
  subjects_.assign(preds.size(), -1);
  for (size_t pi = 0; pi < preds.size(); ++pi) {
    const Predicate& p = preds[pi];
    int subject = SubjectOf(p, pi);
    subjects_[pi] = subject;
    Roles roles = RolesOf(p);
    // In the passive the grammatical subject is the object; "by" the agent.
    std::map<std::string, int> role = roles.role;
    if (p.passive) {
      if (subject >= 0) role["object"] = subject;
      auto by = role.find("by");
      if (by != role.end()) {
        role["subject"] = by->second;
        role.erase("by");
      } else {
        role.erase("subject");
      }
    } else if (subject >= 0) {
      role["subject"] = subject;
    }
    std::string modality = Combine(p.modality, ClauseModality(p.verb));
    for (const Frame& f : *p.frames) {
      // The object's head, or after an amount what it is an amount of
      // ("$2.5 million in civil penalties"); never "the removal of sanctions".
      bool amount = r.scales.count(roles.object_head) > 0 || roles.object_head == "amount" ||
                    roles.object_head == "sum";
      if (!f.object_heads.empty() && !f.object_heads.count(roles.object_head) &&
          !(amount &&
            std::any_of(roles.object_words.begin(), roles.object_words.end(),
                        [&](const std::string& w) { return f.object_heads.count(w) > 0; })))
        continue;
      std::string relation = f.relation;
      if (!roles.object_head.empty())
        if (auto q = f.qualified.find(roles.object_head); q != f.qualified.end())
          relation = q->second;
      std::string why = "verb '" + t[p.verb].raw + "'" + (p.passive ? " (passive)" : "") +
                        (p.negated ? ", negated" : "");
      // Symmetric: "A and B cooperate", "A cooperates with B".
      if (f.symmetric && role.count("subject")) {
        auto subj = Members(role["subject"]);
        int other = -1;
        for (const auto& d : f.dst)
          if (role.count(d)) {
            other = role[d];
            break;
          }
        if (other < 0 && subj.size() >= 2) {
          for (size_t a = 0; a < subj.size(); ++a)
            for (size_t b = a + 1; b < subj.size(); ++b)
              EmitOne(relation, subj[a].first, subj[b].first, subj[a].second, subj[b].second,
                      p.negated, modality, DomainFor(relation, f.domain),
                      why + ", between the subjects");
          continue;
        }
      }
      int src = -1, dst = -1;
      std::string src_role, dst_role;
      for (const auto& s : f.src)
        if (role.count(s) && src < 0) {
          src = role[s];
          src_role = s;
        }
      for (const auto& d : f.dst) {
        if (!role.count(d) || role[d] == src) continue;
        // The first role holding something the relation can end at.
        bool fits = false;
        for (const auto& [sm, sms] : Members(src))
          for (const auto& [dm, dms] : Members(role[d])) {
            std::string rel = relation;
            if (auto b = f.by_src_type.find(TypeOf(sm)); b != f.by_src_type.end()) rel = b->second;
            fits = fits || Fits(rel, sm, dm);
          }
        if (fits) {
          dst = role[d];
          dst_role = d;
          break;
        }
      }
      if (src < 0 || dst < 0) continue;
      for (const auto& [sm, sms] : Members(src))
        for (const auto& [dm, dms] : Members(dst)) {
          std::string rel = relation;
          if (auto b = f.by_src_type.find(TypeOf(sm)); b != f.by_src_type.end()) rel = b->second;
          EmitOne(rel, sm, dm, sms, dms, p.negated, modality, DomainFor(rel, f.domain),
                  why + ": " + src_role + " → " + dst_role, p.relative || p.participle ? 3 : 2);
        }
      if (!f.member_of.empty() && role.count(f.member_of))
        for (const auto& [dm, dms] : Members(dst))
          for (const auto& [lm, lms] : Members(role[f.member_of]))
            EmitOne("member_of", dm, lm, dms, lms, p.negated, modality,
                    DomainFor("member_of", f.domain), why + ": added to " + lms);
    }
  }
}

void ProseReader::Impl::NounClaims() {
  for (size_t i = 0; i < t.size(); ++i) {
    if (item_at[i] >= 0 || IsPredicateAt(i)) continue;
    std::string modality = ClauseModality(i);
    const std::vector<Frame>* frames = nullptr;
    if (t[i].cyrillic) {
      for (const auto& [stem, f] : r.nouns_ru)
        if (t[i].lower.rfind(stem, 0) == 0) {
          frames = &f;
          break;
        }
    } else if (auto it = r.nouns.find(t[i].lower); it != r.nouns.end()) {
      frames = &it->second;
    }
    if (!frames) continue;
    // Arguments: the modifier before (within the noun phrase), the
    // possessor, and prepositional phrases after.
    std::map<std::string, int> role;
    std::vector<std::pair<std::string, std::string>> pair_args;
    size_t x = i;
    int words = 0;
    std::string qualifier;
    std::vector<std::string> qualifiers;  // "trade, financial, and technology ties"
    while (x > 0 && words < 8 && !GapHas(t[x].gap, ";:()")) {
      size_t p = x - 1;
      // Commas and "and" only between modifiers.
      if (GapHas(t[x].gap, ",") && item_at[p] >= 0) break;
      if (item_at[p] >= 0) {
        const Item& it = items[static_cast<size_t>(item_at[p])];
        if (it.kind == Item::kPair) {
          role["pair"] = it.list;
        } else if (it.possessive) {
          if (!role.count("possessor")) role["possessor"] = it.list;
        } else {
          // "Russia-China", "Russian-Chinese": a pair of modifiers.
          if (it.first > 0 && item_at[it.first - 1] >= 0 && DashGap(t[it.first].gap)) {
            const Item& a = items[static_cast<size_t>(item_at[it.first - 1])];
            pair_args = {{a.slugs[0], a.surface}, {it.slugs[0], it.surface}};
            x = a.first;
            ++words;
            continue;
          }
          if (!role.count("modifier")) role["modifier"] = it.list;
        }
        x = it.np_first < it.first ? it.first : it.first;
        x = it.first;
      } else {
        const std::string& w = t[p].lower;
        if (r.pair_phrases_single.count(w) && !pair.empty()) {
          pair_args = {{pair[0], t[p].raw}, {pair[1], t[p].raw}};
        } else if (w == "and" || w == "or") {
          x = p;
          ++words;
          continue;
        } else if (r.prepositions.count(w) || IsVerbWord(p) || r.conjunctions.count(w) ||
                   r.relatives.count(w)) {
          break;
        }
        if (!r.determiners.count(w)) {
          if (qualifier.empty()) qualifier = w;
          qualifiers.push_back(w);
        }
        x = p;
      }
      ++words;
    }
    // Prepositional phrases after the noun, up to the next verb.
    for (size_t y = i + 1; y < t.size() && y < i + 12; ++y) {
      if (IsPredicateAt(y) || (ClauseBoundary(y) && y > i + 1)) break;
      if (item_at[y] < 0) {
        if (t[y].lower == "between") {
          // "between A and B": the list after it.
          for (size_t z = y + 1; z < t.size() && z < y + 4; ++z)
            if (item_at[z] >= 0) {
              auto m = Members(items[static_cast<size_t>(item_at[z])].list);
              if (m.size() >= 2) pair_args = {m[0], m[1]};
              break;
            }
        }
        continue;
      }
      const Item& it = items[static_cast<size_t>(item_at[y])];
      const List& l = lists[static_cast<size_t>(it.list)];
      if (!l.governed_by.empty() && !role.count(l.governed_by)) role[l.governed_by] = it.list;
      y = std::max(y, l.last);
    }
    // The subject of the clause, for "A and B signed agreements".
    // The clause's subject when the noun is the object of its verb: "China
    // and Russia established relations", "reached agreements".
    int clause_subject = -1;
    for (size_t pi = 0; pi < preds.size(); ++pi)
      if (preds[pi].verb < i && preds[pi].verb + 6 >= i && subjects_.size() > pi) {
        bool boundary = false;
        for (size_t y = preds[pi].verb + 1; y <= i; ++y) boundary = boundary || ClauseBoundary(y);
        if (!boundary) clause_subject = subjects_[pi];
      }
    std::vector<const Frame*> expanded;
    for (const Frame& f : *frames) expanded.push_back(&f);
    for (const Frame* fp : expanded)
      for (const std::string& qual :
           qualifiers.empty() ? std::vector<std::string>{""} : qualifiers) {
        const Frame& f = *fp;
        std::string relation = f.relation;
        if (auto q = f.qualified.find(qual); q != f.qualified.end()) relation = q->second;
        std::string why = "noun '" + t[i].raw + "'";
        std::string domain = DomainFor(relation, f.domain);
        if (f.symmetric) {
          if (pair_args.empty() && role.count("pair")) {
            auto m = Members(role["pair"]);
            if (m.size() >= 2) pair_args = {m[0], m[1]};
          }
          if (pair_args.empty()) {
            // "A's N with B", "A N with B", "N of A with B".
            int a = role.count("possessor")  ? role["possessor"]
                    : role.count("modifier") ? role["modifier"]
                    : role.count("of")       ? role["of"]
                                             : -1;
            int b = role.count("with") ? role["with"] : -1;
            if (a >= 0 && b >= 0) {
              Emit(relation, a, b, false, modality, domain, why + " with");
              continue;
            }
            // A list of two or more as its modifier: "U.S. and EU cooperation".
            if (a >= 0 && Members(a).size() >= 2) {
              auto m = Members(a);
              pair_args = {m[0], m[1]};
            }
          }
          if (pair_args.empty() && clause_subject >= 0 && Members(clause_subject).size() >= 2) {
            auto m = Members(clause_subject);
            pair_args = {m[0], m[1]};
          }
          int reading = 2;
          // Unqualified in a note about two parties: theirs ("areas of cooperation").
          // Not a capitalised word inside a sentence or a headline: "Commerce"
          // is the department.
          bool name_like = t[i].capitalised && (i > 0 || IsTitleCase(text));
          if (pair_args.empty() && pair.size() == 2 && !name_like && !role.count("possessor") &&
              !role.count("modifier") && !role.count("with") && !role.count("between") &&
              !role.count("of")) {
            pair_args = {{pair[0], NameOf(pair[0])}, {pair[1], NameOf(pair[1])}};
            reading = 3;
          }
          if (pair_args.size() == 2)
            EmitOne(relation, pair_args[0].first, pair_args[1].first, pair_args[0].second,
                    pair_args[1].second, false, modality, domain,
                    why + (reading == 3 ? " in a note about the two" : " of a pair"), reading);
          continue;
        }
        int src = -1, dst = -1;
        for (const auto& s : f.src)
          if (role.count(s)) {
            src = role[s];
            break;
          }
        for (const auto& d : f.dst)
          if (role.count(d) && role[d] != src) {
            dst = role[d];
            break;
          }
        if (src >= 0 && dst >= 0) Emit(relation, src, dst, false, modality, domain, why);
      }
  }
}

void ProseReader::Impl::RoleClaims() {
  for (size_t i = 0; i < t.size(); ++i) {
    if (item_at[i] >= 0) continue;
    std::string modality = ClauseModality(i);
    std::string w = t[i].lower;
    auto ri = r.role_index.find(w);
    if (ri == r.role_index.end() && w.size() > 3 && w.back() == 's')
      ri = r.role_index.find(w.substr(0, w.size() - 1));
    if (ri == r.role_index.end()) continue;
    const RoleRule& role = r.roles[ri->second];
    // The other party: a possessor or modifier before, or of/to/for after.
    int other = -1;
    std::string qualifier;
    size_t x = i;
    int words = 0;
    while (x > 0 && words < 4 && !GapHas(t[x].gap, ",;:()")) {
      size_t p = x - 1;
      if (item_at[p] >= 0) {
        const Item& it = items[static_cast<size_t>(item_at[p])];
        // What is supplied, inside the noun phrase: "a leading oil supplier".
        if (!it.possessive && it.kind == Item::kName &&
            (it.type == "resource" || it.type == "technology" || it.type == "sector")) {
          x = it.first;
          ++words;
          continue;
        }
        if (it.possessive || it.kind == Item::kDemonym) other = it.list;
        break;
      }
      // An -ing word that is no predicate of the clause describes the noun
      // ("a leading supplier", "a growing market").
      bool describing = t[p].lower.ends_with("ing") && !IsPredicateAt(p);
      if (r.prepositions.count(t[p].lower) || (IsVerbWord(p) && !describing)) break;
      if (qualifier.empty() && !r.determiners.count(t[p].lower)) qualifier = t[p].lower;
      x = p;
      ++words;
    }
    size_t np_first = x;
    if (other < 0)
      for (size_t y = i + 1; y < t.size() && y < i + 4; ++y) {
        if (item_at[y] >= 0) {
          const Item& it = items[static_cast<size_t>(item_at[y])];
          const std::string& g = lists[static_cast<size_t>(it.list)].governed_by;
          if (g == "of" || g == "to" || g == "for" || g == "in" || g == "with") other = it.list;
          break;
        }
        if (IsVerbWord(y)) break;
      }
    if (other < 0) continue;
    // The holder: the subject of a copula before the noun phrase, or the
    // name this one stands in apposition to.
    int holder = -1;
    size_t b = np_first;
    if (b > 0 && (r.copulas.count(t[b - 1].lower) || r.be.count(t[b - 1].lower) ||
                  (b > 1 && t[b - 1].lower == "as" && r.copulas.count(t[b - 2].lower)))) {
      size_t c = b - 1;
      if (t[c].lower == "as") --c;
      while (c > 0 && (r.adverbs.count(t[c - 1].lower) || r.have.count(t[c - 1].lower) ||
                       r.modals.count(t[c - 1].lower) || t[c - 1].lower == "long"))
        --c;
      for (size_t z = c; z-- > 0;) {
        if (item_at[z] >= 0) {
          const Item& it = items[static_cast<size_t>(item_at[z])];
          if (lists[static_cast<size_t>(it.list)].governed_by.empty() && !it.possessive)
            holder = it.list;
          break;
        }
        if (GapHas(t[z + 1].gap, ",;:") || IsVerbWord(z)) break;
      }
    } else if (b > 0 && GapHas(t[b].gap, ",") && item_at[b - 1] >= 0) {
      holder = items[static_cast<size_t>(item_at[b - 1])].list;  // apposition
    }
    if (holder < 0) continue;
    std::string relation = role.relation;
    if (auto q = role.qualified.find(qualifier); q != role.qualified.end()) relation = q->second;
    std::string why = "role '" + t[i].raw + "'";
    std::string domain = DomainFor(relation, role.domain);
    if (role.holder_is_src)
      Emit(relation, holder, other, false, modality, domain, why);
    else
      Emit(relation, other, holder, false, modality, domain, why);
  }
}

}  // namespace sinew::prose
