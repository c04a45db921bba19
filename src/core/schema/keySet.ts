// Memory-bounded "seen before?" sets for unique, primary-key and foreign-key checks over files of any size.
//
// Values are not kept, only a 64-bit hash of each (two independent 32-bit lanes) and the row it came from:
// 12 bytes per distinct value in open-addressing tables split into 256 segments, so that growing one
// segment never needs a second copy of the whole table. Collision risk: two different values share a hash
// with probability about n²/2^65 over n distinct values, about 3e-8 for a million values and 3e-4 for
// 100 million; a collision shows up as one false duplicate (a unique-error that is not real), never as a
// missed duplicate. Integers that arrive in ascending runs (1, 2, 3, ...: the common id column) are kept
// as runs, costing nothing per value.

const EMPTY = 0;
const SEGMENTS = 256;
const MAX_LOAD = 0.7;
const MAX_RUNS = 1 << 16;

class Segment {
  lo: Uint32Array;
  hi: Uint32Array;
  /** row + 1; 0 marks an empty slot. */
  rows: Uint32Array;
  size = 0;
  mask: number;

  constructor(capacity: number) {
    this.lo = new Uint32Array(capacity);
    this.hi = new Uint32Array(capacity);
    this.rows = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }
}

/** Bytes that several key sets draw from, so that a whole validation run stays within one bound. */
export class KeyBudget {
  constructor(public remaining: number) {}
}

/** A KeySet as plain data (typed arrays: transferable between threads), to merge the sets of two parts of a table. */
export interface KeySetState {
  runStart: Float64Array;
  runEnd: Float64Array;
  runRow: Float64Array;
  /** The non-empty hash segments: lanes and row + 1 (0: empty slot). */
  segments: { lo: Uint32Array; hi: Uint32Array; rows: Uint32Array }[];
  full: boolean;
}

/** Result of `add`: the earlier row holding the same value, or -1 when the value is new. */
export type SeenRow = number;

export class KeySet {
  private readonly segments: (Segment | null)[] = new Array<Segment | null>(SEGMENTS).fill(null);
  private bytes = 0;
  /** Ascending integer runs: [start, end] values and the row of `start`. */
  private runStart: number[] = [];
  private runEnd: number[] = [];
  private runRow: number[] = [];
  private lastRow = -2;
  /** True once the memory budget stopped the set from taking new values (later checks may miss duplicates). */
  full = false;

  private readonly budget: KeyBudget;

  /** `budget`: bytes this set may use, or a budget shared with other sets (default 256 MiB of its own). */
  constructor(budget: number | KeyBudget = 256 * 1024 * 1024) {
    this.budget = typeof budget === 'number' ? new KeyBudget(budget) : budget;
  }

  /** Bytes held by the hash tables. */
  get byteSize(): number { return this.bytes; }

  /** Adds a string value; returns the row where it was first seen, or -1 when new. */
  addString(s: string, row: number): SeenRow {
    hashString(s);
    return this.addHash(lane1, lane2, row);
  }

  /** Adds a number (integers take the run fast path). */
  addNumber(n: number, row: number): SeenRow {
    if (Number.isSafeInteger(n)) { return this.addInteger(n, row); }
    hashNumber(n);
    return this.addHash(lane1, lane2, row);
  }

  private addInteger(v: number, row: number): SeenRow {
    const runs = this.runEnd.length;
    const last = runs - 1;
    // in an existing run?
    if (runs > 0 && v <= this.runEnd[last]) {
      const k = findRun(this.runStart, v);
      if (k >= 0 && v <= this.runEnd[k]) { return this.runRow[k] + (v - this.runStart[k]); }
    }
    hashNumber(v);
    const h1 = lane1, h2 = lane2;
    if (runs > 0 && v === this.runEnd[last] + 1 && row === this.lastRow + 1) {
      // extending the last run: the value may still sit in the hash table from an out-of-order arrival
      const seen = this.findHash(h1, h2);
      if (seen >= 0) { return seen; }
      this.runEnd[last] = v;
      this.lastRow = row;
      return -1;
    }
    if ((runs === 0 || v > this.runEnd[last] + 1) && runs < MAX_RUNS) {
      const seen = this.findHash(h1, h2);
      if (seen >= 0) { return seen; }
      this.runStart.push(v);
      this.runEnd.push(v);
      this.runRow.push(row);
      this.lastRow = row;
      return -1;
    }
    return this.addHash(h1, h2, row);
  }

