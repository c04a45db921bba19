// `strata diff` across revisions in temporary git repositories: plain git, DVC-tracked (pointer at each
// revision → cache object), git-lfs, a revision where the file did not exist, a missing cache object;
// exit codes and the --json shape. Git reads its config from a temp file (GIT_CONFIG_GLOBAL).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../versioning/tempRepo';
import { FIXTURES } from './diffHelpers';

const V1 = 'id,name,age\n1,Ann,34\n2,Bob,27\n3,Cy,45\n';
const V2 = 'id,name,age\n1,Ann,34\n3,Cy,46\n4,Di,31\n';

let repo: TempRepo | undefined;
afterEach(() => { repo?.cleanup(); repo = undefined; });

async function json(r: TempRepo, ...argv: string[]): Promise<{ code: number; diff: Record<string, unknown>; err: string }> {
  const res = await r.cli('diff', ...argv, '--json');
  return { code: res.code, diff: res.out ? JSON.parse(res.out) : {}, err: res.err };
}

describe('plain git revisions', () => {
  it('compares HEAD~1 with HEAD, and the working copy with HEAD', async () => {
    repo = makeTempRepo();
    repo.write('data/people.csv', V1);
    repo.git('add', '.'); repo.git('commit', '-qm', 'v1');
    repo.write('data/people.csv', V2);
    repo.git('commit', '-qam', 'v2');
    const revs = await json(repo, 'data/people.csv', '--rev-a', 'HEAD~1', '--rev-b', 'HEAD');
    expect(revs.code).toBe(1);
    expect(revs.diff).toMatchObject({
      key: ['id'], keySource: 'detected',
      rows: { added: 1, removed: 1, changed: 1, unchanged: 1 },
      a: { label: 'data/people.csv@HEAD~1', exists: true, rows: 3 },
      b: { label: 'data/people.csv@HEAD', exists: true, rows: 3 },
    });
    expect((revs.diff.changes as unknown[])[1]).toEqual({ type: 'changed', rowA: 2, rowB: 1, key: ['3'], cells: { age: { old: '45', new: '46' } } });

    const same = await json(repo, 'data/people.csv', '--rev-a', 'HEAD');
    expect(same.code).toBe(0);
    expect(same.diff).toMatchObject({ identical: true, rows: { added: 0, removed: 0, changed: 0, unchanged: 3 } });

    repo.write('data/people.csv', `${V2}5,Ed,52\n`);
    const working = await json(repo, 'data/people.csv', '--rev-a', 'HEAD');
    expect(working.diff).toMatchObject({ rows: { added: 1, removed: 0, changed: 0, unchanged: 3 }, b: { label: 'data/people.csv' } });
  });

  it('a revision where the dataset did not exist shows every row as added (and removed the other way)', async () => {
    repo = makeTempRepo();
    repo.write('readme.txt', 'x');
    repo.git('add', '.'); repo.git('commit', '-qm', 'start');
    repo.write('people.csv', V1);
    repo.git('add', '.'); repo.git('commit', '-qm', 'data');
    const added = await json(repo, 'people.csv', '--rev-a', 'HEAD~1', '--rev-b', 'HEAD');
    expect(added.code).toBe(1);
    expect(added.diff).toMatchObject({ a: { exists: false, rows: 0 }, rows: { added: 3, removed: 0 }, schema: { added: ['id', 'name', 'age'] } });
    const removed = await json(repo, 'people.csv', '--rev-a', 'HEAD', '--rev-b', 'HEAD~1');
    expect(removed.diff).toMatchObject({ b: { exists: false }, rows: { added: 0, removed: 3 } });
  });

  it('an unknown revision and a missing file are errors (exit 2) with one clear line', async () => {
    repo = makeTempRepo();
    repo.write('people.csv', V1);
    repo.git('add', '.'); repo.git('commit', '-qm', 'v1');
    const bad = await repo.cli('diff', 'people.csv', '--rev-a', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^strata diff: revision 'nope': unknown revision$/);
    const missing = await repo.cli('diff', 'people.csv', 'other.csv');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('strata diff: other.csv: no such file');
    const usage = await repo.cli('diff', 'people.csv');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/^strata diff: nothing to compare people.csv with: give a second dataset, or --rev-a REV/);
  });

  it('compares two files of different formats holding the same table: identical, exit 0', async () => {
    repo = makeTempRepo();
    copyFileSync(join(FIXTURES, 'people-v1.csv'), join(repo.dir, 'people.csv'));
    copyFileSync(join(FIXTURES, 'people-v1.parquet'), join(repo.dir, 'people.parquet'));
    const r = await json(repo, 'people.csv', 'people.parquet');
    expect(r.code).toBe(0);
    expect(r.diff).toMatchObject({ identical: true, a: { format: 'csv' }, b: { format: 'parquet' } });
  });
});

