// The human form of a diff: a summary, then a daff-style table (`@@` header, `!` schema row, `+++`
// added, `---` removed, `->` changed with `old->new` cells, `...` omitted), then drift per column.
import { isoDateTime } from '../formats/cellValue';
import { counted } from '../profile/profileExport';
import type { CellText, DatasetDiff, DiffColumn, RowChange, SideInfo } from './diffTypes';

export interface DiffTextOptions {
  /** Rows listed in the table (default 20). */
  limit?: number;
  /** Widest cell in the table, in characters (default 30). */
  cellWidth?: number;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

export function diffToText(d: DatasetDiff, options: DiffTextOptions = {}): string[] {
  const limit = options.limit ?? 20;
  const width = options.cellWidth ?? 30;
  const out: string[] = [];
  out.push(`--- ${sideLine(d.a)}`, `+++ ${sideLine(d.b)}`);
  out.push(`key: ${d.key.columns ? d.key.columns.join(', ') : '(none)'} (${d.key.note})`);
  if (d.duplicateKeys) {
    for (const ex of d.duplicateKeys.examples) {
      out.push(`  duplicate key ${ex.key.map(k => k ?? 'null').join(', ')} in the ${ex.side === 'a' ? 'older' : 'newer'} version at rows ${ex.rows.map(r => r + 1).join(', ')}`); // 1-based, as the panel shows them
    }
  }
  const r = d.rows;
  out.push(`rows: +${fmt(r.added)} added, -${fmt(r.removed)} removed, ~${fmt(r.changed)} changed, ${fmt(r.unchanged)} unchanged` +
    ` (${fmt(d.schema.rowsBefore)} → ${fmt(d.schema.rowsAfter)})`);
  out.push(`schema: ${schemaLine(d)}`);
  const cellsChanged = d.columns.filter(c => c.changedCells > 0);
  if (cellsChanged.length) { out.push(`changed cells: ${cellsChanged.map(c => `${c.name} ${fmt(c.changedCells)}`).join(', ')}`); }
  const drifted = d.columns.filter(c => c.drift?.drifted).map(c => c.name);
  out.push(`drifted: ${drifted.length ? drifted.join(', ') : 'none'} (PSI ≥ ${d.thresholds.psi} or KS ≥ ${d.thresholds.ks})`);
  if (d.identical) { out.push('', 'identical'); }
  const table = changeTable(d, limit, width);
  if (table.length) { out.push('', ...table); }
  const drift = driftTable(d);
  if (drift.length) { out.push('', ...drift); }
  for (const w of d.warnings) { out.push(`warning: ${w}`); }
  return out;
}

function sideLine(s: SideInfo): string {
  if (!s.exists) { return `${s.label} (does not exist in this version)`; }
  return `${s.label} (${s.format}, ${counted(s.rows, 'row', fmt(s.rows))} × ${counted(s.columns, 'column', String(s.columns))})`;
}

function schemaLine(d: DatasetDiff): string {
  const s = d.schema;
  const parts: string[] = [];
  if (s.added.length) { parts.push(`added ${s.added.join(', ')}`); }
  if (s.removed.length) { parts.push(`removed ${s.removed.join(', ')}`); }
  for (const x of s.renamed) { parts.push(`renamed ${x.from} → ${x.to}`); }
  if (s.reordered.length) { parts.push(`moved ${s.reordered.join(', ')}`); }
  for (const t of s.typeChanged) { parts.push(`${t.name} ${t.from} → ${t.to}`); }
  for (const t of s.formatChanged) { parts.push(`${t.name} format ${t.from} → ${t.to}`); }
  const shape = `${s.columnsBefore} → ${s.columnsAfter} columns`;
  return parts.length ? `${parts.join('; ')} (${shape})` : `unchanged (${shape})`;
}

/** daff's table: the action column, then every column of the diff; none when no row is to be listed. */
function changeTable(d: DatasetDiff, limit: number, width: number): string[] {
  if (limit <= 0) { return []; }
  const shown = d.changes.slice(0, limit);
  if (shown.length === 0 && d.schema.added.length + d.schema.removed.length + d.schema.renamed.length === 0) { return []; }
  const rows: string[][] = [];
  rows.push(['@@', ...d.columns.map(c => c.name)]);
  if (d.columns.some(c => c.status !== 'common')) { rows.push(['!', ...d.columns.map(schemaMark)]); }
  for (const ch of shown) { rows.push(changeRow(ch, width)); }
  const cut = rows.map(row => row.map(c => clip(c, width)));
  const widths = cut[0].map((_, k) => Math.max(...cut.map(row => (row[k] === undefined ? 0 : [...row[k]].length))));
  const lines = cut.map(row => row.map((c, k) => (k === row.length - 1 ? c : c + ' '.repeat(widths[k] - [...c].length))).join('  ').trimEnd());
  // the count of rows left out spans the columns, so it does not set the first column's width
  const left = d.changes.length - shown.length + d.omitted.added + d.omitted.removed + d.omitted.changed;
  if (left > 0) { lines.push(`${'...'.padEnd(widths[0])}  ${fmt(left)} more ${left === 1 ? 'row' : 'rows'}`); }
  return lines;
}

function schemaMark(c: DiffColumn): string {
  switch (c.status) {
    case 'added': return '+++';
    case 'removed': return '---';
    case 'renamed': return `(${c.nameBefore})`;
    default: return '';
  }
}

function changeRow(ch: RowChange, width: number): string[] {
  const cell = (v: CellText): string => (v === null ? '' : v);
  if (ch.type === 'added') { return ['+++', ...ch.values.map(cell)]; }
  if (ch.type === 'removed') { return ['---', ...ch.values.map(cell)]; }
  const cells = ch.values.map(cell);
  // old and new are cut to half the width each, so a long cell still shows its arrow and new value
  const half = Math.max(1, Math.floor((width - 2) / 2));
  (ch.changed ?? []).forEach((c, k) => { cells[c] = `${clip(cell((ch.old ?? [])[k] ?? null), half)}->${clip(cell(ch.values[c]), half)}`; });
  return ['->', ...cells];
}

function clip(s: string, width: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '?');
  const chars = [...flat];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : flat;
}

