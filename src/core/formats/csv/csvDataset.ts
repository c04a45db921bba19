// The Dataset over delimited text (CSV, TSV, .csv.gz): open and sniff, read windows of rows, scan, and the row index.
import type { AsyncBuffer } from '../asyncBuffer';
import type { ColumnBatch } from '../columns';
import type { Dataset, DatasetFormat, DatasetWarning, Field, RowCount, ScanOptions } from '../dataset';
import { DatasetError, throwIfAborted } from '../errors';
import { TypeInferrer } from '../inferType';
import { concatBytes, openByteSource, type CsvByteSource } from './byteSource';
import { BatchParser } from './batchParser';
import { batchFromRows, ChunkParser } from './chunkParser';
import { commentsMessage, delimiterHintFromName, parseSampleRows, preambleMessage, sniffCsv, type CsvDialect, type LineTerminator } from './dialect';
import { byteTextDecoder, type CsvEncoding, type EncodingInfo } from './encoding';
import {
  buildRowIndex, entryAfter, entryBefore, indexFromScanner, partitionIndex, runScanner, RowScanner,
  type RowIndex, type RowRange,
} from './rowIndex';

/** A byte range [from, to) of the data, both row starts (or the end of data), whose first row is `firstRow`. */
export interface SplitRange {
  from: number;
  to: number;
  firstRow: number;
  /** 1-based physical line of the first row. */
  firstLine: number;
}

/** The last index entry whose offset is at or before `offset`. */
function entryAtOrBefore(index: RowIndex, offset: number): { row: number; offset: number; line: number } | undefined {
  const offs = index.offsets;
  if (offs.length === 0 || offs[0] > offset) { return undefined; }
  let lo = 0, hi = offs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offs[mid] <= offset) { lo = mid; } else { hi = mid - 1; }
  }
  return { row: index.rows[lo], offset: offs[lo], line: index.lines[lo] };
}

export interface OpenCsvOptions {
  /** File name, for messages and the extension's delimiter hint. */
  name?: string;
  /** Forces the delimiter (one ASCII character). */
  delimiter?: string;
  /** Forces header present / absent. */
  header?: boolean;
  /** Recognises the first row as the header whatever sniffing says (a schema's field names); `header` still wins. */
  isHeader?: (firstRow: readonly string[]) => boolean;
  /** Forces the number of lines above the header, skipped (a Table Dialect's `headerRows`); 0: none. Default: sniffed. */
  skipLines?: number;
  /** Forces the character escaping a quote inside a quoted field (a Table Dialect's `escapeChar`); null: quotes are doubled. Default: sniffed. */
  escapeChar?: string | null;
  /** Forces the character starting comment lines, which are no rows (a Table Dialect's `commentChar`); null: none. Default: sniffed (`#`). */
  commentChar?: string | null;
  /** Names for the columns of a file without a header row (a schema's field names, in order); columns past them are `column_N`. */
  fieldNames?: readonly string[];
  /** Forces gzip on or off (default: by the gzip magic bytes). */
  gzip?: boolean;
  signal?: AbortSignal;
}

/** How a delimited file is read: its dialect and the lines skipped above its header (for the preview's status bar). */
export interface CsvReading {
  delimiter: string;
  quoteChar: string;
  header: boolean;
  escapeChar?: string;
  commentChar?: string;
  /** Lines above the header (a title, comments) that are skipped. */
  linesAbove: number;
}

/** A CSV field keeps the header cell as written; `name` is made unique and non-blank. */
export interface CsvField extends Field {
  /** The header cell as written ('' when blank or when the file has no header row). */
  label: string;
}

/** The sample sniffed at open: the first 64 KB, grown until it holds a couple of complete rows. */
const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_GROW_LIMIT = 16 * 1024 * 1024;
const FIRST_ROW_LIMIT = 64 * 1024 * 1024;
const MAX_COLUMNS = 100_000;
/** Rows whose types are inferred at open. */
const INFER_ROWS = 10_000;
/** Skipping more rows than this before a window is done by the byte scanner rather than by parsing. */
const SKIP_WITH_SCANNER = 2048;
const READ_CHUNK_BYTES = 8 * 1024 * 1024;
const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;
const DEFAULT_BATCH_ROWS = 65_536;
/** Ragged rows listed one by one; beyond this only counted. */
const MAX_RAGGED_WARNINGS = 100;

