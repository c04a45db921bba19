// Benchmark helpers shared by every suite: timing and medians, bundling TypeScript on the fly, anchors, peak RSS, the table.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH_DIR, '..');
export const DATA_DIR = join(BENCH_DIR, 'data');
const BUILD_DIR = join(DATA_DIR, '.build');

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds taken by `fn` (awaited). */
export async function timeIt(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** A job's own timing: `{ ms, cpuMs? }` (any other returned value is ignored). */
function isTiming(r) {
  return r !== null && typeof r === 'object' && typeof r.ms === 'number';
}

function cpuMs(since) {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

/**
 * Runs `fn` `warmup` times unmeasured, then `runs` times; returns the median wall time and the
 * median CPU time of this process (all its threads) in ms, plus every wall time. On a busy machine
 * wall time grows with the load while CPU time stays near what the work costs, so both are kept.
 * `fn` may return a number of milliseconds (its own timing of a part), or `{ ms, cpuMs }`.
 */
export async function measure(fn, { runs = 5, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) { await fn(); }
  const times = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await fn();
    const wall = performance.now() - t0;
    const used = cpuMs(c0);
    if (isTiming(r)) { times.push(r.ms); cpu.push(r.cpuMs ?? used); }
    else { times.push(typeof r === 'number' ? r : wall); cpu.push(used); }
  }
  return { median: median(times), times, cpuMedian: median(cpu) };
}

/**
 * Measures several jobs in turn (a, b, c, a, b, c, ...) so that jobs compared with each other see
 * the same machine conditions; returns `{ name: { median, times, cpuMedian } }`.
 */
export async function measureInterleaved(jobs, { runs = 5, warmup = 1 } = {}) {
  const names = Object.keys(jobs);
  const acc = Object.fromEntries(names.map(n => [n, { times: [], cpu: [] }]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const n of names) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await jobs[n]();
      const wall = performance.now() - t0;
      const used = cpuMs(c0);
      if (i < warmup) { continue; }
      if (isTiming(r)) { acc[n].times.push(r.ms); acc[n].cpu.push(r.cpuMs ?? used); }
      else { acc[n].times.push(typeof r === 'number' ? r : wall); acc[n].cpu.push(used); }
    }
  }
  return Object.fromEntries(names.map(n => [n, { median: median(acc[n].times), times: acc[n].times, cpuMedian: median(acc[n].cpu) }]));
}

const HAS_TIME = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;

/** Wall time (ms) of a command, e.g. `sh('wc', ['-l', file])`. Output is discarded. */
export function sh(cmd, args) {
  return shTimed(cmd, args).ms;
}

