import { describe, expect, it } from 'vitest';
import {
  bigintFromBytes, cellDisplay, cellJson, formatDecimal, isoDate, isoDateTime, isoTime, RawJsonNumber, stringifyJson,
} from '../../../src/core/formats/cellValue';
import { bigintColumn, numberColumn, textColumn } from '../../../src/core/formats/columns';
import type { Field, LogicalType } from '../../../src/core/formats/dataset';

const field = (type: LogicalType): Field => ({ name: 'x', type, nullable: true });
/** The JSON text of cell 0 of a one-value column. */
const jsonOfText = (text: string | null, type: LogicalType) => stringifyJson(cellJson(textColumn([text]), 0, field(type)));
const jsonOfNumber = (v: number | null, type: LogicalType) => stringifyJson(cellJson(numberColumn([v]), 0, field(type)));

describe('text cells convert by their field type', () => {
  it.each([
    ['42', 'integer', '42'],
    ['-17', 'integer', '-17'],
    ['+8', 'integer', '8'],
    ['9007199254740993', 'integer', '9007199254740993'],
    ['-123456789012345678901234567890', 'integer', '-123456789012345678901234567890'],
    ['1.5', 'number', '1.5'],
    ['1.50', 'number', '1.50'],
    ['0.1000000000000000055511151231257827', 'number', '0.1000000000000000055511151231257827'],
    ['1e5', 'number', '1e5'],
    ['.5', 'number', '0.5'],
    ['+2.', 'number', '2'],
    ['12', 'number', '12'],
    ['INF', 'number', '"Infinity"'],
    ['-inf', 'number', '"-Infinity"'],
    ['TRUE', 'boolean', 'true'],
    ['false', 'boolean', 'false'],
    ['2024-01-31', 'date', '"2024-01-31"'],
    ['2024-01-31 10:00:00', 'datetime', '"2024-01-31T10:00:00"'],
    ['2024-01-31T10:00:00+02:00', 'datetime', '"2024-01-31T10:00:00+02:00"'],
    ['12:30', 'time', '"12:30"'],
    ['{"a": [1, 2]}', 'json', '"{\\"a\\": [1, 2]}"'],
  ] as const)('%s as %s → %s', (text, type, json) => {
    expect(jsonOfText(text, type)).toBe(json);
  });

  it('values that do not fit the type stay strings; missing markers are null in typed columns only', () => {
    expect(jsonOfText('abc', 'integer')).toBe('"abc"');
    expect(jsonOfText('1.5', 'integer')).toBe('"1.5"');
    expect(jsonOfText('yes', 'boolean')).toBe('"yes"');
    expect(jsonOfText('2024-13-45', 'date')).toBe('"2024-13-45"');
    expect(jsonOfText('NA', 'number')).toBe('null');
    expect(jsonOfText('null', 'integer')).toBe('null');
    expect(jsonOfText('NA', 'string')).toBe('"NA"');
    expect(jsonOfText(null, 'string')).toBe('null');
  });

  it('text is displayed as written', () => {
    const col = textColumn(['1.50', null]);
    expect(cellDisplay(col, 0, field('number'))).toBe('1.50');
    expect(cellDisplay(col, 1, field('number'))).toBeNull();
  });
});

