// The "Strata Data Preview" custom editor: a read-only document per file, one controller per panel.
import * as vscode from 'vscode';
import type { SessionThread } from '../../node/session/sessionThread';
import { PreviewController, type PreviewProfiler } from './previewController';
import type { ContextAction } from '../../shared/protocol';
import { CONTEXT_COMMANDS, contextActionMessage } from './contextMenu';
import { errorHtml, previewHtml, previewWebviewOptions } from './previewHtml';

export const PREVIEW_VIEW_TYPE = 'strata.preview';
export const PREVIEW_TEXT_VIEW_TYPE = 'strata.previewText';

export class PreviewEditorProvider implements vscode.CustomReadonlyEditorProvider {
  private readonly controllers = new Set<PreviewController>();

  constructor(private readonly options: {
    extensionUri: vscode.Uri;
    session: SessionThread;
    log: vscode.LogOutputChannel;
    profiler?: PreviewProfiler;
  }) {}

  /** Open panels, newest last (used by commands and tests). */
  get openCount(): number { return this.controllers.size; }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = previewWebviewOptions(this.options.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.options.extensionUri, 'media', 'strata-activity.svg');
    // the controller first: it starts reading the file while the page is put together and loads
    const controller = new PreviewController({ uri: document.uri, panel, session: this.options.session, log: this.options.log, profiler: this.options.profiler });
    this.controllers.add(controller);
    panel.onDidDispose(() => this.controllers.delete(controller));
    const title = document.uri.path.split('/').pop() ?? 'Preview';
    try {
      panel.webview.html = await previewHtml(panel.webview, this.options.extensionUri, title);
    } catch (e) {
      this.options.log.error(`The preview page could not be built: ${(e as Error).message}`);
      panel.webview.html = errorHtml(`Strata could not load its preview (${(e as Error).message}). Reinstalling the extension may help.`);
    }
  }

  /**
   * Passes a command of the grid's context menu to the preview that showed it: the active one, as the right-click
   * (or the context-menu key) focused it. False when the argument is no preview menu's context.
   */
  runContextAction(action: ContextAction, arg: unknown): boolean {
    const m = contextActionMessage(action, arg, [PREVIEW_VIEW_TYPE, PREVIEW_TEXT_VIEW_TYPE]);
    const controller = [...this.controllers].find(c => c.active);
    if (!m || !controller) { return false; }
    controller.post(m);
    return true;
  }

  static register(provider: PreviewEditorProvider): vscode.Disposable {
    const opts = { webviewOptions: { retainContextWhenHidden: false }, supportsMultipleEditorsPerDocument: true };
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(PREVIEW_VIEW_TYPE, provider, opts),
      vscode.window.registerCustomEditorProvider(PREVIEW_TEXT_VIEW_TYPE, provider, opts),
      ...Object.entries(CONTEXT_COMMANDS).map(([id, action]) => vscode.commands.registerCommand(id, (arg: unknown) => provider.runContextAction(action, arg))),
    );
  }
}
