// Schema diff: which columns the two versions share (by name, or renamed at the same position with
// similar values), which were added, removed, moved or changed type or format.
import type { Field } from '../formats/dataset';
import type { SchemaDiff } from './diffTypes';

/** A column present in both versions: field indexes in each. */
export interface ColumnPair {
  a: number;
  b: number;
  renamed: boolean;
}

export interface SchemaComparison {
  schema: SchemaDiff;
  /** Shared columns in the older version's order. */
  pairs: ColumnPair[];
  /** Field indexes of the newer version's columns the older lacks, and of the older's the newer lacks. */
  addedB: number[];
  removedA: number[];
}

/** Values similar enough (0..1) for a column at the same position under a new name to count as renamed. */
export const RENAME_SIMILARITY = 0.5;

/**
 * `similarity(a, b)` scores how alike the values of older column `a` and newer column `b` are (0..1);
 * without it no rename is detected.
 */
export function compareSchemas(
  fieldsA: readonly Field[], fieldsB: readonly Field[], rows: { a: number; b: number },
  similarity?: (a: number, b: number) => number,
): SchemaComparison {
  const byNameB = new Map<string, number>();
  fieldsB.forEach((f, i) => { if (!byNameB.has(f.name)) { byNameB.set(f.name, i); } });
  const pairs: ColumnPair[] = [];
  const takenB = new Set<number>();
  const unmatchedA: number[] = [];
  fieldsA.forEach((f, a) => {
    const b = byNameB.get(f.name);
    if (b !== undefined && !takenB.has(b)) { pairs.push({ a, b, renamed: false }); takenB.add(b); } else { unmatchedA.push(a); }
  });
  const removedA: number[] = [];
  for (const a of unmatchedA) {
    const b = a; // same position
    const candidate = b < fieldsB.length && !takenB.has(b) && !fieldsA.some(f => f.name === fieldsB[b].name);
    if (candidate && similarity && similarity(a, b) >= RENAME_SIMILARITY) {
      pairs.push({ a, b, renamed: true });
      takenB.add(b);
    } else {
      removedA.push(a);
    }
  }
  pairs.sort((x, y) => x.a - y.a);
  const addedB = fieldsB.map((_, i) => i).filter(i => !takenB.has(i));
  const stay = longestIncreasing(pairs.map(p => p.b));
  const reordered = pairs.filter((_, k) => !stay.has(k)).map(p => fieldsB[p.b].name);
  return {
    pairs,
    addedB,
    removedA,
    schema: {
      rowsBefore: rows.a,
      rowsAfter: rows.b,
      columnsBefore: fieldsA.length,
      columnsAfter: fieldsB.length,
      added: addedB.map(i => fieldsB[i].name),
      removed: removedA.map(i => fieldsA[i].name),
      renamed: pairs.filter(p => p.renamed).map(p => ({ from: fieldsA[p.a].name, to: fieldsB[p.b].name })),
      reordered,
      typeChanged: pairs
        .filter(p => fieldsA[p.a].type !== fieldsB[p.b].type)
        .map(p => ({ name: fieldsB[p.b].name, from: fieldsA[p.a].type, to: fieldsB[p.b].type })),
      formatChanged: pairs
        .filter(p => fieldsA[p.a].type === fieldsB[p.b].type && writtenFormat(fieldsA[p.a]) !== writtenFormat(fieldsB[p.b]))
        .map(p => ({ name: fieldsB[p.b].name, type: fieldsB[p.b].type, from: writtenFormat(fieldsA[p.a]) ?? '', to: writtenFormat(fieldsB[p.b]) ?? '' })),
    },
  };
}

/**
 * How a field's values are written, for a format change: a number as 1234.5 is written in its format (`1234.5`,
 * `1,234.5`, `1.234,5`), a date or date-time by its strptime pattern, or `ISO 8601`; null for other types.
 */
export function writtenFormat(field: Field): string | null {
  switch (field.type) {
    case 'number': {
      const f = field.numberFormat;
      return f ? `1${f.groupChar ?? ''}234${f.decimalChar}5` : '1234.5';
    }
    case 'date': case 'datetime': return field.temporalFormat ?? 'ISO 8601';
    default: return null;
  }
}

/** Positions (into `xs`) of one longest strictly increasing subsequence: the columns that kept their relative order. */
export function longestIncreasing(xs: readonly number[]): Set<number> {
  const tails: number[] = []; // tails[len-1] = index of the smallest tail of an increasing run of length len
  const prev = new Array<number>(xs.length).fill(-1);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0, hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]] < xs[i]) { lo = mid + 1; } else { hi = mid; }
    }
    if (lo > 0) { prev[i] = tails[lo - 1]; }
    tails[lo] = i;
  }
  const out = new Set<number>();
  for (let k = tails.length ? tails[tails.length - 1] : -1; k >= 0; k = prev[k]) { out.add(k); }
  return out;
}

/** Jaccard similarity of two sets of values. */
export function jaccard(x: ReadonlySet<string>, y: ReadonlySet<string>): number {
  if (x.size === 0 && y.size === 0) { return 1; }
  let both = 0;
  for (const v of x) { if (y.has(v)) { both++; } }
  return both / (x.size + y.size - both);
}
