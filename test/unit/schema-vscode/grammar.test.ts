// The delimited-text grammars tokenized by VS Code's own TextMate engine: one scope per column, quotes, cycling.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
// the generator is the single source of the column scopes
import { COLUMN_SCOPES, grammarFor } from '../../../syntaxes/generate.mjs';

const root = path.resolve(__dirname, '../../..');
let registry: textmate.Registry;

beforeAll(async () => {
  const wasm = readFileSync(path.join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      const id = scopeName.replace(/^source\./, '');
      const text = readFileSync(path.join(root, 'syntaxes', `${id}.tmLanguage.json`), 'utf8');
      return textmate.parseRawGrammar(text, `${id}.tmLanguage.json`);
    },
  });
});

interface Token { text: string; scope: string }

/** Tokens of each line (a grammar state carried from line to line), empty tokens left out. */
async function tokenize(id: string, lines: string[]): Promise<Token[][]> {
  const grammar = await registry.loadGrammar(`source.${id}`);
  if (!grammar) { throw new Error(`no grammar for ${id}`); }
  let state = textmate.INITIAL;
  return lines.map(line => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens
      .map(t => ({ text: line.slice(t.startIndex, t.endIndex), scope: t.scopes[t.scopes.length - 1] }))
      .filter(t => t.text !== '');
  });
}

/** The field tokens only (separators dropped), as [text, column scope prefix]. */
function fields(tokens: Token[]): [string, string][] {
  return tokens.filter(t => !t.scope.startsWith('punctuation.')).map(t => [t.text, t.scope.replace(/\.column-\d+\.\w+$/, '')]);
}

describe('CSV/TSV/PSV grammars', () => {
  it('the committed grammar files are what the generator writes', () => {
    for (const [id, delimiter, escaped] of [['csv', ',', ','], ['tsv', '\t', '\\t'], ['psv', '|', '\\|']]) {
      const committed = JSON.parse(readFileSync(path.join(root, 'syntaxes', `${id}.tmLanguage.json`), 'utf8'));
      expect(committed.patterns).toEqual(grammarFor({ id, name: committed.name, delimiter, escaped }).patterns);
    }
  });

  it('gives each column of a CSV line its own scope, separators their own', async () => {
    const [line] = await tokenize('csv', ['id,name,score']);
    expect(line).toEqual([
      { text: 'id', scope: 'keyword.column-1.csv' },
      { text: ',', scope: 'punctuation.separator.csv' },
      { text: 'name', scope: 'string.column-2.csv' },
      { text: ',', scope: 'punctuation.separator.csv' },
      { text: 'score', scope: 'entity.name.function.column-3.csv' },
    ]);
  });

  it('keeps a quoted field with delimiters and doubled quotes in one column', async () => {
    const [line] = await tokenize('csv', ['1,"Smith, ""Jr"" John",42']);
    expect(fields(line)).toEqual([
      ['1', 'keyword'],
      ['"Smith, ""Jr"" John"', 'string'],
      ['42', 'entity.name.function'],
    ]);
  });

  it('colours empty fields by position: the column after an empty one keeps its own colour', async () => {
    const [line] = await tokenize('csv', ['a,,c']);
    expect(fields(line)).toEqual([['a', 'keyword'], ['c', 'entity.name.function']]);
  });

  it('cycles through ten colours: column 11 has the colour of column 1', async () => {
    const cells = Array.from({ length: 12 }, (_, i) => `c${i + 1}`);
    const [line] = await tokenize('csv', [cells.join(',')]);
    const got = fields(line);
    expect(got.map(f => f[0])).toEqual(cells);
    expect(got.slice(0, 10).map(f => f[1])).toEqual([...COLUMN_SCOPES]);
    expect(got[10][1]).toBe(COLUMN_SCOPES[0]);
    expect(got[11][1]).toBe(COLUMN_SCOPES[1]);
    expect(new Set(COLUMN_SCOPES).size).toBe(10);
  });

  it('splits TSV on tabs only: commas stay inside the field', async () => {
    const [line] = await tokenize('tsv', ['a,b\tc\t"d\te"']);
    expect(fields(line)).toEqual([['a,b', 'keyword'], ['c', 'string'], ['"d\te"', 'entity.name.function']]);
    expect(line.find(t => t.text === 'c')?.scope).toBe('string.column-2.tsv');
  });

  it('splits PSV on pipes', async () => {
    const [line] = await tokenize('psv', ['x|y,z|w']);
    expect(fields(line)).toEqual([['x', 'keyword'], ['y,z', 'string'], ['w', 'entity.name.function']]);
  });

  it('a quote that does not close on its line: the line is split at delimiters (the documented limit)', async () => {
    const lines = await tokenize('csv', ['1,"first line, still', 'quoted",3']);
    expect(fields(lines[0])).toEqual([['1', 'keyword'], ['"first line', 'string'], [' still', 'entity.name.function']]);
    // each line starts over at column 1
    expect(fields(lines[1])[0][1]).toBe('keyword');
  });

  it('restarts the colours on every line', async () => {
    const lines = await tokenize('csv', ['a,b', 'c,d']);
    expect(fields(lines[1])).toEqual([['c', 'keyword'], ['d', 'string']]);
  });
});
