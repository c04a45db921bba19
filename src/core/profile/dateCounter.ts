// Counts of date/datetime values per calendar period, coarsened (second → minute → hour → day →
// month → year) whenever the values span more than a bound of periods; mergeable at the coarser unit.
// From it come the histogram by period and the gaps (runs of empty periods between min and max).
import { civilFromDays, daysFromCivil } from '../formats/calendar';
import { isoDateTime } from '../formats/cellValue';

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

/** An ISO-8601 label of a period's start at the precision of its unit (years outside 0000-9999 as ±YYYYYY). */
export function periodLabel(index: number, unit: DateUnit): string {
  const start = periodStart(index, unit);
  const iso = isoDateTime(start);
  if (!iso) { return String(start); }
  const dateEnd = iso.indexOf('T'); // the year has 4 digits, or a sign and 6 or more
  switch (unit) {
    case 'year': return iso.slice(0, dateEnd - 6);
    case 'month': return iso.slice(0, dateEnd - 3);
    case 'day': return iso.slice(0, dateEnd);
    default: return iso;
  }
}

/** Occupied period keys (ascending) at `unit` and their counts. */
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
  /** Counts per period key, dense over [base, base + bound): most date columns fit one window. */
  private counts: Float64Array;
  private base = 0;
  private minKey = Infinity;
  private maxKey = -Infinity;
  private lastKey = NaN;
  private lastLo = Infinity;
  private lastHi = -Infinity;

  /** `bound`: the widest span of periods kept at one unit before coarsening. */
  constructor(startUnit: DateUnit = 'day', readonly bound = DEFAULT_PERIOD_BOUND) {
    this.unit = startUnit;
    this.counts = new Float64Array(bound);
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
    this.addKey(key, 1);
  }

  private addKey(key: number, c: number): void {
    const at = key - this.base;
    if (at >= 0 && at < this.bound && this.minKey <= this.maxKey) {
      this.counts[at] += c;
      if (key < this.minKey) { this.minKey = key; }
      if (key > this.maxKey) { this.maxKey = key; }
      return;
    }
    this.place(key, c);
  }

  /** Adds a key outside the window: re-centres the window, or coarsens until the span fits. */
  private place(key: number, c: number): void {
    if (this.minKey > this.maxKey) {
      this.base = key;
      this.minKey = this.maxKey = key;
      this.counts[0] += c;
      return;
    }
    const lo = Math.min(this.minKey, key), hi = Math.max(this.maxKey, key);
    if (hi - lo + 1 <= this.bound) {
      const next = new Float64Array(this.bound);
      next.set(this.counts.subarray(this.minKey - this.base, this.maxKey - this.base + 1), this.minKey - lo);
      this.counts = next;
      this.base = lo;
      this.minKey = lo;
      this.maxKey = hi;
      this.counts[key - lo] += c;
      return;
    }
    const entries = this.entries();
    entries.push([key, c]);
    this.rebuild(DATE_UNITS[DATE_UNITS.indexOf(this.unit) + 1] ?? 'year', entries, this.unit);
  }

  private entries(): [number, number][] {
    const out: [number, number][] = [];
    for (let k = this.minKey; k <= this.maxKey; k++) {
      const c = this.counts[k - this.base];
      if (c > 0) { out.push([k, c]); }
    }
    return out;
  }

  /** Re-keys `entries` (keyed at `from`) at `unit`, coarsening further while the span is too wide. */
  private rebuild(unit: DateUnit, entries: [number, number][], from: DateUnit): void {
    let u = DATE_UNITS.indexOf(unit);
    for (;;) {
      const keys = entries.map(([k]) => periodIndex(periodStart(k, from), DATE_UNITS[u]));
      const lo = Math.min(...keys), hi = Math.max(...keys);
      if (hi - lo + 1 <= this.bound || u === DATE_UNITS.length - 1) {
        this.unit = DATE_UNITS[u];
        this.counts = new Float64Array(Math.max(this.bound, hi - lo + 1));
        this.base = lo;
        this.minKey = lo;
        this.maxKey = hi;
        keys.forEach((k, i) => { this.counts[k - lo] += entries[i][1]; });
        this.lastLo = Infinity; this.lastHi = -Infinity;
        return;
      }
      u++;
    }
  }

  merge(other: DateCounter): void {
    const mine = this.entries(), theirs = other.entries();
    if (theirs.length === 0) { return; }
    const fine = DATE_UNITS.indexOf(this.unit) >= DATE_UNITS.indexOf(other.unit) ? this.unit : other.unit;
    const all: [number, number][] = [
      ...mine.map(([k, c]) => [periodIndex(periodStart(k, this.unit), fine), c] as [number, number]),
      ...theirs.map(([k, c]) => [periodIndex(periodStart(k, other.unit), fine), c] as [number, number]),
    ];
    const byKey = new Map<number, number>();
    for (const [k, c] of all) { byKey.set(k, (byKey.get(k) ?? 0) + c); }
    this.rebuild(fine, [...byKey.entries()], fine);
  }

  /** Counts by the finest unit (not finer than the one kept) that needs ≤ MAX_HISTOGRAM_BINS bins. */
  histogram(): DateHistogram | null {
    const entries = this.entries();
    if (entries.length === 0) { return null; }
    const lo = periodStart(this.minKey, this.unit), hi = periodStart(this.maxKey, this.unit);
    let unit = this.unit;
    for (let u = DATE_UNITS.indexOf(this.unit); u < DATE_UNITS.length; u++) {
      unit = DATE_UNITS[u];
      if (periodIndex(hi, unit) - periodIndex(lo, unit) + 1 <= MAX_HISTOGRAM_BINS) { break; }
    }
    const first = periodIndex(lo, unit), last = periodIndex(hi, unit);
    const counts = new Array<number>(last - first + 1).fill(0);
    for (const [k, c] of entries) { counts[periodIndex(periodStart(k, this.unit), unit) - first] += c; }
    return { unit, bins: counts.map((count, i) => ({ start: periodLabel(first + i, unit), count })) };
  }

  gaps(): DateGaps | null {
    const entries = this.entries();
    if (entries.length === 0) { return null; }
    let count = 0, best = 0, bestAfter = 0;
    for (let i = 1; i < entries.length; i++) {
      const empty = entries[i][0] - entries[i - 1][0] - 1;
      count += empty;
      if (empty > best) { best = empty; bestAfter = entries[i - 1][0]; }
    }
    return {
      unit: this.unit,
      count,
      largest: best > 0 ? { from: periodLabel(bestAfter + 1, this.unit), to: periodLabel(bestAfter + best, this.unit), periods: best } : null,
    };
  }

  toState(): DateCounterState {
    const entries = this.entries();
    return { unit: this.unit, bound: this.bound, keys: Float64Array.from(entries, e => e[0]), counts: Float64Array.from(entries, e => e[1]) };
  }

  static fromState(s: DateCounterState): DateCounter {
    const d = new DateCounter(s.unit, s.bound);
    if (s.keys.length > 0) { d.rebuild(s.unit, Array.from(s.keys, (k, i) => [k, s.counts[i]] as [number, number]), s.unit); }
    return d;
  }
}
