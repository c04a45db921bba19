import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';

const ROOT = join(__dirname, '../../..');

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['head', ...argv], { out: s => out.push(s), err: s => err.push(s), cwd: ROOT });
  return { code, out, err };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-head-'));
  writeFileSync(join(dir, 'people.csv'), 'id,name,score,joined\n1,Ada,9.5,2024-01-31\n2,"Lovelace, A",NA,2024-02-01\n3,Bob,7,\n');
  writeFileSync(join(dir, 'notes.txt'), 'just words\n');
  writeFileSync(join(dir, 'empty.csv'), '');
  writeFileSync(join(dir, 'markers.csv'), 'code,n,when\nNA,NA,2024-01-01\nN/A,2,n/a\nx,null,\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('strata head', () => {
  it('prints the schema and rows as an aligned table', async () => {
    const r = await run(join(dir, 'people.csv'));
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out).toEqual([
      `${join(dir, 'people.csv')}: csv, 3 rows, 4 columns`,
      'id       name         score   joined',
      'integer  string       number  date',
      '-------  -----------  ------  ----------',
      '      1  Ada             9.5  2024-01-31',
      '      2  Lovelace, A    null  2024-02-01',
      '      3  Bob               7  null',
      '(rows 0–2)',
    ]);
  });

  it('shows a missing-value marker in a typed column as the null --json gives, and keeps it in a string column', async () => {
    const path = join(dir, 'markers.csv');
    const table = await run(path);
    expect(table.out.slice(1, -1)).toEqual([
      'code    n        when',
      'string  integer  date',
      '------  -------  ----------',
      'NA         null  2024-01-01',
      'N/A           2  null',
      'x          null  null',
    ]);
    const json = await run(path, '--json');
    expect(JSON.parse(json.out[0]).rows).toEqual([['NA', null, '2024-01-01'], ['N/A', 2, null], ['x', null, null]]);
  });

  it('-n and --offset choose the window (0-based, header excluded)', async () => {
    const r = await run('test/fixtures/arrow/sequence.arrow', '-n', '2', '--offset', '998');
    expect(r.out).toEqual([
      'test/fixtures/arrow/sequence.arrow: arrow, 1000 rows, 2 columns',
      'n        sq',
      'integer  number',
      '-------  ------',
      '    998  996004',
      '    999  998001',
      '(rows 998–999)',
    ]);
    const past = await run('test/fixtures/arrow/sequence.arrow', '--offset', '5000');
    expect(past.code).toBe(0);
    expect(past.out.at(-1)).toBe('(no rows at offset 5000)');
  });

  it('--json prints one stable object with JSON cells', async () => {
    const r = await run('test/fixtures/parquet/alltypes_plain.parquet', '-n', '2', '--offset', '6', '--json');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(r.out[0]).toBe(
      '{"format":"parquet","rowCount":8,"fields":[{"name":"id","type":"integer"},{"name":"bool_col","type":"boolean"},'
      + '{"name":"tinyint_col","type":"integer"},{"name":"smallint_col","type":"integer"},{"name":"int_col","type":"integer"},'
      + '{"name":"bigint_col","type":"integer"},{"name":"float_col","type":"number"},{"name":"double_col","type":"number"},'
      + '{"name":"date_string_col","type":"binary"},{"name":"string_col","type":"binary"},{"name":"timestamp_col","type":"datetime"}],'
      + '"rows":[[0,true,0,0,0,0,0,0,"30312f30312f3039","30","2009-01-01T00:00:00.000Z"],'
      + '[1,false,1,1,1,10,1.100000023841858,10.1,"30312f30312f3039","31","2009-01-01T00:01:00.000Z"]]}',
    );
  });

  it('--json keeps 64-bit integers and nested values exact; CSV cells convert by type', async () => {
    const jsonl = await run('test/fixtures/jsonl/events.jsonl', '--json', '-n', '1');
    const parsed = JSON.parse(jsonl.out[0]) as { format: string; rowCount: number; rows: unknown[][] };
    expect(parsed).toMatchObject({ format: 'jsonl', rowCount: 4 });
    expect(jsonl.out[0]).toContain(',9007199254740993,"[\\"a\\", 1]","{\\"n\\": 12345678901234567890}",');
    const csv = await run(join(dir, 'people.csv'), '--json');
    expect(JSON.parse(csv.out[0])).toEqual({
      format: 'csv', rowCount: 3,
      fields: [{ name: 'id', type: 'integer' }, { name: 'name', type: 'string' }, { name: 'score', type: 'number' }, { name: 'joined', type: 'date' }],
      rows: [[1, 'Ada', 9.5, '2024-01-31'], [2, 'Lovelace, A', null, '2024-02-01'], [3, 'Bob', 7, null]],
    });
  });

  it('warnings go to stderr and leave the exit code 0', async () => {
    const r = await run('test/fixtures/jsonl/broken.jsonl', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]).rows).toHaveLength(6);
    expect(r.err).toHaveLength(2);
    expect(r.err[1]).toBe('strata head: warning: line 5 is not valid JSON (expected a JSON object); its row is empty');
    expect(r.err[0]).toMatch(/^strata head: warning: line 3 is not valid JSON/);
  });

  it.each([
    [['nope.csv'], 'strata head: cannot read nope.csv: no such file'],
    [['test/fixtures/arrow/bad-magic.arrow'], 'strata head: test/fixtures/arrow/bad-magic.arrow: corrupt Arrow IPC file: bad magic number (neither ARROW1 nor an IPC stream)'],
    [['test/fixtures/parquet/uniform_encryption.parquet.encrypted'], 'strata head: test/fixtures/parquet/uniform_encryption.parquet.encrypted: encrypted Parquet files are not supported'],
    [['test/fixtures/parquet/bad_data/PARQUET-1481.parquet'], /^strata head: test\/fixtures\/parquet\/bad_data\/PARQUET-1481\.parquet: corrupt Parquet file: /],
    [['test/fixtures'], 'strata head: cannot read test/fixtures: it is a folder'],
    [[], 'strata head: which file? usage: strata head FILE [-n N] [--offset K] [--json]'],
    [['a.csv', 'b.csv'], 'strata head: give one file'],
    [['x.csv', '-n', '-1'], 'strata head: -n needs a whole number ≥ 0, got -1'],
    [['x.csv', '--offset', '1.5'], 'strata head: --offset needs a whole number ≥ 0, got 1.5'],
    [['x.csv', '--bogus'], 'strata head: unknown option --bogus'],
  ] as [string[], string | RegExp][])('bad input %j exits 2 with one line', async (argv, line) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    if (typeof line === 'string') { expect(r.err[0]).toBe(line); } else { expect(r.err[0]).toMatch(line); }
  });

  it('names the file once in a message that names it already', async () => {
    const r = await run(join(dir, 'empty.csv'));
    expect(r.code).toBe(2);
    expect(r.err).toEqual(['strata head: empty.csv is empty']);
    const bad = await run('x.csv', '-n', 'abc');
    expect(bad.err).toEqual(["strata head: -n needs a number, got 'abc'"]);
  });

  it('an unknown format exits 2', async () => {
    const r = await run(join(dir, 'notes.txt'));
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^strata head: .*notes\.txt: .*not a dataset format Strata knows/);
  });
});

