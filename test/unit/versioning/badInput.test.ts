// Each fault the issue names gives one clear line from the CLI (exit 2), never a crash or a stack.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../../src/node/versioning/initRepository';
import { trackPaths } from '../../../src/node/versioning/trackPaths';
import { commitVersions } from '../../../src/node/versioning/commitVersions';
import { makeTempRepo, type TempRepo } from './tempRepo';

const FIX = join(__dirname, '../../fixtures/versioning');
let repo: TempRepo | undefined;
afterEach(() => { repo?.cleanup(); repo = undefined; });

async function tracked(): Promise<TempRepo> {
  const r = makeTempRepo();
  await initRepository({ cwd: r.dir });
  r.write('a.csv', 'a,1\n');
  await trackPaths({ cwd: r.dir, paths: ['a.csv'] });
  await commitVersions({ cwd: r.dir, message: 'v1' });
  return r;
}

describe('bad input: one clear message each', () => {
  it('git not installed: commands that need git say so; status, which does not, still works', async () => {
    repo = await tracked();
    repo.write('b.csv', 'b,1\n');
    const path = process.env.PATH;
    process.env.PATH = mkdtempSync(join(tmpdir(), 'strata-nogit-')); // an empty folder: no git on PATH
    try {
      const add = await repo.cli('add', 'b.csv');
      expect(add).toMatchObject({ code: 2, err: 'strata add: git is not installed (or not on PATH); install git to version data' });
      const status = await repo.cli('status', '--json');
      expect(status.code).toBe(0);
      expect(JSON.parse(status.out)).toEqual({ datasets: [{ path: 'a.csv', state: 'unchanged' }] });
    } finally {
      process.env.PATH = path;
    }
  });

  it('not a git repository', async () => {
    repo = makeTempRepo({ init: false });
    mkdirSync(join(repo.dir, '.dvc'));
    repo.write('a.csv', 'a,1\n');
    const add = await repo.cli('add', 'a.csv');
    expect(add).toMatchObject({ code: 2, err: 'strata add: this folder is not in a git repository; run `git init` first' });
  });

  it('index.lock held by another git process', async () => {
    repo = await tracked();
    repo.write('b.csv', 'b,1\n');
    writeFileSync(join(repo.dir, '.git/index.lock'), '');
    const add = await repo.cli('add', 'b.csv');
    expect(add).toMatchObject({ code: 2, err: 'strata add: another git process holds .git/index.lock; wait for it to finish (or remove the stale lock), then retry' });
  });

  it('merge conflict markers in a .dvc file: status names the file, commit refuses', async () => {
    repo = await tracked();
    repo.write('a.csv.dvc', readFileSync(join(FIX, 'conflict.dvc')));
    const status = await repo.cli('status');
    expect(status.code).toBe(2);
    expect(status.err).toBe('strata status: a.csv.dvc: has git merge conflict markers; resolve the conflict, then try again');
    const commit = await repo.cli('commit', '-m', 'x');
    expect(commit).toMatchObject({ code: 2, err: 'strata commit: a.csv.dvc: has git merge conflict markers; resolve the conflict, then try again' });
  });

  it('a pointer whose path leaves the workspace, relative or absolute', async () => {
    repo = await tracked();
    repo.write('d/evil.dvc', 'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: ../../etc/passwd\n');
    repo.write('abs.dvc', 'outs:\n- md5: acbd18db4cc2f85cedef654fccc4a4d8\n  size: 3\n  hash: md5\n  path: /etc/passwd\n');
    const status = await repo.cli('status');
    expect(status.code).toBe(2);
    expect(status.err.split('\n')).toEqual([
      "strata status: abs.dvc: output path '/etc/passwd' is absolute; it must stay inside the workspace",
      "strata status: d/evil.dvc: path 'd/../../etc/passwd' leaves the workspace and is refused",
    ]);
    repo.git('add', 'd/evil.dvc');
    repo.git('commit', '-q', '-m', 'evil');
    const checkout = await repo.cli('checkout', 'd/evil.dvc', '--rev', 'HEAD');
    expect(checkout).toMatchObject({ code: 2, err: "strata checkout: HEAD:d/evil.dvc: path 'd/../../etc/passwd' leaves the workspace and is refused" });
  });
});
