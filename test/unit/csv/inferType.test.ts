import { describe, expect, it } from 'vitest';
import { classifyValue, inferType, isMissingValue, TypeInferrer } from '../../../src/core/formats/inferType';

describe('classifyValue', () => {
  it.each([
    ['0', 'integer'], ['-12', 'integer'], ['+7', 'integer'], ['9007199254740993', 'integer'],
    ['007', 'string'], ['02134', 'string'], ['00.5', 'string'],
    ['1.5', 'number'], ['-0.25', 'number'], ['.5', 'number'], ['1e3', 'number'], ['2.5E-4', 'number'], ['3.', 'number'],
    ['INF', 'number'], ['-Infinity', 'number'],
    ['true', 'boolean'], ['FALSE', 'boolean'], ['True', 'boolean'], ['yes', 'string'], ['tRuE', 'string'],
    ['2024-02-29', 'date'], ['2023-02-29', 'string'], ['2024-13-01', 'string'],
    ['2024-01-31T10:00:00Z', 'datetime'], ['2024-01-31 10:00', 'datetime'], ['2024-01-31T10:00:00.123+02:00', 'datetime'],
    ['2024-01-31T25:00', 'string'],
    ['10:30', 'time'], ['23:59:59.5', 'time'], ['24:00', 'string'],
    ['1,5', 'string'], ['12abc', 'string'], ['Infinite loop', 'string'], ['info', 'string'],
  ])('%s → %s', (v, kind) => {
    expect(classifyValue(v)).toBe(kind);
  });
});

describe('inferType', () => {
  it('widens integer and number to number, date and datetime to datetime', () => {
    expect(inferType(['1', '2.5', '3']).type).toBe('number');
    expect(inferType(['2024-01-01', '2024-01-01T08:00']).type).toBe('datetime');
  });

  it('falls back to string on any mix it cannot widen', () => {
    expect(inferType(['1', 'true']).type).toBe('string');
    expect(inferType(['2024-01-01', '10:00']).type).toBe('string');
    expect(inferType(['1', 'x', '2']).type).toBe('string');
  });

  it('treats empty and common missing markers as missing, making the column nullable', () => {
    const r = inferType(['1', '', 'NA', 'N/A', 'null', 'NULL', 'None', 'NaN', '#N/A', '2', null, undefined]);
    expect(r).toMatchObject({ type: 'integer', nullable: true, count: 2, missing: 10 });
    expect(inferType(['1', '2'])).toMatchObject({ nullable: false, missing: 0 });
  });

  it('is a nullable string when nothing but missing values were seen', () => {
    expect(inferType(['', 'NA'])).toMatchObject({ type: 'string', nullable: true, count: 0 });
    expect(inferType([])).toMatchObject({ type: 'string', nullable: true });
  });

  it('keeps integers beyond 2^53 as integer and flags them', () => {
    expect(inferType(['1', '9007199254740993'])).toMatchObject({ type: 'integer', exceedsSafeInteger: true });
    expect(inferType(['1', '9007199254740991'])).toMatchObject({ type: 'integer', exceedsSafeInteger: false });
    expect(inferType(['-9223372036854775808', '1.5'])).toMatchObject({ type: 'number', exceedsSafeInteger: false });
  });

  it('accepts a caller-chosen missing list', () => {
    expect(inferType(['-', '1'], { missingValues: ['-'] })).toMatchObject({ type: 'integer', nullable: true });
    expect(inferType(['NA', '1'], { missingValues: [''] }).type).toBe('string');
    expect(isMissingValue('-', ['-'])).toBe(true);
    expect(isMissingValue('NA')).toBe(true);
    expect(isMissingValue('Namibia')).toBe(false);
  });

  it('streams: results at any time reflect what was added', () => {
    const t = new TypeInferrer();
    t.add('1');
    expect(t.result().type).toBe('integer');
    t.add('x');
    expect(t.result().type).toBe('string');
    t.add('2');
    expect(t.result()).toMatchObject({ type: 'string', count: 3 });
  });
});

