// Dates, times and durations as text: ISO 8601 defaults, strptime-style patterns (`%d/%m/%Y`) and "any".
//
// Values come out as numbers so that minimum/maximum/unique compare them directly:
// date and datetime → epoch milliseconds (UTC; an offset in the text is applied), time → ms since midnight,
// yearmonth → year * 12 + month - 1, duration → seconds (a month counted as 30 days, a year as 365).

export type TemporalKind = 'date' | 'time' | 'datetime';

/** Parses one text; returns NaN when it does not match. */
export type TemporalParser = (text: string) => number;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTHS_LONG = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const DAYS_LONG = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function daysInMonth(y: number, m: number): number {
  return m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Epoch ms of a calendar date (UTC), or NaN when the day does not exist (Feb 30). */
export function dateMs(y: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) { return NaN; }
  // Date.UTC reads years 0-99 as 1900-1999: shift by one 400-year cycle (146097 days) and back
  return y < 100 ? Date.UTC(y + 400, m - 1, d) - 146_097 * 86_400_000 : Date.UTC(y, m - 1, d);
}

function timeMs(h: number, mi: number, s: number, fracMs: number): number {
  if (h > 24 || mi > 59 || s > 60 || (h === 24 && (mi | s | fracMs) !== 0)) { return NaN; }
  return ((h * 60 + mi) * 60 + Math.min(s, 59)) * 1000 + fracMs;
}

const d0 = 48; // '0'

