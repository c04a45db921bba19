// The sparse row index of delimited text: a quote-aware byte scan recording where every N-th row starts.
import { DatasetError, throwIfAborted } from '../errors';
import type { ByteChunk } from './byteSource';
import { concatBytes } from './byteSource';
import type { CsvQuoting } from './dialect';

/**
 * Where rows start, sparsely. Entry i says: data row `rows[i]` (0-based, header excluded) starts at
 * byte `offsets[i]` on physical line `lines[i]` (1-based). Blank lines are not rows (papaparse's
 * `skipEmptyLines` rule: a line whose only field is empty), so parsing from any entry yields row
 * `rows[i]` first. Plain objects and typed arrays only: it crosses threads by structured clone.
 */
export interface RowIndex {
  /** Byte range scanned: [start, end). `start` is a row start. */
  start: number;
  end: number;
  /** Row number of the first row at `start`. */
  startRow: number;
  /** Physical line (1-based) at `start`. */
  startLine: number;
  rows: Float64Array;
  offsets: Float64Array;
  lines: Float64Array;
  /** Rows in [start, end). */
  rowCount: number;
  /** Physical lines in [start, end) (line breaks, plus a last line without one). */
  lineCount: number;
  /** A quoted field still open at the end of the range: its row, line and the quote's byte offset. */
  unclosedQuote?: { row: number; line: number; offset: number };
  /** Nominal rows between entries (an entry is also made every `maxGapBytes`). */
  every: number;
}

export interface RowScannerOptions {
  every?: number;
  maxGapBytes?: number;
  startRow?: number;
  startLine?: number;
  startOffset?: number;
  /** False: count only, record no entries. */
  record?: boolean;
}

export const DEFAULT_INDEX_EVERY = 1024;
export const DEFAULT_INDEX_GAP_BYTES = 256 * 1024;
/** A single row larger than this is refused (a runaway quote would otherwise buffer the whole file). */
export const MAX_ROW_BYTES = 64 * 1024 * 1024;

const NEED_MORE = -1;

function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

/**
 * The state machine of the byte scan. It follows papaparse's quoting rules exactly, so that row
 * boundaries found here are the ones papaparse finds when it parses from them:
 * a field is quoted only when its first byte is the quote; inside, `""` is an escaped quote (or, in a
 * dialect with an escape character, a quote right after that character is), and a
 * quote closes the field only when followed by optional whitespace and then the delimiter, the
 * newline or the end of data; any other quote is data. A quoted field never closed runs to the end.
 *
 * `scan()` is fed buffers that start at a row start and returns where the first incomplete row
 * starts; the driver hands that tail back together with the next bytes.
 */
export class RowScanner {
  /** Rows completed since the start of the scan. */
  rows = 0;
  /** Line breaks (dialect newline bytes) in completed rows and blank lines. */
  lines = 0;
  /** True after a final scan ended on a line without a line break. */
  trailingLine = false;
  unclosedQuote?: { row: number; line: number; offset: number };
  readonly entryRows: number[] = [];
  readonly entryOffsets: number[] = [];
  readonly entryLines: number[] = [];
  readonly every: number;
  readonly startRow: number;
  readonly startLine: number;
  private readonly maxGap: number;
  private readonly record: boolean;
  private lastEntryRow: number;
  private lastEntryOffset: number;
  private readonly q: number;
  /** The escape character's byte; -1 when quotes are doubled instead. */
  private readonly esc: number;
  /** The comment character's byte; -1 when no line is a comment. */
  private readonly comment: number;
  private readonly d: number;
  private readonly nl: number;
  private readonly crlf: boolean;
  private readonly cr: boolean;
  /** Absolute offset after the last completed row. */
  position: number;

