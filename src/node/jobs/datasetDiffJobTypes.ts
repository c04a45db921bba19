// The diff's worker jobs: plan from the two files, scan one version, join the two scans.
import type { DiffPlan } from '../../core/diff/diffPlan';
import type { DatasetDiff, DiffOptions, DiffSide } from '../../core/diff/diffTypes';
import type { SideScan } from '../../core/diff/sideScan';

/** One version as a worker opens it: a file on disk (the working file, a cache object, a temp copy), or absent. */
export interface DiffFileRef {
  /** Null when the dataset does not exist in this version. */
  path: string | null;
  /** The name whose extension picks the reader. */
  name: string;
  /** The dataset's path in the working tree, whose data package may declare how it is written. */
  datasetPath?: string;
  label: string;
  bytes: number;
}

export interface DatasetDiffPlanInput {
  a: DiffFileRef;
  b: DiffFileRef;
  options: DiffOptions;
}

export interface DatasetDiffScanInput {
  plan: DiffPlan;
  side: DiffSide;
  file: DiffFileRef;
  /** The temp folder of the partition store, when the plan partitions. */
  storeDir?: string;
}

export interface DatasetDiffJoinInput {
  plan: DiffPlan;
  a: SideScan;
  b: SideScan;
  storeDir?: string;
  startedAt: number;
}

export interface DatasetDiffJobs {
  datasetDiffPlan: { input: DatasetDiffPlanInput; output: DiffPlan };
  datasetDiffScan: { input: DatasetDiffScanInput; output: SideScan };
  datasetDiffJoin: { input: DatasetDiffJoinInput; output: DatasetDiff };
}
