// TextColumnBuilder: text columns built value by value, past the size they were started with.
import { describe, expect, it } from 'vitest';
import { TextColumnBuilder } from '../../../src/core/formats/columns';

function texts(builder: TextColumnBuilder): (string | null)[] {
  const c = builder.finish();
  if (c.kind !== 'text') { throw new Error(c.kind); }
  expect(c.offsets.length).toBe(c.valid.length + 1);
  expect(c.offsets[c.valid.length]).toBe(c.bytes.length);
  return [...c.valid].map((v, i) => (v ? new TextDecoder().decode(c.bytes.subarray(c.offsets[i], c.offsets[i + 1])) : null));
}

describe('TextColumnBuilder', () => {
  it('grows past its expected rows and bytes, keeping every value, missing ones and bytes given as UTF-8', () => {
    const b = new TextColumnBuilder(2);
    const expected: (string | null)[] = [];
    for (let i = 0; i < 1000; i++) {
      const v = i % 7 === 0 ? null : `value ${i} ${'é'.repeat(i % 50)}`;
      if (i % 3 === 0 && v !== null) { b.pushBytes(new TextEncoder().encode(v)); } else { b.push(v); }
      expected.push(v);
    }
    expect(b.length).toBe(1000);
    expect(texts(b)).toEqual(expected);
  });

  it('an empty builder gives an empty column', () => {
    expect(texts(new TextColumnBuilder())).toEqual([]);
    expect(texts(new TextColumnBuilder(0))).toEqual([]);
  });
});
