// Plans a diff from the two versions' schemas and first rows: shared columns (renames included), how
// each is compared, the key (given, the schema's primary key, detected, or none), the columns shown,
// and whether the rows must be partitioned. The plan is plain data, so worker threads can share it.
import { cellDisplay } from '../formats/cellValue';
import type { ColumnBatch } from '../formats/columns';
import type { Dataset, DatasetFormat, Field } from '../formats/dataset';
import { DatasetError, throwIfAborted } from '../formats/errors';
import { compareKind, toleranceApplies, type CompareKind } from './cellCompare';
import type { ColumnStatus, DiffOptions, KeyChoice, SchemaDiff } from './diffTypes';
import { detectKey } from './keyDetection';
import { compareSchemas, jaccard, type ColumnPair } from './schemaDiff';

export const DEFAULT_SAMPLE_ROWS = 10_000;
export const DEFAULT_MEMORY_BYTES = 640 * 1024 * 1024;
export const DEFAULT_MAX_EXAMPLES = 1000;
const MAX_PARTITIONS = 256;

/** One version as the plan sees it. */
export interface PlanSide {
  label: string;
  exists: boolean;
  format: DatasetFormat | null;
  fields: Field[];
  /** Rows as known when planning (an estimate for CSV before its row index). */
  rows: number;
  /** Size in bytes of the stored file, when known (sizes the memory estimate). */
  bytes: number;
}

/** A column of the diff's table: where its cells come from in each version. */
export interface DisplayColumn {
  name: string;
  status: ColumnStatus;
  nameBefore?: string;
  /** Field index in the older / newer version, or -1. */
  a: number;
  b: number;
  /** Index into `pairs`, or -1 for a column only one version has. */
  pair: number;
}

export interface DiffPlan {
  a: PlanSide;
  b: PlanSide;
  schema: SchemaDiff;
  pairs: ColumnPair[];
  /** Per pair: compared by number or by text, and whether `epsilon` applies. */
  kinds: CompareKind[];
  tolerant: boolean[];
  /** Indexes into `pairs` of the key columns; null when rows are matched by content. */
  keyPairs: number[] | null;
  key: KeyChoice;
  columns: DisplayColumn[];
  /** 1: everything in memory; more: rows are split by key hash through a PartitionStore. */
  partitions: number;
  epsilon: number;
  psiThreshold: number;
  ksThreshold: number;
  maxExamples: number;
  warnings: string[];
}

export interface PlanInput {
  dataset: Dataset | null;
  label: string;
  bytes?: number;
}

export async function planDiff(a: PlanInput, b: PlanInput, options: DiffOptions = {}, signal?: AbortSignal): Promise<DiffPlan> {
  const epsilon = options.epsilon ?? 0;
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) { throw new DatasetError('unsupported', `epsilon must be a number ≥ 0, got ${epsilon}`); }
  const sampleRows = Math.max(1, options.sampleRows ?? DEFAULT_SAMPLE_ROWS);
  const [sideA, sampleA] = await describe(a, sampleRows, signal);
  const [sideB, sampleB] = await describe(b, sampleRows, signal);
  throwIfAborted(signal);
  const similarity = (ia: number, ib: number): number => jaccard(sampleValues(sampleA, sideA.fields, ia), sampleValues(sampleB, sideB.fields, ib));
  const cmp = compareSchemas(sideA.fields, sideB.fields, { a: sideA.rows, b: sideB.rows }, similarity);
  const pairs = cmp.pairs;
  const kinds = pairs.map(p => compareKind(sideA.fields[p.a].type, sideB.fields[p.b].type));
  const tolerant = pairs.map(p => toleranceApplies(sideA.fields[p.a].type, sideB.fields[p.b].type));
  const warnings: string[] = [];
  const { keyPairs, key } = chooseKey(options, pairs, sideA, sideB, sampleA, sampleB, warnings);

  const columns: DisplayColumn[] = sideB.fields.map((f, ib) => {
    const k = pairs.findIndex(p => p.b === ib);
    if (k < 0) { return { name: f.name, status: 'added', a: -1, b: ib, pair: -1 }; }
    const p = pairs[k];
    return p.renamed
      ? { name: f.name, status: 'renamed', nameBefore: sideA.fields[p.a].name, a: p.a, b: ib, pair: k }
      : { name: f.name, status: 'common', a: p.a, b: ib, pair: k };
  });
  for (const ia of cmp.removedA) { columns.push({ name: sideA.fields[ia].name, status: 'removed', a: ia, b: -1, pair: -1 }); }

  return {
    a: sideA,
    b: sideB,
    schema: cmp.schema,
    pairs,
    kinds,
    tolerant,
    keyPairs,
    key,
    columns,
    partitions: options.partitions ?? partitionCount(sideA, sideB, options.memoryBytes ?? DEFAULT_MEMORY_BYTES),
    epsilon,
    psiThreshold: options.psiThreshold ?? 0.2,
    ksThreshold: options.ksThreshold ?? 0.1,
    maxExamples: Math.max(0, options.maxExamples ?? DEFAULT_MAX_EXAMPLES),
    warnings,
  };
}

