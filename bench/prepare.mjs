#!/usr/bin/env node
// Generates the benchmark data once into bench/data/ (gitignored); files that already exist are skipped.
//
//   node bench/prepare.mjs            every file below
//   node bench/prepare.mjs events-10m every file whose name contains one of the arguments
//
// Other formats add their conversion steps to STEPS (each step lists its output and how to make it).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const DATA_DIR = join(here, 'data');
const GEN = '/work/shared/bench/gen-events.mjs';

/** Each step writes `out` (a file in bench/data) by `make(tmpPath)`; the result is renamed into place. */
export const STEPS = [
  { out: 'events-10m.csv', make: tmp => gen(tmp, 117_000) },
  { out: 'events-100m.csv', make: tmp => gen(tmp, 1_170_000) },
  { out: 'events-100m-v2.csv', make: tmp => gen(tmp, 1_170_000, '--v2') },
  { out: 'events-1g.csv', make: tmp => gen(tmp, 11_700_000) },
  { out: 'events-1g-v2.csv', make: tmp => gen(tmp, 11_700_000, '--v2') },
  { out: 'events-1g.parquet', make: tmp => convert('parquet.convert.mjs', 'events-1g.csv', tmp) },
  { out: 'events-1g.arrow', make: tmp => convert('arrow.convert.mjs', 'events-1g.parquet', tmp) },
  { out: 'events-100m.jsonl', make: tmp => convert('jsonl.convert.mjs', 'events-100m.csv', tmp) },
];

/** Runs bench/suites/<script> on a file made by an earlier step. */
function convert(script, input, tmp) {
  const r = spawnSync(process.execPath, [join(here, 'suites', script), join(DATA_DIR, input), tmp], { stdio: 'inherit' });
  if (r.status !== 0) { throw new Error(`${script} failed for ${tmp}`); }
}

function gen(tmp, rows, ...flags) {
  const r = spawnSync(process.execPath, [GEN, tmp, String(rows), ...flags], { stdio: 'inherit' });
  if (r.status !== 0) { throw new Error(`gen-events failed for ${tmp}`); }
}

function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  const only = process.argv.slice(2);
  for (const step of STEPS) {
    if (only.length && !only.some(o => step.out.includes(o))) { continue; }
    const path = join(DATA_DIR, step.out);
    if (existsSync(path)) { console.log(`exists  ${step.out}`); continue; }
    // Several benches may run at once: one makes the file, the others wait for it.
    if (!takeLock(path)) {
      console.log(`waiting ${step.out} (another run is making it)`);
      while (!existsSync(path) && lockHolderAlive(path)) { sleepMs(2000); }
      if (existsSync(path)) { console.log(`exists  ${step.out}`); continue; }
      rmSync(`${path}.lock`, { force: true });
      if (!takeLock(path)) { throw new Error(`cannot lock ${path}`); }
    }
    try {
      const t0 = Date.now();
      // Write beside the target and rename, so an interrupted run never leaves a half file that looks done.
      const tmp = `${path}.${process.pid}.partial`;
      step.make(tmp);
      renameSync(tmp, path);
      console.log(`wrote   ${step.out} (${(statSync(path).size / 1e6).toFixed(0)} MB, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } finally {
      rmSync(`${path}.lock`, { force: true });
    }
  }
}

/** Creates `<path>.lock` holding our pid; false when another live run holds it. */
function takeLock(path) {
  try {
    writeFileSync(`${path}.lock`, String(process.pid), { flag: 'wx' });
    return true;
  } catch (e) {
    if (e.code !== 'EEXIST') { throw e; }
    if (lockHolderAlive(path)) { return false; }
    rmSync(`${path}.lock`, { force: true });
    return takeLock(path);
  }
}

function lockHolderAlive(path) {
  let pid;
  try { pid = Number(readFileSync(`${path}.lock`, 'utf8')); } catch { return false; }
  try { process.kill(pid, 0); return true; } catch { return false; }
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) { main(); }
