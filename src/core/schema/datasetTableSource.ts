// Table sources over real files: delimited text (fast rows, cell positions read on demand) and any other Dataset.
import type { AsyncBuffer } from '../formats/asyncBuffer';
import { cellDisplay, isPlainDay } from '../formats/cellValue';
import type { ColumnBatch, ColumnData } from '../formats/columns';
import { openByteSource } from '../formats/csv/byteSource';
import { ChunkParser } from '../formats/csv/chunkParser';
import type { CsvDataset } from '../formats/csv/csvDataset';
import type { CsvDialect } from '../formats/csv/dialect';
import { readCsvRecordsWithPositions, type PositionedRecord } from '../formats/csv/positionedRecords';
import { entryBefore } from '../formats/csv/rowIndex';
import { scanRowRange, type Dataset, type Field } from '../formats/dataset';
import { throwIfAborted } from '../formats/errors';
import { JsonlDataset, type RowStart } from '../formats/jsonl/jsonlDataset';
import { valueSpans } from '../formats/jsonl/jsonlPositions';
import { cellOfLineFeed, type ForeignEnding, LineEndingScanner } from './lineEndings';
import type { TextRange } from './tableIssues';
import type { TableDialect } from './tableSchema';
import { type BatchOptions, PRESENT, type RecordRanges, type SourceBatch, type SourceNotice, type TableSource } from './tableSource';

// Small reads: a batch of rows outlives the parse of the next one, and at 1 MB a batch that survives young-generation
// collections doubled the CPU of a pass (garbage collection); 64 KB batches die young.
const CHUNK_BYTES = 64 * 1024;
/** Rows ahead of the position reader beyond which it jumps through the row index instead of reading on. */
const FAR_ROWS = 20_000;
/** Files smaller than this are read on from the top: building an index would cost more than it saves. */
const JUMP_MIN_BYTES = 8 * 1024 * 1024;

/** The dialect a CSV is read with: what was sniffed, overridden by a schema's Table Dialect. */
export function csvDialectOf(sniffed: CsvDialect, overrides: TableDialect | undefined): CsvDialect {
  if (!overrides) { return sniffed; }
  // a declared dialect's escape and comment characters are its own: none when it names none
  const { escapeChar, commentChar } = overrides;
  return {
    delimiter: overrides.delimiter ?? sniffed.delimiter,
    quoteChar: overrides.quoteChar === "'" || overrides.quoteChar === '"' ? overrides.quoteChar : sniffed.quoteChar,
    ...(escapeChar !== undefined ? { escapeChar } : {}),
    ...(commentChar !== undefined ? { commentChar } : {}),
    header: overrides.header ?? sniffed.header,
    lineTerminator: overrides.lineTerminator === '\r\n' || overrides.lineTerminator === '\n' || overrides.lineTerminator === '\r'
      ? overrides.lineTerminator : sniffed.lineTerminator,
  };
}

/**
 * A part of a delimited file: the data rows of the byte range [from, to) (row starts, from `partitions()`),
 * numbered from `firstRow`; no header row. The part holding the end of the file reports an unclosed quote.
 */
export interface CsvPart {
  from: number;
  to: number;
  firstRow: number;
  last: boolean;
}

/**
 * A part of a Parquet, Arrow or JSON Lines file: the rows [startRow, endRow); no header row. `bytes` is its share
 * of the file's size, for progress. The last part of a JSON Lines file whose rows are not all counted runs to the
 * end of the file: its `endRow` is Infinity.
 */
export interface RowPart {
  startRow: number;
  endRow: number;
  bytes: number;
  last: boolean;
  /** JSON Lines: where the part's first row and the next part's first row start, as the plan found them. */
  rowStarts?: RowStart[];
}

/** A part of a file validated on its own: a byte range of delimited text, or a row range of any other format. */
export type PartRange = CsvPart | RowPart;

export function isRowPart(part: PartRange): part is RowPart {
  return 'startRow' in part;
}

/** The first row of a part. */
export function partFirstRow(part: PartRange): number {
  return isRowPart(part) ? part.startRow : part.firstRow;
}

/** A part's bytes: its byte range, or its share of the file. */
export function partBytes(part: PartRange): number {
  return isRowPart(part) ? part.bytes : part.to - part.from;
}

/**
 * A delimited file as a TableSource. Rows come from papaparse (the fast path); the positions of a cell
 * are read only for the rows of issues actually reported (`rangesOf`), by the positioned reader,
 * jumping through the row index when the dataset has one. Lines and characters are 0-based.
 */