  private findHash(h1: number, h2: number): SeenRow {
    const seg = this.segments[h2 >>> 24];
    if (!seg) { return -1; }
    let i = h1 & seg.mask;
    for (;;) {
      const r = seg.rows[i];
      if (r === EMPTY) { return -1; }
      if (seg.lo[i] === h1 && seg.hi[i] === h2) { return r - 1; }
      i = (i + 1) & seg.mask;
    }
  }

  private addHash(h1: number, h2: number, row: number): SeenRow {
    const s = h2 >>> 24;
    let seg = this.segments[s];
    if (!seg) {
      if (this.full) { return -1; }
      if (this.budget.remaining < 64 * 12) { this.full = true; return -1; }
      seg = this.segments[s] = new Segment(64);
      this.bytes += 64 * 12;
      this.budget.remaining -= 64 * 12;
    }
    let i = h1 & seg.mask;
    for (;;) {
      const r = seg.rows[i];
      if (r === EMPTY) { break; }
      if (seg.lo[i] === h1 && seg.hi[i] === h2) { return r - 1; }
      i = (i + 1) & seg.mask;
    }
    if (this.full) { return -1; }
    seg.lo[i] = h1;
    seg.hi[i] = h2;
    seg.rows[i] = row + 1;
    seg.size++;
    if (seg.size > seg.mask * MAX_LOAD) { this.grow(s, seg); }
    return -1;
  }

  private grow(s: number, seg: Segment): void {
    const capacity = (seg.mask + 1) * 2;
    if (capacity * 6 > this.budget.remaining) { this.full = true; return; }
    const next = new Segment(capacity);
    for (let i = 0; i <= seg.mask; i++) {
      const r = seg.rows[i];
      if (r === EMPTY) { continue; }
      let j = seg.lo[i] & next.mask;
      while (next.rows[j] !== EMPTY) { j = (j + 1) & next.mask; }
      next.lo[j] = seg.lo[i];
      next.hi[j] = seg.hi[i];
      next.rows[j] = r;
    }
    next.size = seg.size;
    this.segments[s] = next;
    this.bytes += capacity * 6;
    this.budget.remaining -= capacity * 6;
  }

  /** Gives its memory back to the budget (the set must not be used afterwards). */
  release(): void {
    this.budget.remaining += this.bytes;
    this.bytes = 0;
    this.segments.fill(null);
    this.full = true;
  }

  /** The set as plain data (the set must not be used afterwards: its tables are handed over, not copied). */
  exportState(): KeySetState {
    const segments: KeySetState['segments'] = [];
    for (const seg of this.segments) { if (seg && seg.size > 0) { segments.push({ lo: seg.lo, hi: seg.hi, rows: seg.rows }); } }
    return {
      runStart: Float64Array.from(this.runStart), runEnd: Float64Array.from(this.runEnd), runRow: Float64Array.from(this.runRow),
      segments, full: this.full,
    };
  }

  /** True when the value is present (no insert): for foreign-key lookups. */
  hasString(s: string): boolean {
    hashString(s);
    return this.findHash(lane1, lane2) >= 0;
  }

  hasNumber(n: number): boolean {
    if (Number.isSafeInteger(n) && this.runEnd.length > 0) {
      const k = findRun(this.runStart, n);
      if (k >= 0 && n <= this.runEnd[k]) { return true; }
    }
    hashNumber(n);
    return this.findHash(lane1, lane2) >= 0;
  }
}

type SegmentState = KeySetState['segments'][number];

/** The row of the segment's entry for hash (h1, h2), or -1. */
function findInSegment(seg: SegmentState, h1: number, h2: number): number {
  const mask = seg.rows.length - 1;
  let i = h1 & mask;
  for (;;) {
    const r = seg.rows[i];
    if (r === EMPTY) { return -1; }
    if (seg.lo[i] === h1 && seg.hi[i] === h2) { return r - 1; }
    i = (i + 1) & mask;
  }
}

/** Segments by the top byte of h2, which chose them. */
function hashIndex(state: KeySetState): Map<number, SegmentState> {
  const out = new Map<number, SegmentState>();
  for (const seg of state.segments) {
    for (let i = 0; i < seg.rows.length; i++) { if (seg.rows[i] !== EMPTY) { out.set(seg.hi[i] >>> 24, seg); break; } }
  }
  return out;
}

