import { describe, expect, it } from 'vitest';
import { displayIso, isoDate, isoDateTime, numberFormatText, temporalFormatText } from '../../../webview/preview/cellText';
import { isoDateTime as coreIsoDateTime } from '../../../src/core/formats/cellValue';

describe('grid dates and date-times', () => {
  it('writes years outside 0000-9999 with a sign and six digits, as the CLI does', () => {
    expect(isoDate(Date.UTC(2024, 0, 31))).toBe('2024-01-31');
    expect(isoDateTime(Date.parse('-004128-06-12T14:32:44.157Z'))).toBe('-004128-06-12 14:32:44.157');
    expect(isoDate(Date.parse('+012345-03-01T00:00:00Z'))).toBe('+012345-03-01');
  });

  it('formats instants beyond the range of a Date (Spark writes INT96 values up to year 290,000)', () => {
    const ms = 9_089_380_393_200_000; // 290000-12-30T23:00:00Z, past Date's 8.64e15 ms
    expect(new Date(ms).getTime()).toBeNaN();
    expect(isoDateTime(ms)).toBe('+290000-12-30 23:00:00');
    // the CLI's formatter works the calendar out from the day count: the grid agrees with it
    for (const x of [-ms, ms + 12_345, -ms - 86_399_999]) {
      expect(isoDateTime(x)).toBe((coreIsoDateTime(x) as string).replace('T', ' ').replace(/\.000Z$|Z$/, ''));
    }
    expect(isoDateTime(Number.NaN)).toBe('NaN');
  });

  it('shows an expanded-year ISO text as it shows a value', () => {
    expect(displayIso('+290000-12-30T23:00:00.000Z')).toBe('+290000-12-30 23:00:00');
  });
});

describe('a column header names how its numbers are written', () => {
  it('names the decimal char and the group char, spaces by name', () => {
    expect(numberFormatText({ decimalChar: ',', groupChar: '.' })).toBe('decimal ",", groups "."');
    expect(numberFormatText({ decimalChar: ',' })).toBe('decimal ","');
    expect(numberFormatText({ decimalChar: '.', groupChar: ',' })).toBe('decimal ".", groups ","');
    expect(numberFormatText({ decimalChar: ',', groupChar: '\u202f' })).toBe('decimal ",", groups narrow no-break space');
  });
});

describe('a column header names how its dates are written', () => {
  it('names the layout as the schema format', () => {
    expect(temporalFormatText('%d/%m/%Y')).toBe('format %d/%m/%Y');
    expect(temporalFormatText('%m/%d/%Y %H:%M')).toBe('format %m/%d/%Y %H:%M');
  });
});
