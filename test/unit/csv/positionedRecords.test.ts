import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { openCsv } from '../../../src/core/formats/csv/csvDataset';
import { papaQuoting, type CsvDialect } from '../../../src/core/formats/csv/dialect';
import { readCsvRecordsWithPositions, type PositionedRecord } from '../../../src/core/formats/csv/positionedRecords';
import { textBuffer } from './csvHelpers';

const dialect = (lineTerminator: CsvDialect['lineTerminator'], header = true): CsvDialect => ({ delimiter: ',', quoteChar: '"', header, lineTerminator });

async function records(text: string, d: CsvDialect): Promise<PositionedRecord[]> {
  const out: PositionedRecord[] = [];
  for await (const r of readCsvRecordsWithPositions(textBuffer(text), d)) { out.push(r); }
  return out;
}

const pos = (c: { line: number; char: number; endLine: number; endChar: number }): number[] => [c.line, c.char, c.endLine, c.endChar];

describe('readCsvRecordsWithPositions', () => {
  it('gives each cell its start and end (line, character), across quoted CRLF newlines and blank lines', async () => {
    const text = 'id,note\r\n1,"a\r\nbc"\r\n\r\n22,"x""y"\r\n';
    const recs = await records(text, dialect('\r\n'));
    expect(recs.map(r => [r.row, r.line])).toEqual([[-1, 1], [0, 2], [1, 5]]);
    expect(recs[0].cells.map(c => [c.text, ...pos(c), c.quoted])).toEqual([['id', 1, 0, 1, 2, false], ['note', 1, 3, 1, 7, false]]);
    expect(recs[1].cells.map(c => [c.text, ...pos(c), c.quoted])).toEqual([['1', 2, 0, 2, 1, false], ['a\r\nbc', 2, 2, 3, 3, true]]);
    expect(recs[2].cells.map(c => [c.text, ...pos(c)])).toEqual([['22', 5, 0, 5, 2], ['x"y', 5, 3, 5, 9]]);
  });

  it('counts characters in UTF-16 code units, as editors do, and skips the BOM', async () => {
    const recs = await records('\ufeffa,b\n日本,"😀"\n', dialect('\n'));
    expect(recs[0].cells.map(pos)).toEqual([[1, 0, 1, 1], [1, 2, 1, 3]]);
    expect(recs[1].cells.map(c => [c.text, ...pos(c)])).toEqual([['日本', 2, 0, 2, 2], ['😀', 2, 3, 2, 7]]);
  });

  it('numbers rows from 0 without a header, and keeps ragged rows as written', async () => {
    const recs = await records('1,2\n3\n4,5,6', dialect('\n', false));
    expect(recs.map(r => [r.row, r.line, r.cells.map(c => c.text)])).toEqual([[0, 1, ['1', '2']], [1, 2, ['3']], [2, 3, ['4', '5', '6']]]);
  });

  it('reads an unclosed quote to the end, as papaparse does', async () => {
    const recs = await records('a,b\n1,"open\nstill\n', dialect('\n'));
    expect(recs[1].cells[1]).toMatchObject({ text: 'open\nstill\n', line: 2, char: 2, endLine: 4, endChar: 0, quoted: true });
  });

  it('agrees with readRows and the row index on a file larger than its chunks', async () => {
    const lines = ['id,text,n'];
    for (let i = 0; i < 40000; i++) {
      lines.push(i % 97 === 0 ? `${i},"two\nlines, ""quoted""",${i % 7}` : i % 501 === 0 ? '' : `${i},plain ${i},${i % 7}`);
    }
    const text = lines.join('\n') + '\n';
    const ds = await openCsv(textBuffer(text), { name: 'p.csv' });
    const index = await ds.buildIndex();
    const entryLine = new Map<number, number>();
    index.rows.forEach((r, i) => entryLine.set(r, index.lines[i]));
    const ref = (new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' }).parse(text, 0, false) as { data: string[][] })
      .data.filter(r => !(r.length === 1 && r[0] === '')).slice(1);
    const physical = text.split('\n');
    let n = 0;
    const rowNumbers: number[] = [];
    const cells: string[][] = [];
    const entryMismatches: number[] = [];
    const misplaced: number[] = [];
    for await (const rec of readCsvRecordsWithPositions(textBuffer(text), ds.dialect)) {
      if (rec.row < 0) { continue; }
      rowNumbers.push(rec.row);
      cells.push(rec.cells.map(c => c.text));
      if (entryLine.has(rec.row) && rec.line !== entryLine.get(rec.row)) { entryMismatches.push(rec.row); }
      // The positions point at the cell as written.
      const c = rec.cells[0];
      if (physical[c.line - 1].slice(c.char, c.endChar) !== c.text) { misplaced.push(rec.row); }
      n++;
    }
    expect(rowNumbers).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(cells).toEqual(ref);
    expect(entryMismatches).toEqual([]);
    expect(misplaced).toEqual([]);
    expect(n).toBe(index.rowCount);
  });

  it('reads a 10 MB cell spanning many chunks', async () => {
    const big = 'y'.repeat(10 * 1024 * 1024);
    const recs = await records(`id,blob\n1,"${big}"\n2,z\n`, dialect('\n'));
    expect(recs.map(r => [r.row, r.line, r.cells.length])).toEqual([[-1, 1, 2], [0, 2, 2], [1, 3, 2]]);
    expect(recs[1].cells[1]).toMatchObject({ line: 2, char: 2, endLine: 2, endChar: big.length + 4, quoted: true });
    expect(recs[1].cells[1].text.length).toBe(big.length);
  });
});

describe('readCsvRecordsWithPositions agrees with papaparse on random text', () => {
  // quotes doubled or escaped by a backslash, with and without `#` comment lines (the modes the row scanners are fuzzed in)
  const modes: Pick<CsvDialect, 'escapeChar' | 'commentChar'>[] = [{}, { escapeChar: '\\' }, { commentChar: '#' }, { escapeChar: '\\', commentChar: '#' }];
  for (const nl of ['\n', '\r\n'] as const) for (const mode of modes) {
    it(`line terminator ${JSON.stringify(nl)}, escape ${JSON.stringify(mode.escapeChar ?? '""')}${mode.commentChar ? ', comments' : ''}`, async () => {
      const d: CsvDialect = { delimiter: ',', quoteChar: '"', header: false, lineTerminator: nl, ...mode };
      const atoms = ['a', 'bc', ',', '"', '""', nl, nl, ' ', 'é', ...(mode.escapeChar ? ['\\', '\\"'] : []), ...(mode.commentChar ? ['#', `${nl}#`] : [])];
      let seed = 12345 + nl.length * 7 + (mode.escapeChar ? 11 : 0) + (mode.commentChar ? 101 : 0);
      const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
      for (let t = 0; t < 1500; t++) {
        let text = '';
        for (let n = 1 + Math.floor(rand() * 40); n > 0; n--) { text += atoms[Math.floor(rand() * atoms.length)]; }
        const ref = (new Papa.Parser(papaQuoting(d)).parse(text, 0, false) as { data: string[][] }).data.filter(r => !(r.length === 1 && r[0] === ''));
        const got = (await records(text, d)).map(r => r.cells.map(c => c.text));
        expect(got, JSON.stringify(text)).toEqual(ref);
      }
    });
  }
});
