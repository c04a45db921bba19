// Stable sort of row indexes by a float64 key: an LSD radix sort on the key's high 32 bits (three
// 11-bit passes), then the rare runs whose high words tie are ordered by the low word.

const DIGITS = 2048;
const NAN_HI = 0xffffffff;

/**
 * Returns `rows` reordered by `keys` (parallel arrays), stable, NaN last in both directions.
 * Doubles map to unsigned integers whose order is the numeric order (flip all bits of negatives,
 * the sign bit of positives); descending inverts them, then NaN is forced to the end. Sorting by the
 * high word first touches half the bytes of a 64-bit radix sort; integers and most real data differ
 * there already, and ties are settled by the low word afterwards.
 */
export function radixSortRows(rows: Uint32Array, keys: Float64Array, descending: boolean): Uint32Array {
  const n = rows.length;
  if (keys.length !== n) { throw new RangeError(`radixSortRows: ${n} rows but ${keys.length} keys`); }
  // little-endian words of each key: [2i] low, [2i + 1] high (every platform Strata runs on)
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  // the three digits' counts are taken in the same pass that makes the keys
  const counts = [new Uint32Array(DIGITS), new Uint32Array(DIGITS), new Uint32Array(DIGITS)];
  const [c0, c1, c2] = counts;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    const h = highKey(k, words[2 * i + 1], descending);
    hi[i] = h;
    lo[i] = lowKey(k, words[2 * i], words[2 * i + 1], descending);
    c0[h & (DIGITS - 1)]++;
    c1[(h >>> 11) & (DIGITS - 1)]++;
    c2[h >>> 22]++;
  }
  // positions 0..n-1 are sorted (keys are found by position), rows are looked up at the end;
  // until a pass moves anything the positions are the identity and are not stored
  let idx = new Uint32Array(n);
  let moved = false;
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let idx2 = new Uint32Array(n);
  for (let pass = 0; pass < 3; pass++) {
    const shift = 11 * pass, count = counts[pass];
    // a digit every key shares moves nothing
    if (n === 0 || count[(hi[0] >>> shift) & (DIGITS - 1)] === n) { continue; }
    let sum = 0;
    for (let d = 0; d < DIGITS; d++) { const c = count[d]; count[d] = sum; sum += c; }
    if (moved) {
      for (let i = 0; i < n; i++) {
        const h = hi[i];
        const pos = count[(h >>> shift) & (DIGITS - 1)]++;
        hi2[pos] = h;
        lo2[pos] = lo[i];
        idx2[pos] = idx[i];
      }
    } else {
      for (let i = 0; i < n; i++) {
        const h = hi[i];
        const pos = count[(h >>> shift) & (DIGITS - 1)]++;
        hi2[pos] = h;
        lo2[pos] = lo[i];
        idx2[pos] = i;
      }
      moved = true;
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [idx, idx2] = [idx2, idx];
  }
  if (!moved) { for (let i = 0; i < n; i++) { idx[i] = i; } }
  for (let s = 0; s < n;) {
    let e = s + 1;
    while (e < n && hi[e] === hi[s]) { e++; }
    if (e - s > 1 && hi[s] !== NAN_HI) { settleTies(idx, lo, s, e); }
    s = e;
  }
  let identity = true;
  for (let i = 0; i < n; i++) { if (rows[i] !== i) { identity = false; break; } }
  if (identity) { return idx; }
  for (let i = 0; i < n; i++) { idx2[i] = rows[idx[i]]; }
  return idx2;
}

/** The high word of a key in sort order (see `radixSortRows`); NaN is all ones. */
function highKey(k: number, word: number, descending: boolean): number {
  if (k !== k) { return NAN_HI; }
  // -0 sorts with +0
  let h = k === 0 ? 0 : word;
  h = h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
  if (descending) { h = ~h >>> 0; }
  // all ones is NaN's alone: no finite key maps there, but keep it so if one ever did
  return h === NAN_HI ? NAN_HI - 1 : h;
}

/** The low word of a key in sort order. */
function lowKey(k: number, lo: number, hi: number, descending: boolean): number {
  let l = k === 0 ? 0 : lo;
  if (k !== 0 && hi & 0x80000000) { l = ~l >>> 0; }
  return descending ? ~l >>> 0 : l;
}

/**
 * Orders sorted[s..e) (equal high words; `low` is parallel) by low word, stably (input order among
 * equal keys, which the passes kept): insertion sort, as runs are short; a long run falls back to a
 * comparison sort.
 */
function settleTies(sorted: Uint32Array, low: Uint32Array, s: number, e: number): void {
  let ordered = true;
  for (let i = s + 1; i < e; i++) { if (low[i - 1] > low[i]) { ordered = false; break; } }
  if (ordered) { return; }
  if (e - s > 64) {
    const run = Array.from(sorted.subarray(s, e), (p, i) => ({ p, lo: low[s + i], i }));
    run.sort((a, b) => a.lo - b.lo || a.i - b.i);
    run.forEach((r, i) => { sorted[s + i] = r.p; low[s + i] = r.lo; });
    return;
  }
  for (let i = s + 1; i < e; i++) {
    const l = low[i], p = sorted[i];
    let j = i - 1;
    while (j >= s && low[j] > l) { low[j + 1] = low[j]; sorted[j + 1] = sorted[j]; j--; }
    low[j + 1] = l;
    sorted[j + 1] = p;
  }
}
