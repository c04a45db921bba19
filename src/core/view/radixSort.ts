// Stable LSD radix sort of row indexes by a float64 key: 4 passes of 16 bits, far faster than a comparator sort.

/**
 * Returns `rows` reordered by `keys` (parallel arrays), stable, NaN last in both directions.
 * Doubles map to unsigned integers whose order is the numeric order (flip all bits of negatives,
 * the sign bit of positives); descending inverts them, then NaN is forced to the end.
 */
export function radixSortRows(rows: Uint32Array, keys: Float64Array, descending: boolean): Uint32Array {
  const n = rows.length;
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  // little-endian: u[0] low word, u[1] high word (every platform Strata runs on)
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k !== k) { lo[i] = 0xffffffff; hi[i] = 0xffffffff; continue; } // NaN: last
    f[0] = k === 0 ? 0 : k; // -0 sorts with +0
    let l = u[0];
    let h = u[1];
    if (h & 0x80000000) { l = ~l >>> 0; h = ~h >>> 0; } else { h = (h | 0x80000000) >>> 0; }
    if (descending) { l = ~l >>> 0; h = ~h >>> 0; }
    // keep the all-ones pattern for NaN only
    if (h === 0xffffffff && l === 0xffffffff) { l = 0xfffffffe; }
    lo[i] = l;
    hi[i] = h;
  }
  let idx = rows.slice();
  let lo2 = new Uint32Array(n);
  let hi2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  const counts = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const src = pass < 2 ? lo : hi;
    const shift = (pass % 2) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) { counts[(src[i] >>> shift) & 0xffff]++; }
    let sum = 0;
    for (let d = 0; d < 65536; d++) { const c = counts[d]; counts[d] = sum; sum += c; }
    for (let i = 0; i < n; i++) {
      const pos = counts[(src[i] >>> shift) & 0xffff]++;
      lo2[pos] = lo[i];
      hi2[pos] = hi[i];
      idx2[pos] = idx[i];
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [idx, idx2] = [idx2, idx];
  }
  return idx;
}
