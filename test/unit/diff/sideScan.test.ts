// Scanning a version: equal rows hash alike whatever the format or the column's numeric type (so
// the join compares cell by cell only rows that may differ), key hashes likewise, drift figures.
import { describe, expect, it } from 'vitest';
import { foldKeyColumn } from '../../../src/core/diff/cellCompare';
import { planDiff } from '../../../src/core/diff/diffPlan';
import { scanSide } from '../../../src/core/diff/sideScan';
import type { RowBlock } from '../../../src/core/diff/rowBlock';
import { csv, fixture } from './diffHelpers';

const lanes = (blocks: RowBlock[] | null, which: 'key' | 'hash'): number[] => (blocks ?? []).flatMap(b => Array.from(b[which]));

describe('scanSide', () => {
  it('a CSV and a Parquet file of one table give the same row and key hashes', async () => {
    const a = await fixture('people-v1.csv');
    const b = await fixture('people-v1.parquet');
    const plan = await planDiff({ dataset: a, label: 'a' }, { dataset: b, label: 'b' }, { key: ['id'] });
    const sa = await scanSide(a, plan, 'a');
    const sb = await scanSide(b, plan, 'b');
    expect(sa.rows).toBe(5);
    expect(lanes(sa.blocks, 'hash')).toEqual(lanes(sb.blocks, 'hash'));
    expect(lanes(sa.blocks, 'key')).toEqual(lanes(sb.blocks, 'key'));
    expect(new Set(lanes(sa.blocks, 'hash')).size).toBeGreaterThan(5); // rows differ from one another
  });

  it('integer and decimal spellings of one number hash alike; a different number does not', async () => {
    const a = await csv('id,x\n1,5\n2,7\n3,8\n');
    const b = await csv('id,x\n1,5.0\n2,7e0\n3,8.5\n');
    const plan = await planDiff({ dataset: a, label: 'a' }, { dataset: b, label: 'b' });
    const ha = lanes((await scanSide(a, plan, 'a')).blocks, 'hash');
    const hb = lanes((await scanSide(b, plan, 'b')).blocks, 'hash');
    expect(hb.slice(0, 4)).toEqual(ha.slice(0, 4));
    expect(hb.slice(4, 6)).not.toEqual(ha.slice(4, 6));
  });

  it('counts missing key cells and keeps drift figures per shared column', async () => {
    const a = await csv('id,v\n1,a\n,b\n3,\n');
    const plan = await planDiff({ dataset: a, label: 'a' }, { dataset: a, label: 'b' }, { key: ['id'] });
    const s = await scanSide(a, plan, 'a');
    expect(s.keyMissing).toBe(1);
    expect(s.columns.map(c => [c.kind, c.rows, c.missing])).toEqual([['numeric', 3, 1], ['text', 3, 1]]);
    expect(s.blocks?.[0].keyMissing && Array.from(s.blocks[0].keyMissing)).toEqual([0, 1, 0]);
  });

  it('key hashes taken from the drift pass equal those of a separate key fold, for every kind of key cell', async () => {
    // plain, signed, spaced, a decimal spelling, missing, NA, not a number, and integers beyond 2^53
    const text = 'id,k,t\n1,5,a\n2,-7,b\n3, 8 ,c\n4,9.0,d\n5,,e\n6,NA,f\n7,x1,g\n8,9007199254740993,h\n9,9007199254740992,i\n';
    const a = await csv(text);
    for (const key of [['k'], ['t'], ['k', 't']]) {
      const plan = await planDiff({ dataset: a, label: 'a' }, { dataset: a, label: 'b' }, { key });
      const scan = await scanSide(a, plan, 'a');
      const batch = await a.readRows(0, 9);
      const expected = new Uint32Array(18);
      const missing = new Uint8Array(9);
      for (const k of plan.keyPairs ?? []) {
        const f = plan.pairs[k].a;
        foldKeyColumn(batch.columns[batch.fieldIndexes.indexOf(f)], plan.a.fields[f], plan.kinds[k], expected, missing);
      }
      expect(lanes(scan.blocks, 'key')).toEqual(Array.from(expected));
      expect(Array.from(scan.blocks?.[0].keyMissing ?? new Uint8Array(9))).toEqual(Array.from(missing));
    }
  });
});