const DELIMITER_RULES = 'the delimiter must be one ASCII character other than a quote or a line break';

export async function openCsv(buffer: AsyncBuffer, options: OpenCsvOptions = {}): Promise<CsvDataset> {
  const name = options.name ?? 'file';
  const signal = options.signal;
  if (options.skipLines !== undefined && !(Number.isSafeInteger(options.skipLines) && options.skipLines >= 0)) {
    throw new DatasetError('unsupported', `cannot skip ${String(options.skipLines)} lines above the header: give a whole number ≥ 0`);
  }
  if (options.delimiter !== undefined) {
    const d = options.delimiter;
    if (d.length !== 1 || d.charCodeAt(0) > 0x7f || d === '"' || d === "'" || d === '\n' || d === '\r') {
      throw new DatasetError('unsupported', `${JSON.stringify(d)} cannot be used: ${DELIMITER_RULES}`);
    }
  }
  for (const [key, what] of [['escapeChar', 'the escape character'], ['commentChar', 'the comment character']] as const) {
    const c = options[key];
    if (c !== undefined && c !== null && (c.length !== 1 || c.charCodeAt(0) > 0x7f || c === '\n' || c === '\r' || c === options.delimiter)) {
      throw new DatasetError('unsupported', `${JSON.stringify(c)} cannot be ${what}: it must be one ASCII character other than a line break or the delimiter`);
    }
  }
  throwIfAborted(signal);
  const opened = await openByteSource(buffer, { name, gzip: options.gzip, signal });
  const { source, encoding } = opened;
  const bom = encoding.bomLength;
  const decoder = byteTextDecoder(encoding.encoding);

  // Grow the sample until it holds two complete rows (or the first row, for very wide/long rows).
  let want = SAMPLE_BYTES;
  let head: Uint8Array;
  let complete: boolean;
  let dialect: CsvDialect;
  let sampleScan: RowScanner;
  // lines above the header (a title, comments) and where the table starts after them
  let preambleLines: number;
  let tableStart: number;
  for (;;) {
    throwIfAborted(signal);
    ({ head, complete } = await readHead(source, want, signal));
    const text = decoder.decode(head.subarray(bom));
    const sniffed = sniffCsv(text, {
      name, delimiter: options.delimiter, header: options.header, isHeader: options.isHeader, complete, skipLines: options.skipLines,
      escapeChar: options.escapeChar, commentChar: options.commentChar,
    });
    dialect = sniffed.dialect;
    preambleLines = sniffed.preamble?.lines ?? 0;
    tableStart = afterLines(head, bom, preambleLines, dialect.lineTerminator);
    sampleScan = new RowScanner(dialect, { record: false, startOffset: tableStart });
    sampleScan.scan(head, tableStart, 0, complete);
    if (complete || sampleScan.rows >= 2 || (sampleScan.rows >= 1 && want >= SAMPLE_GROW_LIMIT)) { break; }
    if (want >= FIRST_ROW_LIMIT) {
      throw new DatasetError('too-large', `${name}: the first row is longer than ${FIRST_ROW_LIMIT / (1024 * 1024)} MB`);
    }
    want *= 4;
  }
  if (sampleScan.rows === 0) {
    throw new DatasetError('empty', preambleLines > 0
      ? `${name} has no rows below the ${preambleLines} lines skipped above its header`
      : `${name} is empty (no rows, only blank lines)`);
  }

  // The header row ends where the scanner completes its first row.
  let dataStart = tableStart;
  let dataStartLine = 1 + preambleLines;
  let labels: string[] = [];
  if (dialect.header) {
    const hs = new RowScanner(dialect, { record: false, startOffset: tableStart });
    const end = hs.scan(head, tableStart, 0, complete, 1);
    dataStart = end;
    dataStartLine += hs.lines;
    labels = parseSampleRows(decoder.decode(head.subarray(tableStart, end)), dialect, true, 1)[0] ?? [];
  }

  // Sample rows: the complete rows of the head after the header.
  const ss = new RowScanner(dialect, { startOffset: dataStart, startLine: dataStartLine, record: complete });
  const sampleEnd = ss.scan(head, dataStart, 0, complete);
  let sample = parseSampleRows(decoder.decode(head.subarray(dataStart, sampleEnd)), dialect, true);
  if (sample.length !== ss.rows) {
    // Never expected (the scanner follows papaparse's rules); keep the smaller, safe view.
    sample = sample.slice(0, ss.rows);
  }

  const width = fieldCount(labels, sample, dialect.header);
  if (width > MAX_COLUMNS) {
    throw new DatasetError('too-large', `${name} has ${width} columns; Strata reads at most ${MAX_COLUMNS}`);
  }
  const fields = makeFields(dialect.header ? labels : options.fieldNames ?? [], sample.slice(0, INFER_ROWS), width, dialect.header, dialect.delimiter !== ',');
  // a one-column file splits on no delimiter: it is TSV only when named so
  const tabs = dialect.delimiter === '\t' && (width > 1 || delimiterHintFromName(name) === '\t');
  const format: DatasetFormat = tabs ? 'tsv' : 'csv';
  const ds = new CsvDataset({
    name, format, dialect, encoding, gzip: opened.gzip, source, fields, tableStart, preambleLines, dataStart, dataStartLine,
    avgRowBytes: ss.rows > 0 ? (sampleEnd - dataStart) / ss.rows : Math.max(1, head.length - dataStart),
    totalBytes: source.byteLength ?? opened.expandedLength,
  });
  if (encoding.warning) { ds.addWarning(encoding.warning); }
  if (preambleLines > 0) { ds.addWarning({ code: 'preamble', line: 1, message: preambleMessage(preambleLines, dialect.header) }); }
  if (dialect.commentChar !== undefined) { ds.addWarning({ code: 'comments', message: commentsMessage(dialect.commentChar) }); }
  for (let r = 0; r < sample.length; r++) { ds.checkWidth(r, sample[r].length); }
  if (complete) { ds.adoptIndex(indexFromScanner(ss, dataStart, head.length)); }
  return ds;
}

