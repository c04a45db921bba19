// `strata log PATH`: the versions of a dataset from git history — of its .dvc pointer, or of the file itself (plain git or git-lfs).
import { relative, resolve } from 'node:path';
import { pointerPathFor } from '../../core/versioning/workspacePaths';
import { VersioningError, type OperationOptions } from '../../core/versioning/versioningError';
import { LFS_POINTER_MAX_BYTES, parseLfsPointer } from '../git/lfsPointer';
import { gitReader, openRepository, toRepoPath, trackedFromText } from './repository';
import { GitReader } from '../git/gitReader';
import { pool } from './datasetStatus';

export interface HistoryOptions extends OperationOptions {
  cwd: string;
  path: string;
  maxCount?: number;
}

export type VersionSource = 'dvc' | 'git' | 'git-lfs';

export interface DatasetVersion {
  commit: string;
  authorName: string;
  authorEmail: string;
  date: string;
  message: string;
  /** md5 (DVC) or `sha256:<oid>` (git-lfs); absent for plain git files. */
  hash?: string;
  size?: number;
  rows?: number;
  columns?: number;
  source: VersionSource;
  /** Set when the pointer at this commit could not be read. */
  problem?: string;
}

export interface HistoryResult {
  path: string;
  source: VersionSource;
  versions: DatasetVersion[];
}

export async function datasetHistory(opts: HistoryOptions): Promise<HistoryResult> {
  let root: string;
  let rel: string;
  let git: GitReader;
  try {
    const repo = await openRepository(opts.cwd);
    root = repo.root;
    rel = toRepoPath(repo, opts.cwd, opts.path);
    git = gitReader(repo, opts.signal);
  } catch (e) {
    // files kept in plain git or git-lfs have history without any .dvc setup
    if (!(e instanceof VersioningError && e.code === 'not-initialized')) { throw e; }
    git = new GitReader({ cwd: opts.cwd, signal: opts.signal });
    root = await git.topLevel();
    rel = relative(root, resolve(opts.cwd, opts.path)).split('\\').join('/');
    if (rel.startsWith('..')) { throw new VersioningError('path-escape', `${opts.path} is outside the repository`); }
  }
  const top = await git.topLevel();
  const prefix = relative(top, root).split('\\').join('/');
  const inGit = (p: string) => (prefix ? `${prefix}/${p}` : p);
  const pointerPath = pointerPathFor(rel);
  const pointerLog = await git.log(inGit(pointerPath), opts.maxCount);
  if (pointerLog.length > 0) {
    const versions: DatasetVersion[] = pointerLog.map(c => ({ commit: c.commit, authorName: c.authorName, authorEmail: c.authorEmail, date: c.date, message: c.subject, source: 'dvc' }));
    await pool(versions, async v => {
      const blob = await git.show(v.commit, inGit(pointerPath));
      if (!blob) { v.problem = 'pointer deleted in this commit'; return; }
      try {
        const out = trackedFromText(pointerPath, blob.toString('utf8'), `${v.commit.slice(0, 7)}:${pointerPath}`).find(t => t.path === rel)?.out;
        if (!out) { v.problem = `pointer does not name ${rel}`; return; }
        v.hash = out.md5;
        v.size = out.size;
        if (typeof out.meta?.rows === 'number') { v.rows = out.meta.rows; }
        if (typeof out.meta?.columns === 'number') { v.columns = out.meta.columns; }
      } catch (e) {
        v.problem = (e as Error).message;
      }
    }, 4);
    return { path: rel, source: 'dvc', versions };
  }
  const fileLog = await git.log(inGit(rel), opts.maxCount);
  if (fileLog.length === 0) {
    throw new VersioningError('not-tracked', `${rel} has no history: it is neither tracked by a .dvc pointer nor committed to git`);
  }
  const versions: DatasetVersion[] = fileLog.map(c => ({ commit: c.commit, authorName: c.authorName, authorEmail: c.authorEmail, date: c.date, message: c.subject, source: 'git' }));
  await pool(versions, async v => {
    const size = await git.blobSize(v.commit, inGit(rel));
    if (size === undefined) { v.problem = 'deleted in this commit'; return; }
    v.size = size;
    if (size <= LFS_POINTER_MAX_BYTES) {
      const lfs = parseLfsPointer((await git.show(v.commit, inGit(rel))) ?? new Uint8Array());
      if (lfs) { v.source = 'git-lfs'; v.size = lfs.size; v.hash = `sha256:${lfs.oid}`; }
    }
  }, 4);
  return { path: rel, source: versions.some(v => v.source === 'git-lfs') ? 'git-lfs' : 'git', versions };
}
