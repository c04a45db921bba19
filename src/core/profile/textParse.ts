// Parsing CSV/JSON text cells straight from UTF-8 bytes as a field's inferred type, without decoding
// strings: numbers, integers, booleans (Frictionless defaults), ISO dates, datetimes and times, and the
// numbers and dates of fields written in their own format (`1.234,5`, `25/11/2026`).
//
// Every parser returns a number and sets `parsed.ok`; dates and datetimes are epoch milliseconds
// (UTC; a datetime without a zone is read as UTC), times are milliseconds since midnight.

import { daysFromCivil } from '../formats/calendar';
import type { Field, LogicalType } from '../formats/dataset';
import { plainNumberText, type NumberFormat } from '../formats/numberFormat';
import { temporalLayout, temporalTextParser, type TemporalLayout } from '../formats/temporalFormat';

/**
 * What the last parse found: `ok` whether the text fits the type; after an integer, or a number written as digits
 * alone, `exact` false when it is beyond ±2^53 (the double returned may round it); after a datetime, `zoned` whether
 * it had a `Z` or an offset.
 */
export const parsed = { ok: false, exact: true, zoned: false };

const decoder = new TextDecoder();
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

function trimStart(b: Uint8Array, s: number, e: number): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) { s++; }
  return s;
}
function trimEnd(b: Uint8Array, s: number, e: number): number {
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9 || b[e - 1] === 13)) { e--; }
  return e;
}

export function parseInteger(b: Uint8Array, s0: number, e0: number): number {
  const s1 = trimStart(b, s0, e0), e = trimEnd(b, s1, e0);
  let s = s1;
  let neg = false;
  if (s < e && (b[s] === 45 || b[s] === 43)) { neg = b[s] === 45; s++; }
  if (s === e) { parsed.ok = false; return 0; }
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) { parsed.ok = false; return 0; }
    v = v * 10 + d;
  }
  parsed.ok = true;
  parsed.exact = v <= 9007199254740991;
  // Beyond 2^53 the running product rounds at each step; let the engine round once instead.
  if (!parsed.exact) { v = Math.abs(Number(decoder.decode(b.subarray(s, e)))); }
  return neg ? -v : v;
}

/** Frictionless number: decimal or exponent notation, plus NaN, INF and -INF (any case, also Infinity). */
export function parseNumber(b: Uint8Array, s0: number, e0: number): number {
  const s1 = trimStart(b, s0, e0), e = trimEnd(b, s1, e0);
  let s = s1;
  let neg = false;
  if (s < e && (b[s] === 45 || b[s] === 43)) { neg = b[s] === 45; s++; }
  if (s === e) { parsed.ok = false; return 0; }
  let mant = 0, digits = 0, frac = 0, i = s;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) { break; }
    mant = mant * 10 + d; digits++;
  }
  const point = i < e && b[i] === 46;
  if (point) {
    i++;
    for (; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) { break; }
      mant = mant * 10 + d; digits++; frac++;
    }
  }
  if (digits === 0) { return parseSpecial(b, s, e, neg); }
  let slow = false;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    if (i < e && (b[i] === 45 || b[i] === 43)) { i++; }
    const start = i;
    for (; i < e; i++) { const d = b[i] - 48; if (d < 0 || d > 9) { break; } }
    if (i === start) { parsed.ok = false; return 0; }
    slow = true;
  }
  if (i !== e) { parsed.ok = false; return 0; }
  parsed.ok = true;
  // mant / 10^frac is correctly rounded when both are exact doubles; otherwise defer to the engine.
  if (slow || digits > 15 || frac > 22) {
    const v = Number(decoder.decode(b.subarray(s, e)));
    // a whole number beyond 2^53 written as digits alone (a DECIMAL(p, 0), a 64-bit id) is kept as written, like an
    // integer's; other decimals are read as their double, as numbers are in pandas or DuckDB
    parsed.exact = slow || point || v <= 9007199254740991;
    return neg ? -v : v;
  }
  parsed.exact = true;
  const v = frac === 0 ? mant : mant / POW10[frac];
  return neg ? -v : v;
}

const encoder = new TextEncoder();

/** Whether `b` holds the bytes of `part` at `i` (before `e`). */
function bytesAt(b: Uint8Array, i: number, e: number, part: Uint8Array): boolean {
  if (i + part.length > e) { return false; }
  for (let k = 0; k < part.length; k++) { if (b[i + k] !== part[k]) { return false; } }
  return true;
}

const formatParsers = new Map<string, (b: Uint8Array, s: number, e: number) => number>();

