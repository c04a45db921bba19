// JSON Lines as a Dataset: fields from a sample, a sparse line index so any window is a small read, bad lines reported and skipped over.
import type { AsyncBuffer } from '../asyncBuffer';
import { type ColumnBatch, type ColumnData, TextColumnBuilder, type UnreadRow } from '../columns';
import type { Dataset, DatasetWarning, Field, RowCount, ScanOptions, ScanProgress } from '../dataset';
import { DatasetError, throwIfAborted } from '../errors';
import { JsonlFastCells } from './jsonlFastCells';
import { isBlank, type Line, LineReader } from './jsonlLines';
import { inferType, parseRecord, recordCells, type ValueKind } from './jsonlRecord';

/** Fields and types come from the first rows, up to this many. */
const SAMPLE_ROWS = 1000;
const SAMPLE_BYTES = 1024 * 1024;
/** One index checkpoint (byte offset, line number) every this many rows. */
const INDEX_EVERY = 1024;
const INDEX_CHUNK_BYTES = 4 * 1024 * 1024;
const MAX_WARNINGS = 1000;

/** Where a row starts: its byte offset and line number. */
export interface RowStart { row: number; offset: number; line: number }
type Checkpoint = RowStart;

/** Rows [start, end) of a file split across threads, their bytes [from, to), and the line number at `from`. */
export interface RowSplit { start: number; end: number; from: number; to: number; line: number }

export interface JsonlOptions { signal?: AbortSignal }

export async function openJsonl(buffer: AsyncBuffer, options: JsonlOptions = {}): Promise<JsonlDataset> {
  if (buffer.byteLength === 0) { throw new DatasetError('empty', 'the file is empty'); }
  const head = new Uint8Array(await buffer.slice(0, Math.min(buffer.byteLength, 3)));
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const ds = new JsonlDataset(buffer, bom);
  await ds.sample(options.signal);
  return ds;
}

