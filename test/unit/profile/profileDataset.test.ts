import { describe, expect, it } from 'vitest';
import { isDatasetError } from '../../../src/core/formats/errors';
import { mergeProfiles, profileDataset, profilePartial, profileRowRange, quickProfile } from '../../../src/core/profile/datasetProfiler';
import { HLL_RELATIVE_ERROR } from '../../../src/core/profile/hyperLogLog';
import { KLL_RANK_ERROR } from '../../../src/core/profile/kllSketch';
import type { DatasetProfile } from '../../../src/core/profile/profileTypes';
import { csvColumn, memoryDataset, seeded, type MemoryColumn } from './memoryDataset';

const NOW = Date.UTC(2024, 0, 31);

function small() {
  return memoryDataset([
    csvColumn('id', 'integer', ['1', '2', '3', '4', '4', 'x']),
    csvColumn('name', 'string', ['Alice', 'bob', ' ', 'Bob 12', 'Bob 12', '']),
    csvColumn('day', 'date', ['2024-01-01', '2024-01-05', '2024-01-02', '', '', '2024-13-01']),
    { name: 'amount', type: 'number', storage: 'number', values: [1.5, -2, 0, Infinity, Infinity, null] },
    { name: 'flag', type: 'boolean', storage: 'number', values: [1, 0, 1, 1, 1, null] },
    { name: 'big', type: 'integer', storage: 'bigint', values: [1n, 9007199254740993n, 9007199254740993n, null, null, -5n] },
  ], 4);
}

describe('profileDataset on a small hand-made table', () => {
  it('computes every column figure as counted by hand', async () => {
    const p = await profileDataset(small(), { quality: { now: NOW } });
    expect(p).toMatchObject({ sample: false, rowsProfiled: 6, rows: { value: 6, exact: true }, columns: 6, duplicateRows: 1, duplicateRowsExact: true });
    const [id, name, day, amount, flag, big] = p.columnProfiles;

    expect(id).toMatchObject({ count: 6, missing: 0, distinct: 4, invalid: 1, invalidExamples: ['x'], typeConsistency: 5 / 6, unique: 3 });
    expect(id.top[0]).toEqual({ value: '4', count: 2 });
    expect(id.number).toMatchObject({ min: 1, max: 4, mean: 2.8, sum: 14, zeros: 0, negatives: 0, quantilesApprox: false });
    // interpolated between the closest ranks of 1, 2, 3, 4, 4: p1 at rank 0.04, p5 at rank 0.2
    expect(id.number!.quantiles).toEqual({ p1: 1.04, p5: 1.2, p25: 2, p50: 3, p75: 4, p95: 4, p99: 4 });
    expect(id.number!.histogram).toEqual({ edges: [1, 2, 3, 4, 5], counts: [1, 1, 1, 2], approx: false });
    expect(id.number!.outliers).toEqual({ count: 0, lower: -1, upper: 7, approx: false });

    // '' is missing (as a CSV reader reports it); ' ' is a whitespace-only value
    expect(name).toMatchObject({ count: 5, missing: 1, distinct: 4, typeConsistency: null });
    expect(name.string).toMatchObject({ minLength: 1, maxLength: 6, meanLength: 21 / 5, empty: 0, whitespace: 1 });
    expect(name.string!.patterns).toEqual([{ value: 'Aa 9', count: 2 }, { value: ' ', count: 1 }, { value: 'Aa', count: 1 }, { value: 'a', count: 1 }]);

    expect(day).toMatchObject({ count: 4, missing: 2, distinct: 3, invalid: 1, invalidExamples: ['2024-13-01'] });
    expect(day.date).toMatchObject({ min: '2024-01-01', max: '2024-01-05', period: 'day' });
    expect(day.date!.histogram.map(b => b.count)).toEqual([1, 1, 0, 0, 1]);
    expect(day.date!.gaps).toEqual({ unit: 'day', count: 2, largest: { from: '2024-01-03', to: '2024-01-04', periods: 2 } });

    expect(amount).toMatchObject({ count: 5, missing: 1, distinct: 4 });
    expect(amount.number).toMatchObject({ min: -2, max: 1.5, zeros: 1, negatives: 1, infinite: 2, sum: -0.5 });
    expect(amount.alerts).toEqual(expect.arrayContaining(['ZEROS', 'INFINITE', 'MISSING']));

    expect(flag.top).toEqual([{ value: 'true', count: 4 }, { value: 'false', count: 1 }]);
    expect(flag.number).toBeUndefined();

    // 2^53 + 1 stays distinct from 2^53 in the value table, shown exactly
    expect(big).toMatchObject({ count: 4, distinct: 3 });
    expect(big.top[0]).toEqual({ value: '9007199254740993', count: 2 });
    expect(p.memoryBytes).toBe(p.columnProfiles.reduce((a, c) => a + c.memoryBytes, 0));
    expect(p.alerts).toEqual(['DUPLICATES']);
  });

  it('quickProfile reads only the first rows and marks the figures as a sample', async () => {
    const ds = small();
    const p = await quickProfile(ds, { rows: 3, quality: { now: NOW } });
    expect(p.sample).toBe(true);
    expect(p.rowsProfiled).toBe(3);
    expect(p.rows).toEqual({ value: 6, exact: true });
    expect(ds.scans).toBe(0);
    expect(p.columnProfiles[0].number!.max).toBe(3);
    const all = await quickProfile(ds, { rows: 100 });
    expect(all.sample).toBe(false);
    const viaOption = await profileDataset(ds, { sampleRows: 2 });
    expect(viaOption).toMatchObject({ sample: true, rowsProfiled: 2 });
  });

  it('quickProfile adds its sample in slices with turns of the event loop between them, so a cancel is heard mid-way', async () => {
    const ds = memoryDataset(events(4_500, 3), 4_500);
    // the same figures as one pass over the same rows
    const quick = await quickProfile(ds, { rows: 4_500, quality: { now: NOW } });
    const whole = await profileDataset(ds, { quality: { now: NOW } });
    expect(comparable({ ...quick, sample: false })).toEqual(comparable(whole));
    // a timer queued after the start runs before the profile ends, and its abort stops it
    const ac = new AbortController();
    const run = quickProfile(ds, { rows: 4_500, signal: ac.signal });
    setTimeout(() => ac.abort(), 0);
    await expect(run).rejects.toMatchObject({ name: 'DatasetError', code: 'cancelled' });
  });

  it('profiles chosen columns only, and refuses a column that does not exist', async () => {
    const p = await profileDataset(small(), { columns: [3, 0] });
    expect(p.columnProfiles.map(c => c.name)).toEqual(['amount', 'id']);
    await expect(profileDataset(small(), { columns: [9] })).rejects.toSatisfy(isDatasetError);
  });

  it('reports progress and stops with a cancelled error when aborted', async () => {
    const seen: number[] = [];
    await profileDataset(small(), { onProgress: pr => seen.push(pr.rowsDone) });
    expect(seen).toEqual([4, 6]);
    const ac = new AbortController();
    const run = profileDataset(small(), { signal: ac.signal, onProgress: () => ac.abort() });
    await expect(run).rejects.toMatchObject({ name: 'DatasetError', code: 'cancelled' });
  });

  it('an empty dataset profiles to nulls and an EMPTY alert, not a crash', async () => {
    const p = await profileDataset(memoryDataset([csvColumn('a', 'number', [])]));
    expect(p.rowsProfiled).toBe(0);
    expect(p.alerts).toContain('EMPTY');
    expect(p.columnProfiles[0].number).toMatchObject({ min: null, mean: null, quantiles: { p50: null } });
    expect(p.quality.completeness.score).toBeNull();
  });
});

