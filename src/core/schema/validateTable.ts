// Validation of a table against a Table Schema (or, without one, its structure only): a cancellable stream of issues.
import { commentsMessage, preambleMessage } from '../formats/csv/dialect';
import { cancelledError } from '../formats/errors';
import { acceptsEveryValue, CAST_FAIL, compileFieldCodec, type CellValue, type FieldCodec } from './fieldCodec';
import { compileConstraints, ignoredConstraints, NO_CONSTRAINTS, type ConstraintCheck } from './fieldConstraints';
import { compositeKey, KeyBudget, KeySet, type KeySetState } from './keySet';
import { describePiiFinding, PiiScanner, type PiiOptions, type PiiState } from './pii';
import { quoteCell, type IssueType, type TableIssue, type TextRange, type ValidationSummary } from './tableIssues';
import { missingValuesOf, type ForeignKey, type TableSchema } from './tableSchema';
import { batchEndRow, PRESENT, visitBatch, type RecordRanges, type SourceNotice, type SourceRecord, type TableSource } from './tableSource';

export interface ValidationProgress {
  rowsDone: number;
  bytesDone: number;
  bytesTotal: number;
  issuesFound: number;
}

/** The values of another resource's key fields, as `foreignKeyValue` writes them. */
export interface ForeignKeyTarget {
  has(key: string): boolean;
}

/** What a resolver answers for a foreign key naming a resource the data package does not have: a broken key. */
export const NO_SUCH_RESOURCE = 'no-such-resource';

/**
 * Finds the referenced resource of a foreign key (to another resource): its key values; `NO_SUCH_RESOURCE` when the
 * data package has no resource of that name (reported as a foreign-key problem); null when the resource cannot be
 * read (its data is not in a local file), which leaves the key unchecked.
 */
export type ForeignKeyResolver = (fk: ForeignKey, signal?: AbortSignal) => Promise<ForeignKeyTarget | typeof NO_SUCH_RESOURCE | null>;

export interface ValidateOptions {
  /** Issues handed out at most (default 500); the rest are only counted. */
  maxIssues?: number;
  signal?: AbortSignal;
  onProgress?: (p: ValidationProgress) => void;
  /** Personal-data detection (default on); `false` turns it off. */
  pii?: boolean | PiiOptions;
  foreignKeys?: ForeignKeyResolver;
  /**
   * Memory for all unique, primary-key and foreign-key sets of the run together, in bytes (default 192 MiB).
   * Past it, later duplicates may be missed, and the summary says so (`incomplete`).
   */
  keyMemoryBytes?: number;
  /** Validates one part of a table (the rows of a byte range), to be merged with the other parts' (`PartState`). */
  part?: TablePart;
}

/** One part of a table validated on its own (e.g. half of a file in each of two threads). */
export interface TablePart {
  /** The header's labels (null: the table has none); a part's source yields data rows only. */
  labels: string[] | null;
  /** The first part reports the header's issues; the others check rows only. */
  first: boolean;
}

/** A key or unique set of a part, and what it checks: the column's unique constraint or a table key. */
export interface PartKey {
  kind: 'unique' | 'primary-key' | 'unique-key';
  columns: number[];
  fields: string[];
  /** A one-column key looked up in that column's own unique set: the index of that set in `keys`. */
  shares?: number;
  set: KeySetState | null;
}

/** What the parts of one table must add up after each ran: key sets (duplicates across parts) and personal-data counts. */
export interface PartState {
  keys: PartKey[];
  pii: PiiState | null;
}

export interface ValidationRun extends AsyncIterable<TableIssue> {
  /** Settles when the stream ends: counts per type (past the cap too); rejects if the run failed or was cancelled. */
  readonly summary: Promise<ValidationSummary>;
  /** For a `part` run, after it ended: its key sets and counts (handed over: call once). */
  partState(): PartState | null;
}

/**
 * Validates `source` against `schema` (null: structure, encoding and personal data only). Iterate the result
 * once; issues come in row order, then deferred ones (self-referencing foreign keys), then personal data.
 */
export function validateTable(source: TableSource, schema: TableSchema | null, options: ValidateOptions = {}): ValidationRun {
  let settle!: (s: ValidationSummary) => void;
  let fail!: (e: unknown) => void;
  const summary = new Promise<ValidationSummary>((res, rej) => { settle = res; fail = rej; });
  summary.catch(() => undefined); // a caller that only iterates must not see an unhandled rejection
  let used = false;
  let validator: TableValidator | null = null;
  return {
    summary,
    partState: () => validator?.partState() ?? null,
    [Symbol.asyncIterator](): AsyncIterator<TableIssue> {
      if (used) { throw new Error('a validation run can be iterated once'); }
      used = true;
      const v = new TableValidator(source, schema, options);
      validator = v;
      async function* iterate(): AsyncGenerator<TableIssue> {
        let done = false;
        try {
          yield* v.run();
          done = true;
          settle(v.summary());
        } catch (e) {
          fail(e);
          throw e;
        } finally {
          if (!done) {
            // the consumer stopped early: the summary says what was seen
            const s = v.summary();
            s.incomplete.push('stopped before the end of the table');
            settle(s);
          }
        }
      }
      return iterate();
    },
  };
}

