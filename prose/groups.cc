// Groups ("Chinese banks", "two Chinese parties"), institutions, events
// and measures named by noun phrases, places, and what the paragraph keeps
// for the next sentence.
#include "prose/reader.h"

namespace sinew::prose {

void ProseReader::Impl::Groups() {
  for (size_t i = 0; i < t.size(); ++i) {
    if (item_at[i] >= 0) continue;
    std::string w = t[i].lower;
    bool institution = r.institution_heads.count(w) > 0;
    // "Russia's invasion of Ukraine", "U.S. sanctions on Russia": an event
    // or a measure named by its noun phrase.
    bool event = r.event_heads.count(w) > 0;
    bool policy = r.policy_heads.count(w) > 0;
    if (!r.group_nouns.count(w) && !institution && !event && !policy) continue;
    // The noun phrase: determiners, numbers, demonyms and adjectives before.
    size_t a = i;
    int demonym = -1, owner = -1;
    int words = 0;
    bool specific = false;
    while (a > 0 && words < 5 && !GapHas(t[a].gap, ",;:()")) {
      size_t p = a - 1;
      if (item_at[p] >= 0) {
        const Item& it = items[static_cast<size_t>(item_at[p])];
        if (it.kind == Item::kDemonym) {
          demonym = item_at[p];
        } else if (it.kind == Item::kName && Space(t[it.last + 1].gap) && owner < 0) {
          owner = item_at[p];  // "Huawei affiliates"
          specific = true;
          p = it.first;
        } else if (it.kind == Item::kReference && it.possessive && owner < 0) {
          owner = item_at[p];  // "its subsidiaries"
          specific = true;
          p = it.first;
        } else {
          break;
        }
      } else if (IsNumber(t[p].lower) || r.determiners.count(t[p].lower) ||
                 r.number_words.count(t[p].lower)) {
        specific = specific || IsNumber(t[p].lower) || r.number_words.count(t[p].lower) ||
                   t[p].lower == "these" || t[p].lower == "those" || t[p].lower == "its" ||
                   t[p].lower == "their";
      } else if (IsFunctionWord(t[p].lower) ||
                 // "designated entities", but not "determined that these companies":
                 // a participle stands after a determiner, never before it.
                 (IsVerbWord(p) && !(t[p].lower.ends_with("ed") && p + 1 == a &&
                                     !r.determiners.count(t[a].lower))) ||
                 r.adverbs.count(t[p].lower) || t[p].capitalised) {
        break;
      }
      a = p;
      ++words;
    }
    if (a < i && r.prepositions.count(t[a].lower)) ++a;
    // "entities in China", "companies on the Entity List".
    int where = -1;  // an item index
    std::string where_prep;
    if (i + 1 < t.size() && (t[i + 1].lower == "in" || t[i + 1].lower == "on" ||
                             t[i + 1].lower == "outside" || t[i + 1].lower == "from"))
      for (size_t y = i + 2; y < t.size() && y < i + 5; ++y)
        if (item_at[y] >= 0) {
          where = item_at[y];
          where_prep = t[i + 1].lower;
          break;
        }
    // What an event or a measure is aimed at: "of Ukraine", "on Russia".
    int target = -1;
    size_t end = i;
    if ((event || policy) && i + 2 < t.size() &&
        (t[i + 1].lower == "of" || t[i + 1].lower == "on" || t[i + 1].lower == "against" ||
         t[i + 1].lower == "in") &&
        !GapHas(t[i + 1].gap, ",;:()")) {
      size_t y = i + 2;
      while (y < t.size() && y < i + 4 && item_at[y] < 0 && r.determiners.count(t[y].lower)) ++y;
      if (y < t.size() && item_at[y] >= 0 && !GapHas(t[y].gap, ",;:()")) {
        target = item_at[y];
        end = items[static_cast<size_t>(target)].last;
      }
    }
    if (event || policy) {
      // Only with an owner ("Russia's invasion") or a target ("sanctions on Russia").
      if (owner < 0 && demonym < 0 && target < 0) continue;
      if (event && owner < 0 && demonym < 0) continue;
      if (r.group_nouns.count(w) || institution) {
        // a plural like "sanctions" is a measure, not a group
      }
    } else {
      if (demonym < 0 && where < 0 && !specific) continue;
      // "Russia's military", "the Russian economy": only with an owner.
      if (institution && !r.group_nouns.count(w) && demonym < 0 && owner < 0) continue;
    }
    while (a < i && r.determiners.count(t[a].lower) && t[a].lower != "its" && t[a].lower != "their")
      ++a;
    std::string name = Possessiveless(Surface(a, end));
    std::string type = event                          ? "event"
                       : policy                       ? "policy"
                       : r.group_types.count(w)       ? r.group_types.at(w)
                       : r.institution_heads.count(w) ? r.institution_heads.at(w)
                                                      : "group";
    if (!schema().HasNodeType(type)) type = "group";
    if (!schema().HasNodeType(type)) continue;
    std::string slug = Slugify(name);
    if (slug.empty()) continue;
    Item it;
    it.first = a;
    it.last = end;
    it.slugs = {slug};
    it.type = type;
    it.surface = name;
    it.kind = Item::kGroup;
    PendingGroup pg;
    pg.always = event || policy;
    if (target >= 0) pg.target = items[static_cast<size_t>(target)];
    pg.item = it;
    if (demonym >= 0) pg.demonym = items[static_cast<size_t>(demonym)];
    if (owner >= 0) pg.owner = items[static_cast<size_t>(owner)];
    pg.where = where;
    pg.where_prep = where_prep;
    pg.name = name;
    pending_groups_.push_back(std::move(pg));
  }
}

void ProseReader::Impl::AddGroups() {
  for (auto& g : pending_groups_) {
    bool free = true;
    for (size_t k = g.item.first; k <= g.item.last; ++k)
      if (item_at[k] >= 0 && items[static_cast<size_t>(item_at[k])].kind != Item::kDemonym &&
          !(g.owner && k >= g.owner->first && k <= g.owner->last))
        free = false;
    if (!free) continue;
    // The demonym inside stays a mention of its state, for the place link.
    for (size_t k = g.item.first; k <= g.item.last; ++k) item_at[k] = -1;
    size_t idx = items.size();
    items.push_back(g.item);
    group_types_[g.item.slugs[0]] = g.item.type;
    for (size_t k = g.item.first; k <= g.item.last; ++k) item_at[k] = static_cast<int>(idx);
    group_items_.push_back(
        GroupItem{idx, g.demonym, g.owner, g.target, g.always, g.where, g.where_prep, g.name});
    // Items folded into the group are gone from the sentence's list.
    for (auto& other : items)
      if (&other != &items[idx] && other.first >= g.item.first && other.last <= g.item.last)
        other.slugs.clear();
  }
  pending_groups_.clear();
}

void ProseReader::Impl::GroupClaims() {
  std::set<std::string> used;
  for (const auto& c : claims) {
    used.insert(c.src);
    used.insert(c.dst);
  }
  for (const auto& g : group_items_) {
    const Item& it = items[g.item];
    if (!used.count(it.slugs[0]) && !g.always) continue;
    // A group in a claim is proposed, with where it is.
    if (!node_index.count(it.slugs[0])) {
      node_index[it.slugs[0]] = nodes.size();
      nodes.push_back(ProseNode{it.slugs[0], it.type, g.name, false,
                                "a " + it.type + " named by a noun phrase ('" + g.name + "')"});
    }
    if (it.type == "policy" && g.target) {
      // The measure targets its target, and its owner imposes it.
      const Item& x = *g.target;
      EmitOne("targets", it.slugs[0], x.slugs[0], g.name, x.surface, false, "observed",
              DomainFor("sanctions", ""), "'" + g.name + "'");
      for (const auto& o : {g.owner, g.demonym})
        if (o && !o->slugs.empty())
          EmitOne("sanctions", o->slugs[0], x.slugs[0], o->surface, x.surface, false, "observed",
                  DomainFor("sanctions", ""), "'" + g.name + "'");
    }
    if (g.demonym && it.type == "group") {
      const Item& d = *g.demonym;
      EmitOne("located_in", it.slugs[0], d.slugs[0], g.name, d.surface, false, "observed",
              "politics", "nationality adjective '" + d.surface + "'");
    }
    if (g.owner && !g.owner->slugs.empty()) {
      const Item& o = *g.owner;
      bool place = o.type == "state" || o.type == "bloc" || o.type == "place";
      EmitOne(place ? "located_in" : "part_of", it.slugs[0], o.slugs[0], g.name, o.surface, false,
              "observed", "politics", "'" + g.name + "' of '" + o.surface + "'");
    }
    if (g.where >= 0) {
      std::string rel = g.where_prep == "on" ? "member_of" : "located_in";
      for (const auto& [m, ms] : Members(items[static_cast<size_t>(g.where)].list))
        if (g.where_prep != "outside")
          EmitOne(rel, it.slugs[0], m, g.name, ms, false, "observed",
                  rel == "member_of" ? DomainFor("member_of", "") : "politics",
                  "'" + g.name + " " + g.where_prep + " " + ms + "'");
    }
  }
}

void ProseReader::Impl::StructureClaims() {
  // "the Keep Huawei on the Entity List Act": an instrument named for a firm targets it.
  for (const NamedIn& n : named_in_)
    EmitOne("targets", n.instrument, n.party, n.instrument_surface, n.party_surface, false,
            "observed", "security", "the firm named in '" + n.instrument_surface + "'", 3);
  auto org = [](const Item& x) { return x.type == "organisation"; };
  for (size_t k = 0; k + 1 < items.size(); ++k) {
    const Item& a = items[k];
    const Item& b = items[k + 1];
    if (a.slugs.empty() || b.slugs.empty() || a.slugs[0] == b.slugs[0]) continue;
    if (a.possessive && org(a) && org(b) && b.first == a.last + 1 && Space(t[b.first].gap))
      EmitOne("part_of", b.slugs[0], a.slugs[0], b.surface, a.surface, false, "observed",
              "politics", "'" + a.surface + " " + b.surface + "'");
    if (org(a) && org(b) && b.governed_by == "in" && b.np_first <= a.last + 3)
      EmitOne("part_of", a.slugs[0], b.slugs[0], a.surface, b.surface, false, "observed",
              "politics", "'" + a.surface + " in " + b.surface + "'");
  }
}

void ProseReader::Impl::ShareClaims() {
  // "China accounted for 18% of Russia's trade": at a tenth or more, the
  // one whose trade it is depends on the other (a smaller share is a figure,
  // not a dependency).
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (!r.share_verbs.count(t[i].lower) || t[i + 1].lower != "for") continue;
    int holder = -1;  // the one accounting: the nearest free name before
    for (size_t x = i; x-- > 0;) {
      if (ClauseBoundary(x + 1)) break;
      if (item_at[x] < 0) continue;
      const Item& it = items[static_cast<size_t>(item_at[x])];
      if (lists[static_cast<size_t>(it.list)].governed_by.empty() && !it.possessive)
        holder = it.list;
      break;
    }
    if (holder < 0) continue;
    double percent = -1;
    std::string number;
    for (size_t y = i + 2; y < t.size() && y < i + 12; ++y) {
      if (ClauseBoundary(y) && y > i + 2) break;
      // "18%" (the sign sits in the next gap) or "18 percent".
      if (percent < 0 && IsNumber(t[y].lower) && y + 1 < t.size() &&
          (GapHas(t[y + 1].gap, "%") || t[y + 1].lower == "percent")) {
        number = t[y].raw;
        percent = std::atof(number.c_str());
      }
      if (item_at[y] < 0) continue;
      const Item& it = items[static_cast<size_t>(item_at[y])];
      if (!it.possessive || it.last + 1 >= t.size() || !r.share_flows.count(t[it.last + 1].lower))
        break;
      if (percent >= 10)
        for (const auto& [d, ds] : Members(it.list))
          for (const auto& [h, hs] : Members(holder))
            EmitOne("depends_on", d, h, ds, hs, false, ClauseModality(i), "trade",
                    "share: " + hs + " accounts for " + number + "% of " + Possessiveless(ds) +
                        "'s " + t[it.last + 1].raw,
                    3);
      break;
    }
  }
}

