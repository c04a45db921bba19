import { describe, expect, it } from 'vitest';
import { Moments } from '../../../src/core/profile/moments';
import { seeded } from './memoryDataset';

/** Textbook formulas over the whole array (pandas' definitions). */
function naive(xs: number[]) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  const m3 = xs.reduce((a, x) => a + (x - mean) ** 3, 0);
  const m4 = xs.reduce((a, x) => a + (x - mean) ** 4, 0);
  const g1 = (m3 / n) / (m2 / n) ** 1.5;
  const g2 = (m4 / n) / (m2 / n) ** 2 - 3;
  return {
    mean,
    variance: m2 / (n - 1),
    skewness: (Math.sqrt(n * (n - 1)) / (n - 2)) * g1,
    kurtosis: ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3)),
    min: Math.min(...xs),
    max: Math.max(...xs),
    sum: xs.reduce((a, b) => a + b, 0),
  };
}

describe('Moments', () => {
  it('matches hand-computed figures on a small array', () => {
    const m = new Moments();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) { m.add(x); }
    const r = m.result();
    expect(r.count).toBe(8);
    expect(r.mean).toBe(5);
    // sum of squared deviations is 32; sample variance 32/7
    expect(r.variance).toBeCloseTo(32 / 7, 12);
    expect(r.min).toBe(2);
    expect(r.max).toBe(9);
    expect(r.sum).toBe(40);
  });

  it('agrees with the naive formulas on 10k skewed values, one by one and batched', () => {
    const rnd = seeded(7);
    const xs = Array.from({ length: 10_000 }, () => Math.exp(rnd() * 4) - 3);
    const want = naive(xs);
    const one = new Moments();
    xs.forEach(x => one.add(x));
    const batched = new Moments();
    const arr = Float64Array.from(xs);
    for (let i = 0; i < arr.length; i += 777) { batched.addMany(arr.subarray(i), Math.min(777, arr.length - i)); }
    for (const r of [one.result(), batched.result()]) {
      expect(r.mean).toBeCloseTo(want.mean, 9);
      expect(r.variance! / want.variance).toBeCloseTo(1, 10);
      expect(r.skewness! / want.skewness).toBeCloseTo(1, 9);
      expect(r.kurtosis! / want.kurtosis).toBeCloseTo(1, 9);
      expect(r.min).toBe(want.min);
      expect(r.max).toBe(want.max);
      expect(r.sum).toBeCloseTo(want.sum, 6);
    }
  });

  it('merges two halves into the figures of the whole (Chan / Pébay)', () => {
    const rnd = seeded(11);
    const xs = Array.from({ length: 5001 }, () => rnd() * 100 - 20);
    const a = new Moments(), b = new Moments(), all = new Moments();
    xs.slice(0, 1234).forEach(x => a.add(x));
    xs.slice(1234).forEach(x => b.add(x));
    xs.forEach(x => all.add(x));
    const merged = Moments.fromState(structuredClone(a.toState()));
    merged.merge(Moments.fromState(structuredClone(b.toState())));
    const r = merged.result(), w = all.result();
    expect(r.count).toBe(5001);
    expect(r.mean).toBeCloseTo(w.mean!, 10);
    expect(r.variance! / w.variance!).toBeCloseTo(1, 10);
    expect(r.skewness! / w.skewness!).toBeCloseTo(1, 8);
    expect(r.kurtosis! / w.kurtosis!).toBeCloseTo(1, 8);
  });

  it('stays accurate for a large offset (catastrophic cancellation in naive sums)', () => {
    const m = new Moments();
    const values = new Float64Array([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    m.addMany(values, 4);
    expect(m.result().variance).toBeCloseTo(30, 6);
  });

  it('reports nulls where a figure is undefined', () => {
    const empty = new Moments().result();
    expect(empty).toMatchObject({ count: 0, mean: null, std: null, min: null, max: null });
    const one = new Moments();
    one.add(3);
    expect(one.result()).toMatchObject({ count: 1, mean: 3, variance: null, skewness: null });
  });
});
