// Watches dataset files: creates and deletes trigger a debounced rescan, changes refresh one file.
import * as vscode from 'vscode';
import { datasetGlob } from '../../core/formats/datasetFiles';
import { readScanSettings } from './datasetScanner';

export interface WatchTarget {
  refresh(): Promise<void>;
  fileChanged(uri: vscode.Uri): Promise<void>;
}

export class DatasetWatcher implements vscode.Disposable {
  private watcher?: vscode.FileSystemWatcher;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly target: WatchTarget) {
    this.watch();
    this.subscriptions.push(vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('strata.additionalExtensions')) { this.watch(); }
    }));
  }

  private watch(): void {
    this.watcher?.dispose();
    const w = vscode.workspace.createFileSystemWatcher(datasetGlob(readScanSettings().extraExtensions));
    w.onDidCreate(() => void this.target.refresh());
    w.onDidDelete(() => void this.target.refresh());
    w.onDidChange(uri => void this.target.fileChanged(uri));
    this.watcher = w;
  }

  dispose(): void {
    this.watcher?.dispose();
    for (const s of this.subscriptions) { s.dispose(); }
  }
}