  constructor(dialect: CsvQuoting, options: RowScannerOptions = {}) {
    this.q = dialect.quoteChar.charCodeAt(0);
    this.esc = dialect.escapeChar !== undefined && dialect.escapeChar !== dialect.quoteChar ? dialect.escapeChar.charCodeAt(0) : -1;
    this.comment = dialect.commentChar !== undefined && dialect.commentChar !== dialect.quoteChar ? dialect.commentChar.charCodeAt(0) : -1;
    this.d = dialect.delimiter.charCodeAt(0);
    this.crlf = dialect.lineTerminator === '\r\n';
    this.cr = dialect.lineTerminator === '\r';
    this.nl = this.cr ? 0x0d : 0x0a;
    this.every = Math.max(1, options.every ?? DEFAULT_INDEX_EVERY);
    this.maxGap = options.maxGapBytes ?? DEFAULT_INDEX_GAP_BYTES;
    this.record = options.record ?? true;
    this.startRow = options.startRow ?? 0;
    this.startLine = options.startLine ?? 1;
    this.position = options.startOffset ?? 0;
    this.lastEntryRow = this.startRow;
    this.lastEntryOffset = this.position;
    if (this.record) {
      this.entryRows.push(this.startRow);
      this.entryOffsets.push(this.position);
      this.entryLines.push(this.startLine);
    }
  }

  /**
   * Scans `bytes` from local index `from` (a row start at absolute offset `base + from`).
   * `final`: the bytes reach the end of the data. Stops once `rows` reaches `stopAt`.
   * Returns the local index where the first row not completed starts.
   */
  scan(bytes: Uint8Array, from: number, base: number, final: boolean, stopAt = Infinity): number {
    const Q = this.q, E = this.esc, C = this.comment, D = this.d, NL = this.nl, crlf = this.crlf;
    const len = bytes.length;
    let rows = this.rows;
    let lines = this.lines;
    let rowStart = from;
    let rowLines = 0;
    let i = from;
    let nextQ = bytes.indexOf(Q, i);
    if (nextQ < 0) { nextQ = len; }
    let n = -1;

    while (rows < stopAt) {
      if (C >= 0 && i === rowStart && i < len && bytes[i] === C) {
        // A comment line: no row, like a blank line (papaparse ends it at the dialect's line terminator).
        const e = lineEnd(bytes, i, NL, crlf);
        if (e < 0) {
          if (!final) { break; }
          lines += crlf ? countByte(bytes, NL, i, len) : 0;
          rowStart = len;
          i = len;
          break;
        }
        lines += 1 + (crlf ? countByte(bytes, NL, i, e - 1) : 0);
        const next = e + 1;
        if (this.record) { this.skipBlank(base + rowStart, base + next, lines); }
        rowStart = next;
        i = next;
        n = -1;
        if (nextQ < i) {
          nextQ = bytes.indexOf(Q, i);
          if (nextQ < 0) { nextQ = len; }
        }
        continue;
      }
      if (n < i) {
        n = bytes.indexOf(NL, i);
        if (n < 0) { n = len; }
      }
      if (nextQ < n) {
        const q = nextQ;
        if (q !== rowStart && bytes[q - 1] !== D) {
          // A quote inside an unquoted field is data.
          nextQ = bytes.indexOf(Q, q + 1);
          if (nextQ < 0) { nextQ = len; }
          continue;
        }
        // A quoted field: find the quote that closes it.
        let s = q + 1;
        let outcome = 0; // 1: field closed at delimiter j, 2: row closed by newline at j, NEED_MORE, 3: end of data
        let j = 0;
        let emptyAtEnd = false;
        for (;;) {
          const c = bytes.indexOf(Q, s);
          if (c < 0) {
            if (!final) { outcome = NEED_MORE; break; }
            this.unclosedQuote = { row: this.startRow + rows, line: this.startLine + lines + rowLines, offset: base + q };
            rowLines += countByte(bytes, NL, s, len);
            // papaparse reads the rest as the field's value: nothing at all after a lone quote is a blank row.
            emptyAtEnd = q === rowStart && q + 1 === len;
            outcome = 3;
            break;
          }
          rowLines += countByte(bytes, NL, s, c);
          if (c + 1 >= len) {
            if (!final) { outcome = NEED_MORE; break; }
            emptyAtEnd = q === rowStart && c === q + 1;
            outcome = 3;
            break;
          }
          // after the escape character the quote is data (papaparse looks at the one byte before it)
          if (bytes[c - 1] === E) { s = c + 1; continue; }
          // a doubled quote is one quote; with an escape character it is data, and papaparse skips both alike
          if (bytes[c + 1] === Q) { s = c + 2; continue; }
          j = c + 1;
          let verdict = 0; // 1 field, 2 row, -1 more, 0 invalid
          for (;;) {
            if (j >= len) { verdict = final ? 0 : NEED_MORE; break; }
            const b = bytes[j];
            if (b === D) { verdict = 1; break; }
            if (b === NL && !crlf) { verdict = 2; break; }
            if (crlf && b === 0x0d) {
              if (j + 1 >= len) { verdict = final ? 0 : NEED_MORE; break; }
              if (bytes[j + 1] === 0x0a) { verdict = 2; break; }
            }
            if (isSpace(b)) { j++; continue; }
            break;
          }
          if (verdict === NEED_MORE) { outcome = NEED_MORE; break; }
          if (verdict === 0) { s = c + 1; continue; } // the quote is data; keep looking
          if (crlf) { rowLines += countByte(bytes, 0x0a, c + 1, j); }
          outcome = verdict;
          break;
        }
        if (outcome === NEED_MORE) { break; }
        if (outcome === 3) {
          // The data ends inside or right after this quoted field: the row runs to the end.
          lines += rowLines;
          if (!emptyAtEnd) { rows++; }
          rowStart = len;
          i = len;
          break;
        }
        if (outcome === 1) {
          i = j + 1;
          nextQ = bytes.indexOf(Q, i);
          if (nextQ < 0) { nextQ = len; }
          continue;
        }
        // outcome 2: the row ends at the newline at j.
        const blank = q === rowStart && bytes[q + 1] === Q && isBlankTail(bytes, q + 2, j);
        lines += rowLines + 1;
        rowLines = 0;
        if (!blank) { rows++; } else if (this.record) { this.skipBlank(base + rowStart, base + (crlf ? j + 2 : j + 1), lines); }
        rowStart = crlf ? j + 2 : j + 1;
        i = rowStart;
        nextQ = bytes.indexOf(Q, i);
        if (nextQ < 0) { nextQ = len; }
        if (this.record && !blank) { this.maybeEntry(this.startRow + rows, base + rowStart, lines); }
        continue;
      }
      if (n >= len) {
        if (final && rowStart < len) {
          rows++;
          lines += rowLines;
          rowStart = len;
        }
        break;
      }
      // A newline byte at n.
      if (crlf && (n === 0 || bytes[n - 1] !== 0x0d)) {
        // A bare LF in a CRLF file is data, though still a line break for the editor.
        rowLines++;
        i = n + 1;
        continue;
      }
      lines += rowLines + 1;
      rowLines = 0;
      const blank = (crlf ? n - 1 : n) === rowStart;
      if (!blank) {
        rows++;
        if (this.record) { this.maybeEntry(this.startRow + rows, base + n + 1, lines); }
      } else if (this.record) {
        this.skipBlank(base + rowStart, base + n + 1, lines);
      }
      rowStart = n + 1;
      i = rowStart;
    }
    if (final && rowStart >= len && len > from) { this.trailingLine = bytes[len - 1] !== NL; }
    this.rows = rows;
    this.lines = lines;
    this.position = base + rowStart;
    return rowStart;
  }

