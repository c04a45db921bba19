// Arrow IPC (file and stream) as a Dataset: reads the layout at open, then only the record batches a window needs.
import { type RecordBatch, RecordBatchReader } from 'apache-arrow';
import type { AsyncBuffer } from '../asyncBuffer';
import type { ColumnBatch } from '../columns';
import type { Dataset, DatasetWarning, Field, RowCount, ScanOptions } from '../dataset';
import { DatasetError, isDatasetError, throwIfAborted } from '../errors';
import { planArrowColumns, type ArrowColumnPlan } from './arrowColumns';
import { uncompressMessage } from './arrowCompression';
import { batchProblem } from './arrowValidate';
import { readBatchWindow } from './arrowWindow';
import { type ArrowLayout, type ByteRange, corruptArrow, readArrowLayout } from './arrowLayout';

const END_OF_STREAM = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
/** Decoded batches kept for windows that revisit them (a grid scrolling back and forth). */
const CACHED_BATCHES = 4;
/** Batches larger than this are read in part for a window (only its rows' bytes); smaller ones whole, and kept. */
const PARTIAL_READ_BYTES = 256 * 1024;

export async function openArrow(buffer: AsyncBuffer, options: { signal?: AbortSignal } = {}): Promise<ArrowDataset> {
  const layout = await readArrowLayout(buffer, options.signal);
  try {
    return new ArrowDataset(buffer, layout);
  } catch (e) {
    throw isDatasetError(e) ? e : corruptArrow('the schema cannot be read', e);
  }
}

export class ArrowDataset implements Dataset {
  readonly format = 'arrow' as const;
  readonly fields: readonly Field[];
  readonly rowCount: RowCount;
  readonly warnings: DatasetWarning[] = [];
  private readonly plans: ArrowColumnPlan[];
  /** First row of each batch, then the total. */
  private readonly batchStarts: number[];
  private readonly cache = new Map<number, Promise<RecordBatch>>();
  private dictionaryBytes?: Promise<Uint8Array[]>;

  constructor(private readonly buffer: AsyncBuffer, readonly layout: ArrowLayout) {
    this.plans = planArrowColumns(layout.schema.fields);
    this.fields = this.plans.map(p => p.field);
    this.batchStarts = [0];
    for (const b of layout.batches) { this.batchStarts.push(this.batchStarts[this.batchStarts.length - 1] + b.rows); }
    this.rowCount = { value: this.batchStarts[this.batchStarts.length - 1], exact: true };
  }

  get batchCount(): number { return this.layout.batches.length; }

  async readRows(start: number, count: number, columns?: number[], signal?: AbortSignal): Promise<ColumnBatch> {
    const fieldIndexes = this.columnList(columns);
    const from = Math.min(Math.max(0, Math.floor(start)), this.rowCount.value);
    const to = Math.min(this.rowCount.value, from + Math.max(0, Math.floor(count)));
    const pieces: { batch: RecordBatch; index: number; from: number; to: number }[] = [];
    if (to > from) {
      for (let b = this.batchAt(from); b < this.layout.batches.length && this.batchStarts[b] < to; b++) {
        const a = Math.max(from, this.batchStarts[b]) - this.batchStarts[b];
        const z = Math.min(to, this.batchStarts[b + 1]) - this.batchStarts[b];
        const size = this.layout.batches[b].range.end - this.layout.batches[b].range.start;
        const partial = !this.cache.has(b) && size > PARTIAL_READ_BYTES ? await this.loadWindow(b, a, z, signal) : undefined;
        if (partial) {
          pieces.push({ batch: partial.batch, index: b, from: a - partial.firstRow, to: z - partial.firstRow });
        } else {
          pieces.push({ batch: await this.decodeBatch(b, signal), index: b, from: a, to: z });
        }
      }
    }
    return {
      rowStart: from,
      rowCount: to - from,
      fieldIndexes,
      columns: readValues(pieces[0]?.index ?? 0, () => fieldIndexes.map(f => this.plans[f].toColumn(pieces.map(p => ({ vector: p.batch.getChildAt(f)!, from: p.from, to: p.to }))))),
    };
  }

  scan(columns: number[] | undefined, onBatch: (batch: ColumnBatch) => void | Promise<void>, options: ScanOptions = {}): Promise<void> {
    return this.scanRows(0, this.rowCount.value, columns, onBatch, options);
  }

  async scanRows(start: number, end: number, columns: number[] | undefined, onBatch: (batch: ColumnBatch) => void | Promise<void>, options: ScanOptions = {}): Promise<void> {
    const fieldIndexes = this.columnList(columns);
    const batchRows = Math.max(1, Math.floor(options.batchRows ?? 65_536));
    const from = Math.min(Math.max(0, Math.floor(start)), this.rowCount.value);
    const to = Math.min(Math.max(from, Math.floor(end)), this.rowCount.value);
    const bytesTotal = this.buffer.byteLength;
    for (let b = this.batchAt(from); b < this.layout.batches.length && this.batchStarts[b] < to; b++) {
      throwIfAborted(options.signal);
      // the record batch's rows in the range, from one decode of it
      const a = Math.max(from, this.batchStarts[b]) - this.batchStarts[b];
      const z = Math.min(to, this.batchStarts[b + 1]) - this.batchStarts[b];
      if (z > a) {
        const batch = await this.decodeBatch(b, options.signal, false);
        for (let at = a; at < z; at += batchRows) {
          throwIfAborted(options.signal);
          const stop = Math.min(z, at + batchRows);
          await onBatch({
            rowStart: this.batchStarts[b] + at,
            rowCount: stop - at,
            fieldIndexes,
            columns: readValues(b, () => fieldIndexes.map(f => this.plans[f].toColumn([{ vector: batch.getChildAt(f)!, from: at, to: stop }]))),
          });
        }
      }
      options.onProgress?.({ rowsDone: Math.min(to, this.batchStarts[b + 1]) - from, bytesDone: this.layout.batches[b].range.end, bytesTotal });
    }
  }

