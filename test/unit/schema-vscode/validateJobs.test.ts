// The validateDataset and inferSchema jobs: files and unsaved text, the schema that applies (and its unsaved edits), caps, errors.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatasetError } from '../../../src/core/formats/errors';
import type { JobContext, JobProgress } from '../../../src/node/jobs/jobTypes';
import { inferSchemaJob, typeWidenings, validateDataset } from '../../../src/node/jobs/validateJobs';
import { parseTableSchemaText } from '../../../src/core/schema/tableSchema';
import { WorkerPool } from '../../../src/node/workerPool';
import { buildWorker, PRODUCTION_WORKER_ENTRY, type BuiltWorker } from '../node/support/buildWorker';

let dir: string;

function ctx(progress: JobProgress[] = [], signal = new AbortController().signal): JobContext {
  return { signal, progress: p => progress.push(p) };
}

async function put(rel: string, text: string): Promise<string> {
  const path = join(dir, rel);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

const SCHEMA = JSON.stringify({
  fields: [
    { name: 'id', type: 'integer', constraints: { required: true } },
    { name: 'note', type: 'string' },
    { name: 'score', type: 'number', constraints: { minimum: 0 } },
  ],
}, null, 2);

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'strata-validate-job-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('validateDataset', () => {
  it('reports each issue at its cell, over CRLF line ends and a quoted line break', async () => {
    // row 2 holds a quoted line break, so the bad score of row 3 sits on line 4 (0-based)
    const path = await put('crlf/data.csv', 'id,note,score\r\n1,plain,1.5\r\n2,"two\r\nlines",x\r\n3,ok,-4\r\n');
    await put('crlf/data.schema.json', SCHEMA);
    const progress: JobProgress[] = [];
    const out = await validateDataset({ path }, ctx(progress));
    expect(out.schema?.origin.kind).toBe('sidecar');
    expect(out.schema?.file).toBe(join(dir, 'crlf/data.schema.json'));
    expect(out.schema?.jsonPath).toEqual([]);
    expect(out.textPositions).toBe(true);
    const found = out.issues.map(i => ({ type: i.type, field: i.fieldName, cell: i.cell, range: i.range }));
    expect(found).toEqual([
      { type: 'type-error', field: 'score', cell: 'x', range: { line: 3, char: 7, endLine: 3, endChar: 8 } },
      { type: 'constraint-error', field: 'score', cell: '-4', range: { line: 4, char: 5, endLine: 4, endChar: 7 } },
    ]);
    expect(out.summary.counts).toEqual({ 'type-error': 1, 'constraint-error': 1 });
    expect(out.widenings).toEqual([{ field: 'score', type: 'string', format: 'default' }]);
    expect(progress.some(p => p.unit === 'bytes' && p.phase === 'validating')).toBe(true);
  });

  it('validates unsaved text instead of the file on disk', async () => {
    const path = await put('live/data.csv', 'id,note,score\n1,a,2\n');
    await put('live/data.schema.json', SCHEMA);
    const out = await validateDataset({ path, text: 'id,note,score\n1,a,2\nseven,b,3\n' }, ctx());
    expect(out.issues.map(i => [i.type, i.cell, i.range?.line, i.range?.char])).toEqual([['type-error', 'seven', 2, 0]]);
    expect(out.widenings).toEqual([{ field: 'id', type: 'string', format: 'default' }]);
  });

  it('uses the unsaved text of the schema when it is open', async () => {
    const path = await put('override/data.csv', 'id,note,score\n1,a,-1\n');
    const schemaPath = await put('override/data.schema.json', SCHEMA);
    const before = await validateDataset({ path }, ctx());
    expect(before.issues.map(i => i.type)).toEqual(['constraint-error']);
    const relaxed = SCHEMA.replace('"minimum": 0', '"minimum": -10');
    const after = await validateDataset({ path, schema: { overrides: [{ path: schemaPath, text: relaxed }] } }, ctx());
    expect(after.issues).toEqual([]);
  });

  it('a broken schema: says where it is wrong, checks structure only, and does not suggest inferring', async () => {
    const path = await put('broken/data.csv', 'a,a\n1,2,3\n');
    const schemaPath = await put('broken/data.schema.json', '{ "fields": [ { "name": "a", "type": "integr" } ] }');
    const out = await validateDataset({ path }, ctx());
    expect(out.schemaError).toEqual({ source: schemaPath, pointer: '/fields/0/type', problem: expect.stringContaining('unknown type "integr"') });
    expect(out.schema).toBeNull();
    expect(out.issues.map(i => i.type).sort()).toEqual(['duplicate-label', 'extra-cell']);
    expect(out.summary.schemaSuggested).toBe(false);
    // the unsaved, fixed text of the schema wins over the broken file
    const fixed = await validateDataset({
      path, schema: { overrides: [{ path: schemaPath, text: '{ "fields": [ { "name": "a", "type": "integer" }, { "name": "a2" } ], "fieldsMatch": "partial" }' }] },
    }, ctx());
    expect(fixed.schemaError).toBeNull();
    expect(fixed.schema?.origin.kind).toBe('sidecar');
  });

  it('no schema: structure and personal data only, and a schema is suggested', async () => {
    const rows = ['id,email'];
    for (let i = 0; i < 20; i++) { rows.push(`${i},person${i}@example.org`); }
    const path = await put('none/people.csv', rows.join('\n') + '\n');
    const out = await validateDataset({ path }, ctx());
    expect(out.schema).toBeNull();
    expect(out.summary.schemaSuggested).toBe(true);
    expect(out.issues.map(i => [i.type, i.fieldName, i.severity])).toEqual([['personal-data', 'email', 'warning']]);
    expect(out.candidates).toEqual([join(dir, 'none/people.schema.json'), join(dir, 'none/people.csv.schema.json')]);
    const off = await validateDataset({ path, pii: false }, ctx());
    expect(off.issues).toEqual([]);
  });

  it('reads a first row holding the schema\'s field names as the header, though it looks like data', async () => {
    const years = JSON.stringify({ fields: [{ name: '2020', type: 'integer', constraints: { maximum: 100 } }, { name: '2021', type: 'integer' }] });
    const path = await put('years/data.csv', '2020,2021\n1,2\n3,4\n');
    await put('years/data.schema.json', years);
    expect((await validateDataset({ path }, ctx())).issues).toEqual([]);
    expect((await validateDataset({ path, text: '2020,2021\n1,2\n300,4\n' }, ctx())).issues.map(i => [i.type, i.rowNumber, i.cell])).toEqual([
      ['constraint-error', 3, '300'],
    ]);
    // in any order when fieldsMatch allows it
    const reordered = await put('reordered/data.csv', '2021,2020\n1,2\n3,4\n');
    await put('reordered/data.schema.json', JSON.stringify({ ...JSON.parse(years), fieldsMatch: 'equal' }));
    expect((await validateDataset({ path: reordered }, ctx())).issues).toEqual([]);
  });

  it('a data package dialect without a header reads the first row as data, even when it holds the field names', async () => {
    await put('nohead/datapackage.json', JSON.stringify({
      resources: [{
        name: 'years', path: 'years.csv', dialect: { header: false },
        schema: { fields: [{ name: 'a', type: 'string', constraints: { enum: ['x'] } }, { name: 'b', type: 'string' }] },
      }],
    }));
    const path = await put('nohead/years.csv', 'a,b\nx,y\n');
    const out = await validateDataset({ path, schema: { workspaceRoot: dir } }, ctx());
    expect(out.issues.map(i => [i.type, i.rowNumber, i.cell])).toEqual([['constraint-error', 1, 'a']]);
  });

  it('caps the issues but counts them all', async () => {
    const rows = ['id,note,score'];
    for (let i = 0; i < 40; i++) { rows.push(`${i},n,${i % 2 ? 'bad' : '-1'}`); }
    const path = await put('cap/data.csv', rows.join('\n') + '\n');
    await put('cap/data.schema.json', SCHEMA);
    const out = await validateDataset({ path, maxIssues: 5 }, ctx());
    expect(out.issues).toHaveLength(5);
    expect(out.summary).toMatchObject({ total: 40, reported: 5, truncated: true, counts: { 'type-error': 20, 'constraint-error': 20 } });
  });

  it('an inline schema of a data package is located by its JSON path', async () => {
    await put('pkg/datapackage.json', JSON.stringify({
      resources: [
        { name: 'other', path: 'other.csv' },
        { name: 'cities', path: 'data/cities.csv', schema: { fields: [{ name: 'name', type: 'string' }, { name: 'pop', type: 'integer' }] } },
      ],
    }, null, 2));
    const path = await put('pkg/data/cities.csv', 'name,pop\nOslo,many\n');
    const out = await validateDataset({ path, schema: { workspaceRoot: dir } }, ctx());
    expect(out.schema).toMatchObject({ file: join(dir, 'pkg/datapackage.json'), jsonPath: ['resources', 1, 'schema'], description: 'resource "cities" of pkg/datapackage.json' });
    expect(out.issues.map(i => [i.type, i.cell])).toEqual([['type-error', 'many']]);
  });

  it('a mapping from the strata.schemas setting applies first', async () => {
    const path = await put('mapped/a.csv', 'id,note,score\nx,a,1\n');
    await put('schemas/shared.json', SCHEMA);
    const out = await validateDataset({ path, schema: { workspaceRoot: dir, mappings: { 'mapped/*.csv': 'schemas/shared.json' } } }, ctx());
    expect(out.schema?.origin).toEqual({ kind: 'setting', schemaPath: join(dir, 'schemas/shared.json'), pattern: 'mapped/*.csv' });
    expect(out.issues.map(i => i.type)).toEqual(['type-error']);
  });

  it('a file it cannot read is a data error, not a crash', async () => {
    const path = await put('bad/empty.csv', '');
    const out = await validateDataset({ path }, ctx());
    expect(out.dataError?.code).toBe('empty');
    expect(out.issues).toEqual([]);
  });

  it('stops when cancelled', async () => {
    const path = await put('cancel/data.csv', 'a\n1\n');
    const c = new AbortController();
    c.abort();
    const e = await validateDataset({ path }, ctx([], c.signal)).catch(x => x);
    expect(isDatasetError(e) && e.code).toBe('cancelled');
  });
});

