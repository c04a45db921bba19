// `strata checkout [PATH...] [--rev REV | --hash MD5]`: restore a dataset as its pointer names it, or as it was at a revision, after saving any unversioned working copy to the cache.
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { isObjectHash, objectRelPath } from '../../core/versioning/cachePaths';
import type { PointerOutput } from '../../core/versioning/pointerFile';
import { isVersioningError, throwIfCancelled, VersioningError, type OperationOptions } from '../../core/versioning/versioningError';
import { pointerPathFor } from '../../core/versioning/workspacePaths';
import { removeStaleTempsBeside, writeFileAtomic } from './atomicFile';
import { datasetStatus, objectComplete, type DatasetStatus } from './datasetStatus';
import { absPath, gitReader, openRepository, readTrackedSync, toRepoPath, trackedFromText, type Repository, type TrackedOutput } from './repository';
import { openRemote } from './remotes/openRemote';
import type { RemoteStore } from './remotes/remoteStore';
import { fetchForOutputs } from './transferObjects';
import { hashWorkspacePath, listFolderFiles } from './workspaceHash';

export interface CheckoutOptions extends OperationOptions {
  cwd: string;
  /** The dataset (or its .dvc file), relative to `cwd`. */
  path: string;
  /**
   * A git revision whose pointer names the version to restore (HEAD discards local changes). With
   * neither `rev` nor `hash`, the version the pointer in the workspace names.
   */
  rev?: string;
  /** Or: restore the object with this hash directly (e.g. a working copy saved by an earlier checkout); the pointer is left as it is. */
  hash?: string;
  /** Remote to pull a missing object from; the default remote when absent. */
  remote?: string;
}

/** A working copy that was in no version, stored in the cache before it was replaced. */
export interface SavedWorkingCopy {
  hash: string;
  /** Where the bytes now are. */
  cachePath: string;
  /** A command that brings it back. */
  restoreCommand: string;
}

export interface CheckoutResult {
  path: string;
  /** The commit the version came from (absent for `hash` checkouts). */
  commit?: string;
  hash: string;
  /** False when the workspace already held this version. */
  changed: boolean;
  saved?: SavedWorkingCopy;
  /** Objects pulled from the remote because the cache lacked them. */
  fetched: number;
}

export async function checkoutVersion(opts: CheckoutOptions): Promise<CheckoutResult> {
  if (opts.rev && opts.hash) { throw new VersioningError('unsupported', 'give a revision or a hash to check out, not both'); }
  const repo = await openRepository(opts.cwd);
  const rel = toRepoPath(repo, opts.cwd, opts.path);
  const version = opts.rev ? await versionAtRevision(repo, rel, opts.rev, opts.signal)
    : opts.hash ? { target: await versionByHash(repo, rel, opts.hash, opts) }
      : { target: versionInWorkspace(repo, rel, pointerPathFor(rel)) };
  const r = await restoreVersion(repo, version, opts);
  await repo.state.save();
  return r;
}

export interface WorkspaceCheckoutOptions extends OperationOptions {
  cwd: string;
  /** Only datasets at or under these paths (relative to `cwd`); every tracked dataset when absent. */
  paths?: string[];
  remote?: string;
}

export interface WorkspaceCheckoutResult {
  /** The datasets that were missing or modified, each restored to the version its pointer names. */
  datasets: CheckoutResult[];
  /** Datasets (or unreadable pointers) that could not be restored, with the reason. */
  failed: { path: string; message: string }[];
}

/**
 * `strata checkout [PATH...]` without a revision: every tracked dataset that is missing or modified
 * goes back to the version its pointer in the workspace names (as `dvc checkout`); one that fails
 * does not stop the others.
 */
export async function checkoutWorkspace(opts: WorkspaceCheckoutOptions): Promise<WorkspaceCheckoutResult> {
  const repo = await openRepository(opts.cwd);
  const filters = opts.paths?.map(p => toRepoPath(repo, opts.cwd, p));
  // one repository: the hashes status records in its state store are the ones the restore looks up
  const status = await datasetStatus({ cwd: opts.cwd, paths: opts.paths, signal: opts.signal }, repo);
  const named = (path: string) => !filters || filters.some(f => overlaps(path, f));
  const failed = status.problems.filter(p => named(p.pointerPath.slice(0, -'.dvc'.length)))
    .map(p => ({ path: p.pointerPath, message: p.message }));
  for (const f of filters ?? []) {
    if (!status.datasets.some(d => overlaps(d.path, f)) && !failed.some(p => overlaps(p.path.slice(0, -'.dvc'.length), f))) {
      failed.push({ path: f, message: `${f} is not tracked; track it first with \`strata add ${f}\`` });
    }
  }
  const datasets: CheckoutResult[] = [];
  for (const d of status.datasets.filter(needsCheckout)) {
    try {
      datasets.push(await restoreVersion(repo, { target: versionInWorkspace(repo, d.path, d.pointerPath) }, opts));
    } catch (e) {
      if (!isVersioningError(e) || e.code === 'cancelled') { throw e; }
      failed.push({ path: d.path, message: e.message });
    }
  }
  await repo.state.save();
  return { datasets, failed };
}

