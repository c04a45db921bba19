import { describe, expect, it } from 'vitest';
import { hashHigh, hashNumber } from '../../../src/core/profile/hashing';
import { HLL_RELATIVE_ERROR, HyperLogLog } from '../../../src/core/profile/hyperLogLog';

function fill(h: HyperLogLog, from: number, to: number): void {
  for (let i = from; i < to; i++) { const lo = hashNumber(i); h.add(lo, hashHigh.value); }
}

describe('HyperLogLog', () => {
  it('estimates 1M distinct values within 3 standard errors', () => {
    const h = new HyperLogLog();
    fill(h, 0, 1_000_000);
    expect(Math.abs(h.estimate() / 1_000_000 - 1)).toBeLessThan(3 * HLL_RELATIVE_ERROR);
  });

  it('is near exact for small cardinalities and ignores repeats', () => {
    const h = new HyperLogLog();
    for (let r = 0; r < 5; r++) { fill(h, 0, 1000); }
    expect(Math.abs(h.estimate() - 1000)).toBeLessThan(15);
    expect(new HyperLogLog().estimate()).toBe(0);
  });

  it('merges overlapping sets into the estimate of their union', () => {
    const a = new HyperLogLog(), b = new HyperLogLog();
    fill(a, 0, 300_000);
    fill(b, 200_000, 600_000);
    const m = HyperLogLog.fromState(structuredClone(a.toState()));
    m.merge(HyperLogLog.fromState(structuredClone(b.toState())));
    expect(Math.abs(m.estimate() / 600_000 - 1)).toBeLessThan(3 * HLL_RELATIVE_ERROR);
  });
});