describe('typeWidenings', () => {
  const schema = parseTableSchemaText(JSON.stringify({
    fields: [
      { name: 'n', type: 'integer' }, { name: 'y', type: 'year' }, { name: 'd', type: 'date', format: '%d/%m/%Y' }, { name: 'b', type: 'boolean' },
    ],
  }), 's.json');
  const issue = (fieldName: string, cell: string) => ({
    type: 'type-error' as const, severity: 'error' as const, message: '', row: 0, rowNumber: 2, fieldName, fieldNumber: 1, cell,
  });

  it('picks the narrowest type that accepts every rejected value', () => {
    expect(typeWidenings(schema, [issue('n', '1.5'), issue('n', '2e3')])).toEqual([{ field: 'n', type: 'number', format: 'default' }]);
    expect(typeWidenings(schema, [issue('n', '1.5'), issue('n', 'many')])).toEqual([{ field: 'n', type: 'string', format: 'default' }]);
    expect(typeWidenings(schema, [issue('y', '12345')])).toEqual([{ field: 'y', type: 'integer', format: 'default' }]);
    expect(typeWidenings(schema, [issue('d', '2024-01-31')])).toEqual([{ field: 'd', type: 'date', format: 'any' }]);
    expect(typeWidenings(schema, [issue('b', 'yes')])).toEqual([{ field: 'b', type: 'string', format: 'default' }]);
  });
});

