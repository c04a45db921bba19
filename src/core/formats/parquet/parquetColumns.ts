// What each top-level Parquet column becomes: its Field, and how hyparquet's decoded values turn into a ColumnData.
import type { FileMetaData, ParquetParsers, SchemaElement, SchemaTree } from 'hyparquet';
import { bigintFromBytes, formatDecimal, hexOfBytes, isoDate, isoDateTime, isoTime, localDateTime, RawJsonNumber, stringifyJson } from '../cellValue';
import { type ColumnData, TextColumnBuilder } from '../columns';
import type { Field, LogicalType } from '../dataset';
import { int96Millis } from './parquetEncodings';
import type { DirectDecoding } from './parquetSinks';

const utf8 = new TextDecoder();

/**
 * Temporal values arrive as epoch-ms numbers (fractional below the ms, so microseconds survive) instead of
 * Date objects; JSON columns stay as their text.
 */
export const PARQUET_PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  timestampFromMicroseconds: (v: bigint) => Number(v) / 1000,
  timestampFromNanoseconds: (v: bigint) => Number(v) / 1e6,
  dateFromDays: (days: number) => days * 86_400_000,
  jsonFromBytes: (bytes: Uint8Array) => bytes && utf8.decode(bytes),
};

/**
 * The parsers of the page-window reader, whose values go straight into batches: UTF-8 strings stay bytes (toColumn
 * copies them), where decoding each into a JS string and encoding it again took a third of a Parquet scan.
 */
export const FLAT_PARSERS: Partial<ParquetParsers> = {
  ...PARQUET_PARSERS,
  stringFromBytes: (bytes: Uint8Array) => bytes,
};

type Decoder =
  | { kind: 'boolean' }
  | { kind: 'number' }
  | { kind: 'int96' }
  | { kind: 'int64' }
  | { kind: 'uint64' }
  | { kind: 'time'; divisor: number }
  | { kind: 'decimal'; scale: number }
  | { kind: 'string' }
  | { kind: 'binary' }
  | { kind: 'json'; node: SchemaTree };

export interface ParquetColumnPlan {
  field: Field;
  toColumn(values: ArrayLike<unknown>): ColumnData;
  /** For a flat column of a common type: how the page reader writes its typed column directly. */
  direct: DirectDecoding | undefined;
}

/** The plan for every top-level column, in schema order. */
export function planParquetColumns(schema: SchemaTree): ParquetColumnPlan[] {
  return schema.children.map(node => {
    const { field, decoder } = describe(node);
    const direct = node.children.length ? undefined : directDecoding(elementForDecoding(node.element), decoder);
    return { field, toColumn: values => toColumn(values, decoder), direct };
  });
}

const PLAIN_INTEGERS = new Set([undefined, 'INT_8', 'INT_16', 'INT_32', 'INT_64', 'UINT_8', 'UINT_16', 'UINT_32']);

/**
 * The direct decoding of a leaf that gives what hyparquet's convert (with PARQUET_PARSERS) and toColumn give, for the
 * common types and INT96 (read here, see int96Millis); undefined for the rest (decimals, unsigned 64-bit, FLOAT16,
 * bytes, UUID, JSON). Annotations are checked in convert's order, so a file with contradictory ones reads the same
 * either way.
 */
