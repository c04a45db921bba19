// Writes a Table Schema from the data: types, formats, required/unique/enum, missing values and a primary key, in one streamed pass.
import type { Field, LogicalType } from '../formats/dataset';
import { cancelledError } from '../formats/errors';
import { DEFAULT_MISSING_VALUES, TypeInferrer, type InferredType } from '../formats/inferType';
import { numberFormatProperties } from '../formats/numberFormat';
import { TEMPORAL_LAYOUTS, temporalShape, temporalTextParser } from '../formats/temporalFormat';
import { isEmail, isUuid } from './fieldCodec';
import { KeyBudget, KeySet } from './keySet';
import type { FieldType, SchemaField, TableSchema } from './tableSchema';
import { visitBatch, type TableSource } from './tableSource';
import { parseIsoDateTime, parseIsoTime } from './temporalText';

export interface InferOptions {
  /** Data rows to read at most (default: all of them). */
  sampleRows?: number;
  /** Add the observed minimum/maximum as constraints of numeric and temporal fields (default false). */
  ranges?: boolean;
  /** Largest number of distinct values a string field may have to get an `enum` (default 10). */
  enumMaxValues?: number;
  /** Memory for the sets that tell whether a column's values are all distinct (default 128 MiB, shared). */
  keyMemoryBytes?: number;
  /** Texts that may mean "no value" (default: the markers inferType knows, `NA`, `null`, `NaN`...). */
  missingCandidates?: readonly string[];
  /**
   * Numbers may be written with a decimal comma (`1.234,5`): true for delimited text whose delimiter is not `,`. Such a
   * column is a `number` field with `decimalChar` (and `groupChar`); see TypeInferrer.
   */
  decimalComma?: boolean;
  /**
   * Numbers may be written with `,` thousands groups and a decimal point (`1,234.5`): true for delimited text. Such a
   * column is a `number` field with `groupChar` `,`; see TypeInferrer.
   */
  thousandsComma?: boolean;
  /**
   * Dates may be written in a common layout other than ISO 8601 (`25/11/2026`): true for delimited text. Such a column
   * is a `date` or `datetime` field whose `format` is that layout's strptime pattern; see TypeInferrer.
   */
  temporalLayouts?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { rowsDone: number; bytesDone: number; bytesTotal: number }) => void;
}

export interface InferredSchema {
  schema: TableSchema;
  rowsScanned: number;
  /** False when `sampleRows` stopped the pass before the end: the facts hold for the sample only. */
  complete: boolean;
}

