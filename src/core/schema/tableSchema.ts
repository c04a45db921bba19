// The Table Schema model (Frictionless v1 and v2) and its parser: JSON text in, a checked, normalised schema out.
import { SchemaError } from './schemaError';
import { compileTemporalPattern } from './temporalText';
import { unsupportedJsonSchemaKeyword } from './jsonSchemaLite';
import { compileFieldCodec } from './fieldCodec';
import { compileConstraints } from './fieldConstraints';

export type FieldType =
  | 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'list'
  | 'datetime' | 'date' | 'time' | 'year' | 'yearmonth' | 'duration'
  | 'geopoint' | 'geojson' | 'any';

export const FIELD_TYPES: readonly FieldType[] = [
  'string', 'number', 'integer', 'boolean', 'object', 'array', 'list', 'datetime', 'date', 'time',
  'year', 'yearmonth', 'duration', 'geopoint', 'geojson', 'any',
];

export type FieldsMatch = 'exact' | 'equal' | 'subset' | 'superset' | 'partial';

/** JSON values as they appear in a schema file (enum members, examples). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface FieldConstraints {
  required?: boolean;
  unique?: boolean;
  minLength?: number;
  maxLength?: number;
  /**
   * Numbers for numeric types (a bigint for an integer beyond 2^53, written with every digit); the field's own text
   * form (e.g. `"2020-01-01"`) for temporal types.
   */
  minimum?: number | bigint | string;
  maximum?: number | bigint | string;
  exclusiveMinimum?: number | string;
  exclusiveMaximum?: number | string;
  pattern?: string;
  enum?: JsonValue[];
  jsonSchema?: { [key: string]: JsonValue };
}

/** A field marked `"strata:pii": "allowed"` holds personal data on purpose: no personal-data finding for it. */
export type PiiMarking = 'allowed';

export interface SchemaField {
  name: string;
  type: FieldType;
  /** `default` when absent; the `fmt:` prefix of old schemas is removed. */
  format: string;
  title?: string;
  description?: string;
  example?: JsonValue;
  constraints: FieldConstraints;
  /** Overrides the schema-level list for this field when present. */
  missingValues?: string[];
  trueValues?: string[];
  falseValues?: string[];
  decimalChar?: string;
  groupChar?: string;
  bareNumber?: boolean;
  /** `list` fields: item separator (default `,`) and item type (default `string`). */
  delimiter?: string;
  itemType?: FieldType;
  categories?: JsonValue[];
  'strata:pii'?: PiiMarking;
}

export interface ForeignKey {
  fields: string[];
  reference: {
    /** Another resource of the same data package; null for a reference into this same table. */
    resource: string | null;
    fields: string[];
  };
}

export interface TableSchema {
  fields: SchemaField[];
  fieldsMatch: FieldsMatch;
  missingValues: string[];
  primaryKey: string[];
  uniqueKeys: string[][];
  foreignKeys: ForeignKey[];
}

/** Frictionless Table Dialect options Strata honours for delimited text. */
export interface TableDialect {
  delimiter?: string;
  quoteChar?: string;
  /** False when the file has no header row (field names then come from the schema). */
  header?: boolean;
  /** The 1-based row holding the header (one only): the rows above it are skipped (a title, comments). */
  headerRows?: number[];
  doubleQuote?: boolean;
  escapeChar?: string;
  commentChar?: string;
  skipInitialSpace?: boolean;
  lineTerminator?: string;
}

const FIELDS_MATCH: readonly FieldsMatch[] = ['exact', 'equal', 'subset', 'superset', 'partial'];
const LIST_ITEM_TYPES: readonly FieldType[] = ['string', 'integer', 'boolean', 'number', 'datetime', 'date', 'time'];
const STRING_FORMATS = ['default', 'email', 'uri', 'binary', 'uuid'];
const TEMPORAL = new Set<FieldType>(['date', 'time', 'datetime']);
const ORDERED = new Set<FieldType>(['integer', 'number', 'date', 'time', 'datetime', 'year', 'yearmonth', 'duration']);
const LENGTHY = new Set<FieldType>(['string', 'array', 'object', 'list', 'any']);

type Obj = { [key: string]: unknown };

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the text of a schema file; `source` names the file in every error. */
export function parseTableSchemaText(text: string, source: string): TableSchema {
  return parseTableSchema(parseJsonText(text, source), source);
}

