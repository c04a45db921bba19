// What each Arrow field becomes: its Field, and how a slice of an Arrow vector is copied into a ColumnData.
import { type Data, type DataType, DateUnit, type Dictionary, type Field as ArrowField, Precision, type Vector, Type, TimeUnit } from 'apache-arrow';
import { formatDecimal, hexOfBytes, isoDate, isoDateTime, isoTime, localDateTime, RawJsonNumber, stringifyJson } from '../cellValue';
import { type ColumnData, TextColumnBuilder } from '../columns';
import type { Field, LogicalType } from '../dataset';
import { DatasetError } from '../errors';

type Kind = 'number' | 'bigint' | 'text' | 'null';

/** One cell's nested value may hold this many values; more is refused (damaged offsets can claim billions). */
const MAX_NESTED_VALUES = 1_000_000;

export interface ArrowColumnPlan {
  field: Field;
  /** Copies rows [from, to) of each vector, in order, into one column. */
  toColumn(parts: { vector: Vector; from: number; to: number }[]): ColumnData;
}

/** `direct: false` copies every value through `vector.get()` (what the direct copies are checked against). */
export function planArrowColumns(fields: readonly ArrowField[], options: { direct?: boolean } = {}): ArrowColumnPlan[] {
  return fields.map(f => {
    const valueType = f.type.typeId === Type.Dictionary ? (f.type as Dictionary).dictionary : f.type;
    const { type, kind } = logicalOf(valueType);
    const sourceType = f.type.typeId === Type.Dictionary ? `Dictionary<${typeName(valueType)}>` : typeName(valueType);
    const field: Field = { name: f.name, type, nullable: f.nullable, sourceType, ...(isWallClock(valueType) && { wallClock: true }) };
    const cell = cellConverter(valueType);
    const direct = f.type.typeId === Type.Dictionary || options.direct === false ? undefined : directCopy(valueType);
    return { field, toColumn: parts => (direct ? direct(parts) : toColumn(parts, kind, cell)) };
  });
}

type Parts = { vector: Vector; from: number; to: number }[];

/**
 * For the common flat types, a copy straight from the vectors' buffers (values, validity bits, UTF-8 bytes and
 * offsets) into a column: the same column as `toColumn` makes through `vector.get()` per value, which costs an
 * object or a string each. Undefined for the other types.
 */
function directCopy(t: DataType): ((parts: Parts) => ColumnData) | undefined {
  switch (t.typeId) {
    case Type.Int: {
      const { bitWidth, isSigned } = t as DataType<Type.Int> & { bitWidth: number; isSigned: boolean };
      if (bitWidth < 64) { return parts => numbersOf(parts, (values, j) => values[j] as number); }
      return isSigned ? int64sOf : undefined;
    }
    case Type.Float:
      // half floats are stored as their 16 bits; vector.get() converts them
      return (t as unknown as { precision: number }).precision === Precision.HALF ? undefined : parts => numbersOf(parts, (values, j) => values[j] as number);
    case Type.Bool: return parts => numbersOf(parts, (values, j) => ((values[j >>> 3] as number) >>> (j & 7)) & 1, true);
    case Type.Date:
      return (t as unknown as { unit: DateUnit }).unit === DateUnit.DAY ? parts => numbersOf(parts, (values, j) => (values[j] as number) * 86_400_000) : undefined;
    case Type.Utf8: return utf8Of;
    default: return undefined;
  }
}

/** Each data chunk of the parts in turn: rows [a, b) of `data`, landing at output row k. */
function eachChunk(parts: Parts, visit: (data: Data, a: number, b: number, k: number) => void): void {
  let k = 0;
  for (const { vector, from, to } of parts) {
    let base = 0;
    for (const data of vector.data) {
      const a = Math.max(from, base) - base;
      const b = Math.min(to, base + data.length) - base;
      if (b > a) { visit(data, a, b, k); k += b - a; }
      base += data.length;
    }
  }
}

/** Validity of rows [a, b) of `data` into valid[k...]. */
function validityOf(data: Data, a: number, b: number, valid: Uint8Array, k: number): void {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) { valid.fill(1, k, k + b - a); return; }
  const off = data.offset;
  if (bitmap.length * 8 < off + b) { throw new Error('validity bitmap shorter than its column'); }
  for (let i = a; i < b; i++) { const j = off + i; valid[k + i - a] = (bitmap[j >>> 3] >>> (j & 7)) & 1; }
}

function rowCount(parts: Parts): number {
  return parts.reduce((n, p) => n + (p.to - p.from), 0);
}

/**
 * Numbers read from each chunk's values. A sliced chunk's value buffers start at its first row (apache-arrow slices
 * them), except bit-packed booleans (`bits`), which count from its offset as the validity bits do.
 */
