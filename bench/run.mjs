#!/usr/bin/env node
// Runs the benchmark suites in bench/suites and prints each job's median beside its anchor's, measured in the same run.
//
//   npm run bench                     every suite
//   npm run bench -- csv              suites whose name contains "csv"
//   npm run bench -- csv --runs 3     fewer repetitions
//
// A suite is bench/suites/<name>.mjs exporting `async function run(ctx)`; files with a second dot
// (<name>.worker.mjs, <name>.child.mjs) are a suite's helpers and are not run. TypeScript sources are
// bundled with esbuild on the fly (ctx.lib.bundle), so the bench always measures the current code.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as lib from './lib.mjs';

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
const filters = argv.filter((a, i) => !a.startsWith('--') && (runsAt < 0 || i !== runsAt + 1));

// Data first: prepare.mjs skips files that exist.
const prep = spawnSync(process.execPath, [join(lib.BENCH_DIR, 'prepare.mjs')], { stdio: 'inherit' });
if (prep.status !== 0) { process.exit(2); }

const suitesDir = join(lib.BENCH_DIR, 'suites');
const suites = readdirSync(suitesDir)
  .filter(f => /^[^.]+\.mjs$/.test(f))
  .map(f => f.slice(0, -4))
  .filter(name => filters.length === 0 || filters.some(x => name.includes(x)))
  .sort();

const report = new lib.Report();
const started = new Date();
const loadBefore = lib.loadAverage();
for (const name of suites) {
  console.log(`\n== ${name}`);
  const mod = await import(pathToFileURL(join(suitesDir, `${name}.mjs`)).href);
  await mod.run({ suite: name, report, runs, dataDir: lib.DATA_DIR, lib });
}

const table = report.table();
console.log(`\n${table}\n`);
const host = `${process.platform} ${process.arch}, node ${process.version}, ${(await import('node:os')).cpus().length} cores`;
const conditions = `Run ${started.toISOString()} on ${host}, ${runs} runs per job (median); 1-minute load average ${loadBefore} at the start, ${lib.loadAverage()} at the end.`;
console.log(conditions);
writeFileSync(join(lib.DATA_DIR, 'last-results.md'), `${conditions}\n\n${table}\n`);
console.log(`(also written to bench/data/last-results.md)`);
