// Reading one cell's text as a field's logical value (type and format), and the value's identity for unique/enum checks.
import type { LogicalType } from '../formats/dataset';
import type { FieldType, SchemaField } from './tableSchema';
import {
  anyTemporalParser, compileTemporalPattern, parseDuration, parseIsoDate, parseIsoDateTime, parseIsoTime,
  parseYearMonth, type TemporalKind, type TemporalParser,
} from './temporalText';

/** Returned by `cast` when the text is not a value of the field's type. */
export const CAST_FAIL: unique symbol = Symbol('cast-fail');
export type CastFail = typeof CAST_FAIL;

/**
 * Logical values: string (string, any, uri...), number (number, integer within 2^53, year, and every temporal
 * type as a number, see temporalText.ts), bigint (integers beyond 2^53), boolean, and parsed JSON for
 * object/array/geojson/list/geopoint.
 */
export type CellValue = string | number | bigint | boolean | object;

export interface FieldCodec {
  readonly field: SchemaField;
  /** Texts that mean "no value" for this field. */
  readonly missingValues: ReadonlySet<string>;
  isMissing(text: string): boolean;
  /** The value of a text that is not a missing value, or CAST_FAIL. */
  cast(text: string): CellValue | CastFail;
  /** Whether `cast` would succeed, without making the value (the validator's path when no rule needs it). */
  test(text: string): boolean;
  /** A string that is equal for equal values (`01` and `1` in an integer field), for unique and enum. */
  key(value: CellValue): string;
  /** `integer/default`, `date/%d/%m/%Y`: how Frictionless names a type in its notes. */
  readonly typeLabel: string;
}

export const DEFAULT_TRUE_VALUES = ['true', 'True', 'TRUE', '1'];
export const DEFAULT_FALSE_VALUES = ['false', 'False', 'FALSE', '0'];

/** Builds the codec of a field; `missingValues` are those that apply to it (field's own, else the schema's). */
export function compileFieldCodec(field: SchemaField, missingValues: readonly string[]): FieldCodec {
  const missing = new Set(missingValues);
  const onlyEmpty = missing.size === 1 && missing.has('');
  const isMissing = missing.size === 0 ? () => false : onlyEmpty ? (t: string) => t.length === 0 : (t: string) => missing.has(t);
  const cast = castFunction(field);
  const test = testFunction(field) ?? ((t: string) => cast(t) !== CAST_FAIL);
  return {
    field,
    missingValues: missing,
    isMissing,
    cast,
    test,
    key: keyFunction(field.type),
    typeLabel: `${field.type}/${field.format}`,
  };
}

function keyFunction(type: FieldType): (v: CellValue) => string {
  switch (type) {
    case 'string': case 'any': return v => (typeof v === 'string' ? v : JSON.stringify(v));
    case 'integer': case 'number': case 'year': case 'date': case 'datetime': case 'time': case 'yearmonth': case 'duration':
      return v => String(v);
    case 'boolean': return v => (v ? 'true' : 'false');
    default: return v => JSON.stringify(v);
  }
}

function castFunction(field: SchemaField): (text: string) => CellValue | CastFail {
  switch (field.type) {
    case 'any': return t => t;
    case 'string': return stringCast(field.format);
    case 'integer': return integerCast(field);
    case 'number': return numberCast(field);
    case 'boolean': {
      const yes = new Set(field.trueValues ?? DEFAULT_TRUE_VALUES);
      const no = new Set(field.falseValues ?? DEFAULT_FALSE_VALUES);
      return t => (yes.has(t) ? true : no.has(t) ? false : CAST_FAIL);
    }
    case 'date': case 'time': case 'datetime': return temporalCast(field.type, field.format);
    case 'year': return t => (YEAR_RE.test(t) ? Number(t) : CAST_FAIL);
    case 'yearmonth': return numeric(parseYearMonth);
    case 'duration': return numeric(parseDuration);
    case 'object': return jsonCast(v => typeof v === 'object' && v !== null && !Array.isArray(v));
    case 'array': return jsonCast(Array.isArray);
    case 'geojson': return jsonCast(field.format === 'topojson' ? isTopoJson : isGeoJson);
    case 'geopoint': return geopointCast(field.format);
    case 'list': return listCast(field);
  }
}

/** Allocation-free tests for the common default formats; undefined where `cast` itself is the test. */
function testFunction(field: SchemaField): ((text: string) => boolean) | undefined {
  if (field.format !== 'default') { return undefined; }
  switch (field.type) {
    case 'any': case 'string': return () => true;
    case 'integer':
      return field.groupChar === undefined && field.bareNumber !== false ? isIntegerText : undefined;
    case 'number':
      return field.groupChar === undefined && field.bareNumber !== false && (field.decimalChar ?? '.') === '.'
        ? t => isDecimalText(t) || SPECIAL_NUMBER[t.toLowerCase()] !== undefined : undefined;
    case 'date': return isIsoDateText;
    default: return undefined;
  }
}