  /** An entry made at a blank line moves past it, so that entries name the line their row really starts on. */
  private skipBlank(blankStart: number, next: number, lines: number): void {
    const k = this.entryOffsets.length - 1;
    if (k >= 0 && this.entryOffsets[k] === blankStart) {
      this.entryOffsets[k] = next;
      this.entryLines[k] = this.startLine + lines;
      this.lastEntryOffset = next;
    }
  }

  private maybeEntry(row: number, offset: number, lines: number): void {
    if (row - this.lastEntryRow >= this.every || offset - this.lastEntryOffset >= this.maxGap) {
      this.entryRows.push(row);
      this.entryOffsets.push(offset);
      this.entryLines.push(this.startLine + lines);
      this.lastEntryRow = row;
      this.lastEntryOffset = offset;
    }
  }
}

/** Index of the line feed (or CR) ending the line from `from`: in a CRLF file the one after a CR; -1 when none. */
export function lineEnd(bytes: Uint8Array, from: number, NL: number, crlf: boolean): number {
  let k = bytes.indexOf(NL, from);
  if (crlf) { while (k > 0 && bytes[k - 1] !== 0x0d) { k = bytes.indexOf(NL, k + 1); } }
  return k;
}

function countByte(bytes: Uint8Array, b: number, from: number, to: number): number {
  let n = 0;
  for (let k = bytes.indexOf(b, from); k !== -1 && k < to; k = bytes.indexOf(b, k + 1)) { n++; }
  return n;
}

