import { describe, expect, it } from 'vitest';
import { textAt, TextColumnBuilder } from '../../../src/core/formats/columns';
import { JsonlFastCells } from '../../../src/core/formats/jsonl/jsonlFastCells';
import { recordCells } from '../../../src/core/formats/jsonl/jsonlRecord';

const KNOWN = ['id', 'name', 'score', 'ok', 'tags', '__proto__', 'é', 'a"b'];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [
  '0', '-0', '7', '-12', '42.5', '1.50', '1.0', '-0.0', '0.5', '0.000001', '0.0000001', '1e3', '1E-7', '2.5e+2', '123456789012345',
  '1234567890123456', '9007199254740993', '123456789012345.5', '12345678901234.5', '0.123456789012345', '99.99', '1e400', '-1e400',
  '01', '1.', '.5', '-', '1.2.3', '+1', '1e', '3.14159',
];
const STRINGS = [
  '"plain"', '""', '"with space"', '"caf\u00e9"', '"\u{1F600} emoji"', '"tab\\tnewline\\n"', '"quote \\" inside"', '"back\\\\slash"',
  '"\\u00e9"', '"\\ud800 lone"', '"\\/"', '"\\x"', '"a\tb"', '"2024-01-31"', '"true"', '"\u2028sep"', '"unclosed',
];
const OTHERS = [
  'true', 'false', 'null', '{}', '[]', '{"x":1}', '[1,"a"]', 'tru', 'nul', 'undefined', "'single'",
  '{ "a" : [1, 2.50, {"b": "c\\"d"}], "a": null }', '[ [ [ ] ] ]', '[1e400, -0, "\\u00e9", true, null]', '{"k": [{"z": {}}]}',
  '[1,]', '[1 2]', '{"a":}', '{"a":1,}', '{a:1}', '[tru]', '[01]', '{"a":1', '[1', '[1}', '{"a" 1}', '["\\x"]',
];

function value(r: () => number): string {
  const p = r();
  const pick = (list: readonly string[]): string => list[Math.floor(r() * list.length)];
  return p < 0.4 ? pick(NUMBERS) : p < 0.8 ? pick(STRINGS) : pick(OTHERS);
}

function key(r: () => number): string {
  const keys = [...KNOWN.map(k => JSON.stringify(k)), '"extra"', '"new_key"', '"n\\u0061me"', '"10"'];
  return keys[Math.floor(r() * keys.length)];
}

function line(r: () => number): string {
  const ws = (): string => (r() < 0.2 ? [' ', '\t', '  ', '\r'][Math.floor(r() * 4)] : '');
  const members = Math.floor(r() * 7);
  const parts: string[] = [];
  for (let m = 0; m < members; m++) { parts.push(`${ws()}${key(r)}${ws()}:${ws()}${value(r)}${ws()}`); }
  let text = `${ws()}{${parts.join(',')}${members === 0 ? ws() : ''}}${ws()}`;
  const fault = r();
  if (fault < 0.03) { text = text.slice(0, Math.floor(r() * text.length)); } else if (fault < 0.05) { text += ' x'; } else if (fault < 0.06) { text = `[${text}]`; }
  return text;
}

/** The one cell a builder holds ('NOTHING' when it holds none). */
function firstCell(b: TextColumnBuilder): string | null {
  const c = b.finish();
  return c.kind === 'text' && c.valid.length > 0 ? textAt(c, 0) : 'NOTHING';
}

/** The cells the general path (JSON.parse) gives, as a column holds them, and the unknown keys it reports. */
function general(bytes: Uint8Array, names: string[], json: boolean[]): { ok: boolean; cells: (string | null)[]; unknown: Set<string> } {
  const unknown = new Set<string>();
  const r = recordCells(decoder.decode(bytes), names, json, k => { if (!KNOWN.includes(k)) { unknown.add(k); } });
  if (!r.ok) { return { ok: false, cells: [], unknown }; }
  // as a column holds them (a lone surrogate becomes U+FFFD)
  const cells = r.cells.map(c => { const b = new TextColumnBuilder(); b.push(c); return firstCell(b); });
  return { ok: true, cells, unknown };
}

function fast(reader: JsonlFastCells, bytes: Uint8Array, width: number): { taken: boolean; cells: (string | null)[]; unknown: Set<string> } {
  const builders = Array.from({ length: width }, () => new TextColumnBuilder());
  const unknown = new Set<string>();
  const taken = reader.add(bytes, builders, k => unknown.add(k));
  return { taken, cells: builders.map(firstCell), unknown };
}

/** Reads each line with `reader`: whether it was taken, and its cells. */
function readLines(reader: JsonlFastCells, lines: string[], width: number): { taken: boolean[]; cells: (string | null)[][] } {
  const out = lines.map(l => fast(reader, encoder.encode(l), width));
  return { taken: out.map(o => o.taken), cells: out.map(o => o.cells) };
}

