// Reads a window of a flat Parquet column page by page, decoding only the rows it needs (hyparquet's own page primitives).
//
// hyparquet decodes every value of each page it touches and assembles them generically; a writer that puts a
// whole row group in one page (DuckDB does) then costs a full row-group decode for the first 1,000 rows.
// Here pages before the window are skipped undecompressed; in the pages that overlap it only the levels
// and values up to the window's end are decoded, and of a Snappy page only the head holding them is inflated. Anything unusual (page v2, delta encodings) returns
// undefined so the caller falls back to hyparquet's full reader.
import type { ColumnMetaData, Compressors, DecodedArray, ParquetParsers, ParquetType, SchemaElement, SchemaTree } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { readVarInt } from 'hyparquet/src/thrift.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { snappyPrefix } from './snappyPrefix';

export interface FlatColumn {
  node: SchemaTree;
  /** The element as decoded (decimal annotations removed, see metadataForDecoding). */
  element: SchemaElement;
}

interface Reader { view: DataView; offset: number }

/** A top-level primitive column: no repetition, at most one definition level. */
export function isFlat(node: SchemaTree): boolean {
  return node.children.length === 0 && node.element.repetition_type !== 'REPEATED' && !!node.element.type;
}

export function columnChunkRange(meta: ColumnMetaData): { start: number; end: number } {
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  return { start, end: start + Number(meta.total_compressed_size) };
}

/** The head of a column chunk read for a window did not hold the window: read the whole chunk. */
class ChunkHeadTooShort extends Error {
  constructor() { super('the window reaches past the head of the column chunk read'); }
}

/**
 * How many of a column chunk's first bytes are likely to hold rows [0, selectEnd) of its row group of `groupRows`
 * rows: the dictionary page, definition levels, the data pages' share for the window (doubled: values compress
 * unevenly), and room for page headers. The whole chunk when that is most of it.
 */
export function chunkHeadLength(meta: ColumnMetaData, selectEnd: number, groupRows: number): number {
  const { start, end } = columnChunkRange(meta);
  const total = end - start;
  const dictionary = meta.dictionary_page_offset ? Math.max(0, Number(meta.data_page_offset) - start) : 0;
  const data = Math.max(0, total - dictionary);
  // an optional column's definition levels come before its values: up to one bit per row
  const levels = Math.ceil(groupRows / 8);
  const head = dictionary + levels + Math.ceil(data * Math.min(1, selectEnd / Math.max(1, groupRows)) * 2) + HEAD_SLACK;
  return head * 2 > total ? total : head;
}
const HEAD_SLACK = 16 * 1024;

/**
 * Values of rows [selectStart, selectEnd) (relative to the row group) of one flat column chunk,
 * null for missing; undefined when the chunk uses something this path does not handle.
 */
