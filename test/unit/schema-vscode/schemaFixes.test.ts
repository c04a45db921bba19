// Quick-fix edits of schema files: each fix at its JSON location, formatting kept, the result still a valid Table Schema.
import { describe, expect, it } from 'vitest';
import { parseDataPackageText } from '../../../src/core/schema/dataPackage';
import { parseTableSchemaText } from '../../../src/core/schema/tableSchema';
import {
  applySchemaFix, firstSyntaxError, pathOfPointer, replacementBetween, SchemaFixError, spanOfPointer,
} from '../../../src/vscode/schema/schemaFixes';

const SCHEMA = `{
  "fields": [
    { "name": "id", "type": "integer", "constraints": { "required": true, "minimum": 1, "enum": [1, 2, 3] } },
    { "name": "email", "type": "string", "format": "email" },
    { "name": "code", "type": "string", "constraints": { "maxLength": 3, "pattern": "[A-Z]+" } }
  ]
}
`;

function fields(text: string) {
  return parseTableSchemaText(text, 'fixed.schema.json').fields;
}

describe('applySchemaFix', () => {
  it('adds a field at the end of "fields"', () => {
    const out = applySchemaFix(SCHEMA, [], { kind: 'addField', name: 'when', type: 'date' });
    expect(fields(out).map(f => [f.name, f.type])).toEqual([['id', 'integer'], ['email', 'string'], ['code', 'string'], ['when', 'date']]);
    // written like its siblings (one line each); nothing else changes
    expect(out).toBe(SCHEMA.replace('"[A-Z]+" } }\n', '"[A-Z]+" } },\n    { "name": "when", "type": "date" }\n'));
  });

  it('writes in the multi-line style of a schema written one key per line', () => {
    const multi = JSON.stringify({ fields: [{ name: 'a', type: 'integer', constraints: { required: true } }] }, null, 2) + '\n';
    const added = applySchemaFix(multi, [], { kind: 'addField', name: 'b', type: 'string' });
    expect(added).toBe(JSON.stringify({ fields: [{ name: 'a', type: 'integer', constraints: { required: true } }, { name: 'b', type: 'string' }] }, null, 2) + '\n');
    const allowed = applySchemaFix(multi, [], { kind: 'allowPii', field: 'a' });
    expect(allowed).toBe(JSON.stringify({ fields: [{ name: 'a', type: 'integer', constraints: { required: true }, 'strata:pii': 'allowed' }] }, null, 2) + '\n');
    const missing = applySchemaFix(multi, [], { kind: 'addMissingValue', field: null, value: 'NA' });
    expect(missing.endsWith('  ],\n  "missingValues": ["", "NA"]\n}\n')).toBe(true);
  });

  it('edits one-line objects in place, inline', () => {
    expect(applySchemaFix(SCHEMA, [], { kind: 'allowPii', field: 'email' }))
      .toContain('\n    { "name": "email", "type": "string", "format": "email", "strata:pii": "allowed" },\n');
    expect(applySchemaFix(SCHEMA, [], { kind: 'addEnumValue', field: 'id', value: 9 })).toContain('"enum": [1, 2, 3, 9] } },');
    expect(applySchemaFix(SCHEMA, [], { kind: 'removeConstraint', field: 'code', constraint: 'pattern' }))
      .toContain('{ "name": "code", "type": "string", "constraints": { "maxLength": 3 } }');
  });

  it('changes a type and drops the constraints the new type cannot have', () => {
    const out = applySchemaFix(SCHEMA, [], { kind: 'setType', field: 'id', type: 'string', format: 'default' });
    const id = fields(out)[0];
    expect(id.type).toBe('string');
    expect(id.constraints).toEqual({ required: true, enum: ['1', '2', '3'] });
  });

  it('widening integer to number keeps the bounds; a temporal "any" format is written, a default one removed', () => {
    const out = applySchemaFix(SCHEMA, [], { kind: 'setType', field: 'id', type: 'number', format: 'default' });
    expect(fields(out)[0]).toMatchObject({ type: 'number', constraints: { minimum: 1, required: true } });
    const emailPlain = applySchemaFix(SCHEMA, [], { kind: 'setType', field: 'email', type: 'string', format: 'default' });
    expect(emailPlain).not.toContain('"format"');
  });

  it('removes, sets and widens constraints', () => {
    const removed = applySchemaFix(SCHEMA, [], { kind: 'removeConstraint', field: 'code', constraint: 'pattern' });
    expect(fields(removed)[2].constraints).toEqual({ maxLength: 3 });
    const widened = applySchemaFix(SCHEMA, [], { kind: 'setConstraint', field: 'code', constraint: 'maxLength', value: 7 });
    expect(fields(widened)[2].constraints.maxLength).toBe(7);
    const enumAdded = applySchemaFix(SCHEMA, [], { kind: 'addEnumValue', field: 'id', value: 9 });
    expect(fields(enumAdded)[0].constraints.enum).toEqual([1, 2, 3, 9]);
    expect(() => applySchemaFix(SCHEMA, [], { kind: 'removeConstraint', field: 'email', constraint: 'unique' })).toThrow(SchemaFixError);
  });

  it('adds a missing value to the schema list, keeping "" missing', () => {
    const out = applySchemaFix(SCHEMA, [], { kind: 'addMissingValue', field: 'id', value: 'n/a' });
    expect(parseTableSchemaText(out, 's').missingValues).toEqual(['', 'n/a']);
    const twice = applySchemaFix(out, [], { kind: 'addMissingValue', field: null, value: '-' });
    expect(parseTableSchemaText(twice, 's').missingValues).toEqual(['', 'n/a', '-']);
    expect(() => applySchemaFix(twice, [], { kind: 'addMissingValue', field: null, value: '-' })).toThrow(/already/);
  });

  it("adds to a field's own missing values when it has them", () => {
    const own = SCHEMA.replace('"format": "email"', '"format": "email", "missingValues": ["none"]');
    const out = applySchemaFix(own, [], { kind: 'addMissingValue', field: 'email', value: 'n/a' });
    expect(fields(out)[1].missingValues).toEqual(['none', 'n/a']);
    expect(parseTableSchemaText(out, 's').missingValues).toEqual(['']);
  });

  it('marks a field as allowed personal data', () => {
    const out = applySchemaFix(SCHEMA, [], { kind: 'allowPii', field: 'email' });
    expect(fields(out)[1]['strata:pii']).toBe('allowed');
  });

  it('renames a field', () => {
    const out = applySchemaFix(SCHEMA, [], { kind: 'renameField', field: 'code', name: 'Code' });
    expect(out).toBe(SCHEMA.replace('"name": "code"', '"name": "Code"'));
  });

  it('removes a field', () => {
    const out = applySchemaFix(SCHEMA, [], { kind: 'removeField', field: 'email' });
    expect(fields(out).map(f => f.name)).toEqual(['id', 'code']);
  });

  it('edits the inline schema of a data package resource at its JSON path', () => {
    const pkg = JSON.stringify({ name: 'p', resources: [{ name: 'a', path: 'a.csv' }, { name: 'b', path: 'b.csv', schema: { fields: [{ name: 'x', type: 'integer' }] } }] }, null, 4);
    const out = applySchemaFix(pkg, ['resources', 1, 'schema'], { kind: 'setType', field: 'x', type: 'number', format: 'default' });
    const parsed = parseDataPackageText(out, 'datapackage.json');
    expect((parsed.resources[1].schema as { fields: { type: string }[] }).fields[0].type).toBe('number');
    // four-space indentation kept
    expect(out).toContain('\n    "resources"');
  });

  it('keeps CRLF line ends and tabs', () => {
    const crlf = '{\r\n\t"fields": [\r\n\t\t{ "name": "a", "type": "integer" }\r\n\t]\r\n}\r\n';
    const out = applySchemaFix(crlf, [], { kind: 'addField', name: 'b', type: 'string' });
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out).toContain('\t\t');
    expect(fields(out).map(f => f.name)).toEqual(['a', 'b']);
  });

  it('says which field is missing', () => {
    expect(() => applySchemaFix(SCHEMA, [], { kind: 'allowPii', field: 'nope' })).toThrow('the schema has no field named "nope"');
  });
});