describe('DVC-tracked datasets', () => {
  it('reads each revision through its pointer and the cache', async () => {
    repo = makeTempRepo();
    expect((await repo.cli('init')).code).toBe(0);
    repo.git('add', '.'); repo.git('commit', '-qm', 'init');
    repo.write('people.csv', V1);
    expect((await repo.cli('add', 'people.csv')).code).toBe(0);
    repo.git('commit', '-qm', 'v1');
    repo.write('people.csv', V2);
    expect((await repo.cli('add', 'people.csv')).code).toBe(0);
    repo.git('commit', '-qm', 'v2');
    expect(repo.git('ls-files')).not.toMatch(/^people\.csv$/m); // the data itself is not in git
    const r = await json(repo, 'people.csv', '--rev-a', 'HEAD~1', '--rev-b', 'HEAD');
    expect(r.err).toBe('');
    expect(r.diff).toMatchObject({ rows: { added: 1, removed: 1, changed: 1, unchanged: 1 } });
    // naming the pointer file works too
    const viaPointer = await json(repo, 'people.csv.dvc', '--rev-a', 'HEAD~1', '--rev-b', 'HEAD');
    expect(viaPointer.diff).toMatchObject({ rows: { changed: 1 } });

    // an object that is not in the cache: a clear message naming the fix
    const md5 = createHash('md5').update(V1).digest('hex');
    rmSync(join(repo.dir, '.dvc', 'cache', 'files', 'md5', md5.slice(0, 2), md5.slice(2)), { force: true });
    const gone = await repo.cli('diff', 'people.csv', '--rev-a', 'HEAD~1', '--rev-b', 'HEAD');
    expect(gone.code).toBe(2);
    expect(gone.err).toMatch(/people\.csv@HEAD~1: its data \(md5 [0-9a-f]{12}…\) is not in the DVC cache; run `strata pull`/);
  });
});

describe('git-lfs', () => {
  it('reads the object a pointer names from .git/lfs/objects', async () => {
    repo = makeTempRepo();
    const oid = (s: string) => createHash('sha256').update(s).digest('hex');
    const pointer = (s: string) => `version https://git-lfs.github.com/spec/v1\noid sha256:${oid(s)}\nsize ${Buffer.byteLength(s)}\n`;
    const store = (s: string) => {
      const dir = join(repo!.dir, '.git', 'lfs', 'objects', oid(s).slice(0, 2), oid(s).slice(2, 4));
      mkdirSync(dir, { recursive: true });
      repo!.write(join('.git', 'lfs', 'objects', oid(s).slice(0, 2), oid(s).slice(2, 4), oid(s)), s);
    };
    repo.write('people.csv', pointer(V1)); store(V1);
    repo.git('add', '.'); repo.git('commit', '-qm', 'v1');
    repo.write('people.csv', pointer(V2)); store(V2);
    repo.git('commit', '-qam', 'v2');
    const r = await json(repo, 'people.csv', '--rev-a', 'HEAD~1', '--rev-b', 'HEAD');
    expect(r.diff).toMatchObject({ rows: { added: 1, removed: 1, changed: 1, unchanged: 1 } });
    rmSync(join(repo.dir, '.git', 'lfs'), { recursive: true, force: true });
    const gone = await repo.cli('diff', 'people.csv', '--rev-a', 'HEAD~1', '--rev-b', 'HEAD');
    expect(gone.code).toBe(2);
    expect(gone.err).toMatch(/git-lfs object [0-9a-f]{12}… is not on this machine; run `git lfs fetch`/);
  });
});

describe('output', () => {
  it('the human summary is daff-like: @@ header, ! schema row, ->, +++, --- rows', async () => {
    repo = makeTempRepo({ init: false });
    repo.write('a.csv', V1);
    repo.write('b.csv', 'id,name,age,email\n1,Ann,34,a@x\n3,Cy,46,\n4,Di,31,d@x\n');
    const r = await repo.cli('diff', 'a.csv', 'b.csv', '--no-schema');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('--- a.csv (csv, 3 rows × 3 columns)');
    expect(lines[1]).toBe('+++ b.csv (csv, 3 rows × 4 columns)');
    expect(lines).toContain('rows: +1 added, -1 removed, ~1 changed, 1 unchanged (3 → 3)');
    expect(lines).toContain('schema: added email (3 → 4 columns)');
    const table = lines.slice(lines.findIndex(l => l.startsWith('@@')));
    expect(table[0].split(/\s+/)).toEqual(['@@', 'id', 'name', 'age', 'email']);
    // the schema row marks the added column under its name
    expect(table[1].startsWith('!')).toBe(true);
    expect(table[1].indexOf('+++')).toBe(table[0].indexOf('email'));
    expect(table[2].split(/\s+/)).toEqual(['---', '2', 'Bob', '27']);
    expect(table[3].split(/\s+/)).toEqual(['->', '3', 'Cy', '45->46']);
    expect(table[4].split(/\s+/)).toEqual(['+++', '4', 'Di', '31', 'd@x']);
  });

  it('--json has the documented keys in a fixed order', async () => {
    repo = makeTempRepo({ init: false });
    repo.write('a.csv', V1);
    repo.write('b.csv', V2);
    const r = await json(repo, 'a.csv', 'b.csv', '--key', 'id', '--epsilon', '0.5');
    expect(Object.keys(r.diff)).toEqual([
      'diffVersion', 'identical', 'a', 'b', 'key', 'keySource', 'keyNote', 'rows', 'schema', 'columns',
      'duplicateKeys', 'changes', 'omitted', 'epsilon', 'thresholds', 'partitions', 'warnings',
    ]);
    expect(r.diff.key).toEqual(['id']);
    expect(r.diff.epsilon).toBe(0.5);
    // 45 → 46 is beyond 0.5
    expect(r.diff.rows).toEqual({ added: 1, removed: 1, changed: 1, unchanged: 1 });
    const cols = r.diff.columns as { name: string; changedCells: number; psi: number | null; ks: number | null; drifted: boolean }[];
    expect(cols.map(c => [c.name, c.changedCells])).toEqual([['id', 0], ['name', 0], ['age', 1]]);
    expect(Object.keys(cols[2]).slice(0, 10)).toEqual(['name', 'status', 'nameBefore', 'typeBefore', 'typeAfter', 'changedCells', 'psi', 'ks', 'drifted', 'before']);
  });
});
