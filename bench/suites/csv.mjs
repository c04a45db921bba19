// CSV jobs: first rows after open, full parse with one and two workers, row index build, peak RSS of a scanning worker.
//
// Parse throughput runs on the 100 MB file by default (each run under a second); `--full` uses the 1 GB file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const BUNDLE = `
export { openCsv } from './src/core/formats/csv/csvDataset';
export { openFileBuffer } from './src/node/fileBuffer';
`;
const WORKER = fileURLToPath(new URL('./csv.worker.mjs', import.meta.url));
const CHILD = fileURLToPath(new URL('./csv.child.mjs', import.meta.url));
const CEILING = fileURLToPath(new URL('./ceiling.worker.mjs', import.meta.url));
const sql = s => `'${s.replaceAll("'", "''")}'`;
const EVENTS_COLUMNS = ['id', 'user_id', 'amount', 'ratio', 'category', 'country', 'event_date', 'score', 'note'];

/** CPU ns of each thread of this process (Linux /proc); undefined elsewhere. */
function threadCpu() {
  try {
    return new Map(readdirSync('/proc/self/task').map(t => [t, Number(readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ')[0])]));
  } catch {
    return undefined;
  }
}

/**
 * CPU ms since `before`, split into the `busy` busiest threads (the scanning workers) and all the
 * others (read threads, GC helpers, the main thread): the others' work is what a second worker has
 * to share a core with, while one worker gets it done on the idle core for free.
 */
function threadSplit(before, busy) {
  const after = threadCpu();
  if (!before || !after) { return undefined; }
  const deltas = [...after].map(([t, ns]) => (ns - (before.get(t) ?? 0)) / 1e6).sort((a, b) => b - a);
  return { scan: deltas.slice(0, busy).reduce((a, b) => a + b, 0), busiest: deltas[0], other: deltas.slice(busy).reduce((a, b) => a + b, 0) };
}

const medianOf = xs => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };

function startWorker(bundlePath, file) {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: { bundlePath: pathToFileURL(bundlePath).href, file } });
    w.once('error', reject);
    w.once('message', info => resolve({ w, info }));
  });
}

function scanIn(worker, range) {
  return new Promise((resolve, reject) => {
    const done = msg => { worker.off('error', fail); resolve(msg); };
    const fail = e => { worker.off('message', done); reject(e); };
    worker.once('error', fail);
    worker.once('message', done);
    worker.postMessage({ cmd: 'scan', ...range });
  });
}

async function stopWorker(worker) {
  worker.postMessage({ cmd: 'close' });
  await new Promise(r => worker.once('exit', r));
}

