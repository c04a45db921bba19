import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openDataset } from '../../../src/core/formats/openDataset';
import { datasetTableSource } from '../../../src/core/schema/datasetTableSource';
import { inferSchema } from '../../../src/core/schema/inferSchema';
import { parseTableSchema, parseTableSchemaText, stringifyTableSchema, type TableSchema } from '../../../src/core/schema/tableSchema';
import { memoryTableSource, type TableSource } from '../../../src/core/schema/tableSource';
import { collectValidation, validateTable } from '../../../src/core/schema/validateTable';

const rowsOf = (text: string) => text.trim().split('\n').map(l => l.split(','));

const FIXTURES = join(__dirname, '../../fixtures');

async function fileSource(name: string, bytes: Uint8Array = readFileSync(join(FIXTURES, name))): Promise<TableSource> {
  const dataset = await openDataset(bufferFromBytes(bytes), { name });
  return datasetTableSource(dataset, { name });
}

/** The issues of validating `open()` against `schema` after it went through its JSON text, as a schema file does. */
async function roundTrip(open: () => Promise<TableSource> | TableSource, schema: TableSchema) {
  const reparsed = parseTableSchemaText(stringifyTableSchema(schema), 'inferred.json');
  const { issues } = await collectValidation(validateTable(await open(), reparsed, { pii: false }));
  return issues.map(i => [i.type, i.rowNumber, i.fieldName]);
}

