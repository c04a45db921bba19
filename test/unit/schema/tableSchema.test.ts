import { describe, expect, it } from 'vitest';
import { isSchemaError, type SchemaError } from '../../../src/core/schema/schemaError';
import { parseTableDialect, parseTableSchema, parseTableSchemaText, stringifyTableSchema } from '../../../src/core/schema/tableSchema';

function problemOf(fn: () => unknown): SchemaError {
  try {
    fn();
  } catch (e) {
    if (isSchemaError(e)) { return e; }
    throw e;
  }
  throw new Error('expected a SchemaError');
}

describe('parseTableSchema', () => {
  it('normalises a v1 schema: single-string keys become arrays, self-reference "" becomes null, defaults filled', () => {
    const s = parseTableSchema({
      fields: [{ name: 'id', type: 'integer' }, { name: 'parent', type: 'integer' }, { name: 'when', type: 'date', format: 'fmt:%d/%m/%Y' }],
      primaryKey: 'id',
      foreignKeys: [{ fields: 'parent', reference: { resource: '', fields: 'id' } }],
    }, 'v1.json');
    expect(s.primaryKey).toEqual(['id']);
    expect(s.foreignKeys).toEqual([{ fields: ['parent'], reference: { resource: null, fields: ['id'] } }]);
    expect(s.fields[2].format).toBe('%d/%m/%Y');
    expect(s.fieldsMatch).toBe('exact');
    expect(s.missingValues).toEqual(['']);
  });

  it('reads v2 additions: fieldsMatch, uniqueKeys, object missing values, categories, and a field without type is "any"', () => {
    const s = parseTableSchema({
      fields: [{ name: 'a' }, { name: 'b', type: 'integer', categories: [{ value: 1, label: 'one' }, { value: 2 }] }],
      fieldsMatch: 'subset',
      missingValues: [{ value: '', label: 'OMITTED' }, { value: '-99', label: 'REFUSED' }],
      uniqueKeys: [['a', 'b']],
    }, 'v2.json');
    expect(s.fields[0].type).toBe('any');
    expect(s.fields[1].categories).toEqual([1, 2]);
    expect(s.missingValues).toEqual(['', '-99']);
    expect(s.uniqueKeys).toEqual([['a', 'b']]);
    expect(s.fieldsMatch).toBe('subset');
  });

  it('keeps custom properties such as strata:pii and round-trips through stringify', () => {
    const text = JSON.stringify({ fields: [{ name: 'email', type: 'string', format: 'email', 'strata:pii': 'allowed', constraints: { required: true } }], primaryKey: ['email'] });
    const s = parseTableSchemaText(text, 'x.json');
    expect(s.fields[0]['strata:pii']).toBe('allowed');
    expect(JSON.parse(stringifyTableSchema(s))).toEqual(JSON.parse(text));
  });

  it('names the file, the place and the problem for invalid JSON', () => {
    const e = problemOf(() => parseTableSchemaText('{\n  "fields": [\n    {"name": "a",}\n  ]\n}', 'data/people.schema.json'));
    expect(e.code).toBe('invalid-json');
    expect(e.message).toMatch(/^data\/people\.schema\.json: not valid JSON: .* at line 3, column \d+$/);
  });

  it.each([
    [{}, '/fields', 'a Table Schema needs a "fields" array'],
    [[], '', 'a Table Schema must be a JSON object'],
    [{ fields: [{ type: 'integer' }] }, '/fields/0/name', 'a field needs a "name"'],
    [{ fields: [{ name: 'a', type: 'int' }] }, '/fields/0/type', 'unknown type "int"'],
    [{ fields: [{ name: 'a' }], primaryKey: ['b'] }, '/primaryKey/0', '"b" is not a field of this schema'],
    [{ fields: [{ name: 'a', type: 'string', constraints: { pattern: '(' } }] }, '/fields/0/constraints/pattern', 'not a valid regular expression'],
    [{ fields: [{ name: 'a', type: 'date', format: '%Q' }] }, '/fields/0/format', 'unknown directive %Q'],
    [{ fields: [{ name: 'a', type: 'string', format: 'phone' }] }, '/fields/0/format', 'string format must be one of'],
    [{ fields: [{ name: 'a', type: 'integer', constraints: { enum: ['x'] } }] }, '/fields/0/constraints/enum', 'enum value "x" is not a integer/default value'],
    [{ fields: [{ name: 'a', type: 'date', constraints: { minimum: '2020-13-01' } }] }, '/fields/0/constraints/minimum', 'is not a date/default value'],
    [{ fields: [{ name: 'a', type: 'boolean', constraints: { minimum: 1 } }] }, '/fields/0/constraints/minimum', 'does not apply to boolean fields'],
    [{ fields: [{ name: 'a', type: 'object', constraints: { jsonSchema: { $ref: '#/x' } } }] }, '/fields/0/constraints/jsonSchema/$ref', 'not checked by Strata'],
    [{ fields: [{ name: 'a' }], foreignKeys: [{ fields: ['a'], reference: { resource: 'r', fields: ['x', 'y'] } }] }, '/foreignKeys/0/reference/fields', 'has 2 field(s) but "fields" has 1'],
    [{ fields: [{ name: 'a', 'strata:pii': 'yes' }] }, '/fields/0/strata:pii', 'can only be "allowed"'],
  ])('rejects %j at %s', (descriptor, pointer, problem) => {
    const e = problemOf(() => parseTableSchema(descriptor, 's.json'));
    expect(e.code).toBe('invalid-schema');
    expect(e.pointer).toBe(pointer);
    expect(e.problem).toContain(problem);
    expect(e.message.startsWith('s.json: ')).toBe(true);
  });
});

describe('parseTableDialect', () => {
  it('reads delimiter, quoteChar and header', () => {
    expect(parseTableDialect({ delimiter: ';', quoteChar: "'", header: false }, 'dp.json')).toEqual({ delimiter: ';', quoteChar: "'", header: false });
  });
  it('rejects a multi-character delimiter', () => {
    expect(problemOf(() => parseTableDialect({ delimiter: ';;' }, 'dp.json')).pointer).toBe('/dialect/delimiter');
  });
  it('reads the one header row of headerRows, and refuses several or bad row numbers', () => {
    expect(parseTableDialect({ headerRows: [3] }, 'dp.json')).toEqual({ headerRows: [3] });
    const several = problemOf(() => parseTableDialect({ headerRows: [1, 2] }, 'dp.json'));
    expect([several.code, several.pointer]).toEqual(['unsupported', '/dialect/headerRows']);
    for (const bad of [[0], [], 2, ['1'], [1.5]]) {
      const e = problemOf(() => parseTableDialect({ headerRows: bad }, 'dp.json'));
      expect([e.code, e.pointer]).toEqual(['invalid-schema', '/dialect/headerRows']);
    }
  });
});
