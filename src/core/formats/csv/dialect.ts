// Dialect sniffing for delimited text: delimiter, quote character, header row, line ending and lines above the table, from a bounded sample.
import Papa from 'papaparse';
import { classifyValue, isMissingValue, type ValueKind } from '../inferType';

export type LineTerminator = '\n' | '\r\n' | '\r';

export interface CsvDialect {
  /** One ASCII character. */
  delimiter: string;
  quoteChar: '"' | "'";
  /**
   * The character before a quote that makes it part of a quoted field's value (`\"`, as Spark and MySQL write
   * CSV); absent, a quote inside a quoted field is written twice (`""`, RFC 4180).
   */
  escapeChar?: string;
  /** A line starting with this character is a comment, no row (`#`); absent, every line is data. */
  commentChar?: string;
  /** Whether the first (non-blank) row holds column names. */
  header: boolean;
  lineTerminator: LineTerminator;
}

/** What the row scanners and parsers need of a dialect: where fields, quotes and rows begin and end. */
export type CsvQuoting = Pick<CsvDialect, 'delimiter' | 'quoteChar' | 'escapeChar' | 'commentChar' | 'lineTerminator'>;

/** The dialect's options for papaparse: its escape character is the quote itself when quotes are doubled. */
export function papaQuoting(d: CsvQuoting): { delimiter: string; newline: LineTerminator; quoteChar: string; escapeChar: string; comments: string | false } {
  return { delimiter: d.delimiter, newline: d.lineTerminator, quoteChar: d.quoteChar, escapeChar: d.escapeChar ?? d.quoteChar, comments: d.commentChar ?? false };
}

/** The character a sniff takes for comment lines (a Table Dialect may name another). */
const HASH = '#';
/** Rows of the sample the comment sniff looks at. */
const COMMENT_SNIFF_ROWS = 1000;

/** The escape characters a sniff recognises (a Table Dialect may name another). */
const BACKSLASH = '\\';

export interface SniffOptions {
  /** File name; its extension hints the delimiter (`.tsv`/`.tab` → tab, `.psv` → pipe). */
  name?: string;
  /** Forces the delimiter (skips delimiter sniffing). */
  delimiter?: string;
  /** Forces header present / absent. */
  header?: boolean;
  /** Recognises the first row as the header whatever sniffing says (a schema's field names); `header` still wins. */
  isHeader?: (firstRow: readonly string[]) => boolean;
  /** True when `sample` is the whole file (its last row is complete). */
  complete?: boolean;
  /** Forces the lines above the header (skips preamble sniffing); 0: the table starts on the first line. */
  skipLines?: number;
  /** Forces the escape character; null: quotes are doubled (skips escape sniffing). */
  escapeChar?: string | null;
  /** Forces the comment character; null: no comment lines (skips comment sniffing). */
  commentChar?: string | null;
}

/** Lines above the table that are no part of it: a title, blank lines, `#` comments, a "Source: ..." note. */
export interface Preamble {
  /** Physical lines (line breaks) before the table's first row. */
  lines: number;
}

/** What sniffing found: the dialect of the table, and the lines above it when there are any. */
export interface SniffedCsv {
  dialect: CsvDialect;
  preamble?: Preamble;
}

/** Delimiters tried, in order of preference when two fit equally well. */
export const CANDIDATE_DELIMITERS: readonly string[] = [',', '\t', ';', '|', ':', '^', '~', ' '];

/** Rows of the sample the delimiter and header tests look at. */
const SNIFF_ROWS = 200;
/** Leading lines that may be a preamble; a table starting further down is read as it is. */
const MAX_PREAMBLE_LINES = 20;
/** The preamble tests parse at most this many lines, or characters, from a candidate table start. */
const PREAMBLE_ROWS = 50;
const PREAMBLE_TEXT_CHARS = 16 * 1024;
/** Share of the rows below a preamble that must have the table's field count. */
const PREAMBLE_BODY_CONSISTENCY = 0.9;

