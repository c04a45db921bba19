import { describe, expect, it } from 'vitest';
import { bigintColumn, numberColumn, rawAt, sliceBatch, textColumn, type ColumnBatch } from '../../../src/core/formats/columns';

describe('sliceBatch', () => {
  const batch: ColumnBatch = {
    rowStart: 100,
    rowCount: 6,
    fieldIndexes: [0, 2, 5],
    columns: [
      numberColumn([1.5, null, 3, 4, 5, 6]),
      bigintColumn([10n, 20n, null, 9007199254740993n, 50n, 60n]),
      textColumn(['a', 'bé', null, '', 'long text', 'z']),
    ],
  };
  const rows = (b: ColumnBatch) => Array.from({ length: b.rowCount }, (_, i) => b.columns.map(c => rawAt(c, i)));

  it('gives rows [start, end) of every column, numbered from the batch\'s rowStart', () => {
    const part = sliceBatch(batch, 1, 5);
    expect(part.rowStart).toBe(101);
    expect(part.rowCount).toBe(4);
    expect(part.fieldIndexes).toEqual([0, 2, 5]);
    expect(rows(part)).toEqual(rows(batch).slice(1, 5));
    const text = part.columns[2];
    // a text column's offsets start at 0 in its own bytes
    expect(text.kind === 'text' && [text.offsets[0], text.bytes.length]).toEqual([0, new TextEncoder().encode('bélong text').length]);
  });

  it('clamps the range to the batch and may be empty', () => {
    expect(rows(sliceBatch(batch, 4, 99))).toEqual(rows(batch).slice(4));
    const none = sliceBatch(batch, 7, 9);
    expect([none.rowStart, none.rowCount, rows(none)]).toEqual([106, 0, []]);
  });
});
