// The data-quality summary over six dimensions (completeness, uniqueness, validity, consistency,
// timeliness, accuracy), each a score 0..1 (or null: not assessed), what it measured, and the
// columns that pull it down, computed from a finished profile plus optional validation results.
import { daysFromCivil } from '../formats/calendar';
import { isoDate } from '../formats/cellValue';
import { formatCount } from './profileExport';
import type { ColumnProfile, ProfileAlert, QualityDimension, QualitySummary } from './profileTypes';

/** Counts from a schema validation run (see src/core/schema), when one exists. */
export interface ValidationSummary {
  /** Errors per field name (type, constraint and missing-cell errors). */
  errorsByField: Record<string, number>;
  rowsChecked: number;
  /** Of those, range-constraint errors (minimum/maximum) per field: they count against accuracy too. */
  rangeErrorsByField?: Record<string, number>;
}

export interface QualityOptions {
  validation?: ValidationSummary | null;
  /** The instant timeliness is judged at (epoch ms); default: now. */
  now?: number;
  /** Age of the newest date at which timeliness reaches 0 (linear from 1 at age 0). Default 365. */
  maxAgeDays?: number;
}

export interface DatasetFacts {
  rows: number;
  duplicateRows: number | null;
  duplicateRowsExact: boolean;
}

const WORST = 5;
/** A column is key-like when at least this share of its values are distinct. */
export const KEY_LIKE_SHARE = 0.95;
const DAY = 86400000;


function worst(entries: { name: string; bad: number }[]): string[] {
  return entries.filter(e => e.bad > 0).sort((a, b) => b.bad - a.bad).slice(0, WORST).map(e => e.name);
}

export function completeness(cols: ColumnProfile[], rows: number): QualityDimension {
  const cells = rows * cols.length;
  const missing = cols.reduce((a, c) => a + c.missing, 0);
  return {
    score: cells === 0 ? null : 1 - missing / cells,
    measured: `non-missing cells / all cells: ${formatCount(cells - missing)} of ${formatCount(cells)}`,
    worstColumns: worst(cols.map(c => ({ name: c.name, bad: c.missing }))),
  };
}

export function uniqueness(cols: ColumnProfile[], facts: DatasetFacts): QualityDimension {
  if (facts.rows === 0) { return { score: null, measured: 'not assessed: no rows', worstColumns: [] }; }
  const parts: string[] = [];
  let score: number | null = null;
  if (facts.duplicateRows !== null) {
    score = 1 - facts.duplicateRows / facts.rows;
    parts.push(`rows not repeating an earlier row / rows: ${formatCount(facts.rows - facts.duplicateRows)} of ${formatCount(facts.rows)}${facts.duplicateRowsExact ? '' : ' (estimated)'}`);
  }
  const keys = cols.filter(c => isKeyLike(c));
  const dupKeys = keys.filter(c => c.distinct < c.count - c.invalid);
  for (const c of dupKeys) {
    const s = c.distinct / (c.count - c.invalid);
    score = score === null ? s : Math.min(score, s);
  }
  parts.push(keys.length === 0
    ? 'no key-like column (integers or single-token text, ≥ 95% distinct)'
    : `distinct / values in key-like columns (integers or single-token text, ≥ 95% distinct): ${formatCount(dupKeys.length)} of ${formatCount(keys.length)} have repeats`);
  return {
    score,
    measured: parts.join('; '),
    worstColumns: worst(dupKeys.map(c => ({ name: c.name, bad: 1 - c.distinct / (c.count - c.invalid) }))),
  };
}

/**
 * A column that looks like an identifier: integers or single-token text (its commonest shape has
 * no space, e.g. `A9-9`, a UUID, an email), with at least 95% of its values distinct. Floats, dates
 * and free text are often nearly unique without being keys.
 */
export function isKeyLike(c: ColumnProfile): boolean {
  const valid = c.count - c.invalid;
  if (valid < 2 || c.distinct / valid < KEY_LIKE_SHARE) { return false; }
  if (c.type === 'integer') { return true; }
  return !!c.string && c.string.patterns.length > 0 && !c.string.patterns[0].value.includes(' ');
}

export function validity(cols: ColumnProfile[], validation: ValidationSummary | null | undefined): QualityDimension {
  if (!validation) { return { score: null, measured: 'not assessed: no schema', worstColumns: [] }; }
  const cells = validation.rowsChecked * cols.length;
  const errors = Object.values(validation.errorsByField).reduce((a, b) => a + b, 0);
  return {
    score: cells === 0 ? null : Math.max(0, 1 - errors / cells),
    measured: `cells without a schema error / cells checked: ${formatCount(Math.max(0, cells - errors))} of ${formatCount(cells)}`,
    worstColumns: worst(Object.entries(validation.errorsByField).map(([name, bad]) => ({ name, bad }))),
  };
}

/** Code-like text (its commonest shape has a digit, e.g. dates, ids, phone numbers): one shape is expected. */
export function isCodeLike(c: ColumnProfile): boolean {
  const s = c.string;
  return !!s && s.patterns.length > 0 && s.patterns[0].value.includes('9') && (s.meanLength ?? 0) <= 40;
}