export function delimiterHintFromName(name: string | undefined): string | undefined {
  const lower = (name ?? '').toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) { return '\t'; }
  if (lower.endsWith('.psv')) { return '|'; }
  return undefined;
}

/** The line terminator used most in the sample (quoted newlines barely move the counts). */
export function sniffLineTerminator(sample: string): LineTerminator {
  let crlf = 0, lf = 0, cr = 0;
  const n = sample.length;
  for (let i = sample.indexOf('\r'); i !== -1 && i < n; i = sample.indexOf('\r', i + 1)) {
    if (sample.charCodeAt(i + 1) === 10) { crlf++; } else if (i + 1 < n) { cr++; }
  }
  for (let i = sample.indexOf('\n'); i !== -1; i = sample.indexOf('\n', i + 1)) { lf++; }
  lf -= crlf;
  if (crlf >= lf && crlf >= cr && crlf > 0) { return '\r\n'; }
  if (cr > lf) { return '\r'; }
  return '\n';
}

/** Parses up to `maxRows` non-blank rows of `text` with papaparse (drops the last row when it may be cut off). */
export function parseSampleRows(text: string, dialect: CsvQuoting, complete: boolean, maxRows = Infinity): string[][] {
  // No papaparse `preview`: it counts blank lines as rows.
  const parser = new Papa.Parser(papaQuoting(dialect));
  const res = parser.parse(text, 0, !complete) as { data: string[][]; meta: { truncated: boolean } };
  const rows = res.data.filter(r => !(r.length === 1 && r[0] === ''));
  return rows.length > maxRows ? rows.slice(0, maxRows) : rows;
}

interface DelimiterScore {
  delimiter: string;
  quoteChar: '"' | "'";
  /** Most common field count. */
  width: number;
  /** Share of rows with exactly `width` fields. */
  consistency: number;
  rows: number;
  /** Cells that start and end with the quote character (evidence the quote is really used). */
  quotedCells: number;
  /** Whether the delimiter splits the sample into columns at all (see `splitsIntoColumns`). */
  splits: boolean;
}

/**
 * Whether rows of `width` fields make columns. A first row with the delimiter in it settles it; one without
 * must be a data row (not a header) and the split rows must outnumber the whole ones. Otherwise the delimiter
 * only occurs inside the values of a single column: times, URLs, `Smith; John`.
 */
function splitsIntoColumns(rows: readonly string[][], width: number, counts: ReadonlyMap<number, number>): boolean {
  if (width < 2) { return false; }
  if (rows[0].length >= 2) { return true; }
  return (counts.get(width) ?? 0) > (counts.get(1) ?? 0) && !sniffHeader(rows);
}

function scoreDelimiter(text: string, delimiter: string, quoteChar: '"' | "'", lineTerminator: LineTerminator, complete: boolean): DelimiterScore {
  const parser = new Papa.Parser({ ...papaQuoting({ delimiter, quoteChar, lineTerminator }), preview: SNIFF_ROWS + 1 });
  const res = parser.parse(text, 0, !complete) as { data: string[][] };
  const rows = res.data.filter(r => !(r.length === 1 && r[0] === '')).slice(0, SNIFF_ROWS);
  const counts = new Map<number, number>();
  for (const r of rows) { counts.set(r.length, (counts.get(r.length) ?? 0) + 1); }
  let width = 1, best = 0;
  for (const [w, c] of counts) {
    if (c > best || (c === best && w > width)) { width = w; best = c; }
  }
  // Quoted cells are visible in the raw text as quote + delimiter/newline pairs.
  let quotedCells = 0;
  for (let i = text.indexOf(quoteChar); i !== -1 && quotedCells < 1000; i = text.indexOf(quoteChar, i + 1)) {
    const next = text[i + 1];
    if (next === delimiter || next === '\n' || next === '\r') { quotedCells++; }
  }
  return {
    delimiter, quoteChar, width, consistency: rows.length ? best / rows.length : 0, rows: rows.length, quotedCells,
    splits: splitsIntoColumns(rows, width, counts),
  };
}

