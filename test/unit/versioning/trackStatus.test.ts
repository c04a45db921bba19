import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../../src/node/versioning/initRepository';
import { trackPaths } from '../../../src/node/versioning/trackPaths';
import { datasetStatus } from '../../../src/node/versioning/datasetStatus';
import { openRepository } from '../../../src/node/versioning/repository';
import { stateKey } from '../../../src/node/versioning/workspaceHash';
import { commitVersions } from '../../../src/node/versioning/commitVersions';
import { isVersioningError } from '../../../src/core/versioning/versioningError';
import { makeCliIn, makeTempRepo, type TempRepo } from './tempRepo';

const FIX = join(__dirname, '../../fixtures/versioning');
let repo: TempRepo;
beforeEach(() => { repo = makeTempRepo(); });
afterEach(() => repo.cleanup());

/** The paths among `paths` (root-relative) that git itself ignores, sorted. */
function gitIgnored(paths: string[]): string[] {
  const r = spawnSync('git', ['check-ignore', '--no-index', '-z', '--stdin'], { cwd: repo.dir, input: paths.join('\0'), encoding: 'utf8', env: process.env });
  if (r.status !== 0 && r.status !== 1) { throw new Error(r.stderr); }
  return r.stdout.split('\0').filter(Boolean).sort();
}

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  try { await p; } catch (e) { return isVersioningError(e) ? e.code : String(e); }
  return undefined;
}

describe('init', () => {
  it('creates the DVC layout and stages it; a second run changes nothing', async () => {
    const r = await initRepository({ cwd: repo.dir });
    expect(r.created).toEqual(['.dvc/config', '.dvc/.gitignore', '.dvcignore']);
    expect(repo.read('.dvc/.gitignore')).toBe('/config.local\n/tmp\n/cache\n');
    expect(repo.read('.dvc/config')).toBe('');
    expect(repo.git('diff', '--cached', '--name-only').trim().split('\n').sort()).toEqual(['.dvc/.gitignore', '.dvc/config', '.dvcignore']);
    expect((await initRepository({ cwd: repo.dir })).created).toEqual([]);
  });

  it('says clearly when the folder is not a git repository', async () => {
    const bare = makeTempRepo({ init: false });
    try {
      expect(await errorCode(initRepository({ cwd: bare.dir }))).toBe('not-a-git-repo');
      const r = await bare.cli('init');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^strata init: this folder is not in a git repository/);
    } finally { bare.cleanup(); }
  });
});