  private columnList(columns: number[] | undefined): number[] {
    if (!columns) { return this.fields.map((_, i) => i); }
    for (const c of columns) {
      if (!Number.isInteger(c) || c < 0 || c >= this.fields.length) { throw new RangeError(`there is no column ${c} (the file has ${this.fields.length})`); }
    }
    return columns;
  }

  /** The batch holding `row` (binary search over batch starts). */
  private batchAt(row: number): number {
    let lo = 0;
    let hi = this.layout.batches.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.batchStarts[mid] <= row) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }

  private decodeBatch(index: number, signal?: AbortSignal, keep = true): Promise<RecordBatch> {
    const hit = this.cache.get(index);
    if (hit) { return hit; }
    const p = this.loadBatch(index, signal);
    if (keep) {
      this.cache.set(index, p);
      p.catch(() => this.cache.delete(index));
      while (this.cache.size > CACHED_BATCHES) { this.cache.delete(this.cache.keys().next().value as number); }
    }
    return p;
  }

  /**
   * Rows [a, z) of batch `index` from only the bytes that hold them, as a small batch whose row 0 is
   * row `firstRow` of the original (not cached).
   */
  private async loadWindow(index: number, a: number, z: number, signal?: AbortSignal): Promise<{ batch: RecordBatch; firstRow: number } | undefined> {
    const entry = this.layout.batches[index];
    let window;
    try {
      window = await readBatchWindow(this.buffer, entry.range, this.layout.schema, a, z, signal);
    } catch (e) {
      throw decodeError(e, index);
    }
    if (!window) { return undefined; }
    const dictionaries = await this.dictionaryMessages(entry.dictionariesBefore, signal);
    const batch = this.decodeParts([this.layout.schemaMessage, ...dictionaries, window.meta, window.body, END_OF_STREAM], index, z - window.firstRow);
    return { batch, firstRow: window.firstRow };
  }

  /** Replays schema, dictionaries and this one batch as a small stream, so apache-arrow decodes just that batch. */
  private async loadBatch(index: number, signal?: AbortSignal): Promise<RecordBatch> {
    const entry = this.layout.batches[index];
    const [dictionaries, body] = await Promise.all([
      this.dictionaryMessages(entry.dictionariesBefore, signal),
      this.read(entry.range, signal),
    ]);
    let plain: Uint8Array;
    try {
      plain = uncompressMessage(body, `record batch ${index}`);
    } catch (e) {
      throw decodeError(e, index);
    }
    return this.decodeParts([this.layout.schemaMessage, ...dictionaries, plain, END_OF_STREAM], index);
  }

  /**
   * Decodes a stream given as chunks: apache-arrow reads each message from the chunk holding it, so a
   * batch body (megabytes) is used in place rather than copied into one buffer.
   */
  private decodeParts(parts: Uint8Array[], index: number, rows = this.layout.batches[index].rows): RecordBatch {
    let batch: RecordBatch | undefined;
    try {
      for (const b of RecordBatchReader.from(parts)) { batch = b; }
    } catch (e) {
      throw decodeError(e, index);
    }
    if (!batch || batch.numRows !== rows) { throw corruptArrow(`record batch ${index} could not be decoded`); }
    const problem = batchProblem(batch);
    if (problem) { throw corruptArrow(`record batch ${index}: ${problem}`); }
    return batch;
  }

  private async dictionaryMessages(count: number, signal?: AbortSignal): Promise<Uint8Array[]> {
    if (count === 0) { return []; }
    if (this.layout.kind === 'file') {
      // a file's dictionaries apply to every batch: read them once
      this.dictionaryBytes ??= Promise.all(this.layout.dictionaries.map((r, k) => this.readDictionary(r, k)));
      this.dictionaryBytes.catch(() => { this.dictionaryBytes = undefined; });
      return this.dictionaryBytes;
    }
    return Promise.all(this.layout.dictionaries.slice(0, count).map((r, k) => this.readDictionary(r, k, signal)));
  }

  private async readDictionary(range: ByteRange, k: number, signal?: AbortSignal): Promise<Uint8Array> {
    return uncompressMessage(await this.read(range, signal), `dictionary batch ${k}`);
  }

  private async read(range: ByteRange, signal?: AbortSignal): Promise<Uint8Array> {
    throwIfAborted(signal);
    const bytes = new Uint8Array(await this.buffer.slice(range.start, range.end));
    if (bytes.length !== range.end - range.start) { throw corruptArrow('the file is shorter than its layout says (truncated)'); }
    return bytes;
  }
}

/** Damaged buffers inside a batch surface while values are read: report them as corruption. */
function readValues<T>(batchIndex: number, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw decodeError(e, batchIndex);
  }
}

function decodeError(e: unknown, index: number): DatasetError {
  if (isDatasetError(e)) { return e; }
  const message = e instanceof Error ? e.message : String(e);
  if (/codec not found/i.test(message)) {
    return new DatasetError('unsupported', `record batch ${index} uses a compression Strata cannot read (${message})`, { cause: e });
  }
  return corruptArrow(`record batch ${index} cannot be decoded (${message})`, e);
}
