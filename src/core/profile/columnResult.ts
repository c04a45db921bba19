// Turns a column's accumulated state into its `ColumnProfile`: quantiles, histogram and outliers
// (exact from the value table while it is exact, else from the KLL sketch), text and date figures,
// and ydata-profiling-style alerts.
import { isoDate, isoDateTime, isoTime, localDateTime } from '../formats/cellValue';
import type { ColumnAccumulator } from './columnAccumulator';
import { compareDecimals } from './decimalText';
import type { RepValue } from './hashCountTable';
import { hashHigh, hashNumber } from './hashing';
import { rankQuantile } from './rankQuantile';
import type { ColumnProfile, DateProfile, NumberProfile, ProfileAlert, Quantiles, StringProfile } from './profileTypes';
import type { ValueFrequency } from './valueCounter';

/** A column's distinct finite values ascending (`v`), cumulative counts (`c`) and their total (`n`). */
interface ExactSorted { v: Float64Array; c: Float64Array; n: number }

export const QUANTILE_POINTS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;
const TOP = 10;
const MAX_BINS = 20;
/** ydata-profiling's thresholds: shares above 1% raise MISSING/ZEROS/INFINITE; |skew| > 20; > 50 categories. */
const SHARE_ALERT = 0.01;
const SKEW_ALERT = 20;
const CARDINALITY_ALERT = 50;
const IMBALANCE_ALERT = 0.5;

export function columnResult(acc: ColumnAccumulator): ColumnProfile {
  const count = acc.rows - acc.missing;
  const values = acc.values;
  let distinct = values.distinct();
  const exact = values.exact;
  // Past the bound, a sampled value table with no repeat at all is far stronger evidence of a key
  // than HyperLogLog's ±0.8%: report every value as distinct then (still flagged approximate).
  if (!exact && values.repeatsEstimate() === 0) { distinct = values.total; }
  const unique = exact ? values.singletonsEstimate() : Math.min(distinct, values.singletonsEstimate());
  const format = (v: RepValue): string => formatRep(v, acc);
  // Misra-Gries keeps arbitrary survivors among rare values: show only values seen at least twice.
  const top = values.top(TOP, acc.kind === 'numeric').filter(f => exact || f.count >= 2).map(f => ({ value: format(f.value), count: f.count }));

  const profile: ColumnProfile = {
    field: acc.field,
    name: acc.name,
    type: acc.type,
    inferredType: acc.type,
    count,
    missing: acc.missing,
    distinct,
    distinctApprox: !exact,
    unique,
    typeConsistency: acc.kind === 'text' || count === 0 ? null : (count - acc.invalid) / count,
    invalid: acc.invalid,
    invalidExamples: acc.invalidExamples.slice(),
    top,
    topApprox: !exact,
    memoryBytes: acc.memoryBytes,
    alerts: [],
  };
  if (acc.kind === 'numeric') { profile.number = numberProfile(acc); }
  if (acc.kind === 'temporal') { profile.date = dateProfile(acc); }
  if (acc.kind === 'text') { profile.string = stringProfile(acc); }
  profile.alerts = columnAlerts(profile, acc, values.exact && values.table.size <= CARDINALITY_ALERT ? values.entries() : null);
  return profile;
}

function formatRep(v: RepValue, acc: ColumnAccumulator): string {
  if (typeof v === 'string') { return v; }
  if (acc.kind === 'temporal') { return formatInstant(v, acc.type === 'date', isWallClock(acc)); }
  if (acc.type === 'time') { return isoTime(v) ?? String(v); }
  return String(v);
}

/**
 * Epoch ms as ISO-8601: `YYYY-MM-DD` for dates; for datetimes `...T...Z` with microseconds when present, or without
 * the `Z` for wall-clock times (`local`).
 */
export function formatInstant(ms: number, dateOnly: boolean, local = false): string {
  const iso = dateOnly ? isoDate(ms) : local ? localDateTime(ms) : isoDateTime(ms);
  return iso ?? String(ms);
}

/**
 * Whether a datetime column holds wall-clock times: the field says so (Parquet, Arrow), or no text value had a zone.
 * Text with zones is read as instants, and so is a column mixing both (its zone-less values read as UTC).
 */
