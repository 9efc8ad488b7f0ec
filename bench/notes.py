#!/usr/bin/python3
"""How fast sinew ingests prose notes (issue #17, item 5; docs/benchmarks.md).

  bench/notes.py [--reps 5] [--desk DIR] [--out bench/results/notes/DATE.json]

The notes are real: the development half of the prose evaluation set
(tests/eval/prose/dev, government and Kremlin texts nobody wrote for sinew).
Two workloads, each a fresh `sinew ingest` process into a fresh copy of the
default desk (corpus/load.sh, built once), timed from process start to exit
(open, read, link, extract, plan, commit durably):

  one-note  the dev notes' bodies joined into one note of at least 5,000 words
  folder    100 notes in one directory, ingested in one transaction: the dev
            notes in name order, repeated under new file names (each file is
            its own source) until there are 100 (about 250 words each, as the
            real notes are)
  long      100 copies of the joined note in one directory, one transaction

The answers are checked before timing: every run must report the same
number of proposed records as the first. Prints a Markdown table; --out keeps
the figures as JSON.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.environ.get("SINEW_BUILD_DIR", os.path.join(ROOT, "build"))
SINEW = os.path.join(BUILD, "cli", "sinew")
DEV = os.path.join(ROOT, "tests", "eval", "prose", "dev")


def body_of(path):
    """A note's text after its KEY: value header and the blank line."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    at = text.find("\n\n")
    return text[at + 2:] if at >= 0 else text


def words(text):
    return len(text.split())


def timed_ingest(desk, work, paths):
    """Copies the desk, ingests paths in one process; returns (wall ms, peak RSS MiB, output)."""
    store = os.path.join(work, "store")
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(desk, store)
    args = ["/usr/bin/time", "-f", "%M", SINEW, "--db", store, "ingest", "--format", "json"] + paths
    t = time.perf_counter()
    r = subprocess.run(args, capture_output=True, text=True)
    wall = (time.perf_counter() - t) * 1000
    if r.returncode != 0:
        sys.exit(f"bench: {' '.join(args[3:])} failed:\n{r.stderr}")
    rss = int(r.stderr.strip().splitlines()[-1]) / 1024
    return wall, rss, r.stdout


def proposed_records(output):
    """Evidence records the ingest reported adding (claims, mentions, figures): the answer."""
    return sum(r["evidence_added"] for r in json.loads(output)["ingested"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--desk", help="an already loaded default desk to copy (default: build one)")
    ap.add_argument("--out")
    args = ap.parse_args()
    if not os.access(SINEW, os.X_OK):
        sys.exit(f"bench: {SINEW} is not built (scripts/setup.sh)")
    notes = sorted(os.path.join(DEV, n) for n in os.listdir(DEV) if n.endswith(".txt"))
    with tempfile.TemporaryDirectory(prefix="sinew-notes-bench-") as work:
        desk = args.desk
        if not desk:
            desk = os.path.join(work, "desk")
            env = dict(os.environ, SINEW=SINEW)
            r = subprocess.run([os.path.join(ROOT, "corpus", "load.sh"), desk], env=env,
                               capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"bench: corpus/load.sh failed:\n{r.stderr}")

        # One note of at least 5,000 words: the dev bodies, joined.
        parts, n = [], 0
        for p in notes:
            if n >= 5000:
                break
            b = body_of(p)
            parts.append(b.strip())
            n += words(b)
        one = os.path.join(work, "dev-notes-joined.txt")
        with open(one, "w", encoding="utf-8") as f:
            f.write("TITLE: The dev notes of the prose evaluation set, joined (timing only)\n"
                    "DATE: 2026-12-02\n\n" + "\n\n".join(parts) + "\n")
        one_words = n

        # A folder of 100 notes, the dev notes repeated under new names.
        folder = os.path.join(work, "folder")
        os.makedirs(folder)
        folder_words = 0
        for i in range(100):
            src = notes[i % len(notes)]
            name = re.sub(r"^\d+-", "", os.path.basename(src))
            shutil.copyfile(src, os.path.join(folder, f"{i:03d}-{name}"))
            folder_words += words(body_of(src))

        # The same 100 at the one note's length: 100 copies of it.
        long_folder = os.path.join(work, "long")
        os.makedirs(long_folder)
        for i in range(100):
            shutil.copyfile(one, os.path.join(long_folder, f"{i:03d}-joined.txt"))

        rows = []
        for label, paths, w, count in [
                ("one note", [one], one_words, 1),
                ("folder, one transaction", [folder], folder_words, 100),
                ("folder of 5,000-word notes, one transaction", [long_folder], 100 * one_words,
                 100)]:
            walls, rsss, answer = [], [], None
            for _ in range(args.reps):
                wall, rss, out = timed_ingest(desk, work, paths)
                got = proposed_records(out)
                if answer is None:
                    answer = got
                elif got != answer:
                    sys.exit(f"bench: {label}: {got} proposed records, first run gave {answer}")
                walls.append(wall)
                rsss.append(rss)
            rows.append({"workload": label, "notes": count, "words": w, "proposed_records": answer,
                         "wall_ms": walls, "peak_rss_mib": max(rsss)})

    print("| workload | notes | words | proposed records | wall, median (min–max) | peak RSS |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        ws = r["wall_ms"]
        print(f"| {r['workload']} | {r['notes']} | {r['words']:,} | {r['proposed_records']:,} | "
              f"{statistics.median(ws) / 1000:.2f} s ({min(ws) / 1000:.2f}–{max(ws) / 1000:.2f}) | "
              f"{r['peak_rss_mib']:.0f} MiB |")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"date": time.strftime("%Y-%m-%d"), "reps": args.reps, "results": rows}, f,
                      indent=1)


if __name__ == "__main__":
    main()
