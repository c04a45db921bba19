import { describe, expect, it } from 'vitest';
import { DuplicateRows } from '../../../src/core/profile/duplicateRows';
import { hashHigh, hashNumber } from '../../../src/core/profile/hashing';

function rows(keys: number[]): Uint32Array {
  const h = new Uint32Array(2 * keys.length);
  keys.forEach((k, i) => { h[2 * i] = hashNumber(k); h[2 * i + 1] = hashHigh.value; });
  return h;
}

describe('DuplicateRows', () => {
  it('counts rows equal to an earlier row exactly below the bound', () => {
    const d = new DuplicateRows(100);
    const keys = [1, 2, 1, 3, 1, 2, 4];
    d.addHashes(rows(keys), keys.length);
    expect(d.exact).toBe(true);
    expect(d.duplicates()).toBe(3);
  });

  it('estimates beyond the bound from a hash sample, and exactly 0 for distinct rows', () => {
    const n = 400_000;
    const unique = new DuplicateRows(10_000);
    unique.addHashes(rows(Array.from({ length: n }, (_, i) => i)), n);
    expect(unique.exact).toBe(false);
    expect(unique.duplicates()).toBe(0);
    // 300k distinct rows, 100k of them twice: 100k duplicates
    const keys = Array.from({ length: n }, (_, i) => (i < 300_000 ? i : i - 300_000));
    const d = new DuplicateRows(10_000);
    d.addHashes(rows(keys), n);
    expect(d.exact).toBe(false);
    expect(Math.abs(d.duplicates() / 100_000 - 1)).toBeLessThan(0.1);
  });

  it('merges halves: a row in both halves is a duplicate', () => {
    const a = new DuplicateRows(1000), b = new DuplicateRows(1000);
    a.addHashes(rows([1, 2, 3]), 3);
    b.addHashes(rows([3, 4, 4]), 3);
    const m = DuplicateRows.fromState(structuredClone(a.toState()));
    m.merge(DuplicateRows.fromState(structuredClone(b.toState())));
    expect(m.duplicates()).toBe(2);
    expect(m.rows).toBe(6);
  });
});
