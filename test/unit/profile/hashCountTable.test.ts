import { describe, expect, it } from 'vitest';
import { HashCountTable, packedRep, packReps, type RepValue } from '../../../src/core/profile/hashCountTable';

describe('HashCountTable state', () => {
  it('packs representative values into buffers and one string, and reads each back', () => {
    const reps: (RepValue | undefined)[] = ['', 'Zoë', undefined, 0, -0, NaN, 1e300, 'a'.repeat(70_000), '😀,"x"\n', 42, undefined];
    const p = packReps(reps, reps.length);
    expect(p.kinds).toBeInstanceOf(Uint8Array);
    expect(p.nums).toBeInstanceOf(Float64Array);
    expect(p.ends).toBeInstanceOf(Uint32Array);
    expect(typeof p.text).toBe('string');
    const back = reps.map((_, e) => packedRep(structuredClone(p), e));
    expect(back).toEqual(reps);
    expect(Object.is(back[4], -0)).toBe(true);
    // only the first n entries
    expect(packReps(reps, 2).kinds.length).toBe(2);
  });

  it('round-trips a table through a structured clone of its state', () => {
    const t = new HashCountTable(16, true);
    const values: RepValue[] = [];
    for (let i = 0; i < 5_000; i++) {
      const v: RepValue = i % 3 === 0 ? i * 0.5 : `value ${i} ✓`;
      const id = t.add(i * 2654435761, i ^ 0x5bd1e995, 1 + (i % 7));
      (t.reps as RepValue[])[id] = v;
      values.push(v);
    }
    const state = structuredClone(t.toState());
    expect(Array.isArray(state.reps)).toBe(false);
    const u = HashCountTable.fromState(state);
    expect(u.size).toBe(5_000);
    for (let i = 0; i < 5_000; i++) {
      const id = u.add(i * 2654435761, i ^ 0x5bd1e995, 0);
      expect(u.lastWasNew).toBe(false);
      expect((u.reps as RepValue[])[id]).toBe(values[i]);
      expect(u.counts[id]).toBe(1 + (i % 7));
    }
  });
});
