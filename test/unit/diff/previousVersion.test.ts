// "Compare with Previous Version" in temporary git repositories: which two versions it picks (the
// working copy and its last commit when they differ, else the last two commits, else the commit
// where the dataset appeared and its parent) and that each pair diffs, for a plain git file, a
// DVC-tracked file (pointer at each revision → cache) and a git-lfs file (pointer → .git/lfs/objects).
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { previousVersionPair } from '../../../src/node/diff/previousVersion';
import { runDiff } from '../../../src/node/diff/runDiff';
import { makeTempRepo, type TempRepo } from '../versioning/tempRepo';

const V1 = 'id,name,age\n1,Ann,34\n2,Bob,27\n3,Cy,45\n';
const V2 = 'id,name,age\n1,Ann,34\n3,Cy,46\n4,Di,31\n';
const V3 = 'id,name,age\n1,Ann,35\n3,Cy,46\n4,Di,31\n5,Ed,50\n';

let repo: TempRepo | undefined;
afterEach(() => { repo?.cleanup(); repo = undefined; });

type Kind = 'git' | 'dvc' | 'git-lfs';

/** Writes and commits one version of people.csv the way each kind of tracking stores it. */
async function commitVersion(r: TempRepo, kind: Kind, text: string, message: string): Promise<void> {
  if (kind === 'dvc') {
    r.write('people.csv', text);
    expect((await r.cli('add', 'people.csv')).code).toBe(0);
    r.git('add', 'people.csv.dvc');
  } else if (kind === 'git-lfs') {
    // git keeps the pointer; the object lies in .git/lfs/objects/aa/bb/oid (no git-lfs binary needed)
    const oid = createHash('sha256').update(text).digest('hex');
    mkdirSync(join(r.dir, '.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4)), { recursive: true });
    r.write(join('.git', 'lfs', 'objects', oid.slice(0, 2), oid.slice(2, 4), oid), text);
    r.write('people.csv', `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${Buffer.byteLength(text)}\n`);
    r.git('add', 'people.csv');
  } else {
    r.write('people.csv', text);
    r.git('add', 'people.csv');
  }
  r.git('commit', '-qm', message);
}

async function setUp(kind: Kind): Promise<TempRepo> {
  const r = makeTempRepo();
  r.write('README.md', 'data\n');
  if (kind === 'dvc') { expect((await r.cli('init')).code).toBe(0); }
  r.git('add', '.');
  r.git('commit', '-qm', 'start');
  return r;
}

async function diffPair(r: TempRepo, pair: Awaited<ReturnType<typeof previousVersionPair>>): Promise<{ added: number; removed: number; changed: number; unchanged: number }> {
  return (await runDiff({ a: pair.a, b: pair.b, cwd: r.dir })).rows;
}

describe.each<Kind>(['git', 'dvc', 'git-lfs'])('previous version of a %s dataset', kind => {
  it('the last two commits when the working copy is clean; the working copy and the last commit once it changes', async () => {
    repo = await setUp(kind);
    await commitVersion(repo, kind, V1, 'v1');
    await commitVersion(repo, kind, V2, 'v2');
    const head = repo.git('rev-parse', 'HEAD').trim();
    const before = repo.git('rev-parse', 'HEAD~1').trim();
    const file = join(repo.dir, 'people.csv');

    const clean = await previousVersionPair(file);
    expect([clean.a.rev, clean.b.rev]).toEqual([before, head]);
    // V1 → V2 by the id key: Bob removed, Cy's age changed, Di added, Ann unchanged
    expect(await diffPair(repo, clean)).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1 });

    repo.write('people.csv', V3);
    const modified = await previousVersionPair(file);
    expect(modified.a.rev).toBe(head);
    expect(modified.b.rev).toBeUndefined();
    expect(modified.b.label).toBe('people.csv (working copy)');
    // V2 → V3: Ann changed, Ed added
    expect(await diffPair(repo, modified)).toEqual({ added: 1, removed: 0, changed: 1, unchanged: 2 });
  });

  it('the commit where the dataset appeared against its parent: every row added', async () => {
    repo = await setUp(kind);
    await commitVersion(repo, kind, V1, 'v1');
    const pair = await previousVersionPair(join(repo.dir, 'people.csv'));
    expect(pair.a.rev).toBe(repo.git('rev-parse', 'HEAD~1').trim());
    expect(pair.description).toMatch(/first appeared/);
    const diff = await runDiff({ a: pair.a, b: pair.b, cwd: repo.dir });
    expect(diff.a.exists).toBe(false);
    expect(diff.rows).toEqual({ added: 3, removed: 0, changed: 0, unchanged: 0 });
  });
});

describe('previous version: what cannot be compared', () => {
  it('a file with no commit says so in one line', async () => {
    repo = await setUp('git');
    repo.write('people.csv', V1);
    await expect(previousVersionPair(join(repo.dir, 'people.csv'))).rejects.toThrow(/^people\.csv has no history: it is neither tracked by a \.dvc pointer nor committed to git$/);
  });

  it('a git-lfs object missing from .git/lfs/objects is a clear error naming the fix', async () => {
    repo = await setUp('git-lfs');
    await commitVersion(repo, 'git-lfs', V1, 'v1');
    await commitVersion(repo, 'git-lfs', V2, 'v2');
    rmSync(join(repo.dir, '.git', 'lfs'), { recursive: true, force: true });
    const pair = await previousVersionPair(join(repo.dir, 'people.csv'));
    await expect(runDiff({ a: pair.a, b: pair.b, cwd: repo.dir })).rejects.toThrow(/git-lfs object [0-9a-f]{12}… is not on this machine; run `git lfs fetch`/);
  });
});