function isBlankTail(bytes: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) { if (!isSpace(bytes[k])) { return false; } }
  return true;
}

export interface ScanRunResult {
  /** True when the data ended (the scanner saw its final bytes). */
  done: boolean;
  /** Bytes already read that follow the scanner's position (when it stopped at `stopAt`). */
  leftover: Uint8Array;
}

export interface ScanRunOptions {
  signal?: AbortSignal;
  /** Called after each chunk with the absolute offset scanned to. */
  onChunk?: (offset: number) => void;
  /** Stop once the scanner has completed this many rows. */
  stopAt?: number;
}

function tooLongRow(scanner: RowScanner): DatasetError {
  const row = scanner.startRow + scanner.rows;
  const line = scanner.startLine + scanner.lines;
  return new DatasetError('too-large',
    `row ${row + 1} (line ${line}) is longer than ${MAX_ROW_BYTES / (1024 * 1024)} MB; a quote opened there may never be closed`);
}

/**
 * Feeds chunks to a scanner. A row cut by a chunk boundary is completed on a small bridge (its tail
 * plus the head of the next chunk), so chunks are never copied whole. The iterator is left open when
 * the scan stops at `stopAt`, so a caller can go on reading from it.
 */
export async function runScanner(scanner: RowScanner, chunks: AsyncIterator<ByteChunk>, options: ScanRunOptions = {}): Promise<ScanRunResult> {
  const stopAt = options.stopAt ?? Infinity;
  let carry: Uint8Array | undefined;
  let carryOffset = scanner.position;
  for (;;) {
    if (scanner.rows >= stopAt) { return { done: false, leftover: carry ?? new Uint8Array(0) }; }
    throwIfAborted(options.signal);
    const r = await chunks.next();
    if (r.done) { break; }
    const { offset, bytes } = r.value;
    let from = 0;
    if (carry && carry.length > 0) {
      let take = carry.length > 65536 ? bytes.length : Math.min(bytes.length, 65536);
      for (;;) {
        const bridge = concatBytes([carry, bytes.subarray(0, take)]);
        const end = scanner.scan(bridge, 0, carryOffset, false, stopAt);
        if (end >= carry.length) { from = end - carry.length; carry = undefined; break; }
        if (take >= bytes.length) {
          carry = bridge.subarray(end);
          carryOffset += end;
          from = bytes.length;
          break;
        }
        take = Math.min(bytes.length, take * 8);
      }
      if (carry) {
        if (carry.length > MAX_ROW_BYTES) { throw tooLongRow(scanner); }
        options.onChunk?.(offset + bytes.length);
        continue;
      }
      if (scanner.rows >= stopAt) { return { done: false, leftover: bytes.subarray(from) }; }
    }
    const end = scanner.scan(bytes, from, offset, false, stopAt);
    carry = bytes.subarray(end);
    carryOffset = offset + end;
    if (scanner.rows >= stopAt) { return { done: false, leftover: carry }; }
    if (carry.length > MAX_ROW_BYTES) { throw tooLongRow(scanner); }
    options.onChunk?.(offset + bytes.length);
  }
  if (carry && carry.length > 0) {
    const end = scanner.scan(carry, 0, carryOffset, true, stopAt);
    return { done: end >= carry.length, leftover: carry.subarray(end) };
  }
  return { done: true, leftover: new Uint8Array(0) };
}

/** The index a finished scanner describes, over [start, end). */
export function indexFromScanner(scanner: RowScanner, start: number, end: number): RowIndex {
  return {
    start,
    end,
    startRow: scanner.startRow,
    startLine: scanner.startLine,
    rows: Float64Array.from(scanner.entryRows),
    offsets: Float64Array.from(scanner.entryOffsets),
    lines: Float64Array.from(scanner.entryLines),
    rowCount: scanner.rows,
    lineCount: scanner.lines + (scanner.trailingLine ? 1 : 0),
    unclosedQuote: scanner.unclosedQuote,
    every: scanner.every,
  };
}

export interface BuildIndexOptions {
  /** Where to start: a row start (default 0). */
  start?: number;
  /** Where to stop: a row start or the end of data (default: end of data). */
  end?: number;
  startRow?: number;
  startLine?: number;
  every?: number;
  maxGapBytes?: number;
  chunkSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: { rowsDone: number; bytesDone: number; bytesTotal: number }) => void;
  /** Receives the scanner before the scan starts, to read partial results while it runs. */
  onStart?: (scanner: RowScanner) => void;
}

