// One preview panel: answers the webview's typed requests from the session thread and follows the file on disk.
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import {
  COLUMN_BLOCK, isWebviewMessage, MAX_ROWS_PER_REQUEST, PAGE_ROWS,
  type ColumnBatchDto, type FileChangedMessage, type HostMessage, type InitMessage, type WebviewMessage, type RowsRequest, type ViewRequest, type ProfileRequest,
} from '../../shared/protocol';
import { isDatasetError } from '../../core/formats/errors';
import { readingHint, readingLine } from '../../core/formats/csv/readingText';
import type { SessionThread } from '../../node/session/sessionThread';
import type { OpenOutput } from '../../node/session/sessionJobs';
import type { JobProgress } from '../../node/jobs/jobTypes';
import type { DatasetProfile } from '../../core/profile/profileTypes';
import { schemaSourceOf } from '../schema/schemaSource';

/** The exact row count starts once the first rows are answered, or after this long if none are asked for. */
const COUNT_AFTER_MS = 1000;

/** Computes profiles for a file; supplied by the extension when profiling is available. */
export interface PreviewProfiler {
  profile(path: string, options: { full: boolean; signal: AbortSignal; onQuick: (p: DatasetProfile) => void; onProgress: (fraction: number | null, label: string) => void }): Promise<DatasetProfile>;
  exportProfile?(path: string, format: 'markdown' | 'json'): Promise<unknown>;
  /** The file changed: figures kept for it are stale. */
  forget?(path: string): void;
}