describe('inferSchema job', () => {
  it('infers the schema text and names the sidecar it would be written to', async () => {
    const path = await put('infer/orders.csv', 'id,amount,when\n1,2.5,2024-01-01\n2,3,2024-01-02\n');
    const out = await inferSchemaJob({ path }, ctx());
    const schema = parseTableSchemaText(out.text, 'inferred');
    expect(schema.fields.map(f => [f.name, f.type])).toEqual([['id', 'integer'], ['amount', 'number'], ['when', 'date']]);
    expect(out).toMatchObject({ rowsScanned: 2, complete: true, target: join(dir, 'infer/orders.schema.json') });
  });
});

describe('through the production worker', () => {
  let worker: BuiltWorker;
  let pool: WorkerPool;
  beforeAll(async () => {
    worker = await buildWorker(PRODUCTION_WORKER_ENTRY);
    pool = new WorkerPool({ workerPath: worker.path, maxThreads: 1 });
  });
  afterAll(async () => {
    await pool?.dispose();
    await worker?.dispose();
  });

  it('validateDataset and inferSchema run in a worker thread and their results cross back', async () => {
    const path = await put('worker/data.csv', 'id,note,score\n1,a,oops\n');
    await put('worker/data.schema.json', SCHEMA);
    const out = await pool.run('validateDataset', { path });
    expect(out.issues.map(i => [i.type, i.range])).toEqual([['type-error', { line: 1, char: 4, endLine: 1, endChar: 8 }]]);
    const inferred = await pool.run('inferSchema', { path });
    expect(JSON.parse(inferred.text).fields.map((f: { name: string }) => f.name)).toEqual(['id', 'note', 'score']);
  });
});
