// 64-bit value hashes (two 32-bit lanes) for distinct counting, heavy hitters and duplicate rows.
//
// A hash is returned as its low lane; the high lane is left in `hashHigh.value` so that the hot loops
// that hash every cell allocate nothing. Both lanes go through murmur3's finaliser, so every bit
// is usable: the value tables sample on the high lane's low bits, HyperLogLog indexes by its top bits.

export const hashHigh = { value: 0 };

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const b64 = new BigInt64Array(f64.buffer);
const lanes = new Int32Array(2);

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a double; -0 and 0 hash alike (they compare equal). */
export function hashNumber(x: number): number {
  hashNumberInto(x, lanes, 0);
  hashHigh.value = lanes[1] >>> 0;
  return lanes[0] >>> 0;
}

/**
 * `hashNumber` written into `out[at]` (low lane) and `out[at + 1]` (high lane) as int32: the batch
 * loops keep lanes in typed arrays, so no lane is ever boxed as a heap number.
 */
export function hashNumberInto(x: number, out: Int32Array, at: number): void {
  f64[0] = x === 0 ? 0 : x;
  const lo = u32[0], hi = u32[1];
  out[at + 1] = fmix32((hi ^ Math.imul(lo, 0x9e3779b1)) + 0x7f4a7c15);
  out[at] = fmix32(lo ^ Math.imul(hi, 0xcc9e2d51) ^ 0x1b873593);
}

/** Hash of a 64-bit integer, exact over all of its bits. */
export function hashBigInt(x: bigint): number {
  b64[0] = x;
  const lo = u32[0], hi = u32[1];
  hashHigh.value = fmix32((hi ^ Math.imul(lo, 0x85ebca77)) + 0x27d4eb2f);
  return fmix32(lo ^ Math.imul(hi, 0xc2b2ae3d) ^ 0x165667b1);
}

/** Hash of the bytes [start, end): two independent murmur3-style lanes over 4-byte words. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  hashBytesInto(bytes, start, end, lanes, 0);
  hashHigh.value = lanes[1] >>> 0;
  return lanes[0] >>> 0;
}

/** `hashBytes` written into `out[at]` and `out[at + 1]` as int32 (see `hashNumberInto`). */
export function hashBytesInto(bytes: Uint8Array, start: number, end: number, out: Int32Array, at: number): void {
  let h1 = 0x3c6ef372 ^ (end - start);
  let h2 = 0xa54ff53a;
  let i = start;
  const last = end - 3;
  for (; i < last; i += 4) {
    const k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    let k1 = Math.imul(k, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, 0x1b873593);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let k2 = Math.imul(k, 0x85ebca6b);
    k2 = (k2 << 17) | (k2 >>> 15);
    h2 ^= Math.imul(k2, 0xc2b2ae35);
    h2 = (h2 << 11) | (h2 >>> 21);
    h2 = (Math.imul(h2, 9) + 0x5bd1e995) | 0;
  }
  let tail = 0;
  for (let s = 0; i < end; i++, s += 8) { tail |= bytes[i] << s; }
  h1 ^= Math.imul(tail, 0x1b873593);
  h2 ^= Math.imul(tail, 0x27d4eb2f);
  out[at + 1] = fmix32(h2 ^ Math.imul(h1, 0x9e3779b1));
  out[at] = fmix32(h1 ^ Math.imul(h2, 0x85ebca6b));
}

/**
 * Folds one cell's hash into a running row hash (order matters: columns are folded left to right).
 * The cell hashes are already mixed, so a multiply-rotate step suffices; the row hash gets its
 * final mix once per row (`fmix32` in DuplicateRows).
 */
export function foldInto(acc: Uint32Array, i: number, lo: number, hi: number): void {
  const a = acc[2 * i], b = acc[2 * i + 1];
  acc[2 * i] = Math.imul(((a << 5) | (a >>> 27)) ^ lo, 0x9e3779b1);
  acc[2 * i + 1] = Math.imul(((b << 7) | (b >>> 25)) ^ hi, 0x85ebca6b);
}