function directDecoding(e: SchemaElement, decoder: Decoder): DirectDecoding | undefined {
  const ct = e.converted_type;
  const lt = e.logical_type;
  const number = (physical: Extract<DirectDecoding, { kind: 'number' }>['physical'], multiply = 1, divide = 1, unsigned = false): DirectDecoding =>
    ({ kind: 'number', physical, unsigned, multiply, divide });
  switch (decoder.kind) {
    case 'boolean':
      return e.type === 'BOOLEAN' ? number('BOOLEAN') : undefined;
    case 'int96':
      return e.type === 'INT96' ? number('INT96') : undefined;
    case 'time':
      if (ct !== undefined && ct !== 'TIME_MILLIS' && ct !== 'TIME_MICROS') { return undefined; }
      return e.type === 'INT32' || e.type === 'INT64' ? number(e.type, 1, decoder.divisor) : undefined;
    case 'int64':
      return e.type === 'INT64' && PLAIN_INTEGERS.has(ct) && (!lt || lt.type === 'INTEGER') ? { kind: 'int64' } : undefined;
    case 'string':
      if (e.type !== 'BYTE_ARRAY' || ct === 'JSON' || lt?.type === 'JSON' || lt?.type === 'UUID') { return undefined; }
      return ct === 'UTF8' || ct === 'ENUM' || lt?.type === 'STRING' || lt?.type === 'ENUM' ? { kind: 'text' } : undefined;
    case 'number':
      if (e.type === 'FLOAT' || e.type === 'DOUBLE') { return !ct && !lt ? number(e.type) : undefined; }
      if (ct === 'DATE') { return e.type === 'INT32' ? number('INT32', 86_400_000) : undefined; }
      if (e.type === 'INT64') {
        if (ct === 'TIMESTAMP_MILLIS') { return number('INT64'); }
        if (ct === 'TIMESTAMP_MICROS') { return number('INT64', 1, 1000); }
        if (ct === undefined && lt?.type === 'TIMESTAMP') { return number('INT64', 1, lt.unit === 'MILLIS' ? 1 : lt.unit === 'MICROS' ? 1000 : 1e6); }
        return undefined;
      }
      if (e.type === 'INT32' && PLAIN_INTEGERS.has(ct) && (!lt || lt.type === 'INTEGER')) {
        const unsigned = ct === 'UINT_32' || (lt?.type === 'INTEGER' && lt.bitWidth === 32 && !lt.isSigned);
        return number('INT32', 1, 1, unsigned);
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A copy of the metadata for hyparquet's full reader: decimal annotations removed so values arrive unscaled and exact
 * (hyparquet would turn them into doubles), BSON/INTERVAL (which hyparquet refuses) read as bytes, and INT96 read as
 * its 12 bytes (FIXED_LEN_BYTE_ARRAY(12), the same PLAIN layout) for int96Millis: hyparquet's INT96 value loses the
 * day when the nanoseconds are negative.
 */
export function metadataForDecoding(metadata: FileMetaData): FileMetaData {
  const hasInt96 = metadata.schema.some(e => e.type === 'INT96');
  return {
    ...metadata,
    schema: metadata.schema.map(e => (e.type === 'INT96' ? int96AsBytes(e) : elementForDecoding(e))),
    row_groups: hasInt96
      ? metadata.row_groups.map(group => ({
        ...group,
        columns: group.columns.map(c => (c.meta_data?.type === 'INT96' ? { ...c, meta_data: { ...c.meta_data, type: 'FIXED_LEN_BYTE_ARRAY' } } : c)),
      }))
      : metadata.row_groups,
  };
}

function int96AsBytes(e: SchemaElement): SchemaElement {
  return { ...e, type: 'FIXED_LEN_BYTE_ARRAY', type_length: 12, converted_type: undefined, logical_type: undefined };
}

export function elementForDecoding(e: SchemaElement): SchemaElement {
  const decimal = e.converted_type === 'DECIMAL' || e.logical_type?.type === 'DECIMAL';
  const opaque = e.converted_type === 'BSON' || e.converted_type === 'INTERVAL' || e.logical_type?.type === 'BSON';
  return decimal || opaque ? { ...e, converted_type: undefined, logical_type: undefined } : e;
}

function describe(node: SchemaTree): { field: Field; decoder: Decoder } {
  const e = node.element;
  const nullable = e.repetition_type !== 'REQUIRED';
  const make = (type: LogicalType, sourceType: string, decoder: Decoder, extra?: Pick<Field, 'wallClock'>) => ({ field: { name: e.name, type, nullable, sourceType, ...extra }, decoder });
  if (node.children.length || e.repetition_type === 'REPEATED') {
    return make('json', nestedTypeName(node), { kind: 'json', node });
  }
  const ct = e.converted_type;
  const lt = e.logical_type;
  const decimal = decimalOf(e);
  if (decimal) { return make('number', `Decimal(${decimal.precision},${decimal.scale})`, { kind: 'decimal', scale: decimal.scale }); }
  switch (e.type) {
    case 'BOOLEAN': return make('boolean', 'BOOLEAN', { kind: 'boolean' });
    case 'INT96': return make('datetime', 'INT96', { kind: 'int96' });
    case 'FLOAT': case 'DOUBLE': return make('number', e.type, { kind: 'number' });
    default: break;
  }
  if (ct === 'DATE' || lt?.type === 'DATE') { return make('date', 'DATE', { kind: 'number' }); }
  if (lt?.type === 'TIMESTAMP') {
    // without isAdjustedToUTC the values are local times; TIMESTAMP_MILLIS/MICROS are UTC by definition
    if (!lt.isAdjustedToUTC) { return make('datetime', `TIMESTAMP(${lt.unit}, local)`, { kind: 'number' }, { wallClock: true }); }
    return make('datetime', `TIMESTAMP(${lt.unit})`, { kind: 'number' });
  }
  if (ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS') { return make('datetime', ct, { kind: 'number' }); }
  if (lt?.type === 'TIME') {
    return make('time', `TIME(${lt.unit})`, { kind: 'time', divisor: lt.unit === 'MILLIS' ? 1 : lt.unit === 'MICROS' ? 1000 : 1e6 });
  }
  if (ct === 'TIME_MILLIS' || ct === 'TIME_MICROS') { return make('time', ct, { kind: 'time', divisor: ct === 'TIME_MILLIS' ? 1 : 1000 }); }
  if (lt?.type === 'FLOAT16') { return make('number', 'FLOAT16', { kind: 'number' }); }
  if (ct === 'JSON' || lt?.type === 'JSON') { return make('json', 'JSON', { kind: 'string' }); }
  if (lt?.type === 'GEOMETRY' || lt?.type === 'GEOGRAPHY') { return make('json', lt.type, { kind: 'json', node }); }
  if (ct === 'UTF8' || ct === 'ENUM' || lt?.type === 'STRING' || lt?.type === 'ENUM' || lt?.type === 'UUID') {
    return make('string', lt?.type === 'UUID' ? 'UUID' : ct ?? lt?.type ?? 'STRING', { kind: 'string' });
  }
  if (e.type === 'INT32') { return make('integer', integerName(e), { kind: 'number' }); }
  if (e.type === 'INT64') {
    const unsigned = ct === 'UINT_64' || (lt?.type === 'INTEGER' && !lt.isSigned);
    return make('integer', integerName(e), { kind: unsigned ? 'uint64' : 'int64' });
  }
  // BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY without a string annotation are bytes
  return make('binary', e.type === 'FIXED_LEN_BYTE_ARRAY' ? `FIXED_LEN_BYTE_ARRAY(${e.type_length ?? '?'})` : String(e.type), { kind: 'binary' });
}

function decimalOf(e: SchemaElement): { precision: number; scale: number } | undefined {
  if (e.logical_type?.type === 'DECIMAL') { return { precision: e.logical_type.precision, scale: e.logical_type.scale }; }
  if (e.converted_type === 'DECIMAL') { return { precision: e.precision ?? 0, scale: e.scale ?? 0 }; }
  return undefined;
}

function integerName(e: SchemaElement): string {
  const lt = e.logical_type;
  if (lt?.type === 'INTEGER') { return `${lt.isSigned ? 'INT' : 'UINT'}_${lt.bitWidth}`; }
  return e.converted_type ?? String(e.type);
}

function nestedTypeName(node: SchemaTree): string {
  if (isListLike(node)) { return 'LIST'; }
  if (isMapLike(node)) { return 'MAP'; }
  return node.children.length ? 'STRUCT' : `REPEATED ${node.element.type ?? ''}`.trim();
}

function toColumn(values: ArrayLike<unknown>, decoder: Decoder): ColumnData {
  const n = values.length;
  switch (decoder.kind) {
    case 'boolean': case 'number': case 'int96': case 'time': {
      const out = new Float64Array(n);
      const valid = new Uint8Array(n);
      const divisor = decoder.kind === 'time' ? decoder.divisor : 1;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) { continue; }
        out[i] = typeof v === 'boolean' ? (v ? 1 : 0) : decoder.kind === 'int96' && v instanceof Uint8Array ? int96BytesMillis(v) : Number(v) / divisor;
        valid[i] = 1;
      }
      return { kind: 'number', values: out, valid };
    }
    case 'int64': {
      const out = new BigInt64Array(n);
      const valid = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) { continue; }
        out[i] = typeof v === 'bigint' ? v : BigInt(v as number);
        valid[i] = 1;
      }
      return { kind: 'bigint', values: out, valid };
    }
    default: {
      const b = new TextColumnBuilder(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) {
          b.push(null);
        } else if (decoder.kind === 'string' && v instanceof Uint8Array) {
          b.pushBytes(v); // UTF-8 text kept as bytes by the page reader (FLAT_PARSERS): no decoding and encoding again
        } else {
          b.push(textOf(v, decoder));
        }
      }
      return b.finish();
    }
  }
}

