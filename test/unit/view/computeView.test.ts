import { describe, expect, it } from 'vitest';
import { computeView, isNaturalView } from '../../../src/core/view/computeView';
import { radixSortRows } from '../../../src/core/view/radixSort';
import { readViewWindow } from '../../../src/core/view/viewWindow';
import { rawAt } from '../../../src/core/formats/columns';
import { memoryDataset } from '../helpers/memoryDataset';

const people = () => memoryDataset([
  { name: 'name', type: 'string', values: ['bob', 'Alice', 'carol', 'dave', null, 'Eve', 'frank'] },
  { name: 'age', type: 'integer', values: ['34', '29', '', '41', '29', 'n/a', '52'] },
  { name: 'score', type: 'number', values: [1.5, -2, 3.25, null, 0, 10, -0.5] },
  { name: 'joined', type: 'date', values: ['2023-05-01', '2021-01-31', '2024-12-24', '2022-07-07', '', '2020-02-29', '2023-05-01'] },
]);

describe('computeView', () => {
  it('knows when there is nothing to compute', () => {
    expect(isNaturalView(undefined)).toBe(true);
    expect(isNaturalView({ sort: [], filter: { columns: [] } })).toBe(true);
    expect(isNaturalView({ filter: { columns: [], search: 'x' } })).toBe(false);
  });

  it('sorts text columns with a collator, missing last, descending too', async () => {
    expect([...await computeView(people(), { sort: [{ field: 0, direction: 'asc' }] })]).toEqual([1, 0, 2, 3, 5, 6, 4]);
    expect([...await computeView(people(), { sort: [{ field: 0, direction: 'desc' }] })]).toEqual([6, 5, 3, 2, 0, 1, 4]);
  });

  it('sorts integer text numerically (radix path), stable for ties, unparseable and missing last', async () => {
    // ages: 34, 29, '', 41, 29, 'n/a', 52
    expect([...await computeView(people(), { sort: [{ field: 1, direction: 'asc' }] })]).toEqual([1, 4, 0, 3, 6, 2, 5]);
    expect([...await computeView(people(), { sort: [{ field: 1, direction: 'desc' }] })]).toEqual([6, 3, 0, 1, 4, 2, 5]);
  });

  it('sorts numbers including negatives and zero; dates by time', async () => {
    expect([...await computeView(people(), { sort: [{ field: 2, direction: 'asc' }] })]).toEqual([1, 6, 4, 0, 2, 5, 3]);
    expect([...await computeView(people(), { sort: [{ field: 3, direction: 'asc' }] })]).toEqual([5, 1, 3, 0, 6, 2, 4]);
  });

  it('breaks ties with the next key', async () => {
    const order = await computeView(people(), { sort: [{ field: 1, direction: 'asc' }, { field: 2, direction: 'desc' }] });
    // age 29 twice: rows 1 (score -2) and 4 (score 0), so 4 first; both missing ages (2: 3.25, 5: 10) by score too
    expect([...order]).toEqual([4, 1, 0, 3, 6, 5, 2]);
  });

  it('filters by equals, contains, range, missing and free-text search', async () => {
    const ds = people;
    expect([...await computeView(ds(), { filter: { columns: [{ field: 1, op: 'equals', value: '29' }] } })]).toEqual([1, 4]);
    expect([...await computeView(ds(), { filter: { columns: [{ field: 0, op: 'contains', value: 'A' }] } })]).toEqual([1, 2, 3, 6]);
    expect([...await computeView(ds(), { filter: { columns: [{ field: 2, op: 'range', min: 0, max: 3.25 }] } })]).toEqual([0, 2, 4]);
    expect([...await computeView(ds(), { filter: { columns: [{ field: 3, op: 'range', min: '2023-01-01' }] } })]).toEqual([0, 2, 6]);
    expect([...await computeView(ds(), { filter: { columns: [{ field: 1, op: 'missing' }] } })]).toEqual([2, 5]);
    expect([...await computeView(ds(), { filter: { columns: [{ field: 0, op: 'present' }, { field: 2, op: 'range', max: 0 }] } })]).toEqual([1, 6]);
    expect([...await computeView(ds(), { filter: { columns: [], search: '2023-05' } })]).toEqual([0, 6]);
  });

  it('filters then sorts', async () => {
    const order = await computeView(people(), {
      filter: { columns: [{ field: 1, op: 'present' }] },
      sort: [{ field: 2, direction: 'desc' }],
    });
    expect([...order]).toEqual([0, 4, 6, 1, 3]);
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(computeView(people(), { sort: [{ field: 0, direction: 'asc' }] }, { signal: ac.signal })).rejects.toThrow();
  });
});

