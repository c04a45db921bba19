// Turning a block of cells into clipboard text: TSV and CSV (quoted as spreadsheets expect) or a Markdown table.
import type { CopyFormat } from '../../src/shared/protocol';

function quoteDelimited(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function markdownCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r\n|\r|\n/g, ' ');
}

/** `header` is null to copy values only (TSV/CSV); Markdown always needs a header row, so it makes one. */
export function formatTable(header: string[] | null, rows: string[][], format: CopyFormat): string {
  if (format === 'markdown') {
    const width = header?.length ?? rows[0]?.length ?? 0;
    const head = header ?? Array.from({ length: width }, (_, i) => `Column ${i + 1}`);
    const line = (cells: string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
    return [line(head), `|${head.map(() => ' --- |').join('')}`, ...rows.map(line)].join('\n') + '\n';
  }
  const delimiter = format === 'tsv' ? '\t' : ',';
  const lines = (header ? [header, ...rows] : rows).map(r => r.map(v => quoteDelimited(v, delimiter)).join(delimiter));
  return lines.join(format === 'csv' ? '\r\n' : '\n') + (format === 'csv' ? '\r\n' : '');
}
