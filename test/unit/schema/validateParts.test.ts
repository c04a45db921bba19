import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { partFirstRow, type RowPart } from '../../../src/core/schema/datasetTableSource';
import type { TableIssue } from '../../../src/core/schema/tableIssues';
import { validateDataset, validatePlanJob } from '../../../src/node/jobs/validateJobs';
import { EarlyCollector, inThreadValidationJobs, validateInParts } from '../../../src/node/schema/validateSplit';

const dir = mkdtempSync(join(tmpdir(), 'strata-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = { signal: new AbortController().signal, progress: () => undefined };

/** A CSV of `n` rows (id, code, a, b, note) with its schema beside it; `edit` changes rows before writing. */
function table(name: string, n: number, schema: object, edit: (rows: string[][]) => void = () => undefined): string {
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) { rows.push([String(i + 1), `c${i * 7}`, String(i % 50), String(Math.floor(i / 50)), i % 97 === 0 ? '"a, quoted\nnote"' : 'plain']); }
  edit(rows);
  const path = join(dir, name);
  writeFileSync(path, ['id,code,a,b,note', ...rows.map(r => r.join(','))].join('\n') + '\n');
  writeFileSync(`${path.slice(0, -4)}.schema.json`, JSON.stringify(schema));
  return path;
}

const SCHEMA = {
  fields: [
    { name: 'id', type: 'integer', constraints: { unique: true } },
    { name: 'code', type: 'string', constraints: { unique: true } },
    { name: 'a', type: 'integer' },
    { name: 'b', type: 'integer' },
    { name: 'note', type: 'string' },
  ],
  primaryKey: ['id'],
  uniqueKeys: [['a', 'b']],
};

const brief = (i: TableIssue): string => `${i.type} ${i.rowNumber} ${i.fieldName} ${i.message} ${JSON.stringify(i.range ?? null)}`;

async function both(path: string): Promise<{ whole: Awaited<ReturnType<typeof validateDataset>>; parts: Awaited<ReturnType<typeof validateDataset>> }> {
  const whole = await validateDataset({ path }, ctx);
  const parts = await validateInParts(inThreadValidationJobs, { path }, { parts: 2, minBytes: 0 });
  return { whole, parts };
}

describe('validation in parts', () => {
  it('splits a file in two at a row start and finds what one pass finds when nothing repeats', async () => {
    const path = table('clean.csv', 3000, SCHEMA);
    const plan = await validatePlanJob({ path, parts: 2, minBytes: 0 }, ctx);
    const value = plan && 'value' in plan ? plan.value : plan;
    expect(value?.parts.length).toBe(2);
    expect(value && partFirstRow(value.parts[1])).toBeGreaterThan(1000);
    expect(value?.index).toBeNull(); // cut by scanning the first part only: no whole row index before the parts start
    const { whole, parts } = await both(path);
    expect(whole.summary.total).toBe(0);
    expect(parts.summary).toEqual(whole.summary);
  });

  it('reports a duplicate key split across the two halves (run-kept ids, hashed texts, a composite key)', async () => {
    const path = table('dupes.csv', 3000, SCHEMA, rows => {
      rows[2900][0] = rows[10][0]; // id 11 again in the second half: unique-error and primary-key
      rows[2950][1] = rows[20][1]; // a code of the first half again
      rows[2990][2] = rows[30][2]; // (a, b) of row 31 again
      rows[2990][3] = rows[30][3];
    });
    const { whole, parts } = await both(path);
    expect(whole.summary.counts).toEqual({ 'unique-error': 3, 'primary-key': 1 });
    expect(parts.summary.counts).toEqual(whole.summary.counts);
    expect(parts.issues.map(brief)).toEqual(whole.issues.map(brief));
    const pk = parts.issues.find(i => i.type === 'primary-key');
    expect(pk?.rowNumber).toBe(2902);
    expect(pk?.message).toContain('repeats row 12');
    expect(pk?.range?.line).toBeGreaterThan(2900); // quoted notes span lines: the line is not the row
  });

  it('finds a repeat of an out-of-order id (kept hashed in one part, as a run in the other)', async () => {
    const path = table('shuffled.csv', 3000, { fields: SCHEMA.fields.slice(0, 1).concat(SCHEMA.fields.slice(2)).map(f => ({ ...f, constraints: {} })), primaryKey: ['id'] }, rows => {
      // ids 1..3000 ascending except one late id far out of order in the second half that the first half holds
      rows[2500][0] = '7';
      for (const r of rows) { r.splice(1, 1); }
    });
    const text = (await import('node:fs')).readFileSync(path, 'utf8').replace('id,code,a,b,note', 'id,a,b,note');
    writeFileSync(path, text);
    const { whole, parts } = await both(path);
    expect(whole.summary.counts['primary-key']).toBe(1);
    expect(parts.issues.map(brief)).toEqual(whole.issues.map(brief));
  });

  it('reads a first row holding the schema\'s field names as the header in every part', async () => {
    const path = join(dir, 'years.csv');
    const rows = ['2020,2021'];
    for (let i = 0; i < 3000; i++) { rows.push(`${i % 50},${i}`); }
    writeFileSync(path, rows.join('\n') + '\n');
    writeFileSync(join(dir, 'years.schema.json'), JSON.stringify({
      fields: [{ name: '2020', type: 'integer', constraints: { maximum: 100 } }, { name: '2021', type: 'integer', constraints: { unique: true } }],
    }));
    const plan = await validatePlanJob({ path, parts: 2, minBytes: 0 }, ctx);
    const value = plan && 'value' in plan ? plan.value : plan;
    expect(value?.labels).toEqual(['2020', '2021']);
    const { whole, parts } = await both(path);
    expect(whole.issues).toEqual([]);
    expect(parts.issues).toEqual([]);
  });

  it('numbers rows and lines past lines above the header alike in one pass and in parts', async () => {
    const path = table('titled.csv', 3000, SCHEMA, rows => {
      rows[5][2] = 'x'; // a type error in the first half
      rows[2900][0] = rows[10][0]; // a repeat across the halves, found on merging
    });
    writeFileSync(path, `Quarterly export\n# source: ACME, Inc.\n\n${(await import('node:fs')).readFileSync(path, 'utf8')}`);
    const plan = await validatePlanJob({ path, parts: 2, minBytes: 0 }, ctx);
    const value = plan && 'value' in plan ? plan.value : plan;
    expect(value?.labels).toEqual(['id', 'code', 'a', 'b', 'note']);
    expect(value?.parts.length).toBe(2);
    const { whole, parts } = await both(path);
    expect(parts.issues.map(brief)).toEqual(whole.issues.map(brief));
    expect(parts.summary.notes).toEqual(['skipped 3 lines above the header (a title or comments)']);
    expect(whole.summary.notes).toEqual(parts.summary.notes);
    const typeError = whole.issues.find(i => i.type === 'type-error');
    // the header on line 4; row 0's quoted note takes two lines, so row 5 is on line 11 (0-based 10)
    expect([typeError?.rowNumber, typeError?.range?.line]).toEqual([10, 10]);
    const pk = parts.issues.find(i => i.type === 'primary-key');
    expect(pk?.rowNumber).toBe(2905);
    expect(pk?.message).toContain('repeats row 15');
  });

  it('adds personal-data counts over the parts', async () => {
    const path = table('emails.csv', 3000, SCHEMA, rows => { for (const r of rows) { r[4] = `user${r[0]}@example.com`; } });
    const { whole, parts } = await both(path);
    const pii = (o: typeof whole): string[] => o.issues.filter(i => i.type === 'personal-data').map(brief);
    expect(pii(whole)).toHaveLength(1);
    expect(pii(parts)).toEqual(pii(whole));
  });
});

describe('validation in parts of Parquet, Arrow and JSON Lines files', () => {
  const n = 3000;
  // ids, codes and (a, b) repeat across the halves; one ratio is no integer; every mail is an address (personal data)
  const rows = Array.from({ length: n }, (_, i) => ({
    id: i === 2900 ? 11 : i + 1,
    code: `c${(i === 2950 ? 20 : i) * 7}`,
    a: (i === 2990 ? 30 : i) % 50,
    b: Math.floor((i === 2990 ? 30 : i) / 50),
    mail: `user${i}@example.com`,
    ratio: i === 2500 ? 0.5 : i,
    note: i % 13 === 0 ? null : `note ${i % 7}`,
  }));
  const schema = {
    fields: [...SCHEMA.fields.slice(0, 4), { name: 'mail', type: 'string' }, { name: 'ratio', type: 'integer' }, { name: 'note', type: 'string' }],
    primaryKey: ['id'],
    uniqueKeys: [['a', 'b']],
  };
  const col = <K extends keyof (typeof rows)[number]>(k: K): (typeof rows)[number][K][] => rows.map(r => r[k]);

  async function write(name: string, bytes: Uint8Array | string): Promise<string> {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    writeFileSync(join(dir, `${name.replace(/\.[^.]+$/, '')}.schema.json`), JSON.stringify(schema));
    return path;
  }

  const files: Record<string, () => Promise<string>> = {
    parquet: async () => {
      const { parquetWriteBuffer } = await import('hyparquet-writer');
      const columnData = [
        { name: 'id', data: col('id'), type: 'INT32' }, { name: 'code', data: col('code'), type: 'STRING' },
        { name: 'a', data: col('a'), type: 'INT32' }, { name: 'b', data: col('b'), type: 'INT32' },
        { name: 'mail', data: col('mail'), type: 'STRING' }, { name: 'ratio', data: col('ratio'), type: 'DOUBLE' },
        { name: 'note', data: col('note'), type: 'STRING' },
      ];
      return write('typed.parquet', new Uint8Array(parquetWriteBuffer({ columnData: columnData as never, rowGroupSize: 700 })));
    },
    arrow: async () => {
      const { tableFromArrays, tableToIPC } = await import('apache-arrow');
      const table = tableFromArrays({
        id: Int32Array.from(col('id')), code: col('code'), a: Int32Array.from(col('a')), b: Int32Array.from(col('b')),
        mail: col('mail'), ratio: Float64Array.from(col('ratio')), note: col('note'),
      });
      return write('typed.arrow', tableToIPC(table, 'file'));
    },
    jsonl: () => write('typed.jsonl', rows.map(r => JSON.stringify(r)).join('\n') + '\n'),
  };

  for (const [format, make] of Object.entries(files)) {
    it(`cuts a ${format} file into row ranges and finds what one pass finds`, async () => {
      const path = await make();
      const plan = await validatePlanJob({ path, parts: 2, minBytes: 0 }, ctx);
      const value = plan && 'value' in plan ? plan.value : plan;
      // a JSON Lines file is cut by bytes, at the row-index checkpoint (every 1,024 rows) before the middle
      expect(value?.parts.map(partFirstRow)).toEqual([0, format === 'jsonl' ? 1024 : 1500]);
      expect(value?.labels).toEqual(['id', 'code', 'a', 'b', 'mail', 'ratio', 'note']);
      const { whole, parts } = await both(path);
      expect(whole.format).toBe(format);
      expect(whole.summary.counts).toEqual({ 'unique-error': 3, 'primary-key': 1, 'type-error': 1, 'personal-data': 1 });
      expect(parts.summary).toEqual(whole.summary);
      expect(parts.issues.map(brief)).toEqual(whole.issues.map(brief));
      const pk = parts.issues.find(i => i.type === 'primary-key');
      expect(pk?.rowNumber).toBe(2902);
      expect(pk?.message).toContain('repeats row 12');
      // progress counts each part's share of the file's bytes, out of the whole file's (reports are at most every 100 ms)
      const seen: { done: number; total?: number }[] = [];
      await validateInParts(inThreadValidationJobs, { path }, { parts: 2, minBytes: 0, onProgress: p => { if (p.phase === 'validating') { seen.push(p); } } });
      const size = statSync(path).size;
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((p, i) => p.total === size && p.done <= size && (i === 0 || p.done >= seen[i - 1].done))).toBe(true);
    });
  }

  it('cuts a JSON Lines file too large to count at once without counting its second half, and finds what one pass finds', async () => {
    // about 9 MB: its rows are counted in 4 MB steps only as far as the cut; id 7 comes back near the end
    const big = Array.from({ length: 90_000 }, (_, i) => JSON.stringify({ ...rows[i % n], id: i === 89_000 ? 7 : i + 1, code: `k${i}`, a: i, b: 0, ratio: i }));
    const path = await write('big.jsonl', big.join('\n') + '\n');
    const plan = await validatePlanJob({ path, parts: 2, minBytes: 0 }, ctx);
    const value = plan && 'value' in plan ? plan.value : plan;
    const parts = (value?.parts ?? []) as RowPart[];
    expect(parts).toHaveLength(2);
    expect(parts[1].startRow % 1024).toBe(0);
    expect(parts[1].endRow).toBe(Infinity);
    expect(parts[0].bytes + parts[1].bytes).toBe(statSync(path).size);
    // the parts start (and the first stops) where the plan's count found, so neither counts rows again
    const cut = { row: parts[1].startRow, offset: parts[0].bytes, line: parts[1].startRow + 1 };
    expect(parts.map(p => p.rowStarts)).toEqual([[{ row: 0, offset: 0, line: 1 }, cut], [cut]]);
    const { whole, parts: split } = await both(path);
    expect(whole.summary.counts).toMatchObject({ 'primary-key': 1 });
    expect(split.summary).toEqual(whole.summary);
    expect(split.issues.map(brief)).toEqual(whole.issues.map(brief));
    expect(split.issues.find(i => i.type === 'primary-key')?.rowNumber).toBe(89_002);
  });

  it('reports every JSON Lines line that is not an object as a format-error at its line, past the first 1,000, whole and in parts', async () => {
    // 3,000 lines, every other one broken: 1,500 unread rows, none of them blank
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 2 ? '{not json' : JSON.stringify({ id: i + 1, code: `c${i}` })));
    const path = join(dir, 'broken.jsonl');
    writeFileSync(path, lines.join('\n') + '\n');
    const plan = await validatePlanJob({ path, parts: 2, minBytes: 0 }, ctx);
    const value = plan && 'value' in plan ? plan.value : plan;
    expect(value?.parts.map(partFirstRow)).toEqual([0, 1024]);
    const input = { path, maxIssues: 2000, pii: false };
    const whole = await validateDataset(input, ctx);
    const parts = await validateInParts(inThreadValidationJobs, input, { parts: 2, minBytes: 0 });
    // line 2k + 2 (1-based) is row 2k + 3 counting the header as row 1
    const expected = Array.from({ length: 1500 }, (_, k) => ['format-error', 2 * k + 3, 2 * k + 1, `line ${2 * k + 2} is not valid JSON`]);
    for (const out of [whole, parts]) {
      expect(out.summary.counts).toEqual({ 'format-error': 1500 });
      expect(out.issues.map(i => [i.type, i.rowNumber, i.range?.line, i.message.replace(/ \(.*\)$/, '')])).toEqual(expected);
    }
  });

  it('leaves a small file or a file it cannot read whole', async () => {
    const path = await files.jsonl();
    expect(await validatePlanJob({ path, parts: 2 }, ctx)).toBeNull(); // under 8 MB
    const bad = await write('bad.parquet', 'PAR1 not a parquet file');
    expect(await validatePlanJob({ path: bad, parts: 2, minBytes: 0 }, ctx)).toBeNull();
    const out = await validateInParts(inThreadValidationJobs, { path: bad }, { parts: 2, minBytes: 0 });
    expect(out.dataError?.message).toBeTruthy();
  });
});

describe('EarlyCollector', () => {
  const issue = (row: number): TableIssue => ({
    type: 'type-error', severity: 'error', message: `m${row}`, row, rowNumber: row + 2, fieldName: 'x', fieldNumber: 1, cell: 'v',
  });

  it('lists the first part\'s issues before a later part\'s, up to the cap, and tells each change', () => {
    const seen: number[][] = [];
    const c = new EarlyCollector(3, list => seen.push(list.map(i => i.row as number)));
    c.add(1, [issue(900)]);
    c.add(0, [issue(5), issue(6)]);
    c.add(0, [issue(7)]);
    c.add(1, [issue(901)]); // the cap is full with earlier rows: nothing changes
    expect(seen).toEqual([[900], [5, 6, 900], [5, 6, 7]]);
  });
});
