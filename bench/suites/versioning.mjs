// Versioning jobs: md5 of the 1 GB file vs md5sum, tracking it vs md5sum + cp, status of 1,000 tracked files, push/pull of 1,000 objects to a local S3 server.
//
//   npm run bench -- versioning --runs 3
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

function gitRepo(base, name) {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

export async function run(ctx) {
  const { lib, report, runs, dataDir, suite } = ctx;
  const file = join(dataDir, 'events-1g.csv');
  if (!existsSync(file)) { throw new Error(`${file} is missing: run node bench/prepare.mjs`); }
  const bytes = statSync(file).size;
  const v = await loadVersioning(lib);
  // same file system as bench/data, so the 1 GB file can be hard-linked into a repository instead of copied
  const scratch = mkdtempSync(join(dataDir, '.versioning-'));
  try {
    lib.sh('cat', [file]); // page cache warm for both sides

    // 1. md5 of 1 GB: ours in-process vs md5sum
    const md5sum = await lib.measure(() => lib.sh('md5sum', [file]), { runs });
    const ours = await lib.measure(async () => { await v.hashFile(file); }, { runs });
    report.add({ suite, job: 'md5 of the 1 GB CSV', ours: ours.median, unit: 'ms', bytes, anchor: 'md5sum', anchorValue: md5sum.median, target: { op: '<=', value: 1 / 0.95, of: 'ratio' } });

    // 2. track 1 GB (hash + copy into the cache + fsync + pointer + git add) vs md5sum + cp
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
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [cli, 'status', '--json'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) { throw new Error(`strata status exited ${r.status}`); }
      return performance.now() - t0;
    }, { runs: Math.max(runs, 5), warmup: 1 });
    report.add({ suite, job: `strata status, ${SMALL_FILES} files (CLI, with node start-up)`, ours: statusCli.median, unit: 'ms', note: 'whole process' });

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
      for (let i = 0; i < Math.min(runs, 3); i++) {
        writeFileSync(join(repo, '.dvc/config'), `[core]\n    remote = s3\n['remote "s3"']\n    url = s3://bench/run${prefix++}\n    endpointurl = http://127.0.0.1:${port}\n    access_key_id = S3RVER\n    secret_access_key = S3RVER\n`);
        const t0 = performance.now();
        const p = await v.pushObjects({ cwd: repo });
        const pushMs = performance.now() - t0;
        if (p.transferred !== SMALL_FILES || p.failed.length) { throw new Error(`push moved ${p.transferred}, failed ${p.failed.length}`); }
        pushRates.push((SMALL_FILES * 1000) / pushMs);
        execFileSync('chmod', ['-R', 'u+w', join(repo, '.dvc/cache')]);
        rmSync(join(repo, '.dvc/cache'), { recursive: true, force: true });
        const t1 = performance.now();
        const q = await v.pullObjects({ cwd: repo });
        const pullMs = performance.now() - t1;
        if (q.transferred !== SMALL_FILES || q.failed.length) { throw new Error(`pull moved ${q.transferred}, failed ${q.failed.length}`); }
        pullRates.push((SMALL_FILES * 1000) / pullMs);
      }
      report.add({ suite, job: `push ${SMALL_FILES} small objects to local S3 (s3rver)`, ours: lib.median(pushRates), unit: 'objects/s', target: { op: '>=', value: 200 } });
      report.add({ suite, job: `pull ${SMALL_FILES} small objects from local S3 (s3rver)`, ours: lib.median(pullRates), unit: 'objects/s', target: { op: '>=', value: 200 }, note: 'md5 verified on every download' });
    } finally {
      server.stdin.end();
      await new Promise(r => server.once('exit', r));
    }
  } finally {
    execFileSync('chmod', ['-R', 'u+w', scratch]);
    rmSync(scratch, { recursive: true, force: true });
  }
}
