import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { parseSampleRows, sniffDialect, sniffHeader, sniffLineTerminator } from '../../../src/core/formats/csv/dialect';
import { batchRows, textBuffer } from './csvHelpers';

const rows = (n: number, make: (i: number) => string, nl = '\n'): string => Array.from({ length: n }, (_, i) => make(i)).join(nl) + nl;

describe('sniffDialect', () => {
  it.each([
    [',', 'a,b,c\n1,2,3\n4,5,6\n'],
    [';', 'a;b;c\n1,5;2;x\n4;5,25;y\n'],
    ['\t', 'a b\tc d\te\n1\t2\t3\n4\t5\t6\n'],
    ['|', 'a|b|c\n1|2|3\n4|5|6\n'],
    [':', 'a:b:c\n1:2:3\n4:5:6\n'],
    ['^', 'a^b^c\n1^2^3\n4^5^6\n'],
    [' ', 'a b c\n1 2 3\n4 5 6\n'],
  ])('finds %j', (delimiter, text) => {
    expect(sniffDialect(text, { complete: true }).delimiter).toBe(delimiter);
  });

  it('prefers the delimiter that keeps rows consistent over the commoner one', () => {
    // Commas appear in every row, but only semicolons split every row alike.
    const text = 'name;note\nx;"a, b"\ny;c, d, e\nz;f\n';
    expect(sniffDialect(text, { complete: true }).delimiter).toBe(';');
  });

  it('does not split prose on spaces', () => {
    const text = 'id,text\n1,the quick brown fox\n2,jumps over\n3,the lazy dog today\n';
    expect(sniffDialect(text, { complete: true }).delimiter).toBe(',');
  });

  it('follows the extension hint unless the content clearly disagrees', () => {
    const tabbed = 'a\tb,c\n1\t2,3\n';
    expect(sniffDialect(tabbed, { name: 'x.tsv', complete: true }).delimiter).toBe('\t');
    // Equally consistent either way: the name decides.
    expect(sniffDialect(tabbed, { name: 'x.csv', complete: true }).delimiter).toBe(',');
    const commas = 'a,b,c\n1,2,3\n4,5,6\n';
    expect(sniffDialect(commas, { name: 'x.tsv', complete: true }).delimiter).toBe(',');
    expect(sniffDialect('a|b\n1|2\n', { name: 'x.psv.gz', complete: true }).delimiter).toBe('|');
  });

  it('honours a forced delimiter and header', () => {
    const d = sniffDialect('a,b\n1,2\n', { delimiter: ';', header: false, complete: true });
    expect(d).toMatchObject({ delimiter: ';', header: false });
  });

  it('takes a first row the caller recognises as the header, unless the header is forced', () => {
    const isHeader = (row: readonly string[]): boolean => row.join() === '2020,2021';
    expect(sniffDialect('2020,2021\n1,2\n', { complete: true }).header).toBe(false);
    expect(sniffDialect('2020,2021\n1,2\n', { complete: true, isHeader }).header).toBe(true);
    expect(sniffDialect('2020,2021\n1,2\n', { complete: true, isHeader, header: false }).header).toBe(false);
  });

  it('finds single-quote quoting only when it is really used', () => {
    expect(sniffDialect("a,b\n'x, y',1\n'z',2\n", { complete: true }).quoteChar).toBe("'");
    expect(sniffDialect("a,b\ndon't,1\nit's,2\n", { complete: true }).quoteChar).toBe('"');
  });

  it.each([
    ['times', 'time\n10:00\n11:30\n12:45\n'],
    ['ISO timestamps', 'ts\n1969-12-31T23:59:59.999Z\n1969-06-01T12:00:00.500Z\n2024-01-01T00:00:00Z\n'],
    ['timestamps with a space', 'ts\n2024-01-01 10:00:00\n2024-01-02 11:00:00\n'],
    ['URLs', 'url\nhttp://a.com/x\nhttp://b.com/y\n'],
    ['text with semicolons', 'name\nSmith; John\nDoe; Jane\n'],
    ['text with commas', 'name\nSmith, John\nDoe, Jane\n'],
    ['values with pipes', 'v\n1|2\n3|4\n'],
  ])('keeps a one-column file of %s whole when its header holds no delimiter', (_, text) => {
    const dialect = sniffDialect(text, { complete: true });
    expect(dialect.header).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(parseSampleRows(text, dialect, true)).toEqual(lines.map(line => [line]));
  });

  it('keeps a delimiter the first rows of a headerless file use consistently', () => {
    expect(sniffDialect('10:00\n11:30\n12:45\n', { complete: true })).toMatchObject({ delimiter: ':', header: false });
    // A short first data row does not hide the delimiter of the rows below it.
    expect(sniffDialect('1\n2,3\n4,5\n6,7\n', { complete: true })).toMatchObject({ delimiter: ',', header: false });
  });

  it('reads a headerless file as one column when no delimiter splits most rows alike', () => {
    const text = 'foo\nhello, world\nbar\nbaz, qux\n';
    const dialect = sniffDialect(text, { complete: true });
    expect(parseSampleRows(text, dialect, true)).toEqual([['foo'], ['hello, world'], ['bar'], ['baz, qux']]);
  });

  it('ignores a cut-off last row of an incomplete sample', () => {
    const text = rows(50, i => `${i},x,y`) + '50,"cut';
    expect(sniffDialect(text, { complete: false })).toMatchObject({ delimiter: ',', quoteChar: '"' });
  });
});