/** Runs a validation to the end and gathers its issues (CLI and tests). */
export async function collectValidation(run: ValidationRun): Promise<{ issues: TableIssue[]; summary: ValidationSummary }> {
  const issues: TableIssue[] = [];
  for await (const issue of run) { issues.push(issue); }
  return { issues, summary: await run.summary };
}

/** The key a foreign-key target must hold for the values of one row (codec keys joined). */
export function foreignKeyValue(parts: readonly string[]): string {
  return compositeKey(parts);
}

/** Gathers the values of `fields` in a table, for the resolver of foreign keys pointing at it. */
export async function collectReferenceKeys(
  source: TableSource, schema: TableSchema | null, fields: readonly string[], signal?: AbortSignal,
): Promise<ForeignKeyTarget> {
  const set = new KeySet();
  let positions: number[] | null = null as number[] | null;
  let codecs: (FieldCodec | null)[] = [];
  for await (const batch of source.batches(signal)) {
    if (signal?.aborted) { throw cancelledError(); }
    visitBatch(batch, (row, cells) => {
      if (positions === null) {
        const names = row === -1 ? cells.map(c => c ?? '') : (schema?.fields.map(f => f.name) ?? []);
        positions = fields.map(f => names.indexOf(f));
        codecs = positions.map(p => {
          const field = schema?.fields.find(f => f.name === names[p]);
          return field && schema ? compileFieldCodec(field, missingValuesOf(field, schema)) : null;
        });
        if (row === -1) { return; }
      }
      const parts: string[] = [];
      for (let k = 0; k < positions.length; k++) {
        const text = positions[k] >= 0 ? cells[positions[k]] : null;
        const codec = codecs[k];
        if (text === null || text === undefined || (codec ? codec.isMissing(text) : text === '')) { return; }
        const v = codec ? codec.cast(text) : text;
        if (v === CAST_FAIL) { return; }
        parts.push(codec ? codec.key(v) : text);
      }
      set.addString(foreignKeyValue(parts), Math.max(row, 0));
    });
  }
  return { has: key => set.hasString(key) };
}

interface ColumnPlan {
  /** Index of the schema field, -1 when the column has none. */
  field: number;
  name: string;
  codec: FieldCodec | null;
  check: ConstraintCheck;
  required: boolean;
  unique: KeySet | null;
  /** The cast value is needed beyond the cell (a key uses it). */
  keep: boolean;
  /** Nothing needs the value: a yes/no type test is enough. */
  testOnly: boolean;
  /** The source's values here are typed, and every one passes the type test (see acceptsEveryValue). */
  typed: boolean;
}

interface KeyCheck {
  kind: 'primary-key' | 'unique-key' | 'foreign-key' | 'self-reference';
  fields: string[];
  columns: number[];
  set: KeySet | null;
  target: ForeignKeyTarget | null;
  fk?: ForeignKey;
  /** Self-references: the referenced columns of this same table. */
  refColumns?: number[];
  /** A one-column key over a column with its own unique constraint: that lookup serves both. */
  shared?: boolean;
}

interface DeferredReference {
  key: string;
  row: number;
  columns: number[];
  cells: string[];
  range?: TextRange;
}

/** Where an issue sits, resolved against the record's positions now or, for on-demand sources, before the issue is handed out. */
type RangeWant =
  | { row: number; kind: 'cell'; col: number }
  | { row: number; kind: 'cells'; cols: number[] }
  | { row: number; kind: 'end' }
  | { row: number; kind: 'span' };

interface Pending {
  issue: TableIssue;
  want?: RangeWant;
}

const CELL_OK = 1, CELL_MISSING = 0, CELL_BAD = 2;
const MAX_DEFERRED = 100_000;

class TableValidator {
  private readonly maxIssues: number;
  private readonly counts: Partial<Record<IssueType, number>> = {};
  private total = 0;
  private reported = 0;
  private rows = 0;
  private readonly incomplete: string[] = [];
  private pending: Pending[] = [];
  private plan: ColumnPlan[] = [];
  private width = 0;
  private labels: string[] = [];
  private headerRanges: RecordRanges | null = null;
  private keyChecks: KeyCheck[] = [];
  private deferred: { check: KeyCheck; refs: DeferredReference[]; dropped: number }[] = [];
  private pii: PiiScanner | null = null;
  private state = new Uint8Array(0);
  private values: (CellValue | null)[] = [];
  /** Per column: the row the last value was first seen in (-1: new), from the column's unique set. */
  private uniqueHit = new Float64Array(0);
  private planned = false;
  /** Set while a later part plans: the header's issues are the first part's to report. */
  private quiet = false;
  /** Rows the source could not read (a format-error notice): reported in their place among the rows, not checked. */
  private readonly unread = new Map<number, SourceNotice>();

  private readonly keyBudget: KeyBudget;

