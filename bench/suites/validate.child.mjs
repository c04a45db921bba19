// One pass over a CSV in a fresh process, for time and peak RSS: `parse` (the rows only, read as validation reads them:
// the same parser, 1 MB chunks), `validate` (against a schema file, in one thread), or, as the product runs it
// (a pool of two worker threads: a cut found by scanning the first half, two halves at once, merge), `pool` (the whole pass) and `pool500`
// (time until the first 500 issues are out, then to the end). CPU time counts every thread of the process;
// the pool's threads are started before timing, as the extension keeps them.
//   node validate.child.mjs parse|validate BUNDLE_URL FILE [SCHEMA_JSON]
//   node validate.child.mjs pool|pool500 MAIN_CJS WORKER_CJS FILE SCHEMA_JSON
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const [mode, bundleUrl, file, schemaFile] = process.argv.slice(2);
if (mode === 'pool' || mode === 'pool500') {
  const [main, worker, dataFile, schemaPath] = process.argv.slice(3);
  const mod = createRequire(import.meta.url)(main);
  const pool = new mod.WorkerPool({ workerPath: worker, maxThreads: 2 });
  // the extension's pool keeps its threads: start both and load the validation code before timing
  const warm = join(dirname(schemaPath), 'warm.csv');
  writeFileSync(warm, 'a,b\n1,x\n');
  await Promise.all([0, 1].map(() => pool.run('validateDataset', { path: warm, schema: {} }, {})));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let firstMs;
  let firstIssue;
  const out = await mod.validateInParts((name, input, opts) => pool.run(name, input, opts), { path: dataFile, schema: { schemaPath } }, {
    onIssues: issues => {
      if (!firstIssue && issues.length) { firstIssue = `${issues[0].type} row ${issues[0].row}: ${issues[0].message}`; }
      if (firstMs === undefined && issues.length >= 500) { firstMs = performance.now() - t0; }
    },
  });
  const ms = performance.now() - t0;
  await pool.dispose();
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({
    rows: out.summary.rowsChecked, issues: out.summary.total, counts: out.summary.counts, firstMs, firstIssue, ms, cpuMs: (cpu.user + cpu.system) / 1000,
  }));
  process.exit(0);
}
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