/** Columns that read as decimal-comma numbers, with their format. */
const DECIMAL_COMMA_COLUMNS: [string[], { decimalChar: string; groupChar?: string }][] = [
  [['10,50', '7,25', '1.234,00', '-0,5'], { decimalChar: ',', groupChar: '.' }],
  [['10,50', '3', '', 'NA'], { decimalChar: ',' }],
  [['1 234,5', '12 345 678,9', '0,125'], { decimalChar: ',', groupChar: ' ' }],
  [['1\u00a0234,5', '2,75'], { decimalChar: ',', groupChar: '\u00a0' }],
  [['1\u202f234,5', '-12\u202f000'], { decimalChar: ',', groupChar: '\u202f' }],
  [['1.234', '10,5', '+2,25', 'INF'], { decimalChar: ',', groupChar: '.' }],
  [['0,125', '2,500'], { decimalChar: ',' }],
  [['1.234,567', '2'], { decimalChar: ',', groupChar: '.' }],
];

/** Columns that do not, with the type they read as. */
const NOT_DECIMAL_COMMA_COLUMNS: [string[], string][] = [
  // no comma anywhere: read as without the option
  [['1.234', '2.5'], 'number'],
  [['1.234.567', '2.000'], 'string'],
  [['1', '2'], 'integer'],
  // not decimal-comma numbers
  [['1,2,3', '4,5'], 'string'],
  [['12,3456,7', '1,5'], 'string'],
  [['1,5', '1.5'], 'string'],
  [['1.234,5', '1 234,5'], 'string'],
  [['1.23,5'], 'string'],
  [['1.2345,5'], 'string'],
  [['1234.567,5'], 'string'],
  [[',5', '1,5'], 'string'],
  [['1,', '1,5'], 'string'],
  [['007,5'], 'string'],
  [['0.123,5'], 'string'],
  [['1,5 kg', '2,5'], 'string'],
  [['1,5', 'abc'], 'string'],
  // every comma could be an English thousands separator
  [['1,234', '12,500'], 'string'],
  [['1,234', '7'], 'string'],
];

describe('numbers with a decimal comma (delimited text whose delimiter is not a comma)', () => {
  const comma = (values: (string | null)[]) => inferType(values, { decimalComma: true });

  it.each(DECIMAL_COMMA_COLUMNS)('%j is a number column written %j', (values, format) => {
    const r = comma(values);
    expect(r.type).toBe('number');
    expect(r.numberFormat).toEqual(format);
    expect(r.exceedsSafeInteger).toBe(false);
  });

  it('keeps counting missing values and values as before', () => {
    expect(comma(['10,5', '', 'n/a', '3'])).toMatchObject({ type: 'number', nullable: true, count: 2, missing: 2 });
  });

  it.each(NOT_DECIMAL_COMMA_COLUMNS)('%j stays %s', (values, type) => {
    const r = comma(values);
    expect(r.type).toBe(type);
    expect(r.numberFormat).toBeUndefined();
  });

  it('is not looked for unless asked (a comma-delimited file)', () => {
    expect(inferType(['10,50', '7,25']).type).toBe('string');
    expect(inferType(['10,50', '7,25']).numberFormat).toBeUndefined();
  });

  it('streams: a later value that does not fit turns the column back to what it reads as', () => {
    const t = new TypeInferrer({ decimalComma: true });
    t.add('10,5');
    expect(t.result()).toMatchObject({ type: 'number', numberFormat: { decimalChar: ',' } });
    t.add('1.234');
    expect(t.result().numberFormat).toEqual({ decimalChar: ',', groupChar: '.' });
    t.add('1 234');
    expect(t.result()).toMatchObject({ type: 'string' });
    expect(t.result().numberFormat).toBeUndefined();
  });
});