/** The offset just past the first `lines` line ends of `bytes` from `from` (the end of `bytes` when it has fewer). */
function afterLines(bytes: Uint8Array, from: number, lines: number, lineTerminator: LineTerminator): number {
  const nl = lineTerminator === '\r' ? 0x0d : 0x0a;
  let at = from;
  for (let n = 0; n < lines; n++) {
    const k = bytes.indexOf(nl, at);
    if (k < 0) { return bytes.length; }
    at = k + 1;
  }
  return at;
}

async function readHead(source: CsvByteSource, n: number, signal: AbortSignal | undefined): Promise<{ head: Uint8Array; complete: boolean }> {
  const parts: Uint8Array[] = [];
  let len = 0;
  // One byte past the sample tells whether the sample is the whole file.
  const it = source.chunks(0, n + 1, { chunkSize: n + 1, firstChunkSize: n + 1, signal });
  try {
    for await (const c of it) { parts.push(c.bytes); len += c.bytes.length; }
  } finally {
    await it.return(undefined);
  }
  const all = parts.length === 1 ? parts[0] : concatBytes(parts, len);
  return { head: all.subarray(0, Math.min(n, len)), complete: len <= n };
}

function fieldCount(labels: readonly string[], sample: readonly string[][], header: boolean): number {
  const counts = new Map<number, number>();
  for (const r of sample) { counts.set(r.length, (counts.get(r.length) ?? 0) + 1); }
  let mode = 0, best = 0;
  for (const [w, c] of counts) { if (c > best || (c === best && w > mode)) { mode = w; best = c; } }
  if (!header) { return Math.max(mode, 1); }
  // Data mostly wider than the header gets extra, unnamed fields rather than losing cells.
  return mode > labels.length && best > sample.length / 2 ? mode : labels.length;
}

