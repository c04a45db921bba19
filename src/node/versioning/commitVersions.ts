// `strata commit -m MSG`: save every changed dataset (or the ones named) as a new version and make one git commit with the user's staged code.
import type { StrataMeta } from '../../core/versioning/pointerFile';
import { isVersioningError, throwIfCancelled, VersioningError, type OperationOptions } from '../../core/versioning/versioningError';
import { listPointerFiles, openRepository, readTracked, toRepoPath, gitWriter, type TrackedOutput } from './repository';
import { saveVersion, type SavedVersion } from './trackPaths';
import { statusOf } from './datasetStatus';
import { hashWorkspacePath } from './workspaceHash';

export interface CommitOptions extends OperationOptions {
  cwd: string;
  message: string;
  /** Only these datasets (relative to `cwd`); every tracked dataset when absent. */
  paths?: string[];
  describe?: (path: string) => Promise<StrataMeta | undefined>;
}

export interface CommitResult {
  commit: string;
  /** Datasets saved as a new version in this commit. */
  datasets: SavedVersion[];
  /** Every path in the commit (pointers and whatever the user had staged). */
  committedPaths: string[];
  /** Tracked datasets missing from the workspace, left as they were. */
  skippedMissing: string[];
}

export async function commitVersions(opts: CommitOptions): Promise<CommitResult> {
  if (!opts.message.trim()) { throw new VersioningError('git-failed', 'a commit needs a message (-m MESSAGE)'); }
  const repo = await openRepository(opts.cwd);
  const git = gitWriter(repo, opts.signal);
  await git.assertIndexFree();
  if ((await git.hasCommits()) && !(await git.currentBranch())) {
    throw new VersioningError('detached-head', 'HEAD is detached; check out a branch (git switch NAME) before committing a data version');
  }
  const conflicted = (await git.conflictedPaths()).filter(p => p.endsWith('.dvc'));
  if (conflicted.length) {
    throw new VersioningError('merge-conflict', `${conflicted[0]} has an unresolved merge conflict; resolve it, then commit`);
  }
  const filters = opts.paths?.map(p => toRepoPath(repo, opts.cwd, p));
  const pointerFiles = (await listPointerFiles(repo)).filter(p => !filters || filters.some(f => p === `${f}.dvc` || p.startsWith(f + '/')));
  if (filters) {
    for (const f of filters) {
      if (!pointerFiles.some(p => p === `${f}.dvc` || p.startsWith(f + '/'))) {
        throw new VersioningError('not-tracked', `${f} is not tracked; track it first with \`strata add ${f}\``);
      }
    }
  }
  const datasets: SavedVersion[] = [];
  const skippedMissing: string[] = [];
  for (const pointerPath of pointerFiles) {
    // outputs are re-read after each save: several outputs may share one pointer file
    const count = (await readTracked(repo, pointerPath)).length;
    for (let i = 0; i < count; i++) {
      throwIfCancelled(opts.signal);
      const t: TrackedOutput = (await readTracked(repo, pointerPath))[i];
      const s = await statusOf(repo, t, opts);
      if (!s.exists) { skippedMissing.push(t.path); continue; }
      if (s.state === 'not-in-cache') {
        await hashWorkspacePath(repo, t.path, { store: true, algorithm: t.out.algorithm, signal: opts.signal, onProgress: opts.onProgress });
      }
      if (s.state === 'modified' || (t.out.algorithm !== 'md5' && s.state !== 'unchanged')) {
        datasets.push(await saveVersion(repo, t.path, t, opts));
      }
    }
  }
  await repo.state.save();
  await git.add(pointerFiles);
  const staged = await git.stagedPaths();
  if (staged.length === 0) {
    throw new VersioningError('nothing-to-commit', 'nothing to commit: every dataset is unchanged and nothing is staged');
  }
  try {
    const commit = await git.commit(opts.message);
    return { commit, datasets, committedPaths: staged, skippedMissing };
  } catch (e) {
    throw isVersioningError(e) ? e : new VersioningError('git-failed', String(e));
  }
}