async function describe(input: PlanInput, rows: number, signal?: AbortSignal): Promise<[PlanSide, ColumnBatch | null]> {
  const d = input.dataset;
  if (!d) {
    return [{ label: input.label, exists: false, format: null, fields: [], rows: 0, bytes: 0 }, null];
  }
  const sample = d.fields.length > 0 ? await d.readRows(0, rows, undefined, signal) : null;
  // a dataset smaller than the sample is now known exactly
  const known = sample && sample.rowCount < rows ? sample.rowCount : d.rowCount.value;
  return [{ label: input.label, exists: true, format: d.format, fields: d.fields.map(f => ({ ...f })), rows: known, bytes: input.bytes ?? 0 }, sample];
}

function sampleValues(batch: ColumnBatch | null, fields: readonly Field[], field: number): Set<string> {
  const out = new Set<string>();
  if (!batch) { return out; }
  const at = batch.fieldIndexes.indexOf(field);
  const col = batch.columns[at];
  for (let i = 0; i < batch.rowCount; i++) {
    const v = cellDisplay(col, i, fields[field]);
    if (v !== null && v !== '') { out.add(v); }
  }
  return out;
}

function chooseKey(
  options: DiffOptions, pairs: readonly ColumnPair[], a: PlanSide, b: PlanSide,
  sampleA: ColumnBatch | null, sampleB: ColumnBatch | null, warnings: string[],
): { keyPairs: number[] | null; key: KeyChoice } {
  const names = (ks: number[]): string[] => ks.map(k => b.fields[pairs[k].b].name);
  if (pairs.length === 0) {
    const note = a.exists && b.exists ? 'the two versions share no column: every row counts as removed and added' : 'one version does not exist';
    return { keyPairs: null, key: { columns: null, source: 'content', note } };
  }
  const resolve = (wanted: readonly string[]): { found: number[]; missing: string[] } => {
    const found: number[] = [];
    const missing: string[] = [];
    for (const w of wanted) {
      const k = pairs.findIndex(p => b.fields[p.b].name === w || a.fields[p.a].name === w);
      if (k < 0) { missing.push(w); } else if (!found.includes(k)) { found.push(k); }
    }
    return { found, missing };
  };
  if (options.key && options.key.length > 0) {
    const { found, missing } = resolve(options.key);
    if (missing.length) {
      const where = (n: string): string => !b.fields.some(f => f.name === n) ? (b.exists ? b.label : 'the newer version') : a.label;
      throw new DatasetError('unsupported', `key column${missing.length > 1 ? 's' : ''} ${missing.map(m => `'${m}'`).join(', ')} not in both versions (missing in ${where(missing[0])})`);
    }
    return { keyPairs: found, key: { columns: names(found), source: 'option', note: `key given: ${names(found).join(', ')}` } };
  }
  if (options.primaryKey && options.primaryKey.length > 0) {
    const { found, missing } = resolve(options.primaryKey);
    if (!missing.length) {
      return { keyPairs: found, key: { columns: names(found), source: 'primaryKey', note: `the schema's primary key: ${names(found).join(', ')}` } };
    }
    warnings.push(`the schema's primary key (${options.primaryKey.join(', ')}) is not in both versions; looking for another key`);
  }
  const emptyBatch = (fields: readonly Field[]): ColumnBatch => ({ rowStart: 0, rowCount: 0, fieldIndexes: fields.map((_, i) => i), columns: [] });
  const detected = detectKey(pairs,
    { fields: a.fields, batch: sampleA ?? emptyBatch(a.fields) },
    { fields: b.fields, batch: sampleB ?? emptyBatch(b.fields) });
  if (detected && sampleA && sampleB && (sampleA.rowCount > 0 || sampleB.rowCount > 0)) {
    const n = names(detected);
    return {
      keyPairs: detected,
      key: { columns: n, source: 'detected', note: `detected: ${n.map(x => `'${x}'`).join(' + ')} ${n.length > 1 ? 'are' : 'is'} present and unique in both versions` },
    };
  }
  return {
    keyPairs: null,
    key: { columns: null, source: 'content', note: 'no column or pair of columns is present and unique in both versions: rows matched by content' },
  };
}

/** Partitions needed so that each one's rows (both versions) fit in half the memory budget. */
export function partitionCount(a: PlanSide, b: PlanSide, memoryBytes: number): number {
  const est = estimateBytes(a) + estimateBytes(b);
  if (est <= memoryBytes) { return 1; }
  let p = 2;
  while (p < MAX_PARTITIONS && est / p > memoryBytes / 2) { p *= 2; }
  return p;
}

/** Bytes a version takes as kept row blocks: its cells (at least the file's bytes), offsets and validity, hashes. */
export function estimateBytes(s: PlanSide): number {
  const cols = s.fields.length;
  return Math.max(s.bytes, s.rows * cols * 8) + s.rows * (cols * 5 + 48);
}
