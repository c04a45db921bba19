// A process whose only work is one keyed diff, for peak RSS and a cold-process time:
//   node diff.child.mjs strata MAIN_BUNDLE WORKER_BUNDLE A B   (pool of two threads)
//   node diff.child.mjs duckdb A B                             (FULL OUTER JOIN, 2 threads)
import { createRequire } from 'node:module';
import { duckSql, keyedDiff } from './diff.mjs';

const [mode, ...args] = process.argv.slice(2);
if (mode === 'strata') {
  const [main, worker, a, b] = args;
  const mod = createRequire(import.meta.url)(main);
  const pool = new mod.WorkerPool({ workerPath: worker, maxThreads: 2, resourceLimits: mod.DIFF_THREAD_LIMITS });
  const t0 = performance.now();
  const diff = await keyedDiff(mod, pool, a, b);
  const ms = performance.now() - t0;
  await pool.dispose();
  console.log(JSON.stringify({ rows: diff.rows, partitions: diff.partitions, ms }));
} else {
  const [a, b] = args;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const con = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
  const t0 = performance.now();
  const r = (await con.runAndReadAll(duckSql(a, b))).getRowObjectsJson()[0];
  console.log(JSON.stringify({ rows: r, ms: performance.now() - t0 }));
}
