// A pool of worker threads that runs typed jobs: lazy start, a size limit, a queue, progress, cancel, idle shutdown.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { cancelledError } from '../core/formats/errors';
import { JobError, deserializeError } from './jobs/jobErrors';
import type { JobMap, JobName, JobProgress, StrataJobs } from './jobs/jobTypes';
import { isFromWorker, type FromWorker, type ToWorker } from './worker/workerMessages';

export interface WorkerPoolOptions {
  /** The bundled worker entry (`dist/worker.js`); it must call `serveJobs` with its handlers. */
  workerPath: string;
  /** Most threads alive at once (default `min(2, os.availableParallelism())`). */
  maxThreads?: number;
  /** A thread idle this long is stopped; the next job starts a new one (default 60 s; `Infinity` keeps threads). */
  idleShutdownMs?: number;
  /** After a cancel, how long a job may take to stop before its thread is terminated (default 2 s). */
  cancelGraceMs?: number;
  /** Passed to every thread as `workerData`. */
  workerData?: unknown;
  /** V8 heap limits per thread; a thread that exceeds them dies and only its job fails. */
  resourceLimits?: ResourceLimits;
}

export interface RunOptions {
  /** Aborting cancels the job: a queued job is dropped, a running one is asked to stop, then terminated. */
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  /** ArrayBuffers in the input to move to the worker instead of copying (they become detached here). */
  transfer?: readonly ArrayBuffer[];
}

export interface WorkerPoolStats {
  /** Threads started and not yet exited (includes threads being stopped). */
  threads: number;
  /** Threads running a job. */
  busy: number;
  /** Jobs waiting for a free thread. */
  queued: number;
  /** Threads started since the pool was made. */
  started: number;
  /** Threads terminated because a cancelled job did not stop within the grace period. */
  killed: number;
  /** Threads that died on their own (uncaught error, exit, out of memory). */
  crashed: number;
}

export interface JobInfo {
  id: number;
  name: string;
  state: 'queued' | 'running' | 'cancelling';
}

interface Job {
  id: number;
  name: string;
  input: unknown;
  transfer?: readonly ArrayBuffer[];
  signal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onAbort?: () => void;
  cancelling: boolean;
}

interface Slot {
  worker: Worker;
  job?: Job;
  /** Set once terminate() was called (idle, kill, dispose): the thread takes no more jobs. */
  stopping: boolean;
  idleTimer?: ReturnType<typeof setTimeout>;
  killTimer?: ReturnType<typeof setTimeout>;
  /** The uncaught error the thread reported before it exited. */
  error?: Error;
  exited: Promise<void>;
}

export class WorkerPool<M extends JobMap<M> = StrataJobs> {
  private readonly maxThreads: number;
  private readonly idleShutdownMs: number;
  private readonly cancelGraceMs: number;
  private readonly workerPath: string;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private disposed = false;
  private readonly counters = { started: 0, killed: 0, crashed: 0 };

  constructor(private readonly options: WorkerPoolOptions) {
    this.maxThreads = options.maxThreads ?? Math.min(2, availableParallelism());
    if (!Number.isInteger(this.maxThreads) || this.maxThreads < 1) {
      throw new RangeError(`maxThreads must be a positive integer, got ${options.maxThreads}`);
    }
    this.idleShutdownMs = Math.max(0, options.idleShutdownMs ?? 60_000);
    this.cancelGraceMs = Math.max(0, options.cancelGraceMs ?? 2_000);
    this.workerPath = resolve(options.workerPath); // Worker wants an absolute path (or one starting with ./)
  }

