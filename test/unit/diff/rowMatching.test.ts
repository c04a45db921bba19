// Row matching by key (given, primary key, detected single column or pair), by content, and the
// fallbacks for duplicate and missing keys; changed cells with old and new values; epsilon.
import { describe, expect, it } from 'vitest';
import { joinScans } from '../../../src/core/diff/diffDatasets';
import { planDiff } from '../../../src/core/diff/diffPlan';
import { scanSide } from '../../../src/core/diff/sideScan';
import { changedCells, csv, diffOf, fixture, keysOf } from './diffHelpers';

describe('keyed matching', () => {
  it('detects the id key and reports each kind of change (people fixtures, checked by hand)', async () => {
    const d = await diffOf(await fixture('people-v1.csv'), await fixture('people-v2.csv'));
    expect(d.key).toMatchObject({ columns: ['id'], source: 'detected' });
    // v2 drops Bob (2), adds Fay (6), Cy's age 45 → 46, Di's city Tromsø → Bodø; Ed moved to the top (not a change)
    expect(d.rows).toEqual({ added: 1, removed: 1, changed: 2, unchanged: 2 });
    expect(keysOf(d, 'added')).toEqual(['6']);
    expect(keysOf(d, 'removed')).toEqual(['2']);
    expect(changedCells(d)).toEqual({ 3: { age: ['45', '46'] }, 4: { city: ['Tromsø', 'Bodø'] } });
    expect(d.columns.map(c => [c.name, c.status, c.changedCells])).toEqual([
      ['id', 'common', 0], ['name', 'common', 0], ['age', 'common', 1], ['city', 'common', 1], ['email', 'added', 0],
    ]);
    expect(d.schema).toMatchObject({ added: ['email'], removed: [], rowsBefore: 5, rowsAfter: 5, columnsBefore: 4, columnsAfter: 5 });
    expect(d.identical).toBe(false);
    const fay = d.changes.find(c => c.type === 'added');
    expect(fay?.values).toEqual(['6', 'Fay', '29', 'Oslo', 'fay@example.com']);
    expect(fay?.rowB).toBe(4);
    const bob = d.changes.find(c => c.type === 'removed');
    expect(bob?.values).toEqual(['2', 'Bob', '27', 'Bergen', null]);
    expect(bob?.rowA).toBe(1);
  });

  it('uses the key given over detection, and the schema primary key when none is given', async () => {
    const a = 'code,name\nx,Ann\ny,Bob\n';
    const b = 'code,name\nx,Ann\ny,Bobby\n';
    const given = await diffOf(a, b, { key: ['name'] });
    expect(given.key).toMatchObject({ columns: ['name'], source: 'option' });
    expect(given.rows).toEqual({ added: 1, removed: 1, changed: 0, unchanged: 1 });
    const pk = await diffOf(a, b, { primaryKey: ['code'] });
    expect(pk.key).toMatchObject({ columns: ['code'], source: 'primaryKey' });
    expect(changedCells(pk)).toEqual({ y: { name: ['Bob', 'Bobby'] } });
  });

  it('refuses a --key column that one version lacks, naming it', async () => {
    // different values, so c is an added column rather than b renamed
    await expect(diffOf('a,b\n1,2\n', 'a,c\n1,9\n', { key: ['b'] })).rejects.toThrow(/key column 'b' not in both versions \(missing in new.csv\)/);
  });

  it('detects the smallest pair of columns when no single column is unique', async () => {
    const a = 'day,store,units\n2024-01-01,A,5\n2024-01-01,B,3\n2024-01-02,A,5\n2024-01-02,B,3\n';
    const b = 'day,store,units\n2024-01-01,A,5\n2024-01-01,B,3\n2024-01-02,A,5\n2024-01-02,B,4\n';
    const d = await diffOf(a, b);
    expect(d.key).toMatchObject({ columns: ['day', 'store'], source: 'detected' });
    expect(d.rows).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 3 });
    expect(changedCells(d)).toEqual({ '2024-01-02|B': { units: ['3', '4'] } });
  });

  it('applies epsilon to numbers only', async () => {
    const a = 'id,x,s\n1,1.0,a\n2,2.5,b\n';
    const b = 'id,x,s\n1,1.0000004,a\n2,2.6,b\n';
    expect((await diffOf(a, b)).rows.changed).toBe(2);
    const tolerant = await diffOf(a, b, { epsilon: 1e-6 });
    expect(tolerant.rows).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 1 });
    expect(changedCells(tolerant)).toEqual({ 2: { x: ['2.5', '2.6'] } });
  });

  it('compares numbers by value, so 5 and 5.0 and 5e0 are equal', async () => {
    const d = await diffOf('id,x\n1,5\n2,7\n', 'id,x\n1,5.0\n2,7e0\n');
    expect(d.rows).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 2 });
    expect(d.schema.typeChanged).toEqual([{ name: 'x', from: 'integer', to: 'number' }]);
  });
});

