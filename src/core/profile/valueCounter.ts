// Distinct values and their frequencies: exact up to a bound, then hash-sampled, with HyperLogLog
// for the distinct count and Misra-Gries for the most frequent values beyond the bound.
//
// Up to `exactBound` distinct values the table holds every value with its exact count (distinct,
// top values, frequencies and exact quantiles all come from it). Past the bound the table keeps
// only values whose hash has its low `level` bits zero (a uniform 1/2^level sample of the distinct
// values, each with its exact count), raising `level` whenever it fills. That sample still shows
// whether values repeat (a key column stays provably duplicate-free in the sample), HyperLogLog
// takes over the distinct count, and Misra-Gries keeps the heavy hitters with counts that are lower
// bounds within `hhError` of the truth.
import { HashCountTable, packedRep, type HashCountTableState, type PackedReps, type RepValue } from './hashCountTable';
import { compareDecimals } from './decimalText';
import { HyperLogLog, type HyperLogLogState } from './hyperLogLog';

export const DEFAULT_EXACT_BOUND = 1 << 16;
const MAX_LEVEL = 16;

export interface HeavyHittersState { table: HashCountTableState; capacity: number; error: number }

/** Misra-Gries frequent items: counts are lower bounds, each at most `error` (≤ n / (capacity + 1)) below the truth. */
export class HeavyHitters {
  table: HashCountTable;
  error = 0;

  constructor(readonly capacity: number, table?: HashCountTable) {
    this.table = table ?? new HashCountTable(capacity * 2, true);
  }

  /**
   * Sheds counters down to `capacity` by subtracting the (capacity+1)-th largest count from all
   * (Misra-Gries' decrement, batched). The table may hold up to 8 × `capacity` between sheds, so
   * a shed (a linear selection) comes at most once per 7 × `capacity` new values.
   */
  shrink(beforeShed?: (d: number) => void): void {
    const t = this.table;
    if (t.size <= this.capacity) { return; }
    const counts = t.counts.slice(0, t.size);
    const d = selectKth(counts, t.size - 1 - this.capacity);
    beforeShed?.(d);
    for (let e = 0; e < t.size; e++) { t.counts[e] -= d; }
    t.retain(e => t.counts[e] > 0);
    this.error += d;
  }

  merge(other: HeavyHitters): void {
    const t = this.table, o = other.table;
    for (let e = 0; e < o.size; e++) {
      const id = t.add(o.lo[e], o.hi[e], o.counts[e]);
      if (t.lastWasNew && t.reps && o.reps) { t.reps[id] = o.reps[e]; }
    }
    this.error += other.error;
    this.shrink();
  }

  toState(): HeavyHittersState { return { table: this.table.toState(), capacity: this.capacity, error: this.error }; }

  static fromState(s: HeavyHittersState): HeavyHitters {
    const h = new HeavyHitters(s.capacity, HashCountTable.fromState(s.table));
    h.error = s.error;
    return h;
  }
}

export interface ValueCounterOptions {
  exactBound?: number;
  /** Misra-Gries counters kept past the bound (0: none, e.g. for continuous numbers). */
  heavyHitters?: number;
}

export interface ValueCounterState {
  table: HashCountTableState;
  level: number;
  total: number;
  exactBound: number;
  hhCapacity: number;
  hll: HyperLogLogState | null;
  hh: HeavyHittersState | null;
}

export interface ValueFrequency { value: RepValue; count: number }

export class ValueCounter {
  table: HashCountTable;
  level = 0;
  total = 0;
  hll: HyperLogLog | null = null;
  hh: HeavyHitters | null = null;
  readonly exactBound: number;
  readonly hhCapacity: number;
  private mask = 0;
  private newTable = -1;
  private newHh = -1;
  private lastLo = 0;
  private lastHi = 0;
  /** Entries whose representative is still to be made (`deferRep`): entry id and row, per table. */
  private pendT: Int32Array = new Int32Array(512);
  private pendTCount = 0;
  private pendH: Int32Array = new Int32Array(512);
  private pendHCount = 0;
  private maker: ((row: number) => RepValue) | null = null;

  constructor(options: ValueCounterOptions = {}) {
    this.exactBound = options.exactBound ?? DEFAULT_EXACT_BOUND;
    this.hhCapacity = options.heavyHitters ?? 0;
    this.table = new HashCountTable(64, true);
  }

  /** Counts one value by its hash; then call `needsRep()`/`setRep()` and always `settle()`. */
  insert(lo: number, hi: number): void {
    this.total++;
    this.newTable = -1;
    this.newHh = -1;
    if (this.hll) { this.hll.add(lo, hi); }
    if (this.hh) {
      const e = this.hh.table.add(lo, hi, 1);
      if (this.hh.table.lastWasNew) { this.newHh = e; }
    }
    if ((hi & this.mask) === 0) {
      const e = this.table.add(lo, hi, 1);
      if (this.table.lastWasNew) { this.newTable = e; }
    }
  }

