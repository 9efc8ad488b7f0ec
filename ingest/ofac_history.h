// Private to ingest/: the earlier snapshots of a list as the store holds
// them, and the batch writer the snapshot reader and the carry-over share
// (ofac_history.cc; ofac_snapshot.cc reads the snapshot itself).
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ingest/ofac_reader.h"

namespace sinew::ingest::ofac {

// What the store holds of one entry from the earlier snapshots.
struct Held {
  std::string slug, type;
  NodeClaim claim;     // this source's claim on the node
  bool listed = true;  // in the last snapshot
};

struct History {
  SourceId own = 0;
  std::string last;  // the last snapshot's date; "" when none
  nlohmann::json ingested = nlohmann::json::array();
  std::map<int64_t, Held> entries;  // by ent_num
  std::set<std::string> own_nodes;  // every node this source claims
  // valid_from of every designation and programme key held.
  std::unordered_map<std::string, std::string> valid_from;
  // A designation or programme key is one listing window: a key whose window
  // is closed (the entry was delisted, or lost the programme) stays closed,
  // and a later relisting opens a new key, "<key>@<first day>". By the key
  // without that suffix: the key of the window still open, if any.
  std::unordered_map<std::string, std::string> open_key;
  // The records of what this snapshot no longer lists, to assert again.
  std::vector<EvidenceRecord> carried;
};

// The source's props and the entries it claims (no evidence yet).
Result<History> LoadHistory(const StoreView& view, const std::string& slug);
// The source's evidence: valid_from by key, the open window of each
// designation, and in `carried` the records of entries absent from `listed`
// (ent_num -> the programme codes it has now), of programmes an entry has
// lost and of every closed window (asserted again, so a relisting keeps the
// gap before it).
Status LoadEvidence(const StoreView& view, const std::map<int64_t, std::set<std::string>>& listed,
                    History* h);

// The ent_num a key is about ("designation:17013:RUSSIA-EO14024",
// "programme:RUSSIA-EO14024:17013", "linked:17013:...", "country:17013:..."),
// -1 when none; `kind` and `code` (the programme code) are filled in. A
// window's "@<day>" suffix is not part of the code.
int64_t EntOfKey(const std::string& key, std::string* kind, std::string* code);
// A designation or programme key without its window suffix (a trailing
// "@YYYY-MM-DD").
std::string KeyOfWindow(const std::string& key);

// An evidence draft as the list grades it: A1, observed.
EvidenceDraft ListEvidence(const std::string& key, const std::string& quote, Locator loc,
                           const std::string& file);

// Builds the batch: nodes declared once, links merged by their endpoints.
class SnapshotWriter {
 public:
  SnapshotWriter(const Mapping& m, const StoreView& view, const History& h, Batch* b)
      : m_(m), view_(view), h_(h), b_(b) {}
  const std::string& file() const { return b_->file; }
  bool Exists(const std::string& slug);
  // A node the list needs (the authority, a programme): declared when the
  // store lacks it or this source declared it before; else the store's.
  void Need(const std::string& slug, const std::string& type, const std::string& name,
            std::vector<std::string> aliases, nlohmann::json props);
  void Node(NodeDraft d);
  bool Declared(const std::string& slug) const { return declared_.count(slug) > 0; }
  void Link(const std::string& src, const std::string& type, const std::string& dst,
            const std::string& domain, EvidenceDraft e);
  // The slug of a programme's node, declared as needed; an unknown code is
  // kept under its own code.
  std::string Programme(const std::string& code);

 private:
  const Mapping& m_;
  const StoreView& view_;
  const History& h_;
  Batch* b_;
  std::map<std::string, bool> exists_;
  std::set<std::string> declared_;
  std::unordered_map<std::string, size_t> links_;
};

// Entries of earlier snapshots that this one (`present`) lacks: their node
// claims asserted again (newly gone ones marked `delisted` = `window`), and
// every carried record, designations closed within `window`. Returns how
// many entries were listed in the last snapshot and are gone now.
int CarryOver(const History& h, const std::set<int64_t>& present, const std::string& window,
              const std::string& authority, const StoreView& view, SnapshotWriter* w);

}  // namespace sinew::ingest::ofac