export function readFlatWindow(
  chunk: Uint8Array, meta: ColumnMetaData, column: FlatColumn, root: SchemaTree,
  selectStart: number, selectEnd: number,
  options: {
    compressors: Compressors;
    parsers: Partial<ParquetParsers>;
    /** `chunk` is only the chunk's first bytes (see chunkHeadLength): a window reaching past them throws ChunkHeadTooShort. */
    head?: boolean;
  },
): unknown[] | undefined {
  const { element } = column;
  const type = element.type;
  if (!type) { return undefined; }
  const decoder = {
    pathInSchema: meta.path_in_schema,
    type,
    element,
    schemaPath: [root, { ...column.node, element }],
    codec: meta.codec,
    parsers: { ...DEFAULT_PARSERS, ...options.parsers },
    compressors: options.compressors,
    utf8: false,
  };
  const optional = element.repetition_type === 'OPTIONAL';
  const out = new Array<unknown>(selectEnd - selectStart).fill(null);
  const reader: Reader = { view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset: 0 };
  let dictionary: DecodedArray | undefined;
  let rowsSeen = 0;
  while (rowsSeen < selectEnd && reader.offset < chunk.length - 1) {
    const header = parquetHeader(reader);
    const size = header.compressed_page_size;
    const cut = reader.offset + size > chunk.length; // only a head of the chunk was read, and this page runs past it
    if (!(size >= 0) || (cut && !options.head)) { throw new Error('parquet page runs past its column chunk'); }
    const v2 = header.type === 'DATA_PAGE_V2' ? header.data_page_header_v2 : undefined;
    const snappyValues = meta.codec === 'SNAPPY' && (header.type === 'DATA_PAGE' || (v2 !== undefined && v2.is_compressed !== false));
    if (cut && !snappyValues) { throw new ChunkHeadTooShort(); }
    const compressed = chunk.subarray(reader.offset, reader.offset + size);
    reader.offset += size;
    if (header.type === 'DICTIONARY_PAGE') {
      const page = decompressPage(compressed, header.uncompressed_page_size, meta.codec, options.compressors);
      const count = header.dictionary_page_header?.num_values ?? 0;
      dictionary = convert(readPlain(readerOf(page), type, count, element.type_length), decoder);
      continue;
    }
    if (header.type === 'INDEX_PAGE') { continue; }
    if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') { return undefined; } // the full reader decides
    const data = header.type === 'DATA_PAGE' ? header.data_page_header : v2;
    if (!data) { throw new Error(`parquet ${header.type} header is undefined`); }
    // a flat column's page holds as many rows as values; v2 pages of a flat column have no repetition levels
    if (v2 && v2.repetition_levels_byte_length !== 0) { return undefined; }
    const pageRows = data.num_values;
    if (rowsSeen + pageRows <= selectStart) { rowsSeen += pageRows; continue; } // skipped: never decompressed
    const { encoding } = data;
    if (!readsEncoding(encoding, type)) { return undefined; }
    const need = Math.min(pageRows, selectEnd - rowsSeen);
    const before = Math.max(0, selectStart - rowsSeen); // rows of this page before the window
    const readValues = (r: Reader, levels: LevelsWindow): PageWindow | undefined => {
      const values = readValuesWindow(r, encoding, type, element.type_length, levels, dictionary, decoder);
      return values && { defined: levels.defined, values };
    };
    let decoded: PageWindow | undefined;
    if (v2) {
      // levels first, never compressed; then the values, compressed unless the header says otherwise
      const levelBytes = v2.definition_levels_byte_length;
      if (compressed.length < levelBytes) { throw new ChunkHeadTooShort(); }
      const levels = readLevelsWindow(readerOf(compressed.subarray(0, levelBytes)), optional && levelBytes > 0, need, before, levelBytes);
      const values = compressed.subarray(levelBytes);
      const fullSize = header.uncompressed_page_size - levelBytes;
      const guess = Math.ceil(fullSize * (need / Math.max(1, pageRows)) * 1.25) + 256;
      decoded = v2.is_compressed === false
        ? readValues(readerOf(values), levels)
        : decodeHeadFirst(values, fullSize, guess, cut, meta.codec, options.compressors, bytes => readValues(readerOf(bytes), levels));
    } else {
      // inflate only the head of the page (first guess: the window's share of it), growing it until the
      // window's levels and values are inside; an optional column's levels (up to a bit a row) come first
      const levels = optional ? Math.ceil(pageRows / 8) + 8 : 0;
      const guess = levels + Math.ceil(header.uncompressed_page_size * (need / Math.max(1, pageRows)) * 1.25) + 256;
      decoded = decodeHeadFirst(compressed, header.uncompressed_page_size, guess, cut, meta.codec, options.compressors, bytes => {
        const r = readerOf(bytes);
        return readValues(r, readLevelsWindow(r, optional, need, before));
      });
    }
    if (!decoded) { throw new Error(`parquet ${encoding} page could not be read`); }
    const { defined, values } = decoded;
    let v = 0;
    for (let i = before; i < need; i++) {
      const isDefined = !defined || defined[i - before] === 1;
      out[rowsSeen + i - selectStart] = isDefined ? values[v] : null;
      if (isDefined) { v++; }
    }
    rowsSeen += pageRows;
  }
  if (rowsSeen < selectEnd) {
    if (options.head) { throw new ChunkHeadTooShort(); }
    throw new Error('parquet column chunk holds fewer rows than its row group');
  }
  return out;
}

function readsEncoding(encoding: string, type: ParquetType): boolean {
  return encoding === 'PLAIN' || encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY' || (encoding === 'RLE' && type === 'BOOLEAN');
}

interface PageWindow {
  /** Definition levels of the page's rows [before, need) (undefined for a required column). */
  defined: Uint8Array | undefined;
  /** The defined values from the first one inside the window on. */
  values: ArrayLike<unknown>;
}

