import { describe, expect, it } from 'vitest';
import { KeyBudget, KeySet } from '../../../src/core/schema/keySet';

describe('KeySet', () => {
  it('finds repeated strings and says where each was first seen', () => {
    const s = new KeySet();
    expect(s.addString('a', 0)).toBe(-1);
    expect(s.addString('b', 1)).toBe(-1);
    expect(s.addString('a', 2)).toBe(0);
    expect(s.hasString('b')).toBe(true);
    expect(s.hasString('c')).toBe(false);
  });

  it('keeps ascending integer runs without a table, and still catches repeats in and out of order', () => {
    const s = new KeySet();
    for (let i = 1; i <= 100_000; i++) { expect(s.addNumber(i, i - 1)).toBe(-1); }
    expect(s.byteSize).toBe(0);
    expect(s.addNumber(50_000, 100_000)).toBe(49_999);
    expect(s.addNumber(-5, 100_001)).toBe(-1); // out of order: into the table
    expect(s.addNumber(100_001, 100_002)).toBe(-1);
    expect(s.addNumber(-5, 100_003)).toBe(100_001);
    expect(s.hasNumber(77)).toBe(true);
    expect(s.hasNumber(100_002)).toBe(false);
  });

  it('does not let a run extension swallow a value already in the table', () => {
    const s = new KeySet();
    s.addNumber(1, 0);
    s.addNumber(5, 1); // a new run
    s.addNumber(3, 2); // out of order → table
    s.addNumber(6, 3); // extends the run 5..6
    expect(s.addNumber(3, 4)).toBe(2);
    expect(s.addNumber(2, 5)).toBe(-1);
  });

  it('treats 0 and -0, and equal floats, as one value', () => {
    const s = new KeySet();
    s.addNumber(0.5, 0);
    expect(s.addNumber(0.5, 1)).toBe(0);
    s.addNumber(0, 2);
    expect(s.addNumber(-0, 3)).toBe(2);
  });

  it('finds no false repeat among a million distinct strings', () => {
    const s = new KeySet();
    let repeats = 0;
    for (let i = 0; i < 1_000_000; i++) { if (s.addString(`user-${i}`, i) >= 0) { repeats++; } }
    expect(repeats).toBe(0);
    expect(s.addString('user-123456', 1_000_000)).toBe(123_456);
    expect(s.byteSize).toBeLessThan(40 * 1024 * 1024);
  });

  it('stops taking values at its memory budget and says so', () => {
    const s = new KeySet(256 * 1024);
    for (let i = 0; i < 100_000; i++) { s.addString(`k${i}`, i); }
    expect(s.full).toBe(true);
    expect(s.byteSize).toBeLessThanOrEqual(256 * 1024);
    expect(s.addString('k0', 200_000)).toBe(0); // what it holds still answers
  });

  it('shares one budget between sets, and a released set gives its memory back', () => {
    const budget = new KeyBudget(512 * 1024);
    const a = new KeySet(budget);
    const b = new KeySet(budget);
    for (let i = 0; i < 100_000; i++) { a.addString(`a${i}`, i); }
    expect(a.full).toBe(true);
    b.addString('x', 0);
    expect(b.full).toBe(true); // nothing left for b
    a.release();
    expect(budget.remaining).toBe(512 * 1024);
    const c = new KeySet(budget);
    expect(c.addString('x', 0)).toBe(-1);
    expect(c.addString('x', 1)).toBe(0);
  });
});