function isWallClock(acc: ColumnAccumulator): boolean {
  if (acc.type !== 'datetime') { return false; }
  const values = acc.rows - acc.missing - acc.invalid;
  return acc.wallClock || (values > 0 && acc.zoneless === values);
}

/** Values < x (strict) or ≤ x in exact sorted counts. */
function exactRank(s: ExactSorted, x: number, strict: boolean): number {
  let lo = 0, hi = s.v.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (strict ? s.v[mid] < x : s.v[mid] <= x) { lo = mid + 1; } else { hi = mid; }
  }
  return lo === 0 ? 0 : s.c[lo - 1];
}

export function histogramEdges(min: number, max: number, integral: boolean): number[] {
  if (min === max) { return [min, max]; }
  if (integral && max - min + 1 <= MAX_BINS) {
    const edges: number[] = [];
    for (let v = min; v <= max + 1; v++) { edges.push(v); }
    return edges;
  }
  const edges: number[] = [];
  const width = (max - min) / MAX_BINS;
  for (let i = 0; i < MAX_BINS; i++) { edges.push(min + i * width); }
  edges.push(max);
  return edges;
}

function numberProfile(acc: ColumnAccumulator): NumberProfile {
  const m = acc.moments!.result();
  const exact = acc.values.sortedNumbers();
  const sorted: ExactSorted | null = exact && { v: exact.values, c: exact.cum, n: exact.total };
  const kll = acc.kll!;
  const qs = sorted ? QUANTILE_POINTS.map(q => rankQuantile(sorted.v, sorted.c, q)) : kll.interpolatedQuantiles(QUANTILE_POINTS);
  const quantiles: Quantiles = { p1: qs[0], p5: qs[1], p25: qs[2], p50: qs[3], p75: qs[4], p95: qs[5], p99: qs[6] };
  const n = m.count;
  let histogram: NumberProfile['histogram'] = { edges: [], counts: [], approx: false };
  let outliers: NumberProfile['outliers'] = { count: 0, lower: null, upper: null, approx: false };
  if (n > 0 && m.min !== null && m.max !== null) {
    const integral = acc.type === 'integer' || (Number.isInteger(m.min) && Number.isInteger(m.max) && sorted !== null && sorted.v.every(Number.isInteger));
    const edges = histogramEdges(m.min, m.max, integral);
    let counts: number[];
    if (sorted) {
      counts = [];
      let prev = 0;
      for (let i = 1; i < edges.length; i++) {
        const r = i === edges.length - 1 ? sorted.n : exactRank(sorted, edges[i], true);
        counts.push(r - prev);
        prev = r;
      }
    } else {
      counts = kll.histogram(edges);
    }
    histogram = { edges, counts, approx: !sorted };
    const q1 = quantiles.p25, q3 = quantiles.p75;
    if (q1 !== null && q3 !== null) {
      const iqr = q3 - q1;
      const lower = q1 - 1.5 * iqr, upper = q3 + 1.5 * iqr;
      const below = sorted ? exactRank(sorted, lower, true) : kll.rank(lower, true);
      const above = sorted ? sorted.n - exactRank(sorted, upper, false) : n - kll.rank(upper, false);
      outliers = { count: Math.max(0, Math.round(below + above)), lower, upper, approx: !sorted };
    }
  }
  const iqr = quantiles.p75 !== null && quantiles.p25 !== null ? quantiles.p75 - quantiles.p25 : null;
  return {
    min: m.min,
    max: m.max,
    minExact: wideExtreme(acc, m.min, 'low'),
    maxExact: wideExtreme(acc, m.max, 'high'),
    mean: m.mean,
    std: m.std,
    variance: m.variance,
    sum: n > 0 ? m.sum : null,
    skewness: m.skewness,
    kurtosis: m.kurtosis,
    range: m.min !== null && m.max !== null ? m.max - m.min : null,
    iqr,
    cv: m.std !== null && m.mean ? m.std / m.mean : null,
    quantiles,
    quantilesApprox: !sorted,
    zeros: acc.zeros,
    negatives: acc.negatives,
    infinite: acc.infinite,
    histogram,
    outliers,
  };
}

/**
 * The column's least (`low`) or greatest value as written when its double, `extreme`, rounds it (see `WideExtremes`);
 * null when `extreme` is exact.
 */