/** Parses JSON text, turning a syntax error into a SchemaError that says where (line and column). */
export function parseJsonText(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new SchemaError('invalid-json', source, `not valid JSON: ${jsonErrorWhere(body, e)}`);
  }
}

function jsonErrorWhere(text: string, e: unknown): string {
  const at = firstJsonError(text);
  const message = (e instanceof Error ? e.message : String(e)).replace(/ in JSON at position \d+.*$/s, '').replace(/, "(?:[^"\\]|\\.)*" is not valid JSON$/s, '');
  if (at === null) { return message; }
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const col = at - before.lastIndexOf('\n');
  const what = at >= text.length ? 'unexpected end of the text' : `unexpected ${JSON.stringify(text[at])}`;
  return `${what} at line ${line}, column ${col}`;
}

/** Offset of the first character a JSON parser rejects (JSON.parse in Node 20 does not say where). */
function firstJsonError(t: string): number | null {
  let i = 0;
  const ws = (): void => { while (i < t.length && ' \t\n\r'.includes(t[i])) { i++; } };
  const fail = (): never => { throw i; };
  const str = (): void => {
    i++;
    while (i < t.length && t[i] !== '"') {
      if (t[i] === '\\') { i++; if (i >= t.length || !'"\\/bfnrtu'.includes(t[i])) { fail(); } }
      else if (t.charCodeAt(i) < 0x20) { fail(); }
      i++;
    }
    if (i >= t.length) { fail(); }
    i++;
  };
  const value = (): void => {
    ws();
    const c = t[i];
    if (c === '{') {
      i++; ws();
      if (t[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (t[i] !== '"') { fail(); }
        str(); ws();
        if (t[i] !== ':') { fail(); }
        i++; value(); ws();
        if (t[i] === ',') { i++; continue; }
        if (t[i] === '}') { i++; return; }
        fail();
      }
    }
    if (c === '[') {
      i++; ws();
      if (t[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (t[i] === ',') { i++; continue; }
        if (t[i] === ']') { i++; return; }
        fail();
      }
    }
    if (c === '"') { str(); return; }
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(t.slice(i, i + 400));
    if (!m) { fail(); }
    i += (m as RegExpExecArray)[0].length;
  };
  try {
    value(); ws();
    return i < t.length ? i : null;
  } catch (at) {
    return typeof at === 'number' ? at : null;
  }
}

/** Checks and normalises a parsed schema descriptor (v1 single-string keys become arrays, defaults filled). */
export function parseTableSchema(descriptor: unknown, source: string): TableSchema {
  const fail = (pointer: string, problem: string): never => { throw new SchemaError('invalid-schema', source, problem, pointer); };
  if (!isObj(descriptor)) { fail('', 'a Table Schema must be a JSON object'); }
  const d = descriptor as Obj;
  if (!Array.isArray(d.fields)) { fail('/fields', d.fields === undefined ? 'a Table Schema needs a "fields" array' : '"fields" must be an array'); }
  const fields = (d.fields as unknown[]).map((f, i) => parseField(f, `/fields/${i}`, fail));
  const names = new Set(fields.map(f => f.name));

  let fieldsMatch: FieldsMatch = 'exact';
  if (d.fieldsMatch !== undefined) {
    if (!FIELDS_MATCH.includes(d.fieldsMatch as FieldsMatch)) { fail('/fieldsMatch', `"fieldsMatch" must be one of ${FIELDS_MATCH.join(', ')}`); }
    fieldsMatch = d.fieldsMatch as FieldsMatch;
  }
  const missingValues = d.missingValues === undefined ? [''] : parseMissingValues(d.missingValues, '/missingValues', fail);
  const keyOf = (v: unknown, pointer: string): string[] => {
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.length === 0 || !list.every(x => typeof x === 'string')) {
      return fail(pointer, 'must be a field name or a non-empty array of field names');
    }
    for (const [i, n] of (list as string[]).entries()) {
      if (!names.has(n)) { fail(`${pointer}${Array.isArray(v) ? `/${i}` : ''}`, `"${n}" is not a field of this schema`); }
    }
    return list as string[];
  };
  const primaryKey = d.primaryKey === undefined ? [] : keyOf(d.primaryKey, '/primaryKey');
  let uniqueKeys: string[][] = [];
  if (d.uniqueKeys !== undefined) {
    if (!Array.isArray(d.uniqueKeys)) { fail('/uniqueKeys', '"uniqueKeys" must be an array of field-name arrays'); }
    uniqueKeys = (d.uniqueKeys as unknown[]).map((k, i) => keyOf(k, `/uniqueKeys/${i}`));
  }
  let foreignKeys: ForeignKey[] = [];
  if (d.foreignKeys !== undefined) {
    if (!Array.isArray(d.foreignKeys)) { fail('/foreignKeys', '"foreignKeys" must be an array'); }
    foreignKeys = (d.foreignKeys as unknown[]).map((fk, i) => {
      const p = `/foreignKeys/${i}`;
      if (!isObj(fk)) { return fail(p, 'a foreign key must be an object with "fields" and "reference"'); }
      const own = keyOf(fk.fields, `${p}/fields`);
      const ref = fk.reference;
      if (!isObj(ref)) { return fail(`${p}/reference`, 'a foreign key needs a "reference" object'); }
      const refFields = typeof ref.fields === 'string' ? [ref.fields] : ref.fields;
      if (!Array.isArray(refFields) || !refFields.every(x => typeof x === 'string')) {
        return fail(`${p}/reference/fields`, 'must be a field name or an array of field names');
      }
      if (refFields.length !== own.length) {
        return fail(`${p}/reference/fields`, `has ${refFields.length} field(s) but "fields" has ${own.length}`);
      }
      if (ref.resource !== undefined && typeof ref.resource !== 'string') { return fail(`${p}/reference/resource`, 'must be a resource name'); }
      // v1 wrote a self-reference as resource "": the same as leaving it out
      const resource = typeof ref.resource === 'string' && ref.resource !== '' ? ref.resource : null;
      if (resource === null) {
        for (const [k, n] of (refFields as string[]).entries()) {
          if (!names.has(n)) { fail(`${p}/reference/fields/${k}`, `"${n}" is not a field of this schema`); }
        }
      }
      return { fields: own, reference: { resource, fields: refFields as string[] } };
    });
  }
  const schema: TableSchema = { fields, fieldsMatch, missingValues, primaryKey, uniqueKeys, foreignKeys };
  // compile every field once so that a bad enum member or bound is reported now, against this file
  fields.forEach((f, i) => compileConstraints(compileFieldCodec(f, missingValuesOf(f, schema)), source, `/fields/${i}`));
  return schema;
}

function parseMissingValues(v: unknown, pointer: string, fail: (p: string, m: string) => never): string[] {
  if (!Array.isArray(v)) { return fail(pointer, '"missingValues" must be an array of strings'); }
  return v.map((item, i) => {
    if (typeof item === 'string') { return item; }
    // v2 also allows [{ "value": "-99", "label": "REFUSED" }]
    if (isObj(item) && typeof item.value === 'string') { return item.value; }
    return fail(`${pointer}/${i}`, 'a missing value must be a string (or an object with a string "value")');
  });
}

function parseField(raw: unknown, p: string, fail: (p: string, m: string) => never): SchemaField {
  if (!isObj(raw)) { return fail(p, 'a field must be an object'); }
  if (typeof raw.name !== 'string') { return fail(`${p}/name`, raw.name === undefined ? 'a field needs a "name"' : '"name" must be a string'); }
  const type = (raw.type ?? 'any') as FieldType;
  if (!FIELD_TYPES.includes(type)) {
    return fail(`${p}/type`, `unknown type "${String(raw.type)}" (expected one of ${FIELD_TYPES.join(', ')})`);
  }
  let format = 'default';
  if (raw.format !== undefined) {
    if (typeof raw.format !== 'string') { return fail(`${p}/format`, '"format" must be a string'); }
    format = raw.format.startsWith('fmt:') ? raw.format.slice(4) : raw.format;
    if (format === '') { format = 'default'; }
  }
  checkFormat(type, format, `${p}/format`, fail);

  const field: SchemaField = { ...(raw as object), name: raw.name, type, format, constraints: {} } as SchemaField;
  const strings = (key: string): string[] | undefined => {
    const v = raw[key];
    if (v === undefined) { return undefined; }
    if (!Array.isArray(v) || !v.every(x => typeof x === 'string')) { return fail(`${p}/${key}`, `"${key}" must be an array of strings`); }
    return v as string[];
  };
  const char = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined) { return undefined; }
    if (typeof v !== 'string' || v === '') { return fail(`${p}/${key}`, `"${key}" must be a non-empty string`); }
    return v;
  };
  if (raw.missingValues !== undefined) { field.missingValues = parseMissingValues(raw.missingValues, `${p}/missingValues`, fail); }
  field.trueValues = strings('trueValues');
  field.falseValues = strings('falseValues');
  field.decimalChar = char('decimalChar');
  field.groupChar = char('groupChar');
  if (raw.bareNumber !== undefined && typeof raw.bareNumber !== 'boolean') { fail(`${p}/bareNumber`, '"bareNumber" must be true or false'); }
  field.delimiter = char('delimiter');
  if (raw.itemType !== undefined) {
    if (!LIST_ITEM_TYPES.includes(raw.itemType as FieldType)) { fail(`${p}/itemType`, `"itemType" must be one of ${LIST_ITEM_TYPES.join(', ')}`); }
  }
  if (raw.categories !== undefined) {
    if (!Array.isArray(raw.categories)) { fail(`${p}/categories`, '"categories" must be an array'); }
    field.categories = (raw.categories as JsonValue[]).map(c => (isObj(c) && 'value' in c ? (c.value as JsonValue) : c));
  }
  if (raw['strata:pii'] !== undefined && raw['strata:pii'] !== 'allowed') {
    fail(`${p}/strata:pii`, '"strata:pii" can only be "allowed"');
  }
  if (raw.constraints !== undefined) { field.constraints = parseConstraints(raw.constraints, type, `${p}/constraints`, fail); }
  for (const k of Object.keys(field) as (keyof SchemaField)[]) {
    if (field[k] === undefined) { delete field[k]; }
  }
  return field;
}

