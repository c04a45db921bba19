// The messages the pool and a worker thread exchange over the worker's port.
import type { SerializedError } from '../jobs/jobErrors';
import type { JobProgress } from '../jobs/jobTypes';

export type ToWorker =
  | { type: 'run'; id: number; name: string; input: unknown }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'progress'; id: number; progress: JobProgress }
  | { type: 'done'; id: number; output: unknown }
  | { type: 'failed'; id: number; error: SerializedError };

export function isFromWorker(m: unknown): m is FromWorker {
  if (typeof m !== 'object' || m === null) { return false; }
  const { type, id } = m as { type?: unknown; id?: unknown };
  return typeof id === 'number' && (type === 'progress' || type === 'done' || type === 'failed');
}

export function isToWorker(m: unknown): m is ToWorker {
  if (typeof m !== 'object' || m === null) { return false; }
  const { type, id, name } = m as { type?: unknown; id?: unknown; name?: unknown };
  return typeof id === 'number' && ((type === 'run' && typeof name === 'string') || type === 'cancel');
}
