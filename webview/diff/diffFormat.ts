// Number and value formatting for the diff panel (en-US digits, dates for instants, text only).
import type { DiffLogicalType } from '../../src/shared/diffProtocol';

export const count = (n: number): string => n.toLocaleString('en-US');

export function share(x: number): string {
  if (x === 0) { return '0%'; }
  const p = 100 * x;
  return p < 0.1 ? '<0.1%' : `${p.toFixed(p < 10 ? 1 : 0)}%`;
}

/** A statistic: instants as dates, other numbers with up to 4 significant decimals. */
export function stat(x: number | null, type: DiffLogicalType | null): string {
  if (x === null) { return ''; }
  if (type === 'date' || type === 'datetime') {
    const d = new Date(x);
    return Number.isNaN(d.getTime()) ? String(x) : d.toISOString().slice(0, type === 'date' ? 10 : 19).replace('T', ' ');
  }
  if (Number.isInteger(x)) { return count(x); }
  return x.toLocaleString('en-US', { maximumSignificantDigits: 6 });
}

/** A spread (std) of instants is a duration: shown in days. */
export function spread(x: number | null, type: DiffLogicalType | null): string {
  if (x === null) { return ''; }
  if (type === 'date' || type === 'datetime') { return `${(x / 86_400_000).toLocaleString('en-US', { maximumFractionDigits: 1 })} d`; }
  return stat(x, 'number');
}

export function metric(x: number | null): string {
  if (x === null) { return '—'; }
  if (x !== 0 && Math.abs(x) < 0.0001) { return x.toExponential(1); }
  return x.toFixed(4);
}

/** `before → after`, or one value when both are the same. */
export function pair(before: string, after: string): string {
  return before === after ? before : `${before} → ${after}`;
}