const summary = (schema: TableSchema) => schema.fields.map(f => [f.name, f.type, f.format, f.constraints]);

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

  it('types Parquet columns as the file does: date-times (INT96 too), numbers, bytes, lists and structs', async () => {
    const types = async (name: string) => (await inferSchema(await fileSource(`parquet/${name}`))).schema.fields.map(f => [f.name, f.type, f.format]);
    expect(await types('int96_from_spark.parquet')).toEqual([['a', 'datetime', 'default']]);
    expect(await types('single_nan.parquet')).toEqual([['mycol', 'number', 'default']]);
    expect(await types('list_columns.parquet')).toEqual([['int64_list', 'array', 'default'], ['utf8_list', 'array', 'default']]);
    expect(await types('nulls.snappy.parquet')).toEqual([['b_struct', 'object', 'default']]);
    expect(new Set((await types('nested_structs.rust.parquet')).map(t => t[1]))).toEqual(new Set(['object']));
    const plain = await types('alltypes_plain.parquet');
    expect(plain.filter(t => t[0] === 'string_col' || t[0] === 'date_string_col' || t[0] === 'float_col'))
      .toEqual([['float_col', 'number', 'default'], ['date_string_col', 'string', 'binary'], ['string_col', 'string', 'binary']]);
  });

  it('writes schemas that Parquet files validate against', async () => {
    for (const name of ['alltypes_plain.parquet', 'list_columns.parquet', 'nested_structs.rust.parquet', 'nulls.snappy.parquet', 'timestamps.parquet']) {
      const { schema } = await inferSchema(await fileSource(`parquet/${name}`), { ranges: true });
      expect([name, await roundTrip(() => fileSource(`parquet/${name}`), schema)]).toEqual([name, []]);
    }
    // a row whose only cell is null is blank: the column is not required, and the blank row is the data's own issue
    const { schema } = await inferSchema(await fileSource('parquet/single_nan.parquet'));
    expect(schema.fields[0].constraints).toEqual({});
    expect(await roundTrip(() => fileSource('parquet/single_nan.parquet'), schema)).toEqual([['blank-row', 2, null]]);
  });

  it('types JSON Lines columns of objects and arrays as object and array', async () => {
    const bytes = new TextEncoder().encode([
      '{"id":1,"o":{"a":1},"l":[1,2],"mixed":{"k":1}}',
      '{"id":2,"o":{"a": 2},"l":[],"mixed":"text"}',
      '{"id":3,"o":null,"l":[3],"mixed":[1]}',
    ].join('\n'));
    const open = () => fileSource('t.jsonl', bytes);
    const { schema } = await inferSchema(await open());
    expect(summary(schema)).toEqual([
      ['id', 'integer', 'default', { required: true, unique: true }],
      ['o', 'object', 'default', {}],
      ['l', 'array', 'default', { required: true }],
      ['mixed', 'string', 'default', { required: true, unique: true }],
    ]);
    expect(await roundTrip(open, schema)).toEqual([]);
  });

  it('calls a column unique only when its values differ as its type reads them', async () => {
    const rows = rowsOf(`
a,at,n,t,code
1,2024-01-02,+1,12:30,x1
2,2024-01-02T00:00:00Z,1,12:30:00,x2`);
    const { schema } = await inferSchema(memoryTableSource(rows));
    expect(summary(schema)).toEqual([
      ['a', 'integer', 'default', { required: true, unique: true }],
      ['at', 'datetime', 'default', { required: true }],
      ['n', 'integer', 'default', { required: true }],
      ['t', 'time', 'default', { required: true }],
      ['code', 'string', 'default', { required: true, unique: true }],
    ]);
    expect(await roundTrip(() => memoryTableSource(rows), schema)).toEqual([]);
  });

  it('writes ranges in ISO 8601 and 64-bit integers with every digit', async () => {
    const rows = rowsOf(`
big,at,t
-9223372036854775808,2024-01-02,12:30
9223372036854775295,2024-01-02 03:04,12:31:05
9223372036854775294,2024-01-02T05:00:00+01:00,08:00:00`);
    const { schema } = await inferSchema(memoryTableSource(rows), { ranges: true });
    expect(schema.fields.map(f => [f.constraints.minimum, f.constraints.maximum])).toEqual([
      [-9223372036854775808n, 9223372036854775295n],
      ['2024-01-02T00:00:00', '2024-01-02T05:00:00+01:00'],
      ['08:00:00', '12:31:05'],
    ]);
    const text = stringifyTableSchema(schema);
    expect(text).toContain('"minimum": -9223372036854775808,');
    expect(text).toContain('"maximum": 9223372036854775295\n');
    expect(await roundTrip(() => memoryTableSource(rows), schema)).toEqual([]);

    const parquet = await inferSchema(await fileSource('parquet/timestamps.parquet'), { ranges: true });
    expect(parquet.schema.fields.filter(f => f.type === 'datetime').map(f => [f.name, f.constraints.minimum, f.constraints.maximum])).toEqual([
      ['local_at', '1969-07-20T20:17:40.123456', '2024-01-02T03:04:05'],
      ['utc_at', '1969-07-20T20:17:40.500Z', '2024-01-02T03:04:05Z'],
      ['local_ms', '1999-12-31T23:59:59.125', '2024-02-29T12:00:00'],
    ]);
  });

  it('names a column with a blank label fieldN, by its number', async () => {
    const { schema } = await inferSchema(memoryTableSource([['a', '', 'c', ' '], ['1', '2', '3', '4']]));
    expect(schema.fields.map(f => f.name)).toEqual(['a', 'field2', 'c', 'field4']);
  });
});

