// Duplicate rows by 64-bit row hashes: exact up to a bound of distinct rows, then a hash sample.
//
// Up to `exactBound` distinct rows every row hash is kept with its count, so the duplicate count is
// exact (up to a 64-bit hash collision, ~n²/2^65). Beyond, only rows whose hash has its low `level`
// bits zero are kept (all copies of a row share a hash, so a duplicated row is either wholly in the
// sample or not): duplicates = (sampled rows − sampled distinct rows) · 2^level, an unbiased estimate.
// The table interleaves (lo, hi, count) per slot so that a lookup touches one cache line.
import { fmix32 } from './hashing';

export const DEFAULT_EXACT_ROWS = 1 << 18;

export interface DuplicateRowsState {
  /** (lo, hi, count) triples of the kept row hashes. */
  entries: Uint32Array;
  level: number;
  rows: number;
  exactBound: number;
}

function nextPow2(n: number): number {
  return 1 << Math.ceil(Math.log2(Math.max(2, n)));
}

export class DuplicateRows {
  private slots: Uint32Array;
  private mask: number;
  private size = 0;
  private sampleMask = 0;
  level = 0;
  rows = 0;

  constructor(readonly exactBound = DEFAULT_EXACT_ROWS) {
    // start mid-sized (768 KB): most of the doublings a large file would go through are skipped
    const cap = Math.min(1 << 16, 2 * nextPow2(exactBound + 1));
    this.slots = new Uint32Array(3 * cap);
    this.mask = cap - 1;
  }

  /** Adds `count` rows whose hashes are `hashes[2i]` (low lane) and `hashes[2i+1]` (high lane). */
  addHashes(hashes: Uint32Array, count: number): void {
    this.rows += count;
    for (let i = 0; i < count; i++) {
      const hi = fmix32(hashes[2 * i + 1] ^ 0x2545f491);
      if ((hi & this.sampleMask) !== 0) { continue; }
      this.insert(fmix32(hashes[2 * i]), hi, 1);
    }
  }

  private insert(lo: number, hi: number, c: number): void {
    const slots = this.slots, mask = this.mask;
    let s = (lo ^ (hi >>> 11)) & mask;
    for (;;) {
      const at = 3 * s;
      if (slots[at + 2] === 0) {
        slots[at] = lo; slots[at + 1] = hi; slots[at + 2] = c;
        this.size++;
        if (this.size > this.exactBound) { this.raiseLevel(this.level + 1); }
        else if (this.size * 2 > mask + 1) { this.rehash(this.sampleMask, (mask + 1) * 2); }
        return;
      }
      if (slots[at] === lo && slots[at + 1] === hi) { slots[at + 2] += c; return; }
      s = (s + 1) & mask;
    }
  }

  /** Rebuilds the table with `capacity` slots, keeping entries whose hi has no bit of `keepMask`. */
  private rehash(keepMask: number, capacity: number): void {
    const old = this.slots;
    this.slots = new Uint32Array(3 * capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] !== 0 && (old[at + 1] & keepMask) === 0) { this.put(old[at], old[at + 1], old[at + 2]); }
    }
  }

  /** Insert without growth checks (the caller sized the table). */
  private put(lo: number, hi: number, c: number): void {
    const slots = this.slots, mask = this.mask;
    let s = (lo ^ (hi >>> 11)) & mask;
    for (;;) {
      const at = 3 * s;
      if (slots[at + 2] === 0) { slots[at] = lo; slots[at + 1] = hi; slots[at + 2] = c; this.size++; return; }
      if (slots[at] === lo && slots[at + 1] === hi) { slots[at + 2] += c; return; }
      s = (s + 1) & mask;
    }
  }

  private raiseLevel(level: number): void {
    this.level = Math.min(24, level);
    this.sampleMask = (1 << this.level) - 1;
    this.rehash(this.sampleMask, this.mask + 1);
    if (this.size > this.exactBound && this.level < 24) { this.raiseLevel(this.level + 1); }
  }

  merge(o: DuplicateRows): void {
    this.mergeState(o.toState());
  }

  /** Adds another counter's rows straight from its state. */
  mergeState(o: DuplicateRowsState): void {
    if (o.level > this.level) { this.raiseLevel(o.level); }
    const es = o.entries;
    for (let at = 0; at < es.length; at += 3) {
      if ((es[at + 1] & this.sampleMask) === 0) { this.insert(es[at], es[at + 1], es[at + 2]); }
    }
    this.rows += o.rows;
  }

  get exact(): boolean { return this.level === 0; }

  /** Rows equal to an earlier row: exact while `exact`, else the scaled sample estimate. */
  duplicates(): number {
    let sampledRows = 0;
    const slots = this.slots;
    for (let at = 2; at < slots.length; at += 3) { sampledRows += slots[at]; }
    return Math.round((sampledRows - this.size) * 2 ** this.level);
  }

  toState(): DuplicateRowsState {
    const entries = new Uint32Array(3 * this.size);
    let w = 0;
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += 3) {
      if (slots[at + 2] !== 0) { entries[w++] = slots[at]; entries[w++] = slots[at + 1]; entries[w++] = slots[at + 2]; }
    }
    return { entries, level: this.level, rows: this.rows, exactBound: this.exactBound };
  }

  static fromState(s: DuplicateRowsState): DuplicateRows {
    const d = new DuplicateRows(s.exactBound);
    d.level = s.level;
    d.sampleMask = (1 << s.level) - 1;
    let cap = 1024;
    while (cap < (s.entries.length / 3) * 2 + 2) { cap *= 2; }
    d.slots = new Uint32Array(3 * cap);
    d.mask = cap - 1;
    for (let i = 0; i < s.entries.length; i += 3) { d.put(s.entries[i], s.entries[i + 1], s.entries[i + 2]); }
    d.rows = s.rows;
    return d;
  }
}
