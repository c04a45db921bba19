// Stable sort of row indexes by a float64 key: an LSD radix sort on the key's high 32 bits (up to
// three 11-bit passes moving the high word and the position), then the rare runs whose high words
// tie are ordered by the low word, looked up by position.

const BITS = 11;
const DIGITS = 1 << BITS;
const MASK = DIGITS - 1;
const NAN_HI = 0xffffffff;

/**
 * Returns `rows` reordered by `keys` (parallel arrays; `rows` null means 0, 1, 2, ...), stable, NaN
 * last in both directions.
 * Doubles map to unsigned integers whose order is the numeric order (flip all bits of negatives,
 * the sign bit of positives); descending inverts them, then NaN is forced to the end. Sorting by the
 * high word first touches half the bytes of a 64-bit radix sort; integers and most real data differ
 * there already, and ties are settled by the low word afterwards.
 *
 * Memory is the cost that matters at millions of rows: freshly allocated pages cost far more to
 * touch the first time than the passes' own work, so the sort keys are made in place of `keys` when
 * the caller gives them up (`consumeKeys`), and the passes reuse two pairs of arrays.
 */
export function radixSortRows(rows: Uint32Array | null, keys: Float64Array, descending: boolean, options: { consumeKeys?: boolean } = {}): Uint32Array {
  const n = rows ? rows.length : keys.length;
  if (keys.length !== n) { throw new RangeError(`radixSortRows: ${n} rows but ${keys.length} keys`); }
  const own = options.consumeKeys ? keys : keys.slice();
  // little-endian words of each key: [2i] low, [2i + 1] high (every platform Strata runs on); they
  // become the sort-order low and high keys, and the three digits' counts are taken in the same pass
  const words = new Uint32Array(own.buffer, own.byteOffset, 2 * n);
  const counts = [new Uint32Array(DIGITS), new Uint32Array(DIGITS), new Uint32Array(DIGITS)];
  const [c0, c1, c2] = counts;
  for (let i = 0; i < n; i++) {
    const k = own[i];
    const w0 = words[2 * i], w1 = words[2 * i + 1];
    const h = highKey(k, w1, descending);
    words[2 * i] = lowKey(k, w0, w1, descending);
    words[2 * i + 1] = h;
    c0[h & MASK]++;
    c1[(h >>> BITS) & MASK]++;
    c2[h >>> (2 * BITS)]++;
  }
  // a digit every key shares moves nothing: only the other passes run
  const passes: number[] = [];
  for (let p = 0; p < 3; p++) {
    if (n > 0 && counts[p][(words[1] >>> (BITS * p)) & MASK] !== n) { passes.push(p); }
  }
  let hi: Uint32Array | undefined;
  let idx: Uint32Array | undefined;
  let hiSpare: Uint32Array | undefined;
  let idxSpare: Uint32Array | undefined;
  for (const pass of passes) {
    const shift = BITS * pass, count = counts[pass];
    let sum = 0;
    for (let d = 0; d < DIGITS; d++) { const c = count[d]; count[d] = sum; sum += c; }
    const toHi = hiSpare ?? new Uint32Array(n);
    const toIdx = idxSpare ?? new Uint32Array(n);
    if (hi && idx) {
      for (let i = 0; i < n; i++) {
        const h = hi[i];
        const pos = count[(h >>> shift) & MASK]++;
        toHi[pos] = h;
        toIdx[pos] = idx[i];
      }
    } else {
      // the first pass reads the keys where they were made, in position order
      for (let i = 0; i < n; i++) {
        const h = words[2 * i + 1];
        const pos = count[(h >>> shift) & MASK]++;
        toHi[pos] = h;
        toIdx[pos] = i;
      }
    }
    hiSpare = hi;
    idxSpare = idx;
    hi = toHi;
    idx = toIdx;
  }
  if (!hi || !idx) {
    // every key has the same high word (or there are no keys): positions in order, ties settled below
    idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) { idx[i] = i; }
    hi = new Uint32Array(n).fill(n > 0 ? words[1] : 0);
  }
  for (let s = 0; s < n;) {
    let e = s + 1;
    while (e < n && hi[e] === hi[s]) { e++; }
    if (e - s > 1 && hi[s] !== NAN_HI) { settleTies(idx, words, s, e); }
    s = e;
  }
  if (!rows) { return idx; }
  let identity = true;
  for (let i = 0; i < n; i++) { if (rows[i] !== i) { identity = false; break; } }
  if (identity) { return idx; }
  const out = idxSpare ?? new Uint32Array(n);
  for (let i = 0; i < n; i++) { out[i] = rows[idx[i]]; }
  return out;
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
 * Orders sorted[s..e) (positions whose keys have equal high words) by their low words
 * (`words[2 * position]`), stably (positions ascending among equal keys, as the passes kept them):
 * insertion sort, as runs are short; a long run falls back to a comparison sort.
 */
function settleTies(sorted: Uint32Array, words: Uint32Array, s: number, e: number): void {
  let ordered = true;
  for (let i = s + 1; i < e; i++) { if (words[2 * sorted[i - 1]] > words[2 * sorted[i]]) { ordered = false; break; } }
  if (ordered) { return; }
  if (e - s > 64) {
    const run = Array.from(sorted.subarray(s, e));
    run.sort((a, b) => words[2 * a] - words[2 * b] || a - b);
    sorted.set(run, s);
    return;
  }
  for (let i = s + 1; i < e; i++) {
    const p = sorted[i], l = words[2 * p];
    let j = i - 1;
    while (j >= s && words[2 * sorted[j]] > l) { sorted[j + 1] = sorted[j]; j--; }
    sorted[j + 1] = p;
  }
}
