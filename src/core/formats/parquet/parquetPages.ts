// Reads a window of a flat Parquet column page by page, decoding only the rows it needs (hyparquet's own page primitives).
//
// hyparquet decodes every value of each page it touches and assembles them generically; a writer that puts a
// whole row group in one page (DuckDB does) then costs a full row-group decode for the first 1,000 rows.
// Here pages before the window are skipped undecompressed; in the pages that overlap it only the levels
// and values up to the window's end are decoded, and of a Snappy page only the head holding them is inflated.
// The values go to a sink (parquetSinks.ts): typed columns straight from the page for the common types. Anything
// unusual (delta encodings, repetition levels) returns undefined so the caller falls back to hyparquet's full reader.
import type { ColumnMetaData, Compressors, ParquetParsers, ParquetType, SchemaElement, SchemaTree } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import type { ColumnData } from '../columns';
import { elementForDecoding, type ParquetColumnPlan } from './parquetColumns';
import { readerOf, readHybrid, type Reader } from './parquetEncodings';
import { type DirectDecoding, type LevelsWindow, windowSink } from './parquetSinks';
import { snappyPrefix } from './snappyPrefix';

export interface FlatColumn {
  node: SchemaTree;
  /** The element as decoded (decimal annotations removed, see metadataForDecoding). */
  element: SchemaElement;
  /** Typed columns straight from the pages, for the common types. */
  direct: DirectDecoding | undefined;
  /** The column from hyparquet's converted values, for the rest. */
  toColumn(values: ArrayLike<unknown>): ColumnData;
}

/** A top-level primitive column: no repetition, at most one definition level. */
export function isFlat(node: SchemaTree): boolean {
  return node.children.length === 0 && node.element.repetition_type !== 'REPEATED' && !!node.element.type;
}

/** What the page reader needs of a top-level column; undefined when it is not flat. */
export function flatColumn(node: SchemaTree, plan: ParquetColumnPlan): FlatColumn | undefined {
  return isFlat(node) ? { node, element: elementForDecoding(node.element), direct: plan.direct, toColumn: plan.toColumn } : undefined;
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
 * Rows [selectStart, selectEnd) (relative to the row group) of one flat column chunk as a column; undefined when the
 * chunk uses something this path does not handle.
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
): ColumnData | undefined {
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
  const sink = windowSink(selectEnd - selectStart, column.direct, { type, typeLength: element.type_length, decoder, toColumn: column.toColumn });
  const reader = readerOf(chunk);
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
      sink.dictionary(readerOf(page), count);
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
    const place = (r: Reader, levels: LevelsWindow): void => {
      if (!sink.page(r, encoding, levels, rowsSeen + before - selectStart, need - before)) { throw new Error(`parquet ${encoding} page could not be read`); }
    };
    if (v2) {
      // levels first, never compressed; then the values, compressed unless the header says otherwise
      const levelBytes = v2.definition_levels_byte_length;
      if (compressed.length < levelBytes) { throw new ChunkHeadTooShort(); }
      const levels = readLevelsWindow(readerOf(compressed.subarray(0, levelBytes)), optional && levelBytes > 0, need, before, levelBytes);
      const values = compressed.subarray(levelBytes);
      const fullSize = header.uncompressed_page_size - levelBytes;
      const guess = Math.ceil(fullSize * (need / Math.max(1, pageRows)) * 1.25) + 256;
      if (v2.is_compressed === false) {
        place(readerOf(values), levels);
      } else {
        decodeHeadFirst(values, fullSize, guess, cut, meta.codec, options.compressors, bytes => place(readerOf(bytes), levels));
      }
    } else {
      // inflate only the head of the page (first guess: the window's share of it), growing it until the
      // window's levels and values are inside; an optional column's levels (up to a bit a row) come first
      const levels = optional ? Math.ceil(pageRows / 8) + 8 : 0;
      const guess = levels + Math.ceil(header.uncompressed_page_size * (need / Math.max(1, pageRows)) * 1.25) + 256;
      decodeHeadFirst(compressed, header.uncompressed_page_size, guess, cut, meta.codec, options.compressors, bytes => {
        const r = readerOf(bytes);
        place(r, readLevelsWindow(r, optional, need, before));
      });
    }
    rowsSeen += pageRows;
  }
  if (rowsSeen < selectEnd) {
    if (options.head) { throw new ChunkHeadTooShort(); }
    throw new Error('parquet column chunk holds fewer rows than its row group');
  }
  return sink.finish();
}

function readsEncoding(encoding: string, type: ParquetType): boolean {
  return encoding === 'PLAIN' || encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY' || (encoding === 'RLE' && type === 'BOOLEAN');
}

/**
 * Of a Snappy page (or a v2 page's values), only as much of its head as the window needs is inflated: first
 * `guess` bytes, growing until `decode` succeeds (it throws, having written nothing, while its bytes end too early);
 * the whole page when no head does (or for other codecs). `cut`: only the page's first bytes were read, so a failing
 * head means the whole chunk must be read.
 */
function decodeHeadFirst(
  compressed: Uint8Array, fullSize: number, guess: number, cut: boolean, codec: ColumnMetaData['codec'], compressors: Compressors,
  decode: (bytes: Uint8Array) => void,
): void {
  if (codec === 'SNAPPY') {
    for (let want = guess; want < fullSize; want *= 4) {
      try {
        decode(snappyPrefix(compressed, want, fullSize, cut));
        return;
      } catch {
        // the window reaches past this prefix (or the page is damaged: the full decode below says so)
      }
    }
  }
  if (cut) { throw new ChunkHeadTooShort(); }
  decode(decompressPage(compressed, fullSize, codec, compressors));
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
