// One diff panel: a WebviewPanel showing the diff of a request. The diff starts at once (in the worker
// pool); messages wait until the webview says `ready`. Cancel comes from the webview or the progress
// notification; `rerun` starts again, optionally with another key or epsilon.
import * as vscode from 'vscode';
import type { DatasetDiff, DiffProgress } from '../../core/diff/diffTypes';
import { isDatasetError } from '../../core/formats/errors';
import { isVersioningError } from '../../core/versioning/versioningError';
import { isDiffWebviewMessage, type DiffDto, type DiffHostMessage, type DiffRequest } from '../../shared/diffProtocol';
import { diffHtml, diffWebviewOptions } from './diffHtml';

export const DIFF_VIEW_TYPE = 'strata.diff';

export type DiffRunner = (request: DiffRequest, signal: AbortSignal, onProgress: (p: DiffProgress) => void) => Promise<DatasetDiff>;

export interface DiffPanelDeps {
  extensionUri: vscode.Uri;
  runner: DiffRunner;
  log: vscode.LogOutputChannel;
}

export class DiffPanel implements vscode.Disposable {
  private ready = false;
  /** What a (re)loaded webview needs to show the current state: the latest progress while running, else the outcome. */
  private current: DiffHostMessage | undefined;
  private controller: AbortController | undefined;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposedEmitter.event;
  /** The latest finished diff (undefined before the first one, or after an error or cancel). */
  latest: DatasetDiff | undefined;

  /** Opens a new panel beside the active editor and starts the diff. */
  static create(request: DiffRequest, deps: DiffPanelDeps): DiffPanel {
    const panel = vscode.window.createWebviewPanel(DIFF_VIEW_TYPE, titleOf(request), { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, diffWebviewOptions(deps.extensionUri));
    return new DiffPanel(panel, request, deps);
  }

  constructor(readonly panel: vscode.WebviewPanel, private request: DiffRequest, private readonly deps: DiffPanelDeps) {
    panel.webview.options = diffWebviewOptions(deps.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'strata-activity.svg');
    panel.title = titleOf(request);
    panel.webview.html = diffHtml(panel.webview, deps.extensionUri, panel.title);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage(m => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.firstRun = this.start();
  }

  /** Settles with the first run's diff (undefined when it failed or was cancelled). */
  readonly firstRun: Promise<DatasetDiff | undefined>;

  get currentRequest(): DiffRequest { return this.request; }

  private onMessage(m: unknown): void {
    if (!isDiffWebviewMessage(m)) { this.deps.log.warn(`diff panel: ignored a malformed message from the webview`); return; }
    switch (m.type) {
      case 'ready':
        // also after the panel was hidden and shown again (its context is not retained): replay the state
        this.ready = true;
        void this.panel.webview.postMessage({ type: 'init', title: this.panel.title, request: this.request } satisfies DiffHostMessage);
        if (this.current) { void this.panel.webview.postMessage(this.current); }
        break;
      case 'cancel':
        this.controller?.abort();
        break;
      case 'rerun':
        this.request = { ...this.request, ...(m.key ? { key: m.key } : {}), ...(m.epsilon !== undefined ? { epsilon: m.epsilon } : {}) };
        void this.start();
        break;
    }
  }

  private post(m: DiffHostMessage): void {
    if (this.disposed) { return; }
    this.current = m;
    if (this.ready) { void this.panel.webview.postMessage(m); }
  }

  /** Runs the diff (stopping a run still going) and shows the outcome. */
  async start(): Promise<DatasetDiff | undefined> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.latest = undefined;
    const name = this.panel.title;
    this.post({ type: 'progress', fraction: null, label: 'Starting…' });
    try {
      const diff = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Strata: comparing ${name}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          const describe = progressDescriber();
          return this.deps.runner(this.request, controller.signal, p => {
            const { fraction, label } = describe(p);
            this.post({ type: 'progress', fraction, label });
            if (fraction !== null && fraction > reported) { progress.report({ increment: 100 * (fraction - reported), message: label }); reported = fraction; }
          });
        });
      if (controller !== this.controller) { return undefined; } // a newer run took over
      this.latest = diff;
      const dto: DiffDto = diff;
      this.post({ type: 'result', diff: dto });
      return diff;
    } catch (e) {
      if (controller !== this.controller) { return undefined; }
      if (controller.signal.aborted || (isDatasetError(e) && e.code === 'cancelled') || (isVersioningError(e) && e.code === 'cancelled')) {
        this.post({ type: 'cancelled' });
        return undefined;
      }
      const message = isDatasetError(e) || isVersioningError(e) ? e.message : `The diff failed: ${e instanceof Error ? e.message : String(e)}`;
      if (!isDatasetError(e) && !isVersioningError(e)) { this.deps.log.error(`diff ${name}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`); }
      this.post({ type: 'error', message });
      return undefined;
    }
  }

  dispose(): void {
    if (this.disposed) { return; }
    this.disposed = true;
    this.controller?.abort();
    this.panel.dispose();
    for (const s of this.subscriptions.splice(0)) { s.dispose(); }
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
  }
}

export function titleOf(r: DiffRequest): string {
  return `${r.a.label} ↔ ${r.b.label}`;
}

/**
 * Turns progress reports into a fraction of the whole run (planning ~5%, reading both versions ~85%,
 * matching ~10%) and a label; the two versions are read at once, so their shares are combined.
 */
export function progressDescriber(): (p: DiffProgress) => { fraction: number | null; label: string } {
  const read = { a: 0, b: 0 };
  return p => {
    const part = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    switch (p.phase) {
      case 'plan': return { fraction: null, label: 'Reading the schemas and first rows…' };
      case 'scan': {
        read[p.side ?? 'a'] = part;
        const both = (read.a + read.b) / 2;
        return { fraction: 0.05 + 0.85 * both, label: `Reading both versions… ${Math.round(100 * both)}%` };
      }
      case 'join': return { fraction: 0.9 + 0.08 * part, label: 'Matching rows…' };
      case 'drift': return { fraction: 0.98, label: 'Comparing distributions…' };
    }
  };
}
