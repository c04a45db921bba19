// Parquet as a Dataset through hyparquet: footer at open, then only the row groups a window or scan needs.
import { parquetRead, type ColumnMetaData, type Compressors, type FileMetaData, type SchemaTree } from 'hyparquet';
import { compressors as allCompressors, decompressZstd } from 'hyparquet-compressors';
import type { AsyncBuffer } from '../asyncBuffer';
import { type ColumnBatch, type ColumnData, concatColumns, copyColumn } from '../columns';
import type { Dataset, DatasetWarning, Field, RowCount, ScanOptions } from '../dataset';
import { DatasetError, isDatasetError, throwIfAborted } from '../errors';
import { FLAT_PARSERS, metadataForDecoding, planParquetColumns, PARQUET_PARSERS, type ParquetColumnPlan } from './parquetColumns';
import { chunkHeadLength, columnChunkRange, type FlatColumn, flatColumn, readFlatWindow } from './parquetPages';
import { messageOf, readParquetFooter } from './parquetFooter';

/** A page claiming to inflate beyond this is corrupt (real pages are around 1 MB); refusing it avoids a huge allocation. */
const MAX_PAGE_BYTES = 256 * 1024 * 1024;
const DEFAULT_SCAN_BATCH = 65_536;

export async function openParquet(buffer: AsyncBuffer, options: { signal?: AbortSignal } = {}): Promise<ParquetDataset> {
  const footer = await readParquetFooter(buffer, options.signal);
  return new ParquetDataset(buffer, footer.metadata, footer.schema, footer.groupStarts, planParquetColumns(footer.schema));
}

export class ParquetDataset implements Dataset {
  readonly format = 'parquet' as const;
  readonly fields: readonly Field[];
  readonly rowCount: RowCount;
  readonly warnings: DatasetWarning[] = [];
  private readonly decodeMetadata: FileMetaData;
  /** Per field: its flat-column description (undefined for nested fields) and its first leaf column index. */
  private readonly flat: (FlatColumn | undefined)[];
  private readonly leafStart: number[];

  constructor(
    private readonly buffer: AsyncBuffer,
    readonly metadata: FileMetaData,
    private readonly schema: SchemaTree,
    /** First row of each row group, then the total. */
    private readonly groupStarts: number[],
    private readonly plans: ParquetColumnPlan[],
  ) {
    this.fields = plans.map(p => p.field);
    this.rowCount = { value: groupStarts[groupStarts.length - 1], exact: true };
    this.decodeMetadata = metadataForDecoding(metadata);
    this.flat = schema.children.map((node, i) => flatColumn(node, plans[i]));
    this.leafStart = [];
    let leaves = 0;
    for (const node of schema.children) { this.leafStart.push(leaves); leaves += leafCount(node); }
    if (metadata.num_rows !== BigInt(this.rowCount.value)) {
      this.warnings.push({ code: 'other', message: `the footer says ${metadata.num_rows} rows but its row groups hold ${this.rowCount.value}` });
    }
  }

  get rowGroupCount(): number { return this.metadata.row_groups.length; }

  async readRows(start: number, count: number, columns?: number[], signal?: AbortSignal): Promise<ColumnBatch> {
    const fieldIndexes = this.columnList(columns);
    const from = Math.min(Math.max(0, Math.floor(start)), this.rowCount.value);
    const to = Math.min(this.rowCount.value, from + Math.max(0, Math.floor(count)));
    return { rowStart: from, rowCount: to - from, fieldIndexes, columns: await this.decode(from, to, fieldIndexes, signal) };
  }

  scan(columns: number[] | undefined, onBatch: (batch: ColumnBatch) => void | Promise<void>, options: ScanOptions = {}): Promise<void> {
    return this.scanRows(0, this.rowCount.value, columns, onBatch, options);
  }

