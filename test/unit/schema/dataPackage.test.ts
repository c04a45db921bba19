import { describe, expect, it } from 'vitest';
import { dataPackageWarnings, parseDataPackageText } from '../../../src/core/schema/dataPackage';
import { ignoredConstraints } from '../../../src/core/schema/fieldConstraints';
import { parseTableSchema } from '../../../src/core/schema/tableSchema';

describe('ignoredConstraints', () => {
  it('names each constraint a field type does not support, by its pointer in the schema', () => {
    const schema = parseTableSchema({
      fields: [
        { name: 's', type: 'string', constraints: { pattern: 'a', maxLength: 3, enum: ['a'] } },
        { name: 'n', type: 'integer', constraints: { required: true, unique: true, pattern: '[0-9]+', minimum: 0, enum: [1] } },
        { name: 'b', type: 'boolean', constraints: { pattern: 'true', enum: [true] } },
        { name: 'o', type: 'object', constraints: { jsonSchema: { type: 'object' }, minLength: 1 } },
        { name: 't', type: 'string', constraints: { jsonSchema: { type: 'string' } } },
      ],
    }, 'd.schema.json');
    expect(ignoredConstraints(schema)).toEqual([
      { code: 'unsupported', pointer: '/fields/1/constraints/pattern', message: 'constraint "pattern" of field "n" is ignored: integer fields do not support it' },
      { code: 'unsupported', pointer: '/fields/2/constraints/pattern', message: 'constraint "pattern" of field "b" is ignored: boolean fields do not support it' },
      { code: 'unsupported', pointer: '/fields/4/constraints/jsonSchema', message: 'constraint "jsonSchema" of field "t" is ignored: string fields do not support it' },
    ]);
  });
});

describe('dataPackageWarnings', () => {
  it('reports a foreign key to a resource the package lacks, and ignored constraints, by their pointers in the package', () => {
    const pkg = parseDataPackageText(JSON.stringify({
      resources: [
        { name: 'pop', path: 'pop.csv', schema: { fields: [{ name: 'cc' }, { name: 'yr', type: 'integer', constraints: { pattern: '\\d{4}' } }] } },
        {
          name: 'obs', path: 'obs.csv',
          schema: {
            fields: [{ name: 'id', type: 'integer' }, { name: 'cc' }, { name: 'boss', type: 'integer' }],
            foreignKeys: [
              { fields: 'cc', reference: { resource: 'pop', fields: 'cc' } },
              { fields: 'cc', reference: { resource: 'nope', fields: 'cc' } },
              { fields: 'boss', reference: { resource: '', fields: 'id' } },
            ],
          },
        },
      ],
    }), 'datapackage.json');
    expect(dataPackageWarnings(pkg)).toEqual([
      { code: 'unsupported', pointer: '/resources/0/schema/fields/1/constraints/pattern', message: 'constraint "pattern" of field "yr" is ignored: integer fields do not support it' },
      {
        code: 'invalid-schema', pointer: '/resources/1/schema/foreignKeys/1/reference/resource',
        message: 'foreign key (cc) refers to the resource "nope", which this data package does not have',
      },
    ]);
  });
});
