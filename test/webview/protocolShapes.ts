// Compile-time proof that core's batches and profiles can be posted to the preview as they are:
// `tsc --noEmit -p .` fails here if src/shared/protocol.ts and the core shapes drift apart.
import type { ColumnBatch, ColumnData } from '../../src/core/formats/columns';
import type { Field, RowCount } from '../../src/core/formats/dataset';
import type { DatasetProfile } from '../../src/core/profile/profileTypes';
import type { ColumnBatchDto, ColumnDataDto, DatasetProfileDto, FieldDto, RowCountDto } from '../../src/shared/protocol';

export const batchAsDto = (b: ColumnBatch): ColumnBatchDto => b;
export const columnAsDto = (c: ColumnData): ColumnDataDto => c;
export const fieldAsDto = (f: Field): FieldDto => f;
export const rowCountAsDto = (r: RowCount): RowCountDto => r;
export const profileAsDto = (p: DatasetProfile): DatasetProfileDto => p;