  async scanRows(start: number, end: number, columns: number[] | undefined, onBatch: (batch: ColumnBatch) => void | Promise<void>, options: ScanOptions = {}): Promise<void> {
    const fieldIndexes = this.columnList(columns);
    const batchRows = Math.max(1, Math.floor(options.batchRows ?? DEFAULT_SCAN_BATCH));
    const from = Math.min(Math.max(0, Math.floor(start)), this.rowCount.value);
    const to = Math.min(Math.max(from, Math.floor(end)), this.rowCount.value);
    // progress in the compressed bytes of the row groups the range touches
    const first = this.groupAt(from);
    let last = first;
    while (last + 1 < this.metadata.row_groups.length && this.groupStarts[last + 1] < to) { last++; }
    const groupBytes = (g: number): number => {
      const group = this.metadata.row_groups[g];
      return Number(group.total_compressed_size ?? group.columns.reduce((s, c) => s + Number(c.meta_data?.total_compressed_size ?? 0), 0));
    };
    let bytesTotal = 0;
    for (let g = first; g <= last; g++) { bytesTotal += groupBytes(g); }
    let bytesDone = 0;
    for (let g = first; g <= last && from < to; g++) {
      throwIfAborted(options.signal);
      const a = Math.max(from, this.groupStarts[g]);
      const z = Math.min(to, this.groupStarts[g + 1]);
      if (z > a) {
        // the group's rows in the range decoded once, then handed out in batches of their own arrays
        const columns = await this.decode(a, z, fieldIndexes, options.signal);
        for (let at = a; at < z; at += batchRows) {
          throwIfAborted(options.signal);
          const stop = Math.min(z, at + batchRows);
          const whole = at === a && stop === z;
          await onBatch({
            rowStart: at,
            rowCount: stop - at,
            fieldIndexes,
            columns: whole ? columns : columns.map(c => copyColumn(c, at - a, stop - a)),
          });
        }
      }
      bytesDone += groupBytes(g);
      options.onProgress?.({ rowsDone: z - from, bytesDone: Math.min(bytesDone, bytesTotal), bytesTotal });
    }
  }

  private columnList(columns: number[] | undefined): number[] {
    if (!columns) { return this.fields.map((_, i) => i); }
    for (const c of columns) {
      if (!Number.isInteger(c) || c < 0 || c >= this.fields.length) {
        throw new RangeError(`there is no column ${c} (the file has ${this.fields.length})`);
      }
    }
    return columns;
  }

  /** Rows [from, to) of each requested field, in request order. */
  private async decode(from: number, to: number, fieldIndexes: number[], signal?: AbortSignal): Promise<ColumnData[]> {
    if (to <= from || fieldIndexes.length === 0) { return fieldIndexes.map(f => this.plans[f].toColumn([])); }
    // each field's columns from the row groups in turn
    const parts: ColumnData[][] = fieldIndexes.map(() => []);
    const slow = new Set<number>();
    try {
      // flat columns: page by page, only the rows needed; the rest (nested, or unusual pages) through hyparquet
      fieldIndexes.forEach((f, k) => { if (!this.flat[f]) { slow.add(k); } });
      for (let g = this.groupAt(from); g < this.metadata.row_groups.length && this.groupStarts[g] < to; g++) {
        throwIfAborted(signal);
        const groupStart = this.groupStarts[g];
        const selectStart = Math.max(from, groupStart) - groupStart;
        const selectEnd = Math.min(to, this.groupStarts[g + 1]) - groupStart;
        const fast = fieldIndexes.map((f, k) => ({ f, k })).filter(({ k }) => !slow.has(k));
        const windows = await Promise.all(fast.map(async ({ f }) => {
          const meta = this.metadata.row_groups[g].columns[this.leafStart[f]].meta_data as ColumnMetaData;
          const range = columnChunkRange(meta);
          const file = cancellable(this.buffer, signal);
          const options = { compressors: GUARDED_COMPRESSORS, parsers: FLAT_PARSERS };
          // a window at the start of a large row group: the chunk's head first, as a writer may put the whole
          // group in one page (reading all of it took most of the time to a file's first rows)
          const head = chunkHeadLength(meta, selectEnd, this.groupStarts[g + 1] - groupStart);
          if (head < range.end - range.start) {
            try {
              const bytes = new Uint8Array(await file.slice(range.start, range.start + head));
              return readFlatWindow(bytes, meta, this.flat[f] as FlatColumn, this.schema, selectStart, selectEnd, { ...options, head: true });
            } catch (e) {
              // the window reaches past the head (or the head cut a page header): the whole chunk says which
              if (signal?.aborted) { throw e; }
            }
          }
          const chunk = new Uint8Array(await file.slice(range.start, range.end));
          return readFlatWindow(chunk, meta, this.flat[f] as FlatColumn, this.schema, selectStart, selectEnd, options);
        }));
        fast.forEach(({ k }, j) => {
          const column = windows[j];
          if (column) { parts[k].push(column); } else { slow.add(k); }
        });
      }
      const out = parts.map(p => (p.length ? concatColumns(p) : undefined));
      if (slow.size) {
        const values = new Map([...slow].map(k => [k, new Array<unknown>(to - from).fill(null)]));
        await this.decodeWithHyparquet(from, to, fieldIndexes, values, signal);
        for (const [k, v] of values) { out[k] = this.plans[fieldIndexes[k]].toColumn(v); }
      }
      throwIfAborted(signal);
      return out as ColumnData[];
    } catch (e) {
      if (isDatasetError(e)) { throw e; }
      throw new DatasetError('corrupt', `corrupt Parquet data: ${messageOf(e)}`, { cause: e });
    }
  }

