// Peer figure for bench/ingest_bench.sh: DuckDB loading every source file of every delivery
// into a persistent database (one table per source, no versioning or validation beyond
// types): seconds and database size. Usage: node duckdb_load_sources.mjs SOURCES DBFILE
import { DuckDBInstance } from '@duckdb/node-api';
import { statSync, rmSync } from 'node:fs';

const [sources, dbFile] = process.argv.slice(2);
rmSync(dbFile, { force: true });
const instance = await DuckDBInstance.create(dbFile);
const connection = await instance.connect();
const files = ['persons', 'residence', 'benefits', 'offers', 'meetings', 'employment', 'education',
               'vacancies', 'caseworkers'];
const started = process.hrtime.bigint();
for (const name of files) {
  await connection.run(`CREATE TABLE ${name} AS SELECT * FROM read_csv('${sources}/*/${name}.csv', delim=';', header=true)`);
}
// The legacy file: ISO-8859-1 and decimal comma.
await connection.run(`CREATE TABLE payments AS SELECT * FROM read_csv('${sources}/*/payments.csv', delim=';', header=true, decimal_separator=',', encoding='latin-1')`);
await connection.run('CHECKPOINT');
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`${seconds.toFixed(1)} ${(statSync(dbFile).size / 1e6).toFixed(0)}`);
