// Distribution drift of one column between two versions, from the profile accumulators of each:
// missing share, distinct, mean, std, quantiles; the Population Stability Index (numbers on the older
// version's deciles, categories on its most frequent values) and the Kolmogorov–Smirnov statistic.
import type { LogicalType } from '../formats/dataset';
import type { RepValue } from '../profile/hashCountTable';
import type { KllSketch } from '../profile/kllSketch';
import type { Moments } from '../profile/moments';
import type { ValueCounter } from '../profile/valueCounter';
import { rankQuantile } from '../profile/rankQuantile';
import { formatInstant } from '../profile/columnResult';
import type { ColumnDrift, ColumnStats, DriftHistogram } from './diffTypes';

/** Shares below this count as this in PSI's logarithm (an empty bin would make PSI infinite). */
export const PSI_FLOOR = 1e-4;
const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];
/** Categories of the older version that get their own PSI bin; the rest share "other". */
const TOP_CATEGORIES = 20;
/** Points at which two sketched CDFs are compared for KS. */
const KS_GRID = 512;

/** What drift reads of a column's accumulated figures (a DriftAccumulator, or a profile's DriftSource). */
export interface DriftSource {
  readonly kind: string;
  readonly type: LogicalType;
  rows: number;
  missing: number;
  values: ValueCounter;
  moments: Moments | null;
  kll: KllSketch | null;
}

/** A column's empirical distribution: exact from its value table while that is exact, else from the KLL sketch. */
export interface Cdf {
  /** Finite values counted. */
  n: number;
  exact: boolean;
  /** Values ≤ x. */
  le(x: number): number;
  /** Inverted-CDF quantile: the smallest value whose cumulative count reaches q·n (a value of the column, for bin edges). */
  quantile(q: number): number;
  /** The quantile as profiles report it: interpolated between the closest ranks (numpy's and pandas' default). */
  reported(q: number): number;
  /** Points where the CDF may jump (every value when exact; a grid of quantiles otherwise). */
  points(): number[];
}

export function cdfOf(acc: DriftSource): Cdf | null {
  const entries = acc.values.entries();
  if (entries && (acc.kind === 'numeric' || acc.kind === 'temporal')) {
    const finite = entries.filter(e => typeof e.value === 'number' && Number.isFinite(e.value));
    finite.sort((x, y) => (x.value as number) - (y.value as number));
    const v = Float64Array.from(finite, e => e.value as number);
    const cum = new Float64Array(finite.length);
    let total = 0;
    finite.forEach((e, i) => { total += e.count; cum[i] = total; });
    if (total === 0) { return null; }
    return {
      n: total,
      exact: true,
      le: x => { const k = upperBound(v, x); return k === 0 ? 0 : cum[k - 1]; },
      quantile: q => { const target = q * total; let lo = 0, hi = cum.length - 1; while (lo < hi) { const m = (lo + hi) >> 1; if (cum[m] >= target) { hi = m; } else { lo = m + 1; } } return v[lo]; },
      reported: q => rankQuantile(v, cum, q) as number,
      points: () => Array.from(v),
    };
  }
  const kll = acc.kll;
  if (!kll || kll.n === 0) { return null; }
  return {
    n: kll.n,
    exact: false,
    le: x => kll.rank(x),
    quantile: q => kll.quantiles([q])[0] as number,
    reported: q => kll.interpolatedQuantiles([q])[0] as number,
    points: () => kll.quantiles(Array.from({ length: KS_GRID }, (_, i) => (i + 0.5) / KS_GRID)) as number[],
  };
}

/** Index of the first value > x in ascending `v`. */
function upperBound(v: Float64Array, x: number): number {
  let lo = 0, hi = v.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (v[m] <= x) { lo = m + 1; } else { hi = m; } }
  return lo;
}

export function columnStats(acc: DriftSource, cdf: Cdf | null): ColumnStats {
  const m = acc.moments?.result();
  const values = acc.values;
  return {
    rows: acc.rows,
    missing: acc.missing,
    missingShare: acc.rows ? acc.missing / acc.rows : 0,
    distinct: !values.exact && values.repeatsEstimate() === 0 ? values.total : values.distinct(),
    distinctApprox: !values.exact,
    mean: m?.mean ?? null,
    std: m?.std ?? null,
    min: m?.min ?? null,
    max: m?.max ?? null,
    quantiles: cdf ? {
      p5: cdf.reported(QUANTILES[0]), p25: cdf.reported(QUANTILES[1]), p50: cdf.reported(QUANTILES[2]),
      p75: cdf.reported(QUANTILES[3]), p95: cdf.reported(QUANTILES[4]),
    } : null,
  };
}

/** PSI over paired shares: Σ (b − a)·ln(b / a), shares floored at PSI_FLOOR. */
export function psi(before: readonly number[], after: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < before.length; i++) {
    const a = Math.max(before[i], PSI_FLOOR), b = Math.max(after[i], PSI_FLOOR);
    s += (b - a) * Math.log(b / a);
  }
  return s;
}

