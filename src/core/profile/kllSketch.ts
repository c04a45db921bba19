// KLL quantile sketch (Karnin, Lang, Liberty 2016): bounded memory, mergeable, with a rank-error guarantee.
//
// Why KLL: its error is stated in rank (the returned p-quantile has a true rank within ±ε·n of p·n),
// which is what a profile's quantiles and IQR-outlier estimates need, the bound holds for any input
// order and distribution, and merging two sketches is as accurate as sketching the union. t-digest
// is more precise in the far tails but has no such bound; DDSketch bounds relative value error,
// which means little for values near zero.
//
// Compactors with capacities k·(2/3)^depth (the reference design); an item at level h stands for
// 2^h values. As in the paper's full algorithm, levels whose capacity would fall below 32 are
// replaced by a sampler (one value drawn uniformly from each block of 2^base values), which keeps
// the cost per value near constant: sorting is what compaction costs, and the sampler feeds the
// compactors 2^base times fewer values. With k = 400 the sketch holds about 1,200 numbers (~10 KB);
// the tests check the rank error on 100k values against ε ≈ 2.296 / k^0.9723 ≈ 0.68%, the bound
// DataSketches publishes for the same k at 99% confidence.
import { rankQuantile } from './rankQuantile';

export const KLL_DEFAULT_K = 400;
/** The documented normalized rank error for the default k (99% confidence). */
export const KLL_RANK_ERROR = kllRankError(KLL_DEFAULT_K);

export function kllRankError(k: number): number {
  return 2.296 / Math.pow(k, 0.9723);
}

export interface KllState {
  k: number;
  n: number;
  seed: number;
  /** Items per level (level h weighs 2^h); levels below `base` are empty. */
  levels: Float64Array[];
}

const C = 2 / 3;
const MIN_WIDTH = 32;

export class KllSketch {
  readonly k: number;
  n = 0;
  private levels: Float64Array[] = [];
  private lens: number[] = [];
  private size = 0;
  private maxSize = 0;
  private seed: number;
  /** Sampler: values enter at level `base`, one per block of 2^base. */
  private base = 0;
  private blockPos = 0;
  private pick = 0;
  private candidate = 0;

  constructor(k = KLL_DEFAULT_K, seed = 0x2545f491) {
    this.k = k;
    this.seed = seed >>> 0 || 1;
    this.grow();
  }

  private caps: number[] = [];

  private capacity(h: number): number {
    return this.caps[h];
  }

  private grow(): void {
    this.levels.push(new Float64Array(16));
    this.lens.push(0);
    const H = this.levels.length;
    this.caps = this.levels.map((_, h) => Math.ceil(Math.pow(C, H - h - 1) * this.k) + 1);
    let base = 0;
    while (base < this.levels.length - 1 && this.capacity(base) < MIN_WIDTH) { base++; }
    let total = 0;
    for (let h = base; h < this.levels.length; h++) { total += this.capacity(h); }
    this.maxSize = total;
    while (this.base < base) {
      this.promoteAll(this.base);
      this.base++;
      this.blockPos = 0;
      this.pick = this.randomBelow(2 ** this.base);
    }
  }

  private ensure(h: number, extra: number): void {
    const need = this.lens[h] + extra;
    if (need <= this.levels[h].length) { return; }
    let cap = this.levels[h].length * 2;
    while (cap < need) { cap *= 2; }
    const next = new Float64Array(cap);
    next.set(this.levels[h].subarray(0, this.lens[h]));
    this.levels[h] = next;
  }

