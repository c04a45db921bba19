// Profiles a dataset: the streaming `DatasetProfiler` over column batches, its serializable partial
// state (for worker threads that each profile a row range and a host that merges them), and the
// entry points `profileDataset`, `quickProfile`, `profileRowRange` and `mergeProfiles`.
import { sliceBatch, type ColumnBatch } from '../formats/columns';
import { scanRowRange, type Dataset, type Field, type RowCount, type ScanProgress } from '../formats/dataset';
import { DatasetError, nextTurn, throwIfAborted } from '../formats/errors';
import { ColumnAccumulator, type ColumnAccumulatorOptions, type ColumnAccumulatorState } from './columnAccumulator';
import { columnResult } from './columnResult';
import { DEFAULT_EXACT_ROWS, DuplicateRows, type DuplicateRowsState } from './duplicateRows';
import { HLL_RELATIVE_ERROR } from './hyperLogLog';
import { KLL_DEFAULT_K, KLL_RANK_ERROR } from './kllSketch';
import type { DatasetProfile } from './profileTypes';
import { datasetAlerts, qualitySummary, type QualityOptions } from './qualitySummary';
import { DEFAULT_EXACT_BOUND } from './valueCounter';

export interface ProfilerOptions extends ColumnAccumulatorOptions {
  /** Distinct rows tracked exactly for duplicate detection (default 262,144). */
  exactRows?: number;
  /** Count duplicate rows (default true). */
  duplicateRows?: boolean;
}

/** A profile in progress, as plain data that survives structured cloning (postMessage). */
export interface PartialProfile {
  kind: 'strata.partialProfile';
  /** Field indexes profiled, in order. */
  fields: number[];
  columns: ColumnAccumulatorState[];
  duplicates: DuplicateRowsState | null;
  rows: number;
  options: ProfilerOptions;
}

export class DatasetProfiler {
  readonly fieldIndexes: number[];
  private columns: ColumnAccumulator[];
  private duplicates: DuplicateRows | null;
  rows = 0;
  private rowHash = new Uint32Array(0);

  readonly options: ProfilerOptions;

  /**
   * `options` may carry a caller's other settings (a signal, a progress callback): only the profiler's own are kept,
   * as they travel in the partial state, which must survive structured cloning.
   */
  constructor(fields: readonly Field[], columns: readonly number[] | undefined, options: ProfilerOptions = {}) {
    const { exactBound, kllK, heavyHitters, exactRows, duplicateRows } = options;
    this.options = Object.fromEntries(Object.entries({ exactBound, kllK, heavyHitters, exactRows, duplicateRows }).filter(([, v]) => v !== undefined));
    this.fieldIndexes = columns ? [...columns] : fields.map((_, i) => i);
    for (const i of this.fieldIndexes) {
      if (!Number.isInteger(i) || i < 0 || i >= fields.length) { throw new DatasetError('unsupported', `no column ${i} (the dataset has ${fields.length})`); }
    }
    this.columns = this.fieldIndexes.map(i => ColumnAccumulator.forField(fields[i], i, options));
    this.duplicates = options.duplicateRows === false ? null : new DuplicateRows(options.exactRows ?? DEFAULT_EXACT_ROWS);
  }

  add(batch: ColumnBatch): void {
    const n = batch.rowCount;
    if (n === 0) { return; }
    let rowHash: Uint32Array | null = null;
    if (this.duplicates) {
      if (this.rowHash.length < 2 * n) { this.rowHash = new Uint32Array(2 * n); }
      rowHash = this.rowHash;
      rowHash.fill(0, 0, 2 * n);
    }
    for (const acc of this.columns) {
      const at = batch.fieldIndexes.indexOf(acc.field);
      if (at < 0) { throw new DatasetError('corrupt', `a batch lacks column ${acc.name}`); }
      acc.add(batch.columns[at], rowHash);
    }
    if (this.duplicates && rowHash) { this.duplicates.addHashes(rowHash, n); }
    this.rows += n;
  }

  /** Adds another profiler's figures (e.g. of the next row range); both must profile the same columns. */
  merge(other: DatasetProfiler): void {
    this.mergePartial(other.toPartial());
  }

  /** Adds a partial profile's figures straight from its state (what a worker posted). */
  mergePartial(p: PartialProfile): void {
    if (!p || p.kind !== 'strata.partialProfile') { throw new DatasetError('corrupt', 'not a partial profile'); }
    if (p.fields.join() !== this.fieldIndexes.join()) { throw new DatasetError('unsupported', 'cannot merge profiles of different columns'); }
    this.columns.forEach((c, i) => c.mergeState(p.columns[i]));
    if (this.duplicates && p.duplicates) { this.duplicates.mergeState(p.duplicates); } else { this.duplicates = null; }
    this.rows += p.rows;
  }