describe('content matching', () => {
  it('matches rows as a multiset of whole rows when no key exists: moved rows are unchanged', async () => {
    const a = 'color,size\nred,S\nred,S\nblue,M\nblue,L\n';
    const b = 'color,size\nblue,M\nred,S\ngreen,S\nblue,L\n';
    const d = await diffOf(a, b);
    expect(d.key).toMatchObject({ columns: null, source: 'content' });
    // {red S ×2, blue M, blue L} → {blue M, red S, green S, blue L}: one red S removed, green S added
    expect(d.rows).toEqual({ added: 1, removed: 1, changed: 0, unchanged: 3 });
    // in row order: the older version's row 1 (removed), the newer version's row 2 (added)
    expect(d.changes.map(c => [c.type, c.values.join(' ')])).toEqual([['removed', 'red S'], ['added', 'green S']]);
    const removed = d.changes.find(c => c.type === 'removed');
    expect(removed?.rowA).toBe(1); // the second red S is the one left over
  });

  it('falls back to content when the given key has duplicates, and reports them with examples', async () => {
    const a = 'id,v\n1,a\n2,b\n2,c\n3,d\n';
    const b = 'id,v\n1,a\n2,b\n3,e\n';
    const d = await diffOf(a, b, { key: ['id'] });
    expect(d.key.source).toBe('content');
    expect(d.key.note).toMatch(/duplicate values \(1 in the older version, 0 in the newer\)/);
    expect(d.duplicateKeys).toMatchObject({ a: 1, b: 0, missingA: 0, missingB: 0 });
    expect(d.duplicateKeys?.examples).toEqual([{ side: 'a', key: ['2'], rows: [1, 2] }]);
    // by content: (2,c) and (3,d) removed, (3,e) added
    expect(d.rows).toEqual({ added: 1, removed: 2, changed: 0, unchanged: 2 });
  });

  it('counts a key repeated in both versions as a duplicate in each, with both versions\' rows', async () => {
    const a = 'id,v\n1,a\n1,b\n2,c\n';
    const b = 'id,v\n1,a\n1,x\n2,c\n3,d\n';
    const d = await diffOf(a, b, { key: ['id'] });
    expect(d.key.note).toMatch(/duplicate values \(1 in the older version, 1 in the newer\)/);
    expect(d.duplicateKeys).toMatchObject({ a: 1, b: 1, missingA: 0, missingB: 0 });
    expect(d.duplicateKeys?.examples).toEqual([{ side: 'a', key: ['1'], rows: [0, 1] }, { side: 'b', key: ['1'], rows: [0, 1] }]);
    // by content: (1,b) removed, (1,x) and (3,d) added
    expect(d.rows).toEqual({ added: 2, removed: 1, changed: 0, unchanged: 2 });
    expect(d.changes.map(c => [c.type, c.rowA, c.rowB, c.values.join(' ')])).toEqual([
      ['removed', 1, null, '1 b'], ['added', null, 1, '1 x'], ['added', null, 3, '3 d'],
    ]);
    // matched by content, so no row carries a key
    expect(d.key.columns).toBeNull();
    expect(d.changes.map(c => c.key)).toEqual([null, null, null]);
  });

  it('counts newer duplicates of a repeated key wherever the rows stand', async () => {
    const d = await diffOf('id,v\n1,a\n1,b\n2,c\n', 'id,v\n2,c\n1,a\n3,e\n1,b\n1,z\n', { key: ['id'] });
    expect(d.duplicateKeys).toMatchObject({ a: 1, b: 2 });
    expect(d.rows).toEqual({ added: 2, removed: 0, changed: 0, unchanged: 3 });
  });

  it('falls back to content when key cells are missing', async () => {
    const d = await diffOf('id,v\n1,a\n,b\n', 'id,v\n1,a\n,b\n', { key: ['id'] });
    expect(d.duplicateKeys).toMatchObject({ missingA: 1, missingB: 1 });
    expect(d.rows).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 2 });
  });

  it('counts every row as removed and added when the versions share no column', async () => {
    const d = await diffOf('a,b\n1,2\n3,4\n', 'c\n5\n');
    expect(d.rows).toEqual({ added: 1, removed: 2, changed: 0, unchanged: 0 });
    expect(d.schema).toMatchObject({ added: ['c'], removed: ['a', 'b'] });
  });
});