describe('inferSchema of numbers written with a decimal comma', () => {
  const rows = (text: string) => text.trim().split('\n').map(l => l.split(';'));
  const EU = rows(`
id;price;qty;label;weight
1;10,50;3;a;1 234,5
2;7,25;1;b;12 345 678,9
3;1.234,00;2;c;0,125
4;-0,5;7;d;NA`);

  it('writes decimalChar and groupChar beside the type, when the source may write them', async () => {
    const { schema } = await inferSchema(memoryTableSource(EU), { decimalComma: true });
    expect(schema.fields.map(f => [f.name, f.type, f.decimalChar, f.groupChar])).toEqual([
      ['id', 'integer', undefined, undefined],
      ['price', 'number', ',', '.'],
      ['qty', 'integer', undefined, undefined],
      ['label', 'string', undefined, undefined],
      ['weight', 'number', ',', ' '],
    ]);
    expect(schema.missingValues).toEqual(['', 'NA']);
    expect(stringifyTableSchema(schema)).toContain('"name": "price",\n      "type": "number",\n      "decimalChar": ",",\n      "groupChar": ".",\n');
  });

  it('reads them as text without the option (a comma-delimited file), and keeps other columns as they were', async () => {
    const { schema } = await inferSchema(memoryTableSource(EU));
    expect(schema.fields.map(f => [f.name, f.type, f.decimalChar])).toEqual([
      ['id', 'integer', undefined], ['price', 'string', undefined], ['qty', 'integer', undefined], ['label', 'string', undefined], ['weight', 'string', undefined],
    ]);
    const dots = await inferSchema(memoryTableSource(rows('a;b\n1.234;1.234.567\n2.5;2.000')), { decimalComma: true });
    expect(dots.schema.fields.map(f => [f.type, f.decimalChar])).toEqual([['number', undefined], ['string', undefined]]);
  });

  it('gives the range of the values read with a decimal comma', async () => {
    const { schema } = await inferSchema(memoryTableSource(EU), { decimalComma: true, ranges: true });
    expect(schema.fields[1].constraints).toMatchObject({ minimum: -0.5, maximum: 1234 });
    expect(schema.fields[4].constraints).toMatchObject({ minimum: 0.125, maximum: 12345678.9 });
  });

  it('validates the table it was inferred from, and reports text that is not such a number as a type error', async () => {
    const { schema } = await inferSchema(memoryTableSource(EU), { decimalComma: true, ranges: true });
    expect(await roundTrip(() => memoryTableSource(EU), schema)).toEqual([]);
    const bad = [...EU, ['5', 'n/a', '8', 'e', '1.5'], ['6', 'abc', '9', 'f', '1 234']];
    const issues = await roundTrip(() => memoryTableSource(bad), schema);
    expect(issues.filter(i => i[0] === 'type-error')).toEqual([
      ['type-error', 6, 'price'], ['type-error', 6, 'weight'], ['type-error', 7, 'price'],
    ]);
  });
});

describe('inferSchema of numbers written with thousands groups', () => {
  const rows = (text: string) => text.trim().split('\n').map(l => l.split(';'));
  const EN = rows(`
id;amount;n;code
1;1,234.50;12,500;1,234
2;7.25;300;12,500
3;-3,000,000.00;1,000;300
4;NA;7;1,000`);

  it('writes groupChar beside the type, and no decimalChar, in a comma-delimited file', async () => {
    const { schema } = await inferSchema(memoryTableSource(EN), { thousandsComma: true });
    expect(schema.fields.map(f => [f.name, f.type, f.decimalChar, f.groupChar])).toEqual([
      ['id', 'integer', undefined, undefined],
      ['amount', 'number', undefined, ','],
      ['n', 'number', undefined, ','],
      ['code', 'number', undefined, ','],
    ]);
    expect(schema.missingValues).toEqual(['', 'NA']);
    expect(stringifyTableSchema(schema)).toContain('"name": "amount",\n      "type": "number",\n      "groupChar": ","\n    }');
  });

  it('where a decimal comma may be written too, only for a column that rules it out', async () => {
    const { schema } = await inferSchema(memoryTableSource(EN), { thousandsComma: true, decimalComma: true });
    expect(schema.fields.map(f => [f.name, f.type, f.decimalChar, f.groupChar])).toEqual([
      ['id', 'integer', undefined, undefined],
      ['amount', 'number', undefined, ','],
      ['n', 'string', undefined, undefined],
      ['code', 'string', undefined, undefined],
    ]);
  });

  it('reads them as text without the option (JSON Lines)', async () => {
    const { schema } = await inferSchema(memoryTableSource(EN));
    expect(schema.fields.map(f => [f.type, f.groupChar])).toEqual([['integer', undefined], ['string', undefined], ['string', undefined], ['string', undefined]]);
  });

  it('gives the range of the values read without their groups', async () => {
    const { schema } = await inferSchema(memoryTableSource(EN), { thousandsComma: true, ranges: true });
    expect(schema.fields[1].constraints).toMatchObject({ minimum: -3000000, maximum: 1234.5 });
    expect(schema.fields[2].constraints).toMatchObject({ minimum: 7, maximum: 12500 });
  });

  it('validates the table it was inferred from, and reports text that is not such a number as a type error', async () => {
    const { schema } = await inferSchema(memoryTableSource(EN), { thousandsComma: true, ranges: true });
    expect(await roundTrip(() => memoryTableSource(EN), schema)).toEqual([]);
    const bad = [...EN, ['5', 'abc', '8', '1,0x0']];
    const issues = await roundTrip(() => memoryTableSource(bad), schema);
    expect(issues.filter(i => i[0] === 'type-error')).toEqual([['type-error', 6, 'amount'], ['type-error', 6, 'code']]);
  });
});

