// Diff jobs: the full keyed diff of the 100 MB events CSV and its --v2 (plan, the two versions scanned
// in two pool workers at once, hash join, cell comparison, drift) against DuckDB's FULL OUTER JOIN
// ... IS DISTINCT FROM with 2 threads in the same run, counts cross-checked; the peak RSS of each in a
// process of its own. `--full` adds the 1 GB pair (partitioned by key hash on disk; ≤ 2 GB RSS).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./diff.child.mjs', import.meta.url));
const COLUMNS = ['user_id', 'amount', 'ratio', 'category', 'country', 'event_date', 'score', 'note'];
const sql = s => `'${s.replaceAll("'", "''")}'`;

/** Bundles (CommonJS, as dist/ is) the pool's worker and a module exporting runDiff and WorkerPool. */
export async function buildDiffBundles(lib) {
  const { build } = await import('esbuild');
  const dir = join(lib.DATA_DIR, '.build');
  mkdirSync(dir, { recursive: true });
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', define: { STRATA_VERSION: '"bench"' } };
  const worker = join(dir, 'diff-worker.cjs');
  const main = join(dir, 'diff-main.cjs');
  await build({ ...common, entryPoints: [join(lib.ROOT, 'src/node/worker/workerMain.ts')], outfile: worker });
  await build({
    ...common, outfile: main,
    stdin: { contents: "export { runDiff, DIFF_THREAD_LIMITS } from './src/node/diff/runDiff';\nexport { WorkerPool } from './src/node/workerPool';\n", resolveDir: lib.ROOT, loader: 'ts' },
  });
  return { worker, main };
}

/** One keyed diff of two files with a pool of two threads; the pool is the caller's (threads stay warm, as in the extension). */
export async function keyedDiff(mod, pool, a, b) {
  return mod.runDiff({ a: { path: a }, b: { path: b }, cwd: process.cwd(), options: { key: ['id'], maxExamples: 100 }, useSchema: false }, { pool });
}

/** DuckDB's keyed diff: rows only in one file, and matched rows with any column IS DISTINCT FROM. */
export function duckSql(a, b) {
  const distinct = COLUMNS.map(c => `a.${c} IS DISTINCT FROM b.${c}`).join(' OR ');
  return `SELECT count(*) FILTER (WHERE a.id IS NULL) AS added, count(*) FILTER (WHERE b.id IS NULL) AS removed,
    count(*) FILTER (WHERE a.id IS NOT NULL AND b.id IS NOT NULL AND (${distinct})) AS changed,
    count(*) FILTER (WHERE a.id IS NOT NULL AND b.id IS NOT NULL AND NOT (${distinct})) AS unchanged
    FROM read_csv(${sql(a)}) a FULL OUTER JOIN read_csv(${sql(b)}) b ON a.id = b.id`;
}

export async function run(ctx) {
  const { lib, report, runs, dataDir, suite } = ctx;
  const full = process.argv.includes('--full');
  const a = join(dataDir, 'events-100m.csv');
  const b = join(dataDir, 'events-100m-v2.csv');
  for (const f of [a, b]) { if (!existsSync(f)) { throw new Error(`${f} is missing: run node bench/prepare.mjs`); } }
  const bundles = await buildDiffBundles(lib);
  const mod = createRequire(import.meta.url)(bundles.main);
  // the pool as strata diff makes it (two threads, the diff's heap limits); its threads stay warm between runs
  const pool = new mod.WorkerPool({ workerPath: bundles.worker, maxThreads: 2, idleShutdownMs: Infinity, resourceLimits: mod.DIFF_THREAD_LIMITS });
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const duck = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
  const n = Math.min(runs, 3); // a run takes seconds; three give a stable median

  let diff;
  const ours = await lib.measure(async () => { diff = await keyedDiff(mod, pool, a, b); }, { runs: n, warmup: 1 });
  await pool.dispose();
  let counts;
  const anchor = await lib.measure(async () => {
    counts = (await duck.runAndReadAll(duckSql(a, b))).getRowObjectsJson()[0];
  }, { runs: n, warmup: 1 });
  // the two agree on what they both compute (DuckDB types the columns and so compares 39.50 and 39.5 as equal, as Strata does)
  for (const k of ['added', 'removed', 'changed', 'unchanged']) {
    if (Number(counts[k]) !== diff.rows[k]) { throw new Error(`${k}: Strata ${diff.rows[k]}, DuckDB ${counts[k]}`); }
  }
  const bytes = statSync(a).size + statSync(b).size;
  report.add({
    suite, job: 'full keyed diff, 2 workers (100 MB CSV + v2)', ours: ours.median, unit: 'ms', bytes, oursCpu: ours.cpuMedian,
    anchor: 'DuckDB FULL OUTER JOIN … IS DISTINCT FROM, 2 threads', anchorValue: anchor.median, anchorCpu: anchor.cpuMedian,
    target: { op: '<=', value: 2, of: 'ratio' },
    note: `+${diff.rows.added} −${diff.rows.removed} ~${diff.rows.changed} (agrees with DuckDB); drift on ${diff.columns.filter(c => c.drift).length} columns`,
  });

  const rssOurs = await lib.runNodeJson(CHILD, ['strata', bundles.main, bundles.worker, a, b]);
  const rssDuck = await lib.runNodeJson(CHILD, ['duckdb', a, b]);
  report.add({
    suite, job: 'peak RSS, keyed diff of the 100 MB pair (process)', ours: rssOurs.peakRssMB, unit: 'MB',
    anchor: 'DuckDB, 2 threads', anchorValue: rssDuck.peakRssMB, target: { op: '<=', value: 700 },
    note: `cold process: ours ${(rssOurs.result.ms / 1000).toFixed(1)} s (CPU ${(rssOurs.cpuMs / 1000).toFixed(1)} s), DuckDB ${(rssDuck.result.ms / 1000).toFixed(1)} s`,
  });

  if (full) {
    const a1 = join(dataDir, 'events-1g.csv');
    const b1 = join(dataDir, 'events-1g-v2.csv');
    const big = await lib.runNodeJson(CHILD, ['strata', bundles.main, bundles.worker, a1, b1]);
    const bigDuck = await lib.runNodeJson(CHILD, ['duckdb', a1, b1]);
    report.add({
      suite, job: 'peak RSS, keyed diff of the 1 GB pair (process, partitioned on disk)', ours: big.peakRssMB, unit: 'MB',
      anchor: 'DuckDB, 2 threads', anchorValue: bigDuck.peakRssMB, target: { op: '<=', value: 2048 },
      note: `${big.result.partitions} partitions; ours ${(big.result.ms / 1000).toFixed(0)} s (CPU ${(big.cpuMs / 1000).toFixed(0)} s), DuckDB ${(bigDuck.result.ms / 1000).toFixed(1)} s; +${big.result.rows.added} −${big.result.rows.removed} ~${big.result.rows.changed}`,
    });
  }
  duck.closeSync();
}
