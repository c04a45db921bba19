import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../../src/node/versioning/initRepository';
import { trackPaths } from '../../../src/node/versioning/trackPaths';
import { commitVersions } from '../../../src/node/versioning/commitVersions';
import { pullObjects, pushObjects } from '../../../src/node/versioning/transferObjects';
import { checkoutVersion } from '../../../src/node/versioning/checkoutVersion';
import { datasetStatus } from '../../../src/node/versioning/datasetStatus';
import { isVersioningError } from '../../../src/core/versioning/versioningError';
import { makeTempRepo, type TempRepo } from './tempRepo';
import { startLocalS3, type LocalS3 } from './s3Server';

let repo: TempRepo;
let store: string;
let s3: LocalS3;
beforeAll(async () => { s3 = await startLocalS3(); });
afterAll(async () => { await s3.close(); });
beforeEach(async () => {
  repo = makeTempRepo();
  store = mkdtempSync(join(tmpdir(), 'strata-remote-'));
  await initRepository({ cwd: repo.dir });
});
afterEach(() => {
  repo.cleanup();
  rmSync(store, { recursive: true, force: true });
});

const FILES: Record<string, string> = { 'a.csv': 'a,1\n', 'b.csv': 'b,2\n', 'd/x.txt': 'x', 'd/y/z.txt': 'zz' };

async function trackedRepo(config: string): Promise<void> {
  writeFileSync(join(repo.dir, '.dvc/config'), config);
  for (const [k, v] of Object.entries(FILES)) { repo.write(k, v); }
  await trackPaths({ cwd: repo.dir, paths: ['a.csv', 'b.csv', 'd'] });
  await commitVersions({ cwd: repo.dir, message: 'data' });
}

function wipeLocalData(): void {
  repo.git('-c', 'core.quotepath=off', 'status'); // (no-op: keeps the index fresh)
  rmSync(join(repo.dir, '.dvc/cache'), { recursive: true, force: true });
  for (const k of ['a.csv', 'b.csv', 'd']) { rmSync(join(repo.dir, k), { recursive: true, force: true }); }
}

/** Every object in the cache has the bytes its name says (no partial or wrong object). */
function cacheIsSound(): number {
  const base = join(repo.dir, '.dvc/cache/files/md5');
  if (!existsSync(base)) { return 0; }
  let n = 0;
  for (const d of readdirSync(base).filter(x => /^[0-9a-f]{2}$/.test(x))) {
    for (const f of readdirSync(join(base, d))) {
      const md5 = createHash('md5').update(readFileSync(join(base, d, f))).digest('hex');
      expect(md5, `${d}${f}`).toBe((d + f).replace(/\.dir$/, ''));
      n++;
    }
  }
  return n;
}

/** Total size of the objects in the cache. */
function cacheBytes(): number {
  const base = join(repo.dir, '.dvc/cache/files/md5');
  let n = 0;
  for (const d of readdirSync(base).filter(x => /^[0-9a-f]{2}$/.test(x))) {
    for (const f of readdirSync(join(base, d))) { n += statSync(join(base, d, f)).size; }
  }
  return n;
}

const variants = [
  { name: 'local folder', config: () => `[core]\n    remote = store\n['remote "store"']\n    url = ${store}\n` },
  { name: 'S3-compatible', config: () => `[core]\n    remote = s3\n['remote "s3"']\n    url = s3://${s3.bucket}/p${Math.random().toString(36).slice(2)}/dvc\n    endpointurl = ${s3.endpoint}\n    access_key_id = S3RVER\n    secret_access_key = S3RVER\n` },
];

