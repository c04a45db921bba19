// Helpers for diff tests: datasets from CSV text (through the real CSV reader) and fixture files.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bufferFromBytes } from '../../../src/core/formats/asyncBuffer';
import type { Dataset } from '../../../src/core/formats/dataset';
import { openDataset } from '../../../src/core/formats/openDataset';
import { diffDatasets, type DiffRunOptions } from '../../../src/core/diff/diffDatasets';
import type { DatasetDiff } from '../../../src/core/diff/diffTypes';

export const FIXTURES = resolve(__dirname, '../../fixtures/diff');

export function csv(text: string, name = 'data.csv'): Promise<Dataset> {
  return openDataset(bufferFromBytes(new TextEncoder().encode(text)), { name });
}

export function fixture(name: string): Promise<Dataset> {
  return openDataset(bufferFromBytes(readFileSync(join(FIXTURES, name))), { name });
}

/** Diffs two CSV texts (or datasets; null for a version that does not exist). */
export async function diffOf(a: string | Dataset | null, b: string | Dataset | null, options: DiffRunOptions = {}): Promise<DatasetDiff> {
  const open = async (x: string | Dataset | null): Promise<Dataset | null> => (typeof x === 'string' ? csv(x) : x);
  return diffDatasets({ dataset: await open(a), label: 'old.csv' }, { dataset: await open(b), label: 'new.csv' }, options);
}

/** Changed rows as { key: { column: [old, new] } }, for compact assertions. */
export function changedCells(d: DatasetDiff): Record<string, Record<string, [string | null, string | null]>> {
  const out: Record<string, Record<string, [string | null, string | null]>> = {};
  for (const c of d.changes.filter(x => x.type === 'changed')) {
    const cells: Record<string, [string | null, string | null]> = {};
    (c.changed ?? []).forEach((col, k) => { cells[d.columns[col].name] = [(c.old ?? [])[k], c.values[col]]; });
    out[(c.key ?? [String(c.rowB)]).join('|')] = cells;
  }
  return out;
}

export function keysOf(d: DatasetDiff, type: 'added' | 'removed'): string[] {
  return d.changes.filter(c => c.type === type).map(c => (c.key ?? c.values).join('|'));
}
