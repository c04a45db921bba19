// Cells of date columns written in a layout other than ISO 8601 (`25/11/2026`) compare, hash and drift by the instant.
import { describe, expect, it } from 'vitest';
import { cellValue, fieldParser, sameCell } from '../../../src/core/diff/cellCompare';
import { DriftAccumulator } from '../../../src/core/diff/driftAccumulator';
import { textColumn } from '../../../src/core/formats/columns';
import type { Field } from '../../../src/core/formats/dataset';
import { memoryDataset } from '../helpers/memoryDataset';
import { changedCells, diffOf } from './diffHelpers';

const dmy: Field = { name: 'day', type: 'date', nullable: true, temporalFormat: '%d/%m/%Y' };
const iso: Field = { name: 'day', type: 'date', nullable: true };

describe('cell comparison of dates written in a layout', () => {
  it('reads each cell as its instant', () => {
    const col = textColumn(['25/11/2026', '25/11/2026', '1/2/2026', 'NA', '32/01/2026']);
    expect([0, 1, 2, 3, 4].map(i => cellValue(col, i, dmy, 'number'))).toEqual([Date.UTC(2026, 10, 25), Date.UTC(2026, 10, 25), Date.UTC(2026, 1, 1), null, '32/01/2026']);
    expect(sameCell(cellValue(col, 0, dmy, 'number'), cellValue(textColumn(['2026-11-25']), 0, iso, 'number'), 0)).toBe(true);
    const at: Field = { name: 'at', type: 'datetime', nullable: true, temporalFormat: '%m/%d/%Y %H:%M' };
    expect(cellValue(textColumn(['11/25/2026 13:45']), 0, at, 'number')).toBe(cellValue(textColumn(['2026-11-25T13:45']), 0, { name: 'at', type: 'datetime', nullable: true }, 'number'));
  });

  it('has its own parser only for a date or datetime field with a format', () => {
    expect(fieldParser(dmy)).not.toBe(fieldParser(iso));
    expect(fieldParser({ name: 'd', type: 'string', nullable: true, temporalFormat: '%d/%m/%Y' })).toBeNull();
  });

  it('drifts by the instant', () => {
    const acc = new DriftAccumulator('date', 'temporal');
    acc.add(textColumn(['25/11/2026', '01/02/2026', '31/12/2025']), dmy, new Uint32Array(6));
    const plain = new DriftAccumulator('date', 'temporal');
    plain.add(textColumn(['2026-11-25', '2026-02-01', '2025-12-31']), iso, new Uint32Array(6));
    expect(acc.toState()).toMatchObject({ rows: 3, missing: 0 });
    expect(acc.toState().moments).toEqual(plain.toState().moments);
  });
});

describe('diff of date columns written in a layout', () => {
  const side = (days: string[]) => memoryDataset([
    { name: 'id', type: 'integer', values: ['1', '2', '3'] },
    { name: 'day', type: 'date', temporalFormat: '%d/%m/%Y', values: days },
  ]);

  it('finds 25/11/2026 and 2026-11-25 in another file equal, and a changed day changed', async () => {
    const isoFile = 'id,day\n1,2026-11-25\n2,2026-02-01\n3,2025-12-31\n';
    expect((await diffOf(side(['25/11/2026', '01/02/2026', '31/12/2025']), isoFile, { key: ['id'] })).identical).toBe(true);
    expect((await diffOf(side(['25/11/2026', '1/2/2026', '31/12/2025']), side(['25/11/2026', '01/02/2026', '31/12/2025']), { key: ['id'] })).identical).toBe(true);
    const d = await diffOf(side(['25/11/2026', '01/02/2026', '31/12/2025']), 'id,day\n1,2026-11-25\n2,2026-01-02\n3,2025-12-31\n', { key: ['id'] });
    expect(changedCells(d)).toEqual({ 2: { day: ['01/02/2026', '2026-01-02'] } });
  });

  it('finds two CSV files, one written day-first and one in ISO 8601, equal', async () => {
    const d = await diffOf('id,day\n1,25/11/2026\n2,01/02/2026\n3,31/12/2025\n', 'id,day\n1,2026-11-25\n2,2026-02-01\n3,2025-12-31\n', { key: ['id'] });
    expect(d.identical).toBe(true);
    // keyed by the date itself
    const byDay = await diffOf('day,v\n25/11/2026,1\n01/02/2026,2\n', 'day,v\n2026-02-01,2\n2026-11-25,1\n', { key: ['day'] });
    expect(byDay.identical).toBe(true);
  });
});
