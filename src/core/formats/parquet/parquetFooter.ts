// Reads and checks a Parquet footer with one small tail read: magic, encryption, and sizes that fit the file.
import { parquetMetadata, parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';
import type { AsyncBuffer } from '../asyncBuffer';
import { DatasetError, throwIfAborted } from '../errors';
import { PARQUET_PARSERS } from './parquetColumns';

/** Most footers are a few KB; one read of this size usually holds the whole footer. */
const TAIL_BYTES = 64 * 1024;
/** A footer larger than this is refused rather than allocated (real footers of wide, many-group files stay well below). */
const MAX_FOOTER_BYTES = 256 * 1024 * 1024;

export interface ParquetFooter {
  metadata: FileMetaData;
  schema: SchemaTree;
  /** First row of each row group, plus the total at the end. */
  groupStarts: number[];
}

export function encryptedError(): DatasetError {
  return new DatasetError('encrypted', 'encrypted Parquet files are not supported');
}

function corrupt(message: string, cause?: unknown): DatasetError {
  return new DatasetError('corrupt', `corrupt Parquet file: ${message}`, cause === undefined ? undefined : { cause });
}

export async function readParquetFooter(buffer: AsyncBuffer, signal?: AbortSignal): Promise<ParquetFooter> {
  const size = buffer.byteLength;
  if (size === 0) { throw new DatasetError('empty', 'the file is empty'); }
  if (size < 12) { throw corrupt(`${size} bytes is too short for a Parquet file`); }
  const tailStart = Math.max(0, size - TAIL_BYTES);
  const tail = new Uint8Array(await buffer.slice(tailStart, size));
  throwIfAborted(signal);
  if (tail.length !== size - tailStart) { throw corrupt('the file is shorter than its reported size'); }
  const endMagic = ascii(tail.subarray(tail.length - 4));
  if (endMagic === 'PARE') { throw encryptedError(); }
  if (endMagic !== 'PAR1') { throw corrupt('no PAR1 magic at the end (the file is truncated or not Parquet)'); }
  const head = tailStart === 0 ? tail.subarray(0, 4) : new Uint8Array(await buffer.slice(0, 4));
  const startMagic = ascii(head);
  if (startMagic === 'PARE') { throw encryptedError(); }
  if (startMagic !== 'PAR1') { throw corrupt('no PAR1 magic at the start'); }

  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const footerLength = view.getUint32(tail.length - 8, true);
  if (footerLength === 0 || footerLength > size - 12) {
    throw corrupt(`the footer length (${footerLength} bytes) does not fit in a ${size}-byte file`);
  }
  if (footerLength > MAX_FOOTER_BYTES) {
    throw new DatasetError('too-large', `the Parquet footer is ${footerLength} bytes, more than Strata reads (${MAX_FOOTER_BYTES})`);
  }
  let footer: Uint8Array;
  if (footerLength + 8 <= tail.length) {
    footer = tail.subarray(tail.length - footerLength - 8);
  } else {
    footer = new Uint8Array(await buffer.slice(size - footerLength - 8, size));
    throwIfAborted(signal);
  }

  let metadata: FileMetaData;
  let schema: SchemaTree;
  try {
    metadata = parquetMetadata(footer, { parsers: PARQUET_PARSERS });
    checkSchemaElements(metadata);
    schema = parquetSchema(metadata);
  } catch (e) {
    if (e instanceof DatasetError) { throw e; }
    throw corrupt(`the footer cannot be read (${messageOf(e)})`, e);
  }
  if (schema.count !== metadata.schema.length) { throw corrupt('the schema tree does not match its element count'); }
  const groupStarts = checkRowGroups(metadata, schema, size);
  return { metadata, schema, groupStarts };
}

function checkSchemaElements(metadata: FileMetaData): void {
  if (!Array.isArray(metadata.schema) || metadata.schema.length === 0) { throw corrupt('the schema is empty'); }
  const root = metadata.schema[0];
  if (!root.num_children || root.num_children < 0) { throw corrupt('the schema has no columns'); }
  let remaining = 0;
  for (const [k, e] of metadata.schema.entries()) {
    if (typeof e.name !== 'string') { throw corrupt(`schema element ${k} has no name`); }
    if (e.num_children !== undefined && (e.num_children < 0 || e.num_children > metadata.schema.length)) {
      throw corrupt(`schema element '${e.name}' claims ${e.num_children} children`);
    }
    if (k > 0 && !e.num_children && !e.type) { throw corrupt(`column '${e.name}' has an unknown physical type`); }
    remaining += e.num_children ?? 0;
  }
  // every element but the root is someone's child
  if (remaining !== metadata.schema.length - 1) { throw corrupt('the schema element counts do not add up'); }
}

function checkRowGroups(metadata: FileMetaData, schema: SchemaTree, size: number): number[] {
  const leaves = countLeaves(schema);
  const groupStarts = [0];
  let total = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const rows = Number(group.num_rows);
    if (!Number.isSafeInteger(rows) || rows < 0) { throw corrupt(`row group ${g} has ${group.num_rows} rows`); }
    if (group.columns.length !== leaves) {
      throw corrupt(`row group ${g} has ${group.columns.length} column chunks for ${leaves} columns`);
    }
    for (const chunk of group.columns) {
      if (chunk.crypto_metadata || chunk.encrypted_column_metadata) { throw encryptedError(); }
      const meta = chunk.meta_data;
      if (!meta) { throw corrupt(`a column chunk of row group ${g} has no metadata`); }
      if (chunk.file_path) {
        throw new DatasetError('unsupported', `column data kept in another file (${chunk.file_path}) is not supported`);
      }
      const name = meta.path_in_schema.join('.');
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const dataStart = Number(meta.data_page_offset);
      const length = Number(meta.total_compressed_size);
      if (!(start >= 4 && dataStart >= 4 && length >= 0 && Math.max(start, dataStart) + (rows ? 1 : 0) <= size && Math.min(start, dataStart) + length <= size)) {
        throw corrupt(`column '${name}' of row group ${g} points outside the file`);
      }
    }
    total += rows;
    if (!Number.isSafeInteger(total)) { throw corrupt('the row count is too large'); }
    groupStarts.push(total);
  }
  return groupStarts;
}

function countLeaves(node: SchemaTree): number {
  if (!node.children.length) { return 1; }
  let n = 0;
  for (const c of node.children) { n += countLeaves(c); }
  return n;
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
