import { afterEach, describe, expect, it } from 'vitest';
import { mergeProfiles, profileDataset, profileRowRange } from '../../../src/core/profile/datasetProfiler';
import { compareDecimals } from '../../../src/core/profile/decimalText';
import type { ColumnProfile } from '../../../src/core/profile/profileTypes';
import { timeliness } from '../../../src/core/profile/qualitySummary';
import { rankQuantile } from '../../../src/core/profile/rankQuantile';
import { csvColumn, memoryDataset, type MemoryColumn } from './memoryDataset';

async function profileOf(columns: MemoryColumn[], options: { exactBound?: number } = {}): Promise<ColumnProfile[]> {
  return (await profileDataset(memoryDataset(columns, 2), options)).columnProfiles;
}

const values = (c: ColumnProfile): string[] => c.top.map(t => t.value);

describe('values a double rounds keep every digit', () => {
  it('integers beyond ±2^53 written in text: top values, min and max as written, each value counted apart', async () => {
    const [big] = await profileOf([csvColumn('big', 'integer', [
      '9007199254740993', '9007199254740992', '-9223372036854775808', '18446744073709551615', '18446744073709551615', '+18446744073709551615', '7',
    ])]);
    // 2^53 + 1 and 2^53 share a double but are two values; +18446744073709551615 is the same value written another way
    expect(big.distinct).toBe(5);
    expect(big.top[0]).toEqual({ value: '18446744073709551615', count: 3 });
    expect(values(big)).toEqual(expect.arrayContaining(['9007199254740993', '9007199254740992', '-9223372036854775808', '7']));
    expect(big.number).toMatchObject({ minExact: '-9223372036854775808', maxExact: '18446744073709551615', quantilesApprox: false });
    expect(big.number!.min).toBe(-9223372036854775808);
    // quantiles are statistics: doubles, over every value (2^53 + 1 counts as 2^53 there)
    expect(big.number!.quantiles.p50).toBe(2 ** 53);
  });

  it('a number column: whole numbers beyond 2^53 as written, by their digits; other decimals as their double', async () => {
    const [dec] = await profileOf([csvColumn('dec', 'number', [
      '12345678901234567890', '+012345678901234567890', '12345678901234567891', '0.1000000000000000055511', '0.1', '1.5',
    ])]);
    // the two ways of writing ...890 count once, ...891 (the same double) apart; 0.1 written long is the double 0.1
    expect(dec.distinct).toBe(4);
    expect(values(dec)).toEqual(expect.arrayContaining(['12345678901234567890', '12345678901234567891', 0.1, 1.5].map(String)));
    expect(dec.number).toMatchObject({ min: 0.1, minExact: null, maxExact: '12345678901234567891' });
  });

  it('missing-value markers in a typed column are missing, as the grid reads them; other text is invalid', async () => {
    const [n] = await profileOf([csvColumn('n', 'integer', ['1', 'NA', 'null', 'N/A', '#N/A', 'x', '2'])]);
    expect([n.count, n.missing, n.invalid]).toEqual([3, 4, 1]);
    const [s] = await profileOf([csvColumn('s', 'string', ['NA', 'a'])]);
    expect(s.missing).toBe(0); // text columns keep the markers as values
  });

  it('a least value a double rounds is kept as written', async () => {
    const [big] = await profileOf([csvColumn('big', 'integer', ['-12345678901234567890', '5', '-12345678901234567889'])]);
    expect(big.number).toMatchObject({ minExact: '-12345678901234567890', maxExact: null });
  });

  it('64-bit integer columns (bigint storage): exact min and max, and quantiles and a histogram over every value', async () => {
    const [i64] = await profileOf([{ name: 'i64', type: 'integer', storage: 'bigint', values: [9223372036854775807n, -9223372036854775808n, 9007199254740993n, null] }]);
    expect(values(i64)).toEqual(['-9223372036854775808', '9007199254740993', '9223372036854775807']);
    expect(i64.number).toMatchObject({ minExact: '-9223372036854775808', maxExact: '9223372036854775807', quantilesApprox: false });
    const q = i64.number!.quantiles;
    expect(Object.values(q).every(v => v !== null)).toBe(true);
    expect(q.p50).toBe(9007199254740992);
    expect(i64.number!.iqr).not.toBeNull();
    expect(i64.number!.histogram.counts.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('the exact min and max survive profiling in parts and merging', async () => {
    const ds = memoryDataset([csvColumn('big', 'integer', ['1', '-9223372036854775809', '2', '18446744073709551616'])], 1);
    const parts = [await profileRowRange(ds, { start: 0, end: 2 }), await profileRowRange(ds, { start: 2, end: 4 })];
    const [big] = mergeProfiles(parts).columnProfiles;
    expect(big.number).toMatchObject({ minExact: '-9223372036854775809', maxExact: '18446744073709551616' });
  });

  it('decimal texts compare by value', () => {
    expect(compareDecimals('+1.50', '15e-1')).toBe(0);
    expect(compareDecimals('-0.0', '0')).toBe(0);
    expect(compareDecimals('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareDecimals('-9223372036854775809', '-9223372036854775808')).toBe(-1);
    expect(compareDecimals('0.1', '0.1000000000000000055511')).toBe(-1);
    expect(compareDecimals('1e3', '999.999')).toBe(1);
    expect(compareDecimals('-1', '0')).toBe(-1);
  });
});

describe('datetimes and times as head shows them', () => {
  const wallClock: MemoryColumn = { name: 'ts', type: 'datetime', storage: 'number', wallClock: true, values: [-0.001, Date.UTC(2024, 0, 2, 3, 4, 5) + 123.456] };

  it('wall-clock timestamps have no zone, and one microsecond before 1970 stays in 1969', async () => {
    const [ts] = await profileOf([wallClock]);
    expect(ts.date).toMatchObject({ min: '1969-12-31T23:59:59.999999', max: '2024-01-02T03:04:05.123456' });
    expect(values(ts)).toEqual(['1969-12-31T23:59:59.999999', '2024-01-02T03:04:05.123456']);
    expect(ts.date!.histogram[0].start).toBe('1969');
  });

  it('instants before 1970 keep their microseconds and their Z', async () => {
    const [ts] = await profileOf([{ ...wallClock, wallClock: false }]);
    expect(ts.date).toMatchObject({ min: '1969-12-31T23:59:59.999999Z', max: '2024-01-02T03:04:05.123456Z' });
    expect(values(ts)[0]).toBe('1969-12-31T23:59:59.999999Z');
  });

  it('text datetimes without a zone stay without one; with zones (or mixed) they are UTC instants', async () => {
    const [local, zoned, mixed] = await profileOf([
      csvColumn('local', 'datetime', ['2024-01-02 03:04:05', '2024-01-02T03:04:06', '2024-01-03']),
      csvColumn('zoned', 'datetime', ['2024-01-02T03:04:05+02:00', '2024-01-02T03:04:05Z', '2024-01-02T03:04:05Z']),
      csvColumn('mixed', 'datetime', ['2024-01-02 03:04:05', '2024-01-02T03:04:05Z', '2024-01-02T03:04:07Z']),
    ]);
    expect(local.date).toMatchObject({ min: '2024-01-02T03:04:05.000', max: '2024-01-03T00:00:00.000' });
    expect(values(local)).toContain('2024-01-02T03:04:06.000');
    expect(zoned.date).toMatchObject({ min: '2024-01-02T01:04:05.000Z', max: '2024-01-02T03:04:05.000Z' });
    expect(mixed.top[0]).toEqual({ value: '2024-01-02T03:04:05.000Z', count: 2 });
  });

  it('the histogram of wall-clock times labels its periods without a zone', async () => {
    const [ts] = await profileOf([csvColumn('ts', 'datetime', ['2024-01-02 03:04:05', '2024-01-02 03:04:07'])]);
    expect(ts.date!.period).toBe('second');
    expect(ts.date!.histogram.map(b => b.start)).toEqual(['2024-01-02T03:04:05.000', '2024-01-02T03:04:06.000', '2024-01-02T03:04:07.000']);
  });

  it('times of day: top values as HH:MM:SS, from text and from numbers', async () => {
    const [text, numbers] = await profileOf([
      csvColumn('t', 'time', ['03:04:05', '13:00:00', '13:00:00']),
      { name: 'tm', type: 'time', storage: 'number', values: [47655000, 47655000.5, null] },
    ]);
    expect(text.top).toEqual([{ value: '13:00:00', count: 2 }, { value: '03:04:05', count: 1 }]);
    expect(values(numbers)).toEqual(['13:14:15', '13:14:15.000500']);
  });

  describe('timeliness of a wall-clock datetime', () => {
    const tz = process.env.TZ;
    afterEach(() => { process.env.TZ = tz; });

    it('reads the newest value as UTC, as it was profiled, whatever the local time zone', () => {
      process.env.TZ = 'America/New_York';
      const col = { name: 'ts', date: { max: '2024-06-30T00:00:00.000' } } as ColumnProfile;
      expect(timeliness([col], Date.UTC(2024, 6, 1), 100).score).toBeCloseTo(0.99, 12);
    });
  });
});

describe('quantiles interpolated between the closest ranks', () => {
  const ids = Array.from({ length: 20 }, (_, i) => String(i + 1));

  it('the median of 1..20 is 10.5, exactly from the value table', async () => {
    const [id] = await profileOf([csvColumn('id', 'integer', ids)]);
    expect(id.number!.quantilesApprox).toBe(false);
    expect(id.number!.quantiles).toMatchObject({ p25: 5.75, p50: 10.5, p75: 15.25 });
  });

  it('and alike from the sketch past the exact bound', async () => {
    const [id] = await profileOf([csvColumn('id', 'integer', ids)], { exactBound: 8 });
    expect(id.number!.quantilesApprox).toBe(true);
    expect(id.number!.quantiles).toMatchObject({ p25: 5.75, p50: 10.5, p75: 15.25 });
  });

  it('weights values by their counts', () => {
    // 1, 2, 2, 2, 10
    const v = Float64Array.from([1, 2, 10]), cum = Float64Array.from([1, 4, 5]);
    expect(rankQuantile(v, cum, 0)).toBe(1);
    expect(rankQuantile(v, cum, 0.5)).toBe(2);
    expect(rankQuantile(v, cum, 0.9)).toBeCloseTo(6.8, 12);
    expect(rankQuantile(v, cum, 1)).toBe(10);
    expect(rankQuantile(new Float64Array(0), new Float64Array(0), 0.5)).toBeNull();
  });
});
