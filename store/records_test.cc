#include "store/records.h"

#include <doctest/doctest.h>

namespace sinew {
namespace {

EvidenceRecord Ev(const char* rel, int cred, EvidenceStatus st = EvidenceStatus::kAccepted) {
  EvidenceRecord e;
  e.reliability = rel;
  e.credibility = cred;
  e.status = st;
  return e;
}

}  // namespace

TEST_CASE("names fold case, diacritics, punctuation and Cyrillic capitals") {
  CHECK(NormalizeName("Russian Federation") == "russian federation");
  CHECK(NormalizeName("  CR-929 ") == "cr 929");
  CHECK(NormalizeName("Société Générale") == "societe generale");
  CHECK(NormalizeName("Россия") == "россия");
  CHECK(NormalizeName("РОССИЯ") == "россия");
  CHECK(NormalizeName("Ёлка") == "елка");
  CHECK(NormalizeName("People's Republic of China") == "peoples republic of china");
  CHECK(NormalizeName("China’s") == "chinas");
  CHECK(NormalizeName("EU-28") == "eu 28");
  CHECK(NormalizeName("Straße") == "strasse");
  CHECK(NormalizeName("...") == "");
  // Bytes that are not UTF-8 become separators, never a crash.
  CHECK(NormalizeName(std::string("a\xff\xfe"
                                  "b")) == "a b");
}

TEST_CASE("edge qualifiers derive from accepted evidence by the documented rules") {
  EvidenceRecord a = Ev("B", 2);  // 0.8 * 0.8 = 0.64
  a.strength = 0.8;
  a.replaceability = 0.2;
  a.valid_from = "2014";
  a.modality = Modality::kAssessed;
  EvidenceRecord b = Ev("A", 1);  // 0.95 * 0.95 = 0.9025
  b.strength = 0.6;
  b.replaceability = 0.4;
  b.valid_from = "2018-05";
  b.valid_to = "2021";
  b.modality = Modality::kObserved;
  EdgeQualifiers q = DeriveEdge({a, b});
  CHECK(q.status == EvidenceStatus::kAccepted);
  CHECK(q.supporting == 2);
  // noisy-OR: 1 - (1 - 0.64)(1 - 0.9025)
  CHECK(q.confidence == doctest::Approx(1 - 0.36 * 0.0975));
  CHECK(q.strength == doctest::Approx(0.8));        // the strongest
  CHECK(q.replaceability == doctest::Approx(0.3));  // the mean
  CHECK(q.weight == doctest::Approx(0.8 * 0.7));
  CHECK(q.modality == Modality::kObserved);  // the most assertive
  CHECK(q.valid_from == "2014");             // hull of the spans
  CHECK(q.valid_to.empty());                 // a has no end: still true
  CHECK(q.to_hi == kDateMax);
}

TEST_CASE("contradicting evidence lowers confidence, proposed and rejected do not count") {
  EvidenceRecord s = Ev("B", 2);
  EvidenceRecord c = Ev("C", 3);  // 0.6 * 0.6 = 0.36
  c.stance = Stance::kContradicts;
  EdgeQualifiers q = DeriveEdge({s, c});
  CHECK(q.confidence == doctest::Approx(0.64 * (1 - 0.36)));
  CHECK(q.contradicting == 1);

  // Awaiting review, an edge shows what its proposals would add, but stays proposed.
  EdgeQualifiers proposed = DeriveEdge({Ev("A", 1, EvidenceStatus::kProposed)});
  CHECK(proposed.status == EvidenceStatus::kProposed);
  CHECK(proposed.confidence == doctest::Approx(0.9025));
  CHECK(proposed.supporting == 0);
  CHECK(proposed.proposed == 1);
  // Once anything is accepted, proposals no longer count.
  EdgeQualifiers mixed = DeriveEdge({Ev("C", 3), Ev("A", 1, EvidenceStatus::kProposed)});
  CHECK(mixed.status == EvidenceStatus::kAccepted);
  CHECK(mixed.confidence == doctest::Approx(0.36));
  EdgeQualifiers rejected = DeriveEdge({Ev("A", 1, EvidenceStatus::kRejected)});
  CHECK(rejected.status == EvidenceStatus::kRejected);
}

TEST_CASE("evidence above clearance is ignored as if absent") {
  EvidenceRecord clear = Ev("C", 3);
  EvidenceRecord red = Ev("A", 1);
  red.marking = Marking::kRed;
  EdgeQualifiers all = DeriveEdge({clear, red});
  EdgeQualifiers green = DeriveEdge({clear, red}, Marking::kGreen);
  CHECK(all.confidence > green.confidence);
  CHECK(green.confidence == doctest::Approx(0.36));
  CHECK(green.marking_hi == Marking::kClear);
  CHECK(DeriveEdge({red}, Marking::kAmber).supporting == 0);
}

TEST_CASE("locators read as section, paragraph, page and offsets") {
  Locator l;
  l.section = "Sanctions";
  l.paragraph = 2;
  CHECK(l.ToString() == "Sanctions ¶2");
  l.start = 10;
  l.end = 40;
  CHECK(l.ToString() == "Sanctions ¶2 [10..40]");
  l.start = l.end = -1;
  l.page = "14";
  CHECK(l.ToString() == "Sanctions ¶2, p. 14");
  // A table's locator in words is not a page.
  l.section = "flows.csv";
  l.page = "column 4 (bcm)";
  CHECK(l.ToString() == "flows.csv ¶2, column 4 (bcm)");
}

}  // namespace sinew