/** Picks the delimiter whose rows agree best on a field count above one. */
function pickDelimiter(scores: DelimiterScore[], hint: string | undefined): DelimiterScore | undefined {
  const usable = scores.filter(s => s.splits);
  if (usable.length === 0) { return undefined; }
  // The extension's word counts unless the content clearly disagrees.
  const hinted = hint ? usable.find(s => s.delimiter === hint) : undefined;
  if (hinted && hinted.consistency >= 0.9) { return hinted; }
  const better = (a: DelimiterScore, b: DelimiterScore): boolean => {
    // Within 2% consistency, prefer the earlier (more common) delimiter.
    if (Math.abs(a.consistency - b.consistency) > 0.02) { return a.consistency > b.consistency; }
    return CANDIDATE_DELIMITERS.indexOf(a.delimiter) < CANDIDATE_DELIMITERS.indexOf(b.delimiter);
  };
  let best: DelimiterScore | undefined;
  for (const s of usable) {
    // Space splits prose too: only take it when every row agrees.
    if (s.delimiter === ' ' && s.consistency < 1) { continue; }
    if (!best || better(s, best)) { best = s; }
  }
  if (hinted && best && best !== hinted && best.consistency - hinted.consistency < 0.1) { return hinted; }
  return best;
}

/** For a one-column file: the hinted or first candidate that leaves every row whole, so no value is split. */
function wholeRowDelimiter(scores: DelimiterScore[], hint: string | undefined): string | undefined {
  const whole = scores.filter(s => s.width === 1 && s.consistency === 1);
  return (whole.find(s => s.delimiter === hint) ?? whole[0])?.delimiter;
}

function kindOf(value: string): ValueKind {
  return isMissingValue(value) ? 'missing' : classifyValue(value);
}

/**
 * Whether the first row is a header. Only typed columns give evidence: in a column whose other values share a
 * non-text type (numbers, dates, booleans...), a first-row value of another kind votes "header", one of the same
 * kind votes "no header". Text columns say nothing (a header looks like any other text), so a file of text alone
 * has a header, as most delimited files do. Undecided: a header unless the first row holds a number.
 */
export function sniffHeader(rows: readonly string[][]): boolean {
  if (rows.length === 0) { return true; }
  const votes = headerVotes(rows);
  if (votes !== 0) { return votes > 0; }
  return !rows[0].some(v => { const k = kindOf(v); return k === 'integer' || k === 'number'; });
}

/** The typed columns' votes for the first row being a header (positive) or data (negative); see `sniffHeader`. */
function headerVotes(rows: readonly string[][]): number {
  const first = rows[0];
  const rest = rows.slice(1, SNIFF_ROWS);
  let votes = 0;
  for (let c = 0; c < first.length; c++) {
    const want = typedKindOf(rest, c);
    const got = numberOrKind(kindOf(first[c]));
    if (want === undefined || got === 'missing') { continue; }
    votes += got === want ? -1 : 1;
  }
  return votes;
}

/** The non-text kind every non-missing value of column `c` shares (integers count as numbers); undefined if none. */
function typedKindOf(rows: readonly string[][], c: number): ValueKind | undefined {
  let kind: ValueKind | undefined;
  for (const r of rows) {
    const v = r[c];
    if (v === undefined) { continue; }
    const k = numberOrKind(kindOf(v));
    if (k === 'missing') { continue; }
    if (k === 'string' || (kind !== undefined && k !== kind)) { return undefined; }
    kind = k;
  }
  return kind;
}

function numberOrKind(kind: ValueKind): ValueKind {
  return kind === 'integer' ? 'number' : kind;
}

/**
 * Sniffs the dialect of `sample` (decoded text from the start of the file, BOM removed).
 * Delimiter: the candidate whose rows most consistently split into the same number (≥ 2) of fields and
 * which a header row holds too; a `.tsv`/`.tab`/`.psv` name wins unless the content clearly says otherwise.
 * None fits: one column, with a candidate found in no row of the sample.
 * When the sample starts with lines above the table (see `sniffCsv`), this is the dialect of the table below them.
 */
