// Loads a sinew Cypher export (--dialect kuzu) into a fresh Kùzu database
// (the npm kuzu package the benchmark installs) and prints, as JSON, its
// node and link counts and who supplies `china`. Used by check_kuzu.py.
// Usage: node load_kuzu.js EXPORT.cypher DB_DIR, or
//        node load_kuzu.js BUNDLE/kuzu DB_DIR (a csv-bundle: its load.cypher,
//        run in that folder, whose COPY statements name the CSVs beside it).
const kuzu = require("kuzu");
const fs = require("fs");

async function main() {
  const path = require("path");
  let [file, dir] = process.argv.slice(2).map((p) => path.resolve(p));
  if (fs.statSync(file).isDirectory()) {
    process.chdir(file);
    file = path.join(file, "load.cypher");
  }
  const text = fs.readFileSync(file, "utf8");
  const db = new kuzu.Database(dir);
  const c = new kuzu.Connection(db);
  // Statements end at ';' before a line break (strings hold no raw line breaks).
  const statements = text.split(/;\n/).map((s) => s.trim())
    .map((s) => s.split("\n").filter((l) => !l.startsWith("//")).join("\n").trim())
    .filter((s) => s.length > 0);
  for (const s of statements) {
    try {
      await c.query(s);
    } catch (e) {
      console.error(`kuzu refused: ${s.slice(0, 200)}\n  ${e.message}`);
      process.exit(1);
    }
  }
  const one = async (q) => (await (await c.query(q)).getAll());
  const nodes = (await one("MATCH (n) RETURN count(n) AS n"))[0].n;
  const links = (await one("MATCH ()-[r]->() RETURN count(r) AS n"))[0].n;
  const suppliers = (await one("MATCH (a)-[:SUPPLIES]->(b) WHERE b.id = 'china' RETURN DISTINCT a.id AS id"))
    .map((r) => r.id).sort();
  console.log(JSON.stringify({ statements: statements.length, nodes: Number(nodes), links: Number(links), suppliers }));
}
main();