describe('radixSortRows', () => {
  it('matches a comparator sort on random doubles, stable, NaN last', () => {
    const n = 5000;
    const keys = new Float64Array(n);
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < n; i++) {
      const r = rnd();
      keys[i] = r < 0.05 ? NaN : r < 0.1 ? 0 : r < 0.15 ? -0 : Math.round((rnd() - 0.5) * 1e4) / (r < 0.5 ? 1 : 7);
    }
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    for (const desc of [false, true]) {
      const expected = [...rows].sort((a, b) => {
        const x = keys[a]; const y = keys[b];
        if (Number.isNaN(x) || Number.isNaN(y)) { return Number.isNaN(x) === Number.isNaN(y) ? a - b : Number.isNaN(x) ? 1 : -1; }
        return (desc ? y - x : x - y) || a - b;
      });
      expect([...radixSortRows(rows, keys, desc)]).toEqual(expected);
    }
  });
});

describe('readViewWindow', () => {
  it('returns the cells of a sorted view window in view order with their source rows', async () => {
    const ds = people();
    // scores desc: 10 (row 5), 3.25 (row 2), 1.5 (row 0), 0 (row 4), -0.5 (row 6), -2 (row 1), missing (row 3)
    const order = await computeView(ds, { sort: [{ field: 2, direction: 'desc' }] });
    const { batch, sourceRows } = await readViewWindow(ds, order, 1, 3, [0, 2]);
    expect([...sourceRows]).toEqual([2, 0, 4]);
    expect(batch.rowStart).toBe(1);
    expect(batch.fieldIndexes).toEqual([0, 2]);
    const cells = (c: number) => Array.from({ length: batch.rowCount }, (_, i) => rawAt(batch.columns[c], i));
    expect(cells(0)).toEqual(['carol', 'bob', null]);
    expect(cells(1)).toEqual([3.25, 1.5, 0]);
  });

  it('clamps a window past the end', async () => {
    const ds = people();
    const order = await computeView(ds, { filter: { columns: [{ field: 1, op: 'equals', value: '29' }] } });
    const { batch, sourceRows } = await readViewWindow(ds, order, 1, 10, [0]);
    expect([...sourceRows]).toEqual([4]);
    expect(batch.rowCount).toBe(1);
  });
});

describe('computeView over numbers written with a decimal comma', () => {
  const prices = () => memoryDataset([
    { name: 'price', type: 'number', numberFormat: { decimalChar: ',', groupChar: '.' }, values: ['10,50', '7,25', '1.234,00', '-0,5', 'n/a', '9', '', 'abc'] },
  ]);

  it('sorts them by value, missing and unparseable last', async () => {
    expect([...await computeView(prices(), { sort: [{ field: 0, direction: 'asc' }] })]).toEqual([3, 1, 5, 0, 2, 4, 6, 7]);
    expect([...await computeView(prices(), { sort: [{ field: 0, direction: 'desc' }] })]).toEqual([2, 0, 5, 1, 3, 4, 6, 7]);
  });

  it('filters them by value, typed as the column writes them or with a point', async () => {
    expect([...await computeView(prices(), { filter: { columns: [{ field: 0, op: 'equals', value: '10,5' }] } })]).toEqual([0]);
    expect([...await computeView(prices(), { filter: { columns: [{ field: 0, op: 'equals', value: '7.25' }] } })]).toEqual([1]);
    expect([...await computeView(prices(), { filter: { columns: [{ field: 0, op: 'range', min: '1.000', max: 2000 }] } })]).toEqual([2]);
    expect([...await computeView(prices(), { filter: { columns: [{ field: 0, op: 'range', min: 0, max: '10,5' }] } })]).toEqual([0, 1, 5]);
  });
});