export function sniffDialect(sample: string, options: SniffOptions = {}): CsvDialect {
  return sniffCsv(sample, options).dialect;
}

/**
 * Sniffs the dialect of `sample` and the preamble above its table: up to `MAX_PREAMBLE_LINES` leading lines
 * (a title, blank lines, `#` comments, a note such as "Source: ACME, Inc.") that do not fit the table the
 * rest of the sample forms. The delimiter and header are then sniffed from the lines below the preamble.
 */
export function sniffCsv(sample: string, options: SniffOptions = {}): SniffedCsv {
  const complete = options.complete ?? false;
  const lineTerminator = sniffLineTerminator(sample);
  const skip = options.skipLines ?? 0;
  if (skip > 0) {
    const lines = leadingLines(sample, skip, lineTerminator);
    const at = lines.length === skip ? lines[skip - 1].end : sample.length;
    return { dialect: sniffTable(sample.slice(at), options, lineTerminator, complete), preamble: { lines: skip } };
  }
  const dialect = sniffTable(sample, options, lineTerminator, complete);
  if (options.skipLines === undefined && options.header !== false) {
    const found = findPreamble(sample, dialect, options, lineTerminator, complete);
    if (found) { return found; }
  }
  return { dialect };
}

/** The note on a preamble skipped above the table. */
export function preambleMessage(lines: number, header = true): string {
  return `skipped ${lines} line${lines === 1 ? '' : 's'} above the ${header ? 'header' : 'data'} (a title or comments)`;
}

/** The note on comment lines skipped between rows. */
export function commentsMessage(commentChar: string): string {
  return `lines starting with ${JSON.stringify(commentChar)} are comments: they are skipped, not read as rows`;
}

function sniffTable(sample: string, options: SniffOptions, lineTerminator: LineTerminator, complete: boolean): CsvDialect {
  const hint = delimiterHintFromName(options.name);

  let delimiter = options.delimiter;
  let quoteChar: '"' | "'" = '"';
  if (delimiter === undefined) {
    const scores = CANDIDATE_DELIMITERS.map(d => scoreDelimiter(sample, d, '"', lineTerminator, complete));
    let pick = pickDelimiter(scores, hint);
    // Single quotes only when they fit strictly better and are really used as quotes.
    const single = CANDIDATE_DELIMITERS.map(d => scoreDelimiter(sample, d, "'", lineTerminator, complete));
    const pickSingle = pickDelimiter(single, hint);
    if (pickSingle && pickSingle.quotedCells > 0 && (!pick || pickSingle.consistency > pick.consistency + 0.02
      || (pickSingle.consistency >= pick.consistency && pickSingle.quotedCells > 0 && pick.quotedCells === 0 && pickSingle.delimiter === pick.delimiter))) {
      pick = pickSingle;
    }
    delimiter = pick?.delimiter ?? wholeRowDelimiter(scores, hint) ?? hint ?? ',';
    quoteChar = pick?.quoteChar ?? '"';
  } else {
    const dq = scoreDelimiter(sample, delimiter, '"', lineTerminator, complete);
    const sq = scoreDelimiter(sample, delimiter, "'", lineTerminator, complete);
    if (sq.quotedCells > 0 && dq.quotedCells === 0 && sq.consistency >= dq.consistency) { quoteChar = "'"; }
  }

  const escapeChar = options.escapeChar === null ? undefined
    : options.escapeChar ?? sniffEscape(sample, delimiter, quoteChar, lineTerminator, complete);
  const quoted = { delimiter, quoteChar, lineTerminator, ...(escapeChar !== undefined ? { escapeChar } : {}) };
  const commentChar = options.commentChar === null ? undefined : options.commentChar ?? sniffComments(sample, quoted, complete);
  const quoting = { ...quoted, ...(commentChar !== undefined ? { commentChar } : {}) };
  let header = options.header;
  if (header === undefined) {
    const rows = parseSampleRows(sample, quoting, complete, SNIFF_ROWS);
    header = (rows.length > 0 && options.isHeader?.(rows[0]) === true) || sniffHeader(rows);
  }
  return { ...quoting, header };
}

