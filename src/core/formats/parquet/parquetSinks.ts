// Where the page-window reader puts a flat column's values: straight into typed batch columns for the common
// types (numbers, dates, timestamps, 64-bit integers, UTF-8 text), or as hyparquet's converted values for the rest.
//
// A scan of a Parquet file decodes every value once, so the path from page to batch is the scan's speed. Values that
// pass through a JS array cost an object or a boxed number each, and a third of a scan went to collecting them; the
// typed sinks copy from the page into Float64Array, BigInt64Array and UTF-8 byte columns with no JS value between.
import type { DecodedArray, ParquetType } from 'hyparquet';
import { convert } from 'hyparquet/src/convert.js';
import { readPlain } from 'hyparquet/src/plain.js';
import type { ColumnData } from '../columns';
import { int96Millis, readHybrid, readInt96Millis, type Reader, skipPlain } from './parquetEncodings';

/** A page's definition levels for the window's rows, and which of its defined values those rows hold. */
export interface LevelsWindow {
  /** Definition levels of the page's rows in the window (undefined for a required column: all defined). */
  defined: Uint8Array | undefined;
  /** Values defined before the window, to pass over. */
  skip: number;
  /** Values defined up to the window's end. */
  present: number;
}

/**
 * How a flat column's values become a typed column with no JS value between: numbers (with their conversion to the
 * batch's number: dates to epoch ms, timestamps and times to ms; INT96 timestamps are read as epoch ms), 64-bit
 * integers kept exact, UTF-8 text as bytes.
 */
export type DirectDecoding =
  | { kind: 'number'; physical: 'BOOLEAN' | 'INT32' | 'INT64' | 'INT96' | 'FLOAT' | 'DOUBLE'; unsigned: boolean; multiply: number; divide: number }
  | { kind: 'int64' }
  | { kind: 'text' };

export interface WindowSink {
  /** Reads a dictionary page's `count` PLAIN values. */
  dictionary(reader: Reader, count: number): void;
  /**
   * Reads the window's values of one page (the reader at the start of its values) into the output's rows
   * [at, at + rows). All or nothing: it throws before writing anything when the bytes end early (a page's head).
   * false for an encoding it does not read.
   */
  page(reader: Reader, encoding: string, levels: LevelsWindow, at: number, rows: number): boolean;
  finish(): ColumnData;
}

export interface ValueContext {
  type: ParquetType;
  typeLength: number | undefined;
  /** hyparquet's decoder description, for `convert`. */
  decoder: Parameters<typeof convert>[1];
  toColumn(values: ArrayLike<unknown>): ColumnData;
}

