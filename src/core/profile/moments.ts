// Streaming moments of a numeric column: count, sum, min, max, mean and central moments M2..M4,
// combined batch-wise with Chan's / Pébay's pairwise formulas (exact merges, numerically stable).

export interface MomentsState {
  n: number;
  mean: number;
  m2: number;
  m3: number;
  m4: number;
  min: number;
  max: number;
  sum: number;
  /** Neumaier compensation of `sum`. */
  sumC: number;
}

export interface MomentsResult {
  count: number;
  mean: number | null;
  /** Sample variance (n - 1 denominator), as pandas reports it. */
  variance: number | null;
  std: number | null;
  /** Adjusted Fisher-Pearson skewness (pandas' `skew`). */
  skewness: number | null;
  /** Excess kurtosis, bias-corrected (pandas' `kurt`). */
  kurtosis: number | null;
  min: number | null;
  max: number | null;
  sum: number;
}

export class Moments {
  n = 0;
  mean = 0;
  m2 = 0;
  m3 = 0;
  m4 = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  private sumC = 0;

  add(x: number): void {
    const n1 = this.n;
    const n = n1 + 1;
    const delta = x - this.mean;
    const dn = delta / n;
    const dn2 = dn * dn;
    const t1 = delta * dn * n1;
    this.mean += dn;
    this.m4 += t1 * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * this.m2 - 4 * dn * this.m3;
    this.m3 += t1 * dn * (n - 2) - 3 * dn * this.m2;
    this.m2 += t1;
    this.n = n;
    if (x < this.min) { this.min = x; }
    if (x > this.max) { this.max = x; }
    this.addSum(x);
  }

  /** Adds `values[0..count)`: two passes over the batch (mean, then central sums), then one merge. */
  addMany(values: Float64Array, count: number): void {
    if (count === 0) { return; }
    let s = 0, min = Infinity, max = -Infinity;
    for (let i = 0; i < count; i++) {
      const v = values[i];
      s += v;
      if (v < min) { min = v; }
      if (v > max) { max = v; }
    }
    const mean = s / count;
    let m2 = 0, m3 = 0, m4 = 0;
    for (let i = 0; i < count; i++) {
      const d = values[i] - mean;
      const d2 = d * d;
      m2 += d2;
      m3 += d2 * d;
      m4 += d2 * d2;
    }
    const b = new Moments();
    b.n = count; b.mean = mean; b.m2 = m2; b.m3 = m3; b.m4 = m4; b.min = min; b.max = max; b.sum = s;
    this.merge(b);
  }

  merge(o: Moments): void {
    if (o.n === 0) { return; }
    if (this.n === 0) {
      this.n = o.n; this.mean = o.mean; this.m2 = o.m2; this.m3 = o.m3; this.m4 = o.m4;
      this.min = o.min; this.max = o.max; this.sum = o.sum; this.sumC = o.sumC;
      return;
    }
    const na = this.n, nb = o.n, n = na + nb;
    const d = o.mean - this.mean;
    const dn = d / n;
    const m2 = this.m2 + o.m2 + d * dn * na * nb;
    const m3 = this.m3 + o.m3 + d * dn * dn * na * nb * (na - nb) + 3 * dn * (na * o.m2 - nb * this.m2);
    const m4 = this.m4 + o.m4 + d * dn * dn * dn * na * nb * (na * na - na * nb + nb * nb)
      + 6 * dn * dn * (na * na * o.m2 + nb * nb * this.m2) + 4 * dn * (na * o.m3 - nb * this.m3);
    this.mean += dn * nb;
    this.m2 = m2; this.m3 = m3; this.m4 = m4;
    this.n = n;
    if (o.min < this.min) { this.min = o.min; }
    if (o.max > this.max) { this.max = o.max; }
    this.addSum(o.sum);
    this.sumC += o.sumC;
  }

  private addSum(x: number): void {
    const t = this.sum + x;
    this.sumC += Math.abs(this.sum) >= Math.abs(x) ? (this.sum - t) + x : (x - t) + this.sum;
    this.sum = t;
  }

  result(): MomentsResult {
    const n = this.n;
    if (n === 0) {
      return { count: 0, mean: null, variance: null, std: null, skewness: null, kurtosis: null, min: null, max: null, sum: 0 };
    }
    const variance = n > 1 ? this.m2 / (n - 1) : null;
    let skewness: number | null = null;
    let kurtosis: number | null = null;
    if (n > 2 && this.m2 > 0) {
      const g1 = (this.m3 / n) / Math.pow(this.m2 / n, 1.5);
      skewness = (Math.sqrt(n * (n - 1)) / (n - 2)) * g1;
    }
    if (n > 3 && this.m2 > 0) {
      const g2 = (this.m4 / n) / Math.pow(this.m2 / n, 2) - 3;
      kurtosis = ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3));
    }
    return {
      count: n,
      mean: this.mean,
      variance,
      std: variance === null ? null : Math.sqrt(variance),
      skewness,
      kurtosis,
      min: this.min,
      max: this.max,
      sum: this.sum + this.sumC,
    };
  }

  toState(): MomentsState {
    return { n: this.n, mean: this.mean, m2: this.m2, m3: this.m3, m4: this.m4, min: this.min, max: this.max, sum: this.sum, sumC: this.sumC };
  }

  static fromState(s: MomentsState): Moments {
    const m = new Moments();
    m.n = s.n; m.mean = s.mean; m.m2 = s.m2; m.m3 = s.m3; m.m4 = s.m4; m.min = s.min; m.max = s.max; m.sum = s.sum; m.sumC = s.sumC;
    return m;
  }
}
