// Parquet's low-level encodings, read from a DataView: the RLE / bit-packed hybrid, PLAIN values passed over, and
// PLAIN INT96 timestamps.
import { readVarInt } from 'hyparquet/src/thrift.js';

export interface Reader { view: DataView; offset: number }

export function readerOf(bytes: Uint8Array): Reader {
  return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
}

/**
 * The RLE / bit-packed hybrid encoding (levels, dictionary indexes, booleans): values [skip, skip + output.length)
 * into `output`. With width 1 it returns how many of the `skip` values before them are set (the rows defined
 * before a window); 0 for wider values. Values before `skip` are not decoded, and a run reaching past the window is
 * not read to its end, so a page's head is enough for its first values (a writer may bit-pack a whole page in one
 * run). The reader then stands `length` bytes on (read from a 4-byte prefix when not given), as after the block.
 */
export function readHybrid(reader: Reader, width: number, output: Uint8Array | Int32Array, length?: number, skip = 0): number {
  if (length === undefined) {
    length = reader.view.getUint32(reader.offset, true);
    reader.offset += 4;
  }
  if (width > 32) { throw new Error(`parquet bit width ${width} is over 32`); }
  const start = reader.offset;
  const { view } = reader;
  const end = skip + output.length;
  let skippedSum = 0;
  let seen = 0; // values passed so far, skipped or written
  while (seen < end) {
    const header = readVarInt(reader);
    const count = header & 1 ? (header >>> 1) * 8 : header >>> 1;
    if (count === 0) { throw new Error('parquet RLE run of no values'); }
    const skipHere = Math.min(count, Math.max(0, skip - seen)); // values of this run before the window
    const take = Math.min(count - skipHere, end - seen - skipHere);
    if (header & 1) {
      const base = reader.offset;
      if (skipHere && width === 1) { skippedSum += bitsSet(view, base, skipHere); }
      unpack(view, base, skipHere, take, width, output, seen + skipHere - skip);
      reader.offset = base + Math.ceil((count * width) / 8);
    } else {
      let value = 0;
      for (let i = 0; i < (width + 7) >> 3; i++) { value += view.getUint8(reader.offset++) * 2 ** (8 * i); }
      if (width === 1) { skippedSum += value * skipHere; }
      if (take > 0) { output.fill(value, seen + skipHere - skip, seen + skipHere - skip + take); }
    }
    seen += skipHere + Math.max(0, take);
    if (take <= 0 && skipHere < count) { break; } // the window ended inside this run
  }
  reader.offset = start + length;
  return skippedSum;
}

/** Values [from, from + count) of a bit-packed run starting at `base`, into output[at...]. */
function unpack(view: DataView, base: number, from: number, count: number, width: number, output: Uint8Array | Int32Array, at: number): void {
  let i = 0;
  let bit = from * width;
  if (width <= 25) {
    // a value and its bit offset within a byte fit one little-endian 32-bit read, while four bytes remain
    const mask = (1 << width) - 1;
    const last = view.byteLength - 4;
    for (; i < count; i++, bit += width) {
      const byte = base + (bit >>> 3);
      if (byte > last) { break; }
      output[at + i] = (view.getUint32(byte, true) >>> (bit & 7)) & mask;
    }
  }
  const mask = width >= 31 ? 0 : (1 << width) - 1;
  for (; i < count; i++, bit += width) {
    let byte = base + (bit >>> 3);
    let have = 8 - (bit & 7);
    let value = view.getUint8(byte) >>> (bit & 7);
    while (have < width) {
      value += view.getUint8(++byte) * 2 ** have;
      have += 8;
    }
    output[at + i] = mask ? value & mask : value % 2 ** width;
  }
}

/** How many of the first `count` bits of a bit-packed run of width 1 are set. */
function bitsSet(view: DataView, base: number, count: number): number {
  let sum = 0;
  const whole = count >>> 3;
  for (let b = 0; b < whole; b++) { sum += BITS_SET[view.getUint8(base + b)]; }
  if (count & 7) { sum += BITS_SET[view.getUint8(base + whole) & ((1 << (count & 7)) - 1)]; }
  return sum;
}

const BITS_SET = Uint8Array.from({ length: 256 }, (_, b) => { let n = 0; for (let x = b; x; x >>>= 1) { n += x & 1; } return n; });

/** The Julian day number of 1970-01-01. */
const JULIAN_UNIX_EPOCH = 2_440_588;
const DAY_NANOS = 86_400_000_000_000;
/** Days from 1970 within which days × DAY_NANOS is exact in a double (DAY_NANOS is 2^16 × a 31-bit odd number). */
const EXACT_INT96_DAYS = 2 ** 22;

/**
 * Epoch ms (fractional below the ms) of the PLAIN INT96 timestamp at `offset`: nanoseconds of the day (int64) and
 * the Julian day (int32), little-endian. A usual value (nanoseconds within one day, years within ±11,000 of 1970)
 * is its exact nanosecond count rounded once to a double, then divided by 1e6. Any other is read as Spark reads
 * INT96: microseconds = days × µs per day + nanoseconds / 1000 (truncated), wrapped to 64 bits. Spark computes the
 * Julian microseconds it writes with 64-bit wrapping, so an instant past about year 287,500 is written with a negative
 * day and negative nanoseconds, which this reading turns back into the instant.
 */
export function int96Millis(view: DataView, offset: number): number {
  const nanosHigh = view.getInt32(offset + 4, true);
  const nanos = nanosHigh * 4_294_967_296 + view.getUint32(offset, true);
  const days = view.getInt32(offset + 8, true) - JULIAN_UNIX_EPOCH;
  if (nanosHigh >= 0 && nanos < DAY_NANOS && days <= EXACT_INT96_DAYS && days >= -EXACT_INT96_DAYS) {
    return (days * DAY_NANOS + nanos) / 1e6;
  }
  const micros = BigInt.asIntN(64, BigInt(days) * 86_400_000_000n + view.getBigInt64(offset, true) / 1000n);
  return Number(micros / 1000n) + Number(micros % 1000n) / 1000;
}

/** `count` PLAIN INT96 timestamps as epoch ms (see int96Millis). */
export function readInt96Millis(reader: Reader, count: number): Float64Array {
  const { view } = reader;
  const o = reader.offset;
  if (o + 12 * count > view.byteLength) { throw new Error('parquet page holds fewer values than its header says'); }
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) { out[i] = int96Millis(view, o + 12 * i); }
  reader.offset = o + 12 * count;
  return out;
}

const PLAIN_WIDTH: Partial<Record<string, number>> = { INT32: 4, FLOAT: 4, INT64: 8, DOUBLE: 8, INT96: 12 };

/** Moves past `count` PLAIN values (any type but BOOLEAN, which is bit-packed) without decoding them. */
export function skipPlain(reader: Reader, type: string, count: number, typeLength: number | undefined): void {
  if (count === 0) { return; }
  const width = type === 'FIXED_LEN_BYTE_ARRAY' ? typeLength : PLAIN_WIDTH[type];
  if (width) {
    reader.offset += count * width;
  } else if (type === 'BYTE_ARRAY') {
    for (let i = 0; i < count; i++) { reader.offset += 4 + reader.view.getUint32(reader.offset, true); }
  } else {
    throw new Error(`parquet cannot skip ${type} values`);
  }
  if (reader.offset > reader.view.byteLength) { throw new Error('parquet page holds fewer values than its header says'); }
}