export class JsonlDataset implements Dataset {
  readonly format = 'jsonl' as const;
  fields: Field[] = [];
  readonly warnings: DatasetWarning[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly checkpoints: Checkpoint[];
  /** Row starts found by another reader of the file (adoptRowStarts), in row order: rows before them need no count. */
  private readonly adopted: RowStart[] = [];
  /** Rows counted so far, and where counting resumes (a line start). */
  private indexedRows = 0;
  private indexedOffset: number;
  private indexedLine = 1;
  private complete = false;
  private bytesSampled = 0;
  private indexing?: Promise<void>;
  private readonly warnedLines = new Set<number>();
  private readonly unknownKeys = new Set<string>();
  private readonly decoder = new TextDecoder();

  constructor(private readonly buffer: AsyncBuffer, private readonly bom: number) {
    this.indexedOffset = bom;
    this.checkpoints = [{ row: 0, offset: bom, line: 1 }];
  }

  get rowCount(): RowCount {
    if (this.complete) { return { value: this.indexedRows, exact: true }; }
    const covered = Math.max(1, this.indexedOffset - this.bom);
    const estimate = Math.round(this.indexedRows * (this.buffer.byteLength - this.bom) / covered);
    return { value: Math.max(this.indexedRows, estimate), exact: false };
  }

  /** Reads the first rows: they define the fields and start the row index. */
  async sample(signal?: AbortSignal): Promise<void> {
    const reader = new LineReader(this.buffer, this.bom, 1, 64 * 1024, signal);
    const kinds: Set<ValueKind>[] = [];
    let line: Line | null;
    while (this.indexedRows < SAMPLE_ROWS && reader.offset - this.bom < SAMPLE_BYTES && (line = await reader.next())) {
      const record = parseRecord(this.decoder.decode(line.bytes));
      if (record.ok) {
        for (const [key, value] of record.values) {
          let f = this.keyIndex.get(key);
          if (f === undefined) {
            f = kinds.length;
            this.keyIndex.set(key, f);
            kinds.push(new Set());
          }
          if (value) { kinds[f].add(value.kind); }
        }
      } else {
        this.warnBadLine(line.line, this.indexedRows, record.error);
      }
      this.countRow(line);
    }
    this.bytesSampled = reader.offset;
    if ((await reader.next()) === null) { this.complete = true; }
    const names = [...this.keyIndex.keys()];
    this.fields = names.map((name, f) => ({ name, type: inferType(kinds[f]), nullable: true, sourceType: [...kinds[f]].sort().join('|') || 'null' }));
    if (this.indexedRows === 0) { throw new DatasetError('empty', 'the file has no JSON lines'); }
    if (this.fields.length === 0 && this.warnings.length === this.indexedRows) {
      throw new DatasetError('corrupt', `not JSON Lines: no line of the first ${this.indexedRows} is a JSON object (${this.warnings[0]?.message ?? ''})`);
    }
  }

  /** Counts every row (finishing the row index), so rowCount becomes exact. */
  async buildRowIndex(options: { signal?: AbortSignal; onProgress?: (p: ScanProgress) => void } = {}): Promise<RowCount> {
    await this.extendIndex(Infinity, options.signal, options.onProgress);
    return this.rowCount;
  }

  /**
   * Cuts the rows into at most `parts` ranges of about equal bytes, for threads that each take one. Each cut is the
   * row-index checkpoint at or before its byte target, so rows are counted only as far as the last cut (half the
   * file for two parts). The last range runs to the end of the file: its `end` is Infinity until every row is counted.
   * `from` and `to` are the ranges' bytes.
   */
  async splitRows(parts: number, options: { signal?: AbortSignal } = {}): Promise<RowSplit[]> {
    // a gzip file decompresses from the top for every part: one pass does it once
    const n = this.buffer.sequential ? 1 : Math.max(1, Math.floor(parts));
    const size = this.buffer.byteLength;
    const cuts: Checkpoint[] = [this.checkpoints[0]];
    for (let k = 1; k < n; k++) {
      const target = this.bom + ((size - this.bom) * k) / n;
      while (!this.complete && this.indexedOffset <= target) { await this.indexStep(options.signal); }
      const cut = this.checkpointBefore(target);
      if (cut.row > cuts[cuts.length - 1].row) { cuts.push(cut); }
    }
    const end = this.complete ? this.indexedRows : Infinity;
    return cuts.map((c, i) => {
      const next = cuts[i + 1];
      return { start: c.row, end: next ? next.row : end, from: c.offset, to: next ? next.offset : size, line: c.line };
    });
  }

  /**
   * Takes row starts another reader of this file found (the cuts of a `splitRows` in the thread that planned the
   * parts), so that a part starts and stops at them without counting the rows before them. Each start must be a
   * row's first byte, with its line number; refused when out of the file or out of order.
   */
  adoptRowStarts(starts: readonly RowStart[]): void {
    for (const s of starts) {
      const last = this.adopted[this.adopted.length - 1] ?? this.checkpoints[0];
      const whole = Number.isInteger(s.row) && Number.isInteger(s.offset) && Number.isInteger(s.line);
      const inOrder = s.row === last.row ? s.offset === last.offset : s.row > last.row && s.offset > last.offset && s.line > last.line;
      if (!whole || !inOrder || s.offset >= this.buffer.byteLength) {
        throw new RangeError(`row ${s.row} cannot start at byte ${s.offset}, line ${s.line}`);
      }
      if (s.row > last.row) { this.adopted.push({ row: s.row, offset: s.offset, line: s.line }); }
    }
  }

  /**
   * The line number and text of each of `rows` (to place a problem found in a row at its value in the file), each read
   * from the row-index checkpoint or adopted row start before it.
   */
  async linesOf(rows: readonly number[], signal?: AbortSignal): Promise<Map<number, { line: number; text: string }>> {
    const out = new Map<number, { line: number; text: string }>();
    const wanted = [...new Set(rows)].filter(r => r >= 0).sort((a, b) => a - b);
    // rows close together are read in one pass (issues come in clusters), others each from their own checkpoint
    for (let i = 0; i < wanted.length;) {
      let j = i + 1;
      while (j < wanted.length && wanted[j] - wanted[j - 1] < INDEX_EVERY) { j++; }
      const { from, to } = await this.rowRange(wanted[i], wanted[j - 1] + 1, signal);
      const group = new Set(wanted.slice(i, j));
      await this.eachLine(from, to, 64 * 1024, signal, (line, row) => {
        if (group.has(row)) { out.set(row, { line: line.line, text: this.decoder.decode(line.bytes) }); }
      });
      i = j;
    }
    return out;
  }

  async readRows(start: number, count: number, columns?: number[], signal?: AbortSignal): Promise<ColumnBatch> {
    const fieldIndexes = this.columnList(columns);
    const first = Math.max(0, Math.floor(start));
    const { from, to } = await this.rowRange(first, first + Math.max(0, Math.floor(count)), signal);
    const builders = fieldIndexes.map(() => new TextColumnBuilder());
    const cells = this.cellsOf(fieldIndexes);
    const unread: UnreadRow[] = [];
    await this.eachLine(from, to, 64 * 1024, signal, (line, row) => this.addRow(line, row, cells, builders, unread));
    return { rowStart: from, rowCount: to - from, fieldIndexes, columns: builders.map(b => b.finish()), ...unreadOf(unread) };
  }

  async scan(columns: number[] | undefined, onBatch: (batch: ColumnBatch) => void | Promise<void>, options: ScanOptions = {}): Promise<void> {
    const fieldIndexes = this.columnList(columns);
    const batchRows = Math.max(1, Math.floor(options.batchRows ?? 65_536));
    const reader = new LineReader(this.buffer, this.bom, 1, 1024 * 1024, options.signal);
    // the scan reads every line in order anyway: it finishes the row index on the way
    const counting = !this.complete;
    let builders = fieldIndexes.map(() => new TextColumnBuilder());
    let unread: UnreadRow[] = [];
    const cells = this.cellsOf(fieldIndexes);
    let batchStart = 0;
    let row = 0;
    const flush = async (): Promise<void> => {
      const columnsOut: ColumnData[] = builders.map(b => b.finish());
      await onBatch({ rowStart: batchStart, rowCount: row - batchStart, fieldIndexes, columns: columnsOut, ...unreadOf(unread) });
      options.onProgress?.({ rowsDone: row, bytesDone: reader.offset, bytesTotal: this.buffer.byteLength });
      builders = fieldIndexes.map(() => new TextColumnBuilder());
      unread = [];
      batchStart = row;
    };
    let line: Line | null;
    while ((line = await reader.next())) {
      if (counting && row >= this.indexedRows) { this.countRow(line); }
      this.addRow(line, row, cells, builders, unread);
      row++;
      if (row - batchStart >= batchRows) {
        throwIfAborted(options.signal);
        await flush();
      }
    }
    if (row > batchStart) { await flush(); }
    if (counting && this.indexedRows === row) { this.complete = true; }
  }

  /**
   * Streams rows [start, end) in batches, reading on from the row index's checkpoint before `start` in large reads
   * (a run of readRows windows would make many small ones). For threads that each take a part.
   */
  async scanRows(start: number, end: number, columns: number[] | undefined, onBatch: (batch: ColumnBatch) => void | Promise<void>, options: ScanOptions = {}): Promise<void> {
    const fieldIndexes = this.columnList(columns);
    const batchRows = Math.max(1, Math.floor(options.batchRows ?? 65_536));
    const first = Math.max(0, Math.floor(start));
    // an open end (Infinity) reads on to the end of the file, without counting the rows first
    const { from, to } = end === Infinity
      ? { from: (await this.rowRange(first, first, options.signal)).from, to: Infinity }
      : await this.rowRange(first, Math.max(first, Math.floor(end)), options.signal);
    const cells = this.cellsOf(fieldIndexes);
    let builders = fieldIndexes.map(() => new TextColumnBuilder());
    let unread: UnreadRow[] = [];
    let batchStart = from;
    let firstByte = -1;
    const emit = async (end: number, next: number): Promise<void> => {
      throwIfAborted(options.signal);
      await onBatch({ rowStart: batchStart, rowCount: end - batchStart, fieldIndexes, columns: builders.map(b => b.finish()), ...unreadOf(unread) });
      options.onProgress?.({ rowsDone: end - from, bytesDone: next - firstByte, bytesTotal: this.buffer.byteLength - firstByte });
      builders = fieldIndexes.map(() => new TextColumnBuilder());
      unread = [];
      batchStart = end;
    };
    await this.eachLine(from, to, 1024 * 1024, options.signal, (line, row, next) => {
      if (firstByte < 0) { firstByte = line.start; }
      this.addRow(line, row, cells, builders, unread);
      // a promise only where a batch ends, not one per row
      return row + 1 - batchStart >= batchRows || row + 1 === to ? emit(row + 1, next) : undefined;
    }, row => (row > batchStart ? emit(row, this.buffer.byteLength) : undefined));
  }

  /** Rows [from, to) clamped to the file, the row index extended as far as `to` needs (not past an adopted row start). */
  private async rowRange(from: number, to: number, signal?: AbortSignal): Promise<{ from: number; to: number }> {
    if (!this.complete && to > this.rowsKnown()) { await this.extendIndex(to, signal); }
    const known = this.rowsKnown();
    const start = Math.min(from, known);
    return { from: start, to: Math.max(start, Math.min(known, to)) };
  }

  /** Rows known to exist: those counted, or those before the last adopted row start. */
  private rowsKnown(): number {
    return Math.max(this.indexedRows, this.adopted[this.adopted.length - 1]?.row ?? 0);
  }

  /**
   * Calls `visit` for each line of rows [from, to) in order, read on from the row index's checkpoint before `from` in
   * reads of `chunkBytes` (`next`: the reader's offset after the line). With `to` Infinity, on to the end of the
   * file, and then `atEnd` with the row number after the last.
   */
  private async eachLine(from: number, to: number, chunkBytes: number, signal: AbortSignal | undefined,
    visit: (line: Line, row: number, next: number) => void | Promise<void>, atEnd?: (row: number) => void | Promise<void>): Promise<void> {
    if (to <= from) { return; }
    const cp = this.checkpointAt(from);
    const reader = new LineReader(this.buffer, cp.offset, cp.line, chunkBytes, signal);
    for (let row = cp.row; row < to; row++) {
      const line = await reader.next();
      if (!line && to === Infinity) {
        await atEnd?.(row);
        return;
      }
      if (!line) { throw new DatasetError('io', 'the file changed while it was read (fewer rows than indexed)'); }
      if (row < from) { continue; }
      const pending = visit(line, row, reader.offset);
      if (pending) { await pending; }
    }
  }

  private columnList(columns: number[] | undefined): number[] {
    if (!columns) { return this.fields.map((_, i) => i); }
    for (const c of columns) {
      if (!Number.isInteger(c) || c < 0 || c >= this.fields.length) { throw new RangeError(`there is no column ${c} (the file has ${this.fields.length})`); }
    }
    return columns;
  }

  /** The names of the fields to read, and which of them hold JSON text. */
  private cellsOf(fieldIndexes: number[]): CellPlan {
    const names = fieldIndexes.map(f => this.fields[f].name);
    const json = fieldIndexes.map(f => this.fields[f].type === 'json');
    return { names, json, fast: new JsonlFastCells(names, json, this.keyIndex.keys()) };
  }

  /** Adds the line's cells to `builders`; a line that is not a JSON object adds missing cells and goes in `unread`. */
  private addRow(line: Line, row: number, cells: CellPlan, builders: TextColumnBuilder[], unread: UnreadRow[]): void {
    const onKey = (key: string): void => {
      if (!this.keyIndex.has(key) && !this.unknownKeys.has(key)) {
        this.unknownKeys.add(key);
        this.warn({ code: 'other', line: line.line, row, message: `field '${key}' first appears on line ${line.line}, after the sampled rows; it is not shown` });
      }
    };
    if (cells.fast.add(line.bytes, builders, onKey)) { return; }
    const record = recordCells(this.decoder.decode(line.bytes), cells.names, cells.json, onKey);
    if (!record.ok) {
      unread.push({ row, line: line.line, message: notJsonMessage(line.line, record.error) });
      this.warnBadLine(line.line, row, record.error);
      for (const b of builders) { b.push(null); }
      return;
    }
    for (let k = 0; k < builders.length; k++) { builders[k].push(record.cells[k]); }
  }

  private countRow(line: Line): void {
    if (this.indexedRows % INDEX_EVERY === 0 && this.indexedRows > 0) {
      this.checkpoints.push({ row: this.indexedRows, offset: line.start, line: line.line });
    }
    this.indexedRows++;
    this.indexedOffset = line.next;
    this.indexedLine = line.line + 1;
  }

  /** The last checkpoint or adopted row start at or before row `row`. */
  private checkpointAt(row: number): Checkpoint {
    const counted = this.lastCheckpoint(this.checkpoints, c => c.row <= row);
    const adopted = this.adopted.length > 0 && this.adopted[0].row <= row ? this.lastCheckpoint(this.adopted, c => c.row <= row) : undefined;
    return adopted && adopted.row > counted.row ? adopted : counted;
  }

  /** The last checkpoint at or before byte `offset`. */
  private checkpointBefore(offset: number): Checkpoint {
    return this.lastCheckpoint(this.checkpoints, c => c.offset <= offset);
  }

  /** The last of `list` (in row and byte order; its first qualifies) that `atOrBefore` holds for. */
  private lastCheckpoint(list: readonly Checkpoint[], atOrBefore: (c: Checkpoint) => boolean): Checkpoint {
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (atOrBefore(list[mid])) { lo = mid; } else { hi = mid - 1; }
    }
    return list[lo];
  }