  constructor(private readonly source: TableSource, private readonly schema: TableSchema | null, private readonly options: ValidateOptions) {
    this.maxIssues = options.maxIssues ?? 500;
    this.keyBudget = new KeyBudget(options.keyMemoryBytes ?? 192 * 1024 * 1024);
  }

  summary(): ValidationSummary {
    const above = this.source.linesAbove ?? 0;
    // a later part's source starts below the header: the first part says what was skipped above it
    const first = this.options.part?.first !== false;
    const notes = above > 0 && first ? [preambleMessage(above, this.source.hasHeader)] : [];
    if (this.source.commentChar !== undefined && first) { notes.push(commentsMessage(this.source.commentChar)); }
    return {
      counts: { ...this.counts },
      total: this.total,
      reported: this.reported,
      truncated: this.total > this.reported,
      rowsChecked: this.rows,
      schemaSuggested: this.schema === null,
      incomplete: [...this.incomplete],
      ...(notes.length ? { notes } : {}),
    };
  }

  /** The Frictionless row number of a data row: 1-based, counting the header and the lines skipped above it. */
  private rowNumber(row: number): number {
    return row + (this.source.hasHeader ? 2 : 1) + (this.source.linesAbove ?? 0);
  }

  /** The Frictionless row number of the header. */
  private headerRowNumber(): number {
    return 1 + (this.source.linesAbove ?? 0);
  }

  /**
   * Counts an issue and keeps it for the stream while under the cap; `make` runs only then. `want` says where
   * the issue sits; `ranges` are the record's positions when the source gave them with the record.
   */
  private emit(
    type: IssueType, make: () => Omit<TableIssue, 'type' | 'severity'>, severity: TableIssue['severity'] = 'error',
    want?: RangeWant, ranges?: RecordRanges | null,
  ): void {
    if (this.quiet) { return; }
    this.counts[type] = (this.counts[type] ?? 0) + 1;
    this.total++;
    if (this.reported >= this.maxIssues) { return; }
    this.reported++;
    const issue: TableIssue = { type, severity, ...make() };
    if (!issue.range && want) {
      const known = ranges ?? (want.row === -1 ? this.headerRanges : null);
      if (known) {
        const range = rangeFor(want, known);
        if (range) { issue.range = range; }
      } else if (this.source.rangesOf) {
        this.pending.push({ issue, want });
        return;
      }
    }
    this.pending.push({ issue });
  }

  private cellIssue(
    type: IssueType, row: number, col: number, cell: string | null, message: string, ranges: RecordRanges | null, note?: string, fieldName?: string,
  ): void {
    this.emit(type, () => {
      const issue: Omit<TableIssue, 'type' | 'severity'> = {
        message, row: row >= 0 ? row : null, rowNumber: row >= 0 ? this.rowNumber(row) : this.headerRowNumber(), fieldName: fieldName ?? this.plan[col]?.name ?? this.labels[col] ?? null,
        fieldNumber: col + 1, cell,
      };
      if (note !== undefined) { issue.note = note; }
      return issue;
    }, 'error', { row, kind: 'cell', col }, ranges);
  }

  async *run(): AsyncGenerator<TableIssue> {
    const { signal, onProgress } = this.options;
    if (signal?.aborted) { throw cancelledError(); }
    let bytesDone = 0;
    for await (const batch of this.source.batches(signal, { needsText: col => this.needsText(col) })) {
      if (signal?.aborted) { throw cancelledError(); }
      for (const n of batch.notices ?? []) { this.notice(n); }
      if (!this.planned && this.options.part) {
        const part = this.options.part;
        this.quiet = !part.first;
        await this.makePlan(part.labels ? { cells: part.labels, record: null } : null, part.labels ?? null);
        this.quiet = false;
      }
      if (!this.planned) {
        let first: { row: number; cells: readonly (string | null)[]; record: SourceRecord | null } | null = null;
        visitBatch(batch, (row, cells, record) => { first = { row, cells, record }; return false; });
        if (first !== null) {
          const f = first as { row: number; cells: readonly (string | null)[]; record: SourceRecord | null };
          await this.makePlan(f.row === -1 ? f : null, f.cells);
        }
      }
      if (this.planned) {
        visitBatch(batch, (row, cells, record) => {
          if (row === -1 || (this.unread.size > 0 && this.reportUnread(row))) { return; }
          const ranges: RecordRanges | null = record?.ranges ? { cells: record.ranges, ...(record.span ? { span: record.span } : {}) } : null;
          this.checkRow(row, cells, ranges);
        });
      }
      const end = batchEndRow(batch);
      if (end !== undefined) { this.rows = Math.max(this.rows, end); }
      if (batch.bytesDone !== undefined) { bytesDone = batch.bytesDone; }
      onProgress?.({ rowsDone: this.rows, bytesDone, bytesTotal: this.source.bytesTotal, issuesFound: this.total });
      if (this.pending.length) { yield* await this.flush(); }
    }
    // a source may simply stop when the signal aborts: that is a cancellation, not the end of the table
    if (signal?.aborted) { throw cancelledError(); }
    if (!this.planned) { await this.makePlan(null, null); }
    for (const n of this.unread.values()) { this.emitNotice(n); }
    this.unread.clear();
    this.finishDeferred();
    if (!this.options.part) { this.finishPii(); }
    yield* await this.flush();
  }