for (const v of variants) {
  describe(`push and pull: ${v.name}`, () => {
    it('pushes only missing objects, pulls them back verified and restores missing datasets', async () => {
      await trackedRepo(v.config());
      const objects = 2 + 1 + 2; // two files, one manifest, two files in the folder
      const progress: number[] = [];
      const p1 = await pushObjects({ cwd: repo.dir, onProgress: p => progress.push(p.done) });
      expect(p1).toMatchObject({ transferred: objects, skipped: 0, failed: [] });
      expect(progress.at(-1)).toBe(objects);
      const p2 = await pushObjects({ cwd: repo.dir });
      expect(p2).toMatchObject({ transferred: 0, skipped: objects });

      wipeLocalData();
      const cli = await repo.cli('pull');
      expect(cli.err).toBe('');
      expect(cli.code).toBe(0);
      expect(cli.out).toContain(`${objects} object(s) pulled from`);
      for (const [k, val] of Object.entries(FILES)) { expect(repo.read(k)).toBe(val); }
      expect(cacheIsSound()).toBe(objects);
      expect((await datasetStatus({ cwd: repo.dir })).datasets.every(d => d.state === 'unchanged')).toBe(true);
      const again = await pullObjects({ cwd: repo.dir });
      expect(again).toMatchObject({ transferred: 0, skipped: 3 + 2 });
    });

    it('reports the bytes of the objects moved, the same on every pull', async () => {
      await trackedRepo(v.config());
      const pushed = await pushObjects({ cwd: repo.dir });
      const objectBytes = cacheBytes();
      expect(pushed.bytes).toBe(objectBytes);
      for (let i = 0; i < 3; i++) {
        wipeLocalData();
        const pulled = await pullObjects({ cwd: repo.dir });
        expect(pulled).toMatchObject({ transferred: 5, bytes: objectBytes });
      }
      wipeLocalData();
      const cli = await repo.cli('pull', '--json');
      expect(JSON.parse(cli.out)).toMatchObject({ transferred: 5, bytes: objectBytes });
    });

    it('resumes: a second pull fetches only what the first did not', async () => {
      await trackedRepo(v.config());
      await pushObjects({ cwd: repo.dir });
      wipeLocalData();
      const first = await pullObjects({ cwd: repo.dir, paths: ['a.csv'] });
      expect(first.transferred).toBe(1);
      const rest = await pullObjects({ cwd: repo.dir });
      expect(rest.transferred).toBe(4);
      expect(cacheIsSound()).toBe(5);
    });

    it('checkout pulls a version missing from the cache', async () => {
      await trackedRepo(v.config());
      const c1 = repo.git('rev-parse', 'HEAD').trim();
      await pushObjects({ cwd: repo.dir }); // push sends the versions the pointers name now
      repo.write('a.csv', 'a,1\na,2\n');
      await commitVersions({ cwd: repo.dir, message: 'a v2' });
      rmSync(join(repo.dir, '.dvc/cache/files/md5/c9/dea323bc24b952f3e602a8ec0768d0')); // md5sum of "a,1\n" 
      const r = await checkoutVersion({ cwd: repo.dir, path: 'a.csv', rev: c1 });
      expect(r.fetched).toBe(1);
      expect(repo.read('a.csv')).toBe('a,1\n');
    });

    it('checkout pulls a folder version named by its hash without .dir', async () => {
      await trackedRepo(v.config());
      await pushObjects({ cwd: repo.dir });
      const folderHash = /md5: (\w+\.dir)/.exec(repo.read('d.dvc'))![1];
      wipeLocalData();
      const r = await checkoutVersion({ cwd: repo.dir, path: 'd', hash: folderHash.replace(/\.dir$/, '') });
      expect(r).toMatchObject({ hash: folderHash, fetched: 3 });
      expect(repo.read('d/x.txt')).toBe('x');
      expect(repo.read('d/y/z.txt')).toBe('zz');
    });

    it('checkout with no revision pulls what the pointers name and the cache lacks (a fresh clone)', async () => {
      await trackedRepo(v.config());
      await pushObjects({ cwd: repo.dir });
      wipeLocalData();
      expect((await datasetStatus({ cwd: repo.dir })).datasets.map(d => d.state)).toEqual(['not-in-cache', 'not-in-cache', 'not-in-cache']);
      const one = await checkoutVersion({ cwd: repo.dir, path: 'a.csv' });
      expect(one).toMatchObject({ path: 'a.csv', changed: true, fetched: 1 });
      expect(repo.read('a.csv')).toBe('a,1\n');
      const all = await repo.cli('checkout', '--json');
      expect(all.code).toBe(0);
      expect(JSON.parse(all.out).datasets.map((d: { path: string; fetched: number }) => [d.path, d.fetched])).toEqual([['b.csv', 1], ['d', 3]]);
      expect(Object.entries(FILES).map(([k]) => repo.read(k))).toEqual(Object.values(FILES));
      expect((await datasetStatus({ cwd: repo.dir })).datasets.every(d => d.state === 'unchanged')).toBe(true);
    });
  });
}

describe('pull refuses what does not match its md5', () => {
  it('a corrupt object on the remote is reported and never enters the cache or the workspace', async () => {
    await trackedRepo(variants[0].config());
    await pushObjects({ cwd: repo.dir });
    const h = /md5: (\w+)/.exec(repo.read('a.csv.dvc'))![1];
    const remoteObj = join(store, 'files/md5', h.slice(0, 2), h.slice(2));
    chmodSync(remoteObj, 0o644);
    writeFileSync(remoteObj, 'a,9\n');
    wipeLocalData();
    const cli = await repo.cli('pull');
    expect(cli.code).toBe(2);
    expect(cli.err).toMatch(new RegExp(`^strata pull: object ${h} \\(a\\.csv\\) arrived with md5 [0-9a-f]{32}; it was discarded`));
    expect(existsSync(join(repo.dir, 'a.csv'))).toBe(false);
    expect(repo.read('b.csv')).toBe('b,2\n');
    expect(cacheIsSound()).toBe(4);
    expect(readdirSync(join(repo.dir, '.dvc/cache/files/md5')).filter(n => n.startsWith('.'))).toEqual([]);
  });

  it('a cancelled pull stops with a clear error and leaves only sound objects', async () => {
    await trackedRepo(variants[0].config());
    await pushObjects({ cwd: repo.dir });
    wipeLocalData();
    const ac = new AbortController();
    let err: unknown;
    try {
      await pullObjects({ cwd: repo.dir, jobs: 1, signal: ac.signal, onProgress: () => ac.abort() });
    } catch (e) { err = e; }
    expect(isVersioningError(err) && err.code).toBe('cancelled');
    const n = cacheIsSound();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThan(5);
  });

  it('no remote configured is one clear line', async () => {
    repo.write('a.csv', 'a');
    await trackPaths({ cwd: repo.dir, paths: ['a.csv'] });
    const r = await repo.cli('push');
    expect(r).toMatchObject({ code: 2, err: `strata push: no remote is configured; add a ['remote "name"'] section with a url to .dvc/config` });
  });

  it('checkout of a version missing from the cache says why no remote could be used', async () => {
    await trackedRepo(`['remote "store"']\n    url = ${store}\n`);
    const h = /md5: (\w+)/.exec(repo.read('a.csv.dvc'))![1];
    wipeLocalData();
    const noDefault = await repo.cli('checkout', 'a.csv', '--hash', h);
    expect(noDefault).toMatchObject({ code: 2, err: `strata checkout: a.csv version ${h} is not in the cache and cannot be pulled: no default remote; name one with -r (store) or set 'remote' under [core] in .dvc/config` });
    const unknown = await repo.cli('checkout', 'a.csv', '--hash', h, '-r', 'elsewhere');
    expect(unknown.err).toBe(`strata checkout: a.csv version ${h} is not in the cache and cannot be pulled: remote 'elsewhere' is not in .dvc/config`);
  });
});