export function consistency(cols: ColumnProfile[]): QualityDimension {
  let checked = 0, good = 0;
  const bad: { name: string; bad: number }[] = [];
  for (const c of cols) {
    let g: number;
    if (c.typeConsistency !== null) {
      g = c.count - c.invalid;
    } else if (isCodeLike(c)) {
      g = c.string!.patterns[0].count;
    } else {
      continue;
    }
    checked += c.count;
    good += g;
    if (c.count > 0) { bad.push({ name: c.name, bad: 1 - g / c.count }); }
  }
  return {
    score: checked === 0 ? null : good / checked,
    measured: checked === 0
      ? 'not assessed: no typed or code-like column'
      : `values parsing as their column's type, or in the commonest shape of code-like text / values checked: ${formatCount(good)} of ${formatCount(checked)}`,
    worstColumns: worst(bad),
  };
}

/** Epoch ms of a profile's ISO date or datetime; a wall-clock datetime (no zone) is read as UTC, as it was profiled. */
function epochOf(iso: string): number {
  const ms = Date.parse(/T[^Z+-]*$/.test(iso) ? `${iso}Z` : iso);
  return Number.isNaN(ms) ? expandedEpochOf(iso) : ms;
}

const EXPANDED_ISO = /^([+-]\d{6,})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?)?$/;

/** Epoch ms of an ISO date or UTC datetime with an expanded year beyond Date's range (`+290000-12-30T23:00:00.000Z`). */
function expandedEpochOf(iso: string): number {
  const m = EXPANDED_ISO.exec(iso);
  if (!m) { return NaN; }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m;
  return daysFromCivil(Number(y), Number(mo), Number(d)) * DAY + ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 + Number(`0${frac}`) * 1000;
}

export function timeliness(cols: ColumnProfile[], now: number, maxAgeDays: number): QualityDimension {
  const dated = cols
    .filter(c => c.date && c.date.max !== null)
    .map(c => ({ name: c.name, max: epochOf(c.date!.max as string) }))
    .filter(c => Number.isFinite(c.max));
  if (dated.length === 0) { return { score: null, measured: 'not assessed: no date or datetime column', worstColumns: [] }; }
  const newest = dated.reduce((a, b) => (b.max > a.max ? b : a));
  const ageDays = Math.max(0, (now - newest.max) / DAY);
  const score = Math.max(0, Math.min(1, 1 - ageDays / maxAgeDays));
  return {
    score,
    measured: `age of the newest date (${isoDate(newest.max) ?? newest.max} in ${newest.name}) on ${isoDate(now) ?? now}: ${ageDays.toFixed(1)} days (100% when new, falling to 0% at ${maxAgeDays} days)`,
    worstColumns: worst(dated.map(c => ({ name: c.name, bad: Math.max(0, (now - c.max) / DAY) / maxAgeDays }))
      .filter(c => c.bad > 0)),
  };
}

export function accuracy(cols: ColumnProfile[], validation: ValidationSummary | null | undefined): QualityDimension {
  const numeric = cols.filter(c => c.number);
  const range = validation?.rangeErrorsByField ?? {};
  const values = numeric.reduce((a, c) => a + (c.count - c.invalid), 0);
  if (values === 0) { return { score: null, measured: 'not assessed: no numeric values', worstColumns: [] }; }
  let outliers = 0, rangeErrors = 0;
  const bad: { name: string; bad: number }[] = [];
  for (const c of numeric) {
    const o = c.number!.outliers.count;
    const r = range[c.name] ?? 0;
    outliers += o;
    rangeErrors += r;
    const v = c.count - c.invalid;
    if (v > 0) { bad.push({ name: c.name, bad: (o + r) / v }); }
  }
  const flagged = Math.min(values, outliers + rangeErrors);
  return {
    score: 1 - flagged / values,
    measured: `numeric values inside the IQR fences (Q1 − 1.5·IQR, Q3 + 1.5·IQR)${validation?.rangeErrorsByField ? ' and the schema\'s ranges' : ''} / numeric values: ${formatCount(values - flagged)} of ${formatCount(values)}`,
    worstColumns: worst(bad),
  };
}

export function qualitySummary(cols: ColumnProfile[], facts: DatasetFacts, options: QualityOptions = {}): QualitySummary {
  return {
    completeness: completeness(cols, facts.rows),
    uniqueness: uniqueness(cols, facts),
    validity: validity(cols, options.validation),
    consistency: consistency(cols),
    timeliness: timeliness(cols, options.now ?? Date.now(), options.maxAgeDays ?? 365),
    accuracy: accuracy(cols, options.validation),
  };
}

export function datasetAlerts(facts: DatasetFacts, columns: number): ProfileAlert[] {
  const alerts: ProfileAlert[] = [];
  if (facts.rows === 0 || columns === 0) { alerts.push('EMPTY'); }
  if ((facts.duplicateRows ?? 0) > 0) { alerts.push('DUPLICATES'); }
  return alerts;
}
