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

describe('numbers with a decimal comma (delimited text whose delimiter is not a comma)', () => {
  const comma = (values: (string | null)[]) => inferType(values, { decimalComma: true });

  it.each([
    [['10,50', '7,25', '1.234,00', '-0,5'], { decimalChar: ',', groupChar: '.' }],
    [['10,50', '3', '', 'NA'], { decimalChar: ',' }],
    [['1 234,5', '12 345 678,9', '0,125'], { decimalChar: ',', groupChar: ' ' }],
    [['1\u00a0234,5', '2,75'], { decimalChar: ',', groupChar: '\u00a0' }],
    [['1\u202f234,5', '-12\u202f000'], { decimalChar: ',', groupChar: '\u202f' }],
    [['1.234', '10,5', '+2,25', 'INF'], { decimalChar: ',', groupChar: '.' }],
    [['0,125', '2,500'], { decimalChar: ',' }],
    [['1.234,567', '2'], { decimalChar: ',', groupChar: '.' }],
  ])('%j is a number column written %j', (values, format) => {
    const r = comma(values);
    expect(r.type).toBe('number');
    expect(r.numberFormat).toEqual(format);
    expect(r.exceedsSafeInteger).toBe(false);
  });

  it('keeps counting missing values and values as before', () => {
    expect(comma(['10,5', '', 'n/a', '3'])).toMatchObject({ type: 'number', nullable: true, count: 2, missing: 2 });
  });

  it.each([
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
  ])('%j stays %s', (values, type) => {
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
