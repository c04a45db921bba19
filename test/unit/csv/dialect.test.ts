import { describe, expect, it } from 'vitest';
import { sniffDialect, sniffHeader, sniffLineTerminator } from '../../../src/core/formats/csv/dialect';

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

  it('finds single-quote quoting only when it is really used', () => {
    expect(sniffDialect("a,b\n'x, y',1\n'z',2\n", { complete: true }).quoteChar).toBe("'");
    expect(sniffDialect("a,b\ndon't,1\nit's,2\n", { complete: true }).quoteChar).toBe('"');
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

  it('uses lengths for text columns of fixed width', () => {
    expect(sniffHeader([['code'], ['AB1'], ['CD2'], ['EF3']])).toBe(true);
    expect(sniffHeader([['XY9'], ['AB1'], ['CD2'], ['EF3']])).toBe(false);
  });

  it('undecided: a header unless the first row holds a number', () => {
    expect(sniffHeader([['name', 'city'], ['Ann', 'Rome'], ['Bob', 'Oslo, Norway']])).toBe(true);
    expect(sniffHeader([['a', 'b']])).toBe(true);
    expect(sniffHeader([['1', '2']])).toBe(false);
  });
});