/** The sink for a window of `rows` rows. */
export function windowSink(rows: number, direct: DirectDecoding | undefined, context: ValueContext): WindowSink {
  switch (direct?.kind) {
    case 'number': return new NumberSink(rows, direct);
    case 'int64': return LITTLE_ENDIAN ? new Int64Sink(rows) : new ValuesSink(rows, context);
    case 'text': return new TextSink(rows);
    default: return new ValuesSink(rows, context);
  }
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function isDictionary(encoding: string): boolean {
  return encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY';
}

function shortPage(): Error {
  return new Error('parquet page holds fewer values than its header says');
}

/** The dictionary indexes of the window's defined values: a bit width byte, then RLE / bit-packed indexes. */
function readIndexes(reader: Reader, levels: LevelsWindow, dictionaryLength: number | undefined): Int32Array {
  if (dictionaryLength === undefined) { throw new Error('parquet dictionary page missing'); }
  const indexes = new Int32Array(levels.present - levels.skip);
  const width = reader.view.getUint8(reader.offset++);
  if (width) { readHybrid(reader, width, indexes, reader.view.byteLength - reader.offset, levels.skip); }
  for (let i = 0; i < indexes.length; i++) {
    if (indexes[i] >= dictionaryLength) { throw new Error(`parquet dictionary index ${indexes[i]} out of range`); }
  }
  return indexes;
}

/** Converted values (hyparquet's for decimals, unsigned 64-bit, bytes, UUID, JSON; INT96 as epoch ms), then the plan's toColumn. */
class ValuesSink implements WindowSink {
  private readonly out: unknown[];
  private dict: DecodedArray | undefined;

  constructor(rows: number, private readonly c: ValueContext) {
    this.out = new Array<unknown>(rows).fill(null);
  }

  dictionary(reader: Reader, count: number): void {
    this.dict = this.plain(reader, count);
  }

  page(reader: Reader, encoding: string, levels: LevelsWindow, at: number, rows: number): boolean {
    const values = this.values(reader, encoding, levels);
    if (!values) { return false; }
    const { defined } = levels;
    for (let i = 0, v = 0; i < rows; i++) {
      if (!defined || defined[i] === 1) { this.out[at + i] = values[v++]; }
    }
    return true;
  }

  /** The window's defined values; values before it are passed over undecoded. */
  private values(reader: Reader, encoding: string, levels: LevelsWindow): ArrayLike<unknown> | undefined {
    const { type, typeLength } = this.c;
    const { skip, present } = levels;
    if (encoding === 'PLAIN' && type === 'BOOLEAN') {
      return Array.from(readPlain(reader, type, present, undefined) as ArrayLike<boolean>).slice(skip);
    }
    if (encoding === 'PLAIN') {
      skipPlain(reader, type, skip, typeLength);
      return this.plain(reader, present - skip);
    }
    if (isDictionary(encoding)) {
      const dict = this.dict;
      return Array.from(readIndexes(reader, levels, dict?.length), k => (dict as DecodedArray)[k]);
    }
    if (encoding === 'RLE' && type === 'BOOLEAN') {
      const bits = new Uint8Array(present - skip);
      readHybrid(reader, 1, bits, undefined, skip);
      return Array.from(bits, b => b === 1);
    }
    return undefined;
  }

  /** `count` PLAIN values, converted; INT96 read here, as hyparquet's INT96 value loses the day when the nanoseconds are negative. */
  private plain(reader: Reader, count: number): DecodedArray {
    const { type, typeLength, decoder } = this.c;
    return type === 'INT96' ? readInt96Millis(reader, count) : convert(readPlain(reader, type, count, typeLength), decoder);
  }

  finish(): ColumnData {
    return this.c.toColumn(this.out);
  }
}

/** Booleans, 32-bit integers, floats, doubles, dates, timestamps (INT96 too) and times into a Float64Array. */
class NumberSink implements WindowSink {
  private readonly values: Float64Array;
  private readonly valid: Uint8Array;
  private dict: Float64Array | undefined;
  private dense = new Float64Array(0);

  constructor(rows: number, private readonly d: Extract<DirectDecoding, { kind: 'number' }>) {
    this.values = new Float64Array(rows);
    this.valid = new Uint8Array(rows);
  }

  dictionary(reader: Reader, count: number): void {
    this.dict = new Float64Array(count);
    this.readPlain(reader, count, this.dict, 0);
  }

  page(reader: Reader, encoding: string, levels: LevelsWindow, at: number, rows: number): boolean {
    const { skip, present } = levels;
    const m = present - skip;
    if (this.dense.length < m) { this.dense = new Float64Array(Math.max(m, this.dense.length * 2)); }
    const dense = this.dense;
    if (encoding === 'PLAIN' && this.d.physical === 'BOOLEAN') {
      const { view, offset } = reader;
      if (offset + Math.ceil(present / 8) > view.byteLength) { throw shortPage(); }
      for (let i = skip; i < present; i++) { dense[i - skip] = (view.getUint8(offset + (i >>> 3)) >>> (i & 7)) & 1; }
    } else if (encoding === 'PLAIN') {
      this.readPlain(reader, m, dense, skip);
    } else if (isDictionary(encoding)) {
      const dict = this.dict;
      const indexes = readIndexes(reader, levels, dict?.length);
      for (let i = 0; i < m; i++) { dense[i] = (dict as Float64Array)[indexes[i]]; }
    } else if (encoding === 'RLE' && this.d.physical === 'BOOLEAN') {
      const bits = new Uint8Array(m);
      readHybrid(reader, 1, bits, undefined, skip);
      for (let i = 0; i < m; i++) { dense[i] = bits[i]; }
    } else {
      return false;
    }
    const { values, valid } = this;
    const { defined } = levels;
    if (!defined) {
      values.set(dense.subarray(0, rows), at);
      valid.fill(1, at, at + rows);
      return true;
    }
    for (let i = 0, v = 0; i < rows; i++) {
      if (defined[i] === 1) { values[at + i] = dense[v++]; valid[at + i] = 1; }
    }
    return true;
  }

  /**
   * `count` PLAIN values after the first `skip` into out[0...], converted (dates to epoch ms, timestamps and times
   * to ms).
   */
  private readPlain(reader: Reader, count: number, out: Float64Array, skip: number): void {
    const { view } = reader;
    const { physical, unsigned, multiply, divide } = this.d;
    if (physical === 'BOOLEAN') { throw new Error('parquet BOOLEAN values have no dictionary'); }
    const width = physical === 'INT32' || physical === 'FLOAT' ? 4 : physical === 'INT96' ? 12 : 8;
    const o = reader.offset + skip * width;
    if (o + count * width > view.byteLength) { throw shortPage(); }
    switch (physical) {
      case 'INT32':
        if (unsigned) { for (let i = 0; i < count; i++) { out[i] = view.getUint32(o + 4 * i, true); } }
        else { for (let i = 0; i < count; i++) { out[i] = view.getInt32(o + 4 * i, true); } }
        break;
      case 'INT64':
        // high word × 2^32 + low word is one rounding of the exact value, as Number(bigint) is
        for (let i = 0; i < count; i++) { out[i] = view.getInt32(o + 8 * i + 4, true) * 4294967296 + view.getUint32(o + 8 * i, true); }
        break;
      case 'INT96':
        for (let i = 0; i < count; i++) { out[i] = int96Millis(view, o + 12 * i); }
        break;
      case 'FLOAT':
        for (let i = 0; i < count; i++) { out[i] = view.getFloat32(o + 4 * i, true); }
        break;
      case 'DOUBLE':
        for (let i = 0; i < count; i++) { out[i] = view.getFloat64(o + 8 * i, true); }
        break;
    }
    if (multiply !== 1) { for (let i = 0; i < count; i++) { out[i] *= multiply; } }
    if (divide !== 1) { for (let i = 0; i < count; i++) { out[i] /= divide; } }
    reader.offset = o + count * width;
  }

  finish(): ColumnData {
    return { kind: 'number', values: this.values, valid: this.valid };
  }
}

/** Signed 64-bit integers, copied as two 32-bit words each into a BigInt64Array (no BigInt made per value). */
class Int64Sink implements WindowSink {
  private readonly values: BigInt64Array;
  private readonly words: Int32Array;
  private readonly valid: Uint8Array;
  private dict: Int32Array | undefined;
  private dense = new Int32Array(0);

  constructor(rows: number) {
    this.values = new BigInt64Array(rows);
    this.words = new Int32Array(this.values.buffer);
    this.valid = new Uint8Array(rows);
  }

  dictionary(reader: Reader, count: number): void {
    this.dict = new Int32Array(2 * count);
    readWords(reader, count, this.dict);
  }

  page(reader: Reader, encoding: string, levels: LevelsWindow, at: number, rows: number): boolean {
    const { skip, present } = levels;
    const m = present - skip;
    if (this.dense.length < 2 * m) { this.dense = new Int32Array(Math.max(2 * m, this.dense.length * 2)); }
    const dense = this.dense;
    if (encoding === 'PLAIN') {
      reader.offset += 8 * skip;
      readWords(reader, m, dense);
    } else if (isDictionary(encoding)) {
      const dict = this.dict;
      const indexes = readIndexes(reader, levels, dict && dict.length / 2);
      for (let i = 0; i < m; i++) {
        dense[2 * i] = (dict as Int32Array)[2 * indexes[i]];
        dense[2 * i + 1] = (dict as Int32Array)[2 * indexes[i] + 1];
      }
    } else {
      return false;
    }
    const { words, valid } = this;
    const { defined } = levels;
    for (let i = 0, v = 0; i < rows; i++) {
      if (!defined || defined[i] === 1) {
        words[2 * (at + i)] = dense[2 * v];
        words[2 * (at + i) + 1] = dense[2 * v + 1];
        valid[at + i] = 1;
        v++;
      }
    }
    return true;
  }

  finish(): ColumnData {
    return { kind: 'bigint', values: this.values, valid: this.valid };
  }
}

/** `count` PLAIN INT64 values as little-endian word pairs into out[0...]. */
function readWords(reader: Reader, count: number, out: Int32Array): void {
  const { view } = reader;
  const o = reader.offset;
  if (o + 8 * count > view.byteLength) { throw shortPage(); }
  for (let i = 0; i < 2 * count; i++) { out[i] = view.getInt32(o + 4 * i, true); }
  reader.offset = o + 8 * count;
}

/** UTF-8 text (BYTE_ARRAY strings), copied from the page into the column's bytes. */
class TextSink implements WindowSink {
  private bytes: Uint8Array;
  private used = 0;
  private readonly offsets: Uint32Array;
  private readonly valid: Uint8Array;
  /** The next row to fill: pages fill the window's rows in order. */
  private next = 0;
  private dict: { bytes: Uint8Array; starts: Int32Array; ends: Int32Array } | undefined;
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);

  constructor(rows: number) {
    this.bytes = new Uint8Array(Math.max(1024, rows * 8));
    this.offsets = new Uint32Array(rows + 1);
    this.valid = new Uint8Array(rows);
  }

  dictionary(reader: Reader, count: number): void {
    const starts = new Int32Array(count);
    const ends = new Int32Array(count);
    spans(reader, count, starts, ends);
    this.dict = { bytes: new Uint8Array(reader.view.buffer, reader.view.byteOffset, reader.view.byteLength), starts, ends };
  }

  page(reader: Reader, encoding: string, levels: LevelsWindow, at: number, rows: number): boolean {
    if (at !== this.next) { throw new Error('parquet pages out of order'); }
    const { skip, present } = levels;
    const m = present - skip;
    let src: Uint8Array;
    let starts: Int32Array;
    let ends: Int32Array;
    let indexes: Int32Array | undefined;
    if (encoding === 'PLAIN') {
      skipPlain(reader, 'BYTE_ARRAY', skip, undefined);
      if (this.starts.length < m) { this.starts = new Int32Array(Math.max(m, this.starts.length * 2)); this.ends = new Int32Array(this.starts.length); }
      starts = this.starts;
      ends = this.ends;
      spans(reader, m, starts, ends);
      src = new Uint8Array(reader.view.buffer, reader.view.byteOffset, reader.view.byteLength);
    } else if (isDictionary(encoding)) {
      indexes = readIndexes(reader, levels, this.dict?.starts.length);
      ({ bytes: src, starts, ends } = this.dict as NonNullable<TextSink['dict']>);
    } else {
      return false;
    }
    // nothing is written before this point: a page cut short has thrown above
    let total = 0;
    for (let v = 0; v < m; v++) { const k = indexes ? indexes[v] : v; total += ends[k] - starts[k]; }
    if (this.used + total > this.bytes.length) { this.grow(this.used + total); }
    const { bytes, offsets, valid } = this;
    const { defined } = levels;
    let u = this.used;
    for (let i = 0, v = 0; i < rows; i++) {
      if (!defined || defined[i] === 1) {
        const k = indexes ? indexes[v] : v;
        const s = starts[k];
        const e = ends[k];
        if (e - s > 32) {
          bytes.set(src.subarray(s, e), u);
          u += e - s;
        } else {
          for (let j = s; j < e; j++) { bytes[u++] = src[j]; }
        }
        valid[at + i] = 1;
        v++;
      }
      offsets[at + i + 1] = u;
    }
    this.used = u;
    this.next = at + rows;
    return true;
  }

  private grow(need: number): void {
    let size = this.bytes.length * 2;
    while (size < need) { size *= 2; }
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }

  finish(): ColumnData {
    return { kind: 'text', bytes: this.bytes.subarray(0, this.used), offsets: this.offsets, valid: this.valid };
  }
}

/** Where each of `count` PLAIN BYTE_ARRAY values (a 4-byte length, then the bytes) starts and ends. */
function spans(reader: Reader, count: number, starts: Int32Array, ends: Int32Array): void {
  const { view } = reader;
  let o = reader.offset;
  for (let i = 0; i < count; i++) {
    if (o + 4 > view.byteLength) { throw shortPage(); }
    const s = o + 4;
    o = s + view.getUint32(o, true);
    if (o > view.byteLength) { throw shortPage(); }
    starts[i] = s;
    ends[i] = o;
  }
  reader.offset = o;
}
