// Converts the events CSV to JSON Lines with DuckDB: `node jsonl.convert.mjs IN.csv OUT.jsonl` (used by bench/prepare.mjs).
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output] = process.argv.slice(2);
const sql = s => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
// one object per line, column types as DuckDB infers them from the whole file (dates as text); rows in file order
await con.run(`COPY (SELECT * FROM read_csv(${sql(input)}, sample_size = -1)) TO ${sql(output)} (FORMAT json)`);