  /**
   * Whether checking column `col` reads its cells' text: before the plan, with a type to test (unless every typed
   * value passes it) or a value to use, or while the personal-data scan still looks at it. Otherwise only whether a
   * cell holds a value matters.
   */
  private needsText(col: number): boolean {
    if (!this.planned) { return true; }
    const p = this.plan[col];
    return !p || (p.codec !== null && !(p.testOnly && p.typed)) || (this.pii?.wants(col) ?? false);
  }

  /** The part's key sets and personal-data counts (handed over, not copied). */
  partState(): PartState {
    const keys: PartKey[] = [];
    const ofColumn = new Map<number, number>();
    this.plan.forEach((p, col) => {
      if (!p.unique) { return; }
      ofColumn.set(col, keys.length);
      keys.push({ kind: 'unique', columns: [col], fields: [p.name], set: p.unique.exportState() });
    });
    for (const c of this.keyChecks) {
      if (c.kind !== 'primary-key' && c.kind !== 'unique-key') { continue; }
      const key: PartKey = { kind: c.kind, columns: c.columns, fields: c.fields, set: c.set ? c.set.exportState() : null };
      if (c.shared) { key.shares = ofColumn.get(c.columns[0]); }
      keys.push(key);
    }
    return { keys, pii: this.pii ? this.pii.state() : null };
  }

  /** A reader's notice: reported now, or, for a row the reader could not read, when that row's turn comes. */
  private notice(n: SourceNotice): void {
    if (n.type === 'format-error' && n.row !== undefined && n.row >= 0) {
      this.unread.set(n.row, n);
      return;
    }
    this.emitNotice(n);
  }

  /** Reports row `row` when the source could not read it; false when it could (and is to be checked). */
  private reportUnread(row: number): boolean {
    const n = this.unread.get(row);
    if (!n) { return false; }
    this.unread.delete(row);
    this.emitNotice(n);
    return true;
  }

  private emitNotice(n: SourceNotice): void {
    const want: RangeWant | undefined = n.row !== undefined ? (n.cell !== undefined ? { row: n.row, kind: 'cell', col: n.cell } : { row: n.row, kind: 'span' }) : undefined;
    this.emit(n.type, () => ({
      message: n.message, row: n.row === undefined || n.row < 0 ? null : n.row, rowNumber: n.row === undefined ? null : this.rowNumber(n.row),
      fieldName: n.cell !== undefined ? this.labels[n.cell] ?? null : null, fieldNumber: n.cell !== undefined ? n.cell + 1 : null, cell: null,
      ...(n.range ? { range: n.range } : {}),
    }), 'error', want);
  }

  /** Hands out the pending issues, first placing those whose positions the source reads on demand. */
  private async flush(): Promise<TableIssue[]> {
    const out = this.pending;
    this.pending = [];
    const wanted = out.filter(p => p.want);
    if (wanted.length && this.source.rangesOf) {
      const rows = [...new Set(wanted.map(p => (p.want as RangeWant).row))].sort((a, b) => a - b);
      const found = await this.source.rangesOf(rows, this.options.signal);
      if (found.has(-1) && !this.headerRanges) { this.headerRanges = found.get(-1) ?? null; }
      for (const p of wanted) {
        const w = p.want as RangeWant;
        const rr = found.get(w.row);
        const range = rr ? rangeFor(w, rr) : undefined;
        if (range) { p.issue.range = range; }
      }
    }
    return out.map(p => p.issue);
  }

  // ---- header and plan ---------------------------------------------------------------------------------------

  private async makePlan(header: { cells: readonly (string | null)[]; record: SourceRecord | null } | null, first: readonly (string | null)[] | null): Promise<void> {
    this.planned = true;
    const schema = this.schema;
    if (header) {
      this.labels = header.cells.map(c => c ?? '');
      const rec = header.record;
      this.headerRanges = rec?.ranges ? { cells: rec.ranges, ...(rec.span ? { span: rec.span } : {}) } : null;
      this.checkLabels();
    } else if (schema) {
      this.labels = schema.fields.map(f => f.name);
    } else {
      this.labels = (first ?? []).map((_, i) => `field${i + 1}`);
    }
    this.width = this.labels.length;
    const fieldOfColumn = schema ? this.matchFields(header !== null) : this.labels.map(() => -1);
    const keyBudget = this.keyBudget;
    this.plan = this.labels.map((label, col) => {
      const fi = fieldOfColumn[col];
      const field = schema && fi >= 0 ? schema.fields[fi] : null;
      if (!schema || !field) {
        return { field: -1, name: field?.name ?? label, codec: null, check: () => null, required: false, unique: null, keep: false, testOnly: false, typed: false };
      }
      const codec = compileFieldCodec(field, missingValuesOf(field, schema));
      const valueType = this.source.valueTypes?.[col];
      return {
        field: fi, name: field.name, codec,
        check: compileConstraints(codec, this.source.name, `/fields/${fi}`),
        required: field.constraints.required === true || schema.primaryKey.includes(field.name),
        unique: field.constraints.unique ? new KeySet(keyBudget) : null,
        keep: false,
        testOnly: false,
        typed: valueType !== undefined && acceptsEveryValue(codec, valueType),
      };
    });
    this.state = new Uint8Array(this.plan.length);
    this.values = new Array<CellValue | null>(this.plan.length).fill(null);
    this.uniqueHit = new Float64Array(this.plan.length).fill(-1);
    if (schema) {
      for (const ignored of ignoredConstraints(schema)) { this.incomplete.push(ignored.message); }
      await this.planKeys(schema);
    }
    for (const p of this.plan) { p.testOnly = p.codec !== null && !p.keep && !p.unique && p.check === NO_CONSTRAINTS; }
    if (this.options.pii !== false) {
      const skip = this.plan.map(p => p.field >= 0 && schema?.fields[p.field]['strata:pii'] === 'allowed');
      this.pii = new PiiScanner(this.plan.length, typeof this.options.pii === 'object' ? this.options.pii : {}, skip);
    }
  }