describe('JsonlFastCells', () => {
  it('gives what JSON.parse gives for every line it takes, and adds nothing for the lines it leaves', () => {
    const names = ['score', 'name', 'id', 'tags', '__proto__', 'ok', 'é'];
    const json = [false, false, false, true, false, false, false];
    const reader = new JsonlFastCells(names, json, KNOWN);
    const r = random(20261125);
    let taken = 0, valid = 0;
    for (let n = 0; n < 20_000; n++) {
      const text = line(r);
      const bytes = encoder.encode(text);
      const want = general(bytes, names, json);
      const got = fast(reader, bytes, names.length);
      if (want.ok) { valid++; }
      if (!got.taken) {
        expect(got.cells.every(c => c === 'NOTHING'), text).toBe(true);
        continue;
      }
      taken++;
      expect(want.ok, text).toBe(true);
      expect(got.cells, text).toEqual(want.cells);
      expect(got.unknown, text).toEqual(want.unknown);
    }
    // the generator mixes in plenty of what the fast path leaves (nested values, escapes in keys, faults); it still
    // takes a good share of the valid lines
    expect(valid).toBeGreaterThan(5000);
    expect(taken).toBeGreaterThan(valid / 5);
  });

  it('takes the lines of a plain flat file, with their written numbers, strings and nulls', () => {
    const reader = new JsonlFastCells(['id', 'name', 'score', 'ok'], [false, false, false, false], ['id', 'name', 'score', 'ok']);
    const lines = [
      '{"id": 1, "name": "Zoë", "score": 12.75, "ok": true}',
      '{"id":2,"name":"a \\"quoted\\" word","score":-0.5,"ok":false}',
      '{"name": null, "id": 3, "score": 1e2}',
      '{"id": -0, "ok": true, "score": 0.0000001}',
    ];
    const { taken, cells } = readLines(reader, lines, 4);
    expect(taken).toEqual([true, true, true, true]);
    expect(cells).toEqual([
      ['1', 'Zoë', '12.75', 'true'],
      ['2', 'a "quoted" word', '-0.5', 'false'],
      ['3', null, '100', null],
      ['0', null, '1e-7', 'true'],
    ]);
  });

  it('takes nested values and long integers as written, and the written numbers of their lines, as JSON.parse\'s path gives them', () => {
    const names = ['id', 'name', 'x'];
    const reader = new JsonlFastCells(names, [false, true, false], names);
    const lines = [
      '{"id": 9007199254740993, "name": "a", "x": 1.50}',
      '{"id": 1e300, "x": 2.50}',
      '{"id": 3, "name": {"first": "a", "tags": [1, 2.50]}, "x": 1.50}',
      '{"id": 4, "name": [ ], "x": -0}',
    ];
    const { taken, cells } = readLines(reader, lines, 3);
    expect(taken).toEqual([true, true, true, true]);
    expect(cells).toEqual(lines.map(l => general(encoder.encode(l), names, [false, true, false]).cells));
    expect(cells).toEqual([
      ['9007199254740993', '"a"', '1.50'],
      ['1e300', null, '2.50'],
      ['3', '{"first": "a", "tags": [1, 2.50]}', '1.50'],
      ['4', '[ ]', '0'],
    ]);
  });

  it('leaves lines with bytes that are no UTF-8, repeated keys or very deep values to JSON.parse', () => {
    const reader = new JsonlFastCells(['id', 'name'], [false, false], ['id', 'name']);
    const bad = new Uint8Array([...encoder.encode('{"id": 1, "name": "'), 0xff, 0x22, 0x7d]);
    const overlong = new Uint8Array([...encoder.encode('{"name": "'), 0xc0, 0xaf, 0x22, 0x7d]);
    const surrogate = new Uint8Array([...encoder.encode('{"name": "'), 0xed, 0xa0, 0x80, 0x22, 0x7d]);
    const nestedBad = new Uint8Array([...encoder.encode('{"name": ["'), 0xff, 0x22, 0x5d, 0x7d]);
    for (const bytes of [bad, overlong, surrogate, nestedBad]) { expect(fast(reader, bytes, 2).taken).toBe(false); }
    const deep = `{"id": ${'['.repeat(65)}${']'.repeat(65)}}`;
    for (const text of ['{"id": 1, "id": 2}', deep]) {
      expect(fast(reader, encoder.encode(text), 2).taken, text).toBe(false);
    }
    expect(fast(reader, encoder.encode(`{"id": ${'['.repeat(64)}${']'.repeat(64)}}`), 2).taken).toBe(true);
    // a key outside the fields written twice: the nested value it first held is gone, and so is the written text
    const unknownTwice = encoder.encode('{"extra": {"a": 1}, "extra": 2, "id": 1.50}');
    expect(fast(reader, unknownTwice, 2).taken).toBe(false);
    expect(general(unknownTwice, ['id', 'name'], [false, false]).cells).toEqual(['1.5', null]);
    // a field asked for twice is filled twice by the general path only
    const twice = new JsonlFastCells(['id', 'id'], [false, false], ['id']);
    expect(fast(twice, encoder.encode('{"id": 1}'), 2).taken).toBe(false);
  });
});