void ProseReader::Impl::PlaceClaims() {
  // "Russia-led organisations including A and B", "the Russia-led CSTO":
  // the one who leads controls what the noun phrase names.
  for (size_t i = 1; i < t.size(); ++i) {
    if (!r.led_words.count(t[i].lower) || item_at[i - 1] < 0) continue;
    const Item& leader = items[static_cast<size_t>(item_at[i - 1])];
    if (!leader.hyphen_next) continue;  // "Russia-led", "U.S.-led"
    for (size_t y = i + 1; y < t.size() && y < i + 7; ++y) {
      if (IsPredicateAt(y) || (ClauseBoundary(y) && y > i + 1)) break;
      // "Russia-led talks, Ukraine said": a comma ends the phrase, but for "including".
      if (y > i + 1 && GapHas(t[y].gap, ",;:()") && t[y].lower != "including") break;
      if (item_at[y] < 0) continue;
      const Item& it = items[static_cast<size_t>(item_at[y])];
      const std::string& g = lists[static_cast<size_t>(it.list)].governed_by;
      if (!g.empty() && g != "including" && g != "like") break;
      for (const auto& [l, ls] : Members(leader.list))
        for (const auto& [m, ms] : Members(it.list))
          EmitOne("controls", l, m, ls, ms, false, ClauseModality(y), "politics",
                  "'" + leader.surface + "-led " + ms + "'", 3);
      break;
    }
  }
  // "The five countries of Central Asia—Kazakhstan, …, and Uzbekistan—":
  // the members a region's group names between dashes lie in it.
  for (size_t k = 0; k + 1 < items.size(); ++k) {
    const Item& region = items[k];
    if (region.governed_by != "of" && region.governed_by != "in") continue;
    if (region.np_first < 2 || !r.region_members.count(t[region.np_first - 2].lower)) continue;
    if (region.type == "state") continue;  // "the main suppliers of China—A and B—"
    const Item& next = items[k + 1];
    if (next.np_first != region.last + 1 || !DashGap(t[next.np_first].gap)) continue;
    if (Members(next.list).size() < 2) continue;
    for (const auto& [m, ms] : Members(next.list))
      EmitOne("located_in", m, region.slugs[0], ms, region.surface, false, "observed", "politics",
              "the " + t[region.np_first - 2].raw + " of " + region.surface + ", listed", 3);
  }
  for (size_t i = 1; i < t.size(); ++i) {
    if (t[i].lower != "based" || t[i].gap != "-" || item_at[i - 1] < 0) continue;
    const Item& place = items[static_cast<size_t>(item_at[i - 1])];
    // The thing based there: the next item, or a definite reference.
    for (size_t y = i + 1; y < t.size() && y < i + 4; ++y)
      if (item_at[y] >= 0) {
        const Item& it = items[static_cast<size_t>(item_at[y])];
        for (const auto& [p, ps] : Members(place.list))
          EmitOne("located_in", it.slugs[0], p, it.surface, ps, false, "observed", "politics",
                  "'" + place.surface + "-based'");
        break;
      }
  }
}

}  // namespace sinew::prose