  private columnOf(name: string): number {
    return this.plan.findIndex(p => p.field >= 0 && p.name === name);
  }

  private async planKeys(schema: TableSchema): Promise<void> {
    const budget = this.keyBudget;
    const columnsOf = (names: string[]): number[] | null => {
      const cols = names.map(n => this.columnOf(n));
      return cols.every(c => c >= 0) ? cols : null;
    };
    const add = (check: Omit<KeyCheck, 'columns'>, names: string[]): void => {
      const columns = columnsOf(names);
      if (!columns) {
        this.incomplete.push(`${check.kind} (${names.join(', ')}) not checked: the table lacks one of its columns`);
        return;
      }
      for (const c of columns) { this.plan[c].keep = true; }
      this.keyChecks.push({ ...check, columns });
    };
    const sharedWithColumn = (names: string[]): boolean => names.length === 1 && this.plan[this.columnOf(names[0])]?.unique != null;
    if (schema.primaryKey.length) {
      const shared = sharedWithColumn(schema.primaryKey);
      add({ kind: 'primary-key', fields: schema.primaryKey, set: shared ? null : new KeySet(budget), target: null, shared }, schema.primaryKey);
    }
    for (const uk of schema.uniqueKeys) {
      const shared = sharedWithColumn(uk);
      add({ kind: 'unique-key', fields: uk, set: shared ? null : new KeySet(budget), target: null, shared }, uk);
    }
    for (const fk of schema.foreignKeys) {
      if (fk.reference.resource === null) {
        const refCols = columnsOf(fk.reference.fields);
        if (!refCols) {
          this.incomplete.push(`foreign key (${fk.fields.join(', ')}) not checked: the table lacks a referenced column`);
          continue;
        }
        for (const c of refCols) { this.plan[c].keep = true; }
        // the referenced values are gathered as rows pass; references not yet seen wait for the end
        add({ kind: 'self-reference', fields: fk.fields, set: new KeySet(budget), target: null, fk, refColumns: refCols }, fk.fields);
        const check = this.keyChecks[this.keyChecks.length - 1];
        if (check?.fk === fk) { this.deferred.push({ check, refs: [], dropped: 0 }); }
        continue;
      }
      const target = this.options.foreignKeys ? await this.options.foreignKeys(fk, this.options.signal) : null;
      if (target === NO_SUCH_RESOURCE) {
        this.brokenForeignKey(fk, columnsOf(fk.fields));
        continue;
      }
      if (!target) {
        this.incomplete.push(`foreign key (${fk.fields.join(', ')}) → ${fk.reference.resource} not checked: resource "${fk.reference.resource}" was not found`);
        continue;
      }
      add({ kind: 'foreign-key', fields: fk.fields, set: null, target, fk }, fk.fields);
    }
  }

  /** A foreign key naming a resource the data package lacks: one problem, placed on the key's labels when the table has them. */
  private brokenForeignKey(fk: ForeignKey, columns: number[] | null): void {
    const resource = fk.reference.resource as string;
    this.emit('foreign-key', () => ({
      message: `foreign key (${fk.fields.join(', ')}) refers to the resource ${quoteCell(resource)}, which the data package does not have`,
      row: null, rowNumber: null, fieldName: fk.fields[0], fieldNumber: columns ? columns[0] + 1 : null, cell: null,
      note: `resource "${resource}" does not exist`,
    }), 'error', columns && this.source.hasHeader ? { row: -1, kind: 'cells', cols: columns } : undefined);
  }

  private checkLabels(): void {
    const seen = new Map<string, number>();
    this.labels.forEach((label, i) => {
      if (label.trim() === '') {
        this.cellIssue('blank-label', -1, i, label, `column ${i + 1} has a blank label`, null);
        return;
      }
      const first = seen.get(label);
      if (first !== undefined) {
        this.cellIssue('duplicate-label', -1, i, label, `label ${quoteCell(label)} repeats the label of column ${first + 1}`, null);
      } else {
        seen.set(label, i);
      }
    });
  }

