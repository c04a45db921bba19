// One long-lived thread for preview sessions: many requests in flight at once (a window read is never stuck behind a sort).
import { Worker } from 'node:worker_threads';
import { cancelledError } from '../../core/formats/errors';
import { JobError, deserializeError } from '../jobs/jobErrors';
import type { JobProgress } from '../jobs/jobTypes';
import { isFromWorker, type FromWorker, type ToWorker } from '../worker/workerMessages';
import type { SessionJobs } from './sessionJobs';

interface Pending {
  name: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (p: JobProgress) => void;
  cleanup(): void;
}

/**
 * Unlike the pool, jobs here share one thread and its open datasets (row index, computed views).
 * Handlers are asynchronous and yield between batches, so requests interleave. A crashed thread is
 * replaced on the next request; the new one simply reopens the files it is asked about.
 */
export class SessionThread {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;
  private helper?: SessionThread;

  constructor(private readonly options: { workerPath: string }) {}

  /**
   * A second session thread (made on first use, ended with this one), for work split across both
   * cores such as the full profile: each thread profiles one row range.
   */
  sibling(): SessionThread {
    this.helper ??= new SessionThread(this.options);
    return this.helper;
  }

  run<N extends keyof SessionJobs & string>(
    name: N,
    input: SessionJobs[N]['input'],
    opts: { signal?: AbortSignal; onProgress?: (p: JobProgress) => void } = {},
  ): Promise<SessionJobs[N]['output']> {
    if (this.disposed) { return Promise.reject(new JobError('failed', 'the preview session has ended')); }
    if (opts.signal?.aborted) { return Promise.reject(cancelledError()); }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const m: ToWorker = { type: 'cancel', id };
        worker.postMessage(m);
        this.pending.delete(id);
        this.refWhileBusy();
        reject(cancelledError());
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        name,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: opts.onProgress,
        cleanup: () => opts.signal?.removeEventListener('abort', onAbort),
      });
      const m: ToWorker = { type: 'run', id, name, input };
      worker.postMessage(m);
      this.refWhileBusy();
    });
  }

  /** A thread with requests in flight keeps its process alive (a command-line run waits for it); an idle one does not. */
  private refWhileBusy(): void {
    if (this.pending.size > 0) { this.worker?.ref(); } else { this.worker?.unref(); }
  }

  private ensureWorker(): Worker {
    if (this.worker) { return this.worker; }
    const worker = new Worker(this.options.workerPath);
    worker.on('message', (m: unknown) => { if (isFromWorker(m)) { this.onMessage(m); } });
    let failure: Error | undefined;
    worker.on('error', e => { failure = e; });
    worker.on('exit', code => {
      if (this.worker === worker) { this.worker = undefined; }
      const why = failure ? `${failure.name}: ${failure.message}` : `exit code ${code}`;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.cleanup();
        if (!this.disposed) { p.reject(new JobError('crashed', `the preview thread stopped unexpectedly during ${p.name} (${why})`)); }
        else { p.reject(cancelledError()); }
      }
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onMessage(m: FromWorker): void {
    const p = this.pending.get(m.id);
    if (!p) { return; }
    if (m.type === 'progress') { p.onProgress?.(m.progress); return; }
    this.pending.delete(m.id);
    p.cleanup();
    this.refWhileBusy();
    if (m.type === 'done') { p.resolve(m.output); } else { p.reject(deserializeError(m.error, p.name)); }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.helper?.dispose();
    const w = this.worker;
    this.worker = undefined;
    if (w) { await w.terminate(); }
  }
}
