// Validation of a large file in two (or more) worker jobs at once: plan (cuts), one job per part, merge.
import { partBytes } from '../../core/schema/datasetTableSource';
import type { TableIssue } from '../../core/schema/tableIssues';
import { isTransferResult, type JobContext, type JobProgress, type StrataJobs } from '../jobs/jobTypes';
import {
  validateDataset, validateMergeJob, validatePartJob, validatePlanJob, type ValidateDatasetInput, type ValidateDatasetOutput, type ValidatePartOutput,
} from '../jobs/validateJobs';

type ValidationJobs = Pick<StrataJobs, 'validateDataset' | 'validatePlan' | 'validatePart' | 'validateMerge'>;

/** Runs one job (a worker pool's `run`, or the handlers called in this thread). */
export type ValidationJobRunner = <N extends keyof ValidationJobs>(
  name: N, input: ValidationJobs[N]['input'], options: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void },
) => Promise<ValidationJobs[N]['output']>;

export interface SplitOptions {
  signal?: AbortSignal;
  /** Parts run at once (default 2: one per worker thread). */
  parts?: number;
  /** Files smaller than this are validated whole (default 8 MB). */
  minBytes?: number;
  /** Bytes done over the whole file (parts added up). */
  onProgress?: (p: JobProgress) => void;
  /** The first issues (up to the cap, in row order) each time more are found, before the pass ends. */
  onIssues?: (issues: TableIssue[]) => void;
}

/**
 * Validates a dataset, in parts when that pays (a file of 8 MB or more without foreign keys: plain CSV/TSV, Parquet,
 * Arrow or JSON Lines): the parts run as separate jobs at once and a last job adds them up. Otherwise one job.
 */
export async function validateInParts(run: ValidationJobRunner, input: ValidateDatasetInput, options: SplitOptions = {}): Promise<ValidateDatasetOutput> {
  const { signal } = options;
  const early = new EarlyCollector(input.maxIssues ?? 500, options.onIssues);
  const plan = await run('validatePlan', { ...input, parts: options.parts ?? 2, ...(options.minBytes !== undefined ? { minBytes: options.minBytes } : {}) }, {
    signal, onProgress: p => options.onProgress?.({ done: p.done, total: p.total, unit: p.unit, phase: p.phase }),
  });
  if (!plan) {
    return run('validateDataset', input, {
      signal,
      onProgress: p => {
        if (p.issues) { early.add(0, p.issues); }
        options.onProgress?.(withoutIssues(p));
      },
    });
  }
  const done = plan.parts.map(() => 0);
  const total = plan.parts.reduce((n, p) => n + partBytes(p), 0);
  const results: ValidatePartOutput[] = await Promise.all(plan.parts.map((range, k) => run('validatePart', {
    ...input, part: { range, index: plan.index, labels: plan.labels },
  }, {
    signal,
    onProgress: p => {
      if (p.issues) { early.add(k, p.issues); }
      done[k] = p.done;
      options.onProgress?.({ done: done.reduce((a, b) => a + b, 0), total, unit: 'bytes', phase: 'validating' });
    },
  })));
  return run('validateMerge', { input, index: plan.index, labels: plan.labels, parts: results }, { signal });
}

/** Runs the validation jobs in this thread, one after another (tests, and where no worker pool exists). */
export const inThreadValidationJobs: ValidationJobRunner = async (name, input, options) => {
  const ctx: JobContext = { signal: options.signal ?? new AbortController().signal, progress: p => options.onProgress?.(p) };
  const handlers = {
    validateDataset, validatePlan: validatePlanJob, validatePart: validatePartJob, validateMerge: validateMergeJob,
  } as Record<string, (i: unknown, c: JobContext) => Promise<unknown>>;
  const out = await handlers[name](input, ctx);
  return (isTransferResult(out) ? out.value : out) as never;
};

function withoutIssues(p: JobProgress): JobProgress {
  const { issues: _issues, ...rest } = p;
  return rest;
}

/**
 * The issues the parts reported so far, as the first ones of the whole file: a part's issues come before
 * a later part's, so the list is final up to the cap once earlier parts have said all they will say.
 */
export class EarlyCollector {
  private readonly byPart: TableIssue[][] = [];
  private shown = 0;

  constructor(private readonly max: number, private readonly onIssues?: (issues: TableIssue[]) => void) {}

  add(part: number, issues: readonly TableIssue[]): void {
    while (this.byPart.length <= part) { this.byPart.push([]); }
    this.byPart[part].push(...issues);
    // once the cap is full, only issues of an earlier part than the last can still change the list
    if (issues.length === 0 || (this.shown >= this.max && part >= this.byPart.length - 1)) { return; }
    const all = this.current();
    this.shown = all.length;
    this.onIssues?.(all);
  }

  /** Row issues of all parts in part (so row) order, up to the cap. */
  current(): TableIssue[] {
    const out: TableIssue[] = [];
    for (const list of this.byPart) {
      for (const i of list) {
        if (out.length >= this.max) { return out; }
        out.push(i);
      }
    }
    return out;
  }
}