const URL_RE = /^(?:https?|ftp):\/\/[^\s/?#]+\.[^\s/?#]+[^\s]*$/i;
const YEAR_NAME = /(^|[^a-z])(year|yr)([^a-z]|$)|year$/i;
const KEY_NAME = /^(id|key|code|uuid|guid)$|[_ ](id|key|code)$|[a-z]Id$/i;
const MAX_ENUM_LENGTH = 64;

/** The lowest and highest of a column's values of one kind (instants, times of day), with their texts. */
class Bounds {
  low = Infinity;
  high = -Infinity;
  lowText = '';
  highText = '';

  add(v: number, text: string): void {
    if (v < this.low) { this.low = v; this.lowText = text; }
    if (v > this.high) { this.high = v; this.highText = text; }
  }

  get empty(): boolean { return this.low > this.high; }
}

class ColumnFacts {
  readonly types: TypeInferrer;
  /**
   * The type the file itself gives the column's values (Parquet and Arrow columns; JSON values in JSON Lines), or
   * null when only the texts tell.
   */
  readonly declared: LogicalType | null;
  /** Date-times that are local ("wall clock") times: written without a zone. */
  readonly wallClock: boolean;
  /** Texts that may stand for "no value": a typed column's only stand-in is the empty text. */
  readonly markers: ReadonlySet<string>;
  count = 0;
  absent = 0;
  readonly tokens = new Map<string, number>();
  emails = 0;
  urls = 0;
  uuids = 0;
  years = 0;
  /** Values like `007`: codes and ids whose zeros a number would lose. */
  leadingZeros = 0;
  /** JSON text values that are arrays, objects (columns of JSON values). */
  arrays = 0;
  objects = 0;
  keys: KeySet | null;
  distinct: Set<string> | null = new Set();
  min = Infinity;
  max = -Infinity;
  /** The texts of the lowest and highest number, whose digits an integer beyond 2^53 needs. */
  minText = '';
  maxText = '';
  /** Dates and date-times as instants (epoch ms), times of day as ms since midnight. */
  readonly moments = new Bounds();
  readonly clocks = new Bounds();
  /** The lowest and highest value read as a decimal-comma number, for the range (null where no column may be one). */
  commaNumbers: Bounds | null;
  /** Likewise read as a number with `,` thousands groups (`1,234.5`). */
  thousandsNumbers: Bounds | null;
  /**
   * Per layout of TEMPORAL_LAYOUTS, the lowest and highest instant of the values it reads, for the range of a column that
   * may turn out to be written in it (null where no column may be).
   */
  layoutMoments: Bounds[] | null;

  constructor(candidates: ReadonlySet<string>, budget: KeyBudget, field: Field | undefined, typed: boolean, written: WrittenFormats) {
    this.declared = field && (typed || field.type === 'json') ? field.type : null;
    this.wallClock = field?.wallClock === true;
    this.markers = this.declared === null ? candidates : EMPTY_ONLY;
    const comma = written.decimalComma === true && this.declared === null;
    const thousands = written.thousandsComma === true && this.declared === null;
    const layouts = written.temporalLayouts === true && this.declared === null;
    this.types = new TypeInferrer({ missingValues: [...this.markers], decimalComma: comma, thousandsComma: thousands, temporalLayouts: layouts });
    this.keys = new KeySet(budget);
    this.commaNumbers = comma ? new Bounds() : null;
    this.thousandsNumbers = thousands ? new Bounds() : null;
    this.layoutMoments = layouts ? TEMPORAL_LAYOUTS.map(() => new Bounds()) : null;
  }
}

/** The ways of writing numbers and dates other than `1234.5` and ISO 8601 that a column's texts may be read in. */
type WrittenFormats = Pick<InferOptions, 'decimalComma' | 'thousandsComma' | 'temporalLayouts'>;

const EMPTY_ONLY: ReadonlySet<string> = new Set(['']);

/** Infers a schema by streaming `source` once (or its first `sampleRows` rows). */
export async function inferSchema(source: TableSource, options: InferOptions = {}): Promise<InferredSchema> {
  const candidates = options.missingCandidates ?? DEFAULT_MISSING_VALUES;
  const candidateSet = new Set(candidates);
  const enumMax = options.enumMaxValues ?? 10;
  const ranges = options.ranges === true;
  const limit = options.sampleRows ?? Infinity;
  // every column starts as a unique candidate; most drop out within a few rows and free their set
  const budget = new KeyBudget(options.keyMemoryBytes ?? 128 * 1024 * 1024);
  let labels = null as string[] | null;
  const cols: ColumnFacts[] = [];
  let rows = 0;
  let complete = true;

  // Parquet and Arrow columns hold values of their type; a JSON Lines column typed json holds JSON text
  const typed = source.valueTypes !== undefined;
  const ensure = (n: number): void => {
    while (cols.length < n) {
      cols.push(new ColumnFacts(candidateSet, budget, source.fields?.[cols.length], typed, options));
    }
  };

  for await (const batch of source.batches(options.signal)) {
    if (options.signal?.aborted) { throw cancelledError(); }
    const more = visitBatch(batch, (row, cells) => {
      if (row === -1) { labels = cells.map(c => c ?? ''); ensure(labels.length); return true; }
      if (rows >= limit) { complete = false; return false; }
      rows++;
      ensure(cells.length);
      for (let i = 0; i < cols.length; i++) {
        const c = cols[i];
        const text = i < cells.length ? cells[i] : null;
        if (text === null) { c.absent++; continue; }
        if (c.declared === null) { c.types.add(text); }
        if (c.markers.has(text)) {
          c.tokens.set(text, (c.tokens.get(text) ?? 0) + 1);
          continue;
        }
        observe(c, text, row, enumMax, ranges);
      }
      return true;
    });
    options.onProgress?.({ rowsDone: rows, bytesDone: batch.bytesDone ?? 0, bytesTotal: source.bytesTotal });
    if (!more) { break; }
  }
  if (options.signal?.aborted) { throw cancelledError(); }

  const names = fieldNames(labels ?? [], cols.length);
  ensure(names.length);

  // a marker is a missing value when it sits in a column whose other values have a type other than string
  const inferred = cols.map(c => c.types.result());
  const missing = new Set<string>(['']);
  cols.forEach((c, i) => {
    if (inferred[i].type !== 'string' && inferred[i].count > 0) { for (const t of c.tokens.keys()) { missing.add(t); } }
  });
  const missingValues = [...missing].sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b));

  const fields: SchemaField[] = cols.map((c, i) => makeField(names[i], c, inferred[i], missing, enumMax, ranges));
  const primaryKey = pickPrimaryKey(fields);
  return {
    schema: { fields, fieldsMatch: 'exact', missingValues, primaryKey, uniqueKeys: [], foreignKeys: [] },
    rowsScanned: rows,
    complete,
  };
}

