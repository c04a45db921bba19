// Parquet jobs on the 1 GB events table converted to Parquet (snappy): metadata, first 1,000 rows, a window from the middle.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUNDLE = `
export { openParquet } from './src/core/formats/parquet/parquetDataset';
export { openFileBuffer } from './src/node/fileBuffer';
`;
const sql = s => `'${s.replaceAll("'", "''")}'`;

export async function run(ctx) {
  const { lib, report, runs, dataDir, suite } = ctx;
  const file = join(dataDir, 'events-1g.parquet');
  if (!existsSync(file)) { throw new Error(`${file} is missing: run node bench/prepare.mjs`); }
  const size = statSync(file).size;
  const { openParquet, openFileBuffer } = await lib.importBundle('parquet', BUNDLE);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const duck = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
  const many = { runs: Math.max(runs, 7), warmup: 2 };
  // a few milliseconds each: more runs and a longer warm-up so the median is the code, not the JIT
  const metaRuns = { runs: Math.max(runs, 15), warmup: 5 };

  // 1. Metadata: the footer (schema, row count, row groups) from a fresh open.
  let groups = 0;
  let rows = 0;
  let metaBytes = 0;
  const metaCpu = [];
  const meta = await lib.measure(() => lib.withCpu(metaCpu, async () => {
    const t0 = performance.now();
    const buf = await openFileBuffer(file);
    const c = lib.countingBuffer(buf);
    const ds = await openParquet(c);
    const ms = performance.now() - t0;
    groups = ds.rowGroupCount;
    rows = ds.rowCount.value;
    metaBytes = c.bytes;
    await buf.close();
    return ms;
  }), metaRuns);
  const duckMeta = await lib.measure(async () => {
    const r = await duck.runAndReadAll(`SELECT num_rows FROM parquet_file_metadata(${sql(file)})`);
    if (Number(r.getRows()[0][0]) !== rows) { throw new Error('row counts differ'); }
  }, metaRuns);
  report.add({ suite, job: `metadata (${(size / 1e6).toFixed(0)} MB Parquet, ${groups} row groups)`, ours: meta.median, unit: 'ms', anchor: 'DuckDB parquet_file_metadata', anchorValue: duckMeta.median, target: { op: '<=', value: 20 }, note: `${(metaBytes / 1024).toFixed(0)} KB read; CPU ${lib.median(metaCpu.slice(5)).toFixed(1)} ms` });

  // 2. First 1,000 rows after a fresh open: one row group's column chunks, decoded only as far as needed.
  for (const [label, start] of [['first 1,000 rows', 0], ['1,000 rows from the middle', Math.floor(rows / 2)]]) {
    let readBytes = 0;
    const cpu = [];
    const ours = await lib.measure(() => lib.withCpu(cpu, async () => {
      const t0 = performance.now();
      const buf = await openFileBuffer(file);
      const c = lib.countingBuffer(buf);
      const ds = await openParquet(c);
      const batch = await ds.readRows(start, 1000);
      const ms = performance.now() - t0;
      if (batch.rowCount !== 1000) { throw new Error('short read'); }
      readBytes = c.bytes;
      await buf.close();
      return ms;
    }), many);
    const anchor = await lib.measure(async () => {
      const r = await duck.runAndReadAll(`SELECT * FROM read_parquet(${sql(file)}) LIMIT 1000 OFFSET ${start}`);
      if (r.getRows().length !== 1000) { throw new Error('short read'); }
    }, many);
    report.add({
      suite, job: `open + ${label}`, ours: ours.median, unit: 'ms', anchor: 'DuckDB LIMIT 1000', anchorValue: anchor.median,
      target: start === 0 ? { op: '<=', value: 100 } : undefined, note: `${(readBytes / 1e6).toFixed(1)} MB read of ${(size / 1e6).toFixed(0)} MB; CPU ${lib.median(cpu.slice(2)).toFixed(1)} ms`,
    });
  }
}
