#!/usr/bin/python3
"""sinew side by side with Kùzu, SQLite, NetworkX and igraph (shared/benchmarks.md).

  bench/run.py [--sizes 10000,100000] [--reps 5] [--out bench/results/NAME.json] [--smoke]

For each dataset (skewed, dag) and size: generates the graph (bench/gen.py),
loads it into every system, checks that every system gives the same answer
to every workload, then times the workloads (median and p95 of --reps runs;
cold = a fresh process per query, warm = one open session). --smoke runs the
smallest size once and only checks the answers; it is part of the test suite.
Peers come from bench/setup.sh. Build sinew first (scripts/setup.sh).
"""
import argparse
import csv
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.environ.get("SINEW_BUILD_DIR", os.path.join(ROOT, "build"))
SINEW = os.path.join(BUILD, "cli", "sinew")
SINEW_BENCH = os.path.join(BUILD, "bench", "sinew_bench")
DOMAIN = "technology"


def med(xs):
    return statistics.median(xs)


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def timed(fn, reps):
    """Runs fn reps times; returns (answer, [ms])."""
    times, answer = [], None
    for _ in range(reps):
        t = time.perf_counter()
        answer = fn()
        times.append((time.perf_counter() - t) * 1000)
    return answer, times


def run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed:\n{r.stderr}")
    return r.stdout


def peak_rss_run(args):
    """Runs args under /usr/bin/time; returns (stdout, wall ms, peak RSS MiB)."""
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, capture_output=True, text=True)
    wall = (time.perf_counter() - t) * 1000
    if r.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed:\n{r.stderr}")
    rss = int(r.stderr.strip().splitlines()[-1]) / 1024
    return r.stdout, wall, rss


