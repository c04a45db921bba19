// Watches the workspace for the explorer: a dataset created or deleted triggers a debounced rescan, a changed one
// refreshes that file. A folder moved in or out whole is one event for the folder and none for the datasets inside
// it, so a created folder, or a deleted one that held listed datasets, triggers the rescan too.
import * as vscode from 'vscode';
import { datasetFormatOf } from '../../core/formats/datasetFiles';
import { readScanSettings } from './datasetScanner';

export interface WatchTarget {
  refresh(): Promise<void>;
  fileChanged(uri: vscode.Uri): Promise<void>;
  /** True when a listed dataset lies below this folder. */
  holdsFolder(uri: vscode.Uri): boolean;
}

/** Paths created within this long are looked at together. */
const CREATED_BATCH_MS = 250;
/** A burst of more creations than this (a checkout, an archive unpacked) is answered with a rescan, not stats. */
const MAX_STATS = 64;
/** Where Strata's and git's own folders are made: never a dataset folder. */
const INTERNAL = /\/\.(git|dvc)(\/|$)/;

export class DatasetWatcher implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private created = new Set<string>();
  private createdTimer?: ReturnType<typeof setTimeout>;
  private extraExtensions: readonly string[] = readScanSettings().extraExtensions;

  constructor(private readonly target: WatchTarget) {
    const w = vscode.workspace.createFileSystemWatcher('**/*');
    w.onDidCreate(uri => { if (this.isDataset(uri)) { void this.target.refresh(); } else { this.maybeFolderCreated(uri); } });
    w.onDidDelete(uri => { if (this.isDataset(uri) || this.target.holdsFolder(uri)) { void this.target.refresh(); } });
    w.onDidChange(uri => { if (this.isDataset(uri)) { void this.target.fileChanged(uri); } });
    this.subscriptions.push(w, vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('strata.additionalExtensions')) { this.extraExtensions = readScanSettings().extraExtensions; }
    }));
  }

  private isDataset(uri: vscode.Uri): boolean {
    return datasetFormatOf(uri.path.slice(uri.path.lastIndexOf('/') + 1), this.extraExtensions) !== undefined;
  }

  /** Collects created paths that are not datasets; those that are folders make the explorer look again. */
  private maybeFolderCreated(uri: vscode.Uri): void {
    if (INTERNAL.test(uri.path)) { return; }
    this.created.add(uri.toString());
    this.createdTimer ??= setTimeout(() => void this.checkCreated(), CREATED_BATCH_MS);
  }

  private async checkCreated(): Promise<void> {
    const uris = [...this.created].map(u => vscode.Uri.parse(u));
    this.created = new Set();
    this.createdTimer = undefined;
    if (uris.length > MAX_STATS) { await this.target.refresh(); return; }
    const kinds = await Promise.all(uris.map(u => vscode.workspace.fs.stat(u).then(s => s.type, () => vscode.FileType.Unknown)));
    if (kinds.some(t => (t & vscode.FileType.Directory) !== 0)) { await this.target.refresh(); }
  }

  dispose(): void {
    clearTimeout(this.createdTimer);
    for (const s of this.subscriptions) { s.dispose(); }
  }
}