function events(n: number, seed: number): MemoryColumn[] {
  const rnd = seeded(seed);
  const cols = { id: [] as string[], amount: [] as string[], cat: [] as (string | null)[], day: [] as (string | null)[], note: [] as (string | null)[] };
  const cats = ['red', 'green', 'blue', 'Grey 1', 'x'];
  for (let i = 0; i < n; i++) {
    cols.id.push(String(i + 1));
    cols.amount.push(Math.exp(rnd() * 8).toFixed(2));
    cols.cat.push(rnd() < 0.03 ? null : cats[Math.floor(rnd() ** 2 * cats.length)]);
    cols.day.push(rnd() < 0.01 ? null : new Date(Date.UTC(2020, 0, 1) + Math.floor(rnd() * 1500) * 86400000).toISOString().slice(0, 10));
    cols.note.push(rnd() < 0.1 ? null : `w${Math.floor(rnd() * n)} ${Math.floor(rnd() * 100)}`);
  }
  return [
    csvColumn('id', 'integer', cols.id),
    csvColumn('amount', 'number', cols.amount),
    csvColumn('cat', 'string', cols.cat),
    csvColumn('day', 'date', cols.day),
    csvColumn('note', 'string', cols.note),
  ];
}

/** The profile without its wall time, floats to 10 significant digits (batch boundaries change the last bits of sums). */
function comparable(p: DatasetProfile): unknown {
  const round = (v: unknown): unknown => {
    if (typeof v === 'number') { return Number.isInteger(v) ? v : Number(v.toPrecision(10)); }
    if (Array.isArray(v)) { return v.map(round); }
    if (v && typeof v === 'object') { return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)])); }
    return v;
  };
  return round({ ...p, elapsedMs: 0 });
}