  private random32(): number {
    let x = this.seed;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  private randomBelow(m: number): number {
    return m <= 1 ? 0 : this.random32() % m;
  }

  private push(h: number, x: number): void {
    this.ensure(h, 1);
    this.levels[h][this.lens[h]++] = x;
    this.size++;
    if (this.size >= this.maxSize) { this.compress(); }
  }

  add(x: number): void {
    this.n++;
    if (this.base === 0) { this.push(0, x); return; }
    if (this.blockPos === this.pick) { this.candidate = x; }
    if (++this.blockPos === 2 ** this.base) {
      this.blockPos = 0;
      this.pick = this.randomBelow(2 ** this.base);
      this.push(this.base, this.candidate);
    }
  }

  /** Adds `values[0..count)`. */
  addMany(values: Float64Array, count: number): void {
    let i = 0;
    while (i < count) {
      if (this.base === 0) {
        const take = Math.min(Math.max(1, this.maxSize - this.size), count - i);
        this.ensure(0, take);
        this.levels[0].set(values.subarray(i, i + take), this.lens[0]);
        this.lens[0] += take;
        this.size += take;
        this.n += take;
        i += take;
        if (this.size >= this.maxSize) { this.compress(); }
        continue;
      }
      const block = 2 ** this.base;
      const need = block - this.blockPos;
      if (count - i >= need) {
        if (this.pick >= this.blockPos) { this.candidate = values[i + this.pick - this.blockPos]; }
        i += need;
        this.n += need;
        this.blockPos = 0;
        this.pick = this.randomBelow(block);
        this.push(this.base, this.candidate);
      } else {
        const rest = count - i;
        if (this.pick >= this.blockPos && this.pick < this.blockPos + rest) { this.candidate = values[i + this.pick - this.blockPos]; }
        this.blockPos += rest;
        this.n += rest;
        i = count;
      }
    }
  }

  /** Sorts level h and moves every other item up (random offset); an odd one out stays. */
  private compactLevel(h: number): void {
    if (h + 1 >= this.levels.length) { this.grow(); }
    const len = this.lens[h];
    const level = this.levels[h].subarray(0, len);
    sortFloat64(level, 0, len);
    const pairs = len >> 1;
    const offset = this.random32() & 1;
    this.ensure(h + 1, pairs);
    const up = this.levels[h + 1];
    let u = this.lens[h + 1];
    for (let p = 0; p < pairs; p++) { up[u++] = level[2 * p + offset]; }
    this.lens[h + 1] = u;
    if (len & 1) { this.levels[h][0] = level[len - 1]; this.lens[h] = 1; } else { this.lens[h] = 0; }
    this.size -= pairs;
  }

  /** Empties level h into h+1 (when the sampler takes over h): the odd item out goes up with probability 1/2. */
  private promoteAll(h: number): void {
    const odd = this.lens[h] & 1;
    const last = odd ? this.levels[h][this.lens[h] - 1] : 0;
    if (odd) { this.lens[h]--; this.size--; }
    if (this.lens[h] > 0) { this.compactLevel(h); }
    if (odd && (this.random32() & 1)) {
      this.ensure(h + 1, 1);
      this.levels[h + 1][this.lens[h + 1]++] = last;
      this.size++;
    }
  }

  private compress(): void {
    for (let h = this.base; h < this.levels.length; h++) {
      if (this.lens[h] < this.capacity(h)) { continue; }
      this.compactLevel(h);
      if (this.size < this.maxSize) { break; }
    }
  }

  merge(other: KllSketch): void {
    while (this.levels.length < other.levels.length) { this.grow(); }
    let src = other;
    if (other.base < this.base) {
      src = KllSketch.fromState(other.toState());
      while (src.levels.length < this.levels.length) { src.grow(); }
    }
    for (let h = this.base; h < src.levels.length; h++) {
      const len = src.lens[h];
      this.ensure(h, len);
      this.levels[h].set(src.levels[h].subarray(0, len), this.lens[h]);
      this.lens[h] += len;
      this.size += len;
    }
    this.n += other.n;
    while (this.size >= this.maxSize) {
      const before = this.size;
      this.compress();
      if (this.size === before) { break; }
    }
  }

  /** The retained items sorted by value, with cumulative weights. */
  private sorted(): { values: Float64Array; cum: Float64Array } {
    const vals: number[] = [];
    const ws: number[] = [];
    for (let h = 0; h < this.levels.length; h++) {
      const w = 2 ** h;
      for (let i = 0; i < this.lens[h]; i++) { vals.push(this.levels[h][i]); ws.push(w); }
    }
    const order = vals.map((_, i) => i).sort((a, b) => vals[a] - vals[b]);
    const values = new Float64Array(order.length);
    const cum = new Float64Array(order.length);
    let acc = 0;
    order.forEach((o, i) => { values[i] = vals[o]; acc += ws[o]; cum[i] = acc; });
    return { values, cum };
  }

  /** Inverted-CDF quantiles: for each q, the smallest retained value whose cumulative weight ≥ q·total. */
  quantiles(qs: readonly number[]): (number | null)[] {
    const { values, cum } = this.sorted();
    if (values.length === 0) { return qs.map(() => null); }
    const total = cum[cum.length - 1];
    return qs.map(q => {
      const target = q * total;
      let lo = 0, hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid] >= target) { hi = mid; } else { lo = mid + 1; }
      }
      return values[lo];
    });
  }

  /** Quantiles interpolated between the closest ranks (see `rankQuantile`), each retained item counting its weight. */
  interpolatedQuantiles(qs: readonly number[]): (number | null)[] {
    const { values, cum } = this.sorted();
    return qs.map(q => rankQuantile(values, cum, q));
  }

  /** Estimated number of values ≤ x (or < x when `strict`), scaled to n. */
  rank(x: number, strict = false): number {
    let acc = 0, total = 0;
    for (let h = 0; h < this.levels.length; h++) {
      const w = 2 ** h;
      const level = this.levels[h];
      for (let i = 0; i < this.lens[h]; i++) {
        total += w;
        const v = level[i];
        if (strict ? v < x : v <= x) { acc += w; }
      }
    }
    return total === 0 ? 0 : (acc / total) * this.n;
  }

  /** Counts per bin of `edges` (bins [e_i, e_i+1), the last one closed), estimated from the sketch. */
  histogram(edges: readonly number[]): number[] {
    const counts: number[] = [];
    let prev = 0;
    for (let i = 1; i < edges.length; i++) {
      const r = i === edges.length - 1 ? this.n : this.rank(edges[i], true);
      counts.push(Math.max(0, Math.round(r - prev)));
      prev = Math.max(prev, r);
    }
    return counts;
  }

  retained(): number { return this.size; }

  toState(): KllState {
    return { k: this.k, n: this.n, seed: this.seed, levels: this.levels.map((l, h) => l.slice(0, this.lens[h])) };
  }

  static fromState(s: KllState): KllSketch {
    const sk = new KllSketch(s.k, s.seed);
    while (sk.levels.length < s.levels.length) { sk.grow(); }
    for (let h = 0; h < s.levels.length; h++) {
      sk.ensure(h, s.levels[h].length);
      sk.levels[h].set(s.levels[h]);
      sk.lens[h] = s.levels[h].length;
      sk.size += s.levels[h].length;
    }
    sk.n = s.n;
    return sk;
  }
}

/** In-place ascending sort of a[lo, hi) (quicksort, median of three, insertion sort for short runs). */
export function sortFloat64(a: Float64Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >> 1;
    let x = a[lo], y = a[mid];
    const z = a[hi - 1];
    if (x > y) { const t = x; x = y; y = t; }
    if (y > z) { y = z; if (x > y) { y = x; } }
    const p = y;
    let i = lo, j = hi - 1;
    for (;;) {
      while (a[i] < p) { i++; }
      while (a[j] > p) { j--; }
      if (i >= j) { break; }
      const t = a[i]; a[i] = a[j]; a[j] = t;
      i++; j--;
    }
    if (j + 1 - lo < hi - j - 1) { sortFloat64(a, lo, j + 1); lo = j + 1; } else { sortFloat64(a, j + 1, hi); hi = j + 1; }
  }
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}
