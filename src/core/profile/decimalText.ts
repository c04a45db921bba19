// Numbers written as decimal text, compared by their exact value: for the whole numbers beyond ±2^53
// that a double may round, which the profile keeps as written.

/** A decimal's exact value: ±0.d₁d₂…dₖ × 10^exp, with d₁ ≠ 0 and dₖ ≠ 0; `digits` is '' for zero. */
interface DecimalValue { negative: boolean; digits: string; exp: number }

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function decimalValue(text: string): DecimalValue | null {
  const m = DECIMAL.exec(text.trim());
  if (!m || (m[2] === '' && !m[3])) { return null; }
  const whole = m[2], frac = m[3] ?? '';
  const all = whole + frac;
  const lead = all.search(/[1-9]/);
  if (lead < 0) { return { negative: false, digits: '', exp: 0 }; }
  const digits = all.slice(lead).replace(/0+$/, '');
  return { negative: m[1] === '-', digits, exp: whole.length - lead + Number(m[4] ?? 0) };
}

/** Orders decimal texts by value (negative, zero or positive); texts that are not decimals count as zero. */
export function compareDecimals(a: string, b: string): number {
  const x = decimalValue(a) ?? { negative: false, digits: '', exp: 0 };
  const y = decimalValue(b) ?? { negative: false, digits: '', exp: 0 };
  const sx = x.digits === '' ? 0 : x.negative ? -1 : 1, sy = y.digits === '' ? 0 : y.negative ? -1 : 1;
  if (sx !== sy || sx === 0) { return sx - sy; }
  const magnitude = x.exp !== y.exp ? x.exp - y.exp : x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0;
  return sx * Math.sign(magnitude);
}