export class PreviewController implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly requests = new Map<number, AbortController>();
  private fileVersion = 0;
  private info?: OpenOutput;
  /**
   * The first init, built from the file opened and its first page of rows read with the panel, while the webview
   * loads; posted before the webview asks, and again in answer to its first `ready`.
   */
  private earlyInit?: Promise<InitMessage | undefined>;
  /** File version whose exact row count (a full read of a CSV) waits for the first rows, which it would delay. */
  private countAfterRows?: number;
  private countTimer?: ReturnType<typeof setTimeout>;
  private lifetime = new AbortController();
  private changeTimer?: ReturnType<typeof setTimeout>;
  private disposed = false;

  constructor(private readonly options: {
    uri: vscode.Uri;
    panel: vscode.WebviewPanel;
    session: SessionThread;
    log: vscode.LogOutputChannel;
    profiler?: PreviewProfiler;
  }) {
    const { panel, uri } = options;
    this.disposables.push(
      panel.webview.onDidReceiveMessage(m => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
    const opening = options.session.run('open', { path: this.path }, { signal: this.lifetime.signal });
    const firstRows = opening.then(info => this.readFirstRows(info)).catch(() => undefined);
    // posted as soon as it is ready, without waiting for the webview to ask: the workbench holds messages for a
    // webview until its document has loaded, so the grid can show rows in its first frames
    this.earlyInit = this.buildInit('init', { opening, firstRows });
    void this.earlyInit.then(m => { if (m && m.fileVersion === this.fileVersion) { this.post(m); } });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(uri.fsPath)), basename(uri.fsPath)));
    watcher.onDidChange(() => this.fileChanged());
    watcher.onDidCreate(() => this.fileChanged());
    this.disposables.push(watcher);
    if (this.canRevealRows()) {
      this.disposables.push(vscode.window.onDidChangeTextEditorSelection(e => {
        if (e.textEditor.document.uri.toString() !== uri.toString() || e.kind === vscode.TextEditorSelectionChangeKind.Command) { return; }
        const line = e.selections[0]?.active.line ?? 0;
        if (line >= 1) { this.post({ type: 'highlightRow', row: line - 1 }); }
      }));
    }
  }

  private get path(): string { return this.options.uri.fsPath; }

  private canRevealRows(): boolean {
    return /\.(csv|tsv|tab|psv)$/i.test(this.path);
  }

  /** The panel is the active editor. */
  get active(): boolean { return !this.disposed && this.options.panel.active; }

  post(message: HostMessage): void {
    if (!this.disposed) { void this.options.panel.webview.postMessage(message); }
  }

  private onMessage(raw: unknown): void {
    if (!isWebviewMessage(raw)) {
      this.options.log.warn('Ignored a malformed message from the preview webview');
      return;
    }
    const m: WebviewMessage = raw;
    switch (m.type) {
      case 'ready': {
        const early = this.earlyInit;
        this.earlyInit = undefined;
        void (early ? this.answerFirstReady(early) : this.sendInit('init'));
        break;
      }
      case 'rows': void this.answerRows(m); break;
      case 'view': void this.answerView(m); break;
      case 'profile': void this.answerProfile(m); break;
      case 'cancel': this.requests.get(m.requestId)?.abort(); break;
      case 'copy': void vscode.env.clipboard.writeText(m.text); break;
      case 'revealRow': void this.revealRow(m.row); break;
      case 'exportProfile': void this.exportProfile(m.format); break;
    }
  }

  private async sendInit(type: 'init' | 'fileChanged'): Promise<void> {
    const m = await this.buildInit(type);
    if (m) { this.deliverInit(m); }
  }

  /**
   * The webview's first `ready`: the init already posted unasked is posted again (it is lost when it arrives
   * before the webview's script listens; the webview ignores a repeat of the init it shows).
   */
  private async answerFirstReady(early: Promise<InitMessage | undefined>): Promise<void> {
    const m = await early;
    if (m && m.fileVersion === this.fileVersion) { this.deliverInit(m); } else { await this.sendInit('init'); }
  }

  private deliverInit(m: InitMessage | FileChangedMessage): void {
    this.post(m);
    if (!m.rowCount.exact) {
      this.countAfterRows = m.fileVersion;
      clearTimeout(this.countTimer);
      this.countTimer = setTimeout(() => this.startCount(), COUNT_AFTER_MS); // when no rows are asked for soon
    }
  }

  /**
   * The init message for the current file version, from the file opened (and its first rows read) already when
   * `prefetched` is given; undefined when it is superseded or failed (the error is posted).
   */
  private async buildInit<T extends 'init' | 'fileChanged'>(
    type: T, prefetched?: { opening: Promise<OpenOutput>; firstRows: Promise<ColumnBatchDto | undefined> },
  ): Promise<(T extends 'init' ? InitMessage : FileChangedMessage) | undefined> {
    const version = this.fileVersion;
    const schemaSource = schemaSourceOf(this.options.uri);
    try {
      const info = await (prefetched?.opening ?? this.options.session.run('open', { path: this.path }, { signal: this.lifetime.signal }));
      if (version !== this.fileVersion) { return undefined; }
      this.info = info;
      const init: Omit<InitMessage, 'type'> = {
        title: basename(this.path),
        format: info.format,
        fields: info.fields.map(f => ({ name: f.name, type: f.type, nullable: f.nullable, sourceType: f.sourceType, numberFormat: f.numberFormat, temporalFormat: f.temporalFormat })),
        rowCount: info.rowCount,
        fileVersion: version,
        canRevealRows: this.canRevealRows(),
        warnings: info.warnings.slice(0, 20),
        ...(info.reading ? { reading: { hint: readingHint(info.format, info.reading), line: readingLine(info.reading, info.reading.declared) } } : {}),
      };
      const [schema, rows] = await Promise.all([schemaSource, prefetched?.firstRows]);
      if (version !== this.fileVersion) { return undefined; }
      if (schema) { init.schemaSource = schema; }
      if (rows) { init.firstRows = rows; }
      return { type, ...init } as T extends 'init' ? InitMessage : FileChangedMessage;
    } catch (e) {
      if (!this.lifetime.signal.aborted) { this.post({ type: 'error', message: describe(e, this.path) }); }
      return undefined;
    }
  }

  /** Page 0 of the natural order (the first column block of a wide file), or undefined when there is none. */
  private async readFirstRows(info: OpenOutput): Promise<ColumnBatchDto | undefined> {
    const count = Math.min(PAGE_ROWS, info.rowCount.value);
    if (count <= 0 || info.fields.length === 0) { return undefined; }
    const columns = info.fields.length > COLUMN_BLOCK ? Array.from({ length: COLUMN_BLOCK }, (_, i) => i) : undefined;
    const out = await this.options.session.run('rows', { path: this.path, start: 0, count, ...(columns ? { columns } : {}) }, { signal: this.lifetime.signal });
    return out.batch;
  }

  private startCount(): void {
    const version = this.countAfterRows;
    this.countAfterRows = undefined;
    clearTimeout(this.countTimer);
    if (version !== undefined && version === this.fileVersion && !this.disposed) { void this.exactCount(version); }
  }

  private async exactCount(version: number): Promise<void> {
    try {
      const { rowCount } = await this.options.session.run('exactCount', { path: this.path }, { signal: this.lifetime.signal });
      if (version === this.fileVersion) { this.post({ type: 'rowCount', fileVersion: version, rowCount }); }
    } catch (e) {
      if (!this.lifetime.signal.aborted) { this.options.log.warn(`Row count of ${this.path}: ${describe(e, this.path)}`); }
    }
  }

  /** Runs a request with its own cancel handle; stale or cancelled requests end with `cancelled`. */
  private async track(requestId: number, fileVersion: number, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    if (fileVersion !== this.fileVersion) { this.post({ type: 'cancelled', requestId }); return; }
    const controller = new AbortController();
    const onLifetimeAbort = () => controller.abort();
    this.lifetime.signal.addEventListener('abort', onLifetimeAbort, { once: true });
    this.requests.set(requestId, controller);
    try {
      await work(controller.signal);
    } catch (e) {
      if (controller.signal.aborted || (isDatasetError(e) && e.code === 'cancelled')) { this.post({ type: 'cancelled', requestId }); }
      else { this.post({ type: 'error', requestId, message: describe(e, this.path) }); }
    } finally {
      this.requests.delete(requestId);
      this.lifetime.signal.removeEventListener('abort', onLifetimeAbort);
    }
  }

  private answerRows(m: RowsRequest): Promise<void> {
    return this.track(m.requestId, m.fileVersion, async signal => {
      const out = await this.options.session.run('rows', {
        path: this.path, start: m.start, count: Math.min(m.count, MAX_ROWS_PER_REQUEST), columns: m.columns, view: m.view,
      }, { signal });
      this.post({ type: 'rows', requestId: m.requestId, batch: out.batch, sourceRows: out.sourceRows });
      this.startCount();
    });
  }

  private answerView(m: ViewRequest): Promise<void> {
    return this.track(m.requestId, m.fileVersion, async signal => {
      const total = this.info?.rowCount.value;
      const out = await this.options.session.run('view', { path: this.path, view: m.view }, {
        signal,
        onProgress: throttle((p: JobProgress) => {
          const of = p.total ?? total;
          const fraction = p.phase === 'sorting' ? null : of ? Math.min(1, p.done / of) : null;
          const label = p.phase === 'sorting' ? `Sorting ${p.done.toLocaleString('en-US')} rows` : `Scanning ${p.done.toLocaleString('en-US')}${of ? ` of ${of.toLocaleString('en-US')}` : ''} rows`;
          this.post({ type: 'progress', requestId: m.requestId, fraction, label });
        }),
      });
      this.post({ type: 'viewReady', requestId: m.requestId, rowCount: out.rowCount });
    });
  }

  private answerProfile(m: ProfileRequest): Promise<void> {
    return this.track(m.requestId, m.fileVersion, async signal => {
      const profiler = this.options.profiler;
      if (!profiler) { throw new Error('Profiling is not available in this build.'); }
      const profile = await profiler.profile(this.path, {
        full: m.full,
        signal,
        onQuick: p => this.post({ type: 'profile', requestId: m.requestId, profile: p }),
        onProgress: throttle((fraction: number | null, label: string) => this.post({ type: 'progress', requestId: m.requestId, fraction, label })),
      });
      this.post({ type: 'profile', requestId: m.requestId, profile });
    });
  }

  private async exportProfile(format: 'markdown' | 'json'): Promise<void> {
    try {
      if (!this.options.profiler?.exportProfile) { throw new Error('Profiling is not available in this build.'); }
      await this.options.profiler.exportProfile(this.path, format);
    } catch (e) {
      void vscode.window.showErrorMessage(`Strata: could not export the profile: ${describe(e, this.path)}`);
    }
  }

  /** Reveals the row's line in an open text editor of the same file (header on line 0). */
  private async revealRow(row: number): Promise<void> {
    const editor = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === this.options.uri.toString());
    if (!editor) { return; }
    const line = Math.min(row + 1, editor.document.lineCount - 1);
    const range = editor.document.lineAt(line).range;
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private fileChanged(): void {
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => {
      this.fileVersion++;
      this.options.profiler?.forget?.(this.path);
      for (const c of this.requests.values()) { c.abort(); }
      void this.sendInit('fileChanged');
    }, 300);
  }

  dispose(): void {
    if (this.disposed) { return; }
    this.disposed = true;
    clearTimeout(this.changeTimer);
    clearTimeout(this.countTimer);
    this.lifetime.abort();
    void this.options.session.run('close', { path: this.path }).catch(() => undefined);
    for (const d of this.disposables) { d.dispose(); }
  }
}

/** At most one call per 100 ms, keeping the latest arguments (progress floods would swamp the webview). */
function throttle<A extends unknown[]>(fn: (...args: A) => void, ms = 100): (...args: A) => void {
  let last = 0;
  return (...args: A) => {
    const now = Date.now();
    if (now - last >= ms) { last = now; fn(...args); }
  };
}

function describe(e: unknown, path: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.includes(basename(path)) ? msg : `${basename(path)}: ${msg}`;
}