export function csvTableSource(buffer: AsyncBuffer, dataset: CsvDataset, options: { name: string; dialect?: CsvDialect; range?: CsvPart }): TableSource {
  const dialect = options.dialect ?? dataset.dialect;
  const name = options.name;
  const gzip = dataset.gzip;
  const cursor = new PositionCursor(buffer, dialect, name, gzip, dataset);
  return {
    name,
    hasHeader: dialect.header,
    linesAbove: dataset.preambleLines,
    ...(dialect.commentChar !== undefined ? { commentChar: dialect.commentChar } : {}),
    bytesTotal: buffer.byteLength,
    async *batches(signal?: AbortSignal): AsyncIterable<SourceBatch> {
      const opened = await openByteSource(buffer, { name, gzip, signal });
      const parser = new ChunkParser(dialect, opened.encoding.encoding);
      const range = options.range;
      let row = range ? range.firstRow : dialect.header ? -1 : 0;
      const startRow = row;
      // line endings are judged in the bytes, where quotes tell a row end from a line break in a cell (UTF-16 is not
      // judged); the first row end that differs is reported once the parser hands out its row
      let endings = LineEndingScanner.judges(dialect.lineTerminator) && !opened.encoding.encoding.startsWith('utf-16')
        ? new LineEndingScanner(dialect) : undefined;
      let foreign: ForeignEnding | null = null;
      // the encoding was judged on the file's head: bytes further down that are not UTF-8 are found by a
      // fatal streaming decode of each chunk (native speed), then placed at the first row holding U+FFFD
      let utf8Check: TextDecoder | undefined = opened.encoding.encoding === 'utf-8' && dataset.encoding === 'utf-8'
        ? new TextDecoder('utf-8', { fatal: true }) : undefined;
      const notices: SourceNotice[] = [];
      if (dataset.encoding === 'windows-1252' && (!range || range.firstRow === 0)) {
        const w = dataset.warnings.find(x => x.code === 'encoding');
        notices.push({ type: 'encoding-error', message: w?.message ?? `${name} is not valid UTF-8; it was read as windows-1252` });
      }
      const toBatch = (rows: string[][], bytesDone: number): SourceBatch => {
        const firstRow = row;
        row += rows.length;
        if (foreign && foreign.row < row) {
          notices.push(mixedLineEndingNotice(foreign, rows[foreign.row - firstRow], dialect.lineTerminator));
          foreign = null;
        }
        return { rows, firstRow, notices: notices.splice(0), bytesDone };
      };
      let lastWidth = 1;
      const from = range ? range.from : dataset.tableStart;
      for await (const chunk of opened.source.chunks(from, range?.to, { chunkSize: CHUNK_BYTES, signal })) {
        throwIfAborted(signal);
        if (endings) {
          foreign = endings.push(chunk.bytes, row);
          if (foreign) { endings = undefined; }
        }
        let badBytes = false;
        if (utf8Check) {
          try { utf8Check.decode(chunk.bytes, { stream: true }); } catch { badBytes = true; utf8Check = undefined; }
        }
        const rows = parser.push(chunk.bytes, false);
        if (rows.length) { lastWidth = rows[rows.length - 1].length; }
        const rowBefore = row;
        const batch = toBatch(rows, Math.min(buffer.byteLength, chunk.offset + chunk.bytes.length));
        if (badBytes) { (batch.notices as SourceNotice[]).push(invalidUtf8Notice(rows, rowBefore, chunk.offset)); }
        yield batch;
      }
      const rows = parser.push(new Uint8Array(0), true);
      if (rows.length) { lastWidth = rows[rows.length - 1].length; }
      const last = toBatch(rows, buffer.byteLength);
      if (parser.unclosedQuote && row > startRow && (!range || range.last)) {
        (last.notices as SourceNotice[]).push({
          type: 'unclosed-quote', row: row - 1, cell: lastWidth - 1,
          message: 'a quote opened in this cell is never closed: the rest of the file was read as one value',
        });
      }
      yield last;
    },
    rangesOf: (rows, signal) => cursor.rangesOf(rows, signal),
  };
}

/**
 * The encoding error for a chunk whose bytes are not valid UTF-8: at the first row of it holding a
 * replacement character (the sequence may also end in the next rows, not yet parsed: then the notice
 * names the byte offset of the chunk).
 */