  /** Counts rows with a newline scan (no JSON parsing) until `untilRow` rows are known or the file ends. */
  private async extendIndex(untilRow: number, signal?: AbortSignal, onProgress?: (p: ScanProgress) => void): Promise<void> {
    while (!this.complete && this.indexedRows < untilRow) {
      await this.indexStep(signal);
      onProgress?.({ rowsDone: this.indexedRows, bytesDone: this.indexedOffset, bytesTotal: this.buffer.byteLength });
    }
  }

  /** Counts the rows of the next chunk (or waits for the count under way). */
  private async indexStep(signal?: AbortSignal): Promise<void> {
    if (!this.indexing) {
      this.indexing = this.indexChunk(signal).finally(() => { this.indexing = undefined; });
    }
    await this.indexing;
  }

  private async indexChunk(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    const size = this.buffer.byteLength;
    const from = this.indexedOffset;
    const bytes = new Uint8Array(await this.buffer.slice(from, Math.min(size, from + INDEX_CHUNK_BYTES)));
    const atEnd = from + bytes.length >= size;
    let lineStart = 0;
    let nl: number;
    while ((nl = bytes.indexOf(10, lineStart)) >= 0) {
      this.countLine(bytes, lineStart, nl, from);
      lineStart = nl + 1;
    }
    if (atEnd) {
      if (lineStart < bytes.length) { this.countLine(bytes, lineStart, bytes.length, from); }
      this.complete = true;
    } else if (lineStart === 0) {
      if (bytes.length === 0) { throw new DatasetError('io', 'the file ended early while indexing'); }
      throw new DatasetError('too-large', `line ${this.indexedLine} is longer than ${INDEX_CHUNK_BYTES / (1024 * 1024)} MB`);
    }
  }

