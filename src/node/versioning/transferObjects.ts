// `strata push` / `strata pull`: move only the missing objects between cache and remote, in parallel, verified, resumable.
import { stat } from 'node:fs/promises';
import { objectRelPath, contentMd5 } from '../../core/versioning/cachePaths';
import type { HashAlgorithm } from '../../core/versioning/pointerFile';
import { isVersioningError, throwIfCancelled, VersioningError, type OperationOptions } from '../../core/versioning/versioningError';
import { absPath, listPointerFiles, openRepository, readTracked, toRepoPath, type Repository, type TrackedOutput } from './repository';
import { removeStaleTempsBesideAll } from './atomicFile';
import { openRemote } from './remotes/openRemote';
import type { RemoteStore } from './remotes/remoteStore';
import { pool, statusOf } from './datasetStatus';

export interface TransferOptions extends OperationOptions {
  cwd: string;
  /** Remote name from .dvc/config; the `core.remote` default when absent. */
  remote?: string;
  /** Only these datasets (relative to `cwd`); all tracked datasets when absent. */
  paths?: string[];
  /** Parallel transfers (default 16). */
  jobs?: number;
}

export interface TransferFailure { hash: string; path?: string; message: string }

export interface TransferResult {
  remote: string;
  /** Objects moved now. */
  transferred: number;
  /** Objects the other side already had. */
  skipped: number;
  bytes: number;
  failed: TransferFailure[];
  /** Pull only: datasets written into the workspace because they were missing there. */
  restored: string[];
  /** Pull only: datasets left alone because the workspace copy has changes. */
  keptModified: string[];
}

interface WantedObject { hash: string; algorithm: HashAlgorithm; path?: string }

const DEFAULT_JOBS = 16;

export async function pushObjects(opts: TransferOptions): Promise<TransferResult> {
  const repo = await openRepository(opts.cwd);
  const outputs = await selectOutputs(repo, opts);
  const { config, store } = await openRemote(repo, opts.remote);
  try {
    const failed: TransferFailure[] = [];
    const wanted: WantedObject[] = [];
    for (const t of outputs) {
      if (!t.out.md5) { continue; }
      wanted.push({ hash: t.out.md5, algorithm: t.out.algorithm, path: t.path });
      if (t.out.isDir) {
        try {
          for (const e of await repo.cache.readManifest(t.out.md5, t.out.algorithm)) { wanted.push({ hash: e.md5, algorithm: t.out.algorithm, path: `${t.path}/${e.relpath}` }); }
        } catch (e) {
          failed.push({ hash: t.out.md5, path: t.path, message: (e as Error).message });
        }
      }
    }
    const unique = dedupe(wanted);
    const keys = unique.map(w => objectRelPath(w.hash, w.algorithm));
    const present = await store.has(keys, opts.signal);
    const todo = unique.filter((_, i) => !present.has(keys[i]));
    let bytes = 0;
    let done = 0;
    await pool(todo, async w => {
      throwIfCancelled(opts.signal);
      const local = repo.cache.objectPath(w.hash, w.algorithm);
      try {
        const size = (await stat(local)).size;
        // md5 of the bytes is known for DVC 3 objects; a DVC 2.x hash may be of CRLF-converted text
        const md5 = w.algorithm === 'md5' || w.hash.endsWith('.dir') ? contentMd5(w.hash) : undefined;
        await store.upload(local, objectRelPath(w.hash, w.algorithm), size, md5, opts.signal);
        bytes += size;
      } catch (e) {
        if (isVersioningError(e) && e.code === 'cancelled') { throw e; }
        const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
        failed.push({ hash: w.hash, path: w.path, message: missing ? `${w.path ?? w.hash}: object ${w.hash} is not in the cache` : (e as Error).message });
        return;
      }
      done++;
      opts.onProgress?.({ phase: 'push', unit: 'objects', done, total: todo.length, path: w.path });
    }, opts.jobs ?? DEFAULT_JOBS);
    return { remote: config.name, transferred: done, skipped: unique.length - todo.length, bytes, failed, restored: [], keptModified: [] };
  } finally {
    store.close();
  }
}