/**
 * `#` comment lines among the rows below the header (`# sensor restarted`): the sample has some, and none of them
 * fits the table the other rows make. A line fits when it has the table's width and either its first cell is one
 * word (`#ff0000`, an Excel error such as `#DIV/0!` in a number column) or its cells have the kinds of the typed
 * columns (`# restart at 3,x` does not fit an integer column). The header must not start with `#` (as `#CHROM`
 * does), and the comment lines must be a minority of the rows.
 */
function sniffComments(sample: string, dialect: CsvQuoting, complete: boolean): string | undefined {
  if (sample.indexOf(HASH) === -1) { return undefined; }
  const rows = parseSampleRows(sample, dialect, complete, COMMENT_SNIFF_ROWS);
  if (rows.length < 3 || rows[0][0].startsWith(HASH)) { return undefined; }
  const body = rows.slice(1);
  const commented = body.filter(r => r[0].startsWith(HASH));
  const data = body.filter(r => !r[0].startsWith(HASH));
  if (commented.length === 0 || commented.length >= data.length) { return undefined; }
  const { width } = modalWidth(data);
  if (width < 2 || rows[0].length !== width) { return undefined; }
  const kinds = Array.from({ length: width }, (_, c) => typedKindOf(data, c));
  const fits = (r: readonly string[]): boolean => r.length === width && (!/\s/.test(r[0]) || kinds.every((want, c) => {
    if (want === undefined) { return true; }
    const got = numberOrKind(kindOf(r[c]));
    return got === 'missing' || got === want;
  }));
  return commented.some(fits) ? undefined : HASH;
}

/**
 * A backslash escape (`\"`) when the sample has one inside a field (a quote after a backslash and before more of
 * the value: `"say \"hi\" twice"`), and reading backslashes as escapes changes the cells and splits the rows at
 * least as consistently.
 * A backslash before a quote that ends a field (`"C:\dir\",`) is no evidence: it may as well end a path.
 */
function sniffEscape(sample: string, delimiter: string, quoteChar: '"' | "'", lineTerminator: LineTerminator, complete: boolean): string | undefined {
  const pair = BACKSLASH + quoteChar;
  let evidence = false;
  for (let i = sample.indexOf(pair); i !== -1; i = sample.indexOf(pair, i + 2)) {
    const next = sample[i + 2];
    if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r' && next !== quoteChar) { evidence = true; break; }
  }
  if (!evidence) { return undefined; }
  const plain = { delimiter, quoteChar, lineTerminator };
  const doubled = parseSampleRows(sample, plain, complete, SNIFF_ROWS);
  const escaped = parseSampleRows(sample, { ...plain, escapeChar: BACKSLASH }, complete, SNIFF_ROWS);
  // the same cells either way (the pair sits in unquoted values, where a quote is a character): no escapes
  if (JSON.stringify(doubled) === JSON.stringify(escaped)) { return undefined; }
  return modalWidth(escaped).consistency >= modalWidth(doubled).consistency ? BACKSLASH : undefined;
}

interface Line {
  text: string;
  /** Index in the sample just past the line's break. */
  end: number;
}

/**
 * Up to `max` complete lines from the start of `sample`, split where the dialect's rows break (a `\n`, or a
 * `\r` in a file of CR line ends); the text leaves out the line end. Quotes are not looked at.
 */
function leadingLines(sample: string, max: number, lineTerminator: LineTerminator): Line[] {
  const nl = lineTerminator === '\r' ? '\r' : '\n';
  const out: Line[] = [];
  let from = 0;
  while (out.length < max) {
    const at = sample.indexOf(nl, from);
    if (at < 0) { break; }
    const cut = lineTerminator === '\r\n' && sample.charCodeAt(at - 1) === 13 && at > from ? at - 1 : at;
    out.push({ text: sample.slice(from, cut), end: at + 1 });
    from = at + 1;
  }
  return out;
}

function isBlankLine(text: string): boolean {
  return text.trim() === '';
}

function isCommentLine(text: string): boolean {
  return text.trimStart().startsWith('#');
}

