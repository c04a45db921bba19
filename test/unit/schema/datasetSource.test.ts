import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import { openDataset } from '../../../src/core/formats/openDataset';
import { datasetTableSource } from '../../../src/core/schema/datasetTableSource';
import { inferSchema } from '../../../src/core/schema/inferSchema';
import { parseTableSchema } from '../../../src/core/schema/tableSchema';
import { collectValidation, validateTable } from '../../../src/core/schema/validateTable';

const FIXTURES = join(__dirname, '../../fixtures');

async function open(rel: string) {
  const buffer = bufferFromBytes(readFileSync(join(FIXTURES, rel)));
  const dataset = await openDataset(buffer, { name: rel });
  return datasetTableSource(dataset, { name: rel, batchRows: 3 });
}

describe('datasetTableSource (Parquet, JSON Lines)', () => {
  it('reports how far validation has read, batch by batch, up to the whole file', async () => {
    const bytes = readFileSync(join(FIXTURES, 'parquet/alltypes_plain.parquet'));
    const dataset = await openDataset(bufferFromBytes(bytes), { name: 'alltypes_plain.parquet' });
    const source = datasetTableSource(dataset, { name: 'alltypes_plain.parquet', bytesTotal: bytes.length, batchRows: 3 });
    const seen: { rowsDone: number; bytesDone: number; bytesTotal: number }[] = [];
    await collectValidation(validateTable(source, null, { pii: false, onProgress: p => seen.push(p) }));
    const data = seen.filter(p => p.rowsDone > 0);
    expect(data.length).toBeGreaterThanOrEqual(3); // 8 rows in batches of 3
    expect(data.every(p => p.bytesTotal === bytes.length)).toBe(true);
    expect(data.every((p, i) => i === 0 || p.bytesDone >= data[i - 1].bytesDone)).toBe(true);
    expect(data[0].bytesDone).toBeGreaterThan(0);
    expect(data[0].bytesDone).toBeLessThan(bytes.length);
    expect(data[data.length - 1].bytesDone).toBe(bytes.length);
  });

  it('validates Parquet values as text: issues carry row and field numbers, no text range', async () => {
    const schema = parseTableSchema({
      fields: [
        { name: 'id', type: 'integer', constraints: { maximum: 5 } }, { name: 'bool_col', type: 'boolean' },
        { name: 'tinyint_col', type: 'integer' }, { name: 'smallint_col', type: 'integer' }, { name: 'int_col', type: 'integer' },
        { name: 'bigint_col', type: 'integer' }, { name: 'float_col', type: 'number' }, { name: 'double_col', type: 'number' },
        { name: 'date_string_col' }, { name: 'string_col' }, { name: 'timestamp_col', type: 'datetime', constraints: { minimum: '2009-02-01T00:00:00' } },
      ],
    }, 's.json');
    const { issues, summary } = await collectValidation(validateTable(await open('parquet/alltypes_plain.parquet'), schema, { pii: false }));
    expect(issues.map(i => [i.type, i.row, i.rowNumber, i.fieldNumber, i.cell, i.range])).toEqual([
      ['constraint-error', 2, 4, 1, '6', undefined],
      ['constraint-error', 3, 5, 1, '7', undefined],
      ['constraint-error', 6, 8, 11, '2009-01-01 00:00:00', undefined],
      ['constraint-error', 7, 9, 11, '2009-01-01 00:01:00', undefined],
    ]);
    expect(summary.rowsChecked).toBe(8);
  });

  it('infers a schema from Parquet values and reads JSON Lines nulls as missing', async () => {
    const { schema } = await inferSchema(await open('parquet/alltypes_plain.parquet'));
    const typeOf = (name: string) => schema.fields.find(f => f.name === name)?.type;
    expect(['id', 'bool_col', 'bigint_col', 'float_col', 'timestamp_col'].map(typeOf)).toEqual(['integer', 'boolean', 'integer', 'number', 'datetime']);
    expect(schema.primaryKey).toEqual(['id']);
    const jsonl = await inferSchema(await open('schema/readings.jsonl'));
    expect(jsonl.schema.fields.map(f => [f.name, f.type, f.constraints.required ?? false])).toEqual([
      ['sensor', 'string', true], ['value', 'string', true], ['ok', 'boolean', false], ['at', 'datetime', true],
    ]);
  });

  it('stops the scan when the consumer stops early', async () => {
    const source = await open('parquet/alltypes_plain.parquet');
    let seen = 0;
    for await (const batch of source.batches()) {
      seen += batch.rows?.length ?? 0;
      if (seen >= 4) { break; }
    }
    expect(seen).toBe(4); // header, then the first batch of three rows
  });
});
