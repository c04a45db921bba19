// How a delimited file is read, in words: a short hint after the format's name and a full line (the preview's status
// bar and its tooltip, `strata head`'s title line).
import type { CsvReading } from './csvDataset';

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon', '|': 'pipe', ' ': 'space', ':': 'colon' };

function delimiterName(d: string): string {
  return DELIMITER_NAMES[d] ?? JSON.stringify(d);
}

/** The delimiter, in brackets, where it is not the format's own (` (semicolon)` after `CSV`, tab for TSV); else empty. */
export function readingHint(format: string, r: CsvReading): string {
  const usual = format === 'tsv' ? '\t' : ',';
  return r.delimiter === usual ? '' : ` (${delimiterName(r.delimiter)})`;
}

/** `Read as comma-separated, with a header row, …; sniffed from the file` (or `as its data package's Table Dialect declares`). */
export function readingLine(r: CsvReading, declared: boolean): string {
  const parts = [`${delimiterName(r.delimiter)}-separated`, r.header ? 'with a header row' : 'no header row'];
  if (r.quoteChar !== '"') { parts.push(`${r.quoteChar} quotes`); }
  if (r.escapeChar !== undefined) { parts.push(`quotes escaped by ${r.escapeChar === '\\' ? 'a backslash' : JSON.stringify(r.escapeChar)}`); }
  if (r.commentChar !== undefined) { parts.push(`lines starting with ${r.commentChar} skipped as comments`); }
  if (r.linesAbove > 0) { parts.push(`${r.linesAbove} line${r.linesAbove === 1 ? '' : 's'} above the ${r.header ? 'header' : 'data'} skipped`); }
  return `Read as ${parts.join(', ')}; ${declared ? 'as its data package\'s Table Dialect declares' : 'sniffed from the file'}`;
}
