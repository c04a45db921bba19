// `strata add`: hash files or folders into the cache (by copy), write their .dvc pointers, ignore them in git, stage the pointers.
import { readFile, stat } from 'node:fs/promises';
import { gitignoreEntriesFor, gitignoreEntry, gitignoreLineKey } from '../../core/versioning/gitignoreEntry';
import { createPointer, serializePointer, updateOutput, type StrataMeta } from '../../core/versioning/pointerFile';
import { posixBasename, posixDirname, posixJoin, pointerPathFor } from '../../core/versioning/workspacePaths';
import { throwIfCancelled, VersioningError, type OperationOptions } from '../../core/versioning/versioningError';
import { removeStaleTempsBeside, removeStaleTempsBesideAll, writeFileAtomic } from './atomicFile';
import { absPath, gitWriter, openRepository, readTracked, toRepoPath, type Repository, type TrackedOutput } from './repository';
import { dvcIgnoreOf } from './dvcIgnore';
import { hashWorkspacePath } from './workspaceHash';

export interface TrackOptions extends OperationOptions {
  /** Folder the paths are relative to. */
  cwd: string;
  paths: string[];
  /** Strata's own figures for a dataset (rows, columns), recorded under the pointer's `meta:`. */
  describe?: (path: string) => Promise<StrataMeta | undefined>;
}

export interface SavedVersion {
  /** The dataset (posix, relative to the repository root). */
  path: string;
  pointerPath: string;
  hash: string;
  size: number;
  nfiles?: number;
  /** False when the pointer already named this version. */
  changed: boolean;
}

export interface TrackResult {
  root: string;
  datasets: SavedVersion[];
  /** Files staged in git (pointers, .gitignore files). */
  staged: string[];
}

export async function trackPaths(opts: TrackOptions): Promise<TrackResult> {
  if (opts.paths.length === 0) { throw new VersioningError('missing-file', 'name at least one file or folder to track'); }
  const repo = await openRepository(opts.cwd);
  const git = gitWriter(repo, opts.signal);
  await git.assertIndexFree();
  const rels = opts.paths.map(p => toRepoPath(repo, opts.cwd, p));
  for (const rel of rels) { gitignoreEntry(posixBasename(rel)); } // a name no .gitignore line can hold is refused before any work
  const inGit = await git.trackedAmong(rels);
  if (inGit.size) {
    const rel = [...inGit][0];
    throw new VersioningError('unsupported', `${rel} is tracked by git itself; untrack it first with \`git rm -r --cached ${rel}\``);
  }
  const ignored = dvcIgnoreOf(repo);
  for (const rel of rels) {
    if (ignored.ignoresPath(rel, await isFolder(absPath(repo, rel)))) {
      throw new VersioningError('unsupported', `${rel} is ignored by a .dvcignore rule; remove the rule to track it`);
    }
  }
  await repo.cache.removeStaleTemps();
  // the pointers and the folders' .gitignore files this run writes: a killed run may have left temp files beside them
  await removeStaleTempsBesideAll(rels.flatMap(rel => [absPath(repo, pointerPathFor(rel)), absPath(repo, posixJoin(posixDirname(rel), '.gitignore'))]));
  const datasets: SavedVersion[] = [];
  const toStage = new Set<string>();
  const ignoredNames = new Map<string, string[]>();
  let done = 0;
  for (const rel of rels) {
    throwIfCancelled(opts.signal);
    const saved = await saveVersion(repo, rel, undefined, { ...opts, ...(rels.length > 1 ? { onProgress: undefined } : {}), tempsSwept: true });
    datasets.push(saved);
    toStage.add(saved.pointerPath);
    const ignore = posixJoin(posixDirname(rel), '.gitignore');
    ignoredNames.set(ignore, [...(ignoredNames.get(ignore) ?? []), posixBasename(rel)]);
    done++;
    if (rels.length > 1) { opts.onProgress?.({ phase: 'cache', unit: 'files', done, total: rels.length, path: rel }); }
  }
  // one write per folder's .gitignore; one git already tracks is staged too, so a pointer never lands without its line
  for (const [ignore, names] of ignoredNames) {
    if (await ensureIgnored(repo, ignore, names)) { toStage.add(ignore); }
  }
  for (const ignore of await git.trackedAmong([...ignoredNames.keys()])) { toStage.add(ignore); }
  await repo.state.save();
  const staged = [...toStage];
  await git.add(staged);
  return { root: repo.root, datasets, staged };
}

/**
 * Hash and cache the data at `rel`, then write its pointer (a new one, or `existing` updated in
 * place with unknown keys kept). The cache is filled before the pointer names the new version.
 */
export async function saveVersion(repo: Repository, rel: string, existing: TrackedOutput | undefined, opts: (TrackOptions | (OperationOptions & { describe?: TrackOptions['describe'] })) & { tempsSwept?: boolean }): Promise<SavedVersion> {
  const ws = await hashWorkspacePath(repo, rel, { store: true, signal: opts.signal, onProgress: opts.onProgress });
  if (!ws.exists || !ws.hash || ws.size === undefined) {
    throw new VersioningError('missing-file', `${rel} does not exist`);
  }
  const pointerPath = existing?.pointerPath ?? pointerPathFor(rel);
  let current = existing;
  if (!current) {
    try {
      current = (await readTracked(repo, pointerPath)).find(t => t.path === rel);
    } catch (e) {
      if (!(e instanceof VersioningError && e.code === 'not-tracked')) { throw e; }
    }
  }
  const meta = await opts.describe?.(rel);
  const update = { md5: ws.hash, size: ws.size, nfiles: ws.isDir ? ws.nfiles : undefined, meta };
  const changed = current?.out.md5 !== ws.hash || current?.out.algorithm !== 'md5' || current?.out.size !== ws.size;
  if (changed || meta) {
    if (!opts.tempsSwept) { await removeStaleTempsBeside(absPath(repo, pointerPath)); }
    const pointer = current ? updateOutput(current.pointer, current.index, update) : createPointer(posixBasename(rel), update);
    await writeFileAtomic(absPath(repo, pointerPath), serializePointer(pointer));
  }
  return { path: rel, pointerPath, hash: ws.hash, size: ws.size, nfiles: update.nfiles, changed };
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(st => st.isDirectory(), () => false);
}

/** Add an entry (see `gitignoreEntry`) for each of `names` that a folder's .gitignore lacks; true when the file changed. */
async function ensureIgnored(repo: Repository, ignoreRel: string, names: string[]): Promise<boolean> {
  const path = absPath(repo, ignoreRel);
  let text = '';
  try { text = await readFile(path, 'utf8'); } catch { /* new file */ }
  const have = new Set(text.split('\n').map(gitignoreLineKey));
  const missing = [...new Set(names)].filter(n => !gitignoreEntriesFor(n).some(e => have.has(e))).map(gitignoreEntry);
  if (missing.length === 0) { return false; }
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(path, `${text}${sep}${missing.join('\n')}\n`);
  return true;
}
