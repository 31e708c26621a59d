// Reads a JSON-stat file with the npm jsonstat-toolkit (an independent reader) and prints what
// the toolkit sees, as JSON, for external_readers_test.cpp to compare with the cube:
// {class, n, id, size, role, units, rows: [{<dimension id>: <category id>, value, status}]}.
// Usage: node jsonstat_read.mjs FILE
import { readFileSync } from "node:fs";
import JSONstat from "jsonstat-toolkit";

const dataset = JSONstat(JSON.parse(readFileSync(process.argv[2], "utf8")));
if (dataset.class !== "dataset") {
  console.error(`jsonstat-toolkit did not read a dataset (class: ${dataset.class})`);
  process.exit(1);
}
const units = {};
for (const metric of dataset.role?.metric ?? []) {
  const dimension = dataset.Dimension(metric);
  for (const id of dimension.id) units[id] = dimension.Category(id).unit ?? null;
}
process.stdout.write(JSON.stringify({
  class: dataset.class,
  n: dataset.n,
  id: dataset.id,
  size: dataset.size,
  role: dataset.role,
  units,
  rows: dataset.toTable({ type: "arrobj", content: "id", status: true }),
}));
