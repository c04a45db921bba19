import { describe, expect, it } from 'vitest';
import { CAST_FAIL, compileFieldCodec } from '../../../src/core/schema/fieldCodec';
import { parseTableSchema, type SchemaField } from '../../../src/core/schema/tableSchema';

function codec(field: Record<string, unknown>, missing: string[] = ['']) {
  const f = parseTableSchema({ fields: [field] }, 't.json').fields[0] as SchemaField;
  return compileFieldCodec(f, missing);
}

const ok = (c: ReturnType<typeof codec>, t: string) => c.cast(t) !== CAST_FAIL;

describe('field codecs', () => {
  it('integer: signs, big values exact, no decimals, groupChar and bareNumber', () => {
    const c = codec({ name: 'n', type: 'integer' });
    expect(c.cast('+42')).toBe(42);
    expect(c.cast('-0')).toBe(0);
    expect(c.cast('12345678901234567890')).toBe(12345678901234567890n);
    expect(ok(c, '1.0')).toBe(false);
    expect(ok(c, '1e3')).toBe(false);
    expect(ok(c, '')).toBe(false);
    expect(c.key(c.cast('007') as number)).toBe(c.key(c.cast('7') as number));
    expect(codec({ name: 'n', type: 'integer', groupChar: ',' }).cast('1,234,567')).toBe(1234567);
    expect(codec({ name: 'n', type: 'integer', bareNumber: false }).cast('€95')).toBe(95);
  });

  it('number: exponent, NaN/INF, decimalChar and groupChar, percent with bareNumber false', () => {
    const c = codec({ name: 'x', type: 'number' });
    expect(c.cast('1.5e3')).toBe(1500);
    expect(c.cast('.5')).toBe(0.5);
    expect(c.cast('-INF')).toBe(-Infinity);
    expect(Number.isNaN(c.cast('NaN'))).toBe(true);
    expect(ok(c, '1,5')).toBe(false);
    expect(ok(c, '1.2.3')).toBe(false);
    const eu = codec({ name: 'x', type: 'number', decimalChar: ',', groupChar: '.' });
    expect(eu.cast('1.234,5')).toBe(1234.5);
    expect(eu.cast('-12.345.678,25')).toBe(-12345678.25);
    expect(eu.cast('10,50')).toBe(10.5);
    for (const bad of ['n/a', 'abc', '1,2,3', '']) { expect(ok(eu, bad)).toBe(false); }
    expect(codec({ name: 'x', type: 'number', decimalChar: ',', groupChar: ' ' }).cast('1 234 567,5')).toBe(1234567.5);
    expect(codec({ name: 'x', type: 'number', decimalChar: ',', groupChar: '\u00a0' }).cast('1\u00a0234,5')).toBe(1234.5);
    expect(codec({ name: 'x', type: 'number', decimalChar: ',', groupChar: '\u202f' }).cast('1\u202f234,5')).toBe(1234.5);
    // a point is no decimal char and no group char here
    expect(ok(codec({ name: 'x', type: 'number', decimalChar: ',' }), '1.234,5')).toBe(false);
    expect(ok(codec({ name: 'x', type: 'number', decimalChar: ',', groupChar: ' ' }), '1.5')).toBe(false);
    expect(codec({ name: 'x', type: 'number', bareNumber: false }).cast('95.5%')).toBe(95.5);
    const grouped = codec({ name: 'x', type: 'number', groupChar: ',' });
    expect(grouped.cast('-3,000,000.25')).toBe(-3000000.25);
    expect(grouped.cast('12,500')).toBe(12500);
    expect(grouped.cast('7.25')).toBe(7.25);
    for (const bad of ['abc', '1.234.5', '']) { expect(ok(grouped, bad)).toBe(false); }
  });

  it('boolean: default and custom true/false values', () => {
    const c = codec({ name: 'b', type: 'boolean' });
    expect(c.cast('TRUE')).toBe(true);
    expect(c.cast('0')).toBe(false);
    expect(ok(c, 'yes')).toBe(false);
    const yn = codec({ name: 'b', type: 'boolean', trueValues: ['yes'], falseValues: ['no'] });
    expect(yn.cast('yes')).toBe(true);
    expect(ok(yn, 'true')).toBe(false);
  });

  it('dates, times and datetimes: ISO defaults, strptime patterns and any', () => {
    const d = codec({ name: 'd', type: 'date' });
    expect(d.cast('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(ok(d, '2023-02-29')).toBe(false);
    expect(ok(d, '2024-2-9')).toBe(false);
    const dmy = codec({ name: 'd', type: 'date', format: '%d/%m/%Y' });
    expect(dmy.cast('31/12/2020')).toBe(Date.UTC(2020, 11, 31));
    expect(ok(dmy, '2020-12-31')).toBe(false);
    expect(codec({ name: 'd', type: 'date', format: '%b %d %Y' }).cast('Mar 05 2021')).toBe(Date.UTC(2021, 2, 5));
    const anyDate = codec({ name: 'd', type: 'date', format: 'any' });
    expect(anyDate.cast('March 5, 2021')).toBe(Date.UTC(2021, 2, 5));
    expect(anyDate.cast('2021-03-05')).toBe(Date.UTC(2021, 2, 5));
    const dt = codec({ name: 't', type: 'datetime' });
    expect(dt.cast('2024-01-26T15:00:00')).toBe(Date.UTC(2024, 0, 26, 15));
    expect(dt.cast('2024-01-26T15:00:00.300-05:00')).toBe(Date.UTC(2024, 0, 26, 20, 0, 0, 300));
    expect(ok(dt, '2024-01-26T25:00:00')).toBe(false);
    const dtp = codec({ name: 't', type: 'datetime', format: '%d/%m/%Y %H:%M:%S' });
    expect(dtp.cast('12/11/2018 09:15:32')).toBe(Date.UTC(2018, 10, 12, 9, 15, 32));
    const t = codec({ name: 't', type: 'time' });
    expect(t.cast('15:00:00')).toBe(15 * 3600_000);
    expect(ok(t, '15:61:00')).toBe(false);
    expect(codec({ name: 't', type: 'time', format: '%I:%M %p' }).cast('3:30 PM')).toBe((15 * 60 + 30) * 60_000);
  });

  it('year, yearmonth and duration', () => {
    expect(codec({ name: 'y', type: 'year' }).cast('1999')).toBe(1999);
    expect(ok(codec({ name: 'y', type: 'year' }), '99')).toBe(false);
    expect(codec({ name: 'm', type: 'yearmonth' }).cast('2020-03')).toBe(2020 * 12 + 2);
    expect(ok(codec({ name: 'm', type: 'yearmonth' }), '2020-13')).toBe(false);
    const du = codec({ name: 'd', type: 'duration' });
    expect(du.cast('P1DT2H')).toBe(86400 + 7200);
    expect(du.cast('PT0.5S')).toBe(0.5);
    expect(ok(du, 'P')).toBe(false);
    expect(ok(du, 'PT')).toBe(false);
    expect(ok(du, '1 day')).toBe(false);
  });

  it('string formats: email, uri, uuid, binary', () => {
    expect(ok(codec({ name: 's', type: 'string', format: 'email' }), 'ann@example.org')).toBe(true);
    expect(ok(codec({ name: 's', type: 'string', format: 'email' }), 'ann@example')).toBe(false);
    expect(ok(codec({ name: 's', type: 'string', format: 'uri' }), 'https://example.org/a?b')).toBe(true);
    expect(ok(codec({ name: 's', type: 'string', format: 'uri' }), 'not a uri')).toBe(false);
    expect(ok(codec({ name: 's', type: 'string', format: 'uuid' }), '123e4567-e89b-12d3-a456-426614174000')).toBe(true);
    expect(ok(codec({ name: 's', type: 'string', format: 'uuid' }), '123e4567e89b12d3a456426614174000')).toBe(false);
    expect(ok(codec({ name: 's', type: 'string', format: 'binary' }), 'aGVsbG8=')).toBe(true);
    expect(ok(codec({ name: 's', type: 'string', format: 'binary' }), 'aGVsbG8')).toBe(false);
  });

  it('object, array, list, geopoint, geojson', () => {
    expect(codec({ name: 'o', type: 'object' }).cast('{"a":1}')).toEqual({ a: 1 });
    expect(ok(codec({ name: 'o', type: 'object' }), '[1]')).toBe(false);
    expect(codec({ name: 'a', type: 'array' }).cast('[1,2]')).toEqual([1, 2]);
    expect(codec({ name: 'l', type: 'list', itemType: 'integer', delimiter: ';' }).cast('1;2;3')).toEqual([1, 2, 3]);
    expect(ok(codec({ name: 'l', type: 'list', itemType: 'integer' }), '1,x')).toBe(false);
    expect(codec({ name: 'g', type: 'geopoint' }).cast('90.50, 45.50')).toEqual([90.5, 45.5]);
    expect(ok(codec({ name: 'g', type: 'geopoint' }), '190, 45')).toBe(false);
    expect(codec({ name: 'g', type: 'geopoint', format: 'array' }).cast('[90.5, 45.5]')).toEqual([90.5, 45.5]);
    expect(codec({ name: 'g', type: 'geopoint', format: 'object' }).cast('{"lon": 90.5, "lat": 45.5}')).toEqual([90.5, 45.5]);
    expect(ok(codec({ name: 'g', type: 'geojson' }), '{"type":"Point","coordinates":[1,2]}')).toBe(true);
    expect(ok(codec({ name: 'g', type: 'geojson' }), '{"type":"Circle"}')).toBe(false);
  });

  it('missing values: field list replaces the schema list', () => {
    const s = parseTableSchema({ fields: [{ name: 'a' }, { name: 'b', missingValues: ['-'] }], missingValues: ['', 'NA'] }, 't.json');
    const a = compileFieldCodec(s.fields[0], s.fields[0].missingValues ?? s.missingValues);
    const b = compileFieldCodec(s.fields[1], s.fields[1].missingValues ?? s.missingValues);
    expect([a.isMissing(''), a.isMissing('NA'), a.isMissing('-')]).toEqual([true, true, false]);
    expect([b.isMissing(''), b.isMissing('NA'), b.isMissing('-')]).toEqual([false, false, true]);
  });
});
