// `strata checkout PATH --rev REV`: restore a dataset as it was at a revision, after saving any unversioned working copy to the cache.
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { isObjectHash, objectRelPath } from '../../core/versioning/cachePaths';
import type { PointerOutput } from '../../core/versioning/pointerFile';
import { throwIfCancelled, VersioningError, type OperationOptions } from '../../core/versioning/versioningError';
import { pointerPathFor } from '../../core/versioning/workspacePaths';
import { removeStaleTempsBeside, writeFileAtomic } from './atomicFile';
import { objectComplete } from './datasetStatus';
import { absPath, gitReader, openRepository, toRepoPath, trackedFromText, type Repository, type TrackedOutput } from './repository';
import { openRemote } from './remotes/openRemote';
import type { RemoteStore } from './remotes/remoteStore';
import { fetchForOutputs } from './transferObjects';
import { hashWorkspacePath, listFolderFiles } from './workspaceHash';

export interface CheckoutOptions extends OperationOptions {
  cwd: string;
  /** The dataset (or its .dvc file), relative to `cwd`. */
  path: string;
  /** A git revision whose pointer names the version to restore (HEAD discards local changes). */
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
  if (!opts.rev === !opts.hash) { throw new VersioningError('unsupported', 'give either a revision or a hash to check out'); }
  const repo = await openRepository(opts.cwd);
  const rel = toRepoPath(repo, opts.cwd, opts.path);
  const pointerPath = pointerPathFor(rel);
  let target: TrackedOutput;
  let commit: string | undefined;
  let pointerText: string | undefined;
  if (opts.rev) {
    const git = gitReader(repo, opts.signal);
    commit = await git.resolveCommit(opts.rev);
    const top = await git.topLevel();
    const prefix = relative(top, repo.root).split('\\').join('/');
    const gitPath = prefix ? `${prefix}/${pointerPath}` : pointerPath;
    const blob = await git.show(commit, gitPath);
    if (!blob) { throw new VersioningError('not-tracked', `${rel} has no pointer (${pointerPath}) at ${opts.rev}`); }
    pointerText = blob.toString('utf8');
    const found = trackedFromText(pointerPath, pointerText, `${opts.rev}:${pointerPath}`).find(t => t.path === rel);
    if (!found?.out.md5) { throw new VersioningError('invalid-pointer', `${opts.rev}:${pointerPath} does not name a version of ${rel}`); }
    target = found;
  } else {
    const given = opts.hash as string;
    if (!isObjectHash(given)) { throw new VersioningError('invalid-pointer', `${given} is not an md5 hash`); }
    const hash = await resolveFolderHash(repo, given, opts);
    target = { pointerPath, pointer: undefined as never, index: 0, path: rel, out: { md5: hash, algorithm: 'md5', path: rel, isDir: hash.endsWith('.dir') } };
  }
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
  await repo.state.save();
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
