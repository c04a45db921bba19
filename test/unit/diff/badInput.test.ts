// Bad input to `strata diff`, each with one clear message: versions with no common key or no common
// column, duplicate keys (examples given, the diff still made by content), a side that is missing or
// unreadable (exit 2, one line), and a huge single cell (counted, cut in the output).
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../versioning/tempRepo';

let dir: TempRepo | undefined;
afterEach(() => { dir?.cleanup(); dir = undefined; });

function tempDir(files: Record<string, string | Uint8Array>): TempRepo {
  const d = makeTempRepo({ init: false });
  for (const [name, data] of Object.entries(files)) { d.write(name, data); }
  return d;
}

interface DiffJson {
  key: string[] | null;
  rows: Record<string, number>;
  schema: { added: string[]; removed: string[] };
  columns: { name: string; changedCells: number }[];
  changes: { cells: Record<string, { old: string; new: string }> }[];
}

async function json(d: TempRepo, ...argv: string[]): Promise<{ code: number; diff: DiffJson; err: string }> {
  const r = await d.cli('diff', ...argv, '--json');
  return { code: r.code, diff: r.out ? JSON.parse(r.out) as DiffJson : ({} as DiffJson), err: r.err };
}

describe('strata diff: versions that cannot be matched by key', () => {
  it('no column in common: every row removed and added, and the summary says why', async () => {
    dir = tempDir({ 'a.csv': 'id,name\n1,Ann\n2,Bob\n', 'b.csv': 'code,label\nx,1\ny,2\nz,3\n' });
    const r = await dir.cli('diff', 'a.csv', 'b.csv');
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^key: \(none\) \(the two versions share no column: every row counts as removed and added\)$/m);
    const j = await json(dir, 'a.csv', 'b.csv');
    expect(j.diff.rows).toEqual({ added: 3, removed: 2, changed: 0, unchanged: 0 });
    expect(j.diff.schema.added).toEqual(['code', 'label']);
    expect(j.diff.schema.removed).toEqual(['id', 'name']);
  });

  it('common columns but no unique key: rows matched by content, with the reason', async () => {
    // 'g' and 'v' repeat, and so does the pair; 'old'/'new' are only in one version each
    dir = tempDir({ 'a.csv': 'g,v,old\n1,x,p\n1,x,q\n2,y,r\n', 'b.csv': 'g,v,new\n1,x,s\n1,x,t\n3,z,u\n' });
    const r = await dir.cli('diff', 'a.csv', 'b.csv');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^key: \(none\) \(no column or pair of columns is present and unique in both versions: rows matched by content\)$/m);
    const j = await json(dir, 'a.csv', 'b.csv');
    expect(j.diff.key).toBeNull();
    // by content over the shared columns (g, v): the two (1, x) rows are unchanged, (2, y) removed, (3, z) added
    expect(j.diff.rows).toEqual({ added: 1, removed: 1, changed: 0, unchanged: 2 });
  });

  it('--key with duplicate values: examples of the duplicates, and the diff still made by content', async () => {
    dir = tempDir({
      'a.csv': 'id,name\n1,Ann\n2,Bob\n2,Bea\n3,Cy\n',
      'b.csv': 'id,name\n1,Ann\n2,Bob\n3,Cy\n3,Cyd\n4,Di\n',
    });
    const r = await dir.cli('diff', 'a.csv', 'b.csv', '--key', 'id');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^key: \(none\) \(id has duplicate values \(1 in the older version, 1 in the newer\): rows matched by content\)$/m);
    expect(r.out).toMatch(/^ {2}duplicate key 2 in the older version at rows 2, 3$/m);
    expect(r.out).toMatch(/^ {2}duplicate key 3 in the newer version at rows 3, 4$/m);
    const j = await json(dir, 'a.csv', 'b.csv', '--key', 'id');
    // by content: Bea removed; Cyd and Di added; Ann, Bob, Cy unchanged
    expect(j.diff.rows).toEqual({ added: 2, removed: 1, changed: 0, unchanged: 3 });
  });
});

describe('strata diff: a side that cannot be read is an error (exit 2, one line)', () => {
  it.each([
    ['a missing file', 'gone.csv', /^strata diff: gone\.csv: no such file$/],
    ['a Parquet file that is not Parquet', 'bad.parquet', /^strata diff: bad\.parquet: corrupt Parquet file: .+$/],
    ['an Arrow file that is not Arrow', 'bad.arrow', /^strata diff: bad\.arrow: corrupt Arrow IPC file: .+$/],
    ['a folder named like a dataset', 'folder.csv', /^strata diff: .*folder\.csv.*$/],
  ])('%s', async (_what, name, message) => {
    dir = tempDir({ 'a.csv': 'id,name\n1,Ann\n', 'bad.parquet': 'id,name\n1,Ann\n', 'bad.arrow': 'not arrow at all', 'folder.csv/x.csv': 'a\n1\n' });
    for (const argv of [['a.csv', name], [name, 'a.csv']]) {
      const r = await dir.cli('diff', ...argv);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
    }
  });
});

describe('strata diff: a huge single cell', () => {
  it('a 6 MB cell that changes is counted and cut in the output (2000 characters in --json, both sides and the arrow in the table)', async () => {
    const big = (c: string) => c.repeat(6 * 1024 * 1024);
    dir = tempDir({ 'a.csv': `id,blob\n1,${big('a')}\n2,small\n`, 'b.csv': `id,blob\n1,${big('b')}\n2,small\n` });
    const j = await json(dir, 'a.csv', 'b.csv', '--key', 'id');
    expect(j.code).toBe(1);
    expect(j.diff.rows).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 1 });
    expect(j.diff.columns.find(c => c.name === 'blob')?.changedCells).toBe(1);
    const cells = j.diff.changes[0].cells.blob;
    expect([cells.old.length, cells.new.length]).toEqual([2001, 2001]);
    expect(cells.new).toBe(`${'b'.repeat(2000)}…`);
    const human = await dir.cli('diff', 'a.csv', 'b.csv', '--key', 'id');
    expect(human.code).toBe(1);
    expect(human.out.length).toBeLessThan(20_000);
    // the changed cell shows both sides, each cut, with the arrow between them
    expect(human.out).toMatch(/^-> {2}1 {3}a+…->b+…$/m);
  });
});
