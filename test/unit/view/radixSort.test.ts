import { describe, expect, it } from 'vitest';
import { radixSortRows } from '../../../src/core/view/radixSort';

/** The order by a plain comparator: numeric order, NaN last, -0 with +0, ties in input order. */
function reference(rows: Uint32Array, keys: Float64Array, descending: boolean): number[] {
  const pos = Array.from(rows, (_, i) => i);
  pos.sort((a, b) => {
    const x = keys[a], y = keys[b];
    const xn = x !== x, yn = y !== y;
    if (xn || yn) { return xn === yn ? a - b : xn ? 1 : -1; }
    if (x !== y) { return (x < y ? -1 : 1) * (descending ? -1 : 1); }
    return a - b;
  });
  return pos.map(p => rows[p]);
}

function seeded(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 4294967296; };
}

describe('radixSortRows', () => {
  it('orders like a comparator sort: ties in input order, NaN last, -0 with 0, both directions', () => {
    const rnd = seeded(7);
    const n = 20_000;
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = rnd();
      // values whose high words tie and differ only in the low word, repeats, NaN, signed zeros, infinities
      keys[i] = u < 0.05 ? NaN : u < 0.1 ? (u < 0.075 ? -0 : 0) : u < 0.15 ? 1 + Math.floor(rnd() * 50) * 2 ** -50
        : u < 0.2 ? -(1 + Math.floor(rnd() * 50) * 2 ** -50) : u < 0.22 ? (u < 0.21 ? Infinity : -Infinity)
        : u < 0.4 ? Math.floor(rnd() * 100) - 50 : (rnd() - 0.5) * 1e9;
    }
    const rows = Uint32Array.from({ length: n }, (_, i) => 3 * i + 11);
    for (const descending of [false, true]) {
      expect(Array.from(radixSortRows(rows, keys, descending))).toEqual(reference(rows, keys, descending));
    }
  });

  it('settles a long run of keys sharing their high word (the comparison-sort fallback)', () => {
    const rnd = seeded(3);
    const n = 5_000;
    const keys = Float64Array.from({ length: n }, () => 1 + Math.floor(rnd() * 1000) * 2 ** -52);
    const rows = Uint32Array.from({ length: n }, (_, i) => i);
    for (const descending of [false, true]) {
      expect(Array.from(radixSortRows(rows, keys, descending))).toEqual(reference(rows, keys, descending));
    }
  });

  it('leaves the keys as they were unless the caller gives them up, and sorts alike either way', () => {
    const rnd = seeded(11);
    const n = 3_000;
    const keys = Float64Array.from({ length: n }, () => (rnd() < 0.1 ? NaN : Math.round((rnd() - 0.5) * 200) / 4));
    const before = Array.from(keys);
    const rows = Uint32Array.from({ length: n }, (_, i) => n - i);
    const expected = reference(rows, keys, true);
    expect(Array.from(radixSortRows(rows, keys, true))).toEqual(expected);
    expect(Array.from(keys)).toEqual(before);
    expect(Array.from(radixSortRows(rows, keys.slice(), true, { consumeKeys: true }))).toEqual(expected);
  });

  it('keys that all share one high word (no pass moves anything) come out by low word', () => {
    const keys = Float64Array.from([1 + 3 * 2 ** -52, 1, 1 + 2 ** -52, 1, 1 + 2 * 2 ** -52]);
    const rows = Uint32Array.from([10, 11, 12, 13, 14]);
    expect(Array.from(radixSortRows(rows, keys, false))).toEqual([11, 13, 12, 14, 10]);
    expect(Array.from(radixSortRows(rows, keys, true))).toEqual([10, 14, 12, 11, 13]);
  });
});
