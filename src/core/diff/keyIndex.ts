// A compact hash index from 64-bit key hashes to row positions: one Int32 slot per ~1.5 rows, the
// keys themselves read from the rows' own flat key array (about 12 bytes a row in all).

export class KeyIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** `keys` holds two lanes (lo, hi) per position; positions are indexed as they are inserted. */
  constructor(private readonly keys: Uint32Array, rows: number) {
    let cap = 16;
    while (cap < rows * 1.5) { cap *= 2; }
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** Indexes position `p`; returns the earlier position holding the same key, or -1. */
  insert(p: number): number {
    const keys = this.keys, slots = this.slots, mask = this.mask;
    const lo = keys[2 * p], hi = keys[2 * p + 1];
    let s = (lo ^ (hi >>> 9)) & mask;
    for (;;) {
      const e = slots[s];
      if (e === 0) { slots[s] = p + 1; return -1; }
      if (keys[2 * (e - 1)] === lo && keys[2 * (e - 1) + 1] === hi) { return e - 1; }
      s = (s + 1) & mask;
    }
  }

  /** The position holding key (lo, hi), or -1. */
  find(lo: number, hi: number): number {
    const keys = this.keys, slots = this.slots, mask = this.mask;
    let s = (lo ^ (hi >>> 9)) & mask;
    for (;;) {
      const e = slots[s];
      if (e === 0) { return -1; }
      if (keys[2 * (e - 1)] === lo && keys[2 * (e - 1) + 1] === hi) { return e - 1; }
      s = (s + 1) & mask;
    }
  }
}
