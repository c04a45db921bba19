import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil } from '../../../src/core/formats/calendar';
import { plainNumberText } from '../../../src/core/formats/numberFormat';
import { TEMPORAL_LAYOUTS, temporalTextParser } from '../../../src/core/formats/temporalFormat';
import {
  formattedNumberParser, formattedTemporalParser, parseBoolean, parseDate, parseDatetime, parseInteger, parseNumber, parseTime, parsed,
} from '../../../src/core/profile/textParse';

const enc = new TextEncoder();
function run(f: (b: Uint8Array, s: number, e: number) => number, text: string): number | 'invalid' {
  // parse from the middle of a larger buffer, as cells sit in a batch
  const b = enc.encode(`xx${text}yy`);
  const v = f(b, 2, b.length - 2);
  return parsed.ok ? v : 'invalid';
}

describe('text cell parsers', () => {
  it('integers', () => {
    expect(run(parseInteger, '42')).toBe(42);
    expect(run(parseInteger, '-7')).toBe(-7);
    expect(run(parseInteger, ' +3 ')).toBe(3);
    expect(run(parseInteger, '12345678901234567890')).toBe(Number('12345678901234567890'));
    for (const bad of ['', '-', '1.0', '1e3', '12a', 'abc']) { expect(run(parseInteger, bad)).toBe('invalid'); }
  });

  it('numbers agree with Number() on valid forms', () => {
    for (const s of ['0', '-0.5', '3.14159', '.5', '5.', '1e10', '-2.5E-3', '123456789012345678', '0.1', '2981.96', '0.000001']) {
      expect(run(parseNumber, s)).toBe(Number(s));
    }
    expect(run(parseNumber, 'NaN')).toBeNaN();
    expect(run(parseNumber, '-INF')).toBe(-Infinity);
    expect(run(parseNumber, 'Infinity')).toBe(Infinity);
    for (const bad of ['', '.', '1e', '1.2.3', '12abc', 'n/a', '--1']) { expect(run(parseNumber, bad)).toBe('invalid'); }
  });

  it('tell whether the double holds the written number exactly', () => {
    const exact = (f: typeof parseNumber, text: string): boolean => { run(f, text); return parsed.exact; };
    expect(exact(parseInteger, '9007199254740991')).toBe(true);
    expect(exact(parseInteger, '-9007199254740992')).toBe(false);
    expect(exact(parseInteger, '18446744073709551615')).toBe(false);
    // a number is its double unless it is a whole number beyond 2^53 written as digits alone
    for (const s of ['0.1', '1.5e3', '123456789012345', '1e21', '-2.5E-3', 'NaN', '-inf', '0.1000000000000000055511', '12345678901234567890.12', '1e400']) {
      expect(exact(parseNumber, s)).toBe(true);
    }
    for (const s of ['9007199254740993', '-18446744073709551615', '00012345678901234567890']) { expect(exact(parseNumber, s)).toBe(false); }
  });

  it('tell whether a datetime has a zone', () => {
    const zoned = (text: string): boolean => { run(parseDatetime, text); return parsed.zoned; };
    expect(['2024-03-01T12:34:56Z', '2024-03-01 12:34+02:00', '2024-03-01T00:30:00-0130'].map(zoned)).toEqual([true, true, true]);
    expect(['2024-03-01 12:34:56', '2024-03-01T12:34', '2024-03-01'].map(zoned)).toEqual([false, false, false]);
  });

  it('booleans: the Frictionless default true/false values', () => {
    for (const t of ['true', 'True', 'TRUE', '1']) { expect(run(parseBoolean, t)).toBe(1); }
    for (const f of ['false', 'False', 'FALSE', '0']) { expect(run(parseBoolean, f)).toBe(0); }
    for (const bad of ['yes', 'tRue', '2', '']) { expect(run(parseBoolean, bad)).toBe('invalid'); }
  });

  it('ISO dates, with calendar checks', () => {
    expect(run(parseDate, '2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(run(parseDate, '1969-12-31')).toBe(Date.UTC(1969, 11, 31));
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-01', '20240101', '2024/01/01']) { expect(run(parseDate, bad)).toBe('invalid'); }
  });

  it('datetimes with and without zones, and times', () => {
    expect(run(parseDatetime, '2024-03-01T12:34:56Z')).toBe(Date.UTC(2024, 2, 1, 12, 34, 56));
    expect(run(parseDatetime, '2024-03-01 12:34')).toBe(Date.UTC(2024, 2, 1, 12, 34));
    expect(run(parseDatetime, '2024-03-01T12:34:56.250+02:00')).toBe(Date.UTC(2024, 2, 1, 10, 34, 56, 250));
    expect(run(parseDatetime, '2024-03-01T00:30:00-0130')).toBe(Date.UTC(2024, 2, 1, 2, 0));
    expect(run(parseDatetime, '2024-03-01')).toBe(Date.UTC(2024, 2, 1));
    for (const bad of ['2024-03-01X12:00', '2024-03-01T25:00', '2024-03-01T12', 'yesterday']) { expect(run(parseDatetime, bad)).toBe('invalid'); }
    expect(run(parseTime, '13:05:09.5')).toBe(((13 * 60 + 5) * 60 + 9.5) * 1000);
    expect(run(parseTime, '7:00')).toBe('invalid');
  });

  it('days ↔ civil dates round-trip', () => {
    for (const d of [-719468, -1, 0, 59, 18000, 2932896]) {
      const [y, m, day] = civilFromDays(d);
      expect(daysFromCivil(y, m, day)).toBe(d);
    }
    expect(civilFromDays(0)).toEqual([1970, 1, 1]);
  });
});

describe('numbers written in a number format', () => {
  const dotGroups = formattedNumberParser({ decimalChar: ',', groupChar: '.' });
  const spaceGroups = formattedNumberParser({ decimalChar: ',', groupChar: '\u00a0' });
  const noGroups = formattedNumberParser({ decimalChar: ',' });

  it('read the decimal char as a point and skip group chars', () => {
    expect(run(dotGroups, '10,50')).toBe(10.5);
    expect(run(dotGroups, '-0,5')).toBe(-0.5);
    expect(run(dotGroups, '1.234,00')).toBe(1234);
    expect(run(dotGroups, '1.234')).toBe(1234);
    expect(run(dotGroups, ' +12.345.678,9 ')).toBe(12345678.9);
    expect(run(dotGroups, '1,5e3')).toBe(1500);
    expect(run(dotGroups, '123.456.789.012.345.678,5')).toBe(Number('123456789012345678.5'));
    expect(run(spaceGroups, '1\u00a0234,25')).toBe(1234.25);
    expect(run(noGroups, '0,125')).toBe(0.125);
    expect(run(dotGroups, '-INF')).toBe(-Infinity);
    expect(run(dotGroups, 'NaN')).toBeNaN();
  });

  it('agree with the text as written with a point', () => {
    for (const s of ['0,1', '2981,96', '-7,000001', '3,14159', '1.000.000,01', '0,3']) {
      expect(run(dotGroups, s)).toBe(Number(plainNumberText(s, { decimalChar: ',', groupChar: '.' })));
    }
  });

  it('refuse other text', () => {
    for (const bad of ['', ',', '-', 'abc', 'n/a', '1,2,3', '1,5x', '1,5e']) { expect(run(dotGroups, bad)).toBe('invalid'); }
    for (const bad of ['1.5', '1.234,5', '1 234']) { expect(run(noGroups, bad)).toBe('invalid'); }
  });

  it('read `,` thousands groups with a decimal point', () => {
    const commaGroups = formattedNumberParser({ decimalChar: '.', groupChar: ',' });
    expect(run(commaGroups, '1,234.50')).toBe(1234.5);
    expect(run(commaGroups, '-3,000,000.00')).toBe(-3000000);
    expect(run(commaGroups, '12,500')).toBe(12500);
    expect(run(commaGroups, '7.25')).toBe(7.25);
    expect(run(commaGroups, '1,234.5e2')).toBe(123450);
    for (const bad of ['abc', '1.234.5', '1,234.5.6', '1,5x']) { expect(run(commaGroups, bad)).toBe('invalid'); }
  });

  it('are one parser per format', () => {
    expect(formattedNumberParser({ decimalChar: ',', groupChar: '.' })).toBe(dotGroups);
    expect(formattedNumberParser({ decimalChar: ',' })).not.toBe(dotGroups);
  });
});

describe('dates written in a layout other than ISO 8601', () => {
  const dmy = formattedTemporalParser('%d/%m/%Y', 'date');
  const mdyTime = formattedTemporalParser('%m/%d/%Y %H:%M', 'datetime');
  const dotSeconds = formattedTemporalParser('%d.%m.%Y %H:%M:%S', 'datetime');

  it('read the day, month and year where the layout puts them', () => {
    expect(run(dmy, '25/11/2026')).toBe(Date.UTC(2026, 10, 25));
    expect(run(dmy, '1/2/2026')).toBe(Date.UTC(2026, 1, 1));
    expect(run(dmy, ' 29/02/2024 ')).toBe(Date.UTC(2024, 1, 29));
    expect(run(formattedTemporalParser('%Y/%m/%d', 'date'), '2026/11/25')).toBe(Date.UTC(2026, 10, 25));
    expect(run(formattedTemporalParser('%d-%m-%Y', 'date'), '05-06-0099')).toBe(Date.UTC(2099, 5, 5) - 2000 * 365.2425 * 86400000);
    expect(run(mdyTime, '11/25/2026 13:45')).toBe(Date.UTC(2026, 10, 25, 13, 45));
    expect(parsed.zoned).toBe(false);
    expect(run(dotSeconds, '31.12.2025 23:59:59')).toBe(Date.UTC(2025, 11, 31, 23, 59, 59));
    expect(run(dotSeconds, '31.12.2025 8:5:7')).toBe(Date.UTC(2025, 11, 31, 8, 5, 7));
  });

  it('refuse days and times that do not exist, other layouts and no value', () => {
    for (const bad of ['', '32/01/2026', '13/13/2026', '29/02/2025', '31/04/2026', '25/11/26', '25.11.2026', '2026-11-25', '25/11/2026 13:45', '25/11/20261', 'NA', '25/11/2026x']) {
      expect([bad, run(dmy, bad)]).toEqual([bad, 'invalid']);
    }
    for (const bad of ['25/11/2026 13:45', '11/25/2026', '11/25/2026 24:00', '11/25/2026 13:60', '11/25/2026 13:45:00', '11/25/2026T13:45']) {
      expect([bad, run(mdyTime, bad)]).toEqual([bad, 'invalid']);
    }
  });

  it('agree with the reading `strata validate` gives the field, on every layout', () => {
    const texts = [
      '25/11/2026', '1/2/2026', '25.11.2026', '25-11-2026', '11/25/2026', '2026/11/25', '2026/2/1', '29/02/2024', '31/04/2026',
      '25/11/2026 13:45', '25/11/2026 7:05', '25/11/2026 13:45:07', '25/11/2026 23:59:60', '25.11.2026 13:45', '11/25/2026 13:45:07',
      '2026/11/25 13:45', '2026/11/25 13:45:59', '25/11/2026\u00a013:45', '25/11/2026   13:45', '\u00a025/11/2026', '25/11/26', 'NA', '',
    ];
    for (const l of TEMPORAL_LAYOUTS) {
      const kind = l.time === 0 ? 'date' : 'datetime';
      const bytes = formattedTemporalParser(l.pattern, kind), text = temporalTextParser(l.pattern, kind);
      for (const t of texts) {
        const expected = text(t);
        expect([l.pattern, t, run(bytes, t)]).toEqual([l.pattern, t, expected === expected ? expected : 'invalid']);
      }
    }
  });

  it('read other patterns as the pattern reads them', () => {
    const named = formattedTemporalParser('%d %b %Y', 'date');
    expect(run(named, '25 Nov 2026')).toBe(Date.UTC(2026, 10, 25));
    expect(run(named, '25/11/2026')).toBe('invalid');
    const zoned = formattedTemporalParser('%d/%m/%Y %H:%M%z', 'datetime');
    expect(run(zoned, '25/11/2026 13:45+01:00')).toBe(Date.UTC(2026, 10, 25, 12, 45));
    expect(parsed.zoned).toBe(true);
  });

  it('are one parser per pattern and kind', () => {
    expect(formattedTemporalParser('%d/%m/%Y', 'date')).toBe(dmy);
    expect(formattedTemporalParser('%d/%m/%Y', 'datetime')).not.toBe(dmy);
  });
});