describe('split scans: mergeProfiles of row ranges', () => {
  it('equals the one-pass profile exactly while every table is exact', async () => {
    const ds = memoryDataset(events(8_000, 1), 1500);
    const full = await profileDataset(ds, { quality: { now: NOW } });
    const halves = await Promise.all([
      profileRowRange(ds, { start: 0, end: 3_001, batchRows: 2000 }),
      profileRowRange(ds, { start: 3_001, end: 8_000, batchRows: 2000 }),
    ]);
    const merged = mergeProfiles(structuredClone(halves), { quality: { now: NOW } });
    expect(comparable(merged)).toEqual(comparable(full));
  });

  it('profilePartial profiles whatever a feed delivers (a worker scanning a byte range)', async () => {
    const ds = memoryDataset(events(5_000, 4), 700);
    const full = await profileDataset(ds, { columns: [4, 0], quality: { now: NOW } });
    const halves = await Promise.all([[0, 2_100], [2_100, 5_000]].map(([a, b]) => profilePartial(ds.fields, { columns: [4, 0] }, async (cols, onBatch) => {
      for (let s = a; s < b; s += 999) { onBatch(await ds.readRows(s, Math.min(999, b - s), cols)); }
    })));
    expect(halves.map(h => h.rows)).toEqual([2_100, 2_900]);
    expect(comparable(mergeProfiles(halves, { quality: { now: NOW } }))).toEqual(comparable(full));
  });

  it('agrees within the sketches\' errors once the bounds are passed', async () => {
    const n = 30_000;
    const ds = memoryDataset(events(n, 2), 5000);
    const opts = { exactBound: 1000, exactRows: 2000 };
    const full = await profileDataset(ds, { ...opts, quality: { now: NOW } });
    const parts = await Promise.all([0, 1, 2].map(k => profileRowRange(ds, { ...opts, start: k * 10_000, end: (k + 1) * 10_000 })));
    const merged = mergeProfiles(parts.map(p => structuredClone(p)), { quality: { now: NOW } });
    expect(merged.rowsProfiled).toBe(n);
    expect(merged.duplicateRows).toBe(0);
    expect(merged.duplicateRowsExact).toBe(false);
    const [id, amount, cat, day, note] = merged.columnProfiles;
    const [fid, famount] = full.columnProfiles;
    // id: a key, so the sampled table has no repeats and distinct is every value
    expect(id.distinct).toBe(n);
    expect(id.alerts).toContain('UNIQUE');
    expect(id.number!.min).toBe(fid.number!.min);
    expect(id.number!.mean).toBeCloseTo(fid.number!.mean!, 6);
    // amount: quantiles from merged sketches within the rank error of the truth
    const sorted = (events(n, 2)[1].values as string[]).map(Number).sort((a, b) => a - b);
    for (const [q, v] of [[0.05, amount.number!.quantiles.p5], [0.5, amount.number!.quantiles.p50], [0.95, amount.number!.quantiles.p95]] as const) {
      const rank = sorted.filter(x => x <= (v as number)).length / n;
      expect(Math.abs(rank - q)).toBeLessThanOrEqual(KLL_RANK_ERROR + 1 / n);
    }
    expect(amount.number!.quantilesApprox).toBe(true);
    expect(amount.number!.std! / famount.number!.std!).toBeCloseTo(1, 10);
    const trueDistinct = new Set(events(n, 2)[1].values as string[]).size;
    expect(Math.abs(amount.distinct / trueDistinct - 1)).toBeLessThan(3 * HLL_RELATIVE_ERROR);
    // low-cardinality columns stay exact
    expect(cat.distinctApprox).toBe(false);
    expect(cat.top).toEqual(full.columnProfiles[2].top);
    expect(day.date!.histogram).toEqual(full.columnProfiles[3].date!.histogram);
    expect(note.distinctApprox).toBe(true);
    expect(note.string!.patterns[0].value).toBe('a9 9');
  });
});