/** Epoch ms as `YYYY-MM-DD` (a date) or `YYYY-MM-DDTHH:MM:SS`, UTC; years outside 0000-9999 as ±YYYYYY. */
function instantText(ms: number, dateOnly: boolean): string {
  const iso = isoDateTime(ms);
  if (!iso) { return String(ms); }
  const dateEnd = iso.indexOf('T');
  return iso.slice(0, dateOnly ? dateEnd : dateEnd + 9);
}

function driftTable(d: DatasetDiff): string[] {
  const cols = d.columns.filter(c => c.drift);
  if (!cols.length) { return []; }
  const num = (x: number | null, digits = 4): string => (x === null ? '' : Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(digits));
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const rows = [['column', 'missing', 'distinct', 'mean', 'std', 'p50', 'psi', 'ks', '']];
  for (const c of cols) {
    const dr = c.drift as NonNullable<DiffColumn['drift']>;
    const pair = (x: string, y: string): string => (x === y ? x : `${x} → ${y}`);
    // instants are epoch milliseconds: shown as dates, spreads in days
    const instant = c.typeAfter === 'date' || c.typeAfter === 'datetime';
    const at = (x: number | null): string => (x === null ? '' : instant ? instantText(x, c.typeAfter === 'date') : num(x, 2));
    const spread = (x: number | null): string => (x === null ? '' : instant ? `${(x / 86_400_000).toFixed(1)} d` : num(x, 2));
    rows.push([
      c.name,
      pair(pct(dr.before.missingShare), pct(dr.after.missingShare)),
      pair(`${dr.before.distinctApprox ? '≈' : ''}${fmt(dr.before.distinct)}`, `${dr.after.distinctApprox ? '≈' : ''}${fmt(dr.after.distinct)}`),
      pair(at(dr.before.mean), at(dr.after.mean)),
      pair(spread(dr.before.std), spread(dr.after.std)),
      pair(at(dr.before.quantiles?.p50 ?? null), at(dr.after.quantiles?.p50 ?? null)),
      num(dr.psi),
      num(dr.ks),
      dr.drifted ? 'DRIFTED' : '',
    ]);
  }
  const widths = rows[0].map((_, k) => Math.max(...rows.map(r => [...r[k]].length)));
  return ['drift', ...rows.map(r => '  ' + r.map((c, k) => c + ' '.repeat(widths[k] - [...c].length)).join('  ').trimEnd())];
}