/** Fields named by `given` (the header's cells, or the names given for a file without a header), typed from `sample`. */
function makeFields(given: readonly string[], sample: readonly string[][], width: number, header: boolean, decimalComma: boolean): CsvField[] {
  const labels = header ? given : [];
  const used = new Set<string>();
  const names: string[] = [];
  // First pass reserves the written names, so `a, a, a_2` becomes `a, a_3, a_2` rather than clashing.
  const written = given.map(l => l.trim());
  const counts = new Map<string, number>();
  for (const w of written) { if (w) { counts.set(w, (counts.get(w) ?? 0) + 1); } }
  for (let c = 0; c < width; c++) {
    const w = written[c] ?? '';
    if (w && counts.get(w) === 1) { used.add(w); }
  }
  for (let c = 0; c < width; c++) {
    const w = written[c] ?? '';
    let name: string;
    if (w && counts.get(w) === 1) {
      name = w;
    } else {
      const base = w || `column_${c + 1}`;
      name = base;
      for (let k = 2; used.has(name); k++) { name = `${base}_${k}`; }
      used.add(name);
    }
    names.push(name);
  }
  // numbers with a decimal comma (`10,50`) are looked for only where the comma cannot be the delimiter; there,
  // `1,234` may have either, so a column of numbers with thousands groups needs one that only they read
  const inferrers = names.map(() => new TypeInferrer({ decimalComma, thousandsComma: true, temporalLayouts: true }));
  for (const row of sample) {
    for (let c = 0; c < width; c++) { inferrers[c].add(row[c]); }
  }
  return names.map((name, c) => {
    const t = inferrers[c].result();
    const field: CsvField = { name, label: header ? labels[c] ?? '' : '', type: t.type, nullable: t.nullable };
    if (t.numberFormat) { field.numberFormat = t.numberFormat; }
    if (t.temporalFormat) { field.temporalFormat = t.temporalFormat; }
    return field;
  });
}

interface CsvDatasetInit {
  name: string;
  format: DatasetFormat;
  dialect: CsvDialect;
  encoding: EncodingInfo;
  gzip: boolean;
  source: CsvByteSource;
  fields: CsvField[];
  tableStart: number;
  preambleLines: number;
  dataStart: number;
  dataStartLine: number;
  avgRowBytes: number;
  totalBytes: number | undefined;
}

export interface BuildIndexProgress {
  rowsDone: number;
  bytesDone: number;
  bytesTotal: number;
}

/**
 * A delimited text file as a Dataset. Rows come back as text columns (papaparse's cells, empty cells
 * missing); `fields[i].type` says how to read them.
 *
 * Random access: in a plain file, `readRows(k, n)` reads from the nearest row-index entry before k
 * (one small read once `buildIndex()` has run; before that, rows near the top are read from the
 * top). In a `.gz` file, and in a UTF-16 file (transcoded as it is read), every `readRows` decompresses
 * from the start of the file up to row k: fast near the top, linear in k further down. Scans stream.
 */
export class CsvDataset implements Dataset {
  readonly name: string;
  readonly format: DatasetFormat;
  readonly dialect: CsvDialect;
  readonly encoding: CsvEncoding;
  readonly gzip: boolean;
  readonly fields: readonly CsvField[];
  readonly warnings: DatasetWarning[] = [];
  /** Offset (in the byte stream) of the table's first row (the header, if any), after any BOM and preamble. */
  readonly tableStart: number;
  /** Physical lines above the table skipped as a preamble (a title, blank lines, comments); 0 when none. */
  readonly preambleLines: number;
  /** Offset (in the byte stream) of the first data row, after any BOM, preamble and header. */
  readonly dataStart: number;
  /** Physical line (1-based) where the data rows begin. */
  readonly dataStartLine: number;
  private readonly source: CsvByteSource;
  private readonly avgRowBytes: number;
  private readonly totalBytes: number | undefined;
  private index: RowIndex | undefined;
  private partial: RowScanner | undefined;
  private building: Promise<RowIndex> | undefined;
  private exactRows: number | undefined;
  private readonly raggedRows = new Set<number>();
  private raggedOverflow = false;
  private unclosedReported = false;

  constructor(init: CsvDatasetInit) {
    this.name = init.name;
    this.format = init.format;
    this.dialect = init.dialect;
    this.encoding = init.encoding.encoding;
    this.gzip = init.gzip;
    this.fields = init.fields;
    this.source = init.source;
    this.tableStart = init.tableStart;
    this.preambleLines = init.preambleLines;
    this.dataStart = init.dataStart;
    this.dataStartLine = init.dataStartLine;
    this.avgRowBytes = Math.max(1, init.avgRowBytes);
    this.totalBytes = init.totalBytes;
  }

  /** True when any window of rows is a direct read (plain files); false for gzip and UTF-16. */
  get randomAccess(): boolean { return this.source.randomAccess; }

  /** The row index, once built or adopted. */
  get rowIndex(): RowIndex | undefined { return this.index; }

