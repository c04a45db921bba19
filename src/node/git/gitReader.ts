// Read-only git queries (rev-parse, show, log, ls-files, status) through simple-git argument arrays; never a shell string.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { SimpleGit } from 'simple-git';
import { gitError } from './gitErrors';

export interface GitOptions {
  /** Any folder inside the repository. */
  cwd: string;
  signal?: AbortSignal;
}

export interface GitLogEntry {
  commit: string;
  authorName: string;
  authorEmail: string;
  /** ISO 8601 author date. */
  date: string;
  subject: string;
}

/**
 * simple-git drops ambient GIT_* variables unless allowed; these only choose config files and
 * identities, which a user (or a test with its own config) legitimately sets.
 */
const ALLOWED_GIT_ENV = [
  'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM',
  'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'GIT_COMMITTER_DATE',
];

const FIELD = '\x1f';
const RECORD = '\x1e';

export class GitReader {
  private client?: Promise<SimpleGit>;

  constructor(readonly options: GitOptions) {}

  /** simple-git (with its logger) loads on the first git call, so a command that needs no git (status) never pays for loading it. */
  protected get git(): Promise<SimpleGit> {
    this.client ??= import('simple-git').then(({ simpleGit }) => simpleGit({ baseDir: this.options.cwd, abort: this.options.signal, maxConcurrentProcesses: 4, allowEnvironment: ALLOWED_GIT_ENV }));
    return this.client;
  }

  protected async raw(args: string[], what: string): Promise<string> {
    try {
      return await (await this.git).raw(args);
    } catch (e) {
      throw gitError(e, what);
    }
  }

  /** The absolute path of the working tree's top folder; `not-a-git-repo` / `git-missing` otherwise. */
  async topLevel(): Promise<string> {
    return (await this.raw(['rev-parse', '--show-toplevel'], 'git rev-parse')).trim();
  }

  /** The absolute path of the `.git` folder (for index.lock and git-lfs objects). */
  async gitDir(): Promise<string> {
    return (await this.raw(['rev-parse', '--absolute-git-dir'], 'git rev-parse')).trim();
  }

  /** The current branch, or undefined when HEAD is detached. */
  async currentBranch(): Promise<string | undefined> {
    try {
      return (await (await this.git).raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim() || undefined;
    } catch (e) {
      const err = gitError(e, 'git symbolic-ref');
      if (err.code === 'git-failed') { return undefined; } // exit 1 with no message: detached
      throw err;
    }
  }

  /** True when the repository has at least one commit. */
  async hasCommits(): Promise<boolean> {
    try {
      await (await this.git).raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
      return true;
    } catch {
      return false;
    }
  }

  /** The full commit id of `rev`; `unknown-revision` when it names nothing. */
  async resolveCommit(rev: string): Promise<string> {
    if (rev.startsWith('-')) { throw gitError(new Error('unknown revision'), `revision '${rev}'`); }
    const out = await this.raw(['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`], `revision '${rev}'`);
    return out.trim();
  }

  /** A file's bytes at a revision (`path` relative to the top level, posix); undefined when it did not exist there. */
  async show(rev: string, path: string): Promise<Buffer | undefined> {
    if (!(await this.exists(rev, path))) { return undefined; }
    try {
      return await (await this.git).showBuffer([`${rev}:${path}`]);
    } catch (e) {
      throw gitError(e, `git show ${rev}:${path}`);
    }
  }

  /** Whether `path` exists at `rev`. */
  async exists(rev: string, path: string): Promise<boolean> {
    try {
      await (await this.git).raw(['cat-file', '-e', `${rev}:${path}`]);
      return true;
    } catch {
      return false;
    }
  }

  /** A blob's size at a revision without reading it. */
  async blobSize(rev: string, path: string): Promise<number | undefined> {
    try {
      return Number((await (await this.git).raw(['cat-file', '-s', `${rev}:${path}`])).trim());
    } catch {
      return undefined;
    }
  }

  /**
   * A blob streamed from `git cat-file` (for large files kept in plain git): the bytes never sit in
   * memory whole. Spawned with an argument array, as simple-git does, because simple-git buffers output.
   */
  showStream(rev: string, path: string): Readable {
    const child = spawn('git', ['cat-file', 'blob', `${rev}:${path}`], { cwd: this.options.cwd, signal: this.options.signal, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', code => {
      if (code !== 0) { child.stdout.destroy(gitError(new Error(stderr || `git cat-file exited ${code}`), `git show ${rev}:${path}`)); }
    });
    child.on('error', e => child.stdout.destroy(gitError(e, 'git cat-file')));
    return child.stdout;
  }

  /** Commits that changed `path` (relative to the top level), newest first. */
  async log(path: string, maxCount = 200): Promise<GitLogEntry[]> {
    const out = await this.raw(['log', `--max-count=${maxCount}`, `--format=${RECORD}%H${FIELD}%an${FIELD}%ae${FIELD}%aI${FIELD}%s`, '--', path], `git log ${path}`);
    return out.split(RECORD).map(r => r.trim()).filter(Boolean).map(r => {
      const [commit, authorName, authorEmail, date, subject] = r.split(FIELD);
      return { commit, authorName, authorEmail, date, subject: subject ?? '' };
    });
  }

  /** Whether git tracks `path` itself (in the index). */
  async isTracked(path: string): Promise<boolean> {
    const out = await this.raw(['ls-files', '--', path], 'git ls-files');
    return out.trim() !== '';
  }

  /** Which of `paths` (relative to `cwd`) git tracks: the path itself or, for a folder, any file in it. One git call. */
  async trackedAmong(paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0) { return new Set(); }
    const listed = (await this.raw(['ls-files', '-z', '--', ...paths], 'git ls-files')).split('\0').filter(Boolean);
    const out = new Set<string>();
    for (const p of paths) {
      if (listed.some(l => l === p || l.startsWith(p + '/'))) { out.add(p); }
    }
    return out;
  }

  /** Paths (relative to the top level) staged for the next commit. */
  async stagedPaths(): Promise<string[]> {
    const out = await this.raw(['diff', '--cached', '--name-only', '-z'], 'git diff --cached');
    return out.split('\0').filter(Boolean);
  }

  /** Paths with unresolved merge conflicts. */
  async conflictedPaths(): Promise<string[]> {
    const out = await this.raw(['diff', '--name-only', '--diff-filter=U', '-z'], 'git diff');
    return out.split('\0').filter(Boolean);
  }
}
