// Where the bytes of a dataset version are (cache object, git-lfs object, or a git blob), for diff and "open at revision".
import { access } from 'node:fs/promises';
import { relative } from 'node:path';
import { pointerPathFor } from '../../core/versioning/workspacePaths';
import { VersioningError } from '../../core/versioning/versioningError';
import { lfsObjectPath, LFS_POINTER_MAX_BYTES, parseLfsPointer } from '../git/lfsPointer';
import { objectComplete } from './datasetStatus';
import { gitReader, openRepository, toRepoPath, trackedFromText } from './repository';

export interface LocateOptions {
  cwd: string;
  path: string;
  rev: string;
  signal?: AbortSignal;
}

export interface VersionLocation {
  /** The dataset, posix, relative to the repository root. */
  path: string;
  commit: string;
  source: 'dvc' | 'git' | 'git-lfs';
  /** md5 (dvc) or `sha256:<oid>` (git-lfs); absent for plain git blobs. */
  hash?: string;
  size?: number;
  /** A local file holding exactly these bytes (cache object or git-lfs object), when there is one. */
  file?: string;
  /** dvc/git-lfs: whether `file` is present locally (otherwise pull it first). */
  local: boolean;
  /** For `git` versions: the path to pass to `GitReader.showStream(commit, gitPath)`. */
  gitPath: string;
  isDir: boolean;
}

export async function locateVersion(opts: LocateOptions): Promise<VersionLocation> {
  const repo = await openRepository(opts.cwd);
  const rel = toRepoPath(repo, opts.cwd, opts.path);
  const git = gitReader(repo, opts.signal);
  const commit = await git.resolveCommit(opts.rev);
  const prefix = relative(await git.topLevel(), repo.root).split('\\').join('/');
  const inGit = (p: string) => (prefix ? `${prefix}/${p}` : p);
  const pointerPath = pointerPathFor(rel);
  const pointer = await git.show(commit, inGit(pointerPath));
  if (pointer) {
    const t = trackedFromText(pointerPath, pointer.toString('utf8'), `${opts.rev}:${pointerPath}`).find(x => x.path === rel);
    if (!t?.out.md5) { throw new VersioningError('invalid-pointer', `${opts.rev}:${pointerPath} does not name a version of ${rel}`); }
    return {
      path: rel, commit, source: 'dvc', hash: t.out.md5, size: t.out.size, file: repo.cache.objectPath(t.out.md5, t.out.algorithm),
      local: await objectComplete(repo, t), gitPath: inGit(pointerPath), isDir: t.out.isDir,
    };
  }
  const size = await git.blobSize(commit, inGit(rel));
  if (size === undefined) { throw new VersioningError('not-tracked', `${rel} does not exist at ${opts.rev}`); }
  if (size <= LFS_POINTER_MAX_BYTES) {
    const lfs = parseLfsPointer((await git.show(commit, inGit(rel))) ?? new Uint8Array());
    if (lfs) {
      const file = lfsObjectPath(await git.gitDir(), lfs.oid);
      const local = await access(file).then(() => true, () => false);
      return { path: rel, commit, source: 'git-lfs', hash: `sha256:${lfs.oid}`, size: lfs.size, file, local, gitPath: inGit(rel), isDir: false };
    }
  }
  return { path: rel, commit, source: 'git', size, local: true, gitPath: inGit(rel), isDir: false };
}
