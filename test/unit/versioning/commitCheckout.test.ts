import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../../src/node/versioning/initRepository';
import { trackPaths } from '../../../src/node/versioning/trackPaths';
import { commitVersions } from '../../../src/node/versioning/commitVersions';
import { checkoutVersion } from '../../../src/node/versioning/checkoutVersion';
import { datasetHistory } from '../../../src/node/versioning/datasetHistory';
import { datasetStatus } from '../../../src/node/versioning/datasetStatus';
import { locateVersion } from '../../../src/node/versioning/locateVersion';
import { GitReader } from '../../../src/node/git/gitReader';
import { isVersioningError } from '../../../src/core/versioning/versioningError';
import { makeCliIn, makeTempRepo, type TempRepo } from './tempRepo';

let repo: TempRepo;
beforeEach(async () => {
  repo = makeTempRepo();
  await initRepository({ cwd: repo.dir });
});
afterEach(() => repo.cleanup());

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; } catch (e) { return isVersioningError(e) ? e.code : String(e); }
  return undefined;
}

const V1 = 'id,v\n1,a\n';
const V2 = 'id,v\n1,a\n2,b\n';
const MD5_V1 = 'c4bb53c798f0512b655779661cb63b41'; // md5sum
const MD5_V2 = 'ee6704961151dda548da7bd8f78f49c3'; // md5sum
const MD5_C_CRLF = 'fa1f726044eed39debea9998ab700388'; // md5sum of "c\r\n"

describe('commit', () => {
  it('commits new data versions together with code the user staged, in one commit', async () => {
    repo.write('data/t.csv', V1);
    await trackPaths({ cwd: repo.dir, paths: ['data/t.csv'] });
    const first = await commitVersions({ cwd: repo.dir, message: 'first version' });
    expect(first.datasets).toEqual([]); // tracked already: the staged pointer is committed as it is
    expect(first.committedPaths).toContain('data/t.csv.dvc');

    repo.write('data/t.csv', V2);
    repo.write('train.py', 'print("hi")\n');
    repo.git('add', 'train.py');
    const r = await commitVersions({ cwd: repo.dir, message: 'more rows' });
    expect(r.datasets.map(d => [d.path, d.hash, d.size])).toEqual([['data/t.csv', MD5_V2, V2.length]]);
    expect(r.committedPaths.sort()).toEqual(['data/t.csv.dvc', 'train.py']);
    expect(repo.git('show', '--name-only', '--format=%s', 'HEAD').trim().split('\n')).toEqual(['more rows', '', 'data/t.csv.dvc', 'train.py']);
    expect(repo.git('show', 'HEAD:data/t.csv.dvc')).toContain(`size: ${V2.length}`);
    expect(repo.git('status', '--porcelain').trim()).toBe('');
  });

  it('nothing to commit is exit 1; a detached HEAD and a held index.lock are clear errors', async () => {
    repo.write('a.csv', V1);
    await trackPaths({ cwd: repo.dir, paths: ['a.csv'] });
    await commitVersions({ cwd: repo.dir, message: 'v1' });
    const none = await repo.cli('commit', '-m', 'again');
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/nothing to commit/);
    writeFileSync(join(repo.dir, '.git/index.lock'), '');
    expect(await errorCode(commitVersions({ cwd: repo.dir, message: 'x' }))).toBe('index-locked');
    rmSync(join(repo.dir, '.git/index.lock'));
    repo.git('checkout', '-q', '--detach');
    repo.write('a.csv', V2);
    const det = await repo.cli('commit', '-m', 'x');
    expect(det.code).toBe(2);
    expect(det.err).toBe('strata commit: HEAD is detached; check out a branch (git switch NAME) before committing a data version');
  });
});

