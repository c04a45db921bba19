// `strata head FILE [-n N] [--offset K] [--json]`: the schema and a window of rows of any dataset, as a table or one JSON object.
import { basename, resolve } from 'node:path';
import { cellDisplay, cellJson, stringifyJson, type JsonCell } from '../../core/formats/cellValue';
import type { ColumnBatch, ColumnData } from '../../core/formats/columns';
import { CsvDataset } from '../../core/formats/csv/csvDataset';
import { readingHint } from '../../core/formats/csv/readingText';
import type { Dataset, Field, LogicalType } from '../../core/formats/dataset';
import { isDatasetError } from '../../core/formats/errors';
import { numberFormatProperties } from '../../core/formats/numberFormat';
import { openDataset } from '../../core/formats/openDataset';
import { fsReason, openFileBuffer } from '../../node/fileBuffer';
import { declaredReading } from '../../node/schema/tableFiles';
import { CliUsageError, EXIT_ERROR, EXIT_OK, type CliCommand, type CliIO } from '../cliTypes';

const DEFAULT_ROWS = 10;
/** Wider cells are cut in the table (never in --json). */
const MAX_CELL_WIDTH = 40;
const MAX_WARNINGS_SHOWN = 5;

export const headCommand: CliCommand = {
  name: 'head',
  summary: 'print the schema and the first rows of a dataset (-n N rows, --offset K, --json)',
  options: [
    { name: 'n', short: 'n', kind: 'number' },
    { name: 'offset', kind: 'number' },
    { name: 'json', kind: 'flag' },
  ],
  async run(args, io) {
    if (args.positionals.length !== 1) {
      throw new CliUsageError(args.positionals.length ? 'give one file' : 'which file? usage: strata head FILE [-n N] [--offset K] [--json]');
    }
    const count = wholeNumber(args.values.n, DEFAULT_ROWS, '-n');
    const offset = wholeNumber(args.values.offset, 0, '--offset');
    const path = resolve(io.cwd, args.positionals[0]);
    const name = args.positionals[0];
    let buffer;
    try {
      buffer = await openFileBuffer(path);
    } catch (e) {
      return fail(io, isDatasetError(e) && e.code === 'io' ? `cannot read ${name}: ${ioReason(e)}` : messageOf(e));
    }
    try {
      const dataset = await openDataset(buffer, { name: basename(path), ...await declaredReading(path) });
      const batch = await dataset.readRows(offset, count);
      if (args.flags.json) { io.out(jsonOutput(dataset, batch)); } else { printTable(io, name, dataset, batch, offset); }
      const warnings = dataset.warnings;
      for (const w of warnings.slice(0, MAX_WARNINGS_SHOWN)) { io.err(`strata head: warning: ${w.message}`); }
      if (warnings.length > MAX_WARNINGS_SHOWN) { io.err(`strata head: warning: and ${warnings.length - MAX_WARNINGS_SHOWN} more`); }
      return EXIT_OK;
    } catch (e) {
      // a message naming the file already says which one
      if (isDatasetError(e)) { return fail(io, e.message.includes(basename(path)) ? e.message : `${name}: ${e.message}`); }
      throw e;
    } finally {
      await buffer.close();
    }
  },
};

function wholeNumber(v: unknown, fallback: number, flag: string): number {
  if (v === undefined) { return fallback; }
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) { throw new CliUsageError(`${flag} needs a whole number ≥ 0, got ${String(v)}`); }
  return v;
}

function fail(io: CliIO, message: string): number {
  io.err(`strata head: ${message.split('\n')[0]}`);
  return EXIT_ERROR;
}

function ioReason(e: Error): string {
  return e.message.includes('is a folder') ? 'it is a folder' : fsReason(e.cause);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The stable `--json` shape: format, rowCount (null while only estimated), fields (with `decimalChar` and `groupChar`
 * for numbers written with a decimal comma, `groupChar` alone for numbers with `,` thousands groups, `format` for dates
 * written in a layout such as `%d/%m/%Y`), rows of JSON cells.
 */
function jsonOutput(dataset: Dataset, batch: ColumnBatch): string {
  const rows: JsonCell[][] = [];
  for (let i = 0; i < batch.rowCount; i++) {
    rows.push(batch.columns.map((col, k) => cellJson(col, i, dataset.fields[batch.fieldIndexes[k]])));
  }
  return stringifyJson({
    format: dataset.format,
    rowCount: dataset.rowCount.exact ? dataset.rowCount.value : null,
    // a number column written with a decimal comma or thousands groups, or a date column in a layout other than
    // ISO 8601, says how, as a Table Schema field does
    fields: dataset.fields.map(f => ({
      name: f.name, type: f.type, ...numberFormatProperties(f.numberFormat), ...(f.temporalFormat !== undefined ? { format: f.temporalFormat } : {}),
    })),
    rows,
  });
}

const RIGHT_ALIGNED: ReadonlySet<LogicalType> = new Set(['integer', 'number']);

function printTable(io: CliIO, name: string, dataset: Dataset, batch: ColumnBatch, offset: number): void {
  const fields = batch.fieldIndexes.map(f => dataset.fields[f]);
  const { value, exact } = dataset.rowCount;
  const rows = `${exact ? '' : 'about '}${value} row${value === 1 ? '' : 's'}`;
  const hint = dataset instanceof CsvDataset ? readingHint(dataset.format, dataset.reading) : '';
  io.out(`${name}: ${dataset.format}${hint}, ${rows}, ${fields.length} column${fields.length === 1 ? '' : 's'}`);
  if (fields.length === 0) { return; }
  const body: string[][] = [];
  for (let i = 0; i < batch.rowCount; i++) {
    body.push(batch.columns.map((col, k) => tableCell(tableText(col, i, fields[k]))));
  }
  const names = fields.map(f => tableCell(f.name));
  const types = fields.map(f => f.type);
  const widths = fields.map((_, k) => Math.max(width(names[k]), width(types[k]), ...body.map(r => width(r[k]))));
  const line = (cells: string[], align?: Field[]) => cells
    .map((c, k) => (align && RIGHT_ALIGNED.has(align[k].type) ? padStart(c, widths[k]) : padEnd(c, widths[k])))
    .join('  ')
    .trimEnd();
  io.out(line(names));
  io.out(line(types));
  io.out(line(widths.map(w => '-'.repeat(w))));
  for (const r of body) { io.out(line(r, fields)); }
  if (batch.rowCount === 0) {
    io.out(`(no rows at offset ${offset})`);
  } else {
    io.out(`(rows ${batch.rowStart}–${batch.rowStart + batch.rowCount - 1})`);
  }
}

/**
 * The text of a cell in the table: null wherever --json has null, so a missing-value marker in a typed column (`NA` in
 * an integer column) reads as missing, as a null does; any other value as written.
 */
function tableText(col: ColumnData, i: number, field: Field): string | null {
  return cellJson(col, i, field) === null ? null : cellDisplay(col, i, field);
}

/** One line per cell: control characters escaped, long values cut. */
function tableCell(text: string | null): string {
  if (text === null) { return 'null'; }
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '?');
  const chars = [...flat];
  return chars.length > MAX_CELL_WIDTH ? `${chars.slice(0, MAX_CELL_WIDTH - 1).join('')}…` : flat;
}

function width(s: string): number { return [...s].length; }
function padEnd(s: string, w: number): string { return s + ' '.repeat(Math.max(0, w - width(s))); }
function padStart(s: string, w: number): string { return ' '.repeat(Math.max(0, w - width(s))) + s; }
