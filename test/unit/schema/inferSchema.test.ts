import { describe, expect, it } from 'vitest';
import { inferSchema } from '../../../src/core/schema/inferSchema';
import { parseTableSchema, stringifyTableSchema } from '../../../src/core/schema/tableSchema';
import { memoryTableSource } from '../../../src/core/schema/tableSource';
import { collectValidation, validateTable } from '../../../src/core/schema/validateTable';

const rowsOf = (text: string) => text.trim().split('\n').map(l => l.split(','));

describe('inferSchema', () => {
  it('infers types, formats, required, unique and a primary key from a small table', async () => {
    const rows = rowsOf(`
order_id,customer,email,amount,paid,placed,at,ratio,site,token
1,Ann,ann@example.org,12.50,true,2024-01-05,2024-01-05T10:00:00Z,1,https://shop.example.org/a,123e4567-e89b-12d3-a456-426614174000
2,Bob,bob@example.org,7,false,2024-01-06,2024-01-06T11:30:00Z,0.5,https://shop.example.org/b,123e4567-e89b-12d3-a456-426614174001
3,Ann,ann@example.org,,true,2024-01-07,2024-01-07T09:15:00Z,2,http://shop.example.org/c,123e4567-e89b-12d3-a456-426614174002`);
    const { schema, rowsScanned, complete } = await inferSchema(memoryTableSource(rows));
    expect([rowsScanned, complete]).toEqual([3, true]);
    expect(schema.fields.map(f => [f.name, f.type, f.format, f.constraints])).toEqual([
      ['order_id', 'integer', 'default', { required: true, unique: true }],
      ['customer', 'string', 'default', { required: true }],
      ['email', 'string', 'email', { required: true }],
      ['amount', 'number', 'default', {}],
      ['paid', 'boolean', 'default', { required: true }],
      ['placed', 'date', 'default', { required: true, unique: true }],
      ['at', 'datetime', 'default', { required: true, unique: true }],
      ['ratio', 'number', 'default', { required: true }],
      ['site', 'string', 'uri', { required: true, unique: true }],
      ['token', 'string', 'uuid', { required: true, unique: true }],
    ]);
    expect(schema.primaryKey).toEqual(['order_id']);
    expect(schema.missingValues).toEqual(['']);
  });

  it('takes missing-value markers from typed columns, keeps codes with leading zeros as text, spots years by name', async () => {
    const rows = rowsOf(`
zip,year,count,label
02134,1999,5,NA
10001,2004,NA,x
30301,2010,-,NA`);
    const { schema } = await inferSchema(memoryTableSource(rows), { missingCandidates: ['', 'NA', '-'] });
    expect(schema.missingValues).toEqual(['', 'NA', '-']);
    expect(schema.fields.map(f => [f.name, f.type])).toEqual([['zip', 'string'], ['year', 'year'], ['count', 'integer'], ['label', 'string']]);
    expect(schema.fields[2].constraints).toEqual({});
  });

  it('offers an enum for a low-cardinality text column, and ranges only when asked', async () => {
    const rows = [['status', 'n', 'day'], ...Array.from({ length: 40 }, (_, i) => [['new', 'open', 'closed'][i % 3], String(i * 2), `2024-02-${String(1 + (i % 28)).padStart(2, '0')}`])];
    const plain = await inferSchema(memoryTableSource(rows));
    expect(plain.schema.fields[0].constraints.enum).toEqual(['closed', 'new', 'open']);
    expect(plain.schema.fields[1].constraints).toEqual({ required: true, unique: true });
    const ranged = await inferSchema(memoryTableSource(rows), { ranges: true });
    expect(ranged.schema.fields[1].constraints).toMatchObject({ minimum: 0, maximum: 78 });
    expect(ranged.schema.fields[2].constraints).toMatchObject({ minimum: '2024-02-01', maximum: '2024-02-28' });
  });

  it('reads only the sample when asked, and says so', async () => {
    const rows = [['n'], ...Array.from({ length: 100 }, (_, i) => [String(i)])];
    const r = await inferSchema(memoryTableSource(rows), { sampleRows: 10 });
    expect([r.rowsScanned, r.complete]).toEqual([10, false]);
  });

  it('writes a schema its own data validates against, and that parses back', async () => {
    const rows = rowsOf(`
id,name,score,when
1,Ann,3.5,2024-01-01
2,Bob,,2024-01-02
3,Cy,4,2024-01-03`);
    const { schema } = await inferSchema(memoryTableSource(rows));
    const reparsed = parseTableSchema(JSON.parse(stringifyTableSchema(schema)), 'inferred.json');
    expect(reparsed).toEqual(schema);
    const { issues } = await collectValidation(validateTable(memoryTableSource(rows), reparsed, { pii: false }));
    expect(issues).toEqual([]);
  });
});
