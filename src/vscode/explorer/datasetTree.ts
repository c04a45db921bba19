// The Dataset Explorer tree: workspace folders, folder groups, dataset files and their columns.
import * as vscode from 'vscode';
import { formatBytes } from '../../core/formats/datasetFiles';
import type { DatasetFormat } from '../../core/formats/dataset';
import { readScanSettings, scanWorkspace, statOne, type DatasetFile } from './datasetScanner';
import { schemaSourceOf } from '../schema/schemaSource';

export interface DatasetSummary {
  format: DatasetFormat;
  rows: number;
  rowsExact: boolean;
  fields: { name: string; type: string }[];
  warnings: string[];
}

/** Supplies rows × columns for a file version; the work happens off the extension host. */
export interface SummarySource {
  cached(file: DatasetFile): DatasetSummary | undefined;
  request(file: DatasetFile): Promise<DatasetSummary>;
}

export type ExplorerNode =
  | { kind: 'root'; folder: vscode.WorkspaceFolder; children: ExplorerNode[] }
  | { kind: 'group'; folder: vscode.WorkspaceFolder; relPath: string; files: FileNode[] }
  | FileNode
  | { kind: 'column'; file: FileNode; index: number; name: string; type: string }
  | { kind: 'message'; file: FileNode; text: string };

export interface FileNode { kind: 'file'; file: DatasetFile }

const FORMAT_ICONS: Record<DatasetFormat, string> = {
  csv: 'table', tsv: 'table', parquet: 'database', arrow: 'symbol-array', jsonl: 'json',
};
/**
 * Folder groups start expanded only in small listings: the view fetches every expanded group's items at once,
 * which for thousands of datasets held the extension host for most of a second.
 */
const EXPAND_GROUPS_UP_TO = 200;

const TYPE_ICONS: Record<string, string> = {
  integer: 'symbol-number', number: 'symbol-number', boolean: 'symbol-boolean', date: 'calendar',
  datetime: 'calendar', time: 'clock', string: 'symbol-string', binary: 'file-binary', json: 'json',
};

