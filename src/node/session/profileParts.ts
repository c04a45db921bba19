// The full profile split across threads: each session thread profiles one part of the rows (see the profilePart
// job), and their progress is summed. The extension and the CLI both run it; each merges the parts its own way.
import type { PartialProfile } from '../../core/profile/datasetProfiler';
import type { SessionThread } from './sessionThread';

/**
 * The partial profiles of `path`, one per thread that had rows to profile. `onProgress` gets the bytes done by all
 * threads, and their total once every thread has said the size of its part.
 */
export async function profileParts(threads: readonly SessionThread[], path: string, options: {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | undefined) => void;
} = {}): Promise<PartialProfile[]> {
  const done = threads.map(() => 0);
  const totals = threads.map((): number | undefined => undefined);
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const parts = await Promise.all(threads.map((thread, i) => thread.run('profilePart', { path, part: i, parts: threads.length }, {
    signal: options.signal,
    onProgress: p => {
      done[i] = p.done;
      totals[i] = p.total;
      options.onProgress?.(sum(done), totals.every(t => t !== undefined) ? sum(totals as number[]) : undefined);
    },
  })));
  return parts.flatMap(p => (p.partial ? [p.partial] : []));
}