  /** Whether the value just inserted needs a representative: a new entry of the table (only while exact; past the bound the table's representatives are never shown) or of the heavy hitters. */
  needsRep(): boolean { return (this.newTable >= 0 && this.level === 0) || this.newHh >= 0; }

  setRep(v: RepValue): void {
    if (this.newTable >= 0 && this.level === 0) { (this.table.reps as RepValue[])[this.newTable] = v; }
    if (this.newHh >= 0 && this.hh) { (this.hh.table.reps as RepValue[])[this.newHh] = v; }
  }

  /**
   * Leaves the new entries' representative to be made later from `row` by the maker given to
   * `beginDeferred`, so that values a heavy-hitter shed drops again are never decoded.
   */
  deferRep(row: number): void {
    if (this.newTable >= 0 && this.level === 0) { this.pendTable(this.newTable, row); }
    if (this.newHh >= 0) { this.pendHeavy(this.newHh, row); }
  }

  private pendTable(e: number, row: number): void {
    if (2 * this.pendTCount === this.pendT.length) { this.pendT = grown(this.pendT); }
    this.pendT[2 * this.pendTCount] = e;
    this.pendT[2 * this.pendTCount++ + 1] = row;
  }

  private pendHeavy(e: number, row: number): void {
    if (2 * this.pendHCount === this.pendH.length) { this.pendH = grown(this.pendH); }
    this.pendH[2 * this.pendHCount] = e;
    this.pendH[2 * this.pendHCount++ + 1] = row;
  }

  /**
   * Counts a batch of values at once: value `i` has the hash lanes `lanes[2i]`, `lanes[2i+1]` and is
   * left out when `skip[i] !== 0`; `make(i)` builds a representative when one is needed (deferred,
   * as with `deferRep`). The figures are those of `insert`/`deferRep`/`settle` value by value; the
   * loop only keeps the lanes in typed arrays and the sketches in locals.
   */
  addBatch(lanes: Int32Array, skip: Uint8Array, n: number, make: (row: number) => RepValue): void {
    this.maker = make;
    let table = this.table, hll = this.hll, hh = this.hh, mask = this.mask;
    const bound = this.exactBound;
    let total = this.total;
    for (let i = 0; i < n; i++) {
      if (skip[i] !== 0) { continue; }
      const lo = lanes[2 * i], hi = lanes[2 * i + 1];
      total++;
      if (hll !== null) { hll.add(lo, hi); }
      let newHh = -1;
      if (hh !== null) {
        const e = hh.table.add(lo, hi, 1);
        if (hh.table.lastWasNew) { newHh = e; this.pendHeavy(e, i); }
      }
      if ((hi & mask) === 0) {
        const e = table.add(lo, hi, 1);
        if (table.lastWasNew) {
          if (this.level === 0) { this.pendTable(e, i); }
          if (table.size > bound) {
            this.total = total;
            this.resolveTable();
            this.resolveHh(0);
            this.overflow();
            table = this.table; hll = this.hll; hh = this.hh; mask = this.mask;
          }
        }
      }
      if (newHh >= 0 && hh !== null && hh.table.size > 8 * hh.capacity) { hh.shrink(d => this.resolveHh(d)); }
    }
    this.total = total;
    this.endDeferred();
  }

  /** Starts a batch whose representatives are deferred; `make(row)` builds one while the batch lives. */
  beginDeferred(make: (row: number) => RepValue): void {
    this.maker = make;
  }

  /** Makes the deferred representatives of entries still present (call before the batch's bytes go). */
  endDeferred(): void {
    this.resolveTable();
    this.resolveHh(0);
    this.maker = null;
  }

  private resolveTable(): void {
    const reps = this.table.reps as RepValue[], p = this.pendT, make = this.maker;
    if (make) {
      for (let i = 0; i < 2 * this.pendTCount; i += 2) { if (reps[p[i]] === undefined) { reps[p[i]] = make(p[i + 1]); } }
    }
    this.pendTCount = 0;
  }

  /** Resolves pending heavy-hitter entries whose count exceeds `d` (those surviving a shed by d). */
  private resolveHh(d: number): void {
    const make = this.maker;
    if (this.hh && make) {
      const t = this.hh.table, reps = t.reps as RepValue[], p = this.pendH;
      for (let i = 0; i < 2 * this.pendHCount; i += 2) {
        const e = p[i];
        if (t.counts[e] > d && reps[e] === undefined) { reps[e] = make(p[i + 1]); }
      }
    }
    this.pendHCount = 0;
  }

