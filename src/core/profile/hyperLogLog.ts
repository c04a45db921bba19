// HyperLogLog distinct-count sketch (precision 14: 16,384 one-byte registers, relative standard
// error 1.04/sqrt(16384) ≈ 0.81%), merged by register-wise max, estimated with Ertl's improved
// raw estimator (2017), which needs neither bias tables nor a linear-counting switch.

export const HLL_PRECISION = 14;
const M = 1 << HLL_PRECISION;
/** Rank bits: the rank comes from the 32-bit low lane, so it ranges 1..33. */
const Q = 32;

export interface HyperLogLogState { registers: Uint8Array }

export class HyperLogLog {
  readonly registers: Uint8Array;

  constructor(registers?: Uint8Array) {
    this.registers = registers ?? new Uint8Array(M);
  }

  /** Adds a value by its 64-bit hash: the register index is the top bits of `hi`, the rank from `lo`. */
  add(lo: number, hi: number): void {
    const idx = hi >>> (32 - HLL_PRECISION);
    const rank = Math.clz32(lo) + 1;
    if (rank > this.registers[idx]) { this.registers[idx] = rank; }
  }

  merge(other: HyperLogLog): void {
    const a = this.registers, b = other.registers;
    for (let i = 0; i < M; i++) { if (b[i] > a[i]) { a[i] = b[i]; } }
  }

  estimate(): number {
    const c = new Float64Array(Q + 2);
    for (let i = 0; i < M; i++) { c[this.registers[i]]++; }
    let z = M * tau(1 - c[Q + 1] / M);
    for (let k = Q; k >= 1; k--) { z = 0.5 * (z + c[k]); }
    z += M * sigma(c[0] / M);
    return (M * M) / (2 * Math.LN2 * z);
  }

  toState(): HyperLogLogState { return { registers: this.registers.slice() }; }

  static fromState(s: HyperLogLogState): HyperLogLog { return new HyperLogLog(s.registers.slice()); }
}

export const HLL_RELATIVE_ERROR = 1.04 / Math.sqrt(M);

function sigma(x: number): number {
  if (x === 1) { return Infinity; }
  let y = 1, z = x;
  for (;;) {
    x *= x;
    const prev = z;
    z += x * y;
    y += y;
    if (z === prev) { return z; }
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) { return 0; }
  let y = 1, z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const prev = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
    if (z === prev) { return z / 3; }
  }
}
