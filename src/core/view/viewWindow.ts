// Reads a window of a sorted/filtered view: its source rows are scattered, so read them as a few spans and gather.
import type { ColumnBatch } from '../formats/columns';
import type { Dataset } from '../formats/dataset';
import { throwIfAborted } from '../formats/errors';
import { gatherRows, type RowPick } from '../formats/gatherRows';

/** Rows closer than this are read in one span rather than two reads. */
const MAX_GAP = 64;
const MAX_SPAN = 4096;

export async function readViewWindow(
  dataset: Dataset,
  order: Uint32Array,
  start: number,
  count: number,
  columns: number[],
  signal?: AbortSignal,
): Promise<{ batch: ColumnBatch; sourceRows: Float64Array }> {
  const from = Math.max(0, Math.min(start, order.length));
  const to = Math.min(order.length, from + Math.max(0, count));
  const wanted = order.subarray(from, to);
  const sorted = Uint32Array.from(wanted).sort();
  const spans: [number, number][] = [];
  for (const r of sorted) {
    const last = spans[spans.length - 1];
    if (last && r - last[1] <= MAX_GAP && r - last[0] < MAX_SPAN) { last[1] = r; } else { spans.push([r, r]); }
  }
  const where = new Map<number, RowPick>();
  for (const [a, b] of spans) {
    throwIfAborted(signal);
    const batch = await dataset.readRows(a, b - a + 1, columns, signal);
    for (let i = 0; i < batch.rowCount; i++) { where.set(batch.rowStart + i, { batch, index: i }); }
  }
  const picks: RowPick[] = [];
  const sourceRows = new Float64Array(wanted.length);
  wanted.forEach((r, k) => {
    const pick = where.get(r);
    sourceRows[k] = r;
    if (pick) { picks.push(pick); }
  });
  return { batch: gatherRows(picks, columns, from), sourceRows: sourceRows.slice(0, picks.length) };
}