  toPartial(): PartialProfile {
    return {
      kind: 'strata.partialProfile',
      fields: this.fieldIndexes.slice(),
      columns: this.columns.map(c => c.toState()),
      duplicates: this.duplicates ? this.duplicates.toState() : null,
      rows: this.rows,
      options: { ...this.options },
    };
  }

  static fromPartial(p: PartialProfile): DatasetProfiler {
    if (!p || p.kind !== 'strata.partialProfile') { throw new DatasetError('corrupt', 'not a partial profile'); }
    const fields: Field[] = [];
    for (const c of p.columns) { fields[c.field] = { name: c.name, type: c.type, nullable: true }; }
    for (let i = 0; i < fields.length; i++) { fields[i] ??= { name: '', type: 'string', nullable: true }; }
    const prof = new DatasetProfiler(fields, p.fields, p.options);
    prof.columns = p.columns.map(s => ColumnAccumulator.fromState(s));
    prof.duplicates = p.duplicates ? DuplicateRows.fromState(p.duplicates) : null;
    prof.rows = p.rows;
    return prof;
  }

  result(meta: { rows?: RowCount; sample: boolean; elapsedMs: number; quality?: QualityOptions }): DatasetProfile {
    const columnProfiles = this.columns.map(c => columnResult(c));
    const duplicateRows = this.duplicates ? this.duplicates.duplicates() : null;
    const facts = { rows: this.rows, duplicateRows, duplicateRowsExact: this.duplicates?.exact ?? false };
    return {
      profileVersion: 1,
      sample: meta.sample,
      rowsProfiled: this.rows,
      rows: meta.rows ?? { value: this.rows, exact: true },
      columns: columnProfiles.length,
      duplicateRows,
      duplicateRowsExact: facts.duplicateRowsExact,
      memoryBytes: columnProfiles.reduce((a, c) => a + c.memoryBytes, 0),
      columnProfiles,
      quality: qualitySummary(columnProfiles, facts, meta.quality),
      alerts: datasetAlerts(facts, columnProfiles.length),
      bounds: {
        exactDistinct: this.options.exactBound ?? DEFAULT_EXACT_BOUND,
        hllRelativeError: HLL_RELATIVE_ERROR,
        kllK: this.options.kllK ?? KLL_DEFAULT_K,
        kllRankError: (this.options.kllK ?? KLL_DEFAULT_K) === KLL_DEFAULT_K ? KLL_RANK_ERROR : 2.296 / Math.pow(this.options.kllK as number, 0.9723),
        exactRows: this.options.exactRows ?? DEFAULT_EXACT_ROWS,
      },
      elapsedMs: meta.elapsedMs,
    };
  }
}

export interface ProfileProgress {
  rowsDone: number;
  /** Estimated or exact total rows, when known. */
  rowsTotal: number | null;
  bytesDone: number;
  bytesTotal: number;
}

export interface ProfileDatasetOptions extends ProfilerOptions {
  /** Field indexes to profile (default: all). */
  columns?: number[];
  signal?: AbortSignal;
  onProgress?: (p: ProfileProgress) => void;
  /** Profile only the first `sampleRows` rows (the result is marked `sample: true`). */
  sampleRows?: number;
  batchRows?: number;
  quality?: QualityOptions;
}

/** The full pass: every row, streamed in batches, cancellable, with progress. */
export async function profileDataset(dataset: Dataset, options: ProfileDatasetOptions = {}): Promise<DatasetProfile> {
  if (options.sampleRows !== undefined) { return quickProfile(dataset, { ...options, rows: options.sampleRows }); }
  const started = Date.now();
  const profiler = new DatasetProfiler(dataset.fields, options.columns, options);
  throwIfAborted(options.signal);
  await dataset.scan(profiler.fieldIndexes, batch => {
    throwIfAborted(options.signal);
    profiler.add(batch);
  }, {
    signal: options.signal,
    batchRows: options.batchRows,
    // the profiler keeps no cell of a batch (representative values are made before add returns)
    reuseBatches: true,
    onProgress: options.onProgress
      ? (p: ScanProgress) => options.onProgress!({ ...p, rowsTotal: dataset.rowCount.value })
      : undefined,
  });
  throwIfAborted(options.signal);
  return profiler.result({
    rows: { value: profiler.rows, exact: true },
    sample: false,
    elapsedMs: Date.now() - started,
    quality: options.quality,
  });
}