describe('log', () => {
  it('lists versions of a DVC-tracked dataset, newest first, with size and recorded rows/columns', async () => {
    repo.write('t.csv', V1);
    await trackPaths({ cwd: repo.dir, paths: ['t.csv'], describe: async () => ({ rows: 1, columns: 2 }) });
    await commitVersions({ cwd: repo.dir, message: 'one row' });
    repo.write('t.csv', V2);
    await commitVersions({ cwd: repo.dir, message: 'two rows', describe: async () => ({ rows: 2, columns: 2 }) });
    const h = await datasetHistory({ cwd: repo.dir, path: 't.csv' });
    expect(h.source).toBe('dvc');
    expect(h.versions.map(v => [v.message, v.size, v.rows, v.columns, v.authorName])).toEqual([
      ['two rows', V2.length, 2, 2, 'Test User'], ['one row', V1.length, 1, 2, 'Test User']]);
    expect(h.versions.map(v => v.hash)).toEqual([MD5_V2, MD5_V1]);
    const cli = await repo.cli('log', 't.csv', '--json');
    expect(JSON.parse(cli.out).versions).toHaveLength(2);
  });

  it('lists versions of a file kept in plain git and recognises git-lfs pointers', async () => {
    repo.write('plain.csv', V1);
    repo.git('add', 'plain.csv');
    repo.git('commit', '-q', '-m', 'plain v1');
    const lfs = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';
    repo.write('big.parquet', lfs);
    repo.git('add', 'big.parquet');
    repo.git('commit', '-q', '-m', 'lfs v1');
    const p = await datasetHistory({ cwd: repo.dir, path: 'plain.csv' });
    expect(p.versions.map(v => [v.message, v.size, v.source])).toEqual([['plain v1', V1.length, 'git']]);
    const l = await datasetHistory({ cwd: repo.dir, path: 'big.parquet' });
    expect(l.versions.map(v => [v.source, v.size, v.hash])).toEqual([['git-lfs', 12345, 'sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393']]);
    expect(await errorCode(datasetHistory({ cwd: repo.dir, path: 'never.csv' }))).toBe('not-tracked');
  });
});

