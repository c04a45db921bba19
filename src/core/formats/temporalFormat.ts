// Dates and date-times of delimited text written in common layouts other than ISO 8601 (`25/11/2026`, `25.11.2026 13:45`):
// which layout a sample is written in, and reading a text in a layout.
import { compileTemporalPattern, type TemporalParser } from '../schema/temporalText';

/** One layout a column of text may write its dates in: a strptime pattern (Frictionless' `format`) and its parts. */
export interface TemporalLayout {
  /** The strptime pattern, e.g. `%d/%m/%Y %H:%M`. */
  pattern: string;
  /** The order of the date's parts: day month year, month day year, year month day. */
  order: 'dmy' | 'mdy' | 'ymd';
  /** The char code between the date's parts: `/`, `.` or `-`. */
  separator: number;
  /** The time after the date and a space: 0 none, 1 hours and minutes, 2 hours, minutes and seconds. */
  time: 0 | 1 | 2;
}

const SLASH = 47, DOT = 46, DASH = 45, SPACE = 32, COLON = 58;

const DATE_PARTS: readonly Omit<TemporalLayout, 'time' | 'pattern'>[] = [
  { order: 'dmy', separator: SLASH }, { order: 'dmy', separator: DOT }, { order: 'dmy', separator: DASH },
  { order: 'mdy', separator: SLASH }, { order: 'ymd', separator: SLASH },
];
const TIME_PATTERNS = ['', ' %H:%M', ' %H:%M:%S'];

function datePattern(order: TemporalLayout['order'], separator: number): string {
  const s = String.fromCharCode(separator);
  return order === 'dmy' ? `%d${s}%m${s}%Y` : order === 'mdy' ? `%m${s}%d${s}%Y` : `%Y${s}%m${s}%d`;
}

/**
 * The layouts inference looks for, each date layout followed by no time, by ` %H:%M` and by ` %H:%M:%S`: layout `i`
 * is date part `i / 3` (`%d/%m/%Y`, `%d.%m.%Y`, `%d-%m-%Y`, `%m/%d/%Y`, `%Y/%m/%d`) with time part `i % 3`.
 */
export const TEMPORAL_LAYOUTS: readonly TemporalLayout[] = DATE_PARTS.flatMap(d => TIME_PATTERNS.map((t, time) => ({
  ...d, time: time as TemporalLayout['time'], pattern: `${datePattern(d.order, d.separator)}${t}`,
})));

/** Every layout bit of temporalShape. */
export const ALL_TEMPORAL_LAYOUTS = (1 << TEMPORAL_LAYOUTS.length) - 1;
/** A bit of temporalShape: the value's first part is a day above 12 (so it cannot be a month). */
export const DAY_ABOVE_12 = 1 << TEMPORAL_LAYOUTS.length;

const byPattern = new Map(TEMPORAL_LAYOUTS.map(l => [l.pattern, l]));

/** The layout written as `pattern`, when it is one of TEMPORAL_LAYOUTS. */
export function temporalLayout(pattern: string): TemporalLayout | undefined {
  return byPattern.get(pattern);
}

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) { return false; }
  if (m === 2) { return d <= ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28); }
  return d <= (m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);
}

/**
 * Which of TEMPORAL_LAYOUTS read `value` as a real date (and time): bit `i` for layout `i`, plus DAY_ABOVE_12 when its
 * first part is above 12; 0 when none does. Days, months and hours are one or two digits, minutes and seconds two,
 * years four (`25/11/26` is none); one space stands between date and time; nothing else is allowed around them.
 */
