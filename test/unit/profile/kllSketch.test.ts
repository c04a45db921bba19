import { describe, expect, it } from 'vitest';
import { KllSketch, KLL_RANK_ERROR, sortFloat64 } from '../../../src/core/profile/kllSketch';
import { seeded } from './memoryDataset';

const QS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

/** How far (as a share of n) the rank of `v` in sorted `xs` is from q·n: 0 when any rank of v fits. */
function rankError(sorted: Float64Array, v: number, q: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (sorted[m] < v) { lo = m + 1; } else { hi = m; } }
  const below = lo;
  lo = below; hi = sorted.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (sorted[m] <= v) { lo = m + 1; } else { hi = m; } }
  const atOrBelow = lo;
  const target = q * sorted.length;
  if (target >= below && target <= atOrBelow) { return 0; }
  return Math.min(Math.abs(below - target), Math.abs(atOrBelow - target)) / sorted.length;
}

function data(kind: string, n: number, seed: number): Float64Array {
  const rnd = seeded(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rnd();
    out[i] = kind === 'uniform' ? u : kind === 'lognormal' ? Math.exp(8 * u) : kind === 'sorted' ? i : Math.floor(u * 50);
  }
  return out;
}

describe('KllSketch', () => {
  it('is exact while it holds every value', () => {
    const sk = new KllSketch();
    for (let i = 1; i <= 100; i++) { sk.add(i); }
    expect(sk.quantiles([0.01, 0.5, 0.99, 1])).toEqual([1, 50, 99, 100]);
    expect(sk.rank(50)).toBe(50);
  });

  for (const kind of ['uniform', 'lognormal', 'sorted', 'few-distinct']) {
    it(`keeps p1..p99 of 100k ${kind} values within the documented rank error`, () => {
      let worst = 0;
      for (let seed = 1; seed <= 8; seed++) {
        const xs = data(kind, 100_000, seed);
        const sk = new KllSketch(undefined, seed * 7919);
        sk.addMany(xs, xs.length);
        const sorted = xs.slice().sort();
        sk.quantiles(QS).forEach((v, i) => { worst = Math.max(worst, rankError(sorted, v as number, QS[i])); });
      }
      expect(worst).toBeLessThanOrEqual(KLL_RANK_ERROR);
    });
  }

  it('merged halves answer like a sketch of the union, within the rank error', () => {
    const xs = data('lognormal', 200_000, 3);
    const a = new KllSketch(undefined, 1), b = new KllSketch(undefined, 2);
    a.addMany(xs.subarray(0, 130_000), 130_000);
    b.addMany(xs.subarray(130_000), 70_000);
    const merged = KllSketch.fromState(structuredClone(a.toState()));
    merged.merge(KllSketch.fromState(structuredClone(b.toState())));
    expect(merged.n).toBe(200_000);
    const sorted = xs.slice().sort();
    merged.quantiles(QS).forEach((v, i) => expect(rankError(sorted, v as number, QS[i])).toBeLessThanOrEqual(KLL_RANK_ERROR));
    // bounded memory: a few thousand numbers whatever n is
    expect(merged.retained()).toBeLessThan(3000);
  });

  it('estimates ranks (for histograms and outlier counts) within the error', () => {
    const xs = data('uniform', 100_000, 5);
    const sk = new KllSketch();
    sk.addMany(xs, xs.length);
    for (const x of [0.001, 0.1, 0.5, 0.9, 0.999]) {
      const truth = xs.filter(v => v < x).length;
      expect(Math.abs(sk.rank(x, true) - truth) / xs.length).toBeLessThanOrEqual(KLL_RANK_ERROR);
    }
    const counts = sk.histogram([0, 0.25, 0.5, 0.75, 1]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100_000);
    counts.forEach(c => expect(Math.abs(c - 25_000) / 100_000).toBeLessThanOrEqual(2 * KLL_RANK_ERROR));
  });

  it('sorts Float64Arrays like the built-in sort', () => {
    const rnd = seeded(9);
    for (const n of [0, 1, 2, 17, 100, 5000]) {
      const a = Float64Array.from({ length: n }, () => Math.floor(rnd() * 50) - 25 + (rnd() < 0.5 ? 0.5 : 0));
      const b = a.slice().sort();
      sortFloat64(a, 0, n);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });
});
