// What each Arrow field becomes: its Field, and how a slice of an Arrow vector is copied into a ColumnData.
import { type DataType, type Dictionary, type Field as ArrowField, type Vector, Type, TimeUnit } from 'apache-arrow';
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

export function planArrowColumns(fields: readonly ArrowField[]): ArrowColumnPlan[] {
  return fields.map(f => {
    const valueType = f.type.typeId === Type.Dictionary ? (f.type as Dictionary).dictionary : f.type;
    const { type, kind } = logicalOf(valueType);
    const sourceType = f.type.typeId === Type.Dictionary ? `Dictionary<${typeName(valueType)}>` : typeName(valueType);
    const field: Field = { name: f.name, type, nullable: f.nullable, sourceType, ...(isWallClock(valueType) && { wallClock: true }) };
    const cell = cellConverter(valueType);
    return { field, toColumn: parts => toColumn(parts, kind, cell) };
  });
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

function toColumn(parts: { vector: Vector; from: number; to: number }[], kind: Kind, cell: (v: unknown) => number | bigint | string): ColumnData {
  const n = parts.reduce((s, p) => s + (p.to - p.from), 0);
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