describe('the built CLI', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
  }, 130_000);

  const spawn = (file: string, args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>(done => {
    execFile(file, args, { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });

  it('dist/cli.js runs by itself (as npx runs it) and prints the same JSON', async () => {
    const ok = await spawn(join(ROOT, 'dist/cli.js'), ['head', 'test/fixtures/arrow/types.arrows', '--json', '-n', '1']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')).toHaveLength(1);
    const parsed = JSON.parse(ok.stdout) as { format: string; rowCount: number; rows: unknown[][] };
    expect(parsed.format).toBe('arrow');
    expect(parsed.rowCount).toBe(3);
    expect(ok.stdout).toContain('[0,9007199254740993,18446744073709551615,0.5,true,"alpha"');
    const bad = await spawn(join(ROOT, 'dist/cli.js'), ['head', 'test/fixtures/arrow/truncated.arrow']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toEqual(['strata head: test/fixtures/arrow/truncated.arrow: corrupt Arrow IPC file: no ARROW1 magic at the end (the file is truncated)']);
  });

  it('npx strata resolves to the package bin', async () => {
    const r = await spawn('npx', ['--no-install', 'strata', 'head', 'test/fixtures/jsonl/events.jsonl', '-n', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('test/fixtures/jsonl/events.jsonl: jsonl, 4 rows, 11 columns');
  }, 60_000);
});
