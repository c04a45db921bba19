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
  inferSchema: async (input, ctx) => (await import('./validateJobs')).inferSchemaJob(input, ctx),
};
