// Exports of a finished profile: a Markdown data dictionary (one row per column, then the quality
// summary and alerts) and the stable JSON form (see profile-json.md beside this file).
import { isoTime } from '../formats/cellValue';
import type { ColumnProfile, DatasetProfile, QualityDimensionName } from './profileTypes';

export const QUALITY_ORDER: readonly QualityDimensionName[] = ['completeness', 'uniqueness', 'validity', 'consistency', 'timeliness', 'accuracy'];

/** A number in at most 6 significant digits, plain for integers below 10^15. */
export function formatNumber(v: number | null): string {
  if (v === null || Number.isNaN(v)) { return '—'; }
  if (!Number.isFinite(v)) { return v > 0 ? '∞' : '-∞'; }
  if (Number.isInteger(v) && Math.abs(v) < 1e15) { return String(v); }
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e15) { return String(Number(v.toPrecision(6))); }
  return v.toExponential(3);
}

/**
 * A statistic of column `c` (mean, a quantile): times of day as `HH:MM:SS[.fff]` to the millisecond, other numbers by
 * `formatNumber`.
 */
export function formatStat(c: ColumnProfile, v: number | null): string {
  return v !== null && c.type === 'time' ? isoTime(Math.round(v)) ?? formatNumber(v) : formatNumber(v);
}

/**
 * A value of column `c` (its min or max) with every digit: as written when a double rounds it (`exact`), times of
 * day as `HH:MM:SS[.fff]`, other numbers in their shortest exact form.
 */
export function formatValue(c: ColumnProfile, v: number | null, exact: string | null): string {
  if (exact !== null) { return exact; }
  if (v === null || !Number.isFinite(v)) { return formatNumber(v); }
  return c.type === 'time' ? isoTime(v) ?? String(v) : String(v);
}

/** A count with its thousands grouped, as every report shows counts: 10,000. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `n` and its noun, plural unless n is 1: `1 column`, `4 rows` (`shown`: n as written, e.g. `≈1,200`). */
export function counted(n: number, noun: string, shown = formatCount(n)): string {
  return `${shown} ${noun}${n === 1 ? '' : 's'}`;
}

export function formatShare(part: number, whole: number): string {
  if (whole === 0) { return '—'; }
  return `${((100 * part) / whole).toFixed(1)}%`;
}

export function formatScore(score: number | null): string {
  return score === null ? 'not assessed' : `${(100 * score).toFixed(1)}%`;
}

export function formatBytes(n: number | null): string {
  if (n === null) { return '—'; }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

export function formatDistinct(c: ColumnProfile): string {
  return `${c.distinctApprox ? '≈' : ''}${c.distinct}`;
}

/** The column's range: min–max for numbers and dates, code-point lengths for text. */
export function columnRange(c: ColumnProfile): string {
  const n = c.number;
  if (n && n.min !== null) { return `${formatValue(c, n.min, n.minExact)} – ${formatValue(c, n.max, n.maxExact)}`; }
  if (c.date && c.date.min !== null) { return `${c.date.min} – ${c.date.max}`; }
  if (c.string && c.string.minLength !== null) { return `length ${c.string.minLength} – ${c.string.maxLength}`; }
  return '—';
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** Up to three most frequent values, each clipped to 24 characters. */
export function exampleValues(c: ColumnProfile): string[] {
  return c.top.slice(0, 3).map(t => clip(t.value, 24));
}

function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ');
}

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

export interface MarkdownOptions {
  /** A heading for the dictionary, e.g. the file name. */
  title?: string;
  /** The profile covers some of the dataset's columns only: its duplicate rows are said to be counted over them. */
  chosenColumns?: boolean;
}

/** Where duplicate rows were counted, when not over whole rows: ` (over a, b)`; else ''. */
export function duplicatesScope(p: DatasetProfile, chosenColumns: boolean | undefined): string {
  return chosenColumns ? ` (over ${p.columnProfiles.map(c => c.name).join(', ')})` : '';
}

export function profileToMarkdown(p: DatasetProfile, options: MarkdownOptions = {}): string {
  const lines: string[] = [];
  lines.push(`# ${options.title ? `Data dictionary: ${options.title}` : 'Data dictionary'}`, '');
  const what = p.sample ? `Figures from the first ${p.rowsProfiled} rows (a sample).` : 'Figures from a full pass.';
  const dups = p.duplicateRows === null ? 'not counted' : `${p.duplicateRowsExact ? '' : '≈'}${p.duplicateRows} (${formatShare(p.duplicateRows, p.rowsProfiled)})`;
  lines.push(`${counted(p.rows.value, 'row', `${p.rows.exact ? '' : '≈'}${p.rows.value}`)} × ${counted(p.columns, 'column', String(p.columns))}. ${what} Duplicate rows${duplicatesScope(p, options.chosenColumns)}: ${dups}. Memory estimate: ${formatBytes(p.memoryBytes)}.`, '');
  lines.push(row(['Column', 'Type', 'Missing', 'Distinct', 'Range', 'Examples']));
  lines.push('| --- | --- | ---: | ---: | --- | --- |');
  for (const c of p.columnProfiles) {
    const rows = c.count + c.missing;
    lines.push(row([c.name, c.type, formatShare(c.missing, rows), formatDistinct(c), columnRange(c), exampleValues(c).join(', ')]));
  }
  lines.push('', '## Data quality', '');
  lines.push(row(['Dimension', 'Score', 'Measured', 'Worst columns']));
  lines.push('| --- | ---: | --- | --- |');
  for (const name of QUALITY_ORDER) {
    const d = p.quality[name];
    lines.push(row([name[0].toUpperCase() + name.slice(1), formatScore(d.score), d.measured, d.worstColumns.join(', ')]));
  }
  const alerts = [
    ...p.alerts.map(a => `- ${a} (dataset)`),
    ...p.columnProfiles.filter(c => c.alerts.length > 0).map(c => `- ${c.name}: ${c.alerts.join(', ')}`),
  ];
  if (alerts.length > 0) { lines.push('', '## Alerts', '', ...alerts); }
  return lines.join('\n') + '\n';
}

/** The profile as pretty-printed JSON; key order is fixed by construction (see profile-json.md). */
export function profileToJson(p: DatasetProfile): string {
  return JSON.stringify(p, null, 2) + '\n';
}