def du(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    return total if os.path.isdir(path) else os.path.getsize(path)


class Data:
    def __init__(self, kind, size, work):
        self.kind, self.size = kind, size
        self.dir = os.path.join(work, f"{kind}-{size}")
        if not os.path.exists(os.path.join(self.dir, "edges.csv")):
            run([sys.executable, os.path.join(HERE, "gen.py"), kind, str(size), self.dir])
        self.nodes = os.path.join(self.dir, "nodes.csv")
        self.edges = os.path.join(self.dir, "edges.csv")
        with open(self.edges) as f:
            self.rows = [(s, t, d, dom) for s, d, t, dom in list(csv.reader(f))[1:]]


# ---- the in-memory peers ----------------------------------------------------

def load_networkx(d):
    import networkx as nx
    g = nx.MultiDiGraph()
    for s, t, dst, dom in d.rows:
        g.add_edge(s, dst, type=t, domain=dom)
    return g


def load_igraph(d):
    import igraph as ig
    names = {}
    for s, _, t, _ in d.rows:
        names.setdefault(s, len(names))
        names.setdefault(t, len(names))
    g = ig.Graph(n=len(names), edges=[(names[s], names[t]) for s, _, t, _ in d.rows], directed=True)
    g.es["domain"] = [dom for *_, dom in d.rows]
    g.vs["name"] = list(names)
    return g, names


# ---- workloads: parameters picked from the data, answers from every system ----

def pick(d, nxg):
    """Deterministic question parameters: a source with some out-degree, and
    for the DAG a chain pair with a moderate number of chains."""
    import networkx as nx
    rng = random.Random(f"pick-{d.kind}-{d.size}")
    # A source with a few links in the filtered domain, so that the k-hop
    # expansion has something to expand.
    in_domain = {}
    for s, t, a in nxg.edges(data=True):
        if a["domain"] == DOMAIN:
            in_domain[s] = in_domain.get(s, 0) + 1
    nodes = sorted(n for n in nxg.nodes if 2 <= in_domain.get(n, 0) <= 30)
    src = nodes[rng.randrange(len(nodes))]
    q = {"src": src}
    simple = nx.DiGraph(nxg)
    if d.kind == "dag":
        per = max(1, len(simple) // 12)
        for _ in range(400):
            s = f"n{rng.randrange(per)}"
            if s not in simple:
                continue
            reach = nx.single_source_shortest_path_length(simple, s, cutoff=3)
            far = sorted(n for n, k in reach.items() if k == 3)
            if not far:
                continue
            t = far[rng.randrange(len(far))]
            count = sum(1 for _ in nx.all_simple_paths(simple, s, t, cutoff=4))
            if 2 <= count <= 2000:
                q["chain"] = (s, t)
                break
        # A node many others depend on, for the impact closure.
        rev = sorted(simple.nodes, key=lambda n: (-simple.in_degree(n), n))
        q["impact"] = rev[min(len(rev) - 1, len(rev) // 3)]
    else:
        q["path"] = (src, sorted(simple.nodes)[rng.randrange(len(simple))])
    return q


def sinew_answers():
    """Each workload as a sinew command and the parse of its answer. The
    peers know nothing of time, so sinew is asked with --all-time: the
    generated links all carry the period 2020 and would not hold today."""
    def count_csv(out):
        return max(0, len(out.strip().splitlines()) - 1)
    return {
        "khop": lambda src, k: (["deps", src, "--via", "all", "--depth", str(k), "--domain", DOMAIN,
                                 "--all-time", "--format", "csv"], count_csv),
        "chains": lambda s, t: (["chains", s, t, "--max-depth", "4", "--limit", "1", "--all-time",
                                 "--format", "json"], lambda out: json.loads(out)["found"]),
        "shortest": lambda s, t: (["path", s, t, "--mode", "shortest", "--via", "all", "--all-time",
                                   "--format", "csv"], lambda out: count_csv(out) or None),
        "impact": lambda x: (["impact", x, "--limit", "10", "--all-time", "--format", "json"],
                             lambda out: json.loads(out)["total"]),
    }


def sinew_cmd(db, args):
    return [SINEW, "--db", db] + args


class SqlitePeer:
    def __init__(self, path):
        self.path = path

    def load(self, d):
        if os.path.exists(self.path):
            os.remove(self.path)
        t = time.perf_counter()
        c = sqlite3.connect(self.path)
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("CREATE TABLE nodes(id TEXT PRIMARY KEY)")
        c.execute("CREATE TABLE edges(src TEXT, type TEXT, dst TEXT, domain TEXT)")
        with open(d.nodes) as f:
            c.executemany("INSERT INTO nodes VALUES (?)", ((r[0],) for r in list(csv.reader(f))[1:]))
        c.executemany("INSERT INTO edges VALUES (?,?,?,?)", d.rows)
        c.execute("CREATE INDEX edges_src ON edges(src, domain)")
        c.execute("CREATE INDEX edges_dst ON edges(dst)")
        c.commit()
        c.close()
        return (time.perf_counter() - t) * 1000

    def khop_sql(self, src, k):
        return (f"WITH RECURSIVE r(n, d) AS (SELECT '{src}', 0 UNION SELECT e.dst, r.d + 1 FROM r "
                f"JOIN edges e ON e.src = r.n WHERE r.d < {k} AND e.domain = '{DOMAIN}') "
                f"SELECT count(DISTINCT n) FROM r WHERE n <> '{src}';")

    def chains_sql(self, s, t):
        return (f"WITH RECURSIVE p(n, path, d) AS (SELECT '{s}', ',{s},', 0 UNION ALL "
                f"SELECT e.dst, p.path || e.dst || ',', p.d + 1 FROM p JOIN edges e ON e.src = p.n "
                f"WHERE p.d < 4 AND p.n <> '{t}' AND e.type = 'depends_on' "
                f"AND instr(p.path, ',' || e.dst || ',') = 0) "
                f"SELECT count(*) FROM (SELECT DISTINCT path FROM p WHERE n = '{t}');")

    def cold(self, sql):
        return int(run(["sqlite3", self.path, sql]).strip())


def kuzu_job(d, db, q, reps):
    queries = []
    for k in range(1, 5):
        queries.append({"name": f"khop{k}", "cypher":
                        f"MATCH (a:N {{id: '{q['src']}'}})-[e:E*1..{k} (r, n | WHERE r.domain = '{DOMAIN}')]->(b:N) "
                        f"WHERE b.id <> '{q['src']}' RETURN count(DISTINCT b)"})
    if "chain" in q:
        s, t = q["chain"]
        queries.append({"name": "chains", "cypher":
                        f"MATCH p = (a:N {{id: '{s}'}})-[:E* ACYCLIC 1..4]->(b:N {{id: '{t}'}}) RETURN count(*)"})
    if "path" in q:
        s, t = q["path"]
        queries.append({"name": "shortest", "cypher":
                        f"MATCH p = (a:N {{id: '{s}'}})-[:E* SHORTEST 1..30]->(b:N {{id: '{t}'}}) RETURN length(p)"})
    job = {"db": db, "nodes": d.nodes, "edges": d.edges, "reps": reps, "queries": queries}
    node = shutil.which("node")
    if node is None or not os.path.isdir(os.path.join(HERE, "node_modules", "kuzu")):
        return None
    r = subprocess.run([node, os.path.join(HERE, "kuzu_peer.js")], input=json.dumps(job),
                       capture_output=True, text=True, cwd=HERE)
    if r.returncode != 0:
        sys.exit(f"bench: kuzu failed: {r.stderr}")
    return json.loads(r.stdout)


def bench_one(d, work, reps, smoke):
    import networkx as nx
    res = {"kind": d.kind, "edges": len(d.rows), "loads": {}, "workloads": {}, "answers": {}}
    base = os.path.join(work, f"{d.kind}-{d.size}")
    # ---- loads ----
    db = os.path.join(base, "sinew.db")
    shutil.rmtree(db, ignore_errors=True)
    run([SINEW, "--db", db, "init"])
    _, wall, rss = peak_rss_run([SINEW, "--db", db, "ingest", d.edges, "--mapping",
                                 os.path.join(HERE, "mapping.json")])
    res["loads"]["sinew"] = {"ms": wall, "edges_per_s": len(d.rows) / wall * 1000, "rss_mib": rss,
                             "bytes": du(db)}
    lite = SqlitePeer(os.path.join(base, "peer.sqlite"))
    ms = lite.load(d)
    res["loads"]["sqlite"] = {"ms": ms, "edges_per_s": len(d.rows) / ms * 1000,
                              "bytes": du(lite.path)}
    t = time.perf_counter()
    nxg = load_networkx(d)
    res["loads"]["networkx"] = {"ms": (time.perf_counter() - t) * 1000}
    t = time.perf_counter()
    ig, ids = load_igraph(d)
    res["loads"]["igraph"] = {"ms": (time.perf_counter() - t) * 1000}
    q = pick(d, nxg)
    res["params"] = q
    kz_db = os.path.join(base, "kuzu.db")
    shutil.rmtree(kz_db, ignore_errors=True)
    if os.path.exists(kz_db):
        os.remove(kz_db)
    kz = kuzu_job(d, kz_db, q, 1 if smoke else reps)
    if kz is None and smoke:
        sys.exit("bench: the Kùzu peer is not installed: run bench/setup.sh")
    if kz is not None:
        res["loads"]["kuzu"] = {"ms": kz["load_ms"], "edges_per_s": len(d.rows) / kz["load_ms"] * 1000,
                                "bytes": du(kz_db)}
    sa = sinew_answers()
    simple = nx.DiGraph(nxg)
    dom = nx.DiGraph()
    dom.add_nodes_from(nxg.nodes)
    dom.add_edges_from((s, t) for s, t, a in nxg.edges(data=True) if a["domain"] == DOMAIN)
    ig_dom = ig.subgraph_edges(ig.es.select(domain_eq=DOMAIN), delete_vertices=False)
    answers, times = {}, {}

    def sinew_cold(args, parse):
        return timed(lambda: parse(run(sinew_cmd(db, args))), 1 if smoke else reps)

    def sinew_warm(args):
        """One shell session answering the command again and again, with
        `set timing on`: the shell's own time per command (parse, checking
        the store for changes, the question, rendering the answer), without
        the first, which builds what the session keeps (open store,
        projection)."""
        n = 1 if smoke else 10
        script = "set timing on\n" + (" ".join(args) + "\n") * (n + 1)
        r = subprocess.run(sinew_cmd(db, ["shell"]), input=script, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"bench: sinew shell failed: {r.stderr}")
        times = [float(t) for t in re.findall(r"^time: ([0-9.]+) ms$", r.stderr, re.M)]
        if len(times) != n + 1:
            sys.exit(f"bench: expected {n + 1} timings from the shell, got {len(times)}")
        return times[1:]

    # ---- k-hop expansion with a domain filter ----
    for k in range(1, 5):
        name = f"khop{k}"
        args, parse = sa["khop"](q["src"], k)
        a_s, t_s = sinew_cold(args, parse)
        a_l, t_l = timed(lambda: lite.cold(lite.khop_sql(q["src"], k)), 1 if smoke else reps)
        a_n = len(nx.single_source_shortest_path_length(dom, q["src"], cutoff=k)) - 1
        a_i, t_i = timed(lambda: len(ig_dom.neighborhood(ids[q["src"]], order=k, mode="out")) - 1,
                         1 if smoke else reps)
        answers[name] = {"sinew": a_s, "sqlite": a_l, "networkx": a_n, "igraph": a_i}
        times[name] = {"sinew_cold": t_s, "sqlite_cold": t_l, "igraph_warm": t_i,
                       "sinew_warm": sinew_warm(args)}
        if kz is not None:
            answers[name]["kuzu"] = kz["queries"][name]["answer"]
            times[name]["kuzu_warm"] = kz["queries"][name]["ms"]
    # ---- chains (the DAG) ----
    if "chain" in q:
        s, t = q["chain"]
        args, parse = sa["chains"](s, t)
        a_s, t_s = sinew_cold(args, parse)
        a_n, t_n = timed(lambda: sum(1 for _ in nx.all_simple_paths(simple, s, t, cutoff=4)),
                         1 if smoke else reps)
        a_l, t_l = timed(lambda: lite.cold(lite.chains_sql(s, t)), 1 if smoke else reps)
        answers["chains4"] = {"sinew": a_s, "networkx": a_n, "sqlite": a_l}
        times["chains4"] = {"sinew_cold": t_s, "networkx_warm": t_n, "sqlite_cold": t_l,
                            "sinew_warm": sinew_warm(args)}
        if kz is not None:
            answers["chains4"]["kuzu"] = kz["queries"]["chains"]["answer"]
            times["chains4"]["kuzu_warm"] = kz["queries"]["chains"]["ms"]
    # ---- impact: who depends on x, transitively, domain by domain (the DAG) ----
    if "impact" in q:
        x = q["impact"]
        args, parse = sa["impact"](x)
        a_s, t_s = sinew_cold(args, parse)
        # sinew's impact is per domain: exposure travels along links of one
        # domain (docs/scoring.md), so the peer counts, domain by domain, who
        # reaches x through that domain's links alone.
        by_domain = [ig.subgraph_edges(ig.es.select(domain=dom), delete_vertices=False)
                     for dom in sorted(set(ig.es["domain"]))]
        a_i, t_i = timed(lambda: sum(len(g.subcomponent(ids[x], mode="in")) - 1 for g in by_domain),
                         1 if smoke else reps)
        answers["impact"] = {"sinew": a_s, "igraph": a_i}
        times["impact"] = {"sinew_cold": t_s, "igraph_warm": t_i, "sinew_warm": sinew_warm(args)}
    # ---- shortest path (the skewed graph) ----
    if "path" in q:
        s, t = q["path"]
        args, parse = sa["shortest"](s, t)
        a_s, t_s = sinew_cold(args, parse)

        def nx_len():
            try:
                return nx.shortest_path_length(simple, s, t)
            except nx.NetworkXNoPath:
                return None
        a_n, t_n = timed(nx_len, 1 if smoke else reps)
        answers["shortest"] = {"sinew": a_s, "networkx": a_n}
        times["shortest"] = {"sinew_cold": t_s, "networkx_warm": t_n,
                             "sinew_warm": sinew_warm(args)}
        if kz is not None:
            answers["shortest"]["kuzu"] = kz["queries"]["shortest"]["answer"]
            times["shortest"]["kuzu_warm"] = kz["queries"]["shortest"]["ms"]
    # ---- the graph layer in process, warm (sinew_bench graph): like for like
    # with igraph's and NetworkX's traversals; answers compared as well ----
    spec = {"khop": [q["src"], DOMAIN, [1, 2, 3, 4]]}
    if "path" in q:
        spec["shortest"] = list(q["path"])
    if "chain" in q:
        spec["chains"] = list(q["chain"])
    if "impact" in q:
        spec["impact"] = q["impact"]
    inproc = json.loads(run([SINEW_BENCH, "graph", db, json.dumps(spec), "1" if smoke else "20"]))
    for name, r in inproc.items():
        if name not in answers:
            continue
        answers[name]["sinew_inproc"] = r["answer"]
        times[name]["sinew_inproc"] = {"p50_ms": r["p50_ns"] / 1e6, "p95_ms": r["p95_ns"] / 1e6}
    res["answers"], res["workloads"] = answers, times
    if kz is not None:
        res["kuzu_trivial_ms"] = med(kz["trivial_ms"])
    # ---- in-process: lookups, projection, footprint ----
    if not smoke:
        res["lookups"] = json.loads(run([SINEW_BENCH, "lookups", db]))
        res["projection"] = json.loads(run([SINEW_BENCH, "projection", db]))
    res["footprint"] = json.loads(run([SINEW_BENCH, "footprint", db]))
    return res


def check(results):
    """Every system must give the same answer; returns the disagreements."""
    bad = []
    for r in results:
        for w, a in r["answers"].items():
            values = {k: v for k, v in a.items()}
            if len(set(json.dumps(v) for v in values.values())) != 1:
                bad.append(f"{r['kind']} {r['edges']} {w}: {values}")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--kinds", default="skewed,dag")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--out", default="")
    ap.add_argument("--work", default=os.path.join(HERE, "work"))
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    sizes = [10000] if a.smoke else [int(s) for s in a.sizes.split(",")]
    results = []
    for kind in a.kinds.split(","):
        for size in sizes:
            d = Data(kind, size, a.work)
            print(f"bench: {kind} {size} edges", file=sys.stderr)
            results.append(bench_one(d, a.work, a.reps, a.smoke))
    bad = check(results)
    for line in bad:
        print("DISAGREE " + line)
    for r in results:
        for w, ans in r["answers"].items():
            print(f"{r['kind']:6} {r['edges']:>7} {w:9} {json.dumps(ans)}")
    if not a.smoke:
        baseline = json.loads(run([SINEW_BENCH, "baseline", os.path.join(a.work, "rocks-baseline"),
                                   str(max(sizes))]))
        out = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                           "python": platform.python_version()},
               "date": time.strftime("%Y-%m-%d"), "results": results, "baseline": baseline}
        path = a.out or os.path.join(HERE, "results", time.strftime("%Y-%m-%d") + ".json")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            json.dump(out, f, indent=1)
        print(f"bench: wrote {path}", file=sys.stderr)
    if bad:
        sys.exit(1)
    print(f"bench: every workload ran and every system agreed ({len(results)} datasets)")


if __name__ == "__main__":
    main()