export interface ByteChunkSource {
  readonly byteLength: number | undefined;
  chunks(from: number, to: number | undefined, options: { chunkSize: number; signal?: AbortSignal; recycle?: boolean }): AsyncGenerator<ByteChunk, void, undefined>;
}

export const INDEX_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Builds the row index of [start, end) by a quote-aware byte scan, chunk by chunk, cancellable, with
 * progress. A range lets two workers index (or parse) two halves split at a known row start.
 */
export async function buildRowIndex(source: ByteChunkSource, dialect: CsvQuoting, options: BuildIndexOptions = {}): Promise<RowIndex> {
  const start = options.start ?? 0;
  const scanner = new RowScanner(dialect, {
    every: options.every, maxGapBytes: options.maxGapBytes,
    startRow: options.startRow, startLine: options.startLine, startOffset: start,
  });
  options.onStart?.(scanner);
  const total = (options.end ?? source.byteLength ?? 0) - start;
  // runScanner keeps only the cut row of the last chunk (and no stopAt here): chunks can be recycled
  const it = source.chunks(start, options.end, { chunkSize: options.chunkSize ?? INDEX_CHUNK_BYTES, signal: options.signal, recycle: true });
  let endOffset = start;
  try {
    await runScanner(scanner, it, {
      signal: options.signal,
      onChunk: offset => {
        endOffset = offset;
        options.onProgress?.({ rowsDone: scanner.rows, bytesDone: offset - start, bytesTotal: Math.max(total, offset - start) });
      },
    });
  } finally {
    await it.return(undefined);
  }
  const end = Math.max(endOffset, scanner.position);
  options.onProgress?.({ rowsDone: scanner.rows, bytesDone: end - start, bytesTotal: end - start });
  return indexFromScanner(scanner, start, end);
}

/** Entry columns of a RowIndex, or of a scanner still running. */
export interface IndexEntries { rows: ArrayLike<number>; offsets: ArrayLike<number>; lines: ArrayLike<number> }

/** The last index entry at or before `row` (row numbers are the dataset's, header excluded). */
export function entryBefore(index: IndexEntries, row: number): { row: number; offset: number; line: number } {
  const rows = index.rows;
  let lo = 0, hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rows[mid] <= row) { lo = mid; } else { hi = mid - 1; }
  }
  return { row: rows[lo], offset: index.offsets[lo], line: index.lines[lo] };
}

/** The first index entry at or after `row`, or undefined when `row` lies past the last entry. */
export function entryAfter(index: IndexEntries, row: number): { row: number; offset: number; line: number } | undefined {
  const rows = index.rows;
  let lo = 0, hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid] < row) { lo = mid + 1; } else { hi = mid; }
  }
  return lo < rows.length ? { row: rows[lo], offset: index.offsets[lo], line: index.lines[lo] } : undefined;
}

export interface RowRange {
  /** Byte range [from, to), both row starts (or the end of data). */
  from: number;
  to: number;
  firstRow: number;
  rowCount: number;
  firstLine: number;
}

/** Splits an indexed range into `parts` byte ranges of about equal size, cut at index entries. */
export function partitionIndex(index: RowIndex, parts: number): RowRange[] {
  const cuts: { row: number; offset: number; line: number }[] = [{ row: index.startRow, offset: index.start, line: index.startLine }];
  for (let k = 1; k < parts; k++) {
    const target = index.start + (index.end - index.start) * k / parts;
    // The entry whose offset is nearest the target, by binary search over offsets.
    const offs = index.offsets;
    let lo = 0, hi = offs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offs[mid] <= target) { lo = mid; } else { hi = mid - 1; }
    }
    const e = { row: index.rows[lo], offset: offs[lo], line: index.lines[lo] };
    if (e.offset > cuts[cuts.length - 1].offset) { cuts.push(e); }
  }
  const endRow = index.startRow + index.rowCount;
  const out: RowRange[] = [];
  for (let k = 0; k < cuts.length; k++) {
    const a = cuts[k];
    const b = k + 1 < cuts.length ? cuts[k + 1] : { row: endRow, offset: index.end, line: 0 };
    out.push({ from: a.offset, to: b.offset, firstRow: a.row, rowCount: b.row - a.row, firstLine: a.line });
  }
  return out;
}
