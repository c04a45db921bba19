// The production job handlers, by name: what dist/worker.js serves.
import { countBytes } from './countBytes';
import { datasetSummary } from './datasetSummary';
import type { JobHandlers, StrataJobs } from './jobTypes';

export const strataJobHandlers: JobHandlers<StrataJobs> = {
  countBytes,
  datasetSummary,
};
