// How a cell is represented outside a batch: as a JSON value (exact digits kept) and as display text.
import { civilFromDays } from './calendar';
import { type ColumnData, textAt } from './columns';
import type { Field, LogicalType } from './dataset';
import { classifyValue, isMissingValue } from './inferType';
import { plainNumberText, type NumberFormat } from './numberFormat';
import { temporalTextParser } from './temporalFormat';

/** A JSON number written as these exact characters (64-bit integers, decimals), never through a double. */
export class RawJsonNumber {
  constructor(readonly text: string) {}
  toString(): string { return this.text; }
}

export type JsonCell = null | boolean | number | string | RawJsonNumber;

/** The value of cell `i` as JSON: numbers, booleans, strings, ISO 8601 dates, nested values as JSON text. */
export function cellJson(col: ColumnData, i: number, field: Field): JsonCell {
  if (col.valid[i] !== 1) { return null; }
  switch (col.kind) {
    case 'number': return field.wallClock && field.type === 'datetime' ? localDateTime(col.values[i]) ?? nonFinite(col.values[i]) : numberJson(col.values[i], field.type);
    case 'bigint': return bigintJson(col.values[i]);
    case 'text': {
      const text = textAt(col, i) as string;
      return field.temporalFormat !== undefined && (field.type === 'date' || field.type === 'datetime')
        ? formattedTemporalJson(text, field.type, field.temporalFormat)
        : textJson(text, field.type, field.numberFormat);
    }
  }
}

/** The text of cell `i` for tables and grids; null when the cell is missing. */
export function cellDisplay(col: ColumnData, i: number, field: Field): string | null {
  if (col.valid[i] !== 1) { return null; }
  switch (col.kind) {
    case 'number': return numberDisplay(col.values[i], field.type);
    case 'bigint': return col.values[i].toString();
    case 'text': return textAt(col, i) as string; // text is shown as written
  }
}

function numberJson(v: number, type: LogicalType): JsonCell {
  switch (type) {
    case 'boolean': return v !== 0;
    case 'date': return isoDate(v) ?? nonFinite(v);
    case 'datetime': return isoDateTime(v) ?? nonFinite(v);
    case 'time': return isoTime(v) ?? nonFinite(v);
    default: return nonFinite(v);
  }
}

