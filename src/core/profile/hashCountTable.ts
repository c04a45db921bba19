// An open-addressing table from 64-bit hashes to counts, with an optional representative value per entry.
//
// Entries are dense (typed arrays indexed 0..size-1) and the probe index maps hash slots to entries,
// so pruning (sampling, heavy-hitter decrements) is a compaction plus an index rebuild. Lanes are
// kept as int32 (callers may pass either sign): an int32 is a small integer to the engine, so a
// lane passed to or returned from a call is never boxed as a heap number.

export type RepValue = string | number;

export interface HashCountTableState {
  lo: Uint32Array;
  hi: Uint32Array;
  counts: Float64Array;
  reps: PackedReps | null;
}

/**
 * The representative values of a table's entries, packed so that a state crosses threads as a few buffers and one
 * string: an array of 65,536 values per column took longer to clone between threads than to merge.
 */
export interface PackedReps {
  /** Per entry: 0 none, 1 a number (in `nums`), 2 a string (in `text`, ending at `ends[e]`). */
  kinds: Uint8Array;
  nums: Float64Array;
  /** The strings, one after another. */
  text: string;
  /** Per entry: where its string ends in `text` (the previous entry's end when it has none). */
  ends: Uint32Array;
}

export function packReps(reps: readonly (RepValue | undefined)[], n: number): PackedReps {
  const kinds = new Uint8Array(n), nums = new Float64Array(n), ends = new Uint32Array(n);
  const parts: string[] = [];
  let length = 0;
  for (let e = 0; e < n; e++) {
    const v = reps[e];
    if (typeof v === 'number') { kinds[e] = 1; nums[e] = v; }
    else if (typeof v === 'string') { kinds[e] = 2; parts.push(v); length += v.length; }
    ends[e] = length;
  }
  return { kinds, nums, text: parts.join(''), ends };
}

/** Entry `e`'s value in packed reps. */
export function packedRep(p: PackedReps, e: number): RepValue | undefined {
  switch (p.kinds[e]) {
    case 1: return p.nums[e];
    case 2: return p.text.slice(e > 0 ? p.ends[e - 1] : 0, p.ends[e]);
    default: return undefined;
  }
}

export class HashCountTable {
  lo: Int32Array;
  hi: Int32Array;
  counts: Float64Array;
  reps: (RepValue | undefined)[] | null;
  size = 0;
  /** Slot of the entry found or made by the last `add`, and whether it was new. */
  lastWasNew = false;
  private index: Int32Array;
  private mask: number;

  constructor(initialCapacity = 64, withReps = true) {
    const cap = Math.max(16, 1 << Math.ceil(Math.log2(initialCapacity)));
    this.lo = new Int32Array(cap);
    this.hi = new Int32Array(cap);
    this.counts = new Float64Array(cap);
    this.reps = withReps ? denseArray(cap) : null;
    this.index = new Int32Array(cap * 2).fill(-1);
    this.mask = cap * 2 - 1;
  }

  /** Adds `w` to the entry of (lo, hi), making it if absent; returns the entry id. */
  add(lo: number, hi: number, w: number): number {
    lo |= 0; hi |= 0;
    const index = this.index, mask = this.mask, los = this.lo, his = this.hi;
    let s = (lo ^ (hi >>> 7)) & mask;
    for (;;) {
      const e = index[s];
      if (e < 0) { break; }
      if (los[e] === lo && his[e] === hi) {
        this.counts[e] += w;
        this.lastWasNew = false;
        return e;
      }
      s = (s + 1) & mask;
    }
    return this.append(s, lo, hi, w);
  }

  /** Makes a new entry at free probe slot `s` (kept out of `add` so that `add` stays small enough to inline). */
  private append(s: number, lo: number, hi: number, w: number): number {
    if (this.size === this.lo.length) {
      this.grow();
      return this.add(lo, hi, w);
    }
    const e = this.size++;
    this.lo[e] = lo;
    this.hi[e] = hi;
    this.counts[e] = w;
    this.index[s] = e;
    this.lastWasNew = true;
    return e;
  }

  find(lo: number, hi: number): number {
    lo |= 0; hi |= 0;
    const index = this.index, mask = this.mask;
    let s = (lo ^ (hi >>> 7)) & mask;
    for (;;) {
      const e = index[s];
      if (e < 0) { return -1; }
      if (this.lo[e] === lo && this.hi[e] === hi) { return e; }
      s = (s + 1) & mask;
    }
  }

  /** Keeps only the entries for which `keep(entry)` holds, in their order. */
  retain(keep: (e: number) => boolean): void {
    let w = 0;
    for (let e = 0; e < this.size; e++) {
      if (!keep(e)) { continue; }
      if (w !== e) {
        this.lo[w] = this.lo[e];
        this.hi[w] = this.hi[e];
        this.counts[w] = this.counts[e];
        if (this.reps) { this.reps[w] = this.reps[e]; }
      }
      w++;
    }
    // freed entries lose their representative (a new entry finds `undefined` there)
    if (this.reps) { for (let e = w; e < this.size; e++) { this.reps[e] = undefined; } }
    this.size = w;
    this.rebuildIndex();
  }

  private grow(): void {
    const cap = this.lo.length * 2;
    const lo = new Int32Array(cap); lo.set(this.lo);
    const hi = new Int32Array(cap); hi.set(this.hi);
    const counts = new Float64Array(cap); counts.set(this.counts);
    this.lo = lo; this.hi = hi; this.counts = counts;
    // a fresh array copied over (several times cheaper than pushing): read `reps` again after an add
    if (this.reps) {
      const old = this.reps, next = denseArray(cap);
      for (let e = 0; e < this.size; e++) { next[e] = old[e]; }
      this.reps = next;
    }
    this.index = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    this.rebuildIndex();
  }

  private rebuildIndex(): void {
    const index = this.index, mask = this.mask;
    index.fill(-1);
    for (let e = 0; e < this.size; e++) {
      let s = (this.lo[e] ^ (this.hi[e] >>> 7)) & mask;
      while (index[s] >= 0) { s = (s + 1) & mask; }
      index[s] = e;
    }
  }

  toState(): HashCountTableState {
    return {
      lo: new Uint32Array(this.lo.buffer, 0, this.size).slice(),
      hi: new Uint32Array(this.hi.buffer, 0, this.size).slice(),
      counts: this.counts.slice(0, this.size),
      reps: this.reps ? packReps(this.reps, this.size) : null,
    };
  }

  static fromState(state: HashCountTableState): HashCountTable {
    const t = new HashCountTable(Math.max(16, state.lo.length), state.reps !== null);
    for (let e = 0; e < state.lo.length; e++) {
      const id = t.add(state.lo[e], state.hi[e], state.counts[e]);
      if (t.reps && state.reps) { t.reps[id] = packedRep(state.reps, e); }
    }
    return t;
  }
}

/**
 * `n` undefined slots with fast (not dictionary) elements, sized to the capacity up front and never
 * truncated, so that `add` needs no push.
 */
function denseArray(n: number): (RepValue | undefined)[] {
  return new Array<RepValue | undefined>(n).fill(undefined);
}