describe('inferSchema of dates written in a layout other than ISO 8601', () => {
  const DAYS = rowsOf(`
id,day,at,us,iso,ambiguous
1,25/11/2026,25.11.2026 13:45,11/25/2026 13:45:07,2026-11-25,01/02/2026
2,01/02/2026,01.02.2026 08:00,02/01/2026 08:00:00,2026-02-01,03/04/2026
3,31/12/2025,31.12.2025 23:59,12/31/2025 23:59:59,2025-12-31,NA`);

  it('writes the layout as the field format, when the source may write dates so', async () => {
    const { schema } = await inferSchema(memoryTableSource(DAYS), { temporalLayouts: true });
    expect(schema.fields.map(f => [f.name, f.type, f.format])).toEqual([
      ['id', 'integer', 'default'],
      ['day', 'date', '%d/%m/%Y'],
      ['at', 'datetime', '%d.%m.%Y %H:%M'],
      ['us', 'datetime', '%m/%d/%Y %H:%M:%S'],
      ['iso', 'date', 'default'],
      ['ambiguous', 'string', 'default'],
    ]);
    expect(stringifyTableSchema(schema)).toContain('"name": "day",\n      "type": "date",\n      "format": "%d/%m/%Y",\n');
  });

  it('reads them as text without the option, and keeps other columns as they were', async () => {
    const { schema } = await inferSchema(memoryTableSource(DAYS));
    expect(schema.fields.map(f => [f.type, f.format])).toEqual([
      ['integer', 'default'], ['string', 'default'], ['string', 'default'], ['string', 'default'], ['date', 'default'], ['string', 'default'],
    ]);
  });

  it('gives the range as the values are written, which the format reads', async () => {
    const { schema } = await inferSchema(memoryTableSource(DAYS), { temporalLayouts: true, ranges: true });
    expect(schema.fields[1].constraints).toMatchObject({ minimum: '31/12/2025', maximum: '25/11/2026' });
    expect(schema.fields[2].constraints).toMatchObject({ minimum: '31.12.2025 23:59', maximum: '25.11.2026 13:45' });
    expect(schema.fields[3].constraints).toMatchObject({ minimum: '12/31/2025 23:59:59', maximum: '11/25/2026 13:45:07' });
  });

  it('validates the table it was inferred from, and reports a day that does not exist as a type error', async () => {
    const { schema } = await inferSchema(memoryTableSource(DAYS), { temporalLayouts: true, ranges: true });
    expect(await roundTrip(() => memoryTableSource(DAYS), schema)).toEqual([]);
    const bad = [...DAYS, ['4', '32/01/2026', '01.02.2026 08:00', '02/01/2026 08:00:00', '2026-02-01', 'x'], ['5', '2026-01-05', '01.02.2026 8:00', '13/01/2026 08:00:00', '2026-02-01', 'y']];
    const issues = await roundTrip(() => memoryTableSource(bad), schema);
    expect(issues.filter(i => i[0] === 'type-error')).toEqual([['type-error', 5, 'day'], ['type-error', 6, 'day'], ['type-error', 6, 'us']]);
  });
});
