import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepository } from '../../../src/node/versioning/initRepository';
import { trackPaths } from '../../../src/node/versioning/trackPaths';
import { datasetStatus } from '../../../src/node/versioning/datasetStatus';
import { listPointerFiles, openRepository } from '../../../src/node/versioning/repository';
import { DvcIgnore } from '../../../src/node/versioning/dvcIgnore';
import { isVersioningError } from '../../../src/core/versioning/versioningError';
import { makeTempRepo, type TempRepo } from './tempRepo';

let repo: TempRepo;
beforeEach(async () => {
  repo = makeTempRepo();
  await initRepository({ cwd: repo.dir });
});
afterEach(() => repo.cleanup());

describe('.dvcignore', () => {
  it('leaves ignored files and folders out of a tracked folder: hash, manifest, nfiles, size and status', async () => {
    repo.write('.dvcignore', '# scratch files\n*.tmp\ndata/cache/\n');
    repo.write('data/a.csv', 'a,1\n');
    repo.write('data/b.csv', 'b,2\n');
    repo.write('data/scratch.tmp', 'tmp\n');
    repo.write('data/cache/blob.bin', 'x');
    const r = await trackPaths({ cwd: repo.dir, paths: ['data'] });
    // md5sum of 'a,1\n' and 'b,2\n', then md5sum of the manifest below (printf '%s' ... | md5sum)
    const manifest = '[{"md5": "c9dea323bc24b952f3e602a8ec0768d0", "relpath": "a.csv"}, {"md5": "19308c166ae0232bc91d146b4b0ab6f1", "relpath": "b.csv"}]';
    expect(r.datasets[0]).toMatchObject({ hash: 'c297b8430fa00cfc957246b1760f88ef.dir', size: 8, nfiles: 2 });
    expect(repo.read('.dvc/cache/files/md5/c2/97b8430fa00cfc957246b1760f88ef.dir')).toBe(manifest);
    expect(repo.read('data.dvc')).toContain('nfiles: 2\n');

    repo.write('data/scratch.tmp', 'changed\n');
    repo.write('data/cache/more.bin', 'y');
    expect((await datasetStatus({ cwd: repo.dir })).datasets.map(d => d.state)).toEqual(['unchanged']);
    repo.write('data/c.csv', 'c,3\n');
    expect((await datasetStatus({ cwd: repo.dir })).datasets.map(d => d.state)).toEqual(['modified']);
  });

  it('reads a folder\'s own .dvcignore relative to that folder, with negation and folder-only rules', async () => {
    repo.write('.dvcignore', 'logs/\n');
    repo.write('data/.dvcignore', '*.bak\n!keep.bak\n/top.txt\n');
    const rules = new DvcIgnore(await openRepository(repo.dir));
    expect(rules.ignores('data/x.bak', false)).toBe(true);
    expect(rules.ignores('data/keep.bak', false)).toBe(false);
    expect(rules.ignores('data/top.txt', false)).toBe(true);
    expect(rules.ignores('data/sub/top.txt', false)).toBe(false); // anchored to data/
    expect(rules.ignores('other/x.bak', false)).toBe(false); // data/'s rules stop at data/
    expect(rules.ignores('data/logs', true)).toBe(true);
    expect(rules.ignores('data/logs', false)).toBe(false); // `logs/` names folders only
    expect(rules.ignoresPath('data/logs/today.csv', false)).toBe(true);
    expect(rules.ignores('data/a.csv', false)).toBe(false);
  });

  it('hides pointers inside ignored folders, and refuses to track an ignored path', async () => {
    repo.write('kept.csv', 'k\n');
    repo.write('vendor/lib.csv', 'v\n');
    await trackPaths({ cwd: repo.dir, paths: ['kept.csv', 'vendor/lib.csv'] });
    repo.write('.dvcignore', 'vendor/\n');
    expect(await listPointerFiles(await openRepository(repo.dir))).toEqual(['kept.csv.dvc']);

    repo.write('vendor/other.csv', 'o\n');
    let err: unknown;
    try { await trackPaths({ cwd: repo.dir, paths: ['vendor/other.csv'] }); } catch (e) { err = e; }
    expect(isVersioningError(err) && err.code).toBe('unsupported');
    expect((err as Error).message).toBe('vendor/other.csv is ignored by a .dvcignore rule; remove the rule to track it');
  });
});