describe('sniffLineTerminator', () => {
  it('counts CRLF, LF and CR', () => {
    expect(sniffLineTerminator('a\r\nb\r\nc')).toBe('\r\n');
    expect(sniffLineTerminator('a\nb\nc')).toBe('\n');
    expect(sniffLineTerminator('a\rb\rc')).toBe('\r');
    expect(sniffLineTerminator('a\r\nb\nc\nd\n')).toBe('\n');
    expect(sniffLineTerminator('abc')).toBe('\n');
  });
});

describe('sniffHeader', () => {
  it('sees a header above typed columns', () => {
    expect(sniffHeader([['id', 'price'], ['1', '2.5'], ['2', '3']])).toBe(true);
    expect(sniffHeader([['when', 'ok'], ['2024-01-01', 'true'], ['2024-01-02', 'false']])).toBe(true);
  });

  it('sees no header when the first row fits the column types', () => {
    expect(sniffHeader([['1', '2.5'], ['2', '3'], ['3', '4']])).toBe(false);
  });

  it('sees a header above text columns whose values look like it', () => {
    expect(sniffHeader([['code'], ['AB1'], ['CD2'], ['EF3']])).toBe(true);
    expect(sniffHeader([['iso', 'cc'], ['FRA', 'fr'], ['DEU', 'de']])).toBe(true);
    expect(sniffHeader([['s'], ['a'], ['b']])).toBe(true);
    expect(sniffHeader([['k1', 'k2', 'v'], ['', '', 'x'], ['', '', 'y']])).toBe(true);
  });

  it('sees no header when a typed column holds its type in the first row beside text columns', () => {
    expect(sniffHeader([['1', 'FRA'], ['2', 'DEU'], ['3', 'ITA']])).toBe(false);
    expect(sniffHeader([['2024-01-01', 'ab'], ['2024-01-02', 'cd']])).toBe(false);
  });

  it('undecided: a header unless the first row holds a number', () => {
    expect(sniffHeader([['name', 'city'], ['Ann', 'Rome'], ['Bob', 'Oslo, Norway']])).toBe(true);
    expect(sniffHeader([['a', 'b']])).toBe(true);
    expect(sniffHeader([['1', '2']])).toBe(false);
  });
});

describe('openCsv on a one-column file', () => {
  it('reads values holding candidate delimiters as one named column', async () => {
    const ds = await openCsv(textBuffer('time\n10:00\n11:30\n12:45\n'), { name: 'times.csv' });
    expect(ds.fields.map(f => f.name)).toEqual(['time']);
    expect(batchRows(await ds.readRows(0, 10))).toEqual([['10:00'], ['11:30'], ['12:45']]);
    expect(ds.warnings).toEqual([]);
  });
});
