// Scans one version for a diff: every row's key hash and row hash (over the shared columns), the
// shared columns' profile accumulators (for drift), and the rows themselves, kept in memory as row
// blocks or, when the plan partitions, encoded to a PartitionStore by key hash.
import type { ColumnBatch } from '../formats/columns';
import type { Dataset, ScanProgress } from '../formats/dataset';
import { DatasetError, throwIfAborted } from '../formats/errors';
import { bigintAsNumbers, foldExactIntegers, foldKeyColumn } from './cellCompare';
import { DriftAccumulator, driftKind, type CellHashes, type DriftAccumulatorState } from './driftAccumulator';
import type { DiffPlan } from './diffPlan';
import type { DiffSide } from './diffTypes';
import type { PartitionStore } from './partitionStore';
import { compactColumn, encodeBlock, partitionBlock, type RowBlock } from './rowBlock';

/** What a scan leaves for the join: plain data (transferable typed arrays), so it can cross threads. */
export interface SideScan {
  side: DiffSide;
  rows: number;
  /** The rows, when the plan keeps them in memory (one partition); null when they went to the store. */
  blocks: RowBlock[] | null;
  /** Per shared column (in pair order): its drift figures. */
  columns: DriftAccumulatorState[];
  /** Rows whose key had a missing cell. */
  keyMissing: number;
  warnings: string[];
}

export interface ScanSideOptions {
  store?: PartitionStore;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  batchRows?: number;
}

/** Bytes buffered per partition before they are appended to the store. */
const FLUSH_BYTES = 2 * 1024 * 1024;
const MAX_WARNINGS = 20;

export async function scanSide(dataset: Dataset | null, plan: DiffPlan, side: DiffSide, options: ScanSideOptions = {}): Promise<SideScan> {
  const info = side === 'a' ? plan.a : plan.b;
  const fieldOf = (k: number): number => (side === 'a' ? plan.pairs[k].a : plan.pairs[k].b);
  const accs = plan.pairs.map((_, k) => new DriftAccumulator(info.fields[fieldOf(k)].type, driftKind(info.fields[fieldOf(k)].type, plan.kinds[k]), k + 1));
  const keyFields = plan.keyPairs?.map(fieldOf) ?? null;
  const keyPairs = plan.keyPairs ?? [];
  // a drift pass hashes a cell as the key does when both take it by the column's compare kind
  const keyReusable = keyPairs.map(k => (accs[k].kind === 'text') === (plan.kinds[k] === 'text'));
  const parts = plan.partitions;
  if (parts > 1 && !options.store) { throw new DatasetError('unsupported', `this diff needs ${parts} partitions but no partition store was given`); }
  if (parts & (parts - 1)) { throw new DatasetError('unsupported', `partitions must be a power of two, got ${parts}`); }
  const blocks: RowBlock[] = [];
  const pending: Uint8Array[][] = Array.from({ length: parts }, () => []);
  const pendingBytes = new Float64Array(parts);
  let rows = 0;
  let keyMissing = 0;

  const flush = async (p: number): Promise<void> => {
    if (pending[p].length === 0 || !options.store) { return; }
    const chunk = pending[p].length === 1 ? pending[p][0] : concat(pending[p], pendingBytes[p]);
    pending[p] = [];
    pendingBytes[p] = 0;
    await options.store.append(side, p, chunk);
  };

  const onBatch = async (batch: ColumnBatch): Promise<void> => {
    throwIfAborted(options.signal);
    const n = batch.rowCount;
    if (n === 0) { return; }
    const columns = info.fields.map((_, f) => {
      const at = batch.fieldIndexes.indexOf(f);
      if (at < 0) { throw new DatasetError('corrupt', `a batch of ${info.label} lacks column ${info.fields[f].name}`); }
      return batch.columns[at];
    });
    const hash = new Uint32Array(2 * n);
    // the key columns' cell hashes are kept as the drift pass takes them, so keys are not parsed twice
    const cells: CellHashes[] = keyPairs.map(() => ({ hash: new Uint32Array(2 * n), redo: new Uint8Array(n) }));
    accs.forEach((acc, k) => {
      const f = fieldOf(k);
      const at = keyPairs.indexOf(k);
      acc.add(bigintAsNumbers(columns[f]), info.fields[f], hash, at >= 0 && keyReusable[at] ? cells[at] : undefined);
      foldExactIntegers(columns[f], info.fields[f], hash);
    });
    let key = hash;
    let missing: Uint8Array | null = null;
    if (keyFields) {
      key = new Uint32Array(2 * n);
      const marks = new Uint8Array(n);
      let nulls = 0;
      keyFields.forEach((f, j) => { nulls += foldKeyColumn(columns[f], info.fields[f], plan.kinds[keyPairs[j]], key, marks, keyReusable[j] ? cells[j] : undefined); });
      keyMissing += nulls;
      if (nulls > 0) { missing = marks; }
    }
    const block: RowBlock = { rows: n, ordinal: null, firstRow: batch.rowStart, key, hash, keyMissing: missing, columns };
    rows += n;
    if (parts === 1) { blocks.push({ ...block, columns: block.columns.map(compactColumn) }); return; }
    const split = partitionBlock(block, parts);
    for (let p = 0; p < parts; p++) {
      if (split[p].rows === 0) { continue; }
      const bytes = encodeBlock(split[p]);
      pending[p].push(bytes);
      pendingBytes[p] += bytes.length;
      if (pendingBytes[p] >= FLUSH_BYTES) { await flush(p); }
    }
  };

  if (dataset && info.fields.length > 0) {
    await dataset.scan(undefined, onBatch, { signal: options.signal, onProgress: options.onProgress, batchRows: options.batchRows });
  }
  for (let p = 0; p < parts; p++) { await flush(p); }
  const warnings = dataset ? dataset.warnings.slice(0, MAX_WARNINGS).map(w => `${info.label}: ${w.message}`) : [];
  if (dataset && dataset.warnings.length > MAX_WARNINGS) { warnings.push(`${info.label}: … and ${dataset.warnings.length - MAX_WARNINGS} more warnings`); }
  return { side, rows, blocks: parts === 1 ? blocks : null, columns: accs.map(a => a.toState()), keyMissing, warnings };
}

function concat(list: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const b of list) { out.set(b, at); at += b.length; }
  return out;
}