export function temporalShape(value: string): number {
  const n = value.length;
  let i = 0, p1 = 0;
  for (let c = value.charCodeAt(i); c >= 48 && c <= 57 && i < 4; c = value.charCodeAt(++i)) { p1 = p1 * 10 + c - 48; }
  const l1 = i;
  if (l1 === 0 || l1 === 3) { return 0; }
  const sep = value.charCodeAt(i);
  if (sep !== SLASH && sep !== DOT && sep !== DASH) { return 0; }
  let p2 = 0;
  const s2 = ++i;
  for (let c = value.charCodeAt(i); c >= 48 && c <= 57 && i - s2 < 2; c = value.charCodeAt(++i)) { p2 = p2 * 10 + c - 48; }
  if (i === s2 || value.charCodeAt(i) !== sep) { return 0; }
  let p3 = 0;
  const s3 = ++i;
  for (let c = value.charCodeAt(i); c >= 48 && c <= 57 && i - s3 < 4; c = value.charCodeAt(++i)) { p3 = p3 * 10 + c - 48; }
  const l3 = i - s3;
  // date parts, as indexes of DATE_PARTS
  let dates = 0;
  if (l1 === 4) {
    if (sep === SLASH && l3 >= 1 && l3 <= 2 && validDate(p1, p2, p3)) { dates |= 1 << 4; }
  } else if (l3 === 4) {
    if (validDate(p3, p2, p1)) { dates |= sep === SLASH ? 1 : sep === DOT ? 1 << 1 : 1 << 2; }
    if (sep === SLASH && validDate(p3, p1, p2)) { dates |= 1 << 3; }
  }
  if (dates === 0) { return 0; }
  let time = 0;
  if (i < n) {
    if (value.charCodeAt(i) !== SPACE) { return 0; }
    const sh = ++i;
    let h = 0;
    for (let c = value.charCodeAt(i); c >= 48 && c <= 57 && i - sh < 2; c = value.charCodeAt(++i)) { h = h * 10 + c - 48; }
    if (i === sh || h > 23 || value.charCodeAt(i) !== COLON) { return 0; }
    const mi = twoDigits(value, i + 1);
    if (mi < 0 || mi > 59) { return 0; }
    i += 3;
    time = 1;
    if (i < n) {
      const s = value.charCodeAt(i) === COLON ? twoDigits(value, i + 1) : -1;
      if (s < 0 || s > 60 || i + 3 !== n) { return 0; }
      time = 2;
    }
  }
  let shape = 0;
  for (let d = 0; d < DATE_PARTS.length; d++) {
    if ((dates & (1 << d)) !== 0) { shape |= 1 << (d * 3 + time); }
  }
  return l1 !== 4 && p1 > 12 ? shape | DAY_ABOVE_12 : shape;
}

function twoDigits(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48, b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The one layout a column is written in, from the layout bits every value of it has in common and whether one of its
 * values has a day above 12 first: none when no layout or more than one reads every value, and none for a day-first
 * layout written with `/` or `-` without such a day (`01/02/2026` alone might be month-first: no guess is made).
 * Dotted dates (`03.04.2026`) are day-first wherever they are written.
 */
export function chosenLayout(layouts: number, dayAbove12: boolean): TemporalLayout | undefined {
  const bits = layouts & ALL_TEMPORAL_LAYOUTS;
  if (bits === 0 || (bits & (bits - 1)) !== 0) { return undefined; }
  const layout = TEMPORAL_LAYOUTS[31 - Math.clz32(bits)];
  // dotted dates are day-first wherever they are written; `/` and `-` ones may be month-first (US), unless a day says not
  return layout.order === 'dmy' && layout.separator !== DOT && !dayAbove12 ? undefined : layout;
}

const textParsers = new Map<string, TemporalParser>();

/**
 * Reads text written in strptime `pattern` (the field's `format`) as epoch ms, NaN when it does not fit: the reading
 * `strata validate` gives the same field. A date-time without a zone is read as UTC, as ISO ones without a zone are.
 */
export function temporalTextParser(pattern: string, kind: 'date' | 'datetime'): TemporalParser {
  const key = `${kind}\u0000${pattern}`;
  let parse = textParsers.get(key);
  if (!parse) {
    parse = compileTemporalPattern(pattern, kind);
    textParsers.set(key, parse);
  }
  return parse;
}