/** sup over x of |F_a(x) − F_b(x)|, evaluated at every point where either CDF may jump. */
export function ksStatistic(a: Cdf, b: Cdf): number {
  let d = 0;
  for (const x of [...a.points(), ...b.points()]) {
    d = Math.max(d, Math.abs(a.le(x) / a.n - b.le(x) / b.n));
  }
  return d;
}

export interface DriftThresholds { psi: number; ks: number }

/** Drift of a column both versions have; `dateOnly` formats temporal bin labels as dates. */
export function columnDrift(a: DriftSource, b: DriftSource, thresholds: DriftThresholds): ColumnDrift {
  const cdfA = cdfOf(a), cdfB = cdfOf(b);
  const numeric = (a.kind === 'numeric' || a.kind === 'temporal') && a.kind === b.kind;
  const before = columnStats(a, cdfA), after = columnStats(b, cdfB);
  let result: { psi: number | null; ks: number | null; histogram: DriftHistogram | null };
  if (numeric) {
    result = numericDrift(a, b, cdfA, cdfB);
  } else {
    result = { ...categoricalDrift(a, b), ks: null };
  }
  const drifted = (result.psi !== null && result.psi >= thresholds.psi) || (result.ks !== null && result.ks >= thresholds.ks);
  return { kind: numeric ? 'numeric' : 'categorical', before, after, psi: result.psi, ks: result.ks, drifted, histogram: result.histogram };
}

function numericDrift(a: DriftSource, b: DriftSource, cdfA: Cdf | null, cdfB: Cdf | null): { psi: number | null; ks: number | null; histogram: DriftHistogram | null } {
  if (!cdfA || !cdfB) { return { psi: null, ks: null, histogram: null }; }
  const edges = [...new Set(DECILES.map(q => cdfA.quantile(q)))].sort((x, y) => x - y);
  const label = (x: number): string => (a.kind === 'temporal' ? formatInstant(x, a.type === 'date') : formatNumber(x));
  const labels: string[] = [];
  const shares = (cdf: Cdf, acc: DriftSource): number[] => {
    const total = cdf.n + acc.missing;
    const out: number[] = [];
    let prev = 0;
    for (const e of edges) { const le = cdf.le(e); out.push((le - prev) / total); prev = le; }
    out.push((cdf.n - prev) / total);
    if (a.missing > 0 || b.missing > 0) { out.push(acc.missing / total); }
    return out;
  };
  edges.forEach((e, i) => labels.push(i === 0 ? `≤ ${label(e)}` : `${label(edges[i - 1])} – ${label(e)}`));
  labels.push(edges.length ? `> ${label(edges[edges.length - 1])}` : 'all');
  if (a.missing > 0 || b.missing > 0) { labels.push('missing'); }
  const before = shares(cdfA, a), after = shares(cdfB, b);
  return { psi: psi(before, after), ks: ksStatistic(cdfA, cdfB), histogram: { labels, before, after } };
}

function categoricalDrift(a: DriftSource, b: DriftSource): { psi: number | null; histogram: DriftHistogram | null } {
  const countsA = categoryCounts(a), countsB = categoryCounts(b);
  const totalA = a.rows, totalB = b.rows;
  if (totalA === 0 || totalB === 0) { return { psi: null, histogram: null }; }
  const top = [...countsA.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, TOP_CATEGORIES).map(([v]) => v);
  const labels = [...top];
  const before = top.map(v => (countsA.get(v) ?? 0) / totalA);
  const after = top.map(v => (countsB.get(v) ?? 0) / totalB);
  const presentA = totalA - a.missing, presentB = totalB - b.missing;
  const otherA = presentA - top.reduce((s, v) => s + (countsA.get(v) ?? 0), 0);
  const otherB = presentB - top.reduce((s, v) => s + (countsB.get(v) ?? 0), 0);
  if (otherA > 0 || otherB > 0) { labels.push('(other)'); before.push(otherA / totalA); after.push(otherB / totalB); }
  if (a.missing > 0 || b.missing > 0) { labels.push('(missing)'); before.push(a.missing / totalA); after.push(b.missing / totalB); }
  return { psi: psi(before, after), histogram: { labels, before, after } };
}

/** Value (as text) → count: every value while the table is exact, else the most frequent ones. */
function categoryCounts(acc: DriftSource): Map<string, number> {
  const list = acc.values.entries() ?? acc.values.top(1000);
  const out = new Map<string, number>();
  const text = (v: RepValue): string => (typeof v === 'number' && acc.kind === 'temporal' ? formatInstant(v, acc.type === 'date') : String(v));
  for (const e of list) { const k = text(e.value); out.set(k, (out.get(k) ?? 0) + e.count); }
  return out;
}

function formatNumber(x: number): string {
  if (Number.isInteger(x)) { return String(x); }
  return String(Number(x.toPrecision(6)));
}
