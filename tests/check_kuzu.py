#!/usr/bin/env python3
"""Exports the bundled corpus as Cypher for Kùzu (--dialect kuzu) and as a
CSV bundle (--format csv-bundle), loads each into a fresh Kùzu database with the npm kuzu package the benchmark installs
(bench/node_modules, through tests/load_kuzu.js), and checks that Kùzu holds
the nodes and links the export says it wrote, and answers "who supplies
China" as sinew does. Usage: check_kuzu.py SINEW SOURCE_DIR"""
import json, os, re, subprocess, sys, tempfile

sinew, source = sys.argv[1], sys.argv[2]
modules = os.path.join(source, "bench", "node_modules")
failures = []
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "db")
    run = lambda *a: subprocess.run([sinew, "--db", db, *a], check=True, capture_output=True, text=True)
    run("init")
    run("ingest", os.path.join(source, "corpus", "notes"))
    export = os.path.join(tmp, "graph.cypher")
    note = run("export", "--format", "cypher", "--dialect", "kuzu", "-o", export).stderr
    m = re.search(r"(\d+) nodes, (\d+) links", note)
    want_nodes, want_links = int(m.group(1)), int(m.group(2))
    rows = json.loads(run("query", "--format", "json",
                          "MATCH (a)-[:supplies]->(b {id: 'china'}) RETURN DISTINCT a.id AS id").stdout)["rows"]
    want_suppliers = sorted(r[0] for r in rows)
    bundle = os.path.join(tmp, "bundle")
    run("export", "--format", "csv-bundle", "-o", bundle)
    # The Cypher statements, and the CSV bundle through Kùzu's COPY.
    for what, path, kdb in (("the Cypher export", export, "kuzu-cypher"),
                            ("the CSV bundle", os.path.join(bundle, "kuzu"), "kuzu-copy")):
        r = subprocess.run(["node", os.path.join(source, "tests", "load_kuzu.js"), path, os.path.join(tmp, kdb)],
                           capture_output=True, text=True, env=dict(os.environ, NODE_PATH=modules))
        if r.returncode != 0:
            failures.append(f"Kùzu did not load {what}: {r.stderr.strip()[:2000]}")
            continue
        got = json.loads(r.stdout)
        if (got["nodes"], got["links"]) != (want_nodes, want_links):
            failures.append(f"{what}: Kùzu holds {got['nodes']} nodes, {got['links']} links; the export "
                            f"wrote {want_nodes}, {want_links}")
        if got["suppliers"] != want_suppliers or not want_suppliers:
            failures.append(f"{what}: who supplies china: Kùzu {got['suppliers']}, sinew {want_suppliers}")
    # The neo4j-admin half: headers neo4j-admin reads, and every file import.sh names exists.
    neo = os.path.join(bundle, "neo4j")
    script = open(os.path.join(neo, "import.sh")).read()
    named = re.findall(r"--(?:nodes|relationships)=[A-Z_a-z]+=(\S+)", script)
    if not named or any(not os.path.exists(os.path.join(neo, f)) for f in named):
        failures.append(f"neo4j/import.sh names files that are not there: {named}")
    for f in named:
        header = open(os.path.join(neo, f)).readline().strip()
        if not (header.startswith("id:ID,") or header.startswith(":START_ID,:END_ID,")):
            failures.append(f"neo4j/{f} has no neo4j-admin header: {header}")
        if want_nodes < 60 or want_links < 100:
            failures.append(f"suspiciously small export: {want_nodes} nodes, {want_links} links")
for f in failures:
    print("FAIL", f)
print(f"{0 if failures else 1} passed, {1 if failures else 0} failed: the Cypher export and the CSV bundle loaded into Kùzu")
sys.exit(1 if failures else 0)
