// `sinew ingest`: every file read and checked against the store and the
// files before it, then all written in one atomic step.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/command_table.h"
#include "ingest/ingest.h"

namespace sinew::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

bool Json(const Context& ctx) { return ctx.format == "json"; }

// Files to ingest: each path, or the notes inside a directory in name order.
Result<std::vector<std::string>> ExpandPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> inside;
      for (const auto& entry : fs::directory_iterator(p, ec)) {
        std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() &&
            (ext == ".json" || ingest::ReadsAgainstStore(entry.path().string())))
          inside.push_back(entry.path().string());
      }
      if (ec) return Status::Invalid("cannot list " + p + ": " + ec.message());
      std::sort(inside.begin(), inside.end());
      if (inside.empty()) return Status::Invalid("no notes (.json, .md, .txt) in directory " + p);
      out.insert(out.end(), inside.begin(), inside.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

// A progress bar on standard error when it is a terminal and a load takes
// long enough to want one; empty otherwise. stage == nullptr ends the bar.
Store::Progress ProgressBar() {
  if (!::isatty(2)) return nullptr;
  auto start = std::chrono::steady_clock::now();
  auto shown = std::make_shared<bool>(false);
  return [start, shown](const char* stage, uint64_t done, uint64_t total) {
    if (stage == nullptr) {
      if (*shown) std::cerr << "\r\033[K" << std::flush;
      return;
    }
    if (!*shown && std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) return;
    *shown = true;
    int width = 30;
    int fill = total ? static_cast<int>(width * std::min(done, total) / total) : 0;
    std::cerr << "\r\033[K" << stage << " [" << std::string(fill, '#')
              << std::string(width - fill, ' ') << "] " << done << "/" << total << std::flush;
  };
}

// A note whose source id the store already holds from another file would
// replace that file's claims: most often a copied note whose id was not
// changed, or a note posing as another's revision. Refused unless the
// analyst says --replace; re-ingesting the same file name is a revision.
// Commits the transaction unless this is a dry run (nothing written then).
Result<Store::Transaction::Written> CommitUnlessDry(Store::Transaction* tx, bool dry_run,
                                                    const Store::Progress& progress) {
  if (dry_run) return Store::Transaction::Written{};
  Result<Store::Transaction::Written> w = tx->Commit(progress);
  if (progress) progress(nullptr, 0, 0);
  return w;
}

Status CheckNotTakenOver(const StoreView& view, const Batch& batch) {
  Result<SourceRecord> held = view.SourceBySlug(batch.source.slug, false);
  if (!held.ok() || held->file.empty()) return Status::Ok();
  if (fs::path(held->file).filename() == fs::path(batch.file).filename()) return Status::Ok();
  SourcePlace place = batch.source_place;
  if (place.file.empty()) place.file = batch.file;
  return Status::Invalid("source '" + batch.source.slug + "' is already in the store from " +
                             held->file +
                             "; this file would replace what that one says. If it is a "
                             "revision, ingest it with --replace; if not, give it its own id",
                         place);
}

// `ingest --list ofac-sdn [--snapshot DATE] FILE`: one snapshot of a
// sanctions list as a revision of its source, recorded at the snapshot's date.
Status RunListIngest(const Context& ctx, const IngestArgs& args, std::ostream& out) {
  if (args.list != "ofac-sdn")
    return Status::Invalid("unknown list '" + args.list + "': the lists sinew reads are: ofac-sdn");
  if (args.paths.size() != 1)
    return Status::Invalid("--list reads one snapshot file at a time (ingest them in date order)");
  const std::string& path = args.paths[0];
  std::string snapshot = args.snapshot.empty() ? ingest::SnapshotDateOfName(path) : args.snapshot;
  if (snapshot.empty())
    return Status::Invalid(
        "--snapshot YYYY-MM-DD is needed: the list holds no date and the "
        "file's name is not sdn-YYYY-MM-DD.csv[.gz]",
        SourcePlace{path, 0, 0, ""});
  std::string mapping = kBundledOfacMapping,
              mapping_file = "corpus/mappings/ofac-sdn.json (bundled)";
  if (!args.mapping.empty()) {
    Result<std::string> m = ReadSettingsFile(args.mapping, "mapping file");
    if (!m.ok()) return m.status();
    mapping = std::move(m).value();
    mapping_file = args.mapping;
  }
  Result<std::string> bytes = ingest::ReadListFile(path);
  if (!bytes.ok()) return bytes.status();
  Result<std::unique_ptr<Store>> store = OpenWriter(ctx);
  if (!store.ok()) return store.status();
  std::unique_ptr<Store::Transaction> tx = (*store)->Begin();
  Result<ingest::SdnReading> read = [&] {
    auto view = tx->View();
    return ingest::ReadOfacSdn(bytes.value(), path, snapshot, mapping, mapping_file, *view);
  }();
  if (!read.ok()) return read.status();
  ingest::SdnReading& r = read.value();
  r.batch.recorded_at = snapshot + "T00:00:00Z";  // the list's time, not the clock's
  r.batch.analyst = ctx.analyst;
  Result<ApplyReport> applied = tx->AddReleasing(&r.batch);
  if (!applied.ok()) return applied.status();
  Store::Progress progress = ProgressBar();
  Result<Store::Transaction::Written> committed = CommitUnlessDry(tx.get(), args.dry_run, progress);
  if (!committed.ok()) return committed.status();
  Store::Transaction::Written written = committed.value();
  if (Json(ctx)) {
    json reported = json::object();
    for (const auto& [kind, items] : r.reported) {
      json list = json::array();
      for (const auto& [item, n] : items) list.push_back(item);
      reported[kind] = list;
    }
    out << query::JsonText(
               json{{"list", args.list},
                    {"snapshot", snapshot},
                    {"previous", r.previous},
                    {"entries", r.entries},
                    {"designated", r.designated},
                    {"delisted", r.delisted},
                    {"amended", r.amended},
                    {"resolved", r.resolved},
                    {"reported", reported},
                    {"ingested", query::ApplyReportJson(path, applied.value(), args.dry_run)},
                    {"writes", written.writes}})
        << "\n";
    return Status::Ok();
  }
  out << args.list << " " << snapshot
      << (r.previous.empty() ? " (first snapshot: listed on or before it)"
                             : " (after " + r.previous + ")")
      << ": " << r.entries << " entries, " << r.designated << " designated, " << r.delisted
      << " delisted, " << r.amended << " amended, " << r.resolved
      << " matched to nodes the store held\n";
  query::PrintApplyReport(path, applied.value(), args.dry_run, out);
  for (const std::string& note : r.batch.notes) out << "  reported: " << note << "\n";
  return Status::Ok();
}

}  // namespace