/**
 * Whether every value of a typed column (Parquet, Arrow) of logical type `type` passes this codec's test, written as
 * Strata writes it (cellDisplay: digits, `1.5e-7`, `NaN`, `true`, `2024-01-31`), and is no missing value but ''. A
 * checker may then skip the text of such a column's values where the source gives PRESENT. For dates, a source gives
 * PRESENT only for whole days of the years 0000-9999 (written YYYY-MM-DD); others come as text, to be tested.
 */
export function acceptsEveryValue(codec: FieldCodec, type: LogicalType): boolean {
  const field = codec.field;
  if ([...codec.missingValues].some(m => m !== '') || field.format !== 'default') { return false; }
  const plainNumbers = field.groupChar === undefined && field.bareNumber !== false;
  switch (field.type) {
    case 'any': case 'string': return true;
    case 'integer': return plainNumbers && type === 'integer';
    case 'number': return plainNumbers && (field.decimalChar ?? '.') === '.' && (type === 'integer' || type === 'number');
    case 'boolean':
      return type === 'boolean' && (field.trueValues ?? DEFAULT_TRUE_VALUES).includes('true') && (field.falseValues ?? DEFAULT_FALSE_VALUES).includes('false');
    case 'date': return type === 'date';
    default: return false;
  }
}

