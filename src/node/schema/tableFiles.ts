// Dataset files on disk as validation sources, and whole-file validation and inference with the schema that applies.
import { join } from 'node:path';
import { CsvDataset, openCsv, type OpenCsvOptions } from '../../core/formats/csv/csvDataset';
import type { CsvDialect } from '../../core/formats/csv/dialect';
import type { DatasetFormat } from '../../core/formats/dataset';
import { formatOf, openDataset, type CsvReadingOptions } from '../../core/formats/openDataset';
import { csvDialectOf, csvTableSource, datasetTableSource } from '../../core/schema/datasetTableSource';
import { inferSchema, type InferOptions, type InferredSchema } from '../../core/schema/inferSchema';
import type { TableDialect, TableSchema } from '../../core/schema/tableSchema';
import type { TableSource } from '../../core/schema/tableSource';
import {
  collectReferenceKeys, NO_SUCH_RESOURCE, validateTable, type ForeignKeyResolver, type ValidateOptions, type ValidationRun,
} from '../../core/schema/validateTable';
import { openFileBuffer } from '../fileBuffer';
import { findResourceDialect, findSchemaFor, resourceSchema, type DatasetSchema, type FindSchemaOptions, type LoadedDataPackage } from './schemaDiscovery';

export interface OpenedTable {
  source: TableSource;
  format: DatasetFormat;
  /** True for delimited text: issues carry line/character ranges. */
  textPositions: boolean;
  /** The dialect delimited text is read with. */
  dialect?: CsvDialect;
  close(): Promise<void>;
}

/**
 * How a CSV opens for a Table Dialect and schema: the dialect's delimiter, header and header row override what
 * sniffing finds (`headerRows: [3]` skips the two lines above the header); without a dialect header, a first row
 * holding the schema's field names is the header.
 */
export function csvOpenOptions(dialect: TableDialect | null | undefined, schema: TableSchema | null | undefined): Pick<OpenCsvOptions, 'delimiter' | 'header' | 'isHeader' | 'skipLines' | 'escapeChar' | 'commentChar' | 'fieldNames'> {
  return {
    ...(dialect?.delimiter ? { delimiter: dialect.delimiter } : {}),
    // a declared dialect without an escape or comment character has none (the Table Dialect's defaults): only the
    // delimiter and header are still sniffed when it leaves them out
    ...(dialect ? { escapeChar: dialect.escapeChar ?? null, commentChar: dialect.commentChar ?? null } : {}),
    ...(dialect?.header !== undefined ? { header: dialect.header } : {}),
    ...(dialect?.headerRows && dialect.header !== false ? { skipLines: dialect.headerRows[0] - 1 } : {}),
    ...(schema && schema.fields.length > 0 ? { isHeader: (row: readonly string[]) => holdsFieldNames(row, schema) } : {}),
    // a file declared to have no header row takes its column names from the schema
    ...(dialect?.header === false && schema && schema.fields.length > 0 ? { fieldNames: schema.fields.map(f => f.name) } : {}),
  };
}

/**
 * How every reader (preview, explorer, profile, diff, `strata head`) opens a file: as the Table Dialect (and schema)
 * of the data package resource listing it declare, where there is one (see `findResourceDialect`); else sniffed.
 */
export async function declaredReading(path: string, options: { workspaceRoot?: string } = {}): Promise<{ csv?: CsvReadingOptions }> {
  const found = await findResourceDialect(path, options);
  // as validation opens it: the dialect, and the schema's field names (recognised as the header, or naming the
  // columns of a file without one)
  return found ? { csv: csvOpenOptions(found.dialect, found.schema) } : {};
}

/** Whether `row` holds exactly the schema's field names: in order, or in any order unless `fieldsMatch` is "exact". */
export function holdsFieldNames(row: readonly string[], schema: TableSchema): boolean {
  const names = schema.fields.map(f => f.name);
  if (row.length !== names.length) { return false; }
  if (row.every((cell, i) => cell === names[i])) { return true; }
  if (schema.fieldsMatch === 'exact') { return false; }
  const set = new Set(names);
  return new Set(row).size === set.size && row.every(cell => set.has(cell));
}