export async function run(ctx) {
  const { lib, report, runs, dataDir, suite } = ctx;
  const full = process.argv.includes('--full');
  const file1g = join(dataDir, 'events-1g.csv');
  const file100m = join(dataDir, 'events-100m.csv');
  const file10m = join(dataDir, 'events-10m.csv');
  for (const f of [file1g, file100m, file10m]) {
    if (!existsSync(f)) { throw new Error(`${f} is missing: run node bench/prepare.mjs`); }
  }
  const bundlePath = await lib.bundle('csv', BUNDLE);
  const { openCsv, openFileBuffer } = await import(pathToFileURL(bundlePath).href);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const duck = async threads => (await DuckDBInstance.create(':memory:', { threads: String(threads) })).connect();
  const duck2 = await duck(2);
  const duck1 = await duck(1);

  // 1. First 1,000 rows after open: size-independent, since only the head of the file is read.
  for (const [label, file] of [['1 GB', file1g], ['10 MB', file10m]]) {
    const { ours, anchor } = await lib.measureInterleaved({
      ours: async () => {
        const t0 = performance.now();
        const buf = await openFileBuffer(file);
        const ds = await openCsv(buf, { name: file });
        const batch = await ds.readRows(0, 1000);
        const ms = performance.now() - t0;
        if (batch.rowCount !== 1000) { throw new Error('short read'); }
        await buf.close();
        return ms;
      },
      anchor: async () => {
        const r = await duck2.runAndReadAll(`SELECT * FROM read_csv(${sql(file)}) LIMIT 1000`);
        if (r.getRows().length !== 1000) { throw new Error('short read'); }
      },
    }, { runs: Math.max(runs, 7), warmup: 2 });
    report.add({ suite, job: `open + first 1,000 rows (${label} CSV)`, ours: ours.median, unit: 'ms', oursCpu: ours.cpuMedian, anchor: 'DuckDB LIMIT 1000', anchorValue: anchor.median, anchorCpu: anchor.cpuMedian, target: { op: '<=', value: 20 } });
  }

  // 2. Full parse into text column batches: one worker, then two workers split at row-index entries.
  const parseFile = full ? file1g : file100m;
  const parseLabel = full ? '1 GB' : '100 MB';
  const parseBytes = statSync(parseFile).size;
  // The serial phases before two workers can split a file, each by CPU: open (sniff + header),
  // row index build, starting the two workers (run here on the main thread, one after another).
  const parseBuffer = await openFileBuffer(parseFile);
  const phases = await lib.measureInterleaved({
    open: () => openCsv(parseBuffer, { name: parseFile }),
    index: async () => {
      const ds = await openCsv(parseBuffer, { name: parseFile });
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await ds.buildIndex();
      const c = process.cpuUsage(c0);
      return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
    },
    workers: async () => {
      const ws = await Promise.all([startWorker(bundlePath, parseFile), startWorker(bundlePath, parseFile)]);
      await Promise.all(ws.map(x => stopWorker(x.w)));
    },
  }, { runs: Math.min(runs, 3), warmup: 1 });
  await parseBuffer.close();
  const indexed = await openCsv(await openFileBuffer(parseFile), { name: parseFile });
  await indexed.buildIndex();
  const [p1, p2] = indexed.partitions(2);
  const whole = { from: indexed.dataStart, to: undefined, firstRow: 0 };
  const w1 = await startWorker(bundlePath, parseFile);
  const w2 = await startWorker(bundlePath, parseFile);
  // both workers get the same warm-up as the single worker's (a whole-file scan): a fresh thread's
  // first pass pays for compiling the parser and for first-touch page faults of its new heap
  await scanIn(w2.w, whole);
  // the machine's ceiling for a second core, sampled between the parses: a memory-bound loop, 1 thread vs 2
  const sums = await Promise.all([0, 1].map(() => new Promise((resolve, reject) => {
    const w = new Worker(CEILING);
    w.once('error', reject);
    w.once('message', () => resolve(w));
  })));
  const sumIn = (w, passes) => new Promise(resolve => { w.once('message', resolve); w.postMessage({ passes }); });
  const lengths = EVENTS_COLUMNS.map(c => `sum(length(${c}))`).join(' + ');
  const splits = { one: [], two: [] };
  const parse = await lib.measureInterleaved({
    one: async () => {
      const th = threadCpu();
      const t0 = performance.now();
      const r = await scanIn(w1.w, whole);
      const ms = performance.now() - t0;
      splits.one.push(threadSplit(th, 1));
      if (r.rows !== indexed.rowCount.value) { throw new Error(`rows ${r.rows} != ${indexed.rowCount.value}`); }
      return ms;
    },
    two: async () => {
      const th = threadCpu();
      const t0 = performance.now();
      const [a, b] = await Promise.all([scanIn(w1.w, { ...p1, parallel: true }), scanIn(w2.w, { ...p2, parallel: true })]);
      const ms = performance.now() - t0;
      splits.two.push(threadSplit(th, 2));
      if (a.rows + b.rows !== indexed.rowCount.value) { throw new Error('row count mismatch'); }
      return ms;
    },
    sum1: async () => { await sumIn(sums[0], 8); },
    sum2: async () => { await Promise.all([sumIn(sums[0], 4), sumIn(sums[1], 4)]); },
    duck1: () => duck1.runAndReadAll(`SELECT count(*), ${lengths} FROM read_csv(${sql(parseFile)}, all_varchar = true)`),
    duck2: () => duck2.runAndReadAll(`SELECT count(*), ${lengths} FROM read_csv(${sql(parseFile)}, all_varchar = true)`),
  }, { runs, warmup: 1 });
  const { one, two, duck1: duckParse, duck2: duck2Parse, sum1, sum2 } = parse;
  await Promise.all(sums.map(w => w.terminate()));
  const ceiling = sum1.median / sum2.median;
  report.add({ suite, job: `full parse, 1 worker (${parseLabel})`, ours: one.median, unit: 'ms', bytes: parseBytes, oursCpu: one.cpuMedian, anchor: 'DuckDB 1 thread, all columns as text', anchorValue: duckParse.median, anchorCpu: duckParse.cpuMedian, target: { op: '>=', value: 130, of: 'MB/s' } });

  // the warm-up runs are in `splits` too: keep the measured ones
  const threadNote = mode => {
    const xs = splits[mode].slice(-runs).filter(Boolean);
    if (!xs.length) { return ''; }
    const f = k => medianOf(xs.map(x => x[k])).toFixed(0);
    return `${mode === 'one' ? '1 worker' : '2 workers'}: scanning thread${mode === 'one' ? '' : 's'} ${f('scan')} ms CPU${mode === 'one' ? '' : ` (busiest ${f('busiest')})`}, other threads ${f('other')}`;
  };
  report.add({ suite, job: `full parse, 2 workers split at index entries (${parseLabel})`, ours: two.median, unit: 'ms', bytes: parseBytes, oursCpu: two.cpuMedian, anchor: 'ours, 1 worker', anchorValue: one.median, anchorCpu: one.cpuMedian, target: { op: '>=', value: 1.8, of: 'speedup' }, note: `speedup ${(one.median / two.median).toFixed(2)}×; the two parts read on their own threads (ScanOptions.parallel, as the profiler's parts do), the one worker reads ahead on a read thread; ${threadNote('one')}; ${threadNote('two')}; DuckDB 2 threads ${duck2Parse.median.toFixed(0)} ms (${(duckParse.median / duck2Parse.median).toFixed(2)}× its 1 thread); machine ceiling, a memory-bound loop (each thread summing its own 64 MB array): ${ceiling.toFixed(2)}× (${sum1.times.map((t, i) => (t / sum2.times[i]).toFixed(2)).join(', ')})` });
  console.log(`  a second core's gain this run: our parse ${(one.median / two.median).toFixed(2)}×, DuckDB ${(duckParse.median / duck2Parse.median).toFixed(2)}×, a memory-bound loop ${ceiling.toFixed(2)}×`);
  const { open: openPhase, index: indexPhase, workers: workersPhase } = phases;
  report.add({ suite, job: `serial phases before a 2-worker split (${parseLabel})`, ours: openPhase.median + indexPhase.median + workersPhase.median, unit: 'ms', oursCpu: openPhase.cpuMedian + indexPhase.cpuMedian + workersPhase.cpuMedian, note: `open + sniff ${openPhase.median.toFixed(0)} ms (CPU ${openPhase.cpuMedian.toFixed(0)}); row index ${indexPhase.median.toFixed(0)} ms (CPU ${indexPhase.cpuMedian.toFixed(0)}); start 2 workers ${workersPhase.median.toFixed(0)} ms (CPU ${workersPhase.cpuMedian.toFixed(0)}); not part of the parse timings above` });
  await stopWorker(w1.w);
  await stopWorker(w2.w);

  // 3. Row index of the 1 GB file (the page cache is warm: this measures the scan, as wc -l does).
  const size1g = statSync(file1g).size;
  const buf1g = await openFileBuffer(file1g);
  const { idx, wc, cat } = await lib.measureInterleaved({
    idx: async () => {
      const ds = await openCsv(buf1g, { name: file1g });
      const t0 = performance.now();
      await ds.buildIndex();
      return performance.now() - t0;
    },
    wc: () => lib.shTimed('wc', ['-l', file1g]),
    cat: () => lib.shTimed('cat', [file1g]),
  }, { runs: Math.min(runs, 5), warmup: 1 });
  await buf1g.close();
  report.add({ suite, job: 'row index build (1 GB CSV)', ours: idx.median, unit: 'ms', bytes: size1g, oursCpu: idx.cpuMedian, anchor: 'wc -l', anchorValue: wc.median, anchorCpu: wc.cpuMedian, target: { op: '>=', value: 1000, of: 'MB/s' }, note: `cat > /dev/null ${cat.median.toFixed(0)} ms (CPU ${cat.cpuMedian.toFixed(0)})` });

  // 4. Peak RSS of a process whose worker scans the whole 1 GB file (one run each: it takes seconds).
  const ours = await lib.runNodeJson(CHILD, ['strata', pathToFileURL(bundlePath).href, file1g]);
  const anchor = await lib.runNodeJson(CHILD, ['duckdb', file1g]);
  report.add({ suite, job: 'peak RSS, worker scanning the 1 GB CSV', ours: ours.peakRssMB, unit: 'MB', anchor: 'DuckDB 1 thread count(*)', anchorValue: anchor.peakRssMB, target: { op: '<=', value: 250 }, note: `scan ${(ours.result.ms / 1000).toFixed(1)} s = ${(size1g / 1e3 / ours.result.ms).toFixed(0)} MB/s (CPU ${(ours.cpuMs / 1000).toFixed(1)} s = ${(size1g / 1e3 / ours.cpuMs).toFixed(0)} MB/s); DuckDB ${(anchor.result.ms / 1000).toFixed(1)} s` });

  duck1.closeSync();
  duck2.closeSync();
}