  /** hyparquet's full reader into `out`'s arrays, by their positions in `fieldIndexes` (nested columns, delta encodings). */
  private async decodeWithHyparquet(from: number, to: number, fieldIndexes: number[], out: Map<number, unknown[]>, signal?: AbortSignal): Promise<void> {
    const byName = new Map<string, number[]>();
    for (const k of out.keys()) {
      const name = this.fields[fieldIndexes[k]].name;
      byName.set(name, [...(byName.get(name) ?? []), k]);
    }
    await parquetRead({
      file: cancellable(this.buffer, signal),
      metadata: this.decodeMetadata,
      columns: [...byName.keys()],
      rowStart: from,
      rowEnd: to,
      compressors: GUARDED_COMPRESSORS,
      parsers: PARQUET_PARSERS,
      utf8: false,
      onChunk: chunk => {
        const targets = byName.get(chunk.columnName);
        if (!targets) { return; }
        const data = chunk.columnData as ArrayLike<unknown>;
        const lo = Math.max(from, chunk.rowStart);
        const hi = Math.min(to, chunk.rowEnd, chunk.rowStart + data.length);
        for (const k of targets) {
          const dest = out.get(k) as unknown[];
          for (let r = lo; r < hi; r++) { dest[r - from] = data[r - chunk.rowStart]; }
        }
      },
    });
  }

  /** The row group holding `row`. */
  private groupAt(row: number): number {
    let lo = 0;
    let hi = this.metadata.row_groups.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.groupStarts[mid] <= row) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }
}

function leafCount(node: SchemaTree): number {
  return node.children.length ? node.children.reduce((s, c) => s + leafCount(c), 0) : 1;
}

/** Every read checks the signal first, so a cancelled scan stops at its next byte range. */
function cancellable(buffer: AsyncBuffer, signal: AbortSignal | undefined): AsyncBuffer {
  if (!signal) { return buffer; }
  return {
    byteLength: buffer.byteLength,
    slice(start, end) {
      throwIfAborted(signal);
      return buffer.slice(start, end);
    },
  };
}

const GUARDED_COMPRESSORS: Compressors = Object.fromEntries(
  Object.entries({
    ...(allCompressors as Compressors),
    // fzstd without an output buffer copies its whole window per block (seconds on files with many small pages)
    ZSTD: (input: Uint8Array, outputLength: number) => decompressZstd(input, new Uint8Array(outputLength)),
  }).map(([codec, inflate]) => [codec, (input: Uint8Array, outputLength: number) => {
    if (!(outputLength >= 0 && outputLength <= MAX_PAGE_BYTES)) {
      throw new DatasetError('corrupt', `corrupt Parquet data: a ${codec} page claims ${outputLength} bytes uncompressed`);
    }
    return inflate(input, outputLength);
  }]),
);
