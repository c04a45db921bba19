// Jobs of a preview session thread: it keeps datasets open (with their row index and computed views) between requests.
import type { ColumnBatch } from '../../core/formats/columns';
import type { CsvReading } from '../../core/formats/csv/csvDataset';
import type { DatasetFormat, Field, RowCount } from '../../core/formats/dataset';
import type { ViewDefinition } from '../../core/view/computeView';
import type { PartialProfile } from '../../core/profile/datasetProfiler';
import type { DatasetProfile } from '../../core/profile/profileTypes';
import type { FileVersion } from '../jobs/jobTypes';

export interface OpenInput { path: string }

export interface OpenOutput {
  format: DatasetFormat;
  fields: Field[];
  rowCount: RowCount;
  warnings: string[];
  version: FileVersion;
  /** Delimited text: how it is read, and whether a data package's Table Dialect declared it (else sniffed). */
  reading?: CsvReading & { declared: boolean };
}

export interface RowsInput {
  path: string;
  start: number;
  count: number;
  columns?: number[];
  view?: ViewDefinition;
}

export interface RowsOutput {
  batch: ColumnBatch;
  /** Source row of each row of a sorted/filtered view; absent in natural order. */
  sourceRows?: Float64Array;
  version: FileVersion;
}

export interface ViewInput { path: string; view: ViewDefinition }
export interface ViewOutput { rowCount: number; version: FileVersion }

export interface ExactCountInput { path: string }
export interface ExactCountOutput { rowCount: RowCount; version: FileVersion }

export interface CloseInput { path: string }

export interface ProfileInput {
  path: string;
  /** false: quick figures from the first rows; true: the exact full pass. */
  full: boolean;
  sampleRows?: number;
}
export interface ProfileOutput { profile: DatasetProfile; version: FileVersion }

/** One of `parts` consecutive row ranges of the full profile (each thread profiles one; see `profileMerge`). */
export interface ProfilePartInput { path: string; part: number; parts: number }
/** `partial` is null when the file cannot be split that far (the earlier parts then cover it). */
export interface ProfilePartOutput { partial: PartialProfile | null; version: FileVersion }

/** The partial profiles of consecutive row ranges, in row order, merged into one full profile. */
export interface ProfileMergeInput { partials: PartialProfile[]; elapsedMs: number }
export interface ProfileMergeOutput { profile: DatasetProfile }

export interface SessionJobs {
  open: { input: OpenInput; output: OpenOutput };
  rows: { input: RowsInput; output: RowsOutput };
  view: { input: ViewInput; output: ViewOutput };
  exactCount: { input: ExactCountInput; output: ExactCountOutput };
  close: { input: CloseInput; output: void };
  profile: { input: ProfileInput; output: ProfileOutput };
  profilePart: { input: ProfilePartInput; output: ProfilePartOutput };
  profileMerge: { input: ProfileMergeInput; output: ProfileMergeOutput };
}