export class DatasetTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private files: DatasetFile[] = [];
  /** The path of every folder that holds a listed dataset at any depth. */
  private folders = new Set<string>();
  private expandGroups = true;
  private roots: ExplorerNode[] = [];
  private scanning: Promise<void> = Promise.resolve();
  private scanSource?: vscode.CancellationTokenSource;
  private debounceTimer?: ReturnType<typeof setTimeout>;
  private pendingRefresh?: Promise<void>;
  private resolvePending?: () => void;
  private readonly pendingSummaries = new Set<string>();
  private scanGeneration = 0;

  constructor(private readonly options: { summaries: SummarySource; debounceMs?: number; log?: (line: string) => void }) {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration('strata.exclude') || e.affectsConfiguration('strata.additionalExtensions') || e.affectsConfiguration('files.exclude')) {
          this.refresh();
        }
      }),
    );
    this.scanning = this.rescan();
  }

  /** Resolves when the current scan, and any refresh already scheduled, has completed. */
  async ready(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== (this.pendingRefresh ?? this.scanning)) {
      seen = this.pendingRefresh ?? this.scanning;
      await seen;
    }
  }

  get datasetFiles(): readonly DatasetFile[] { return this.files; }

  /** True when a listed dataset lies somewhere below this folder (a folder moved out takes its datasets along). */
  holdsFolder(uri: vscode.Uri): boolean {
    return this.folders.has(uri.path.replace(/\/+$/, ''));
  }

  /** Schedules a rescan; bursts of file events within the debounce window cause one scan. */
  refresh(): Promise<void> {
    if (!this.pendingRefresh) {
      this.pendingRefresh = new Promise<void>(resolve => { this.resolvePending = resolve; });
    }
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      const done = this.resolvePending;
      this.pendingRefresh = undefined;
      this.resolvePending = undefined;
      this.scanning = this.rescan();
      void this.scanning.then(done, done);
    }, this.options.debounceMs ?? 250);
    return this.pendingRefresh;
  }

  /** Rescans at once, skipping the debounce: the editor benchmark times a full listing this way. */
  rescanNow(): Promise<void> {
    this.scanning = this.rescan();
    return this.scanning;
  }

  /** Refreshes only the facts of one changed file (size, time, summary), without a rescan. */
  async fileChanged(uri: vscode.Uri): Promise<void> {
    const f = this.files.find(x => x.uri.toString() === uri.toString());
    if (!f) { return; }
    await statOne(f);
    this.changed.fire(undefined);
  }

  private async rescan(): Promise<void> {
    this.scanSource?.cancel();
    const source = new vscode.CancellationTokenSource();
    this.scanSource = source;
    const generation = ++this.scanGeneration;
    try {
      const files = await scanWorkspace(readScanSettings(), source.token);
      if (generation !== this.scanGeneration) { return; }
      this.files = files;
      this.folders = foldersOf(files);
      this.expandGroups = files.length <= EXPAND_GROUPS_UP_TO;
      this.roots = buildRoots(files, vscode.workspace.workspaceFolders ?? []);
      await vscode.commands.executeCommand('setContext', 'strata.hasDatasets', files.length > 0);
      this.changed.fire(undefined);
    } catch (e) {
      this.options.log?.(`Dataset scan failed: ${(e as Error).message}`);
    } finally {
      source.dispose();
    }
  }

  getChildren(node?: ExplorerNode): ExplorerNode[] {
    if (!node) { return this.roots; }
    switch (node.kind) {
      case 'root': return node.children;
      case 'group': return node.files;
      case 'file': return this.columnNodes(node);
      default: return [];
    }
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    if (node.kind === 'column' || node.kind === 'message') { return node.file; }
    if (node.kind === 'file') { return this.findParent(node, this.roots); }
    if (node.kind === 'group') { return this.roots.find(r => r.kind === 'root' && r.children.includes(node)); }
    return undefined;
  }

  private findParent(node: FileNode, nodes: ExplorerNode[]): ExplorerNode | undefined {
    for (const n of nodes) {
      if (n.kind === 'group' && n.files.includes(node)) { return n; }
      if (n.kind === 'root') {
        if (n.children.includes(node)) { return n; }
        const inner = this.findParent(node, n.children);
        if (inner) { return inner; }
      }
    }
    return undefined;
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    switch (node.kind) {
      case 'root': {
        const item = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('root-folder');
        item.id = `root:${node.folder.uri.toString()}`;
        item.contextValue = 'strata.root';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.relPath, this.expandGroups ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = vscode.ThemeIcon.Folder;
        item.resourceUri = vscode.Uri.joinPath(node.folder.uri, node.relPath);
        item.description = `${node.files.length} ${node.files.length === 1 ? 'dataset' : 'datasets'}`;
        item.id = `group:${item.resourceUri.toString()}`;
        item.contextValue = 'strata.group';
        return item;
      }
      case 'file': return this.fileItem(node);
      case 'column': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.description = node.type;
        item.iconPath = new vscode.ThemeIcon(TYPE_ICONS[node.type] ?? 'symbol-field');
        item.id = `column:${node.file.file.uri.toString()}:${node.index}`;
        item.contextValue = 'strata.column';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  private fileItem(node: FileNode): vscode.TreeItem {
    const f = node.file;
    const item = new vscode.TreeItem(f.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `file:${f.uri.toString()}`;
    item.resourceUri = f.uri;
    item.contextValue = `strata.dataset strata.format.${f.format}`;
    item.command = { command: 'strata.openDataset', title: 'Open Dataset', arguments: [f.uri] };
    if (f.statError) {
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.description = 'unreadable';
      item.tooltip = new vscode.MarkdownString(`**${escapeMd(f.relPath)}**\n\n$(warning) ${escapeMd(f.statError)}`, true);
      item.collapsibleState = vscode.TreeItemCollapsibleState.None;
      return item;
    }
    item.iconPath = new vscode.ThemeIcon(FORMAT_ICONS[f.format]);
    const summary = this.options.summaries.cached(f);
    const parts = [formatBytes(f.size ?? 0)];
    if (summary) {
      parts.push(`${summary.rowsExact ? '' : '~'}${summary.rows.toLocaleString('en-US')} × ${summary.fields.length}`);
    } else {
      this.requestSummary(node);
    }
    item.description = parts.join(' · ');
    return item;
  }

  /** Tooltips are built on hover: parsing Markdown for every item of a large listing held the extension host. */
  resolveTreeItem(item: vscode.TreeItem, node: ExplorerNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    if (node.kind !== 'file' || node.file.statError) { return item; }
    item.tooltip = this.fileTooltip(node.file);
    // the Table Schema that applies, and where it came from (beside the file, a data package, strata.schemas)
    return schemaSourceOf(node.file.uri).then(schema => {
      if (schema) { item.tooltip = this.fileTooltip(node.file, schema); }
      return item;
    });
  }

  private fileTooltip(f: DatasetFile, schema?: string): vscode.MarkdownString {
    const summary = this.options.summaries.cached(f);
    const lines = [
      `**${escapeMd(f.relPath)}**`,
      '',
      `Format: ${f.format.toUpperCase()}`,
      `Size: ${formatBytes(f.size ?? 0)} (${(f.size ?? 0).toLocaleString('en-US')} bytes)`,
      `Modified: ${f.mtimeMs ? new Date(f.mtimeMs).toLocaleString() : 'unknown'}`,
    ];
    if (summary) {
      lines.push(`Rows: ${summary.rows.toLocaleString('en-US')}${summary.rowsExact ? '' : ' (estimate)'}`, `Columns: ${summary.fields.length}`);
      for (const w of summary.warnings.slice(0, 3)) { lines.push(`$(warning) ${escapeMd(w)}`); }
    }
    if (schema) { lines.push(`Schema: ${escapeMd(schema)}`); }
    return new vscode.MarkdownString(lines.join('  \n'), true);
  }

  private columnNodes(node: FileNode): ExplorerNode[] {
    const summary = this.options.summaries.cached(node.file);
    if (!summary) {
      this.requestSummary(node);
      return [{ kind: 'message', file: node, text: node.file.statError ?? 'Reading columns…' }];
    }
    if (summary.fields.length === 0) { return [{ kind: 'message', file: node, text: 'No columns' }]; }
    return summary.fields.map((f, index) => ({ kind: 'column', file: node, index, name: f.name, type: f.type }));
  }

  private requestSummary(node: FileNode): void {
    const key = `${node.file.uri.toString()}@${node.file.size}:${node.file.mtimeMs}`;
    if (this.pendingSummaries.has(key) || node.file.statError) { return; }
    this.pendingSummaries.add(key);
    this.options.summaries.request(node.file).then(
      () => this.changed.fire(node),
      e => this.options.log?.(`Could not read ${node.file.relPath}: ${(e as Error).message}`),
    ).finally(() => this.pendingSummaries.delete(key));
  }

  dispose(): void {
    clearTimeout(this.debounceTimer);
    this.scanSource?.cancel();
    this.resolvePending?.();
    for (const d of this.disposables) { d.dispose(); }
  }
}

/** Single root: folder groups then root-level files. Several roots: one node per workspace folder. */
export function buildRoots(files: DatasetFile[], folders: readonly vscode.WorkspaceFolder[]): ExplorerNode[] {
  const forFolder = (folder: vscode.WorkspaceFolder): ExplorerNode[] => {
    const groups = new Map<string, FileNode[]>();
    const top: FileNode[] = [];
    for (const f of files.filter(x => x.folder.uri.toString() === folder.uri.toString())) {
      const slash = f.relPath.lastIndexOf('/');
      const node: FileNode = { kind: 'file', file: f };
      if (slash < 0) { top.push(node); continue; }
      const dir = f.relPath.slice(0, slash);
      const list = groups.get(dir) ?? [];
      list.push(node);
      groups.set(dir, list);
    }
    const byName = (a: FileNode, b: FileNode) => compareNames(a.file.name, b.file.name);
    const out: ExplorerNode[] = [...groups.keys()].sort(compareNames)
      .map(dir => ({ kind: 'group' as const, folder, relPath: dir, files: groups.get(dir)!.sort(byName) }));
    return [...out, ...top.sort(byName)];
  };
  if (folders.length <= 1) { return folders[0] ? forFolder(folders[0]) : []; }
  return folders.map(folder => ({ kind: 'root' as const, folder, children: forFolder(folder) }));
}

// one collator: localeCompare with options builds one per call, which dominated sorting 50,000 names
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareNames(a: string, b: string): number {
  return collator.compare(a, b);
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, c => `\\${c}`);
}

/** The paths of the folders above each dataset (string slicing: a listing can hold 50,000 files). */
function foldersOf(files: readonly DatasetFile[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    const p = f.uri.path;
    for (let cut = p.lastIndexOf('/'); cut > 0; cut = p.lastIndexOf('/', cut - 1)) {
      const dir = p.slice(0, cut);
      if (out.has(dir)) { break; }
      out.add(dir);
    }
  }
  return out;
}
