// One pass over a CSV in a fresh process, for time and peak RSS: `parse` (the rows only, read as validation reads them:
// the same parser, 1 MB chunks),
// `validate` (against a schema file), or `first500` (time until the 500th issue is handed out, then to the end).
//   node validate.child.mjs MODE BUNDLE_URL FILE [SCHEMA_JSON]
import { readFileSync } from 'node:fs';

const [mode, bundleUrl, file, schemaFile] = process.argv.slice(2);
const m = await import(bundleUrl);
const buffer = await m.openFileBuffer(file);
const t0 = performance.now();
let out;
if (mode === 'parse') {
  const ds = await m.openCsv(buffer, { name: file });
  const opened = await m.openByteSource(buffer, { name: file });
  const parser = new m.ChunkParser(ds.dialect, opened.encoding.encoding);
  let rows = 0;
  let cells = 0;
  const take = batch => { rows += batch.length; for (const r of batch) { cells += r.length; } };
  for await (const c of opened.source.chunks(opened.encoding.bomLength, undefined, { chunkSize: 1 << 20 })) { take(parser.push(c.bytes, false)); }
  take(parser.push(new Uint8Array(0), true));
  out = { rows: rows - 1, cells, ms: performance.now() - t0 };
} else {
  const schema = m.parseTableSchema(JSON.parse(readFileSync(schemaFile, 'utf8')), schemaFile);
  const ds = await m.openCsv(buffer, { name: file });
  const run = m.validateTable(m.csvTableSource(buffer, ds, { name: file }), schema, {});
  let issues = 0;
  let firstMs;
  for await (const issue of run) {
    issues++;
    if (issues === 500) { firstMs = performance.now() - t0; }
    if (issues === 1) { out = { firstIssue: `${issue.type} row ${issue.row}: ${issue.message}` }; }
  }
  const summary = await run.summary;
  out = { ...out, rows: summary.rowsChecked, issues: summary.total, counts: summary.counts, firstMs, ms: performance.now() - t0 };
}
await buffer.close();
const cpu = process.cpuUsage();
// CPU time beside wall time: on a shared machine the wall clock measures the neighbours too
console.log(JSON.stringify({ ...out, cpuMs: (cpu.user + cpu.system) / 1000 }));