function checkFormat(type: FieldType, format: string, p: string, fail: (p: string, m: string) => never): void {
  if (format === 'default') { return; }
  switch (type) {
    case 'string':
      if (!STRING_FORMATS.includes(format)) { fail(p, `string format must be one of ${STRING_FORMATS.join(', ')}`); }
      return;
    case 'geopoint':
      if (!['array', 'object'].includes(format)) { fail(p, 'geopoint format must be default, array or object'); }
      return;
    case 'geojson':
      if (format !== 'topojson') { fail(p, 'geojson format must be default or topojson'); }
      return;
    case 'date': case 'time': case 'datetime':
      if (format !== 'any' && !format.includes('%')) {
        fail(p, `a ${type} format must be "default", "any" or a strptime pattern such as "%d/%m/%Y"`);
      }
      if (format !== 'any') {
        try { compileTemporalPattern(format, type); } catch (e) { fail(p, (e as Error).message); }
      }
      return;
    default:
      return; // other types have no formats; an unknown format there is ignored, as Frictionless does
  }
}

function parseConstraints(raw: unknown, type: FieldType, p: string, fail: (p: string, m: string) => never): FieldConstraints {
  if (!isObj(raw)) { return fail(p, '"constraints" must be an object'); }
  const out: FieldConstraints = {};
  for (const [key, v] of Object.entries(raw)) {
    const at = `${p}/${key}`;
    switch (key) {
      case 'required': case 'unique':
        if (typeof v !== 'boolean') { fail(at, `"${key}" must be true or false`); }
        out[key] = v as boolean;
        break;
      case 'minLength': case 'maxLength':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) { fail(at, `"${key}" must be a non-negative integer`); }
        if (!LENGTHY.has(type)) { fail(at, `"${key}" does not apply to ${type} fields`); }
        out[key] = v as number;
        break;
      case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
        if (!ORDERED.has(type)) { fail(at, `"${key}" does not apply to ${type} fields`); }
        if (typeof v !== 'number' && typeof v !== 'string') { fail(at, `"${key}" must be a number or a ${type} written as text`); }
        if (typeof v === 'string' && (type === 'integer' || type === 'number') && !Number.isFinite(Number(v))) {
          fail(at, `"${key}" must be a number`);
        }
        if (typeof v === 'number' && TEMPORAL.has(type)) { fail(at, `"${key}" of a ${type} field must be written as text`); }
        out[key] = v as number | string;
        break;
      case 'pattern':
        if (typeof v !== 'string') { fail(at, '"pattern" must be a regular expression string'); }
        try { new RegExp(v as string, 'u'); } catch {
          try { new RegExp(v as string); } catch (e) { fail(at, `"pattern" is not a valid regular expression: ${(e as Error).message}`); }
        }
        out.pattern = v as string;
        break;
      case 'enum':
        if (!Array.isArray(v) || v.length === 0) { fail(at, '"enum" must be a non-empty array'); }
        out.enum = v as JsonValue[];
        break;
      case 'jsonSchema':
        if (!isObj(v)) { fail(at, '"jsonSchema" must be an object'); }
        {
          const unsupported = unsupportedJsonSchemaKeyword(v as JsonValue);
          if (unsupported) { fail(`${at}${unsupported}`, 'this JSON Schema keyword is not checked by Strata; remove it or move the rule to another constraint'); }
        }
        out.jsonSchema = v as { [key: string]: JsonValue };
        break;
      default:
        break; // unknown constraints are kept out: the spec says implementations may ignore them
    }
  }
  return out;
}