describe('number and bigint cells', () => {
  it('temporal numbers are ISO 8601 in JSON and readable in grids', () => {
    const ms = Date.UTC(2009, 2, 1, 0, 1, 0);
    expect(jsonOfNumber(ms, 'datetime')).toBe('"2009-03-01T00:01:00.000Z"');
    expect(cellDisplay(numberColumn([ms]), 0, field('datetime'))).toBe('2009-03-01 00:01:00');
    expect(cellDisplay(numberColumn([ms + 250]), 0, field('datetime'))).toBe('2009-03-01 00:01:00.250');
    expect(jsonOfNumber(ms + 0.5, 'datetime')).toBe('"2009-03-01T00:01:00.000500Z"');
    expect(jsonOfNumber(Date.UTC(1969, 11, 31), 'date')).toBe('"1969-12-31"');
    expect(jsonOfNumber(3_723_001, 'time')).toBe('"01:02:03.001"');
    expect(jsonOfNumber(1e20, 'datetime')).toBe('100000000000000000000'); // beyond the Date range: the number itself
  });

  it('local ("wall clock") datetimes have no Z in JSON; instants keep it; grids show both alike', () => {
    const ms = Date.UTC(2024, 0, 2, 3, 4, 5);
    const local: Field = { ...field('datetime'), wallClock: true };
    expect(stringifyJson(cellJson(numberColumn([ms]), 0, local))).toBe('"2024-01-02T03:04:05.000"');
    expect(stringifyJson(cellJson(numberColumn([ms + 0.25]), 0, local))).toBe('"2024-01-02T03:04:05.000250"');
    expect(stringifyJson(cellJson(numberColumn([ms]), 0, field('datetime')))).toBe('"2024-01-02T03:04:05.000Z"');
    expect(cellDisplay(numberColumn([ms]), 0, local)).toBe('2024-01-02 03:04:05');
    expect(stringifyJson(cellJson(numberColumn([NaN]), 0, local))).toBe('"NaN"');
  });

  it('datetimes read from text keep the offset the text had, or none', () => {
    const texts = ['2024-01-02 03:04:05', '2024-01-02T03:04:05Z', '2024-01-02T03:04:05+02:00', '2024-01-02T03:04:05.5-0530'];
    const json = texts.map((t, i) => cellJson(textColumn(texts), i, field('datetime')));
    expect(json).toEqual(['2024-01-02T03:04:05', '2024-01-02T03:04:05Z', '2024-01-02T03:04:05+02:00', '2024-01-02T03:04:05.5-0530']);
  });

  it('booleans, non-finite numbers and missing values', () => {
    expect(jsonOfNumber(1, 'boolean')).toBe('true');
    expect(jsonOfNumber(0, 'boolean')).toBe('false');
    expect(jsonOfNumber(NaN, 'number')).toBe('"NaN"');
    expect(jsonOfNumber(-Infinity, 'number')).toBe('"-Infinity"');
    expect(jsonOfNumber(null, 'number')).toBe('null');
    expect(cellDisplay(numberColumn([NaN]), 0, field('number'))).toBe('NaN');
  });

  it('64-bit integers keep every digit', () => {
    const col = bigintColumn([42n, 9223372036854775807n, -9007199254740993n]);
    expect(cellJson(col, 0, field('integer'))).toBe(42);
    expect(stringifyJson(cellJson(col, 1, field('integer')))).toBe('9223372036854775807');
    expect(stringifyJson(cellJson(col, 2, field('integer')))).toBe('-9007199254740993');
    expect(cellDisplay(col, 1, field('integer'))).toBe('9223372036854775807');
  });
});