export async function pullObjects(opts: TransferOptions): Promise<TransferResult> {
  const repo = await openRepository(opts.cwd);
  const outputs = await selectOutputs(repo, opts);
  const { config, store } = await openRemote(repo, opts.remote);
  try {
    await repo.cache.removeStaleTemps();
    const result = await fetchForOutputs(repo, store, outputs, opts);
    // like `dvc pull`, fill in datasets missing from the workspace; never overwrite local changes
    const restored: string[] = [];
    const keptModified: string[] = [];
    const { restoreOutput } = await import('./checkoutVersion');
    // a pull killed mid-restore leaves a temp file beside a dataset: clear them before looking
    await removeStaleTempsBesideAll(outputs.filter(t => t.out.md5).map(t => absPath(repo, t.path)));
    for (const t of outputs) {
      if (!t.out.md5) { continue; }
      const s = await statusOf(repo, t, opts);
      if (s.state === 'missing') {
        try {
          await restoreOutput(repo, t.path, t.out, opts);
          restored.push(t.path);
        } catch (e) {
          if (!isVersioningError(e) || e.code === 'cancelled') { throw e; }
          result.failed.push({ hash: t.out.md5, path: t.path, message: e.message });
        }
      } else if (s.state === 'modified') {
        keptModified.push(t.path);
      }
    }
    await repo.state.save();
    return { ...result, remote: config.name, restored, keptModified };
  } finally {
    store.close();
  }
}

/** Download what the outputs need and the cache lacks (folder manifests first, then their files). */
export async function fetchForOutputs(repo: Repository, store: RemoteStore, outputs: readonly TrackedOutput[], opts: OperationOptions & { jobs?: number }): Promise<TransferResult> {
  const failed: TransferFailure[] = [];
  const tops = dedupe(outputs.filter(t => t.out.md5).map(t => ({ hash: t.out.md5 as string, algorithm: t.out.algorithm, path: t.path })));
  const first = await fetchObjects(repo, store, tops, opts);
  failed.push(...first.failed);
  const second: WantedObject[] = [];
  for (const t of outputs) {
    if (!t.out.isDir || !t.out.md5 || !(await repo.cache.has(t.out.md5, t.out.algorithm))) { continue; }
    try {
      for (const e of await repo.cache.readManifest(t.out.md5, t.out.algorithm)) { second.push({ hash: e.md5, algorithm: t.out.algorithm, path: `${t.path}/${e.relpath}` }); }
    } catch (e) {
      failed.push({ hash: t.out.md5, path: t.path, message: (e as Error).message });
    }
  }
  const rest = await fetchObjects(repo, store, dedupe(second), opts);
  failed.push(...rest.failed);
  return { remote: store.url, transferred: first.transferred + rest.transferred, skipped: first.skipped + rest.skipped, bytes: first.bytes + rest.bytes, failed, restored: [], keptModified: [] };
}

/** Download the objects the cache lacks; each is verified while written, so nothing partial or wrong is kept. */
export async function fetchObjects(repo: Repository, store: RemoteStore, wanted: readonly WantedObject[], opts: OperationOptions & { jobs?: number }): Promise<TransferResult> {
  const failed: TransferFailure[] = [];
  const todo: WantedObject[] = [];
  for (const w of wanted) { if (!repo.cache.hasSync(w.hash, w.algorithm)) { todo.push(w); } }
  let bytes = 0;
  let done = 0;
  await pool(todo, async w => {
    throwIfCancelled(opts.signal);
    try {
      const body = await store.download(objectRelPath(w.hash, w.algorithm), opts.signal);
      // read `bytes` only after the await: `bytes += await …` would add to the total as it was when this download began
      const received = await repo.cache.importStream(w.hash, body, { algorithm: w.algorithm, signal: opts.signal, label: w.path });
      bytes += received;
    } catch (e) {
      if (isVersioningError(e) && e.code === 'cancelled') { throw e; }
      if (opts.signal?.aborted) { throw new VersioningError('cancelled', 'cancelled'); }
      failed.push({ hash: w.hash, path: w.path, message: (e as Error).message });
      return;
    }
    done++;
    opts.onProgress?.({ phase: 'pull', unit: 'objects', done, total: todo.length, path: w.path });
  }, opts.jobs ?? DEFAULT_JOBS);
  return { remote: store.url, transferred: done, skipped: wanted.length - todo.length, bytes, failed, restored: [], keptModified: [] };
}

async function selectOutputs(repo: Repository, opts: TransferOptions): Promise<TrackedOutput[]> {
  const filters = opts.paths?.map(p => toRepoPath(repo, opts.cwd, p));
  const out: TrackedOutput[] = [];
  for (const pointerPath of await listPointerFiles(repo)) {
    if (filters && !filters.some(f => pointerPath === `${f}.dvc` || pointerPath.startsWith(f + '/'))) { continue; }
    out.push(...await readTracked(repo, pointerPath));
  }
  if (filters) {
    for (const f of filters) {
      if (!out.some(t => t.path === f || t.path.startsWith(f + '/'))) { throw new VersioningError('not-tracked', `${f} is not tracked (no ${f}.dvc)`); }
    }
  }
  return out;
}

function dedupe(items: readonly WantedObject[]): WantedObject[] {
  const seen = new Set<string>();
  return items.filter(w => { const k = `${w.algorithm}:${w.hash}`; if (seen.has(k)) { return false; } seen.add(k); return true; });
}
