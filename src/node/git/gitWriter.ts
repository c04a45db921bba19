// Git writes (add, commit), kept apart from reads so every change to the repository goes through one small surface.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { VersioningError } from '../../core/versioning/versioningError';
import { GitReader } from './gitReader';

export class GitWriter extends GitReader {
  /** Refuse early, with a clear message, when another git process holds the index. */
  async assertIndexFree(): Promise<void> {
    const lock = join(await this.gitDir(), 'index.lock');
    try {
      await access(lock);
    } catch {
      return;
    }
    throw new VersioningError('index-locked', 'another git process holds .git/index.lock; wait for it to finish (or remove the stale lock), then retry');
  }

  /** Stage paths (relative to `cwd` or absolute). */
  async add(paths: string[]): Promise<void> {
    if (paths.length === 0) { return; }
    await this.raw(['add', '--', ...paths], 'git add');
  }

  /** Commit what is staged (the user's staged code together with any pointers just added); returns the commit id. */
  async commit(message: string): Promise<string> {
    if (message.trim() === '') { throw new VersioningError('git-failed', 'a commit needs a message'); }
    await this.raw(['commit', '--quiet', '-m', message], 'git commit');
    return (await this.raw(['rev-parse', 'HEAD'], 'git rev-parse')).trim();
  }
}