/**
 * The parser of numbers written in `format` (`-1.234,5` with decimal char `,` and group char `.`), reading them as
 * Frictionless does: every group char dropped, the decimal char a point; NaN and INF as parseNumber reads them. Values
 * are read as their double (`parsed.exact` is true).
 */
export function formattedNumberParser(format: NumberFormat): (b: Uint8Array, s: number, e: number) => number {
  const key = `${format.decimalChar}\u0000${format.groupChar ?? ''}`;
  let parse = formatParsers.get(key);
  if (!parse) {
    const decimal = encoder.encode(format.decimalChar);
    const group = format.groupChar ? encoder.encode(format.groupChar) : null;
    parse = (b, s, e) => parseFormattedNumber(b, s, e, format, decimal, group);
    formatParsers.set(key, parse);
  }
  return parse;
}

function parseFormattedNumber(b: Uint8Array, s0: number, e0: number, format: NumberFormat, decimal: Uint8Array, group: Uint8Array | null): number {
  const s1 = trimStart(b, s0, e0), e = trimEnd(b, s1, e0);
  let s = s1;
  let neg = false;
  if (s < e && (b[s] === 45 || b[s] === 43)) { neg = b[s] === 45; s++; }
  if (s === e) { parsed.ok = false; return 0; }
  let mant = 0, digits = 0, frac = 0, point = false, i = s;
  while (i < e) {
    const c = b[i];
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      mant = mant * 10 + d; digits++;
      if (point) { frac++; }
      i++;
    } else if (group !== null && c === group[0] && bytesAt(b, i, e, group)) {
      i += group.length;
    } else if (!point && c === decimal[0] && bytesAt(b, i, e, decimal)) {
      point = true;
      i += decimal.length;
    } else {
      break;
    }
  }
  if (digits === 0) {
    if (i === s) { return parseSpecial(b, s, e, neg); }
    parsed.ok = false;
    return 0;
  }
  parsed.exact = true;
  if (i < e || digits > 15 || frac > 22) {
    // an exponent, or digits a double may not hold exactly: the engine reads the text as written with a point
    if (i < e && b[i] !== 101 && b[i] !== 69) { parsed.ok = false; return 0; }
    const plain = plainNumberText(decoder.decode(b.subarray(s1, e)), format);
    const v = plain === null ? NaN : Number(plain);
    parsed.ok = v === v;
    return parsed.ok ? v : 0;
  }
  parsed.ok = true;
  const v = frac === 0 ? mant : mant / POW10[frac];
  return neg ? -v : v;
}

function parseSpecial(b: Uint8Array, s: number, e: number, neg: boolean): number {
  const len = e - s;
  if (len === 3 || len === 8) {
    const word = decoder.decode(b.subarray(s, e)).toLowerCase();
    parsed.exact = true;
    if (word === 'nan' && !neg) { parsed.ok = true; return NaN; }
    if (word === 'inf' || word === 'infinity') { parsed.ok = true; return neg ? -Infinity : Infinity; }
  }
  parsed.ok = false;
  return 0;
}

/** Frictionless default true/false values: true, True, TRUE, 1 / false, False, FALSE, 0. */
export function parseBoolean(b: Uint8Array, s0: number, e0: number): number {
  const s = trimStart(b, s0, e0), e = trimEnd(b, s, e0);
  const len = e - s;
  parsed.ok = true;
  if (len === 1) {
    if (b[s] === 49) { return 1; }
    if (b[s] === 48) { return 0; }
  } else if (len === 4 || len === 5) {
    const w = decoder.decode(b.subarray(s, e));
    if (w === 'true' || w === 'True' || w === 'TRUE') { return 1; }
    if (w === 'false' || w === 'False' || w === 'FALSE') { return 0; }
  }
  parsed.ok = false;
  return 0;
}

function digits(b: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = b[i + k] - 48;
    if (d < 0 || d > 9) { return -1; }
    v = v * 10 + d;
  }
  return v;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function dateAt(b: Uint8Array, s: number): number {
  // YYYY-MM-DD at s; returns the day number or NaN.
  const y = digits(b, s, 4), m = digits(b, s + 5, 2), d = digits(b, s + 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || b[s + 4] !== 45 || b[s + 7] !== 45) { return NaN; }
  if (d > MONTH_DAYS[m - 1] || (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))) { return NaN; }
  return daysFromCivil(y, m, d);
}

/** ISO date `YYYY-MM-DD` → epoch ms. */
export function parseDate(b: Uint8Array, s0: number, e0: number): number {
  const s = trimStart(b, s0, e0), e = trimEnd(b, s, e0);
  if (e - s !== 10) { parsed.ok = false; return 0; }
  const days = dateAt(b, s);
  parsed.ok = days === days;
  return days * 86400000;
}

