// Schema diff: columns added, removed, renamed (same position, similar values), moved, type or format changed.
import { describe, expect, it } from 'vitest';
import type { Field } from '../../../src/core/formats/dataset';
import { diffToJson } from '../../../src/core/diff/diffJson';
import { diffToText } from '../../../src/core/diff/diffText';
import { compareSchemas, jaccard, longestIncreasing, writtenFormat } from '../../../src/core/diff/schemaDiff';
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
      formatChanged: [],
    });
  });

  it('lists columns of one type whose values are written differently, and no retyped column twice', () => {
    const num = (name: string, numberFormat?: Field['numberFormat']): Field => ({ ...f(name, 'number'), ...(numberFormat ? { numberFormat } : {}) });
    const day = (name: string, temporalFormat?: string): Field => ({ ...f(name, 'date'), ...(temporalFormat ? { temporalFormat } : {}) });
    const a = [num('price'), num('qty', { decimalChar: ',', groupChar: '.' }), day('on'), day('at', '%d/%m/%Y'), num('same', { decimalChar: '.' }), f('n', 'integer')];
    const b = [num('price', { decimalChar: '.', groupChar: ',' }), num('qty', { decimalChar: ',' }), day('on', '%m/%d/%Y'), day('at', '%d/%m/%Y'), num('same'), num('n', { decimalChar: '.', groupChar: ',' })];
    const { schema } = compareSchemas(a, b, { a: 1, b: 1 });
    expect(schema.formatChanged).toEqual([
      { name: 'price', type: 'number', from: '1234.5', to: '1,234.5' },
      { name: 'qty', type: 'number', from: '1.234,5', to: '1234,5' },
      { name: 'on', type: 'date', from: 'ISO 8601', to: '%m/%d/%Y' },
    ]);
    expect(schema.typeChanged).toEqual([{ name: 'n', from: 'integer', to: 'number' }]);
  });

  it('writtenFormat names how numbers and dates are written, and nothing for other types', () => {
    expect(writtenFormat({ ...f('x', 'number'), numberFormat: { decimalChar: ',', groupChar: ' ' } })).toBe('1 234,5');
    expect(writtenFormat({ ...f('x', 'datetime'), temporalFormat: '%d.%m.%Y %H:%M' })).toBe('%d.%m.%Y %H:%M');
    expect(writtenFormat(f('x', 'datetime'))).toBe('ISO 8601');
    expect(writtenFormat(f('x', 'integer'))).toBeNull();
    expect(writtenFormat(f('x', 'string'))).toBeNull();
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

  it('a format change is listed with the schema changes, in the text and the JSON; equal values stay identical', async () => {
    const d = await diffOf('id;day;price\n1;2026-11-25;1234.5\n2;2026-01-31;7.25\n', 'id;day;price\n1;25/11/2026;1,234.50\n2;31/01/2026;7.25\n');
    expect(d.rows).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 2 });
    expect(d.schema.typeChanged).toEqual([]);
    expect(d.schema.formatChanged).toEqual([
      { name: 'day', type: 'date', from: 'ISO 8601', to: '%d/%m/%Y' },
      { name: 'price', type: 'number', from: '1234.5', to: '1,234.5' },
    ]);
    expect(d.identical).toBe(true);
    expect(diffToText(d)).toContain('schema: day format ISO 8601 → %d/%m/%Y; price format 1234.5 → 1,234.5 (3 → 3 columns)');
    expect(diffToJson(d)).toMatchObject({ identical: true, schema: { typeChanged: [], formatChanged: d.schema.formatChanged } });
  });

  it('the same format in both versions is no change', async () => {
    const d = await diffOf('id;price\n1;1,234.50\n', 'id;price\n1;1,234.5\n');
    expect(d.schema.formatChanged).toEqual([]);
    expect(diffToText(d)).toContain('schema: unchanged (2 → 2 columns)');
  });
});