  /** Maps header columns to schema fields by `fieldsMatch`, reporting label issues; returns the field index per column. */
  private matchFields(hasHeader: boolean): number[] {
    const schema = this.schema as TableSchema;
    const fields = schema.fields;
    const labels = this.labels;
    const out = labels.map(() => -1);
    const missingLabel = (fi: number): void => {
      this.emit('missing-label', () => ({
        message: `the schema field ${quoteCell(fields[fi].name)} has no column in the header`,
        row: null, rowNumber: this.headerRowNumber(), fieldName: fields[fi].name, fieldNumber: fi + 1, cell: null,
      }), 'error', { row: -1, kind: 'end' });
    };
    const extraLabel = (col: number): void => {
      this.cellIssue('extra-label', -1, col, labels[col], `column ${quoteCell(labels[col])} is not in the schema`, null);
    };
    if (!hasHeader) { return fields.map((_, i) => i); }
    if (schema.fieldsMatch === 'exact') {
      const n = Math.max(labels.length, fields.length);
      for (let i = 0; i < n; i++) {
        if (i < labels.length && i < fields.length) {
          out[i] = i;
          // a blank label is reported as blank-label (as Frictionless does), not as a mismatch too
          if (labels[i] !== fields[i].name && labels[i].trim() !== '') {
            this.cellIssue('incorrect-label', -1, i, labels[i],
              `label ${quoteCell(labels[i])} does not match the schema field ${quoteCell(fields[i].name)}`, null,
              `field name is "${fields[i].name}"`, fields[i].name);
          }
        } else if (i >= fields.length) {
          extraLabel(i);
        } else {
          missingLabel(i);
        }
      }
      return out;
    }
    const byName = new Map<string, number>();
    fields.forEach((f, i) => { if (!byName.has(f.name)) { byName.set(f.name, i); } });
    const matched = new Set<number>();
    labels.forEach((label, col) => {
      const fi = byName.get(label);
      if (fi !== undefined && !matched.has(fi)) { out[col] = fi; matched.add(fi); }
    });
    const mode = schema.fieldsMatch;
    if (mode === 'equal' || mode === 'superset') {
      out.forEach((fi, col) => { if (fi < 0) { extraLabel(col); } });
    }
    if (mode === 'equal' || mode === 'subset') {
      fields.forEach((_, fi) => { if (!matched.has(fi)) { missingLabel(fi); } });
    }
    if (mode === 'partial' && matched.size === 0 && fields.length > 0) {
      this.emit('incorrect-label', () => ({
        message: 'no column label matches a schema field (the schema asks for at least one: fieldsMatch "partial")',
        row: null, rowNumber: this.headerRowNumber(), fieldName: null, fieldNumber: null, cell: null,
      }), 'error', { row: -1, kind: 'span' });
    }
    return out;
  }

  // ---- rows ----------------------------------------------------------------------------------------------------

  private checkRow(row: number, cells: readonly (string | null)[], ranges: RecordRanges | null): void {
    const plan = this.plan;
    const n = cells.length;
    // blank row: every cell empty or a missing value
    let blank = true;
    for (let i = 0; i < n; i++) {
      const t = cells[i];
      if (t === null || t === '') { continue; }
      const codec = plan[i]?.codec;
      if (codec && codec.isMissing(t)) { continue; }
      blank = false;
      break;
    }
    if (blank) {
      this.emit('blank-row', () => ({
        message: 'row is blank', row, rowNumber: this.rowNumber(row), fieldName: null, fieldNumber: null, cell: null,
      }), 'error', { row, kind: 'span' }, ranges);
      return;
    }
    const width = this.width;
    const state = this.state;
    const values = this.values;
    const pii = this.pii;
    const m = n < width ? n : width;
    for (let i = 0; i < m; i++) {
      const p = plan[i];
      const text = cells[i];
      const codec = p.codec;
      if (text === null || (codec ? codec.isMissing(text) : text === '')) {
        state[i] = CELL_MISSING;
        if (p.required) {
          this.cellIssue('constraint-error', row, i, text, `field ${quoteCell(p.name)} requires a value`, ranges, REQUIRED_NOTE);
        }
        continue;
      }
      if (pii !== null && pii.wants(i)) { pii.add(i, text, row); }
      if (codec === null) { state[i] = CELL_OK; continue; }
      if (p.testOnly) {
        // no constraint, key or uniqueness needs the value: a yes/no test allocates nothing (none at all for a typed
        // value in its plain form, which passes, and comes as PRESENT when its text was not asked for)
        if ((p.typed && text === PRESENT) || codec.test(text)) { state[i] = CELL_OK; continue; }
        state[i] = CELL_BAD;
        this.cellIssue('type-error', row, i, text, `${quoteCell(text)} is not ${typeWords(codec)}`, ranges, `type is "${codec.typeLabel}"`);
        continue;
      }
      const v = codec.cast(text);
      if (v === CAST_FAIL) {
        state[i] = CELL_BAD;
        this.cellIssue('type-error', row, i, text, `${quoteCell(text)} is not ${typeWords(codec)}`, ranges, `type is "${codec.typeLabel}"`);
        continue;
      }
      state[i] = CELL_OK;
      if (p.keep) { values[i] = v; }
      const failure = p.check(v, text);
      if (failure) {
        this.cellIssue('constraint-error', row, i, text, `${quoteCell(text)} ${failure.message}`, ranges,
          `constraint "${failure.constraint}" is "${failure.expected}"`);
      }
      if (p.unique) {
        const first = typeof v === 'number' ? p.unique.addNumber(v, row) : p.unique.addString(codec.key(v), row);
        this.uniqueHit[i] = first;
        if (first >= 0) {
          this.cellIssue('unique-error', row, i, text, uniqueErrorMessage(text, this.rowNumber(first), p.name), ranges, UNIQUE_NOTE);
        }
      }
    }
    if (n < width) {
      for (let i = n; i < width; i++) {
        state[i] = CELL_MISSING;
        const name = plan[i].name;
        this.emit('missing-cell', () => ({
          message: `row has ${n} of ${width} cells: ${quoteCell(name)} is missing`,
          row, rowNumber: this.rowNumber(row), fieldName: name, fieldNumber: i + 1, cell: null,
        }), 'error', { row, kind: 'end' }, ranges);
      }
    } else if (n > width) {
      for (let i = width; i < n; i++) {
        const text = cells[i];
        this.emit('extra-cell', () => ({
          message: `extra cell ${quoteCell(text ?? '')} beyond the ${width} columns of the header`,
          row, rowNumber: this.rowNumber(row), fieldName: null, fieldNumber: i + 1, cell: text,
        }), 'error', { row, kind: 'cell', col: i }, ranges);
      }
    }
    if (this.keyChecks.length) { this.checkKeys(row, cells, ranges); }
  }