export interface QuickProfileOptions extends ProfilerOptions {
  /** Rows to read from the start (default 10,000). */
  rows?: number;
  columns?: number[];
  signal?: AbortSignal;
  quality?: QualityOptions;
}

/** Quick figures from the first rows only (one windowed read, never the whole file); `sample: true`. */
/** Rows the quick profile adds between two turns of the event loop. */
const QUICK_SLICE_ROWS = 1000;

export async function quickProfile(dataset: Dataset, options: QuickProfileOptions = {}): Promise<DatasetProfile> {
  const started = Date.now();
  const want = options.rows ?? 10_000;
  if (!(want > 0)) { throw new DatasetError('unsupported', `sample rows must be positive, got ${want}`); }
  const profiler = new DatasetProfiler(dataset.fields, options.columns, options);
  throwIfAborted(options.signal);
  const count = dataset.rowCount.exact ? Math.min(want, dataset.rowCount.value) : want;
  if (count > 0) {
    const batch = await dataset.readRows(0, count, profiler.fieldIndexes, options.signal);
    // in slices, with a turn of the event loop between them, so that the thread running it (the preview's, which
    // also answers row requests) hears other requests and cancels between slices
    for (let at = 0; at < batch.rowCount; at += QUICK_SLICE_ROWS) {
      if (at > 0) { await nextTurn(); }
      throwIfAborted(options.signal);
      profiler.add(sliceBatch(batch, at, at + QUICK_SLICE_ROWS));
    }
  }
  throwIfAborted(options.signal);
  const complete = dataset.rowCount.exact && profiler.rows >= dataset.rowCount.value;
  return profiler.result({ rows: dataset.rowCount, sample: !complete, elapsedMs: Date.now() - started, quality: options.quality });
}

export interface RowRangeOptions extends ProfilerOptions {
  /** First row (0-based) and end row (exclusive). */
  start: number;
  end: number;
  columns?: number[];
  signal?: AbortSignal;
  onProgress?: (rowsDone: number) => void;
  /** Rows per read (default 65,536). */
  batchRows?: number;
}

/** Profiles rows [start, end) (by a row-range scan where the dataset has one, else by windowed reads) and returns the mergeable partial state (for a worker). */
export async function profileRowRange(dataset: Dataset, options: RowRangeOptions): Promise<PartialProfile> {
  const { start, end } = options;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
    throw new DatasetError('unsupported', `bad row range [${start}, ${end})`);
  }
  const profiler = new DatasetProfiler(dataset.fields, options.columns, options);
  await scanRowRange(dataset, start, end, profiler.fieldIndexes, batch => {
    throwIfAborted(options.signal);
    profiler.add(batch);
    options.onProgress?.(batch.rowStart + batch.rowCount - start);
  }, { signal: options.signal, batchRows: options.batchRows ?? 65_536, reuseBatches: true });
  throwIfAborted(options.signal);
  return profiler.toPartial();
}

/**
 * Profiles whatever batches `feed` delivers (e.g. a CSV byte range: `onBatch => csv.scanRange(range,
 * columns, onBatch, { signal, reuseBatches: true })`: the profiler keeps no cell of a batch) and returns the
 * mergeable partial state. For a worker thread.
 */
export async function profilePartial(fields: readonly Field[], options: ProfilerOptions & { columns?: number[]; signal?: AbortSignal },
  feed: (columns: number[], onBatch: (batch: ColumnBatch) => void) => Promise<void>): Promise<PartialProfile> {
  const profiler = new DatasetProfiler(fields, options.columns, options);
  await feed(profiler.fieldIndexes, batch => {
    throwIfAborted(options.signal);
    profiler.add(batch);
  });
  throwIfAborted(options.signal);
  return profiler.toPartial();
}

/** Merges partial profiles of consecutive row ranges (in row order) into one finished profile. */
export function mergeProfiles(partials: readonly PartialProfile[], meta: { rows?: RowCount; elapsedMs?: number; quality?: QualityOptions; sample?: boolean } = {}): DatasetProfile {
  if (partials.length === 0) { throw new DatasetError('empty', 'no partial profiles to merge'); }
  const acc = DatasetProfiler.fromPartial(partials[0]);
  for (let i = 1; i < partials.length; i++) { acc.mergePartial(partials[i]); }
  return acc.result({ rows: meta.rows, sample: meta.sample ?? false, elapsedMs: meta.elapsedMs ?? 0, quality: meta.quality });
}