/**
 * Of a Snappy page (or a v2 page's values), only as much of its head as the window needs is inflated: first
 * `guess` bytes, growing until `decode` succeeds; the whole page when no head does (or for other codecs). `cut`:
 * only the page's first bytes were read, so a failing head means the whole chunk must be read.
 */
function decodeHeadFirst(
  compressed: Uint8Array, fullSize: number, guess: number, cut: boolean, codec: ColumnMetaData['codec'], compressors: Compressors,
  decode: (bytes: Uint8Array) => PageWindow | undefined,
): PageWindow | undefined {
  if (codec === 'SNAPPY') {
    for (let want = guess; want < fullSize; want *= 4) {
      try {
        const decoded = decode(snappyPrefix(compressed, want, fullSize, cut));
        if (decoded) { return decoded; }
      } catch {
        // the window reaches past this prefix (or the page is damaged: the full decode below says so)
      }
    }
  }
  if (cut) { throw new ChunkHeadTooShort(); }
  return decode(decompressPage(compressed, fullSize, codec, compressors));
}

interface LevelsWindow {
  /** Definition levels of the rows [before, need) (undefined for a required column: all defined). */
  defined: Uint8Array | undefined;
  /** Values defined before the window, to pass over. */
  skip: number;
  /** Values defined up to the window's end. */
  present: number;
}

/**
 * A page's definition levels for rows [before, need): `length` bytes of RLE / bit-packed levels (a v2 page), or
 * as many as its 4-byte prefix says (v1). The levels before the window are counted, not kept.
 */
function readLevelsWindow(reader: Reader, optional: boolean, need: number, before: number, length?: number): LevelsWindow {
  if (!optional) { return { defined: undefined, skip: before, present: need }; }
  const defined = new Uint8Array(need - before);
  const skip = readHybrid(reader, 1, defined, length, before);
  let present = skip;
  for (let i = 0; i < defined.length; i++) { present += defined[i]; }
  return { defined, skip, present };
}

/**
 * A page's defined values from the `skip`-th to the `present`-th (those of the window), reading from the start of
 * its values; throws when they are beyond the bytes given (a prefix), undefined for an encoding this path does not
 * read. Values before the window are passed over undecoded.
 */
function readValuesWindow(
  pageReader: Reader, encoding: string, type: ParquetType, typeLength: number | undefined, levels: LevelsWindow,
  dictionary: DecodedArray | undefined, decoder: Parameters<typeof convert>[1],
): ArrayLike<unknown> | undefined {
  const { skip, present } = levels;
  if (encoding === 'PLAIN' && type === 'BOOLEAN') {
    return Array.from(readPlain(pageReader, type, present, undefined) as ArrayLike<boolean>).slice(skip);
  }
  if (encoding === 'PLAIN') {
    skipPlain(pageReader, type, skip, typeLength);
    return convert(readPlain(pageReader, type, present - skip, typeLength), decoder);
  }
  if (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY') {
    if (!dictionary) { throw new Error('parquet dictionary page missing'); }
    const width = pageReader.view.getUint8(pageReader.offset++);
    const indexes = new Int32Array(present - skip);
    if (width) { readHybrid(pageReader, width, indexes, pageReader.view.byteLength - pageReader.offset, skip); }
    const dict = dictionary;
    return Array.from(indexes, k => {
      if (k >= dict.length) { throw new Error(`parquet dictionary index ${k} out of range`); }
      return dict[k];
    });
  }
  if (encoding === 'RLE' && type === 'BOOLEAN') {
    const bits = new Uint8Array(present - skip);
    readHybrid(pageReader, 1, bits, undefined, skip);
    return Array.from(bits, b => b === 1);
  }
  return undefined;
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
  const mask = width >= 31 ? 0 : (1 << width) - 1;
  for (let i = 0, bit = from * width; i < count; i++, bit += width) {
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

const PLAIN_WIDTH: Partial<Record<string, number>> = { INT32: 4, FLOAT: 4, INT64: 8, DOUBLE: 8, INT96: 12 };

/** Moves past `count` PLAIN values (any type but BOOLEAN, which is bit-packed) without decoding them. */
function skipPlain(reader: Reader, type: string, count: number, typeLength: number | undefined): void {
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

function readerOf(bytes: Uint8Array): Reader {
  return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
}