/** Checks and normalises a Table Dialect descriptor (from a data package resource). */
export function parseTableDialect(descriptor: unknown, source: string): TableDialect {
  const fail = (pointer: string, problem: string): never => { throw new SchemaError('invalid-schema', source, problem, pointer); };
  if (!isObj(descriptor)) { return fail('/dialect', 'a dialect must be an object'); }
  const out: TableDialect = {};
  const oneChar = (key: 'delimiter' | 'quoteChar' | 'escapeChar' | 'commentChar'): void => {
    const v = descriptor[key];
    if (v === undefined) { return; }
    if (typeof v !== 'string' || v.length !== 1) { fail(`/dialect/${key}`, `"${key}" must be a single character`); }
    out[key] = v as string;
  };
  oneChar('delimiter');
  oneChar('quoteChar');
  oneChar('escapeChar');
  oneChar('commentChar');
  for (const key of ['header', 'doubleQuote', 'skipInitialSpace'] as const) {
    const v = descriptor[key];
    if (v === undefined) { continue; }
    if (typeof v !== 'boolean') { fail(`/dialect/${key}`, `"${key}" must be true or false`); }
    out[key] = v as boolean;
  }
  if (descriptor.lineTerminator !== undefined) {
    if (typeof descriptor.lineTerminator !== 'string') { fail('/dialect/lineTerminator', '"lineTerminator" must be a string'); }
    out.lineTerminator = descriptor.lineTerminator as string;
  }
  if (descriptor.headerRows !== undefined) {
    const rows = descriptor.headerRows;
    if (!Array.isArray(rows) || rows.length === 0 || !rows.every(n => Number.isSafeInteger(n) && (n as number) >= 1)) {
      fail('/dialect/headerRows', '"headerRows" must be a list of row numbers (whole numbers from 1)');
    }
    if ((rows as number[]).length > 1) {
      throw new SchemaError('unsupported', source, 'several "headerRows" (joined into one header) are not supported: give the one row holding the header', '/dialect/headerRows');
    }
    out.headerRows = [(rows as number[])[0]];
  }
  return out;
}

