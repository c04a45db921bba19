// The job contract between the pool and its workers: job names, their input/output types, progress and handler shapes.
import type { DatasetFormat } from '../../core/formats/dataset';
import type { VersioningJobs } from './versioningJobs';
import type { DatasetDiffJobs } from './datasetDiffJobTypes';
import type { TableIssue } from '../../core/schema/tableIssues';
import type {
  InferSchemaInput, InferSchemaOutput, ValidateDatasetInput, ValidateDatasetOutput, ValidateMergeInput, ValidatePartInput, ValidatePartOutput,
  ValidatePlan, ValidatePlanInput,
} from './validateJobs';

/** What every job declares: the input it takes and the output it resolves with (both structured-cloneable). */
export interface JobSpec {
  input: unknown;
  output: unknown;
}

/** A map from job name to its spec; `StrataJobs` is the production one. */
export type JobMap<M> = { [N in keyof M]: JobSpec };

export interface CountBytesInput {
  path: string;
  /** Bytes per read (default 1 MiB); progress is reported after each. */
  chunkBytes?: number;
}

export interface CountBytesOutput {
  bytes: number;
  /** Count of `\n` bytes. */
  newlines: number;
}

export interface DatasetSummaryInput {
  path: string;
  /** Build the CSV row index so the row count is exact (default true); false gives the quick estimate. */
  exactRows?: boolean;
}

/** Rows × columns of one file version, for the Dataset Explorer and `strata` listings. */
export interface DatasetSummary {
  format: DatasetFormat;
  rows: number;
  rowsExact: boolean;
  columns: number;
  fields: { name: string; type: string }[];
  warnings: string[];
  /** The file version that was read (size and modification time), so a cache can key by what was read. */
  version: FileVersion;
}

export interface FileVersion {
  size: number;
  mtimeMs: number;
}

/** The jobs production workers serve. */
export interface StrataJobs {
  countBytes: { input: CountBytesInput; output: CountBytesOutput };
  datasetSummary: { input: DatasetSummaryInput; output: DatasetSummary };
  datasetDiffPlan: DatasetDiffJobs['datasetDiffPlan'];
  datasetDiffScan: DatasetDiffJobs['datasetDiffScan'];
  datasetDiffJoin: DatasetDiffJobs['datasetDiffJoin'];
  validateDataset: { input: ValidateDatasetInput; output: ValidateDatasetOutput };
  validatePlan: { input: ValidatePlanInput; output: ValidatePlan | null };
  validatePart: { input: ValidatePartInput; output: ValidatePartOutput };
  validateMerge: { input: ValidateMergeInput; output: ValidateDatasetOutput };
  inferSchema: { input: InferSchemaInput; output: InferSchemaOutput };
  dataInit: VersioningJobs['dataInit'];
  dataTrack: VersioningJobs['dataTrack'];
  dataCommit: VersioningJobs['dataCommit'];
  dataStatus: VersioningJobs['dataStatus'];
  dataCheckout: VersioningJobs['dataCheckout'];
  dataHistory: VersioningJobs['dataHistory'];
  dataPush: VersioningJobs['dataPush'];
  dataPull: VersioningJobs['dataPull'];
}

export type JobName<M extends JobMap<M> = StrataJobs> = keyof M & string;
export type JobInput<N extends keyof M, M extends JobMap<M> = StrataJobs> = M[N]['input'];
export type JobOutput<N extends keyof M, M extends JobMap<M> = StrataJobs> = M[N]['output'];

/** Progress of a running job; `total` is absent when unknown. */
export interface JobProgress {
  done: number;
  total?: number;
  unit: 'bytes' | 'rows' | 'items';
  /** A short phase name such as `indexing`, when a job has several. */
  phase?: string;
  /** Validation: issues found since the last report, so the first ones show before the pass ends. */
  issues?: TableIssue[];
}

/** What a handler gets besides its input. */
export interface JobContext {
  /** Aborted when the caller cancels; handlers check it between chunks and throw `cancelledError()`. */
  readonly signal: AbortSignal;
  progress(p: JobProgress): void;
}

const TRANSFER = Symbol('strata.transferResult');

/** A handler result whose ArrayBuffers move to the caller's thread instead of being copied. */
export interface TransferResult<O> {
  readonly [TRANSFER]: true;
  readonly value: O;
  readonly transfer: readonly ArrayBuffer[];
}

export function transferResult<O>(value: O, transfer: readonly ArrayBuffer[]): TransferResult<O> {
  return { [TRANSFER]: true, value, transfer };
}

export function isTransferResult(x: unknown): x is TransferResult<unknown> {
  return typeof x === 'object' && x !== null && (x as Partial<TransferResult<unknown>>)[TRANSFER] === true;
}

export type JobHandler<I, O> = (input: I, ctx: JobContext) => Promise<O | TransferResult<O>>;

export type JobHandlers<M extends JobMap<M>> = { [N in keyof M]: JobHandler<M[N]['input'], M[N]['output']> };