  get rowCount(): RowCount {
    if (this.index) { return { value: this.index.rowCount, exact: true }; }
    if (this.exactRows !== undefined) { return { value: this.exactRows, exact: true }; }
    const total = this.totalBytes;
    const estimate = total === undefined ? 0 : Math.max(0, Math.round((total - this.dataStart) / this.avgRowBytes));
    return { value: Math.max(estimate, this.partial?.rows ?? 0), exact: false };
  }

  /** Records a warning (deduplicated by code, row and message). */
  addWarning(w: DatasetWarning): void {
    if (!this.warnings.some(x => x.code === w.code && x.row === w.row && x.message === w.message)) { this.warnings.push(w); }
  }

  /** Notes a row whose field count differs from the fields' (bounded list of warnings). */
  checkWidth(row: number, cells: number): void {
    const width = this.fields.length;
    if (cells === width || this.raggedRows.has(row)) { return; }
    if (this.raggedRows.size >= MAX_RAGGED_WARNINGS) {
      if (!this.raggedOverflow) {
        this.raggedOverflow = true;
        this.warnings.push({ code: 'ragged-row', message: `more than ${MAX_RAGGED_WARNINGS} rows have a different number of fields; only the first are listed` });
      }
      return;
    }
    this.raggedRows.add(row);
    const what = cells > width ? `${cells} fields, ${cells - width} more than the header's ${width}; the extra cells are not shown` : `${cells} field${cells === 1 ? '' : 's'}, fewer than ${width}; the missing cells are empty`;
    this.warnings.push({ code: 'ragged-row', row, message: `row ${row + 1} has ${what}` });
  }

  /** Bytes beyond the sniffed sample that are not valid UTF-8: shown as U+FFFD, reported once. */
  private noteInvalidUtf8(row: number): void {
    if (this.warnings.some(w => w.code === 'encoding')) { return; }
    this.warnings.push({ code: 'encoding', row, message: `${this.name} has bytes that are not valid UTF-8 (first near row ${row + 1}); they are shown as \ufffd` });
  }

  private noteUnclosed(row?: number, line?: number): void {
    if (this.unclosedReported) { return; }
    this.unclosedReported = true;
    const where = row !== undefined ? ` in row ${row + 1}${line !== undefined ? ` (line ${line})` : ''}` : '';
    this.warnings.push({ code: 'unclosed-quote', row, line, message: `a quote opened${where} is never closed; the rest of the file is read as one field` });
  }

  /** Adopts an index built elsewhere (e.g. in a worker) over this dataset's data. */
  adoptIndex(index: RowIndex): void {
    if (index.start !== this.dataStart || index.startRow !== 0) {
      throw new DatasetError('unsupported', 'this row index was built for different data');
    }
    this.index = index;
    this.partial = undefined;
    if (index.unclosedQuote) { this.noteUnclosed(index.unclosedQuote.row, index.unclosedQuote.line); }
  }

  /**
   * Builds the sparse row index by a quote-aware byte scan of the whole file; afterwards `rowCount`
   * is exact and any window of rows is one small read. Concurrent calls share one build.
   */
  buildIndex(options: { signal?: AbortSignal; onProgress?: (p: BuildIndexProgress) => void } = {}): Promise<RowIndex> {
    if (this.index) { return Promise.resolve(this.index); }
    if (!this.building) {
      this.building = buildRowIndex(this.source, this.dialect, {
        start: this.dataStart,
        startLine: this.dataStartLine,
        signal: options.signal,
        onProgress: options.onProgress,
        onStart: s => { this.partial = s; },
      }).then(index => {
        this.adoptIndex(index);
        return index;
      }).finally(() => {
        this.building = undefined;
        this.partial = undefined;
      });
    }
    return this.building;
  }

  /** How the file is read: the dialect (sniffed, or given at open) and the lines skipped above the header. */
  get reading(): CsvReading {
    const d = this.dialect;
    return {
      delimiter: d.delimiter, quoteChar: d.quoteChar, header: d.header, linesAbove: this.preambleLines,
      ...(d.escapeChar !== undefined ? { escapeChar: d.escapeChar } : {}),
      ...(d.commentChar !== undefined ? { commentChar: d.commentChar } : {}),
    };
  }

