import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { readingHint, readingLine } from '../../../src/core/formats/csv/readingText';
import { runCliIn } from '../helpers/cliLines';
import { textBuffer } from './csvHelpers';

describe('how a delimited file is read, in words', () => {
  it('names the delimiter where it is not the format\'s own, and every part of a reading that is not the default', async () => {
    const ds = await openCsv(textBuffer('Lab export\n\nid;v;note\n1;2,5;"a \\"b\\" c"\n# pause\n2;3,0;x\n3;4,5;y\n'), { name: 'lab.csv' });
    expect(readingHint('csv', ds.reading)).toBe(' (semicolon)');
    expect(readingLine(ds.reading, false)).toBe('Read as semicolon-separated, with a header row, quotes escaped by a backslash, '
      + 'lines starting with # skipped as comments, 2 lines above the header skipped; sniffed from the file');
    const plain = await openCsv(textBuffer('a,b\n1,2\n'), { name: 'p.csv' });
    expect(readingHint('csv', plain.reading)).toBe('');
    expect(readingLine(plain.reading, true)).toBe('Read as comma-separated, with a header row; as its data package\'s Table Dialect declares');
    const tsv = await openCsv(textBuffer('a\tb\n1\t2\n'), { name: 't.tsv' });
    expect(readingHint('tsv', tsv.reading)).toBe('');
    expect(readingHint('csv', { ...tsv.reading })).toBe(' (tab)');
  });

  it('strata head names the delimiter in its title line where it is not the format\'s own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-reading-'));
    try {
      writeFileSync(join(dir, 'de.csv'), 'id;wert\n1;10,5\n2;11\n');
      writeFileSync(join(dir, 'en.csv'), 'id,value\n1,10.5\n');
      expect((await runCliIn(dir, ['head', 'de.csv'])).out[0]).toBe('de.csv: csv (semicolon), 2 rows, 2 columns');
      expect((await runCliIn(dir, ['head', 'en.csv'])).out[0]).toBe('en.csv: csv, 1 row, 2 columns');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