  private countLine(bytes: Uint8Array, start: number, end: number, base: number): void {
    const next = Math.min(end + 1, bytes.length);
    if (!isBlank(bytes, start, end)) {
      if (this.indexedRows % INDEX_EVERY === 0 && this.indexedRows > 0) {
        this.checkpoints.push({ row: this.indexedRows, offset: base + start, line: this.indexedLine });
      }
      this.indexedRows++;
    }
    this.indexedLine++;
    this.indexedOffset = base + next;
  }

  private warnBadLine(line: number, row: number, error: string): void {
    // once the warnings are full no more are kept, so the lines warned of need no remembering either
    if (this.warnings.length >= MAX_WARNINGS || this.warnedLines.has(line)) { return; }
    this.warnedLines.add(line);
    this.warn({ code: 'bad-line', line, row, message: `${notJsonMessage(line, error)}; its row is empty` });
  }

  private warn(w: DatasetWarning): void {
    if (this.warnings.length < MAX_WARNINGS) { this.warnings.push(w); }
  }

  /** Bytes read to take the sample (for diagnostics). */
  get sampledBytes(): number { return this.bytesSampled; }
}

function notJsonMessage(line: number, error: string): string {
  return `line ${line} is not valid JSON (${error})`;
}

/** The `unread` member of a batch: present only when some row was not read. */
function unreadOf(unread: UnreadRow[]): { unread?: UnreadRow[] } {
  return unread.length > 0 ? { unread } : {};
}

/** The fields a read builds, by name, and which of them hold JSON text (the rest: decoded strings and written numbers). */
interface CellPlan { names: string[]; json: boolean[]; fast: JsonlFastCells }
