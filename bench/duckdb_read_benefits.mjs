// Peer figure for bench/generate_bench.sh: seconds DuckDB needs to read and count every
// benefits.csv of a generated data set (median of 3 runs).
import { DuckDBInstance } from '@duckdb/node-api';

const folder = process.argv[2];
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const times = [];
for (let run = 0; run < 3; run++) {
  const started = process.hrtime.bigint();
  await connection.run(
    `SELECT count(*), count(DISTINCT person_id) FROM read_csv('${folder}/*/benefits.csv', delim=';', header=true, all_varchar=true)`);
  times.push(Number(process.hrtime.bigint() - started) / 1e9);
}
times.sort((a, b) => a - b);
console.log(times[1].toFixed(2));
