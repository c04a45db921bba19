// "Compare with Previous Version": the working copy against its last committed version when they
// differ, else the last committed version against the one before (or against nothing, when the
// dataset first appeared in that commit).
import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { VersioningError } from '../../core/versioning/versioningError';
import { GitReader } from '../git/gitReader';
import { datasetHistory, type DatasetVersion } from '../versioning/datasetHistory';
import { openRepository } from '../versioning/repository';
import { hashWorkspacePath } from '../versioning/workspaceHash';
import type { SideSpec } from './diffSources';

export interface VersionPair {
  a: SideSpec & { label: string };
  b: SideSpec & { label: string };
  /** One line saying what is compared, e.g. `the working copy with 1a2b3c4 (last commit)`. */
  description: string;
}

export async function previousVersionPair(absPath: string, options: { signal?: AbortSignal } = {}): Promise<VersionPair> {
  const name = basename(absPath);
  const history = await datasetHistory({ cwd: dirname(absPath), path: absPath, maxCount: 2, signal: options.signal });
  const [last, before] = history.versions;
  if (!last) { throw new VersioningError('not-tracked', `${name} has no committed version to compare with`); }
  const at = (v: DatasetVersion): SideSpec & { label: string } => ({ path: absPath, rev: v.commit, label: `${name} @ ${v.commit.slice(0, 7)}` });
  if (await workingCopyDiffers(absPath, history.path, history.source, last)) {
    return { a: at(last), b: { path: absPath, label: `${name} (working copy)` }, description: `the working copy with ${last.commit.slice(0, 7)} (${last.message})` };
  }
  if (before) {
    return { a: at(before), b: at(last), description: `${last.commit.slice(0, 7)} (${last.message}) with the version before it, ${before.commit.slice(0, 7)}` };
  }
  const git = new GitReader({ cwd: dirname(absPath), signal: options.signal });
  const parent = await git.resolveCommit(`${last.commit}^`).catch(() => undefined);
  if (!parent) {
    throw new VersioningError('not-tracked', `${name} has one committed version (${last.commit.slice(0, 7)}), the same as the working copy: there is nothing earlier to compare with`);
  }
  return {
    a: { path: absPath, rev: parent, label: `${name} @ ${parent.slice(0, 7)}` },
    b: at(last),
    description: `${last.commit.slice(0, 7)}, where ${name} first appeared, with the commit before`,
  };
}

/** Whether the file on disk differs from the version committed in `v` (a missing file differs). */
async function workingCopyDiffers(absPath: string, rel: string, source: 'dvc' | 'git' | 'git-lfs', v: DatasetVersion): Promise<boolean> {
  if (source === 'dvc') {
    const repo = await openRepository(dirname(absPath));
    const ws = await hashWorkspacePath(repo, rel);
    return !ws.exists || ws.hash !== v.hash;
  }
  const git = new GitReader({ cwd: dirname(absPath) });
  const top = await git.topLevel();
  return new Promise(resolve => {
    // exit 0: same as the commit; 1: different; anything else (e.g. git-lfs missing): treat as different
    execFile('git', ['diff', '--quiet', v.commit, '--', absPath], { cwd: top }, err => resolve(err !== null));
  });
}