function invalidUtf8Notice(rows: readonly (readonly string[])[], firstRow: number, offset: number): SourceNotice {
  for (let i = 0; i < rows.length; i++) {
    const cell = rows[i].findIndex(c => c.includes('\uFFFD'));
    if (cell >= 0) {
      return { type: 'encoding-error', row: firstRow + i, cell, message: 'this cell holds bytes that are not valid UTF-8 (shown as \uFFFD); the file was read as UTF-8 from its first bytes' };
    }
  }
  return { type: 'encoding-error', message: `bytes that are not valid UTF-8 after byte ${offset.toLocaleString('en-US')}; the file was read as UTF-8 from its first bytes` };
}

/**
 * The notice of the first row end written another way than the file's, at the cell it ends or holds (at the row when
 * its cells are not at hand).
 */
function mixedLineEndingNotice(foreign: ForeignEnding, cells: readonly string[] | undefined, terminator: CsvDialect['lineTerminator']): SourceNotice {
  const crlf = terminator === '\r\n';
  const cell = cells === undefined ? undefined : crlf ? cellOfLineFeed(cells, foreign.lineFeedsBefore) : cells.length - 1;
  return {
    type: 'mixed-line-endings', row: foreign.row, ...(cell === undefined ? {} : { cell }),
    message: `lines end in more than one way: this file uses ${terminatorName(terminator)}, but this row has ${terminatorName(crlf ? '\n' : '\r\n')}`,
  };
}

function terminatorName(t: string): string {
  return t === '\r\n' ? 'CRLF' : t === '\r' ? 'CR' : 'LF';
}

/** Reads positions forward through the file, restarting (at a row-index entry when there is one) only to go back. */
class PositionCursor {
  private it: AsyncGenerator<PositionedRecord, void, undefined> | null = null;
  private next: PositionedRecord | null = null;
  /** Row and line offsets of the reader in use (non-zero when it starts at a row-index entry). */
  private rowBase = 0;
  private lineBase = 0;
  private headerRanges: RecordRanges | null = null;

  constructor(
    private readonly buffer: AsyncBuffer, private readonly dialect: CsvDialect, private readonly name: string,
    private readonly gzip: boolean, private readonly dataset: CsvDataset,
  ) {}

  async rangesOf(rows: readonly number[], signal?: AbortSignal): Promise<Map<number, RecordRanges>> {
    const out = new Map<number, RecordRanges>();
    const sorted = [...new Set(rows)].sort((a, b) => a - b);
    for (const row of sorted) {
      if (row === -1 && this.headerRanges) { out.set(-1, this.headerRanges); continue; }
      const rec = await this.seek(row, signal);
      if (rec) { out.set(row, rec); }
    }
    return out;
  }

  private async seek(row: number, signal?: AbortSignal): Promise<RecordRanges | null> {
    const current = this.next ? this.next.row + this.rowBase : this.it ? this.rowBase : -1;
    if (row - current > FAR_ROWS && !this.dataset.rowIndex && this.canJump()) {
      // reading positions row by row that far is slower than one quote-aware byte scan for the row index
      await this.dataset.buildIndex({ signal });
      if (!this.headerRanges && this.dialect.header) { await this.seek(-1, signal); }
      this.restart(row, signal);
    } else if (!this.it || row < current || (row - current > FAR_ROWS && this.dataset.rowIndex)) {
      this.restart(row, signal);
    }
    for (;;) {
      if (!this.next) {
        const r = await (this.it as AsyncGenerator<PositionedRecord>).next();
        if (r.done) { this.it = null; return null; }
        this.next = r.value;
      }
      const rec = this.next;
      const at = rec.row + this.rowBase;
      if (at === -1 && !this.headerRanges) { this.headerRanges = this.toRanges(rec); }
      if (at === row) { return this.toRanges(rec); }
      if (at > row) { return null; }
      this.next = null;
    }
  }

  private restart(row: number, signal?: AbortSignal): void {
    void this.it?.return(undefined);
    this.next = null;
    const index = this.dataset.rowIndex;
    if (row > 0 && index && this.canJump() && (this.headerRanges || !this.dialect.header)) {
      const entry = entryBefore(index, row);
      if (entry.row > 0) {
        const base = this.buffer;
        const from = entry.offset;
        const view: AsyncBuffer = { byteLength: base.byteLength - from, slice: (s, e) => base.slice(s + from, e === undefined ? undefined : e + from) };
        this.rowBase = entry.row;
        this.lineBase = entry.line - 1;
        this.it = readCsvRecordsWithPositions(view, { ...this.dialect, header: false }, { signal, name: this.name, gzip: false });
        return;
      }
    }
    this.rowBase = 0;
    this.lineBase = 0;
    this.it = readCsvRecordsWithPositions(this.buffer, this.dialect, {
      signal, name: this.name, gzip: this.gzip, start: this.dataset.tableStart, startLine: 1 + this.dataset.preambleLines,
    });
  }

