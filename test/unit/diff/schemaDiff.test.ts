// Schema diff: columns added, removed, renamed (same position, similar values), moved, type changed.
import { describe, expect, it } from 'vitest';
import type { Field } from '../../../src/core/formats/dataset';
import { compareSchemas, jaccard, longestIncreasing } from '../../../src/core/diff/schemaDiff';
import { diffOf } from './diffHelpers';

const f = (name: string, type: Field['type'] = 'string'): Field => ({ name, type, nullable: true });

describe('compareSchemas', () => {
  it('pairs columns by name and lists added, removed, moved and retyped ones', () => {
    const a = [f('id', 'integer'), f('name'), f('age', 'integer'), f('city'), f('zip')];
    const b = [f('id', 'integer'), f('name'), f('city'), f('age', 'number'), f('email')];
    const { schema, pairs, addedB, removedA } = compareSchemas(a, b, { a: 10, b: 12 }, () => 0);
    expect(pairs.map(p => [a[p.a].name, b[p.b].name, p.renamed])).toEqual([
      ['id', 'id', false], ['name', 'name', false], ['age', 'age', false], ['city', 'city', false],
    ]);
    expect(addedB).toEqual([4]);
    expect(removedA).toEqual([4]);
    expect(schema).toEqual({
      rowsBefore: 10, rowsAfter: 12, columnsBefore: 5, columnsAfter: 5,
      added: ['email'], removed: ['zip'], renamed: [],
      // age and city swapped: keeping city in place, age is the one that moved
      reordered: ['age'],
      typeChanged: [{ name: 'age', from: 'integer', to: 'number' }],
    });
  });

  it('takes a column at the same position with similar values as renamed', () => {
    const a = [f('id'), f('score'), f('note')];
    const b = [f('id'), f('points'), f('comment')];
    const sim = (ia: number, ib: number): number => (ia === 1 && ib === 1 ? 0.9 : 0.1);
    const { schema, pairs } = compareSchemas(a, b, { a: 1, b: 1 }, sim);
    expect(schema.renamed).toEqual([{ from: 'score', to: 'points' }]);
    expect(schema.added).toEqual(['comment']);
    expect(schema.removed).toEqual(['note']);
    expect(pairs.find(p => p.renamed)).toEqual({ a: 1, b: 1, renamed: true });
  });

  it('longestIncreasing keeps the most columns in place', () => {
    expect([...longestIncreasing([0, 1, 2, 3])].sort()).toEqual([0, 1, 2, 3]);
    expect(longestIncreasing([3, 0, 1, 2]).size).toBe(3);
    expect(longestIncreasing([3, 0, 1, 2]).has(0)).toBe(false);
    expect(longestIncreasing([]).size).toBe(0);
  });

  it('jaccard of value sets', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3, 15);
    expect(jaccard(new Set(), new Set())).toBe(1);
  });
});

describe('schema changes in a diff', () => {
  it('moves and retypes are schema changes, so the diff is not identical even with equal rows', async () => {
    const d = await diffOf('id,a,b\n1,x,2\n', 'id,b,a\n1,2,x\n');
    expect(d.rows).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 1 });
    // a and b swapped: one of the two counts as moved (the longest run kept in place is id, b)
    expect(d.schema.reordered).toEqual(['a']);
    expect(d.identical).toBe(false);
  });
});