describe('numbers with `,` thousands groups and a decimal point (delimited text)', () => {
  const GROUPED = { decimalChar: '.', groupChar: ',' };
  /** A comma-delimited file: the comma cannot be a decimal comma. */
  const csv = (values: (string | null)[]) => inferType(values, { thousandsComma: true });
  /** A `;`- or tab-delimited file: both readings are looked for. */
  const other = (values: (string | null)[]) => inferType(values, { thousandsComma: true, decimalComma: true });

  it.each([
    [['1,234.50', '7.25', '-3,000,000.00']],
    [['12,500', '300', '1,000']],
    [['+1,234', '-12', '.5', '1e3', '', 'NA']],
    [['999,999,999,999.5', '0.25']],
    [['1,234', 'INF', '0']],
  ])('in a comma-delimited file, %j is a number column with group char ","', values => {
    const r = csv(values);
    expect(r.type).toBe('number');
    expect(r.numberFormat).toEqual(GROUPED);
    expect(r.exceedsSafeInteger).toBe(false);
  });

  it('keeps counting missing values and values as before', () => {
    expect(csv(['1,234', '', 'n/a', '3'])).toMatchObject({ type: 'number', nullable: true, count: 2, missing: 2 });
  });

  it.each([
    // no group anywhere: read as without the option
    [['7.25', '300'], 'number'],
    [['1', '2'], 'integer'],
    [['007', '1,234'], 'string'],
    // not thousands groups
    [['1,23', '4'], 'string'],
    [['1,2345'], 'string'],
    [['1234,567'], 'string'],
    [['0,123'], 'string'],
    [['01,234'], 'string'],
    [[',123'], 'string'],
    [['1,234.'], 'string'],
    [['1,234.5.6'], 'string'],
    [['1,234,'], 'string'],
    [['1.234,5'], 'string'],
    [['1,234 kg'], 'string'],
    [[' 1,234'], 'string'],
    [['1,234', 'abc'], 'string'],
    [['1,234', 'true'], 'string'],
    [['1,234', '2026-01-02'], 'string'],
  ])('in a comma-delimited file, %j stays %s', (values, type) => {
    const r = csv(values);
    expect(r.type).toBe(type);
    expect(r.numberFormat).toBeUndefined();
  });

  it.each([
    [['1,234.50', '7.25']],
    [['3,000,000', '12,500', '300']],
    [['12,500', '1,000', '-1,234.5']],
  ])('in a ;- or tab-delimited file, %j is a number column with group char "," (some value rules a decimal comma out)', values => {
    expect(other(values)).toMatchObject({ type: 'number', numberFormat: GROUPED });
  });

  it.each([
    [['1,234', '12,500']],
    [['12,500', '300', '1,000']],
    [['1,234', '7.25']],
  ])('in a ;- or tab-delimited file, %j could have a decimal comma and stays a string', values => {
    const r = other(values);
    expect(r.type).toBe('string');
    expect(r.numberFormat).toBeUndefined();
  });

  it.each(DECIMAL_COMMA_COLUMNS)('with both looked for, %j is still a decimal-comma column written %j', (values, format) => {
    expect(other(values)).toMatchObject({ type: 'number', numberFormat: format });
  });

  it.each(NOT_DECIMAL_COMMA_COLUMNS)('with both looked for, %j still stays %s', (values, type) => {
    const r = other(values);
    expect(r.type).toBe(type);
    expect(r.numberFormat).toBeUndefined();
  });

  it('is not looked for unless asked (JSON Lines text)', () => {
    expect(inferType(['1,234.50', '7.25'])).toMatchObject({ type: 'string' });
  });

  it('streams: a column turns grouped with its first group, and back to text with a value that does not fit', () => {
    const t = new TypeInferrer({ thousandsComma: true, decimalComma: true });
    t.add('7.25');
    expect(t.result()).toMatchObject({ type: 'number' });
    expect(t.result().numberFormat).toBeUndefined();
    t.add('1,234');
    expect(t.result()).toMatchObject({ type: 'string' });
    t.add('1,234,567');
    expect(t.result()).toMatchObject({ type: 'number', numberFormat: GROUPED });
    t.add('1,5');
    expect(t.result()).toMatchObject({ type: 'string' });
    expect(t.result().numberFormat).toBeUndefined();
  });
});