/** `HH:MM[:SS[.fff]]` at s..e → ms since midnight, or NaN. */
function timeAt(b: Uint8Array, s: number, e: number): number {
  if (e - s < 5) { return NaN; }
  const h = digits(b, s, 2), mi = digits(b, s + 3, 2);
  if (h < 0 || h > 24 || mi < 0 || mi > 59 || b[s + 2] !== 58) { return NaN; }
  let ms = (h * 60 + mi) * 60000;
  let i = s + 5;
  if (i < e) {
    if (b[i] !== 58 || e - i < 3) { return NaN; }
    const sec = digits(b, i + 1, 2);
    if (sec < 0 || sec > 60) { return NaN; }
    ms += sec * 1000;
    i += 3;
    if (i < e) {
      if (b[i] !== 46 && b[i] !== 44) { return NaN; }
      i++;
      let scale = 100, frac = 0, n = 0;
      for (; i < e; i++, n++) {
        const d = b[i] - 48;
        if (d < 0 || d > 9) { return NaN; }
        frac += d * scale; scale /= 10;
      }
      if (n === 0) { return NaN; }
      ms += Math.round(frac * 1000) / 1000;
    }
  }
  return ms;
}

export function parseTime(b: Uint8Array, s0: number, e0: number): number {
  const s = trimStart(b, s0, e0), e = trimEnd(b, s, e0);
  const ms = timeAt(b, s, e);
  parsed.ok = ms === ms;
  return ms;
}

/** ISO datetime `YYYY-MM-DD[T ]HH:MM[:SS[.f]][Z|±HH[:]MM]` (a bare date is midnight) → epoch ms. */
export function parseDatetime(b: Uint8Array, s0: number, e0: number): number {
  const s = trimStart(b, s0, e0);
  let e = trimEnd(b, s, e0);
  if (e - s < 10) { parsed.ok = false; return 0; }
  const days = dateAt(b, s);
  if (days !== days) { parsed.ok = false; return 0; }
  parsed.zoned = false;
  if (e - s === 10) { parsed.ok = true; return days * 86400000; }
  if (b[s + 10] !== 84 && b[s + 10] !== 32 && b[s + 10] !== 116) { parsed.ok = false; return 0; }
  let offset = 0;
  if (b[e - 1] === 90 || b[e - 1] === 122) {
    e--;
    parsed.zoned = true;
  } else {
    // a zone offset: the last '+' or '-' after the time's first digits
    for (let i = e - 1; i > s + 13; i--) {
      if (b[i] === 43 || b[i] === 45) {
        const hh = digits(b, i + 1, 2);
        const rest = e - i - 3;
        const mm = rest === 0 ? 0 : rest === 2 ? digits(b, i + 3, 2) : rest === 3 && b[i + 3] === 58 ? digits(b, i + 4, 2) : -1;
        if (hh < 0 || mm < 0) { parsed.ok = false; return 0; }
        offset = (b[i] === 45 ? -1 : 1) * (hh * 60 + mm) * 60000;
        e = i;
        parsed.zoned = true;
        break;
      }
    }
  }
  const t = timeAt(b, s + 11, e);
  if (t !== t) { parsed.ok = false; return 0; }
  parsed.ok = true;
  return days * 86400000 + t - offset;
}

const temporalParsers = new Map<string, (b: Uint8Array, s: number, e: number) => number>();

/**
 * The parser of dates or date-times written in strptime `pattern` (a field's `format`: `%d/%m/%Y`, `%m/%d/%Y %H:%M`)
 * → epoch ms, a date-time without a zone read as UTC (`parsed.zoned` false). The layouts of TEMPORAL_LAYOUTS are read
 * from the bytes; text they do not read that way (other white space, a missing marker) and other patterns go through
 * the pattern's compiled reader, so that every value reads as `strata validate` reads it.
 */
export function formattedTemporalParser(pattern: string, kind: 'date' | 'datetime'): (b: Uint8Array, s: number, e: number) => number {
  const key = `${kind}\u0000${pattern}`;
  let parse = temporalParsers.get(key);
  if (!parse) {
    const text = temporalTextParser(pattern, kind);
    const zoned = /%[zZ]/.test(pattern);
    const slow = (b: Uint8Array, s: number, e: number): number => {
      const v = text(decoder.decode(b.subarray(s, e)));
      parsed.ok = v === v;
      parsed.zoned = zoned;
      return v;
    };
    const layout = temporalLayout(pattern);
    if (layout && (layout.time === 0) === (kind === 'date')) {
      const order = layout.order === 'dmy' ? DMY : layout.order === 'mdy' ? MDY : YMD;
      const { separator, time } = layout;
      parse = (b, s, e) => {
        const v = layoutAt(b, s, e, order, separator, time);
        if (v !== v) { return slow(b, s, e); }
        parsed.ok = true;
        parsed.zoned = false;
        return v;
      };
    } else {
      parse = slow;
    }
    temporalParsers.set(key, parse);
  }
  return parse;
}

