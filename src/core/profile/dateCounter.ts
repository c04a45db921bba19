// Counts of date/datetime values per calendar period, coarsened (second → minute → hour → day →
// month → year) whenever more than a bound of periods is occupied; mergeable at the coarser unit.
// From it come the histogram by period and the gaps (runs of empty periods between min and max).
import { civilFromDays, daysFromCivil } from './textParse';

export type DateUnit = 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year';
export const DATE_UNITS: readonly DateUnit[] = ['second', 'minute', 'hour', 'day', 'month', 'year'];

const FIXED_MS: Partial<Record<DateUnit, number>> = { second: 1000, minute: 60000, hour: 3600000, day: 86400000 };
export const DEFAULT_PERIOD_BOUND = 4096;
/** The histogram uses the finest unit that needs at most this many bins over [min, max]. */
export const MAX_HISTOGRAM_BINS = 120;

export function periodIndex(ms: number, unit: DateUnit): number {
  const fixed = FIXED_MS[unit];
  if (fixed) { return Math.floor(ms / fixed); }
  const [y, m] = civilFromDays(Math.floor(ms / 86400000));
  return unit === 'month' ? y * 12 + (m - 1) : y;
}

export function periodStart(index: number, unit: DateUnit): number {
  const fixed = FIXED_MS[unit];
  if (fixed) { return index * fixed; }
  if (unit === 'month') {
    const y = Math.floor(index / 12);
    return daysFromCivil(y, index - y * 12 + 1, 1) * 86400000;
  }
  return daysFromCivil(index, 1, 1) * 86400000;
}

/** An ISO-8601 label of a period's start at the precision of its unit. */
export function periodLabel(index: number, unit: DateUnit): string {
  const iso = new Date(periodStart(index, unit)).toISOString();
  switch (unit) {
    case 'year': return iso.slice(0, 4);
    case 'month': return iso.slice(0, 7);
    case 'day': return iso.slice(0, 10);
    default: return iso;
  }
}

export interface DateCounterState { unit: DateUnit; keys: Float64Array; counts: Float64Array; bound: number }

export interface DateHistogram {
  unit: DateUnit;
  bins: { start: string; count: number }[];
}

export interface DateGaps {
  /** The unit gaps are measured in: the finest unit the counter kept. */
  unit: DateUnit;
  /** Periods inside [min, max] in which no value falls. */
  count: number;
  /** The longest run of empty periods: its first and last period. */
  largest: { from: string; to: string; periods: number } | null;
}

export class DateCounter {
  unit: DateUnit;
  private counts = new Map<number, number>();
  private lastKey = NaN;
  private lastLo = Infinity;
  private lastHi = -Infinity;

  constructor(startUnit: DateUnit = 'day', readonly bound = DEFAULT_PERIOD_BOUND) {
    this.unit = startUnit;
  }

  add(ms: number): void {
    let key: number;
    // consecutive values often share a period: skip the calendar arithmetic then
    if (ms >= this.lastLo && ms < this.lastHi) {
      key = this.lastKey;
    } else {
      key = periodIndex(ms, this.unit);
      this.lastKey = key;
      this.lastLo = periodStart(key, this.unit);
      this.lastHi = periodStart(key + 1, this.unit);
    }
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.counts.size > this.bound) { this.coarsenUntilFits(); }
  }

  private coarsenTo(unit: DateUnit): void {
    if (DATE_UNITS.indexOf(unit) <= DATE_UNITS.indexOf(this.unit)) { return; }
    const next = new Map<number, number>();
    for (const [k, c] of this.counts) {
      const nk = periodIndex(periodStart(k, this.unit), unit);
      next.set(nk, (next.get(nk) ?? 0) + c);
    }
    this.counts = next;
    this.unit = unit;
    this.lastLo = Infinity; this.lastHi = -Infinity;
  }

  private coarsenUntilFits(): void {
    while (this.counts.size > this.bound && this.unit !== 'year') {
      this.coarsenTo(DATE_UNITS[DATE_UNITS.indexOf(this.unit) + 1]);
    }
  }

  merge(other: DateCounter): void {
    this.coarsenTo(other.unit);
    let src = other;
    if (DATE_UNITS.indexOf(other.unit) < DATE_UNITS.indexOf(this.unit)) {
      src = DateCounter.fromState(other.toState());
      src.coarsenTo(this.unit);
    }
    for (const [k, c] of src.counts) { this.counts.set(k, (this.counts.get(k) ?? 0) + c); }
    this.coarsenUntilFits();
  }

  private sortedKeys(): number[] {
    return [...this.counts.keys()].sort((a, b) => a - b);
  }

  /** Counts by the finest unit (not finer than the one kept) that needs ≤ MAX_HISTOGRAM_BINS bins. */
  histogram(): DateHistogram | null {
    const keys = this.sortedKeys();
    if (keys.length === 0) { return null; }
    const lo = periodStart(keys[0], this.unit), hi = periodStart(keys[keys.length - 1], this.unit);
    let unit = this.unit;
    for (let u = DATE_UNITS.indexOf(this.unit); u < DATE_UNITS.length; u++) {
      unit = DATE_UNITS[u];
      if (periodIndex(hi, unit) - periodIndex(lo, unit) + 1 <= MAX_HISTOGRAM_BINS) { break; }
    }
    const first = periodIndex(lo, unit), last = periodIndex(hi, unit);
    const counts = new Array<number>(last - first + 1).fill(0);
    for (const k of keys) { counts[periodIndex(periodStart(k, this.unit), unit) - first] += this.counts.get(k) as number; }
    return { unit, bins: counts.map((count, i) => ({ start: periodLabel(first + i, unit), count })) };
  }

  gaps(): DateGaps | null {
    const keys = this.sortedKeys();
    if (keys.length === 0) { return null; }
    let count = 0, best = 0, bestAfter = 0;
    for (let i = 1; i < keys.length; i++) {
      const empty = keys[i] - keys[i - 1] - 1;
      count += empty;
      if (empty > best) { best = empty; bestAfter = keys[i - 1]; }
    }
    return {
      unit: this.unit,
      count,
      largest: best > 0 ? { from: periodLabel(bestAfter + 1, this.unit), to: periodLabel(bestAfter + best, this.unit), periods: best } : null,
    };
  }

  toState(): DateCounterState {
    const keys = this.sortedKeys();
    return { unit: this.unit, bound: this.bound, keys: Float64Array.from(keys), counts: Float64Array.from(keys, k => this.counts.get(k) as number) };
  }

  static fromState(s: DateCounterState): DateCounter {
    const d = new DateCounter(s.unit, s.bound);
    for (let i = 0; i < s.keys.length; i++) { d.counts.set(s.keys[i], s.counts[i]); }
    return d;
  }
}