describe('add and status', () => {
  beforeEach(async () => { await initRepository({ cwd: repo.dir }); });

  it('tracks a file: cache copy, DVC 3 pointer, .gitignore line, both staged; the file stays', async () => {
    repo.write('data/foo', 'foo');
    const r = await trackPaths({ cwd: repo.dir, paths: ['data/foo'] });
    expect(r.datasets).toEqual([{ path: 'data/foo', pointerPath: 'data/foo.dvc', hash: 'acbd18db4cc2f85cedef654fccc4a4d8', size: 3, nfiles: undefined, changed: true }]);
    expect(repo.read('data/foo.dvc')).toBe('outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: foo\n');
    expect(repo.read('data/.gitignore')).toBe('/foo\n');
    expect(repo.read('data/foo')).toBe('foo');
    const obj = join(repo.dir, '.dvc/cache/files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8');
    expect(readFileSync(obj, 'utf8')).toBe('foo');
    expect(statSync(obj).mode & 0o222).toBe(0);
    expect(repo.git('diff', '--cached', '--name-only')).toContain('data/foo.dvc');
    expect(repo.git('diff', '--cached', '--name-only')).toContain('data/.gitignore');
    expect(repo.git('status', '--porcelain', '--', 'data/foo').trim()).toBe(''); // ignored by git
  });

  it('removes temp files a killed add left beside the pointer, the folder\'s .gitignore and the state file', async () => {
    repo.write('data/foo', 'foo');
    // a process that no longer runs (pid 999999999) left these mid-write
    const stale = ['data/.foo.dvc.strata-tmp-999999999-0a0b', 'data/..gitignore.strata-tmp-999999999-0c0d'];
    for (const rel of stale) { repo.write(rel, 'partial'); }
    repo.write('.dvc/tmp/.strata-state.json.strata-tmp-999999999-0e0f', 'partial');
    await trackPaths({ cwd: repo.dir, paths: ['data/foo'] });
    for (const rel of [...stale, '.dvc/tmp/.strata-state.json.strata-tmp-999999999-0e0f']) { expect(existsSync(join(repo.dir, rel)), rel).toBe(false); }
    expect(repo.read('data/.gitignore')).toBe('/foo\n');
  });

  it('status records the hash of a changed file in the state store of the repository it is given (checkout looks it up there)', async () => {
    repo.write('data/foo', 'foo');
    await trackPaths({ cwd: repo.dir, paths: ['data/foo'] });
    repo.write('data/foo', 'changed');
    const opened = await openRepository(repo.dir);
    const key = stateKey('data/foo', 'md5');
    const st = statSync(join(repo.dir, 'data/foo'), { bigint: true });
    expect(opened.state.lookup(key, st)).toBeUndefined();
    const status = await datasetStatus({ cwd: repo.dir }, opened);
    expect(status.datasets.map(d => [d.path, d.state])).toEqual([['data/foo', 'modified']]);
    expect(opened.state.lookup(key, st)).toBe(createHash('md5').update('changed').digest('hex'));
  });

  it('tracks a folder with a manifest that matches the hand-computed hash', async () => {
    execFileSync('cp', ['-r', join(FIX, 'smalldir'), join(repo.dir, 'smalldir')]);
    const expected = JSON.parse(readFileSync(join(FIX, 'smalldir.expected.json'), 'utf8'));
    const r = await trackPaths({ cwd: repo.dir, paths: ['smalldir'] });
    expect(r.datasets[0]).toMatchObject({ hash: expected.hash, size: expected.size, nfiles: expected.nfiles });
    expect(repo.read('smalldir.dvc')).toBe(readFileSync(join(FIX, 'dvc3-dir.dvc'), 'utf8'));
    expect(repo.read('.dvc/cache/files/md5/3e/87822f6251a76b8cfc1df90dd7db47.dir')).toBe(expected.manifest);
    expect(repo.read('.dvc/cache/files/md5/b1/946ac92492d2347c6235b4d2611184')).toBe('hello\n');
    expect((await datasetStatus({ cwd: repo.dir })).datasets.map(d => [d.path, d.state])).toEqual([['smalldir', 'unchanged']]);
    repo.write('smalldir/sub/new.txt', 'new');
    expect((await datasetStatus({ cwd: repo.dir })).datasets[0].state).toBe('modified');
  });

  it('reports unchanged, modified, missing and not-in-cache', async () => {
    for (const n of ['a', 'b', 'c', 'd']) { repo.write(`${n}.csv`, `${n},1\n`); }
    await trackPaths({ cwd: repo.dir, paths: ['a.csv', 'b.csv', 'c.csv', 'd.csv'] });
    expect(repo.read('.gitignore')).toBe('/a.csv\n/b.csv\n/c.csv\n/d.csv\n');
    repo.write('b.csv', 'b,2\n');
    execFileSync('rm', [join(repo.dir, 'c.csv')]);
    execFileSync('rm', ['-f', join(repo.dir, '.dvc/cache/files/md5', 'ec', '0b0ad5a1fe7d5e0ad4adbbb0c4fbfb')]);
    const dHash = repo.read('d.csv.dvc').match(/md5: (\w+)/)![1];
    execFileSync('rm', ['-f', join(repo.dir, '.dvc/cache/files/md5', dHash.slice(0, 2), dHash.slice(2))]);
    const r = await datasetStatus({ cwd: repo.dir });
    expect(r.datasets.map(d => [d.path, d.state])).toEqual([['a.csv', 'unchanged'], ['b.csv', 'modified'], ['c.csv', 'missing'], ['d.csv', 'not-in-cache']]);
    const cli = await repo.cli('status', '--json');
    expect(cli.code).toBe(1);
    expect(JSON.parse(cli.out)).toEqual({ datasets: [
      { path: 'a.csv', state: 'unchanged' }, { path: 'b.csv', state: 'modified' },
      { path: 'c.csv', state: 'missing' }, { path: 'd.csv', state: 'not-in-cache' }] });
    expect((await repo.cli('status', 'a.csv')).code).toBe(0);
  });

  it('in a fresh clone, datasets never pulled are not-in-cache; commit skips them as absent', async () => {
    repo.write('data/t.csv', 't,1\n');
    await trackPaths({ cwd: repo.dir, paths: ['data/t.csv'] });
    repo.git('commit', '-q', '-m', 'data');
    const clone = makeTempRepo({ init: false });
    try {
      execFileSync('git', ['clone', '-q', repo.dir, clone.dir], { env: process.env });
      const r = await datasetStatus({ cwd: clone.dir });
      expect(r.datasets.map(d => [d.path, d.state, d.exists])).toEqual([['data/t.csv', 'not-in-cache', false]]);
      expect(await clone.cli('status', '--json')).toEqual({ code: 1, out: JSON.stringify({ datasets: [{ path: 'data/t.csv', state: 'not-in-cache' }] }), err: '' });
      clone.write('notes.txt', 'n\n');
      clone.git('add', 'notes.txt');
      const commit = await commitVersions({ cwd: clone.dir, message: 'notes' });
      expect([commit.datasets, commit.committedPaths, commit.skippedMissing]).toEqual([[], ['notes.txt'], ['data/t.csv']]);
      clone.write('notes.txt', 'n2\n');
      clone.git('add', 'notes.txt');
      const again = await clone.cli('commit', '-m', 'more notes');
      expect(again.out).toContain('absent       data/t.csv (not in the workspace: left as it was)');
    } finally { clone.cleanup(); }
  });

  it('prints paths relative to the current folder, as git does; --json keeps them relative to the root', async () => {
    for (const p of ['top.csv', 'sub/in.csv', 'sub/deep/low.csv', 'other/far.csv']) { repo.write(p, `${p}\n`); }
    await trackPaths({ cwd: repo.dir, paths: ['top.csv', 'sub/in.csv', 'sub/deep/low.csv', 'other/far.csv'] });
    const sub = makeCliIn(join(repo.dir, 'sub'));
    expect(await sub('status')).toEqual({ code: 0, out: ['unchanged  ../other/far.csv', 'unchanged  deep/low.csv', 'unchanged  in.csv', 'unchanged  ../top.csv'].join('\n'), err: '' });
    expect(await sub('status', 'deep')).toEqual({ code: 0, out: 'unchanged  deep/low.csv', err: '' });
    expect(JSON.parse((await sub('status', '--json', 'deep')).out)).toEqual({ datasets: [{ path: 'sub/deep/low.csv', state: 'unchanged' }] });
  });

  it('does not rehash an unchanged file (state store), but notices a change of the same size', async () => {
    repo.write('x.csv', 'x,1\n');
    await trackPaths({ cwd: repo.dir, paths: ['x.csv'] });
    const state = JSON.parse(repo.read('.dvc/tmp/strata-state.json'));
    expect(state.entries['x.csv'][3]).toBe(repo.read('x.csv.dvc').match(/md5: (\w+)/)![1]);
    // poison the recorded hash: if status trusted inode/size/mtime it must report 'modified' without reading the file
    state.entries['x.csv'][3] = '00000000000000000000000000000000';
    writeFileSync(join(repo.dir, '.dvc/tmp/strata-state.json'), JSON.stringify(state));
    expect((await datasetStatus({ cwd: repo.dir })).datasets[0].state).toBe('modified');
    repo.write('x.csv', 'y,1\n'); // same size, new mtime: hashed again
    expect((await datasetStatus({ cwd: repo.dir })).datasets[0].state).toBe('modified');
    repo.write('x.csv', 'x,1\n');
    expect((await datasetStatus({ cwd: repo.dir })).datasets[0].state).toBe('unchanged');
  });

  it('lists unreadable pointers as errors with the file and the reason, and exits 2', async () => {
    repo.write('ok.csv', '1\n');
    await trackPaths({ cwd: repo.dir, paths: ['ok.csv'] });
    repo.write('broken.csv.dvc', readFileSync(join(FIX, 'truncated.dvc')));
    repo.write('conflict.dvc', readFileSync(join(FIX, 'conflict.dvc')));
    repo.write('evil.dvc', 'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: ../../etc/passwd\n');
    const r = await datasetStatus({ cwd: repo.dir });
    expect(r.datasets.map(d => d.path)).toEqual(['ok.csv']);
    expect(r.problems.map(p => [p.pointerPath, p.code])).toEqual([['broken.csv.dvc', 'invalid-pointer'], ['conflict.dvc', 'merge-conflict'], ['evil.dvc', 'path-escape']]);
    const cli = await repo.cli('status');
    expect(cli.code).toBe(2);
    expect(cli.err).toContain("strata status: broken.csv.dvc: outs[0] has no 'path'");
    expect(cli.err).toContain('strata status: conflict.dvc: has git merge conflict markers');
  });

  it('ignores in git exactly the files named, whatever pattern characters their names hold', async () => {
    const tracked = ['a[1].csv', '*.csv', 'x?.csv', '!bang.csv', '#h.csv', 'trailing .csv ', 'back\\slash.csv'];
    const lookalikes = ['a1.csv', 'b.csv', 'xy.csv', 'trailing .csv', 'backslash.csv'];
    for (const n of [...tracked, ...lookalikes]) { repo.write(`sub/${n}`, `${n}\n`); }
    await trackPaths({ cwd: join(repo.dir, 'sub'), paths: tracked });
    expect(repo.read('sub/.gitignore')).toBe('/a\\[1\\].csv\n/\\*.csv\n/x\\?.csv\n/\\!bang.csv\n/\\#h.csv\n/trailing .csv\\ \n/back\\\\slash.csv\n');
    expect(gitIgnored([...tracked, ...lookalikes].map(n => `sub/${n}`))).toEqual(tracked.map(n => `sub/${n}`).sort());
    // adding again finds every entry already there
    await trackPaths({ cwd: join(repo.dir, 'sub'), paths: tracked });
    expect(repo.read('sub/.gitignore').split('\n')).toHaveLength(tracked.length + 1);
  });

  it('adds the exact entry beside a pattern line an earlier add wrote, and keeps an unescaped line that means the same', async () => {
    for (const n of ['a[1].csv', 'a1.csv', '#h.csv', '!b.csv']) { repo.write(n, `${n}\n`); }
    repo.write('.gitignore', '/a[1].csv\n/#h.csv\n/!b.csv\n');
    await trackPaths({ cwd: repo.dir, paths: ['a[1].csv', '#h.csv', '!b.csv'] });
    expect(repo.read('.gitignore')).toBe('/a[1].csv\n/#h.csv\n/!b.csv\n/a\\[1\\].csv\n');
    expect(gitIgnored(['a[1].csv', '#h.csv', '!b.csv'])).toEqual(['!b.csv', '#h.csv', 'a[1].csv']);
  });

  it('refuses a name with a line break, which no .gitignore line can hold', async () => {
    repo.write('two\nlines.csv', '1\n');
    expect(await errorCode(trackPaths({ cwd: repo.dir, paths: ['two\nlines.csv'] }))).toBe('unsupported');
    expect(existsSync(join(repo.dir, 'two\nlines.csv.dvc'))).toBe(false);
    expect(existsSync(join(repo.dir, '.gitignore'))).toBe(false);
  });

  it('refuses paths outside the repository, symlinks leading out of it, and files git already tracks', async () => {
    expect(await errorCode(trackPaths({ cwd: repo.dir, paths: ['../outside.csv'] }))).toBe('path-escape');
    const outside = mkdtempSync(join(tmpdir(), 'strata-out-'));
    writeFileSync(join(outside, 'secret'), 's');
    symlinkSync(join(outside, 'secret'), join(repo.dir, 'link'));
    expect(await errorCode(trackPaths({ cwd: repo.dir, paths: ['link'] }))).toBe('path-escape');
    repo.write('code.py', 'print(1)\n');
    repo.git('add', 'code.py');
    expect(await errorCode(trackPaths({ cwd: repo.dir, paths: ['code.py'] }))).toBe('unsupported');
    expect(await errorCode(trackPaths({ cwd: repo.dir, paths: ['nope.csv'] }))).toBe('missing-file');
    expect(existsSync(join(repo.dir, 'nope.csv.dvc'))).toBe(false);
  });

  it('refuses to stage while .git/index.lock is held', async () => {
    repo.write('y.csv', '1\n');
    writeFileSync(join(repo.dir, '.git/index.lock'), '');
    const r = await repo.cli('add', 'y.csv');
    expect(r.code).toBe(2);
    expect(r.err).toBe('strata add: another git process holds .git/index.lock; wait for it to finish (or remove the stale lock), then retry');
  });

  it('CLI: add then status; status outside a versioned repo is a clear error', async () => {
    repo.write('d.tsv', 'a\tb\n');
    const add = await repo.cli('add', 'd.tsv');
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/tracked\s+d\.tsv/);
    const st = await repo.cli('status');
    expect(st).toEqual({ code: 0, out: 'unchanged  d.tsv', err: '' });
    const other = makeTempRepo();
    try {
      const r = await other.cli('status');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^strata status: data versioning is not set up here/);
    } finally { other.cleanup(); }
  });
});