const DMY = 0, MDY = 1, YMD = 2;

/** Where the last digitsAt stopped. */
let digitsEnd = 0;

/** The number of `min` to `max` ASCII digits at `i` (before `e`), or -1; digitsEnd is set after them. */
function digitsAt(b: Uint8Array, i: number, e: number, min: number, max: number): number {
  let v = 0, k = 0;
  for (; k < max && i + k < e; k++) {
    const d = b[i + k] - 48;
    if (d < 0 || d > 9) { break; }
    v = v * 10 + d;
  }
  digitsEnd = i + k;
  return k < min ? -1 : v;
}

/**
 * A date in `order` with parts between `sep` (days, months 1-2 digits, years 4), then for `time` spaces or tabs and
 * `H:M` or `H:M:S` (1-2 digits each), at b[s0..e0) within spaces and tabs → epoch ms, or NaN.
 */
function layoutAt(b: Uint8Array, s0: number, e0: number, order: number, sep: number, time: TemporalLayout['time']): number {
  const s = trimStart(b, s0, e0), e = trimEnd(b, s, e0);
  const ymd = order === YMD;
  const p1 = digitsAt(b, s, e, ymd ? 4 : 1, ymd ? 4 : 2);
  if (p1 < 0 || digitsEnd >= e || b[digitsEnd] !== sep) { return NaN; }
  const p2 = digitsAt(b, digitsEnd + 1, e, 1, 2);
  if (p2 < 0 || digitsEnd >= e || b[digitsEnd] !== sep) { return NaN; }
  const p3 = digitsAt(b, digitsEnd + 1, e, ymd ? 1 : 4, ymd ? 2 : 4);
  if (p3 < 0) { return NaN; }
  const y = ymd ? p1 : p3;
  const m = order === MDY ? p1 : p2;
  const d = order === DMY ? p1 : order === MDY ? p2 : p3;
  if (m < 1 || m > 12 || d < 1 || d > MONTH_DAYS[m - 1] || (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))) { return NaN; }
  const day = daysFromCivil(y, m, d) * 86400000;
  let i = digitsEnd;
  if (time === 0) { return i === e ? day : NaN; }
  const gap = i;
  while (i < e && (b[i] === 32 || b[i] === 9)) { i++; }
  if (i === gap) { return NaN; }
  const h = digitsAt(b, i, e, 1, 2);
  if (h < 0 || h > 23 || digitsEnd >= e || b[digitsEnd] !== 58) { return NaN; }
  const mi = digitsAt(b, digitsEnd + 1, e, 1, 2);
  if (mi < 0 || mi > 59) { return NaN; }
  let sec = 0;
  if (time === 2) {
    if (digitsEnd >= e || b[digitsEnd] !== 58) { return NaN; }
    sec = digitsAt(b, digitsEnd + 1, e, 1, 2);
    // a leap second reads as :59, as the pattern's reader reads it
    if (sec < 0 || sec > 60) { return NaN; }
    if (sec === 60) { sec = 59; }
  }
  return digitsEnd === e ? day + ((h * 60 + mi) * 60 + sec) * 1000 : NaN;
}

/** A byte parser of cell text: the value (`parsed.ok` says whether the text fits). */
export type TextParser = (b: Uint8Array, s: number, e: number) => number;

/** The byte parser for cells of a logical type read as text, or null when the text is the value. */
export function parserFor(type: LogicalType): TextParser | null {
  switch (type) {
    case 'integer': return parseInteger;
    case 'number': return parseNumber;
    case 'date': return parseDate;
    case 'datetime': return parseDatetime;
    case 'time': return parseTime;
    case 'boolean': return parseBoolean;
    default: return null;
  }
}

/**
 * The byte parser of a field written in its own format: a `number` with a number format (`1.234,5`), a `date` or
 * `datetime` with a strptime pattern (`25/11/2026`); null for any other field.
 */
export function formattedFieldParser(field: Field): TextParser | null {
  if (field.numberFormat && field.type === 'number') { return formattedNumberParser(field.numberFormat); }
  if (field.temporalFormat !== undefined && (field.type === 'date' || field.type === 'datetime')) {
    return formattedTemporalParser(field.temporalFormat, field.type);
  }
  return null;
}

/** The byte parser for a field's cells read as text: that of its own format (formattedFieldParser), else its type's. */
export function fieldParser(field: Field): TextParser | null {
  return formattedFieldParser(field) ?? parserFor(field.type);
}