function numbersOf(parts: Parts, read: (values: ArrayLike<number | bigint>, j: number) => number, bits = false): ColumnData {
  const n = rowCount(parts);
  const out = new Float64Array(n);
  const valid = new Uint8Array(n);
  eachChunk(parts, (data, a, b, k) => {
    const values = data.values as ArrayLike<number>;
    const base = bits ? data.offset : 0;
    if ((bits ? values.length * 8 : values.length) < base + b) { throw new Error('values shorter than their column'); }
    validityOf(data, a, b, valid, k);
    for (let i = a; i < b; i++) { if (valid[k + i - a] === 1) { out[k + i - a] = read(values, base + i); } }
  });
  return { kind: 'number', values: out, valid };
}

/** Signed 64-bit integers, copied as two 32-bit words each (no BigInt made per value). */
function int64sOf(parts: Parts): ColumnData {
  const n = rowCount(parts);
  const out = new BigInt64Array(n);
  const words = new Int32Array(out.buffer);
  const valid = new Uint8Array(n);
  eachChunk(parts, (data, a, b, k) => {
    const values = data.values as BigInt64Array;
    if (values.length < b) { throw new Error('values shorter than their column'); }
    const src = new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
    validityOf(data, a, b, valid, k);
    for (let i = a; i < b; i++) {
      if (valid[k + i - a] === 1) { words[2 * (k + i - a)] = src[2 * i]; words[2 * (k + i - a) + 1] = src[2 * i + 1]; }
    }
  });
  return { kind: 'bigint', values: out, valid };
}

/** UTF-8 text: each value's bytes copied from the chunk's data buffer, by its offsets (checked against the buffer; sliced with the chunk). */
function utf8Of(parts: Parts): ColumnData {
  const n = rowCount(parts);
  const valid = new Uint8Array(n);
  const offsets = new Uint32Array(n + 1);
  let total = 0;
  eachChunk(parts, (data, a, b) => {
    const o = data.valueOffsets as Int32Array;
    if (o.length < b + 1) { throw new Error('value offsets shorter than their column'); }
    total += Math.max(0, o[b] - o[a]);
  });
  const bytes = new Uint8Array(total);
  let used = 0;
  eachChunk(parts, (data, a, b, k) => {
    const o = data.valueOffsets as Int32Array;
    const values = data.values as Uint8Array;
    validityOf(data, a, b, valid, k);
    for (let i = a; i < b; i++) {
      const s = o[i], e = o[i + 1];
      if (!(s >= 0 && s <= e && e <= values.length)) { throw new Error('value offsets out of order or past the data'); }
      if (valid[k + i - a] === 1) {
        if (used + e - s > bytes.length) { throw new Error('value offsets out of order'); }
        if (e - s > 32) { bytes.set(values.subarray(s, e), used); used += e - s; } else { for (let j = s; j < e; j++) { bytes[used++] = values[j]; } }
      }
      offsets[k + i - a + 1] = used;
    }
  });
  return { kind: 'text', bytes: bytes.subarray(0, used), offsets, valid };
}

function logicalOf(t: DataType): { type: LogicalType; kind: Kind } {
  switch (t.typeId) {
    case Type.Null: return { type: 'string', kind: 'null' };
    case Type.Int: {
      const { bitWidth, isSigned } = t as DataType<Type.Int> & { bitWidth: number; isSigned: boolean };
      if (bitWidth < 64) { return { type: 'integer', kind: 'number' }; }
      return { type: 'integer', kind: isSigned ? 'bigint' : 'text' };
    }
    case Type.Float: return { type: 'number', kind: 'number' };
    case Type.Bool: return { type: 'boolean', kind: 'number' };
    case Type.Decimal: return { type: 'number', kind: 'text' };
    case Type.Date: return { type: 'date', kind: 'number' };
    case Type.Time: return { type: 'time', kind: 'number' };
    case Type.Timestamp: return { type: 'datetime', kind: 'number' };
    case Type.Duration: return { type: 'integer', kind: 'bigint' };
    case Type.Utf8: case Type.LargeUtf8: case Type.Utf8View: return { type: 'string', kind: 'text' };
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: case Type.BinaryView:
      return { type: 'binary', kind: 'text' };
    default: return { type: 'json', kind: 'text' }; // lists, structs, maps, unions, intervals
  }
}

/** An Arrow Timestamp without a time zone holds local ("wall clock") times, not UTC instants. */
function isWallClock(t: DataType): boolean {
  return t.typeId === Type.Timestamp && !(t as unknown as { timezone?: string | null }).timezone;
}

function typeName(t: DataType): string {
  if (t.typeId === Type.Decimal) {
    const d = t as unknown as { precision: number; scale: number };
    return `Decimal(${d.precision},${d.scale})`;
  }
  return String(t);
}