/**
 * The text from `from` on, cut at the end of its `PREAMBLE_ROWS`-th line or at the first line end past
 * `PREAMBLE_TEXT_CHARS` characters, whichever comes first (complete only when nothing was cut).
 */
function boundedText(sample: string, from: number, complete: boolean, nl: string): { text: string; complete: boolean } {
  let at = from - 1;
  for (let n = 0; n < PREAMBLE_ROWS && at - from < PREAMBLE_TEXT_CHARS; n++) {
    at = sample.indexOf(nl, at + 1);
    if (at < 0) { return { text: sample.slice(from), complete }; }
  }
  return at + 1 >= sample.length ? { text: sample.slice(from), complete } : { text: sample.slice(from, at + 1), complete: false };
}

/** The most common field count of `rows` and the share of rows that have it. */
function modalWidth(rows: readonly string[][]): { width: number; consistency: number } {
  const counts = new Map<number, number>();
  for (const r of rows) { counts.set(r.length, (counts.get(r.length) ?? 0) + 1); }
  let width = 0, best = 0;
  for (const [w, c] of counts) {
    if (c > best || (c === best && w > width)) { width = w; best = c; }
  }
  return { width, consistency: rows.length ? best / rows.length : 0 };
}

/**
 * The preamble of `sample`, when its first line does not fit the table sniffed over the whole sample (a comment,
 * or a field count other than the table's, or no table at all). The table then starts at the first line k ≤
 * `MAX_PREAMBLE_LINES` below which the lines form a table of their own: a consistent field count of two or more
 * that the first of them (its header) has too. Every non-blank line above must not fit that table (a comment, or
 * another field count), and something must say these lines are no part of the data: they are all comments, a
 * blank line ends them, or the header differs in type from the typed columns below it (or holds the schema's
 * field names). So a one-column file whose values hold a comma, or a short first row, stays as it is.
 */
function findPreamble(sample: string, whole: CsvDialect, options: SniffOptions, lineTerminator: LineTerminator, complete: boolean): SniffedCsv | undefined {
  const nl = lineTerminator === '\r' ? '\r' : '\n';
  const lines = leadingLines(sample, MAX_PREAMBLE_LINES, lineTerminator);
  const firstText = lines.find(l => !isBlankLine(l.text));
  if (!firstText) { return undefined; }
  if (!isCommentLine(firstText.text)) {
    const head = boundedText(sample, 0, complete, nl);
    const rows = parseSampleRows(head.text, whole, head.complete, PREAMBLE_ROWS);
    const { width } = modalWidth(rows);
    if (rows.length > 0 && width >= 2 && rows[0].length === width) { return undefined; }
  }
  for (let k = 1; k <= lines.length; k++) {
    const above = lines.slice(0, k);
    const start = above[k - 1].end;
    // a table starting on a blank line starts on the next one (with the blank line above it)
    if (start >= sample.length || (k < lines.length && isBlankLine(lines[k].text))) { continue; }
    const text = above.filter(l => !isBlankLine(l.text));
    if (text.length === 0) { continue; }
    const body = boundedText(sample, start, complete, nl);
    const dialect = sniffTable(body.text, options, lineTerminator, body.complete);
    if (!dialect.header) { continue; }
    const rows = parseSampleRows(body.text, dialect, body.complete, PREAMBLE_ROWS);
    const { width, consistency } = modalWidth(rows);
    if (rows.length < 2 || width < 2 || consistency < PREAMBLE_BODY_CONSISTENCY || rows[0].length !== width) { continue; }
    const fits = text.some(l => !isCommentLine(l.text) && (parseSampleRows(l.text, dialect, true)[0] ?? []).length === width);
    if (fits) { continue; }
    const comments = text.every(l => isCommentLine(l.text));
    const separated = isBlankLine(above[k - 1].text);
    const typed = options.isHeader?.(rows[0]) === true || headerVotes(rows) > 0;
    if (comments || separated || typed) { return { dialect, preamble: { lines: k } }; }
  }
  return undefined;
}