/** The row of an earlier part holding a later part's integer value v, or -1. */
function findInteger(earlier: KeySetState, bySegment: Map<number, SegmentState>, v: number): number {
  const k = findRunTyped(earlier.runStart, v);
  if (k >= 0 && v <= earlier.runEnd[k]) { return earlier.runRow[k] + (v - earlier.runStart[k]); }
  if (bySegment.size === 0) { return -1; }
  hashNumber(v);
  const seg = bySegment.get(lane2 >>> 24);
  return seg ? findInSegment(seg, lane1, lane2) : -1;
}

/**
 * Values of a later part of a table already seen in an earlier part (both sets as exported): calls
 * `visit(laterRow, earlierRow)` for the first row of each such value in the later part. Each value sits
 * in one place of a set (a run or the hash table), so each is visited once.
 */
export function crossDuplicates(earlier: KeySetState, later: KeySetState, visit: (laterRow: number, earlierRow: number) => void): void {
  const earlierHashes = hashIndex(earlier);
  const laterHashes = hashIndex(later);
  // later runs against everything earlier
  for (let k = 0; k < later.runStart.length; k++) {
    const s = later.runStart[k], e = later.runEnd[k], row = later.runRow[k];
    if (earlierHashes.size === 0) {
      // runs only: intersect the intervals instead of walking the values
      for (let j = 0; j < earlier.runStart.length; j++) {
        const a = Math.max(s, earlier.runStart[j]), b = Math.min(e, earlier.runEnd[j]);
        for (let v = a; v <= b; v++) { visit(row + (v - s), earlier.runRow[j] + (v - earlier.runStart[j])); }
      }
      continue;
    }
    for (let v = s; v <= e; v++) {
      const first = findInteger(earlier, earlierHashes, v);
      if (first >= 0) { visit(row + (v - s), first); }
    }
  }
  if (laterHashes.size === 0) { return; }
  // earlier runs against the later hash table (the values of hashed entries are not kept, so look from the runs)
  for (let k = 0; k < earlier.runStart.length; k++) {
    const s = earlier.runStart[k], e = earlier.runEnd[k], row = earlier.runRow[k];
    for (let v = s; v <= e; v++) {
      hashNumber(v);
      const seg = laterHashes.get(lane2 >>> 24);
      if (!seg) { continue; }
      const r = findInSegment(seg, lane1, lane2);
      if (r >= 0) { visit(r, row + (v - s)); }
    }
  }
  // later hashes against earlier hashes
  if (earlierHashes.size === 0) { return; }
  for (const seg of later.segments) {
    for (let i = 0; i < seg.rows.length; i++) {
      const r = seg.rows[i];
      if (r === EMPTY) { continue; }
      const other = earlierHashes.get(seg.hi[i] >>> 24);
      if (!other) { continue; }
      const first = findInSegment(other, seg.lo[i], seg.hi[i]);
      if (first >= 0) { visit(r - 1, first); }
    }
  }
}

/** Index of the last run starting at or before v, or -1 (typed-array runs). */
function findRunTyped(starts: Float64Array, v: number): number {
  let lo = 0, hi = starts.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= v) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
  }
  return found;
}

/** Index of the last run starting at or before v, or -1. */
function findRun(starts: number[], v: number): number {
  let lo = 0, hi = starts.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= v) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
  }
  return found;
}

// The last hash, as two lanes: module state so that the hot path allocates nothing.
let lane1 = 0;
let lane2 = 0;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(s: string): void {
  let h1 = 0x9747b28c ^ s.length;
  let h2 = 0x3c6ef372 ^ Math.imul(s.length, 0x85ebca6b);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul((h2 << 5) | (h2 >>> 27), 0x1b873593) ^ c;
  }
  lane1 = fmix(h1);
  lane2 = fmix(h2 ^ h1);
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function hashNumber(n: number): void {
  f64[0] = n === 0 ? 0 : n; // -0 and 0 are one value
  const a = u32[0], b = u32[1];
  lane1 = fmix(a ^ Math.imul(b, 0xcc9e2d51) ^ 0x5bd1e995);
  lane2 = fmix((b ^ Math.imul(a, 0x9e3779b1)) + 0x7f4a7c15);
}

/** Joins the parts of a composite key into one string (NUL cannot appear in the keys' text forms). */
export function compositeKey(parts: readonly string[]): string {
  return parts.length === 1 ? parts[0] : parts.join('\u0000');
}
