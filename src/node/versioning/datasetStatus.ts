// `strata status`: the state of every tracked dataset (unchanged, modified, not-in-cache, missing), fast through the state store.
import { lstatSync, type BigIntStats } from 'node:fs';
import { datasetState, type DatasetState } from '../../core/versioning/datasetState';
import { isVersioningError, throwIfCancelled, type OperationOptions, type VersioningErrorCode } from '../../core/versioning/versioningError';
import { absPath, assertRealInside, listPointerFiles, openRepository, readTrackedSync, toRepoPath, type Repository, type TrackedOutput } from './repository';
import { hashWorkspacePath, stateKey } from './workspaceHash';

export interface StatusOptions extends OperationOptions {
  cwd: string;
  /** Only datasets at or under these paths (relative to `cwd`); all when absent. */
  paths?: string[];
}

export interface DatasetStatus {
  path: string;
  pointerPath: string;
  state: DatasetState;
  /** Something is at the dataset's path in the workspace (a `not-in-cache` dataset may have nothing there). */
  exists: boolean;
  isDir: boolean;
  /** The hash the pointer names. */
  expected?: string;
  /** The hash of what is in the workspace now (when it exists). */
  actual?: string;
  rows?: number;
  columns?: number;
}

/** A pointer that could not be read (invalid YAML, conflict markers, path escape, ...). */
export interface StatusProblem {
  pointerPath: string;
  code: VersioningErrorCode;
  message: string;
}

export interface StatusResult {
  root: string;
  datasets: DatasetStatus[];
  problems: StatusProblem[];
}

const CONCURRENCY = 16;

/** `repo`: the repository already opened by the caller (its state store then holds the hashes status records). */
export async function datasetStatus(opts: StatusOptions, repo?: Repository): Promise<StatusResult> {
  repo ??= await openRepository(opts.cwd);
  const filters = opts.paths?.map(p => toRepoPath(repo, opts.cwd, p));
  const pointerFiles = await listPointerFiles(repo);
  const datasets: DatasetStatus[] = [];
  const problems: StatusProblem[] = [];
  const outputs: TrackedOutput[] = [];
  await inBatches(pointerFiles, opts.signal, pointerPath => {
    try {
      outputs.push(...readTrackedSync(repo, pointerPath));
    } catch (e) {
      if (!isVersioningError(e)) { throw e; }
      problems.push({ pointerPath, code: e.code, message: e.message });
    }
  });
  const wanted = outputs.filter(t => !filters || filters.some(f => t.path === f || t.path.startsWith(f + '/') || f.startsWith(t.path + '/')));
  let done = 0;
  const report = (path: string) => { opts.onProgress?.({ phase: 'scan', unit: 'files', done, total: wanted.length, path }); };
  const rest: TrackedOutput[] = [];
  const problem = (t: TrackedOutput, e: unknown) => {
    if (!isVersioningError(e) || e.code === 'cancelled') { throw e; }
    problems.push({ pointerPath: t.pointerPath, code: e.code, message: e.message });
  };
  await inBatches(wanted, opts.signal, t => {
    let known: DatasetStatus | undefined;
    try {
      known = knownStatus(repo, t);
    } catch (e) {
      problem(t, e);
      done++;
      return;
    }
    if (known) { datasets.push(known); done++; } else { rest.push(t); }
  }, () => report(''));
  await pool(rest, async t => {
    throwIfCancelled(opts.signal);
    try {
      datasets.push(await statusOf(repo, t, opts));
    } catch (e) {
      problem(t, e);
    }
    done++;
    report(t.path);
  });
  await repo.state.save();
  datasets.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  problems.sort((a, b) => (a.pointerPath < b.pointerPath ? -1 : 1));
  return { root: repo.root, datasets, problems };
}

export async function statusOf(repo: Repository, t: TrackedOutput, opts: OperationOptions = {}): Promise<DatasetStatus> {
  const known = knownStatus(repo, t);
  if (known) { return known; }
  const ws = await hashWorkspacePath(repo, t.path, { algorithm: t.out.algorithm, signal: opts.signal });
  const hasObject = t.out.md5 ? await objectComplete(repo, t) : false;
  const meta = t.out.meta ?? {};
  return {
    path: t.path,
    pointerPath: t.pointerPath,
    state: datasetState(t.out, { exists: ws.exists, hash: ws.hash }, { hasObject }),
    exists: ws.exists,
    isDir: t.out.isDir,
    expected: t.out.md5,
    actual: ws.hash,
    rows: typeof meta.rows === 'number' ? meta.rows : undefined,
    columns: typeof meta.columns === 'number' ? meta.columns : undefined,
  };
}

/**
 * The status of a plain file the state store knows unchanged, found with blocking stats (two per
 * file: the workspace file and its cache object); anything else (a folder, a symlink, a missing,
 * new or changed file) is left to the full path. Status of a thousand unchanged files is mostly
 * this, and a blocking stat costs a fraction of the CPU of a thread-pool round trip.
 */
function knownStatus(repo: Repository, t: TrackedOutput): DatasetStatus | undefined {
  if (!t.out.md5 || t.out.isDir) { return undefined; }
  let st: BigIntStats | undefined;
  try {
    st = lstatSync(absPath(repo, t.path), { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!st?.isFile()) { return undefined; }
  const hash = repo.state.lookup(stateKey(t.path, t.out.algorithm), st);
  if (!hash) { return undefined; }
  assertRealInside(repo, t.path);
  const meta = t.out.meta ?? {};
  return {
    path: t.path,
    pointerPath: t.pointerPath,
    state: datasetState(t.out, { exists: true, hash }, { hasObject: repo.cache.hasSync(t.out.md5, t.out.algorithm) }),
    exists: true,
    isDir: false,
    expected: t.out.md5,
    actual: hash,
    rows: typeof meta.rows === 'number' ? meta.rows : undefined,
    columns: typeof meta.columns === 'number' ? meta.columns : undefined,
  };
}

/** The pointer's version is fully in the cache: the object, or a folder's manifest and every file in it. */
export async function objectComplete(repo: Repository, t: TrackedOutput): Promise<boolean> {
  const hash = t.out.md5;
  if (!hash || !(await repo.cache.has(hash, t.out.algorithm))) { return false; }
  if (!t.out.isDir) { return true; }
  try {
    const entries = await repo.cache.readManifest(hash, t.out.algorithm);
    for (const e of entries) {
      if (!(await repo.cache.has(e.md5, t.out.algorithm))) { return false; }
    }
    return true;
  } catch {
    return false;
  }
}

/** Items handled synchronously per turn of the event loop: cancellation and progress stay responsive. */
const BATCH = 128;

async function inBatches<T>(items: readonly T[], signal: AbortSignal | undefined, fn: (item: T) => void, afterBatch?: () => void): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    throwIfCancelled(signal);
    for (const item of items.slice(i, i + BATCH)) { fn(item); }
    afterBatch?.();
    if (i + BATCH < items.length) { await new Promise(resolve => setImmediate(resolve)); }
  }
}

/** Run `fn` over items with at most CONCURRENCY in flight. */
export async function pool<T>(items: readonly T[], fn: (item: T) => Promise<void>, limit = CONCURRENCY): Promise<void> {
  let next = 0;
  const worker = async () => { while (next < items.length) { await fn(items[next++]); } };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