Status RunIngest(Call& call, std::ostream& out) {
  const Context& ctx = call.ctx();
  const IngestArgs& args = call.inv.ingest;
  if (!args.list.empty()) return RunListIngest(ctx, args, out);
  if (!args.snapshot.empty())
    return Status::Invalid("--snapshot dates a --list file (e.g. --list ofac-sdn)");
  Result<std::vector<std::string>> files = ExpandPaths(args.paths);
  if (!files.ok()) return files.status();
  // Extraction rules: --rules, else $SINEW_RULES, else the bundled copy.
  ingest::TextContext text;
  text.rules_text = kBundledRules;
  text.rules_file = "corpus/rules.json (bundled)";
  std::string rules_path = args.rules;
  if (rules_path.empty())
    if (const char* env = std::getenv("SINEW_RULES"); env && *env) rules_path = env;
  if (!rules_path.empty()) {
    Result<std::string> rules = ReadSettingsFile(rules_path, "rules file");
    if (!rules.ok()) return rules.status();
    text.rules_text = std::move(rules).value();
    text.rules_file = rules_path;
  }
  text.stix_mapping_text = kBundledStixMapping;
  text.stix_mapping_file = "corpus/mappings/stix.json (bundled)";
  if (!args.mapping.empty()) {
    Result<std::string> mapping = ReadSettingsFile(args.mapping, "mapping file");
    if (!mapping.ok()) return mapping.status();
    // A STIX mapping replaces the bundled one; any other is a table's.
    if (mapping->find("\"sinew-stix-mapping/") != std::string::npos) {
      text.stix_mapping_text = std::move(mapping).value();
      text.stix_mapping_file = args.mapping;
    } else {
      text.mapping_text = std::move(mapping).value();
      text.mapping_file = args.mapping;
    }
  }
  // Structured notes are read and checked for shape before anything is
  // written; text notes are read against the store just before they apply,
  // so they link the names the notes before them added.
  std::vector<std::optional<Batch>> batches(files->size());
  std::vector<Status> errors;
  std::vector<Batch> partial;  // sound parts of broken notes, still worth checking
  for (size_t i = 0; i < files->size(); ++i) {
    if (ingest::ReadsAgainstStore((*files)[i])) continue;
    ingest::NoteReading r = ingest::ReadFileLeniently((*files)[i]);
    if (!r.errors.ok()) {
      errors.push_back(r.errors);
      if (r.checkable) partial.push_back(std::move(r.batch));
      continue;
    }
    batches[i] = std::move(r.batch);
  }
  if (!errors.empty()) {
    // Report what the store would also object to (unknown nodes, types,
    // domains) in the same pass, so one fix-up round suffices.
    Result<std::unique_ptr<Store>> store = OpenWriter(ctx);
    if (store.ok()) {
      for (const Batch& b : partial) {
        Result<ApplyReport> r = (*store)->Apply(b, /*dry_run=*/true);
        if (!r.ok()) errors.push_back(r.status());
      }
    }
    return Status::Combine(errors);
  }
  Result<std::unique_ptr<Store>> store = OpenWriter(ctx);
  if (!store.ok()) return store.status();
  // Every file is checked against the store and the files before it, then
  // all are written in one atomic step: a bad file leaves the store as it was.
  std::unique_ptr<Store::Transaction> tx = (*store)->Begin();
  std::unique_ptr<StoreView> before = (*store)->View();  // sources held before this command
  Store::Progress progress = ProgressBar();
  std::vector<std::pair<const Batch*, ApplyReport>> done;
  std::deque<Batch> expanded;          // stable addresses: files may hold several sources
  std::vector<std::string> unchanged;  // exports whose every source the store holds
  for (size_t i = 0; i < files->size(); ++i) {
    std::vector<Batch> read;
    if (batches[i]) {
      read.push_back(std::move(*batches[i]));
    } else {
      auto view = tx->View();
      text.view = view.get();
      Result<std::vector<Batch>> b = ingest::ReadFileBatches((*files)[i], &text);
      if (!b.ok()) {
        if (i > 0) out << "nothing written: " << (*files)[i] << " cannot be read\n";
        return b.status();
      }
      read = std::move(b).value();
      if (read.empty()) unchanged.push_back((*files)[i]);
    }
    for (Batch& batch : read) {
      batch.recorded_at = NowIso();
      batch.analyst = ctx.analyst;
      expanded.push_back(std::move(batch));
      Result<ApplyReport> r = tx->AddReleasing(&expanded.back());
      if (!r.ok()) {
        if (i > 0) out << "nothing written: " << expanded.back().file << " was refused\n";
        return r.status();
      }
      // After the store's own checks, so a note's errors come first.
      if (!args.replace) SINEW_RETURN_IF_ERROR(CheckNotTakenOver(*before, expanded.back()));
      done.emplace_back(&expanded.back(), std::move(r).value());
      if (progress) progress("checking", i + 1, files->size());
    }
  }
  Result<Store::Transaction::Written> committed = CommitUnlessDry(tx.get(), args.dry_run, progress);
  if (!committed.ok()) return committed.status();
  Store::Transaction::Written written = committed.value();
  // One report per file; a file of several sources (an export) is summed.
  json reports = json::array();
  for (const std::string& f : unchanged) {
    if (Json(ctx))
      reports.push_back({{"file", f}, {"unchanged", true}});
    else
      out << "unchanged " << f << ": every source it holds is already in the store\n";
  }
  for (size_t k = 0; k < done.size();) {
    const Batch& batch = *done[k].first;
    size_t end = k + 1;
    while (end < done.size() && done[end].first->file == batch.file) ++end;
    if (end - k == 1) {
      const ApplyReport& r = done[k].second;
      if (Json(ctx)) {
        json report = query::ApplyReportJson(batch.file, r, args.dry_run);
        if (!batch.counts.empty()) report["read"] = batch.counts;
        if (!batch.notes.empty()) report["left_out"] = batch.notes;
        reports.push_back(std::move(report));
      } else {
        query::PrintApplyReport(batch.file, r, args.dry_run, out);
        for (const std::string& note : batch.notes) out << "  left out: " << note << "\n";
      }
    } else {
      ApplyReport t;
      for (size_t m = k; m < end; ++m) {
        t.nodes_added += done[m].second.nodes_added;
        t.edges_added += done[m].second.edges_added;
        t.evidence_added += done[m].second.evidence_added;
        t.observations += done[m].second.observations;
      }
      if (Json(ctx))
        reports.push_back({{"file", batch.file},
                           {"batches", end - k},
                           {"dry_run", args.dry_run},
                           {"nodes_added", t.nodes_added},
                           {"edges_added", t.edges_added},
                           {"evidence_added", t.evidence_added},
                           {"observations", t.observations}});
      else
        out << (args.dry_run ? "would import " : "imported ") << batch.file << ": " << end - k
            << " batches, +" << t.nodes_added << " nodes, +" << t.edges_added << " edges, "
            << t.evidence_added << " new evidence, " << t.observations << " observations\n";
      for (size_t m = k; m < end; ++m)
        for (const std::string& note : done[m].first->notes) {
          if (Json(ctx))
            reports.back()["left_out"].push_back(note);
          else
            out << "  left out: " << note << "\n";
        }
    }
    k = end;
  }
  if (Json(ctx)) {
    out << query::JsonText(
               json{{"ingested", reports}, {"writes", written.writes}, {"bulk", written.bulk}})
        << "\n";
  } else if (written.bulk) {
    out << "wrote " << written.writes << " keys as sorted table files (the bulk path)\n";
  }
  return Status::Ok();
}

}  // namespace sinew::cli
