import { describe, expect, it } from 'vitest';
import { hashHigh, hashNumber } from '../../../src/core/profile/hashing';
import { HLL_RELATIVE_ERROR } from '../../../src/core/profile/hyperLogLog';
import { ValueCounter } from '../../../src/core/profile/valueCounter';
import { seeded } from './memoryDataset';

function addAll(vc: ValueCounter, xs: number[]): void {
  for (const x of xs) { const lo = hashNumber(x); vc.add(lo, hashHigh.value, x); }
}

function naiveCounts(xs: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const x of xs) { m.set(x, (m.get(x) ?? 0) + 1); }
  return m;
}

describe('ValueCounter', () => {
  it('sortedNumbers: values ascending with cumulative counts, equal doubles counted together, no NaN or ±∞', () => {
    const vc = new ValueCounter({ exactBound: 1000 });
    const rnd = seeded(11);
    const xs: number[] = [];
    for (let i = 0; i < 600; i++) { xs.push(Math.round(rnd() * 200) / 4 - 20); }
    addAll(vc, [...xs, NaN, Infinity, -Infinity]);
    // two entries (distinct 64-bit keys, as for integers beyond 2^53) holding the same double, and -0 beside 0
    vc.add(12345, 1, 7.5);
    vc.add(12346, 2, 7.5);
    vc.add(hashNumber(-0) ^ 1, 3, -0);
    vc.add(hashNumber(0) ^ 1, 4, 0);
    xs.push(7.5, 7.5, 0, 0);
    const naive = [...naiveCounts(xs)].sort((a, b) => a[0] - b[0]);
    const s = vc.sortedNumbers();
    expect(s).not.toBeNull();
    const { values, cum, total } = s as NonNullable<typeof s>;
    expect(Array.from(values)).toEqual(naive.map(([v]) => v));
    let acc = 0;
    expect(Array.from(cum)).toEqual(naive.map(([, c]) => (acc += c)));
    expect(total).toBe(xs.length);
    expect(values.some(v => Object.is(v, -0))).toBe(false);
  });

  it('counts exactly below the bound: distinct, singletons, top values with ties by value', () => {
    const vc = new ValueCounter({ exactBound: 100 });
    addAll(vc, [5, 3, 5, 1, 3, 5, 9]);
    expect(vc.exact).toBe(true);
    expect(vc.distinct()).toBe(4);
    expect(vc.singletonsEstimate()).toBe(2);
    expect(vc.top(3)).toEqual([{ value: 5, count: 3 }, { value: 3, count: 2 }, { value: 1, count: 1 }]);
  });

  it('past the bound: HyperLogLog distinct within its error, bounded table, heavy hitters kept', () => {
    const rnd = seeded(3);
    const xs: number[] = [];
    // 200k distinct values plus three heavy values taking 30%, 10% and 5% of the stream
    for (let i = 0; i < 200_000; i++) { xs.push(1000 + i); }
    for (let i = 0; i < 130_000; i++) { xs.push(1); }
    for (let i = 0; i < 43_000; i++) { xs.push(2); }
    for (let i = 0; i < 21_500; i++) { xs.push(3); }
    for (let i = xs.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [xs[i], xs[j]] = [xs[j], xs[i]]; }
    const vc = new ValueCounter({ exactBound: 4096, heavyHitters: 64 });
    addAll(vc, xs);
    expect(vc.exact).toBe(false);
    expect(vc.table.size).toBeLessThanOrEqual(4096);
    expect(Math.abs(vc.distinct() / 200_003 - 1)).toBeLessThan(3 * HLL_RELATIVE_ERROR);
    const top = vc.top(3);
    expect(top.map(t => t.value)).toEqual([1, 2, 3]);
    const truth = [130_000, 43_000, 21_500];
    const hh = vc.hh!;
    expect(hh.error).toBeLessThanOrEqual(xs.length / (64 + 1));
    top.forEach((t, i) => {
      expect(t.count).toBeLessThanOrEqual(truth[i]);
      expect(t.count).toBeGreaterThanOrEqual(truth[i] - hh.error);
    });
  });

  it('the sampled table shows repeats: none for a key, scaled estimate otherwise', () => {
    const key = new ValueCounter({ exactBound: 1000 });
    addAll(key, Array.from({ length: 50_000 }, (_, i) => i));
    expect(key.exact).toBe(false);
    expect(key.repeatsEstimate()).toBe(0);
    const twice = new ValueCounter({ exactBound: 1000 });
    addAll(twice, Array.from({ length: 50_000 }, (_, i) => i % 25_000));
    expect(twice.repeatsEstimate() / 25_000).toBeGreaterThan(0.8);
    expect(twice.repeatsEstimate() / 25_000).toBeLessThan(1.2);
  });

  it('merge(a, b) equals the counter of a ∪ b: exactly below the bound, within error beyond', () => {
    const rnd = seeded(5);
    const xs = Array.from({ length: 20_000 }, () => Math.floor(rnd() * 300));
    const a = new ValueCounter({ exactBound: 1000 }), b = new ValueCounter({ exactBound: 1000 });
    addAll(a, xs.slice(0, 7000));
    addAll(b, xs.slice(7000));
    const m = ValueCounter.fromState(structuredClone(a.toState()));
    m.merge(ValueCounter.fromState(structuredClone(b.toState())));
    const want = naiveCounts(xs);
    expect(m.distinct()).toBe(want.size);
    for (const { value, count } of m.entries()!) { expect(count).toBe(want.get(value as number)); }

    const ys = Array.from({ length: 60_000 }, () => Math.floor(rnd() * 40_000));
    const c = new ValueCounter({ exactBound: 2000, heavyHitters: 32 }), d = new ValueCounter({ exactBound: 2000, heavyHitters: 32 });
    addAll(c, ys.slice(0, 1500)); // still exact
    addAll(d, ys.slice(1500)); // sampled
    c.merge(d);
    const truth = naiveCounts(ys).size;
    expect(c.exact).toBe(false);
    expect(Math.abs(c.distinct() / truth - 1)).toBeLessThan(3 * HLL_RELATIVE_ERROR);
    expect(c.total).toBe(60_000);
  });

  it('makes deferred representatives only for values still present', () => {
    const vc = new ValueCounter({ exactBound: 10 });
    const made: number[] = [];
    vc.beginDeferred(row => { made.push(row); return `v${row}`; });
    for (let row = 0; row < 5; row++) {
      const lo = hashNumber(row % 3);
      vc.insert(lo, hashHigh.value);
      if (vc.needsRep()) { vc.deferRep(row); }
      vc.settle();
    }
    vc.endDeferred();
    expect(made).toEqual([0, 1, 2]);
    expect(vc.top(3).map(t => t.value).sort()).toEqual(['v0', 'v1', 'v2']);
  });
});