  private keyParts(columns: number[]): string[] | null {
    const parts: string[] = [];
    for (const c of columns) {
      if (this.state[c] !== CELL_OK) { return null; }
      const codec = this.plan[c].codec as FieldCodec;
      parts.push(codec.key(this.values[c] as CellValue));
    }
    return parts;
  }

  /** The key of a row over `cols` (codec keys joined), or null when a part is missing or badly typed. */
  private keyOf(cols: number[]): string | null {
    if (cols.length === 1) {
      const c = cols[0];
      return this.state[c] === CELL_OK ? (this.plan[c].codec as FieldCodec).key(this.values[c] as CellValue) : null;
    }
    const parts: string[] = [];
    for (const c of cols) {
      if (this.state[c] !== CELL_OK) { return null; }
      parts.push((this.plan[c].codec as FieldCodec).key(this.values[c] as CellValue));
    }
    return foreignKeyValue(parts);
  }

  private checkKeys(row: number, cells: readonly (string | null)[], ranges: RecordRanges | null): void {
    const shown = (cols: number[]): string => cols.map(c => cells[c] ?? '').join(', ');
    for (const check of this.keyChecks) {
      const cols = check.columns;
      if (check.kind === 'self-reference') {
        const refKey = this.keyOf(check.refColumns as number[]);
        if (refKey !== null) { (check.set as KeySet).addString(refKey, row); }
      }
      if (check.kind === 'primary-key' || check.kind === 'unique-key') {
        let first: number;
        if (cols.length === 1 && check.shared) {
          // the column's own unique constraint already looked the value up
          if (this.state[cols[0]] !== CELL_OK) { continue; }
          first = this.uniqueHit[cols[0]];
        } else if (cols.length === 1 && typeof this.values[cols[0]] === 'number' && this.state[cols[0]] === CELL_OK) {
          first = (check.set as KeySet).addNumber(this.values[cols[0]] as number, row);
        } else {
          const key = this.keyOf(cols);
          if (key === null) { continue; } // a null (or badly typed) part: SQL keys skip such rows; the cell issue is already out
          first = (check.set as KeySet).addString(key, row);
        }
        if (first < 0) { continue; }
        const type = check.kind === 'primary-key' ? 'primary-key' : 'unique-error';
        this.emit(type, () => ({
          message: keyRepeatMessage(check.kind as 'primary-key' | 'unique-key', check.fields, shown(cols), this.rowNumber(first)),
          row, rowNumber: this.rowNumber(row), fieldName: this.plan[cols[0]].name, fieldNumber: cols[0] + 1, cell: shown(cols),
          note: keyRepeatNote(this.rowNumber(first)),
        }), 'error', { row, kind: 'cells', cols }, ranges);
        continue;
      }
      const key = this.keyOf(cols);
      if (key === null) { continue; }
      if (check.kind === 'foreign-key') {
        if ((check.target as ForeignKeyTarget).has(key)) { continue; }
        this.foreignKeyIssue(check, row, cols, shown(cols).split(', '), ranges);
      } else {
        if ((check.set as KeySet).hasString(key)) { continue; }
        const slot = this.deferred.find(d => d.check === check);
        if (!slot) { continue; }
        const range = ranges ? rangeFor({ row, kind: 'cells', cols }, ranges) : undefined;
        if (slot.refs.length < MAX_DEFERRED) { slot.refs.push({ key, row, columns: cols, cells: cols.map(c => cells[c] ?? ''), range }); } else { slot.dropped++; }
      }
    }
  }

