// Writes a Table Schema from the data: types, formats, required/unique/enum, missing values and a primary key, in one streamed pass.
import { cancelledError } from '../formats/errors';
import { DEFAULT_MISSING_VALUES, TypeInferrer } from '../formats/inferType';
import { isEmail, isUuid } from './fieldCodec';
import { KeyBudget, KeySet } from './keySet';
import type { FieldType, SchemaField, TableSchema } from './tableSchema';
import { visitBatch, type TableSource } from './tableSource';

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

class ColumnFacts {
  readonly types: TypeInferrer;
  count = 0;
  absent = 0;
  readonly tokens = new Map<string, number>();
  emails = 0;
  urls = 0;
  uuids = 0;
  years = 0;
  /** Values like `007`: codes and ids whose zeros a number would lose. */
  leadingZeros = 0;
  keys: KeySet | null;
  distinct: Set<string> | null = new Set();
  min = Infinity;
  max = -Infinity;
  minText: string | null = null;
  maxText: string | null = null;

  constructor(candidates: readonly string[], budget: KeyBudget) {
    this.types = new TypeInferrer({ missingValues: candidates });
    this.keys = new KeySet(budget);
  }
}

/** Infers a schema by streaming `source` once (or its first `sampleRows` rows). */
export async function inferSchema(source: TableSource, options: InferOptions = {}): Promise<InferredSchema> {
  const candidates = options.missingCandidates ?? DEFAULT_MISSING_VALUES;
  const candidateSet = new Set(candidates);
  const enumMax = options.enumMaxValues ?? 10;
  const limit = options.sampleRows ?? Infinity;
  // every column starts as a unique candidate; most drop out within a few rows and free their set
  const budget = new KeyBudget(options.keyMemoryBytes ?? 128 * 1024 * 1024);
  let labels = null as string[] | null;
  const cols: ColumnFacts[] = [];
  let rows = 0;
  let complete = true;

  const ensure = (n: number): void => {
    while (cols.length < n) { cols.push(new ColumnFacts(candidates, budget)); }
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
        if (text === null) { c.absent++; c.types.add(null); continue; }
        c.types.add(text);
        if (candidateSet.has(text)) {
          c.tokens.set(text, (c.tokens.get(text) ?? 0) + 1);
          continue;
        }
        observe(c, text, row, enumMax);
      }
      return true;
    });
    options.onProgress?.({ rowsDone: rows, bytesDone: batch.bytesDone ?? 0, bytesTotal: source.bytesTotal });
    if (!more) { break; }
  }
  if (options.signal?.aborted) { throw cancelledError(); }

  const names = (labels ?? cols.map((_, i) => `field${i + 1}`)).slice();
  while (names.length < cols.length) { names.push(`field${names.length + 1}`); }
  ensure(names.length);

  // a marker is a missing value when it sits in a column whose other values have a type other than string
  const typed = cols.map(c => c.types.result());
  const missing = new Set<string>(['']);
  cols.forEach((c, i) => {
    if (typed[i].type !== 'string' && typed[i].count > 0) { for (const t of c.tokens.keys()) { missing.add(t); } }
  });
  const missingValues = [...missing].sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b));

  const fields: SchemaField[] = cols.map((c, i) => makeField(names[i], c, typed[i].type, missing, enumMax, options.ranges === true));
  const primaryKey = pickPrimaryKey(fields);
  return {
    schema: { fields, fieldsMatch: 'exact', missingValues, primaryKey, uniqueKeys: [], foreignKeys: [] },
    rowsScanned: rows,
    complete,
  };
}

