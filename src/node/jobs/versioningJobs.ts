// Data-versioning jobs: hashing, caching, git and transfers run in a worker thread, never on the editor's host.
import { datasetFormatOf } from '../../core/formats/datasetFiles';
import type { OperationOptions, VersioningProgress } from '../../core/versioning/versioningError';
import type { StrataMeta } from '../../core/versioning/pointerFile';
import { checkoutVersion, type CheckoutOptions, type CheckoutResult } from '../versioning/checkoutVersion';
import { commitVersions, type CommitOptions, type CommitResult } from '../versioning/commitVersions';
import { datasetHistory, type HistoryOptions, type HistoryResult } from '../versioning/datasetHistory';
import { datasetStatus, type StatusOptions, type StatusResult } from '../versioning/datasetStatus';
import { initRepository, type InitOptions, type InitResult } from '../versioning/initRepository';
import { trackPaths, type TrackOptions, type TrackResult } from '../versioning/trackPaths';
import { pullObjects, pushObjects, type TransferOptions, type TransferResult } from '../versioning/transferObjects';
import { datasetSummary } from './datasetSummary';
import type { JobContext, JobHandler } from './jobTypes';

type Plain<T> = Omit<T, keyof OperationOptions | 'describe'>;

export interface VersioningJobs {
  dataInit: { input: Plain<InitOptions>; output: InitResult };
  dataTrack: { input: Plain<TrackOptions>; output: TrackResult };
  dataCommit: { input: Plain<CommitOptions>; output: CommitResult };
  dataStatus: { input: Plain<StatusOptions>; output: StatusResult };
  dataCheckout: { input: Plain<CheckoutOptions>; output: CheckoutResult };
  dataHistory: { input: Plain<HistoryOptions>; output: HistoryResult };
  dataPush: { input: Plain<TransferOptions>; output: TransferResult };
  dataPull: { input: Plain<TransferOptions>; output: TransferResult };
}

function operation(ctx: JobContext): OperationOptions {
  return {
    signal: ctx.signal,
    onProgress: (p: VersioningProgress) => ctx.progress({
      done: p.done, total: p.total, unit: p.unit === 'bytes' ? 'bytes' : 'items', phase: p.path ? `${p.phase} ${p.path}` : p.phase,
    }),
  };
}

/** Rows and columns recorded under the pointer's `meta:` for datasets Strata can read; other files get none. */
function describer(ctx: JobContext): (path: string) => Promise<StrataMeta | undefined> {
  return async path => {
    if (!datasetFormatOf(path)) { return undefined; }
    try {
      const s = await datasetSummary({ path }, { signal: ctx.signal, progress: () => undefined });
      return { rows: s.rows, columns: s.columns };
    } catch {
      return undefined; // figures are a courtesy: a file Strata cannot read is still versioned
    }
  };
}

export const versioningHandlers: { [N in keyof VersioningJobs]: JobHandler<VersioningJobs[N]['input'], VersioningJobs[N]['output']> } = {
  dataInit: async (input, ctx) => initRepository({ ...input, ...operation(ctx) }),
  dataTrack: async (input, ctx) => trackPaths({ ...input, ...operation(ctx), describe: describer(ctx) }),
  dataCommit: async (input, ctx) => commitVersions({ ...input, ...operation(ctx), describe: describer(ctx) }),
  dataStatus: async (input, ctx) => datasetStatus({ ...input, ...operation(ctx) }),
  dataCheckout: async (input, ctx) => checkoutVersion({ ...input, ...operation(ctx) }),
  dataHistory: async (input, ctx) => datasetHistory({ ...input, ...operation(ctx) }),
  dataPush: async (input, ctx) => pushObjects({ ...input, ...operation(ctx) }),
  dataPull: async (input, ctx) => pullObjects({ ...input, ...operation(ctx) }),
};