/** JSON has no NaN or Infinity: they are written as the strings "NaN", "Infinity", "-Infinity". */
function nonFinite(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

function bigintJson(v: bigint): JsonCell {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : new RawJsonNumber(v.toString());
}

const JSON_NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INFINITY_TEXT = /^([+-]?)inf/i;

/**
 * Text cells (CSV fields, JSON Lines scalars, decimals) convert by their field type, classified the way
 * type inference saw them; missing markers (`NA`, `null`, ...) in typed columns are null; text that
 * does not fit the type stays a string. Numbers written in a `format` (`1.234,5`) are read as written with a point.
 */
function textJson(text: string, type: LogicalType, format?: NumberFormat): JsonCell {
  if (type === 'string' || type === 'binary' || type === 'json') { return text; }
  if (isMissingValue(text)) { return null; }
  if (format && type === 'number') {
    const plain = plainNumberText(text, format);
    if (plain === null) { return text; }
    const kind = classifyValue(plain);
    return kind === 'integer' || kind === 'number' ? numberText(plain) : text;
  }
  const kind = classifyValue(text);
  switch (type) {
    case 'integer': return kind === 'integer' ? integerText(text) : text;
    case 'number': return kind === 'integer' || kind === 'number' ? numberText(text) : text;
    case 'boolean': return kind === 'boolean' ? text.toLowerCase() === 'true' : text;
    case 'datetime': return kind === 'datetime' || kind === 'date' ? text.replace(' ', 'T') : text;
    default: return text; // date, time: already ISO 8601 when they fit
  }
}

/**
 * A date or date-time written in strptime `pattern` (`25/11/2026 13:45`) as ISO 8601 (`2026-11-25T13:45`): date-times
 * without a zone as ISO ones without a zone are written, to the seconds (or fractions) the pattern has; missing markers
 * are null; text that does not fit stays a string.
 */
function formattedTemporalJson(text: string, type: 'date' | 'datetime', pattern: string): JsonCell {
  if (isMissingValue(text)) { return null; }
  const ms = temporalTextParser(pattern, type)(text);
  if (ms !== ms) { return text; }
  if (type === 'date') { return isoDate(ms) ?? text; }
  if (/%[zZ]/.test(pattern)) { return isoDateTime(ms) ?? text; }
  const local = localDateTime(ms);
  if (local === null) { return text; }
  return pattern.includes('%f') ? local : local.slice(0, pattern.includes('%S') ? 19 : 16);
}

function integerText(text: string): JsonCell {
  const n = Number(text);
  if (Number.isSafeInteger(n)) { return n; }
  const digits = text.replace(/^[+-]/, '');
  return new RawJsonNumber(text.startsWith('-') ? `-${digits}` : digits);
}

function numberText(text: string): JsonCell {
  const inf = INFINITY_TEXT.exec(text);
  if (inf) { return inf[1] === '-' ? '-Infinity' : 'Infinity'; }
  const n = Number(text);
  // keep the written digits whenever a double would change them (decimals, long integers)
  if (JSON_NUMBER_TEXT.test(text) && String(n) !== text) { return new RawJsonNumber(text); }
  return Number.isFinite(n) ? n : text;
}

function numberDisplay(v: number, type: LogicalType): string {
  switch (type) {
    case 'boolean': return v !== 0 ? 'true' : 'false';
    case 'date': return isoDate(v) ?? String(v);
    case 'datetime': return displayDateTime(v) ?? String(v);
    case 'time': return isoTime(v) ?? String(v);
    default: return String(v);
  }
}

/** `YYYY-MM-DD` (UTC) of an epoch-ms value, or null when it is not a representable date. */
export function isoDate(ms: number): string | null {
  // a whole day of years 0000-9999 (every Parquet or Arrow DATE): by arithmetic, without a Date per value
  if (isPlainDay(ms)) { return civilDate(ms / DAY_MS); }
  const iso = isoOf(ms);
  return iso && iso.slice(0, iso.indexOf('T'));
}

/** Whether epoch-ms `ms` is a whole day of the years 0000-9999, which isoDate writes as plain YYYY-MM-DD. */
export function isPlainDay(ms: number): boolean {
  return ms % DAY_MS === 0 && ms >= FIRST_FAST_DAY * DAY_MS && ms <= LAST_FAST_DAY * DAY_MS;
}

const DAY_MS = 86_400_000;
/** 0000-01-01 and 9999-12-31 as days since 1970-01-01. */
const FIRST_FAST_DAY = -719_528;
const LAST_FAST_DAY = 2_932_896;

/** `YYYY-MM-DD` of a day number of the years 0000-9999. */
function civilDate(days: number): string {
  const [year, month, day] = civilFromDays(days);
  return `${year < 1000 ? String(year).padStart(4, '0') : year}-${pad2(month)}-${pad2(day)}`;
}

/** ISO 8601 UTC timestamp of epoch ms, with microseconds when the value carries them. */
export function isoDateTime(ms: number): string | null {
  const iso = isoOf(ms);
  if (!iso) { return null; }
  const micros = subMillis(ms);
  return micros ? `${iso.slice(0, -1)}${micros}Z` : iso;
}

/** ISO 8601 local ("wall clock") date-time of an epoch-ms value read as UTC fields, without a `Z`. */
export function localDateTime(ms: number): string | null {
  const iso = isoDateTime(ms);
  return iso && iso.slice(0, -1);
}

/** `YYYY-MM-DD HH:MM:SS[.sss]` for grids: UTC, milliseconds only when present. */
function displayDateTime(ms: number): string | null {
  const iso = isoDateTime(ms);
  if (!iso) { return null; }
  return iso.replace('T', ' ').replace(/Z$/, '').replace(/\.000$/, '');
}

/** `HH:MM:SS[.sss]` of a time of day given in ms since midnight. */
export function isoTime(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < 0 || ms > 86_400_000) { return null; }
  const whole = Math.floor(ms);
  const hh = Math.floor(whole / 3_600_000);
  const mm = Math.floor(whole / 60_000) % 60;
  const ss = Math.floor(whole / 1000) % 60;
  const milli = whole % 1000;
  const micros = subMillis(ms);
  const base = `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
  return milli || micros ? `${base}.${String(milli).padStart(3, '0')}${micros}` : base;
}

/**
 * `Date.prototype.toISOString` of epoch ms (floored to the ms), also beyond Date's ±8.64e15 ms, where the calendar is
 * computed (years as ±YYYYYY, as toISOString writes years outside 0000-9999); null when not finite or beyond the
 * 64-bit ms range.
 */
function isoOf(ms: number): string | null {
  if (!Number.isFinite(ms)) { return null; }
  const whole = Math.floor(ms);
  if (Math.abs(whole) <= MAX_DATE_MS) { return new Date(whole).toISOString(); }
  if (Math.abs(whole) >= 2 ** 63) { return null; }
  let days = Math.floor(whole / DAY_MS);
  let rest = whole - days * DAY_MS;
  // the division rounds: keep the time of day within [0, DAY_MS)
  if (rest < 0) { days--; rest += DAY_MS; } else if (rest >= DAY_MS) { days++; rest -= DAY_MS; }
  const [year, month, day] = civilFromDays(days);
  const yyyy = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
  const seconds = Math.floor(rest / 1000);
  const hms = `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
  return `${yyyy}-${pad2(month)}-${pad2(day)}T${hms}.${String(rest % 1000).padStart(3, '0')}Z`;
}

