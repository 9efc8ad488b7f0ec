// The Kùzu peer (npm kuzu 0.11.3): loads a benchmark graph with COPY and runs
// the workloads in one open connection, timing each. Reads a JSON job on
// stdin, prints JSON results on stdout. Driven by bench/run.py.
//
// job: {"db": DIR, "nodes": CSV, "edges": CSV, "reps": N,
//       "queries": [{"name": ..., "cypher": ...}]}
const kuzu = require("kuzu");
const fs = require("fs");

function now() {
  return Number(process.hrtime.bigint()) / 1e6;  // ms
}

async function main() {
  const job = JSON.parse(fs.readFileSync(0, "utf8"));
  const out = { queries: {} };
  const fresh = !fs.existsSync(job.db);
  const db = new kuzu.Database(job.db);
  const c = new kuzu.Connection(db);
  if (fresh) {
    const t0 = now();
    await c.query("CREATE NODE TABLE N(id STRING, PRIMARY KEY(id))");
    await c.query("CREATE REL TABLE E(FROM N TO N, type STRING, domain STRING)");
    await c.query(`COPY N FROM '${job.nodes}' (header=true)`);
    await c.query(`COPY E FROM '${job.edges}' (header=true)`);
    await c.query("CHECKPOINT");
    out.load_ms = now() - t0;
  }
  // The binding's own cost per query, to report beside the raw times.
  const trivial = [];
  for (let i = 0; i < job.reps; ++i) {
    const t = now();
    await (await c.query("RETURN 1")).getAll();
    trivial.push(now() - t);
  }
  out.trivial_ms = trivial;
  for (const q of job.queries) {
    const times = [];
    let answer = null;
    for (let i = 0; i < job.reps; ++i) {
      const t = now();
      const rows = await (await c.query(q.cypher)).getAll();
      times.push(now() - t);
      answer = rows.length ? Object.values(rows[0])[0] : null;
    }
    out.queries[q.name] = { ms: times, answer: typeof answer === "bigint" ? Number(answer) : answer };
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  process.stderr.write(String(e) + "\n");
  process.exit(1);
});
