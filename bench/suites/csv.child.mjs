// A process whose only work is one scan of a CSV, for peak RSS: `strata` (our scan in a worker thread) or `duckdb` (1 thread).
//   node csv.child.mjs strata BUNDLE FILE  |  node csv.child.mjs duckdb FILE
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const [mode, a, b] = process.argv.slice(2);
if (mode === 'strata') {
  const worker = new Worker(fileURLToPath(new URL('./csv.worker.mjs', import.meta.url)), { workerData: { bundlePath: a, file: b } });
  worker.on('error', e => { console.error(e); process.exit(1); });
  worker.on('message', msg => {
    if (msg.ready) {
      worker.postMessage({ cmd: 'scan', from: msg.dataStart, to: undefined, firstRow: 0 });
    } else {
      worker.postMessage({ cmd: 'close' });
      console.log(JSON.stringify({ rows: msg.rows, ms: msg.ms }));
    }
  });
} else {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await inst.connect();
  const t0 = performance.now();
  const r = await con.runAndReadAll(`SELECT count(*) FROM read_csv('${a.replaceAll("'", "''")}', all_varchar = true)`);
  console.log(JSON.stringify({ rows: Number(r.getRows()[0][0]), ms: performance.now() - t0 }));
}
