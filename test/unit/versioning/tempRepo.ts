// A throwaway git repository for versioning tests, with its own git config (the real global config is never read or touched).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../../src/cli/main';

export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  write(rel: string, data: string | Uint8Array): void;
  read(rel: string): string;
  cli(...argv: string[]): Promise<{ code: number; out: string; err: string }>;
  cleanup(): void;
}

/** Point git at a private config once per test process. */
export function isolateGitConfig(): string {
  if (!process.env.STRATA_TEST_GITCONFIG) {
    const home = mkdtempSync(join(tmpdir(), 'strata-gitcfg-'));
    const cfg = join(home, 'gitconfig');
    writeFileSync(cfg, '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n');
    process.env.GIT_CONFIG_GLOBAL = cfg;
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    process.env.STRATA_TEST_GITCONFIG = cfg;
  }
  return process.env.STRATA_TEST_GITCONFIG;
}

export function makeTempRepo(opts: { init?: boolean } = {}): TempRepo {
  isolateGitConfig();
  const dir = mkdtempSync(join(tmpdir(), 'strata-repo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: process.env });
  if (opts.init !== false) { git('init', '-q'); }
  return {
    dir,
    git,
    write(rel, data) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), data);
    },
    read: rel => readFileSync(join(dir, rel), 'utf8'),
    cli: makeCliIn(dir),
    cleanup() {
      execFileSync('chmod', ['-R', 'u+w', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the CLI with `cwd` as the current folder, its output and errors joined into lines. */
export function makeCliIn(cwd: string): (...argv: string[]) => Promise<{ code: number; out: string; err: string }> {
  return async (...argv) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: s => out.push(s), err: s => err.push(s), cwd });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
}