/** Epoch ms of an INT96 timestamp given as its 12 bytes (see metadataForDecoding). */
function int96BytesMillis(bytes: Uint8Array): number {
  return int96Millis(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0);
}

function textOf(v: unknown, decoder: Decoder): string {
  switch (decoder.kind) {
    case 'uint64': return unsigned64(v);
    case 'decimal': return formatDecimal(unscaled(v), decoder.scale);
    case 'binary': return v instanceof Uint8Array ? hexOfBytes(v) : String(v);
    case 'json': return stringifyJson(nestedJson(v, decoder.node));
    default: return typeof v === 'string' ? v : v instanceof Uint8Array ? utf8.decode(v) : String(v);
  }
}

function unsigned64(v: unknown): string {
  const b = typeof v === 'bigint' ? v : BigInt(v as number);
  return (b < 0n ? b + (1n << 64n) : b).toString();
}

function unscaled(v: unknown): bigint {
  if (typeof v === 'bigint') { return v; }
  if (v instanceof Uint8Array) { return bigintFromBytes(v); }
  return BigInt(v as number);
}

/**
 * A nested value as plain JSON-ready data, guided by the schema: temporal leaves as ISO text, decimals and
 * 64-bit integers with exact digits, bytes as hex. Shapes follow hyparquet's assembly (lists → arrays,
 * maps → objects, structs → objects).
 */