describe('profileDataset on numbers written with a decimal comma', () => {
  it('reads them as numbers: range, mean, quantiles, histogram, top values, invalid text', async () => {
    const eu = { decimalChar: ',', groupChar: '.' };
    const p = await profileDataset(memoryDataset([
      { ...csvColumn('price', 'number', ['10,50', '7,25', '1.234,00', '-0,5', 'NA', 'abc', '7,25']), numberFormat: eu },
      // the same texts in a field without the format: none of them is a number
      csvColumn('plain', 'number', ['10,50', '7,25', '1.234,00', '-0,5', 'NA', 'abc', '7,25']),
    ], 3), { quality: { now: NOW } });
    const [price, plain] = p.columnProfiles;
    expect(price).toMatchObject({ count: 6, missing: 1, distinct: 4, invalid: 1, invalidExamples: ['abc'], typeConsistency: 5 / 6 });
    expect(price.number).toMatchObject({ min: -0.5, max: 1234, sum: 1258.5, mean: 251.7, negatives: 1, zeros: 0, quantilesApprox: false });
    expect(price.number!.quantiles).toMatchObject({ p25: 7.25, p50: 7.25, p75: 10.5 });
    expect(price.number!.histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(price.number!.histogram.edges[0]).toBe(-0.5);
    expect(price.top[0]).toEqual({ value: '7.25', count: 2 });
    expect(plain).toMatchObject({ invalid: 6 });
  });
});

describe('profileDataset on numbers written with thousands groups', () => {
  it('reads them as numbers: range, mean, quantiles, top values, invalid text', async () => {
    const grouped = { decimalChar: '.', groupChar: ',' };
    const texts = ['1,234.50', '7.25', '-3,000,000.00', '12,500', 'NA', 'abc', '7.25'];
    const p = await profileDataset(memoryDataset([
      { ...csvColumn('amount', 'number', texts), numberFormat: grouped },
      // the same texts in a field without the format: the grouped ones are no numbers
      csvColumn('plain', 'number', texts),
    ], 3), { quality: { now: NOW } });
    const [amount, plain] = p.columnProfiles;
    expect(amount).toMatchObject({ count: 6, missing: 1, distinct: 4, invalid: 1, invalidExamples: ['abc'], typeConsistency: 5 / 6 });
    expect(amount.number).toMatchObject({ min: -3000000, max: 12500, sum: -2986251, negatives: 1, zeros: 0, quantilesApprox: false });
    expect(amount.number!.quantiles).toMatchObject({ p25: 7.25, p50: 7.25, p75: 1234.5 });
    expect(amount.top[0]).toEqual({ value: '7.25', count: 2 });
    expect(plain).toMatchObject({ invalid: 4 });
  });
});

describe('profileDataset on dates written in a layout other than ISO 8601', () => {
  it('reads them as dates: range, period, histogram, gaps, top values, invalid text, timeliness', async () => {
    const days = ['05/01/2024', '01/01/2024', '02/01/2024', 'NA', '32/01/2024', '05/01/2024'];
    const p = await profileDataset(memoryDataset([
      { ...csvColumn('day', 'date', days), temporalFormat: '%d/%m/%Y' },
      // the same texts in a field without the format: none of them is an ISO date
      csvColumn('plain', 'date', days),
    ], 4), { quality: { now: Date.UTC(2024, 0, 15), maxAgeDays: 100 } });
    const [day, plain] = p.columnProfiles;
    expect(day).toMatchObject({ count: 5, missing: 1, distinct: 3, invalid: 1, invalidExamples: ['32/01/2024'], typeConsistency: 4 / 5 });
    expect(day.date).toMatchObject({ min: '2024-01-01', max: '2024-01-05', period: 'day' });
    expect(day.date!.histogram.map(b => b.count)).toEqual([1, 1, 0, 0, 2]);
    expect(day.date!.gaps).toEqual({ unit: 'day', count: 2, largest: { from: '2024-01-03', to: '2024-01-04', periods: 2 } });
    expect(day.top[0]).toEqual({ value: '2024-01-05', count: 2 });
    expect(plain).toMatchObject({ invalid: 5 });
    // newest 2024-01-05, 10 days before `now`
    expect(p.quality.timeliness.score).toBeCloseTo(0.9, 12);
    expect(p.quality.timeliness.measured).toContain('2024-01-05 in day');
  });

  it('reads date-times as wall-clock times (no zone), as ISO text without a zone is read', async () => {
    const p = await profileDataset(memoryDataset([
      { ...csvColumn('at', 'datetime', ['11/25/2026 13:45', '02/01/2026 08:00', '']), temporalFormat: '%m/%d/%Y %H:%M' },
      csvColumn('iso', 'datetime', ['2026-11-25 13:45', '2026-02-01 08:00', '']),
    ]), { quality: { now: NOW } });
    const [at, iso] = p.columnProfiles;
    expect(at.date).toMatchObject({ min: '2026-02-01T08:00:00.000', max: '2026-11-25T13:45:00.000' });
    expect(at.date).toEqual(iso.date);
    expect(at.invalid).toBe(0);
  });
});