  /** Splits the data into `parts` byte ranges at row-index entries, for parallel scans. Needs the index. */
  partitions(parts: number): RowRange[] {
    if (!this.index) { throw new DatasetError('unsupported', 'partitions need the row index: call buildIndex() first'); }
    return partitionIndex(this.index, Math.max(1, parts));
  }

  /**
   * Splits the data into `parts` byte ranges cut at row starts, for parallel scans, without waiting
   * for the whole row index: the quote-aware scan from the data start stops at the last cut (half the
   * file for two parts), so the scans start that much sooner. The last range's row count is unknown
   * until it is scanned. Uses the index when it is built; a file without random access is one range.
   */
  async splitRanges(parts: number, options: { signal?: AbortSignal } = {}): Promise<SplitRange[]> {
    const n = Math.max(1, Math.floor(parts));
    if (this.index) { return this.partitions(n).map(({ from, to, firstRow, firstLine }) => ({ from, to, firstRow, firstLine })); }
    const total = this.source.byteLength;
    const start = this.dataStart;
    const first: SplitRange = { from: start, to: total ?? Infinity, firstRow: 0, firstLine: this.dataStartLine };
    if (n === 1 || !this.source.randomAccess || total === undefined || total <= start) { return [first]; }
    const target = (k: number) => start + (total - start) * k / n;
    // the scan may end inside a row (or a quoted field): only the row starts it found before are used
    const prefix = await buildRowIndex(this.source, this.dialect, {
      start, startLine: this.dataStartLine, end: Math.min(total, Math.ceil(target(n - 1)) + 1), signal: options.signal,
    });
    const cuts = [first];
    for (let k = 1; k < n; k++) {
      const e = entryAtOrBefore(prefix, target(k));
      if (e && e.offset > cuts[cuts.length - 1].from) { cuts.push({ from: e.offset, to: total, firstRow: e.row, firstLine: e.line }); }
    }
    for (let k = 0; k + 1 < cuts.length; k++) { cuts[k].to = cuts[k + 1].from; }
    return cuts;
  }

  private columnsOf(columns: number[] | undefined): number[] {
    if (!columns) { return this.fields.map((_, i) => i); }
    for (const c of columns) {
      if (!Number.isInteger(c) || c < 0 || c >= this.fields.length) { throw new RangeError(`no field ${c} (the file has ${this.fields.length})`); }
    }
    return columns;
  }

  /** The best known row start at or before `row`. */
  private locate(row: number): { row: number; offset: number } {
    if (!this.source.randomAccess) { return { row: 0, offset: this.dataStart }; }
    if (this.index) { return entryBefore(this.index, row); }
    const p = this.partial;
    if (p && p.entryRows.length > 0) { return entryBefore({ rows: p.entryRows, offsets: p.entryOffsets, lines: p.entryLines }, row); }
    return { row: 0, offset: this.dataStart };
  }

  async readRows(start: number, count: number, columns?: number[], signal?: AbortSignal): Promise<ColumnBatch> {
    const cols = this.columnsOf(columns);
    if (!Number.isInteger(start) || start < 0 || !Number.isInteger(count) || count < 0) {
      throw new RangeError(`bad row window: start ${start}, count ${count}`);
    }
    throwIfAborted(signal);
    const known = this.rowCount;
    if (count === 0 || (known.exact && start >= known.value)) { return batchFromRows([], 0, 0, cols, start); }

    const pos = this.locate(start);
    let end: number | undefined;
    if (this.index && this.source.randomAccess) {
      const after = entryAfter(this.index, start + count);
      end = after ? after.offset : this.index.end;
    }
    const skip = start - pos.row;
    const estimate = Math.ceil((skip + count) * this.avgRowBytes * 1.25) + 16 * 1024;
    const first = end !== undefined ? end - pos.offset : Math.min(Math.max(estimate, 64 * 1024), READ_CHUNK_BYTES);
    const it = this.source.chunks(pos.offset, end, { chunkSize: READ_CHUNK_BYTES, firstChunkSize: first, signal });
    const rows: string[][] = [];
    try {
      let rowNo = pos.row;
      let leftover: Uint8Array | undefined;
      let ended = false;
      if (skip > SKIP_WITH_SCANNER) {
        const sc = new RowScanner(this.dialect, { record: false, startOffset: pos.offset, startRow: pos.row });
        const r = await runScanner(sc, it, { signal, stopAt: skip });
        if (sc.rows < skip) {
          if (pos.row === 0 && r.done) { this.exactRows = sc.rows; }
          return batchFromRows([], 0, 0, cols, start);
        }
        rowNo = start;
        leftover = r.leftover;
      }
      const parser = new ChunkParser(this.dialect, this.encoding);
      const take = (parsed: string[][]): boolean => {
        for (const row of parsed) {
          if (rowNo >= start) {
            this.checkWidth(rowNo, row.length);
            rows.push(row);
            if (rows.length >= count) { return true; }
          }
          rowNo++;
        }
        return false;
      };
      let full = leftover ? take(parser.push(leftover, false)) : false;
      while (!full) {
        throwIfAborted(signal);
        const r = await it.next();
        if (r.done) { ended = true; break; }
        full = take(parser.push(r.value.bytes, false));
      }
      if (parser.invalidUtf8) { this.noteInvalidUtf8(start); }
      if (!full && ended) {
        take(parser.push(new Uint8Array(0), true));
        const atEof = end === undefined || (this.index !== undefined && end === this.index.end);
        if (parser.unclosedQuote && atEof) { this.noteUnclosed(rowNo - 1); }
        if (atEof && pos.row === 0 && skip <= SKIP_WITH_SCANNER && !this.index) { this.exactRows = rowNo; }
      }
    } finally {
      await it.return(undefined);
    }
    return batchFromRows(rows, 0, rows.length, cols, start);
  }

