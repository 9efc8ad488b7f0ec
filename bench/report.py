#!/usr/bin/python3
"""Turns a bench/run.py result into the tables of docs/benchmarks.md and the
plot docs/img/bench-latency.png (gnuplot).

  bench/report.py bench/results/DATE.json [PLOT.png] > docs/benchmarks-tables.md

The plot goes to docs/img/bench-latency.png unless PLOT.png is given.
"""
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def med(xs):
    return statistics.median(xs)


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def fmt_ms(xs):
    return f"{med(xs):.1f} / {p95(xs):.1f}"


def main():
    data = json.load(open(sys.argv[1]))
    out = []
    w = out.append
    w(f"Run of {data['date']} on {data['machine']['cpus']} cores, {data['machine']['platform']}.\n")
    w("### Bulk load (durable, with every index)\n")
    w("| dataset | edges | sinew edges/s | SQLite | Kùzu COPY | sinew / Kùzu | sinew / SQLite | sinew peak RSS | sinew on disk | SQLite | Kùzu |")
    w("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in data["results"]:
        L = r["loads"]
        s, q, k = L["sinew"], L["sqlite"], L.get("kuzu")
        w(f"| {r['kind']} | {r['edges']:,} | {s['edges_per_s']:,.0f} | {q['edges_per_s']:,.0f} | "
          f"{k['edges_per_s']:,.0f} | {s['edges_per_s'] / k['edges_per_s']:.2f}x | "
          f"{s['edges_per_s'] / q['edges_per_s']:.2f}x | {s['rss_mib']:.0f} MiB | "
          f"{s['bytes'] / 2**20:.1f} MiB | {q['bytes'] / 2**20:.1f} MiB | {k['bytes'] / 2**20:.1f} MiB |")
    w("\nRatios are sinew's rate over the peer's: above 1 is faster.\n")
    w("### Queries (ms, median / p95; ratio = sinew time / peer time, lower is better)\n")
    w("| dataset | edges | workload | answer | sinew cold | SQLite cold | ratio | sinew warm (shell) | sinew in process (p50 / p95) | igraph / NetworkX warm | in process / peer | Kùzu warm (binding cost) |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in data["results"]:
        for name, t in r["workloads"].items():
            ans = r["answers"][name]["sinew"]
            sc = t.get("sinew_cold")
            lc = t.get("sqlite_cold")
            warm = t.get("igraph_warm") or t.get("networkx_warm")
            warm_name = "igraph" if "igraph_warm" in t else "NetworkX"
            kz = t.get("kuzu_warm")
            w(f"| {r['kind']} | {r['edges']:,} | {name} | {ans} | {fmt_ms(sc)} | "
              f"{fmt_ms(lc) if lc else '—'} | {med(sc) / med(lc):.2f}x |" if lc else
              f"| {r['kind']} | {r['edges']:,} | {name} | {ans} | {fmt_ms(sc)} | — | — |")
            sw = t.get("sinew_warm")
            out[-1] += (f" {fmt_ms(sw)} |" if sw else " — |")
            # The graph layer in process (sinew_bench graph): k-hop and shortest
            # path as traversals, chains and impact through the query layer.
            ip = t.get("sinew_inproc")
            out[-1] += (f" {ip['p50_ms']:.3f} / {ip['p95_ms']:.3f} |" if ip else " — |")
            out[-1] += (f" {warm_name} {fmt_ms(warm)} |" if warm else " — |")
            out[-1] += (f" {ip['p50_ms'] / med(warm):.2f}x |" if ip and warm and med(warm) > 0
                        else " — |")
            out[-1] += (f" {fmt_ms(kz)} ({r.get('kuzu_trivial_ms', 0):.2f}) |" if kz else " — |")
    w("\n### In-process (sinew_bench)\n")
    w("| dataset | edges | lookup by slug p50 | raw RocksDB get p50 | sinew / raw rate | alias prefix top-20 p50 | projection build | per 10^6 edges | out+in bytes/edge |")
    w("|---|---|---|---|---|---|---|---|---|")
    for r in data["results"]:
        if "lookups" not in r:
            continue
        lk, pr, fp = r["lookups"], r["projection"], r["footprint"]["families"]
        per_edge = (fp["out"] + fp["in"]) / max(1, r["edges"])
        build_ms = pr["build"]["p50_ns"] / 1e6
        w(f"| {r['kind']} | {r['edges']:,} | {lk['by_slug']['p50_ns'] / 1000:.1f} µs | "
          f"{lk['raw_get']['p50_ns'] / 1000:.1f} µs | {lk['raw_get']['p50_ns'] / lk['by_slug']['p50_ns']:.2f}x | "
          f"{lk['prefix_top20']['p50_ns'] / 1000:.1f} µs | {build_ms:.0f} ms | "
          f"{build_ms * 1e6 / max(1, r['edges']) / 1000:.2f} s | {per_edge:.1f} |")
    b = data["baseline"]
    w(f"\nPhysical baselines (RocksDB 7.8.3, 26-byte keys, 24-byte values): sequential fill "
      f"{b['fill_sequential']['keys_per_s']:,.0f} keys/s, random fill {b['fill_random']['keys_per_s']:,.0f} keys/s, "
      f"random read p50 {b['random_read']['p50_ns'] / 1000:.1f} µs, seek + 10 next p50 "
      f"{b['seek_next10']['p50_ns'] / 1000:.1f} µs.\n")
    print("\n".join(out))
    # The plot: k-hop latency against graph size, per system, skewed dataset.
    rows = {}
    for r in data["results"]:
        if r["kind"] != "dag":
            continue
        t = r["workloads"]["khop3"]
        rows[r["edges"]] = (med(t["sinew_cold"]), med(t["sqlite_cold"]), med(t["igraph_warm"]),
                            med(t["kuzu_warm"]) if "kuzu_warm" in t else 0,
                            max(0.001, med(t["sinew_warm"])) if "sinew_warm" in t else 0)
    # The points travel inside the script (a gnuplot data block): no work
    # folder, no file left behind.
    points = "".join(f"{e} " + " ".join(f"{v:.3f}" for v in rows[e]) + "\n" for e in sorted(rows))
    dat = "$points"
    png = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "img", "bench-latency.png")
    script = f"""$points << EOD
{points}EOD
set terminal pngcairo size 800,480
set output '{png}'
set logscale xy
set xlabel 'edges'
set ylabel 'ms (median)'
set title '3-hop expansion with a domain filter, layered dependency graph'
set key left top
plot {dat} using 1:2 with linespoints title 'sinew (cold process)', \\
     {dat} using 1:3 with linespoints title 'SQLite (cold process)', \\
     {dat} using 1:4 with linespoints title 'igraph (warm)', \\
     {dat} using 1:5 with linespoints title 'Kuzu (warm)', \\
     {dat} using 1:6 with linespoints title 'sinew (warm shell)'
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


if __name__ == "__main__":
    main()
