// The result of a dataset diff as plain, JSON-serializable data, and the options that shape it.
import type { DatasetFormat, LogicalType } from '../formats/dataset';

export interface DiffOptions {
  /** Columns that identify a row (`--key`); wins over the schema's primary key and detection. */
  key?: readonly string[];
  /** The Table Schema's `primaryKey`, when the caller found a schema. */
  primaryKey?: readonly string[];
  /** Numeric cells differing by at most this much are equal (default 0). */
  epsilon?: number;
  /** A column whose PSI reaches this is drifted (default 0.2). */
  psiThreshold?: number;
  /** A numeric column whose Kolmogorov–Smirnov statistic reaches this is drifted (default 0.1). */
  ksThreshold?: number;
  /** Rows of each change type kept with their values (default 1,000); counts always cover every row. */
  maxExamples?: number;
  /** Rows read from each side to detect a key and renamed columns (default 10,000). */
  sampleRows?: number;
  /** Estimated bytes the two sides may take in memory before they are partitioned (default 640 MB). */
  memoryBytes?: number;
  /** Forces a partition count (a power of two; 1 keeps everything in one piece). */
  partitions?: number;
}

export type DiffSide = 'a' | 'b';

/** How rows were matched. */
export type KeySource = 'option' | 'primaryKey' | 'detected' | 'content';

export interface KeyChoice {
  /** Key column names (as in the newer version), or null when rows were matched by content. */
  columns: string[] | null;
  source: KeySource;
  /** Why this key (or why none), one sentence. */
  note: string;
}

export interface SideInfo {
  label: string;
  /** False when the dataset does not exist in this version (every row then counts as added or removed). */
  exists: boolean;
  format: DatasetFormat | null;
  rows: number;
  columns: number;
}

export interface SchemaDiff {
  rowsBefore: number;
  rowsAfter: number;
  columnsBefore: number;
  columnsAfter: number;
  added: string[];
  removed: string[];
  renamed: { from: string; to: string }[];
  /** Common columns whose order relative to the others changed. */
  reordered: string[];
  typeChanged: { name: string; from: LogicalType; to: LogicalType }[];
  /** Common columns of one type whose values are written differently (see writtenFormat): `1234.5` → `1,234.5`. */
  formatChanged: { name: string; type: LogicalType; from: string; to: string }[];
}

export interface RowCounts {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}

/** A cell as display text; null when missing. */
export type CellText = string | null;

export type ChangeType = 'added' | 'removed' | 'changed';

/** One changed, added or removed row, with its values over `DatasetDiff.columns`. */
export interface RowChange {
  type: ChangeType;
  /** 0-based data row in the older / newer version (null on the side the row is absent from). */
  rowA: number | null;
  rowB: number | null;
  /** Key values (display text), when rows were matched by key. */
  key: CellText[] | null;
  /**
   * Values parallel to `DatasetDiff.columns`: the newer value (added, changed) or the older one (removed);
   * null for a column the row's version lacks.
   */
  values: CellText[];
  /** For changed rows: indexes into `columns` of the changed cells, and their older values (parallel). */
  changed?: number[];
  old?: CellText[];
}

export type ColumnStatus = 'common' | 'added' | 'removed' | 'renamed';

export interface ColumnStats {
  rows: number;
  missing: number;
  /** missing / rows (0 when there are no rows). */
  missingShare: number;
  distinct: number;
  distinctApprox: boolean;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  /** p5, p25, p50, p75, p95 (null for text columns). */
  quantiles: { p5: number | null; p25: number | null; p50: number | null; p75: number | null; p95: number | null } | null;
}

/** Side-by-side histogram: shares (0..1) of each version's rows per bin, on shared bins. */
export interface DriftHistogram {
  labels: string[];
  before: number[];
  after: number[];
}

export interface ColumnDrift {
  kind: 'numeric' | 'categorical';
  before: ColumnStats;
  after: ColumnStats;
  /** Population Stability Index (numeric: on the older version's deciles; categorical: on its categories). */
  psi: number | null;
  /** Kolmogorov–Smirnov statistic (numeric and temporal columns). */
  ks: number | null;
  drifted: boolean;
  histogram: DriftHistogram | null;
}

export interface DiffColumn {
  /** The name in the newer version (the older one for removed columns). */
  name: string;
  status: ColumnStatus;
  /** The older name, for renamed columns. */
  nameBefore?: string;
  typeBefore: LogicalType | null;
  typeAfter: LogicalType | null;
  /** Cells that differ in changed rows (common and renamed columns). */
  changedCells: number;
  drift: ColumnDrift | null;
}

export interface DuplicateKeys {
  /** Rows sharing a key with an earlier row, per version. */
  a: number;
  b: number;
  /** Rows whose key has a missing cell, per version. */
  missingA: number;
  missingB: number;
  /** A few duplicated keys (display text). */
  examples: { side: DiffSide; key: CellText[]; rows: number[] }[];
}

export interface DatasetDiff {
  /** Version of this shape; bumped on incompatible changes. */
  diffVersion: 1;
  a: SideInfo;
  b: SideInfo;
  /** Same columns, types and rows (up to epsilon), with rows in any order. */
  identical: boolean;
  key: KeyChoice;
  schema: SchemaDiff;
  rows: RowCounts;
  columns: DiffColumn[];
  /** Set when the key had duplicate or missing values (rows were then matched by content). */
  duplicateKeys: DuplicateKeys | null;
  /** Up to `maxExamples` rows of each change type, ordered by row. */
  changes: RowChange[];
  /** Rows of each type left out of `changes`. */
  omitted: RowCounts;
  epsilon: number;
  thresholds: { psi: number; ks: number };
  warnings: string[];
  /** Partitions the rows were split into (1: all in memory). */
  partitions: number;
  elapsedMs: number;
}

export interface DiffProgress {
  phase: 'plan' | 'scan' | 'join' | 'drift';
  side?: DiffSide;
  done: number;
  total: number;
  unit: 'bytes' | 'rows' | 'partitions';
}