function observe(c: ColumnFacts, text: string, row: number, enumMax: number, ranges: boolean): void {
  c.count++;
  const first = text.charCodeAt(0);
  const digit = first >= 48 && first <= 57;
  // dates and date-times as instants, times of day as ms: temporal types compare and repeat these, not the texts
  // (read while they may still tell a repeat, or for the range)
  const temporal = digit && (c.keys !== null || ranges);
  const moment = temporal && text.length >= 10 && text.charCodeAt(4) === 45 ? parseIsoDateTime(text) : NaN;
  const clock = temporal && moment !== moment && text.length >= 5 && text.charCodeAt(2) === 58 ? parseIsoTime(text) : NaN;
  if (moment === moment) { c.moments.add(moment, text); } else if (clock === clock) { c.clocks.add(clock, text); }
  if (c.keys !== null) {
    // each value keyed as its type reads it (`+1` is 1; `2024-01-02` is `2024-01-02T00:00:00Z`); plain integers as
    // numbers: an ascending id column then costs nothing
    const seen = isShortInteger(text) ? c.keys.addNumber(Number(text), row)
      : moment === moment ? c.keys.addNumber(moment, row)
        : clock === clock ? c.keys.addNumber(clock, row)
          : c.keys.addString(first === 43 && isIntegerText(text) ? text.slice(1) : text, row);
    if (seen >= 0) { c.keys.release(); c.keys = null; } // a repeat: not unique; free the set for the others
  }
  if (c.distinct !== null) {
    c.distinct.add(text);
    if (c.distinct.size > enumMax || text.length > MAX_ENUM_LENGTH) { c.distinct = null; }
  }
  if (digit || first === 45 || first === 43 || first === 46) {
    const n = Number(text);
    if (n === n) { observeNumber(c, n, text, first); }
    if (ranges && c.commaNumbers !== null) { observeCommaNumber(c.commaNumbers, text); }
    if (ranges && c.thousandsNumbers !== null) { observeThousandsNumber(c.thousandsNumbers, text); }
    if (ranges && c.layoutMoments !== null && digit) { observeLayoutMoments(c.layoutMoments, text); }
  } else if (first === 91) { c.arrays++; } else if (first === 123) { c.objects++; }
  if (text.length === 36 && isUuid(text)) { c.uuids++; } else if (text.includes('@')) { if (isEmail(text)) { c.emails++; } } else if (first === 104 || first === 102 || first === 72 || first === 70) {
    if (URL_RE.test(text)) { c.urls++; }
  }
}

function observeNumber(c: ColumnFacts, n: number, text: string, first: number): void {
  // doubles beyond 2^53 tie where the integers differ: the written digits decide
  if (n < c.min || (n === c.min && !Number.isSafeInteger(n) && lessInteger(text, c.minText))) { c.min = n; c.minText = text; }
  if (n > c.max || (n === c.max && !Number.isSafeInteger(n) && lessInteger(c.maxText, text))) { c.max = n; c.maxText = text; }
  if (text.length === 4 && n >= 1000 && n <= 2999 && first !== 43) { c.years++; }
  if (/^[+-]?0\d/.test(text)) { c.leadingZeros++; }
}

/** Groups a decimal-comma number may have: the column's type inference tells whether they are one kind. */
const COMMA_GROUPS = /[. \u00a0\u202f]/g;

/** The value of a text read as a decimal-comma number, for the range of a column that may turn out to be one. */
function observeCommaNumber(bounds: Bounds, text: string): void {
  const n = Number(text.replace(COMMA_GROUPS, '').replace(',', '.'));
  if (n === n) { bounds.add(n, text); }
}