function wideExtreme(acc: ColumnAccumulator, extreme: number | null, side: 'low' | 'high'): string | null {
  const text = acc.wide?.[side];
  if (text === undefined || extreme === null || Number(text) !== extreme) { return null; }
  // a decimal that is not kept as written may share the double (9007199254740992.5 beside 9007199254740993): the exact
  // value table tells
  if (acc.values.exact && acc.values.table.find(hashNumber(extreme), hashHigh.value) >= 0) {
    const order = compareDecimals(String(extreme), text);
    if (side === 'low' ? order < 0 : order > 0) { return null; }
  }
  return text;
}

function dateProfile(acc: ColumnAccumulator): DateProfile {
  const m = acc.moments!.result();
  const dateOnly = acc.type === 'date';
  const local = isWallClock(acc);
  const label = (iso: string): string => (local ? iso.replace(/Z$/, '') : iso);
  const hist = acc.dates!.histogram();
  const gaps = acc.dates!.gaps();
  return {
    min: m.min === null ? null : formatInstant(m.min, dateOnly, local),
    max: m.max === null ? null : formatInstant(m.max, dateOnly, local),
    period: hist ? hist.unit : acc.dates!.unit,
    histogram: hist ? hist.bins.map(b => ({ start: label(b.start), count: b.count })) : [],
    gaps: gaps ? { ...gaps, largest: gaps.largest && { ...gaps.largest, from: label(gaps.largest.from), to: label(gaps.largest.to) } } : { unit: acc.dates!.unit, count: 0, largest: null },
  };
}

function stringProfile(acc: ColumnAccumulator): StringProfile {
  const count = acc.rows - acc.missing;
  const p = acc.patterns!;
  return {
    minLength: count > 0 ? acc.lenMin : null,
    maxLength: count > 0 ? acc.lenMax : null,
    meanLength: count > 0 ? acc.lenSum / count : null,
    empty: acc.empty,
    whitespace: acc.whitespace,
    patterns: p.top(TOP).map(f => ({ value: String(f.value), count: f.count })),
    patternsApprox: !p.exact,
    patternCount: p.distinct(),
  };
}

/** ydata-profiling's imbalance: 1 − entropy / log(number of classes). */
export function imbalance(counts: readonly number[]): number {
  const k = counts.length;
  if (k < 2) { return 0; }
  const n = counts.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const c of counts) { if (c > 0) { const p = c / n; h -= p * Math.log(p); } }
  return 1 - h / Math.log(k);
}

function columnAlerts(p: ColumnProfile, acc: ColumnAccumulator, entries: ValueFrequency[] | null): ProfileAlert[] {
  const alerts: ProfileAlert[] = [];
  const rows = acc.rows;
  if (rows > 0 && p.count === 0) { alerts.push('EMPTY'); return alerts; }
  if (rows > 0 && p.missing / rows > SHARE_ALERT) { alerts.push('MISSING'); }
  const valid = p.count - p.invalid;
  if (p.distinct === 1 && valid > 0) { alerts.push('CONSTANT'); }
  else if (valid > 1 && p.distinct === valid) { alerts.push('UNIQUE'); }
  if (p.number) {
    if (valid > 0 && p.number.zeros / valid > SHARE_ALERT) { alerts.push('ZEROS'); }
    if (valid > 0 && p.number.infinite / valid > SHARE_ALERT) { alerts.push('INFINITE'); }
    if (p.number.skewness !== null && Math.abs(p.number.skewness) > SKEW_ALERT) { alerts.push('SKEWED'); }
  }
  const categorical = acc.kind === 'text' || acc.kind === 'boolean';
  if (categorical && !alerts.includes('UNIQUE') && p.distinct > CARDINALITY_ALERT) { alerts.push('HIGH_CARDINALITY'); }
  if (categorical && entries && entries.length >= 2 && entries.length <= CARDINALITY_ALERT
    && imbalance(entries.map(e => e.count)) > IMBALANCE_ALERT) {
    alerts.push('IMBALANCE');
  }
  if (p.string && valid > 1 && p.string.minLength === p.string.maxLength && p.distinct > 1) { alerts.push('CONSTANT_LENGTH'); }
  return alerts;
}

