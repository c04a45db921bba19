// A process whose only work is one full profile of a CSV, for peak RSS and a cold-process time:
//   node profile.child.mjs strata BUNDLE FILE   (two worker threads, ranges cut at row starts)
//   node profile.child.mjs duckdb FILE          (SUMMARIZE, 2 threads)
import { profileWithTwoWorkers, startWorker, stopWorker } from './profile.mjs';

const [mode, a, b] = process.argv.slice(2);
if (mode === 'strata') {
  const lib = await import(a);
  const workers = await Promise.all([startWorker(a, b), startWorker(a, b)]);
  const t0 = performance.now();
  const { profile } = await profileWithTwoWorkers(lib, b, workers);
  const ms = performance.now() - t0;
  await Promise.all(workers.map(stopWorker));
  console.log(JSON.stringify({ rows: profile.rowsProfiled, ms }));
} else {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const con = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
  const t0 = performance.now();
  const r = await con.runAndReadAll(`SUMMARIZE SELECT * FROM read_csv('${a.replaceAll("'", "''")}')`);
  console.log(JSON.stringify({ columns: r.getRows().length, ms: performance.now() - t0 }));
}
