// Versioning jobs: md5 of the 1 GB file vs md5sum, tracking it vs md5sum + cp, status of 1,000 tracked files, push/pull of 1,000 objects to a local S3 server.
//
//   npm run bench -- versioning --runs 3
//   STRATA_BENCH_JOBS=status,s3 npm run bench -- versioning   only some jobs (md5, track, status, s3)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = `
export { hashFile } from './src/node/versioning/md5Stream';
export { initRepository } from './src/node/versioning/initRepository';
export { trackPaths } from './src/node/versioning/trackPaths';
export { datasetStatus } from './src/node/versioning/datasetStatus';
export { pushObjects, pullObjects } from './src/node/versioning/transferObjects';
`;
const SMALL_FILES = 1000;
const JOBS = process.env.STRATA_BENCH_JOBS ? new Set(process.env.STRATA_BENCH_JOBS.split(',')) : undefined;
const wants = job => !JOBS || JOBS.has(job);

/** CommonJS bundle (simple-git and the AWS SDK use require), loaded with createRequire. */
async function loadVersioning(lib) {
  const { build } = await import('esbuild');
  const outfile = join(lib.DATA_DIR, '.build', 'versioning.cjs');
  mkdirSync(join(lib.DATA_DIR, '.build'), { recursive: true });
  await build({
    stdin: { contents: ENTRY, resolveDir: lib.ROOT, loader: 'ts', sourcefile: 'versioning.ts' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning', define: { STRATA_VERSION: '"bench"' },
  });
  return createRequire(import.meta.url)(outfile);
}

/** CPU ms of a process from /proc (utime + stime, or with `children` the waited-for children's cutime + cstime); 10 ms ticks. */
function procCpuMs(pid = 'self', children = false) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').slice(readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ');
    // fields after the command: state is [0], utime [11], stime [12], cutime [13], cstime [14]
    return (children ? Number(f[13]) + Number(f[14]) : Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

function gitRepo(base, name) {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

function cpuOf(c0) {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

export async function run(ctx) {
  const { lib, report, runs, dataDir, suite } = ctx;
  const file = join(dataDir, 'events-1g.csv');
  if ((wants('md5') || wants('track')) && !existsSync(file)) { throw new Error(`${file} is missing: run node bench/prepare.mjs`); }
  const bytes = existsSync(file) ? statSync(file).size : 0;
  const v = await loadVersioning(lib);
  // same file system as bench/data, so the 1 GB file can be hard-linked into a repository instead of copied
  const scratch = mkdtempSync(join(dataDir, '.versioning-'));
  try {
    if (wants('md5') || wants('track')) { lib.sh('cat', [file]); } // page cache warm for both sides

    // 1. md5 of 1 GB: ours in-process vs md5sum
    if (wants('md5')) {
    const md5sum = await lib.measure(() => lib.sh('md5sum', [file]), { runs });
    const ours = await lib.measure(async () => { await v.hashFile(file); }, { runs });
    report.add({ suite, job: 'md5 of the 1 GB CSV', ours: ours.median, unit: 'ms', bytes, anchor: 'md5sum', anchorValue: md5sum.median, target: { op: '<=', value: 1 / 0.95, of: 'ratio' } });
    }

    // 2. track 1 GB (hash + copy into the cache + fsync + pointer + git add) vs md5sum + cp
    if (wants('track')) {
    const trackRuns = Math.min(runs, 3);
    const anchorTrack = await lib.measure(() => {
      const dest = join(scratch, 'copy.csv');
      const t = lib.sh('md5sum', [file]) + lib.sh('cp', [file, dest]);
      rmSync(dest);
      return t;
    }, { runs: trackRuns, warmup: 0 });
    let n = 0;
    const track = await lib.measure(async () => {
      const repo = gitRepo(scratch, `track-${n++}`);
      await v.initRepository({ cwd: repo });
      linkSync(file, join(repo, 'events.csv'));
      const t0 = performance.now();
      await v.trackPaths({ cwd: repo, paths: ['events.csv'] });
      const ms = performance.now() - t0;
      execFileSync('chmod', ['-R', 'u+w', repo]);
      rmSync(repo, { recursive: true, force: true });
      return ms;
    }, { runs: trackRuns, warmup: 0 });
    report.add({ suite, job: 'track (add) the 1 GB CSV', ours: track.median, unit: 'ms', bytes, anchor: 'md5sum + cp', anchorValue: anchorTrack.median, target: { op: '<=', value: 1.2, of: 'ratio' } });
    }
    if (!wants('status') && !wants('s3')) { return; }
    const started = performance.now();

    // 3. status of 1,000 unchanged tracked files (state store warm, as after any earlier status)
    const repo = gitRepo(scratch, 'many');
    await v.initRepository({ cwd: repo });
    mkdirSync(join(repo, 'd'));
    const names = [];
    for (let i = 0; i < SMALL_FILES; i++) {
      const name = `d/f${String(i).padStart(4, '0')}.csv`;
      writeFileSync(join(repo, name), `id,value\n${i},${i * 7}\n`);
      names.push(name);
    }
    await v.trackPaths({ cwd: repo, paths: names });
    console.log(`  (1,000 files tracked in ${(performance.now() - started).toFixed(0)} ms)`);
    if (wants('status')) {
    const cpu = [];
    const status = await lib.measure(async () => {
      const c0 = process.cpuUsage();
      const r = await v.datasetStatus({ cwd: repo });
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      if (r.datasets.length !== SMALL_FILES || r.datasets.some(d => d.state !== 'unchanged')) { throw new Error('status is wrong'); }
    }, { runs: Math.max(runs, 7), warmup: 1 });
    report.add({ suite, job: `status of ${SMALL_FILES} unchanged tracked files (API)`, ours: status.median, unit: 'ms', target: { op: '<=', value: 200 }, note: `CPU ${lib.median(cpu).toFixed(0)} ms (process, incl. I/O threads)` });
    const cli = join(lib.DATA_DIR, '.build', 'cli.cjs');
    const { build } = await import('esbuild');
    await build({ entryPoints: [join(lib.ROOT, 'src/cli/main.ts')], outfile: cli, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', define: { STRATA_VERSION: '"bench"' } });
    const statusCli = await lib.measure(() => {
      const c0 = procCpuMs('self', true);
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [cli, 'status', '--json'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) { throw new Error(`strata status exited ${r.status}`); }
      return { ms: performance.now() - t0, cpuMs: procCpuMs('self', true) - c0 };
    }, { runs: Math.max(runs, 5), warmup: 1 });
    const bare = await lib.measure(() => {
      const c0 = procCpuMs('self', true);
      const t0 = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
      return { ms: performance.now() - t0, cpuMs: procCpuMs('self', true) - c0 };
    }, { runs: Math.max(runs, 5), warmup: 1 });
    report.add({ suite, job: `strata status, ${SMALL_FILES} files (CLI, with node start-up)`, ours: statusCli.median, oursCpu: statusCli.cpuMedian, unit: 'ms', anchor: 'node -e 0', anchorValue: bare.median, anchorCpu: bare.cpuMedian, note: 'whole process; CPU from /proc in 10 ms ticks' });
    }
    if (!wants('s3')) { return; }

    // 4. push / pull of 1,000 small objects to an S3-compatible server on 127.0.0.1
    const server = spawn(process.execPath, [fileURLToPath(new URL('./versioning.child.mjs', import.meta.url)), join(scratch, 's3')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const port = await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.stdout.once('data', d => resolve(JSON.parse(String(d)).port));
    });
    try {
      let prefix = 0;
      const pushRates = [];
      const pullRates = [];
      const pushCpu = [];
      const pullCpu = [];
      const serverCpu = [];
      for (let i = 0; i < Math.min(runs, 3); i++) {
        writeFileSync(join(repo, '.dvc/config'), `[core]\n    remote = s3\n['remote "s3"']\n    url = s3://bench/run${prefix++}\n    endpointurl = http://127.0.0.1:${port}\n    access_key_id = S3RVER\n    secret_access_key = S3RVER\n`);
        let c0 = process.cpuUsage();
        let s0 = procCpuMs(server.pid);
        const t0 = performance.now();
        const p = await v.pushObjects({ cwd: repo });
        const pushMs = performance.now() - t0;
        pushCpu.push(cpuOf(c0));
        serverCpu.push(procCpuMs(server.pid) - s0);
        if (p.transferred !== SMALL_FILES || p.failed.length) { throw new Error(`push moved ${p.transferred}, failed ${p.failed.length}`); }
        pushRates.push((SMALL_FILES * 1000) / pushMs);
        execFileSync('chmod', ['-R', 'u+w', join(repo, '.dvc/cache')]);
        rmSync(join(repo, '.dvc/cache'), { recursive: true, force: true });
        c0 = process.cpuUsage();
        s0 = procCpuMs(server.pid);
        const t1 = performance.now();
        const q = await v.pullObjects({ cwd: repo });
        const pullMs = performance.now() - t1;
        pullCpu.push(cpuOf(c0));
        serverCpu.push(procCpuMs(server.pid) - s0);
        if (q.transferred !== SMALL_FILES || q.failed.length) { throw new Error(`pull moved ${q.transferred}, failed ${q.failed.length}`); }
        pullRates.push((SMALL_FILES * 1000) / pullMs);
      }
      const perObject = xs => `${(lib.median(xs) / SMALL_FILES).toFixed(2)} ms CPU per object`;
      console.log(`  server (s3rver) CPU per push or pull: ${serverCpu.map(x => x.toFixed(0)).join(', ')} ms`);
      report.add({ suite, job: `push ${SMALL_FILES} small objects to local S3 (s3rver)`, ours: lib.median(pushRates), unit: 'objects/s', target: { op: '>=', value: 200 }, note: `ours ${perObject(pushCpu)}; s3rver ${perObject(serverCpu)}` });
      report.add({ suite, job: `pull ${SMALL_FILES} small objects from local S3 (s3rver)`, ours: lib.median(pullRates), unit: 'objects/s', target: { op: '>=', value: 200 }, note: `md5 verified on every download; ours ${perObject(pullCpu)}` });
    } finally {
      server.stdin.end();
      await new Promise(r => server.once('exit', r));
    }
  } finally {
    execFileSync('chmod', ['-R', 'u+w', scratch]);
    rmSync(scratch, { recursive: true, force: true });
  }
}