describe('computeView over numbers written with thousands groups', () => {
  const amounts = () => memoryDataset([
    { name: 'amount', type: 'number', numberFormat: { decimalChar: '.', groupChar: ',' }, values: ['1,234.50', '7.25', '-3,000,000.00', '12,500', 'n/a', '300', '', 'abc'] },
  ]);

  it('sorts them by value, not by the text; missing and unparseable last', async () => {
    expect([...await computeView(amounts(), { sort: [{ field: 0, direction: 'asc' }] })]).toEqual([2, 1, 5, 0, 3, 4, 6, 7]);
    expect([...await computeView(amounts(), { sort: [{ field: 0, direction: 'desc' }] })]).toEqual([3, 0, 5, 1, 2, 4, 6, 7]);
  });

  it('filters them by value, typed with groups or without', async () => {
    expect([...await computeView(amounts(), { filter: { columns: [{ field: 0, op: 'equals', value: '1234.5' }] } })]).toEqual([0]);
    expect([...await computeView(amounts(), { filter: { columns: [{ field: 0, op: 'equals', value: '12,500' }] } })]).toEqual([3]);
    expect([...await computeView(amounts(), { filter: { columns: [{ field: 0, op: 'range', min: '1,000', max: 20000 }] } })]).toEqual([0, 3]);
    expect([...await computeView(amounts(), { filter: { columns: [{ field: 0, op: 'range', max: '300' }] } })]).toEqual([1, 2, 5]);
  });
});

describe('computeView over dates written in a layout other than ISO 8601', () => {
  const days = () => memoryDataset([
    { name: 'day', type: 'date', temporalFormat: '%d/%m/%Y', values: ['25/11/2026', '01/02/2026', '31/12/2025', 'n/a', '2/1/2026', '', '32/01/2026'] },
    { name: 'at', type: 'datetime', temporalFormat: '%m/%d/%Y %H:%M', values: ['11/25/2026 13:45', '11/25/2026 08:00', '02/01/2026 23:59', null, '12/31/2025 00:00', '1/1/2026 0:00', 'x'] },
  ]);

  it('sorts them by the instant, not by the text; missing and unparseable last', async () => {
    // by text 01/02 < 2/1 < 25/11 < 31/12; by date 31/12/2025 < 2/1/2026 < 01/02/2026 < 25/11/2026
    expect([...await computeView(days(), { sort: [{ field: 0, direction: 'asc' }] })]).toEqual([2, 4, 1, 0, 3, 5, 6]);
    expect([...await computeView(days(), { sort: [{ field: 0, direction: 'desc' }] })]).toEqual([0, 1, 4, 2, 3, 5, 6]);
    expect([...await computeView(days(), { sort: [{ field: 1, direction: 'asc' }] })]).toEqual([4, 5, 2, 1, 0, 3, 6]);
  });

  it('filters them by the instant, typed as the column writes them or in ISO 8601', async () => {
    expect([...await computeView(days(), { filter: { columns: [{ field: 0, op: 'equals', value: '01/02/2026' }] } })]).toEqual([1]);
    expect([...await computeView(days(), { filter: { columns: [{ field: 0, op: 'equals', value: '2026-01-02' }] } })]).toEqual([4]);
    expect([...await computeView(days(), { filter: { columns: [{ field: 0, op: 'range', min: '01/01/2026', max: '2026-06-30' }] } })]).toEqual([1, 4]);
    expect([...await computeView(days(), { filter: { columns: [{ field: 1, op: 'range', min: '11/25/2026 08:00' }] } })]).toEqual([0, 1]);
    expect([...await computeView(days(), { filter: { columns: [{ field: 0, op: 'missing' }] } })]).toEqual([3, 5]);
  });
});