/** Opens a dataset file as a TableSource; a Table Dialect (from a data package) and the schema's field names override what sniffing finds. */
export async function openTableFile(path: string, options: { dialect?: TableDialect; schema?: TableSchema | null; signal?: AbortSignal } = {}): Promise<OpenedTable> {
  const buffer = await openFileBuffer(path);
  try {
    const format = await formatOf(buffer, path);
    if (format === 'csv' || format === 'tsv') {
      const dataset = await openCsv(buffer, { name: path, signal: options.signal, ...csvOpenOptions(options.dialect, options.schema) });
      const dialect = csvDialectOf(dataset.dialect, options.dialect);
      return { source: csvTableSource(buffer, dataset, { name: path, dialect }), format, textPositions: true, dialect, close: () => buffer.close() };
    }
    const dataset = await openDataset(buffer, { name: path, format, signal: options.signal });
    if (dataset instanceof CsvDataset) {
      return { source: csvTableSource(buffer, dataset, { name: path }), format, textPositions: true, dialect: dataset.dialect, close: () => buffer.close() };
    }
    // a JSON Lines problem is placed at its value in the file; Parquet and Arrow ones by row and field numbers
    return { source: datasetTableSource(dataset, { name: path, bytesTotal: buffer.byteLength }), format, textPositions: format === 'jsonl', close: () => buffer.close() };
  } catch (e) {
    await buffer.close();
    throw e;
  }
}

/**
 * Resolves foreign keys to other resources of a data package: reads the referenced resource's key
 * columns once per (resource, fields) into a hashed set. A resource the package does not have is a broken key
 * (`NO_SUCH_RESOURCE`); one without a local file (inline data, a URL) cannot be checked (null).
 */
export function packageForeignKeys(loaded: LoadedDataPackage): ForeignKeyResolver {
  const cache = new Map<string, ReturnType<ForeignKeyResolver>>();
  return (fk, signal) => {
    const resourceName = fk.reference.resource as string;
    const key = `${resourceName}\u0000${fk.reference.fields.join('\u0000')}`;
    let found = cache.get(key);
    if (!found) {
      found = (async () => {
        const resource = loaded.pkg.resources.find(r => r.name === resourceName);
        if (!resource) { return NO_SUCH_RESOURCE; }
        if (resource.paths.length === 0) { return null; }
        const { schema, dialect } = await resourceSchema(loaded, resource);
        const table = await openTableFile(join(loaded.dir, resource.paths[0]), { ...(dialect ? { dialect } : {}), schema, signal });
        try {
          return await collectReferenceKeys(table.source, schema, fk.reference.fields, signal);
        } finally {
          await table.close();
        }
      })();
      cache.set(key, found);
    }
    return found;
  };
}

export interface FileValidation {
  /** The schema used, and where it came from; null when none applies (structure and personal data only). */
  schema: DatasetSchema | null;
  table: OpenedTable;
  run: ValidationRun;
}

/**
 * Validates a dataset file with the schema that applies (or the one given). Iterate `run` for the issues,
 * then close `table`. Broken schemas throw SchemaError; unreadable data throws DatasetError.
 */
export async function validateFile(
  path: string, options: ValidateOptions & { find?: FindSchemaOptions; schema?: DatasetSchema | null } = {},
): Promise<FileValidation> {
  const schema = options.schema !== undefined ? options.schema : await findSchemaFor(path, options.find);
  const table = await openTableFile(path, { ...(schema?.dialect ? { dialect: schema.dialect } : {}), schema: schema?.schema ?? null, signal: options.signal });
  const foreignKeys = options.foreignKeys ?? (schema?.dataPackage ? packageForeignKeys(schema.dataPackage) : undefined);
  const run = validateTable(table.source, schema?.schema ?? null, { ...options, ...(foreignKeys ? { foreignKeys } : {}) });
  return { schema, table, run };
}

/**
 * Infers the schema of a dataset file (streamed; `sampleRows` bounds it). `linesAbove`: lines skipped above the
 * header (a title, comments), which a Table Dialect records as `headerRows: [linesAbove + 1]`; `dialect`: how
 * delimited text was read (its escape and comment characters are Table Dialect options too).
 */
export async function inferFileSchema(path: string, options: InferOptions & { dialect?: TableDialect } = {}): Promise<InferredSchema & { linesAbove: number; dialect?: CsvDialect }> {
  const table = await openTableFile(path, { ...(options.dialect ? { dialect: options.dialect } : {}), signal: options.signal });
  try {
    // numbers may be written with a decimal comma where the comma is not the delimiter; numbers with `,` thousands
    // groups and dates in layouts such as 25/11/2026 in any delimited text, as the dataset reads them
    const delimiter = table.dialect?.delimiter;
    const decimalComma = options.decimalComma ?? (delimiter !== undefined && delimiter !== ',');
    const thousandsComma = options.thousandsComma ?? delimiter !== undefined;
    const temporalLayouts = options.temporalLayouts ?? delimiter !== undefined;
    return {
      ...await inferSchema(table.source, { ...options, decimalComma, thousandsComma, temporalLayouts }), linesAbove: table.source.linesAbove ?? 0,
      ...(table.dialect ? { dialect: table.dialect } : {}),
    };
  } finally {
    await table.close();
  }
}
