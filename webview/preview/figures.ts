// Formatting of profile figures: counts, percentages, statistics and byte sizes, in the user's locale.

const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function fmtCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : countFormat.format(n);
}

/** A fraction 0..1 as a percentage with one decimal (two below 1%). */
export function fmtPct(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) { return '—'; }
  const p = fraction * 100;
  if (p > 0 && p < 0.01) { return '<0.01%'; }
  const digits = p !== 0 && Math.abs(p) < 1 ? 2 : 1;
  return `${p.toFixed(digits)}%`;
}

/** A statistic: up to 4 significant decimals, scientific for very large or small magnitudes. */
export function fmtStat(v: number | null | undefined): string {
  if (v === null || v === undefined) { return '—'; }
  if (!Number.isFinite(v)) { return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '-∞'; }
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e12 || a < 1e-4)) { return v.toExponential(3); }
  return v.toLocaleString(undefined, { maximumFractionDigits: a >= 100 ? 2 : 4 });
}

export function fmtBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) { return '—'; }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v.toLocaleString(undefined, { maximumFractionDigits: u === 0 ? 0 : 1 })} ${units[u]}`;
}

export function fmtDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toLocaleString(undefined, { maximumFractionDigits: 1 })} s`;
}

const compactFormat = new Intl.NumberFormat(undefined, { notation: 'compact', maximumSignificantDigits: 4 });

/** A statistic in few characters (12.5K, 3.2M), for narrow tables. */
export function fmtCompact(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v) || Math.abs(v) < 10_000) { return fmtStat(v); }
  return compactFormat.format(v);
}