describe('value helpers', () => {
  it('formatDecimal is exact at any scale', () => {
    expect(formatDecimal(12345n, 2)).toBe('123.45');
    expect(formatDecimal(-5n, 2)).toBe('-0.05');
    expect(formatDecimal(0n, 3)).toBe('0.000');
    expect(formatDecimal(7n, 0)).toBe('7');
    expect(formatDecimal(7n, -3)).toBe('7000');
    expect(formatDecimal(-123456789012345678901234567890n, 10)).toBe('-12345678901234567890.1234567890');
  });

  it('bigintFromBytes reads two\'s complement in either byte order', () => {
    expect(bigintFromBytes(Uint8Array.from([0xff]))).toBe(-1n);
    expect(bigintFromBytes(Uint8Array.from([0x00, 0xff]))).toBe(255n);
    expect(bigintFromBytes(Uint8Array.from([0x80, 0x00]))).toBe(-32768n);
    expect(bigintFromBytes(Uint8Array.from([0x39, 0x30]), true)).toBe(12345n);
    expect(bigintFromBytes(new Uint8Array(0))).toBe(0n);
  });

  it('isoDate gives what Date gives, for whole days of years 0000-9999 and for any other time', () => {
    const viaDate = (ms: number) => { const iso = new Date(Math.floor(ms)).toISOString(); return iso.slice(0, iso.indexOf('T')); };
    const day = 86_400_000;
    const days = [-719_528, -719_527, -1, 0, 1, 59, 60, 365, 10_956, 11_016, 11_017, 2_932_896];
    for (let d = -719_528; d <= 2_932_896; d += 97) { days.push(d); }
    for (const d of days) { expect(isoDate(d * day)).toBe(viaDate(d * day)); }
    expect(isoDate(Date.UTC(2000, 1, 29))).toBe('2000-02-29');
    expect(isoDate(Date.UTC(1900, 2, 1))).toBe('1900-03-01');
    expect(isoDate(-1)).toBe('1969-12-31'); // not a whole day: through Date
    expect(isoDate(-719_529 * day)).toBe(viaDate(-719_529 * day)); // year -1: through Date, -000001-12-31
    expect(isoDate(2_932_897 * day)).toBe('+010000-01-01');
    expect(isoDate(NaN)).toBeNull();
  });

  it('isoDateTime and isoTime refuse what is not a time', () => {
    expect(isoDateTime(NaN)).toBeNull();
    expect(isoDateTime(Infinity)).toBeNull();
    expect(isoDateTime(2 ** 63)).toBeNull();
    expect(isoDateTime(-(2 ** 63))).toBeNull();
    expect(isoTime(-1)).toBeNull();
    expect(isoTime(0)).toBe('00:00:00');
  });

  it('date-times beyond Date\'s range (±8.64e15 ms) are written as toISOString writes expanded years', () => {
    // 400 Gregorian years are 146,097 days: the same date-time 400·k years on, within Date's range
    const cycle = 146_097 * 86_400_000;
    const viaCycles = (ms: number, k: number) => {
      const iso = new Date(ms - k * cycle).toISOString();
      const year = Number(iso.slice(0, iso.indexOf('-', 1))) + 400 * k;
      return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}${iso.slice(iso.indexOf('-', 1))}`;
    };
    for (const ms of [8.64e15 + 1, 9e15, 9_089_380_393_200_000, 9_223_372_036_854_776, 123_456_789_012_345_680]) {
      const k = Math.ceil((ms - 8.64e15) / cycle) + 1;
      expect(isoDateTime(ms), String(ms)).toBe(viaCycles(ms, k));
      expect(isoDateTime(-ms), String(-ms)).toBe(viaCycles(-ms, -k));
    }
    expect(isoDateTime(8.64e15)).toBe('+275760-09-13T00:00:00.000Z');
    expect(isoDateTime(8.64e15 + 1)).toBe('+275760-09-13T00:00:00.001Z');
    expect(isoDateTime(-8.64e15 - 1)).toBe('-271821-04-19T23:59:59.999Z');
    expect(isoDateTime(9_089_380_393_200_000)).toBe('+290000-12-30T23:00:00.000Z');
    expect(isoDate(9_089_380_393_200_000)).toBe('+290000-12-30');
    expect(cellDisplay(numberColumn([9_089_380_393_200_000]), 0, field('datetime'))).toBe('+290000-12-30 23:00:00');
    expect(jsonOfNumber(9_089_380_393_200_000, 'datetime')).toBe('"+290000-12-30T23:00:00.000Z"');
    expect(jsonOfNumber(-9.2e15, 'date')).toBe('"-289567-08-09"');
    // years -4128 and 10000, within Date's range, as before
    expect(cellDisplay(numberColumn([-192_420_178_035_843 + 0.938]), 0, field('datetime'))).toBe('-004128-06-12 14:32:44.157938');
    expect(isoDateTime(2_932_897 * 86_400_000)).toBe('+010000-01-01T00:00:00.000Z');
  });

  it('stringifyJson writes big integers raw, bytes as hex, and nothing JSON cannot hold', () => {
    const value = {
      big: 12345678901234567890n, raw: new RawJsonNumber('1.10'), nan: NaN, when: new Date(Date.UTC(2020, 0, 2)),
      bytes: Uint8Array.from([1, 171]), map: new Map<unknown, unknown>([['k', 1], [2, [null, undefined]]]), gone: undefined, s: 'a"\n',
    };
    expect(stringifyJson(value)).toBe(
      '{"big":12345678901234567890,"raw":1.10,"nan":null,"when":"2020-01-02T00:00:00.000Z","bytes":"01ab","map":{"k":1,"2":[null,null]},"s":"a\\"\\n"}',
    );
    expect(JSON.parse(stringifyJson({ a: [1, 'x', true, null, { b: -0.5 }] }))).toEqual({ a: [1, 'x', true, null, { b: -0.5 }] });
  });
});

describe('numbers written with a decimal comma', () => {
  const eu = (groupChar?: string): Field => ({
    name: 'price', type: 'number', nullable: true, numberFormat: { decimalChar: ',', ...(groupChar !== undefined ? { groupChar } : {}) },
  });
  const json = (text: string | null, f: Field) => stringifyJson(cellJson(textColumn([text]), 0, f));

  it.each([
    ['10,50', '.', '10.50'],
    ['7,25', '.', '7.25'],
    ['1.234,00', '.', '1234.00'],
    ['-0,5', '.', '-0.5'],
    ['3', '.', '3'],
    ['1.234', '.', '1234'],
    ['1 234,5', ' ', '1234.5'],
    ['1\u202f234,5', '\u202f', '1234.5'],
    ['INF', '.', '"Infinity"'],
    ['NA', '.', 'null'],
    ['n/a', '.', 'null'],
    ['abc', '.', '"abc"'],
    ['1.5', undefined, '"1.5"'],
    ['1,2,3', '.', '"1,2,3"'],
  ] as const)('%s (group %j) → %s in JSON', (text, group, out) => {
    expect(json(text, eu(group))).toBe(out);
  });

  it('are shown as written', () => {
    expect(cellDisplay(textColumn(['1.234,00']), 0, eu('.'))).toBe('1.234,00');
  });

  it('a field without the format reads them as text, as before', () => {
    expect(json('10,50', field('number'))).toBe('"10,50"');
  });
});

describe('numbers written with thousands groups', () => {
  const grouped: Field = { name: 'amount', type: 'number', nullable: true, numberFormat: { decimalChar: '.', groupChar: ',' } };
  const json = (text: string | null) => stringifyJson(cellJson(textColumn([text]), 0, grouped));

  it.each([
    ['1,234.50', '1234.50'],
    ['-3,000,000.00', '-3000000.00'],
    ['12,500', '12500'],
    ['7.25', '7.25'],
    ['300', '300'],
    ['NA', 'null'],
    ['abc', '"abc"'],
    ['1,234,5x', '"1,234,5x"'],
  ] as const)('%s → %s in JSON', (text, out) => {
    expect(json(text)).toBe(out);
  });

  it('are shown as written', () => {
    expect(cellDisplay(textColumn(['1,234.50']), 0, grouped)).toBe('1,234.50');
  });
});

describe('dates written in a layout other than ISO 8601', () => {
  const layout = (type: 'date' | 'datetime', temporalFormat: string): Field => ({ name: 'd', type, nullable: true, temporalFormat });
  const json = (text: string | null, f: Field) => stringifyJson(cellJson(textColumn([text]), 0, f));

  it.each([
    ['25/11/2026', 'date', '%d/%m/%Y', '"2026-11-25"'],
    ['1/2/2026', 'date', '%d/%m/%Y', '"2026-02-01"'],
    ['25.11.2026', 'date', '%d.%m.%Y', '"2026-11-25"'],
    ['25-11-2026', 'date', '%d-%m-%Y', '"2026-11-25"'],
    ['11/25/2026', 'date', '%m/%d/%Y', '"2026-11-25"'],
    ['2026/11/25', 'date', '%Y/%m/%d', '"2026-11-25"'],
    ['25/11/2026 13:45', 'datetime', '%d/%m/%Y %H:%M', '"2026-11-25T13:45"'],
    ['1/2/2026 8:05', 'datetime', '%d/%m/%Y %H:%M', '"2026-02-01T08:05"'],
    ['25/11/2026 13:45:07', 'datetime', '%d/%m/%Y %H:%M:%S', '"2026-11-25T13:45:07"'],
    ['11/25/2026 00:00:00', 'datetime', '%m/%d/%Y %H:%M:%S', '"2026-11-25T00:00:00"'],
    ['25/11/2026 13:45+01:00', 'datetime', '%d/%m/%Y %H:%M%z', '"2026-11-25T12:45:00.000Z"'],
    ['NA', 'date', '%d/%m/%Y', 'null'],
    ['', 'date', '%d/%m/%Y', 'null'],
    ['32/01/2026', 'date', '%d/%m/%Y', '"32/01/2026"'],
    ['2026-11-25', 'date', '%d/%m/%Y', '"2026-11-25"'],
    ['25/11/2026', 'datetime', '%d/%m/%Y %H:%M', '"25/11/2026"'],
  ])('%s (%s, %s) → %s', (text, type, format, out) => {
    expect(json(text, layout(type as 'date' | 'datetime', format))).toBe(out);
  });

  it('reads the ISO text of a zoneless ISO datetime the same way (the form head --json writes)', () => {
    expect(json('2026-11-25 13:45', field('datetime'))).toBe(json('25/11/2026 13:45', layout('datetime', '%d/%m/%Y %H:%M')));
  });

  it('shows the text as written, and ignores the format on other types', () => {
    expect(cellDisplay(textColumn(['25/11/2026']), 0, layout('date', '%d/%m/%Y'))).toBe('25/11/2026');
    expect(json('25/11/2026', { name: 'd', type: 'string', nullable: true, temporalFormat: '%d/%m/%Y' })).toBe('"25/11/2026"');
  });
});
