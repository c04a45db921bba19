// The "Strata Data" source control: tracked datasets that changed, lack a cached copy or are missing; and their badges.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { datasetFormatOf } from '../../core/formats/datasetFiles';
import type { WorkerPool } from '../../node/workerPool';
import type { DatasetStatus } from '../../node/versioning/datasetStatus';

interface FolderState {
  root: string;
  datasets: DatasetStatus[];
  problems: { pointerPath: string; message: string }[];
}

const BADGES: Record<string, { badge: string; tooltip: string; color: string } | undefined> = {
  modified: { badge: 'M', tooltip: 'Modified since its last data version', color: 'gitDecoration.modifiedResourceForeground' },
  'not-in-cache': { badge: 'C', tooltip: 'This version is not in the local cache (pull it)', color: 'gitDecoration.untrackedResourceForeground' },
  missing: { badge: 'D', tooltip: 'Tracked, but missing from the workspace', color: 'gitDecoration.deletedResourceForeground' },
};

export class DataSourceControl implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly scm: vscode.SourceControl;
  private readonly groups: Record<'modified' | 'notInCache' | 'missing', vscode.SourceControlResourceGroup>;
  private readonly decorationsChanged = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private states = new Map<string, DatasetStatus>();
  private resources = new Map<string, vscode.SourceControlResourceState>();
  private timer?: ReturnType<typeof setTimeout>;
  private running?: Promise<void>;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('strata-dvc');

  constructor(private readonly options: { pool: WorkerPool; log: vscode.LogOutputChannel }) {
    this.scm = vscode.scm.createSourceControl('strata.data', 'Strata Data');
    this.scm.inputBox.placeholder = 'Message (Ctrl+Enter to commit data versions)';
    this.scm.acceptInputCommand = { command: 'strata.commitData', title: 'Commit Data Version' };
    this.groups = {
      modified: this.scm.createResourceGroup('modified', 'Modified Datasets'),
      notInCache: this.scm.createResourceGroup('notInCache', 'Not in Cache'),
      missing: this.scm.createResourceGroup('missing', 'Missing from Workspace'),
    };
    for (const g of Object.values(this.groups)) { g.hideWhenEmpty = true; }
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const onFs = (uri: vscode.Uri) => { if (!/[\\/](\.git|node_modules)[\\/]|[\\/]\.dvc[\\/](cache|tmp)[\\/]/.test(uri.fsPath)) { this.refreshSoon(); } };
    watcher.onDidChange(onFs); watcher.onDidCreate(onFs); watcher.onDidDelete(onFs);
    this.disposables.push(this.scm, watcher, this.decorationsChanged, this.diagnostics, vscode.window.registerFileDecorationProvider(this));
    this.refreshSoon(0);
  }

  get inputBox(): vscode.SourceControlInputBox { return this.scm.inputBox; }

  /** The state of a dataset from the last status pass. */
  stateOf(uri: vscode.Uri): DatasetStatus | undefined { return this.states.get(uri.fsPath); }

  /** The entry a dataset has in the Source Control view (modified, not in cache or missing), if any. */
  resourceOf(uri: vscode.Uri): vscode.SourceControlResourceState | undefined { return this.resources.get(uri.fsPath); }

  refreshSoon(ms = 500): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => { void this.refresh(); }, ms);
  }

  /** Runs one status pass per versioned workspace folder (in the worker); resolves when it is shown. */
  async refresh(): Promise<void> {
    if (this.running) { await this.running; }
    this.running = this.doRefresh().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async doRefresh(): Promise<void> {
    const results: FolderState[] = [];
    for (const root of await this.versionedRoots()) {
      try {
        const r = await this.options.pool.run('dataStatus', { cwd: root });
        results.push({ root: r.root, datasets: r.datasets, problems: r.problems });
      } catch (e) {
        this.options.log.warn(`Data status of ${root}: ${(e as Error).message}`);
      }
    }
    const before = new Set(this.states.keys());
    this.states = new Map();
    const resources = { modified: [] as vscode.SourceControlResourceState[], notInCache: [] as vscode.SourceControlResourceState[], missing: [] as vscode.SourceControlResourceState[] };
    this.diagnostics.clear();
    for (const r of results) {
      for (const d of r.datasets) {
        const uri = vscode.Uri.file(join(r.root, d.path));
        this.states.set(uri.fsPath, d);
        const group = d.state === 'modified' ? 'modified' : d.state === 'not-in-cache' ? 'notInCache' : d.state === 'missing' ? 'missing' : undefined;
        if (!group) { continue; }
        const badge = BADGES[d.state];
        resources[group].push({
          resourceUri: uri,
          contextValue: `strata.data.${d.state}`,
          decorations: { tooltip: badge?.tooltip, strikeThrough: !d.exists, faded: d.state === 'not-in-cache' },
          command: openCommand(d, uri),
        });
      }
      for (const p of r.problems) {
        const uri = vscode.Uri.file(join(r.root, p.pointerPath));
        this.diagnostics.set(uri, [Object.assign(new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), p.message, vscode.DiagnosticSeverity.Error), { source: 'strata' })]);
      }
    }
    this.resources = new Map([...resources.modified, ...resources.notInCache, ...resources.missing].map(r => [r.resourceUri.fsPath, r]));
    this.groups.modified.resourceStates = resources.modified;
    this.groups.notInCache.resourceStates = resources.notInCache;
    this.groups.missing.resourceStates = resources.missing;
    this.scm.count = resources.modified.length + resources.missing.length;
    const changed = new Set([...before, ...this.states.keys()]);
    this.decorationsChanged.fire([...changed].map(p => vscode.Uri.file(p)));
  }

  /** Folders holding `.dvc/`: workspace folders and projects nested inside them (monorepos). */
  private async versionedRoots(): Promise<string[]> {
    const roots = new Set<string>();
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      if (existsSync(join(f.uri.fsPath, '.dvc'))) { roots.add(f.uri.fsPath); }
    }
    const configs = await vscode.workspace.findFiles('**/.dvc/config', '**/{node_modules,.git}/**', 50);
    for (const c of configs) { roots.add(dirname(dirname(c.fsPath))); }
    return [...roots];
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const d = this.states.get(uri.fsPath);
    const badge = d && BADGES[d.state];
    if (!badge) { return undefined; }
    return new vscode.FileDecoration(badge.badge, badge.tooltip, new vscode.ThemeColor(badge.color));
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) { d.dispose(); }
  }
}

/**
 * What clicking an entry does: a modified dataset opens the diff with its last committed version;
 * a folder is revealed in the Explorer; anything else opens (a dataset absent from the workspace, missing
 * or not yet pulled, has nothing to open).
 */
function openCommand(d: DatasetStatus, uri: vscode.Uri): vscode.Command | undefined {
  if (!d.exists) { return undefined; }
  if (d.isDir) { return { command: 'revealInExplorer', title: 'Reveal in Explorer', arguments: [uri] }; }
  if (d.state === 'modified' && datasetFormatOf(d.path)) {
    return { command: 'strata.diff.compareWithPrevious', title: 'Compare with Previous Version', arguments: [uri] };
  }
  return { command: 'vscode.open', title: 'Open', arguments: [uri] };
}
