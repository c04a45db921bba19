// Cells of number columns written with `,` thousands groups (`1,234.50`) compare, hash and drift by value.
import { describe, expect, it } from 'vitest';
import { cellValue, sameCell } from '../../../src/core/diff/cellCompare';
import { DriftAccumulator } from '../../../src/core/diff/driftAccumulator';
import { numberColumn, textColumn } from '../../../src/core/formats/columns';
import type { Field } from '../../../src/core/formats/dataset';
import { memoryDataset } from '../helpers/memoryDataset';
import { changedCells, diffOf } from './diffHelpers';

const GROUPED = { decimalChar: '.', groupChar: ',' };
const groupedField: Field = { name: 'amount', type: 'number', nullable: true, numberFormat: GROUPED };
const plainField: Field = { name: 'amount', type: 'number', nullable: true };

describe('cell comparison of numbers with thousands groups', () => {
  it('reads each cell as its number', () => {
    const col = textColumn(['1,234.50', '1234.5', '-3,000,000', 'NA', 'abc']);
    expect([0, 1, 2, 3, 4].map(i => cellValue(col, i, groupedField, 'number'))).toEqual([1234.5, 1234.5, -3000000, null, 'abc']);
    expect(sameCell(cellValue(col, 0, groupedField, 'number'), cellValue(numberColumn([1234.5]), 0, plainField, 'number'), 0)).toBe(true);
    expect(sameCell(cellValue(col, 0, groupedField, 'number'), cellValue(textColumn(['1234.5']), 0, plainField, 'number'), 0)).toBe(true);
  });

  it('drifts by value', () => {
    const acc = new DriftAccumulator('number', 'numeric');
    acc.add(textColumn(['1,234.50', '7.25', '-3,000,000.00']), groupedField, new Uint32Array(6));
    const plain = new DriftAccumulator('number', 'numeric');
    plain.add(numberColumn([1234.5, 7.25, -3000000]), plainField, new Uint32Array(6));
    expect(acc.toState().moments).toEqual(plain.toState().moments);
  });
});

describe('diff of number columns with thousands groups', () => {
  const side = (amounts: string[]) => memoryDataset([
    { name: 'id', type: 'integer', values: ['1', '2', '3'] },
    { name: 'amount', type: 'number', numberFormat: GROUPED, values: amounts },
  ]);

  it('finds "1,234.50" and 1234.5 equal, and a changed value changed', async () => {
    expect((await diffOf(side(['1,234.50', '7.25', '-3,000,000']), side(['1,234.5', '7.250', '-3,000,000.00']), { key: ['id'] })).identical).toBe(true);
    const plain = await diffOf(side(['1,234.50', '7.25', '-3,000,000']), 'id,amount\n1,1234.5\n2,7.25\n3,-3000000\n', { key: ['id'] });
    expect(plain.rows).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 3 });
    const d = await diffOf(side(['1,234.50', '7.25', '-3,000,000']), side(['1,234.50', '7.26', '-3,000,000']), { key: ['id'] });
    expect(changedCells(d)).toEqual({ 2: { amount: ['7.25', '7.26'] } });
  });

  it('keys rows by the value of a grouped key column', async () => {
    const a = memoryDataset([
      { name: 'code', type: 'number', numberFormat: GROUPED, values: ['1,001', '2,002', '3,003'] },
      { name: 'v', type: 'string', values: ['a', 'b', 'c'] },
    ]);
    const d = await diffOf(a, 'code,v\n1001,a\n2002,x\n3003,c\n', { key: ['code'] });
    expect(d.rows).toEqual({ added: 0, removed: 0, changed: 1, unchanged: 2 });
  });
});