/** Wall and CPU time (ms) of a command: `{ ms, cpuMs }` (cpuMs from /usr/bin/time when present). */
export function shTimed(cmd, args) {
  const t0 = performance.now();
  const r = HAS_TIME
    ? spawnSync('/usr/bin/time', ['-f', 'cpu_s=%U %S', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) { throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`); }
  const m = /cpu_s=([\d.]+) ([\d.]+)/.exec(String(r.stderr));
  return { ms, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined };
}

/** The 1-minute load average (how busy the machine was). */
export function loadAverage() {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Shell anchors: median time of `wc -l FILE` and `cat FILE > /dev/null`. */
export async function wcLines(file, opts) { return measure(() => shTimed('wc', ['-l', file]), opts); }
export async function catFile(file, opts) { return measure(() => shTimed('cat', [file]), opts); }

const bundles = new Map();

/**
 * Bundles TypeScript sources into one ES module under bench/data/.build and returns its path.
 * `source` is module text resolved from the repository root, e.g.
 * `export { openCsv } from './src/core/formats/csv/csvDataset';`. Built once per run.
 */
export async function bundle(name, source) {
  if (bundles.has(name)) { return bundles.get(name); }
  const { build } = await import('esbuild');
  mkdirSync(BUILD_DIR, { recursive: true });
  const outfile = join(BUILD_DIR, `${name}.mjs`);
  await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'ts', sourcefile: `${name}.ts` },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning',
    define: { STRATA_VERSION: '"bench"' },
  });
  bundles.set(name, outfile);
  return outfile;
}

/** Imports a bundle made by `bundle()`. */
export async function importBundle(name, source) {
  return import(pathToFileURL(await bundle(name, source)).href);
}

/**
 * Runs `node script ...args` in a fresh process and returns what its last stdout line says (JSON)
 * plus the process's peak RSS in MB as the kernel counts it (via /usr/bin/time when present).
 */
export function runNodeJson(script, args = []) {
  return new Promise((resolve, reject) => {
    const useTime = HAS_TIME;
    const cmd = useTime ? '/usr/bin/time' : process.execPath;
    const argv = useTime ? ['-f', 'maxrss_kb=%M cpu_s=%U %S', process.execPath, script, ...args] : [script, ...args];
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', d => { out += d; });
    child.stderr.on('data', d => { err += d; });
    child.on('close', code => {
      if (code !== 0) { reject(new Error(`${script} exited ${code}: ${err.trim()}`)); return; }
      const last = out.trim().split('\n').pop() ?? '{}';
      const m = /maxrss_kb=(\d+) cpu_s=([\d.]+) ([\d.]+)/.exec(err);
      resolve({ result: JSON.parse(last), peakRssMB: m ? Number(m[1]) / 1024 : undefined, cpuMs: m ? (Number(m[2]) + Number(m[3])) * 1000 : undefined });
    });
  });
}

/** Peak RSS (MB) of this process so far. */
export function selfPeakRssMB() {
  return process.resourceUsage().maxRSS / 1024;
}

const fmt = (v, digits = 1) => (v === undefined || v === null ? '' : typeof v === 'number' ? v.toFixed(v >= 100 ? 0 : digits) : String(v));

/**
 * Collects job results and prints them as a Markdown table. A result:
 * { suite, job, ours, unit ('ms' | 'MB'), anchor, anchorValue, oursCpu?, anchorCpu?, bytes?,
 *   target?: { op: '<=' | '>=', value, of?: 'MB/s' | 'ratio' | 'speedup' }, note? }
 * `ratio` is ours / anchor (for times: how many times the anchor's time we take). Targets are judged
 * on wall time; CPU times (ms, all threads of the measuring process) are shown beside it.
 */
export class Report {
  rows = [];

  add(r) {
    const ratio = r.anchorValue ? r.ours / r.anchorValue : undefined;
    const mbps = r.bytes && r.unit === 'ms' ? r.bytes / 1e3 / r.ours : undefined;
    const cpuMbps = r.bytes && r.oursCpu ? r.bytes / 1e3 / r.oursCpu : undefined;
    let met;
    if (r.target) {
      const got = r.target.of === 'MB/s' ? mbps : r.target.of === 'ratio' ? ratio : r.target.of === 'speedup' ? 1 / ratio : r.ours;
      met = got === undefined ? undefined : r.target.op === '<=' ? got <= r.target.value : got >= r.target.value;
    }
    const row = { ...r, ratio, mbps, cpuMbps, met };
    this.rows.push(row);
    console.log(`  ${r.job}: ${fmt(r.ours)} ${r.unit}${r.oursCpu ? ` (CPU ${fmt(r.oursCpu)} ms)` : ''}${mbps ? ` = ${fmt(mbps)} MB/s` : ''}` +
      `${r.anchor ? ` | ${r.anchor}: ${fmt(r.anchorValue)} ${r.unit} | ratio ${fmt(ratio, 2)}` : ''}` +
      `${met === undefined ? '' : met ? ' | target met' : ' | TARGET MISSED'}`);
    return row;
  }

  table() {
    const target = t => (t ? `${t.op} ${t.value}${t.of === 'MB/s' ? ' MB/s' : t.of === 'speedup' ? '× speedup' : t.of === 'ratio' ? '× anchor' : ''}` : '');
    const cpu = v => (v ? ` (CPU ${fmt(v)})` : '');
    const lines = [
      '| suite | job | ours, median | MB/s (by CPU) | anchor | anchor, median | ratio ours/anchor | target | met | note |',
      '|---|---|---:|---:|---|---:|---:|---|---|---|',
    ];
    for (const r of this.rows) {
      const speed = r.mbps ? `${fmt(r.mbps)}${r.cpuMbps ? ` (${fmt(r.cpuMbps)})` : ''}` : '';
      lines.push(`| ${r.suite} | ${r.job} | ${fmt(r.ours)} ${r.unit}${cpu(r.oursCpu)} | ${speed} | ${r.anchor ?? ''} | ${r.anchorValue === undefined ? '' : `${fmt(r.anchorValue)} ${r.unit}${cpu(r.anchorCpu)}`} | ${fmt(r.ratio, 2)} | ${target(r.target)} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} | ${r.note ?? ''} |`);
    }
    return lines.join('\n');
  }
}

/** Runs `job` (which returns its wall ms) and records the CPU ms it used in `cpu`, so a busy machine's wait can be told apart. */
export async function withCpu(cpu, job) {
  const c0 = process.cpuUsage();
  const ms = await job();
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  return ms;
}

/** Wraps an AsyncBuffer to count the bytes read through it (`.bytes`). */
export function countingBuffer(buffer) {
  const c = { bytes: 0, byteLength: buffer.byteLength, slice: (a, b) => { c.bytes += Math.min(b ?? buffer.byteLength, buffer.byteLength) - a; return buffer.slice(a, b); } };
  return c;
}
