import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTableSchema } from '../../../src/core/schema/tableSchema';

const ROOT = join(__dirname, '../../..');
const jsonSchema = JSON.parse(readFileSync(join(ROOT, 'schemas/tableschema.json'), 'utf8'));
// the editor reads VS Code's own keywords (markdownEnumDescriptions); a validator only needs to let them be
const ajv = new Ajv({ allErrors: true, strict: false });
const check = ajv.compile(jsonSchema);

describe('schemas/tableschema.json', () => {
  it('accepts the schemas Strata accepts', () => {
    const good = [
      readFileSync(join(ROOT, 'test/fixtures/schema/people.schema.json'), 'utf8'),
      readFileSync(join(ROOT, 'test/fixtures/schema/package/cities.schema.json'), 'utf8'),
      JSON.stringify({
        fields: [
          { name: 'a' },
          { name: 'd', type: 'date', format: '%d/%m/%Y', constraints: { minimum: '01/01/2000' } },
          { name: 'e', type: 'string', format: 'email', 'strata:pii': 'allowed' },
          { name: 'l', type: 'list', itemType: 'integer', delimiter: ';' },
        ],
        fieldsMatch: 'equal', missingValues: [{ value: '-99', label: 'refused' }], primaryKey: 'a', uniqueKeys: [['a', 'd']],
        foreignKeys: [{ fields: 'a', reference: { resource: '', fields: 'a' } }],
      }),
    ];
    for (const text of good) {
      const d = JSON.parse(text);
      expect(() => parseTableSchema(d, 'x.json')).not.toThrow();
      expect(check(d), JSON.stringify(check.errors)).toBe(true);
    }
  });

  it.each([
    ['no fields', {}],
    ['a field without a name', { fields: [{ type: 'string' }] }],
    ['an unknown type', { fields: [{ name: 'a', type: 'text' }] }],
    ['a string format that does not exist', { fields: [{ name: 'a', type: 'string', format: 'phone' }] }],
    ['a date format that is no pattern', { fields: [{ name: 'a', type: 'date', format: 'dd/mm/yyyy' }] }],
    ['an unknown constraint', { fields: [{ name: 'a', constraints: { requird: true } }] }],
    ['a strata:pii other than allowed', { fields: [{ name: 'a', 'strata:pii': 'yes' }] }],
    ['a bad fieldsMatch', { fields: [], fieldsMatch: 'loose' }],
  ])('rejects %s, as the parser does or stricter', (_what, descriptor) => {
    expect(check(descriptor)).toBe(false);
  });

  it('describes every field property and every type for completion', () => {
    const props = jsonSchema.definitions.field.properties as Record<string, { description?: string }>;
    for (const [name, p] of Object.entries(props)) { expect(p.description, name).toBeTruthy(); }
    const type = jsonSchema.definitions.field.properties.type;
    expect(type.markdownEnumDescriptions).toHaveLength(type.enum.length);
  });
});