describe('dates in common layouts other than ISO 8601 (delimited text)', () => {
  const layouts = (values: (string | null)[]) => inferType(values, { temporalLayouts: true });

  it.each([
    [['25/11/2026', '01/02/2026', '31/12/2025'], 'date', '%d/%m/%Y'],
    [['25.11.2026', '01.02.2026'], 'date', '%d.%m.%Y'],
    // dotted dates are day-first wherever they are written: no day above 12 is needed
    [['01.02.2026', '03.04.2026'], 'date', '%d.%m.%Y'],
    [['25-11-2026', '1-2-2026', ''], 'date', '%d-%m-%Y'],
    [['11/25/2026', '02/01/2026', 'NA'], 'date', '%m/%d/%Y'],
    [['2026/11/25', '2026/02/01'], 'date', '%Y/%m/%d'],
    [['2026/1/2'], 'date', '%Y/%m/%d'],
    [['29/02/2024', '1/2/2026'], 'date', '%d/%m/%Y'],
    [['25/11/2026 13:45', '01/02/2026 08:00', '31/12/2025 0:05'], 'datetime', '%d/%m/%Y %H:%M'],
    [['25/11/2026 13:45:07', '01/02/2026 08:00:00', '31/12/2025 23:59:60'], 'datetime', '%d/%m/%Y %H:%M:%S'],
    [['25.11.2026 13:45', '01.02.2026 08:00'], 'datetime', '%d.%m.%Y %H:%M'],
    [['25-11-2026 13:45:00'], 'datetime', '%d-%m-%Y %H:%M:%S'],
    [['11/25/2026 13:45', '02/01/2026 08:00'], 'datetime', '%m/%d/%Y %H:%M'],
    [['11/25/2026 13:45:30'], 'datetime', '%m/%d/%Y %H:%M:%S'],
    [['2026/11/25 13:45', '2026/02/01 08:00'], 'datetime', '%Y/%m/%d %H:%M'],
    [['2026/11/25 13:45:30'], 'datetime', '%Y/%m/%d %H:%M:%S'],
  ])('%j is a %s column written %s', (values, type, format) => {
    const r = layouts(values);
    expect([r.type, r.temporalFormat, r.exceedsSafeInteger]).toEqual([type, format, false]);
  });

  it('keeps counting missing values and values as before', () => {
    expect(layouts(['25/11/2026', '', 'n/a', '01/02/2026'])).toMatchObject({ type: 'date', nullable: true, count: 2, missing: 2 });
  });

  it.each([
    // no value tells day-first from month-first: no guess
    [['01/02/2026', '03/04/2026', '12/12/2026'], 'string'],
    [['01-02-2026'], 'string'],
    [['01/02/2026 08:00'], 'string'],
    // values tell both: one layout reads neither
    [['25/11/2026', '11/25/2026'], 'string'],
    // no such day or month either way
    [['13/13/2026', '01/02/2026'], 'string'],
    [['31/02/2026', '25/11/2026'], 'string'],
    [['29/02/2025', '25/11/2026'], 'string'],
    [['25/11/2026', '32/01/2026'], 'string'],
    // two-digit years
    [['25/11/26', '01/02/26'], 'string'],
    [['25.11.26'], 'string'],
    // mixed layouts, separators, with and without a time, with and without seconds
    [['25/11/2026', '25.11.2026'], 'string'],
    [['25/11/2026', '2026-11-25'], 'string'],
    [['25/11/2026', '25/11/2026 13:45'], 'string'],
    [['25/11/2026 13:45', '31/12/2025 23:59:59'], 'string'],
    // not a date in these layouts
    [['25/11/2026 24:00'], 'string'],
    [['25/11/2026 13:60'], 'string'],
    [['25/11/2026 13:5'], 'string'],
    [['25/11/2026T13:45'], 'string'],
    [['25/11/2026  13:45'], 'string'],
    [[' 25/11/2026'], 'string'],
    [['25/11/2026 13:45Z'], 'string'],
    [['2026-25-11'], 'string'],
    [['2026.11.25'], 'string'],
    [['25/11/02026'], 'string'],
    [['125/11/2026'], 'string'],
    [['25/11/0000'], 'string'],
    [['25/11/2026', 'x'], 'string'],
    [['25/11/2026', '7'], 'string'],
    // ISO 8601 reads as before, with no format
    [['2026-11-25', '2026-02-01'], 'date'],
    [['2026-11-25 13:45', '2026-11-25T08:00:00Z'], 'datetime'],
    [['1', '2'], 'integer'],
  ])('%j stays %s', (values, type) => {
    const r = layouts(values);
    expect(r.type).toBe(type);
    expect(r.temporalFormat).toBeUndefined();
  });

  it('is not looked for unless asked', () => {
    expect(inferType(['25/11/2026', '01/02/2026'])).toMatchObject({ type: 'string' });
    expect(inferType(['25/11/2026', '01/02/2026']).temporalFormat).toBeUndefined();
  });

  it('streams: the layout is chosen once a value tells, and dropped when one does not fit', () => {
    const t = new TypeInferrer({ temporalLayouts: true });
    t.add('01/02/2026');
    expect(t.result()).toMatchObject({ type: 'string' });
    t.add('25/02/2026');
    expect(t.result()).toMatchObject({ type: 'date', temporalFormat: '%d/%m/%Y' });
    t.add('02/25/2026');
    expect(t.result()).toMatchObject({ type: 'string' });
    expect(t.result().temporalFormat).toBeUndefined();
  });

  it('leaves decimal-comma numbers to their own option', () => {
    expect(inferType(['10,50', '7,25'], { temporalLayouts: true, decimalComma: true })).toMatchObject({ type: 'number', numberFormat: { decimalChar: ',' } });
    expect(inferType(['25.11.2026', '1.234,5'], { temporalLayouts: true, decimalComma: true }).type).toBe('string');
  });
});
