// `strata init`: creates .dvc/ (config, .gitignore), .dvcignore at the git top level, as DVC does, and stages them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { throwIfCancelled, type OperationOptions } from '../../core/versioning/versioningError';
import { GitWriter } from '../git/gitWriter';

export interface InitOptions extends OperationOptions {
  /** Any folder inside the git repository. */
  cwd: string;
}

export interface InitResult {
  root: string;
  /** Files created (posix, relative to the root); empty when everything was already there. */
  created: string[];
}

const DVC_GITIGNORE = ['/config.local', '/tmp', '/cache'];
const DVCIGNORE = [
  '# Add patterns of files dvc should ignore, which could improve',
  '# the performance. Learn more at',
  '# https://dvc.org/doc/user-guide/dvcignore',
  '',
].join('\n');

export async function initRepository(opts: InitOptions): Promise<InitResult> {
  const git = new GitWriter({ cwd: opts.cwd, signal: opts.signal });
  const root = await git.topLevel();
  throwIfCancelled(opts.signal);
  const created: string[] = [];
  await mkdir(join(root, '.dvc'), { recursive: true });
  if (await createIfMissing(join(root, '.dvc', 'config'), '')) { created.push('.dvc/config'); }
  if (await ensureLines(join(root, '.dvc', '.gitignore'), DVC_GITIGNORE)) { created.push('.dvc/.gitignore'); }
  if (await createIfMissing(join(root, '.dvcignore'), DVCIGNORE)) { created.push('.dvcignore'); }
  if (created.length) {
    await git.assertIndexFree();
    await git.add(created);
  }
  return { root, created };
}

async function createIfMissing(path: string, text: string): Promise<boolean> {
  try {
    await writeFile(path, text, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') { return false; }
    throw e;
  }
}

/** Append the lines a text file lacks; true when it changed. */
export async function ensureLines(path: string, lines: string[]): Promise<boolean> {
  let text = '';
  try { text = await readFile(path, 'utf8'); } catch { /* new file */ }
  const have = new Set(text.split(/\r?\n/).map(l => l.trim()));
  const missing = lines.filter(l => !have.has(l));
  if (missing.length === 0) { return false; }
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFile(path, text + sep + missing.join('\n') + '\n');
  return true;
}