  /** Jumping needs a plain UTF-8 file: a sub-range of a gzip stream or of a transcoded file is no file. */
  private canJump(): boolean {
    return this.dataset.randomAccess && this.dataset.encoding === 'utf-8' && this.buffer.byteLength > JUMP_MIN_BYTES;
  }

  private toRanges(rec: PositionedRecord): RecordRanges {
    const lb = this.lineBase - 1; // the reader counts lines from 1; ranges count from 0
    const cells: TextRange[] = rec.cells.map(c => ({ line: c.line + lb, char: c.char, endLine: c.endLine + lb, endChar: c.endChar }));
    return { cells };
  }
}

/**
 * Any Dataset (Parquet, Arrow, JSON Lines) as a TableSource: the field names are the header, cells are
 * the values as text (nulls stay null). Issues carry row and field numbers; in a JSON Lines file also the
 * place of the value in its line (read only for the rows of issues reported). With `rows`, only those rows,
 * without the header row.
 */
export function datasetTableSource(dataset: Dataset, options: { name: string; bytesTotal?: number; batchRows?: number; rows?: RowPart }): TableSource {
  const part = options.rows;
  const total = part ? part.bytes : options.bytesTotal ?? 0;
  return {
    name: options.name,
    hasHeader: true,
    bytesTotal: total,
    // Parquet and Arrow columns hold values of their type by construction; JSON Lines types come from a sample
    valueTypes: dataset.format === 'parquet' || dataset.format === 'arrow' ? dataset.fields.map(f => f.type) : undefined,
    fields: dataset.fields,
    ...(dataset instanceof JsonlDataset ? { rangesOf: (rows: readonly number[], signal?: AbortSignal) => jsonlRanges(dataset, rows, signal) } : {}),
    async *batches(signal?: AbortSignal, batchOptions: BatchOptions = {}): AsyncIterable<SourceBatch> {
      if (!part) { yield { rows: [dataset.fields.map(f => f.name)], firstRow: -1 }; }
      // the scan pushes batches; this generator hands them out, the scan waiting while two are unread
      const stop = new AbortController();
      const onAbort = (): void => stop.abort();
      signal?.addEventListener('abort', onAbort);
      // batches wait as columns, and become text only when handed out: the reader has then said which columns it reads
      const queue: { batch: ColumnBatch; bytesDone: number }[] = [];
      let dataReady: (() => void) | null = null;
      let roomReady: (() => void) | null = null;
      let done = false;
      let failure: unknown = null;
      const wakeConsumer = (): void => { const f = dataReady; dataReady = null; f?.(); };
      const wakeProducer = (): void => { const f = roomReady; roomReady = null; f?.(); };
      // how far the scan has read, for the progress shown: as the scan reports it (a Parquet file: after each row
      // group), or the share of the rows done when the row count is exact, whichever is further; a part: its share
      let bytesDone = 0;
      const first = part ? part.startRow : 0;
      const rows = part ? part.endRow - part.startRow : dataset.rowCount.exact ? dataset.rowCount.value : 0;
      const onBatch = async (batch: ColumnBatch): Promise<void> => {
        const byRows = rows > 0 ? Math.round((total * (batch.rowStart + batch.rowCount - first)) / rows) : 0;
        queue.push({ batch, bytesDone: Math.min(total, Math.max(bytesDone, byRows)) });
        wakeConsumer();
        while (queue.length >= 2 && !stop.signal.aborted) { await new Promise<void>(res => { roomReady = res; }); }
      };
      const scanOptions = { signal: stop.signal, batchRows: options.batchRows ?? 16_384 };
      // a part running to the end of the file counts its progress in the bytes its scan reports (from the part's start)
      const open = part !== undefined && part.endRow === Infinity;
      const scan = (part
        ? scanRowRange(dataset, part.startRow, part.endRow, undefined, onBatch, open ? { ...scanOptions, onProgress: p => { bytesDone = p.bytesDone; } } : scanOptions)
        : dataset.scan(undefined, onBatch, { ...scanOptions, onProgress: p => { bytesDone = p.bytesDone; } }))
        .then(() => { done = true; wakeConsumer(); }, (e: unknown) => { failure = e; done = true; wakeConsumer(); });
      try {
        for (;;) {
          if (queue.length) {
            const { batch, bytesDone: done } = queue.shift() as { batch: ColumnBatch; bytesDone: number };
            wakeProducer();
            const notices = unreadLines(batch);
            yield { rows: rowsOf(batch, dataset, batchOptions.needsText), firstRow: batch.rowStart, bytesDone: done, ...(notices ? { notices } : {}) };
            continue;
          }
          if (done) { break; }
          await new Promise<void>(res => { dataReady = res; });
        }
        if (failure) { throw failure; }
      } finally {
        stop.abort();
        wakeProducer();
        signal?.removeEventListener('abort', onAbort);
        await scan;
      }
    },
  };
}