/** The value of a text read as a number with `,` thousands groups, for the range of a column that may turn out to be one. */
function observeThousandsNumber(bounds: Bounds, text: string): void {
  const n = Number(text.includes(',') ? text.split(',').join('') : text);
  if (n === n) { bounds.add(n, text); }
}

/** The instant of a text in each layout that reads it, for the range of a column that may turn out to be written in one. */
function observeLayoutMoments(bounds: Bounds[], text: string): void {
  const shape = temporalShape(text);
  for (let k = 0; k < bounds.length; k++) {
    if ((shape & (1 << k)) === 0) { continue; }
    const layout = TEMPORAL_LAYOUTS[k];
    bounds[k].add(temporalTextParser(layout.pattern, layout.time === 0 ? 'date' : 'datetime')(text), text);
  }
}

/** `a < b` for two integer texts (false unless both are). */
function lessInteger(a: string, b: string): boolean {
  return isIntegerText(a) && isIntegerText(b) && BigInt(a) < BigInt(b);
}

function isIntegerText(t: string): boolean {
  return /^[+-]?\d+$/.test(t);
}

/** An integer of at most 15 digits (exact as a double), with a sign or none, without leading zeros. */
function isShortInteger(t: string): boolean {
  const n = t.length;
  const signed = t.charCodeAt(0) === 43 || t.charCodeAt(0) === 45 ? 1 : 0;
  if (n === signed || n - signed > 15 || (t.charCodeAt(signed) === 48 && n - signed > 1)) { return false; }
  for (let i = signed; i < n; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) { return false; }
  }
  return true;
}

/** Header labels as field names: a blank label (or none) is `fieldN`, N the column's number, as Frictionless names it. */
function fieldNames(labels: readonly string[], width: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < Math.max(labels.length, width); i++) {
    const label = labels[i] ?? '';
    names.push(label.trim() === '' ? `field${i + 1}` : label);
  }
  return names;
}

/** The field type and format of a column: the file's own type for its values where it has one, else what the texts show. */
function typeOf(name: string, c: ColumnFacts, logical: string): { type: FieldType; format: string } {
  switch (c.declared ?? logical) {
    case 'integer':
      if (c.leadingZeros > 0) { return { type: 'string', format: 'default' }; }
      return { type: c.years === c.count && c.count > 0 && YEAR_NAME.test(name) ? 'year' : 'integer', format: 'default' };
    case 'number': return { type: c.leadingZeros > 0 ? 'string' : 'number', format: 'default' };
    case 'boolean': case 'date': case 'datetime': case 'time': return { type: (c.declared ?? logical) as FieldType, format: 'default' };
    case 'binary': return { type: 'string', format: 'binary' };
    case 'json': return { type: c.count > 0 && c.arrays === c.count ? 'array' : c.count > 0 && c.objects === c.count ? 'object' : 'string', format: 'default' };
    default: return { type: 'string', format: 'default' };
  }
}

function makeField(name: string, c: ColumnFacts, inferred: InferredType, missing: ReadonlySet<string>, enumMax: number, ranges: boolean): SchemaField {
  const { type, format } = typeOf(name, c, inferred.type);
  // markers not taken as missing values are ordinary values of this column
  let extraValues = 0;
  let repeatedExtra = false;
  let missingCount = c.absent;
  for (const [t, n] of c.tokens) {
    if (missing.has(t)) { missingCount += n; } else { extraValues += n; if (n > 1) { repeatedExtra = true; } if (c.distinct) { c.distinct.add(t); } }
  }
  const count = c.count + extraValues;
  // a number's format (`1.234,5`, `1,234.5`) stands beside its type
  const numberFormat = type === 'number' ? inferred.numberFormat : undefined;
  const field: SchemaField = { name, type, format, ...numberFormatProperties(numberFormat), constraints: {} };
  // so does a date's layout, as its format
  if ((type === 'date' || type === 'datetime') && inferred.temporalFormat !== undefined) { field.format = inferred.temporalFormat; }
  if (type === 'string' && format === 'default' && c.declared !== 'json' && c.count > 0 && extraValues === 0) {
    if (c.emails === c.count) { field.format = 'email'; } else if (c.uuids === c.count) { field.format = 'uuid'; } else if (c.urls === c.count) { field.format = 'uri'; }
  }
  if (count > 0 && missingCount === 0) { field.constraints.required = true; }
  // measurements (numbers) and flags being distinct is chance, not a rule worth enforcing; JSON values equal as
  // values may differ as texts (key order, spacing)
  // a set that reached its memory budget proves nothing: no unique then
  if (count > 1 && c.keys !== null && !c.keys.full && !repeatedExtra && !NEVER_UNIQUE.has(type)) { field.constraints.unique = true; }
  const distinct = c.distinct;
  if (type === 'string' && field.format === 'default' && distinct && distinct.size >= 1 && distinct.size <= enumMax
    && count >= 20 && distinct.size * 4 <= count) {
    field.constraints.enum = [...distinct].sort();
  }
  if (ranges && count > 0) { addRange(field, c, inferred.temporalFormat); }
  return field;
}

