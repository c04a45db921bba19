// The production job handlers, by name: what dist/worker.js serves.
import { countBytes } from './countBytes';
import type { JobHandlers, StrataJobs } from './jobTypes';

export const strataJobHandlers: JobHandlers<StrataJobs> = {
  countBytes,
  // the readers (Arrow, Parquet, CSV) load on a thread's first summary, not at every thread start
  datasetSummary: async (input, ctx) => (await import('./datasetSummary')).datasetSummary(input, ctx),
  datasetDiffPlan: async (input, ctx) => (await import('./datasetDiffJobs')).datasetDiffPlan(input, ctx),
  datasetDiffScan: async (input, ctx) => (await import('./datasetDiffJobs')).datasetDiffScan(input, ctx),
  datasetDiffJoin: async (input, ctx) => (await import('./datasetDiffJobs')).datasetDiffJoin(input, ctx),
  validateDataset: async (input, ctx) => (await import('./validateJobs')).validateDataset(input, ctx),
  validatePlan: async (input, ctx) => (await import('./validateJobs')).validatePlanJob(input, ctx),
  validatePart: async (input, ctx) => (await import('./validateJobs')).validatePartJob(input, ctx),
  validateMerge: async (input, ctx) => (await import('./validateJobs')).validateMergeJob(input, ctx),
  inferSchema: async (input, ctx) => (await import('./validateJobs')).inferSchemaJob(input, ctx),
  dataInit: async (input, ctx) => (await import('./versioningJobs')).versioningHandlers.dataInit(input, ctx),
  dataTrack: async (input, ctx) => (await import('./versioningJobs')).versioningHandlers.dataTrack(input, ctx),
  dataCommit: async (input, ctx) => (await import('./versioningJobs')).versioningHandlers.dataCommit(input, ctx),
  dataStatus: async (input, ctx) => (await import('./versioningJobs')).versioningHandlers.dataStatus(input, ctx),
  dataCheckout: async (input, ctx) => (await import('./versioningJobs')).versioningHandlers.dataCheckout(input, ctx),
  dataHistory: async (input, ctx) => (await import('./versioningJobs')).versioningHandlers.dataHistory(input, ctx),
  dataPush: async (input, ctx) => (await import('./versioningJobs')).versioningHandlers.dataPush(input, ctx),
  dataPull: async (input, ctx) => (await import('./versioningJobs')).versioningHandlers.dataPull(input, ctx),
};
