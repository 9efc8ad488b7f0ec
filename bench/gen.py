#!/usr/bin/python3
"""Deterministic benchmark graphs (shared/benchmarks.md, "Datasets").

  gen.py skewed|dag EDGES OUT_DIR

writes OUT_DIR/edges.csv (src,dst,type,domain: the two ends first, as Kùzu's COPY wants) and OUT_DIR/nodes.csv (id), the
same bytes for the same arguments on every machine:

- skewed: N = E/5 nodes, heavy-tailed in-degree (a few hubs receive most
  links), 8 directed edge types, 8 domains;
- dag: 12 layers, out-degree 3-10 heavy-tailed to the next layers, about 1 %
  back edges; every link is depends_on, so chains and closures run deep, like
  supply dependencies.
"""
import os
import random
import sys

TYPES = ["depends_on", "supplies", "exports_to", "imports_from", "invests_in", "sanctions",
         "recruits_from", "affects"]
DOMAINS = ["technology", "resources", "infrastructure", "trade", "finance", "talent",
           "research", "security"]


def skewed(edges, rng):
    n = max(10, edges // 5)
    seen = set()
    out = []
    while len(out) < edges:
        src = rng.randrange(n)
        # Heavy tail: u^3 piles targets onto the low ids (the hubs).
        dst = int(n * rng.random() ** 3)
        t = TYPES[rng.randrange(len(TYPES))]
        if src == dst or (src, t, dst) in seen:
            continue
        seen.add((src, t, dst))
        out.append((src, t, dst, DOMAINS[rng.randrange(len(DOMAINS))]))
    return n, out


def dag(edges, rng):
    layers = 12
    n = max(layers * 4, edges // 6)
    per = n // layers
    n = per * layers
    seen = set()
    out = []
    while len(out) < edges:
        src = rng.randrange(n)
        layer = src // per
        if rng.random() < 0.01 and layer > 0:
            to_layer = rng.randrange(layer)  # a back edge
        elif layer + 1 < layers:
            # Mostly the next layer, sometimes two or three down.
            to_layer = min(layers - 1, layer + 1 + int(rng.random() ** 4 * 3))
        else:
            continue
        dst = to_layer * per + int(per * rng.random() ** 2)
        if (src, dst) in seen:
            continue
        seen.add((src, dst))
        out.append((src, "depends_on", dst, DOMAINS[(src + dst) % 3]))
    return n, out


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("skewed", "dag"):
        sys.exit("usage: gen.py skewed|dag EDGES OUT_DIR")
    kind, edges, out_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(f"sinew-bench-{kind}-{edges}")
    n, rows = (skewed if kind == "skewed" else dag)(edges, rng)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "nodes.csv"), "w") as f:
        f.write("id\n")
        for i in range(n):
            f.write(f"n{i}\n")
    with open(os.path.join(out_dir, "edges.csv"), "w") as f:
        f.write("src,dst,type,domain\n")
        for s, t, d, dom in rows:
            f.write(f"n{s},n{d},{t},{dom}\n")


if __name__ == "__main__":
    main()