  private foreignKeyIssue(check: KeyCheck, row: number, cols: number[], shown: string[], ranges: RecordRanges | null, range?: TextRange): void {
    const fk = check.fk as ForeignKey;
    const where = `${fk.reference.resource ?? 'this table'} (${fk.reference.fields.join(', ')})`;
    this.emit('foreign-key', () => ({
      message: `${quoteCell(shown.join(', '))} in (${check.fields.join(', ')}) has no match in ${where}`,
      row, rowNumber: this.rowNumber(row), fieldName: this.plan[cols[0]].name, fieldNumber: cols[0] + 1, cell: shown.join(', '),
      note: `for "${fk.fields.join(', ')}": values "${shown.join(', ')}" not found in the lookup table`,
      ...(range ? { range } : {}),
    }), 'error', { row, kind: 'cells', cols }, ranges);
  }

  private finishDeferred(): void {
    for (const d of this.deferred) {
      for (const ref of d.refs) {
        if (!(d.check.set as KeySet).hasString(ref.key)) { this.foreignKeyIssue(d.check, ref.row, ref.columns, ref.cells, null, ref.range); }
      }
      if (d.dropped) {
        this.incomplete.push(`foreign key (${d.check.fields.join(', ')}): ${d.dropped} forward references past the first ${MAX_DEFERRED} were not checked`);
      }
    }
    for (const c of [...this.keyChecks, ...this.plan.map(p => ({ set: p.unique, fields: [p.name], kind: 'unique' }))]) {
      if (c.set?.full) { this.incomplete.push(`${c.kind} (${c.fields.join(', ')}): memory budget reached, later duplicates may be missed`); }
    }
  }

  private finishPii(): void {
    if (!this.pii) { return; }
    for (const f of this.pii.findings()) {
      const col = f.column;
      // placed on the column's label (the finding is about the column); on the example cell without a header
      const want: RangeWant = this.source.hasHeader ? { row: -1, kind: 'cell', col } : { row: f.exampleRow, kind: 'cell', col };
      this.emit('personal-data', () => ({
        message: `column ${quoteCell(this.plan[col].name)} may hold personal data: ${describePiiFinding(f, r => this.rowNumber(r))}`,
        row: f.exampleRow, rowNumber: this.rowNumber(f.exampleRow), fieldName: this.plan[col].name, fieldNumber: col + 1, cell: null,
        note: `${f.kind}: ${f.matches} of ${f.checked}`,
      }), 'warning', want);
    }
  }
}

export const UNIQUE_NOTE = 'constraint "unique" is "True"';
/** The note of a missing value in a required field (a primary-key field is required too). */
export const REQUIRED_NOTE = 'constraint "required" is "True"';

/** The message of a unique-error: `text` repeats the value of an earlier row (its 1-based row number). */
export function uniqueErrorMessage(text: string, firstRowNumber: number, fieldName: string): string {
  return `${quoteCell(text)} repeats the value of row ${firstRowNumber} in field ${quoteCell(fieldName)}`;
}

/** The message of a repeated primary or unique key; `shown` is the key's cells joined by ", ". */
export function keyRepeatMessage(kind: 'primary-key' | 'unique-key', fields: readonly string[], shown: string, firstRowNumber: number): string {
  return `${kind === 'primary-key' ? 'primary key' : 'unique key'} (${fields.join(', ')}) value ${quoteCell(shown)} repeats row ${firstRowNumber}`;
}

export function keyRepeatNote(firstRowNumber: number): string {
  return `the same as in the row at position ${firstRowNumber}`;
}

function typeWords(codec: FieldCodec): string {
  const { type, format } = codec.field;
  const article = /^[aeiou]/.test(type) ? 'an' : 'a';
  if (format === 'default') { return `${article} ${type}`; }
  if (type === 'string') { return `a valid ${format}`; }
  return `${article} ${type} in the format ${format}`;
}

/** The range a want names within a record's positions. */
function rangeFor(want: RangeWant, r: RecordRanges): TextRange | undefined {
  const cells = r.cells;
  switch (want.kind) {
    case 'cell': return cells[want.col];
    case 'cells': {
      const a = cells[Math.min(...want.cols)], b = cells[Math.max(...want.cols)];
      return a && b ? { line: a.line, char: a.char, endLine: b.endLine, endChar: b.endChar } : undefined;
    }
    case 'end': {
      // zero-width, just after the last cell: where the missing cells would have been
      const last = cells.length ? cells[cells.length - 1] : r.span;
      return last ? { line: last.endLine, char: last.endChar, endLine: last.endLine, endChar: last.endChar } : undefined;
    }
    case 'span': {
      if (r.span) { return r.span; }
      if (!cells.length) { return undefined; }
      const a = cells[0], b = cells[cells.length - 1];
      return { line: a.line, char: a.char, endLine: b.endLine, endChar: b.endChar };
    }
  }
}