  /**
   * Runs a job on a free thread (starting one if under the limit, else queueing it).
   * Rejects with a `DatasetError` (bad input, or code `cancelled` after an abort) or a `JobError` (crash, bug, disposal).
   */
  run<N extends JobName<M>>(name: N, input: M[N]['input'], opts: RunOptions = {}): Promise<M[N]['output']> {
    if (this.disposed) { return Promise.reject(new JobError('disposed', 'the worker pool was shut down')); }
    if (opts.signal?.aborted) { return Promise.reject(cancelledError()); }
    return new Promise<M[N]['output']>((resolve, reject) => {
      const job: Job = {
        id: this.nextId++, name, input, transfer: opts.transfer, signal: opts.signal, onProgress: opts.onProgress,
        resolve: resolve as (v: unknown) => void, reject, cancelling: false,
      };
      if (job.signal) {
        job.onAbort = () => this.cancel(job);
        job.signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  stats(): WorkerPoolStats {
    let busy = 0;
    for (const s of this.slots) { if (s.job) { busy++; } }
    return { threads: this.slots.size, busy, queued: this.queue.length, ...this.counters };
  }

  /** Jobs queued or running, oldest first. */
  jobs(): JobInfo[] {
    const running: JobInfo[] = [];
    for (const s of this.slots) {
      if (s.job) { running.push({ id: s.job.id, name: s.job.name, state: s.job.cancelling ? 'cancelling' : 'running' }); }
    }
    const queued = this.queue.map((j): JobInfo => ({ id: j.id, name: j.name, state: 'queued' }));
    return [...running, ...queued].sort((a, b) => a.id - b.id);
  }

  /** Rejects every pending job with a `JobError('disposed')` and stops every thread; resolves once all have exited. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const gone = new JobError('disposed', 'the worker pool was shut down');
    for (const job of this.queue.splice(0)) { this.settle(job, gone); }
    const exits: Promise<void>[] = [];
    for (const slot of this.slots) {
      if (slot.job) { const job = slot.job; slot.job = undefined; this.settle(job, gone); }
      this.stop(slot);
      exits.push(slot.exited);
    }
    await Promise.all(exits);
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.disposed) {
      let slot: Slot | undefined;
      for (const s of this.slots) { if (!s.job && !s.stopping) { slot = s; break; } }
      if (!slot) {
        if (this.slots.size >= this.maxThreads) { return; }
        try {
          slot = this.spawn();
        } catch (e) { // e.g. too many threads for the process: fail this job, keep the rest queued
          const job = this.queue.shift() as Job;
          this.settle(job, new JobError('crashed', `cannot start a worker thread for ${job.name}: ${(e as Error).message}`));
          continue;
        }
      }
      this.assign(slot, this.queue.shift() as Job);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerPath, {
      workerData: this.options.workerData,
      resourceLimits: this.options.resourceLimits,
    });
    this.counters.started++;
    let markExited!: () => void;
    const slot: Slot = { worker, stopping: false, exited: new Promise<void>(r => { markExited = r; }) };
    this.slots.add(slot);
    worker.on('message', (m: unknown) => { if (isFromWorker(m)) { this.onMessage(slot, m); } });
    worker.on('error', (e: Error) => { slot.error = e; });
    worker.on('messageerror', (e: Error) => {
      // the thread's state is unknown after a message it sent could not be read: fail its job and replace it
      const job = slot.job;
      if (job) { this.release(slot); this.settle(job, new JobError('failed', `${job.name}: a message from the worker could not be read: ${e.message}`)); }
      this.stop(slot);
    });
    worker.on('exit', code => {
      this.slots.delete(slot);
      clearTimeout(slot.idleTimer);
      clearTimeout(slot.killTimer);
      const job = slot.job;
      if (job) {
        slot.job = undefined;
        this.detach(job);
        if (job.cancelling) {
          job.reject(cancelledError());
        } else {
          this.counters.crashed++;
          const why = slot.error ? `${slot.error.name}: ${slot.error.message}` : `exit code ${code}`;
          job.reject(new JobError('crashed', `the worker thread running ${job.name} stopped unexpectedly (${why})`, slot.error?.name));
        }
      }
      markExited();
      this.pump();
    });
    return slot;
  }

  private assign(slot: Slot, job: Job): void {
    clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    slot.job = job;
    slot.worker.ref();
    const message: ToWorker = { type: 'run', id: job.id, name: job.name, input: job.input };
    try {
      slot.worker.postMessage(message, job.transfer as ArrayBuffer[] | undefined);
      job.input = undefined; // the worker has its copy: do not keep a large input alive until the job ends
      job.transfer = undefined;
    } catch (e) { // DataCloneError: the input holds something that cannot cross threads
      this.release(slot);
      this.settle(job, new JobError('failed', `${job.name}: its input cannot be sent to a worker: ${(e as Error).message}`));
      this.afterJob(slot);
    }
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const job = slot.job;
    if (!job || job.id !== m.id) { return; } // a late message from a job already settled
    switch (m.type) {
      case 'progress':
        if (!job.cancelling && job.onProgress) {
          try { job.onProgress(m.progress); } catch { /* a faulty progress listener must not break the pool */ }
        }
        return;
      case 'done':
        this.release(slot);
        if (job.cancelling) { this.settle(job, cancelledError()); } else { this.detach(job); job.resolve(m.output); }
        break;
      case 'failed':
        this.release(slot);
        // after a cancel the caller asked for "cancelled", whatever the handler threw while stopping
        this.settle(job, job.cancelling ? cancelledError() : deserializeError(m.error, job.name));
        break;
    }
    this.afterJob(slot);
  }

  private cancel(job: Job): void {
    const queuedAt = this.queue.indexOf(job);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      this.settle(job, cancelledError());
      return;
    }
    const slot = [...this.slots].find(s => s.job === job);
    if (!slot || job.cancelling) { return; }
    job.cancelling = true;
    const message: ToWorker = { type: 'cancel', id: job.id };
    slot.worker.postMessage(message);
    // a handler that never checks its signal (a tight loop, a stuck native call) loses its thread
    slot.killTimer = setTimeout(() => {
      if (slot.job !== job) { return; }
      this.counters.killed++;
      this.release(slot);
      this.settle(job, cancelledError());
      this.stop(slot);
    }, this.cancelGraceMs);
  }

  /** Frees a slot from its job (the job is settled by the caller). */
  private release(slot: Slot): void {
    slot.job = undefined;
    clearTimeout(slot.killTimer);
    slot.killTimer = undefined;
  }

  /** A slot just finished a job: give it the next one, or let it idle towards shutdown. */
  private afterJob(slot: Slot): void {
    this.pump();
    if (slot.job || slot.stopping) { return; }
    slot.worker.unref(); // an idle thread never keeps a CLI process alive
    if (Number.isFinite(this.idleShutdownMs)) {
      slot.idleTimer = setTimeout(() => { if (!slot.job) { this.stop(slot); } }, this.idleShutdownMs);
      slot.idleTimer.unref();
    }
  }

  private stop(slot: Slot): void {
    if (slot.stopping) { return; }
    slot.stopping = true;
    clearTimeout(slot.idleTimer);
    void slot.worker.terminate();
  }

  private detach(job: Job): void {
    if (job.signal && job.onAbort) { job.signal.removeEventListener('abort', job.onAbort); }
  }

  private settle(job: Job, error: Error): void {
    this.detach(job);
    job.reject(error);
  }
}