/** ms per unit of an Arrow time value. */
function timeScale(t: DataType): number {
  switch ((t as unknown as { unit: TimeUnit }).unit) {
    case TimeUnit.SECOND: return 1000;
    case TimeUnit.MILLISECOND: return 1;
    case TimeUnit.MICROSECOND: return 1e-3;
    default: return 1e-6;
  }
}

/** Turns one non-null value from `vector.get()` into what the column stores. */
function cellConverter(t: DataType): (v: unknown) => number | bigint | string {
  switch (t.typeId) {
    case Type.Bool: return v => (v ? 1 : 0);
    case Type.Time: { const s = timeScale(t); return v => Number(v) * s; }
    case Type.Int: case Type.Duration: return v => (typeof v === 'bigint' ? v : Number(v));
    case Type.Decimal: {
      const scale = (t as unknown as { scale: number }).scale;
      return v => formatDecimal(BigInt(String(v)), scale);
    }
    case Type.Binary: case Type.LargeBinary: case Type.FixedSizeBinary: case Type.BinaryView:
      return v => (v instanceof Uint8Array ? hexOfBytes(v) : String(v));
    case Type.Utf8: case Type.LargeUtf8: case Type.Utf8View: return v => String(v);
    case Type.Float: case Type.Date: case Type.Timestamp: return v => Number(v);
    default: return v => stringifyJson(arrowJson(v, t, { left: MAX_NESTED_VALUES }));
  }
}

function toColumn(parts: Parts, kind: Kind, cell: (v: unknown) => number | bigint | string): ColumnData {
  const n = rowCount(parts);
  const valid = new Uint8Array(n);
  if (kind === 'text') {
    const b = new TextColumnBuilder();
    for (const { vector, from, to } of parts) {
      for (let i = from; i < to; i++) {
        const v = vector.isValid(i) ? vector.get(i) : null;
        b.push(v === null || v === undefined ? null : String(cell(v)));
      }
    }
    return b.finish();
  }
  if (kind === 'bigint') {
    const values = new BigInt64Array(n);
    let k = 0;
    for (const { vector, from, to } of parts) {
      for (let i = from; i < to; i++, k++) {
        const v = vector.isValid(i) ? vector.get(i) : null;
        if (v !== null && v !== undefined) { values[k] = BigInt(cell(v)); valid[k] = 1; }
      }
    }
    return { kind: 'bigint', values, valid };
  }
  const values = new Float64Array(n);
  if (kind === 'number') {
    let k = 0;
    for (const { vector, from, to } of parts) {
      for (let i = from; i < to; i++, k++) {
        const v = vector.isValid(i) ? vector.get(i) : null;
        if (v !== null && v !== undefined) { values[k] = cell(v) as number; valid[k] = 1; }
      }
    }
  }
  return { kind: 'number', values, valid };
}

/**
 * A nested Arrow value as plain JSON-ready data, guided by its type: temporal values as ISO text,
 * decimals exact, 64-bit integers as bigint (written with every digit), bytes as hex.
 */
export function arrowJson(v: unknown, t: DataType, budget: { left: number }): unknown {
  if (v === null || v === undefined) { return null; }
  if (--budget.left < 0) {
    throw new DatasetError('too-large', `a nested value holds more than ${MAX_NESTED_VALUES} values (or its offsets are damaged)`);
  }
  switch (t.typeId) {
    case Type.Dictionary: return arrowJson(v, (t as Dictionary).dictionary, budget);
    case Type.List: case Type.LargeList: case Type.FixedSizeList: {
      const child = t.children[0].type;
      const items = v as Vector;
      const out: unknown[] = [];
      for (let j = 0; j < items.length; j++) { out.push(arrowJson(items.get(j), child, budget)); }
      return out;
    }
    case Type.Struct: {
      const row = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of t.children) { out[f.name] = arrowJson(row[f.name], f.type, budget); }
      return out;
    }
    case Type.Map: {
      const entries = t.children[0].type.children as ArrowField[];
      const keyType = entries[0]?.type;
      const valueType = entries[1]?.type;
      const out: Record<string, unknown> = {};
      for (const [k, x] of v as Iterable<[unknown, unknown]>) {
        const key = keyType ? arrowJson(k, keyType, budget) : k;
        out[typeof key === 'string' ? key : stringifyJson(key)] = valueType ? arrowJson(x, valueType, budget) : x;
      }
      return out;
    }
    case Type.Date: return isoDate(Number(v)) ?? Number(v);
    case Type.Timestamp: return (isWallClock(t) ? localDateTime(Number(v)) : isoDateTime(Number(v))) ?? Number(v);
    case Type.Time: return isoTime(Number(v) * timeScale(t)) ?? String(v);
    case Type.Decimal: return new RawJsonNumber(formatDecimal(BigInt(String(v)), (t as unknown as { scale: number }).scale));
    default: return v;
  }
}