export function nestedJson(v: unknown, node: SchemaTree, isItem = false): unknown {
  if (v === null || v === undefined) { return null; }
  if (!isItem && node.element.repetition_type === 'REPEATED' && Array.isArray(v)) {
    return v.map(x => nestedJson(x, node, true));
  }
  if (isListLike(node)) {
    const element = listElement(node);
    return Array.isArray(v) ? v.map(x => nestedJson(x, element, element !== node && element.element.repetition_type === 'REPEATED')) : v;
  }
  if (isMapLike(node)) {
    const valueNode = node.children[0].children.find(c => c.element.name === 'value');
    if (!valueNode || typeof v !== 'object') { return v; }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) { out[k] = nestedJson(x, valueNode); }
    return out;
  }
  if (node.children.length) {
    if (Array.isArray(v)) { return v.map(x => nestedJson(x, node, true)); }
    if (typeof v !== 'object') { return v; }
    const record = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const child of node.children) { out[child.element.name] = nestedJson(record[child.element.name], child); }
    return out;
  }
  return leafJson(v, node.element);
}

function leafJson(v: unknown, e: SchemaElement): unknown {
  const decimal = decimalOf(e);
  if (decimal) { return new RawJsonNumber(formatDecimal(unscaled(v), decimal.scale)); }
  const { field, decoder } = describe({ element: { ...e, repetition_type: 'OPTIONAL' }, children: [], count: 1, path: [] });
  if (decoder.kind === 'int96' && v instanceof Uint8Array) { v = int96BytesMillis(v); }
  if (typeof v === 'number') {
    switch (field.type) {
      case 'date': return isoDate(v) ?? v;
      case 'datetime': return (field.wallClock ? localDateTime(v) : isoDateTime(v)) ?? v;
      default: break;
    }
  }
  if (field.type === 'time' && decoder.kind === 'time') { return isoTime(Number(v) / decoder.divisor) ?? String(v); }
  if (decoder.kind === 'uint64') { return new RawJsonNumber(unsigned64(v)); }
  if (field.type === 'json' && typeof v === 'string') { return v; }
  return v;
}

/** Mirrors hyparquet's list detection, so the element node matches the assembled shape. */
function isListLike(node: SchemaTree): boolean {
  if (node.element.converted_type !== 'LIST' || node.children.length > 1) { return false; }
  const first = node.children[0];
  return !!first && first.children.length <= 1 && first.element.repetition_type === 'REPEATED';
}

function listElement(node: SchemaTree): SchemaTree {
  const repeated = node.children[0];
  return repeated.children.length === 1 ? repeated.children[0] : repeated;
}

/** Mirrors hyparquet's map detection. */
function isMapLike(node: SchemaTree): boolean {
  if (node.element.converted_type !== 'MAP' || node.children.length > 1) { return false; }
  const kv = node.children[0];
  if (!kv || kv.children.length !== 2 || kv.element.repetition_type !== 'REPEATED') { return false; }
  return kv.children.every(c => c.element.repetition_type !== 'REPEATED');
}