describe('versions that do not exist, other formats, big cells', () => {
  it('shows every row as added when the older version did not exist', async () => {
    const d = await diffOf(null, 'id,v\n1,a\n2,b\n');
    expect(d.a.exists).toBe(false);
    expect(d.rows).toEqual({ added: 2, removed: 0, changed: 0, unchanged: 0 });
    expect(d.schema.added).toEqual(['id', 'v']);
    expect(d.identical).toBe(false);
  });

  it('shows every row as removed when the newer version did not exist', async () => {
    const d = await diffOf('id,v\n1,a\n', null);
    expect(d.rows).toEqual({ added: 0, removed: 1, changed: 0, unchanged: 0 });
    expect(d.b.exists).toBe(false);
  });

  it('finds a CSV and a Parquet file of the same table identical', async () => {
    const d = await diffOf(await fixture('people-v1.csv'), await fixture('people-v1.parquet'));
    expect(d.b.format).toBe('parquet');
    expect(d.rows).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 5 });
    expect(d.identical).toBe(true);
  });

  it('diffs a Parquet version against a changed CSV version cell by cell', async () => {
    const d = await diffOf(await fixture('people-v1.parquet'), await fixture('people-v2.csv'));
    expect(d.key.columns).toEqual(['id']);
    expect(changedCells(d)).toEqual({ 3: { age: ['45', '46'] }, 4: { city: ['Tromsø', 'Bodø'] } });
  });

  it('cuts a huge changed cell in the example but still counts it', async () => {
    const big = 'x'.repeat(300_000);
    const d = await diffOf(`id,t\n1,${big}\n`, `id,t\n1,${big}y\n`);
    expect(d.rows.changed).toBe(1);
    const [old] = d.changes[0].old ?? [];
    expect(old?.length).toBe(2001);
    expect(old?.endsWith('…')).toBe(true);
  });

  it('is identical for the same data, and keeps rows limited to maxExamples per type', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},${i % 7}`).join('\n');
    const same = await diffOf(`id,v\n${rows}\n`, `id,v\n${rows}\n`);
    expect(same.identical).toBe(true);
    const changed = Array.from({ length: 50 }, (_, i) => `${i},${(i % 7) + 1}`).join('\n');
    const d = await diffOf(`id,v\n${rows}\n`, `id,v\n${changed}\n`, { maxExamples: 10 });
    expect(d.rows.changed).toBe(50);
    expect(d.changes.map(c => c.rowB)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(d.omitted.changed).toBe(40);
    expect(d.columns.find(c => c.name === 'v')?.changedCells).toBe(50);
  });

  it('reports a renamed column and compares its cells under the new name', async () => {
    const a = 'id,score\n1,10\n2,20\n3,30\n';
    const b = 'id,points\n1,10\n2,25\n3,30\n';
    const d = await diffOf(a, b);
    expect(d.schema.renamed).toEqual([{ from: 'score', to: 'points' }]);
    expect(d.columns[1]).toMatchObject({ name: 'points', status: 'renamed', nameBefore: 'score', changedCells: 1 });
    expect(changedCells(d)).toEqual({ 2: { points: ['20', '25'] } });
  });

  it('stops at cancel', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(diffOf(await csv('id\n1\n'), await csv('id\n2\n'), { signal: ac.signal })).rejects.toThrow(/cancelled/);
  });
});

describe('large integers', () => {
  it('compares integers beyond 2^53 by their digits, so neighbours differ', async () => {
    const a = 'id,big\n1,9007199254740993\n2,9007199254740993\n3,-9007199254740995\n';
    const b = 'id,big\n1,9007199254740993\n2,9007199254740992\n3,-9007199254740995\n';
    const d = await diffOf(a, b);
    // as doubles 9007199254740993 and 9007199254740992 are the same number
    expect(d.rows).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 2 });
    expect(changedCells(d)).toEqual({ 2: { big: ['9007199254740993', '9007199254740992'] } });
  });

  it('keys beyond 2^53 stay distinct', async () => {
    const d = await diffOf('k,v\n9007199254740993,a\n9007199254740992,b\n', 'k,v\n9007199254740993,a\n9007199254740992,c\n', { key: ['k'] });
    expect(d.duplicateKeys).toBeNull();
    expect(changedCells(d)).toEqual({ 9007199254740992: { v: ['b', 'c'] } });
  });

  it('keyed join: rows moved, deleted and inserted across many batches are matched by key, not by position', async () => {
    const rows = (ids: number[], v: (id: number) => string): string => `id,v\n${ids.map(id => `${id},${v(id)}`).join('\n')}\n`;
    const ids = Array.from({ length: 3000 }, (_, i) => i + 1);
    // newer: 10..19 deleted, 500 moved to the front, 2990..2999 reversed, 40 new rows in the middle, 7 changed
    const newer = ids.filter(id => id < 10 || id > 19).filter(id => id !== 500);
    newer.unshift(500);
    newer.splice(newer.indexOf(2990), 10, ...ids.slice(2989, 2999).reverse());
    newer.splice(1000, 0, ...Array.from({ length: 40 }, (_, i) => 5000 + i));
    const a = await csv(rows(ids, id => `v${id}`));
    const b = await csv(rows(newer, id => (id === 7 ? 'changed' : `v${id}`)));
    const plan = await planDiff({ dataset: a, label: 'a' }, { dataset: b, label: 'b' }, { key: ['id'] });
    // small batches, so that matches cross block boundaries both ways
    const scanA = await scanSide(a, plan, 'a', { batchRows: 64 });
    const scanB = await scanSide(b, plan, 'b', { batchRows: 100 });
    expect(scanA.blocks?.length).toBeGreaterThan(40);
    const d = await joinScans(plan, scanA, scanB);
    expect(d.rows).toEqual({ added: 40, removed: 10, changed: 1, unchanged: 3000 - 10 - 1 });
    expect(keysOf(d, 'removed')).toEqual(['10', '11', '12', '13', '14', '15', '16', '17', '18', '19']);
    expect(changedCells(d)).toEqual({ 7: { v: ['v7', 'changed'] } });
  });
});
