#!/usr/bin/env python3
"""Exports the bundled corpus as GraphML and parses it back as XML: every
<data> key must be declared with a type, values must parse as their type,
and the counts must match the JSON Lines export of the same store. Then
NetworkX (Debian's python3-networkx) reads the same file: its node and link
counts, and who supplies China, must be sinew's."""
import json, os, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

sinew, source = sys.argv[1], sys.argv[2]
ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "db")
    run = lambda *a: subprocess.run([sinew, "--db", db, *a], check=True, capture_output=True, text=True)
    run("init")
    run("ingest", os.path.join(source, "corpus", "notes"))
    graphml = run("export", "--format", "graphml").stdout
    jsonl = [json.loads(line) for line in run("export", "--format", "jsonl").stdout.splitlines()]
    suppliers = json.loads(run("query", "--format", "json",
                               "MATCH (a)-[:supplies]->(b {id: 'china'}) RETURN DISTINCT a.id AS id").stdout)
root = ET.fromstring(graphml)
keys = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.findall("g:key", ns)}
failures = []
for k, (for_, name, typ) in keys.items():
    if for_ not in ("node", "edge") or not name or typ not in ("string", "int", "double", "boolean"):
        failures.append(f"key {k} is not fully declared: {keys[k]}")
graph = root.find("g:graph", ns)
nodes, edges = graph.findall("g:node", ns), graph.findall("g:edge", ns)
ids = {n.get("id") for n in nodes}
for element in nodes + edges:
    kind = "node" if element in nodes else "edge"
    for d in element.findall("g:data", ns):
        key = d.get("key")
        if key not in keys or keys[key][0] != kind:
            failures.append(f"{kind} {element.get('id')} uses undeclared key {key}")
            continue
        typ, text = keys[key][2], d.text or ""
        try:
            if typ == "int": int(text)
            if typ == "double": float(text)
            if typ == "boolean" and text not in ("true", "false"): raise ValueError(text)
        except ValueError:
            failures.append(f"{kind} {element.get('id')}: {key}={text!r} is not a {typ}")
for e in edges:
    if e.get("source") not in ids or e.get("target") not in ids:
        failures.append(f"edge {e.get('id')} points at a node not in the file")
want_nodes = sum(1 for j in jsonl if j["kind"] == "node")
want_edges = sum(1 for j in jsonl if j["kind"] == "edge" and not j.get("refuted"))  # refuted links are kept in JSON Lines only
if (len(nodes), len(edges)) != (want_nodes, want_edges):
    failures.append(f"GraphML has {len(nodes)} nodes, {len(edges)} edges; JSON Lines {want_nodes}, {want_edges}")
if len(nodes) < 60 or len(edges) < 100:
    failures.append(f"suspiciously small export: {len(nodes)} nodes, {len(edges)} edges")
# NetworkX reads it: one directed multigraph, the same counts, the same answer.
try:
    import io
    import networkx as nx
    g = nx.read_graphml(io.BytesIO(graphml.encode("utf-8")), force_multigraph=True)
    if (g.number_of_nodes(), g.number_of_edges()) != (len(nodes), len(edges)):
        failures.append(f"NetworkX reads {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; "
                        f"the file has {len(nodes)}, {len(edges)}")
    nx_suppliers = sorted({u for u, v, d in g.in_edges("china", data=True) if d.get("type") == "supplies"})
    rows = suppliers.get("rows", suppliers.get("results", []))
    sinew_suppliers = sorted(r["id"] if isinstance(r, dict) else r[0] for r in rows)
    if nx_suppliers != sinew_suppliers or not nx_suppliers:
        failures.append(f"who supplies china: NetworkX {nx_suppliers}, sinew {sinew_suppliers}")
    if not g.is_directed():
        failures.append("NetworkX reads an undirected graph")
except Exception as e:  # a file NetworkX refuses is the failure this checks for
    failures.append(f"NetworkX cannot read the export: {e}")
for f in failures:
    print("FAIL", f)
print(f"{0 if failures else 1} passed, {1 if failures else 0} failed: graphml ({len(keys)} keys, {len(nodes)} nodes, {len(edges)} edges)")
sys.exit(1 if failures else 0)
