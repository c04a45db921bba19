// Converts the events Parquet file to an Arrow IPC file with apache-arrow, streaming DuckDB's rows in
// record batches of 122,880 rows (the size of DuckDB's row groups): `node arrow.convert.mjs IN.parquet OUT.arrow`.
import { DuckDBInstance } from '@duckdb/node-api';
import * as A from 'apache-arrow';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

const [input, output] = process.argv.slice(2);
const BATCH_ROWS = 122_880;
const sql = s => `'${s.replaceAll("'", "''")}'`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const described = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sql(input)})`);
const columns = described.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
/** DuckDB type → Arrow type, and the SQL that hands each value to JS in that shape. */
const plan = columns.map(({ name, type }) => {
  const q = `"${name.replaceAll('"', '""')}"`;
  if (type === 'BIGINT') { return { name, arrow: new A.Int64(), select: q }; }
  if (type === 'INTEGER' || type === 'SMALLINT' || type === 'TINYINT') { return { name, arrow: new A.Int32(), select: `${q}::INTEGER` }; }
  if (type === 'DOUBLE' || type === 'FLOAT' || type.startsWith('DECIMAL')) { return { name, arrow: new A.Float64(), select: `${q}::DOUBLE` }; }
  if (type === 'DATE') { return { name, arrow: new A.DateDay(), select: `epoch_ms(${q}::TIMESTAMP)::DOUBLE` }; }
  if (type === 'BOOLEAN') { return { name, arrow: new A.Bool(), select: q }; }
  return { name, arrow: new A.Utf8(), select: `${q}::VARCHAR` };
});
const schema = new A.Schema(plan.map(p => new A.Field(p.name, p.arrow, true)));

const writer = new A.RecordBatchFileWriter();
const file = createWriteStream(output);
writer.reset(file, schema); // pipes the writer's bytes into the file


const result = await con.stream(`SELECT ${plan.map(p => p.select).join(', ')} FROM read_parquet(${sql(input)})`);
let pending = plan.map(() => []);
let pendingRows = 0;
let total = 0;
const flush = () => {
  if (!pendingRows) { return; }
  const children = plan.map((p, k) => {
    const b = A.makeBuilder({ type: p.arrow, nullValues: [null, undefined] });
    for (const v of pending[k]) { b.append(v); }
    return b.finish().flush();
  });
  writer.write(new A.RecordBatch(schema, A.makeData({ type: new A.Struct(schema.fields), length: pendingRows, children })));
  total += pendingRows;
  pending = plan.map(() => []);
  pendingRows = 0;
};
for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
  const cols = chunk.getColumns();
  cols.forEach((values, k) => { for (const v of values) { pending[k].push(v); } });
  pendingRows += chunk.rowCount;
  if (pendingRows >= BATCH_ROWS) { flush(); }
}
flush();
writer.finish();
await finished(file);
console.log(JSON.stringify({ rows: total }));
