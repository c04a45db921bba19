// Drift statistics against values worked out by hand: PSI on the older version's deciles and
// categories, the Kolmogorov–Smirnov statistic, missing shares, and the drifted flag.
import { describe, expect, it } from 'vitest';
import { numberColumn, textColumn } from '../../../src/core/formats/columns';
import type { LogicalType } from '../../../src/core/formats/dataset';
import { cdfOf, columnDrift, ksStatistic, psi, PSI_FLOOR } from '../../../src/core/diff/columnDrift';
import { DriftAccumulator } from '../../../src/core/diff/driftAccumulator';
import { diffOf } from './diffHelpers';

function numbers(values: (number | null)[], type: LogicalType = 'number'): DriftAccumulator {
  const acc = new DriftAccumulator(type, 'numeric');
  acc.add(numberColumn(values), { name: 'x', type, nullable: true }, new Uint32Array(2 * values.length));
  return acc;
}

function texts(values: (string | null)[]): DriftAccumulator {
  const acc = new DriftAccumulator('string', 'text');
  acc.add(textColumn(values), { name: 'c', type: 'string', nullable: true }, new Uint32Array(2 * values.length));
  return acc;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const term = (a: number, b: number): number => (Math.max(b, PSI_FLOOR) - Math.max(a, PSI_FLOOR)) * Math.log(Math.max(b, PSI_FLOOR) / Math.max(a, PSI_FLOOR));

describe('numeric drift', () => {
  it('PSI on the older deciles and KS for 1..10 against 6..15', () => {
    const d = columnDrift(numbers(range(1, 10)), numbers(range(6, 15)), { psi: 0.2, ks: 0.1 });
    // deciles of 1..10 (inverted CDF) are 1..9: bins ≤1, (1,2], …, (8,9], >9 each hold 10% of the older values.
    // 6..15 puts nothing in the first five bins, 10% in each of (5,6] … (8,9] and 60% above 9.
    const expected = 5 * term(0.1, 0) + 4 * term(0.1, 0.1) + term(0.1, 0.6);
    expect(d.psi).toBeCloseTo(expected, 12);
    expect(d.psi).toBeCloseTo(4.3463, 4);
    // F_old(5) = 0.5 while F_new(5) = 0: the largest gap
    expect(d.ks).toBe(0.5);
    expect(d.drifted).toBe(true);
    expect(d.kind).toBe('numeric');
    expect(d.histogram?.labels).toEqual(['≤ 1', '1 – 2', '2 – 3', '3 – 4', '4 – 5', '5 – 6', '6 – 7', '7 – 8', '8 – 9', '> 9']);
    expect(d.histogram?.after).toEqual([0, 0, 0, 0, 0, 0.1, 0.1, 0.1, 0.1, 0.6]);
  });

  it('reports quantiles as profiles do, interpolated between the closest ranks; bins stay on values of the column', () => {
    const d = columnDrift(numbers(range(1, 20)), numbers(range(1, 20)), { psi: 0.2, ks: 0.1 });
    // rank h = 19·q (0-based): p5 at 0.95, p25 at 4.75, p50 at 9.5, p75 at 14.25, p95 at 18.05
    const expected = { p5: 1.95, p25: 5.75, p50: 10.5, p75: 15.25, p95: 19.05 };
    for (const [k, v] of Object.entries(expected)) { expect(d.before.quantiles?.[k as keyof typeof expected]).toBeCloseTo(v, 12); }
    expect(d.histogram?.labels[0]).toBe('≤ 2');
  });

  it('the same distribution has PSI 0 and KS 0 and is not drifted', () => {
    const d = columnDrift(numbers(range(1, 100)), numbers(range(1, 100).reverse()), { psi: 0.2, ks: 0.1 });
    expect(d.psi).toBe(0);
    expect(d.ks).toBe(0);
    expect(d.drifted).toBe(false);
  });

  it('missing values get their own bin, and stats show the missing share, mean and std', () => {
    const before = numbers([1, 2, 3, 4]);
    const after = numbers([1, 2, null, null]);
    const d = columnDrift(before, after, { psi: 10, ks: 10 });
    expect(d.before).toMatchObject({ rows: 4, missing: 0, missingShare: 0, mean: 2.5, min: 1, max: 4 });
    expect(d.after).toMatchObject({ rows: 4, missing: 2, missingShare: 0.5, mean: 1.5 });
    expect(d.before.std).toBeCloseTo(Math.sqrt(5 / 3), 12); // sample std of 1..4
    // deciles of 1,2,3,4: 1,1,2,2,2,3,3,4,4 → edges 1,2,3,4; bins ≤1, (1,2], (2,3], (3,4], >4, missing
    // before: .25 .25 .25 .25 0 0; after: .25 .25 0 0 0 .5
    const expected = term(0.25, 0.25) * 2 + term(0.25, 0) * 2 + term(0, 0) + term(0, 0.5);
    expect(d.psi).toBeCloseTo(expected, 12);
    expect(d.histogram?.labels.at(-1)).toBe('missing');
    // F_before(2) = 0.5, F_after(2) = 1 over the values present
    expect(d.ks).toBe(0.5);
    expect(d.drifted).toBe(false); // thresholds of 10
  });

  it('KS from the quantile sketches is close to the exact statistic on large columns', () => {
    let seed = 7;
    const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const xs = Array.from({ length: 50_000 }, () => rand() * 100);
    const ys = Array.from({ length: 50_000 }, () => rand() * 100 + 5);
    // exact: both uniform of width 100, shifted by 5 → sup |F_x − F_y| ≈ 0.05
    const sorted = (v: number[]): number[] => [...v].sort((p, q) => p - q);
    const sx = sorted(xs), sy = sorted(ys);
    let exact = 0;
    let i = 0, j = 0;
    while (i < sx.length && j < sy.length) {
      const x = Math.min(sx[i], sy[j]);
      while (i < sx.length && sx[i] <= x) { i++; }
      while (j < sy.length && sy[j] <= x) { j++; }
      exact = Math.max(exact, Math.abs(i / sx.length - j / sy.length));
    }
    const a = numbers(xs), b = numbers(ys); // 50,000 distinct values: past the exact table, so from the sketches
    const cdfA = cdfOf(a), cdfB = cdfOf(b);
    expect(cdfA?.exact).toBe(false);
    const ks = ksStatistic(cdfA!, cdfB!);
    expect(Math.abs(ks - exact)).toBeLessThan(0.015);
    expect(exact).toBeGreaterThan(0.04);
  });

  it('psi() is symmetric in its two shares and zero for equal ones', () => {
    expect(psi([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(psi([0.2, 0.8], [0.6, 0.4])).toBeCloseTo(psi([0.6, 0.4], [0.2, 0.8]), 15);
    expect(psi([0.2, 0.8], [0.6, 0.4])).toBeCloseTo(0.4 * Math.log(3) + 0.4 * Math.log(2), 15);
  });
});

describe('categorical drift', () => {
  it('PSI on the older categories, with new values in "other"', () => {
    const d = columnDrift(texts(['x', 'x', 'y', 'y']), texts(['x', 'x', 'x', 'z']), { psi: 0.2, ks: 0.1 });
    expect(d.kind).toBe('categorical');
    expect(d.ks).toBeNull();
    // categories x, y (+ other): before .5 .5 0, after .75 0 .25
    expect(d.histogram).toEqual({ labels: ['x', 'y', '(other)'], before: [0.5, 0.5, 0], after: [0.75, 0, 0.25] });
    expect(d.psi).toBeCloseTo(term(0.5, 0.75) + term(0.5, 0) + term(0, 0.25), 12);
    expect(d.before).toMatchObject({ distinct: 2, mean: null, quantiles: null });
    expect(d.after.distinct).toBe(2);
    expect(d.drifted).toBe(true);
  });
});

describe('drift in a whole diff', () => {
  it('flags the column whose distribution moved and leaves the other alone', async () => {
    const rows = (f: (i: number) => string): string => Array.from({ length: 200 }, (_, i) => `${i},${f(i)}`).join('\n');
    const a = `id,steady,shifted\n${rows(i => `${i % 10},${i % 50}`)}\n`;
    const b = `id,steady,shifted\n${rows(i => `${(i + 3) % 10},${(i % 50) + 40}`)}\n`;
    const d = await diffOf(a, b);
    const col = (n: string) => d.columns.find(c => c.name === n)?.drift;
    expect(col('steady')?.psi).toBe(0);
    expect(col('steady')?.drifted).toBe(false);
    expect(col('shifted')?.drifted).toBe(true);
    expect(col('shifted')?.ks).toBeCloseTo(0.8, 12); // 0..49 vs 40..89: F_old(39) = 0.8, F_new(39) = 0
  });
});