/** Two ASCII digits at i, or -1. */
function two(t: string, i: number): number {
  const a = t.charCodeAt(i) - d0, b = t.charCodeAt(i + 1) - d0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function four(t: string, i: number): number {
  const a = two(t, i), b = two(t, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

/** `YYYY-MM-DD`, checked by hand: the hot path of most date columns. */
export function parseIsoDate(t: string): number {
  if (t.length !== 10 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) { return NaN; }
  const y = four(t, 0), m = two(t, 5), d = two(t, 8);
  if (y < 0 || m < 0 || d < 0) { return NaN; }
  return dateMs(y, m, d);
}

const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** `hh:mm[:ss[.fff]]` with an optional zone (accepted, not applied: a time of day has no date to shift). */
export function parseIsoTime(t: string): number {
  if (t.length === 8 && t.charCodeAt(2) === 58 && t.charCodeAt(5) === 58) {
    const h = two(t, 0), mi = two(t, 3), s = two(t, 6);
    if (h >= 0 && mi >= 0 && s >= 0) { return timeMs(h, mi, s, 0); }
  }
  const m = TIME_RE.exec(t);
  if (!m) { return NaN; }
  return timeMs(+m[1], +m[2], m[3] ? +m[3] : 0, fraction(m[4]));
}

function fraction(digits: string | undefined): number {
  return digits ? Number(`0.${digits}`) * 1000 : 0;
}

function offsetMinutes(z: string | undefined): number {
  if (!z || z === 'Z' || z === 'z') { return 0; }
  const sign = z[0] === '-' ? -1 : 1;
  const body = z.slice(1).replace(':', '');
  return sign * (Number(body.slice(0, 2)) * 60 + Number(body.slice(2, 4) || 0));
}

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** ISO 8601 date-time (`T` or space between date and time; seconds, fraction and zone optional), as dateutil's isoparse reads it. */
export function parseIsoDateTime(t: string): number {
  if (t.length === 19 && t.charCodeAt(4) === 45 && t.charCodeAt(7) === 45 && t.charCodeAt(13) === 58 && t.charCodeAt(16) === 58) {
    const sep = t.charCodeAt(10);
    if (sep === 84 || sep === 32) {
      const day = dateMs(four(t, 0), two(t, 5), two(t, 8));
      const tod = timeMs(two(t, 11), two(t, 14), two(t, 17), 0);
      if (day === day && tod === tod && two(t, 11) >= 0 && two(t, 14) >= 0 && two(t, 17) >= 0 && four(t, 0) >= 0) { return day + tod; }
    }
  }
  const m = DATETIME_RE.exec(t);
  if (!m) { return NaN; }
  const day = dateMs(+m[1], +m[2], +m[3]);
  const tod = m[4] ? timeMs(+m[4], +m[5], m[6] ? +m[6] : 0, fraction(m[7])) : 0;
  return day + tod - offsetMinutes(m[8]) * 60_000;
}

/** `YYYY-MM` → year * 12 + month - 1. */
export function parseYearMonth(t: string): number {
  if (t.length !== 7 || t.charCodeAt(4) !== 45) { return NaN; }
  const y = four(t, 0), m = two(t, 5);
  return y < 0 || m < 1 || m > 12 ? NaN : y * 12 + m - 1;
}

const DURATION_RE = /^(-)?P(?!$)(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?!$)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** ISO 8601 duration `PnYnMnDTnHnMnS` → seconds (approximate for years and months, enough to order them). */
export function parseDuration(t: string): number {
  const m = DURATION_RE.exec(t);
  if (!m) { return NaN; }
  const n = (i: number): number => (m[i] ? Number(m[i]) : 0);
  const s = n(2) * 365 * 86400 + n(3) * 30 * 86400 + n(4) * 7 * 86400 + n(5) * 86400 + n(6) * 3600 + n(7) * 60 + n(8);
  return m[1] ? -s : s;
}

interface PatternPart {
  /** Regex source of this directive (one capture group for directives, none for literals). */
  re: string;
  set?: (st: Parts, v: string) => boolean;
}

interface Parts {
  y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number;
  pm: number; // -1 unknown, 0 am, 1 pm
  off: number; // minutes
  doy: number;
}

function num(min: number, max: number, key: keyof Parts): (st: Parts, v: string) => boolean {
  return (st, v) => {
    const n = Number(v);
    if (n < min || n > max) { return false; }
    st[key] = n;
    return true;
  };
}

const nameIndex = (names: string[], key: 'mo' | 'none') => (st: Parts, v: string): boolean => {
  const i = names.indexOf(v.toLowerCase());
  if (i < 0) { return false; }
  if (key === 'mo') { st.mo = i + 1; }
  return true;
};

const DIRECTIVES: Record<string, PatternPart> = {
  Y: { re: '(\\d{4})', set: num(0, 9999, 'y') },
  y: { re: '(\\d{2})', set: (st, v) => { const n = Number(v); st.y = n < 69 ? 2000 + n : 1900 + n; return true; } },
  m: { re: '(\\d{1,2})', set: num(1, 12, 'mo') },
  d: { re: '(\\d{1,2})', set: num(1, 31, 'd') },
  e: { re: ' ?(\\d{1,2})', set: num(1, 31, 'd') },
  H: { re: '(\\d{1,2})', set: num(0, 23, 'h') },
  I: { re: '(\\d{1,2})', set: num(1, 12, 'h') },
  M: { re: '(\\d{1,2})', set: num(0, 59, 'mi') },
  S: { re: '(\\d{1,2})', set: num(0, 61, 's') },
  f: { re: '(\\d{1,6})', set: (st, v) => { st.ms = fraction(v); return true; } },
  p: { re: '([AaPp][Mm])', set: (st, v) => { st.pm = v.toLowerCase() === 'pm' ? 1 : 0; return true; } },
  b: { re: '([A-Za-z]{3})', set: nameIndex(MONTHS, 'mo') },
  h: { re: '([A-Za-z]{3})', set: nameIndex(MONTHS, 'mo') },
  B: { re: '([A-Za-z]{3,9})', set: nameIndex(MONTHS_LONG, 'mo') },
  a: { re: '([A-Za-z]{3})', set: nameIndex(DAYS, 'none') },
  A: { re: '([A-Za-z]{6,9})', set: nameIndex(DAYS_LONG, 'none') },
  j: { re: '(\\d{1,3})', set: num(1, 366, 'doy') },
  z: { re: '(Z|[+-]\\d{2}:?\\d{2})', set: (st, v) => { st.off = offsetMinutes(v); return true; } },
  Z: { re: '([A-Za-z]{1,5})', set: (st, v) => { st.off = 0; return /^(utc|gmt|z)$/i.test(v); } },
  w: { re: '([0-6])' },
  u: { re: '([1-7])' },
  U: { re: '(\\d{1,2})' },
  W: { re: '(\\d{1,2})' },
};

/** Compiles a strptime pattern (`%d/%m/%Y %H:%M`); throws on a directive Strata does not know. */
export function compileTemporalPattern(pattern: string, kind: TemporalKind): TemporalParser {
  const parts: PatternPart[] = [];
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '%' && i + 1 < pattern.length) {
      let key = pattern[++i];
      if (key === '-' && i + 1 < pattern.length) { key = pattern[++i]; } // %-d (glibc): same digits, no padding
      if (key === '%') { re += '%'; continue; }
      const dir = DIRECTIVES[key];
      if (!dir) { throw new Error(`unknown directive %${key} in "${pattern}"`); }
      re += dir.re;
      parts.push(dir);
    } else if (c === ' ') {
      re += '\\s+';
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const regex = new RegExp(`${re}$`, 'i');
  return (text: string): number => {
    const m = regex.exec(text.trim());
    if (!m) { return NaN; }
    const st: Parts = { y: 1900, mo: 1, d: 1, h: 0, mi: 0, s: 0, ms: 0, pm: -1, off: 0, doy: 0 };
    for (let k = 0; k < parts.length; k++) {
      const set = parts[k].set;
      if (set && !set(st, m[k + 1])) { return NaN; }
    }
    if (st.pm >= 0) { st.h = (st.h % 12) + (st.pm ? 12 : 0); }
    const day = st.doy ? dateMs(st.y, 1, 1) + (st.doy - 1) * 86_400_000 : dateMs(st.y, st.mo, st.d);
    if (kind === 'date') { return day; }
    const tod = timeMs(st.h, st.mi, st.s, st.ms);
    if (kind === 'time') { return tod; }
    return day + tod - st.off * 60_000;
  };
}

const ANY_DATE_PATTERNS = [
  '%Y-%m-%d', '%Y/%m/%d', '%Y.%m.%d', '%Y%m%d', '%m/%d/%Y', '%d/%m/%Y', '%d.%m.%Y', '%d-%m-%Y',
  '%b %d %Y', '%b %d, %Y', '%d %b %Y', '%B %d %Y', '%B %d, %Y', '%d %B %Y', '%a %b %d %Y', '%A, %B %d, %Y',
];
const ANY_TIME_PATTERNS = ['%H:%M:%S', '%H:%M', '%H:%M:%S.%f', '%I:%M %p', '%I:%M:%S %p', '%I %p', '%H%M%S'];

/** The `any` format: ISO first, then common layouts; an ambiguous `01/02/2020` is read month-first, as dateutil does by default. */
export function anyTemporalParser(kind: TemporalKind): TemporalParser {
  const iso = kind === 'date' ? parseIsoDate : kind === 'time' ? parseIsoTime : parseIsoDateTime;
  const patterns: TemporalParser[] = [];
  if (kind === 'date') {
    for (const p of ANY_DATE_PATTERNS) { patterns.push(compileTemporalPattern(p, 'date')); }
    patterns.push(t => { const v = parseIsoDateTime(t); return v === v && v % 86_400_000 === 0 ? v : NaN; });
  } else if (kind === 'time') {
    for (const p of ANY_TIME_PATTERNS) { patterns.push(compileTemporalPattern(p, 'time')); }
  } else {
    for (const dp of ANY_DATE_PATTERNS) {
      for (const tp of ['%H:%M:%S', '%H:%M', '%H:%M:%S.%f', '%I:%M %p', '%I:%M:%S %p']) {
        patterns.push(compileTemporalPattern(`${dp} ${tp}`, 'datetime'));
      }
      patterns.push(compileTemporalPattern(dp, 'datetime'));
    }
  }
  return (text: string): number => {
    const v = iso(text);
    if (v === v) { return v; }
    for (const p of patterns) {
      const r = p(text);
      if (r === r) { return r; }
    }
    return NaN;
  };
}
