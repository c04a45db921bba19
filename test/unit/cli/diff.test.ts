// `strata diff` on files in a temporary folder: a dataset compared with itself, the usage error for a
// single dataset, --no-schema, -n, and the help text.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';

let dir: string;

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['diff', ...argv], { out: s => out.push(s), err: s => err.push(s), cwd: dir });
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-diff-'));
  writeFileSync(join(dir, 'a.csv'), 'id,code,v\n1,a,x\n2,b,y\n3,c,z\n');
  writeFileSync(join(dir, 'b.csv'), 'id,code,v\n1,b,x\n2,a,y\n3,c,w\n');
  // the schema's primary key is `code`, though `id` is unique too
  writeFileSync(join(dir, 'b.csv.schema.json'), JSON.stringify({
    fields: [{ name: 'id', type: 'integer' }, { name: 'code', type: 'string' }, { name: 'v', type: 'string' }],
    primaryKey: ['code'],
  }));
  writeFileSync(join(dir, 'c.csv'), 'id,code,v,w\n1,a,x,1\n2,b,y,2\n4,d,z,3\n');
  mkdirSync(join(dir, 'folder'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('strata diff: a dataset against itself', () => {
  it('finds a file named twice identical, exit 0', async () => {
    const r = await run('a.csv', 'a.csv');
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('identical');
    expect(r.out).toContain('rows: +0 added, -0 removed, ~0 changed, 3 unchanged (3 → 3)');
  });

  it('calls a single dataset with no revision a usage error, in words that fit a file or a folder', async () => {
    for (const path of ['a.csv', 'folder']) {
      const r = await run(path);
      expect(r.code, path).toBe(2);
      expect(r.err[0]).toMatch(new RegExp(`^strata diff: nothing to compare ${path} with: give a second dataset, or --rev-a REV`));
    }
  });

  it('says a folder named twice is not a dataset file', async () => {
    const r = await run('folder', 'folder');
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`strata diff: ${join(dir, 'folder')} is a folder, not a dataset file`]);
  });
});

describe('strata diff --no-schema', () => {
  it('matches rows by the primary key of the schema beside the file, and ignores that schema with --no-schema', async () => {
    const withSchema = JSON.parse((await run('a.csv', 'b.csv', '--json')).out.join('\n'));
    expect(withSchema).toMatchObject({ key: ['code'], keySource: 'primaryKey' });
    const without = JSON.parse((await run('a.csv', 'b.csv', '--json', '--no-schema')).out.join('\n'));
    expect(without).toMatchObject({ key: ['id'], keySource: 'detected' });
  });

  it('is explained in diff --help with the other options', async () => {
    const out: string[] = [];
    expect(await runCli(['diff', '--help'], { out: s => out.push(s), err: () => undefined, cwd: dir })).toBe(0);
    const help = out.join('\n');
    expect(help).toContain('  --no-schema\n');
    expect(help).toMatch(/primaryKey of the Table Schema beside the newer file[\s\S]*unless --no-schema/);
    expect(help).toMatch(/A dataset compared with itself is identical \(exit 0\)/);
    expect(help).toMatch(/--limit N: rows listed\s+\(default 20, 100 with --json; 0 lists none/);
  });
});

describe('strata diff -n', () => {
  it('-n 0 prints the summary without a row table, even when columns were added', async () => {
    const r = await run('a.csv', 'c.csv', '-n', '0');
    expect(r.code).toBe(1);
    expect(r.out).toContain('rows: +1 added, -1 removed, ~0 changed, 2 unchanged (3 → 3)');
    expect(r.out).toContain('schema: added w (3 → 4 columns)');
    expect(r.out.some(l => /^(@@|!|\.\.\.)/.test(l))).toBe(false);
  });
});