const NEVER_UNIQUE: ReadonlySet<FieldType> = new Set(['boolean', 'number', 'array', 'object']);

/**
 * The observed lowest and highest value as minimum and maximum: integers with every digit, times in ISO 8601, dates
 * written in a layout (`temporalFormat`) as written, which is how the field's format reads them.
 */
function addRange(field: SchemaField, c: ColumnFacts, temporalFormat: string | undefined): void {
  const k = field.constraints;
  if ((field.type === 'date' || field.type === 'datetime') && temporalFormat !== undefined) {
    const bounds = c.layoutMoments?.[TEMPORAL_LAYOUTS.findIndex(l => l.pattern === temporalFormat)];
    if (bounds && !bounds.empty) { k.minimum = bounds.lowText; k.maximum = bounds.highText; }
    return;
  }
  switch (field.type) {
    case 'integer': case 'year':
      if (Number.isFinite(c.min)) { k.minimum = exactInteger(c.min, c.minText); k.maximum = exactInteger(c.max, c.maxText); }
      break;
    case 'number': {
      // numbers written in a format are bounded as it reads them
      const bounds = field.decimalChar !== undefined ? c.commaNumbers : field.groupChar !== undefined ? c.thousandsNumbers : undefined;
      if (bounds !== undefined) {
        if (bounds && Number.isFinite(bounds.low)) { k.minimum = bounds.low; k.maximum = bounds.high; }
      } else if (Number.isFinite(c.min)) { k.minimum = c.min; k.maximum = c.max; }
      break;
    }
    case 'date':
      if (!c.moments.empty) { k.minimum = c.moments.lowText; k.maximum = c.moments.highText; }
      break;
    case 'datetime': {
      // a typed date-time without a zone is a UTC instant unless the file says it is a wall-clock time
      const zone = c.declared === 'datetime' && !c.wallClock ? 'Z' : '';
      if (!c.moments.empty) { k.minimum = isoDateTimeText(c.moments.lowText, zone); k.maximum = isoDateTimeText(c.moments.highText, zone); }
      break;
    }
    case 'time':
      if (!c.clocks.empty) { k.minimum = isoTimeText(c.clocks.lowText); k.maximum = isoTimeText(c.clocks.highText); }
      break;
  }
}

function exactInteger(n: number, text: string): number | bigint {
  return Number.isSafeInteger(n) || !isIntegerText(text) ? n : BigInt(text);
}

const DATETIME_PARTS = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(.*)$/;

/** A date-time (or a date: its midnight) written in full ISO 8601, `2024-01-02T03:04:05`; `zone` where it has none. */
function isoDateTimeText(text: string, zone: string): string {
  const m = DATETIME_PARTS.exec(text);
  if (!m) { return text; }
  return `${m[1]}T${m[2] ?? '00:00'}:${m[3] ?? '00'}${m[4] ? `.${m[4]}` : ''}${m[5] || zone}`;
}

/** A time of day written in full, `12:30:00`. */
function isoTimeText(text: string): string {
  return /^\d{2}:\d{2}$/.test(text) ? `${text}:00` : text.replace(',', '.');
}

/** A required, unique column, preferring id-like names, then integers and strings (never numbers, booleans or times). */
function pickPrimaryKey(fields: SchemaField[]): string[] {
  const candidates = fields.filter(f => f.constraints.required && f.constraints.unique && (f.type === 'integer' || f.type === 'string'));
  const named = candidates.find(f => KEY_NAME.test(f.name));
  const pick = named ?? candidates.find(f => f.type === 'integer') ?? candidates[0];
  return pick ? [pick.name] : [];
}