/** The missing-value texts that apply to a field (its own list replaces the schema's). */
export function missingValuesOf(field: SchemaField, schema: Pick<TableSchema, 'missingValues'>): string[] {
  return field.missingValues ?? schema.missingValues;
}

/** The schema as JSON text, with defaults left out so it reads as a person would write it. */
export function stringifyTableSchema(schema: TableSchema): string {
  const out: Obj = {
    fields: schema.fields.map(f => {
      const o: Obj = {};
      for (const [k, v] of Object.entries(f)) {
        if (k === 'format' && v === 'default') { continue; }
        if (k === 'constraints' && Object.keys(v as object).length === 0) { continue; }
        o[k] = v;
      }
      return o;
    }),
  };
  if (schema.fieldsMatch !== 'exact') { out.fieldsMatch = schema.fieldsMatch; }
  if (!(schema.missingValues.length === 1 && schema.missingValues[0] === '')) { out.missingValues = schema.missingValues; }
  if (schema.primaryKey.length) { out.primaryKey = schema.primaryKey; }
  if (schema.uniqueKeys.length) { out.uniqueKeys = schema.uniqueKeys; }
  if (schema.foreignKeys.length) {
    out.foreignKeys = schema.foreignKeys.map(fk => ({
      fields: fk.fields,
      reference: fk.reference.resource === null ? { fields: fk.reference.fields } : fk.reference,
    }));
  }
  return prettyJson(out, '') + '\n';
}

/** `JSON.stringify(value, null, 2)`, with bigints written as JSON numbers of every digit. */
function prettyJson(value: unknown, indent: string): string {
  if (typeof value === 'bigint') { return value.toString(); }
  if (value === null || typeof value !== 'object') { return JSON.stringify(value) ?? 'null'; }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) { return '[]'; }
    return `[\n${value.map(v => inner + prettyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) { return '{}'; }
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${prettyJson(v, inner)}`).join(',\n')}\n${indent}}`;
}
