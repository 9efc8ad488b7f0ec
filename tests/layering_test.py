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
    print("every #include points down the allowed graph")
    return 0


if __name__ == "__main__":
    sys.exit(main())