describe('checkout', () => {
  async function twoVersions(): Promise<{ c1: string; c2: string }> {
    repo.write('t.csv', V1);
    await trackPaths({ cwd: repo.dir, paths: ['t.csv'] });
    const c1 = (await commitVersions({ cwd: repo.dir, message: 'v1' })).commit;
    repo.write('t.csv', V2);
    const c2 = (await commitVersions({ cwd: repo.dir, message: 'v2' })).commit;
    return { c1, c2 };
  }

  it('restores an older version and its pointer, and back again', async () => {
    const { c1 } = await twoVersions();
    const r = await checkoutVersion({ cwd: repo.dir, path: 't.csv', rev: c1 });
    expect(r).toMatchObject({ path: 't.csv', commit: c1, changed: true, saved: undefined, fetched: 0 });
    expect(repo.read('t.csv')).toBe(V1);
    expect(repo.read('t.csv.dvc')).toBe(repo.git('show', `${c1}:t.csv.dvc`));
    expect((await datasetStatus({ cwd: repo.dir })).datasets[0].state).toBe('unchanged');
    const back = await repo.cli('checkout', 't.csv', '--rev', 'HEAD');
    expect(back.code).toBe(0);
    expect(repo.read('t.csv')).toBe(V2);
    expect(repo.git('status', '--porcelain').trim()).toBe('');
  });

  it('with no revision, restores a missing dataset to the version its pointer names', async () => {
    await twoVersions();
    rmSync(join(repo.dir, 't.csv'));
    expect(await repo.cli('checkout', 't.csv')).toEqual({ code: 0, out: `restored t.csv to ${MD5_V2}`, err: '' });
    expect(repo.read('t.csv')).toBe(V2);
    expect(await repo.cli('checkout', 't.csv.dvc')).toEqual({ code: 0, out: `t.csv already is ${MD5_V2}`, err: '' });
    expect(repo.git('status', '--porcelain').trim()).toBe('');
  });

  it('with no revision, puts a modified dataset back and keeps the working copy in the cache', async () => {
    await twoVersions();
    const mine = 'id,v\n9,mine\n';
    repo.write('t.csv', mine);
    const r = await checkoutVersion({ cwd: repo.dir, path: 't.csv' });
    expect(r).toMatchObject({ path: 't.csv', commit: undefined, hash: MD5_V2, changed: true, fetched: 0 });
    expect(repo.read('t.csv')).toBe(V2);
    expect(r.saved?.restoreCommand).toBe(`strata checkout t.csv --hash ${r.saved?.hash}`);
    expect(readFileSync(r.saved!.cachePath, 'utf8')).toBe(mine);
  });

  it('with no revision, says when a path is not tracked or its pointer names no version', async () => {
    repo.write('loose.csv', V1);
    expect(await errorCode(checkoutVersion({ cwd: repo.dir, path: 'loose.csv' }))).toBe('not-tracked');
    repo.write('empty.csv.dvc', 'outs:\n- path: empty.csv\n');
    expect(await repo.cli('checkout', 'empty.csv')).toEqual({ code: 2, out: '', err: 'strata checkout: empty.csv.dvc names no version of empty.csv yet; save one with `strata add empty.csv`' });
  });

  it('with no PATH, restores every missing or modified dataset and leaves the others', async () => {
    for (const [p, text] of [['a.csv', V1], ['b.csv', V1], ['c.csv', V1], ['d/x.txt', 'x'], ['d/y.txt', 'y']]) { repo.write(p, text); }
    await trackPaths({ cwd: repo.dir, paths: ['a.csv', 'b.csv', 'c.csv', 'd'] });
    rmSync(join(repo.dir, 'a.csv'));
    repo.write('b.csv', V2);
    rmSync(join(repo.dir, 'd/y.txt'));
    repo.write('d/new.txt', 'new');
    const cli = await makeCliIn(join(repo.dir, 'd'))('checkout');
    expect(cli.code).toBe(0);
    expect(cli.out.split('\n').filter(l => l.startsWith('restored'))).toEqual([
      `restored a.csv to ${MD5_V1}`, `restored b.csv to ${MD5_V1}`, `restored d to ${/md5: (\S+)/.exec(repo.read('d.dvc'))![1]}`]);
    expect(cli.out).toContain(`saved it to the cache as ${MD5_V2}`);
    expect([repo.read('a.csv'), repo.read('b.csv'), repo.read('c.csv'), repo.read('d/y.txt'), existsSync(join(repo.dir, 'd/new.txt'))]).toEqual([V1, V1, V1, 'y', false]);
    expect((await datasetStatus({ cwd: repo.dir })).datasets.map(d => d.state)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(await repo.cli('checkout', '--json')).toEqual({ code: 0, out: JSON.stringify({ datasets: [], failed: [] }), err: '' });
    expect((await repo.cli('checkout')).out).toBe('nothing to restore: every tracked dataset matches its pointer');
  });

  it('with no revision, restores what it can and reports each dataset it cannot or that nothing tracks (exit 2)', async () => {
    repo.write('a.csv', V1);
    repo.write('b.csv', V2);
    await trackPaths({ cwd: repo.dir, paths: ['a.csv', 'b.csv'] });
    rmSync(join(repo.dir, 'a.csv'));
    rmSync(join(repo.dir, 'b.csv'));
    rmSync(join(repo.dir, '.dvc/cache/files/md5', MD5_V1.slice(0, 2), MD5_V1.slice(2)), { force: true });
    const cli = await repo.cli('checkout', 'a.csv', 'b.csv');
    expect(cli.code).toBe(2);
    expect(cli.out).toBe(`restored b.csv to ${MD5_V2}`);
    expect(cli.err).toMatch(/^strata checkout: a\.csv version c4bb53c798f0512b655779661cb63b41 is not in the cache and cannot be pulled: /);
    expect(repo.read('b.csv')).toBe(V2);
    // a path named that nothing tracks is reported; an unreadable pointer not named is not
    repo.write('broken.csv.dvc', 'outs: [\n');
    const named = await repo.cli('checkout', 'b.csv', 'loose.csv');
    expect(named).toEqual({ code: 2, out: '', err: 'strata checkout: loose.csv is not tracked; track it first with `strata add loose.csv`' });
    expect((await repo.cli('checkout')).err).toMatch(/^strata checkout: broken\.csv\.dvc: /);
  });

  it('refuses --rev with --hash, and --rev or --hash without exactly one PATH', async () => {
    expect((await repo.cli('checkout', 't.csv', '--rev', 'HEAD', '--hash', MD5_V1)).code).toBe(2);
    expect((await repo.cli('checkout', '--rev', 'HEAD')).err).toBe('strata checkout: --rev and --hash restore one dataset: name it; usage: strata checkout [PATH...]  (or strata checkout PATH --rev REV, or PATH --hash MD5)');
    expect((await repo.cli('checkout', 'a.csv', 'b.csv', '--hash', MD5_V1)).code).toBe(2);
  });

  it('works for datasets in subfolders (log and checkout read the pointer at the revision)', async () => {
    repo.write('data/raw/s.csv', V1);
    await trackPaths({ cwd: repo.dir, paths: ['data/raw/s.csv'] });
    const c1 = (await commitVersions({ cwd: repo.dir, message: 's v1' })).commit;
    repo.write('data/raw/s.csv', V2);
    await commitVersions({ cwd: repo.dir, message: 's v2' });
    const h = await datasetHistory({ cwd: join(repo.dir, 'data'), path: 'raw/s.csv' });
    expect(h.versions.map(v => v.hash)).toEqual([MD5_V2, MD5_V1]);
    const r = await checkoutVersion({ cwd: join(repo.dir, 'data/raw'), path: 's.csv', rev: c1 });
    expect(r.path).toBe('data/raw/s.csv');
    expect(repo.read('data/raw/s.csv')).toBe(V1);
  });

  it('never loses a working copy that is in no version: it is cached first and can be restored by hash', async () => {
    const { c1 } = await twoVersions();
    const mine = 'id,v\n1,a\n2,b\n3,my unsaved work\n';
    repo.write('t.csv', mine);
    const cli = await repo.cli('checkout', 't.csv', '--rev', c1);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/saved it to the cache as [0-9a-f]{32}/);
    expect(repo.read('t.csv')).toBe(V1);
    const hash = /as ([0-9a-f]{32})/.exec(cli.out)![1];
    expect(cli.out).toContain(`strata checkout t.csv --hash ${hash}`);
    expect(readFileSync(join(repo.dir, '.dvc/cache/files/md5', hash.slice(0, 2), hash.slice(2)), 'utf8')).toBe(mine);
    const restored = await checkoutVersion({ cwd: repo.dir, path: 't.csv', hash });
    expect(restored.changed).toBe(true);
    expect(repo.read('t.csv')).toBe(mine);
    // already in the cache from the first checkout: not stored a second time, still recoverable
    const again = await checkoutVersion({ cwd: repo.dir, path: 't.csv', rev: 'HEAD' });
    expect(again.saved).toBeUndefined();
    expect(repo.read('t.csv')).toBe(V2);
    await checkoutVersion({ cwd: repo.dir, path: 't.csv', hash });
    expect(repo.read('t.csv')).toBe(mine);
  });

  it('refuses a corrupt cache object and leaves the working file as it was', async () => {
    const { c1 } = await twoVersions();
    const h1 = /md5: (\w+)/.exec(repo.git('show', `${c1}:t.csv.dvc`))![1];
    const obj = join(repo.dir, '.dvc/cache/files/md5', h1.slice(0, 2), h1.slice(2));
    chmodSync(obj, 0o644);
    writeFileSync(obj, 'id,v\n1,X\n');
    const r = await repo.cli('checkout', 't.csv', '--rev', c1);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^strata checkout: cache object [0-9a-f]{32} is corrupt/);
    expect(repo.read('t.csv')).toBe(V2);
  });

  it('refuses a pointer at a revision whose path leaves the workspace, and unknown revisions', async () => {
    await twoVersions();
    repo.write('evil.dvc', 'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: ../../outside\n');
    repo.git('add', 'evil.dvc');
    repo.git('commit', '-q', '-m', 'evil');
    expect(await errorCode(checkoutVersion({ cwd: repo.dir, path: 'evil', rev: 'HEAD' }))).toBe('path-escape');
    expect(await errorCode(checkoutVersion({ cwd: repo.dir, path: '../outside', rev: 'HEAD' }))).toBe('path-escape');
    const bad = await repo.cli('checkout', 't.csv', '--rev', 'no-such-branch');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^strata checkout: revision 'no-such-branch': unknown revision/);
    expect(existsSync(join(repo.dir, '..', 'outside'))).toBe(false);
  });

  it('checks out a folder version: changed files replaced, added files removed (after being cached)', async () => {
    repo.write('d/a.txt', 'a1');
    repo.write('d/sub/b.txt', 'b1');
    await trackPaths({ cwd: repo.dir, paths: ['d'] });
    const c1 = (await commitVersions({ cwd: repo.dir, message: 'd v1' })).commit;
    repo.write('d/a.txt', 'a2');
    repo.write('d/new.txt', 'n');
    await commitVersions({ cwd: repo.dir, message: 'd v2' });
    repo.write('d/sub/b.txt', 'b-unsaved');
    const r = await checkoutVersion({ cwd: repo.dir, path: 'd', rev: c1 });
    expect(r.saved?.hash).toMatch(/\.dir$/);
    expect(repo.read('d/a.txt')).toBe('a1');
    expect(repo.read('d/sub/b.txt')).toBe('b1');
    expect(existsSync(join(repo.dir, 'd/new.txt'))).toBe(false);
    await checkoutVersion({ cwd: repo.dir, path: 'd', hash: r.saved!.hash });
    expect(repo.read('d/sub/b.txt')).toBe('b-unsaved');
    expect(repo.read('d/new.txt')).toBe('n');
  });

  it('checks out a folder version by its hash given without .dir', async () => {
    repo.write('d/a.txt', 'a1');
    await trackPaths({ cwd: repo.dir, paths: ['d'] });
    const folderHash = /md5: (\w+\.dir)/.exec(repo.read('d.dvc'))![1];
    repo.write('d/a.txt', 'a2');
    await commitVersions({ cwd: repo.dir, message: 'd v2' });
    const cli = await repo.cli('checkout', 'd', '--hash', folderHash.replace(/\.dir$/, ''));
    expect(cli).toMatchObject({ code: 0, err: '', out: `restored d to ${folderHash}` });
    expect(repo.read('d/a.txt')).toBe('a1');
  });

  it('reads a DVC 2.x repository: md5-dos2unix pointers and the legacy cache layout', async () => {
    // DVC 2.x hashed text with CRLF turned into LF: md5sum of "a\nb\n" is dd8c6a395b5dd36c56d23275028f526c
    repo.write('crlf.txt', 'a\r\nb\r\n');
    repo.write('crlf.txt.dvc', 'outs:\n- md5: dd8c6a395b5dd36c56d23275028f526c\n  size: 6\n  path: crlf.txt\n');
    repo.write('.dvc/cache/dd/8c6a395b5dd36c56d23275028f526c', 'a\r\nb\r\n');
    repo.git('add', 'crlf.txt.dvc');
    repo.git('commit', '-q', '-m', 'dvc 2 pointer');
    expect((await datasetStatus({ cwd: repo.dir })).datasets.map(d => d.state)).toEqual(['unchanged']);
    repo.write('crlf.txt', 'changed\r\n');
    expect((await datasetStatus({ cwd: repo.dir })).datasets.map(d => d.state)).toEqual(['modified']);
    const r = await checkoutVersion({ cwd: repo.dir, path: 'crlf.txt', rev: 'HEAD' });
    expect(r.saved).toBeDefined();
    expect(repo.read('crlf.txt')).toBe('a\r\nb\r\n');
    // a new version is written in DVC 3 form
    repo.write('crlf.txt', 'c\r\n');
    await commitVersions({ cwd: repo.dir, message: 'v3 format' });
    expect(repo.read('crlf.txt.dvc')).toBe(`outs:\n- md5: ${MD5_C_CRLF}\n  size: 3\n  hash: md5\n  path: crlf.txt\n`);
  });

  it('locates the bytes of a version: cache object for DVC, git blob stream for plain git', async () => {
    const { c1 } = await twoVersions();
    const dvc = await locateVersion({ cwd: repo.dir, path: 't.csv', rev: c1 });
    expect(dvc).toMatchObject({ source: 'dvc', hash: MD5_V1, size: V1.length, local: true, isDir: false });
    expect(readFileSync(dvc.file!, 'utf8')).toBe(V1);
    repo.write('plain.csv', V2);
    repo.git('add', 'plain.csv');
    repo.git('commit', '-q', '-m', 'plain');
    const plain = await locateVersion({ cwd: repo.dir, path: 'plain.csv', rev: 'HEAD' });
    expect(plain).toMatchObject({ source: 'git', size: V2.length, gitPath: 'plain.csv' });
    const chunks: Buffer[] = [];
    for await (const c of new GitReader({ cwd: repo.dir }).showStream(plain.commit, plain.gitPath)) { chunks.push(c as Buffer); }
    expect(Buffer.concat(chunks).toString()).toBe(V2);
  });
});