function observe(c: ColumnFacts, text: string, row: number, enumMax: number): void {
  c.count++;
  if (c.keys !== null) {
    // plain integers (no sign, no leading zero) as numbers: an ascending id column then costs nothing
    const seen = isPlainInteger(text) ? c.keys.addNumber(Number(text), row) : c.keys.addString(text, row);
    if (seen >= 0) { c.keys.release(); c.keys = null; } // a repeat: not unique; free the set for the others
  }
  if (c.distinct !== null) {
    c.distinct.add(text);
    if (c.distinct.size > enumMax || text.length > MAX_ENUM_LENGTH) { c.distinct = null; }
  }
  const first = text.charCodeAt(0);
  if (first >= 48 && first <= 57 || first === 45 || first === 43 || first === 46) {
    const n = Number(text);
    if (n === n) {
      if (n < c.min) { c.min = n; }
      if (n > c.max) { c.max = n; }
      if (text.length === 4 && n >= 1000 && n <= 2999 && first !== 43) { c.years++; }
      if (/^[+-]?0\d/.test(text)) { c.leadingZeros++; }
    }
    if (c.minText === null || text < c.minText) { c.minText = text; }
    if (c.maxText === null || text > c.maxText) { c.maxText = text; }
  }
  if (text.length === 36 && isUuid(text)) { c.uuids++; } else if (text.includes('@')) { if (isEmail(text)) { c.emails++; } } else if (first === 104 || first === 102 || first === 72 || first === 70) {
    if (URL_RE.test(text)) { c.urls++; }
  }
}

function isPlainInteger(t: string): boolean {
  const n = t.length;
  if (n === 0 || n > 15 || (t.charCodeAt(0) === 48 && n > 1)) { return false; }
  for (let i = 0; i < n; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) { return false; }
  }
  return true;
}

function makeField(name: string, c: ColumnFacts, logical: string, missing: ReadonlySet<string>, enumMax: number, ranges: boolean): SchemaField {
  let type: FieldType;
  switch (logical) {
    case 'integer':
      type = c.leadingZeros > 0 ? 'string' : c.years === c.count && c.count > 0 && YEAR_NAME.test(name) ? 'year' : 'integer';
      break;
    case 'number': type = c.leadingZeros > 0 ? 'string' : 'number'; break;
    case 'boolean': case 'date': case 'datetime': case 'time': type = logical; break;
    default: type = 'string';
  }
  // markers not taken as missing values are ordinary values of this column
  let extraValues = 0;
  let repeatedExtra = false;
  let missingCount = c.absent;
  for (const [t, n] of c.tokens) {
    if (missing.has(t)) { missingCount += n; } else { extraValues += n; if (n > 1) { repeatedExtra = true; } if (c.distinct) { c.distinct.add(t); } }
  }
  const count = c.count + extraValues;
  const field: SchemaField = { name, type, format: 'default', constraints: {} };
  if (type === 'string' && c.count > 0 && extraValues === 0) {
    if (c.emails === c.count) { field.format = 'email'; } else if (c.uuids === c.count) { field.format = 'uuid'; } else if (c.urls === c.count) { field.format = 'uri'; }
  }
  if (count > 0 && missingCount === 0) { field.constraints.required = true; }
  // measurements (numbers) and flags being distinct is chance, not a rule worth enforcing
  // a set that reached its memory budget proves nothing: no unique then
  if (count > 1 && c.keys !== null && !c.keys.full && !repeatedExtra && type !== 'boolean' && type !== 'number') { field.constraints.unique = true; }
  const distinct = c.distinct;
  if (type === 'string' && field.format === 'default' && distinct && distinct.size >= 1 && distinct.size <= enumMax
    && count >= 20 && distinct.size * 4 <= count) {
    field.constraints.enum = [...distinct].sort();
  }
  if (ranges && count > 0) {
    if (type === 'integer' || type === 'number' || type === 'year') {
      if (Number.isFinite(c.min)) { field.constraints.minimum = c.min; field.constraints.maximum = c.max; }
    } else if ((type === 'date' || type === 'datetime' || type === 'time') && c.minText !== null && c.maxText !== null) {
      field.constraints.minimum = c.minText;
      field.constraints.maximum = c.maxText;
    }
  }
  return field;
}

/** A required, unique column, preferring id-like names, then integers and strings (never numbers, booleans or times). */
function pickPrimaryKey(fields: SchemaField[]): string[] {
  const candidates = fields.filter(f => f.constraints.required && f.constraints.unique && (f.type === 'integer' || f.type === 'string'));
  const named = candidates.find(f => KEY_NAME.test(f.name));
  const pick = named ?? candidates.find(f => f.type === 'integer') ?? candidates[0];
  return pick ? [pick.name] : [];
}
