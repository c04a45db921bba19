// `.dvcignore` rules (gitignore syntax, in the repository root or any folder, as DVC reads them): which workspace paths hashing and listing skip.
import { readFileSync } from 'node:fs';
import ignore, { type Ignore } from 'ignore';
import { join } from 'node:path';
import type { Repository } from './repository';

export const DVCIGNORE = '.dvcignore';

/** The rules of one repository, each folder's `.dvcignore` read once (it is a few lines; read without a promise). */
export class DvcIgnore {
  private readonly byDir = new Map<string, Ignore | null>();

  constructor(private readonly repo: Repository) {}

  /** The rules a folder's `.dvcignore` holds; null when it has none (or no file). */
  private rulesOf(dir: string): Ignore | null {
    let rules = this.byDir.get(dir);
    if (rules === undefined) {
      rules = null;
      try {
        const text = readFileSync(join(this.repo.root, ...dir.split('/'), DVCIGNORE), 'utf8');
        // comments and blank lines only: no rules, and no matching cost per path
        if (/^\s*[^#\s]/m.test(text)) { rules = ignore().add(text); }
      } catch { /* no .dvcignore in this folder */ }
      this.byDir.set(dir, rules);
    }
    return rules;
  }

  /**
   * Whether the entry at `rel` (root-relative, posix) is ignored by the rules of the folders above it.
   * Walkers ask this of every entry they meet and do not enter an ignored folder, so, as in git,
   * nothing under an ignored folder can be taken back by a `!` rule.
   */
  ignores(rel: string, isDir: boolean): boolean {
    let at = -1;
    for (;;) {
      const dir = at < 0 ? '' : rel.slice(0, at);
      const rules = this.rulesOf(dir);
      if (rules) {
        const sub = at < 0 ? rel : rel.slice(at + 1);
        if (rules.ignores(isDir ? `${sub}/` : sub)) { return true; }
      }
      at = rel.indexOf('/', at + 1);
      if (at < 0) { return false; }
    }
  }

  /** `ignores` for a path and every folder above it (a path named directly rather than met in a walk). */
  ignoresPath(rel: string, isDir: boolean): boolean {
    for (let at = rel.indexOf('/'); at >= 0; at = rel.indexOf('/', at + 1)) {
      if (this.ignores(rel.slice(0, at), true)) { return true; }
    }
    return this.ignores(rel, isDir);
  }
}

const perRepo = new WeakMap<Repository, DvcIgnore>();

/** The `.dvcignore` rules of an open repository (read once per operation). */
export function dvcIgnoreOf(repo: Repository): DvcIgnore {
  let rules = perRepo.get(repo);
  if (!rules) { rules = new DvcIgnore(repo); perRepo.set(repo, rules); }
  return rules;
}