/** One of two root-relative paths is the other or lies under it. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** The workspace lacks the pointer's version: nothing there, or something else there. */
function needsCheckout(d: DatasetStatus): boolean {
  return d.state === 'missing' || d.state === 'modified' || (d.state === 'not-in-cache' && !d.exists);
}

interface VersionToRestore {
  target: TrackedOutput;
  /** The commit the pointer was read at. */
  commit?: string;
  /** The pointer's text at that commit, written into the workspace with the version. */
  pointerText?: string;
}

async function versionAtRevision(repo: Repository, rel: string, rev: string, signal: AbortSignal | undefined): Promise<VersionToRestore> {
  const pointerPath = pointerPathFor(rel);
  const git = gitReader(repo, signal);
  const commit = await git.resolveCommit(rev);
  const top = await git.topLevel();
  const prefix = relative(top, repo.root).split('\\').join('/');
  const gitPath = prefix ? `${prefix}/${pointerPath}` : pointerPath;
  const blob = await git.show(commit, gitPath);
  if (!blob) { throw new VersioningError('not-tracked', `${rel} has no pointer (${pointerPath}) at ${rev}`); }
  const pointerText = blob.toString('utf8');
  const found = trackedFromText(pointerPath, pointerText, `${rev}:${pointerPath}`).find(t => t.path === rel);
  if (!found?.out.md5) { throw new VersioningError('invalid-pointer', `${rev}:${pointerPath} does not name a version of ${rel}`); }
  return { target: found, commit, pointerText };
}

async function versionByHash(repo: Repository, rel: string, given: string, opts: CheckoutOptions): Promise<TrackedOutput> {
  if (!isObjectHash(given)) { throw new VersioningError('invalid-pointer', `${given} is not an md5 hash`); }
  const hash = await resolveFolderHash(repo, given, opts);
  return { pointerPath: pointerPathFor(rel), pointer: undefined as never, index: 0, path: rel, out: { md5: hash, algorithm: 'md5', path: rel, isDir: hash.endsWith('.dir') } };
}

/** The version the pointer in the workspace names. */
function versionInWorkspace(repo: Repository, rel: string, pointerPath: string): TrackedOutput {
  const found = readTrackedSync(repo, pointerPath).find(t => t.path === rel);
  if (!found) { throw new VersioningError('not-tracked', `${rel} is not tracked by ${pointerPath}`); }
  if (!found.out.md5) { throw new VersioningError('invalid-pointer', `${pointerPath} names no version of ${rel} yet; save one with \`strata add ${rel}\``); }
  return found;
}

/**
 * Put a version in the workspace: fetched from the remote first when the cache lacks it, any working
 * copy that is in no version stored in the cache, then the files replaced; a pointer read at a
 * revision replaces the workspace pointer.
 */
async function restoreVersion(repo: Repository, { target, commit, pointerText }: VersionToRestore, opts: OperationOptions & { remote?: string }): Promise<CheckoutResult> {
  const rel = target.path;
  const pointerPath = target.pointerPath;
  const hash = target.out.md5 as string;
  throwIfCancelled(opts.signal);

  // 1. the version must be at hand (cache, else remote) before anything in the workspace is touched
  let fetched = 0;
  if (!(await objectComplete(repo, target))) {
    const { store } = await openRemoteFor(repo, opts.remote, rel, hash);
    try {
      const r = await fetchForOutputs(repo, store, [target], opts);
      fetched = r.transferred;
      if (r.failed.length) { throw new VersioningError('missing-object', `cannot get ${rel} (${hash}) from remote ${store.url}: ${r.failed[0].message}`); }
    } finally {
      store.close();
    }
  }

  // 2. nothing is lost: a working copy that is in no version is stored in the cache first
  const current = await hashWorkspacePath(repo, rel, { algorithm: target.out.algorithm, signal: opts.signal });
  let saved: SavedWorkingCopy | undefined;
  if (current.exists && current.hash !== hash) {
    const inCache = await objectComplete(repo, { ...target, out: { ...target.out, md5: current.hash, isDir: current.isDir, algorithm: 'md5' } });
    if (!inCache) {
      const stored = await hashWorkspacePath(repo, rel, { store: true, signal: opts.signal, onProgress: opts.onProgress });
      const savedHash = stored.hash as string;
      saved = {
        hash: savedHash,
        cachePath: repo.cache.objectPath(savedHash),
        restoreCommand: `strata checkout ${rel} --hash ${savedHash}`,
      };
    }
  }

  // 3. replace the workspace copy atomically, file by file
  const changed = !current.exists || current.hash !== hash;
  await removeStaleTempsBeside(absPath(repo, rel));
  await removeStaleTempsBeside(absPath(repo, pointerPath));
  if (changed) { await restoreOutput(repo, rel, target.out, opts); }

  // 4. the pointer names the version checked out, as after `git checkout REV -- x.dvc`
  if (pointerText !== undefined) {
    let existing: string | undefined;
    try { existing = await readFile(absPath(repo, pointerPath), 'utf8'); } catch { /* none */ }
    if (existing !== pointerText) { await writeFileAtomic(absPath(repo, pointerPath), pointerText); }
  }
  return { path: rel, commit, hash, changed, saved, fetched };
}