  scan(columns: number[] | undefined, onBatch: (batch: ColumnBatch) => void | Promise<void>, options: ScanOptions = {}): Promise<void> {
    return this.scanRange({ from: this.dataStart, to: undefined, firstRow: 0 }, columns, onBatch, options);
  }

  /**
   * Streams the rows of the byte range [from, to) (both row starts, e.g. from `partitions()`; `to`
   * undefined: to the end), numbering them from `firstRow`. Two workers can each scan one half.
   */
  async scanRange(range: { from: number; to: number | undefined; firstRow: number }, columns: number[] | undefined,
    onBatch: (batch: ColumnBatch) => void | Promise<void>, options: ScanOptions = {}): Promise<void> {
    const cols = this.columnsOf(columns);
    const { signal, onProgress } = options;
    const batchRows = Math.max(1, options.batchRows ?? DEFAULT_BATCH_ROWS);
    const toEnd = range.to === undefined || (this.index !== undefined && range.to >= this.index.end);
    const total = (range.to ?? this.source.byteLength ?? this.totalBytes ?? 0) - range.from;
    const parser = new BatchParser({
      dialect: this.dialect, encoding: this.encoding, fieldIndexes: cols, width: this.fields.length,
      firstRow: range.firstRow, batchRows, onRagged: (row, cells) => this.checkWidth(row, cells), reuse: options.reuseBatches,
    });
    const emit = async (batches: ColumnBatch[]): Promise<void> => {
      for (const b of batches) {
        throwIfAborted(signal);
        await onBatch(b);
      }
      if (parser.invalidUtf8) { this.noteInvalidUtf8(range.firstRow + parser.rows); }
    };
    throwIfAborted(signal);
    let done = range.from;
    // BatchParser copies cells out and keeps only the cut row of the last chunk: chunks can be recycled
    for await (const chunk of this.source.chunks(range.from, range.to, { chunkSize: SCAN_CHUNK_BYTES, signal, recycle: true, inline: options.parallel })) {
      throwIfAborted(signal);
      await emit(parser.push(chunk.bytes, false));
      done = chunk.offset + chunk.bytes.length;
      onProgress?.({ rowsDone: parser.rows, bytesDone: done - range.from, bytesTotal: Math.max(total, done - range.from) });
    }
    throwIfAborted(signal);
    await emit(parser.push(new Uint8Array(0), true));
    const rowNo = range.firstRow + parser.rows;
    if (parser.unclosedQuoteRow !== undefined && toEnd) { this.noteUnclosed(parser.unclosedQuoteRow); }
    if (toEnd && range.from === this.dataStart && range.firstRow === 0 && !this.index) { this.exactRows = rowNo; }
    onProgress?.({ rowsDone: rowNo - range.firstRow, bytesDone: done - range.from, bytesTotal: done - range.from });
  }
}
