#!/usr/bin/env python3
"""The layering of docs/architecture.md, checked include by include.

Each product folder is one library. A file may include its own module's
headers, and only the public headers of the modules below it:

    store                    (nothing of sinew)
    prose   -> store
    ingest  -> store, prose
    graph   -> store
    cypher                   (nothing of sinew)
    query   -> store, graph, cypher
    cli     -> store, ingest, graph, cypher, query

Third-party libraries stay in their rooms: RocksDB in store/, Boost.Graph in
graph/, cpp-httplib in cli/serve.cc, readline in cli/shell.cc, CLI11 in
cli/dispatch.cc. Tests beside the code (*_test.cc) may read their own
module's private headers; tests/, bench/ and fuzz/ only public ones.

It also checks the sizes docs/architecture.md promises: no product file
over 600 lines, no module over a quarter of the product.

Usage: layering_test.py SOURCE_DIR. Before checking the tree it checks
itself on a small tree with one violation of each kind, so it cannot pass by
seeing nothing. Exit 0 when clean, 1 with one line per violation.
"""
import os
import re
import sys
import tempfile

ALLOWED = {
    "store": set(),
    "prose": {"store"},
    "ingest": {"store", "prose"},
    "graph": {"store"},
    "cypher": set(),
    "query": {"store", "graph", "cypher"},
    "cli": {"store", "ingest", "graph", "cypher", "query"},
}
PUBLIC = {
    "store": {"store.h", "status.h", "records.h", "schema.h", "date.h", "memory.h"},
    "prose": {"prose.h"},
    "ingest": {"ingest.h"},
    "graph": {"graph.h"},
    "cypher": {"cypher.h", "graph.h", "value.h"},
    "query": {"query.h", "render.h", "export.h"},
    "cli": {"commands.h"},
}
# Outside the product: what may include what.
OUTSIDE = {"tests", "bench", "fuzz"}
THIRD_PARTY = {
    "rocksdb/": lambda module, name: module == "store" or name.startswith("bench/"),
    "boost/": lambda module, name: module == "graph",
    "httplib.h": lambda module, name: name in ("cli/serve.cc", "tests/serve_test.cc"),
    "readline/": lambda module, name: name == "cli/shell.cc",
    "CLI/": lambda module, name: name == "cli/dispatch.cc",
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def violations(root):
    found = []
    for top in sorted(set(ALLOWED) | OUTSIDE):
        folder = os.path.join(root, top)
        if not os.path.isdir(folder):
            continue
        for dirpath, dirnames, files in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d not in ("node_modules", "work", "third_party")]
            for f in sorted(files):
                if not f.endswith((".cc", ".h")):
                    continue
                path = os.path.join(dirpath, f)
                name = os.path.relpath(path, root).replace(os.sep, "/")
                module = name.split("/")[0]
                is_test = f.endswith("_test.cc")
                with open(path, encoding="utf-8", errors="replace") as fh:
                    for number, line in enumerate(fh, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        kind, target = m.group(1), m.group(2)
                        where = f"{name}:{number}: "
                        for prefix, allowed in THIRD_PARTY.items():
                            if target.startswith(prefix) and not allowed(module, name):
                                found.append(where + f"<{target}> belongs elsewhere")
                        if kind != '"' or "/" not in target:
                            continue
                        other, header = target.split("/", 1)
                        if other not in ALLOWED:
                            continue  # tests/support, fuzz/ and the like
                        if module in ALLOWED:
                            if other == module:
                                continue
                            if other not in ALLOWED[module]:
                                found.append(where + f'"{target}": {module}/ may not use {other}/ '
                                             f'(allowed: {", ".join(sorted(ALLOWED[module])) or "nothing"})')
                                continue
                        elif is_test and other == module:
                            continue
                        if header not in PUBLIC[other]:
                            found.append(where + f'"{target}" is private to {other}/ '
                                         f'(public: {", ".join(sorted(PUBLIC[other]))})')
    return found


MAX_FILE_LINES = 600      # a product file (docs/architecture.md)
MAX_MODULE_SHARE = 0.25   # the biggest module's share of the product's lines


def sizes(root):
    """Product files over MAX_FILE_LINES, and modules over MAX_MODULE_SHARE
    of the product (C++ sources and headers; tests beside the code excluded)."""
    found, per_module, total = [], {}, 0
    for module in ALLOWED:
        base = os.path.join(root, module)
        for folder, _, files in os.walk(base):
            for f in files:
                if not f.endswith((".cc", ".h")) or f.endswith("_test.cc"):
                    continue
                path = os.path.join(folder, f)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    n = sum(1 for _ in fh)
                per_module[module] = per_module.get(module, 0) + n
                total += n
                if n > MAX_FILE_LINES:
                    found.append(f"{os.path.relpath(path, root)}: {n} lines (at most {MAX_FILE_LINES})")
    for module, n in sorted(per_module.items()):
        if total and n / total > MAX_MODULE_SHARE:
            found.append(f"{module}/: {n} of {total} lines, {100 * n / total:.0f}% of the product "
                         f"(at most {100 * MAX_MODULE_SHARE:.0f}%)")
    return found


def self_test():
    """The checker must see each kind of violation in a tree made to hold one."""
    cases = {
        "store/up.cc": '#include "query/query.h"\n',            # upward
        "ingest/side.cc": '#include "graph/graph.h"\n',         # sideways
        "query/private.cc": '#include "store/rocks.h"\n',        # a private header
        "cypher/alone.cc": '#include "store/status.h"\n',        # the engine depends on nothing
        "graph/db.cc": "#include <rocksdb/db.h>\n",              # RocksDB outside store/
        "tests/x_test.cc": '#include "ingest/common.h"\n',        # private from outside
        "store/fine.cc": '#include "store/rocks.h"\n',           # allowed: its own module
        "cli/fine.cc": '#include "query/render.h"\n',            # allowed: a public header below
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in cases.items():
            os.makedirs(os.path.dirname(os.path.join(tmp, name)), exist_ok=True)
            with open(os.path.join(tmp, name), "w") as fh:
                fh.write(text)
        seen = violations(tmp)
    flagged = {v.split(":")[0] for v in seen}
    want = {n for n in cases if "fine" not in n}
    if flagged != want:
        print("layering_test.py checks itself and fails: flagged", sorted(flagged),
              "expected", sorted(want))
        return False
    # And the sizes: one file too long, one module too big.
    with tempfile.TemporaryDirectory() as tmp:
        for name, lines in {"store/long.cc": MAX_FILE_LINES + 1, "graph/a.cc": 10, "cli/b.cc": 10}.items():
            os.makedirs(os.path.dirname(os.path.join(tmp, name)), exist_ok=True)
            with open(os.path.join(tmp, name), "w") as fh:
                fh.write("//\n" * lines)
        got = sizes(tmp)
    if not any(g.startswith("store/long.cc:") for g in got) or not any(g.startswith("store/:") for g in got):
        print("layering_test.py checks itself and fails: sizes flagged", got)
        return False
    return True


def main():
    if len(sys.argv) != 2:
        print("usage: layering_test.py SOURCE_DIR")
        return 2
    if not self_test():
        return 1
    found = violations(sys.argv[1])
    for v in found:
        print(v)
    if found:
        print(f"{len(found)} include(s) break the layering of docs/architecture.md")
        return 1
    too_big = sizes(sys.argv[1])
    for v in too_big:
        print(v)
    if too_big:
        print("files or modules over the sizes of docs/architecture.md: split them")
        return 1
    print("every #include points down the allowed graph; every file and module within its size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
