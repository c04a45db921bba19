// Rows × columns per file version (path, size, mtime), computed once per version, shared by concurrent callers, bounded.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DatasetError, cancelledError, isDatasetError } from '../core/formats/errors';
import type { DatasetSummary, FileVersion } from './jobs/jobTypes';
import { fsReason } from './fileBuffer';

export interface DatasetSummaryCacheOptions {
  /** Computes a summary, normally `(path, signal) => pool.run('datasetSummary', { path }, { signal })`. */
  compute: (path: string, signal: AbortSignal) => Promise<DatasetSummary>;
  /** Most files remembered (least recently used go first; default 1000). */
  maxEntries?: number;
  /** How a file's current version is found (default `fs.stat`). */
  statFile?: (path: string) => Promise<FileVersion>;
}

type Outcome = { ok: true; summary: DatasetSummary } | { ok: false; error: DatasetError };

interface Entry extends FileVersion { outcome: Outcome }

interface Inflight {
  key: string;
  promise: Promise<DatasetSummary>;
  controller: AbortController;
  waiters: number;
}

/** Failures that say something about the bytes of this version, so reading it again would fail the same way. */
const LASTING_FAILURES = new Set<DatasetError['code']>(['empty', 'binary', 'encrypted', 'corrupt', 'unsupported', 'unknown-format', 'too-large']);

export class DatasetSummaryCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Inflight>();
  private readonly maxEntries: number;
  private readonly statFile: (path: string) => Promise<FileVersion>;

  constructor(private readonly options: DatasetSummaryCacheOptions) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 1000);
    this.statFile = options.statFile ?? statVersion;
  }

  /**
   * The summary of the file as it is now: from memory when its size and mtime are unchanged, else computed
   * (once, however many callers ask at the same time). Aborting `signal` stops waiting; the computation itself
   * is cancelled only when every caller waiting on it has aborted.
   */
  async get(path: string, options: { signal?: AbortSignal } = {}): Promise<DatasetSummary> {
    const { signal } = options;
    if (signal?.aborted) { throw cancelledError(); }
    const abs = resolve(path);
    const version = await this.statFile(abs);
    if (signal?.aborted) { throw cancelledError(); }
    const hit = this.lookup(abs, version);
    if (hit) { return unwrap(hit); }
    const key = versionKey(abs, version);
    let job = this.inflight.get(key);
    if (!job) { job = this.start(abs, version, key); }
    return this.wait(job, signal);
  }

  /** The cached summary for exactly this version, without reading anything (for rendering a tree at once). */
  peek(path: string, version: FileVersion): DatasetSummary | undefined {
    const outcome = this.lookup(resolve(path), version);
    return outcome?.ok ? outcome.summary : undefined;
  }

  delete(path: string): void {
    this.entries.delete(resolve(path));
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private lookup(abs: string, version: FileVersion): Outcome | undefined {
    const e = this.entries.get(abs);
    if (!e || e.size !== version.size || e.mtimeMs !== version.mtimeMs) { return undefined; }
    this.entries.delete(abs); // most recently used last
    this.entries.set(abs, e);
    return e.outcome;
  }

  private start(abs: string, version: FileVersion, key: string): Inflight {
    const controller = new AbortController();
    const promise = this.options.compute(abs, controller.signal).then(
      summary => {
        // key by the version the reader actually saw, if it says: the file may have changed since the stat
        this.remember(abs, summary.version ?? version, { ok: true, summary });
        return summary;
      },
      (e: unknown) => {
        if (isDatasetError(e) && LASTING_FAILURES.has(e.code)) { this.remember(abs, version, { ok: false, error: e }); }
        throw e;
      },
    ).finally(() => this.forget(job));
    promise.catch(() => { /* each waiter gets the rejection; this stops an unhandled one once all have left */ });
    const job: Inflight = { key, promise, controller, waiters: 0 };
    this.inflight.set(key, job);
    return job;
  }

  private wait(job: Inflight, signal: AbortSignal | undefined): Promise<DatasetSummary> {
    job.waiters++;
    if (!signal) { return job.promise; }
    return new Promise<DatasetSummary>((resolvePromise, reject) => {
      const onAbort = () => {
        if (--job.waiters === 0) {
          this.forget(job); // a caller arriving now starts afresh rather than joining a dying computation
          job.controller.abort();
        }
        reject(cancelledError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      job.promise.then(
        s => { signal.removeEventListener('abort', onAbort); resolvePromise(s); },
        (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
      );
    });
  }

  private forget(job: Inflight): void {
    if (this.inflight.get(job.key) === job) { this.inflight.delete(job.key); }
  }

  private remember(abs: string, version: FileVersion, outcome: Outcome): void {
    const current = this.entries.get(abs);
    // never replace a newer version with an older one that finished later
    if (current && current.mtimeMs > version.mtimeMs) { return; }
    this.entries.delete(abs);
    this.entries.set(abs, { size: version.size, mtimeMs: version.mtimeMs, outcome });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}

function unwrap(o: Outcome): DatasetSummary {
  if (o.ok) { return o.summary; }
  throw o.error;
}

function versionKey(abs: string, v: FileVersion): string {
  return `${abs}\u0000${v.size}\u0000${v.mtimeMs}`;
}

async function statVersion(path: string): Promise<FileVersion> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) { throw new DatasetError('io', `${path} is a folder, not a dataset file`); }
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch (e) {
    if (isDatasetError(e)) { throw e; }
    throw new DatasetError('io', `cannot read ${path}: ${fsReason(e)}`, { cause: e });
  }
}
