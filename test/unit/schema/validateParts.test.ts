import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
    expect(value?.parts[1].firstRow).toBeGreaterThan(1000);
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

  it('adds personal-data counts over the parts', async () => {
    const path = table('emails.csv', 3000, SCHEMA, rows => { for (const r of rows) { r[4] = `user${r[0]}@example.com`; } });
    const { whole, parts } = await both(path);
    const pii = (o: typeof whole): string[] => o.issues.filter(i => i.type === 'personal-data').map(brief);
    expect(pii(whole)).toHaveLength(1);
    expect(pii(parts)).toEqual(pii(whole));
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
