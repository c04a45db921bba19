// The stable JSON form of a diff (`strata diff --json`): fixed key order, rounded statistics, changed
// rows as objects keyed by column name. Documented in diff-json.md beside this file; bump `diffVersion` on
// incompatible changes.
import type { CellText, ColumnStats, DatasetDiff, RowChange } from './diffTypes';

export interface DiffJsonOptions {
  /** Changed, added and removed rows listed (all kept examples by default). */
  limit?: number;
  /** Include per-column statistics before and after (default true). */
  stats?: boolean;
}

export function diffToJson(d: DatasetDiff, options: DiffJsonOptions = {}): unknown {
  const names = d.columns.map(c => c.name);
  const listed = options.limit === undefined ? d.changes : d.changes.slice(0, options.limit);
  return {
    diffVersion: d.diffVersion,
    identical: d.identical,
    a: d.a,
    b: d.b,
    key: d.key.columns,
    keySource: d.key.source,
    keyNote: d.key.note,
    rows: { added: d.rows.added, removed: d.rows.removed, changed: d.rows.changed, unchanged: d.rows.unchanged },
    schema: {
      added: d.schema.added,
      removed: d.schema.removed,
      renamed: d.schema.renamed,
      reordered: d.schema.reordered,
      typeChanged: d.schema.typeChanged,
      formatChanged: d.schema.formatChanged,
      rowsBefore: d.schema.rowsBefore,
      rowsAfter: d.schema.rowsAfter,
      columnsBefore: d.schema.columnsBefore,
      columnsAfter: d.schema.columnsAfter,
    },
    columns: d.columns.map(c => ({
      name: c.name,
      status: c.status,
      nameBefore: c.nameBefore ?? null,
      typeBefore: c.typeBefore,
      typeAfter: c.typeAfter,
      changedCells: c.changedCells,
      psi: round(c.drift?.psi ?? null),
      ks: round(c.drift?.ks ?? null),
      drifted: c.drift?.drifted ?? false,
      ...(options.stats === false ? {} : { before: stats(c.drift?.before), after: stats(c.drift?.after) }),
    })),
    duplicateKeys: d.duplicateKeys,
    changes: listed.map(ch => changeJson(ch, names)),
    omitted: {
      added: d.rows.added - listed.filter(c => c.type === 'added').length,
      removed: d.rows.removed - listed.filter(c => c.type === 'removed').length,
      changed: d.rows.changed - listed.filter(c => c.type === 'changed').length,
    },
    epsilon: d.epsilon,
    thresholds: d.thresholds,
    partitions: d.partitions,
    warnings: d.warnings,
  };
}

function changeJson(ch: RowChange, names: string[]): unknown {
  const base = { type: ch.type, rowA: ch.rowA, rowB: ch.rowB, key: ch.key };
  if (ch.type === 'changed') {
    const cells: Record<string, { old: CellText; new: CellText }> = {};
    (ch.changed ?? []).forEach((c, k) => { cells[names[c]] = { old: (ch.old ?? [])[k] ?? null, new: ch.values[c] }; });
    return { ...base, cells };
  }
  const values: Record<string, CellText> = {};
  ch.values.forEach((v, c) => { values[names[c]] = v; });
  return { ...base, values };
}

function stats(s: ColumnStats | undefined): unknown {
  if (!s) { return null; }
  return {
    rows: s.rows,
    missing: s.missing,
    missingShare: round(s.missingShare),
    distinct: s.distinct,
    distinctApprox: s.distinctApprox,
    mean: round(s.mean),
    std: round(s.std),
    min: s.min,
    max: s.max,
    quantiles: s.quantiles,
  };
}

/** Six significant digits: stable across runs and platforms for the same data. */
function round(x: number | null): number | null {
  if (x === null || !Number.isFinite(x)) { return null; }
  return x === 0 ? 0 : Number(x.toPrecision(6));
}
