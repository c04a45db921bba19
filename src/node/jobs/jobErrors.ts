// Errors crossing the thread boundary: how a worker's failure is serialized, and re-created as a typed error in the pool.
import { DatasetError, type DatasetErrorCode } from '../../core/formats/errors';

export type JobErrorCode =
  | 'failed'       // the handler threw an error that is not a DatasetError
  | 'crashed'      // the worker thread died (uncaught error, process.exit, out of memory)
  | 'unknown-job'  // no handler for the job name in this worker
  | 'disposed';    // the pool was shut down before the job finished

/** A job that failed for a reason other than bad input (bad input is a `DatasetError`). */
export class JobError extends Error {
  override readonly name = 'JobError';
  constructor(
    readonly code: JobErrorCode,
    message: string,
    /** The `name` of the error thrown in the worker (e.g. `TypeError`), when there was one. */
    readonly remoteName?: string,
  ) {
    super(message);
  }
}

export function isJobError(e: unknown): e is JobError {
  return e instanceof Error && e.name === 'JobError' && typeof (e as JobError).code === 'string';
}

/** The structured-cloneable form of an error thrown by a handler. */
export type SerializedError =
  | { kind: 'dataset'; code: DatasetErrorCode; message: string; stack?: string }
  | { kind: 'job'; code: JobErrorCode; message: string; remoteName?: string; stack?: string }
  | { kind: 'plain'; name: string; message: string; stack?: string };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    // checked by name, not instanceof: the bundle in the worker and the pool's own copy are different classes
    if (e.name === 'DatasetError' && typeof (e as DatasetError).code === 'string') {
      return { kind: 'dataset', code: (e as DatasetError).code, message: e.message, stack: e.stack };
    }
    if (e.name === 'JobError' && typeof (e as JobError).code === 'string') {
      return { kind: 'job', code: (e as JobError).code, message: e.message, remoteName: (e as JobError).remoteName, stack: e.stack };
    }
    return { kind: 'plain', name: e.name, message: e.message, stack: e.stack };
  }
  return { kind: 'plain', name: 'Error', message: typeof e === 'string' ? e : `non-error thrown: ${safeString(e)}` };
}

/** Re-creates a worker's error on the pool side: `DatasetError` keeps its code, anything else becomes a `JobError`. */
export function deserializeError(s: SerializedError, jobName: string): Error {
  let out: Error;
  switch (s.kind) {
    case 'dataset': out = new DatasetError(s.code, s.message); break;
    case 'job': out = new JobError(s.code, s.message, s.remoteName); break;
    case 'plain': out = new JobError('failed', `${jobName} failed: ${s.name}: ${s.message}`, s.name); break;
  }
  if (s.stack) { out.stack = `${out.name}: ${out.message}\n    --- in worker ---\n${s.stack}`; }
  return out;
}

function safeString(x: unknown): string {
  try { return String(x); } catch { return typeof x; }
}