/** The largest |epoch ms| a Date holds. */
const MAX_DATE_MS = 8.64e15;

/** The microsecond digits below the millisecond (`''` when none), from a fractional ms value. */
function subMillis(ms: number): string {
  const frac = Math.round((ms - Math.floor(ms)) * 1000);
  return frac > 0 && frac < 1000 ? String(frac).padStart(3, '0') : '';
}

function pad2(n: number): string { return n < 10 ? `0${n}` : String(n); }

/** Exact decimal text of `unscaled × 10^-scale`, e.g. (12345n, 2) → "123.45". */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  let digits = (negative ? -unscaled : unscaled).toString();
  if (scale <= 0) {
    if (digits !== '0') { digits += '0'.repeat(-scale); }
  } else {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

/** Signed big-endian two's complement bytes as a bigint (Parquet and Arrow decimals). */
export function bigintFromBytes(bytes: Uint8Array, littleEndian = false): bigint {
  if (bytes.length === 0) { return 0n; }
  let v = 0n;
  for (let k = 0; k < bytes.length; k++) {
    const b = bytes[littleEndian ? bytes.length - 1 - k : k];
    v = (v << 8n) | BigInt(b);
  }
  const top = bytes[littleEndian ? bytes.length - 1 : 0];
  return top & 0x80 ? v - (1n << BigInt(bytes.length * 8)) : v;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Binary values are shown as lower-case hex. */
export function hexOfBytes(bytes: Uint8Array): string {
  let s = '';
  for (let k = 0; k < bytes.length; k++) { s += HEX[bytes[k]]; }
  return s;
}

/**
 * JSON text of a value, with 64-bit integers (bigint) and RawJsonNumber written as their exact digits,
 * dates as ISO strings, bytes as hex, Maps as objects. Non-finite numbers become null (JSON has none).
 */
export function stringifyJson(value: unknown): string {
  const out: string[] = [];
  writeJson(value, out, 0);
  return out.join('');
}

const MAX_DEPTH = 512;

function writeJson(v: unknown, out: string[], depth: number): void {
  if (depth > MAX_DEPTH) { out.push('null'); return; }
  if (v === null || v === undefined) { out.push('null'); return; }
  switch (typeof v) {
    case 'string': out.push(JSON.stringify(v)); return;
    case 'number': out.push(Number.isFinite(v) ? String(v) : 'null'); return;
    case 'bigint': out.push(v.toString()); return;
    case 'boolean': out.push(v ? 'true' : 'false'); return;
    case 'object': break;
    default: out.push('null'); return;
  }
  if (v instanceof RawJsonNumber) { out.push(v.text); return; }
  if (v instanceof Date) { out.push(Number.isNaN(v.getTime()) ? 'null' : JSON.stringify(v.toISOString())); return; }
  if (v instanceof Uint8Array) { out.push(JSON.stringify(hexOfBytes(v))); return; }
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const items = v as ArrayLike<unknown>;
    out.push('[');
    for (let k = 0; k < items.length; k++) {
      if (k) { out.push(','); }
      writeJson(items[k], out, depth + 1);
    }
    out.push(']');
    return;
  }
  if (v instanceof Map) {
    writeEntries([...v.entries()].map(([k, x]) => [typeof k === 'string' ? k : stringifyJson(k), x]), out, depth);
    return;
  }
  const withToJson = v as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') { writeJson(withToJson.toJSON(), out, depth + 1); return; }
  writeEntries(Object.entries(v as Record<string, unknown>), out, depth);
}

function writeEntries(entries: [string, unknown][], out: string[], depth: number): void {
  out.push('{');
  let first = true;
  for (const [k, x] of entries) {
    if (x === undefined) { continue; }
    if (!first) { out.push(','); }
    first = false;
    out.push(JSON.stringify(k), ':');
    writeJson(x, out, depth + 1);
  }
  out.push('}');
}