function isIntegerText(s: string): boolean {
  const n = s.length;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) { i = 1; }
  if (i >= n) { return false; }
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) { return false; }
  }
  return true;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DD` naming a day that exists. */
function isIsoDateText(t: string): boolean {
  if (t.length !== 10 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) { return false; }
  let y = 0;
  for (let i = 0; i < 4; i++) { const d = t.charCodeAt(i) - 48; if (d < 0 || d > 9) { return false; } y = y * 10 + d; }
  const m1 = t.charCodeAt(5) - 48, m2 = t.charCodeAt(6) - 48, d1 = t.charCodeAt(8) - 48, d2 = t.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) { return false; }
  const m = m1 * 10 + m2, d = d1 * 10 + d2;
  if (m < 1 || m > 12 || d < 1 || d > MONTH_DAYS[m - 1]) { return false; }
  return m !== 2 || d < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
}

const YEAR_RE = /^-?\d{4}$/;

function numeric(parse: (t: string) => number): (t: string) => CellValue | CastFail {
  return t => {
    const v = parse(t);
    return v === v ? v : CAST_FAIL;
  };
}

export function temporalParser(kind: TemporalKind, format: string): TemporalParser {
  if (format === 'default') { return kind === 'date' ? parseIsoDate : kind === 'time' ? parseIsoTime : parseIsoDateTime; }
  if (format === 'any') { return anyTemporalParser(kind); }
  return compileTemporalPattern(format, kind);
}

function temporalCast(kind: TemporalKind, format: string): (t: string) => CellValue | CastFail {
  return numeric(temporalParser(kind, format));
}

const EMAIL_RE = /^[^\s@"<>()[\],;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/;
const URI_RE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function isEmail(t: string): boolean { return t.length <= 254 && EMAIL_RE.test(t); }
export function isUri(t: string): boolean { return URI_RE.test(t); }
export function isUuid(t: string): boolean { return t.length === 36 && UUID_RE.test(t); }

function stringCast(format: string): (t: string) => CellValue | CastFail {
  switch (format) {
    case 'email': return t => (isEmail(t) ? t : CAST_FAIL);
    case 'uri': return t => (isUri(t) ? t : CAST_FAIL);
    case 'uuid': return t => (isUuid(t) ? t : CAST_FAIL);
    case 'binary': return t => (BASE64_RE.test(t) ? t : CAST_FAIL);
    default: return t => t;
  }
}

/** Strips what a `bareNumber: false` field may carry around its digits (`€95`, `95%`, `EUR 95`). */
function stripNonNumeric(t: string): string {
  const m = /[-+]?[\d.,]*\d/.exec(t);
  return m ? m[0] : t;
}

function integerCast(field: SchemaField): (t: string) => CellValue | CastFail {
  const group = field.groupChar;
  const bare = field.bareNumber !== false;
  return t => {
    let s = bare ? t : stripNonNumeric(t);
    if (group !== undefined && s.includes(group)) { s = s.split(group).join(''); }
    return parseIntegerText(s);
  };
}

/** An integer written as `[+-]digits`; a number below 2^53, else an exact bigint. */
export function parseIntegerText(s: string): number | bigint | CastFail {
  const n = s.length;
  if (n === 0) { return CAST_FAIL; }
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) { i = 1; if (n === 1) { return CAST_FAIL; } }
  if (n - i <= 15) {
    let v = 0;
    for (; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) { return CAST_FAIL; }
      v = v * 10 + d;
    }
    return c0 === 45 ? (v === 0 ? 0 : -v) : v;
  }
  for (let k = i; k < n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) { return CAST_FAIL; }
  }
  const big = BigInt(c0 === 43 ? s.slice(1) : s);
  return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
}

const SPECIAL_NUMBER: Record<string, number> = { nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity };

/** `[+-](digits[.digits]|.digits)[e[+-]digits]`, checked by hand (a regex costs more on the hot path). */
export function isDecimalText(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) { i++; }
  let digits = 0;
  while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) { i++; digits++; }
  if (i < n && c === 46) {
    i++;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) { i++; digits++; }
  }
  if (digits === 0) { return false; }
  if (i < n && (c === 101 || c === 69)) {
    i++;
    if (i < n && ((c = s.charCodeAt(i)) === 43 || c === 45)) { i++; }
    let e = 0;
    while (i < n && (c = s.charCodeAt(i)) >= 48 && c <= 57) { i++; e++; }
    if (e === 0) { return false; }
  }
  return i === n;
}

function numberCast(field: SchemaField): (t: string) => CellValue | CastFail {
  const group = field.groupChar;
  const decimal = field.decimalChar ?? '.';
  const bare = field.bareNumber !== false;
  const plain = bare && group === undefined && decimal === '.';
  return t => {
    let s = t;
    if (!plain) {
      if (!bare) { s = stripNonNumeric(s); }
      if (group !== undefined && s.includes(group)) { s = s.split(group).join(''); }
      if (decimal !== '.') { s = s.includes('.') ? '\u0000' : s.split(decimal).join('.'); }
    }
    if (isDecimalText(s)) { return Number(s); }
    const special = SPECIAL_NUMBER[s.toLowerCase()];
    return special !== undefined ? special : CAST_FAIL;
  };
}

function jsonCast(accept: (v: unknown) => boolean): (t: string) => CellValue | CastFail {
  return t => {
    const c = t.charCodeAt(0);
    if (c !== 123 && c !== 91) { return CAST_FAIL; } // `{` or `[`: anything else cannot be an object or array
    try {
      const v: unknown = JSON.parse(t);
      return accept(v) ? (v as object) : CAST_FAIL;
    } catch {
      return CAST_FAIL;
    }
  };
}

const GEOJSON_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection', 'Feature', 'FeatureCollection']);

function isGeoJson(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && GEOJSON_TYPES.has((v as { type?: string }).type ?? '');
}

function isTopoJson(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { type?: string }).type === 'Topology' && typeof (v as { objects?: unknown }).objects === 'object';
}

function lonLat(lon: unknown, lat: unknown): CellValue | CastFail {
  const x = typeof lon === 'string' && isDecimalText(lon.trim()) ? Number(lon) : lon;
  const y = typeof lat === 'string' && isDecimalText(lat.trim()) ? Number(lat) : lat;
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) { return CAST_FAIL; }
  if (x < -180 || x > 180 || y < -90 || y > 90) { return CAST_FAIL; }
  return [x, y];
}

function geopointCast(format: string): (t: string) => CellValue | CastFail {
  if (format === 'array') {
    return t => {
      try {
        const v: unknown = JSON.parse(t);
        return Array.isArray(v) && v.length === 2 ? lonLat(v[0], v[1]) : CAST_FAIL;
      } catch { return CAST_FAIL; }
    };
  }
  if (format === 'object') {
    return t => {
      try {
        const v = JSON.parse(t) as { lon?: unknown; lat?: unknown } | null;
        return v && typeof v === 'object' && Object.keys(v).length === 2 ? lonLat(v.lon, v.lat) : CAST_FAIL;
      } catch { return CAST_FAIL; }
    };
  }
  return t => {
    const parts = t.split(',');
    return parts.length === 2 ? lonLat(parts[0].trim(), parts[1].trim()) : CAST_FAIL;
  };
}

function listCast(field: SchemaField): (t: string) => CellValue | CastFail {
  const delimiter = field.delimiter ?? ',';
  const item = castFunction({ name: field.name, type: field.itemType ?? 'string', format: 'default', constraints: {} });
  return t => {
    const out: CellValue[] = [];
    for (const part of t.split(delimiter)) {
      const v = item(part);
      if (v === CAST_FAIL) { return CAST_FAIL; }
      out.push(v);
    }
    return out;
  };
}
