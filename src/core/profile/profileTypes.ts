// The profile of a dataset as plain, JSON-serializable data: what the CLI prints, the export writes
// and the preview maps to its DTO. Every statistic that can be undefined is `number | null`.
import type { LogicalType } from '../formats/dataset';
import type { DateUnit } from './dateCounter';

/** ydata-profiling's alert names, for the subset Strata computes. */
export type ProfileAlert =
  | 'CONSTANT' | 'ZEROS' | 'HIGH_CARDINALITY' | 'DUPLICATES' | 'SKEWED' | 'IMBALANCE'
  | 'MISSING' | 'INFINITE' | 'UNIQUE' | 'CONSTANT_LENGTH' | 'EMPTY';

export interface ValueCount {
  /**
   * The value as text: numbers in JavaScript's shortest form, or as written when a double would round them; dates
   * and datetimes as ISO-8601 (as `DateProfile.min`), times of day as `HH:MM:SS[.fff]`.
   */
  value: string;
  count: number;
}

export interface Quantiles {
  p1: number | null; p5: number | null; p25: number | null; p50: number | null;
  p75: number | null; p95: number | null; p99: number | null;
}

export interface NumberProfile {
  /** For time columns, numbers are milliseconds since midnight (top values are `HH:MM:SS[.fff]`). */
  min: number | null;
  max: number | null;
  /**
   * `min` and `max` as written, every digit kept, when they are whole numbers beyond ±2^53 (which a double may
   * round); null otherwise.
   */
  minExact: string | null;
  maxExact: string | null;
  mean: number | null;
  std: number | null;
  variance: number | null;
  sum: number | null;
  skewness: number | null;
  kurtosis: number | null;
  range: number | null;
  iqr: number | null;
  /** Coefficient of variation, std / mean. */
  cv: number | null;
  quantiles: Quantiles;
  /** False when computed from exact value counts; true when read from the KLL sketch. */
  quantilesApprox: boolean;
  zeros: number;
  negatives: number;
  infinite: number;
  /** Equal-width bins over [min, max]: bin i is [edges[i], edges[i+1]), the last bin closed. */
  histogram: { edges: number[]; counts: number[]; approx: boolean };
  /** IQR rule: values below `lower` = Q1 - 1.5·IQR or above `upper` = Q3 + 1.5·IQR. */
  outliers: { count: number; lower: number | null; upper: number | null; approx: boolean };
}

export interface StringProfile {
  /** Lengths in Unicode code points. */
  minLength: number | null;
  maxLength: number | null;
  meanLength: number | null;
  /** Values of length 0 (not missing). */
  empty: number;
  /** Values made only of spaces, tabs and line breaks. */
  whitespace: number;
  /** Shapes: letters → `A`/`a`, digits → `9`, runs of each collapsed, punctuation kept (up to 10). */
  patterns: ValueCount[];
  patternsApprox: boolean;
  /** Distinct shapes seen (an estimate when `patternsApprox`). */
  patternCount: number;
}

export interface DateProfile {
  /**
   * ISO-8601: `YYYY-MM-DD` for dates, `...T...Z` for datetimes (with microseconds when present), without the `Z`
   * for wall-clock times (a Parquet or Arrow timestamp without a zone, text datetimes none of which has a zone).
   */
  min: string | null;
  max: string | null;
  /** The histogram's period, the finest that needs at most 120 bins over the range. */
  period: DateUnit;
  histogram: { start: string; count: number }[];
  /** Periods of `unit` (the finest kept, e.g. days) between min and max holding no value. */
  gaps: { unit: DateUnit; count: number; largest: { from: string; to: string; periods: number } | null };
}

export interface ColumnProfile {
  /** Index of the field in the dataset. */
  field: number;
  name: string;
  /** The type the dataset declares (for CSV: inferred from a sample). */
  type: LogicalType;
  /** The type the statistics are computed as (the declared type; a later pass may refine it). */
  inferredType: LogicalType;
  /** Non-missing values (including those that do not parse as the type). */
  count: number;
  missing: number;
  /** Distinct non-missing values: exact up to the bound, else HyperLogLog (`distinctApprox`). */
  distinct: number;
  distinctApprox: boolean;
  /** Values that occur exactly once (estimated from the sampled value table beyond the bound). */
  unique: number;
  /** Share 0..1 of non-missing values that parse as `type`; null where the type is not checked (text). */
  typeConsistency: number | null;
  /** Non-missing values that do not parse as `type`, and up to 5 of them. */
  invalid: number;
  invalidExamples: string[];
  /** Up to 10 most frequent values; exact counts unless `topApprox` (Misra-Gries lower bounds). */
  top: ValueCount[];
  topApprox: boolean;
  number?: NumberProfile;
  string?: StringProfile;
  date?: DateProfile;
  /** Estimated bytes of this column as in-memory arrays (8 bytes per number, UTF-8 bytes + 4 per text, 1 per validity). */
  memoryBytes: number;
  alerts: ProfileAlert[];
}

export type QualityDimensionName = 'completeness' | 'uniqueness' | 'validity' | 'consistency' | 'timeliness' | 'accuracy';

export interface QualityDimension {
  /** 0..1, or null when not assessed. */
  score: number | null;
  /** What was measured, one sentence. */
  measured: string;
  /** Columns that pull the score down most, worst first (up to 5). */
  worstColumns: string[];
}

export type QualitySummary = Record<QualityDimensionName, QualityDimension>;

export interface ProfileBounds {
  /** Distinct values counted exactly per column up to this many. */
  exactDistinct: number;
  /** HyperLogLog relative standard error beyond it. */
  hllRelativeError: number;
  /** KLL's k and its normalized rank error (99% confidence). */
  kllK: number;
  kllRankError: number;
  /** Distinct rows tracked exactly for duplicate detection; beyond, a hash sample is scaled up. */
  exactRows: number;
}

export interface DatasetProfile {
  /** Version of this JSON shape; bumped on incompatible changes. */
  profileVersion: 1;
  /** True for figures from the first rows only (`quickProfile`); false for a full pass. */
  sample: boolean;
  /** Rows the figures were computed from. */
  rowsProfiled: number;
  /** The dataset's row count (an estimate when `exact` is false). */
  rows: { value: number; exact: boolean };
  /** Columns profiled. */
  columns: number;
  /** Rows equal (over the profiled columns) to an earlier row; estimated when `duplicateRowsExact` is false. */
  duplicateRows: number | null;
  duplicateRowsExact: boolean;
  /** Sum of the columns' memory estimates. */
  memoryBytes: number | null;
  columnProfiles: ColumnProfile[];
  quality: QualitySummary;
  /** Dataset-level alerts (DUPLICATES, EMPTY). */
  alerts: ProfileAlert[];
  bounds: ProfileBounds;
  /** Wall time of the pass in milliseconds. */
  elapsedMs: number;
}
