// The `datasetSummary` job: format, rows × columns, field types and warnings of one file, exact rows for CSV via its row index.
import { basename } from 'node:path';
import type { DatasetWarning } from '../../core/formats/dataset';
import { throwIfAborted } from '../../core/formats/errors';
import { countAllRows, openDataset } from '../../core/formats/openDataset';
import { openFileBuffer } from '../fileBuffer';
import { declaredReading } from '../schema/tableFiles';
import type { DatasetSummary, DatasetSummaryInput, JobContext } from './jobTypes';

/** Warnings listed in a summary; the rest are counted, so a ragged million-row file stays a small message. */
const MAX_WARNINGS = 20;

export async function datasetSummary(input: DatasetSummaryInput, ctx: JobContext): Promise<DatasetSummary> {
  throwIfAborted(ctx.signal);
  const file = await openFileBuffer(input.path);
  try {
    const dataset = await openDataset(file, { name: basename(input.path), signal: ctx.signal, ...await declaredReading(input.path) });
    if (input.exactRows !== false) {
      await countAllRows(dataset, {
        signal: ctx.signal,
        onProgress: p => ctx.progress({ done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', phase: 'indexing' }),
      });
    }
    throwIfAborted(ctx.signal);
    const { rowCount, fields, warnings } = dataset;
    return {
      format: dataset.format,
      rows: rowCount.value,
      rowsExact: rowCount.exact,
      columns: fields.length,
      fields: fields.map(f => ({ name: f.name, type: f.type })),
      warnings: summarizeWarnings(warnings),
      version: { size: file.byteLength, mtimeMs: file.mtimeMs },
    };
  } finally {
    await file.close();
  }
}

function summarizeWarnings(warnings: readonly DatasetWarning[]): string[] {
  const out = warnings.slice(0, MAX_WARNINGS).map(w => w.message); // readers put the row or line in the message
  if (warnings.length > MAX_WARNINGS) { out.push(`… and ${warnings.length - MAX_WARNINGS} more warnings`); }
  return out;
}
