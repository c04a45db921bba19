// Key detection: the column, or the smallest pair of columns, whose values are present and unique in
// both versions' samples (checked again over every row when the diff runs).
import type { ColumnBatch } from '../formats/columns';
import type { Field, LogicalType } from '../formats/dataset';
import { compareKind, foldKeyColumn } from './cellCompare';
import type { ColumnPair } from './schemaDiff';

/** Types that can identify a row; floating-point numbers, booleans and nested values cannot. */
const KEY_TYPES: ReadonlySet<LogicalType> = new Set(['integer', 'string', 'date', 'datetime', 'time']);
const KEY_NAME = /^(id|key|uuid|guid|pk)$|(_id|_key|_uuid|Id|ID|Key)$/;
/** Columns tried in pairs (the first this many eligible ones). */
const MAX_PAIR_COLUMNS = 16;

export interface KeySample {
  fields: readonly Field[];
  batch: ColumnBatch;
}

/** Indexes into `pairs` of the detected key columns, or null when no column or pair qualifies. */
export function detectKey(pairs: readonly ColumnPair[], a: KeySample, b: KeySample): number[] | null {
  const eligible = pairs
    .map((p, k) => ({ p, k }))
    .filter(({ p }) => KEY_TYPES.has(a.fields[p.a].type) && KEY_TYPES.has(b.fields[p.b].type));
  if (eligible.length === 0) { return null; }
  const hashesA = new Map<number, Column>();
  const hashesB = new Map<number, Column>();
  const col = (side: KeySample, sideMap: Map<number, Column>, field: number, other: Field, k: number): Column => {
    let c = sideMap.get(k);
    if (!c) { c = keyColumn(side, field, compareKind(side.fields[field].type, other.type)); sideMap.set(k, c); }
    return c;
  };
  const colsOf = (k: number): [Column, Column] => {
    const p = pairs[k];
    return [col(a, hashesA, p.a, b.fields[p.b], k), col(b, hashesB, p.b, a.fields[p.a], k)];
  };
  const singles = [...eligible].sort((x, y) => rank(b.fields[y.p.b].name) - rank(b.fields[x.p.b].name) || x.k - y.k);
  for (const { k } of singles) {
    const [ca, cb] = colsOf(k);
    if (ca.complete && cb.complete && unique([ca]) && unique([cb])) { return [k]; }
  }
  const usable = eligible.filter(({ k }) => { const [ca, cb] = colsOf(k); return ca.complete && cb.complete; }).slice(0, MAX_PAIR_COLUMNS);
  const combos: [number, number][] = [];
  for (let i = 0; i < usable.length; i++) {
    for (let j = i + 1; j < usable.length; j++) { combos.push([usable[i].k, usable[j].k]); }
  }
  combos.sort((x, y) => (x[0] + x[1]) - (y[0] + y[1]) || x[0] - y[0]);
  for (const [i, j] of combos) {
    const [ai, bi] = colsOf(i);
    const [aj, bj] = colsOf(j);
    if (unique([ai, aj]) && unique([bi, bj])) { return [i, j]; }
  }
  return null;
}

interface Column {
  /** Two hash lanes per row. */
  hashes: Uint32Array;
  complete: boolean;
}

function keyColumn(side: KeySample, field: number, kind: ReturnType<typeof compareKind>): Column {
  const at = side.batch.fieldIndexes.indexOf(field);
  const n = side.batch.rowCount;
  const hashes = new Uint32Array(2 * n);
  const missing = new Uint8Array(n);
  const nulls = foldKeyColumn(side.batch.columns[at], side.fields[field], kind, hashes, missing);
  return { hashes, complete: nulls === 0 };
}

function unique(cols: Column[]): boolean {
  const n = cols[0].hashes.length / 2;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    let id = '';
    for (const c of cols) { id += `${c.hashes[2 * i]}:${c.hashes[2 * i + 1]};`; }
    if (seen.has(id)) { return false; }
    seen.add(id);
  }
  return true;
}

function rank(name: string): number {
  return KEY_NAME.test(name) ? 1 : 0;
}
