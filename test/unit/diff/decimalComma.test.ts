// Cells of number columns written with a decimal comma (`10,50`) compare, hash and drift by value.
import { describe, expect, it } from 'vitest';
import { cellValue, fieldParser, sameCell } from '../../../src/core/diff/cellCompare';
import { DriftAccumulator } from '../../../src/core/diff/driftAccumulator';
import { numberColumn, textColumn } from '../../../src/core/formats/columns';
import type { Field } from '../../../src/core/formats/dataset';
import { memoryDataset } from '../helpers/memoryDataset';
import { changedCells, diffOf } from './diffHelpers';

const EU = { decimalChar: ',', groupChar: '.' };
const euField: Field = { name: 'price', type: 'number', nullable: true, numberFormat: EU };

describe('cell comparison of decimal-comma numbers', () => {
  it('reads each cell as its number', () => {
    const col = textColumn(['10,50', '10,5', '1.234,00', 'NA', 'abc']);
    expect([0, 1, 2, 3, 4].map(i => cellValue(col, i, euField, 'number'))).toEqual([10.5, 10.5, 1234, null, 'abc']);
    expect(sameCell(cellValue(col, 0, euField, 'number'), cellValue(col, 1, euField, 'number'), 0)).toBe(true);
    expect(sameCell(cellValue(col, 2, euField, 'number'), cellValue(numberColumn([1234]), 0, { name: 'price', type: 'number', nullable: true }, 'number'), 0)).toBe(true);
  });

  it('has its own parser only for a number field with a format', () => {
    expect(fieldParser(euField)).not.toBe(fieldParser({ name: 'p', type: 'number', nullable: true }));
    expect(fieldParser({ name: 'p', type: 'string', nullable: true, numberFormat: EU })).toBeNull();
  });

  it('drifts by value', () => {
    const acc = new DriftAccumulator('number', 'numeric');
    acc.add(textColumn(['10,50', '7,25', '1.234,00']), euField, new Uint32Array(6));
    expect(acc.toState()).toMatchObject({ rows: 3, missing: 0 });
    const plain = new DriftAccumulator('number', 'numeric');
    plain.add(numberColumn([10.5, 7.25, 1234]), { name: 'price', type: 'number', nullable: true }, new Uint32Array(6));
    expect(acc.toState().moments).toEqual(plain.toState().moments);
  });
});

describe('diff of decimal-comma number columns', () => {
  const side = (prices: string[]) => memoryDataset([
    { name: 'id', type: 'integer', values: ['1', '2', '3'] },
    { name: 'price', type: 'number', numberFormat: EU, values: prices },
  ]);

  it('finds 10,50 and 10,5 (and 1.234,00 and 1.234) equal', async () => {
    const d = await diffOf(side(['10,50', '7,25', '1.234,00']), side(['10,5', '7,250', '1.234']), { key: ['id'] });
    expect(d.identical).toBe(true);
  });

  it('finds a CSV written with a point equal, and a changed value changed', async () => {
    expect((await diffOf(side(['10,50', '7,25', '1.234,00']), 'id,price\n1,10.5\n2,7.25\n3,1234\n', { key: ['id'] })).identical).toBe(true);
    const d = await diffOf(side(['10,50', '7,25', '1.234,00']), side(['10,50', '7,26', '1.234,00']), { key: ['id'] });
    expect(changedCells(d)).toEqual({ 2: { price: ['7,25', '7,26'] } });
  });
});