/**
 * The rows of a batch the dataset could not read (JSON Lines lines that are not JSON objects), as the batch names
 * them: rows given as all missing, which are not blank but unread. Undefined when there are none.
 */
function unreadLines(batch: ColumnBatch): SourceNotice[] | undefined {
  // at the line itself (a blank line before it takes no row number): where the CLI places a JSON Lines issue that has one
  return batch.unread?.map(u => ({
    type: 'format-error', row: u.row, message: u.message, range: { line: u.line - 1, char: 0, endLine: u.line - 1, endChar: 0 },
  }));
}

/**
 * The batch's rows as cell texts; PRESENT for a value of a column whose text is not needed. Bytes are written in
 * base64, as Table Schema's `binary` format reads them.
 */
function rowsOf(batch: ColumnBatch, dataset: Dataset, needsText: ((col: number) => boolean) | undefined): (string | null)[][] {
  const out: (string | null)[][] = [];
  const n = batch.rowCount;
  const cols = batch.columns;
  const fields = batch.fieldIndexes.map(i => dataset.fields[i]);
  const text = cols.map((_, c) => needsText?.(c) ?? true);
  const bytes = fields.map(f => f.type === 'binary');
  for (let r = 0; r < n; r++) {
    const cells = new Array<string | null>(cols.length);
    for (let c = 0; c < cols.length; c++) {
      if (!text[c]) { cells[c] = presence(cols[c], r, fields[c]); continue; }
      const shown = cellDisplay(cols[c], r, fields[c]);
      cells[c] = bytes[c] && shown !== null ? base64OfHex(shown) : shown;
    }
    out.push(cells);
  }
  return out;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The base64 text of bytes written as hex (how Strata shows a binary value). */
export function base64OfHex(hex: string): string {
  let out = '';
  const n = hex.length >> 1;
  const byte = (k: number): number => (k < n ? parseInt(hex.slice(2 * k, 2 * k + 2), 16) : 0);
  for (let i = 0; i < n; i += 3) {
    const left = n - i;
    const b0 = byte(i), b1 = byte(i + 1), b2 = byte(i + 2);
    out += BASE64[b0 >> 2] + BASE64[((b0 & 3) << 4) | (b1 >> 4)]
      + (left > 1 ? BASE64[((b1 & 15) << 2) | (b2 >> 6)] : '=') + (left > 2 ? BASE64[b2 & 63] : '=');
  }
  return out;
}

/**
 * PRESENT for a value in its plain form, null for a missing one, '' for empty text (which a reader treats as missing
 * or blank), and the text of a date that is no whole day of the years 0000-9999 (written in another form).
 */
function presence(col: ColumnData, r: number, field: Field): string | null {
  if (col.valid[r] !== 1) { return null; }
  if (col.kind === 'text') { return col.offsets[r + 1] === col.offsets[r] ? '' : PRESENT; }
  if (field.type === 'date' && col.kind === 'number' && !isPlainDay(col.values[r])) { return cellDisplay(col, r, field); }
  return PRESENT;
}

/**
 * Where the values of `rows` of a JSON Lines file are: per field, its value in the row's line (0-based line and
 * characters); a field the record lacks, or a line that is not an object, gets the whole line.
 */
async function jsonlRanges(dataset: JsonlDataset, rows: readonly number[], signal?: AbortSignal): Promise<Map<number, RecordRanges>> {
  const names = dataset.fields.map(f => f.name);
  const out = new Map<number, RecordRanges>();
  for (const [row, { line, text }] of await dataset.linesOf(rows.filter(r => r >= 0), signal)) {
    const span: TextRange = { line: line - 1, char: 0, endLine: line - 1, endChar: text.length };
    const cells = valueSpans(text, names).map(v => (v ? { line: line - 1, char: v.start, endLine: line - 1, endChar: v.end } : span));
    out.set(row, { cells, span });
  }
  return out;
}