describe('replacementBetween', () => {
  it('is the smallest single replacement', () => {
    expect(replacementBetween('abcXYZdef', 'abc12def')).toEqual({ offset: 3, length: 3, text: '12' });
    expect(replacementBetween('same', 'same')).toBeNull();
    const before = SCHEMA;
    const after = applySchemaFix(SCHEMA, [], { kind: 'allowPii', field: 'email' });
    const r = replacementBetween(before, after)!;
    expect(before.slice(0, r.offset) + r.text + before.slice(r.offset + r.length)).toBe(after);
  });
});

describe('JSON pointers and syntax errors', () => {
  const text = '{\n  "fields": [\n    { "name": "a", "type": "integr" },\n    { "type": "string" }\n  ]\n}';

  it('turns a pointer into a JSON path', () => {
    expect(pathOfPointer('/fields/2/type')).toEqual(['fields', 2, 'type']);
    expect(pathOfPointer('/fields/0/strata:pii')).toEqual(['fields', 0, 'strata:pii']);
    expect(pathOfPointer('/a~1b')).toEqual(['a/b']);
    expect(pathOfPointer('')).toEqual([]);
  });

  it("points at the value, or at the object lacking a key", () => {
    const typeSpan = spanOfPointer(text, '/fields/0/type')!;
    expect(text.slice(typeSpan.offset, typeSpan.offset + typeSpan.length)).toBe('"integr"');
    const nameSpan = spanOfPointer(text, '/fields/1/name')!;
    expect(text.slice(nameSpan.offset, nameSpan.offset + nameSpan.length)).toBe('{');
    expect(text.slice(0, nameSpan.offset).split('\n')).toHaveLength(4);
  });

  it('finds the first syntax error', () => {
    const bad = '{ "fields": [ { "name": "a" }, ]}';
    const e = firstSyntaxError(bad)!;
    expect(bad.slice(e.offset, e.offset + Math.max(1, e.length))).toBe(']');
    expect(firstSyntaxError('{"fields": []}')).toBeNull();
  });
});
