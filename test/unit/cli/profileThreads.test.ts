// The built CLI as a user runs it: `strata profile` and `strata validate` in two threads (the worker bundled beside the
// CLI) give what one thread gives, and output cut short by a closed pipe ends quietly.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle } from '../helpers/cliBundle';

const ROOT = join(__dirname, '../../..');
let buildDir: string;
let cli: string;

beforeAll(async () => {
  ({ dir: buildDir, cli } = await buildCliBundle('strata-cli-threads-'));
}, 60_000);
afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    execFile(process.execPath, [cli, ...args], { cwd: ROOT, timeout: 120_000, maxBuffer: 64 << 20, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * The profile without its timing (the one figure two runs never share), to 10 significant digits: the moments of two
 * merged halves differ from one pass's in the last bits (a skewness of 0 may come out as -7e-17).
 */
function figures(json: string): unknown {
  return JSON.parse(json, (key, value: unknown) => {
    if (key === 'elapsedMs') { return undefined; }
    if (typeof value !== 'number' || Number.isInteger(value)) { return value; }
    return Math.abs(value) < 1e-12 ? 0 : Number(value.toPrecision(10));
  });
}

/** `strata profile --json` of `file` in two threads succeeds and gives the figures of one thread, over `rows` rows. */
async function expectTwoThreadsLikeOne(file: string, rows: number): Promise<void> {
  const [two, one] = await Promise.all([
    run(['profile', file, '--json'], { STRATA_PROFILE_THREADS: 'always' }),
    run(['profile', file, '--json'], { STRATA_PROFILE_THREADS: '0' }),
  ]);
  expect(two.stderr).toBe('');
  expect(two.code).toBe(0);
  expect(one.code).toBe(0);
  expect((figures(two.stdout) as { rowsProfiled: number }).rowsProfiled).toBe(rows);
  expect(figures(two.stdout)).toEqual(figures(one.stdout));
}

describe('strata profile in two threads', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-profile-threads-'));
    file = join(dir, 'large.csv');
    // every column has few enough distinct values for the tables to stay exact, so that the merged halves must equal
    // one pass exactly; no two rows alike
    const lines = ['id_mod,code,score,day,label,flag,note'];
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
    for (let i = 0; i < 60_000; i++) {
      const day = new Date(Date.UTC(2020, 0, 1) + (i % 1500) * 86_400_000).toISOString().slice(0, 10);
      const note = i % 11 === 0 ? '' : `"${words[i % 8]}, ${words[(i * 3) % 8]} ""${i % 97}"""`;
      lines.push(`${i % 1000},${(i * 7) % 997},${((i * 13) % 10_000) / 100},${day},${words[i % 5]}-${i % 40},${i % 3 === 0},${note}`);
    }
    writeFileSync(file, lines.join('\n') + '\n');
    expect(statSync(file).size).toBeGreaterThan(2 * 1024 * 1024);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the figures of a one-thread pass', async () => {
    const always = { STRATA_PROFILE_THREADS: 'always' };
    const [two, one] = await Promise.all([run(['profile', file, '--json'], always), run(['profile', file, '--json'], { STRATA_PROFILE_THREADS: '0' })]);
    expect(two.stderr).toBe('');
    expect(two.code).toBe(0);
    expect(one.code).toBe(0);
    const p = figures(two.stdout) as { rowsProfiled: number; columns: number; duplicateRows: number };
    expect(p.rowsProfiled).toBe(60_000);
    expect(p.columns).toBe(7);
    expect(p.duplicateRows).toBe(0);
    expect(figures(two.stdout)).toEqual(figures(one.stdout));
    // the report says how it was made; a file this small is profiled in one thread unless asked
    const [threaded, plain] = await Promise.all([run(['profile', file], always), run(['profile', file])]);
    expect(threaded.stdout.split('\n')[0]).toMatch(/^large\.csv: 60,000 rows × 7 columns, 0 duplicate rows, .*\(full pass in 2 threads, [\d.]+ m?s\)$/);
    expect(plain.stdout.split('\n')[0]).toMatch(/\(full pass, [\d.]+ m?s\)$/);
  });

  it('gives the figures of a one-thread pass for a Parquet file too (its parts are row ranges)', async () => {
    const parquet = join(ROOT, 'test/fixtures/parquet/onegroup.parquet');
    await expectTwoThreadsLikeOne(parquet, 20_000);
  });

  it('gives the figures of a one-thread pass for a JSON Lines file too (its rows counted first, then split)', async () => {
    const jsonl = join(dir, 'large.jsonl');
    const words = ['alpha', 'beta', 'gamma', 'delta'];
    const lines = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({
      id: i % 997, score: ((i * 13) % 1000) / 10, word: i % 9 === 0 ? null : words[i % 4], ok: i % 3 === 0, tags: i % 50 === 0 ? [i, 'x'] : null,
    }));
    writeFileSync(jsonl, lines.join('\n') + '\n');
    await expectTwoThreadsLikeOne(jsonl, 30_000);
    const threaded = await run(['profile', jsonl], { STRATA_PROFILE_THREADS: 'always' });
    expect(threaded.stdout.split('\n')[0]).toMatch(/^large\.jsonl: 30,000 rows × 5 columns, .*\(full pass in 2 threads, [\d.]+ m?s\)$/);
  });

  it('stops quietly when the reader of its output goes away (`| head`)', async () => {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>(done => {
      execFile('sh', ['-c', `"${process.execPath}" "${cli}" head "${file}" -n 60000 | head -n 2`], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/large\.csv: csv, (about )?[\d,]+ rows, 7 columns$/);
  });
});

describe('strata validate in two threads', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'strata-validate-threads-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports of a JSON Lines file of 8 MB or more what one thread reports (a repeated id across its halves)', async () => {
    const file = join(dir, 'events.jsonl');
    const rows = 100_000;
    const lines = Array.from({ length: rows }, (_, i) => JSON.stringify({
      id: i === 90_000 ? 7 : i, score: i % 200 === 1 ? `n${i % 7}` : (i % 1000) / 10, note: `a note that pads the row to about ninety bytes, row ${i}`,
    }));
    writeFileSync(file, lines.join('\n') + '\n');
    expect(statSync(file).size).toBeGreaterThan(8 * 1024 * 1024);
    writeFileSync(join(dir, 'events.schema.json'), JSON.stringify({
      fields: [{ name: 'id', type: 'integer' }, { name: 'score', type: 'number' }, { name: 'note', type: 'string' }], primaryKey: ['id'],
    }));
    const [two, one] = await Promise.all([run(['validate', file, '--json']), run(['validate', file, '--json'], { STRATA_VALIDATE_THREADS: '0' })]);
    expect(two.code).toBe(1);
    expect(one.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    const report = JSON.parse(two.stdout) as { files: { errors: { type: string; row: number }[]; summary: { counts: Record<string, number> } }[] };
    expect(report.files[0].summary.counts).toEqual({ 'type-error': 500, 'primary-key': 1 });
    expect(report.files[0].errors.find(e => e.type === 'primary-key')?.row).toBe(90_002);
    // the lines printed place each issue at its value in the record's line, as one thread places them: {"id":7 at 7
    const [twoText, oneText] = await Promise.all([run(['validate', file]), run(['validate', file], { STRATA_VALIDATE_THREADS: '0' })]);
    expect(twoText.stdout).toBe(oneText.stdout);
    expect(twoText.stdout).toContain('events.jsonl:90001:7: primary-key: primary key (id) value "7" repeats row 9');
  });
});