  settle(): void {
    if (this.newTable >= 0 && this.table.size > this.exactBound) {
      this.resolveTable();
      this.resolveHh(0);
      this.overflow();
    }
    if (this.newHh >= 0 && this.hh && this.hh.table.size > 8 * this.hh.capacity) {
      this.hh.shrink(d => this.resolveHh(d));
    }
    this.newTable = -1;
    this.newHh = -1;
  }

  /** Adds a value whose representative is cheap to have (a number, a short string already decoded). */
  add(lo: number, hi: number, rep: RepValue): void {
    this.insert(lo, hi);
    if (this.newTable >= 0 || this.newHh >= 0) { this.setRep(rep); }
    this.settle();
  }

  get exact(): boolean { return this.level === 0; }

  private startSketches(): void {
    const t = this.table;
    this.hll = new HyperLogLog();
    for (let e = 0; e < t.size; e++) { this.hll.add(t.lo[e], t.hi[e]); }
    if (this.hhCapacity > 0) {
      const hh = new HeavyHitters(this.hhCapacity);
      for (let e = 0; e < t.size; e++) {
        const id = hh.table.add(t.lo[e], t.hi[e], t.counts[e]);
        (hh.table.reps as RepValue[])[id] = (t.reps as RepValue[])[e];
      }
      hh.shrink();
      this.hh = hh;
    }
  }

  private overflow(): void {
    while (this.table.size > this.exactBound && this.level < MAX_LEVEL) {
      if (this.level === 0) { this.startSketches(); }
      this.setLevel(this.level + 1);
    }
  }

  private setLevel(level: number): void {
    this.level = level;
    const mask = (1 << level) - 1;
    this.mask = mask;
    const hi = this.table.hi;
    this.table.retain(e => (hi[e] & mask) === 0);
  }

  merge(other: ValueCounter): void {
    this.mergeState(other.toState());
  }

  /** Adds another counter's figures, straight from its state (no index is built for it). */
  mergeState(o: ValueCounterState): void {
    if (this.level > 0 || o.level > 0) {
      if (this.level === 0) { this.startSketches(); }
      let hll: HyperLogLog;
      if (o.hll) {
        hll = HyperLogLog.fromState(o.hll);
      } else {
        hll = new HyperLogLog();
        for (let e = 0; e < o.table.lo.length; e++) { hll.add(o.table.lo[e], o.table.hi[e]); }
      }
      (this.hll as HyperLogLog).merge(hll);
      if (this.hh) {
        let hh: HeavyHitters;
        if (o.hh) {
          hh = HeavyHitters.fromState(o.hh);
        } else {
          hh = new HeavyHitters(this.hhCapacity, HashCountTable.fromState(o.table));
          hh.shrink();
        }
        this.hh.merge(hh);
      }
    }
    if (o.level > this.level) { this.setLevel(o.level); }
    const mask = this.mask, t = this.table, ot = o.table;
    const oreps = ot.reps as PackedReps;
    for (let e = 0; e < ot.lo.length; e++) {
      if ((ot.hi[e] & mask) !== 0) { continue; }
      const id = t.add(ot.lo[e], ot.hi[e], ot.counts[e]);
      // `t.reps` is read after the add: a growing table replaces the array
      if (t.lastWasNew) { (t.reps as (RepValue | undefined)[])[id] = packedRep(oreps, e); }
    }
    this.total += o.total;
    this.overflow();
  }

  /** Distinct values: exact at level 0, else the HyperLogLog estimate (clamped to what is possible). */
  distinct(): number {
    if (this.level === 0) { return this.table.size; }
    const est = Math.round((this.hll as HyperLogLog).estimate());
    return Math.min(this.total, Math.max(est, this.table.size));
  }

  /** Values seen more than once beyond their first occurrence, in the (sampled) table, scaled up. */
  repeatsEstimate(): number {
    let repeats = 0;
    for (let e = 0; e < this.table.size; e++) { repeats += this.table.counts[e] - 1; }
    return repeats * 2 ** this.level;
  }

  /** Distinct values in the (sampled) table that occur once, scaled up. */
  singletonsEstimate(): number {
    let ones = 0;
    for (let e = 0; e < this.table.size; e++) { if (this.table.counts[e] === 1) { ones++; } }
    return ones * 2 ** this.level;
  }