/**
 * A folder's hash given without its `.dir` (as `md5sum` of the manifest would print it): the folder
 * version when there is no file object of that hash but a `<hash>.dir` object in the cache or on the remote.
 */
async function resolveFolderHash(repo: Repository, hash: string, opts: CheckoutOptions): Promise<string> {
  if (hash.endsWith('.dir') || repo.cache.hasSync(hash)) { return hash; }
  const folderHash = `${hash}.dir`;
  if (repo.cache.hasSync(folderHash)) { return folderHash; }
  let store: RemoteStore;
  try {
    ({ store } = await openRemote(repo, opts.remote));
  } catch (e) {
    if (e instanceof VersioningError && e.code === 'no-remote') { return hash; }
    throw e;
  }
  try {
    const [fileKey, folderKey] = [objectRelPath(hash), objectRelPath(folderHash)];
    const present = await store.has([fileKey, folderKey], opts.signal);
    return !present.has(fileKey) && present.has(folderKey) ? folderHash : hash;
  } finally {
    store.close();
  }
}

async function openRemoteFor(repo: Repository, name: string | undefined, rel: string, hash: string): ReturnType<typeof openRemote> {
  try {
    return await openRemote(repo, name);
  } catch (e) {
    if (e instanceof VersioningError && e.code === 'no-remote') {
      // say why no remote could be used: none configured, no default, or an unknown name
      throw new VersioningError('missing-object', `${rel} version ${hash} is not in the cache and cannot be pulled: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

/** Write a version that is in the cache into the workspace (file, or every file of a folder), each file atomically. */
export async function restoreOutput(repo: Repository, rel: string, out: PointerOutput, opts: OperationOptions = {}): Promise<void> {
  const hash = out.md5;
  if (!hash) { throw new VersioningError('invalid-pointer', `${rel}: the pointer names no version`); }
  if (!out.isDir) {
    await removeIfFolder(repo, rel);
    await repo.cache.checkoutTo(hash, absPath(repo, rel), { algorithm: out.algorithm, signal: opts.signal, onProgress: opts.onProgress, label: rel });
    await recordState(repo, rel, hash, out.algorithm);
    return;
  }
  const entries = await repo.cache.readManifest(hash, out.algorithm);
  const wanted = new Set(entries.map(e => e.relpath));
  let existing: string[] = [];
  try {
    if ((await stat(absPath(repo, rel))).isDirectory()) { existing = await listFolderFiles(repo, rel); } else { await rm(absPath(repo, rel)); }
  } catch { /* nothing there yet */ }
  let done = 0;
  for (const e of entries) {
    throwIfCancelled(opts.signal);
    const fileRel = `${rel}/${e.relpath}`;
    const now = existing.includes(e.relpath) ? await hashWorkspacePath(repo, fileRel, { algorithm: out.algorithm }) : undefined;
    if (now?.hash !== e.md5) {
      await removeIfFolder(repo, fileRel);
      await repo.cache.checkoutTo(e.md5, absPath(repo, fileRel), { algorithm: out.algorithm, signal: opts.signal, label: fileRel });
      await recordState(repo, fileRel, e.md5, out.algorithm);
    }
    done++;
    opts.onProgress?.({ phase: 'checkout', unit: 'files', done, total: entries.length, path: fileRel });
  }
  // files the version does not have go; the caller stored the previous folder state in the cache first
  for (const f of existing) {
    if (!wanted.has(f)) { await rm(absPath(repo, `${rel}/${f}`), { force: true }); }
  }
  await removeEmptyFolders(absPath(repo, rel), true);
}

async function recordState(repo: Repository, rel: string, hash: string, algorithm: PointerOutput['algorithm']): Promise<void> {
  const st = await stat(absPath(repo, rel), { bigint: true });
  repo.state.record(algorithm === 'md5' ? rel : `${rel}\0${algorithm}`, st, hash);
}

async function removeIfFolder(repo: Repository, rel: string): Promise<void> {
  try {
    if ((await stat(absPath(repo, rel))).isDirectory()) {
      throw new VersioningError('unsupported', `${rel} is a folder in the workspace but a file in this version; move the folder away first`);
    }
  } catch (e) {
    if (e instanceof VersioningError) { throw e; }
  }
}

/** Remove empty subfolders left behind (and `dir` itself unless `keep`); true when `dir` ended up empty. */
async function removeEmptyFolders(dir: string, keep = false): Promise<boolean> {
  let names: string[];
  try { names = await readdir(dir); } catch { return false; }
  let empty = true;
  for (const n of names) {
    const child = `${dir}/${n}`;
    const st = await stat(child).catch(() => undefined);
    if (st?.isDirectory()) { if (!(await removeEmptyFolders(child))) { empty = false; } } else { empty = false; }
  }
  if (!empty || keep) { return empty; }
  return rmdir(dir).then(() => true, () => false);
}
