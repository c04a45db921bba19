import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSchemaError } from '../../../src/core/schema/schemaError';
import { describeSchemaOrigin, findSchemaFor, sidecarPaths } from '../../../src/node/schema/schemaDiscovery';

let root: string;

function put(rel: string, content: string | object): string {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const schemaWith = (name: string) => ({ fields: [{ name, type: 'string' }] });

beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'strata-schema-')); });
afterEach(() => { rmSync(root, { recursive: true, force: true }); });

describe('findSchemaFor', () => {
  it('finds a sidecar by stem (people.schema.json) before the full name (people.csv.schema.json), also for .csv.gz', async () => {
    const data = put('data/people.csv', 'a\n1\n');
    put('data/people.csv.schema.json', schemaWith('full'));
    expect((await findSchemaFor(data, { workspaceRoot: root }))?.schema.fields[0].name).toBe('full');
    put('data/people.schema.json', schemaWith('stem'));
    const found = await findSchemaFor(data, { workspaceRoot: root });
    expect(found?.schema.fields[0].name).toBe('stem');
    expect(found?.origin).toEqual({ kind: 'sidecar', schemaPath: join(root, 'data/people.schema.json') });
    expect(sidecarPaths(join(root, 'x/events.csv.gz'))).toEqual([join(root, 'x/events.schema.json'), join(root, 'x/events.csv.gz.schema.json')]);
  });

  it('finds the resource of the nearest data package listing the file, walking up to the workspace root', async () => {
    const data = put('project/raw/2024/sales.csv', 'a\n1\n');
    put('project/datapackage.json', {
      resources: [
        { name: 'other', path: 'raw/other.csv', schema: schemaWith('other') },
        { name: 'sales', path: ['raw/2024/sales.csv'], schema: 'schemas/sales.json', dialect: { delimiter: ';' } },
      ],
    });
    put('project/schemas/sales.json', schemaWith('amount'));
    const found = await findSchemaFor(data, { workspaceRoot: root });
    expect(found?.schema.fields[0].name).toBe('amount');
    expect(found?.dialect).toEqual({ delimiter: ';' });
    expect(found?.origin).toEqual({
      kind: 'datapackage', packagePath: join(root, 'project/datapackage.json'), resource: 'sales', schemaPath: join(root, 'project/schemas/sales.json'),
    });
    expect(found?.dataPackage?.pkg.resources.map(r => r.name)).toEqual(['other', 'sales']);
    expect(describeSchemaOrigin((found as NonNullable<typeof found>).origin, root)).toBe('resource "sales" of project/datapackage.json');
  });

  it('skips a nearer package that does not list the file', async () => {
    const data = put('a/b/t.csv', 'x\n1\n');
    put('a/b/datapackage.json', { resources: [{ name: 'u', path: 'u.csv' }] });
    put('a/datapackage.json', { resources: [{ name: 't', path: 'b/t.csv', schema: schemaWith('x') }] });
    expect((await findSchemaFor(data, { workspaceRoot: root }))?.origin).toMatchObject({ kind: 'datapackage', resource: 't' });
  });

  it('does not look above the workspace root', async () => {
    const data = put('ws/t.csv', 'x\n1\n');
    put('datapackage.json', { resources: [{ name: 't', path: 'ws/t.csv', schema: schemaWith('x') }] });
    expect(await findSchemaFor(data, { workspaceRoot: join(root, 'ws') })).toBeNull();
    expect(await findSchemaFor(data, { workspaceRoot: root })).not.toBeNull();
  });

  it('a strata.schemas mapping wins over a sidecar; an explicit schema wins over everything', async () => {
    const data = put('data/2024/jan.csv', 'x\n1\n');
    put('data/2024/jan.schema.json', schemaWith('sidecar'));
    put('schemas/monthly.json', schemaWith('mapped'));
    put('given.json', schemaWith('given'));
    const mapped = await findSchemaFor(data, { workspaceRoot: root, mappings: { 'data/**/*.csv': 'schemas/monthly.json' } });
    expect(mapped?.origin).toEqual({ kind: 'setting', schemaPath: join(root, 'schemas/monthly.json'), pattern: 'data/**/*.csv' });
    expect((await findSchemaFor(data, { workspaceRoot: root, mappings: { 'other/*.csv': 'schemas/monthly.json' } }))?.origin.kind).toBe('sidecar');
    const given = await findSchemaFor(data, { workspaceRoot: root, schemaPath: join(root, 'given.json'), mappings: { '**': 'schemas/monthly.json' } });
    expect(given?.schema.fields[0].name).toBe('given');
  });

  it('returns null when no schema applies', async () => {
    expect(await findSchemaFor(put('lonely.csv', 'x\n'), { workspaceRoot: root })).toBeNull();
  });

  it('names the broken file: a sidecar with a bad type, a data package that is not JSON, a missing mapped schema', async () => {
    const data = put('d/t.csv', 'x\n1\n');
    put('d/t.schema.json', { fields: [{ name: 'x', type: 'text' }] });
    const e1 = await findSchemaFor(data, { workspaceRoot: root }).catch((e: unknown) => e);
    expect(isSchemaError(e1) && e1.message).toBe(`${join(root, 'd/t.schema.json')}: /fields/0/type: unknown type "text" (expected one of string, number, integer, boolean, object, array, list, datetime, date, time, year, yearmonth, duration, geopoint, geojson, any)`);

    const data2 = put('p/t.csv', 'x\n1\n');
    put('p/datapackage.json', '{ "resources": [ }');
    const e2 = await findSchemaFor(data2, { workspaceRoot: root }).catch((e: unknown) => e);
    expect(isSchemaError(e2) && e2.message).toBe(`${join(root, 'p/datapackage.json')}: not valid JSON: unexpected "}" at line 1, column 18`);

    const e3 = await findSchemaFor(data2, { workspaceRoot: root, mappings: { 'p/*.csv': 'missing.json' } }).catch((e: unknown) => e);
    expect(isSchemaError(e3) && e3.message).toBe(`${join(root, 'missing.json')}: schema file not found`);
  });
});