  /**
   * The most frequent values (exact counts at level 0, Misra-Gries lower bounds beyond), ties by value: by number for
   * `numeric` values (whose representatives are numbers, or text for numbers a double rounds), else by text.
   */
  top(k: number, numeric = false): ValueFrequency[] {
    const t = this.level === 0 ? this.table : this.hh?.table;
    if (!t || k <= 0) { return []; }
    const reps = t.reps as RepValue[];
    const compare = numeric ? compareNumericRep : compareRep;
    const better = (a: number, b: number): boolean => t.counts[a] > t.counts[b] || (t.counts[a] === t.counts[b] && compare(reps[a], reps[b]) < 0);
    // one pass keeping the best k in order: the tables hold up to 65,536 values, k is 10
    const best: number[] = [];
    for (let e = 0; e < t.size; e++) {
      if (best.length === k && !better(e, best[k - 1])) { continue; }
      let i = best.length < k ? best.length : k - 1;
      if (best.length < k) { best.push(e); }
      while (i > 0 && better(e, best[i - 1])) { best[i] = best[i - 1]; i--; }
      best[i] = e;
    }
    return best.map(e => ({ value: reps[e], count: t.counts[e] }));
  }

  /**
   * Numeric values and their counts, ascending, only while exact (for exact quantiles and histograms). Values kept
   * as text (numbers a double rounds) count as their double.
   */
  sortedNumbers(): { values: Float64Array; cum: Float64Array; total: number } | null {
    if (this.level !== 0) { return null; }
    const t = this.table, reps = t.reps as RepValue[];
    const vals = new Float64Array(t.size), weights = new Float64Array(t.size);
    let m = 0;
    for (let e = 0; e < t.size; e++) {
      const rep = reps[e];
      const v = typeof rep === 'string' ? Number(rep) : rep;
      if (Number.isFinite(v)) { vals[m] = v; weights[m] = t.counts[e]; m++; }
    }
    // by value, not by key: 64-bit integers beyond 2^53 may share a double (and -0 is 0). A native sort and a
    // binary search per entry: about twice as fast as counting in a Map for the 65,536 values a table can hold.
    const sorted = vals.slice(0, m).sort();
    let u = 0;
    for (let i = 0; i < m; i++) { if (u === 0 || sorted[i] !== sorted[u - 1]) { sorted[u++] = sorted[i] + 0; } }
    const values = sorted.slice(0, u);
    const cum = new Float64Array(u);
    for (let e = 0; e < m; e++) {
      const v = vals[e];
      let lo = 0, hi = u - 1;
      while (lo < hi) { const mid = (lo + hi) >>> 1; if (values[mid] < v) { lo = mid + 1; } else { hi = mid; } }
      cum[lo] += weights[e];
    }
    let acc = 0;
    for (let i = 0; i < u; i++) { acc += cum[i]; cum[i] = acc; }
    return { values, cum, total: acc };
  }

  /** Every value with its count, only while exact. */
  entries(): ValueFrequency[] | null {
    if (this.level !== 0) { return null; }
    const reps = this.table.reps as RepValue[];
    const out: ValueFrequency[] = [];
    for (let e = 0; e < this.table.size; e++) { out.push({ value: reps[e], count: this.table.counts[e] }); }
    return out;
  }

  toState(): ValueCounterState {
    return {
      table: this.table.toState(),
      level: this.level,
      total: this.total,
      exactBound: this.exactBound,
      hhCapacity: this.hhCapacity,
      hll: this.hll ? this.hll.toState() : null,
      hh: this.hh ? this.hh.toState() : null,
    };
  }

  static fromState(s: ValueCounterState): ValueCounter {
    const v = new ValueCounter({ exactBound: s.exactBound, heavyHitters: s.hhCapacity });
    v.table = HashCountTable.fromState(s.table);
    v.level = s.level;
    v.mask = (1 << s.level) - 1;
    v.total = s.total;
    v.hll = s.hll ? HyperLogLog.fromState(s.hll) : null;
    v.hh = s.hh ? HeavyHitters.fromState(s.hh) : null;
    return v;
  }
}

/** The k-th smallest (0-based) of `a`, reordering `a` (quickselect). */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (lo < hi) {
    const p = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < p) { i++; }
      while (a[j] > p) { j--; }
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) { hi = j; } else if (k >= i) { lo = i; } else { return a[k]; }
  }
  return a[k];
}

function grown(a: Int32Array): Int32Array {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}

function compareNumericRep(a: RepValue, b: RepValue): number {
  if (typeof a === 'number' && typeof b === 'number') { return a - b; }
  const x = Number(a), y = Number(b);
  return x !== y ? (x < y ? -1 : 1) : compareDecimals(String(a), String(b));
}

function compareRep(a: RepValue, b: RepValue): number {
  if (typeof a === 'number' && typeof b === 'number') { return a - b; }
  const sa = String(a), sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
